package reports

import (
	"bytes"
	"context"
	"database/sql"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jamstat/jamstat/analysis/compare"
	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/ingest"
	"github.com/jamstat/jamstat/store"
)

// The build tests run on a database made here from a few embedded demo
// files (Kolada series for the Västra Götaland goals, two years of HR
// extracts for Göteborg and the region), through the same ingest,
// indicator and comparison code users run. Figures in the models are
// checked against SQL run independently on indicator_value and comparison.

var buildFiles = []string{
	"kolada/N15428.json", // behöriga till yrkesprogram (goal vg-pojkars-skolresultat)
	"kolada/N15507.json", // meritvärde
	"kolada/N33820.json", // psykisk ohälsa bland barn och unga
	"kolada/N05815.json", // kvinnor i kommunfullmäktige (one row per geography)
	"hr/2023/anstallda_1480_2023.csv",
	"hr/2023/anstallda_14_2023.xlsx",
	"hr/2024/anstallda_1480_2024.csv",
	"hr/2024/anstallda_14_2024.xlsx",
}

// The cell the tests withhold by hand, as disclosure control would.
const (
	suppInd  = "behorighet-yrkesprogram-pojkar"
	suppGeo  = "1401"
	suppYear = "2024"
)

var (
	fixOnce sync.Once
	fixDB   *store.DB
	fixCat  *indicators.Catalogue
	fixErr  error
)

func buildFixture(t *testing.T) (*store.DB, *indicators.Catalogue) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds a database from demo files")
	}
	fixOnce.Do(func() {
		ctx := context.Background()
		// A file, not :memory:, as the CLI uses; the test binary's temp dir
		// outlives the individual tests.
		dir, err := tempDir()
		if err != nil {
			fixErr = err
			return
		}
		fixDB, fixErr = store.Open(ctx, filepath.Join(dir, "build.duckdb"))
		if fixErr != nil {
			return
		}
		demo := data.Demo()
		for _, p := range buildFiles {
			b, err := fs.ReadFile(demo, p)
			if err != nil {
				fixErr = err
				return
			}
			_, err = fixDB.Load(ctx, store.LoadInfo{DatasetID: p, SourceFile: p, Synthetic: true}, func(s ingest.Sink) (ingest.Meta, error) {
				return ingest.Parse(bytes.NewReader(b), int64(len(b)), ingest.Options{File: p}, s)
			})
			if err != nil {
				fixErr = err
				return
			}
		}
		if fixCat, fixErr = indicators.LoadCatalogue(""); fixErr != nil {
			return
		}
		if _, fixErr = indicators.Compute(ctx, fixDB, fixCat, indicators.ComputeOptions{}); fixErr != nil {
			return
		}
		// Withhold one kommun's published value for boys by hand, as
		// disclosure control does: NULL with status "..".
		if _, fixErr = fixDB.SQL.Exec(`UPDATE indicator_value SET value = NULL, numerator = NULL, n = NULL, status = '..'
			WHERE indicator = ? AND geo_code = ? AND period = ? AND sex = 'M' AND "group" = ''`, suppInd, suppGeo, suppYear); fixErr != nil {
			return
		}
		res, err := compare.Run(ctx, fixDB, compare.Options{County: "14", Year: "2024"})
		if err != nil {
			fixErr = err
			return
		}
		fixErr = compare.Save(ctx, fixDB, res)
	})
	if fixErr != nil {
		t.Fatal(fixErr)
	}
	return fixDB, fixCat
}

var (
	tmpOnce sync.Once
	tmpPath string
	tmpErr  error
)

func tempDir() (string, error) {
	tmpOnce.Do(func() { tmpPath, tmpErr = os.MkdirTemp("", "jamstat-reports-") })
	return tmpPath, tmpErr
}

// TestMain removes the fixture database the build tests share.
func TestMain(m *testing.M) {
	code := m.Run()
	if fixDB != nil {
		fixDB.Close()
	}
	if tmpPath != "" {
		os.RemoveAll(tmpPath)
	}
	os.Exit(code)
}

