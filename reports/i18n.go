package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Every label a reader sees goes through tr, so a report is Swedish or
// English throughout. Swedish is the default: the readers are Swedish
// municipalities and politicians.

var labels = map[string][2]string{ // key → {sv, en}
	"women":                {"Kvinnor", "Women"},
	"men":                  {"Män", "Men"},
	"total":                {"Totalt", "Total"},
	"ratio":                {"K/M-kvot", "W/M ratio"},
	"county":               {"Länet", "County"},
	"sweden":               {"Riket", "Sweden"},
	"municipality":         {"Kommun", "Municipality"},
	"geo_code":             {"Kommun-id", "Municipality code"},
	"county_code":          {"Län-id", "County code"},
	"county_name":          {"Län", "County"},
	"indicator":            {"Indikator", "Indicator"},
	"indicator_id":         {"Indikator-id", "Indicator id"},
	"unit":                 {"Enhet", "Unit"},
	"year":                 {"År", "Year"},
	"baseline":             {"Basår", "Baseline"},
	"baseline_value":       {"Värde basår", "Baseline value"},
	"latest":               {"Senaste", "Latest"},
	"change":               {"Förändring", "Change"},
	"direction":            {"Riktning", "Direction"},
	"measure":              {"Mått", "Measure"},
	"goal":                 {"Mål", "Goal"},
	"target":               {"Mål", "Target"},
	"delmal":               {"Delmål", "Sub-goal"},
	"area":                 {"Insatsområde", "Priority area"},
	"summary":              {"Sammanfattning", "Summary"},
	"method":               {"Metod", "Method"},
	"definitions":          {"Definitioner", "Definitions"},
	"sources":              {"Källor", "Sources"},
	"suppression":          {"Röjandekontroll", "Disclosure control"},
	"vintage":              {"Referensår och publiceringsår", "Reference year and publication year"},
	"reference_year":       {"Referensår", "Reference year"},
	"published":            {"Publicerad", "Published"},
	"legend":               {"Teckenförklaring", "Legend"},
	"contents":             {"Innehåll", "Contents"},
	"generated":            {"Framställd", "Generated"},
	"version":              {"jamstat-version", "jamstat version"},
	"source":               {"Källa", "Source"},
	"address":              {"Adress", "Address"},
	"term":                 {"Begrepp", "Term"},
	"text":                 {"Beskrivning", "Description"},
	"followup_title":       {"Uppföljning av jämställdhetsstrategin", "Follow-up of the gender equality strategy"},
	"wc_title":             {"Hur jämställda är arbetsvillkoren?", "How equal are working conditions?"},
	"sheet_title":          {"Jämställdhetsindikatorer", "Gender equality indicators"},
	"trend_chart":          {"Utveckling i länet, kvinnor och män", "Trend in the county, women and men"},
	"dot_chart":            {"Kommunerna jämfört med länet", "Municipalities compared with the county"},
	"county_women":         {"Länet, kvinnor", "County, women"},
	"county_men":           {"Länet, män", "County, men"},
	"county_total":         {"Länet (ett värde, ej uppdelat på kön)", "County (one value, not split by sex)"},
	"geo_total":            {"Kommunen (ett värde, ej uppdelat på kön)", "Municipality (one value, not split by sex)"},
	"trend_chart_total":    {"Utveckling i länet (ett värde per år, ej uppdelat på kön)", "Trend in the county (one value per year, not split by sex)"},
	"employer":             {"Arbetsgivare", "Employer"},
	"female_group":         {"Mest kvinnodominerad yrkesgrupp", "Most female-dominated occupation"},
	"male_group":           {"Mest mansdominerad yrkesgrupp", "Most male-dominated occupation"},
	"female_group_s":       {"Kvinnodominerad", "Female-dominated"},
	"male_group_s":         {"Mansdominerad", "Male-dominated"},
	"group":                {"Yrkesgrupp", "Occupation"},
	"n":                    {"Antal", "Number"},
	"share_women":          {"Andel kvinnor, %", "Share of women, %"},
	"value":                {"Värde", "Value"},
	"difference":           {"Skillnad", "Difference"},
	"ci":                   {"95 % konfidensintervall", "95 % confidence interval"},
	"ci_short":             {"95 % KI", "95 % CI"},
	"ci_low":               {"KI nedre", "CI lower"},
	"ci_high":              {"KI övre", "CI upper"},
	"significant":          {"Säkerställd", "Distinguishable"},
	"yes":                  {"Ja", "Yes"},
	"no":                   {"Nej", "No"},
	"female_worse":         {"Kvinnodominerad grupp sämre", "Female-dominated group worse off"},
	"male_worse":           {"Mansdominerad grupp sämre", "Male-dominated group worse off"},
	"wc_summary":           {"Sammanfattning för länet", "County summary"},
	"condition":            {"Arbetsvillkor", "Working condition"},
	"employers":            {"Arbetsgivare", "Employers"},
	"diff_chart":           {"Skillnad med 95 % konfidensintervall", "Difference with 95 % confidence interval"},
	"no_difference":        {"ingen skillnad", "no difference"},
	"no_female_group":      {"Ingen kvinnodominerad yrkesgrupp", "No female-dominated occupation"},
	"no_male_group":        {"Ingen mansdominerad yrkesgrupp", "No male-dominated occupation"},
	"legend_no_group":      {"Kan inte förekomma: arbetsgivaren har ingen yrkesgrupp som uppfyller villkoret (ingen kvinno- respektive mansdominerad grupp med tillräckligt många anställda), så det finns inget att jämföra", "Cannot occur: the employer has no occupation that qualifies (no female- or male-dominated group with enough employees), so there is nothing to compare"},
	"headline":             {"Nyckeltal", "Key figures"},
	"front":                {"Översikt", "Overview"},
	"work_conditions":      {"Arbetsvillkor", "Working conditions"},
	"metadata":             {"Metadata", "Metadata"},
	"chart_data":           {"Diagramdata (K/M-kvot; tom cell = ej publicerad)", "Chart data (W/M ratio; empty cell = not published)"},
	"chart_ratio":          {"K/M-kvot per indikator (1 = lika)", "W/M ratio per indicator (1 = equal)"},
	"parity_line":          {"Jämställdhet", "Parity"},
	"no_indicators":        {"Inga indikatorer är kopplade till målet ännu.", "No indicators are linked to this goal yet."},
	"no_indicators_delmal": {"Inga indikatorer följer upp delmålet ännu.", "No indicators follow up this sub-goal yet."},
	"delmal_indicators":    {"Indikatorer för delmålet", "Indicators for the sub-goal"},
	"compared_years":       {"Jämförelseår", "Years compared"},
	"comparison_year":      {"Jämförelseår", "Comparison year"},
	"comparison_value":     {"Värde jämförelseår", "Value, comparison year"},
	"in_swedish":           {"publicerad på svenska", "published in Swedish"},
	"no_data":              {"Inga uppgifter.", "No data."},
	"kind_pp":              {"procentenheter", "percentage points"},
	"kind_ratio":           {"kvot", "ratio"},
	"kind_mean":            {"skillnad i medelvärde", "difference in means"},
	"page":                 {"Sida", "Page"},
	"threshold":            {"Gräns för dominans", "Dominance threshold"},
	"strategy":             {"Strategi", "Strategy"},
	"not_published":        {"ej publicerad", "not published"},
}

