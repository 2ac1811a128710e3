package gen

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jamstat/jamstat/data"
)

func smallConfig(out string) Config {
	return Config{Seed: 7, Employees: 400, Municipalities: "14", Years: [2]int{2023, 2024},
		Format: FormatMixed, Out: out, Faults: true, MinPerEmployer: 30}
}

// readTree returns every file under dir by relative path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	cfgA, cfgB := smallConfig(a), smallConfig(b)
	cfgA.Workers, cfgB.Workers = 1, 3 // scheduling must not matter
	cfgA.Demo, cfgB.Demo = true, true
	if _, err := Run(context.Background(), cfgA); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(context.Background(), cfgB); err != nil {
		t.Fatal(err)
	}
	ta, tb := readTree(t, a), readTree(t, b)
	if len(ta) != len(tb) || len(ta) == 0 {
		t.Fatalf("runs wrote %d and %d files", len(ta), len(tb))
	}
	for name, x := range ta {
		if !bytes.Equal(x, tb[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	// A different seed gives different data.
	c := t.TempDir()
	cfgC := smallConfig(c)
	cfgC.Seed = 8
	if _, err := Run(context.Background(), cfgC); err != nil {
		t.Fatal(err)
	}
	p := HRPath("1401", 2024, FormatCSV)
	if bytes.Equal(readTree(t, c)[filepath.ToSlash(p)], ta[filepath.ToSlash(p)]) {
		t.Error("seed 7 and seed 8 gave the same file")
	}
}

func TestCSVHeaderAndEncoding(t *testing.T) {
	dir := t.TempDir()
	if _, err := Run(context.Background(), smallConfig(dir)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, HRPath("1401", 2024, FormatCSV)))
	if err != nil {
		t.Fatal(err)
	}
	// The contract header, exactly, in Windows-1252: Å = 0xC5, ä = 0xE4, ö = 0xF6, å = 0xE5.
	want := "\xc5r;Arbetsgivare;Anst\xe4llningsnummer;K\xf6n;F\xf6delse\xe5r;SSYK;AID;Befattning;" +
		"M\xe5nadsl\xf6n heltid;Syssels\xe4ttningsgrad;Anst\xe4llningsform;Schemalagd tid;Sjukfr\xe5nvarotid;" +
		"Chef;Utbildning;Flextid;Delade turer;Kv\xe4llar och helger\r\n"
	if !bytes.HasPrefix(b, []byte(want)) {
		t.Fatalf("header = %q, want %q", b[:bytes.IndexByte(b, '\n')+1], want)
	}
	if bytes.Contains(b, []byte{0xC3}) {
		t.Error("file contains UTF-8 lead byte 0xC3: not Windows-1252")
	}
	for i, line := range bytes.SplitAfter(b, []byte("\n")) {
		if len(line) > 0 && !bytes.HasSuffix(line, []byte("\r\n")) {
			t.Fatalf("line %d does not end in CRLF", i+1)
		}
		if len(line) > 0 && bytes.Count(line, []byte(";")) != len(Header)-1 {
			t.Fatalf("line %d has %d delimiters", i+1, bytes.Count(line, []byte(";")))
		}
	}
	for _, s := range []string{"Underskö", "Förskollärare", "Vårdbiträde", "Eftergymnasial >=3 år"} {
		if !bytes.Contains(b, encode1252(s)) {
			t.Errorf("file lacks %q in Windows-1252", s)
		}
	}
}

func TestXLSXHeaderAndTypes(t *testing.T) {
	dir := t.TempDir()
	cfg := smallConfig(dir)
	cfg.Format = FormatXLSX
	cfg.Faults = false
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, HRPath("1480", 2024, FormatXLSX)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], "|") != strings.Join(Header, "|") {
		t.Fatalf("header = %v", rows[0])
	}
	for col, want := range map[string]excelize.CellType{"A2": excelize.CellTypeNumber, "B2": excelize.CellTypeInlineString, "I2": excelize.CellTypeNumber, "J2": excelize.CellTypeNumber, "L2": excelize.CellTypeNumber} {
		got, err := f.GetCellType(SheetName, col)
		if err != nil {
			t.Fatal(err)
		}
		// A number cell carries no t attribute, which excelize reports as unset.
		if want == excelize.CellTypeNumber && got == excelize.CellTypeUnset {
			continue
		}
		if got != want && !(want == excelize.CellTypeInlineString && got == excelize.CellTypeSharedString) {
			t.Errorf("cell %s type %v, want %v", col, got, want)
		}
	}
	if rows[1][1] != "1480" || rows[1][14] == "" {
		t.Errorf("first data row = %v", rows[1])
	}
}

func TestCountyCoverage(t *testing.T) {
	dir := t.TempDir()
	sum, err := Run(context.Background(), smallConfig(dir))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Employers != 50 || sum.Files != 100 {
		t.Fatalf("employers %d files %d, want 50 and 100", sum.Employers, sum.Files)
	}
	geos, _ := data.Geos()
	for _, g := range geos {
		if g.CountyCode != "14" || g.Kind == data.KindRiket {
			continue
		}
		for y := 2023; y <= 2024; y++ {
			csvP := filepath.Join(dir, HRPath(g.Code, y, FormatCSV))
			xlsxP := filepath.Join(dir, HRPath(g.Code, y, FormatXLSX))
			_, e1 := os.Stat(csvP)
			_, e2 := os.Stat(xlsxP)
			if (e1 == nil) == (e2 == nil) {
				t.Errorf("%s %s %d: want exactly one of csv/xlsx", g.Code, g.Name, y)
			}
		}
	}
}

