// Package reports writes what analysts hand to politicians and what each
// municipality downloads: the yearly goal follow-up and the
// working-conditions report (HTML with inline SVG, and PDF), the Excel
// indicator sheet per municipality, CSV, and the charts in them. It is the
// fifth stage of the flow
//
//	files → ingest → store → indicators → analysis → reports → server
//
// and reads only what indicators and analysis have computed, after
// disclosure control.
package reports
