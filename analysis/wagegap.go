package analysis

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// WageGap is the unadjusted (ovägd) gap between women's and men's pay.
type WageGap struct {
	NWomen      int     `json:"n_women"`
	NMen        int     `json:"n_men"`
	MeanWomen   float64 `json:"mean_women"`
	MeanMen     float64 `json:"mean_men"`
	MedianWomen float64 `json:"median_women"`
	MedianMen   float64 `json:"median_men"`
	// RatioMeanPct is kvinnors lön i procent av mäns: 100·mean(K)/mean(M).
	RatioMeanPct float64 `json:"ratio_mean_pct"`
	// GapMeanPct is löneskillnaden: 100 − RatioMeanPct.
	GapMeanPct     float64 `json:"gap_mean_pct"`
	RatioMedianPct float64 `json:"ratio_median_pct"`
	GapMedianPct   float64 `json:"gap_median_pct"`
}

// PayRatio returns kvinnors lön i procent av mäns, 100·women/men, and the
// gap 100 − ratio (Medlingsinstitutet's and SCB's definition).
func PayRatio(women, men float64) (ratioPct, gapPct float64) {
	r := 100 * women / men
	return r, 100 - r
}

// UnadjustedWageGap compares the wages (monthly, converted to full time) of
// women and men; NaN values are skipped.
func UnadjustedWageGap(women, men []float64) (*WageGap, error) {
	w, m := finite(women), finite(men)
	if len(w) == 0 || len(m) == 0 {
		return nil, fmt.Errorf("wage gap: need wages for both sexes, have %d women and %d men", len(w), len(m))
	}
	g := &WageGap{NWomen: len(w), NMen: len(m), MeanWomen: mean(w), MeanMen: mean(m), MedianWomen: Median(w), MedianMen: Median(m)}
	if g.MeanMen == 0 || g.MedianMen == 0 {
		return nil, fmt.Errorf("wage gap: men's mean or median wage is 0")
	}
	g.RatioMeanPct, g.GapMeanPct = PayRatio(g.MeanWomen, g.MeanMen)
	g.RatioMedianPct, g.GapMedianPct = PayRatio(g.MedianWomen, g.MedianMen)
	return g, nil
}

// WageCell is one cell of a standardisation: e.g. age group × education ×
// working time × sector (× occupation), with each sex's mean wage and
// headcount in it.
type WageCell struct {
	Key       string  `json:"key"`
	MeanWomen float64 `json:"mean_women"`
	MeanMen   float64 `json:"mean_men"`
	NWomen    float64 `json:"n_women"`
	NMen      float64 `json:"n_men"`
}

// StandardisedGap is SCB's standardvägd comparison.
type StandardisedGap struct {
	MeanWomen    float64 `json:"mean_women"`
	MeanMen      float64 `json:"mean_men"`
	RatioPct     float64 `json:"ratio_pct"`
	GapPct       float64 `json:"gap_pct"`
	CellsUsed    int     `json:"cells_used"`
	CellsExcl    int     `json:"cells_excluded"`
	HeadcountAll float64 `json:"headcount_all"`
	// HeadcountExcl is the number of people in cells left out, and
	// ExcludedSharePct its share of everyone in the input.
	HeadcountExcl    float64  `json:"headcount_excluded"`
	ExcludedSharePct float64  `json:"excluded_share_pct"`
	Excluded         []string `json:"excluded,omitempty"`
}

// StandardisedWageGap computes women's and men's standardised mean wages as
// SCB does (standardvägning): each sex's cell means weighted by the total
// headcount of the cell (women + men), so both sexes are given the same
// composition over the cells:
//
//	std mean(sex) = Σ_c mean_sex(c)·N(c) / Σ_c N(c)
//
// Rule for cells lacking one sex: a cell enters only if it has women and men
// (headcount > 0 and a mean for each); other cells are left out of both
// sums and reported in Excluded with their headcount and share, so the
// reader can judge how much of the population the comparison covers.
func StandardisedWageGap(cells []WageCell) (*StandardisedGap, error) {
	s := &StandardisedGap{}
	var sw, sm, sn float64
	for _, c := range cells {
		if c.NWomen < 0 || c.NMen < 0 || math.IsNaN(c.NWomen) || math.IsNaN(c.NMen) {
			return nil, fmt.Errorf("standardised gap: cell %q has a negative or missing headcount", c.Key)
		}
		n := c.NWomen + c.NMen
		s.HeadcountAll += n
		if c.NWomen == 0 || c.NMen == 0 || math.IsNaN(c.MeanWomen) || math.IsNaN(c.MeanMen) {
			s.CellsExcl++
			s.HeadcountExcl += n
			s.Excluded = append(s.Excluded, c.Key)
			continue
		}
		s.CellsUsed++
		sw += c.MeanWomen * n
		sm += c.MeanMen * n
		sn += n
	}
	if s.CellsUsed == 0 {
		return nil, fmt.Errorf("standardised gap: no cell has both women and men")
	}
	s.MeanWomen, s.MeanMen = sw/sn, sm/sn
	s.RatioPct, s.GapPct = PayRatio(s.MeanWomen, s.MeanMen)
	if s.HeadcountAll > 0 {
		s.ExcludedSharePct = 100 * s.HeadcountExcl / s.HeadcountAll
	}
	return s, nil
}

