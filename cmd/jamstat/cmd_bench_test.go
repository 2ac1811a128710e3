package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestGenCommandWritesOneFilePerEmployer(t *testing.T) {
	dir := t.TempDir()
	stdout, stderr, code := jamstat(t, "gen", "--employees", "600", "--municipalities", "14", "--years", "2023-2024", "--out", dir)
	if code != 0 {
		t.Fatalf("gen: exit %d: %s", code, stderr)
	}
	// County 14: 49 kommuner and the region, two years.
	for _, year := range []string{"2023", "2024"} {
		files, _ := filepath.Glob(filepath.Join(dir, "hr", year, "*.csv"))
		if len(files) != 50 {
			t.Errorf("%s: %d files, want 50 (49 kommuner and the region)", year, len(files))
		}
	}
	if !strings.Contains(stdout, "SYNTHETIC") || !strings.Contains(stdout, "100 SYNTHETIC HR files") {
		t.Errorf("summary = %q", stdout)
	}
	if _, stderr, code := jamstat(t, "gen", "--employees", "10", "--format", "ods", "--out", dir); code == 0 || !strings.Contains(stderr, "ods") {
		t.Errorf("gen --format ods: exit %d, stderr %q; want a failure naming the format", code, stderr)
	}
	if _, _, code := jamstat(t, "gen", "--employees", "10"); code != 2 {
		t.Errorf("gen without --out: exit %d, want 2 (usage)", code)
	}
}

// TestGenParquetLoadsAsCSV checks that the same generator run written as
// Swedish CSV and as Parquet loads the same employee rows: the Parquet
// writer's decoded values (contract words, booleans, sector, line) must be
// what ingest makes of the CSV flavour.
func TestGenParquetLoadsAsCSV(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "x.duckdb")
	for _, format := range []string{"csv", "parquet"} {
		out := filepath.Join(dir, format)
		if _, stderr, code := jamstat(t, "gen", "--employees", "3000", "--municipalities", "14", "--years", "2023-2024", "--format", format, "--out", out); code != 0 {
			t.Fatalf("gen %s: exit %d: %s", format, code, stderr)
		}
		files, _ := filepath.Glob(filepath.Join(out, "hr", "*", "*."+format))
		if len(files) != 100 {
			t.Fatalf("gen %s: %d files, want 100", format, len(files))
		}
		for _, f := range files {
			// One dataset per format and file, so the two loads sit side by side.
			id := format + "-" + strings.TrimSuffix(filepath.Base(f), "."+format)
			if _, stderr, code := jamstat(t, "--db", db, "ingest", "--synthetic", "--strict", "--dataset", id, f); code != 0 {
				t.Fatalf("ingest %s: exit %d: %s", f, code, stderr)
			}
		}
	}
	// Windows-1252 has no "≥": the CSV flavour writes ">=" where Parquet
	// (UTF-8) keeps the education label as the generator has it.
	cols := "period, employer_code, person_key, sex, birth_year, age, occupation_code, aid_code, occupation_label, monthly_wage_fte, employment_rate, contract, hourly_paid, scheduled_hours, sick_leave_hours, is_manager, replace(education, '≥', '>='), sector, flextime, split_shifts, evening_weekend, line"
	q := func(prefix string) string {
		return "SELECT " + cols + " FROM employee WHERE dataset_id LIKE '" + prefix + "-%'"
	}
	out, stderr, code := jamstat(t, "--db", db, "query", "--format", "csv",
		"SELECT (SELECT count(*) FROM employee WHERE dataset_id LIKE 'csv-%') AS csv_rows, "+
			"(SELECT count(*) FROM employee WHERE dataset_id LIKE 'parquet-%') AS parquet_rows, "+
			"(SELECT count(*) FROM ("+q("csv")+" EXCEPT ALL "+q("parquet")+")) AS only_csv, "+
			"(SELECT count(*) FROM ("+q("parquet")+" EXCEPT ALL "+q("csv")+")) AS only_parquet")
	if code != 0 {
		t.Fatalf("query: exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("query output %q", out)
	}
	f := strings.Split(lines[1], ",")
	if len(f) != 4 || f[0] != f[1] || f[0] == "0" || f[2] != "0" || f[3] != "0" {
		t.Fatalf("csv rows, parquet rows, only in csv, only in parquet = %s; want equal non-zero counts and no difference", lines[1])
	}
}

