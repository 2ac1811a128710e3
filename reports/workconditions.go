package reports

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// workView is the working-conditions report formatted for output.
type workView struct {
	Lang       string
	L          map[string]string
	CSS        template.CSS
	Title      string
	Subtitle   string
	Notices    []string // head the summary, before any figure
	Intro      string
	Summary    *Chart
	SummarySVG template.HTML
	SumRows    [][]cell // condition, compared, female worse, of which distinguishable, male worse, equal
	Conditions []conditionView
	Employers  []employerView
	Method     methodView
	Legend     []legendRow
	Generated  string
}

type conditionView struct {
	ID, Title, Sentence string
	Bars, CI            *Chart
	BarsSVG, CISVG      template.HTML
}

type employerView struct {
	Code, Name, Anchor string
	Rows               []employerRow
}

type employerRow struct {
	Condition    string
	FemaleGroup  string
	FemaleN      string
	FemaleValue  cell
	MaleGroup    string
	MaleN        string
	MaleValue    cell
	Difference   cell
	CI           cell
	Significance string
}

// countText shows a group's head count: "." when the employer has no
// qualifying group (there is nothing to count), ".." when it is below k (a
// count of fewer than k persons is itself a small cell).
func countText(g Group, k int) string {
	if g.absent() {
		return StatusNotApplicable
	}
	if g.N < k {
		return StatusSuppressed
	}
	return fmt.Sprint(g.N)
}

// absent reports that the employer has no qualifying group on this side
// (no female- or male-dominated occupation with enough employees): its
// cells cannot occur, which is "." and not "..".
func (g Group) absent() bool { return g.Code == "" && g.Name == "" }

// noGroupLabel names the missing group in place of its code and name.
func noGroupLabel(lang string, female bool) string {
	if female {
		return tr(lang, "no_female_group")
	}
	return tr(lang, "no_male_group")
}

// comparedCell is a difference or its interval: "." when a group is
// absent (no comparison can exist), else the number or "..".
func comparedCell(f, m Group, c cell) cell {
	if f.absent() || m.absent() {
		return cell{Text: StatusNotApplicable, Class: "num sup"}
	}
	return c
}

func groupLabel(g Group) string {
	if g.Code == "" {
		return g.Name
	}
	if g.Name == "" {
		return g.Code
	}
	return g.Code + " " + g.Name
}

// diffUnit names a condition's difference: percentage points, a ratio, or
// the condition's unit.
func diffUnit(lang string, k ConditionKind, unit string) string {
	switch k {
	case KindPP:
		return tr(lang, "kind_pp")
	case KindRatio:
		return tr(lang, "kind_ratio")
	}
	return unit
}

func diffDecimals(k ConditionKind, dec int) int {
	if k == KindRatio {
		return 2
	}
	return dec
}

func ciText(lo, hi *float64, dec int, lang string) cell {
	if lo == nil || hi == nil {
		return cell{Text: StatusSuppressed, Class: "num sup"}
	}
	sep := " – "
	return cell{Text: FormatNumber(*lo, dec, lang) + sep + FormatNumber(*hi, dec, lang), Class: "num"}
}

func yesNo(lang string, b bool, have bool) string {
	if !have {
		return StatusSuppressed
	}
	if b {
		return tr(lang, "yes")
	}
	return tr(lang, "no")
}