var symbolLegend = map[string][2]string{
	StatusSuppressed:    {"Uppgift saknas, är för osäker eller skyddas av sekretess (färre än %d personer)", "Not available, too uncertain or withheld by disclosure control (fewer than %d persons)"},
	StatusMissing:       {"Bortfall: uppgift saknas i källan", "Missing from the source"},
	StatusNotApplicable: {"Uppgift kan inte förekomma", "Cannot occur"},
}

var directionLabels = map[Direction][2]string{
	Better:    {"i önskad riktning", "in the desired direction"},
	Worse:     {"i oönskad riktning", "in the undesired direction"},
	Unchanged: {"oförändrad", "unchanged"},
	Unknown:   {"kan inte bedömas", "cannot be assessed"},
	Context:   {"sammanhangsindikator, bedöms inte", "context indicator, not assessed"},
}

// directionArrow gives a glyph that does not rely on colour (all in WGL4,
// so Liberation Sans has them in the PDF).
var directionArrow = map[Direction]string{Better: "↑", Worse: "↓", Unchanged: "→", Unknown: "·", Context: "–"}

var delmalTitles = map[int][2]string{
	1: {"En jämn fördelning av makt och inflytande", "Equal distribution of power and influence"},
	2: {"Ekonomisk jämställdhet", "Economic equality"},
	3: {"Jämställd utbildning", "Equal education"},
	4: {"En jämn fördelning av det obetalda hem- och omsorgsarbetet", "Equal distribution of unpaid housework and provision of care"},
	5: {"Jämställd hälsa", "Equal health"},
	6: {"Mäns våld mot kvinnor ska upphöra", "Men's violence against women must stop"},
}

