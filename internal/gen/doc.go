// Package gen makes synthetic input files for jamstat's demo and benchmarks:
// HR register extracts (one row per employee and year, in the Swedish CSV
// and xlsx flavours analysts receive, or as Parquet with the employee
// table's canonical columns for warehouse-sized runs) and Kolada-style aggregate series for
// the goal indicators. Everything it writes is SYNTHETIC, calibrated on real
// SCB figures (see data/demo/calibration/PROVENANCE.md), and deterministic:
// the same Config and seed give byte-identical files.
//
// gen sits upstream of ingest: it writes files and never imports ingest or
// store. It reads its calibration tables from the embedded data.Demo() so
// the jamstat binary is self-contained.
package gen
