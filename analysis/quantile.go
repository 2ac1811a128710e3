package analysis

import (
	"fmt"
	"math"
)

// FreqClass is one class interval [Lo, Hi) of a frequency table with the
// number of people in it. The open top class has Hi = +Inf. SCB's integer
// classes such as "50–99 tkr" are [50, 100); a point class such as "0" is
// Lo = Hi = 0.
type FreqClass struct {
	Lo    float64 `json:"lo"`
	Hi    float64 `json:"hi"`
	Count float64 `json:"count"`
}

// GroupedQuantile is a quantile estimated from a frequency table.
type GroupedQuantile struct {
	P float64 `json:"p"`
	// Value is the interpolated quantile, or NaN when it falls in the open
	// top class (see Note and LowerBound).
	Value float64 `json:"value"`
	// Class is the index of the class the quantile falls in.
	Class int `json:"class"`
	// LowerBound is the lower bound of that class: with an open class it is
	// all that is known ("at least LowerBound").
	LowerBound float64 `json:"lower_bound"`
	Note       string  `json:"note,omitempty"`
}

// QuantileFromClasses estimates the p-quantile (0 < p < 1) of a
// distribution published only as counts per class, by linear interpolation
// within the class (people assumed spread evenly over it): with N the total,
// F the count below the class and f its count, the quantile is
// Lo + (p·N − F)/f·(Hi − Lo). Classes must be in increasing order and must
// not overlap; gaps between them are allowed.
//
// Open top class rule: when the quantile falls in a class without an upper
// bound there is no width to interpolate over; Value is NaN, LowerBound the
// class's lower bound and Note says so. (Some publications report "Lo+"
// instead; callers that want that can use LowerBound.) Empty classes are
// skipped, so a quantile never lands in a class with no one in it.
func QuantileFromClasses(classes []FreqClass, p float64) (GroupedQuantile, error) {
	if !(p > 0 && p < 1) {
		return GroupedQuantile{}, fmt.Errorf("quantile: p = %v, want 0 < p < 1", p)
	}
	total := 0.0
	for i, c := range classes {
		if c.Count < 0 || math.IsNaN(c.Count) {
			return GroupedQuantile{}, fmt.Errorf("quantile: class %d [%g, %g) has count %v", i+1, c.Lo, c.Hi, c.Count)
		}
		if c.Hi < c.Lo || math.IsInf(c.Lo, 0) || math.IsNaN(c.Lo) || math.IsNaN(c.Hi) {
			return GroupedQuantile{}, fmt.Errorf("quantile: class %d has bounds [%g, %g)", i+1, c.Lo, c.Hi)
		}
		if math.IsInf(c.Hi, 1) && i != len(classes)-1 {
			return GroupedQuantile{}, fmt.Errorf("quantile: class %d [%g, ∞) is open but not the last", i+1, c.Lo)
		}
		if i > 0 && c.Lo < classes[i-1].Hi {
			return GroupedQuantile{}, fmt.Errorf("quantile: class %d [%g, %g) overlaps or precedes class %d [%g, %g)", i+1, c.Lo, c.Hi, i, classes[i-1].Lo, classes[i-1].Hi)
		}
		total += c.Count
	}
	if total == 0 {
		return GroupedQuantile{}, fmt.Errorf("quantile: the table has no one in it")
	}
	target := p * total
	below := 0.0
	for i, c := range classes {
		if c.Count == 0 {
			continue
		}
		if below+c.Count >= target {
			q := GroupedQuantile{P: p, Class: i, LowerBound: c.Lo}
			if math.IsInf(c.Hi, 1) {
				q.Value = math.NaN()
				q.Note = fmt.Sprintf("the %g-quantile falls in the open top class [%g, ∞): only the lower bound is known", p, c.Lo)
				return q, nil
			}
			q.Value = c.Lo + (target-below)/c.Count*(c.Hi-c.Lo)
			return q, nil
		}
		below += c.Count
	}
	// Unreachable: target ≤ total.
	return GroupedQuantile{}, fmt.Errorf("quantile: internal error, p·N beyond the table")
}
