package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a point estimate with a two-sided confidence interval.
type Interval struct {
	Estimate float64 `json:"estimate"`
	Lo       float64 `json:"lo"`
	Hi       float64 `json:"hi"`
	// Level is the confidence level, e.g. 0.95.
	Level  float64 `json:"level"`
	Method string  `json:"method"`
	// DF is the degrees of freedom of a t interval.
	DF float64 `json:"df,omitempty"`
}

// ExcludesZero reports whether the interval lies wholly above or below 0:
// the difference is "distinguishable from zero" at the interval's level.
func (iv Interval) ExcludesZero() bool { return iv.Lo > 0 || iv.Hi < 0 }

func zCrit(level float64) (float64, error) {
	if !(level > 0 && level < 1) {
		return 0, fmt.Errorf("confidence level %v: want a number between 0 and 1, e.g. 0.95", level)
	}
	return distuv.UnitNormal.Quantile(1 - (1-level)/2), nil
}

// Wilson is the Wilson score interval for the proportion x/n (Wilson 1927;
// Newcombe 1998 method 3, without continuity correction). Unlike the Wald
// interval it stays inside [0, 1] and behaves for proportions near 0 or 1 and
// small n, which the share of women in small groups often is.
func Wilson(x, n int, level float64) (Interval, error) {
	if n <= 0 || x < 0 || x > n {
		return Interval{}, fmt.Errorf("wilson: need 0 ≤ x ≤ n and n > 0, got x=%d n=%d", x, n)
	}
	z, err := zCrit(level)
	if err != nil {
		return Interval{}, err
	}
	p := float64(x) / float64(n)
	nn := float64(n)
	den := 1 + z*z/nn
	centre := (p + z*z/(2*nn)) / den
	half := z / den * math.Sqrt(p*(1-p)/nn+z*z/(4*nn*nn))
	lo, hi := centre-half, centre+half
	// Exact at the edges (rounding can leave 1e-17 off).
	if x == 0 {
		lo = 0
	}
	if x == n {
		hi = 1
	}
	return Interval{Estimate: p, Lo: lo, Hi: hi, Level: level, Method: "wilson"}, nil
}

// NewcombeDiff is the interval for the difference of two independent
// proportions x1/n1 − x2/n2 by Newcombe's hybrid score method (Newcombe
// 1998, "Interval estimation for the difference between independent
// proportions", method 10): with Wilson limits (l1,u1), (l2,u2),
// lower = d − sqrt((p1−l1)² + (u2−p2)²), upper = d + sqrt((u1−p1)² + (p2−l2)²).
func NewcombeDiff(x1, n1, x2, n2 int, level float64) (Interval, error) {
	a, err := Wilson(x1, n1, level)
	if err != nil {
		return Interval{}, fmt.Errorf("group 1: %w", err)
	}
	b, err := Wilson(x2, n2, level)
	if err != nil {
		return Interval{}, fmt.Errorf("group 2: %w", err)
	}
	p1, p2 := a.Estimate, b.Estimate
	d := p1 - p2
	return Interval{
		Estimate: d,
		Lo:       d - math.Hypot(p1-a.Lo, b.Hi-p2),
		Hi:       d + math.Hypot(a.Hi-p1, p2-b.Lo),
		Level:    level, Method: "newcombe-hybrid-score",
	}, nil
}

// finite returns the non-NaN values of v (missing values are skipped).
func finite(v []float64) []float64 {
	out := make([]float64, 0, len(v))
	for _, x := range v {
		if !math.IsNaN(x) {
			out = append(out, x)
		}
	}
	return out
}

// WelchDiff is Welch's t interval for mean(a) − mean(b) without assuming
// equal variances, with Welch–Satterthwaite degrees of freedom. NaN values
// are skipped.
func WelchDiff(a, b []float64, level float64) (Interval, error) {
	a, b = finite(a), finite(b)
	if len(a) < 2 || len(b) < 2 {
		return Interval{}, fmt.Errorf("welch: need at least 2 values per group, have %d and %d", len(a), len(b))
	}
	return WelchDiffSummary(mean(a), math.Sqrt(sampleVar(a)), len(a), mean(b), math.Sqrt(sampleVar(b)), len(b), level)
}

