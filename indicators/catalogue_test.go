package indicators

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jamstat/jamstat/data"
)

func TestEmbeddedCatalogue(t *testing.T) {
	cat, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Delmal) != 6 || cat.DelmalText(6) != "Mäns våld mot kvinnor ska upphöra" {
		t.Fatalf("delmål = %+v", cat.Delmal)
	}
	if cat.Strategies[0].ID != "national" {
		t.Errorf("first strategy %s, want national", cat.Strategies[0].ID)
	}
	// Every embedded goal reads in English too (--lang en): the published
	// Swedish text and jamstat's rendering.
	for _, s := range cat.Strategies {
		for _, g := range s.Goals {
			if g.TextEn == "" || g.TextEn == g.Text {
				t.Errorf("%s:%d: goal %s has no English text", g.File, g.Line, g.ID)
			}
		}
	}
	// Sources read in English too, unless they are a bare KPI id.
	bareID := regexp.MustCompile(`^Kolada [A-Z]\d{5}$`)
	for _, ind := range cat.Indicators {
		if ind.Source.En == "" && !bareID.MatchString(ind.Source.Sv) {
			t.Errorf("%s:%d: indicator %s: source %q has no English", ind.File, ind.Line, ind.ID, ind.Source.Sv)
		}
	}
	wantGoals := map[string]int{"national": 7, "vastra-gotaland-2024": 7, "vasternorrland-2024": 10, "vastmanland-2024": 6, "halland-2017": 0}
	for id, n := range wantGoals {
		s, ok := cat.Strategy(id)
		if !ok {
			t.Fatalf("strategy %s missing", id)
		}
		if len(s.Goals) != n {
			t.Errorf("%s: %d goals, want %d", id, len(s.Goals), n)
		}
	}
	vg, _ := cat.Strategy("vastra-gotaland-2024")
	if vg.GoalsTotal != 15 || len(vg.Areas) != 4 || vg.BaselineYear != 2024 {
		t.Errorf("VG strategy = %+v", vg)
	}
	yn, _ := cat.Strategy("vasternorrland-2024")
	if len(yn.Areas) != 3 {
		t.Errorf("Västernorrland has %d areas, want 3", len(yn.Areas))
	}
	vm, _ := cat.Strategy("vastmanland-2024")
	if vm.Vision != "Ett jämställt Västmanland fritt från våld" {
		t.Errorf("Västmanland vision %q", vm.Vision)
	}
	if g, _ := cat.Goal("vg-pojkars-skolresultat"); g.Text != "Pojkar ska uppnå goda skolresultat oavsett socioekonomisk bakgrund eller migrationsbakgrund" || g.Delmal[0] != 3 {
		t.Errorf("VG goal = %+v", g)
	}
	if len(cat.Indicators) < 25 {
		t.Errorf("%d indicators, want at least 25", len(cat.Indicators))
	}
	// Every delmål is followed up by at least two indicators with a direction.
	for d := 1; d <= 6; d++ {
		n := 0
		for _, ind := range cat.Indicators {
			if containsInt(ind.Delmal, d) && ind.Polarity != Context {
				n++
			}
		}
		if n < 2 {
			t.Errorf("delmål %d has %d indicators", d, n)
		}
	}
	// Every kind is used by at least one shipped indicator.
	used := map[Kind]bool{}
	for _, ind := range cat.Indicators {
		used[ind.Kind] = true
	}
	for k := range kinds {
		if !used[k] {
			t.Errorf("kind %s is not used by any indicator", k)
		}
	}
	// Västmanland's goals are the delmål: followed up via delmål.
	if n := len(cat.IndicatorsForGoal("vm-dm4")); n < 3 {
		t.Errorf("vm-dm4 has %d indicators via delmål", n)
	}
	// Titles and descriptions exist in both languages (checked at load); ids are unique.
	seen := map[string]bool{}
	for _, ind := range cat.Indicators {
		if seen[ind.ID] {
			t.Errorf("duplicate %s", ind.ID)
		}
		seen[ind.ID] = true
	}
}

const testGoals = `strategy: {id: national, name: N, start: 2016}
delmal:
  - {number: 1, text: a}
  - {number: 2, text: b}
  - {number: 3, text: c}
  - {number: 4, text: d}
  - {number: 5, text: e}
  - {number: 6, text: f}
goals:
  - {id: se-dm1, text: a, delmal: [1]}
  - {id: se-dm2, text: b, delmal: [2]}
`

const testMeasures = `measures:
  - {id: M1, title: t, source: s, unit: number, persons: true}
`

func indicatorYAML(body string) string {
	return `indicators:
  - id: x
    title: {sv: a, en: b}
    description: {sv: a, en: b}
    unit: percent
    source: s
    definition: d
    polarity: parity
` + body
}

