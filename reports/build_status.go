package reports

import (
	"math"
	"sort"
	"strconv"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/indicators"
)

// ownStatus judges an indicator's direction in geo the way
// indicators.GoalStatus does, for the indicators GoalStatus does not cover:
// those that follow a delmål of the strategy without one of its goals or
// priority areas. It reads the values already in idx and follows
// GoalStatus step by step: the best-ranked method of the geography, the
// newest year up to upTo with a value of the followed series, the
// baseline year (else the nearest year with a value before the latest;
// ties the earlier), and the direction against the indicator's tolerance.
// TestOwnStatusMatchesGoalStatus holds the two together; once GoalStatus
// reports these indicators too, this function goes.
func ownStatus(ind *indicators.Indicator, idx valueIndex, geo string, baselineYear, upTo int) indicators.IndicatorStatus {
	st := indicators.IndicatorStatus{
		Indicator: ind.ID, Title: ind.Title.Sv, Unit: ind.Unit, Polarity: ind.Polarity,
		Series: ind.FollowSeries(), GeoCode: geo, Direction: indicators.NoData,
	}
	if ind.Polarity == indicators.Context {
		st.Direction = indicators.ContextDirection
	}
	kind := ""
	if g, ok := data.GeoByCode(geo); ok {
		st.GeoName, kind = g.Name, g.Kind
	}
	if ind.Polarity == indicators.Parity {
		t := ind.Target()
		if st.Series == "gap" {
			t = 0
		}
		st.Target = &t
	}
	// The best-ranked method over all periods, as GoalStatus picks it; a
	// region as employer never stands for the county.
	method, rank := "", 9
	for m := range idx[ind.ID][geo] {
		if r := methodRank(kind, m); r < rank || (r == rank && m < method) {
			method, rank = m, r
		}
	}
	if method == "" {
		return st
	}
	type point struct {
		period string
		year   int
		c      *cellSet
	}
	var pts []point
	for p, c := range idx[ind.ID][geo][method] {
		y, err := strconv.Atoi(p[:min(4, len(p))])
		if err != nil || y > upTo {
			continue
		}
		pts = append(pts, point{p, y, c})
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].period < pts[j].period })
	value := func(p point) *float64 { return followedValue(ind, p.c) }
	li := -1
	for i := len(pts) - 1; i >= 0; i-- {
		if value(pts[i]) != nil {
			li = i
			break
		}
	}
	if li < 0 {
		if len(pts) > 0 {
			last := pts[len(pts)-1]
			st.LatestPeriod = last.period
			if last.c.T != nil && last.c.T.Value == nil {
				st.Status = last.c.T.Status
			}
		}
		return st
	}
	lp := pts[li]
	st.LatestPeriod, st.Latest, st.Method = lp.period, value(lp), method
	st.LatestK, st.LatestM = cellValue(lp.c.K), cellValue(lp.c.M)
	bi := -1
	for i := 0; i < li; i++ {
		if value(pts[i]) == nil {
			continue
		}
		if bi < 0 || absInt(pts[i].year-baselineYear) < absInt(pts[bi].year-baselineYear) {
			bi = i
		}
	}
	if bi < 0 {
		st.BaselineNote = "no earlier value to compare with"
		return st
	}
	bp := pts[bi]
	st.BaselinePeriod, st.Baseline = bp.period, value(bp)
	st.BaselineK, st.BaselineM = cellValue(bp.c.K), cellValue(bp.c.M)
	ch := *st.Latest - *st.Baseline
	st.Change = &ch
	tol := ind.Tol()
	if tol == 0 {
		tol = 0.01 * math.Abs(*st.Baseline)
	}
	st.Tolerance = tol
	var toward float64 // > 0: toward the goal
	switch ind.Polarity {
	case indicators.Context:
		return st
	case indicators.HigherBetter:
		toward = ch
	case indicators.LowerBetter:
		toward = -ch
	case indicators.Parity:
		toward = math.Abs(*st.Baseline-*st.Target) - math.Abs(*st.Latest-*st.Target)
	}
	switch {
	case toward > tol:
		st.Direction = indicators.Better
	case toward < -tol:
		st.Direction = indicators.Worse
	default:
		st.Direction = indicators.Unchanged
	}
	return st
}

func cellValue(v *indicators.Value) *float64 {
	if v == nil {
		return nil
	}
	return v.Value
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
