package reports

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/store"
)

// BuildFollowup fills the yearly goal follow-up of strategy strategyID for
// county and year from the database: every goal of the strategy with the
// indicators that follow it up, the county's series by sex up to year, each
// municipality's values in the latest year, and the trend since the
// strategy's baseline with its direction as indicators.GoalStatus judges it.
// county "" means the strategy's scope, which must then be a county.
func BuildFollowup(ctx context.Context, db *store.DB, cat *indicators.Catalogue, strategyID, year, county, lang string) (*FollowupReport, error) {
	lang = langOr(lang)
	if err := checkLang(lang); err != nil {
		return nil, err
	}
	s, ok := cat.Strategy(strategyID)
	if !ok {
		var ids []string
		for _, x := range cat.Strategies {
			ids = append(ids, x.ID)
		}
		return nil, fmt.Errorf("unknown strategy %q (known: %v)", strategyID, ids)
	}
	y, err := strconv.Atoi(year)
	if err != nil || y < 1900 || y > 2200 {
		return nil, fmt.Errorf("year %q is not a year", year)
	}
	if county == "" {
		if s.Scope == "" || s.Scope == data.SwedenCode {
			return nil, fmt.Errorf("strategy %s covers all of Sweden: give the county to follow up", s.ID)
		}
		county = s.Scope
	}
	cg, err := countyOf(county)
	if err != nil {
		return nil, err
	}
	kommuner, err := kommunerOf(cg.Code)
	if err != nil {
		return nil, err
	}

	// Direction per indicator and geography, as goal status judges it.
	status, err := followupStatus(ctx, db, cat, s, year, cg.Code, kommuner)
	if err != nil {
		return nil, err
	}
	plan := planFollowup(cat, s)
	// Every indicator the report shows, with all its values in the county,
	// its kommuner and Sweden, read once.
	need := map[string]*indicators.Indicator{}
	var ids []string
	for _, sec := range plan {
		for _, ind := range sec.inds {
			if need[ind.ID] == nil {
				need[ind.ID] = ind
				ids = append(ids, ind.ID)
			}
		}
	}
	sort.Strings(ids)
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
	idx := indexValues(vals)
	computed := map[string]time.Time{}
	for _, v := range vals {
		if v.ComputedAt.After(computed[v.Indicator]) {
			computed[v.Indicator] = v.ComputedAt
		}
	}
	prov, err := loadProvenance(ctx, db)
	if err != nil {
		return nil, err
	}
	srcs := newSourceBuilder(prov, lang)

	en := lang == "en"
	name := s.Name
	if en && s.NameEn != "" {
		name = s.NameEn
	}
	period := ""
	if s.Start > 0 {
		period = strconv.Itoa(s.Start) + "–"
		if s.End > 0 {
			period += strconv.Itoa(s.End)
		}
	}
	r := &FollowupReport{
		Strategy: Strategy{ID: s.ID, Name: name, BaselineYear: s.BaselineYear, Period: period, Source: s.Source},
		Year:     y,
		County:   Geo{Code: cg.Code, Name: geoName(cg, lang)},
		Lang:     lang,
	}
	for _, g := range s.Goals {
		// A goal followed up by every delmål (the national overall goal)
		// would repeat every indicator: it heads the summary instead.
		if g.ViaDelmal && len(g.Delmal) > 1 {
			text, _ := goalText(cat, g, lang)
			r.Summary = append(r.Summary, pick(en, "Övergripande mål: ", "Overall goal: ")+text)
		}
	}
	var shown []*indicators.Indicator
	defined := map[string]bool{}
	series := func(inds []*indicators.Indicator) []IndicatorSeries {
		var out []IndicatorSeries
		for _, ind := range inds {
			is := buildSeries(ind, idx, status, cg, kommuner, y, lang)
			out = append(out, is)
			// An indicator without a single value in the report cites no source.
			if len(is.County) > 0 || len(is.Municipalities) > 0 {
				ref := max(is.Latest.Year, lastYear(is.County))
				if ref == 0 {
					ref = y // the year the municipalities are shown for
				}
				srcs.add(ind, ref, computed[ind.ID])
			}
			if !defined[ind.ID] {
				defined[ind.ID] = true
				shown = append(shown, ind)
				r.Method.Definitions = append(r.Method.Definitions, definitionOf(ind, lang))
			}
		}
		return out
	}
	for _, sec := range plan {
		switch {
		case sec.goal != nil:
			g := sec.goal
			gs := GoalSection{Delmal: g.Delmal, GoalID: g.ID}
			var swedish bool
			if gs.Goal, swedish = goalText(cat, g, lang); swedish {
				gs.GoalLang = "sv"
			}
			if a, ok := cat.Area(g.Area); ok {
				gs.Area = areaName(a, lang)
			}
			gs.Indicators = series(sec.inds)
			r.Goals = append(r.Goals, gs)
		default:
			ig := IndicatorGroup{Delmal: sec.delmal}
			if sec.area != nil {
				ig.AreaID, ig.Area = sec.area.ID, areaName(sec.area, lang)
			}
			ig.Indicators = series(sec.inds)
			r.Groups = append(r.Groups, ig)
		}
	}
	k, kNote := minK(shown, lang)
	r.MinN = k
	r.Method.Sources = srcs.sources()
	if srcs.synthetic {
		r.Notices = append(r.Notices, syntheticNote(lang))
		r.Method.Notes = append(r.Method.Notes, syntheticNote(lang))
	}
	if s.GoalsTotal > len(s.Goals) {
		r.Summary = append(r.Summary, fmt.Sprintf(pick(en,
			"Strategin har %d mål; %d av dem finns i målkatalogen och följs upp här. Övriga mål läggs till med en egen katalogfil (--goals).",
			"The strategy has %d goals; %d of them are in the goal catalogue and followed up here. Add the others with a catalogue file of your own (--goals)."),
			s.GoalsTotal, len(s.Goals)))
	}
	r.Method.Notes = append(r.Method.Notes,
		pick(en,
			"Länets värde är länets egen publicerade eller beräknade uppgift där sådan finns, annars kommunerna sammanvägda efter antal personer, annars ett ovägt medelvärde av kommunerna; vilket som används anges vid varje indikator.",
			"The county's value is its own published or computed figure where there is one, else the municipalities pooled and weighted by persons, else an unweighted mean of the municipalities; which one is used is stated with each indicator."),
		vintageNote(lang))
	if kNote != "" {
		r.Method.Notes = append(r.Method.Notes, kNote)
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("follow-up %s %s: %w", s.ID, year, err)
	}
	return r, nil
}