func langIndex(lang string) int {
	if lang == "en" {
		return 1
	}
	return 0
}

// tr returns the label for key in lang; an unknown key is returned as is so
// a missing label shows up in review instead of as an empty cell.
func tr(lang, key string) string {
	if l, ok := labels[key]; ok {
		return l[langIndex(lang)]
	}
	return key
}

// parityLabels word Better and Worse for indicators whose goal is parity.
var parityLabels = map[Direction][2]string{
	Better: {"mot jämställdhet", "toward parity"},
	Worse:  {"från jämställdhet", "away from parity"},
}

func directionLabel(lang string, d Direction, p Polarity) string {
	if l, ok := parityLabels[d]; ok && p == Parity {
		return l[langIndex(lang)]
	}
	l, ok := directionLabels[d]
	if !ok {
		l = directionLabels[Unknown]
	}
	return l[langIndex(lang)]
}

// DelmalTitle is the national sub-goal's name in lang ("" for an unknown number).
func DelmalTitle(lang string, n int) string {
	return delmalTitles[n][langIndex(lang)]
}

func legendText(lang, symbol string, k int) string {
	t := symbolLegend[symbol][langIndex(lang)]
	if strings.Contains(t, "%d") {
		return fmt.Sprintf(t, k)
	}
	return t
}

// FormatNumber writes v with the given decimals the way lang writes
// numbers: Swedish "12 345,6" (no-break space, decimal comma, minus sign
// U+2212) or English "12,345.6".
func FormatNumber(v float64, decimals int, lang string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return StatusSuppressed
	}
	if decimals < 0 {
		decimals = 0
	}
	// Half away from zero, as statistical tables round (strconv would
	// round 0.5 to even).
	p := math.Pow10(decimals)
	s := strconv.FormatFloat(math.Round(math.Abs(v)*p)/p, 'f', decimals, 64)
	neg := v < 0 && strings.Trim(s, "0.") != ""
	intPart, frac, _ := strings.Cut(s, ".")
	thou, dec := "\u00a0", ","
	if lang == "en" {
		thou, dec = ",", "."
	}
	var b strings.Builder
	if neg {
		b.WriteString("\u2212")
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(thou)
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteString(dec)
		b.WriteString(frac)
	}
	return b.String()
}

// formatValue renders a cell: the number, or its status symbol.
func formatValue(v Value, decimals int, lang string) string {
	if !v.Published() {
		return v.Symbol()
	}
	return FormatNumber(*v.V, decimals, lang)
}

// formatSigned renders a change with an explicit sign.
func formatSigned(v float64, decimals int, lang string) string {
	s := FormatNumber(v, decimals, lang)
	if v > 0 && strings.Trim(strconv.FormatFloat(v, 'f', decimals, 64), "0.") != "" {
		return "+" + s
	}
	return s
}