// QuartileBand is one quarter of the workforce ordered by hourly pay.
type QuartileBand struct {
	// Band is 1 (lower) to 4 (upper).
	Band      int     `json:"band"`
	MinPay    float64 `json:"min_pay"`
	MaxPay    float64 `json:"max_pay"`
	N         int     `json:"n"`
	Women     int     `json:"women"`
	Men       int     `json:"men"`
	WomenPct  float64 `json:"women_pct"`
	MenPct    float64 `json:"men_pct"`
	TiesSplit bool    `json:"ties_split,omitempty"`
}

// PayQuartiles are the UK gender pay gap reporting figures.
type PayQuartiles struct {
	N     int             `json:"n"`
	Bands [4]QuartileBand `json:"bands"`
	// MeanGapPct and MedianGapPct are (men − women)/men·100 of hourly pay;
	// negative when women are paid more.
	MeanGapPct   float64 `json:"mean_gap_pct"`
	MedianGapPct float64 `json:"median_gap_pct"`
	MeanWomen    float64 `json:"mean_women"`
	MeanMen      float64 `json:"mean_men"`
	MedianWomen  float64 `json:"median_women"`
	MedianMen    float64 `json:"median_men"`
}

// UKPayQuartiles computes the figures of UK gender pay gap reporting from
// each employee's hourly pay and sex.
//
// Employees are sorted by hourly pay and split into four bands of as equal
// size as possible: band b (0-based) holds positions ⌊b·n/4⌋ to
// ⌊(b+1)·n/4⌋−1, so sizes differ by at most one and the larger bands are the
// upper ones. Ties: the UK guidance asks that employees on the same hourly
// pay who straddle a band boundary be split between the bands as evenly as
// possible by sex. Within each run of equal pay, women and men are therefore
// interleaved in proportion (after j people of the run, the number of women
// is round(j·w/t) for w women among t), and people are then allocated to
// bands in that order. The result does not depend on input order.
func UKPayQuartiles(hourlyPay []float64, female []bool) (*PayQuartiles, error) {
	if len(hourlyPay) != len(female) {
		return nil, fmt.Errorf("pay quartiles: %d pay values but %d sex values", len(hourlyPay), len(female))
	}
	type emp struct {
		pay float64
		f   bool
	}
	var es []emp
	var w, m []float64
	for i, p := range hourlyPay {
		if math.IsNaN(p) {
			continue
		}
		es = append(es, emp{p, female[i]})
		if female[i] {
			w = append(w, p)
		} else {
			m = append(m, p)
		}
	}
	n := len(es)
	if n < 4 || len(w) == 0 || len(m) == 0 {
		return nil, fmt.Errorf("pay quartiles: need at least 4 employees with pay and both sexes, have %d (%d women, %d men)", n, len(w), len(m))
	}
	slices.SortFunc(es, func(a, b emp) int { return cmp.Compare(a.pay, b.pay) })
	// Interleave each run of equal pay by sex.
	order := make([]emp, 0, n)
	for i := 0; i < n; {
		j := i
		nw := 0
		for j < n && es[j].pay == es[i].pay {
			if es[j].f {
				nw++
			}
			j++
		}
		t := j - i
		for k := 1; k <= t; k++ {
			isF := math.Round(float64(k*nw)/float64(t)) > math.Round(float64((k-1)*nw)/float64(t))
			order = append(order, emp{es[i].pay, isF})
		}
		i = j
	}
	q := &PayQuartiles{N: n}
	for b := range 4 {
		lo, hi := b*n/4, (b+1)*n/4
		band := QuartileBand{Band: b + 1, MinPay: order[lo].pay, MaxPay: order[hi-1].pay, N: hi - lo}
		for _, e := range order[lo:hi] {
			if e.f {
				band.Women++
			} else {
				band.Men++
			}
		}
		band.WomenPct = 100 * float64(band.Women) / float64(band.N)
		band.MenPct = 100 * float64(band.Men) / float64(band.N)
		if b < 3 && hi < n && order[hi-1].pay == order[hi].pay {
			band.TiesSplit = true
		}
		q.Bands[b] = band
	}
	q.MeanWomen, q.MeanMen, q.MedianWomen, q.MedianMen = mean(w), mean(m), Median(w), Median(m)
	q.MeanGapPct = 100 * (q.MeanMen - q.MeanWomen) / q.MeanMen
	q.MedianGapPct = 100 * (q.MedianMen - q.MedianWomen) / q.MedianMen
	return q, nil
}
