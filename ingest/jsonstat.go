package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
)

// JSON-stat 2.0 is what SCB's PxWebApi 2 returns: a dataset with dimension
// ids, sizes, categories (index and label) and a flat value array in
// row-major order (the last id varies fastest). Dimensions map to
// Observation fields by role (time, geo, metric) and by the same name
// heuristics as PX (see px_cube.go): SCB's Kon 1/2, Tid, Region,
// ContentsCode.
//
// value may be an array (dense; its length must equal the product of size)
// or an object "flat index" → value (sparse: only the cells present are
// read). A null value becomes Value nil with the cell's status, or "missing"
// when the source gives no status. status may be one string for every cell,
// an array as long as value, or an object "flat index" → string.
//
// A collection (class "collection") whose link.item entries embed datasets
// is read dataset by dataset; items that are only links are an error, as
// is a JSON-stat 1.x bundle.
func init() { register(FormatJSONStat, ParseJSONStat) }

type jsDataset struct {
	Version   string              `json:"version"`
	Class     string              `json:"class"`
	Label     string              `json:"label"`
	Source    string              `json:"source"`
	ID        []string            `json:"id"`
	Size      []int               `json:"size"`
	Role      map[string][]string `json:"role"`
	Dimension map[string]jsDim    `json:"dimension"`
	Value     json.RawMessage     `json:"value"`
	Status    json.RawMessage     `json:"status"`
	Link      struct {
		Item []json.RawMessage `json:"item"`
	} `json:"link"`
	Extension struct {
		PX struct {
			TableID  string `json:"tableid"`
			Matrix   string `json:"matrix"`
			Contents string `json:"contents"`
		} `json:"px"`
	} `json:"extension"`
}

type jsDim struct {
	Label    string `json:"label"`
	Category struct {
		Index json.RawMessage            `json:"index"`
		Label map[string]string          `json:"label"`
		Unit  map[string]json.RawMessage `json:"unit"`
	} `json:"category"`
}

// ParseJSONStat reads a JSON-stat 2.0 dataset (or a collection of them).
func ParseJSONStat(r io.ReaderAt, size int64, opts Options, sink Sink) (Meta, error) {
	meta := Meta{Format: string(FormatJSONStat), Kind: "observation"}
	src, err := readJSON(r, size, opts)
	if err != nil {
		return meta, err
	}
	var ds jsDataset
	if err := json.Unmarshal(src, &ds); err != nil {
		return meta, jsonErr(opts.File, src, err)
	}
	switch ds.Class {
	case "dataset":
		meta.Title, meta.Source = ds.Label, ds.Source
		n, err := jsonStatDataset(&ds, opts, sink)
		meta.RowsRead = n
		return meta, err
	case "collection":
		meta.Title, meta.Source = ds.Label, ds.Source
		if len(ds.Link.Item) == 0 {
			return meta, &Error{File: opts.File, Reason: "JSON-stat collection has no items"}
		}
		for i, raw := range ds.Link.Item {
			var item jsDataset
			if err := json.Unmarshal(raw, &item); err != nil {
				return meta, &Error{File: opts.File, Reason: fmt.Sprintf("collection item %d", i), Err: err}
			}
			if item.Class != "dataset" || item.Value == nil {
				return meta, &Error{File: opts.File, Reason: fmt.Sprintf("collection item %d is a link, not an embedded dataset: download the dataset itself", i)}
			}
			n, err := jsonStatDataset(&item, opts, sink)
			meta.RowsRead += n
			if err != nil {
				return meta, err
			}
		}
		return meta, nil
	case "":
		return meta, &Error{File: opts.File, Reason: "not a JSON-stat 2.0 dataset (no \"class\"; a JSON-stat 1.x bundle? ask the API for version 2.0)"}
	default:
		return meta, &Error{File: opts.File, Reason: fmt.Sprintf("JSON-stat class %q is not a dataset or collection", ds.Class)}
	}
}

// readJSON reads the whole file, minus a UTF-8 byte order mark.
func readJSON(r io.ReaderAt, size int64, opts Options) ([]byte, error) {
	src, err := io.ReadAll(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, &Error{File: opts.File, Reason: "cannot read", Err: err}
	}
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, &Error{File: opts.File, Reason: "file is empty"}
	}
	return src, nil
}

// jsonErr turns a decoding error into an *Error with the line it is on.
func jsonErr(file string, src []byte, err error) *Error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end of JSON input"):
		return &Error{File: file, Line: lineAt(src, syn.Offset), Reason: "JSON ends early (truncated?)", Err: err}
	case errors.As(err, &syn):
		return &Error{File: file, Line: lineAt(src, syn.Offset), Reason: "invalid JSON", Err: err}
	case errors.As(err, &typ):
		return &Error{File: file, Line: lineAt(src, typ.Offset), Reason: fmt.Sprintf("unexpected JSON %s for %s", typ.Value, typ.Field), Err: err}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &Error{File: file, Line: lineAt(src, int64(len(src))), Reason: "JSON ends early (truncated?)", Err: err}
	}
	return &Error{File: file, Reason: "invalid JSON", Err: err}
}

