package analysis

import (
	"fmt"
	"math"
)

// Parity is a female/male ratio as used in international yardsticks.
type Parity struct {
	// Ratio is female/male, untruncated.
	Ratio float64 `json:"ratio"`
	// Truncated is min(Ratio, Benchmark) (WEF Global Gender Gap: an
	// advantage of women beyond equality is not rewarded).
	Truncated float64 `json:"truncated"`
	Benchmark float64 `json:"benchmark"`
	// Score is Truncated/Benchmark: 1 = parity, 0 = nothing for women.
	Score float64 `json:"score"`
	// Distance is |Ratio − 1|, SKR Öppna jämförelser's ranking measure
	// (distance from equality towards either sex).
	Distance float64 `json:"distance"`
}

// WEFParity computes the WEF Global Gender Gap style ratio female/male,
// truncated at the equality benchmark (1 when benchmark is 0; WEF uses 0.944
// for sex ratio at birth and 1.06 for healthy life expectancy). Values must
// be non-negative and male > 0.
func WEFParity(female, male, benchmark float64) (Parity, error) {
	if benchmark == 0 {
		benchmark = 1
	}
	if female < 0 || male <= 0 || benchmark < 0 || math.IsNaN(female) || math.IsNaN(male) {
		return Parity{}, fmt.Errorf("parity: need female ≥ 0, male > 0 and benchmark > 0, got %v, %v, %v", female, male, benchmark)
	}
	r := female / male
	t := math.Min(r, benchmark)
	return Parity{Ratio: r, Truncated: t, Benchmark: benchmark, Score: t / benchmark, Distance: math.Abs(r - 1)}, nil
}

// ParityIndicator is one input to CompositeParity.
type ParityIndicator struct {
	Name   string  `json:"name"`
	Female float64 `json:"female"`
	Male   float64 `json:"male"`
	// Weight of the indicator in the composite; 0 means 1.
	Weight float64 `json:"weight,omitempty"`
	// Alpha is an optional achievement correction in (0, 1] (EIGE scales
	// the gap score by the level reached relative to the best); 0 means 1,
	// i.e. no correction, which is the right choice when one unit is scored
	// on its own.
	Alpha float64 `json:"alpha,omitempty"`
}

// IndicatorScore is one indicator's contribution to a composite.
type IndicatorScore struct {
	Name string `json:"name"`
	// Gap is Γ = |female/mean − 1| = |female − male|/(female + male), in [0, 1].
	Gap    float64 `json:"gap"`
	Score  float64 `json:"score"`
	Weight float64 `json:"weight"`
}

// CompositeScore is an EIGE-like 1–100 equality score.
type CompositeScore struct {
	Score      float64          `json:"score"`
	Indicators []IndicatorScore `json:"indicators"`
	Method     string           `json:"method"`
}

// CompositeMethod describes CompositeParity in words for reports.
const CompositeMethod = "Per indicator: gap Γ = |f − m|/(f + m) (the relative distance of women's value from the mean of women and men, as in EIGE's Gender Equality Index); score = 1 + 99·α·(1 − Γ), so 100 = full equality and 1 = one sex has everything; α is an optional achievement correction (default 1). Composite: weighted geometric mean of the indicator scores (EIGE aggregates domains geometrically, so a large gap in one indicator cannot be fully offset by others)."

// CompositeParity scores gender equality on a 1–100 scale over several
// indicators; see CompositeMethod for the formula. Gaps are symmetric: a
// gap in favour of women lowers the score as much as one in favour of men.
// Values must be non-negative and not both zero.
func CompositeParity(ind []ParityIndicator) (*CompositeScore, error) {
	if len(ind) == 0 {
		return nil, fmt.Errorf("composite parity: no indicators")
	}
	c := &CompositeScore{Method: CompositeMethod}
	var sw, slog float64
	for _, in := range ind {
		if in.Female < 0 || in.Male < 0 || in.Female+in.Male == 0 || math.IsNaN(in.Female) || math.IsNaN(in.Male) {
			return nil, fmt.Errorf("composite parity: indicator %q needs non-negative values, not both zero (got %v, %v)", in.Name, in.Female, in.Male)
		}
		w, a := in.Weight, in.Alpha
		if w == 0 {
			w = 1
		}
		if a == 0 {
			a = 1
		}
		if w < 0 || a < 0 || a > 1 {
			return nil, fmt.Errorf("composite parity: indicator %q has weight %v, alpha %v (want weight > 0, 0 < alpha ≤ 1)", in.Name, w, a)
		}
		gap := math.Abs(in.Female-in.Male) / (in.Female + in.Male)
		s := 1 + 99*a*(1-gap)
		c.Indicators = append(c.Indicators, IndicatorScore{Name: in.Name, Gap: gap, Score: s, Weight: w})
		sw += w
		slog += w * math.Log(s)
	}
	c.Score = math.Exp(slog / sw)
	return c, nil
}
