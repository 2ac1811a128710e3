package reports

import (
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
)

// followupView is the follow-up report formatted for output. HTML and PDF
// both render from it, so the two always say the same thing.
type followupView struct {
	Lang      string
	L         map[string]string
	CSS       template.CSS
	Title     string
	Subtitle  string
	Strategy  Strategy
	Notices   []string // head the summary, before any figure
	Summary   []string
	Delmal    []delmalView
	Method    methodView
	Legend    []legendRow
	Generated string
}

type delmalView struct {
	N       int
	Anchor  string
	Title   string
	Summary string
	Goals   []goalView
}

// goalView is one section under a delmål: a goal of the strategy, or the
// indicators that follow a priority area or the delmål itself.
type goalView struct {
	Kind       string // "goal", "area" or "delmal"
	ID         string
	Anchor     string
	Label      string // "Mål", "Insatsområde"; "" for the delmål's own indicators
	Text       string
	TextLang   string // language of Text when not the report's (a goal published in Swedish only)
	Intro      string // what the section holds, for areas and the delmål's own indicators
	Area       string
	Also       string // other delmål the goal serves
	Summary    string
	Indicators []indicatorView
}

type indicatorView struct {
	ID, Anchor, Title, Unit, Description string
	Source                               string
	Measure                              string
	BaselineYear, LatestYear             string
	Baseline, Latest, Change             string
	Direction, Arrow, DirClass           string
	Trend, Dots                          *Chart
	TrendCaption                         string
	TrendSVG, DotsSVG                    template.HTML
	CountyCaption                        string
	CountyRows                           [][]cell // year, K, M, T, K/M
	MunCaption                           string
	MunRows                              []munRow
}

type munRow struct {
	Name  string
	Cells []cell // K, M, T, K/M
	Dir   string
}

func (r *FollowupReport) minN() int { return minN(r.MinN) }

