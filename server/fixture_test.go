package server

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/store"
)

// The test database: a real DuckDB file built with store.Open (schema and
// reference geographies), indicator definitions, goals and values inserted
// with SQL, then served read-only.

type fixtureInd struct {
	id, titleSv, titleEn, unit, kind string
	base                             float64
}

// fixtureInds are four indicators of the embedded catalogue, with the
// base of their made-up values; titles, units and kinds come from the
// catalogue (see init).
var fixtureInds = []fixtureInd{
	{id: "lon-medel", base: 30000},
	{id: "chefer-kvinnor-andel", base: 50},
	{id: "sjukfranvaro-anstallda", base: 5},
	{id: "deltid-andel", base: 20},
}

var fixtureCat *indicators.Catalogue

func init() {
	cat, err := indicators.LoadCatalogue("")
	if err != nil {
		panic(fmt.Sprintf("embedded catalogue: %v", err))
	}
	fixtureCat = cat
	for i := range fixtureInds {
		ind, ok := cat.Indicator(fixtureInds[i].id)
		if !ok {
			panic("fixture indicator " + fixtureInds[i].id + " is not in the catalogue")
		}
		fixtureInds[i].titleSv, fixtureInds[i].titleEn = ind.Title.Sv, ind.Title.En
		fixtureInds[i].unit, fixtureInds[i].kind = ind.Unit, string(ind.Kind)
	}
}

var (
	fixtureGeos    = []string{"1480", "1401", "1402", "1440", "14", "0000"}
	fixturePeriods = []string{"2022", "2023"}
)

// fixtureValue is the stored value of one cell; off shifts a whole
// database version (the swap test tells versions apart by it).
func fixtureValue(ind fixtureInd, geoIdx int, period string, sex string, off float64) float64 {
	v := ind.base + float64(geoIdx)*10
	if period == "2023" {
		v++
	}
	switch sex {
	case "K":
		v -= 2
	case "M":
		v += 2
	}
	return v + off
}

// Cells that disclosure control has withheld, or that upstream got wrong
// and the server must still not publish.
const (
	leakNumberLowN       = 12345.678 // status '' but n = 3 < k = 5
	leakNumberSuppressed = 98765.4   // status '..' with a number left in value
	otherGroupNumber     = 77777.7   // group 'ssyk4:5321': never served
	employerMethodNumber = 55555.5   // county as employer: the pooled value wins
)

func isSuppressedFixture(ind, geo, period, sex string) bool {
	return (ind == "lon-medel" && geo == "1401" && period == "2023" && sex == "M") ||
		(ind == "chefer-kvinnor-andel" && geo == "1440" && period == "2023" && sex == "T")
}

func fixtureN(sex string) float64 {
	switch sex {
	case "K":
		return 40
	case "M":
		return 30
	}
	return 70
}