// WelchDiffSummary is WelchDiff from group means, standard deviations and
// sizes, for when only aggregates are stored.
func WelchDiffSummary(m1, sd1 float64, n1 int, m2, sd2 float64, n2 int, level float64) (Interval, error) {
	if n1 < 2 || n2 < 2 {
		return Interval{}, fmt.Errorf("welch: need at least 2 values per group, have %d and %d", n1, n2)
	}
	if !(level > 0 && level < 1) {
		return Interval{}, fmt.Errorf("confidence level %v: want a number between 0 and 1", level)
	}
	v1, v2 := sd1*sd1/float64(n1), sd2*sd2/float64(n2)
	se := math.Sqrt(v1 + v2)
	d := m1 - m2
	if se == 0 {
		return Interval{Estimate: d, Lo: d, Hi: d, Level: level, Method: "welch-t"}, nil
	}
	df := (v1 + v2) * (v1 + v2) / (v1*v1/float64(n1-1) + v2*v2/float64(n2-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-level)/2)
	return Interval{Estimate: d, Lo: d - t*se, Hi: d + t*se, Level: level, Method: "welch-t", DF: df}, nil
}

// Median is the sample median (mean of the two middle values for an even
// count); NaN values are skipped, and an empty input gives NaN.
func Median(v []float64) float64 {
	s := finite(v)
	if len(s) == 0 {
		return math.NaN()
	}
	slices.Sort(s)
	return medianSorted(s)
}

func medianSorted(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// percentile is the type-7 (linear) quantile of sorted s.
func percentile(s []float64, p float64) float64 {
	h := p * float64(len(s)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-lo)*(s[i+1]-s[i])
}

func newRNG(seed int64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), 0x6a616d73746174)) // "jamstat"
}

func resampleMedian(rng *rand.Rand, x, buf []float64) float64 {
	for i := range buf {
		buf[i] = x[rng.IntN(len(x))]
	}
	slices.Sort(buf)
	return medianSorted(buf)
}

// BootstrapMedian is the percentile bootstrap interval for the median of x:
// reps resamples with replacement (default 2000), seeded so the interval is
// reproducible; the limits are the (1−level)/2 and (1+level)/2 quantiles
// (linear interpolation) of the resampled medians.
func BootstrapMedian(x []float64, reps int, seed int64, level float64) (Interval, error) {
	x = finite(x)
	if len(x) == 0 {
		return Interval{}, fmt.Errorf("bootstrap median: no values")
	}
	if !(level > 0 && level < 1) {
		return Interval{}, fmt.Errorf("confidence level %v: want a number between 0 and 1", level)
	}
	if reps <= 0 {
		reps = 2000
	}
	rng := newRNG(seed)
	buf := make([]float64, len(x))
	meds := make([]float64, reps)
	for r := range meds {
		meds[r] = resampleMedian(rng, x, buf)
	}
	slices.Sort(meds)
	a := (1 - level) / 2
	return Interval{Estimate: Median(x), Lo: percentile(meds, a), Hi: percentile(meds, 1-a), Level: level, Method: "percentile-bootstrap"}, nil
}

// BootstrapMedianDiff is the percentile bootstrap interval for
// median(a) − median(b), resampling each group separately.
func BootstrapMedianDiff(a, b []float64, reps int, seed int64, level float64) (Interval, error) {
	a, b = finite(a), finite(b)
	if len(a) == 0 || len(b) == 0 {
		return Interval{}, fmt.Errorf("bootstrap median difference: a group has no values (%d, %d)", len(a), len(b))
	}
	if !(level > 0 && level < 1) {
		return Interval{}, fmt.Errorf("confidence level %v: want a number between 0 and 1", level)
	}
	if reps <= 0 {
		reps = 2000
	}
	rng := newRNG(seed)
	ba, bb := make([]float64, len(a)), make([]float64, len(b))
	d := make([]float64, reps)
	for r := range d {
		d[r] = resampleMedian(rng, a, ba) - resampleMedian(rng, b, bb)
	}
	slices.Sort(d)
	al := (1 - level) / 2
	return Interval{Estimate: Median(a) - Median(b), Lo: percentile(d, al), Hi: percentile(d, 1-al), Level: level, Method: "percentile-bootstrap"}, nil
}
