package server

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/reports"
)

// buildSheet fills the sheet model for one geography and year from
// indicator_value (after the server's disclosure guard) and
// comparison. The shared builder in package reports had not landed when
// the server was written; this fills what the database holds directly:
// values by sex for the geography, county and Sweden, the K/M ratio, and
// the geography's working-conditions comparison as an employer. Baseline,
// change and direction (goal follow-up, package indicators) are left
// unknown.
func (s *Server) buildSheet(r *http.Request, h *handle, g data.Geo, year int, lang string) (*reports.MunicipalitySheet, error) {
	return sheetFromDB(r.Context(), h, g, year, lang, s.cfg.Version)
}

func sheetFromDB(ctx context.Context, h *handle, g data.Geo, year int, lang, version string) (*reports.MunicipalitySheet, error) {
	county := g
	if g.Kind == data.KindKommun {
		if c, ok := data.GeoByCode(g.CountyCode); ok {
			county = c
		}
	}
	sh := &reports.MunicipalitySheet{
		Geo:     reports.Geo{Code: g.Code, Name: geoName(g, lang)},
		County:  reports.Geo{Code: county.Code, Name: geoName(county, lang)},
		Year:    year,
		Lang:    lang,
		Version: version,
	}
	geos := pageGeos(g)
	var codes []string
	for _, x := range geos {
		codes = append(codes, x.Code)
	}
	y := strconv.Itoa(year)
	sets, err := queryValues(ctx, h.db.SQL, filter{Geos: codes, Periods: []string{y}}, 0, 0)
	if err != nil {
		return nil, err
	}
	byKey := map[[2]string]*valueSet{}
	for _, vs := range sets {
		vs.control(h.cat.minN(vs.Indicator))
		byKey[[2]string{vs.Indicator, vs.Geo}] = vs
	}
	countyCode, swedenCode := "", data.SwedenCode
	if g.Kind == data.KindKommun {
		countyCode = county.Code
	}

	k := 0 // the smallest k of the indicators shown: no value passes with fewer
	headlineSeen := map[int]bool{}
	for _, d := range h.cat.delmal {
		tbl := reports.DelmalTable{Delmal: d.Number, Title: d.Text.in(lang)}
		for _, m := range h.cat.indicators {
			if !slices.Contains(m.Delmal, d.Number) {
				continue
			}
			vs := byKey[[2]string{m.ID, g.Code}]
			if vs == nil {
				continue
			}
			if k == 0 || m.MinN < k {
				k = m.MinN
			}
			tbl.Rows = append(tbl.Rows, sheetRow(m, vs, year, lang))
			if !headlineSeen[d.Number] {
				headlineSeen[d.Number] = true
				hr := reports.HeadlineRow{IndicatorID: m.ID, Title: m.Title.in(lang), Unit: m.Unit,
					Decimals: decimalsFor(m.Unit, m.Kind), Year: year, Geo: reportValue(vs, "T"),
					Sweden: reportValue(byKey[[2]string{m.ID, swedenCode}], "T")}
				if countyCode != "" {
					hr.County = reportValue(byKey[[2]string{m.ID, countyCode}], "T")
				}
				sh.Headline = append(sh.Headline, hr)
			}
		}
		if len(tbl.Rows) > 0 {
			sh.Delmal = append(sh.Delmal, tbl)
		}
	}
	sh.MinN = k
	if err := sheetConditions(ctx, h.db.SQL, g, y, lang, sh); err != nil {
		return nil, err
	}
	sources := map[string]bool{}
	for _, m := range h.cat.indicators {
		if m.Source != "" && !sources[m.Source] {
			sources[m.Source] = true
			sh.Sources = append(sh.Sources, reports.Source{Name: m.Source, ReferenceYear: year})
		}
		def := m.Desc.in(lang)
		if def == "" {
			def = m.Definition
		}
		if def != "" {
			sh.Definitions = append(sh.Definitions, reports.Definition{Term: m.Title.in(lang), Text: def})
		}
	}
	return sh, nil
}

func polarityOf(p string) reports.Polarity {
	switch p {
	case "higher_better":
		return reports.HigherIsBetter
	case "lower_better":
		return reports.LowerIsBetter
	}
	return reports.Parity
}