// buildFollowup formats the report and builds its charts.
func buildFollowup(r *FollowupReport) (*followupView, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	lang := langOr(r.Lang)
	en := lang == "en"
	v := &followupView{
		Lang: lang, L: labelMap(lang), CSS: styleSheet,
		Title:    tr(lang, "followup_title") + ": " + r.Strategy.Name,
		Subtitle: fmt.Sprintf("%s · %d", r.County.Name, r.Year),
		Strategy: r.Strategy,
		Notices:  r.Notices,
		Method:   buildMethod(lang, r.Method, r.minN(), r.Year),
	}
	v.Method.Comparison = comparisonNotes(lang, r)
	used := map[string]bool{}
	byDelmal := map[int][]GoalSection{}
	groups := map[int][]IndicatorGroup{}
	dset := map[int]bool{}
	for _, g := range r.Goals {
		d := primaryDelmal(g)
		byDelmal[d] = append(byDelmal[d], g)
		dset[d] = true
	}
	for _, g := range r.Groups {
		groups[g.Delmal] = append(groups[g.Delmal], g)
		dset[g.Delmal] = true
	}
	if t := TallyReport(r); t.Total+t.Context > 0 {
		v.Summary = append(v.Summary, pick(en, "Hela strategin: ", "Overall: ")+SummarySentence(lang, t))
	}
	for _, d := range sortedInts(dset) {
		dv := delmalView{N: d, Anchor: fmt.Sprintf("delmal-%d", d), Title: DelmalTitle(lang, d)}
		if d == 0 {
			dv.Title = pick(en, "Övriga mål", "Other goals")
		}
		if t := TallyDelmal(r, d); t.Total+t.Context > 0 {
			dv.Summary = SummarySentence(lang, t)
		} else {
			dv.Summary = tr(lang, "no_indicators_delmal")
		}
		v.Summary = append(v.Summary, fmt.Sprintf("%s %d. %s: %s", tr(lang, "delmal"), d, dv.Title, dv.Summary))
		for _, g := range byDelmal[d] {
			gv := goalView{Kind: "goal", ID: g.GoalID, Anchor: "goal-" + g.GoalID, Label: tr(lang, "goal"), Text: g.Goal, TextLang: g.GoalLang,
				Area: g.Area, Summary: SummarySentence(lang, TallyGoal(g))}
			if len(g.Delmal) > 1 {
				var also []string
				for _, o := range g.Delmal[1:] {
					also = append(also, fmt.Sprint(o))
				}
				gv.Also = fmt.Sprintf("%s: %s", pick(en, "Följer även upp delmål", "Also follows up sub-goal"), strings.Join(also, ", "))
			}
			if err := addIndicators(r, &gv, g.GoalID, g.Indicators, used); err != nil {
				return nil, err
			}
			dv.Goals = append(dv.Goals, gv)
		}
		for _, g := range groups[d] {
			gv := goalView{Summary: SummarySentence(lang, TallyGroup(g))}
			if g.AreaID != "" {
				gv.Kind, gv.ID, gv.Anchor = "area", g.AreaID, fmt.Sprintf("area-%s-%d", g.AreaID, d)
				gv.Label, gv.Text = tr(lang, "area"), g.Area
				gv.Intro = pick(en, "Indikatorer som följer upp insatsområdet utan att vara kopplade till ett enskilt mål i strategin.",
					"Indicators that follow up the priority area without being linked to one of the strategy's goals.")
			} else {
				gv.Kind, gv.ID, gv.Anchor = "delmal", fmt.Sprintf("delmal-%d-indikatorer", d), fmt.Sprintf("delmal-%d-indikatorer", d)
				gv.Text = tr(lang, "delmal_indicators")
				gv.Intro = pick(en, "Indikatorer som följer upp delmålet utan att vara kopplade till ett av strategins mål.",
					"Indicators that follow up the sub-goal without being linked to one of the strategy's goals.")
			}
			if err := addIndicators(r, &gv, gv.Anchor, g.Indicators, used); err != nil {
				return nil, err
			}
			dv.Goals = append(dv.Goals, gv)
		}
		v.Delmal = append(v.Delmal, dv)
	}
	v.Summary = append(v.Summary, r.Summary...)
	v.Legend = legendRows(lang, r.minN(), used)
	v.Generated = generatedText(lang, r.Generated, r.Version)
	return v, nil
}

func addIndicators(r *FollowupReport, gv *goalView, key string, inds []IndicatorSeries, used map[string]bool) error {
	for _, ind := range inds {
		iv, err := buildIndicator(r, key, ind, used)
		if err != nil {
			return fmt.Errorf("%s %s: %w", gv.Kind, key, err)
		}
		gv.Indicators = append(gv.Indicators, iv)
	}
	return nil
}

