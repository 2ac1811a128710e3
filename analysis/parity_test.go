package analysis

import (
	"math"
	"testing"
)

func TestWEFParity(t *testing.T) {
	cases := []struct {
		f, m, bench                float64
		truncated, score, distance float64
	}{
		{0.8, 1, 0, 0.8, 0.8, 0.2},
		{1.2, 1, 0, 1, 1, 0.2}, // women ahead: capped at parity
		{0.93, 1, 0.944, 0.93, 0.93 / 0.944, 0.07},
		{1.0, 1, 0.944, 0.944, 1, 0},
	}
	for _, c := range cases {
		p, err := WEFParity(c.f, c.m, c.bench)
		if err != nil {
			t.Fatal(err)
		}
		if !near(p.Truncated, c.truncated, 1e-12) || !near(p.Score, c.score, 1e-12) || !near(p.Distance, c.distance, 1e-12) {
			t.Errorf("%v/%v bench %v: %+v", c.f, c.m, c.bench, p)
		}
	}
	if _, err := WEFParity(1, 0, 0); err == nil {
		t.Error("male 0 must be an error")
	}
}

func TestCompositeParity(t *testing.T) {
	cases := []struct {
		name string
		ind  []ParityIndicator
		want float64
	}{
		{"equal", []ParityIndicator{{Name: "a", Female: 5, Male: 5}}, 100},
		{"all to one sex", []ParityIndicator{{Name: "a", Female: 0, Male: 3}}, 1},
		{"women ahead is a gap too", []ParityIndicator{{Name: "a", Female: 3, Male: 1}}, 50.5},
		{"geometric mean", []ParityIndicator{{Name: "a", Female: 1, Male: 1}, {Name: "b", Female: 1, Male: 3}}, math.Sqrt(100 * 50.5)},
		{"weights", []ParityIndicator{{Name: "a", Female: 1, Male: 1, Weight: 3}, {Name: "b", Female: 1, Male: 3}}, math.Exp((3*math.Log(100) + math.Log(50.5)) / 4)},
		{"achievement", []ParityIndicator{{Name: "a", Female: 1, Male: 1, Alpha: 0.5}}, 50.5},
	}
	for _, c := range cases {
		s, err := CompositeParity(c.ind)
		if err != nil {
			t.Fatal(err)
		}
		if !near(s.Score, c.want, 1e-9) {
			t.Errorf("%s: score %v, want %v", c.name, s.Score, c.want)
		}
	}
	for _, bad := range [][]ParityIndicator{nil, {{Name: "z", Female: 0, Male: 0}}, {{Name: "n", Female: -1, Male: 2}}, {{Name: "a", Female: 1, Male: 1, Alpha: 2}}} {
		if _, err := CompositeParity(bad); err == nil {
			t.Errorf("%v: want an error", bad)
		}
	}
}
