package compare

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Coverage sanity: draw many samples from known populations, build the
// interval each way the comparison does, and check that about 95 % of the
// intervals hold the true difference. The draws are seeded, so the counts
// are fixed; the bounds are wide enough for the methods' known small-sample
// behaviour but catch a wrong formula (a wrong variance or quantile lands
// far outside).

const coverageSims = 1000

func coverageOptions() Options {
	o, err := Options{Bootstrap: 500}.withDefaults()
	if err != nil {
		panic(err)
	}
	return o
}

func checkCoverage(t *testing.T, name string, hit, sims int, lo, hi float64) {
	t.Helper()
	c := float64(hit) / float64(sims)
	t.Logf("%s: coverage %.3f over %d samples", name, c, sims)
	if c < lo || c > hi {
		t.Errorf("%s: coverage %.3f outside [%.2f, %.2f]", name, c, lo, hi)
	}
}

func binom(rng *rand.Rand, n int, p float64) int {
	x := 0
	for range n {
		if rng.Float64() < p {
			x++
		}
	}
	return x
}

func TestCoverageShareNewcombe(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	o := coverageOptions()
	c := Condition{ID: "s", Kind: KindShare, Worse: WorseHigher}
	hit := 0
	for range coverageSims {
		f := condStats{n: 40, x: binom(rng, 40, 0.30)}
		m := condStats{n: 25, x: binom(rng, 25, 0.15)}
		cm := compareCondition(c, side{present: true, stats: &f}, side{present: true, stats: &m}, o, 1)
		if cm.DiffCI.Lo <= 15 && 15 <= cm.DiffCI.Hi {
			hit++
		}
	}
	checkCoverage(t, "newcombe", hit, coverageSims, 0.93, 0.98)
}

// sickSample draws n persons' scheduled and sick hours: scheduled hours
// uniform on [1000, 2000], and sick hours a share s of them, s = 0 with
// probability 1 − q, else uniform on [0, 0.2]. The population ratio
// Σsick/Σscheduled is E[s] = 0.1 q.
func sickSample(rng *rand.Rand, n int, q float64) condStats {
	var st condStats
	st.n = n
	for range n {
		x := 1000 + 1000*rng.Float64()
		y := 0.0
		if rng.Float64() < q {
			y = x * 0.2 * rng.Float64()
		}
		st.sy += y
		st.sx += x
		st.syy += y * y
		st.sxx += x * x
		st.sxy += x * y
	}
	return st
}

func TestCoverageRatioDelta(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	o := coverageOptions()
	c := Condition{ID: "sick", Kind: KindRatio, Num: "y", Den: "x", Scale: 100, Worse: WorseHigher}
	const truth = 100 * (0.1*0.3 - 0.1*0.2) // 1 percentage point
	hit := 0
	for range coverageSims {
		f, m := sickSample(rng, 80, 0.3), sickSample(rng, 60, 0.2)
		cm := compareCondition(c, side{present: true, stats: &f}, side{present: true, stats: &m}, o, 1)
		if cm.DiffCI == nil {
			t.Fatal("no interval")
		}
		if cm.DiffCI.Lo <= truth && truth <= cm.DiffCI.Hi {
			hit++
		}
	}
	checkCoverage(t, "ratio delta", hit, coverageSims, 0.92, 0.98)
}

func TestCoveragePerAreaMOVER(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	o := coverageOptions()
	c := Condition{ID: "pm", Kind: KindPerArea, Worse: WorseHigher}
	// Areas of 300 and 120 employees, managers with probability 1/15 and
	// 1/8: the parameters 1/p are 15 and 8 employees per manager.
	const truth = 15.0 - 8.0
	hit, n := 0, 0
	for range coverageSims {
		f := side{present: true, area: "a", areaCount: areaCount{n: 300, x: binom(rng, 300, 1.0/15)}}
		m := side{present: true, area: "b", areaCount: areaCount{n: 120, x: binom(rng, 120, 1.0/8)}}
		cm := compareCondition(c, f, m, o, 1)
		if cm.DiffCI == nil {
			continue // no managers drawn: no value, as in real data
		}
		n++
		if cm.DiffCI.Lo <= truth && truth <= cm.DiffCI.Hi {
			hit++
		}
	}
	checkCoverage(t, "mover-wilson", hit, n, 0.92, 0.98)
}