// comparisonNotes say which years the directions actually compare, and
// why they differ from the strategy's baseline year where they do.
func comparisonNotes(lang string, r *FollowupReport) []string {
	en := lang == "en"
	by := r.Strategy.BaselineYear
	var out []string
	if by > 0 {
		out = append(out, fmt.Sprintf(pick(en,
			"Utvecklingen mäts från strategins basår %d. Saknas värde för basåret före det senaste året med värde används närmaste år som har ett; det år som faktiskt jämförs anges vid varje indikator (jämförelseår) och i sammanfattningarna. Riktningen bedöms på indikatorns uppföljda mått: för jämställdhetsindikatorer räknas en minskad skillnad mellan kvinnor och män, eller ett värde närmare paritetsmålet, som en rörelse mot jämställdhet. Förändringar inom indikatorns tolerans räknas som oförändrade.",
			"Change is measured from the strategy's baseline year %d. Where the baseline year has no value before the latest year with one, the nearest year that has one is used; the year actually compared is given with each indicator (comparison year) and in the summaries. Direction is judged on the indicator's followed measure: for parity indicators a smaller gap between women and men, or a value closer to the parity target, counts as a move toward parity. Changes within the indicator's tolerance count as unchanged."), by))
	}
	t := TallyReport(r)
	if t.Assessed() == 0 {
		return out
	}
	type pair struct {
		years [2]int
		n     int
	}
	var ps []pair
	off, offLater := 0, 0
	for k, n := range t.Compared {
		ps = append(ps, pair{k, n})
		if by > 0 && k[0] != by {
			off += n
			if k[1] > by {
				offLater += n
			}
		}
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].n != ps[j].n {
			return ps[i].n > ps[j].n
		}
		return ps[i].years[0] > ps[j].years[0] || ps[i].years[0] == ps[j].years[0] && ps[i].years[1] > ps[j].years[1]
	})
	var parts []string
	for _, p := range ps {
		parts = append(parts, fmt.Sprintf("%d → %d (%d %s)", p.years[0], p.years[1], p.n,
			pick(en, plural(p.n, "indikator", "indikatorer"), plural(p.n, "indicator", "indicators"))))
	}
	s := fmt.Sprintf(pick(en, "Jämförda år i den här rapporten: %s.", "Years compared in this report: %s."), joinAnd(lang, parts))
	switch {
	case off == 0:
	case offLater == 0:
		who := fmt.Sprintf(pick(en, "%d av de %d bedömda indikatorerna", "%d of the %d indicators assessed"), off, t.Assessed())
		if off == t.Assessed() {
			who = pick(en, "alla bedömda indikatorer", "every indicator assessed")
		}
		s += fmt.Sprintf(pick(en,
			" Strategins basår %d är det senaste året med uppgifter för %s, så utvecklingen från basåret kan ännu inte mätas; i stället jämförs det senaste året med närmaste tidigare år med värde.",
			" The strategy's baseline year %d is the latest year with figures for %s, so change since the baseline cannot be measured yet; the latest year is compared with the nearest earlier year with a value instead."),
			by, who)
	default:
		s += fmt.Sprintf(pick(en,
			" För %d av de %d bedömda indikatorerna saknas värde för strategins basår %d före det senaste året; för dem jämförs med närmaste år som har ett värde.",
			" For %d of the %d indicators assessed the strategy's baseline year %d has no value before the latest year; they are compared with the nearest year that has one."),
			off, t.Assessed(), by)
	}
	return append(out, s)
}

func noteStatus(used map[string]bool, vs ...Value) {
	for _, v := range vs {
		if !v.Published() {
			used[v.Symbol()] = true
		}
	}
}

// ratioOf is the K/M ratio of two published values. A ratio of published
// values reveals nothing withheld. Where women or men cannot occur (an
// indicator with one value per geography) or men's value is 0 the ratio
// cannot occur either: "."; beside a withheld value it is "..".
func ratioOf(w, m Value) Value {
	switch {
	case w.Status == StatusNotApplicable || m.Status == StatusNotApplicable:
		return notApplicable
	case !w.Published() || !m.Published():
		return Value{Status: StatusSuppressed}
	case *m.V == 0:
		return notApplicable
	}
	return Num(*w.V / *m.V, 0)
}

func withUnit(title, unit string) string {
	if unit == "" {
		return title
	}
	return title + " (" + unit + ")"
}

