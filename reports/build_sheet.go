package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/store"
)

// SheetStrategy is the strategy whose baseline the sheets' trend columns
// use: the national goals, since the sheets are laid out by national
// delmål and every indicator follows one up.
const SheetStrategy = "national"

// SheetBuilder fills the indicator sheets of one county's municipalities
// and the county itself for one year. It reads the values, the comparison
// run and the provenance once, so that writing every sheet of a county
// does not repeat the same queries.
type SheetBuilder struct {
	db       *store.DB
	cat      *indicators.Catalogue
	county   data.Geo
	year     int
	lang     string
	inds     []*indicators.Indicator
	idx      valueIndex
	computed map[string]time.Time
	prov     *provenance
	run      *comparisonRun
	work     map[string][]comparisonRow
	baseline int
}

// NewSheetBuilder prepares the sheets of county (a län code) for year.
func NewSheetBuilder(ctx context.Context, db *store.DB, cat *indicators.Catalogue, county, year, lang string) (*SheetBuilder, error) {
	lang = langOr(lang)
	if err := checkLang(lang); err != nil {
		return nil, err
	}
	cg, err := countyOf(county)
	if err != nil {
		return nil, err
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < 1900 || y > 2200 {
		return nil, fmt.Errorf("year %q is not a year", year)
	}
	b := &SheetBuilder{db: db, cat: cat, county: cg, year: y, lang: lang, computed: map[string]time.Time{}, work: map[string][]comparisonRow{}}
	if s, ok := cat.Strategy(SheetStrategy); ok {
		b.baseline = s.BaselineYear
	}
	var ids []string
	for _, ind := range cat.Indicators {
		if len(ind.Delmal) > 0 {
			b.inds = append(b.inds, ind)
			ids = append(ids, ind.ID)
		}
	}
	kommuner, err := kommunerOf(cg.Code)
	if err != nil {
		return nil, err
	}
	geos := []string{cg.Code, data.SwedenCode}
	for _, k := range kommuner {
		geos = append(geos, k.Code)
	}
	var vals []indicators.Value
	if len(ids) > 0 {
		vals, err = indicators.Values(ctx, db, indicators.Filter{Indicators: ids, Geos: geos, Groups: []string{""}})
		if err != nil {
			return nil, err
		}
	}
	b.idx = indexValues(vals)
	for _, v := range vals {
		if v.ComputedAt.After(b.computed[v.Indicator]) {
			b.computed[v.Indicator] = v.ComputedAt
		}
	}
	if b.prov, err = loadProvenance(ctx, db); err != nil {
		return nil, err
	}
	b.run, err = findRun(ctx, db, cg.Code, year, "")
	switch {
	case errors.Is(err, sql.ErrNoRows):
		b.run = nil // no comparison for the year: the sheets leave the sheet out
	case err != nil:
		return nil, fmt.Errorf("find comparison run: %w", err)
	default:
		rows, err := readComparison(ctx, db, b.run, cg.Code, year, "")
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			b.work[r.Employer] = append(b.work[r.Employer], r)
		}
	}
	return b, nil
}

// Geos lists the geographies the builder makes sheets for: the county
// first, then its municipalities in code order.
func (b *SheetBuilder) Geos() []data.Geo {
	ks, _ := kommunerOf(b.county.Code)
	return append([]data.Geo{b.county}, ks...)
}

// BuildMunicipalitySheet fills the indicator sheet of geo (a kommun, or a
// county code for the county/region's own sheet) for year.
func BuildMunicipalitySheet(ctx context.Context, db *store.DB, cat *indicators.Catalogue, geo, year, lang string) (*MunicipalitySheet, error) {
	code, ok := data.NormalizeGeoCode(geo)
	if !ok {
		return nil, fmt.Errorf("unknown geography %q", geo)
	}
	g, _ := data.GeoByCode(code)
	if g.Kind == data.KindRiket {
		return nil, fmt.Errorf("sheets are made for a kommun or a county, not for %s", g.Name)
	}
	b, err := NewSheetBuilder(ctx, db, cat, g.CountyCode, year, lang)
	if err != nil {
		return nil, err
	}
	return b.Build(ctx, code)
}

