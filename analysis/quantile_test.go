package analysis

import (
	"math"
	"strings"
	"testing"
)

func TestQuantileFromClasses(t *testing.T) {
	inf := math.Inf(1)
	// An SCB-like table in tkr: "0", "1–49", "50–99", "100–149" (empty),
	// "150–".
	classes := []FreqClass{{0, 0, 10}, {1, 50, 20}, {50, 100, 40}, {100, 150, 0}, {150, inf, 30}}
	cases := []struct {
		p     float64
		want  float64
		class int
		open  bool
	}{
		{0.05, 0, 0, false},                  // inside the point class "0"
		{0.2, 1 + (20-10)/20.0*49, 1, false}, // 25.5
		{0.5, 50 + (50-30)/40.0*50, 2, false},
		{0.7, 100, 2, false}, // exactly the top of class 2
		{0.9, math.NaN(), 4, true},
	}
	for _, c := range cases {
		q, err := QuantileFromClasses(classes, c.p)
		if err != nil {
			t.Fatal(err)
		}
		if !near(q.Value, c.want, 1e-12) || q.Class != c.class || (q.Note != "") != c.open {
			t.Errorf("p=%v: %+v, want %v in class %d", c.p, q, c.want, c.class)
		}
		if c.open && q.LowerBound != 150 {
			t.Errorf("p=%v: lower bound %v, want 150", c.p, q.LowerBound)
		}
	}
	bad := []struct {
		cl   []FreqClass
		p    float64
		want string
	}{
		{classes, 1, "0 < p < 1"},
		{[]FreqClass{{0, 50, 1}, {40, 100, 1}}, 0.5, "overlaps"},
		{[]FreqClass{{0, inf, 1}, {100, 200, 1}}, 0.5, "open but not the last"},
		{[]FreqClass{{0, 50, -1}}, 0.5, "count"},
		{[]FreqClass{{0, 50, 0}}, 0.5, "no one"},
	}
	for _, b := range bad {
		_, err := QuantileFromClasses(b.cl, b.p)
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%v p=%v: err %v, want %q", b.cl, b.p, err, b.want)
		}
	}
}