// lineAt is the 1-based line of byte offset off.
func lineAt(src []byte, off int64) int {
	if off > int64(len(src)) {
		off = int64(len(src))
	}
	if off < 0 {
		off = 0
	}
	return bytes.Count(src[:off], []byte("\n")) + 1
}

// rawLines gives the line on which each of raws, decoded in order from one
// array in src, begins. A RawMessage is a verbatim copy of its bytes in src,
// so each is found after the end of the one before.
func rawLines(src []byte, raws []json.RawMessage) []int {
	out := make([]int, len(raws))
	off, line := 0, 1
	for i, raw := range raws {
		j := bytes.Index(src[off:], raw)
		if j < 0 {
			out[i] = 0 // not expected; leave the line unknown
			continue
		}
		line += bytes.Count(src[off:off+j], []byte("\n"))
		out[i] = line
		line += bytes.Count(raw, []byte("\n"))
		off += j + len(raw)
	}
	return out
}

func jsonStatDataset(ds *jsDataset, opts Options, sink Sink) (int, error) {
	file := opts.File
	lim := opts.limits()
	bad := func(format string, args ...any) error {
		return &Error{File: file, Reason: fmt.Sprintf(format, args...)}
	}
	if len(ds.ID) == 0 || len(ds.ID) != len(ds.Size) {
		return 0, bad("JSON-stat dataset: id has %d entries, size %d", len(ds.ID), len(ds.Size))
	}
	roles := map[string]cubeRole{}
	for role, ids := range ds.Role {
		r := map[string]cubeRole{"time": roleTime, "geo": roleGeo, "metric": roleMetric}[role]
		for _, id := range ids {
			roles[id] = r
		}
	}
	vars := make([]cubeVar, len(ds.ID))
	for i, id := range ds.ID {
		d, ok := ds.Dimension[id]
		if !ok {
			return 0, bad("dimension %q is in id but not in dimension", id)
		}
		codes, err := jsCategories(d, ds.Size[i])
		if err != nil {
			return 0, bad("dimension %q: %v", id, err)
		}
		v := cubeVar{Name: id, Codes: codes, Labels: make([]string, len(codes))}
		for ci, c := range codes {
			v.Labels[ci] = d.Category.Label[c]
			if len(c) > lim.MaxCellBytes || len(v.Labels[ci]) > lim.MaxCellBytes {
				return 0, bad("dimension %q: category longer than the limit of %d bytes", id, lim.MaxCellBytes)
			}
		}
		// A role the dataset states wins; only sex has no JSON-stat role.
		v.Role = guessRole(id, d.Label)
		if r, ok := roles[id]; ok && v.Role != roleSex {
			v.Role = r
		}
		if v.Role == roleMetric {
			v.Units = make([]string, len(codes))
			for ci, c := range codes {
				var u struct {
					Base  string `json:"base"`
					Label string `json:"label"`
				}
				if raw, ok := d.Category.Unit[c]; ok && json.Unmarshal(raw, &u) == nil {
					v.Units[ci] = u.Base
					if v.Units[ci] == "" {
						v.Units[ci] = u.Label
					}
				}
			}
		}
		vars[i] = v
	}
	n, err := cubeCells(vars, lim.MaxRows)
	if err != nil {
		return 0, bad("%v", err)
	}
	meta := cubeMeta{Measure: ds.Extension.PX.TableID}
	if meta.Measure == "" {
		meta.Measure = ds.Extension.PX.Matrix
	}
	if meta.Measure == "" {
		meta.Measure = slug(ds.Label)
	}
	if meta.Measure == "" {
		meta.Measure = "jsonstat"
	}
	m := newCubeMapper(meta, vars)

	// Values: dense array or sparse object.
	var dense []jsCell
	var sparse map[int]jsCell
	v := bytes.TrimSpace(ds.Value)
	switch {
	case len(v) == 0:
		return 0, bad("dataset has no value")
	case v[0] == '[':
		if err := json.Unmarshal(v, &dense); err != nil {
			return 0, bad("value: %v", err)
		}
		if len(dense) != n {
			return 0, bad("value has %d entries but size %v implies %d", len(dense), ds.Size, n)
		}
	case v[0] == '{':
		var obj map[string]jsCell
		if err := json.Unmarshal(v, &obj); err != nil {
			return 0, bad("value: %v", err)
		}
		if sparse, err = flatIndexMap(obj, n, "value"); err != nil {
			return 0, bad("%v", err)
		}
	default:
		return 0, bad("value is neither an array nor an object")
	}
	count := n
	if sparse != nil {
		count = len(sparse)
	}

	// Status: absent, one string, array or object.
	var statusAll string
	var statusArr []*string
	var statusObj map[int]*string
	s := bytes.TrimSpace(ds.Status)
	switch {
	case len(s) == 0 || string(s) == "null":
	case s[0] == '"':
		if err := json.Unmarshal(s, &statusAll); err != nil {
			return 0, bad("status: %v", err)
		}
	case s[0] == '[':
		if err := json.Unmarshal(s, &statusArr); err != nil {
			return 0, bad("status: %v", err)
		}
		if len(statusArr) != n {
			return 0, bad("status has %d entries but value has %d", len(statusArr), n)
		}
	case s[0] == '{':
		var obj map[string]*string
		if err := json.Unmarshal(s, &obj); err != nil {
			return 0, bad("status: %v", err)
		}
		if statusObj, err = flatIndexMap(obj, n, "status"); err != nil {
			return 0, bad("%v", err)
		}
	default:
		return 0, bad("status is neither a string, an array nor an object")
	}
	statusOf := func(i int) string {
		var p *string
		switch {
		case statusArr != nil:
			p = statusArr[i]
		case statusObj != nil:
			p = statusObj[i]
		default:
			return statusAll
		}
		if p == nil {
			return ""
		}
		return *p
	}

	emit := func(idx []int, i int, c jsCell) error {
		st := statusOf(i)
		if len(st) > lim.MaxCellBytes || len(c.raw) > lim.MaxCellBytes {
			return bad("cell %d is longer than the limit of %d bytes", i, lim.MaxCellBytes)
		}
		var err error
		switch {
		case c.bad:
			err = sink.Reject(Rejected{Reason: fmt.Sprintf("value %s of cell %d is neither a number nor a symbol", truncate(c.raw, 40), i), Raw: m.describe(idx) + ": " + c.raw})
		case c.v != nil:
			err = m.emit(sink, idx, c.v, "", 0, c.raw) // Status describes a missing value only
		default:
			if st == "" {
				st = c.sym // a symbol written as the value itself
			}
			if st == "" {
				st = "missing"
			}
			err = m.emit(sink, idx, nil, st, 0, c.raw)
		}
		if err != nil {
			return sinkErr(file, 0, err)
		}
		return nil
	}
	idx := make([]int, len(vars))
	if sparse == nil {
		for i := 0; i < n; i++ {
			if i > 0 {
				m.next(idx)
			}
			if err := emit(idx, i, dense[i]); err != nil {
				return i, err
			}
		}
		return n, nil
	}
	keys := make([]int, 0, len(sparse))
	for k := range sparse {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for j, k := range keys {
		m.setIndex(idx, k)
		if err := emit(idx, k, sparse[k]); err != nil {
			return j, err
		}
	}
	return count, nil
}

// jsCell is one entry of value: a number, null, or a string holding a
// number or a symbol such as "..".
type jsCell struct {
	v   *float64
	sym string
	raw string
	bad bool
}

func (c *jsCell) UnmarshalJSON(b []byte) error {
	c.raw = string(b)
	switch {
	case string(b) == "null":
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		v, st, ok := parseCellValue(s)
		c.v, c.sym, c.bad = v, st, !ok
		if st == "missing" {
			c.sym = ""
		}
	default:
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			c.bad = true // true, false, an object: read as a rejected cell
			return nil
		}
		c.v = &f
	}
	return nil
}

