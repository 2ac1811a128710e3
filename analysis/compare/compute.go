package compare

import (
	"math"

	"github.com/jamstat/jamstat/analysis"
)

// side is what compute needs to know about one picked group.
type side struct {
	present bool
	stats   *condStats // nil when the group has no statistics
	area    string
	// areaCount is, for per_area conditions, the group's area counts.
	areaCount areaCount
}

func ptr[T any](v T) *T { return &v }

// value publishes one group's value of one condition, or says why not.
func value(c Condition, s side, k int) (Value, bool) {
	if !s.present {
		return Value{Status: StatusNoGroup}, false
	}
	st := s.stats
	if c.Kind == KindPerArea {
		n, x := s.areaCount.n, s.areaCount.x
		switch {
		case n == 0:
			return Value{Status: StatusNoData}, false
		case n < k:
			return Value{N: n, Status: StatusSuppressed}, false
		case x == 0:
			return Value{N: n, Status: StatusNoManager}, false
		}
		return Value{Value: ptr(float64(n) / float64(x)), N: n}, true
	}
	if st == nil || st.n == 0 {
		return Value{Status: StatusNoData}, false
	}
	if st.n < k {
		return Value{N: st.n, Status: StatusSuppressed}, false
	}
	v := Value{N: st.n}
	switch c.Kind {
	case KindShare:
		v.Value = ptr(100 * float64(st.x) / float64(st.n))
	case KindMean:
		v.Value = ptr(st.mean)
	case KindMedian:
		v.Value = ptr(analysis.Median(st.values))
	case KindRatio:
		if st.sx == 0 {
			return Value{N: st.n, Status: StatusZeroDenominator}, false
		}
		v.Value = ptr(c.Scale * st.sy / st.sx)
	}
	return v, true
}

// compareCondition compares the female-dominated group f with the
// male-dominated group m on condition c. seed is this comparison's own
// bootstrap seed.
func compareCondition(c Condition, f, m side, o Options, seed int64) Comparison {
	cmp := Comparison{Condition: c.ID}
	var okF, okM bool
	cmp.Female, okF = value(c, f, o.K)
	cmp.Male, okM = value(c, m, o.K)
	if !okF || !okM {
		switch {
		case !f.present || !m.present:
			cmp.Status = StatusNoGroup
		case !okF:
			cmp.Status = "female group: " + cmp.Female.Status
		default:
			cmp.Status = "male group: " + cmp.Male.Status
		}
		return cmp
	}
	fv, mv := *cmp.Female.Value, *cmp.Male.Value
	cmp.Diff = ptr(fv - mv)
	if c.hasRatio() && mv != 0 {
		cmp.Ratio = ptr(100 * fv / mv)
	}
	level := o.Confidence
	fs, ms := f.stats, m.stats
	switch c.Kind {
	case KindShare:
		iv, err := analysis.NewcombeDiff(fs.x, fs.n, ms.x, ms.n, level)
		if err == nil {
			cmp.DiffCI = &Interval{100 * iv.Lo, 100 * iv.Hi}
			cmp.Method = "newcombe-hybrid-score"
		}
	case KindMean:
		iv, err := analysis.WelchDiffSummary(fs.mean, fs.sd, fs.n, ms.mean, ms.sd, ms.n, level)
		if err == nil {
			cmp.DiffCI = &Interval{iv.Lo, iv.Hi}
			cmp.Method = "welch-t"
		}
		if c.Ratio {
			b := bootstrapJoint(fs.values, ms.values, false, true, o.Bootstrap, seed, level)
			cmp.RatioCI = b.meanRatio
		}
	case KindMedian:
		b := bootstrapJoint(fs.values, ms.values, true, false, o.Bootstrap, seed, level)
		cmp.DiffCI, cmp.RatioCI = b.medianDiff, b.medianRatio
		if cmp.DiffCI != nil {
			cmp.Method = "percentile-bootstrap"
		}
	case KindRatio:
		a, errA := ratioFromSums(fs.n, fs.sy, fs.sx, fs.syy, fs.sxx, fs.sxy)
		b, errB := ratioFromSums(ms.n, ms.sy, ms.sx, ms.syy, ms.sxx, ms.sxy)
		if errA == nil && errB == nil {
			a.r, a.v = c.Scale*a.r, c.Scale*c.Scale*a.v
			b.r, b.v = c.Scale*b.r, c.Scale*c.Scale*b.v
			iv, _ := ratioDiffCI(a, b, level)
			cmp.DiffCI = &iv
			cmp.Method = "delta-ratio-welch"
		}
	case KindPerArea:
		if f.area == m.area {
			// One area, one value: the difference is exactly 0.
			cmp.DiffCI = &Interval{0, 0}
			cmp.Method = "same-area"
			break
		}
		tf, ivF, errF := perFlaggedCI(f.areaCount.x, f.areaCount.n, level)
		tm, ivM, errM := perFlaggedCI(m.areaCount.x, m.areaCount.n, level)
		if errF == nil && errM == nil {
			iv := moverDiff(tf, ivF, tm, ivM)
			cmp.DiffCI = &iv
			cmp.Method = "mover-wilson"
		}
	}
	if cmp.DiffCI != nil {
		cmp.Distinguishable = ptr(cmp.DiffCI.Lo > 0 || cmp.DiffCI.Hi < 0)
	}
	d := *cmp.Diff
	switch {
	case math.IsNaN(d):
		cmp.Diff = nil
	case c.Worse == WorseHigher:
		cmp.FemaleWorse = ptr(d > 0)
	default:
		cmp.FemaleWorse = ptr(d < 0)
	}
	return cmp
}
