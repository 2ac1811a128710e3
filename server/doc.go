// Package server is the last stage of the flow
//
//	files → ingest → store → indicators → analysis → reports → server
//
// a small web service on a read-only database handle: pages where a
// municipality finds its indicators, downloads of its Excel sheet, CSV and
// JSON, and a JSON API in Kolada's shape.
package server
