package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// jamstat runs the CLI in-process and returns stdout, stderr and the exit code.
func jamstat(t *testing.T, argv ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), argv, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestInitAndQuery(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	if _, stderr, code := jamstat(t, "--db", db, "init"); code != 0 {
		t.Fatalf("init exit %d: %s", code, stderr)
	}
	out, stderr, code := jamstat(t, "--db", db, "query", "select count(*) from geo where kind='kommun'")
	if code != 0 || strings.TrimSpace(out) != "count_star()\n290" {
		t.Fatalf("query = %q, %q, exit %d", out, stderr, code)
	}
	out, _, code = jamstat(t, "--db", db, "query", "--format", "json", "select code, name from geo where code = '0180'")
	if code != 0 || !strings.Contains(out, `"code": "0180"`) {
		t.Fatalf("json query = %q", out)
	}
	_, stderr, code = jamstat(t, "--db", db, "query", "insert into geo values ('9','x','kommun',null,null,null,null)")
	if code != 1 || !strings.Contains(stderr, "read-only") {
		t.Fatalf("write through query: exit %d, stderr %q; want exit 1 naming read-only mode", code, stderr)
	}
}

func TestExitCodes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	tests := []struct {
		name string
		argv []string
		code int
		err  string
	}{
		{"unknown flag", []string{"--bogus"}, 2, "unknown flag"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"missing argument", []string{"--db", db, "query"}, 2, "requires at least 1 arg"},
		{"bad format", []string{"--db", db, "query", "--format", "xml", "select 1"}, 2, "--format"},
		{"bad lang", []string{"--lang", "fi", "version"}, 2, "--lang"},
		{"no database", []string{"--db", db, "query", "select 1"}, 1, "jamstat init"},
		{"missing file", []string{"--db", db, "ingest", "nonexistent.csv"}, 1, "nonexistent.csv"},
		{"version", []string{"version"}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, code := jamstat(t, tt.argv...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if tt.err != "" && !strings.Contains(stderr, tt.err) {
				t.Fatalf("stderr %q lacks %q", stderr, tt.err)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Fatalf("error is not one line: %q", stderr)
			}
		})
	}
}

func TestIngestPXTwice(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	px := filepath.Join("..", "..", "testdata", "real", "se_scb_px_pxweb_examples", "BE0101A1.px")
	out, stderr, code := jamstat(t, "--db", db, "ingest", px)
	if code != 0 || !strings.Contains(out, "33936 rows read = 33936 loaded + 0 rejected") {
		t.Fatalf("ingest: %q %q exit %d", out, stderr, code)
	}
	out, _, _ = jamstat(t, "--db", db, "ingest", px)
	if !strings.Contains(out, "unchanged") {
		t.Fatalf("second ingest: %q, want unchanged", out)
	}
	out, _, _ = jamstat(t, "--db", db, "query", "select cast(sum(value) as bigint) from observation where period='2005'")
	if !strings.Contains(out, "9047752") {
		t.Fatalf("2005 population = %q, want 9047752", out)
	}
}

func TestDatasetIDFromPath(t *testing.T) {
	for in, want := range map[string]string{
		"BE0101A1.px": "be0101a1",
		"dir/UK Gender Pay Gap Data - 2017 to 2018.csv": "uk-gender-pay-gap-data-2017-to-2018",
		"Lön_Göteborg 2024.xlsx":                        "lon-goteborg-2024",
	} {
		if got := datasetIDFromPath(in); got != want {
			t.Errorf("datasetIDFromPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIngestLimitsAreFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	px := filepath.Join("..", "..", "testdata", "real", "se_scb_px_pxweb_examples", "BE0101A1.px")
	for _, tt := range []struct {
		flag, want string
	}{
		{"--max-rows=1000", "limit"},
		{"--max-file-bytes=1000", "limit"},
	} {
		_, stderr, code := jamstat(t, "--db", db, "ingest", tt.flag, px)
		if code != 1 || !strings.Contains(stderr, "BE0101A1.px") || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 1 naming the file and the limit", tt.flag, code, stderr)
		}
	}
	out, _, _ := jamstat(t, "--db", db, "query", "select count(*) from dataset")
	if strings.TrimSpace(out) != "count_star()\n0" {
		t.Errorf("a refused file left datasets behind: %q", out)
	}
}

func TestIngestWithSpecFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.duckdb")
	bad := filepath.Join("..", "..", "ingest", "testdata", "bad", "spec_typo.yaml")
	csv := filepath.Join("..", "..", "ingest", "testdata", "bad", "hr_unknown_sex.csv")
	_, stderr, code := jamstat(t, "--db", db, "ingest", "--spec", bad, csv)
	if code != 1 || !strings.Contains(stderr, "spec_typo.yaml: line 4") {
		t.Fatalf("bad spec: exit %d, %q; want exit 1 naming the spec file and line", code, stderr)
	}
	spec := filepath.Join("..", "..", "ingest", "specs", "hr_export.yaml")
	out, stderr, code := jamstat(t, "--db", db, "ingest", "--spec", spec, "--dataset", "hr", csv)
	if code != 0 || !strings.Contains(out, "rejected") {
		t.Fatalf("spec ingest: exit %d, %q %q", code, out, stderr)
	}
	out, _, _ = jamstat(t, "--db", db, "datasets", "--format", "csv", "--rejected", "hr")
	if !strings.Contains(out, "Kön") {
		t.Fatalf("rejected rows do not name the column: %q", out)
	}
}
