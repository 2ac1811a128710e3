// Command jamstat is the one binary of jamstat, a gender-disaggregated
// statistics and indicator engine for Swedish counties, regions and
// municipalities. It sits at the end of the flow
//
//	files → ingest → store → indicators → analysis → reports → server
//
// and gives each stage a command: init, ingest, datasets, query, goals,
// indicators, compare, analyze, report, sheets, serve, gen and demo.
//
// Exit codes: 0 success, 1 an error (one line on stderr), 2 a usage error.
package main
