package main

import (
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestCompareDemo ingests three demo HR files (CSV and xlsx) of Västra
// Götaland and runs `jamstat compare` in every format.
func TestCompareDemo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	hr := filepath.Join("..", "..", "data", "demo", "hr", "2024")
	for _, f := range []string{"anstallda_1480_2024.csv", "anstallda_1407_2024.xlsx", "anstallda_14_2024.xlsx"} {
		if _, stderr, code := jamstat(t, "--db", db, "ingest", "--synthetic", filepath.Join(hr, f)); code != 0 {
			t.Fatalf("ingest %s: exit %d: %s", f, code, stderr)
		}
	}

	out, stderr, code := jamstat(t, "--db", db, "compare", "--year", "2024", "--county", "14")
	if code != 0 {
		t.Fatalf("compare: exit %d: %s", code, stderr)
	}
	for _, want := range []string{"2024  1480 Göteborg (kommun)", "Kvinnodominerad grupp: ", "Mansdominerad grupp: ",
		"Sjukfrånvaro i procent av schemalagd tid", "Sammanfattning 2024, län 14 (3 arbetsgivare)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// The run was stored for reports and the server.
	out, _, code = jamstat(t, "--db", db, "query", "select count(*) from comparison where period = '2024'")
	if code != 0 || !strings.Contains(out, "33") { // 3 employers × 11 conditions
		t.Errorf("stored rows: %q", out)
	}

	out, stderr, code = jamstat(t, "--db", db, "compare", "--year", "2024", "--format", "csv", "--no-save")
	if code != 0 {
		t.Fatalf("csv: exit %d: %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 34 || recs[0][0] != "period" {
		t.Fatalf("csv: %d records, %v", len(recs), err)
	}

	out, _, code = jamstat(t, "--db", db, "--lang", "en", "compare", "--format", "json", "--summary", "--no-save")
	var sum []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &sum) != nil || len(sum) != 11 || sum[0]["county"] != "14" {
		t.Fatalf("json summary: exit %d, %d rows: %.200s", code, len(sum), out)
	}

	xlsx := filepath.Join(dir, "c.xlsx")
	if _, stderr, code := jamstat(t, "--db", db, "compare", "--format", "xlsx", "--out", xlsx, "--level", "ssyk3", "--inclusive"); code != 0 {
		t.Fatalf("xlsx: exit %d: %s", code, stderr)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 14 || sheets[0] != "Sammanfattning" {
		t.Errorf("sheets %v", sheets)
	}
	// Öckerö (1407) did not run the survey: its flextime cells are "..".
	rows, _ := f.GetRows("flextime")
	found := false
	for _, r := range rows {
		if len(r) > 7 && r[1] == "1407" {
			found = true
			if r[4] != ".." || r[7] != ".." {
				t.Errorf("1407 flextime row %v, want ..", r)
			}
		}
	}
	if !found {
		t.Error("no 1407 row in sheet flextime")
	}

	for _, tt := range []struct {
		argv []string
		code int
		err  string
	}{
		{[]string{"compare", "--min-n", "3"}, 2, "below k"},
		{[]string{"compare", "--format", "xml"}, 2, "--format"},
		{[]string{"compare", "--format", "xlsx"}, 2, "--out"},
		{[]string{"compare", "--level", "isco"}, 2, "level"},
		{[]string{"compare", "--year", "1999", "--no-save"}, 1, "no employee rows"},
	} {
		_, stderr, code := jamstat(t, append([]string{"--db", db}, tt.argv...)...)
		if code != tt.code || !strings.Contains(stderr, tt.err) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d naming %q", tt.argv, code, stderr, tt.code, tt.err)
		}
	}
}