func buildWork(r *WorkConditionsReport) (*workView, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	lang := langOr(r.Lang)
	k := minN(r.MinN)
	v := &workView{Lang: lang, L: labelMap(lang), CSS: styleSheet,
		Title:    tr(lang, "wc_title"),
		Subtitle: fmt.Sprintf("%s · %d", r.County.Name, r.Year),
		Notices:  r.Notices,
		Method:   buildMethod(lang, r.Method, k, r.Year),
	}
	if lang == "en" {
		v.Intro = fmt.Sprintf("For every employer, the most female-dominated occupation is compared with the most male-dominated one (a group is dominated by one sex when more than %s %% are of that sex). Differences are the female-dominated group's value minus the male-dominated group's, or their ratio, with a 95 %% confidence interval.", FormatNumber(r.Threshold, decimalsFor(r.Threshold), lang))
	} else {
		v.Intro = fmt.Sprintf("Hos varje arbetsgivare jämförs den mest kvinnodominerade yrkesgruppen med den mest mansdominerade (en grupp är dominerad av ett kön när mer än %s %% tillhör det könet). Skillnaden är den kvinnodominerade gruppens värde minus den mansdominerade gruppens, eller kvoten mellan dem, med 95 %% konfidensintervall.", FormatNumber(r.Threshold, decimalsFor(r.Threshold), lang))
	}
	used := map[string]bool{}
	sums := SummarizeConditions(r)
	for i, c := range r.Conditions {
		s := sums[i]
		v.SumRows = append(v.SumRows, []cell{{Text: c.Title}, {Text: fmt.Sprint(s.Compared), Class: "num"},
			{Text: fmt.Sprint(s.FemaleWorse), Class: "num"}, {Text: fmt.Sprint(s.FemaleWorseDistinguishable), Class: "num"},
			{Text: fmt.Sprint(s.MaleWorse), Class: "num"}, {Text: fmt.Sprint(s.Equal), Class: "num"}})
		cv := conditionView{ID: c.ID, Title: c.Title, Sentence: ConditionSentence(lang, s)}
		var err error
		if cv.Bars, err = conditionBars(r, c); err != nil {
			return nil, err
		}
		if cv.CI, err = conditionCI(r, c); err != nil {
			return nil, err
		}
		v.Conditions = append(v.Conditions, cv)
	}
	if len(r.Conditions) > 0 {
		var err error
		if v.Summary, err = summaryChart(r); err != nil {
			return nil, err
		}
	}
	// Tables per employer, in the order employers first appear.
	idx := map[string]int{}
	for _, c := range r.Conditions {
		dd := diffDecimals(c.Kind, c.Decimals)
		for _, e := range c.Employers {
			i, ok := idx[e.Code]
			if !ok {
				i = len(v.Employers)
				idx[e.Code] = i
				v.Employers = append(v.Employers, employerView{Code: e.Code, Name: e.Name, Anchor: "emp-" + e.Code})
			}
			noteStatus(used, e.FemaleGroup.Value, e.MaleGroup.Value)
			row := employerRow{
				Condition:    withUnit(c.Title, c.Unit),
				FemaleGroup:  groupLabel(e.FemaleGroup),
				FemaleN:      countText(e.FemaleGroup, k),
				FemaleValue:  numCell(e.FemaleGroup.Value, c.Decimals, lang),
				MaleGroup:    groupLabel(e.MaleGroup),
				MaleN:        countText(e.MaleGroup, k),
				MaleValue:    numCell(e.MaleGroup.Value, c.Decimals, lang),
				Difference:   comparedCell(e.FemaleGroup, e.MaleGroup, ptrCell(e.Difference, dd, lang)),
				CI:           comparedCell(e.FemaleGroup, e.MaleGroup, ciText(e.CILow, e.CIHigh, dd, lang)),
				Significance: yesNo(lang, e.Distinguishable, e.Difference != nil),
			}
			if e.FemaleGroup.absent() {
				row.FemaleGroup = noGroupLabel(lang, true)
			}
			if e.MaleGroup.absent() {
				row.MaleGroup = noGroupLabel(lang, false)
			}
			if e.FemaleGroup.absent() || e.MaleGroup.absent() {
				row.Significance = StatusNotApplicable
				used[StatusNotApplicable] = true
			}
			v.Employers[i].Rows = append(v.Employers[i].Rows, row)
		}
	}
	v.Legend = workLegend(legendRows(lang, k, used), lang)
	v.Generated = generatedText(lang, r.Generated, r.Version)
	return v, nil
}

// workLegend words "." for the working-conditions tables, where it marks
// an employer without a qualifying group, apart from ".." (withheld).
func workLegend(rows []legendRow, lang string) []legendRow {
	for i := range rows {
		if rows[i].Symbol == StatusNotApplicable {
			rows[i].Text = tr(lang, "legend_no_group")
		}
	}
	return rows
}

