package server

import (
	"strings"

	"github.com/jamstat/jamstat/reports"
)

// Pages are Swedish by default; ?lang=en switches every label to English.

var labelText = map[string][2]string{ // key → {sv, en}
	"skip":            {"Hoppa till innehållet", "Skip to content"},
	"nav":             {"Webbplats", "Site"},
	"home":            {"Start", "Home"},
	"switch":          {"English", "Svenska"},
	"site_title":      {"Jämställdhetsstatistik för län och kommuner", "Gender equality statistics for counties and municipalities"},
	"intro":           {"Sök din kommun eller ditt län för att se indikatorerna för de jämställdhetspolitiska delmålen, kvinnor och män, med länet och riket bredvid.", "Find your municipality or county to see the indicators for the gender equality sub-goals, women and men, with the county and Sweden beside them."},
	"search_label":    {"Sök kommun eller län", "Search municipality or county"},
	"search_button":   {"Sök", "Search"},
	"search_hint":     {"Till exempel Göteborg eller Västra Götaland.", "For example Göteborg or Västra Götaland."},
	"results":         {"Träffar", "Results"},
	"no_results":      {"Inga kommuner eller län matchar sökningen.", "No municipality or county matches the search."},
	"counties":        {"Län och kommuner", "Counties and municipalities"},
	"county":          {"Län", "County"},
	"county_page":     {"Länets sida", "County page"},
	"municipalities":  {"Kommuner", "Municipalities"},
	"municipality":    {"Kommunen", "Municipality"},
	"the_county":      {"Länet", "County"},
	"sweden":          {"Riket", "Sweden"},
	"women":           {"Kvinnor", "Women"},
	"men":             {"Män", "Men"},
	"total":           {"Totalt", "Total"},
	"indicator":       {"Indikator", "Indicator"},
	"unit":            {"Enhet", "Unit"},
	"year":            {"År", "Year"},
	"show":            {"Visa", "Show"},
	"delmal":          {"Delmål", "Sub-goal"},
	"other":           {"Övriga indikatorer", "Other indicators"},
	"goals":           {"Mål i strategierna", "Goals of the strategies"},
	"goal":            {"Mål", "Goal"},
	"no_goal_ind":     {"Inga indikatorer är kopplade till målet.", "No indicators are linked to this goal."},
	"downloads":       {"Ladda ner", "Download"},
	"dl_xlsx":         {"Indikatorblad (Excel, .xlsx)", "Indicator sheet (Excel, .xlsx)"},
	"dl_csv":          {"Alla värden (CSV)", "All values (CSV)"},
	"dl_json":         {"Alla värden (JSON)", "All values (JSON)"},
	"charts":          {"Diagram", "Charts"},
	"chart_desc":      {"Kvinnor och män i kommunen, länet och riket", "Women and men in the municipality, the county and Sweden"},
	"chart_desc_t":    {"Kommunen, länet och riket", "The municipality, the county and Sweden"},
	"legend":          {"Teckenförklaring", "Legend"},
	"sym_suppressed":  {"uppgiften visas inte: den vilar på för få personer (röjandekontroll) eller saknas i källan", "not shown: it rests on too few persons (disclosure control) or is missing from the source"},
	"sym_none":        {"ingen uppgift för året", "no figure for the year"},
	"no_data":         {"Det finns inga beräknade indikatorer för kommunen ännu.", "No indicators have been computed for this municipality yet."},
	"no_data_county":  {"Det finns ingen jämförelse av arbetsvillkor för länet ännu.", "There is no working-conditions comparison for this county yet."},
	"wc_title":        {"Hur jämställda är arbetsvillkoren?", "How equal are working conditions?"},
	"wc_intro":        {"För varje arbetsgivare jämförs den mest kvinnodominerade yrkesgruppen med den mest mansdominerade.", "For each employer the most female-dominated occupational group is compared with the most male-dominated one."},
	"wc_summary":      {"Sammanfattning för länet", "County summary"},
	"condition":       {"Arbetsvillkor", "Working condition"},
	"employers":       {"Arbetsgivare", "Employers"},
	"compared":        {"Jämförda", "Compared"},
	"female_worse":    {"Kvinnodominerad grupp sämre", "Female-dominated group worse off"},
	"male_worse":      {"Mansdominerad grupp sämre", "Male-dominated group worse off"},
	"of_which_dist":   {"varav säkerställt", "of which distinguishable"},
	"wc_chart":        {"Antal arbetsgivare där gruppen har sämre villkor", "Employers where the group is worse off"},
	"employer":        {"Arbetsgivare", "Employer"},
	"female_group":    {"Mest kvinnodominerad yrkesgrupp", "Most female-dominated occupation"},
	"male_group":      {"Mest mansdominerad yrkesgrupp", "Most male-dominated occupation"},
	"female_group_s":  {"Kvinnodominerad", "Female-dominated"},
	"male_group_s":    {"Mansdominerad", "Male-dominated"},
	"difference":      {"Skillnad (K − M)", "Difference (F − M)"},
	"ci":              {"95 % konfidensintervall", "95 % confidence interval"},
	"distinguishable": {"Säkerställd", "Distinguishable"},
	"yes":             {"Ja", "Yes"},
	"no":              {"Nej", "No"},
	"persons":         {"personer", "persons"},
	"women_share":     {"kvinnor", "women"},
	"settings":        {"Inställningar", "Settings"},
	"threshold":       {"dominansgräns", "dominance threshold"},
	"level":           {"yrkesnivå", "occupation level"},
	"min_group":       {"minsta grupp", "smallest group"},
	"error":           {"Fel", "Error"},
	"request_id":      {"Begärans id", "Request id"},
	"back_home":       {"Till startsidan", "Back to the start page"},
	"employees":       {"anställda", "employees"},
	"no_group":        {"ingen grupp", "no group"},
	"scroll_table":    {"Tabell, rullbar i sidled", "Table, scrolls sideways"},
	"api":             {"Öppet API (JSON)", "Open API (JSON)"},
	"in_county":       {"i", "in"},
	"linked_goals":    {"Mål", "Goals"},
	"county_inds":     {"Länets indikatorer", "The county's indicators"},
}

