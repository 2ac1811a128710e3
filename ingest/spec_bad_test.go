package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const obsErrCells = `name: errcells
kind: observation
set: {measure: m}
columns:
  - {header: region, field: geo}
  - {header: kön, field: sex}
melt:
  - pattern: '^(?P<period>\d{4})$'
`

const obsMerged = `name: merged
kind: observation
format: xlsx
skip_rows: 2
header_rows: 2
spacers: true
set: {measure: employed, unit: number}
columns:
  - {header: Kommun, field: geo, geo: name}
melt:
  - pattern: '^(?P<period>\d{4}) (?P<sex>\S+)$'
`

const obsDates = `name: dates
kind: observation
set: {measure: count}
columns:
  - {header: Datum, field: period, type: year}
  - {header: Kommun, field: geo}
  - {header: Antal, field: value}
`

const obsHidden = `name: hidden
kind: observation
set: {measure: m}
columns: [{header: region, field: geo}, {header: kön, field: sex}]
melt: [{pattern: '^(?P<period>\d{4})$'}]
`

func builtin(t *testing.T, name string) *Spec {
	t.Helper()
	s, ok := BuiltinSpec(name)
	if !ok {
		t.Fatalf("no built-in spec %s", name)
	}
	return s
}

// TestTableBadCorpus runs every CSV and xlsx file of testdata/bad and
// checks the exact error, or the exact rejected rows and the count of
// rows loaded.
func TestTableBadCorpus(t *testing.T) {
	hr := func(t *testing.T) *Spec { return builtin(t, "hr_export") }
	inline := func(y string) func(t *testing.T) *Spec {
		return func(t *testing.T) *Spec { return mustSpec(t, y) }
	}
	tests := []struct {
		file   string
		spec   func(t *testing.T) *Spec // nil: recognise a built-in spec
		limits Limits
		err    string   // the whole error message, or a prefix ending in "…"
		rej    []string // Rejected.String() of each rejected row, in order
		loaded int
	}{
		{file: "csv_wrong_delimiter.csv", spec: hr,
			err: `csv_wrong_delimiter.csv: line 1: the header is one column when split on ";", the spec's delimiter; the spec needs 6 columns; the file looks ","-delimited`},
		{file: "csv_wrong_delimiter.csv",
			err: `csv_wrong_delimiter.csv: no spec matches header ["År", "Arbetsgivare", "Anställningsnummer", "Kön", "Födelseår", "SSYK", "AID", "Befattning", "Månadslön heltid", "Sysselsättningsgrad", "Anställningsform", "Schemalagd tid" … 6 more]; pass --spec`},
		{file: "csv_ragged_rows.csv", loaded: 2, rej: []string{
			"line 3: row has 17 fields, the header has 18",
			"line 4: row has 19 fields, the header has 18"}},
		{file: "csv_duplicate_header.csv", err: `csv_duplicate_header.csv: line 1, column Kön: duplicate header "Kön" (columns 4 and 5)`},
		{file: "csv_empty_header.csv", err: `csv_empty_header.csv: line 1, column #5: column 5 has an empty header (set spacers: true if empty columns separate groups)`},
		{file: "csv_embedded_newlines.csv", loaded: 3},
		{file: "csv_bom_utf8.csv", loaded: 3},
		{file: "csv_utf16le_bom.csv", loaded: 3},
		{file: "csv_mixed_encoding.csv", loaded: 3, rej: []string{"line 5: text is not valid UTF-8 (the file mixes encodings?)"}},
		{file: "csv_unterminated_quote.csv", err: `csv_unterminated_quote.csv: line 3: a quoted field opened here is never closed (it runs to the end of the file)`},
		{file: "hr_unknown_sex.csv", loaded: 2, rej: []string{
			`line 3, column Kön: unknown sex code "X"`,
			`line 5, column Kön: sex "T" means total, not one person's sex`}},
		{file: "hr_negative_wage.csv", loaded: 1, rej: []string{
			`line 3, column Månadslön heltid: negative wage -100`,
			`line 4, column Månadslön heltid: not a number: "abc"`,
			`line 5, column Månadslön heltid: not a number: "1.5"`}},
		{file: "hr_employment_rate.csv", loaded: 2, rej: []string{
			`line 2, column Sysselsättningsgrad: employment rate 0 is not in (0, 100] percent`,
			`line 3, column Sysselsättningsgrad: employment rate 250 is not in (0, 100] percent`}},
		{file: "hr_duplicate_person.csv", loaded: 3, rej: []string{
			`line 4, column Anställningsnummer: duplicate person: P0000001 already has a row for employer 1480 in 2024 (line 2)`}},
		{file: "hr_municipality_numbers.csv", loaded: 3, rej: []string{
			`line 3, column Arbetsgivare: employer code "9999" is not a kommun (4 digits) or region (2 digits) code`,
			`line 6, column Arbetsgivare: employer code "0000" is not a kommun (4 digits) or region (2 digits) code`}},
		{file: "hr_bad_codes.csv", rej: []string{
			`line 2, column SSYK: SSYK code "53X1" is not 1–4 digits`,
			`line 3, column AID: AID code "12345" is not 6 digits`,
			`line 4, column Anställningsform: unknown contract "Konsult" (tillsvidare, visstid or timavlönad)`,
			`line 5, column Chef: "Kanske" is not yes or no (Ja/Nej)`,
			`line 6, column Födelseår: birth year 2030 is impossible in 2024`,
			`line 7, column År: "24" is not a year`}},
		{file: "xlsx_hr_numbers.xlsx", loaded: 4, rej: []string{
			`sheet "Anställda", row 5, column B (Arbetsgivare): employer code "9999" is not a kommun (4 digits) or region (2 digits) code`}},
		{file: "xlsx_truncated.xlsx", err: `xlsx_truncated.xlsx: not a readable xlsx workbook (the zip is truncated or corrupt): zip: not a valid zip file`},
		{file: "xlsx_corrupt_data.xlsx", err: `xlsx_corrupt_data.xlsx: sheet "Anställda": the sheet XML is unreadable: part xl/worksheets/sheet1.xml is corrupt: flate: corrupt input…`},
		{file: "xlsx_zip_bomb_declared.xlsx", err: `xlsx_zip_bomb_declared.xlsx: part xl/worksheets/sheet1.xml declares 1099511627776 bytes uncompressed, over the limit of 8589934592 (a zip bomb?)`},
		{file: "xlsx_zip_bomb.xlsx", limits: Limits{MaxDecompressedBytes: 4 << 20},
			err: `xlsx_zip_bomb.xlsx: part xl/worksheets/sheet1.xml declares 33557920 bytes uncompressed, over the limit of 4194304 (a zip bomb?)`},
		// Each part within the limit, the parts together over it: counted while inflating.
		{file: "xlsx_zip_bomb.xlsx", limits: Limits{MaxDecompressedBytes: 33557920},
			err: `xlsx_zip_bomb.xlsx: sheet "Anställda": the sheet XML is unreadable: inflating xl/worksheets/sheet1.xml passes the limit of 33557920 decompressed bytes (a zip bomb?)`},
		{file: "xlsx_zip_bomb_lying.xlsx",
			err: `xlsx_zip_bomb_lying.xlsx: sheet "Anställda": the sheet XML is unreadable: part xl/worksheets/sheet1.xml is corrupt: zip: not a valid zip file`},
		{file: "xlsx_zip_bomb.xlsx", loaded: 4, rej: []string{ // within the default limit it is only padding
			`sheet "Anställda", row 5, column B (Arbetsgivare): employer code "9999" is not a kommun (4 digits) or region (2 digits) code`}},
		{file: "xlsx_error_cells.xlsx", spec: inline(obsErrCells), loaded: 4, rej: []string{
			`sheet "Sheet1", row 3, column D (2023): cell error #N/A`,
			`sheet "Sheet1", row 4, column C (2022): cell error #DIV/0!`}},
		{file: "xlsx_error_cells.xlsx", spec: inline(obsErrCells + "cell_errors: missing\n"), loaded: 6},
		{file: "xlsx_merged_header.xlsx", spec: inline(obsMerged), loaded: 8},
		{file: "xlsx_dates.xlsx", spec: inline(obsDates), loaded: 3, rej: []string{
			`sheet "Sheet1", row 4, column A (Datum): "31/12/2022" is not a year`}},
		{file: "xlsx_hidden_sheet.xlsx", spec: inline(obsHidden), loaded: 2},
		{file: "xlsx_hidden_sheet.xlsx", spec: inline(obsHidden + "sheet: Gammal\n"),
			err: `xlsx_hidden_sheet.xlsx: sheet "Gammal", row 1, column region: column "region" not found in header ["inaktuell"]`},
		{file: "xlsx_not_workbook.xlsx", err: `xlsx_not_workbook.xlsx: a zip file but not an xlsx workbook (no xl/workbook.xml)`},
		{file: "xlsx_no_sheet.xlsx", spec: hr, err: `xlsx_no_sheet.xlsx: sheet "Anställda" not found; the workbook has sheets ["Blad1"]`},
	}
	seen := map[string]bool{}
	for _, tc := range tests {
		seen[tc.file] = true
		name := tc.file
		if tc.spec != nil {
			name += "/spec"
		}
		t.Run(name, func(t *testing.T) {
			opts := Options{Limits: tc.limits}
			if tc.spec != nil {
				opts.Spec = tc.spec(t)
			}
			var s MemorySink
			m, err := ParseFile(filepath.Join(badDir, tc.file), opts, &s)
			if tc.err != "" {
				var fe *Error
				if !errors.As(err, &fe) {
					t.Fatalf("error %v is not an *Error", err)
				}
				if p, ok := strings.CutSuffix(tc.err, "…"); ok {
					if !strings.HasPrefix(err.Error(), p) {
						t.Fatalf("error\n %s\nwant prefix\n %s", err, p)
					}
				} else if err.Error() != tc.err {
					t.Fatalf("error\n %s\nwant\n %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			checkRowsRead(t, m, &s)
			var got []string
			for _, r := range s.Rejected {
				got = append(got, r.String())
				if r.Raw == "" {
					t.Errorf("rejected row without Raw: %s", r)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tc.rej, "\n") {
				t.Errorf("rejected:\n %s\nwant\n %s", strings.Join(got, "\n "), strings.Join(tc.rej, "\n "))
			}
			if n := len(s.Observations) + len(s.Employees); n != tc.loaded {
				t.Errorf("%d loaded, want %d", n, tc.loaded)
			}
		})
	}
	// Every table fixture in the corpus is covered.
	files, _ := filepath.Glob(filepath.Join(badDir, "*"))
	for _, f := range files {
		b := filepath.Base(f)
		if (strings.HasPrefix(b, "csv_") || strings.HasPrefix(b, "hr_") || strings.HasPrefix(b, "xlsx_")) && !seen[b] {
			t.Errorf("%s has no test", b)
		}
	}
}

// TestBadFixtureValues checks what the loaded rows of some fixtures hold.
func TestBadFixtureValues(t *testing.T) {
	parse := func(file string, spec *Spec) *MemorySink {
		t.Helper()
		var s MemorySink
		if _, err := ParseFile(filepath.Join(badDir, file), Options{Spec: spec}, &s); err != nil {
			t.Fatal(err)
		}
		return &s
	}
	s := parse("xlsx_hr_numbers.xlsx", nil)
	var codes []string
	for _, e := range s.Employees {
		codes = append(codes, e.EmployerCode+"/"+e.Sector)
	}
	if strings.Join(codes, " ") != "0180/kommun 1480/kommun 14/region 0180/kommun" {
		t.Errorf("employer codes from numbers: %v", codes)
	}
	if r := *s.Employees[1].EmploymentRate; r != 75 {
		t.Errorf("percent-formatted 0.75 read as %v, want 75", r)
	}
	s = parse("hr_municipality_numbers.csv", nil)
	codes = codes[:0]
	for _, e := range s.Employees {
		codes = append(codes, e.EmployerCode)
	}
	if strings.Join(codes, " ") != "0180 01 14" {
		t.Errorf("repaired codes %v, want 0180 01 14", codes)
	}
	s = parse("csv_embedded_newlines.csv", nil)
	if e := s.Employees[0]; e.OccupationLabel != "Undersköterska natt; \"hemtjänst\"" || s.Employees[1].Line != 4 {
		t.Errorf("label %q, next line %d", e.OccupationLabel, s.Employees[1].Line)
	}
	s = parse("csv_bom_utf8.csv", nil)
	for _, e := range s.Employees {
		if strings.Contains(e.Education, "\ufeff") || strings.HasPrefix(e.Period, "\ufeff") {
			t.Errorf("BOM left in %+v", e)
		}
	}
	s = parse("xlsx_error_cells.xlsx", mustSpec(t, obsErrCells+"cell_errors: missing\n"))
	var st []string
	for _, o := range s.Observations {
		if o.Value == nil {
			st = append(st, o.Period+":"+o.Status)
		}
	}
	if strings.Join(st, " ") != "2023:#N/A 2022:#DIV/0!" {
		t.Errorf("error cells as missing: %v", st)
	}
	if o := s.Observations[5]; o.GeoCode != "0180" || o.Period != "2023" || val(o) != 50 {
		t.Errorf("cached formula value: %+v", o)
	}
	s = parse("xlsx_merged_header.xlsx", mustSpec(t, obsMerged))
	var got []string
	for _, o := range s.Observations {
		v := "nil:" + o.Status
		if o.Value != nil {
			v = strconv.FormatFloat(*o.Value, 'f', -1, 64)
		}
		got = append(got, o.GeoCode+" "+o.Period+" "+o.Sex+" "+v)
	}
	want := "2180 2022 K 100|2180 2022 M 90|2180 2023 K 101|2180 2023 M 91|2280 2022 K 20|2280 2022 M 19|2280 2023 K nil:..|2280 2023 M 18"
	if strings.Join(got, "|") != want {
		t.Errorf("merged header:\n %s\nwant\n %s", strings.Join(got, "|"), want)
	}
	s = parse("xlsx_dates.xlsx", mustSpec(t, obsDates))
	got = got[:0]
	for _, o := range s.Observations {
		got = append(got, o.Period)
	}
	if strings.Join(got, " ") != "2024 2023 2024" {
		t.Errorf("periods from dates %v", got)
	}
	s = parse("xlsx_dates.xlsx", mustSpec(t, strings.Replace(obsDates, "type: year", "type: date", 1)))
	if s.Observations[0].Period != "2024-12-31" || s.Observations[1].Period != "2023-12-31" || s.Observations[2].Period != "2024-01-01" {
		t.Errorf("dates %v %v %v", s.Observations[0].Period, s.Observations[1].Period, s.Observations[2].Period)
	}
}

// TestSpecFileErrors: a spec with a typo fails with its file and line.
func TestSpecFileErrors(t *testing.T) {
	tests := map[string]string{
		"spec_typo.yaml":          `testdata/bad/spec_typo.yaml: line 4: unknown field "delimeter" in spec`,
		"spec_column_typo.yaml":   `testdata/bad/spec_column_typo.yaml: line 7: unknown field "feild" in columns entry`,
		"spec_unknown_field.yaml": `testdata/bad/spec_unknown_field.yaml: line 8: unknown field "wages"`,
		"spec_bad_regex.yaml":     "testdata/bad/spec_bad_regex.yaml: line 5: invalid regexp \"^(SE\\\\d\\\\d\": error parsing regexp: missing closing ): `^(SE\\d\\d`",
	}
	for file, want := range tests {
		_, err := LoadSpec(filepath.Join(badDir, file))
		if err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", file, err, want)
		}
	}
	if _, err := os.Stat(filepath.Join(badDir, "README.md")); err != nil {
		t.Error(err)
	}
}
