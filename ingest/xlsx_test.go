package ingest

import (
	"archive/zip"
	"bytes"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestIncomeClassesXLSX reads SCB's publication sheet with no spec: title
// rows, a two-row merged header, spacer columns, en dashes, NBSPs, "..".
func TestIncomeClassesXLSX(t *testing.T) {
	m, s := parseTable(t, realTable("se_scb_xlsx_income_classes_by_sex", "csfvi---inkomstklasser-2020.xlsx"))
	if m.Format != "xlsx" || !strings.HasPrefix(m.Title, "Antal personer i olika intervall") {
		t.Errorf("meta %+v", m)
	}
	if len(s.Observations) != 45*30 || len(s.Rejected) != 0 {
		t.Fatalf("%d observations (want 1350), %d rejected", len(s.Observations), len(s.Rejected))
	}
	total := map[string]float64{}
	sumClasses := map[string]float64{}
	classes := map[string]bool{}
	ages := map[string]bool{}
	dots := 0
	for _, o := range s.Observations {
		if o.Measure != "persons" || o.Period != "2020" || o.GeoCode != "0000" || o.Unit != "number" {
			t.Fatalf("%+v", o)
		}
		ic, age := o.Dims["income_class"], o.Dims["age_group"]
		classes[ic] = true
		ages[age] = true
		if o.Value == nil {
			if o.Status != ".." {
				t.Fatalf("nil value with status %q", o.Status)
			}
			dots++
			continue
		}
		if age == "20–64" {
			if ic == "total" {
				total[o.Sex] = *o.Value
			} else {
				sumClasses[o.Sex] += *o.Value
			}
		}
	}
	if total["T"] != 5792174 || total["K"] != 2834006 || total["M"] != 2958168 {
		t.Errorf("totals 20–64 %v; want T 5 792 174, K 2 834 006, M 2 958 168", total)
	}
	// The 44 income classes of the total age group carry no suppression;
	// in SCB's sheet they sum to a little less than its total row (T 31,
	// K 26, M 122 short), and jamstat keeps both as published.
	if sumClasses["T"] != 5792143 || sumClasses["K"] != 2833980 || sumClasses["M"] != 2958046 {
		t.Errorf("sums over income classes %v; want T 5 792 143, K 2 833 980, M 2 958 046", sumClasses)
	}
	if len(classes) != 45 || !classes["1–49"] || !classes["50–99"] || !classes["1 850–1 899"] || !classes["3 000–"] || !classes["0"] {
		t.Errorf("income classes %v", sortedKeys(classes))
	}
	if len(ages) != 10 || !ages["20–24"] || !ages["60–64"] {
		t.Errorf("age groups %v", sortedKeys(ages))
	}
	if dots == 0 {
		t.Error("no \"..\" cells found")
	}
}

// TestHRExportXLSX writes the HR contract's xlsx flavour with excelize's
// stream writer (inline strings, numbers as numbers, employer codes that
// lost their zero) and reads every field back.
func TestHRExportXLSX(t *testing.T) {
	recs := genHR(300, 5)
	path := filepath.Join(t.TempDir(), "hr.xlsx")
	if err := writeHRXLSX(path, recs); err != nil {
		t.Fatal(err)
	}
	m, s := parseTable(t, path)
	if m.Kind != KindEmployee || len(s.Employees) != len(recs) || len(s.Rejected) != 0 {
		t.Fatalf("kind %s, %d employees, %d rejected %v", m.Kind, len(s.Employees), len(s.Rejected), s.Rejected)
	}
	for i, e := range s.Employees {
		checkEmployee(t, e, recs[i], i+2, false)
	}
}

// TestHRExportXLSXSharedStrings: the same through excelize's cell API,
// which writes a shared-string table, and a hidden sheet before it.
func TestHRExportXLSXSharedStrings(t *testing.T) {
	recs := genHR(50, 9)
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "Gammal")
	f.SetCellValue("Gammal", "A1", "old")
	f.NewSheet("Anställda")
	for c, h := range hrHeader {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		f.SetCellValue("Anställda", cell, h)
	}
	for i, r := range recs {
		row := []any{r.year, r.employer, r.person, r.sex, r.birth, r.ssyk, r.aid, r.title, r.wage, r.rate, r.contract,
			r.sched, r.sick, r.manager, r.education, r.flex, r.split, r.evening}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Anställda", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	f.SetActiveSheet(1)
	f.SetSheetVisible("Gammal", false)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	var s MemorySink
	m, err := Parse(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Options{File: "hr.xlsx"}, &s)
	if err != nil {
		t.Fatal(err)
	}
	checkRowsRead(t, m, &s)
	if len(s.Employees) != len(recs) {
		t.Fatalf("%d employees, %d rejected %v", len(s.Employees), len(s.Rejected), s.Rejected)
	}
	for i, e := range s.Employees {
		checkEmployee(t, e, recs[i], i+2, false)
	}
}

// TestXLSXCells checks the cell forms writers produce, on hand-written
// sheet XML: shared, inline (rich text, phonetic runs), str formula
// results, booleans, errors, entities, _xHHHH_ escapes, sparse cells
// without r, namespace prefixes and CDATA.
func TestXLSXCells(t *testing.T) {
	sheet := `<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>värde</x:t></x:is></x:c></x:row>
<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:r><x:t>Upp</x:t></x:r><x:r><x:t xml:space="preserve">sala</x:t></x:r><x:rPh><x:t>ウプサラ</x:t></x:rPh></x:is></x:c><x:c t="str"><x:f>"K"</x:f><x:v>K</x:v></x:c><x:c><x:v>1.5E1</x:v></x:c></x:row>
<x:row><x:c r="A4" t="inlineStr"><x:is><x:t><![CDATA[Gävle]]></x:t></x:is></x:c><x:c r="B4" t="s"><x:v>2</x:v></x:c><x:c r="C4" t="e"><x:v>#N/A</x:v></x:c></x:row>
<x:row r="6"><x:c r="C6"><x:v>7</x:v></x:c><x:c r="A6" t="inlineStr"><x:is><x:t>Tom &amp; Jerry_x000D_</x:t></x:is></x:c></x:row>
</x:sheetData></x:worksheet>`
	sst := `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>region</t></si><si><t>kön</t></si><si><r><t>M</t></r><r><t>än</t></r></si></sst>`
	b := buildXLSX(t, map[string]string{"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": sst})
	spec := mustSpec(t, `name: cells
kind: observation
set: {measure: m, period: "2024"}
columns:
  - {header: region, field: geo, geo: name}
  - {header: kön, field: sex}
  - {header: värde, field: value}
`)
	var s MemorySink
	m, err := Parse(bytes.NewReader(b), int64(len(b)), Options{File: "cells.xlsx", Spec: spec}, &s)
	if err != nil {
		t.Fatal(err)
	}
	checkRowsRead(t, m, &s)
	if len(s.Observations) != 1 || s.Observations[0].GeoCode != "0380" || s.Observations[0].Sex != SexWomen || val(s.Observations[0]) != 15 {
		t.Errorf("observations %+v", s.Observations)
	}
	want := []string{
		`sheet "Sheet1", row 4, column C (värde): cell error #N/A`,
		`sheet "Sheet1", row 6, column A (region): unknown kommun or county name "Tom & Jerry"`,
	}
	var got []string
	for _, r := range s.Rejected {
		got = append(got, r.String())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rejected\n %s\nwant\n %s", strings.Join(got, "\n "), strings.Join(want, "\n "))
	}
	if len(s.Rejected) == 2 && s.Rejected[0].Raw != "Gävle\tMän\t#N/A" {
		t.Errorf("raw %q", s.Rejected[0].Raw)
	}
}

// buildXLSX assembles a minimal workbook around the given parts.
func buildXLSX(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	base := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
	}
	for k, v := range parts {
		base[k] = v
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(base) {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, base[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestXLSXMergedHeaderWithoutFill: merges alone carry the label (header
// fill switched off), so the merge reader is what is tested.
func TestXLSXMergedHeaderWithoutFill(t *testing.T) {
	spec := mustSpec(t, obsMerged+"header_fill: false\n")
	var s MemorySink
	if _, err := ParseFile(filepath.Join(badDir, "xlsx_merged_header.xlsx"), Options{Spec: spec}, &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Observations) != 8 || s.Observations[1].Period != "2022" || s.Observations[1].Sex != SexMen {
		t.Errorf("%d observations, second %+v", len(s.Observations), s.Observations[1])
	}
}

func TestExcelDate(t *testing.T) {
	for serial, want := range map[float64]string{1: "1900-01-01", 59: "1900-02-28", 61: "1900-03-01", 45292: "2024-01-01", 45657.75: "2024-12-31"} {
		d, ok := excelDate(serial, false)
		if !ok || d.Format("2006-01-02") != want {
			t.Errorf("excelDate(%v) = %v, want %s", serial, d, want)
		}
	}
	if d, _ := excelDate(0, true); d.Format("2006-01-02") != "1904-01-01" {
		t.Errorf("1904 system: %v", d)
	}
	if _, ok := excelDate(60, false); ok {
		t.Error("serial 60 (29 Feb 1900, which never was) accepted")
	}
}

func TestClassifyFormat(t *testing.T) {
	tests := map[string]cellStyle{
		"yyyy-mm-dd": {date: true}, "0.0%": {pct: true}, "# ##0": {}, `0" dagar"`: {}, "[h]:mm": {date: true},
		"[Red]0.00": {}, "General": {}, `#,##0" kr"`: {}, "d/m/yy h:mm": {date: true},
	}
	for code, want := range tests {
		if got := classifyFormat(code); got != want {
			t.Errorf("classifyFormat(%q) = %+v, want %+v", code, got, want)
		}
	}
}
