package compare

import (
	"errors"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/jamstat/jamstat/analysis"
)

// The intervals the analysis package does not (yet) offer live here:
// the linearised ratio estimator, MOVER for employees per manager, and a
// joint bootstrap that gives the median difference and both ratios from
// one set of resamples. Wilson, Newcombe and Welch come from analysis.

// ratioEstimate is a ratio estimator R = Σy / Σx over n persons with its
// linearisation (delta-method) variance:
//
//	Var(R) ≈ Σ (y_i − R x_i)² / ((n − 1) · n · x̄²)
//
// (Cochran 1977, §6.3; the textbook variance of a ratio estimator, with
// Σ(y − Rx)² = Σy² − 2RΣxy + R²Σx² from the sufficient statistics).
type ratioEstimate struct {
	r, v float64 // estimate and variance
	n    int
}

func ratioFromSums(n int, sy, sx, syy, sxx, sxy float64) (ratioEstimate, error) {
	if n < 2 {
		return ratioEstimate{}, errors.New("ratio: need at least 2 persons")
	}
	if sx == 0 {
		return ratioEstimate{}, errors.New("ratio: denominator sums to 0")
	}
	r := sy / sx
	ss := syy - 2*r*sxy + r*r*sxx
	if ss < 0 { // rounding when every y_i = R x_i
		ss = 0
	}
	xbar := sx / float64(n)
	return ratioEstimate{r: r, v: ss / (float64(n-1) * float64(n) * xbar * xbar), n: n}, nil
}

// ratioDiffCI is the interval for R1 − R2 of two independent ratio
// estimators: normal on the linearised variances with Welch–Satterthwaite
// degrees of freedom for the t quantile.
func ratioDiffCI(a, b ratioEstimate, level float64) (Interval, float64) {
	d := a.r - b.r
	se := math.Sqrt(a.v + b.v)
	if se == 0 {
		return Interval{d, d}, math.Inf(1)
	}
	df := (a.v + b.v) * (a.v + b.v) / (a.v*a.v/float64(a.n-1) + b.v*b.v/float64(b.n-1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-level)/2)
	return Interval{d - t*se, d + t*se}, df
}

// perFlaggedCI is the interval of n/x (e.g. employees per manager) from the
// Wilson interval [l, u] of the proportion x/n: since n/x = 1/p is
// monotone, its limits are 1/u and 1/l.
func perFlaggedCI(x, n int, level float64) (est float64, iv Interval, err error) {
	w, err := analysis.Wilson(x, n, level)
	if err != nil {
		return 0, Interval{}, err
	}
	if x == 0 {
		return 0, Interval{}, errors.New("no one flagged")
	}
	return float64(n) / float64(x), Interval{1 / w.Hi, 1 / w.Lo}, nil
}

// moverDiff is the MOVER interval (method of variance estimates recovery,
// Zou & Donner 2008; Newcombe's hybrid score interval is its special case
// for proportions) for θ1 − θ2 from separate intervals [l1,u1], [l2,u2]:
//
//	L = d − sqrt((θ1 − l1)² + (u2 − θ2)²),  U = d + sqrt((u1 − θ1)² + (θ2 − l2)²).
func moverDiff(t1 float64, i1 Interval, t2 float64, i2 Interval) Interval {
	d := t1 - t2
	return Interval{d - math.Hypot(t1-i1.Lo, i2.Hi-t2), d + math.Hypot(i1.Hi-t1, t2-i2.Lo)}
}

// bootResult holds the percentile intervals a joint bootstrap gives.
type bootResult struct {
	medianDiff, medianRatio, meanRatio *Interval
}

// bootstrapJoint resamples both groups with replacement reps times (each
// group separately: they are independent samples) and returns percentile
// intervals for median(a) − median(b), 100 · median(a)/median(b) and
// 100 · mean(a)/mean(b), as asked by medians and means. One set of
// resamples serves every statistic, so they agree with each other; medians
// come from counts over the sorted sample (O(n), no sort per resample). analysis.BootstrapMedianDiff is
// the same estimator for the difference alone (the tests check they agree).
// Resamples whose denominator is 0 are left out of the ratio; if more than
// half are, there is no ratio interval.
func bootstrapJoint(a, b []float64, median, meanRatio bool, reps int, seed int64, level float64) bootResult {
	var res bootResult
	if len(a) == 0 || len(b) == 0 || (!median && !meanRatio) {
		return res
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x636f6d70617265)) // "compare"
	ra, rb := newResampler(a), newResampler(b)
	var mdiff, mratio, aratio []float64
	for range reps {
		ra.draw(rng)
		rb.draw(rng)
		if meanRatio && rb.sum != 0 {
			aratio = append(aratio, 100*(ra.sum/float64(len(a)))/(rb.sum/float64(len(b))))
		}
		if median {
			ma, mb := ra.median(), rb.median()
			mdiff = append(mdiff, ma-mb)
			if mb != 0 {
				mratio = append(mratio, 100*ma/mb)
			}
		}
	}
	pct := func(v []float64) *Interval {
		if len(v) == 0 || 2*len(v) < reps {
			return nil
		}
		slices.Sort(v)
		al := (1 - level) / 2
		return &Interval{quantile7(v, al), quantile7(v, 1-al)}
	}
	res.medianDiff, res.medianRatio, res.meanRatio = pct(mdiff), pct(mratio), pct(aratio)
	return res
}

// resampler draws bootstrap resamples of one sample as counts over its
// sorted values: a resample's median is then found by a cumulative scan
// instead of selecting in a copy, and its sum comes with the draw.
type resampler struct {
	sorted []float64
	counts []int32
	sum    float64
}

func newResampler(x []float64) *resampler {
	s := slices.Clone(x)
	slices.Sort(s)
	return &resampler{sorted: s, counts: make([]int32, len(s))}
}

func (r *resampler) draw(rng *rand.Rand) {
	clear(r.counts)
	n := len(r.sorted)
	r.sum = 0
	for range n {
		j := rng.IntN(n)
		r.counts[j]++
		r.sum += r.sorted[j]
	}
}

// median is the resample's median: the value of order statistic (n+1)/2,
// or the mean of order statistics n/2 and n/2+1 for an even n.
func (r *resampler) median() float64 {
	n := len(r.sorted)
	lo, hi := (n+1)/2, n/2+1 // 1-based ranks; equal for odd n
	var loV float64
	cum := 0
	for i, c := range r.counts {
		if c == 0 {
			continue
		}
		prev := cum
		cum += int(c)
		if prev < lo && lo <= cum {
			loV = r.sorted[i]
		}
		if hi <= cum {
			return (loV + r.sorted[i]) / 2
		}
	}
	return loV
}

// quantile7 is the type-7 (linear interpolation) quantile of sorted s, the
// rule analysis.BootstrapMedianDiff uses.
func quantile7(s []float64, p float64) float64 {
	h := p * float64(len(s)-1)
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-lo)*(s[i+1]-s[i])
}

// seedFor derives a resampling seed from the run's seed and what is being
// resampled, so results do not depend on the order employers are processed.
func seedFor(seed int64, parts ...string) int64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return int64(h.Sum64() ^ uint64(seed)*0x9e3779b97f4a7c15)
}
