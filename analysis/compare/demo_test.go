package compare

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path"
	"testing"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/ingest"
	"github.com/jamstat/jamstat/store"
)

// loadDemo ingests demo HR files (both flavours: CSV and xlsx) as the CLI
// does, with the built-in hr_export spec.
func loadDemo(t testing.TB, db *store.DB, files ...string) {
	t.Helper()
	spec, ok := ingest.BuiltinSpec("hr_export")
	if !ok {
		t.Fatal("built-in spec hr_export missing")
	}
	for _, name := range files {
		b, err := fs.ReadFile(data.Demo(), name)
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.Load(context.Background(), store.LoadInfo{DatasetID: path.Base(name), SourceFile: name, Synthetic: true},
			func(s ingest.Sink) (ingest.Meta, error) {
				return ingest.Parse(bytes.NewReader(b), int64(len(b)), ingest.Options{File: path.Base(name), Spec: spec}, s)
			})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		// The demo's 2024 files hold four faulty rows on purpose
		// (data/demo/README.md); they are rejected, not loaded.
		if res.Employees == 0 || res.RowsRejected > 2 {
			t.Fatalf("%s: %d employees, %d rejected", name, res.Employees, res.RowsRejected)
		}
	}
}

// End to end on the demo data: a few employers of Västra Götaland, two
// years, CSV and xlsx files.
func TestDemoEndToEnd(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var files []string
	for _, y := range []string{"2023", "2024"} {
		for _, emp := range []string{"1401", "1407", "1480", "14"} {
			ext := ".csv"
			if emp == "1407" || emp == "14" {
				ext = ".xlsx"
			}
			files = append(files, fmt.Sprintf("hr/%s/anstallda_%s_%s%s", y, emp, y, ext))
		}
	}
	loadDemo(t, db, files...)
	res, err := Run(ctx, db, Options{County: "14"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Employers) != 8 {
		t.Fatalf("%d employer-years, want 8", len(res.Employers))
	}
	for _, e := range res.Employers {
		if e.Female == nil {
			t.Errorf("%s %s: no female-dominated group (%s)", e.Period, e.Code, e.FemaleStatus)
			continue
		}
		if e.Female.WomenPct <= 60 || e.Female.N < 10 {
			t.Errorf("%s %s: female group %+v", e.Period, e.Code, e.Female)
		}
		if e.Male != nil && (e.Male.WomenPct >= 40 || e.Male.N < 10) {
			t.Errorf("%s %s: male group %+v", e.Period, e.Code, e.Male)
		}
		if e.Male == nil && e.MaleStatus == "" {
			t.Errorf("%s %s: no male group and no reason", e.Period, e.Code)
		}
		if e.Female != nil && e.Male != nil {
			for i, c := range e.Conditions {
				cd := res.Conditions[i]
				survey := cd.Expr == "flextime" || cd.Expr == "split_shifts" || cd.Expr == "evening_weekend"
				switch {
				case e.Code == "1407" && survey:
					// Öckerö did not run the survey: no data, never 0.
					if c.Female.Status != StatusNoData || c.Male.Status != StatusNoData || c.Diff != nil {
						t.Errorf("%s %s %s: want no data for an unsurveyed employer, got %+v", e.Period, e.Code, cd.ID, c)
					}
				case c.Diff == nil:
					t.Errorf("%s %s %s: no difference (%s)", e.Period, e.Code, cd.ID, c.Status)
				}
			}
		}
	}
	if len(res.Summary) != 2*len(res.Conditions) {
		t.Errorf("%d summary rows, want %d", len(res.Summary), 2*len(res.Conditions))
	}
	if err := Save(ctx, db, res); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteTable(&b, res, "sv"); err != nil {
		t.Fatal(err)
	}
	t.Logf("demo comparison:\n%s", b.String())
}

// genEmployees makes n synthetic employees over employers of county 14 for
// one year: occupations with a fixed share of women each, wages, rates,
// contracts, sick leave and survey answers drawn from a seeded source.
func genEmployees(n int, seed uint64) []ingest.Employee {
	rng := rand.New(rand.NewPCG(seed, 1))
	type occ struct {
		ssyk  string
		women float64
		wage  float64
	}
	occs := []occ{{"5321", 0.9, 29000}, {"5311", 0.85, 28000}, {"2221", 0.88, 38000}, {"2341", 0.75, 36000},
		{"4119", 0.7, 31000}, {"2422", 0.55, 40000}, {"5120", 0.6, 28000}, {"9111", 0.8, 26000},
		{"8191", 0.1, 33000}, {"7411", 0.05, 34000}, {"5152", 0.12, 30000}, {"5411", 0.08, 33000},
		{"1532", 0.8, 45000}, {"1342", 0.3, 47000}, {"1412", 0.6, 50000}}
	emps := []string{"14", "1401", "1402", "1407", "1415", "1419", "1421", "1427", "1430", "1435", "1438", "1439", "1440",
		"1441", "1442", "1443", "1444", "1445", "1446", "1447", "1452", "1460", "1461", "1462", "1463", "1465", "1466",
		"1470", "1471", "1472", "1473", "1480", "1481", "1482", "1484", "1485", "1486", "1487", "1488", "1489"}
	f := func(v float64) *float64 { return &v }
	b := func(v bool) *bool { return &v }
	out := make([]ingest.Employee, n)
	for i := range out {
		o := occs[rng.IntN(len(occs))]
		sex := "M"
		if rng.Float64() < o.women {
			sex = "K"
		}
		rate := 100.0
		if rng.Float64() < 0.3 {
			rate = 50 + 5*float64(rng.IntN(10))
		}
		contract := "tillsvidare"
		switch r := rng.Float64(); {
		case r < 0.08:
			contract = "visstid"
		case r < 0.12:
			contract = "timavlönad"
		}
		sched := 1700 * rate / 100
		e := ingest.Employee{
			Period: "2024", EmployerCode: emps[rng.IntN(len(emps))], PersonKey: fmt.Sprint(i), Sex: sex,
			OccupationCode: o.ssyk, OccupationLabel: "Yrke " + o.ssyk,
			MonthlyWageFTE: f(o.wage * (0.85 + 0.3*rng.Float64())), EmploymentRate: f(rate), Contract: contract,
			HourlyPaid: b(contract == "timavlönad"), ScheduledHours: f(sched), SickLeaveHours: f(sched * 0.1 * rng.Float64() * rng.Float64()),
			IsManager: b(o.ssyk[0] == '1'), Flextime: b(rng.Float64() < 0.4), SplitShifts: b(rng.Float64() < 0.1),
			EveningWeekend: b(rng.Float64() < 0.3), Line: i + 2,
		}
		if rng.Float64() < 0.2 {
			e.Flextime = nil // not surveyed
		}
		out[i] = e
	}
	return out
}

// BenchmarkCompare runs a full comparison (both queries, picks, every
// condition with 2000 bootstrap resamples) over 200 000 employees of 40
// employers in one year, loaded into an in-memory store.
func BenchmarkCompare(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	emps := genEmployees(200_000, 42)
	_, err = db.Load(ctx, store.LoadInfo{DatasetID: "bench"}, func(s ingest.Sink) (ingest.Meta, error) {
		for i := range emps {
			if err := s.Employee(&emps[i]); err != nil {
				return ingest.Meta{}, err
			}
		}
		return ingest.Meta{Kind: "employee", RowsRead: len(emps)}, nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res, err := Run(ctx, db, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Employers) != 40 {
			b.Fatalf("%d employers", len(res.Employers))
		}
	}
}