// labels returns every label in lang, for templates.
func labels(lang string) map[string]string {
	i := 0
	if lang == "en" {
		i = 1
	}
	m := make(map[string]string, len(labelText))
	for k, v := range labelText {
		m[k] = v[i]
	}
	return m
}

var labelsSv, labelsEn = labels("sv"), labels("en")

func labelsFor(lang string) map[string]string {
	if lang == "en" {
		return labelsEn
	}
	return labelsSv
}

// fmtNum writes v the way the reports do: Swedish "12 345,6" or English
// "12,345.6", halves away from zero.
func fmtNum(v float64, decimals int, lang string) string {
	return reports.FormatNumber(v, decimals, lang)
}

// decimalsFor picks how many decimals to show for an indicator's unit.
func decimalsFor(unit, kind string) int {
	u := strings.ToLower(unit)
	switch {
	case kind == "km_ratio" || u == "ratio" || u == "kvot":
		return 2
	case strings.Contains(u, "kr") || strings.Contains(u, "sek"):
		return 0
	}
	return 1
}

// unitLabel is how a unit reads on a page: "percent" as "%", "pp" as
// percentage points, and so on; other units as they are.
func unitLabel(unit, lang string) string {
	l := map[string][2]string{
		"percent":    {"%", "%"},
		"pp":         {"procentenheter", "percentage points"},
		"ratio":      {"kvot", "ratio"},
		"kr":         {"kr", "SEK"},
		"SEK":        {"kr", "SEK"},
		"per_1000":   {"per 1 000", "per 1,000"},
		"persons":    {"personer", "persons"},
		"years":      {"år", "years"},
		"hours":      {"timmar", "hours"},
		"days":       {"dagar", "days"},
		"employees":  {"medarbetare", "employees"},
		"share":      {"andel", "share"},
		"percentage": {"%", "%"},
	}
	if v, ok := l[unit]; ok {
		if lang == "en" {
			return v[1]
		}
		return v[0]
	}
	return unit
}
