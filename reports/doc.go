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
//
// The writers work on plain input models (model.go): FollowupReport,
// WorkConditionsReport and MunicipalitySheet, so they render, test and
// benchmark without a database. The builders (build*.go: BuildFollowup,
// BuildWorkConditions, NewSheetBuilder / BuildMunicipalitySheet) fill those
// models from the database: they read indicator_value through
// indicators.Values and indicators.GoalStatus, the comparison tables saved
// by `jamstat compare`, and the dataset table for provenance, through
// package store (DuckDB). They never read raw employee rows.
//
// A value that is not published is a Value with V == nil and a Status
// ("..", "-", "."); it is written as that symbol, never as 0, and every
// output that can show it carries the legend. Each writer first validates
// its model and refuses one that would publish a value resting on fewer
// than MinN persons (default 5), or a difference beside a withheld group.
//
// Entry points:
//
//	WriteFollowupHTML(w, *FollowupReport) / WriteFollowupPDF
//	WriteWorkConditionsHTML(w, *WorkConditionsReport) / WriteWorkConditionsPDF
//	WriteMunicipalitySheet(w, *MunicipalitySheet)       // .xlsx
//	WriteSheetCSV(w, *MunicipalitySheet, CSVOptions)    // ";", decimal comma, BOM
//	GroupedBarsSVG, DotPlotSVG, TrendSVG, CIChartSVG    // charts for the web server
//	GroupedBars, DotPlot, Trend, CIChart → *Chart with SVG(), PNG(dpi), PDF()
//	SummarizeConditions, TallyGoal, TallyDelmal, SummarySentence, ConditionSentence
//
// Output is Swedish by default; Lang "en" gives English. Charts use the
// Okabe–Ito palette with distinct glyphs and dashes per series, and
// Liberation Sans (embedded in gonum/plot) so å, ä and ö render in SVG, PNG
// and PDF. PDF is drawn with fpdf from the same view models as the HTML,
// with charts as vectors; nothing beyond the binary is needed.
package reports