// buildFixture writes a fixture database to path.
func buildFixture(ctx context.Context, path string, off float64) error {
	db, err := store.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	exec := func(q string, args ...any) error {
		if _, err := db.SQL.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
		return nil
	}
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO dataset (dataset_id, name, sha256, loaded_at, rows_read, rows_loaded, rows_rejected) VALUES ('hr-2023', 'HR', ?, TIMESTAMP '2024-03-01 10:00:00', 1, 1, 0)`, []any{fmt.Sprintf("sha-%g", off)}},
	}
	for _, s := range stmts {
		if err := exec(s.q, s.args...); err != nil {
			return err
		}
	}
	if err := indicators.SyncCatalogue(ctx, db.SQL, fixtureCat); err != nil {
		return err
	}
	computed := time.Date(2024, 3, 2, 12, 0, int(off)%60, 0, time.UTC)
	stmt, err := db.SQL.PrepareContext(ctx, `INSERT INTO indicator_value (indicator, geo_code, period, sex, "group", method, value, n, status, computed_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, ind := range fixtureInds {
		sexes := []string{"K", "M", "T"}
		if ind.kind == "share_women" {
			sexes = []string{"T"}
		}
		for gi, geo := range fixtureGeos {
			method := "employer"
			switch geo {
			case "14":
				method = "headcount-weighted"
			case "0000":
				method = "direct"
			}
			for _, p := range fixturePeriods {
				for _, sx := range sexes {
					var value, n any = fixtureValue(ind, gi, p, sx, off), fixtureN(sx)
					status := ""
					if isSuppressedFixture(ind.id, geo, p, sx) {
						value, n, status = nil, nil, ".."
					}
					if ind.id == "sjukfranvaro-anstallda" && geo == "1402" && p == "2022" && sx == "K" {
						value, n = leakNumberLowN, 3.0
					}
					if ind.id == "sjukfranvaro-anstallda" && geo == "1402" && p == "2022" && sx == "M" {
						value, n, status = leakNumberSuppressed, nil, ".."
					}
					if _, err := stmt.ExecContext(ctx, ind.id, geo, p, sx, "", method, value, n, status, computed); err != nil {
						return err
					}
				}
			}
		}
	}
	extra := []struct {
		geo, sex, group, method string
		value                   float64
	}{
		{"1480", "K", "ssyk4:5321", "employer", otherGroupNumber},
		{"14", "K", "", "employer", employerMethodNumber},
		{"14", "M", "", "employer", employerMethodNumber},
		{"14", "T", "", "employer", employerMethodNumber},
	}
	for _, x := range extra {
		if _, err := stmt.ExecContext(ctx, "lon-medel", x.geo, "2023", x.sex, x.group, x.method, x.value, 100.0, "", computed); err != nil {
			return err
		}
	}
	return buildComparison(ctx, exec)
}

func buildComparison(ctx context.Context, exec func(string, ...any) error) error {
	if err := exec(`INSERT INTO comparison_run VALUES ('r1', '2023', '14', 'ssyk4', 60, false, 'headcount', 10, 5, 0.95, 200, 1, TIMESTAMP '2024-03-03 09:00:00')`); err != nil {
		return err
	}
	rows := []struct {
		emp, name, cond string
		order           int
		fv, mv          any
		diff            any
	}{
		{"1480", "Göteborgs Stad", "wage_mean", 1, 31000.0, 36000.0, -5000.0},
		{"1480", "Göteborgs Stad", "sick_leave", 7, 7.5, 4.0, 3.5},
		{"1401", "Härryda kommun", "wage_mean", 1, 30500.0, nil, nil},
		{"1401", "Härryda kommun", "sick_leave", 7, 6.0, 5.5, 0.5},
	}
	for _, r := range rows {
		mStatus := ""
		if r.mv == nil {
			mStatus = "suppressed"
		}
		if err := exec(`INSERT INTO comparison (run_key, period, employer_code, employer_name, county_code, sector, employees,
			female_code, female_name, female_n, female_women_pct, male_code, male_name, male_n, male_women_pct,
			condition_id, condition_order, kind, unit, worse, female_value, female_value_n, female_status,
			male_value, male_value_n, male_status, diff, diff_lo, diff_hi, distinguishable, female_worse, method, status)
			VALUES ('r1', '2023', ?, ?, '14', 'kommun', 5000, '5321', 'Undersköterskor', 400, 92.5, '7411', 'Elektriker', 50, 4.0,
			?, ?, 'mean', 'SEK', 'lower', ?, 400, '', ?, 50, ?, ?, NULL, NULL, true, true, 'welch', '')`,
			r.emp, r.name, r.cond, r.order, r.fv, r.mv, mStatus, r.diff); err != nil {
			return err
		}
	}
	return exec(`INSERT INTO comparison_summary VALUES
		('r1', '2023', '14', 'wage_mean', 1, 2, 1, 1, 1, 0, 0),
		('r1', '2023', '14', 'sick_leave', 7, 2, 2, 2, 1, 0, 0)`)
}

var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixturePath string
	fixtureErr  error
)

// sharedFixture is one fixture database for the tests that only read it.
func sharedFixture(t *testing.T) string { return sharedFixtureB(t) }

func sharedFixtureB(t testing.TB) string {
	t.Helper()
	fixtureOnce.Do(func() {
		fixtureDir, fixtureErr = os.MkdirTemp("", "jamstat-server-test-")
		if fixtureErr != nil {
			return
		}
		fixturePath = filepath.Join(fixtureDir, "fixture.duckdb")
		fixtureErr = buildFixture(context.Background(), fixturePath, 0)
	})
	if fixtureErr != nil {
		t.Fatalf("fixture: %v", fixtureErr)
	}
	return fixturePath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// newTestServer serves path with httptest and the server's own limits.
func newTestServer(t testing.TB, path string, mod func(*Config)) (*Server, *httptest.Server) {
	t.Helper()
	cfg := Config{DBPath: path, Logger: testLogger(t), Version: "test"}
	if mod != nil {
		mod(&cfg)
	}
	s, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(s.Handler())
	hs := s.HTTPServer("")
	ts.Config.ReadHeaderTimeout = hs.ReadHeaderTimeout
	ts.Config.ReadTimeout = hs.ReadTimeout
	ts.Config.WriteTimeout = hs.WriteTimeout
	ts.Config.IdleTimeout = hs.IdleTimeout
	ts.Config.MaxHeaderBytes = hs.MaxHeaderBytes
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	return s, ts
}

func get(t testing.TB, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}
