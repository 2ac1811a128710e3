package ingest

import (
	"archive/zip"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// -update-table rewrites the CSV and xlsx fixtures of the broken-input
// corpus (testdata/bad/csv_*, xlsx_*, hr_*) from the generators below.
var updateTable = flag.Bool("update-table", false, "rewrite the table fixtures in testdata/bad")

const badDir = "testdata/bad"

// TestWriteTableFixtures regenerates the fixtures; it is skipped unless
// -update-table is given, so the committed files are what tests read.
func TestWriteTableFixtures(t *testing.T) {
	if !*updateTable {
		t.Skip("run with -update-table to rewrite testdata/bad table fixtures")
	}
	for name, b := range csvFixtures(t) {
		if err := os.WriteFile(filepath.Join(badDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, gen := range xlsxFixtures {
		b, err := gen()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(badDir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// hrLines renders records as the CSV flavour's lines (no header).
func hrLines(recs []hrRecord) []string {
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = strings.Join(r.csvFields(), ";")
	}
	return out
}

func cp1252(t *testing.T, s string) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func csvFixtures(t *testing.T) map[string][]byte {
	recs := genHR(6, 11)
	hdr := strings.Join(hrHeader, ";")
	lines := hrLines(recs)
	doc := func(ls ...string) string { return strings.Join(ls, "\r\n") + "\r\n" }
	f := map[string][]byte{}

	f["csv_wrong_delimiter.csv"] = cp1252(t, strings.ReplaceAll(doc(append([]string{hdr}, lines[:3]...)...), ";", ","))

	ragged := append([]string(nil), lines[:4]...)
	ragged[1] = strings.Join(strings.Split(ragged[1], ";")[:17], ";")
	ragged[2] += ";extra"
	ragged[3] += ";"
	f["csv_ragged_rows.csv"] = cp1252(t, doc(append([]string{hdr}, ragged...)...))

	dupHdr := strings.Replace(hdr, "Födelseår", "Kön", 1)
	f["csv_duplicate_header.csv"] = cp1252(t, doc(dupHdr, lines[0]))
	emptyHdr := strings.Replace(hdr, "Födelseår", " ", 1)
	f["csv_empty_header.csv"] = cp1252(t, doc(emptyHdr, lines[0]))

	nl := append([]string(nil), lines[:3]...)
	fields := strings.Split(nl[0], ";")
	fields[7] = "\"Undersköterska\r\nnatt; \"\"hemtjänst\"\"\""
	nl[0] = strings.Join(fields, ";")
	f["csv_embedded_newlines.csv"] = cp1252(t, doc(append([]string{hdr}, nl...)...))

	utf8Lines := make([]string, 3)
	for i, r := range recs[:3] {
		fs := r.csvFields()
		fs[14] = r.education // "≥" survives in UTF-8
		utf8Lines[i] = strings.Join(fs, ";")
	}
	f["csv_bom_utf8.csv"] = []byte("\ufeff" + doc(append([]string{hdr}, utf8Lines...)...))
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(doc(append([]string{hdr}, utf8Lines...)...)))
	if err != nil {
		t.Fatal(err)
	}
	f["csv_utf16le_bom.csv"] = u16

	mixed := []byte(doc(append([]string{hdr}, utf8Lines...)...))
	mixed = append(mixed, cp1252(t, doc(lines[3]))...) // one Windows-1252 row in a UTF-8 file
	f["csv_mixed_encoding.csv"] = mixed

	set := func(line string, col int, v string) string {
		fs := strings.Split(line, ";")
		fs[col] = v
		return strings.Join(fs, ";")
	}
	f["hr_unknown_sex.csv"] = cp1252(t, doc(hdr, lines[0], set(lines[1], 3, "X"), set(lines[2], 3, "Kvinna"), set(lines[3], 3, "T")))
	f["hr_negative_wage.csv"] = cp1252(t, doc(hdr, lines[0], set(lines[1], 8, "-100,00"), set(lines[2], 8, "abc"), set(lines[3], 8, "1.5")))
	f["hr_employment_rate.csv"] = cp1252(t, doc(hdr, set(lines[0], 9, "0"), set(lines[1], 9, "250"), set(lines[2], 9, "100"), set(lines[3], 9, "0,5")))
	f["hr_duplicate_person.csv"] = cp1252(t, doc(hdr, lines[0], lines[1], set(set(lines[2], 2, recs[0].person), 1, recs[0].employer), lines[3]))
	f["hr_municipality_numbers.csv"] = cp1252(t, doc(hdr, set(set(lines[0], 1, "180"), 2, "A1"), set(set(lines[1], 1, "9999"), 2, "A2"),
		set(set(lines[2], 1, "1"), 2, "A3"), set(set(lines[3], 1, "0014"), 2, "A4"), set(set(lines[4], 1, "0000"), 2, "A5")))
	f["hr_bad_codes.csv"] = cp1252(t, doc(hdr, set(lines[0], 5, "53X1"), set(lines[1], 6, "12345"), set(lines[2], 10, "Konsult"),
		set(lines[3], 13, "Kanske"), set(lines[4], 4, "2030"), set(lines[5], 0, "24")))
	f["csv_unterminated_quote.csv"] = cp1252(t, doc(hdr, lines[0], set(lines[1], 7, "\"Undersköterska"), lines[2]))
	return f
}

var xlsxFixtures = map[string]func() ([]byte, error){
	"xlsx_hr_numbers.xlsx":        hrNumbersXLSX,
	"xlsx_truncated.xlsx":         truncatedXLSX,
	"xlsx_corrupt_data.xlsx":      corruptXLSX,
	"xlsx_zip_bomb_declared.xlsx": bombDeclaredXLSX,
	"xlsx_zip_bomb.xlsx":          bombXLSX,
	"xlsx_zip_bomb_lying.xlsx":    bombLyingXLSX,
	"xlsx_error_cells.xlsx":       errorCellsXLSX,
	"xlsx_merged_header.xlsx":     mergedHeaderXLSX,
	"xlsx_dates.xlsx":             datesXLSX,
	"xlsx_hidden_sheet.xlsx":      hiddenSheetXLSX,
	"xlsx_not_workbook.xlsx":      notWorkbookXLSX,
	"xlsx_no_sheet.xlsx":          noSheetXLSX,
}

func saveExcelize(f *excelize.File) ([]byte, error) {
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), f.Close()
}

// hrNumbersXLSX is the HR xlsx flavour as a sheet that lost leading zeros:
// employer codes as numbers, an employment rate as a percent-formatted
// fraction, one code that is no kommun.
func hrNumbersXLSX() ([]byte, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Anställda"); err != nil {
		return nil, err
	}
	pct, err := f.NewStyle(&excelize.Style{NumFmt: 9})
	if err != nil {
		return nil, err
	}
	recs := genHR(5, 21)
	employers := []any{180, 1480, 14, 9999, "0180"}
	for c, h := range hrHeader {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		f.SetCellValue("Anställda", cell, h)
	}
	for i, r := range recs {
		row := []any{r.year, employers[i], r.person, r.sex, r.birth, r.ssyk, r.aid, r.title, r.wage, r.rate, r.contract,
			r.sched, r.sick, r.manager, r.education, r.flex, r.split, r.evening}
		if i == 1 {
			row[9] = 0.75 // shown as 75 %
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Anställda", cell, &row); err != nil {
			return nil, err
		}
	}
	if err := f.SetCellStyle("Anställda", "J3", "J3", pct); err != nil {
		return nil, err
	}
	return saveExcelize(f)
}

func truncatedXLSX() ([]byte, error) {
	b, err := hrNumbersXLSX()
	if err != nil {
		return nil, err
	}
	return b[:len(b)*6/10], nil
}

// corruptXLSX keeps the zip directory but garbles the sheet's deflate data.
func corruptXLSX() ([]byte, error) {
	b, err := hrNumbersXLSX()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	for _, f := range zr.File {
		if f.Name == "xl/worksheets/sheet1.xml" {
			off, err := f.DataOffset()
			if err != nil {
				return nil, err
			}
			out := append([]byte(nil), b...)
			for i := off + 20; i < off+int64(f.CompressedSize64)-4; i += 7 {
				out[i] ^= 0x5a
			}
			return out, nil
		}
	}
	return nil, io.ErrUnexpectedEOF
}

// rewriteZip copies a zip, letting edit change each entry's header and content.
func rewriteZip(b []byte, edit func(h *zip.FileHeader, data []byte) []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		h := f.FileHeader
		data = edit(&h, data)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: h.Name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// bombDeclaredXLSX declares a terabyte for its sheet in the central
// directory (the sizes a zip bomb lies with).
func bombDeclaredXLSX() ([]byte, error) {
	b, err := hrNumbersXLSX()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		h := f.FileHeader
		if f.Name == "xl/worksheets/sheet1.xml" {
			h.UncompressedSize64 = 1 << 40
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, raw); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// bombXLSX is honest about its sizes but inflates a few KiB into 32 MiB
// of XML whitespace; the decompressed-size limit stops it.
func bombXLSX() ([]byte, error) {
	b, err := hrNumbersXLSX()
	if err != nil {
		return nil, err
	}
	return rewriteZip(b, func(h *zip.FileHeader, data []byte) []byte {
		if h.Name != "xl/worksheets/sheet1.xml" {
			return data
		}
		i := bytes.Index(data, []byte("<sheetData>"))
		pad := bytes.Repeat([]byte(" "), 32<<20)
		return append(append(append([]byte(nil), data[:i]...), pad...), data[i:]...)
	})
}

// obsSheet writes a small observation table: region, sex, 2022, 2023.
func errorCellsXLSX() ([]byte, error) {
	f := excelize.NewFile()
	rows := [][]any{
		{"region", "kön", "2022", "2023"},
		{"1480", "K", 100, 110},
		{"1480", "M", 90, nil},
		{"0180", "K", 50, 55},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			return nil, err
		}
	}
	// Formulas whose cached results are errors, and one good formula.
	if err := f.SetCellFormula("Sheet1", "D3", "NA()"); err != nil {
		return nil, err
	}
	if err := f.SetCellFormula("Sheet1", "C4", "1/0"); err != nil {
		return nil, err
	}
	if err := f.SetCellFormula("Sheet1", "D4", "C2/2"); err != nil {
		return nil, err
	}
	b, err := saveExcelize(f)
	if err != nil {
		return nil, err
	}
	// excelize writes formulas without cached values; put in what Excel would.
	return rewriteZip(b, func(h *zip.FileHeader, data []byte) []byte {
		if h.Name != "xl/worksheets/sheet1.xml" {
			return data
		}
		s := string(data)
		s = replaceCell(s, "D3", `<c r="D3" t="e"><f>NA()</f><v>#N/A</v></c>`)
		s = replaceCell(s, "C4", `<c r="C4" t="e"><f>1/0</f><v>#DIV/0!</v></c>`)
		s = replaceCell(s, "D4", `<c r="D4"><f>C2/2</f><v>50</v></c>`)
		return []byte(s)
	})
}

// replaceCell swaps the element of cell ref in sheet XML.
func replaceCell(sheet, ref, with string) string {
	i := strings.Index(sheet, `<c r="`+ref+`"`)
	if i < 0 {
		return sheet
	}
	j := strings.Index(sheet[i:], "</c>")
	k := strings.Index(sheet[i:], "/>")
	end := i + j + 4
	if k >= 0 && (j < 0 || k < j) && !strings.Contains(sheet[i:i+k], ">") {
		end = i + k + 2
	}
	return sheet[:i] + with + sheet[end:]
}

// mergedHeaderXLSX: a title, then a two-row header with each year merged
// over K and M, a spacer column, and a blank row before the data.
func mergedHeaderXLSX() ([]byte, error) {
	f := excelize.NewFile()
	set := func(cell string, v any) { f.SetCellValue("Sheet1", cell, v) }
	set("A1", "Sysselsatta efter kommun och kön")
	set("A3", "Kommun")
	set("B3", "2022")
	set("E3", "2023")
	set("B4", "Kvinnor")
	set("C4", "Män")
	set("E4", "Kvinnor")
	set("F4", "Män")
	for _, m := range [][2]string{{"B3", "C3"}, {"E3", "F3"}, {"A3", "A4"}} {
		if err := f.MergeCell("Sheet1", m[0], m[1]); err != nil {
			return nil, err
		}
	}
	rows := [][]any{{"Gävle", 100, 90, nil, 101, 91}, {"Härnösand", 20, 19, nil, "..", 18}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+6)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			return nil, err
		}
	}
	return saveExcelize(f)
}

// datesXLSX: a date column written as date-formatted serials, as ISO text
// and as a text the spec cannot read.
func datesXLSX() ([]byte, error) {
	f := excelize.NewFile()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return nil, err
	}
	set := func(cell string, v any) { f.SetCellValue("Sheet1", cell, v) }
	set("A1", "Datum")
	set("B1", "Kommun")
	set("C1", "Antal")
	set("A2", 45657) // 2024-12-31 as a serial
	set("A3", "2023-12-31")
	set("A4", "31/12/2022")
	set("A5", 45292) // 2024-01-01
	for i, k := range []string{"1480", "1480", "1480", "0180"} {
		set("B"+string(rune('2'+i)), k)
		set("C"+string(rune('2'+i)), 10*(i+1))
	}
	if err := f.SetCellStyle("Sheet1", "A2", "A2", dateStyle); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle("Sheet1", "A5", "A5", dateStyle); err != nil {
		return nil, err
	}
	return saveExcelize(f)
}

// hiddenSheetXLSX: a hidden sheet first (an old version), the data second.
func hiddenSheetXLSX() ([]byte, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Gammal"); err != nil {
		return nil, err
	}
	f.SetCellValue("Gammal", "A1", "inaktuell")
	if _, err := f.NewSheet("Data"); err != nil {
		return nil, err
	}
	rows := [][]any{{"region", "kön", "2023"}, {"1480", "K", 7}, {"1480", "M", 8}}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Data", cell, &r); err != nil {
			return nil, err
		}
	}
	f.SetActiveSheet(1)
	if err := f.SetSheetVisible("Gammal", false); err != nil {
		return nil, err
	}
	return saveExcelize(f)
}

func notWorkbookXLSX() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("readme.txt")
	if err != nil {
		return nil, err
	}
	io.WriteString(w, "not a workbook")
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func noSheetXLSX() ([]byte, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "Blad1"); err != nil {
		return nil, err
	}
	for c, h := range hrHeader {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		f.SetCellValue("Blad1", cell, h)
	}
	return saveExcelize(f)
}

// bombLyingXLSX declares 2 000 bytes for a sheet that inflates to 32 MiB:
// the sizes in the zip headers lie.
func bombLyingXLSX() ([]byte, error) {
	b, err := bombXLSX()
	if err != nil {
		return nil, err
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		raw, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		h := f.FileHeader
		if f.Name == "xl/worksheets/sheet1.xml" {
			h.UncompressedSize64 = 2000
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, raw); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
