package compare

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestSaveIdempotentAndReadable(t *testing.T) {
	ctx := context.Background()
	db := loadPersons(t, "2024", fixture())
	res, err := Run(ctx, db, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 { // a second save with the same settings replaces, not adds
		if err := Save(ctx, db, res); err != nil {
			t.Fatal(err)
		}
	}
	var n, runs, sums int
	db.SQL.QueryRow(`SELECT count(*) FROM comparison`).Scan(&n)
	db.SQL.QueryRow(`SELECT count(*) FROM comparison_run`).Scan(&runs)
	db.SQL.QueryRow(`SELECT count(*) FROM comparison_summary`).Scan(&sums)
	if want := 3 * len(res.Conditions); n != want || runs != 1 || sums != len(res.Conditions) {
		t.Fatalf("rows: comparison %d (want %d), run %d (want 1), summary %d (want %d)", n, want, runs, sums, len(res.Conditions))
	}
	var fv, mv, diff float64
	var dist, worse bool
	var fcode, method string
	err = db.SQL.QueryRow(`SELECT female_code, female_value, male_value, diff, distinguishable, female_worse, method
		FROM comparison WHERE employer_code = '1401' AND condition_id = 'part_time'`).Scan(&fcode, &fv, &mv, &diff, &dist, &worse, &method)
	if err != nil || fcode != "5321" || fv != 40 || mv != 0 || diff != 40 || !dist || !worse || method != "newcombe-hybrid-score" {
		t.Errorf("part_time row: %v %v %v %v %v %v %v %v", fcode, fv, mv, diff, dist, worse, method, err)
	}
	// Not published is NULL with a status, never 0.
	var val any
	var status string
	err = db.SQL.QueryRow(`SELECT male_value, male_status FROM comparison WHERE employer_code = '1401' AND condition_id = 'split_shifts'`).Scan(&val, &status)
	if err != nil || val != nil || status != StatusSuppressed {
		t.Errorf("suppressed row: value %v status %q, %v", val, status, err)
	}
	err = db.SQL.QueryRow(`SELECT male_code, male_group_status FROM comparison WHERE employer_code = '1402' LIMIT 1`).Scan(&val, &status)
	if err != nil || val != nil || !strings.Contains(status, "no mansdominerad group") {
		t.Errorf("1402 male group: %v %q, %v", val, status, err)
	}
	// Other settings sit beside the first run.
	res2, err := Run(ctx, db, Options{Inclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := Save(ctx, db, res2); err != nil {
		t.Fatal(err)
	}
	db.SQL.QueryRow(`SELECT count(DISTINCT run_key) FROM comparison`).Scan(&runs)
	if runs != 2 {
		t.Errorf("%d run keys after a second setting, want 2", runs)
	}
}

func TestWriters(t *testing.T) {
	res := runFixture(t, Options{})
	var tb bytes.Buffer
	if err := WriteTable(&tb, res, "sv"); err != nil {
		t.Fatal(err)
	}
	out := tb.String()
	for _, want := range []string{
		"2024  1401 Härryda (kommun): 69 anställda, 1 utan yrkeskod",
		"Kvinnodominerad grupp: 5321 Yrke 5321, n = 20, 90,0 % kvinnor",
		"Mansdominerad grupp: saknas (ingen mansdominerad grupp med minst 10 anställda (1 mindre))",
		"Andel deltid (sysselsättningsgrad under 100 %) (%)",
		"31 000", "−4 000", "[6,9; 61,3]",
		"Sammanfattning 2024, län 14 (3 arbetsgivare)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	var cb bytes.Buffer
	if err := WriteCSV(&cb, res); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+3*len(res.Conditions) || strings.Join(recs[0], ",") != strings.Join(CSVHeader, ",") {
		t.Fatalf("csv: %d records, header %v", len(recs), recs[0])
	}
	var xb bytes.Buffer
	if err := WriteXLSX(&xb, res, "en"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&xb)
	if err != nil {
		t.Fatal(err)
	}
	sheets := f.GetSheetList()
	if len(sheets) != 3+len(res.Conditions) || sheets[0] != "Summary" || sheets[1] != "Groups" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := f.GetRows("split_shifts")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, r := range rows {
		if len(r) > 7 && r[1] == "1401" {
			found = true
			if r[4] != "25" || r[7] != Missing || r[9] != Missing {
				t.Errorf("split_shifts 1401 row %v: want female 25, male and difference %q", r, Missing)
			}
		}
	}
	if !found {
		t.Errorf("split_shifts sheet has no 1401 row: %v", rows)
	}
}

func TestFormatNumber(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		d    int
		lang string
		want string
	}{
		{31000, 0, "sv", "31 000"}, {-4000, 0, "sv", "−4 000"}, {1234567.891, 2, "en", "1,234,567.89"},
		{6.855, 1, "sv", "6,9"}, {-0.04, 1, "sv", "0,0"}, {999, 0, "sv", "999"},
	} {
		if got := formatNumber(tt.v, tt.d, tt.lang); got != tt.want {
			t.Errorf("formatNumber(%v, %d, %s) = %q, want %q", tt.v, tt.d, tt.lang, got, tt.want)
		}
	}
}

func TestParseConditionsRejects(t *testing.T) {
	for _, tt := range []struct{ yaml, err string }{
		{"conditions: []", "empty"},
		{"conditions: [{id: X, title_sv: a, kind: share, expr: a, worse: higher}]", "id must"},
		{"conditions: [{id: a, title_sv: a, kind: share, worse: higher}]", "needs expr"},
		{"conditions: [{id: a, title_sv: a, kind: share, expr: 'a; drop table x', worse: higher}]", "one SQL expression"},
		{"conditions: [{id: a, title_sv: a, kind: mode, expr: a, worse: higher}]", "kind"},
		{"conditions: [{id: a, title_sv: a, kind: share, expr: a, worse: up}]", "worse"},
		{"conditions: [{id: a, title_sv: a, kind: share, expr: a, worse: higher}, {id: a, title_sv: b, kind: share, expr: b, worse: lower}]", "twice"},
	} {
		if _, err := ParseConditions([]byte(tt.yaml)); err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: error %v, want %q", tt.yaml, err, tt.err)
		}
	}
	if _, err := ParseAreas([]byte("areas: [{id: a, ssyk: ['5']}, {id: b, ssyk: ['5']}]")); err == nil {
		t.Error("duplicate prefix accepted")
	}
	if _, err := ParseAreas([]byte("areas: [{id: a, ssyk: [\"5'\"]}]")); err == nil {
		t.Error("non-digit prefix accepted")
	}
}

// A custom condition list is honoured, and a column no one has gives "no
// data" for both groups rather than 0.
func TestCustomConditions(t *testing.T) {
	conds, err := ParseConditions([]byte(`conditions:
  - {id: young, title_sv: Andel under 30, kind: share, expr: "age < 30", worse: higher}
  - {id: wage_p, title_sv: Lön, kind: mean, expr: monthly_wage_fte, worse: lower}`))
	if err != nil {
		t.Fatal(err)
	}
	res := runFixture(t, Options{Conditions: conds})
	if !strings.HasPrefix(res.RunKey, "ssyk4-gt60-n10-k5-headcount-") || len(res.RunKey) != len("ssyk4-gt60-n10-k5-headcount-")+8 {
		t.Errorf("custom conditions run key %q: want the standard key and a hash", res.RunKey)
	}
	e := employer(t, res, "1401")
	if len(e.Conditions) != 2 {
		t.Fatalf("%d conditions", len(e.Conditions))
	}
	if c := e.Conditions[0]; c.Female.Status != StatusNoData || c.Male.Status != StatusNoData || c.Diff != nil {
		t.Errorf("age not in the data: %+v", c)
	}
	if c := e.Conditions[1]; c.Diff == nil || *c.Diff != -4000 || c.Ratio != nil {
		t.Errorf("wage without ratio: %+v", c)
	}
}
