package ingest

import (
	"strings"
	"testing"
)

func TestFieldTableOrder(t *testing.T) {
	for i, f := range fieldTable {
		if int(f.id) != i+1 {
			t.Errorf("fieldTable[%d] is %s with id %d", i, f.name, f.id)
		}
	}
	if len(fieldTable) != int(fieldCount)-1 {
		t.Errorf("%d fields in the table, %d ids", len(fieldTable), fieldCount-1)
	}
}

// TestBuiltinSpecs: every built-in spec is valid and has match rules.
func TestBuiltinSpecs(t *testing.T) {
	specs := BuiltinSpecs()
	if len(specs) < 19 {
		t.Fatalf("%d built-in specs", len(specs))
	}
	names := map[string]bool{}
	for _, s := range specs {
		cs, err := s.compile()
		if err != nil {
			t.Errorf("%s: %v", s.Name, err)
			continue
		}
		if names[s.Name] {
			t.Errorf("two built-in specs named %s", s.Name)
		}
		names[s.Name] = true
		if len(cs.matchHdr) == 0 && cs.matchTitle == nil {
			t.Errorf("%s has no header or title match rule", s.Name)
		}
		if !strings.HasPrefix(s.Path, "ingest/specs/") || !strings.HasSuffix(s.Path, s.Name+".yaml") {
			t.Errorf("spec %s lives in %s; name the file after the spec", s.Name, s.Path)
		}
	}
}

