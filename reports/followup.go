package reports

import (
	"fmt"
	"html/template"
	"io"
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

type goalView struct {
	ID         string
	Text       string
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
	v := &followupView{
		Lang: lang, L: labelMap(lang), CSS: styleSheet,
		Title:    tr(lang, "followup_title") + ": " + r.Strategy.Name,
		Subtitle: fmt.Sprintf("%s · %d", r.County.Name, r.Year),
		Strategy: r.Strategy,
		Method:   buildMethod(lang, r.Method, r.minN(), r.Year),
	}
	used := map[string]bool{}
	byDelmal := map[int][]GoalSection{}
	dset := map[int]bool{}
	for _, g := range r.Goals {
		d := primaryDelmal(g)
		byDelmal[d] = append(byDelmal[d], g)
		dset[d] = true
	}
	for _, d := range sortedInts(dset) {
		dv := delmalView{N: d, Anchor: fmt.Sprintf("delmal-%d", d), Title: DelmalTitle(lang, d)}
		if d == 0 {
			dv.Title = pick(lang == "en", "Övriga mål", "Other goals")
		}
		dv.Summary = SummarySentence(lang, TallyDelmal(r, d), r.Strategy.BaselineYear)
		v.Summary = append(v.Summary, fmt.Sprintf("%s %d. %s: %s", tr(lang, "delmal"), d, dv.Title, dv.Summary))
		for _, g := range byDelmal[d] {
			gv := goalView{ID: g.GoalID, Text: g.Goal, Area: g.Area,
				Summary: SummarySentence(lang, TallyGoal(g), r.Strategy.BaselineYear)}
			if len(g.Delmal) > 1 {
				var also []string
				for _, o := range g.Delmal[1:] {
					also = append(also, fmt.Sprint(o))
				}
				gv.Also = fmt.Sprintf("%s: %s", pick(lang == "en", "Följer även upp delmål", "Also follows up sub-goal"), strings.Join(also, ", "))
			}
			for _, ind := range g.Indicators {
				iv, err := buildIndicator(r, g.GoalID, ind, used)
				if err != nil {
					return nil, fmt.Errorf("goal %s: %w", g.GoalID, err)
				}
				gv.Indicators = append(gv.Indicators, iv)
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

func noteStatus(used map[string]bool, vs ...Value) {
	for _, v := range vs {
		if !v.Published() {
			used[v.Symbol()] = true
		}
	}
}

// ratioOf is the K/M ratio of two published values; unpublished otherwise.
// A ratio of published values reveals nothing withheld.
func ratioOf(w, m Value) Value {
	if !w.Published() || !m.Published() || *m.V == 0 {
		return Value{Status: StatusSuppressed}
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
		return fmt.Sprintf("%s %d: %s", label, first.Year, formatNumber(*first.Value.V, dec, lang))
	}
	return fmt.Sprintf("%s %d: %s, %d: %s", label, first.Year, formatNumber(*first.Value.V, dec, lang), last.Year, formatNumber(*last.Value.V, dec, lang))
}

func trendChart(r *FollowupReport, ind IndicatorSeries) (*Chart, error) {
	lang := langOr(r.Lang)
	var ws, ms []YearValue
	for _, y := range ind.County {
		ws = append(ws, YearValue{y.Year, y.Women})
		ms = append(ms, YearValue{y.Year, y.Men})
	}
	spec := TrendSpec{
		Title:      ind.Title + ", " + r.County.Name,
		ValueLabel: ind.Unit,
		Series:     []TrendSeries{{tr(lang, "women"), ws}, {tr(lang, "men"), ms}},
		Target:     ind.Target,
		Baseline:   r.Strategy.BaselineYear,
		Lang:       lang,
	}
	spec.Desc = seriesDesc(lang, tr(lang, "women"), ws, ind.Decimals) + ". " + seriesDesc(lang, tr(lang, "men"), ms, ind.Decimals) + "."
	return Trend(spec)
}

func dotChart(r *FollowupReport, ind IndicatorSeries) (*Chart, error) {
	lang := langOr(r.Lang)
	spec := DotPlotSpec{
		Title:      fmt.Sprintf("%s, %s %d", ind.Title, pick(lang == "en", "kommunerna", "municipalities"), latestYear(r, ind)),
		ValueLabel: ind.Unit,
		Lang:       lang,
	}
	for _, m := range ind.Municipalities {
		spec.Rows = append(spec.Rows, DotRow{Label: m.Geo.Name, Women: m.Women, Men: m.Men})
	}
	// The county reference lines are the county's value in the same year.
	want := latestYear(r, ind)
	for _, y := range ind.County {
		if y.Year == want {
			spec.CountyWomen, spec.CountyMen = y.Women, y.Men
		}
	}
	spec.Desc = pick(lang == "en",
		fmt.Sprintf("Kvinnors och mäns värden i %d kommuner; streckade linjer visar länets värden.", len(spec.Rows)),
		fmt.Sprintf("Values for women and men in %d municipalities; dashed lines show the county's values.", len(spec.Rows)))
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