// sqlValues reads indicator_value rows independently of the code under
// test: sex → value (nil when withheld) and status.
type dbCell struct {
	v      *float64
	status string
}

func sqlCells(t *testing.T, db *store.DB, ind, geo, method, period string) map[string]dbCell {
	t.Helper()
	rows, err := db.SQL.Query(`SELECT sex, value, status FROM indicator_value
		WHERE indicator = ? AND geo_code = ? AND method = ? AND period = ? AND "group" = ''`, ind, geo, method, period)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]dbCell{}
	for rows.Next() {
		var sex, status string
		var v sql.NullFloat64
		if err := rows.Scan(&sex, &v, &status); err != nil {
			t.Fatal(err)
		}
		c := dbCell{status: status}
		if v.Valid {
			x := v.Float64
			c.v = &x
		}
		out[sex] = c
	}
	return out
}

func sameValue(t *testing.T, where string, got Value, want dbCell) {
	t.Helper()
	if want.v == nil {
		if got.Published() || got.V != nil {
			t.Errorf("%s: published %v, database has NULL (%q)", where, *got.V, want.status)
		}
		if want.status == StatusSuppressed && got.Status != StatusSuppressed {
			t.Errorf("%s: status %q, want %q", where, got.Status, StatusSuppressed)
		}
		return
	}
	if !got.Published() || math.Abs(*got.V-*want.v) > 1e-9*math.Max(1, math.Abs(*want.v)) {
		t.Errorf("%s: got %+v, database has %v", where, got, *want.v)
	}
}

func findIndicator(r *FollowupReport, goal, id string) *IndicatorSeries {
	for gi := range r.Goals {
		if r.Goals[gi].GoalID != goal {
			continue
		}
		for ii := range r.Goals[gi].Indicators {
			if r.Goals[gi].Indicators[ii].ID == id {
				return &r.Goals[gi].Indicators[ii]
			}
		}
	}
	return nil
}

