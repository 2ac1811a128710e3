package compare

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jamstat/jamstat/analysis"
)

var update = flag.Bool("update", false, "rewrite golden files")

func runFixture(t *testing.T, o Options) *Result {
	t.Helper()
	db := loadPersons(t, "2024", fixture())
	res, err := Run(context.Background(), db, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func employer(t *testing.T, res *Result, code string) *Employer {
	t.Helper()
	for i := range res.Employers {
		if res.Employers[i].Code == code {
			return &res.Employers[i]
		}
	}
	t.Fatalf("employer %s not in result", code)
	return nil
}

func cond(t *testing.T, res *Result, e *Employer, id string) Comparison {
	t.Helper()
	for i, c := range res.Conditions {
		if c.ID == id {
			return e.Conditions[i]
		}
	}
	t.Fatalf("condition %s not in result", id)
	return Comparison{}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestFixtureHandValues(t *testing.T) {
	res := runFixture(t, Options{})
	if len(res.Employers) != 3 {
		t.Fatalf("%d employers, want 3", len(res.Employers))
	}
	e := employer(t, res, "1401")
	// Ties: 5321 and 5311 both 90 % women, 5321 is larger; 7411 and 8191
	// both 90 % men and 10 persons, 7411 has the smaller code. 2221 (100 %
	// women) has 5 < MinN persons.
	if e.Female == nil || e.Female.Code != "5321" || e.Female.N != 20 || e.Female.Women != 18 || e.Female.WomenPct != 90 {
		t.Errorf("1401 female group = %+v, want 5321 with 18 of 20 women", e.Female)
	}
	if e.Male == nil || e.Male.Code != "7411" || e.Male.N != 10 || e.Male.WomenPct != 10 {
		t.Errorf("1401 male group = %+v, want 7411 with 1 of 10 women", e.Male)
	}
	if e.N != 69 || e.Unclassified != 1 {
		t.Errorf("1401 N=%d unclassified=%d, want 69 and 1", e.N, e.Unclassified)
	}
	// 2330 at exactly 60 % is jämn under ">"; 1532 (2 K) kvinnodominerad;
	// 1342 (1 M) mansdominerad.
	wantGroups := ClassCount{Kvinnodominerad: 4, Mansdominerad: 3, Jamn: 1}
	if e.Groups != wantGroups {
		t.Errorf("1401 groups = %+v, want %+v", e.Groups, wantGroups)
	}
	if e.Female.Area != "vard_omsorg" || e.Male.Area != "teknik_service" {
		t.Errorf("areas = %q, %q", e.Female.Area, e.Male.Area)
	}
	tests := []struct {
		id          string
		f, m, diff  float64
		fn, mn      int
		femaleWorse bool
	}{
		{"wage_mean", 31000, 35000, -4000, 20, 10, true},
		{"wage_median", 31000, 35000, -4000, 20, 10, true},
		{"part_time", 40, 0, 40, 20, 10, true},
		{"employment_rate", 90, 100, -10, 20, 10, true},
		{"temporary", 30, 10, 20, 20, 10, true},
		{"hourly_paid", 10, 0, 10, 20, 10, true},
		{"sick_leave", 2, 1, 1, 20, 10, true},
		// vård area: 20 + 5 + 2 managers = 27 per 2; teknik: 10 + 10 + 1 per 1.
		{"per_manager", 13.5, 21, -7.5, 27, 21, false},
		{"evening_weekend", 75, 20, 55, 20, 10, true},
	}
	for _, tt := range tests {
		c := cond(t, res, e, tt.id)
		if c.Female.Value == nil || c.Male.Value == nil || c.Diff == nil {
			t.Errorf("%s: missing values %+v", tt.id, c)
			continue
		}
		if !near(*c.Female.Value, tt.f) || !near(*c.Male.Value, tt.m) || !near(*c.Diff, tt.diff) {
			t.Errorf("%s: female %v male %v diff %v; want %v %v %v", tt.id, *c.Female.Value, *c.Male.Value, *c.Diff, tt.f, tt.m, tt.diff)
		}
		if c.Female.N != tt.fn || c.Male.N != tt.mn {
			t.Errorf("%s: n = %d, %d; want %d, %d", tt.id, c.Female.N, c.Male.N, tt.fn, tt.mn)
		}
		if c.FemaleWorse == nil || *c.FemaleWorse != tt.femaleWorse {
			t.Errorf("%s: female worse = %v, want %v", tt.id, c.FemaleWorse, tt.femaleWorse)
		}
		if c.DiffCI == nil || c.DiffCI.Lo > *c.Diff || c.DiffCI.Hi < *c.Diff {
			t.Errorf("%s: interval %+v does not hold the difference %v", tt.id, c.DiffCI, *c.Diff)
		}
	}
	if c := cond(t, res, e, "wage_mean"); c.Ratio == nil || !near(*c.Ratio, 100*31000.0/35000) || c.RatioCI == nil {
		t.Errorf("wage ratio = %+v, want 88.57 with an interval", c)
	}
	// The part-time interval by hand: Wilson(8/20) = [0.21876, 0.61340],
	// Wilson(0/10) = [0, 0.27753]; Newcombe lower = 0.4 − hypot(0.18124,
	// 0.27753) = 0.06854, upper = 0.4 + hypot(0.21340, 0) = 0.61340.
	if c := cond(t, res, e, "part_time"); math.Abs(c.DiffCI.Lo-6.854) > 0.01 || math.Abs(c.DiffCI.Hi-61.340) > 0.01 || !*c.Distinguishable {
		t.Errorf("part-time interval = %+v, want [6.854, 61.340] distinguishable", c.DiffCI)
	}
	// Flextime was not surveyed for the female group: no data, not 0.
	if c := cond(t, res, e, "flextime"); c.Female.Value != nil || c.Female.Status != StatusNoData || c.Diff != nil || c.Male.Value == nil || *c.Male.Value != 60 {
		t.Errorf("flextime = %+v, want female no data, male 60", c)
	}
	// Split shifts: only 3 in the male group answered, below k = 5.
	if c := cond(t, res, e, "split_shifts"); c.Male.Value != nil || c.Male.Status != StatusSuppressed || c.Male.N != 3 || c.Diff != nil {
		t.Errorf("split shifts = %+v, want male suppressed (3 < k)", c)
	}

	// 1402 has no male-dominated group of 10: reported, not dropped.
	e2 := employer(t, res, "1402")
	if e2.Female == nil || e2.Female.Code != "5321" || e2.Male != nil || !strings.Contains(e2.MaleStatus, "at least 10") {
		t.Errorf("1402: female %+v male %+v status %q", e2.Female, e2.Male, e2.MaleStatus)
	}
	if c := cond(t, res, e2, "wage_mean"); c.Female.Value == nil || *c.Female.Value != 33000 || c.Male.Status != StatusNoGroup || c.Diff != nil {
		t.Errorf("1402 wage = %+v, want female 33000 and no male group", c)
	}
	// Region 14: 60 % exactly is not dominated under ">".
	e3 := employer(t, res, "14")
	if e3.Female != nil || e3.Male != nil || e3.Sector != "region" {
		t.Errorf("region 14 under '>': female %+v male %+v", e3.Female, e3.Male)
	}

	// County summary for 2024, county 14.
	var s Summary
	for _, x := range res.Summary {
		if x.Condition == "wage_mean" {
			s = x
		}
	}
	want := Summary{Period: "2024", County: "14", Condition: "wage_mean", Employers: 3, Compared: 1, FemaleWorse: 1, FemaleWorseDistinct: 1}
	if s != want {
		t.Errorf("summary = %+v, want %+v", s, want)
	}
}

func TestThresholdBoundary(t *testing.T) {
	for _, tt := range []struct {
		inclusive bool
		female    string
		male      string
	}{{false, "", ""}, {true, "5323", "8191"}} {
		res := runFixture(t, Options{Inclusive: tt.inclusive})
		e := employer(t, res, "14")
		got := func(g *Group) string {
			if g == nil {
				return ""
			}
			return g.Code
		}
		if got(e.Female) != tt.female || got(e.Male) != tt.male {
			t.Errorf("inclusive=%v: picks %q, %q; want %q, %q", tt.inclusive, got(e.Female), got(e.Male), tt.female, tt.male)
		}
		if tt.inclusive && (e.Female.WomenPct != 60 || e.Male.WomenPct != 40) {
			t.Errorf("inclusive shares %v, %v; want 60 and 40", e.Female.WomenPct, e.Male.WomenPct)
		}
		e1 := employer(t, res, "1401")
		wantJamn := 1
		if tt.inclusive {
			wantJamn = 0 // 2330 at 60 % women becomes kvinnodominerad
		}
		if e1.Groups.Jamn != wantJamn {
			t.Errorf("inclusive=%v: 1401 has %d jämn groups, want %d", tt.inclusive, e1.Groups.Jamn, wantJamn)
		}
	}
}

func TestOptionsChecked(t *testing.T) {
	db := loadPersons(t, "2024", fixture())
	for _, tt := range []struct {
		o   Options
		err string
	}{
		{Options{MinN: 3}, "below k"},
		{Options{K: 20, MinN: 15}, "below k"},
		{Options{Threshold: 50}, "threshold"},
		{Options{Level: "ssyk9"}, "level"},
		{Options{Share: "money"}, "share metric"},
		{Options{County: "99"}, "county"},
	} {
		if _, err := Run(context.Background(), db, tt.o); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%+v: error %v, want one naming %q", tt.o, err, tt.err)
		}
	}
	// K above the default MinN raises MinN to K.
	res, err := Run(context.Background(), db, Options{K: 12})
	if err != nil || res.Options.MinN != 12 {
		t.Fatalf("K 12: min n %d, %v", res.Options.MinN, err)
	}
	if e := employer(t, res, "1401"); e.Male != nil {
		t.Errorf("K=12 leaves no male group of 12 in 1401, got %+v", e.Male)
	}
}

func TestYearAndCountyFilter(t *testing.T) {
	ctx := context.Background()
	db := loadPersons(t, "2024", fixture())
	other := fixture()
	other["0180"] = other["1401"]
	db2023 := loadPersons(t, "2023", other)
	_ = db2023
	res, err := Run(ctx, db, Options{Year: "2023"})
	if err != nil || len(res.Employers) != 0 {
		t.Fatalf("year 2023 in a 2024 store: %d employers, %v", len(res.Employers), err)
	}
	res, err = Run(ctx, db2023, Options{County: "01"})
	if err != nil || len(res.Employers) != 1 || res.Employers[0].Code != "0180" || res.Employers[0].Name != "Stockholm" {
		t.Fatalf("county 01: %+v, %v", res.Employers, err)
	}
	if res.Employers[0].Female.Code != "5321" {
		t.Errorf("0180 copy of 1401 picks %+v", res.Employers[0].Female)
	}
}

func TestShareFTE(t *testing.T) {
	// Under årsarbetare, 5321's share of women is Σ rates of women / Σ all:
	// the men (i = 18, 19) work full time, the women include all 8
	// part-timers at 75 %, so 1600 of 1800 = 88.9 %. 5311 (everyone full
	// time, 9 of 10 women) stays at 90 % and now wins.
	res := runFixture(t, Options{Share: ShareFTE})
	e := employer(t, res, "1401")
	if e.Female == nil || e.Female.Code != "5311" || e.Female.WomenPct != 90 || e.Female.N != 10 {
		t.Errorf("fte: female = %+v, want 5311 at 90 %%", e.Female)
	}
	if res.Options.Share != ShareFTE || res.RunKey != "ssyk4-gt60-n10-k5-fte" {
		t.Errorf("run key %q", res.RunKey)
	}
}

func TestLevelSSYK3(t *testing.T) {
	res := runFixture(t, Options{Level: LevelSSYK3})
	e := employer(t, res, "1401")
	// 531 (from 5311: 9 of 10 women) and 532 (from 5321: 18 of 20) tie at
	// 90 %; 532 is larger.
	if e.Female == nil || e.Female.Code != "532" {
		t.Errorf("ssyk3 female = %+v, want 532", e.Female)
	}
}

func TestGolden(t *testing.T) {
	res := runFixture(t, Options{})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "fixture.golden.json")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("result differs from %s; run go test ./analysis/compare -run TestGolden -update and review the diff", golden)
	}
}

// The joint bootstrap's median-difference interval is the same estimator
// as analysis.BootstrapMedianDiff: with different random streams the limits
// agree to within the bootstrap's own noise.
func TestBootstrapAgreesWithAnalysis(t *testing.T) {
	a := make([]float64, 80)
	b := make([]float64, 60)
	for i := range a {
		a[i] = 30000 + float64((i*7919)%97)*40
	}
	for i := range b {
		b[i] = 33000 + float64((i*104729)%89)*50
	}
	mine := bootstrapJoint(a, b, true, false, 4000, 1, 0.95).medianDiff
	ref, err := analysis.BootstrapMedianDiff(a, b, 4000, 2, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(mine.Lo-ref.Lo) > 200 || math.Abs(mine.Hi-ref.Hi) > 200 {
		t.Errorf("joint bootstrap %+v, analysis %+v", *mine, ref)
	}
}
