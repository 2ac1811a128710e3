// Package data holds jamstat's reference data as files embedded in the
// binary: municipality and county codes, occupation codes, goal catalogues,
// indicator definitions and the demo data. It sits beside the flow
// (files → ingest → store → indicators → analysis → reports → server):
// every stage may read it, and it imports no other jamstat package.
//
// Goals and indicators are data, not code: a county adds its strategy by
// adding a file, not by changing Go.
package data
