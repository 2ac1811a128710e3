package server

import (
	"context"
	"database/sql"
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/jamstat/jamstat/analysis/compare"
	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/reports"
)

// The county page: the working-conditions comparison ("Hur jämställda är
// arbetsvillkoren?") from the tables jamstat compare fills, its county
// summary and per employer, and the county's municipalities.

type summaryRow struct {
	Title                                                                       string
	Employers, Compared, FemaleWorse, FemaleWorseDist, MaleWorse, MaleWorseDist int
}

type condRow struct {
	Title, Unit  string
	Female, Male cellView
	Diff         cellView
	CI, Dist     string
}

type employerView struct {
	Code, Name   string
	Employees    string
	Female, Male string
	Rows         []condRow
}

type countyPageView struct {
	Name, Code, URL, RegionName string
	IndicatorsURL               string
	Year                        string
	Periods                     []yearOpt
	Settings                    string
	Summary                     []summaryRow
	Chart                       template.HTML
	Employers                   []employerView
	Kommuner                    []linkView
}

func (s *Server) handleCounty(w http.ResponseWriter, r *http.Request) {
	g, err := geoByParam(r.PathValue("code"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if g.Kind != data.KindRegion {
		s.writeError(w, r, errNotFound("%s is not a county", g.Code))
		return
	}
	year, lang, err := pageQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.serveCached(w, r, "county|"+g.Code+"|"+year+"|"+lang, func(h *handle) (*entry, error) {
		view, err := buildCountyView(r.Context(), h, g, year, lang)
		if err != nil {
			return nil, err
		}
		b, err := renderPage("lan", s.newPage(r, lang, view.Name, h.version, view))
		if err != nil {
			return nil, err
		}
		return htmlEntry(b), nil
	})
}

type runInfo struct {
	key, period, level, metric string
	threshold                  float64
	inclusive                  bool
	minN, k                    int
}

func conditionTitles(lang string) map[string]compare.Condition {
	out := map[string]compare.Condition{}
	conds, err := compare.DefaultConditions()
	if err != nil {
		return out
	}
	for _, c := range conds {
		out[c.ID] = c
	}
	return out
}

func buildCountyView(ctx context.Context, h *handle, g data.Geo, year, lang string) (*countyPageView, error) {
	L := labelsFor(lang)
	v := &countyPageView{Name: geoName(g, lang), Code: g.Code, URL: "/lan/" + g.Code, RegionName: g.RegionName,
		IndicatorsURL: withLang("/lan/"+g.Code+"/indikatorer", lang)}
	geos, err := data.Geos()
	if err != nil {
		return nil, err
	}
	for _, k := range geos {
		if k.Kind == data.KindKommun && k.CountyCode == g.Code {
			v.Kommuner = append(v.Kommuner, linkView{Code: k.Code, Name: k.Name, URL: withLang("/kommun/"+k.Code, lang)})
		}
	}
	runs, err := countyRuns(ctx, h.db.SQL, g.Code)
	if err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		if year != "" {
			return nil, errNotFound("no comparison for %s in %s", g.Name, year)
		}
		return v, nil
	}
	var run *runInfo
	seen := map[string]bool{}
	for i := range runs {
		if year == "" {
			year = runs[i].period
		}
		if runs[i].period == year && run == nil {
			run = &runs[i]
		}
		if !seen[runs[i].period] {
			seen[runs[i].period] = true
			v.Periods = append(v.Periods, yearOpt{Value: runs[i].period})
		}
	}
	if run == nil {
		return nil, errNotFound("no comparison for %s in %s", g.Name, year)
	}
	for i := range v.Periods {
		v.Periods[i].Selected = v.Periods[i].Value == year
	}
	v.Year = year
	rel := ">"
	if run.inclusive {
		rel = "≥"
	}
	v.Settings = fmt.Sprintf("%s %s %s %%, %s %s, %s %d, k = %d", L["threshold"], rel, fmtNum(run.threshold, 0, lang),
		L["level"], strings.ToUpper(run.level), L["min_group"], run.minN, run.k)

	conds := conditionTitles(lang)
	title := func(id string) string {
		if c, ok := conds[id]; ok {
			return c.Title(lang)
		}
		return id
	}
	if err := countySummary(ctx, h.db.SQL, run, g.Code, title, v); err != nil {
		return nil, err
	}
	if len(v.Summary) > 0 {
		var cats []string
		var fw, mw []reports.Value
		for _, s := range v.Summary {
			cats = append(cats, s.Title)
			fw = append(fw, reports.Num(float64(s.FemaleWorse), 0))
			mw = append(mw, reports.Num(float64(s.MaleWorse), 0))
		}
		svg, err := reports.GroupedBarsSVG(reports.GroupedBarsSpec{
			Title: L["wc_chart"], Desc: L["wc_summary"] + " " + v.Name + " " + year, ValueLabel: L["employers"],
			Categories: cats, Horizontal: true, Lang: lang,
			Series: []reports.BarSeries{{Label: L["female_worse"], Values: fw}, {Label: L["male_worse"], Values: mw}},
		})
		if err != nil {
			return nil, fmt.Errorf("county chart: %w", err)
		}
		v.Chart = template.HTML(svg)
	}
	if err := countyEmployers(ctx, h.db.SQL, run, g.Code, lang, conds, v); err != nil {
		return nil, err
	}
	return v, nil
}

func countyRuns(ctx context.Context, db *sql.DB, county string) ([]runInfo, error) {
	rows, err := db.QueryContext(ctx, `SELECT run_key, period, level, share_metric, threshold, inclusive, min_n, k
		FROM comparison_run WHERE county_code = ? ORDER BY period DESC, created_at DESC, run_key`, county)
	if err != nil {
		return nil, fmt.Errorf("query comparison runs: %w", err)
	}
	var out []runInfo
	for rows.Next() {
		var r runInfo
		if err := rows.Scan(&r.key, &r.period, &r.level, &r.metric, &r.threshold, &r.inclusive, &r.minN, &r.k); err != nil {
			rows.Close()
			return nil, fmt.Errorf("query comparison runs: %w", err)
		}
		out = append(out, r)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("query comparison runs: %w", err)
	}
	return out, nil
}

func countySummary(ctx context.Context, db *sql.DB, run *runInfo, county string, title func(string) string, v *countyPageView) error {
	rows, err := db.QueryContext(ctx, `SELECT condition_id, employers, compared, female_worse, female_worse_distinguishable,
		male_worse, male_worse_distinguishable FROM comparison_summary
		WHERE run_key = ? AND period = ? AND county_code = ? ORDER BY condition_order, condition_id`, run.key, run.period, county)
	if err != nil {
		return fmt.Errorf("query comparison summary: %w", err)
	}
	for rows.Next() {
		var id string
		var s summaryRow
		if err := rows.Scan(&id, &s.Employers, &s.Compared, &s.FemaleWorse, &s.FemaleWorseDist, &s.MaleWorse, &s.MaleWorseDist); err != nil {
			rows.Close()
			return fmt.Errorf("query comparison summary: %w", err)
		}
		s.Title = title(id)
		v.Summary = append(v.Summary, s)
	}
	return closeRows(rows)
}

// countyEmployers lists each employer's two groups and conditions. Group
// sizes are at least the run's min n (≥ k); a value resting on fewer than k
// persons is shown as ".." even if it were stored, and a difference only
// when both of its values are published.
func countyEmployers(ctx context.Context, db *sql.DB, run *runInfo, county, lang string, conds map[string]compare.Condition, v *countyPageView) error {
	L := labelsFor(lang)
	rows, err := db.QueryContext(ctx, `SELECT employer_code, coalesce(employer_name, ''), employees,
		female_name, female_n, female_women_pct, male_name, male_n, male_women_pct,
		condition_id, coalesce(unit, ''), female_value, female_value_n, male_value, male_value_n,
		diff, diff_lo, diff_hi, coalesce(distinguishable, false)
		FROM comparison WHERE run_key = ? AND period = ? AND county_code = ?
		ORDER BY employer_code, condition_order, condition_id`, run.key, run.period, county)
	if err != nil {
		return fmt.Errorf("query comparison: %w", err)
	}
	k := run.k
	if k <= 0 {
		k = 5
	}
	group := func(name sql.NullString, n sql.NullInt64, pct sql.NullFloat64) string {
		if !name.Valid || !n.Valid {
			return L["no_group"]
		}
		if n.Int64 < int64(k) {
			return statusSuppressed
		}
		s := fmt.Sprintf("%s, %d %s", name.String, n.Int64, L["persons"])
		if pct.Valid {
			s += fmt.Sprintf(", %s %% %s", fmtNum(pct.Float64, 0, lang), L["women_share"])
		}
		return s
	}
	var cur *employerView
	for rows.Next() {
		var code, name, cond, unit string
		var employees int
		var fName, mName sql.NullString
		var fN, mN, fvN, mvN sql.NullInt64
		var fPct, mPct, fv, mv, diff, lo, hi sql.NullFloat64
		var dist bool
		if err := rows.Scan(&code, &name, &employees, &fName, &fN, &fPct, &mName, &mN, &mPct,
			&cond, &unit, &fv, &fvN, &mv, &mvN, &diff, &lo, &hi, &dist); err != nil {
			rows.Close()
			return fmt.Errorf("query comparison: %w", err)
		}
		if cur == nil || cur.Code != code {
			if name == "" {
				if g, ok := data.GeoByCode(code); ok {
					name = g.Name
				}
			}
			v.Employers = append(v.Employers, employerView{Code: code, Name: name, Employees: fmtNum(float64(employees), 0, lang),
				Female: group(fName, fN, fPct), Male: group(mName, mN, mPct)})
			cur = &v.Employers[len(v.Employers)-1]
		}
		c := conds[cond]
		dec := c.Decimals
		title := cond
		if c.ID != "" {
			title = c.Title(lang)
		}
		pub := func(x sql.NullFloat64, n sql.NullInt64, groupN sql.NullInt64) (cellView, bool) {
			if !x.Valid || (n.Valid && n.Int64 < int64(k)) || !groupN.Valid || groupN.Int64 < int64(k) {
				return cellView{Text: statusSuppressed, Class: "num sup"}, false
			}
			return cellView{Text: fmtNum(x.Float64, dec, lang), Class: "num"}, true
		}
		row := condRow{Title: title, Unit: unit}
		var fOK, mOK bool
		row.Female, fOK = pub(fv, fvN, fN)
		row.Male, mOK = pub(mv, mvN, mN)
		row.Diff = cellView{Text: statusSuppressed, Class: "num sup"}
		row.CI, row.Dist = "", ""
		if fOK && mOK && diff.Valid {
			row.Diff = cellView{Text: fmtNum(diff.Float64, dec, lang), Class: "num"}
			if lo.Valid && hi.Valid {
				row.CI = fmtNum(lo.Float64, dec, lang) + " – " + fmtNum(hi.Float64, dec, lang)
			}
			row.Dist = L["no"]
			if dist {
				row.Dist = L["yes"]
			}
		}
		cur.Rows = append(cur.Rows, row)
	}
	return closeRows(rows)
}