func TestBuildFollowup(t *testing.T) {
	db, cat := buildFixture(t)
	ctx := context.Background()
	r, err := BuildFollowup(ctx, db, cat, "vastra-gotaland-2024", "2024", "", "sv")
	if err != nil {
		t.Fatal(err)
	}
	if r.County.Code != "14" || r.Year != 2024 || r.Strategy.BaselineYear != 2024 {
		t.Fatalf("county %s year %d baseline %d", r.County.Code, r.Year, r.Strategy.BaselineYear)
	}
	s, _ := cat.Strategy("vastra-gotaland-2024")
	if len(r.Goals) != len(s.Goals) {
		t.Errorf("%d goal sections, strategy has %d goals", len(r.Goals), len(s.Goals))
	}
	is := findIndicator(r, "vg-pojkars-skolresultat", suppInd)
	if is == nil {
		t.Fatalf("goal vg-pojkars-skolresultat lacks %s", suppInd)
	}
	// The county's series is Kolada's own county figure (method direct),
	// every year up to 2024.
	if len(is.County) == 0 {
		t.Fatal("no county series")
	}
	for _, yv := range is.County {
		want := sqlCells(t, db, suppInd, "14", indicators.MethodDirect, strconv.Itoa(yv.Year))
		sameValue(t, "county K "+strconv.Itoa(yv.Year), yv.Women, want["K"])
		sameValue(t, "county M "+strconv.Itoa(yv.Year), yv.Men, want["M"])
		sameValue(t, "county T "+strconv.Itoa(yv.Year), yv.Total, want["T"])
	}
	if is.County[len(is.County)-1].Year != 2024 {
		t.Errorf("series ends %d", is.County[len(is.County)-1].Year)
	}
	// Every municipality of the county, values of the latest year, the
	// withheld one as "..", sorted by the followed series (boys: M).
	ks, _ := kommunerOf("14")
	if len(is.Municipalities) != len(ks) {
		t.Fatalf("%d municipalities, county has %d", len(is.Municipalities), len(ks))
	}
	ind, _ := cat.Indicator(suppInd)
	if ind.FollowSeries() != "M" {
		t.Fatalf("test assumes %s follows M, it follows %s", suppInd, ind.FollowSeries())
	}
	var prev *float64
	seenNil := false
	for _, m := range is.Municipalities {
		want := sqlCells(t, db, suppInd, m.Geo.Code, indicators.MethodDirect, "2024")
		sameValue(t, m.Geo.Code+" K", m.Women, want["K"])
		sameValue(t, m.Geo.Code+" M", m.Men, want["M"])
		sameValue(t, m.Geo.Code+" T", m.Total, want["T"])
		if m.Geo.Code == suppGeo && (m.Men.Status != StatusSuppressed || m.Men.V != nil) {
			t.Errorf("withheld cell became %+v, want ..", m.Men)
		}
		switch {
		case !m.Men.Published():
			seenNil = true
		case seenNil:
			t.Errorf("%s has a value after a municipality without one", m.Geo.Code)
		case prev != nil && *m.Men.V > *prev:
			t.Errorf("%s (%v) sorted after a lower value %v", m.Geo.Code, *m.Men.V, *prev)
		}
		if m.Men.Published() {
			prev = m.Men.V
		}
	}
	// Trend: the baseline year 2024 is the latest, so goal status compares
	// with the nearest earlier year; the change is the followed series'.
	if is.Latest.Year != 2024 || is.Baseline.Year != 2023 {
		t.Errorf("latest %d baseline %d, want 2024 and 2023", is.Latest.Year, is.Baseline.Year)
	}
	l, b := sqlCells(t, db, suppInd, "14", indicators.MethodDirect, "2024"), sqlCells(t, db, suppInd, "14", indicators.MethodDirect, "2023")
	sameValue(t, "latest", is.Latest.Value, l["M"])
	sameValue(t, "baseline", is.Baseline.Value, b["M"])
	rep, err := indicators.GoalStatus(ctx, db, cat, "vastra-gotaland-2024", "2024", "14")
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.Goals {
		for _, st := range g.Indicators {
			if st.Indicator == suppInd && directionOf(st.Direction) != is.Direction {
				t.Errorf("direction %q, goal status says %q", is.Direction, st.Direction)
			}
		}
	}
	// Method: synthetic data said plainly, k, vintage.
	var src strings.Builder
	for _, s := range r.Method.Sources {
		src.WriteString(s.Name + "|" + s.Published + "\n")
		if s.ReferenceYear != 2024 {
			t.Errorf("source %q reference year %d", s.Name, s.ReferenceYear)
		}
	}
	if !strings.Contains(src.String(), "SYNTETISKA DATA") || !strings.Contains(src.String(), "N15428.json") || !strings.Contains(src.String(), "beräknad ") {
		t.Errorf("sources do not name the synthetic files and dates:\n%s", src.String())
	}
	if len(r.Notices) == 0 || !strings.Contains(r.Notices[0], "syntetiska data") {
		t.Errorf("no notice of synthetic data first: %q", r.Notices)
	}
	// Indicators that follow the priority area "Ekonomisk jämställdhet"
	// (under delmål 2) without a goal of the strategy are shown there, with
	// the direction goal status gives the area's indicators.
	var area *IndicatorGroup
	for i := range r.Groups {
		if r.Groups[i].AreaID == "vg-ekonomisk-jamstalldhet" {
			area = &r.Groups[i]
		}
	}
	if area == nil || area.Delmal != 2 || area.Area != "Ekonomisk jämställdhet" {
		t.Fatalf("no area group Ekonomisk jämställdhet under delmål 2: %+v", area)
	}
	wantArea := cat.IndicatorsForArea("vg-ekonomisk-jamstalldhet")
	if len(area.Indicators) != len(wantArea) {
		t.Errorf("area group has %d indicators, the catalogue %d", len(area.Indicators), len(wantArea))
	}
	// The fixture's HR data cover Göteborg: its directions are judged.
	rep1480, err := indicators.GoalStatus(ctx, db, cat, "vastra-gotaland-2024", "2024", "1480")
	if err != nil {
		t.Fatal(err)
	}
	areaDir := map[statusKey]string{}
	for _, rp := range []*indicators.StatusReport{rep, rep1480} {
		for _, a := range rp.Areas {
			for _, st := range a.Indicators {
				areaDir[statusKey{st.Indicator, st.GeoCode}] = st.Direction
			}
		}
	}
	assessed := 0
	for _, is := range area.Indicators {
		if got, want := is.Direction, directionOf(areaDir[statusKey{is.ID, "14"}]); got != want {
			t.Errorf("area indicator %s: county direction %q, goal status %q", is.ID, got, want)
		}
		for _, m := range is.Municipalities {
			if m.Geo.Code != "1480" {
				continue
			}
			if want := directionOf(areaDir[statusKey{is.ID, "1480"}]); m.Direction != want {
				t.Errorf("area indicator %s: Göteborg's direction %q, goal status %q", is.ID, m.Direction, want)
			}
			if m.Direction == Better || m.Direction == Worse || m.Direction == Unchanged {
				assessed++
			}
		}
	}
	if assessed == 0 {
		t.Error("no area indicator was assessed: the fixture no longer tests directions")
	}
	// Every delmål has something to say: delmål 2 is not "no indicators".
	var page bytes.Buffer
	if err := WriteFollowupHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(page.String(), "\u00a0", " ")
	for _, bad := range []string{"Delmål 2. Ekonomisk jämställdhet: Inga indikatorer", "sedan 2024"} {
		if strings.Contains(text, bad) {
			t.Errorf("report says %q", bad)
		}
	}
	for _, want := range []string{"Insatsområde:", "Ekonomisk jämställdhet", "Indikatorer för delmålet", "mellan 2023 och 2024",
		"Strategins basår 2024 är det senaste året med uppgifter för alla bedömda indikatorer"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if r.MinN != 5 {
		t.Errorf("k = %d", r.MinN)
	}
	var html, pdf bytes.Buffer
	if err := WriteFollowupHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteFollowupPDF(&pdf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html.String(), "Göteborg") || pdf.Len() < 1000 {
		t.Errorf("html lacks Göteborg or pdf is %d bytes", pdf.Len())
	}

	// The national goals followed up in the county (scope Sweden: one
	// goal-status call per geography) and in English.
	r, err = BuildFollowup(ctx, db, cat, "national", "2024", "14", "en")
	if err != nil {
		t.Fatal(err)
	}
	is = findIndicator(r, "se-dm1", "kf-kvinnor-andel")
	if is == nil {
		t.Fatal("national follow-up lacks kf-kvinnor-andel under se-dm1")
	}
	last := is.County[len(is.County)-1]
	want := sqlCells(t, db, "kf-kvinnor-andel", "14", indicators.MethodDirect, strconv.Itoa(last.Year))
	sameValue(t, "kf T", last.Total, want["T"])
	if last.Women.Status != StatusNotApplicable || is.Target == nil || *is.Target != 50 {
		t.Errorf("share of women: women cell %+v, target %v", last.Women, is.Target)
	}
	// In English a goal that is a delmål word for word reads as the
	// delmål's English text; one published in Swedish only is marked so.
	for _, g := range r.Goals {
		if g.GoalID == "se-dm1" && (g.Goal != "Equal division of power and influence" || g.GoalLang != "") {
			t.Errorf("se-dm1 in English: %q (lang %q)", g.Goal, g.GoalLang)
		}
	}
	// A county catalogue may give a goal in Swedish only: the English
	// report shows it in Swedish and says so.
	boys, _ := cat.Goal("vg-pojkars-skolresultat")
	boysEn := boys.TextEn
	boys.TextEn = ""
	t.Cleanup(func() { boys.TextEn = boysEn })
	r, err = BuildFollowup(ctx, db, cat, "vastra-gotaland-2024", "2024", "", "en")
	if err != nil {
		t.Fatal(err)
	}
	marked := false
	for _, g := range r.Goals {
		if g.GoalID == boys.ID && g.GoalLang == "sv" && g.Goal == boys.Text {
			marked = true
		}
		if g.GoalID != boys.ID && g.GoalLang != "" {
			t.Errorf("goal %s has English text but is marked %q", g.GoalID, g.GoalLang)
		}
	}
	if !marked {
		t.Errorf("goal %s without English text is not shown in Swedish and marked", boys.ID)
	}
	for _, g := range r.Goals {
		if sg, _ := cat.Goal(g.GoalID); sg.TextEn == "" && g.GoalLang != "sv" {
			t.Errorf("goal %s published in Swedish only, not marked: %+v", g.GoalID, g.GoalLang)
		}
	}
	for _, g := range r.Groups {
		if g.AreaID == "vg-ekonomisk-jamstalldhet" && g.Area != "Economic equality" {
			t.Errorf("area in English: %q", g.Area)
		}
	}
	page.Reset()
	if err := WriteFollowupHTML(&page, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page.String(), `lang="sv"`) || !strings.Contains(page.String(), "(published in Swedish)") {
		t.Error("English report does not mark the goals published in Swedish")
	}
	if !strings.Contains(page.String(), "HR register extract (employees)") || strings.Contains(page.String(), "HR-registerutdrag") {
		t.Error("English report does not give the indicators' sources in English")
	}
	if _, err := BuildFollowup(ctx, db, cat, "national", "2024", "", "sv"); err == nil {
		t.Error("national strategy without a county: no error")
	}
	if _, err := BuildFollowup(ctx, db, cat, "nope", "2024", "14", "sv"); err == nil {
		t.Error("unknown strategy: no error")
	}
}

// TestFollowupStatusCoversEveryIndicator: every indicator the follow-up
// shows, including those that follow a delmål without a goal or area of
// the strategy, gets its direction from indicators.GoalStatus for the
// county and every kommun, and some of the delmål-only ones are judged.
func TestFollowupStatusCoversEveryIndicator(t *testing.T) {
	db, cat := buildFixture(t)
	ctx := context.Background()
	kommuner, err := kommunerOf("14")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ strategy, year string }{{"national", "2024"}, {"vastra-gotaland-2024", "2024"}, {"national", "2023"}} {
		s, _ := cat.Strategy(c.strategy)
		status, err := followupStatus(ctx, db, cat, s, c.year, "14", kommuner)
		if err != nil {
			t.Fatal(err)
		}
		viaGoal := map[string]bool{}
		for _, g := range s.Goals {
			for _, ind := range cat.IndicatorsForGoal(g.ID) {
				viaGoal[ind.ID] = true
			}
		}
		for _, a := range s.Areas {
			for _, ind := range cat.IndicatorsForArea(a.ID) {
				viaGoal[ind.ID] = true
			}
		}
		shown, delmalOnly, judged := 0, 0, 0
		for _, sec := range planFollowup(cat, s) {
			for _, ind := range sec.inds {
				shown++
				for _, gc := range append([]string{"14"}, kommuner[0].Code, kommuner[len(kommuner)-1].Code) {
					st, ok := status[statusKey{ind.ID, gc}]
					if !ok {
						t.Errorf("%s %s: %s in %s has no status", c.strategy, c.year, ind.ID, gc)
						continue
					}
					if st.Indicator != ind.ID || st.GeoCode != gc {
						t.Errorf("%s %s: status under %s/%s is for %s/%s", c.strategy, c.year, ind.ID, gc, st.Indicator, st.GeoCode)
					}
					if !viaGoal[ind.ID] && gc == "14" {
						delmalOnly++
						if st.Direction == indicators.Better || st.Direction == indicators.Worse || st.Direction == indicators.Unchanged {
							judged++
						}
					}
				}
			}
		}
		// The national strategy's goals follow every delmål (via_delmal);
		// Västra Götaland's catalogue lists 7 of its 15 goals, so some
		// indicators reach its follow-up through their delmål alone.
		if shown < 10 || c.strategy != "national" && (delmalOnly == 0 || judged == 0) {
			t.Errorf("%s %s: %d indicators shown, %d delmål-only, %d of them judged: the fixture no longer exercises them", c.strategy, c.year, shown, delmalOnly, judged)
		}
	}
}

