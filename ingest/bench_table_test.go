package ingest

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// hrHeader is the HR export contract's header (notes/common.md).
var hrHeader = []string{"År", "Arbetsgivare", "Anställningsnummer", "Kön", "Födelseår", "SSYK", "AID", "Befattning",
	"Månadslön heltid", "Sysselsättningsgrad", "Anställningsform", "Schemalagd tid", "Sjukfrånvarotid", "Chef",
	"Utbildning", "Flextid", "Delade turer", "Kvällar och helger"}

// hrRecord is one generated employee row, typed for xlsx and formatted
// for CSV.
type hrRecord struct {
	year      int
	employer  string
	person    string
	sex       string
	birth     int
	ssyk      string
	aid       string
	title     string
	wage      float64
	rate      float64
	contract  string
	sched     float64
	sick      float64
	manager   string
	education string
	flex      string
	split     string
	evening   string
}

var hrOccupations = []struct{ ssyk, aid, title string }{
	{"5321", "511010", "Undersköterska"}, {"5322", "511020", "Vårdbiträde"}, {"2221", "221010", "Sjuksköterska"},
	{"3113", "311010", "Drifttekniker"}, {"7411", "741010", "Elektriker"}, {"2341", "234010", "Grundskollärare"},
	{"1421", "142010", "Rektor"}, {"4112", "411010", "Administratör"}, {"5120", "512010", "Kock"},
	{"2635", "263510", "Socionom"},
}
var hrEmployers = []string{"1480", "0180", "14", "2281", "1280", "0380", "01", "2480"}
var hrEducation = []string{"Förgymnasial", "Gymnasial", "Eftergymnasial <3 år", "Eftergymnasial ≥3 år"}

// genHR makes n deterministic employee rows.
func genHR(n int, seed uint64) []hrRecord {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([]hrRecord, n)
	yesNo := func(blankShare int) string {
		switch v := rng.IntN(100); {
		case v < blankShare:
			return ""
		case v%2 == 0:
			return "Ja"
		default:
			return "Nej"
		}
	}
	for i := range out {
		occ := hrOccupations[rng.IntN(len(hrOccupations))]
		sex := "K"
		if rng.IntN(3) == 0 {
			sex = "M"
		}
		contract := []string{"Tillsvidare", "Tillsvidare", "Tillsvidare", "Visstid", "Timavlönad"}[rng.IntN(5)]
		out[i] = hrRecord{
			year: 2024, employer: hrEmployers[i%len(hrEmployers)], person: fmt.Sprintf("P%07d", i+1), sex: sex,
			birth: 1960 + rng.IntN(44), ssyk: occ.ssyk, aid: occ.aid, title: occ.title,
			wage: float64(24000+rng.IntN(30000)) + float64(rng.IntN(4))*0.25, rate: []float64{100, 100, 75, 62.5, 50}[rng.IntN(5)],
			contract: contract, sched: float64(1000 + rng.IntN(800)), sick: float64(rng.IntN(200)),
			manager: yesNo(0), education: hrEducation[rng.IntN(len(hrEducation))],
			flex: yesNo(10), split: yesNo(10), evening: yesNo(10),
		}
		if out[i].manager == "" {
			out[i].manager = "Nej"
		}
	}
	return out
}

// swedishNumber formats like Swedish HR systems: "32 500,25".
func swedishNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	return b.String()
}

func (r hrRecord) csvFields() []string {
	rate := swedishNumber(r.rate, 0)
	if r.rate != float64(int(r.rate)) {
		rate = swedishNumber(r.rate, 1)
	}
	return []string{strconv.Itoa(r.year), r.employer, r.person, r.sex, strconv.Itoa(r.birth), r.ssyk, r.aid, r.title,
		swedishNumber(r.wage, 2), rate, r.contract, swedishNumber(r.sched, 0), swedishNumber(r.sick, 0), r.manager,
		cp1252Safe(r.education), r.flex, r.split, r.evening}
}

// cp1252Safe replaces "≥", which Windows-1252 cannot encode; HR systems
// exporting Windows-1252 write ">=".
func cp1252Safe(s string) string { return strings.ReplaceAll(s, "≥", ">=") }

// writeHRCSV writes the CSV flavour: ";", decimal comma, Windows-1252, CRLF.
func writeHRCSV(w io.Writer, recs []hrRecord) error {
	enc := charmap.Windows1252.NewEncoder().Writer(w)
	bw := bufio.NewWriterSize(enc, 1<<16)
	bw.WriteString(strings.Join(hrHeader, ";") + "\r\n")
	for _, r := range recs {
		bw.WriteString(strings.Join(r.csvFields(), ";") + "\r\n")
	}
	return bw.Flush()
}

