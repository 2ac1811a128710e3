// Package indicators turns the canonical tables into indicator values per
// geography, period and sex, and follows up goals with them. It is the
// third stage of the flow
//
//	files → ingest → store → indicators → analysis → reports → server
//
// Goal catalogues (national delmål and each county's strategy) and
// indicator definitions are data files under data/goals and
// data/indicators, validated at start-up; a county adds its strategy by
// adding a file. Every computed value passes disclosure control before it
// is stored for publication.
package indicators