// TestSpecErrors: each mistake is reported with the spec's file and the
// line of the offending key.
func TestSpecErrors(t *testing.T) {
	const head = "name: t\nkind: observation\nset: {measure: m, period: \"2024\"}\n"
	tests := []struct{ yaml, want string }{
		{"", "s.yaml: spec is empty"},
		{"name: t\nkind: observation\nkind: employee\n", `s.yaml: line 3: key "kind" given twice (first at line 2)`},
		{"name: T!\nkind: observation\n", `s.yaml: line 1: name "T!" must be lower-case letters, digits, _ . or -`},
		{"name: t\n", "s.yaml: line 1: kind is missing (observation, employee, reference or analysis)"},
		{"name: t\nkind: aggregate\n", `s.yaml: line 2: kind "aggregate" is not observation, employee, reference or analysis`},
		{"name: t\nkind: observation\nformat: ods\n", `s.yaml: line 3: format "ods" is not csv or xlsx`},
		{head + "encoding: ebcdic\ncolumns: [{header: v, field: value}]\n", `s.yaml: line 4: encoding "ebcdic" is not utf-8, latin1, windows-1252, utf-16, utf-16le, utf-16be or auto`},
		{head + "delimiter: ':'\ncolumns: [{header: v, field: value}]\n", `s.yaml: line 4: delimiter ":" is not ",", ";", tab, "|" or auto`},
		{head + "decimal: ','\nthousands: [',']\ncolumns: [{header: v, field: value}]\n", `s.yaml: line 5: thousands separator "," is empty, a digit or the decimal separator`},
		{head + "columns:\n  - {header: v, field: value}\n  - {header: w, field: valu}\n", `s.yaml: line 6: unknown field "valu"`},
		{head + "columns:\n  - {header: v, field: value}\n  - {header: w, field: person}\n", `s.yaml: line 6: person_key is not a field of observation rows`},
		{head + "columns:\n  - {header: v, field: value}\n  - {header: w, field: value}\n", `s.yaml: line 6: field value is mapped twice (columns 1 and 2)`},
		{head + "columns:\n  - {header: v, letter: B, field: value}\n", `s.yaml: line 5: give header or letter, not both`},
		{head + "columns:\n  - {letter: 7, field: value}\n", `s.yaml: line 5: letter "7" is not a column letter (A, B ... XFD)`},
		{head + "columns:\n  - {header: v}\n", `s.yaml: line 5: a column needs a field or a dim`},
		{head + "columns:\n  - {header: v, field: value, geo: name}\n", `s.yaml: line 5: geo applies to geo_code and employer_code columns`},
		{head + "columns:\n  - {header: v, field: value, type: date}\n", `s.yaml: line 5: type date applies to text fields such as period`},
		{head + "sex: {x: Q}\ncolumns: [{header: v, field: value}]\n", `s.yaml: line 4: sex code "x" maps to "Q"; it must map to T, K or M`},
		{head + "cell_errors: ignore\ncolumns: [{header: v, field: value}]\n", `s.yaml: line 4: cell_errors "ignore" is not reject or missing`},
		{head, `s.yaml: line 1: no value: map a column to field value or melt wide columns`},
		{head + "columns: [{header: v, field: value}]\nmelt: [{pattern: 'x'}]\n", `s.yaml: line 5: a value column and melt cannot both give the value`},
		{head + "melt: [{pattern: 'x', header: y}]\n", `s.yaml: line 4: give header or pattern, not both`},
		{head + "melt: [{pattern: '(?P<value>x)'}]\n", `s.yaml: line 4: group "value" cannot set value`},
		{"name: t\nkind: observation\nset: {measure: m}\ncolumns: [{header: v, field: value}]\n", `s.yaml: line 1: no source for period: map a column, set it, or take it from the file name or the melted headers`},
		{"name: t\nkind: employee\ncolumns: [{header: a, field: person}]\n", `s.yaml: line 1: no source for period: map a column, set it, or take it from the file name or the melted headers`},
		{"name: t\nkind: employee\nset: {unit: SEK}\n", `s.yaml: line 3: unit is not a field of employee rows`},
		{"name: t\nkind: reference\n", `s.yaml: line 2: a reference spec needs a note saying where the file belongs`},
		{head + "from_file: '(?P<value>\\d+)'\ncolumns: [{header: v, field: value}]\n", `s.yaml: line 4: from_file group "value" cannot set value`},
		{head + "columns: [{header: v, field: value, fraction: true}]\n", `s.yaml: line 4: fraction applies to employment_rate`},
		{head + "header_rows: 0\ncolumns: [{header: v, field: value}]\n", `s.yaml: line 5: header_rows is 0, so columns are named by letter`},
		{"name: t\nkind: observation\n---\nname: u\n", `s.yaml: line 3: more than one YAML document; a spec file holds one spec`},
		{"name: [t\n", `s.yaml: line 1: did not find expected ',' or ']'`},
		{head + "columns: {header: v}\n", `s.yaml: line 4: cannot unmarshal !!map into []ingest.Column`},
	}
	for _, tc := range tests {
		_, err := ParseSpec("s.yaml", []byte(tc.yaml))
		if err == nil || err.Error() != tc.want {
			t.Errorf("spec\n%s\n got %v\nwant %s", tc.yaml, err, tc.want)
		}
	}
}

// TestSpecFeatures parses a spec using most keys and checks a file
// through it: title rows, from_title, fill_down, map, pattern, letters,
// thousands words, missing symbols, sex and boolean words.
func TestSpecFeatures(t *testing.T) {
	spec := mustSpec(t, `name: features
kind: observation
format: csv
encoding: utf-8
delimiter: tab
decimal: ","
thousands: [nbsp, space]
skip_rows: 1
from_title: 'år (?P<period>\d{4})'
missing: ["x", ""]
sex: {"1": M, "2": K}
set: {measure: income, unit: SEK, dims: {source: test}}
columns:
  - {letter: A, field: geo, pattern: '^(?P<value>\d{4})\s', fill_down: true}
  - {header: Kön, field: sex}
  - {header: Grupp, dim: group, map: {a: alpha}}
  - {header: Belopp, field: value}
  - {header: Antal, field: n, optional: true}
`)
	in := "Inkomst år 2023\n" +
		"Kommun\tKön\tGrupp\tBelopp\tAntal\n" +
		"1480 Göteborg\t1\tA\t32\u00a0500,5\t10\n" +
		"\t2\tb\tx\t\n" +
		"\t3\tb\t1\t1\n"
	var s MemorySink
	m, err := Parse(strings.NewReader(in), int64(len(in)), Options{File: "f.tsv", Spec: spec}, &s)
	if err != nil {
		t.Fatal(err)
	}
	checkRowsRead(t, m, &s)
	if len(s.Observations) != 2 || len(s.Rejected) != 1 {
		t.Fatalf("%d observations, %d rejected", len(s.Observations), len(s.Rejected))
	}
	o := s.Observations[0]
	if o.GeoCode != "1480" || o.Sex != SexMen || o.Period != "2023" || val(o) != 32500.5 || o.N == nil || *o.N != 10 ||
		o.Dims["group"] != "alpha" || o.Dims["source"] != "test" || o.Unit != "SEK" {
		t.Errorf("first %+v (n %v)", o, o.N)
	}
	o = s.Observations[1]
	if o.GeoCode != "1480" || o.Sex != SexWomen || o.Value != nil || o.Status != "x" || o.Dims["group"] != "b" {
		t.Errorf("second %+v", o)
	}
	if r := s.Rejected[0]; r.Line != 5 || r.Column != "Kön" || r.Reason != `unknown sex code "3"` {
		t.Errorf("rejected %+v", r)
	}
}