// writeHRXLSX writes the xlsx flavour with excelize's stream writer:
// sheet "Anställda", numbers as numbers.
func writeHRXLSX(path string, recs []hrRecord) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Anställda"); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter("Anställda")
	if err != nil {
		return err
	}
	hdr := make([]any, len(hrHeader))
	for i, h := range hrHeader {
		hdr[i] = h
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	for i, r := range recs {
		employer, _ := strconv.Atoi(r.employer) // as a sheet that lost the leading zero
		row := []any{r.year, employer, r.person, r.sex, r.birth, r.ssyk, r.aid, r.title, r.wage, r.rate, r.contract,
			r.sched, r.sick, r.manager, r.education, r.flex, r.split, r.evening}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// countSink counts records without keeping them, so benchmarks measure
// parsing, not slice growth.
type countSink struct{ obs, emp, rej int }

func (c *countSink) Observation(*Observation) error { c.obs++; return nil }
func (c *countSink) Employee(*Employee) error       { c.emp++; return nil }
func (c *countSink) Reject(Rejected) error          { c.rej++; return nil }

const benchRows = 100_000

func benchHRFiles(b *testing.B) (csvPath, xlsxPath string) {
	b.Helper()
	dir := b.TempDir()
	recs := genHR(benchRows, 1)
	csvPath = filepath.Join(dir, "hr.csv")
	f, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	if err := writeHRCSV(f, recs); err != nil {
		b.Fatal(err)
	}
	f.Close()
	xlsxPath = filepath.Join(dir, "hr.xlsx")
	if err := writeHRXLSX(xlsxPath, recs); err != nil {
		b.Fatal(err)
	}
	return csvPath, xlsxPath
}

func benchParse(b *testing.B, path string) {
	b.Helper()
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		var c countSink
		m, err := ParseFile(path, Options{}, &c)
		if err != nil {
			b.Fatal(err)
		}
		if c.emp != benchRows || m.RowsRead != benchRows {
			b.Fatalf("%d employees, %d rejected, rows read %d; want %d", c.emp, c.rej, m.RowsRead, benchRows)
		}
	}
	report(b, st.Size(), cpu0)
}

// BenchmarkCSVEmployees parses and validates the HR export's CSV flavour
// (100 000 rows × 18 columns, Windows-1252, decimal commas).
func BenchmarkCSVEmployees(b *testing.B) {
	csvPath, _ := benchHRFiles(b)
	benchParse(b, csvPath)
}

// BenchmarkXLSXEmployees parses and validates the same rows as xlsx.
func BenchmarkXLSXEmployees(b *testing.B) {
	_, xlsxPath := benchHRFiles(b)
	benchParse(b, xlsxPath)
}

// BenchmarkExcelizeRows is the baseline: excelize's Rows() iterator over
// the same workbook, reading every cell and nothing more.
func BenchmarkExcelizeRows(b *testing.B) {
	_, xlsxPath := benchHRFiles(b)
	st, _ := os.Stat(xlsxPath)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		f, err := excelize.OpenFile(xlsxPath)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := f.Rows("Anställda")
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rows.Next() {
			cols, err := rows.Columns()
			if err != nil {
				b.Fatal(err)
			}
			n += len(cols)
		}
		rows.Close()
		f.Close()
		if n < benchRows*15 { // excelize drops empty trailing cells
			b.Fatalf("read %d cells", n)
		}
	}
	report(b, st.Size(), cpu0)
}

// BenchmarkXLSXInflateOnly is the floor: inflating the sheet XML of the
// same workbook and discarding it.
func BenchmarkXLSXInflateOnly(b *testing.B) {
	_, xlsxPath := benchHRFiles(b)
	st, _ := os.Stat(xlsxPath)
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		zr, err := zip.OpenReader(xlsxPath)
		if err != nil {
			b.Fatal(err)
		}
		var n int64
		for _, f := range zr.File {
			if strings.HasPrefix(f.Name, "xl/worksheets/") {
				rc, err := f.Open()
				if err != nil {
					b.Fatal(err)
				}
				m, err := io.Copy(io.Discard, rc)
				if err != nil {
					b.Fatal(err)
				}
				n += m
				rc.Close()
			}
		}
		zr.Close()
		if n == 0 {
			b.Fatal("no sheet")
		}
	}
	report(b, st.Size(), cpu0)
}

// cpuTime is the process's user+system CPU time. The machine these
// benchmarks run on is shared, so wall-clock rows/s swing with load;
// CPU seconds per operation do not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func report(b *testing.B, size int64, cpu0 time.Duration) {
	sec := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(benchRows/sec, "rows/s")
	b.ReportMetric(float64(size)/1e6/sec, "MB/s")
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}
