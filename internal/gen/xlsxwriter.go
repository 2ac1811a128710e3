package gen

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// SheetName is the HR files' sheet.
const SheetName = "Anställda"

// XLSXWriter writes one HR file as an xlsx workbook with the contract's
// header in row 1 of sheet "Anställda", numbers stored as numbers and codes
// (employer, anställningsnummer, SSYK, AID) as text. It streams rows with
// excelize's StreamWriter and writes the workbook to w on End.
type XLSXWriter struct {
	w    io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	row  int
	vals []interface{}
}

// NewXLSXWriter writes one workbook per Begin/End to w.
func NewXLSXWriter(w io.Writer) *XLSXWriter {
	return &XLSXWriter{w: w, vals: make([]interface{}, len(Header))}
}

// Begin starts a workbook and writes the header.
func (x *XLSXWriter) Begin(FileInfo) error {
	x.f = excelize.NewFile()
	if err := x.f.SetSheetName("Sheet1", SheetName); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	sw, err := x.f.NewStreamWriter(SheetName)
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	x.sw = sw
	hdr := make([]interface{}, len(Header))
	for i, h := range Header {
		hdr[i] = h
	}
	x.row = 1
	return x.sw.SetRow("A1", hdr)
}

// Write appends one row.
func (x *XLSXWriter) Write(r *Row) error {
	x.row++
	v := x.vals
	v[0] = r.Year
	v[1] = r.Employer
	v[2] = r.PersonKey
	v[3] = r.Sex
	v[4] = r.BirthYear
	v[5] = r.SSYK
	v[6] = r.AID
	v[7] = r.Title
	v[8] = r.Wage
	v[9] = r.Rate
	v[10] = r.Contract
	v[11] = r.ScheduledHours
	v[12] = r.SickHours
	v[13] = yesNo(r.Manager)
	v[14] = r.Education
	for i, t := range [3]Tri{r.Flextime, r.SplitShifts, r.EveWeekend} {
		switch t {
		case Yes:
			v[15+i] = "Ja"
		case No:
			v[15+i] = "Nej"
		default:
			v[15+i] = nil
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, v)
}

// End finishes the workbook and writes it out.
func (x *XLSXWriter) End() error {
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := x.f.Write(x.w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	err := x.f.Close()
	x.f, x.sw = nil, nil
	return err
}

func yesNo(b bool) string {
	if b {
		return "Ja"
	}
	return "Nej"
}