// followupSection is one planned section of the follow-up: a goal of the
// strategy, or the indicators that follow a priority area (area != nil) or
// the delmål itself without a goal of the strategy.
type followupSection struct {
	delmal int
	goal   *indicators.Goal
	area   *indicators.Area
	inds   []*indicators.Indicator
}

// planFollowup lays out the follow-up of strategy s: every goal with the
// indicators that follow it; then, per delmål, each priority area of the
// strategy that sits under the delmål with its indicators, and last the
// indicators that follow the delmål directly. An indicator already shown
// under a goal that serves the delmål is not repeated in the delmål's
// groups, and one shown under an area of the delmål is not repeated among
// the delmål's own indicators. A goal that serves every delmål (the
// national overall goal) gets no section: it would repeat every indicator.
func planFollowup(cat *indicators.Catalogue, s *indicators.Strategy) []followupSection {
	var out []followupSection
	underGoal := map[int]map[string]bool{} // delmål → indicators shown under a goal serving it
	mark := func(m map[int]map[string]bool, d int, id string) {
		if m[d] == nil {
			m[d] = map[string]bool{}
		}
		m[d][id] = true
	}
	for _, g := range s.Goals {
		if g.ViaDelmal && len(g.Delmal) > 1 {
			continue
		}
		inds := cat.IndicatorsForGoal(g.ID)
		for _, ind := range inds {
			for _, d := range g.Delmal {
				mark(underGoal, d, ind.ID)
			}
		}
		out = append(out, followupSection{delmal: firstInt(g.Delmal), goal: g, inds: inds})
	}
	byDelmal := map[int][]followupSection{}
	underArea := map[int]map[string]bool{}
	for _, a := range s.Areas {
		d := firstInt(a.Delmal)
		if d == 0 {
			continue
		}
		var inds []*indicators.Indicator
		for _, ind := range cat.IndicatorsForArea(a.ID) {
			if !underGoal[d][ind.ID] {
				inds = append(inds, ind)
				mark(underArea, d, ind.ID)
			}
		}
		if len(inds) > 0 {
			byDelmal[d] = append(byDelmal[d], followupSection{delmal: d, area: a, inds: inds})
		}
	}
	for _, dm := range cat.Delmal {
		d := dm.Number
		out = append(out, byDelmal[d]...)
		var inds []*indicators.Indicator
		for _, ind := range cat.Indicators {
			if containsInt(ind.Delmal, d) && !underGoal[d][ind.ID] && !underArea[d][ind.ID] {
				inds = append(inds, ind)
			}
		}
		if len(inds) > 0 {
			out = append(out, followupSection{delmal: d, inds: inds})
		}
	}
	return out
}