// TestBenchWritesReport runs the whole bench at a tiny size: every step in
// a child process (this test binary standing in for jamstat), the report
// with the baselines, ratios and goals.
func TestBenchWritesReport(t *testing.T) {
	if testing.Short() {
		t.Skip("bench starts processes; skipped with -short")
	}
	t.Setenv("JAMSTAT_TEST_AS_MAIN", "1") // children of this binary act as jamstat
	dir := t.TempDir()
	out := filepath.Join(dir, "BENCH.md")
	_, stderr, code := jamstat(t, "bench", "--employees", "3000", "--national", "3000", "--ten-years", "--step-timeout", "2m", "--dir", filepath.Join(dir, "scratch"), "--out", out)
	if code != 0 {
		t.Fatalf("bench: exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`\| CPUs \(nproc\) \| \d+ \|`),
		regexp.MustCompile(`\| DuckDB \| v\d`),
		regexp.MustCompile(`## CSV ingest \(\d[\d ]* employee rows`),
		regexp.MustCompile(`\| DuckDB read_csv \(baseline\) \| [\d.]+ \| [\d.]+ \| [\d ]+ \| [\d.]+ \| \d+ \|`),
		regexp.MustCompile(`\| jamstat ingest CSV \| [\d.]+ \| [\d.]+ \| [\d ]+ \| [\d.]+ \| \d+ \| 3 \([\d.]+–[\d.]+\) \|`),
		regexp.MustCompile(`\| excelize Rows\(\) \(baseline\) \| [\d.]+ \|`),
		regexp.MustCompile(`\| inflate sheet XML only \(floor\) \| [\d.]+ \|`),
		regexp.MustCompile(`\| jamstat ingest xlsx \| [\d.]+ \|`),
		regexp.MustCompile(`\| jamstat parse xlsx, no database \| [\d.]+ \|`),
		regexp.MustCompile(`\| \(of which: parse and checks, no database, vs inflate-only\) \| \| [\d.]+× \|`),
		regexp.MustCompile(`\| CSV ingest speed vs DuckDB read_csv \| ≥ 0\.7× \| [\d.]+× `),
		regexp.MustCompile(`\| xlsx ingest speed vs excelize Rows\(\) \| ≥ 5× \| [\d.]+× `),
		regexp.MustCompile(`\| xlsx ingest peak RSS \| < 500 MB \| \d+ MB \|`),
		regexp.MustCompile(`\| DuckDB read_parquet \(baseline\) \| [\d.]+ \|`),
		regexp.MustCompile(`\| jamstat ingest Parquet \| [\d.]+ \|`),
		regexp.MustCompile(`## National year end to end`),
		regexp.MustCompile(`## Ten national years end to end \(10 periods × 3 000 rows = \d\d \d{3} rows`),
		regexp.MustCompile(`Not judged at this size \(\d\d \d{3} rows over 10 periods`),
		regexp.MustCompile(`\| ingest \| [\d.]+ \|`),
	} {
		if !want.MatchString(md) {
			t.Errorf("report lacks %s", want)
		}
	}
	// The ten years loaded every period: the comparison's CSV covers 2015–2024.
	cmp, err := os.ReadFile(filepath.Join(dir, "scratch", "compare_ten_years.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for y := 2015; y <= 2024; y++ {
		if !strings.Contains(string(cmp), fmt.Sprintf("\n%d,", y)) {
			t.Errorf("ten-year comparison lacks period %d", y)
		}
	}
	// Every step the national run lists has a figure or says why not.
	for _, step := range []string{"indicators compute", "compare", "sheets", "report followup"} {
		line := regexp.MustCompile(`(?m)^\| ` + step + `( \([^)]*\))? \|.*$`).FindString(md)
		if line == "" {
			t.Errorf("national table lacks %q", step)
			continue
		}
		if !regexp.MustCompile(`\| [\d.]+ \|`).MatchString(line) && !regexp.MustCompile(`not available|failed|timed out`).MatchString(line) {
			t.Errorf("%q has neither a figure nor a reason: %s", step, line)
		}
	}
}

func TestThousandsAndHuman(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1 000", 1234567: "1 234 567", 12000000: "12 000 000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int]string{1_200_000: "1.2M", 8_000_000: "8M", 50_000: "50k", 1234: "1234"} {
		if got := human(n); got != want {
			t.Errorf("human(%d) = %q, want %q", n, got, want)
		}
	}
}
