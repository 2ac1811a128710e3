package compare

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/xuri/excelize/v2"
)

// Missing is how a value that is not published is shown in tables and
// sheets (SCB's symbol for "not available / suppressed").
const Missing = ".."

// words are the fixed texts of the outputs in Swedish and English.
var words = map[string]map[string]string{
	"sv": {
		"employees": "anställda", "unclassified": "utan yrkeskod på nivån", "female": "Kvinnodominerad grupp",
		"male": "Mansdominerad grupp", "women": "kvinnor", "condition": "Villkor", "fgroup": "Kvinnogrupp",
		"mgroup": "Mansgrupp", "diff": "Skillnad", "ci": "KI", "ratio": "K/M %", "distinct": "Säkerställd",
		"yes": "ja", "no": "nej", "summary": "Sammanfattning", "county": "län", "employers": "arbetsgivare",
		"compared": "Jämförda", "fworse": "Kvinnogruppen sämre", "mworse": "Mansgruppen sämre",
		"ofwhich": "varav säkerställt", "groups": "Grupper", "settings": "Inställningar", "period": "År",
		"code": "Kod", "name": "Namn", "none": "saknas", "value": "Värde", "status": "Status",
	},
	"en": {
		"employees": "employees", "unclassified": "without a code at the level", "female": "Female-dominated group",
		"male": "Male-dominated group", "women": "women", "condition": "Condition", "fgroup": "Female group",
		"mgroup": "Male group", "diff": "Difference", "ci": "CI", "ratio": "F/M %", "distinct": "Distinguishable",
		"yes": "yes", "no": "no", "summary": "Summary", "county": "county", "employers": "employers",
		"compared": "Compared", "fworse": "Female group worse", "mworse": "Male group worse",
		"ofwhich": "of which distinguishable", "groups": "Groups", "settings": "Settings", "period": "Year",
		"code": "Code", "name": "Name", "none": "none", "value": "Value", "status": "Status",
	},
}

func tr(lang, key string) string {
	if m, ok := words[lang]; ok {
		return m[key]
	}
	return words["sv"][key]
}

// formatNumber writes v with the given decimals, a decimal comma and a
// thin-space thousands separator in Swedish, a point in English.
func formatNumber(v float64, decimals int, lang string) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if s == "-0" || strings.HasPrefix(s, "-0.") && strings.Trim(s[3:], "0") == "" {
		s = s[1:]
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	sep, dec := " ", ","
	if lang == "en" {
		sep, dec = ",", "."
	}
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += dec + frac
	}
	if neg {
		out = "−" + out
	}
	return out
}

func fmtPtr(v *float64, decimals int, lang string) string {
	if v == nil || math.IsNaN(*v) {
		return Missing
	}
	return formatNumber(*v, decimals, lang)
}

func fmtCI(iv *Interval, decimals int, lang string) string {
	if iv == nil {
		return Missing
	}
	return "[" + formatNumber(iv.Lo, decimals, lang) + "; " + formatNumber(iv.Hi, decimals, lang) + "]"
}

func fmtBool(b *bool, lang string) string {
	if b == nil {
		return Missing
	}
	if *b {
		return tr(lang, "yes")
	}
	return tr(lang, "no")
}

// noGroupReason says, in lang, why an employer has no group of a class.
func noGroupReason(e Employer, female bool, minN int, lang string) string {
	class, all, status := "mansdominerad", e.Groups.Mansdominerad, e.MaleStatus
	if female {
		class, all, status = "kvinnodominerad", e.Groups.Kvinnodominerad, e.FemaleStatus
	}
	if lang != "sv" {
		return status
	}
	if all == 0 {
		return "ingen " + class + " grupp"
	}
	return fmt.Sprintf("ingen %s grupp med minst %d anställda (%d mindre)", class, minN, all)
}

func groupLine(g *Group, reason, lang string) string {
	if g == nil {
		return tr(lang, "none") + " (" + reason + ")"
	}
	return fmt.Sprintf("%s %s, n = %d, %s %% %s", g.Code, g.Name, g.N, formatNumber(g.WomenPct, 1, lang), tr(lang, "women"))
}

func condTitle(c Condition, lang string) string {
	t := c.Title(lang)
	if c.Unit != "" {
		t += " (" + c.Unit + ")"
	}
	return t
}

