// Package analysis holds the statistics of jamstat: regressions, wage-gap
// decompositions, confidence intervals and the scores reported to users.
//
// Place in the flow:
//
//	files → ingest → store → indicators → analysis → reports → server
//
// analysis takes numbers that the store and the indicators produce (cell
// means and headcounts, counts of women and men per group, class-interval
// frequency tables) or a microdata table held in memory (Frame, read with
// ReadCSVFrame), and returns statistics as plain structs with JSON tags. It
// never reads the database itself and imports neither DuckDB nor the store,
// so its tests run in well under a second and the CLI (`jamstat analyze
// ols|oaxaca`) and the report builders can feed it from any source.
//
// Contents:
//
//   - Frame, ReadCSVFrame: a small column table for microdata (NaN = missing).
//   - OLS, OLSFromFrame: least squares by QR (gonum), classical or HC1 standard
//     errors; validated against Wooldridge's printed results.
//   - Oaxaca: the Blinder–Oaxaca decomposition with the conventions of Jann's
//     Stata command `oaxaca` (group 1 = lower value of the group variable,
//     threefold from the viewpoint of group 2, twofold with a pooled
//     reference that includes a group indicator, normalize() for dummy
//     sets), delta-method or seeded bootstrap standard errors; validated
//     against the Stata results for the chicago data.
//   - Confidence intervals: Wilson, Newcombe hybrid score, Welch, percentile
//     bootstrap for medians.
//   - Wage gaps: unadjusted (kvinnors lön i procent av mäns), SCB
//     standardvägning over cells, UK pay quartiles.
//   - Quantiles interpolated from frequency tables (SCB income classes).
//   - Parity scores (WEF ratio, EIGE-like 1–100 composite) and the
//     kvinnodominerad / mansdominerad / jämn classification.
//
// Format renders OLS and Oaxaca results as plain-text tables in the manner
// of Stata's output.
package analysis
