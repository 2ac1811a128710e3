package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// The legacy PxWebApi v1 answers a query with format "json" as columns
// (code, text, type: "d" dimension, "t" time, "c" contents) and data rows:
// key holds one code per d/t column in column order, values one string per
// c column. Each value is one cell: Measure is the contents column's code
// (e.g. "BE0101N1"), and the d and t columns map like PX variables (see
// px_cube.go). v1 gives codes only, so the code is also the label.
//
// A data row whose key or values do not match the columns is one Rejected
// row (and one row read); otherwise every value is one row read.
func init() { register(FormatPxWebV1, ParsePxWebV1) }

type v1Doc struct {
	Columns []struct {
		Code string `json:"code"`
		Text string `json:"text"`
		Type string `json:"type"`
		Unit string `json:"unit"`
	} `json:"columns"`
	Data     []json.RawMessage `json:"data"`
	Metadata []struct {
		Label  string `json:"label"`
		Source string `json:"source"`
	} `json:"metadata"`
}

type v1Row struct {
	Key    []string `json:"key"`
	Values []string `json:"values"`
}

// ParsePxWebV1 reads a PxWebApi v1 json response.
func ParsePxWebV1(r io.ReaderAt, size int64, opts Options, sink Sink) (Meta, error) {
	meta := Meta{Format: string(FormatPxWebV1), Kind: "observation"}
	src, err := readJSON(r, size, opts)
	if err != nil {
		return meta, err
	}
	var doc v1Doc
	if err := json.Unmarshal(src, &doc); err != nil {
		return meta, jsonErr(opts.File, src, err)
	}
	if len(doc.Metadata) > 0 {
		meta.Title, meta.Source = doc.Metadata[0].Label, doc.Metadata[0].Source
	}
	lim := opts.limits()
	if len(doc.Columns) == 0 {
		return meta, &Error{File: opts.File, Reason: "PxWebApi v1 response has no columns"}
	}
	// One cube variable per key column plus one for the contents columns,
	// each variable holding only the categories seen in the data.
	var keyCols []int
	var contents []string
	var units []string
	for i, c := range doc.Columns {
		switch strings.ToLower(c.Type) {
		case "c":
			contents = append(contents, c.Code)
			units = append(units, c.Unit)
		case "d", "t", "":
			keyCols = append(keyCols, i)
		default:
			return meta, &Error{File: opts.File, Reason: fmt.Sprintf("column %q has unknown type %q", c.Code, c.Type)}
		}
	}
	if len(contents) == 0 {
		return meta, &Error{File: opts.File, Reason: "PxWebApi v1 response has no contents (type c) column"}
	}
	// Each row is its own one-cell-per-content cube: the mapper is built
	// per distinct category, so cache the mapping per variable and code.
	vars := make([]cubeVar, len(keyCols)+1)
	for vi, ci := range keyCols {
		c := doc.Columns[ci]
		vars[vi] = cubeVar{Name: c.Code, Role: guessRole(c.Code, c.Text)}
		if c.Type == "t" {
			vars[vi].Role = roleTime
		}
	}
	vars[len(keyCols)] = cubeVar{Name: "ContentsCode", Codes: contents, Labels: contents, Role: roleMetric, Units: units}
	catIdx := make([]map[string]int, len(keyCols))
	for vi := range catIdx {
		catIdx[vi] = map[string]int{}
	}
	// First pass: collect categories so one mapper covers the whole file.
	rows := make([]v1Row, len(doc.Data))
	rowErr := make([]string, len(doc.Data))
	for ri, raw := range doc.Data {
		if err := json.Unmarshal(raw, &rows[ri]); err != nil {
			rowErr[ri] = fmt.Sprintf("data row is not {key: [...], values: [...]}: %v", err)
			continue
		}
		row := rows[ri]
		if len(row.Key) != len(keyCols) || len(row.Values) != len(contents) {
			rowErr[ri] = fmt.Sprintf("data row has %d keys and %d values, columns say %d and %d", len(row.Key), len(row.Values), len(keyCols), len(contents))
			continue
		}
		for vi, k := range row.Key {
			if len(k) > lim.MaxCellBytes {
				return meta, &Error{File: opts.File, Reason: fmt.Sprintf("data row %d: key longer than the limit of %d bytes", ri+1, lim.MaxCellBytes)}
			}
			if _, ok := catIdx[vi][k]; !ok {
				catIdx[vi][k] = len(vars[vi].Codes)
				vars[vi].Codes = append(vars[vi].Codes, k)
				vars[vi].Labels = append(vars[vi].Labels, k)
			}
		}
	}
	if len(doc.Data) > lim.MaxRows || len(doc.Data)*len(contents) > lim.MaxRows {
		return meta, &Error{File: opts.File, Reason: fmt.Sprintf("%d cells, over the limit of %d rows", len(doc.Data)*len(contents), lim.MaxRows)}
	}
	lines := rawLines(src, doc.Data)
	m := newCubeMapper(cubeMeta{Measure: "pxweb"}, vars)
	idx := make([]int, len(vars))
	for ri, row := range rows {
		if rowErr[ri] != "" {
			meta.RowsRead++
			if err := sink.Reject(Rejected{Line: lines[ri], Reason: rowErr[ri], Raw: truncate(string(doc.Data[ri]), 200)}); err != nil {
				return meta, sinkErr(opts.File, 0, err)
			}
			continue
		}
		for vi, k := range row.Key {
			idx[vi] = catIdx[vi][k]
		}
		for ci, s := range row.Values {
			meta.RowsRead++
			idx[len(keyCols)] = ci
			v, status, ok := parseCellValue(s)
			var err error
			if !ok || len(s) > lim.MaxCellBytes {
				err = sink.Reject(Rejected{Line: lines[ri], Column: contents[ci], Reason: fmt.Sprintf("value %q is neither a number nor a symbol", truncate(s, 40)), Raw: m.describe(idx) + ": " + truncate(s, 200)})
			} else {
				err = m.emit(sink, idx, v, status, lines[ri], s)
			}
			if err != nil {
				return meta, sinkErr(opts.File, 0, err)
			}
		}
	}
	return meta, nil
}
