package reports

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// goteborgSheet is a sheet the size of Göteborg's in the demo: 6 delmål
// with 15 indicators each under long titles, 11 working conditions, and 60
// long definitions. Without page setup LibreOffice printed such a sheet on
// some fifty pages, the wide worksheets split into columns of pages.
func goteborgSheet() *MunicipalitySheet {
	s := syntheticSheet(Geo{"1480", "Göteborg"}, Geo{"14", "Västra Götalands län"}, 3)
	for d := range s.Delmal {
		base := s.Delmal[d].Rows[0]
		for j := len(s.Delmal[d].Rows); j < 15; j++ {
			r := base
			r.IndicatorID = fmt.Sprintf("indikator-med-langt-id-%d-%d", d+1, j)
			r.Title = fmt.Sprintf("Kvinnors medianlön i procent av mäns bland månadsavlönade, delmål %d nr %d", d+1, j)
			s.Delmal[d].Rows = append(s.Delmal[d].Rows, r)
		}
	}
	for c := len(s.WorkConditions); c < 11; c++ {
		s.WorkConditions = append(s.WorkConditions, s.WorkConditions[0])
	}
	for i := 0; i < 60; i++ {
		s.Definitions = append(s.Definitions, Definition{Term: fmt.Sprintf("Indikator %d med en lång titel om jämställdhet", i),
			Text: "Andel av de anställda med en viss egenskap, kvinnor och män, enligt arbetsgivarnas HR-registerutdrag; 100 · personer med egenskapen / personer med uppgift. (id x; k = 5)"})
	}
	return s
}

// TestSheetPageSetup: every worksheet prints one page wide (fit to width,
// any number of pages tall) on A4 with its header row repeated, landscape
// where it is wide.
func TestSheetPageSetup(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteMunicipalitySheet(&buf, goteborgSheet()); err != nil {
		t.Fatal(err)
	}
	_, sheets := readXLSXRaw(t, buf.Bytes())
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	names := f.GetSheetList()
	if len(names) != 9 {
		t.Fatalf("sheets %q", names)
	}
	for _, name := range names {
		var ws struct {
			SheetPr struct {
				PageSetUpPr struct {
					FitToPage string `xml:"fitToPage,attr"`
				} `xml:"pageSetUpPr"`
			} `xml:"sheetPr"`
			Setup struct {
				FitToWidth  string `xml:"fitToWidth,attr"`
				FitToHeight string `xml:"fitToHeight,attr"`
				Orientation string `xml:"orientation,attr"`
				PaperSize   string `xml:"paperSize,attr"`
			} `xml:"pageSetup"`
		}
		if err := xml.Unmarshal([]byte(sheets[name]), &ws); err != nil {
			t.Fatal(err)
		}
		if fp := ws.SheetPr.PageSetUpPr.FitToPage; fp != "1" && fp != "true" {
			t.Errorf("%s: fitToPage %q", name, fp)
		}
		if ws.Setup.FitToWidth != "1" || ws.Setup.FitToHeight != "0" || ws.Setup.PaperSize != "9" {
			t.Errorf("%s: pageSetup %+v, want one page wide, any height, A4", name, ws.Setup)
		}
		// The delmål and working-conditions tables (12 and 14 columns) are
		// wider than portrait A4; the others follow their widths.
		wide := strings.HasPrefix(name, "Delmål") || name == "Arbetsvillkor"
		if o := ws.Setup.Orientation; (wide && o != "landscape") || (o != "landscape" && o != "portrait") {
			t.Errorf("%s: orientation %q", name, o)
		}
	}
	titles := 0
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles++
			if !regexp.MustCompile(`^'[^']+'!\$\d+:\$\d+$`).MatchString(dn.RefersTo) {
				t.Errorf("print titles of %s: %q", dn.Scope, dn.RefersTo)
			}
		}
	}
	if titles != len(names) {
		t.Errorf("%d worksheets repeat their header row when printed, want %d", titles, len(names))
	}
}

// TestSheetPrintsOnFewPages prints a Göteborg-sized sheet with LibreOffice
// (when installed) and counts the pages: one page wide per worksheet
// keeps it to a handful (it was some fifty before page setup).
func TestSheetPrintsOnFewPages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs LibreOffice")
	}
	bin, err := exec.LookPath("soffice")
	if err != nil {
		if bin, err = exec.LookPath("libreoffice"); err != nil {
			t.Skip("LibreOffice not installed (apt-get install -y libreoffice-calc-nogui)")
		}
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "1480.xlsx")
	var buf bytes.Buffer
	if err := WriteMunicipalitySheet(&buf, goteborgSheet()); err != nil {
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
	pages := pdfPages(t, pdf)
	// 9 worksheets, the delmål sheets' charts on a second page each, and
	// the metadata's 60 definitions on a few: about 20 (58 before).
	if pages < 9 || pages > 22 {
		t.Errorf("sheet prints on %d pages, want 9–22", pages)
	}
	t.Logf("%d pages", pages)
}

// pdfPages counts a PDF's pages: pdfinfo when installed, else the page
// objects in the file.
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	if bin, err := exec.LookPath("pdfinfo"); err == nil {
		cmd := exec.Command(bin, "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err == nil {
			if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out); m != nil {
				n, _ := strconv.Atoi(string(m[1]))
				return n
			}
		}
	}
	return len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
}
