package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jamstat/jamstat/data"
	"github.com/xuri/excelize/v2"
)

// zipCell is a cell as the raw OOXML says it: type attribute and text.
type zipCell struct {
	T string // "" or "n" number, "s" shared string, "inlineStr", "str"
	V string
}

// readXLSXRaw is the second, independent reader: archive/zip and
// encoding/xml over the workbook, its relationships, the shared strings and
// each worksheet. It knows nothing of excelize.
func readXLSXRaw(t *testing.T, b []byte) (map[string]map[string]zipCell, map[string]string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name] = data
	}
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	mustXML(t, files["xl/workbook.xml"], &wb)
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	mustXML(t, files["xl/_rels/workbook.xml.rels"], &rels)
	target := map[string]string{}
	for _, r := range rels.Rel {
		target[r.ID] = path.Join("xl", strings.TrimPrefix(r.Target, "/xl/"))
	}
	var sst struct {
		SI []struct {
			T string `xml:"t"`
			R []struct {
				T string `xml:"t"`
			} `xml:"r"`
		} `xml:"si"`
	}
	if d, ok := files["xl/sharedStrings.xml"]; ok {
		mustXML(t, d, &sst)
	}
	shared := make([]string, len(sst.SI))
	for i, si := range sst.SI {
		shared[i] = si.T
		for _, r := range si.R {
			shared[i] += r.T
		}
	}
	out := map[string]map[string]zipCell{}
	sheetXML := map[string]string{}
	for _, s := range wb.Sheets {
		file := target[s.RID]
		sheetXML[s.Name] = string(files[file])
		var ws struct {
			Rows []struct {
				C []struct {
					R  string `xml:"r,attr"`
					T  string `xml:"t,attr"`
					V  string `xml:"v"`
					Is struct {
						T string `xml:"t"`
					} `xml:"is"`
				} `xml:"c"`
			} `xml:"sheetData>row"`
		}
		mustXML(t, files[file], &ws)
		cells := map[string]zipCell{}
		for _, r := range ws.Rows {
			for _, c := range r.C {
				zc := zipCell{T: c.T, V: c.V}
				switch c.T {
				case "s":
					i, err := strconv.Atoi(c.V)
					if err != nil || i >= len(shared) {
						t.Fatalf("sheet %s cell %s: bad shared string index %q", s.Name, c.R, c.V)
					}
					zc.V = shared[i]
				case "inlineStr":
					zc.V = c.Is.T
				}
				cells[c.R] = zc
			}
		}
		out[s.Name] = cells
	}
	return out, sheetXML
}

