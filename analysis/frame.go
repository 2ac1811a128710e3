package analysis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Frame is a small in-memory column table for microdata: one row per person
// (or employee), numeric columns as float64 with NaN for a missing value, and
// string columns for labels. It exists so that analysis can run regressions
// on a CSV file or on rows handed over by the store without a database.
type Frame struct {
	// Name identifies the source (usually the file name); it prefixes errors.
	Name  string
	order []string
	num   map[string][]float64
	str   map[string][]string
	// firstBad remembers, for a string column read from CSV, the first value
	// that was not a number, so asking for it as numeric gives a useful error.
	firstBad map[string]string
	n        int
}

// NewFrame returns an empty frame with n rows.
func NewFrame(name string, n int) *Frame {
	return &Frame{Name: name, num: map[string][]float64{}, str: map[string][]string{}, firstBad: map[string]string{}, n: n}
}

// Len is the number of rows.
func (f *Frame) Len() int { return f.n }

// Names returns the column names in their original order.
func (f *Frame) Names() []string { return slices.Clone(f.order) }

// IsNumeric reports whether name is a numeric column.
func (f *Frame) IsNumeric(name string) bool { _, ok := f.num[name]; return ok }

// AddNum adds (or replaces) a numeric column. NaN marks a missing value.
func (f *Frame) AddNum(name string, v []float64) error {
	if len(v) != f.n {
		return fmt.Errorf("%s: column %q has %d values, frame has %d rows", f.Name, name, len(v), f.n)
	}
	if _, ok := f.num[name]; !ok {
		if _, ok := f.str[name]; ok {
			delete(f.str, name)
		} else {
			f.order = append(f.order, name)
		}
	}
	f.num[name] = v
	return nil
}

// AddStr adds (or replaces) a string column. "" marks a missing value.
func (f *Frame) AddStr(name string, v []string) error {
	if len(v) != f.n {
		return fmt.Errorf("%s: column %q has %d values, frame has %d rows", f.Name, name, len(v), f.n)
	}
	if _, ok := f.str[name]; !ok {
		if _, ok := f.num[name]; ok {
			delete(f.num, name)
		} else {
			f.order = append(f.order, name)
		}
	}
	f.str[name] = v
	return nil
}

// Num returns the numeric column name (not a copy: do not modify it).
func (f *Frame) Num(name string) ([]float64, error) {
	if v, ok := f.num[name]; ok {
		return v, nil
	}
	if _, ok := f.str[name]; ok {
		if bad := f.firstBad[name]; bad != "" {
			return nil, fmt.Errorf("%s: column %q is not numeric (%s)", f.Name, name, bad)
		}
		return nil, fmt.Errorf("%s: column %q is not numeric", f.Name, name)
	}
	return nil, fmt.Errorf("%s: no column %q (have %s)", f.Name, name, strings.Join(f.order, ", "))
}

// Str returns the string column name (not a copy).
func (f *Frame) Str(name string) ([]string, error) {
	if v, ok := f.str[name]; ok {
		return v, nil
	}
	if _, ok := f.num[name]; ok {
		return nil, fmt.Errorf("%s: column %q is numeric, not a label column", f.Name, name)
	}
	return nil, fmt.Errorf("%s: no column %q (have %s)", f.Name, name, strings.Join(f.order, ", "))
}

// Dummies expands the label column name into one 0/1 numeric column per
// distinct non-missing label, named name+"_"+label, in sorted label order,
// and returns the new column names. A missing label gives NaN in every dummy,
// so the row is dropped by an analysis that uses them. The full set is
// returned; pass it to OaxacaOptions.Normalize, or leave one out as the base
// category for OLS.
func (f *Frame) Dummies(name string) ([]string, error) {
	s, err := f.Str(name)
	if err != nil {
		return nil, err
	}
	var levels []string
	seen := map[string]bool{}
	for _, v := range s {
		if v != "" && !seen[v] {
			seen[v] = true
			levels = append(levels, v)
		}
	}
	slices.Sort(levels)
	names := make([]string, len(levels))
	for j, lv := range levels {
		col := make([]float64, f.n)
		for i, v := range s {
			switch {
			case v == "":
				col[i] = math.NaN()
			case v == lv:
				col[i] = 1
			}
		}
		names[j] = name + "_" + lv
		if err := f.AddNum(names[j], col); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// isMissingToken reports whether a CSV cell means "no value": NA (R), ""
// and "." (Stata, SCB "cannot occur").
func isMissingToken(s string) bool {
	switch strings.TrimSpace(s) {
	case "", "NA", ".":
		return true
	}
	return false
}

// ReadCSVFrame reads a comma-separated file with a header row. A column whose
// every non-missing cell parses as a number becomes numeric; any other column
// is kept as labels. NA, "" and "." are missing (NaN, or "" for labels).
// Errors name the file, line and column.
func ReadCSVFrame(r io.Reader, name string) (*Frame, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // checked below with a clearer message
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty file, no header row", name)
		}
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\ufeff")
	}
	seen := map[string]int{}
	for j, h := range header {
		h = strings.TrimSpace(h)
		header[j] = h
		if h == "" {
			return nil, fmt.Errorf("%s: line 1, column %d: empty column name", name, j+1)
		}
		if k, dup := seen[h]; dup {
			return nil, fmt.Errorf("%s: line 1, column %d: column name %q repeats column %d", name, j+1, h, k+1)
		}
		seen[h] = j
	}
	raw := make([][]string, len(header))
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: line %d, column %d: %v", name, pe.Line, pe.Column, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			return nil, fmt.Errorf("%s: line %d: %d fields, header has %d", name, line, len(rec), len(header))
		}
		for j, v := range rec {
			raw[j] = append(raw[j], v)
		}
		lines = append(lines, line)
	}
	f := NewFrame(name, len(lines))
	for j, h := range header {
		vals := make([]float64, len(lines))
		numeric := true
		for i, s := range raw[j] {
			if isMissingToken(s) {
				vals[i] = math.NaN()
				continue
			}
			x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
			if err != nil {
				numeric = false
				f.firstBad[h] = fmt.Sprintf("line %d, column %d: %q", lines[i], j+1, s)
				break
			}
			vals[i] = x
		}
		if numeric {
			_ = f.AddNum(h, vals)
			continue
		}
		labels := make([]string, len(lines))
		for i, s := range raw[j] {
			if !isMissingToken(s) {
				labels[i] = s
			}
		}
		_ = f.AddStr(h, labels)
	}
	return f, nil
}