func buildIndicator(r *FollowupReport, goalID string, ind IndicatorSeries, used map[string]bool) (indicatorView, error) {
	lang := langOr(r.Lang)
	dec := ind.Decimals
	// An indicator may follow up several goals: anchors carry the goal.
	iv := indicatorView{ID: ind.ID, Anchor: "ind-" + goalID + "-" + ind.ID, Title: ind.Title, Unit: ind.Unit, Description: ind.Description, Source: ind.Source, Measure: ind.Measure}
	if iv.Measure == "" {
		iv.Measure = withUnit(tr(lang, "total"), ind.Unit)
	}
	if ind.Baseline.Year > 0 {
		iv.BaselineYear = fmt.Sprint(ind.Baseline.Year)
	}
	if ind.Latest.Year > 0 {
		iv.LatestYear = fmt.Sprint(ind.Latest.Year)
	}
	iv.Baseline = formatValue(ind.Baseline.Value, dec, lang)
	iv.Latest = formatValue(ind.Latest.Value, dec, lang)
	iv.Change = StatusSuppressed
	if ind.Baseline.Value.Published() && ind.Latest.Value.Published() {
		iv.Change = formatSigned(*ind.Latest.Value.V-*ind.Baseline.Value.V, dec, lang)
	}
	noteStatus(used, ind.Baseline.Value, ind.Latest.Value)
	iv.Direction = directionLabel(lang, ind.Direction, ind.Polarity)
	iv.Arrow = directionArrow[ind.Direction]
	iv.DirClass = "dir-" + string(ind.Direction)

	if len(ind.County) > 0 {
		c, err := trendChart(r, ind)
		if err != nil {
			return iv, err
		}
		iv.Trend = c
		iv.CountyCaption = fmt.Sprintf("%s, %s: %s", r.County.Name, strings.ToLower(tr(lang, "women")+" "+pick(lang == "en", "och män", "and men")), withUnit(ind.Title, ind.Unit))
		iv.TrendCaption = tr(lang, "trend_chart")
		if totalOnly(ind) {
			iv.CountyCaption = fmt.Sprintf("%s: %s", r.County.Name, withUnit(ind.Title, ind.Unit))
			iv.TrendCaption = tr(lang, "trend_chart_total")
		}
		for _, y := range ind.County {
			noteStatus(used, y.Women, y.Men, y.Total)
			iv.CountyRows = append(iv.CountyRows, []cell{{Text: fmt.Sprint(y.Year)},
				numCell(y.Women, dec, lang), numCell(y.Men, dec, lang), numCell(y.Total, dec, lang), numCell(ratioOf(y.Women, y.Men), 2, lang)})
		}
	}
	if len(ind.Municipalities) > 0 {
		c, err := dotChart(r, ind)
		if err != nil {
			return iv, err
		}
		iv.Dots = c
		iv.MunCaption = fmt.Sprintf("%s %d: %s", pick(lang == "en", "Kommunerna", "Municipalities"), latestYear(r, ind), withUnit(ind.Title, ind.Unit))
		for _, m := range ind.Municipalities {
			noteStatus(used, m.Women, m.Men, m.Total)
			iv.MunRows = append(iv.MunRows, munRow{Name: m.Geo.Name,
				Cells: []cell{numCell(m.Women, dec, lang), numCell(m.Men, dec, lang), numCell(m.Total, dec, lang), numCell(ratioOf(m.Women, m.Men), 2, lang)},
				Dir:   directionArrow[m.Direction] + " " + directionLabel(lang, m.Direction, ind.Polarity)})
		}
	}
	return iv, nil
}

func latestYear(r *FollowupReport, ind IndicatorSeries) int {
	if ind.Latest.Year > 0 {
		return ind.Latest.Year
	}
	return r.Year
}

// seriesDesc is a chart's text alternative: first and last published value
// of each series.
func seriesDesc(lang, label string, pts []YearValue, dec int) string {
	var first, last *YearValue
	for i := range pts {
		if pts[i].Value.Published() {
			if first == nil {
				first = &pts[i]
			}
			last = &pts[i]
		}
	}
	if first == nil {
		return label + ": " + StatusSuppressed
	}
	if first == last {
		return fmt.Sprintf("%s %d: %s", label, first.Year, FormatNumber(*first.Value.V, dec, lang))
	}
	return fmt.Sprintf("%s %d: %s, %d: %s", label, first.Year, FormatNumber(*first.Value.V, dec, lang), last.Year, FormatNumber(*last.Value.V, dec, lang))
}

// totalOnly reports whether an indicator has no published value for women
// or men anywhere but has totals: an indicator with one value per
// geography (a share of women, a K/M ratio). Its charts plot the total.
func totalOnly(ind IndicatorSeries) bool {
	sexes, totals := false, false
	for _, y := range ind.County {
		sexes = sexes || y.Women.Published() || y.Men.Published()
		totals = totals || y.Total.Published()
	}
	for _, m := range ind.Municipalities {
		sexes = sexes || m.Women.Published() || m.Men.Published()
		totals = totals || m.Total.Published()
	}
	return totals && !sexes
}

