package analysis

import (
	"math"
	"slices"
	"testing"
)

// TestPayRatio reproduces Medlingsinstitutet's 2018 figures (all sectors):
// women 32 600 SEK, men 36 500 SEK → women's pay 89 % of men's, gap 10.7 %.
func TestPayRatio(t *testing.T) {
	r, g := PayRatio(32600, 36500)
	checkPrinted(t, "ratio", r, "89")
	checkPrinted(t, "gap", g, "10.7")
}

func TestUnadjustedWageGap(t *testing.T) {
	g, err := UnadjustedWageGap([]float64{3, 4, 5, nan}, []float64{5, 6, 7, 10})
	if err != nil {
		t.Fatal(err)
	}
	// women mean 4, median 4; men mean 7, median 6.5.
	if g.NWomen != 3 || g.MeanWomen != 4 || g.MeanMen != 7 || g.MedianMen != 6.5 {
		t.Errorf("%+v", g)
	}
	if !near(g.RatioMeanPct, 400.0/7, 1e-12) || !near(g.GapMeanPct, 100-400.0/7, 1e-12) || !near(g.RatioMedianPct, 400/6.5, 1e-12) {
		t.Errorf("ratios %+v", g)
	}
	if _, err := UnadjustedWageGap(nil, []float64{1}); err == nil {
		t.Error("no women must be an error")
	}
}

func TestStandardisedWageGap(t *testing.T) {
	cells := []WageCell{
		{Key: "A", MeanWomen: 100, MeanMen: 110, NWomen: 30, NMen: 10},
		{Key: "B", MeanWomen: 200, MeanMen: 200, NWomen: 10, NMen: 30},
		{Key: "C", MeanWomen: 150, MeanMen: nan, NWomen: 20, NMen: 0},
	}
	s, err := StandardisedWageGap(cells)
	if err != nil {
		t.Fatal(err)
	}
	// Weights 40 and 40: women (100+200)/2 = 150, men (110+200)/2 = 155;
	// cell C (20 women, no men) excluded: 20 of 100 people.
	if !near(s.MeanWomen, 150, 1e-12) || !near(s.MeanMen, 155, 1e-12) || !near(s.RatioPct, 100*150.0/155, 1e-12) {
		t.Errorf("means %+v", s)
	}
	if s.CellsUsed != 2 || s.CellsExcl != 1 || s.HeadcountExcl != 20 || s.ExcludedSharePct != 20 || !slices.Equal(s.Excluded, []string{"C"}) {
		t.Errorf("exclusions %+v", s)
	}
	// Equal pay within every cell gives no standardised gap, however
	// different the sexes' composition (the unadjusted gap would be large).
	eq := []WageCell{
		{Key: "low", MeanWomen: 25000, MeanMen: 25000, NWomen: 90, NMen: 10},
		{Key: "high", MeanWomen: 50000, MeanMen: 50000, NWomen: 10, NMen: 90},
	}
	s, _ = StandardisedWageGap(eq)
	if s.GapPct != 0 {
		t.Errorf("equal pay within cells: gap %v", s.GapPct)
	}
	if _, err := StandardisedWageGap(cells[2:]); err == nil {
		t.Error("no cell with both sexes must be an error")
	}
}

func TestUKPayQuartiles(t *testing.T) {
	F, M := true, false
	cases := []struct {
		name     string
		pay      []float64
		female   []bool
		womenPct [4]float64
		sizes    [4]int
		meanGap  float64
	}{
		{"segregated", []float64{1, 2, 3, 4, 5, 6, 7, 8}, []bool{F, F, F, F, M, M, M, M},
			[4]float64{100, 100, 0, 0}, [4]int{2, 2, 2, 2}, 100 * (6.5 - 2.5) / 6.5},
		// Four people on pay 10 straddle the boundary between bands 2 and
		// 3; split evenly by sex each band gets one woman and one man.
		{"ties across a boundary", []float64{5, 5, 10, 10, 10, 10, 20, 20}, []bool{F, M, F, F, M, M, F, M},
			[4]float64{50, 50, 50, 50}, [4]int{2, 2, 2, 2}, 0},
		{"five people", []float64{1, 2, 3, 4, 5}, []bool{F, F, M, F, M},
			[4]float64{100, 100, 0, 50}, [4]int{1, 1, 1, 2}, 100 * (4 - 7.0/3) / 4},
		{"six people", []float64{1, 2, 3, 4, 5, 6}, []bool{F, F, M, F, M, M},
			[4]float64{100, 50, 100, 0}, [4]int{1, 2, 1, 2}, 100 * (14.0/3 - 7.0/3) / (14.0 / 3)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			check := func(pay []float64, female []bool) {
				q, err := UKPayQuartiles(pay, female)
				if err != nil {
					t.Fatal(err)
				}
				for b := range 4 {
					if q.Bands[b].WomenPct != tc.womenPct[b] || q.Bands[b].N != tc.sizes[b] {
						t.Errorf("band %d: %+v, want %v %% women of %d", b+1, q.Bands[b], tc.womenPct[b], tc.sizes[b])
					}
				}
				if !near(q.MeanGapPct, tc.meanGap, 1e-12) {
					t.Errorf("mean gap %v, want %v", q.MeanGapPct, tc.meanGap)
				}
			}
			check(tc.pay, tc.female)
			// Input order must not matter.
			p, f := slices.Clone(tc.pay), slices.Clone(tc.female)
			slices.Reverse(p)
			slices.Reverse(f)
			check(p, f)
		})
	}
	q, _ := UKPayQuartiles([]float64{5, 5, 10, 10, 10, 10, 20, 20}, []bool{F, M, F, F, M, M, F, M})
	if !q.Bands[1].TiesSplit || q.Bands[0].TiesSplit {
		t.Errorf("ties flags %+v", q.Bands)
	}
	if !near(q.MedianGapPct, 0, 0) || math.IsNaN(q.MeanGapPct) {
		t.Errorf("gaps %v %v", q.MeanGapPct, q.MedianGapPct)
	}
	if _, err := UKPayQuartiles([]float64{1, 2, 3}, []bool{F, M, F}); err == nil {
		t.Error("three employees must be an error")
	}
}
