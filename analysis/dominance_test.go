package analysis

import "testing"

func TestClassifyGroups(t *testing.T) {
	groups := []GroupCount{
		{Code: "sixty", Women: 6, Men: 4},  // exactly 60 % women
		{Code: "forty", Women: 4, Men: 6},  // exactly 60 % men
		{Code: "even", Women: 5, Men: 5},   //
		{Code: "female", Women: 9, Men: 1}, //
		{Code: "male", Women: 1, Men: 20},  //
	}
	cases := []struct {
		o    DominanceOptions
		want []Dominance
	}{
		{DominanceOptions{}, []Dominance{Jamn, Jamn, Jamn, Kvinnodominerad, Mansdominerad}},
		{DominanceOptions{Inclusive: true}, []Dominance{Kvinnodominerad, Mansdominerad, Jamn, Kvinnodominerad, Mansdominerad}},
		{DominanceOptions{ThresholdPct: 55}, []Dominance{Kvinnodominerad, Mansdominerad, Jamn, Kvinnodominerad, Mansdominerad}},
		{DominanceOptions{ThresholdPct: 95, Inclusive: true}, []Dominance{Jamn, Jamn, Jamn, Jamn, Mansdominerad}}, // 20 of 21 = 95.2 %
	}
	for _, c := range cases {
		got, err := ClassifyGroups(groups, c.o)
		if err != nil {
			t.Fatal(err)
		}
		for i, g := range got {
			if g.Class != c.want[i] {
				t.Errorf("%+v: %s is %s, want %s", c.o, g.Code, g.Class, c.want[i])
			}
		}
	}
	for _, o := range []DominanceOptions{{ThresholdPct: 50}, {ThresholdPct: 101}} {
		if _, err := ClassifyGroups(groups, o); err == nil {
			t.Errorf("threshold %v must be an error", o.ThresholdPct)
		}
	}
	if _, err := ClassifyGroups([]GroupCount{{Code: "empty"}}, DominanceOptions{}); err == nil {
		t.Error("an empty group must be an error")
	}
}

func TestDominanceExtremes(t *testing.T) {
	cases := []struct {
		name                 string
		groups               []GroupCount
		minN                 int
		wantFemale, wantMale string // "" = none
	}{
		{"share, then headcount", []GroupCount{
			{Code: "B", Women: 9, Men: 1}, {Code: "C", Women: 18, Men: 2}, {Code: "D", Women: 1, Men: 9}, {Code: "E", Women: 0, Men: 5},
		}, 10, "C", "D"},
		{"small groups may be picked without minN", []GroupCount{
			{Code: "D", Women: 1, Men: 9}, {Code: "E", Women: 0, Men: 5},
		}, 0, "", "E"},
		{"code order breaks full ties", []GroupCount{
			{Code: "Z", Women: 45, Men: 5}, {Code: "A", Women: 45, Men: 5}, {Code: "M", Women: 90, Men: 10},
		}, 0, "M", ""},
		{"code order breaks full ties (2)", []GroupCount{
			{Code: "Z", Women: 45, Men: 5}, {Code: "A", Women: 45, Men: 5},
		}, 0, "A", ""},
		{"only jämn groups", []GroupCount{{Code: "x", Women: 5, Men: 5}}, 0, "", ""},
	}
	for _, c := range cases {
		ex, err := DominanceExtremes(c.groups, DominanceOptions{MinN: c.minN})
		if err != nil {
			t.Fatal(err)
		}
		code := func(g *GroupClass) string {
			if g == nil {
				return ""
			}
			return g.Code
		}
		if code(ex.MostFemale) != c.wantFemale || code(ex.MostMale) != c.wantMale {
			t.Errorf("%s: most female %q, most male %q; want %q, %q", c.name, code(ex.MostFemale), code(ex.MostMale), c.wantFemale, c.wantMale)
		}
		if len(ex.Groups) != len(c.groups) {
			t.Errorf("%s: %d groups classified", c.name, len(ex.Groups))
		}
	}
}