func trendChart(r *FollowupReport, ind IndicatorSeries) (*Chart, error) {
	lang := langOr(r.Lang)
	spec := TrendSpec{
		Title:      ind.Title + ", " + r.County.Name,
		ValueLabel: ind.Unit,
		Target:     ind.Target,
		Baseline:   r.Strategy.BaselineYear,
		Lang:       lang,
	}
	if totalOnly(ind) {
		var ts []YearValue
		for _, y := range ind.County {
			ts = append(ts, YearValue{y.Year, y.Total})
		}
		spec.Series = []TrendSeries{{Label: tr(lang, "county_total"), Points: ts, Total: true}}
		spec.Desc = seriesDesc(lang, tr(lang, "county_total"), ts, ind.Decimals) + "."
		return Trend(spec)
	}
	var ws, ms []YearValue
	for _, y := range ind.County {
		ws = append(ws, YearValue{y.Year, y.Women})
		ms = append(ms, YearValue{y.Year, y.Men})
	}
	spec.Series = []TrendSeries{{Label: tr(lang, "women"), Points: ws}, {Label: tr(lang, "men"), Points: ms}}
	spec.Desc = seriesDesc(lang, tr(lang, "women"), ws, ind.Decimals) + ". " + seriesDesc(lang, tr(lang, "men"), ms, ind.Decimals) + "."
	return Trend(spec)
}

func dotChart(r *FollowupReport, ind IndicatorSeries) (*Chart, error) {
	lang := langOr(r.Lang)
	spec := DotPlotSpec{
		Title:      fmt.Sprintf("%s, %s %d", ind.Title, pick(lang == "en", "kommunerna", "municipalities"), latestYear(r, ind)),
		ValueLabel: ind.Unit,
		ShowTotal:  totalOnly(ind),
		Lang:       lang,
	}
	for _, m := range ind.Municipalities {
		spec.Rows = append(spec.Rows, DotRow{Label: m.Geo.Name, Women: m.Women, Men: m.Men, Total: m.Total})
	}
	// The county reference lines are the county's value in the same year.
	want := latestYear(r, ind)
	for _, y := range ind.County {
		if y.Year == want {
			spec.CountyWomen, spec.CountyMen, spec.CountyTotal = y.Women, y.Men, y.Total
		}
	}
	if spec.ShowTotal {
		spec.Desc = pick(lang == "en",
			fmt.Sprintf("Ett värde per kommun (ej uppdelat på kön) i %d kommuner; den streckade linjen visar länets värde.", len(spec.Rows)),
			fmt.Sprintf("One value per municipality (not split by sex) in %d municipalities; the dashed line shows the county's value.", len(spec.Rows)))
	} else {
		spec.Desc = pick(lang == "en",
			fmt.Sprintf("Kvinnors och mäns värden i %d kommuner; streckade linjer visar länets värden.", len(spec.Rows)),
			fmt.Sprintf("Values for women and men in %d municipalities; dashed lines show the county's values.", len(spec.Rows)))
	}
	return DotPlot(spec)
}

// WriteFollowupHTML writes the follow-up report as one self-contained HTML
// page: inline CSS (with a print stylesheet) and inline SVG charts, no
// external assets.
func WriteFollowupHTML(w io.Writer, r *FollowupReport) error {
	v, err := buildFollowup(r)
	if err != nil {
		return err
	}
	for di := range v.Delmal {
		for gi := range v.Delmal[di].Goals {
			inds := v.Delmal[di].Goals[gi].Indicators
			for ii := range inds {
				if inds[ii].TrendSVG, err = svgHTML(inds[ii].Trend); err != nil {
					return err
				}
				if inds[ii].DotsSVG, err = svgHTML(inds[ii].Dots); err != nil {
					return err
				}
			}
		}
	}
	return execTemplate(w, "followup.html", v)
}