// WriteTable writes the result as plain text: per employer the two groups
// and every condition, then the county summaries.
func WriteTable(w io.Writer, res *Result, lang string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	pct := int(math.Round(100 * res.Options.Confidence))
	for _, e := range res.Employers {
		fmt.Fprintf(tw, "%s  %s %s (%s): %d %s", e.Period, e.Code, e.Name, e.Sector, e.N, tr(lang, "employees"))
		if e.Unclassified > 0 {
			fmt.Fprintf(tw, ", %d %s", e.Unclassified, tr(lang, "unclassified"))
		}
		fmt.Fprintln(tw)
		minN := res.Options.MinN
		fmt.Fprintf(tw, "  %s: %s\n", tr(lang, "female"), groupLine(e.Female, noGroupReason(e, true, minN, lang), lang))
		fmt.Fprintf(tw, "  %s: %s\n", tr(lang, "male"), groupLine(e.Male, noGroupReason(e, false, minN, lang), lang))
		fmt.Fprintf(tw, "  %s\t%s\tn\t%s\tn\t%s\t%d %% %s\t%s\t%s\n", tr(lang, "condition"), tr(lang, "fgroup"), tr(lang, "mgroup"),
			tr(lang, "diff"), pct, tr(lang, "ci"), tr(lang, "ratio"), tr(lang, "distinct"))
		for i, c := range e.Conditions {
			cd := res.Conditions[i]
			ratio := ""
			if cd.hasRatio() {
				ratio = fmtPtr(c.Ratio, 1, lang)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\t%s\n", condTitle(cd, lang),
				fmtPtr(c.Female.Value, cd.Decimals, lang), c.Female.N, fmtPtr(c.Male.Value, cd.Decimals, lang), c.Male.N,
				fmtPtr(c.Diff, cd.Decimals, lang), fmtCI(c.DiffCI, cd.Decimals, lang), ratio, fmtBool(c.Distinguishable, lang))
		}
		fmt.Fprintln(tw)
	}
	for i := 0; i < len(res.Summary); i += len(res.Conditions) {
		s0 := res.Summary[i]
		fmt.Fprintf(tw, "%s %s, %s %s (%d %s)\n", tr(lang, "summary"), s0.Period, tr(lang, "county"), s0.County, s0.Employers, tr(lang, "employers"))
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", tr(lang, "condition"), tr(lang, "compared"), tr(lang, "fworse"), tr(lang, "ofwhich"), tr(lang, "mworse"), tr(lang, "ofwhich"))
		for j, s := range res.Summary[i : i+len(res.Conditions)] {
			fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\n", res.Conditions[j].Title(lang), s.Compared, s.FemaleWorse, s.FemaleWorseDistinct, s.MaleWorse, s.MaleWorseDistinct)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// CSVHeader is the header of WriteCSV: the columns of table comparison.
var CSVHeader = []string{"period", "employer_code", "employer_name", "county_code", "sector", "employees",
	"female_code", "female_name", "female_n", "female_women_pct", "female_group_status",
	"male_code", "male_name", "male_n", "male_women_pct", "male_group_status",
	"condition_id", "kind", "unit", "worse",
	"female_value", "female_value_n", "female_status", "male_value", "male_value_n", "male_status",
	"diff", "diff_lo", "diff_hi", "ratio", "ratio_lo", "ratio_hi", "distinguishable", "female_worse", "method", "status"}

// SummaryCSVHeader is the header of WriteSummaryCSV.
var SummaryCSVHeader = []string{"period", "county_code", "condition_id", "employers", "compared",
	"female_worse", "female_worse_distinguishable", "male_worse", "male_worse_distinguishable"}

func csvF(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func csvB(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func csvIV(iv *Interval) (string, string) {
	if iv == nil {
		return "", ""
	}
	return strconv.FormatFloat(iv.Lo, 'g', -1, 64), strconv.FormatFloat(iv.Hi, 'g', -1, 64)
}

// WriteCSV writes one row per employer, period and condition (machine
// readable: decimal point, empty = not published with the reason in the
// status columns).
func WriteCSV(w io.Writer, res *Result) error {
	cw := csv.NewWriter(w)
	cw.Write(CSVHeader)
	grp := func(g *Group) []string {
		if g == nil {
			return []string{"", "", "", ""}
		}
		return []string{g.Code, g.Name, strconv.Itoa(g.N), strconv.FormatFloat(g.WomenPct, 'g', -1, 64)}
	}
	for _, e := range res.Employers {
		for i, c := range e.Conditions {
			cd := res.Conditions[i]
			rec := []string{e.Period, e.Code, e.Name, e.County, e.Sector, strconv.Itoa(e.N)}
			rec = append(rec, grp(e.Female)...)
			rec = append(rec, e.FemaleStatus)
			rec = append(rec, grp(e.Male)...)
			rec = append(rec, e.MaleStatus, cd.ID, string(cd.Kind), cd.Unit, string(cd.Worse),
				csvF(c.Female.Value), strconv.Itoa(c.Female.N), c.Female.Status, csvF(c.Male.Value), strconv.Itoa(c.Male.N), c.Male.Status,
				csvF(c.Diff))
			lo, hi := csvIV(c.DiffCI)
			rlo, rhi := csvIV(c.RatioCI)
			rec = append(rec, lo, hi, csvF(c.Ratio), rlo, rhi, csvB(c.Distinguishable), csvB(c.FemaleWorse), c.Method, c.Status)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteSummaryCSV writes the county summaries.
func WriteSummaryCSV(w io.Writer, res *Result) error {
	cw := csv.NewWriter(w)
	cw.Write(SummaryCSVHeader)
	for _, s := range res.Summary {
		cw.Write([]string{s.Period, s.County, s.Condition, strconv.Itoa(s.Employers), strconv.Itoa(s.Compared),
			strconv.Itoa(s.FemaleWorse), strconv.Itoa(s.FemaleWorseDistinct), strconv.Itoa(s.MaleWorse), strconv.Itoa(s.MaleWorseDistinct)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes a workbook: the summary, the picked groups, one sheet
// per condition and the settings. Values not published are "..".
func WriteXLSX(w io.Writer, res *Result, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	t := func(k string) string { return tr(lang, k) }
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	var sheetErr error
	put := func(sheet string, row int, vals ...any) {
		for i, v := range vals {
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err == nil {
				err = f.SetCellValue(sheet, cell, v)
			}
			if err != nil && sheetErr == nil {
				sheetErr = fmt.Errorf("xlsx %s row %d: %w", sheet, row, err)
			}
		}
	}
	header := func(sheet string, vals ...any) {
		put(sheet, 1, vals...)
		last, _ := excelize.CoordinatesToCellName(len(vals), 1)
		f.SetCellStyle(sheet, "A1", last, bold)
		f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	}
	num := func(v *float64) any {
		if v == nil || math.IsNaN(*v) {
			return Missing
		}
		return *v
	}
	ivv := func(iv *Interval) (any, any) {
		if iv == nil {
			return Missing, Missing
		}
		return iv.Lo, iv.Hi
	}
	boolv := func(b *bool) any {
		if b == nil {
			return Missing
		}
		return fmtBool(b, lang)
	}

	sum := t("summary")
	f.SetSheetName("Sheet1", sum)
	header(sum, t("period"), t("county"), t("condition"), t("employers"), t("compared"), t("fworse"), t("ofwhich"), t("mworse"), t("ofwhich"))
	titles := map[string]string{}
	for _, c := range res.Conditions {
		titles[c.ID] = condTitle(c, lang)
	}
	for i, s := range res.Summary {
		put(sum, i+2, s.Period, s.County, titles[s.Condition], s.Employers, s.Compared, s.FemaleWorse, s.FemaleWorseDistinct, s.MaleWorse, s.MaleWorseDistinct)
	}

	grp := t("groups")
	f.NewSheet(grp)
	header(grp, t("period"), t("code"), t("name"), t("employees"), t("female"), t("name"), "n", "% "+t("women"), t("status"),
		t("male"), t("name"), "n", "% "+t("women"), t("status"))
	gcols := func(g *Group, status string) []any {
		if g == nil {
			return []any{Missing, Missing, Missing, Missing, status}
		}
		return []any{g.Code, g.Name, g.N, g.WomenPct, ""}
	}
	for i, e := range res.Employers {
		row := []any{e.Period, e.Code, e.Name, e.N}
		row = append(row, gcols(e.Female, e.FemaleStatus)...)
		row = append(row, gcols(e.Male, e.MaleStatus)...)
		put(grp, i+2, row...)
	}

	pct := int(math.Round(100 * res.Options.Confidence))
	for ci, c := range res.Conditions {
		sh := c.ID
		f.NewSheet(sh)
		put(sh, 1, condTitle(c, lang))
		f.SetCellStyle(sh, "A1", "A1", bold)
		cols := []any{t("period"), t("code"), t("name"), t("fgroup"), t("value"), "n", t("mgroup"), t("value"), "n",
			t("diff"), fmt.Sprintf("%d %% %s lo", pct, t("ci")), fmt.Sprintf("%d %% %s hi", pct, t("ci"))}
		if c.hasRatio() {
			cols = append(cols, t("ratio"), t("ratio")+" lo", t("ratio")+" hi")
		}
		cols = append(cols, t("distinct"), t("status"))
		put(sh, 2, cols...)
		last, _ := excelize.CoordinatesToCellName(len(cols), 2)
		f.SetCellStyle(sh, "A2", last, bold)
		for i, e := range res.Employers {
			cm := e.Conditions[ci]
			code := func(g *Group) any {
				if g == nil {
					return Missing
				}
				return g.Code + " " + g.Name
			}
			lo, hi := ivv(cm.DiffCI)
			row := []any{e.Period, e.Code, e.Name, code(e.Female), num(cm.Female.Value), cm.Female.N, code(e.Male), num(cm.Male.Value), cm.Male.N,
				num(cm.Diff), lo, hi}
			if c.hasRatio() {
				rlo, rhi := ivv(cm.RatioCI)
				row = append(row, num(cm.Ratio), rlo, rhi)
			}
			row = append(row, boolv(cm.Distinguishable), cm.Status)
			put(sh, i+3, row...)
		}
	}

	set := t("settings")
	f.NewSheet(set)
	o := res.Options
	rows := [][]any{
		{"run_key", res.RunKey}, {"year", o.Year}, {"county", o.County}, {"level", string(o.Level)},
		{"threshold", o.Threshold}, {"inclusive", o.Inclusive}, {"share_metric", string(o.Share)},
		{"min_n", o.MinN}, {"k", o.K}, {"confidence", o.Confidence}, {"bootstrap", o.Bootstrap}, {"seed", o.Seed},
	}
	for i, r := range rows {
		put(set, i+1, r...)
	}
	if sheetErr != nil {
		return sheetErr
	}
	_, err = f.WriteTo(w)
	return err
}
