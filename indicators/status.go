package indicators

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/store"
)

// Directions of an indicator between the baseline and the latest value.
const (
	Better    = "better"    // moved toward the goal (for parity: closer to equal)
	Worse     = "worse"     // moved away from it
	Unchanged = "unchanged" // within the tolerance
	NoData    = "no data"   // no latest value, no baseline, or both in the same period
	// ContextDirection is given to context indicators (polarity none):
	// shown with their values, not counted in roll-ups.
	ContextDirection = "context"
)

// IndicatorStatus is one indicator for one goal and geography.
type IndicatorStatus struct {
	Indicator      string   `json:"indicator"`
	Title          string   `json:"title"`
	Unit           string   `json:"unit"`
	Polarity       string   `json:"polarity"`
	Series         string   `json:"series"` // T, K, M, or gap (women − men; in % of men unless the unit is percent)
	Target         *float64 `json:"target,omitempty"`
	GeoCode        string   `json:"geo_code"`
	GeoName        string   `json:"geo_name"`
	Method         string   `json:"method"`
	LatestPeriod   string   `json:"latest_period"`
	Latest         *float64 `json:"latest"`
	LatestK        *float64 `json:"latest_k,omitempty"`
	LatestM        *float64 `json:"latest_m,omitempty"`
	BaselinePeriod string   `json:"baseline_period"`
	Baseline       *float64 `json:"baseline"`
	BaselineK      *float64 `json:"baseline_k,omitempty"`
	BaselineM      *float64 `json:"baseline_m,omitempty"`
	BaselineNote   string   `json:"baseline_note,omitempty"` // when the baseline is not the strategy's start year
	Change         *float64 `json:"change"`                  // latest − baseline of the series
	Direction      string   `json:"direction"`
	Tolerance      float64  `json:"tolerance"` // |change| (or change of distance to parity) within this is "unchanged"
	Status         string   `json:"status,omitempty"`
}

// Rollup counts indicators by direction.
type Rollup struct {
	Better    int `json:"better"`
	Worse     int `json:"worse"`
	Unchanged int `json:"unchanged"`
	NoData    int `json:"no_data"`
	Total     int `json:"total"`
}

func (r *Rollup) add(dir string) {
	if dir == ContextDirection {
		return
	}
	r.Total++
	switch dir {
	case Better:
		r.Better++
	case Worse:
		r.Worse++
	case Unchanged:
		r.Unchanged++
	default:
		r.NoData++
	}
}

// Sentence is the one-line summary of a roll-up, e.g. "7 of 9 indicators
// moved toward the goal".
func (r Rollup) Sentence(lang string) string {
	withData := r.Total - r.NoData
	if lang == "en" {
		s := fmt.Sprintf("%d of %d indicators moved toward the goal", r.Better, withData)
		if r.Worse+r.Unchanged > 0 {
			s += fmt.Sprintf(" (%d away from it, %d unchanged)", r.Worse, r.Unchanged)
		}
		if r.NoData > 0 {
			s += fmt.Sprintf("; %d without a trend", r.NoData)
		}
		return s
	}
	s := fmt.Sprintf("%d av %d indikatorer har rört sig mot målet", r.Better, withData)
	if r.Worse+r.Unchanged > 0 {
		s += fmt.Sprintf(" (%d bort från det, %d oförändrade)", r.Worse, r.Unchanged)
	}
	if r.NoData > 0 {
		s += fmt.Sprintf("; %d utan trend", r.NoData)
	}
	return s
}

// GeoRollup is a roll-up for one geography.
type GeoRollup struct {
	GeoCode  string `json:"geo_code"`
	Rollup   Rollup `json:"rollup"`
	Sentence string `json:"sentence"`
}

// GoalResult is one goal with its indicators per geography.
type GoalResult struct {
	Goal       *Goal             `json:"goal"`
	Indicators []IndicatorStatus `json:"indicators"`
	Rollups    []GeoRollup       `json:"rollups"`
}

