// Package store is jamstat's database: an embedded, file-backed DuckDB
// holding the canonical tables (geo, occupation, dataset, observation,
// employee, rejected_row) and what later stages compute from them.
//
// It is the second stage of the one-way flow
//
//	files → ingest → store → indicators → analysis → reports → server
//
// ingest parses files into records; store implements ingest.Sink so that a
// file's records land in one transaction (all or nothing), and offers SQL to
// the stages downstream. Only this package (and what imports it) links
// DuckDB, which keeps the upstream packages' tests fast.
//
// The schema is a set of numbered SQL migrations embedded from
// migrations/; each is applied once, in order, and recorded in
// schema_version, so opening a database twice changes nothing.
package store
