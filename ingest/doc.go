// Package ingest is the first stage of jamstat's one-way flow:
//
//	files → ingest → store (DuckDB) → indicators → analysis → reports → server
//
// It reads the files analysts receive (SCB PX and JSON-stat, Kolada JSON,
// CSV and xlsx of any layout described by a dataset spec, HR register
// extracts) and turns every row into one of the canonical records defined in
// record.go: an Observation (one aggregate cell), an Employee (one person in
// one period) or a Rejected row with the reason it could not be read.
//
// Parsers never touch the database: they stream records into a Sink. The
// store package implements Sink on top of DuckDB and makes each file's load
// atomic; tests use MemorySink. Keeping DuckDB out of this package keeps its
// tests and fuzz targets fast.
package ingest