// faultCheck counts fault signatures in rows streamed through Employees.
type faultCheck struct {
	sexX, negWage, zeroRate, dupes, rows int
	seen                                 map[string]bool
}

func (c *faultCheck) Begin(FileInfo) error { c.seen = map[string]bool{}; return nil }
func (c *faultCheck) End() error           { return nil }
func (c *faultCheck) Write(r *Row) error {
	c.rows++
	if r.Sex != "K" && r.Sex != "M" {
		c.sexX++
	}
	if r.Wage < 0 {
		c.negWage++
	}
	if r.Rate <= 0 || r.Rate > 100 {
		c.zeroRate++
	}
	if c.seen[r.PersonKey] {
		c.dupes++
	}
	c.seen[r.PersonKey] = true
	return nil
}

func TestFaultsOnlyWhenAsked(t *testing.T) {
	for _, on := range []bool{false, true} {
		cfg := smallConfig("")
		cfg.Faults = on
		var c faultCheck
		sum, err := Employees(cfg, &c)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		if on {
			want = 1
		}
		if c.sexX != want || c.negWage != want || c.zeroRate != want || c.dupes != want {
			t.Errorf("faults=%v: sex %d, negative wage %d, zero rate %d, duplicates %d; want %d each", on, c.sexX, c.negWage, c.zeroRate, c.dupes, want)
		}
		if len(sum.Faults) != 4*want {
			t.Errorf("faults=%v: summary lists %d faults", on, len(sum.Faults))
		}
		if sum.Rows != c.rows {
			t.Errorf("summary rows %d, written %d", sum.Rows, c.rows)
		}
	}
}

// TestFaultLines checks that each reported fault is on the reported line.
func TestFaultLines(t *testing.T) {
	dir := t.TempDir()
	cfg := smallConfig(dir)
	cfg.Format = FormatCSV
	sum, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sum.Faults {
		b, err := os.ReadFile(filepath.Join(dir, HRPath(f.Employer, f.Year, FormatCSV)))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(b), "\r\n")
		fields := strings.Split(lines[f.Line-1], ";")
		if fields[2] != f.PersonKey {
			t.Errorf("%v: line holds person %s", f, fields[2])
		}
		switch f.Kind {
		case FaultUnknownSex:
			if fields[3] != "X" {
				t.Errorf("%v: sex %q", f, fields[3])
			}
		case FaultNegativeWage:
			if !strings.HasPrefix(fields[8], "-") {
				t.Errorf("%v: wage %q", f, fields[8])
			}
		case FaultZeroRate:
			if fields[9] != "0" {
				t.Errorf("%v: rate %q", f, fields[9])
			}
		case FaultDuplicate:
			if lines[f.Line-2] != lines[f.Line-1] {
				t.Errorf("%v: not a copy of the line before", f)
			}
		}
	}
}

func TestAppendSwedish(t *testing.T) {
	tests := []struct {
		v    float64
		d    int
		sep  byte
		want string
	}{
		{32500, 2, ' ', "32 500,00"},
		{1234567.5, 2, ' ', "1 234 567,50"},
		{-28500, 2, ' ', "-28 500,00"},
		{999, 2, ' ', "999,00"},
		{75, -1, 0, "75"},
		{87.5, -1, 0, "87,5"},
		{1702.5, -1, 0, "1702,5"},
		{0, -1, 0, "0"},
		{32500, 2, 0xA0, "32\xa0500,00"},
	}
	for _, tt := range tests {
		if got := string(appendSwedish(nil, tt.v, tt.d, tt.sep)); got != tt.want {
			t.Errorf("appendSwedish(%v, %d) = %q, want %q", tt.v, tt.d, got, tt.want)
		}
	}
}

func TestParseYears(t *testing.T) {
	tests := []struct {
		in      string
		want    [2]int
		wantErr bool
	}{
		{"2019-2024", [2]int{2019, 2024}, false},
		{"2024", [2]int{2024, 2024}, false},
		{" 2020 - 2021 ", [2]int{2020, 2021}, false},
		{"20x0", [2]int{}, true},
		{"2019-", [2]int{}, true},
	}
	for _, tt := range tests {
		got, err := ParseYears(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseYears(%q) = %v, %v", tt.in, got, err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []Config{
		{Employees: 10, Municipalities: "99", Years: [2]int{2024, 2024}, Format: FormatCSV},
		{Employees: 10, Municipalities: "1480", Years: [2]int{2024, 2024}, Format: FormatCSV},
		{Employees: 10, Municipalities: "all", Years: [2]int{2024, 2020}, Format: FormatCSV},
		{Employees: 10, Municipalities: "all", Years: [2]int{2024, 2024}, Format: "ods"},
		{Employees: 0, Municipalities: "all", Years: [2]int{2024, 2024}, Format: FormatCSV},
	} {
		if _, err := Employees(cfg, &faultCheck{}); err == nil {
			t.Errorf("config %+v: no error", cfg)
		}
	}
}

func TestNationalScope(t *testing.T) {
	cfg := Config{Seed: 1, Employees: 20000, Municipalities: "all", Years: [2]int{2024, 2024}, Format: FormatCSV}
	cw := NewCSVWriter(io.Discard)
	sum, err := Employees(cfg, cw)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Employers != 290+21 {
		t.Errorf("employers = %d, want 311", sum.Employers)
	}
	if sum.Rows < 19000 || sum.Rows > 22000 {
		t.Errorf("rows = %d for 20 000 employees", sum.Rows)
	}
}