// jsCategories returns the category codes of a dimension in index order.
func jsCategories(d jsDim, size int) ([]string, error) {
	idx := bytes.TrimSpace(d.Category.Index)
	var codes []string
	switch {
	case len(idx) == 0:
		// Index may be left out when there is one category.
		if len(d.Category.Label) != 1 {
			return nil, fmt.Errorf("category has no index and %d labels", len(d.Category.Label))
		}
		for c := range d.Category.Label {
			codes = []string{c}
		}
	case idx[0] == '[':
		if err := json.Unmarshal(idx, &codes); err != nil {
			return nil, fmt.Errorf("category index: %v", err)
		}
	case idx[0] == '{':
		var obj map[string]int
		if err := json.Unmarshal(idx, &obj); err != nil {
			return nil, fmt.Errorf("category index: %v", err)
		}
		codes = make([]string, len(obj))
		for c, i := range obj {
			if i < 0 || i >= len(obj) || codes[i] != "" {
				return nil, fmt.Errorf("category index %d of %q is out of range or repeated", i, c)
			}
			codes[i] = c
		}
	default:
		return nil, fmt.Errorf("category index is neither an array nor an object")
	}
	if len(codes) != size {
		return nil, fmt.Errorf("%d categories but size says %d", len(codes), size)
	}
	seen := make(map[string]bool, len(codes))
	for _, c := range codes {
		if seen[c] {
			return nil, fmt.Errorf("category %q appears twice", c)
		}
		seen[c] = true
	}
	return codes, nil
}

// flatIndexMap converts the keys of a sparse JSON-stat object to flat
// indexes, each within [0, n).
func flatIndexMap[T any](obj map[string]T, n int, what string) (map[int]T, error) {
	out := make(map[int]T, len(obj))
	for k, v := range obj {
		i, err := strconv.Atoi(strings.TrimSpace(k))
		if err != nil || i < 0 || i >= n {
			return nil, fmt.Errorf("%s key %q is not a cell index below %d", what, k, n)
		}
		out[i] = v
	}
	return out, nil
}
