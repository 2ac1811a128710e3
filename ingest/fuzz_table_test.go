package ingest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzCheck holds the invariants every parse must keep, whatever the
// input: no panic (the fuzzer sees those), errors are *Error, and
// RowsRead equals the records emitted.
func fuzzCheck(t *testing.T, m Meta, s *MemorySink, err error) {
	if err != nil {
		var fe *Error
		if !errors.As(err, &fe) {
			t.Fatalf("error of type %T: %v", err, err)
		}
		if strings.Contains(err.Error(), "\n") {
			t.Fatalf("error message spans lines: %q", err)
		}
		return
	}
	if got := len(s.Observations) + len(s.Employees) + len(s.Rejected); m.RowsRead != got {
		t.Fatalf("RowsRead %d, emitted %d", m.RowsRead, got)
	}
	for _, e := range s.Employees {
		if e.Sex != SexMen && e.Sex != SexWomen {
			t.Fatalf("employee with sex %q", e.Sex)
		}
		if e.MonthlyWageFTE != nil && *e.MonthlyWageFTE < 0 {
			t.Fatalf("negative wage loaded")
		}
		if e.EmploymentRate != nil && (*e.EmploymentRate <= 0 || *e.EmploymentRate > 100) {
			t.Fatalf("employment rate %v loaded", *e.EmploymentRate)
		}
	}
	for _, o := range s.Observations {
		if o.Value == nil && o.Status == "" {
			t.Fatalf("nil value without status: %+v", o)
		}
	}
}

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 1<<20 {
			f.Add(b)
		}
	}
}

// fuzzLimits keep a fuzz iteration small.
var fuzzLimits = Limits{MaxRows: 10_000, MaxColumns: 256, MaxCellBytes: 1 << 14, MaxDecompressedBytes: 8 << 20}

// FuzzCSV parses arbitrary text with the HR export spec.
func FuzzCSV(f *testing.F) {
	addSeeds(f, "testdata/bad/csv_*.csv")
	addSeeds(f, "testdata/bad/hr_*.csv")
	var buf bytes.Buffer
	writeHRCSV(&buf, genHR(20, 4))
	f.Add(buf.Bytes())
	f.Add([]byte("År;Arbetsgivare;Anställningsnummer;Kön;Månadslön heltid;Sysselsättningsgrad\n2024;180;\"a\"\"b\";K;\"1 000,5\";50\n"))
	spec, ok := BuiltinSpec("hr_export")
	if !ok {
		f.Fatal("no hr_export spec")
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var s MemorySink
		m, err := ParseCSV(bytes.NewReader(b), int64(len(b)), Options{File: "fuzz.csv", Spec: spec, Limits: fuzzLimits}, &s)
		fuzzCheck(t, m, &s, err)
	})
}

// FuzzCSVRecognise parses arbitrary text with no spec (recognition, the
// observation specs, melt).
func FuzzCSVRecognise(f *testing.F) {
	for _, p := range []string{"se_scb_lonestruktur_lundqvist/scb_AM0103_avg_monthly_salary_ssyk96_total_2000_2013.csv",
		"se_scb_lonestruktur_lundqvist/scb_UF_population_by_education_SUN2000_sex_2006_2018_tab8.csv"} {
		if b, err := os.ReadFile(filepath.Join(realTableDir, p)); err == nil {
			f.Add(b[:min(len(b), 4096)])
		}
	}
	f.Add([]byte("\"region\",\"ålder\",\"kön\",\"X2019\"\n\"Gävle\",\"0\",\"män\",271\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s MemorySink
		m, err := ParseCSV(bytes.NewReader(b), int64(len(b)), Options{File: "salary.csv", Limits: fuzzLimits}, &s)
		fuzzCheck(t, m, &s, err)
	})
}

// FuzzXLSX parses arbitrary bytes as a workbook, with no spec (so
// recognition runs) and with the HR spec.
func FuzzXLSX(f *testing.F) {
	addSeeds(f, "testdata/bad/xlsx_*.xlsx")
	if b, err := os.ReadFile(realTable("se_scb_xlsx_income_classes_by_sex", "csfvi---inkomstklasser-2020.xlsx")); err == nil {
		f.Add(b)
	}
	spec, _ := BuiltinSpec("hr_export")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, sp := range []*Spec{nil, spec} {
			var s MemorySink
			m, err := ParseXLSX(bytes.NewReader(b), int64(len(b)), Options{File: "fuzz.xlsx", Spec: sp, Limits: fuzzLimits}, &s)
			fuzzCheck(t, m, &s, err)
		}
	})
}

// FuzzXLSXSheet feeds arbitrary sheet XML and shared strings to the
// streaming reader inside an otherwise valid workbook, so the fuzzer
// works on the XML scanner rather than on zip checksums.
func FuzzXLSXSheet(f *testing.F) {
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>kön</t></is></c></row>`+
		`<row r="2"><c r="A2"><v>1480</v></c><c r="B2" t="str"><f>x</f><v>K</v></c></row></sheetData>`+
		`<mergeCells><mergeCell ref="A1:B1"/></mergeCells></worksheet>`), []byte(`<sst><si><t>region</t></si></sst>`))
	f.Add([]byte(`<x:worksheet><x:sheetData><x:row><x:c t="e"><x:v>#N/A</x:v></x:c><x:c><![CDATA[1]]></x:c></x:row></x:sheetData></x:worksheet>`), []byte(`<sst><si><r><t>a</t></r><rPh><t>b</t></rPh></si></sst>`))
	spec := mustSpec(f, `name: fz
kind: observation
set: {measure: m}
header_rows: 1
spacers: true
columns:
  - {header: region, field: geo}
  - {header: kön, field: sex, optional: true}
melt:
  - pattern: '^(?P<period>\d{4})$'
`)
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		b := buildXLSX(t, map[string]string{"xl/worksheets/sheet1.xml": string(sheet), "xl/sharedStrings.xml": string(sst)})
		for _, sp := range []*Spec{nil, spec} {
			var s MemorySink
			m, err := ParseXLSX(bytes.NewReader(b), int64(len(b)), Options{File: "fuzz.xlsx", Spec: sp, Limits: fuzzLimits}, &s)
			fuzzCheck(t, m, &s, err)
		}
	})
}

// FuzzSpec parses arbitrary YAML as a spec; a spec that parses must then
// read a small file without panicking.
func FuzzSpec(f *testing.F) {
	addSeeds(f, "specs/*.yaml")
	addSeeds(f, "testdata/bad/spec_*.yaml")
	in := []byte("region,kön,2023,Belopp\n1480,K,5,\"1 000,5\"\n0180,M,..,x\n")
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSpec("fuzz.yaml", b)
		if err != nil {
			var fe *Error
			if !errors.As(err, &fe) || fe.File != "fuzz.yaml" {
				t.Fatalf("spec error %T %v", err, err)
			}
			return
		}
		var sink MemorySink
		m, err := ParseCSV(bytes.NewReader(in), int64(len(in)), Options{File: "in.csv", Spec: s, Limits: fuzzLimits}, &sink)
		if err != nil && errors.Is(err, ErrNotDataset) {
			return
		}
		fuzzCheck(t, m, &sink, err)
	})
}