// Build fills the sheet of one geography of the builder's county.
func (b *SheetBuilder) Build(ctx context.Context, geo string) (*MunicipalitySheet, error) {
	code, ok := data.NormalizeGeoCode(geo)
	if !ok {
		return nil, fmt.Errorf("unknown geography %q", geo)
	}
	g, _ := data.GeoByCode(code)
	if g.CountyCode != b.county.Code || g.Kind == data.KindRiket {
		return nil, fmt.Errorf("%s (%s) is not in county %s", g.Code, g.Name, b.county.Code)
	}
	lang, en := b.lang, b.lang == "en"
	sh := &MunicipalitySheet{
		Geo:    Geo{Code: g.Code, Name: geoName(g, lang)},
		County: Geo{Code: b.county.Code, Name: geoName(b.county, lang)},
		Year:   b.year,
		Lang:   lang,
	}
	// Direction per indicator since the national baseline, in this geography.
	status := map[string]indicators.IndicatorStatus{}
	if _, ok := b.cat.Strategy(SheetStrategy); ok {
		rep, err := indicators.GoalStatus(ctx, b.db, b.cat, SheetStrategy, strconv.Itoa(b.year), g.Code)
		if err != nil {
			return nil, err
		}
		for _, gr := range rep.Goals {
			for _, st := range gr.Indicators {
				status[st.Indicator] = st
			}
		}
	}
	srcs := newSourceBuilder(b.prov, lang)
	var shown []*indicators.Indicator
	rows := map[string]SheetRow{}
	for _, ind := range b.inds {
		row, ok := b.sheetRow(ind, g, status[ind.ID])
		if !ok {
			continue
		}
		rows[ind.ID] = row
		shown = append(shown, ind)
		srcs.add(ind, row.Year, b.computed[ind.ID])
		sh.Definitions = append(sh.Definitions, definitionOf(ind, lang))
	}
	for d := 1; d <= 6; d++ {
		t := DelmalTable{Delmal: d, Title: DelmalTitle(lang, d)}
		if txt := b.cat.DelmalText(d); txt != "" && !en {
			t.Title = txt
		}
		headline := false
		for _, ind := range shown {
			if !containsInt(ind.Delmal, d) {
				continue
			}
			row := rows[ind.ID]
			t.Rows = append(t.Rows, row)
			if !headline && ind.Polarity != indicators.Context && row.Total.Published() {
				headline = true
				sh.Headline = append(sh.Headline, b.headline(ind, g, row))
			}
		}
		if len(t.Rows) > 0 {
			sh.Delmal = append(sh.Delmal, t)
		}
	}
	k, kNote := minK(shown, lang)
	sh.MinN = k
	if rs := b.work[g.Code]; len(rs) > 0 && b.run != nil {
		known := knownConditions()
		for _, r := range rs {
			m := conditionInfo(r.Condition, r.Kind, r.Unit, r.Worse, lang, known)
			sh.WorkConditions = append(sh.WorkConditions, ConditionRow{
				Condition: m.Title, Unit: m.Unit, Decimals: m.Decimals, Kind: m.Kind, Polarity: m.Polarity,
				FemaleGroup: r.Female, MaleGroup: r.Male, Difference: r.Diff, CILow: r.Lo, CIHigh: r.Hi, Distinguishable: r.Distinguishable,
			})
		}
		sh.MinN = min(sh.MinN, b.run.K)
	}
	sh.Sources = srcs.sources()
	synthetic := srcs.synthetic
	if len(sh.WorkConditions) > 0 {
		hr := hrSource(b.prov, b.year, b.run.Created, lang)
		sh.Sources = append(sh.Sources, hr.source)
		synthetic = synthetic || hr.synthetic
		sh.Definitions = append(sh.Definitions, Definition{Term: tr(lang, "work_conditions"), Text: runNote(b.run, lang)})
	}
	notes := []Definition{
		{Term: tr(lang, "comparison_year"), Text: fmt.Sprintf(pick(en,
			"Förändringen räknas från jämställdhetspolitikens basår %d, eller, där basåret saknar värde före det senaste året, från närmaste år som har ett; kolumnen Jämförelseår anger det år som faktiskt jämförs. Värdet för jämförelseåret och förändringen avser indikatorns uppföljda mått (totalt, eller kvinnor respektive män där indikatorn följs upp för ett kön); för indikatorer som följs upp som skillnaden mellan kvinnor och män visas totalvärdet, medan riktningen bedöms på skillnaden.",
			"Change is counted from the gender-equality policy's baseline year %d or, where the baseline year has no value before the latest year, from the nearest year that has one; the column Comparison year gives the year actually compared. The comparison value and the change refer to the indicator's followed measure (the total, or women or men where the indicator follows one sex); for indicators followed as the gap between women and men the total is shown while the direction is judged on the gap."), b.baseline)},
		{Term: pick(en, "Länets värde", "County value"), Text: pick(en,
			"Länets egen publicerade eller beräknade uppgift där sådan finns, annars kommunerna sammanvägda efter antal personer, annars ett ovägt medelvärde av kommunerna.",
			"The county's own published or computed figure where there is one, else the municipalities pooled and weighted by persons, else an unweighted mean of the municipalities.")},
		{Term: pick(en, "Referensår och beräkning", "Reference year and computation"), Text: vintageNote(lang)},
	}
	if kNote != "" {
		notes = append(notes, Definition{Term: tr(lang, "suppression"), Text: kNote})
	}
	if synthetic {
		notes = append([]Definition{{Term: pick(en, "SYNTETISKA DATA", "SYNTHETIC DATA"), Text: syntheticNote(lang)}}, notes...)
	}
	sh.Definitions = append(notes, sh.Definitions...)
	if err := sh.Validate(); err != nil {
		return nil, err
	}
	return sh, nil
}

