package analysis

import (
	"fmt"
	"strings"
)

// Dominance is the sex composition class of a group (occupation, AID code).
type Dominance string

const (
	// Kvinnodominerad: women above the threshold share (female-dominated).
	Kvinnodominerad Dominance = "kvinnodominerad"
	// Mansdominerad: men above the threshold share (male-dominated).
	Mansdominerad Dominance = "mansdominerad"
	// Jamn: jämn könsfördelning, neither sex above the threshold.
	Jamn Dominance = "jämn"
)

// GroupCount is the number of women and men in one group.
type GroupCount struct {
	Code  string `json:"code"`
	Label string `json:"label,omitempty"`
	Women int    `json:"women"`
	Men   int    `json:"men"`
}

// GroupClass is a classified group.
type GroupClass struct {
	GroupCount
	N        int       `json:"n"`
	WomenPct float64   `json:"women_pct"`
	Class    Dominance `json:"class"`
}

// DominanceOptions set the classification rule.
type DominanceOptions struct {
	// ThresholdPct is the share one sex must exceed (default 60, as SCB,
	// Malmö stad and Kommunal); it must be above 50.
	ThresholdPct float64 `json:"threshold_pct"`
	// Inclusive makes the boundary ≥ ("60 % or more", as some pay-survey
	// tools) instead of the default strict >.
	Inclusive bool `json:"inclusive"`
	// MinN is the least headcount a group needs to be picked by
	// DominanceExtremes (classification itself covers every group).
	MinN int `json:"min_n"`
}

func (o DominanceOptions) threshold() (float64, error) {
	t := o.ThresholdPct
	if t == 0 {
		t = 60
	}
	if !(t > 50 && t <= 100) {
		return 0, fmt.Errorf("dominance threshold %v %%: want more than 50 and at most 100", t)
	}
	return t, nil
}

// above reports whether k of n is above (or, inclusive, at least) t percent.
// Cross-multiplied so that 3 of 5 is exactly 60 % with no rounding.
func above(k, n int, t float64, inclusive bool) bool {
	l, r := 100*float64(k), t*float64(n)
	if inclusive {
		return l >= r
	}
	return l > r
}

// ClassifyGroups labels each group kvinnodominerad, mansdominerad or jämn.
// A group with no one in it is an error (its share is undefined).
func ClassifyGroups(groups []GroupCount, o DominanceOptions) ([]GroupClass, error) {
	t, err := o.threshold()
	if err != nil {
		return nil, err
	}
	out := make([]GroupClass, len(groups))
	for i, g := range groups {
		n := g.Women + g.Men
		if g.Women < 0 || g.Men < 0 || n == 0 {
			return nil, fmt.Errorf("group %q: %d women and %d men, need a positive total", g.Code, g.Women, g.Men)
		}
		c := GroupClass{GroupCount: g, N: n, WomenPct: 100 * float64(g.Women) / float64(n), Class: Jamn}
		switch {
		case above(g.Women, n, t, o.Inclusive):
			c.Class = Kvinnodominerad
		case above(g.Men, n, t, o.Inclusive):
			c.Class = Mansdominerad
		}
		out[i] = c
	}
	return out, nil
}

// Extremes are the most female- and most male-dominated groups.
type Extremes struct {
	// MostFemale is the kvinnodominerad group with the highest share of
	// women among those with at least MinN people; nil if there is none.
	MostFemale *GroupClass `json:"most_female,omitempty"`
	// MostMale likewise for mansdominerad and the share of men.
	MostMale *GroupClass `json:"most_male,omitempty"`
	// Groups are all groups, classified.
	Groups []GroupClass `json:"groups"`
}

// DominanceExtremes classifies the groups and picks the most female- and
// most male-dominated group with at least MinN people. Only groups that are
// actually kvinnodominerad (mansdominerad) can be picked, so an employer
// with no female-dominated group gets MostFemale = nil rather than its least
// male group. Ties in the share (compared exactly, as fractions) go to the
// group with more people, then to the smaller code in byte order, so the
// choice never depends on input order.
func DominanceExtremes(groups []GroupCount, o DominanceOptions) (*Extremes, error) {
	cls, err := ClassifyGroups(groups, o)
	if err != nil {
		return nil, err
	}
	ex := &Extremes{Groups: cls}
	// better reports whether a (share k/n) beats b (share k2/n2).
	better := func(ak, an int, a GroupClass, bk, bn int, b GroupClass) bool {
		l, r := float64(ak)*float64(bn), float64(bk)*float64(an)
		if l != r {
			return l > r
		}
		if an != bn {
			return an > bn
		}
		return strings.Compare(a.Code, b.Code) < 0
	}
	for i := range cls {
		c := &cls[i]
		if c.N < o.MinN {
			continue
		}
		switch c.Class {
		case Kvinnodominerad:
			if ex.MostFemale == nil || better(c.Women, c.N, *c, ex.MostFemale.Women, ex.MostFemale.N, *ex.MostFemale) {
				ex.MostFemale = c
			}
		case Mansdominerad:
			if ex.MostMale == nil || better(c.Men, c.N, *c, ex.MostMale.Men, ex.MostMale.N, *ex.MostMale) {
				ex.MostMale = c
			}
		}
	}
	return ex, nil
}