func conditionBars(r *WorkConditionsReport, c Condition) (*Chart, error) {
	lang := langOr(r.Lang)
	spec := GroupedBarsSpec{
		Title:      c.Title,
		ValueLabel: c.Unit,
		Horizontal: true,
		Lang:       lang,
		Series:     []BarSeries{{Label: tr(lang, "female_group")}, {Label: tr(lang, "male_group")}},
	}
	for _, e := range c.Employers {
		spec.Categories = append(spec.Categories, e.Name)
		spec.Series[0].Values = append(spec.Series[0].Values, e.FemaleGroup.Value)
		spec.Series[1].Values = append(spec.Series[1].Values, e.MaleGroup.Value)
	}
	spec.Desc = pick(lang == "en",
		fmt.Sprintf("Den mest kvinnodominerade och den mest mansdominerade yrkesgruppen hos %d arbetsgivare.", len(c.Employers)),
		fmt.Sprintf("The most female- and the most male-dominated occupation at %d employers.", len(c.Employers)))
	return GroupedBars(spec)
}

func conditionCI(r *WorkConditionsReport, c Condition) (*Chart, error) {
	lang := langOr(r.Lang)
	spec := CISpec{
		Title:      c.Title + ": " + strings.ToLower(tr(lang, "diff_chart")),
		ValueLabel: tr(lang, "difference") + " (" + diffUnit(lang, c.Kind, c.Unit) + ")",
		Neutral:    neutral(c.Kind),
		Lang:       lang,
	}
	for _, e := range c.Employers {
		spec.Rows = append(spec.Rows, CIRow{Label: e.Name, Value: e.Difference, Low: e.CILow, High: e.CIHigh, Distinguishable: e.Distinguishable})
	}
	spec.Desc = pick(lang == "en",
		"Punkten är skillnaden mellan grupperna, strecket dess 95 % konfidensintervall; fylld punkt = säkerställd skillnad.",
		"The dot is the difference between the groups, the line its 95 % confidence interval; filled dot = distinguishable difference.")
	return CIChart(spec)
}

func summaryChart(r *WorkConditionsReport) (*Chart, error) {
	lang := langOr(r.Lang)
	sums := SummarizeConditions(r)
	spec := GroupedBarsSpec{
		Title:      tr(lang, "wc_summary") + ": " + r.County.Name + " " + fmt.Sprint(r.Year),
		ValueLabel: tr(lang, "employers"),
		Horizontal: true,
		Lang:       lang,
		Series:     []BarSeries{{Label: tr(lang, "female_worse")}, {Label: tr(lang, "male_worse")}},
	}
	var parts []string
	for _, s := range sums {
		spec.Categories = append(spec.Categories, s.Title)
		spec.Series[0].Values = append(spec.Series[0].Values, Num(float64(s.FemaleWorse), 0))
		spec.Series[1].Values = append(spec.Series[1].Values, Num(float64(s.MaleWorse), 0))
		parts = append(parts, fmt.Sprintf("%s %d/%d", s.Title, s.FemaleWorse, s.Compared))
	}
	spec.Desc = pick(lang == "en", "Antal arbetsgivare där den kvinnodominerade gruppen är sämre ställd: ", "Employers where the female-dominated group is worse off: ") + strings.Join(parts, "; ") + "."
	return GroupedBars(spec)
}

// WriteWorkConditionsHTML writes the working-conditions report as one
// self-contained HTML page.
func WriteWorkConditionsHTML(w io.Writer, r *WorkConditionsReport) error {
	v, err := buildWork(r)
	if err != nil {
		return err
	}
	if v.SummarySVG, err = svgHTML(v.Summary); err != nil {
		return err
	}
	for i := range v.Conditions {
		if v.Conditions[i].BarsSVG, err = svgHTML(v.Conditions[i].Bars); err != nil {
			return err
		}
		if v.Conditions[i].CISVG, err = svgHTML(v.Conditions[i].CI); err != nil {
			return err
		}
	}
	return execTemplate(w, "arbetsvillkor.html", v)
}
