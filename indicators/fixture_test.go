package indicators

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/ingest"
	"github.com/jamstat/jamstat/store"
)

var update = flag.Bool("update", false, "rewrite golden files")

func readFixtureCSV(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "fixture", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func fp(s string) *float64 {
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return &v
}

func bp(s string) *bool {
	if s == "" {
		return nil
	}
	v := s == "true"
	return &v
}

// fixtureDB loads the small fixture (testdata/fixture) and computes its
// indicators (one per kind) with a catalogue of the embedded goals and the
// fixture definitions.
func fixtureDB(t *testing.T) (*store.DB, *Catalogue) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	emps := readFixtureCSV(t, "employees.csv")
	obs := readFixtureCSV(t, "observations.csv")
	_, err = db.Load(ctx, store.LoadInfo{DatasetID: "fixture"}, func(s ingest.Sink) (ingest.Meta, error) {
		for i, r := range emps {
			e := ingest.Employee{Period: r[0], EmployerCode: r[1], PersonKey: r[2], Sex: r[3], OccupationCode: r[4],
				MonthlyWageFTE: fp(r[5]), EmploymentRate: fp(r[6]), Contract: r[7], HourlyPaid: bp(r[8]),
				ScheduledHours: fp(r[9]), SickLeaveHours: fp(r[10]), IsManager: bp(r[11]), Flextime: bp(r[12]), Line: i + 2}
			if err := s.Employee(&e); err != nil {
				return ingest.Meta{}, err
			}
		}
		for _, r := range obs {
			o := ingest.Observation{Measure: r[0], GeoCode: r[1], Period: r[2], Sex: r[3], Value: fp(r[4]), N: fp(r[5]), Status: r[6]}
			if err := s.Observation(&o); err != nil {
				return ingest.Meta{}, err
			}
		}
		return ingest.Meta{RowsRead: len(emps) + len(obs)}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := LoadCatalogueFS(data.Goals(), os.DirFS("testdata/fixture"), nil)
	if err != nil {
		t.Fatal(err)
	}
	// Two kommuner of county 14 stand for the county: accept any coverage.
	if _, err := Compute(ctx, db, cat, ComputeOptions{MinCoverage: 0.01}); err != nil {
		t.Fatal(err)
	}
	return db, cat
}

// Every kind against values computed by hand from testdata/fixture.
func TestFixtureKinds(t *testing.T) {
	db, _ := fixtureDB(t)
	const emp, dir, pool, mean = MethodEmployer, MethodDirect, MethodWeighted, MethodUnweighted
	tests := []struct {
		ind, geo, sex, group, method string
		want                         float64 // NaN: NULL
		status                       string
	}{
		// share_women: managers 1401 are #3 (K) and #5 (M).
		{"f-share", "1401", "T", "", emp, 50, ""},
		{"f-share", "14", "T", "", pool, 100.0 / 3, ""}, // #3, #5, #8
		// Mean wage 1401: K (30+32+34)/3 = 32 000, M (36+40)/2 = 38 000.
		{"f-kmratio", "1401", "T", "", emp, 32000.0 / 38000, ""},
		{"f-pct", "1401", "T", "", emp, 100 * 32000.0 / 38000, ""},
		{"f-pct", "1402", "T", "", emp, 100 * 28000.0 / 32500, ""},
		{"f-pct", "14", "T", "", pool, 100 * 31000.0 / 35250, ""},
		{"f-pct", "14", "T", "", mean, (100*32000.0/38000 + 100*28000.0/32500) / 2, ""},
		{"f-gap", "1401", "T", "", emp, 100 * 6000.0 / 38000, ""},
		// Groups at 1401: 5321 has only women, so no K/M comparison: ".".
		{"f-pct", "1401", "T", "ssyk4:5321", emp, math.NaN(), "."},
		{"f-pct", "1401", "T", "dominance:male", emp, math.NaN(), "."},
		{"f-pct", "1402", "T", "ssyk4:5321", emp, 100 * 28000.0 / 30000, ""},
		// Part-time (rate < 100): 1401 K 1 of 3, M 1 of 2.
		{"f-diff", "1401", "T", "", emp, 100.0/3 - 50, ""},
		{"f-mean", "1401", "K", "", emp, 32000, ""},
		{"f-mean", "1401", "T", "", emp, 34400, ""},
		{"f-mean", "14", "M", "", pool, 35250, ""},
		{"f-median", "1401", "T", "", emp, 34000, ""},
		{"f-median", "1401", "M", "", emp, 38000, ""},
		{"f-median", "14", "K", "", pool, 31000, ""}, // median of 28, 30, 32, 34 (thousands)
		// Employees per 1 000 residents of the same sex.
		{"f-rate", "1401", "K", "", emp, 3, ""},
		{"f-rate", "1401", "T", "", emp, 5000.0 / 3000, ""},
		{"f-rate", "1402", "M", "", emp, 5, ""},
		{"f-rate", "14", "T", "", pool, 8000.0 / 3900, ""},
		// Passthrough keeps the published value and the source's "..".
		{"f-pass", "1401", "T", "", dir, 11.2, ""},
		{"f-pass", "1402", "K", "", dir, math.NaN(), ".."},
		{"f-pass", "14", "M", "", pool, (10*120 + 9*50) / 170.0, ""},
		// Sick leave % 1401: K 60/2750, M 20/1500, T 80/4250.
		{"f-bysex", "1401", "K", "", emp, 100 * 60.0 / 2750, ""},
		{"f-bysex", "1401", "T", "", emp, 100 * 80.0 / 4250, ""},
		// Flextime: 1401's men were not surveyed; women 2 of 3.
		{"f-flex", "1401", "K", "", emp, 200.0 / 3, ""},
		{"f-flex", "1402", "T", "", emp, 100 * 2.0 / 3, ""},
		{"f-per", "1401", "T", "", emp, 2.5, ""},
		{"f-sql", "1401", "K", "", dir, 3, ""},
		{"f-sql", "1402", "T", "", dir, 3, ""},
		// k = 5: 1401's 3 women and 2 men are hidden (primary). 1402's 3
		// staff are hidden too, so 1401's total must go as well, or 1402
		// would follow as county − 1401 (secondary). The county's 8 stay.
		{"f-mean-k5", "1401", "K", "", emp, math.NaN(), ".."},
		{"f-mean-k5", "1401", "M", "", emp, math.NaN(), ".."},
		{"f-mean-k5", "1402", "T", "", emp, math.NaN(), ".."},
		{"f-mean-k5", "1401", "T", "", emp, math.NaN(), ".."},
		{"f-mean-k5", "14", "T", "", pool, 265000.0 / 8, ""},
		{"f-mean-k5", "14", "K", "", pool, math.NaN(), ".."},
	}
	for _, tc := range tests {
		v, _, _, status := oneValue(t, db, tc.ind, tc.geo, "2024", tc.sex, tc.group, tc.method)
		name := fmt.Sprintf("%s %s %s %q %s", tc.ind, tc.geo, tc.sex, tc.group, tc.method)
		switch {
		case math.IsNaN(tc.want):
			if v != nil || status != tc.status {
				t.Errorf("%s = %v status %q, want NULL status %q", name, deref(v), status, tc.status)
			}
		case v == nil:
			t.Errorf("%s = NULL (status %q), want %v", name, status, tc.want)
		case math.Abs(*v-tc.want) > 1e-9*math.Max(1, math.Abs(tc.want)) || status != tc.status:
			t.Errorf("%s = %v status %q, want %v", name, *v, status, tc.want)
		}
	}
}

// The whole indicator_value table of the fixture, as a golden file.
func TestFixtureGolden(t *testing.T) {
	db, _ := fixtureDB(t)
	rows, err := db.SQL.Query(`SELECT indicator, geo_code, period, sex, "group", method,
		coalesce(printf('%.6f', value), 'NULL'), coalesce(printf('%.6f', numerator), 'NULL'), coalesce(printf('%.6f', denominator), 'NULL'),
		coalesce(printf('%.0f', n), 'NULL'), coalesce(CAST(members AS VARCHAR), 'NULL'), status
		FROM indicator_value ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	b.WriteString("indicator\tgeo\tperiod\tsex\tgroup\tmethod\tvalue\tnumerator\tdenominator\tn\tmembers\tstatus\n")
	for rows.Next() {
		r := make([]string, 12)
		ptrs := make([]any, 12)
		for i := range r {
			ptrs[i] = &r[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	golden := filepath.Join("testdata", "golden", "fixture_values.tsv")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if b.String() != string(want) {
		t.Errorf("indicator values differ from %s (go test ./indicators -run TestFixtureGolden -update to accept):\n%s", golden, firstDiff(string(want), b.String()))
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  want %s\n  got  %s", i+1, x, y)
		}
	}
	return ""
}