func TestLoadSpecBuiltinFile(t *testing.T) {
	s, err := LoadSpec("specs/hr_export.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "hr_export" || s.Kind != KindEmployee || s.Sheet != "Anställda" {
		t.Errorf("%+v", s)
	}
	if _, err := LoadSpec("specs/none.yaml"); err == nil || !strings.HasPrefix(err.Error(), "specs/none.yaml: cannot open spec") {
		t.Errorf("missing spec: %v", err)
	}
}

// TestSpecFormatMismatch: a CSV spec on a workbook and the reverse say so.
func TestSpecFormatMismatch(t *testing.T) {
	xlsxSpec := builtin(t, "scb_income_classes_xlsx")
	in := "a,b\n1,2\n"
	_, err := Parse(strings.NewReader(in), int64(len(in)), Options{File: "x.csv", Spec: xlsxSpec}, &MemorySink{})
	if err == nil || !strings.Contains(err.Error(), "not a readable xlsx workbook") {
		t.Errorf("xlsx spec on text: %v", err)
	}
	csvSpec := builtin(t, "uk_gender_pay_gap")
	_, err = ParseFile(realTable("se_scb_xlsx_income_classes_by_sex", "csfvi---inkomstklasser-2020.xlsx"), Options{Spec: csvSpec}, &MemorySink{})
	if err == nil || err.Error() != "csfvi---inkomstklasser-2020.xlsx: spec uk_gender_pay_gap is for CSV files, and this is an xlsx workbook" {
		t.Errorf("CSV spec on xlsx: %v", err)
	}
}

// TestStrictAndLimits: --strict fails a file with a rejected row; row and
// column limits are errors, not crashes.
func TestStrictAndLimits(t *testing.T) {
	path := realTable("se_scb_lonestruktur_lundqvist", "scb_AM0208_employees_county_ssyk2012_sex_2014_2017.csv")
	_, err := ParseFile(path, Options{Strict: true}, &MemorySink{})
	if err == nil || !strings.Contains(err.Error(), "298 rows rejected (first: line 6260, column region: unknown geo code \"99\"") {
		t.Errorf("strict: %v", err)
	}
	_, err = ParseFile(path, Options{Limits: Limits{MaxRows: 100}}, &MemorySink{})
	if err == nil || err.Error() != "scb_AM0208_employees_county_ssyk2012_sex_2014_2017.csv: line 102: more than 100 rows, the limit" {
		t.Errorf("row limit: %v", err)
	}
	_, err = ParseFile(path, Options{Limits: Limits{MaxColumns: 5}}, &MemorySink{})
	if err == nil || err.Error() != "scb_AM0208_employees_county_ssyk2012_sex_2014_2017.csv: line 1: more than 5 columns, the limit" {
		t.Errorf("column limit: %v", err)
	}
	_, err = ParseFile(path, Options{Limits: Limits{MaxCellBytes: 10}}, &MemorySink{})
	if err == nil || !strings.Contains(err.Error(), "a cell is longer than 10 bytes, the limit") {
		t.Errorf("cell limit: %v", err)
	}
}
