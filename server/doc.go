// Package server is the last stage of the flow
//
//	files → ingest → store → indicators → analysis → reports → server
//
// a small web service on a read-only database handle: pages where a
// municipality finds its indicators, downloads of its Excel sheet, CSV and
// JSON, and a JSON API in Kolada's shape.
package server

// # Routes
//
//	GET /                              find a county or municipality (?q= filters on the server)
//	GET /kommun/{code}                 a municipality's indicators per delmål and goal, with its
//	                                   county and Sweden beside it, and charts (?year=, ?lang=en)
//	GET /kommun/{code}/sheet.xlsx      its indicator sheet (reports.WriteMunicipalitySheet)
//	GET /kommun/{code}/data.csv        the sheet's indicator table as CSV
//	GET /kommun/{code}/data.json       every published value of the municipality, API shape
//	GET /lan/{code}                    a county's working-conditions comparison
//	GET /lan/{code}/indikatorer        the county's own indicators (and /lan/{code}/sheet.xlsx …)
//	GET /api/v1/indicator[/{ids}]      indicator metadata
//	GET /api/v1/municipality           geographies, with Kolada's ids
//	GET /api/v1/data                   values: ?indicator=&municipality=&period=&page=&per_page=
//	GET /api/openapi.json              the OpenAPI 3 document of the API
//	GET /healthz                       {"status":"ok","data_version":…} or 503
//
// # Disclosure
//
// Only indicator_value rows (after package indicators' disclosure control)
// and the comparison tables are read; employee rows never are. On the way
// out a value marked ".." never carries a number, a value whose n is below
// the indicator's k is withheld, and no count is published beside a
// withheld cell of the same set (see values.go). Sheets are refused by
// package reports' writers when a model would publish a cell with n < k.
//
// # Updating the data while serving
//
// The server opens the database read-only and follows the file: ingest
// into a copy and rename it over the served file; the server notices the
// new inode, waits for requests in flight, closes the old handle and opens
// the new file (see dbholder.go). While another process holds a write
// lock on the file, the server keeps serving what it has, or answers 503
// with Retry-After when it has nothing. Responses are cached per data
// version (a hash of every dataset's sha256 and load time and of the
// latest computation), so a re-ingest or recompute invalidates them.
//
// # Limits
//
// GET and HEAD only (405 otherwise), no request bodies, clean paths only
// (no "..", no encoded slashes or dots), queries up to 4 KiB, headers up to
// 16 KiB, header, read, write and idle timeouts, every parameter checked
// against its shape before use and passed to SQL only as an argument, and
// errors that show a generic message and the request id while the cause
// goes to the structured log.