// sheetRow is one indicator for geography g: its latest year up to the
// builder's year, women, men, total, K/M and the trend.
func (b *SheetBuilder) sheetRow(ind *indicators.Indicator, g data.Geo, st indicators.IndicatorStatus) (SheetRow, bool) {
	method := b.idx.method(ind.ID, g.Code, st.Method)
	if method == "" || methodRank(g.Kind, method) >= 9 {
		return SheetRow{}, false
	}
	ys := b.idx.periods(ind.ID, g.Code, method, b.year)
	if len(ys) == 0 {
		return SheetRow{}, false
	}
	y := ys[len(ys)-1]
	c := b.idx.cells(ind.ID, g.Code, method, y)
	w, m, t := sexValues(ind, c)
	row := SheetRow{
		IndicatorID: ind.ID, Title: titleSansUnit(ind.Title.In(b.lang), unitText(ind.Unit, b.lang)), Unit: unitText(ind.Unit, b.lang), Decimals: unitDecimals(ind.Unit),
		Year: y, Women: w, Men: m, Total: t, Ratio: ratioCell(w, m),
		Direction: directionOf(st.Direction), Polarity: polarityOf(ind.Polarity),
		Baseline: Value{Status: StatusMissing}, Change: Value{Status: StatusMissing},
	}
	by, ok := periodYear(st.BaselinePeriod)
	ly, lok := periodYear(st.LatestPeriod)
	if ok && lok && ly == y {
		row.BaselineYear = by
		base, latest := b.shownMeasure(ind, g.Code, method, by), b.shownMeasure(ind, g.Code, method, y)
		row.Baseline = base
		if base.Published() && latest.Published() {
			row.Change = Num(*latest.V-*base.V, 0)
		}
	}
	return row, true
}

// shownMeasure is the value the sheet's baseline column shows: the
// followed series, or the total for indicators followed as a gap (whose
// own unit would not match the row's).
func (b *SheetBuilder) shownMeasure(ind *indicators.Indicator, geo, method string, year int) Value {
	c := b.idx.cells(ind.ID, geo, method, year)
	if c == nil {
		return Value{Status: StatusMissing}
	}
	switch ind.FollowSeries() {
	case "K":
		return valueOf(c.K)
	case "M":
		return valueOf(c.M)
	}
	return valueOf(c.T)
}

// ratioCell is K/M of two published values. A ratio of published values
// reveals nothing withheld; its persons are the smaller group's.
func ratioCell(w, m Value) Value {
	if !w.Published() || !m.Published() {
		if w.Status == StatusNotApplicable || m.Status == StatusNotApplicable {
			return notApplicable
		}
		return Value{Status: StatusSuppressed}
	}
	if *m.V == 0 {
		return notApplicable
	}
	n := min(w.N, m.N)
	if w.N == 0 || m.N == 0 {
		n = max(w.N, m.N)
	}
	return Num(*w.V / *m.V, n)
}

// headline is the front sheet's row for ind: the geography's total
// against the county's and Sweden's in the same year.
func (b *SheetBuilder) headline(ind *indicators.Indicator, g data.Geo, row SheetRow) HeadlineRow {
	h := HeadlineRow{IndicatorID: ind.ID, Title: row.Title, Unit: row.Unit, Decimals: row.Decimals, Year: row.Year, Geo: row.Total,
		County: Value{Status: StatusMissing}, Sweden: Value{Status: StatusMissing}}
	at := func(geo string) Value {
		m := b.idx.method(ind.ID, geo, "")
		if m == "" {
			return Value{Status: StatusMissing}
		}
		_, _, t := sexValues(ind, b.idx.cells(ind.ID, geo, m, row.Year))
		return t
	}
	if g.Code != b.county.Code {
		h.County = at(b.county.Code)
	}
	h.Sweden = at(data.SwedenCode)
	return h
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// SheetFileName is the file name of a geography's sheet without extension:
// "1480-goteborg-2024".
func SheetFileName(g Geo, year int) string {
	return g.Code + "-" + Slug(g.Name) + "-" + strconv.Itoa(year)
}

// Slug writes a name in lower-case ASCII letters, digits and dashes
// ("Västra Götalands län" → "vastra-gotalands-lan").
func Slug(s string) string {
	var out []rune
	dash := false
	for _, r := range s {
		switch r {
		case 'å', 'ä', 'Å', 'Ä', 'á', 'à', 'Á':
			r = 'a'
		case 'ö', 'Ö', 'ø', 'Ø', 'ó':
			r = 'o'
		case 'é', 'è', 'É', 'ë':
			r = 'e'
		case 'ü', 'Ü':
			r = 'u'
		}
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
			fallthrough
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			out = append(out, r)
			dash = false
		default:
			if !dash && len(out) > 0 {
				out = append(out, '-')
				dash = true
			}
		}
	}
	if dash {
		out = out[:len(out)-1]
	}
	return string(out)
}