func firstInt(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	return xs[0]
}

func areaName(a *indicators.Area, lang string) string {
	if lang == "en" && a.NameEn != "" {
		return a.NameEn
	}
	return a.Name
}

// goalText is a goal's text in lang, and whether it had to stay Swedish:
// an English report uses the goal's text_en, or, for a goal that is a
// national delmål word for word, the delmål's English text.
func goalText(cat *indicators.Catalogue, g *indicators.Goal, lang string) (string, bool) {
	if lang != "en" {
		return g.Text, false
	}
	if g.TextEn != "" {
		return g.TextEn, false
	}
	for _, d := range cat.Delmal {
		if d.TextEn != "" && strings.EqualFold(strings.TrimSpace(d.Text), strings.TrimSpace(g.Text)) {
			return d.TextEn, false
		}
	}
	return g.Text, true
}

func lastYear(ys []YearValues) int {
	if len(ys) == 0 {
		return 0
	}
	return ys[len(ys)-1].Year
}

// statusKey addresses one indicator's status in one geography.
type statusKey struct{ ind, geo string }

// followupStatus runs goal status for the county and its kommuner. A
// strategy whose scope is the county covers them in one call; any other
// (the national goals followed up in a county) is asked per geography.
func followupStatus(ctx context.Context, db *store.DB, cat *indicators.Catalogue, s *indicators.Strategy, year, county string, kommuner []data.Geo) (map[statusKey]indicators.IndicatorStatus, error) {
	out := map[statusKey]indicators.IndicatorStatus{}
	add := func(rep *indicators.StatusReport) {
		for _, g := range rep.Goals {
			for _, st := range g.Indicators {
				out[statusKey{st.Indicator, st.GeoCode}] = st
			}
		}
		for _, a := range rep.Areas {
			for _, st := range a.Indicators {
				out[statusKey{st.Indicator, st.GeoCode}] = st
			}
		}
		for _, d := range rep.Delmal {
			for _, st := range d.Indicators {
				out[statusKey{st.Indicator, st.GeoCode}] = st
			}
		}
	}
	if s.Scope == county {
		rep, err := indicators.GoalStatus(ctx, db, cat, s.ID, year, "")
		if err != nil {
			return nil, err
		}
		add(rep)
		return out, nil
	}
	geos := []string{county}
	for _, k := range kommuner {
		geos = append(geos, k.Code)
	}
	for _, gc := range geos {
		rep, err := indicators.GoalStatus(ctx, db, cat, s.ID, year, gc)
		if err != nil {
			return nil, err
		}
		add(rep)
	}
	return out, nil
}