// TestSourceTextForms: source is a plain string (Swedish) or {sv, en};
// any other key is refused with file and line.
func TestSourceTextForms(t *testing.T) {
	body := "    kind: share_women\n    inputs: [{measure: M1}]\n    goals: [se-dm1]\n"
	load := func(source string) (*Catalogue, error) {
		y := strings.Replace(indicatorYAML(body), "    source: s\n", "    source: "+source+"\n", 1)
		return LoadCatalogueFS(
			fstest.MapFS{"national.yaml": {Data: []byte(testGoals)}},
			fstest.MapFS{"m.yaml": {Data: []byte(testMeasures)}, "i.yaml": {Data: []byte(y)}},
			nil)
	}
	for _, tc := range []struct{ source, sv, en string }{
		{"SCB", "SCB", ""},
		{"{sv: Kolada N1 (SKR), en: Kolada N1 (SALAR)}", "Kolada N1 (SKR)", "Kolada N1 (SALAR)"},
	} {
		cat, err := load(tc.source)
		if err != nil {
			t.Fatalf("source %s: %v", tc.source, err)
		}
		ind, _ := cat.Indicator("x")
		if ind.Source.Sv != tc.sv || ind.Source.En != tc.en || ind.Source.In("en") != map[bool]string{true: tc.sv, false: tc.en}[tc.en == ""] {
			t.Errorf("source %s = %+v", tc.source, ind.Source)
		}
	}
	if _, err := load("{sv: a, fr: b}"); err == nil || !strings.Contains(err.Error(), "data/indicators/i.yaml:") || !strings.Contains(err.Error(), "fr") {
		t.Errorf("source with key fr: err = %v", err)
	}
}