func TestBuildWorkConditions(t *testing.T) {
	db, _ := buildFixture(t)
	ctx := context.Background()
	r, err := BuildWorkConditions(ctx, db, "14", "2024", "sv", "")
	if err != nil {
		t.Fatal(err)
	}
	var nCond, nRows int
	if err := db.SQL.QueryRow(`SELECT count(DISTINCT condition_id), count(*) FROM comparison WHERE period = '2024' AND county_code = '14'`).Scan(&nCond, &nRows); err != nil {
		t.Fatal(err)
	}
	if len(r.Conditions) != nCond || nCond == 0 {
		t.Fatalf("%d conditions, database has %d", len(r.Conditions), nCond)
	}
	got := 0
	for _, c := range r.Conditions {
		for i, e := range c.Employers {
			got++
			if i == 0 && e.Code != "14" {
				t.Errorf("%s: first employer %s, want the region", c.ID, e.Code)
			}
			var fv, mv, diff sql.NullFloat64
			var fn sql.NullInt64
			if err := db.SQL.QueryRow(`SELECT female_value, male_value, female_n, diff FROM comparison
				WHERE period = '2024' AND employer_code = ? AND condition_id = ?`, e.Code, c.ID).Scan(&fv, &mv, &fn, &diff); err != nil {
				t.Fatal(err)
			}
			check := func(what string, g Group, v sql.NullFloat64) {
				if v.Valid != g.Value.Published() || (v.Valid && *g.Value.V != v.Float64) {
					t.Errorf("%s %s %s: %+v, database %v", c.ID, e.Code, what, g.Value, v)
				}
			}
			check("female", e.FemaleGroup, fv)
			check("male", e.MaleGroup, mv)
			if fn.Valid && int64(e.FemaleGroup.N) != fn.Int64 {
				t.Errorf("%s %s: female n %d, database %d", c.ID, e.Code, e.FemaleGroup.N, fn.Int64)
			}
			if diff.Valid && fv.Valid && mv.Valid && (e.Difference == nil || *e.Difference != diff.Float64) {
				t.Errorf("%s %s: difference %v, database %v", c.ID, e.Code, e.Difference, diff.Float64)
			}
			if e.Difference != nil && !(fv.Valid && mv.Valid) {
				t.Errorf("%s %s: difference beside a withheld group", c.ID, e.Code)
			}
		}
	}
	if got != nRows {
		t.Errorf("%d employer rows, database has %d", got, nRows)
	}
	// The summary derived from the rows agrees with the one compare saved.
	for _, s := range SummarizeConditions(r) {
		var fw, mw, compared int
		if err := db.SQL.QueryRow(`SELECT female_worse, male_worse, compared FROM comparison_summary
			WHERE period = '2024' AND county_code = '14' AND condition_id = ?`, s.ConditionID).Scan(&fw, &mw, &compared); err != nil {
			t.Fatal(err)
		}
		if s.FemaleWorse != fw || s.MaleWorse != mw || s.Compared != compared {
			t.Errorf("%s: summary %d/%d/%d, saved %d/%d/%d", s.ConditionID, s.FemaleWorse, s.MaleWorse, s.Compared, fw, mw, compared)
		}
	}
	// The fixture's HR extracts are synthetic: the summary says so first.
	if len(r.Notices) == 0 || !strings.Contains(r.Notices[0], "syntetiska data") {
		t.Errorf("no notice of synthetic data: %q", r.Notices)
	}
	var html bytes.Buffer
	if err := WriteWorkConditionsHTML(&html, r); err != nil {
		t.Fatal(err)
	}
	page := html.String()
	sum := page[strings.Index(page, `id="summary-h"`):]
	if n, i := strings.Index(sum, "syntetiska data"), strings.Index(sum, "<p>"); n < 0 || (i >= 0 && i < n) {
		t.Errorf("synthetic-data notice is not the first thing in the summary")
	}
	if _, err := BuildWorkConditions(ctx, db, "14", "2019", "sv", ""); err == nil || !strings.Contains(err.Error(), "jamstat compare") {
		t.Errorf("year without a run: %v", err)
	}
	if _, err := BuildWorkConditions(ctx, db, "1480", "2024", "sv", ""); err == nil {
		t.Error("a kommun as county: no error")
	}
}