// AreaResult is one priority area with the indicators that name it
// (areas: in their definitions), for goals the catalogue does not list word
// for word (e.g. Västra Götaland's economic-equality goals).
type AreaResult struct {
	Area       *Area             `json:"area"`
	Indicators []IndicatorStatus `json:"indicators"`
	Rollups    []GeoRollup       `json:"rollups"`
}

// DelmalStatus is one delmål (national sub-goal): the strategy's goals
// that serve it, and every indicator that follows it up, through one of
// those goals or by naming the delmål itself (delmal: in its definition),
// each once per geography, with the roll-up over them.
type DelmalStatus struct {
	Number     int               `json:"number"`
	Text       string            `json:"text"`
	Goals      []string          `json:"goals"`
	Indicators []IndicatorStatus `json:"indicators"`
	Rollups    []GeoRollup       `json:"rollups"`
}

// StatusReport is the goal follow-up of one strategy for one year.
type StatusReport struct {
	Strategy     *Strategy      `json:"strategy"`
	Year         string         `json:"year"`
	BaselineYear int            `json:"baseline_year"`
	Geos         []string       `json:"geos"`
	Goals        []GoalResult   `json:"goals"`
	Areas        []AreaResult   `json:"areas"`
	Delmal       []DelmalStatus `json:"delmal"`
	Notes        []string       `json:"notes"` // in the language of the last SetLang; English until then

	// notes holds every note in both languages, so SetLang can switch.
	notes []bilingual
}

type bilingual struct{ en, sv string }

// addNote records a note in English and Swedish; Notes shows English
// until SetLang chooses.
func (r *StatusReport) addNote(en, sv string) {
	r.notes = append(r.notes, bilingual{en: en, sv: sv})
	r.Notes = append(r.Notes, en)
}

// methodRank orders the methods goal status prefers for a geography: a
// published or own figure first, then pooled, then the mean of kommuner.
func methodRank(kind, method string) int {
	switch method {
	case MethodDirect:
		return 0
	case MethodEmployer:
		if kind == data.KindKommun {
			return 1
		}
		return 9 // a region as employer is not the county
	case MethodWeighted:
		return 2
	case MethodUnweighted:
		return 3
	}
	return 8
}