func lognormal(rng *rand.Rand, n int, mu, sigma float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Exp(mu + sigma*rng.NormFloat64())
	}
	return v
}

func TestCoverageBootstrapMedianAndRatio(t *testing.T) {
	if testing.Short() {
		t.Skip("bootstrap coverage takes a few seconds")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	const sims, reps = 400, 500
	mu1, mu2, s := math.Log(31000), math.Log(35000), 0.15
	medDiff := 31000.0 - 35000.0
	meanRatio := 100 * math.Exp(mu1-mu2) // the lognormal σ²/2 terms cancel
	hitMed, hitRatio := 0, 0
	for i := range sims {
		a, b := lognormal(rng, 60, mu1, s), lognormal(rng, 40, mu2, s)
		r := bootstrapJoint(a, b, true, true, reps, int64(i), 0.95)
		if r.medianDiff.Lo <= medDiff && medDiff <= r.medianDiff.Hi {
			hitMed++
		}
		if r.meanRatio.Lo <= meanRatio && meanRatio <= r.meanRatio.Hi {
			hitRatio++
		}
	}
	// Percentile bootstrap intervals run a little short at these sizes.
	checkCoverage(t, "bootstrap median difference", hitMed, sims, 0.90, 0.99)
	checkCoverage(t, "bootstrap mean ratio", hitRatio, sims, 0.90, 0.99)
}

// The counting resampler's median and sum equal those of the resample
// written out and sorted.
func TestResamplerMedian(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for n := 1; n < 60; n++ {
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(7)) // many ties
		}
		r := newResampler(x)
		for range 20 {
			r.draw(rng)
			var s []float64
			sum := 0.0
			for i, c := range r.counts {
				for range c {
					s = append(s, r.sorted[i])
					sum += r.sorted[i]
				}
			}
			if len(s) != n {
				t.Fatalf("n=%d: resample has %d values", n, len(s))
			}
			want := s[n/2]
			if n%2 == 0 {
				want = (s[n/2-1] + s[n/2]) / 2
			}
			if got := r.median(); got != want || r.sum != sum {
				t.Fatalf("n=%d: median %v sum %v, want %v %v", n, got, r.sum, want, sum)
			}
		}
	}
}

func TestRatioFromSumsExact(t *testing.T) {
	// y = (2, 0, 4), x = (10, 10, 20): R = 6/40 = 0.15; d = y − Rx =
	// (0.5, −1.5, 1); Σd² = 3.5; x̄ = 40/3; Var = 3.5 / (2 · 3 · (40/3)²).
	r, err := ratioFromSums(3, 6, 40, 4+16, 100+100+400, 20+80)
	if err != nil {
		t.Fatal(err)
	}
	want := 3.5 / (2 * 3 * (40.0 / 3) * (40.0 / 3))
	if !near(r.r, 0.15) || !near(r.v, want) {
		t.Errorf("ratio %v var %v; want 0.15, %v", r.r, r.v, want)
	}
	if _, err := ratioFromSums(1, 1, 1, 1, 1, 1); err == nil {
		t.Error("one person: want an error")
	}
}

func TestSameAreaDifferenceIsZero(t *testing.T) {
	o := coverageOptions()
	c := Condition{ID: "pm", Kind: KindPerArea, Worse: WorseHigher}
	s := side{present: true, area: "a", areaCount: areaCount{n: 50, x: 5}}
	cm := compareCondition(c, s, s, o, 1)
	if cm.Diff == nil || *cm.Diff != 0 || *cm.DiffCI != (Interval{0, 0}) || *cm.Distinguishable || *cm.FemaleWorse {
		t.Errorf("same area: %+v", cm)
	}
	s0 := side{present: true, area: "b", areaCount: areaCount{n: 50, x: 0}}
	if cm := compareCondition(c, s0, s, o, 1); cm.Female.Status != StatusNoManager || cm.Diff != nil {
		t.Errorf("no managers: %+v", cm)
	}
}

func TestSeedForIndependentOfOrder(t *testing.T) {
	a, b := seedFor(1, "2024", "1401", "wage"), seedFor(1, "2024", "1401", "wage")
	if a != b || a == seedFor(1, "2024", "1402", "wage") || a == seedFor(2, "2024", "1401", "wage") {
		t.Error("seeds must depend on exactly the run seed and the key")
	}
	if seedFor(1, "20", "241401") == seedFor(1, "2024", "1401") {
		t.Error("key parts must be separated")
	}
}