// buildSeries fills one indicator of the follow-up.
func buildSeries(ind *indicators.Indicator, idx valueIndex, status map[statusKey]indicators.IndicatorStatus, county data.Geo, kommuner []data.Geo, year int, lang string) IndicatorSeries {
	en := lang == "en"
	st := status[statusKey{ind.ID, county.Code}]
	unit := unitText(ind.Unit, lang)
	is := IndicatorSeries{
		ID: ind.ID, Title: titleSansUnit(ind.Title.In(lang), unit), Description: ind.Description.In(lang),
		Unit: unit, Decimals: unitDecimals(ind.Unit), Polarity: polarityOf(ind.Polarity),
		Direction: directionOf(st.Direction), MinN: ind.MinN(),
	}
	// The goal line fits where the followed series itself has a parity
	// target (a share of women, a ratio), not where parity is a gap.
	if ind.Polarity == indicators.Parity && ind.FollowSeries() != "gap" && (ind.ParityTarget != nil || !ind.Kind.PerSex()) {
		t := ind.Target()
		is.Target = &t
	}
	is.Measure = measureText(ind, lang)
	if st.LatestPeriod != "" {
		if ly, ok := periodYear(st.LatestPeriod); ok {
			is.Latest = YearValue{Year: ly, Value: derived(st.Latest, st.Status)}
		}
	}
	if by, ok := periodYear(st.BaselinePeriod); ok {
		is.Baseline = YearValue{Year: by, Value: derived(st.Baseline, "")}
	} else {
		is.Baseline = YearValue{Value: Value{Status: StatusMissing}}
	}
	if is.Latest.Year == 0 {
		is.Latest.Value = Value{Status: StatusMissing}
	}

	method := idx.method(ind.ID, county.Code, st.Method)
	is.Source = ind.Source.In(lang)
	if method != "" {
		is.Source += fmt.Sprintf(pick(en, ". Länets värde: %s", ". County value: %s"), methodText(method, lang))
	}
	for _, yy := range idx.periods(ind.ID, county.Code, method, year) {
		w, m, t := sexValues(ind, idx.cells(ind.ID, county.Code, method, yy))
		is.County = append(is.County, YearValues{Year: yy, Women: w, Men: m, Total: t})
	}
	if sm := idx.method(ind.ID, data.SwedenCode, ""); sm != "" {
		for _, yv := range is.County {
			w, m, t := sexValues(ind, idx.cells(ind.ID, data.SwedenCode, sm, yv.Year))
			is.Sweden = append(is.Sweden, YearValues{Year: yv.Year, Women: w, Men: m, Total: t})
		}
	}

	// The municipalities in the county's latest year.
	at := is.Latest.Year
	if at == 0 {
		at = year
	}
	any := false
	var rows []GeoValues
	var keys []*float64
	for _, k := range kommuner {
		kst := status[statusKey{ind.ID, k.Code}]
		km := idx.method(ind.ID, k.Code, kst.Method)
		c := idx.cells(ind.ID, k.Code, km, at)
		if c != nil {
			any = true
		}
		w, m, t := sexValues(ind, c)
		rows = append(rows, GeoValues{Geo: Geo{Code: k.Code, Name: geoName(k, lang)}, Women: w, Men: m, Total: t, Direction: directionOf(kst.Direction)})
		keys = append(keys, followedValue(ind, c))
	}
	if any {
		is.Municipalities = sortByMeasure(rows, keys, lang)
	}
	return is
}

// derived is a value computed from published cells (the followed measure
// at the baseline or latest year): its persons are those of the cells,
// already checked, so N is left unknown.
func derived(v *float64, status string) Value {
	if v == nil {
		if status == StatusSuppressed {
			return Value{Status: StatusSuppressed}
		}
		return Value{Status: StatusMissing}
	}
	return Num(*v, 0)
}

// sortByMeasure orders municipalities by the indicator's followed measure,
// highest first, those without a value last, ties by name.
func sortByMeasure(rows []GeoValues, keys []*float64, lang string) []GeoValues {
	type row struct {
		g GeoValues
		k *float64
	}
	rs := make([]row, len(rows))
	for i := range rows {
		rs[i] = row{rows[i], keys[i]}
	}
	sortNames(rs, func(r row) string { return r.g.Geo.Name }, lang)
	sort.SliceStable(rs, func(i, j int) bool {
		a, b := rs[i].k, rs[j].k
		switch {
		case a == nil || b == nil:
			return a != nil && b == nil
		default:
			return *a > *b
		}
	})
	out := make([]GeoValues, len(rs))
	for i, r := range rs {
		out[i] = r.g
	}
	return out
}