func TestCatalogueErrorsNameFileAndLine(t *testing.T) {
	tests := []struct {
		name, ind, want string
	}{
		{"unknown goal", "    kind: share_women\n    inputs: [{measure: M1}]\n    goals: [se-dm1, nope]\n", "data/indicators/i.yaml:11: indicator x: unknown goal id \"nope\""},
		{"unknown measure", "    kind: passthrough\n    inputs:\n      - {measure: M2}\n    goals: [se-dm1]\n", "data/indicators/i.yaml:11: indicator x: unknown input measure \"M2\""},
		{"unknown column", "    kind: by_sex\n    inputs:\n      - {employee: share, where: \"salary > 3\"}\n    goals: [se-dm1]\n", "data/indicators/i.yaml:11: indicator x: where: unknown employee column \"salary\""},
		{"unknown field", "    kind: by_sex\n    inptus: []\n", "data/indicators/i.yaml:10: unknown field \"inptus\""},
		{"unknown kind", "    kind: ratio\n    goals: [se-dm1]\n", "data/indicators/i.yaml:9: indicator x: unknown kind \"ratio\""},
		{"bad delmål", "    kind: share_women\n    inputs: [{measure: M1}]\n    delmal: [7]\n", "data/indicators/i.yaml:11: indicator x: unknown delmål 7"},
		{"share of a mean", "    kind: share_women\n    inputs: [{employee: mean, column: age}]\n    goals: [se-dm1]\n", "share_women needs a count"},
		{"sql injection in where", "    kind: by_sex\n    inputs: [{employee: share, where: \"hourly_paid; DROP TABLE geo\"}]\n    goals: [se-dm1]\n", "unexpected ';'"},
		{"rate roles", "    kind: rate_per_1000\n    inputs: [{measure: M1}, {measure: M1}]\n    goals: [se-dm1]\n", "rate_per_1000 takes two inputs"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadCatalogueFS(
				fstest.MapFS{"national.yaml": {Data: []byte(testGoals)}},
				fstest.MapFS{"m.yaml": {Data: []byte(testMeasures)}, "i.yaml": {Data: []byte(indicatorYAML(tc.ind))}},
				nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestAreaDelmal: an area's delmål are as written, else those of the
// goals in it, else the delmål of the same name.
func TestAreaDelmal(t *testing.T) {
	file := `strategy: {id: x, name: X, start: 2024}
areas:
  - {id: x-said, name: Trygghet, delmal: [6, 5]}
  - {id: x-goals, name: Utbildning och arbete}
  - {id: x-name, name: E}
goals:
  - {id: x-1, text: t, delmal: [3], area: x-goals}
  - {id: x-2, text: t, delmal: [2, 3], area: x-goals}
`
	cat, err := LoadCatalogueFS(fstest.MapFS{"national.yaml": {Data: []byte(testGoals)}}, fstest.MapFS{},
		fstest.MapFS{"x.yaml": {Data: []byte(file)}})
	if err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string][]int{"x-said": {6, 5}, "x-goals": {3, 2}, "x-name": {5}} {
		a, _ := cat.Area(id)
		if a == nil || !reflect.DeepEqual(a.Delmal, want) {
			t.Errorf("area %s: delmål %v, want %v", id, a, want)
		}
	}
}

func TestGoalFileErrors(t *testing.T) {
	tests := []struct{ name, file, want string }{
		{"unknown delmål", "strategy: {id: x, name: X, start: 2024}\ngoals:\n  - {id: x-1, text: t, delmal: [9]}\n", "extra/x.yaml:3: goal x-1: unknown delmål 9"},
		{"no text", "strategy: {id: x, name: X, start: 2024}\ngoals:\n  - {id: x-1, delmal: [1]}\n", "extra/x.yaml:3: goal x-1 has no text"},
		{"duplicate goal", "strategy: {id: x, name: X, start: 2024}\ngoals:\n  - {id: se-dm1, text: t, delmal: [1]}\n", "goal id \"se-dm1\" is already used"},
		{"unknown area", "strategy: {id: x, name: X, start: 2024}\ngoals:\n  - {id: x-1, text: t, delmal: [1], area: z}\n", "unknown priority area \"z\""},
		{"more goals than stated", "strategy: {id: x, name: X, start: 2024, goals_total: 1}\ngoals:\n  - {id: x-1, text: t, delmal: [1]}\n  - {id: x-2, text: t, delmal: [1]}\n", "lists 2 goals but says it has 1"},
		{"bad scope", "strategy: {id: x, name: X, start: 2024, scope: \"99\"}\n", "unknown scope geo code \"99\""},
		{"typo", "strategy: {id: x, name: X, start: 2024, baseline: 2020}\n", "extra/x.yaml:1: unknown field \"baseline\""},
		{"area without delmål", "strategy: {id: x, name: X, start: 2024}\nareas:\n  - {id: x-a, name: Trygghet}\n", "extra/x.yaml: area x-a: no goal of the strategy is in it, so say which delmål it serves"},
		{"area with bad delmål", "strategy: {id: x, name: X, start: 2024}\nareas:\n  - {id: x-a, name: Trygghet, delmal: [0]}\n", "area x-a: unknown delmål 0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadCatalogueFS(fstest.MapFS{"national.yaml": {Data: []byte(testGoals)}}, fstest.MapFS{},
				fstest.MapFS{"x.yaml": {Data: []byte(tc.file)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// A county adds its strategy by dropping a file in --goals DIR, and can
// replace a shipped one by using its id.
func TestExtraGoalsDir(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "skane.yaml"), []byte(`strategy: {id: skane-2022, name: "Skånes strategi", start: 2022, scope: "12"}
goals:
  - {id: sk-lon, text: "Lika lön", delmal: [2]}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "halland.yaml"), []byte(`strategy: {id: halland-2017, name: "Halland", start: 2017, scope: "13"}
goals:
  - {id: ha-1, text: "Ett mål", delmal: [1], via_delmal: true}
`), 0o644)
	cat, err := LoadCatalogue(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := cat.Strategy("skane-2022"); !ok || len(s.Goals) != 1 || s.BaselineYear != 2022 {
		t.Fatalf("skane = %+v", s)
	}
	h, _ := cat.Strategy("halland-2017")
	if len(h.Goals) != 1 || h.Goals[0].ID != "ha-1" {
		t.Fatalf("halland not replaced: %+v", h.Goals)
	}
	if n := len(cat.IndicatorsForGoal("ha-1")); n == 0 {
		t.Errorf("ha-1 (via_delmal) has no indicators")
	}
	if _, err := LoadCatalogue(filepath.Join(dir, "missing")); err == nil {
		t.Error("missing directory accepted")
	}
	_ = data.Goals()
}

func TestExpr(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"employment_rate < 100", `(e."employment_rate" < 100)`, ""},
		{"not hourly_paid and contract in ('visstid', 'tim''x')", `(NOT (e."hourly_paid")) AND (e."contract" IN ('visstid', 'tim''x'))`, ""},
		{"flextime is not null", `(e."flextime" IS NOT NULL)`, ""},
		{"contract", "", "not true/false"},
		{"wage > 1", "", "unknown employee column"},
		{"age > 'x", "", "unterminated"},
		{"age > 1 or age < 0", "", "expected and"},
	}
	for _, tc := range tests {
		e, err := parseExpr(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := e.sql("e"); got != tc.want {
			t.Errorf("%q → %s, want %s", tc.in, got, tc.want)
		}
	}
}