func sheetRow(m *indMeta, vs *valueSet, year int, lang string) reports.SheetRow {
	row := reports.SheetRow{IndicatorID: m.ID, Title: m.Title.in(lang), Unit: m.Unit, Decimals: decimalsFor(m.Unit, m.Kind),
		Year: year, Total: reportValue(vs, "T"), Polarity: polarityOf(m.Polarity),
		Baseline: reports.Value{Status: reports.StatusMissing}, Change: reports.Value{Status: reports.StatusMissing}}
	na := reports.Value{Status: reports.StatusNotApplicable}
	if !m.perSex() {
		row.Women, row.Men, row.Ratio = na, na, na
		return row
	}
	row.Women, row.Men = reportValue(vs, "K"), reportValue(vs, "M")
	switch {
	case row.Women.Published() && row.Men.Published() && *row.Men.V != 0:
		n := min(row.Women.N, row.Men.N)
		row.Ratio = reports.Num(*row.Women.V / *row.Men.V, n)
	case row.Women.Published() && row.Men.Published():
		row.Ratio = na
	default:
		row.Ratio = reports.Value{Status: reports.StatusSuppressed}
	}
	return row
}

// sheetConditions adds the geography's own comparison as an employer, from
// the latest run for the year.
func sheetConditions(ctx context.Context, db *sql.DB, g data.Geo, year, lang string, sh *reports.MunicipalitySheet) error {
	rows, err := db.QueryContext(ctx, `WITH run AS (
		  SELECT r.run_key, r.k FROM comparison_run r
		  WHERE r.period = ? AND r.county_code = ?
		    AND EXISTS (SELECT 1 FROM comparison c WHERE c.run_key = r.run_key AND c.period = r.period AND c.employer_code = ?)
		  ORDER BY r.created_at DESC, r.run_key LIMIT 1)
		SELECT c.condition_id, coalesce(c.unit, ''), c.kind, c.worse, run.k,
		  coalesce(c.female_code, ''), coalesce(c.female_name, ''), c.female_n, c.female_women_pct, c.female_value, c.female_value_n,
		  coalesce(c.male_code, ''), coalesce(c.male_name, ''), c.male_n, c.male_women_pct, c.male_value, c.male_value_n,
		  c.diff, c.diff_lo, c.diff_hi, coalesce(c.distinguishable, false)
		FROM comparison c JOIN run ON c.run_key = run.run_key
		WHERE c.period = ? AND c.employer_code = ? ORDER BY c.condition_order, c.condition_id`,
		year, g.CountyCode, g.Code, year, g.Code)
	if err != nil {
		return fmt.Errorf("query comparison for sheet: %w", err)
	}
	conds := conditionTitles(lang)
	for rows.Next() {
		var id, unit, kind, worse string
		var k int
		var fCode, fName, mCode, mName string
		var fN, mN, fvN, mvN sql.NullInt64
		var fPct, mPct, fv, mv, diff, lo, hi sql.NullFloat64
		var dist bool
		if err := rows.Scan(&id, &unit, &kind, &worse, &k, &fCode, &fName, &fN, &fPct, &fv, &fvN,
			&mCode, &mName, &mN, &mPct, &mv, &mvN, &diff, &lo, &hi, &dist); err != nil {
			rows.Close()
			return fmt.Errorf("query comparison for sheet: %w", err)
		}
		if k <= 0 {
			k = 5
		}
		if sh.MinN == 0 || k < sh.MinN {
			sh.MinN = k
		}
		c := conds[id]
		row := reports.ConditionRow{Condition: id, Unit: unit, Decimals: c.Decimals, Kind: reports.KindMean, Polarity: reports.HigherIsBetter}
		if c.ID != "" {
			row.Condition = c.Title(lang)
		}
		if kind == "share" || kind == "ratio" {
			row.Kind = reports.KindPP
		}
		if worse == "higher" {
			row.Polarity = reports.LowerIsBetter
		}
		row.FemaleGroup = sheetGroup(fCode, fName, fN, fPct, fv, fvN, k)
		row.MaleGroup = sheetGroup(mCode, mName, mN, mPct, mv, mvN, k)
		if row.FemaleGroup.Value.Published() && row.MaleGroup.Value.Published() && diff.Valid {
			d := diff.Float64
			row.Difference = &d
			if lo.Valid && hi.Valid {
				l, u := lo.Float64, hi.Float64
				row.CILow, row.CIHigh = &l, &u
			}
			row.Distinguishable = dist
		}
		sh.WorkConditions = append(sh.WorkConditions, row)
	}
	return closeRows(rows)
}

func sheetGroup(code, name string, n sql.NullInt64, pct, v sql.NullFloat64, vn sql.NullInt64, k int) reports.Group {
	g := reports.Group{Code: code, Name: name, Value: reports.Value{Status: reports.StatusSuppressed}}
	if n.Valid {
		g.N = int(n.Int64)
	}
	if pct.Valid {
		g.Share = pct.Float64
	}
	published := v.Valid && g.N >= k && (!vn.Valid || vn.Int64 >= int64(k))
	if published {
		nn := g.N
		if vn.Valid {
			nn = int(vn.Int64)
		}
		g.Value = reports.Num(v.Float64, nn)
	}
	return g
}