// GoalStatus follows up strategyID for year: for every goal, the indicators
// that follow it up, in geo (or, when geo is "", the strategy's scope and
// its kommuner), their latest value up to year, the baseline (the
// strategy's baseline year, or the nearest year with data, stated), the
// change and its direction, with roll-ups per goal and per delmål.
func GoalStatus(ctx context.Context, db *store.DB, cat *Catalogue, strategyID, year, geo string) (*StatusReport, error) {
	s, ok := cat.Strategy(strategyID)
	if !ok {
		var ids []string
		for _, x := range cat.Strategies {
			ids = append(ids, x.ID)
		}
		return nil, fmt.Errorf("unknown strategy %q (known: %s)", strategyID, strings.Join(ids, ", "))
	}
	y, err := strconv.Atoi(year)
	if err != nil {
		return nil, fmt.Errorf("year %q is not a year", year)
	}
	rep := &StatusReport{Strategy: s, Year: year, BaselineYear: s.BaselineYear}
	geos, err := statusGeos(s, geo)
	if err != nil {
		return nil, err
	}
	rep.Geos = geos
	if len(s.Goals) == 0 {
		rep.addNote(fmt.Sprintf("strategy %s lists no goals in the catalogue; add them with --goals DIR", s.ID),
			fmt.Sprintf("strategin %s har inga mål i katalogen; lägg till dem med --goals KATALOG", s.ID))
	}
	if s.GoalsTotal > len(s.Goals) {
		rep.addNote(fmt.Sprintf("the strategy has %d goals; %d are in the catalogue", s.GoalsTotal, len(s.Goals)),
			fmt.Sprintf("strategin har %d mål; %d finns i katalogen", s.GoalsTotal, len(s.Goals)))
	}
	// Every indicator any goal, area or delmål needs, read once.
	need := map[string]*Indicator{}
	for _, g := range s.Goals {
		for _, ind := range cat.IndicatorsForGoal(g.ID) {
			need[ind.ID] = ind
		}
	}
	for _, ind := range cat.Indicators {
		if len(ind.Delmal) > 0 {
			need[ind.ID] = ind
		}
	}
	for _, a := range s.Areas {
		for _, ind := range cat.IndicatorsForArea(a.ID) {
			need[ind.ID] = ind
		}
	}
	var ids []string
	for id := range need {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var vals []Value
	if len(ids) > 0 {
		vals, err = Values(ctx, db, Filter{Indicators: ids, Geos: geos, Groups: []string{""}})
		if err != nil {
			return nil, err
		}
	}
	series := buildSeries(vals, y)
	cache := map[string]IndicatorStatus{}
	for _, g := range s.Goals {
		gs := GoalResult{Goal: g}
		byGeo := map[string]*Rollup{}
		for _, ind := range cat.IndicatorsForGoal(g.ID) {
			for _, gc := range geos {
				k := ind.ID + "|" + gc
				st, ok := cache[k]
				if !ok {
					st = indicatorStatus(ind, gc, series[ind.ID][gc], s.BaselineYear)
					cache[k] = st
				}
				gs.Indicators = append(gs.Indicators, st)
				if byGeo[gc] == nil {
					byGeo[gc] = &Rollup{}
				}
				byGeo[gc].add(st.Direction)
			}
		}
		for _, gc := range geos {
			if r := byGeo[gc]; r != nil {
				gs.Rollups = append(gs.Rollups, GeoRollup{GeoCode: gc, Rollup: *r})
			}
		}
		rep.Goals = append(rep.Goals, gs)
	}
	for _, a := range s.Areas {
		ar := AreaResult{Area: a}
		byGeo := map[string]*Rollup{}
		for _, ind := range cat.IndicatorsForArea(a.ID) {
			for _, gc := range geos {
				k := ind.ID + "|" + gc
				st, ok := cache[k]
				if !ok {
					st = indicatorStatus(ind, gc, series[ind.ID][gc], s.BaselineYear)
					cache[k] = st
				}
				ar.Indicators = append(ar.Indicators, st)
				if byGeo[gc] == nil {
					byGeo[gc] = &Rollup{}
				}
				byGeo[gc].add(st.Direction)
			}
		}
		for _, gc := range geos {
			if r := byGeo[gc]; r != nil {
				ar.Rollups = append(ar.Rollups, GeoRollup{GeoCode: gc, Rollup: *r})
			}
		}
		rep.Areas = append(rep.Areas, ar)
	}
	// Per delmål: each indicator once, from the goals of the delmål and
	// from the indicators naming it.
	for _, d := range cat.Delmal {
		ds := DelmalStatus{Number: d.Number, Text: d.Text}
		seen := map[string]bool{}
		byGeo := map[string]*Rollup{}
		add := func(st IndicatorStatus) {
			k := st.Indicator + "|" + st.GeoCode
			if seen[k] {
				return
			}
			seen[k] = true
			ds.Indicators = append(ds.Indicators, st)
			if byGeo[st.GeoCode] == nil {
				byGeo[st.GeoCode] = &Rollup{}
			}
			byGeo[st.GeoCode].add(st.Direction)
		}
		for _, gs := range rep.Goals {
			if !containsInt(gs.Goal.Delmal, d.Number) {
				continue
			}
			ds.Goals = append(ds.Goals, gs.Goal.ID)
			for _, st := range gs.Indicators {
				add(st)
			}
		}
		for _, ind := range cat.Indicators {
			if !containsInt(ind.Delmal, d.Number) {
				continue
			}
			for _, gc := range geos {
				k := ind.ID + "|" + gc
				st, ok := cache[k]
				if !ok {
					st = indicatorStatus(ind, gc, series[ind.ID][gc], s.BaselineYear)
					cache[k] = st
				}
				add(st)
			}
		}
		if len(ds.Indicators) == 0 {
			continue
		}
		for _, gc := range geos {
			if r := byGeo[gc]; r != nil {
				ds.Rollups = append(ds.Rollups, GeoRollup{GeoCode: gc, Rollup: *r})
			}
		}
		rep.Delmal = append(rep.Delmal, ds)
	}
	rep.addNote("direction: better = toward the goal (for parity polarity: closer to the parity target, or for per-sex indicators a smaller gap between women and men); unchanged = within the indicator's tolerance",
		"riktning: bättre = mot målet (för jämställdhetsmål: närmare jämställdhet, eller för indikatorer per kön ett mindre avstånd mellan kvinnor och män); oförändrad = inom indikatorns tolerans")
	rep.addNote("county values: the published figure where there is one, else headcount-weighted, else the unweighted mean of kommuner",
		"länsvärden: den publicerade siffran där den finns, annars vägd efter antal personer, annars ovägt medelvärde av kommunerna")
	return rep, nil
}

// SetLang fills the sentences of the roll-ups and the notes in lang ("sv" or "en").
func (r *StatusReport) SetLang(lang string) {
	for i, n := range r.notes {
		if i < len(r.Notes) {
			r.Notes[i] = n.en
			if lang == "sv" {
				r.Notes[i] = n.sv
			}
		}
	}
	for i := range r.Goals {
		for j := range r.Goals[i].Rollups {
			r.Goals[i].Rollups[j].Sentence = r.Goals[i].Rollups[j].Rollup.Sentence(lang)
		}
	}
	for i := range r.Areas {
		for j := range r.Areas[i].Rollups {
			r.Areas[i].Rollups[j].Sentence = r.Areas[i].Rollups[j].Rollup.Sentence(lang)
		}
	}
	for i := range r.Delmal {
		for j := range r.Delmal[i].Rollups {
			r.Delmal[i].Rollups[j].Sentence = r.Delmal[i].Rollups[j].Rollup.Sentence(lang)
		}
	}
}

func statusGeos(s *Strategy, geo string) ([]string, error) {
	if geo != "" {
		code, ok := data.NormalizeGeoCode(geo)
		if !ok {
			return nil, fmt.Errorf("unknown geography %q", geo)
		}
		return []string{code}, nil
	}
	scope := s.Scope
	if scope == "" {
		scope = data.SwedenCode
	}
	out := []string{scope}
	if scope != data.SwedenCode {
		all, err := data.Geos()
		if err != nil {
			return nil, err
		}
		for _, g := range all {
			if g.Kind == data.KindKommun && g.CountyCode == scope {
				out = append(out, g.Code)
			}
		}
	}
	return out, nil
}

// point is one period's values of an indicator in one geography.
type point struct {
	period  string
	year    int
	method  string
	t, k, m *float64
	status  string
}

// buildSeries picks, per indicator and geography, the preferred method and
// returns its points up to year, oldest first.
func buildSeries(vals []Value, upTo int) map[string]map[string][]point {
	type key struct{ ind, geo string }
	best := map[key]int{}
	for _, v := range vals {
		g, _ := data.GeoByCode(v.GeoCode)
		r := methodRank(g.Kind, v.Method)
		k := key{v.Indicator, v.GeoCode}
		if cur, ok := best[k]; !ok || r < cur {
			best[k] = r
		}
	}
	pts := map[key]map[string]*point{}
	for _, v := range vals {
		g, _ := data.GeoByCode(v.GeoCode)
		k := key{v.Indicator, v.GeoCode}
		if methodRank(g.Kind, v.Method) != best[k] || best[k] >= 9 {
			continue
		}
		yr, err := strconv.Atoi(v.Period[:min(4, len(v.Period))])
		if err != nil || yr > upTo {
			continue
		}
		if pts[k] == nil {
			pts[k] = map[string]*point{}
		}
		p := pts[k][v.Period]
		if p == nil {
			p = &point{period: v.Period, year: yr, method: v.Method}
			pts[k][v.Period] = p
		}
		switch v.Sex {
		case "T":
			p.t = v.Value
			if v.Value == nil {
				p.status = v.Status
			}
		case "K":
			p.k = v.Value
		case "M":
			p.m = v.Value
		}
	}
	out := map[string]map[string][]point{}
	for k, m := range pts {
		var list []point
		for _, p := range m {
			list = append(list, *p)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].period < list[j].period })
		if out[k.ind] == nil {
			out[k.ind] = map[string][]point{}
		}
		out[k.ind][k.geo] = list
	}
	return out
}