func mustXML(t *testing.T, b []byte, v any) {
	t.Helper()
	if b == nil {
		t.Fatalf("missing part for %T", v)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// expect is what one cell must hold: a number or a text.
type expect struct {
	ref  string
	num  *float64
	text string
}

// expectations lists, for every value of the model, the cell that must hold
// it, following the layout sheet.go documents (title rows, a blank row,
// the header, then data).
func expectations(s *MunicipalitySheet) map[string][]expect {
	out := map[string][]expect{}
	val := func(ref string, v Value) expect {
		if v.Published() {
			return expect{ref: ref, num: v.V}
		}
		return expect{ref: ref, text: v.Symbol()}
	}
	ptr := func(ref string, p *float64) expect {
		if p == nil {
			return expect{ref: ref, text: ".."}
		}
		return expect{ref: ref, num: p}
	}
	// Overview: title, subtitle, blank, header at row 4.
	for i, h := range s.Headline {
		r := 5 + i
		out["Översikt"] = append(out["Översikt"], expect{ref: cellName(1, r), text: h.IndicatorID},
			val(cellName(5, r), h.Geo), val(cellName(6, r), h.County), val(cellName(7, r), h.Sweden))
	}
	for _, d := range s.Delmal {
		name := fmt.Sprintf("Delmål %d", d.Delmal)
		for i, row := range d.Rows {
			r := 5 + i
			out[name] = append(out[name], expect{ref: cellName(1, r), text: row.IndicatorID},
				val(cellName(5, r), row.Women), val(cellName(6, r), row.Men), val(cellName(7, r), row.Total),
				val(cellName(8, r), row.Ratio), val(cellName(10, r), row.Baseline), val(cellName(11, r), row.Change))
		}
	}
	k := minN(s.MinN)
	for i, c := range s.WorkConditions {
		r := 4 + i // one title row, blank, header at row 3
		ex := []expect{{ref: cellName(1, r), text: c.Condition}, val(cellName(6, r), c.FemaleGroup.Value), val(cellName(10, r), c.MaleGroup.Value),
			ptr(cellName(11, r), c.Difference), ptr(cellName(12, r), c.CILow), ptr(cellName(13, r), c.CIHigh)}
		for j, g := range []Group{c.FemaleGroup, c.MaleGroup} {
			col := 4 + 4*j
			if g.N < k {
				ex = append(ex, expect{ref: cellName(col, r), text: ".."})
			} else {
				n := float64(g.N)
				ex = append(ex, expect{ref: cellName(col, r), num: &n})
			}
		}
		out["Arbetsvillkor"] = append(out["Arbetsvillkor"], ex...)
	}
	return out
}

func TestMunicipalitySheetRoundTrip(t *testing.T) {
	s := syntheticSheet(Geo{"1480", "Göteborg"}, Geo{"14", "Västra Götalands län"}, 3)
	var buf bytes.Buffer
	if err := WriteMunicipalitySheet(&buf, s); err != nil {
		t.Fatal(err)
	}
	raw, sheetXML := readXLSXRaw(t, buf.Bytes())
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	wantSheets := []string{"Översikt", "Delmål 1", "Delmål 2", "Delmål 3", "Delmål 4", "Delmål 5", "Delmål 6", "Arbetsvillkor", "Metadata"}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(wantSheets, "|") {
		t.Fatalf("sheets %q, want %q", got, wantSheets)
	}
	suppressed, numbers := 0, 0
	for sheet, exps := range expectations(s) {
		for _, e := range exps {
			rc, ok := raw[sheet][e.ref]
			if !ok {
				t.Errorf("%s!%s: missing in the raw XML", sheet, e.ref)
				continue
			}
			xv, err := f.GetCellValue(sheet, e.ref, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if e.num != nil {
				numbers++
				if rc.T != "" && rc.T != "n" {
					t.Errorf("%s!%s: number stored as type %q (%q)", sheet, e.ref, rc.T, rc.V)
				}
				for reader, txt := range map[string]string{"zip/xml": rc.V, "excelize": xv} {
					got, err := strconv.ParseFloat(txt, 64)
					// Excel keeps 15 significant digits; the writer rounds to them.
					if err != nil || got != round15(*e.num) || math.Abs(got-*e.num) > 1e-14*math.Abs(*e.num) {
						t.Errorf("%s!%s via %s = %q, want %v", sheet, e.ref, reader, txt, *e.num)
					}
				}
				continue
			}
			if e.text == ".." {
				suppressed++
			}
			if rc.V != e.text || xv != e.text {
				t.Errorf("%s!%s = %q (zip) / %q (excelize), want text %q", sheet, e.ref, rc.V, xv, e.text)
			}
			if rc.T == "" || rc.T == "n" {
				t.Errorf("%s!%s: text %q stored as a number", sheet, e.ref, e.text)
			}
		}
	}
	if suppressed == 0 || numbers < 100 {
		t.Errorf("checked %d numbers and %d suppressed cells; the fixture should have both", numbers, suppressed)
	}

	// Legend on every sheet that can show "..".
	for _, sheet := range wantSheets {
		found := false
		for _, c := range raw[sheet] {
			if strings.HasPrefix(c.V, "Uppgift saknas, är för osäker eller skyddas av sekretess (färre än 5 personer)") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no legend for ..", sheet)
		}
	}
	// Frozen header rows.
	for _, sheet := range wantSheets[:8] {
		if !strings.Contains(sheetXML[sheet], `state="frozen"`) {
			t.Errorf("%s: header not frozen", sheet)
		}
		if !strings.Contains(sheetXML[sheet], `customWidth="1"`) {
			t.Errorf("%s: no fitted column widths", sheet)
		}
	}
	// A native chart on each delmål sheet.
	for _, sheet := range wantSheets[1:7] {
		if !strings.Contains(sheetXML[sheet], "<drawing ") {
			t.Errorf("%s: no chart drawing", sheet)
		}
	}
	// The chart reads the chart-data block below the legend: titles in A,
	// the K/M ratio in B, empty where the ratio is withheld.
	zr, _ := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	var chartXML string
	for _, zf := range zr.File {
		if zf.Name == "xl/charts/chart1.xml" {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			chartXML = strings.ReplaceAll(string(b), "&#39;", "'")
		}
	}
	if !strings.Contains(chartXML, "<f>'Delmål 1'!$C$16</f>") || !strings.Contains(chartXML, "'Delmål 1'!$B$17:$B$21") || !strings.Contains(chartXML, "'Delmål 1'!$C$17:$C$21") {
		t.Errorf("chart 1 does not reference the chart data B17:C21: %.400s", chartXML)
	}
	for i, row := range s.Delmal[0].Rows {
		ref := fmt.Sprintf("B%d", 17+i)
		if raw["Delmål 1"][ref].V != row.Title {
			t.Errorf("chart data %s = %q, want %q", ref, raw["Delmål 1"][ref].V, row.Title)
		}
		c, ok := raw["Delmål 1"][fmt.Sprintf("C%d", 17+i)]
		if row.Ratio.Published() {
			if got, _ := strconv.ParseFloat(c.V, 64); got != round15(*row.Ratio.V) {
				t.Errorf("chart data C%d = %q, want %v", 17+i, c.V, *row.Ratio.V)
			}
		} else if ok && c.V != "" {
			t.Errorf("chart data C%d = %q for a withheld ratio, want empty", 17+i, c.V)
		}
	}

	// Number formats: one decimal with a thousands separator.
	styleID, err := f.GetCellStyle("Delmål 1", "E5")
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if st.CustomNumFmt == nil || *st.CustomNumFmt != "#,##0.0" {
		t.Errorf("Delmål 1!E5 number format %v, want #,##0.0", st.CustomNumFmt)
	}
}

// TestSheetNoSmallCells checks the disclosure rule end to end: the writer
// refuses a model with a published value on n < k, and in a written sheet
// no number shows up where the model's n is under k.
func TestSheetNoSmallCells(t *testing.T) {
	s := syntheticSheet(Geo{"1401", "Härryda"}, Geo{"14", "Västra Götalands län"}, 0)
	bad := *s
	bad.Delmal = append([]DelmalTable(nil), s.Delmal...)
	bad.Delmal[0].Rows = append([]SheetRow(nil), s.Delmal[0].Rows...)
	bad.Delmal[0].Rows[1].Men = Num(42, 4)
	if err := WriteMunicipalitySheet(io.Discard, &bad); err == nil || !strings.Contains(err.Error(), "n=4 < k=5") {
		t.Errorf("value on n=4 accepted: %v", err)
	}
	if err := WriteSheetCSV(io.Discard, &bad, CSVOptions{}); err == nil {
		t.Error("CSV accepted a value on n=4")
	}
	var buf bytes.Buffer
	if err := WriteMunicipalitySheet(&buf, s); err != nil {
		t.Fatal(err)
	}
	raw, _ := readXLSXRaw(t, buf.Bytes())
	k := minN(s.MinN)
	for sheet, exps := range expectations(s) {
		for _, e := range exps {
			if e.num != nil {
				continue
			}
			if c := raw[sheet][e.ref]; c.T == "" || c.T == "n" {
				t.Errorf("%s!%s holds a number where the model withholds the value", sheet, e.ref)
			}
		}
	}
	for _, d := range s.Delmal {
		for _, r := range d.Rows {
			for _, v := range []Value{r.Women, r.Men, r.Total, r.Ratio, r.Baseline, r.Change} {
				if v.Published() && v.N > 0 && v.N < k {
					t.Fatalf("fixture publishes a value on n=%d", v.N)
				}
			}
		}
	}
}

func TestSheetCSV(t *testing.T) {
	s := syntheticSheet(Geo{"1407", "Öckerö"}, Geo{"14", "Västra Götalands län"}, 1)
	var buf bytes.Buffer
	if err := WriteSheetCSV(&buf, s, CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\ufeffKommun-id;Kommun;Delmål;Indikator-id;Indikator;Enhet;År;Kvinnor;Män;Totalt;K/M-kvot;") {
		t.Errorf("header: %.120q", out)
	}
	lines := strings.Split(strings.TrimRight(out, "\r\n"), "\r\n")
	if len(lines) != 1+30 {
		t.Fatalf("%d lines, want 31", len(lines))
	}
	// Row for ind_1_0: values with decimal comma, full precision.
	r := s.Delmal[0].Rows[0]
	f := strings.Split(lines[1], ";")
	want := strings.Replace(strconv.FormatFloat(round15(*r.Men.V), 'f', -1, 64), ".", ",", 1)
	if f[0] != "1407" || f[2] != "1" || f[3] != "ind_1_0" || f[8] != want {
		t.Errorf("first row %q (want men %s)", f, want)
	}
	if !strings.Contains(out, ";..;") {
		t.Error("no suppressed cell in CSV")
	}
	buf.Reset()
	if err := WriteSheetCSV(&buf, s, CSVOptions{Table: CSVWorkConditions, DecimalPoint: true, NoBOM: true}); err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(buf.String(), "\ufeff") || !strings.Contains(buf.String(), "Arbetsvillkor 1;%;5321 Undersköterskor;150;92;") {
		t.Errorf("work-conditions CSV: %.300q", buf.String())
	}
	if err := WriteSheetCSV(io.Discard, s, CSVOptions{Table: "nope"}); err == nil {
		t.Error("unknown table accepted")
	}
}

// TestSheetLibreOffice converts a written sheet to PDF with LibreOffice
// headless when it is installed: a real client must open what we write.
func TestSheetLibreOffice(t *testing.T) {
	bin, err := exec.LookPath("soffice")
	if err != nil {
		if bin, err = exec.LookPath("libreoffice"); err != nil {
			t.Skip("LibreOffice not installed (apt-get install -y libreoffice-calc-nogui)")
		}
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "1480.xlsx")
	var buf bytes.Buffer
	if err := WriteMunicipalitySheet(&buf, syntheticSheet(Geo{"1480", "Göteborg"}, Geo{"14", "Västra Götalands län"}, 2)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "pdf", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("LibreOffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "1480.pdf"))
	if err != nil {
		t.Fatalf("no PDF from LibreOffice: %v", err)
	}
	txt := pdfText(t, pdf)
	if !strings.Contains(txt, "Göteborg") {
		t.Errorf("LibreOffice PDF lacks Göteborg")
	}
}

// BenchmarkMunicipalitySheets writes one full-size sheet per municipality
// of Sweden (290) per iteration and reports sheets/s.
func BenchmarkMunicipalitySheets(b *testing.B) {
	geos, err := data.Geos()
	if err != nil {
		b.Fatal(err)
	}
	var sheets []*MunicipalitySheet
	for i, g := range geos {
		if g.Kind != data.KindKommun {
			continue
		}
		sheets = append(sheets, syntheticSheet(Geo{g.Code, g.Name}, Geo{g.CountyCode, g.CountyCode}, i))
	}
	b.ResetTimer()
	for b.Loop() {
		for _, s := range sheets {
			if err := WriteMunicipalitySheet(io.Discard, s); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(sheets))/b.Elapsed().Seconds(), "sheets/s")
	b.ReportMetric(float64(len(sheets)), "sheets/op")
}

func TestCountySheetAndEnglish(t *testing.T) {
	s := syntheticSheet(Geo{"14", "Västra Götalands län"}, Geo{"14", "Västra Götalands län"}, 5)
	s.Lang = "en"
	var buf bytes.Buffer
	if err := WriteMunicipalitySheet(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := "Overview|Sub-goal 1|Sub-goal 2|Sub-goal 3|Sub-goal 4|Sub-goal 5|Sub-goal 6|Working conditions|Metadata"
	if got := strings.Join(f.GetSheetList(), "|"); got != want {
		t.Errorf("sheets %s, want %s", got, want)
	}
	rows, err := f.GetRows("Overview")
	if err != nil {
		t.Fatal(err)
	}
	// The county's own sheet compares with Sweden only.
	if got := strings.Join(rows[3], "|"); got != "Indicator id|Indicator|Unit|Year|Västra Götalands län|Sweden" {
		t.Errorf("overview header %q", got)
	}
	// English direction words in the delmål sheet.
	v, _ := f.GetCellValue("Sub-goal 1", "L5")
	if v != "in the desired direction" && v != "cannot be assessed" {
		t.Errorf("direction cell %q", v)
	}
}