// sheetTable reads one worksheet's table back with excelize: the header
// row (found by its first cell) and the rows below it, raw values.
func sheetTable(t *testing.T, f *excelize.File, sheet, first string) (map[string]int, [][]string) {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s: %v", sheet, err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == first {
			cols := map[string]int{}
			for j, h := range r {
				if _, dup := cols[h]; !dup {
					cols[h] = j
				}
			}
			var body [][]string
			for _, b := range rows[i+1:] {
				if len(b) == 0 || b[0] == "" {
					break
				}
				body = append(body, b)
			}
			return cols, body
		}
	}
	t.Fatalf("%s: no header row starting %q", sheet, first)
	return nil, nil
}

func cellAt(r []string, i int) string {
	if i < len(r) {
		return r[i]
	}
	return ""
}

func TestBuildMunicipalitySheet(t *testing.T) {
	db, cat := buildFixture(t)
	ctx := context.Background()
	for _, geo := range []string{"1480", suppGeo, "14"} {
		s, err := BuildMunicipalitySheet(ctx, db, cat, geo, "2024", "sv")
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WriteMunicipalitySheet(&buf, s); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		g, _ := data.GeoByCode(geo)
		// The trend columns name the year actually compared, which may not
		// be the national baseline year.
		if rows, _ := f.GetRows(sheetName(tr("sv", "delmal") + " 1")); len(rows) < 4 || !strings.Contains(strings.Join(rows[3], "|"), "|Jämförelseår|Värde jämförelseår|") {
			t.Errorf("%s: delmål sheet header lacks the comparison year columns", geo)
		}
		checked, suppressedSeen := 0, false
		for _, d := range s.Delmal {
			sheet := sheetName(tr("sv", "delmal") + " " + strconv.Itoa(d.Delmal))
			cols, body := sheetTable(t, f, sheet, tr("sv", "indicator_id"))
			for _, row := range body {
				id := row[0]
				if _, ok := cat.Indicator(id); !ok {
					t.Fatalf("%s: unknown indicator %q", sheet, id)
				}
				year := cellAt(row, cols[tr("sv", "year")])
				// The geography's preferred method, as the database holds it.
				method := preferredMethodSQL(t, db, id, geo, g.Kind)
				want := sqlCells(t, db, id, geo, method, year)
				for _, c := range []struct{ col, sex string }{{"women", "K"}, {"men", "M"}, {"total", "T"}} {
					got := cellAt(row, cols[tr("sv", c.col)])
					w, ok := want[c.sex]
					switch {
					case !ok:
						if got != StatusMissing && got != StatusNotApplicable {
							t.Errorf("%s %s %s: %q, database has no row", geo, id, c.sex, got)
						}
					case w.v == nil:
						if got != StatusSuppressed && got != StatusMissing {
							t.Errorf("%s %s %s: %q, database NULL with %q", geo, id, c.sex, got, w.status)
						}
						if w.status == StatusSuppressed {
							suppressedSeen = suppressedSeen || (geo == suppGeo && id == suppInd)
							if got != StatusSuppressed {
								t.Errorf("%s %s %s: withheld cell written as %q", geo, id, c.sex, got)
							}
						}
					default:
						x, err := strconv.ParseFloat(got, 64)
						if err != nil || math.Abs(x-*w.v) > 1e-9*math.Max(1, math.Abs(*w.v)) {
							t.Errorf("%s %s %s: sheet %q, database %v", geo, id, c.sex, got, *w.v)
						}
						checked++
					}
				}
				// K/M is the quotient of the two published cells.
				if k, m := want["K"], want["M"]; k.v != nil && m.v != nil && *m.v != 0 {
					x, err := strconv.ParseFloat(cellAt(row, cols[tr("sv", "ratio")]), 64)
					if err != nil || math.Abs(x - *k.v / *m.v) > 1e-9 {
						t.Errorf("%s %s ratio: %q, want %v", geo, id, cellAt(row, cols[tr("sv", "ratio")]), *k.v / *m.v)
					}
				}
			}
		}
		if checked == 0 {
			t.Errorf("%s: no number checked", geo)
		}
		if geo == suppGeo && !suppressedSeen {
			t.Errorf("%s: the withheld cell of %s was not found as ..", geo, suppInd)
		}
		// Göteborg and the region have a comparison; the sheet holds it.
		if geo != suppGeo {
			cols, body := sheetTable(t, f, sheetName(tr("sv", "work_conditions")), tr("sv", "condition"))
			var n int
			if err := db.SQL.QueryRow(`SELECT count(*) FROM comparison WHERE period = '2024' AND employer_code = ?`, geo).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if len(body) != n || n == 0 {
				t.Errorf("%s: %d condition rows, database %d", geo, len(body), n)
			}
			var fv sql.NullFloat64
			if err := db.SQL.QueryRow(`SELECT female_value FROM comparison WHERE period = '2024' AND employer_code = ? AND condition_order = 1`, geo).Scan(&fv); err != nil {
				t.Fatal(err)
			}
			got := cellAt(body[0], cols[tr("sv", "value")])
			if x, err := strconv.ParseFloat(got, 64); fv.Valid && (err != nil || math.Abs(x-fv.Float64) > 1e-6) {
				t.Errorf("%s: first condition's female value %q, database %v", geo, got, fv.Float64)
			}
		}
		f.Close()
	}
	if _, err := BuildMunicipalitySheet(ctx, db, cat, "0000", "2024", "sv"); err == nil {
		t.Error("Sweden: no error")
	}
}

// preferredMethodSQL is the method the sheet should use, chosen in SQL:
// direct, then employer (kommuner only), then pooled, then the mean.
func preferredMethodSQL(t *testing.T, db *store.DB, ind, geo, kind string) string {
	t.Helper()
	var m string
	err := db.SQL.QueryRow(`SELECT method FROM indicator_value WHERE indicator = ? AND geo_code = ? AND "group" = ''
		AND (method <> 'employer' OR ? = 'kommun')
		ORDER BY CASE method WHEN 'direct' THEN 0 WHEN 'employer' THEN 1 WHEN 'headcount-weighted' THEN 2 ELSE 3 END LIMIT 1`, ind, geo, kind).Scan(&m)
	if err != nil {
		t.Fatalf("%s %s: %v", ind, geo, err)
	}
	return m
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Göteborg": "goteborg", "Västra Götalands län": "vastra-gotalands-lan", "Upplands Väsby": "upplands-vasby",
		"Malung-Sälen": "malung-salen", "Åre": "are", "  Öckerö ": "ockero",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := SheetFileName(Geo{Code: "1480", Name: "Göteborg"}, 2024); got != "1480-goteborg-2024" {
		t.Errorf("SheetFileName = %q", got)
	}
}
