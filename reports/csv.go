package reports

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSVTable selects which of the sheet's tables a CSV file holds.
type CSVTable string

const (
	// CSVIndicators: every delmål's indicator rows in one table, with a
	// delmål column (the default).
	CSVIndicators CSVTable = "indicators"
	// CSVHeadline: the overview against county and Sweden.
	CSVHeadline CSVTable = "headline"
	// CSVWorkConditions: the working-conditions comparison.
	CSVWorkConditions CSVTable = "workconditions"
)

// CSVOptions: the zero value writes what Swedish Excel opens cleanly:
// ";" between fields, decimal comma, and a UTF-8 byte-order mark.
type CSVOptions struct {
	Table        CSVTable
	DecimalPoint bool // write 12.5 instead of 12,5
	NoBOM        bool // leave out the UTF-8 byte-order mark
}

// WriteSheetCSV writes one table of the sheet as CSV. Numbers keep full
// precision (no thousands separator); unpublished cells hold their status
// symbol (".."), never 0.
func WriteSheetCSV(w io.Writer, s *MunicipalitySheet, opts CSVOptions) error {
	if err := s.Validate(); err != nil {
		return err
	}
	lang := langOr(s.Lang)
	var spec sheetSpec
	var lead []string // columns put before the spec's
	var leadVals [][]string
	switch opts.Table {
	case "", CSVIndicators:
		for _, d := range s.Delmal {
			sp := delmalSpec(s, d, lang)
			spec.header = sp.header
			spec.rows = append(spec.rows, sp.rows...)
			for range sp.rows {
				leadVals = append(leadVals, []string{strconv.Itoa(d.Delmal)})
			}
		}
		if spec.header == nil {
			for _, c := range delmalCols {
				spec.header = append(spec.header, tr(lang, c))
			}
		}
		lead = []string{tr(lang, "delmal")}
	case CSVHeadline:
		spec = frontSpec(s, lang)
	case CSVWorkConditions:
		spec = workSpec(s, lang)
	default:
		return fmt.Errorf("sheet %s: CSV table %q unknown (indicators, headline, workconditions)", s.Geo.Code, opts.Table)
	}
	if !opts.NoBOM {
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return fmt.Errorf("sheet %s: csv: %w", s.Geo.Code, err)
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	geoCols := []string{tr(lang, "geo_code"), tr(lang, "municipality")}
	if s.isCounty() {
		geoCols = []string{tr(lang, "county_code"), tr(lang, "county_name")}
	}
	if err := cw.Write(append(append(geoCols, lead...), spec.header...)); err != nil {
		return fmt.Errorf("sheet %s: csv: %w", s.Geo.Code, err)
	}
	for i, r := range spec.rows {
		rec := []string{s.Geo.Code, s.Geo.Name}
		if leadVals != nil {
			rec = append(rec, leadVals[i]...)
		}
		for _, c := range r {
			rec = append(rec, csvText(c, opts.DecimalPoint))
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("sheet %s: csv: %w", s.Geo.Code, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("sheet %s: csv: %w", s.Geo.Code, err)
	}
	return nil
}

func csvText(c xcell, point bool) string {
	switch c.kind {
	case xText, xSym:
		return c.s
	case xNum:
		s := strconv.FormatFloat(round15(c.v), 'f', -1, 64)
		if !point {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s
	}
	return ""
}