// seriesValue is the followed series' value at a point, or nil.
func seriesValue(ind *Indicator, p *point) *float64 {
	switch ind.FollowSeries() {
	case "K":
		return p.k
	case "M":
		return p.m
	case "gap":
		if p.k == nil || p.m == nil {
			return nil
		}
		d := *p.k - *p.m
		if ind.Unit != "percent" {
			if *p.m == 0 {
				return nil
			}
			d = 100 * d / *p.m
		}
		return &d
	}
	return p.t
}

func indicatorStatus(ind *Indicator, geo string, pts []point, baselineYear int) IndicatorStatus {
	st := IndicatorStatus{
		Indicator: ind.ID, Title: ind.Title.Sv, Unit: ind.Unit, Polarity: ind.Polarity,
		Series: ind.FollowSeries(), GeoCode: geo, Direction: NoData,
	}
	if ind.Polarity == Context {
		st.Direction = ContextDirection
	}
	if g, ok := data.GeoByCode(geo); ok {
		st.GeoName = g.Name
	}
	if ind.Polarity == Parity {
		t := ind.Target()
		if st.Series == "gap" {
			t = 0
		}
		st.Target = &t
	}
	// Latest: the newest point with a value.
	li := -1
	for i := len(pts) - 1; i >= 0; i-- {
		if seriesValue(ind, &pts[i]) != nil {
			li = i
			break
		}
	}
	if li < 0 {
		if len(pts) > 0 {
			st.LatestPeriod, st.Status = pts[len(pts)-1].period, pts[len(pts)-1].status
		}
		return st
	}
	lp := &pts[li]
	st.LatestPeriod, st.Latest, st.LatestK, st.LatestM, st.Method = lp.period, seriesValue(ind, lp), lp.k, lp.m, lp.method
	// Baseline: the baseline year, else the nearest earlier-or-later year
	// with a value before the latest (ties: the earlier).
	bi := -1
	for i := 0; i < li; i++ {
		if seriesValue(ind, &pts[i]) == nil {
			continue
		}
		if bi < 0 || abs(pts[i].year-baselineYear) < abs(pts[bi].year-baselineYear) {
			bi = i
		}
	}
	if bi < 0 {
		st.BaselineNote = "no earlier value to compare with"
		return st
	}
	bp := &pts[bi]
	st.BaselinePeriod, st.Baseline, st.BaselineK, st.BaselineM = bp.period, seriesValue(ind, bp), bp.k, bp.m
	if bp.year != baselineYear {
		st.BaselineNote = fmt.Sprintf("no value for the baseline year %d; nearest available %s used", baselineYear, bp.period)
	}
	ch := *st.Latest - *st.Baseline
	st.Change = &ch
	tol := ind.Tol()
	if tol == 0 {
		tol = 0.01 * math.Abs(*st.Baseline)
	}
	st.Tolerance = tol
	var toward float64 // > 0: toward the goal
	switch ind.Polarity {
	case Context:
		return st
	case HigherBetter:
		toward = ch
	case LowerBetter:
		toward = -ch
	case Parity:
		toward = math.Abs(*st.Baseline-*st.Target) - math.Abs(*st.Latest-*st.Target)
	}
	switch {
	case toward > tol:
		st.Direction = Better
	case toward < -tol:
		st.Direction = Worse
	default:
		st.Direction = Unchanged
	}
	return st
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
