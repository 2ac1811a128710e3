package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/store"
)

// reportDB makes a database the way a user does: ingest a few demo files
// with the CLI, compute indicators, run the comparison with the CLI.
func reportDB(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("ingests demo files and computes indicators")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "r.duckdb")
	var files []string
	for _, p := range []string{"kolada/N15428.json", "kolada/N15507.json", "kolada/N33820.json",
		"hr/2024/anstallda_1480_2024.csv", "hr/2024/anstallda_14_2024.xlsx", "hr/2023/anstallda_1480_2023.csv"} {
		b, err := fs.ReadFile(data.Demo(), p)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, filepath.Base(p))
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, dst)
	}
	if _, stderr, code := jamstat(t, append([]string{"--db", db, "ingest", "--synthetic"}, files...)...); code != 0 {
		t.Fatalf("ingest exit %d: %s", code, stderr)
	}
	ctx := context.Background()
	d, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := indicators.LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := indicators.Compute(ctx, d, cat, indicators.ComputeOptions{}); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if _, stderr, code := jamstat(t, "--db", db, "compare", "--county", "14", "--year", "2024", "--format", "csv", "--out", filepath.Join(dir, "c.csv")); code != 0 {
		t.Fatalf("compare exit %d: %s", code, stderr)
	}
	return db
}

func TestReportAndSheetsCLI(t *testing.T) {
	db := reportDB(t)
	out := t.TempDir()
	stdout, stderr, code := jamstat(t, "--db", db, "report", "followup", "--strategy", "vastra-gotaland-2024", "--year", "2024", "--out", out)
	if code != 0 {
		t.Fatalf("report followup exit %d: %s", code, stderr)
	}
	for _, f := range []string{"uppfoljning-vastra-gotaland-2024-2024.html", "uppfoljning-vastra-gotaland-2024-2024.pdf"} {
		p := filepath.Join(out, f)
		if st, err := os.Stat(p); err != nil || st.Size() == 0 || !strings.Contains(stdout, p) {
			t.Errorf("%s not written or not printed (%v): %q", f, err, stdout)
		}
	}
	stdout, stderr, code = jamstat(t, "--db", db, "--lang", "en", "report", "arbetsvillkor", "--county", "14", "--year", "2024", "--out", out)
	if code != 0 {
		t.Fatalf("report arbetsvillkor exit %d: %s", code, stderr)
	}
	if b, err := os.ReadFile(filepath.Join(out, "working-conditions-14-2024.html")); err != nil || !strings.Contains(string(b), "Göteborg") {
		t.Errorf("working-conditions report: %v", err)
	}

	sheets := filepath.Join(out, "sheets")
	stdout, stderr, code = jamstat(t, "--db", db, "sheets", "--county", "14", "--year", "2024", "--out", sheets, "--geo", "1480", "--geo", "14", "--format", "both")
	if code != 0 {
		t.Fatalf("sheets exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote 2 sheets (4 files)") {
		t.Errorf("sheets printed %q", stdout)
	}
	for _, f := range []string{"1480-goteborg-2024.xlsx", "1480-goteborg-2024.csv", "14-vastra-gotalands-lan-2024.xlsx", "14-vastra-gotalands-lan-2024.csv"} {
		if _, err := os.Stat(filepath.Join(sheets, f)); err != nil {
			t.Error(err)
		}
	}
	f, err := excelize.OpenFile(filepath.Join(sheets, "1480-goteborg-2024.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if names := f.GetSheetList(); len(names) < 3 {
		t.Errorf("sheet has worksheets %v", names)
	}
	f.Close()
	// Every sheet of the county: the county and its 49 kommuner.
	stdout, stderr, code = jamstat(t, "--db", db, "sheets", "--county", "14", "--year", "2024", "--out", filepath.Join(out, "all"))
	if code != 0 || !strings.Contains(stdout, "wrote 50 sheets (50 files)") {
		t.Fatalf("all sheets exit %d: %q %s", code, stdout, stderr)
	}
	if es, _ := os.ReadDir(filepath.Join(out, "all")); len(es) != 50 {
		t.Errorf("%d files in the sheet directory, want 50 (no temporary files left)", len(es))
	}

	for _, c := range []struct {
		argv []string
		code int
		msg  string
	}{
		{[]string{"report"}, 2, "followup or arbetsvillkor"},
		{[]string{"report", "followup", "--year", "2024"}, 2, "--strategy"},
		{[]string{"report", "followup", "--strategy", "vastra-gotaland-2024"}, 2, "--year"},
		{[]string{"report", "followup", "--strategy", "nope", "--year", "2024"}, 2, "unknown strategy"},
		{[]string{"report", "followup", "--strategy", "national", "--year", "2024"}, 2, "--county"},
		{[]string{"report", "followup", "--strategy", "vastra-gotaland-2024", "--year", "20x4"}, 2, "not a year"},
		{[]string{"report", "arbetsvillkor", "--county", "1480", "--year", "2024"}, 2, "not a county"},
		{[]string{"report", "arbetsvillkor", "--county", "14", "--year", "2019", "--out", out}, 1, "jamstat compare"},
		{[]string{"sheets", "--county", "14", "--year", "2024"}, 2, "--out"},
		{[]string{"sheets", "--county", "14", "--year", "2024", "--out", out, "--format", "ods"}, 2, "--format"},
		{[]string{"sheets", "--county", "14", "--year", "2024", "--out", out, "--geo", "0180"}, 2, "not in county 14"},
		{[]string{"sheets", "--county", "14", "--year", "2024", "--out", out, "--bogus"}, 2, "unknown flag"},
	} {
		_, stderr, code := jamstat(t, append([]string{"--db", db}, c.argv...)...)
		if code != c.code || !strings.Contains(stderr, c.msg) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d with one line naming %q", c.argv, code, stderr, c.code, c.msg)
		}
	}
	// A database that does not exist: exit 1, one line.
	if _, stderr, code := jamstat(t, "--db", filepath.Join(out, "none.duckdb"), "report", "arbetsvillkor", "--county", "14", "--year", "2024"); code != 1 || !strings.Contains(stderr, "does not exist") {
		t.Errorf("missing database: exit %d, %q", code, stderr)
	}
}
