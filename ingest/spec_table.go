package ingest

import (
	"fmt"
	"hash/maphash"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jamstat/jamstat/data"
)

// boundColumn is a spec column found in the file's header.
type boundColumn struct {
	*specColumn
	index int    // 0-based column in the file
	label string // header label as written
	name  string // column name for messages
	prev  []byte // last non-empty cell, for fill_down
	lastB []byte // last text read and its result: sorted extracts repeat values row after row
	lastS string
}

// meltColumn is a wide value column and the fields its rows get.
type meltColumn struct {
	index int
	name  string
	set   [fieldCount]string
	dims  map[string]string
}

// tableEngine turns rows into records according to a compiled spec. CSV
// and xlsx readers share it, so a spec means the same for both.
type tableEngine struct {
	cs    *compiledSpec
	spec  *Spec
	file  string
	sheet string
	lim   Limits
	sink  Sink
	src   tableSource
	hdr   *tableHeader

	cols   []*boundColumn
	byID   [fieldCount]*boundColumn
	dimCol []*boundColumn
	melts  []meltColumn
	used   []bool // per file column: mapped, melted or spacer-checked
	spacer []bool
	width  int

	base     [fieldCount]string
	baseDims map[string]string

	geoCache  map[string]map[string]geoResult
	strs      map[string]string
	dups      *dupSet
	seed      maphash.Seed
	floats    []float64
	backs     []empBack
	emp       Employee
	obs       Observation
	emitted   int
	date1904  bool // xlsx workbook counts days from 1904
	checkUTF8 bool // text may hold invalid UTF-8 (declared UTF-8 input)
	rows      int
	rejected  int
}

type geoResult struct {
	code string
	kind string
	ok   bool
}

// empBack holds the values an Employee's pointers point to; allocated in
// slabs so that a row costs one small allocation, not eight.
type empBack struct {
	birth, age              int
	wage, rate, sched, sick float64
	hourly, mgr, flex       bool
	split, eve              bool
}

// maxInterned bounds the string intern table; values beyond it are
// allocated per row.
const maxInterned = 1 << 12

func newTableEngine(spec *Spec, cs *compiledSpec, opts Options, src tableSource, sink Sink) *tableEngine {
	return &tableEngine{
		cs: cs, spec: spec, file: opts.File, sheet: src.sheetName(), lim: opts.limits(), sink: sink, src: src,
		geoCache: map[string]map[string]geoResult{}, strs: map[string]string{}, seed: maphash.MakeSeed(),
	}
}

// run reads the header and every row. first is a data row already read
// by readHeader (nil at EOF).
func (e *tableEngine) run(h *tableHeader, first *trow) (Meta, error) {
	e.hdr = h
	meta := Meta{Kind: e.cs.kind, Title: e.spec.Title, Source: e.spec.Source, Description: e.describe()}
	if meta.Title == "" && h.title != "" {
		meta.Title = strings.SplitN(h.title, "\n", 2)[0]
	}
	if err := e.bind(); err != nil {
		return meta, err
	}
	if err := e.applyFileName(); err != nil {
		return meta, err
	}
	if e.cs.kind == KindEmployee {
		e.dups = newDupSet()
	}
	r := first
	for r != nil {
		e.rows++
		if e.rows > e.lim.MaxRows {
			return e.meta(meta), &Error{File: e.file, Sheet: e.sheet, Line: r.line, Reason: fmt.Sprintf("more than %d rows, the limit", e.lim.MaxRows)}
		}
		if err := e.row(r); err != nil {
			return e.meta(meta), err
		}
		var err error
		r, err = e.src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return e.meta(meta), err
		}
	}
	return e.meta(meta), nil
}

func (e *tableEngine) meta(m Meta) Meta {
	m.RowsRead = e.emitted
	return m
}

func (e *tableEngine) describe() string {
	d := "spec " + e.spec.Name
	if e.spec.Description != "" {
		d += ": " + strings.Join(strings.Fields(e.spec.Description), " ")
	}
	return d
}

// bind finds each spec column and melt rule in the header.
func (e *tableEngine) bind() error {
	h := e.hdr
	cs := e.cs
	e.width = len(h.labels)
	taken := map[int]string{}
	for _, sc := range cs.cols {
		idx := -1
		if sc.letter >= 0 {
			idx = sc.letter
			if idx >= e.width && cs.headerRows > 0 && !sc.optional {
				return &Error{File: e.file, Sheet: e.sheet, Line: h.line, Column: columnLetter(idx),
					Reason: fmt.Sprintf("column %s is beyond the header's %d columns", columnLetter(idx), e.width)}
			}
		} else {
			for i, n := range h.norms {
				if n == sc.norm {
					idx = i
					break
				}
			}
			if idx < 0 {
				if sc.optional {
					continue
				}
				return &Error{File: e.file, Sheet: e.sheet, Line: h.line, Column: sc.header,
					Reason: fmt.Sprintf("column %q not found in header %s", sc.header, quoteList(h.labels, 12))}
			}
		}
		if prev, dup := taken[idx]; dup {
			return &Error{File: e.file, Sheet: e.sheet, Line: h.line, Column: e.src.colName(idx, e.label(idx)),
				Reason: fmt.Sprintf("column mapped twice (to %s and %s)", prev, sc.what())}
		}
		taken[idx] = sc.what()
		bc := &boundColumn{specColumn: sc, index: idx, label: e.label(idx)}
		bc.name = e.src.colName(idx, bc.label)
		e.cols = append(e.cols, bc)
		if sc.dim != "" {
			e.dimCol = append(e.dimCol, bc)
		} else {
			e.byID[sc.field.id] = bc
		}
		if idx+1 > e.width {
			e.width = idx + 1
		}
	}
	if cs.headerRows > 0 {
		if err := e.checkLabels(taken); err != nil {
			return err
		}
	}
	if err := e.bindMelts(taken); err != nil {
		return err
	}
	e.used = make([]bool, e.width)
	e.spacer = make([]bool, e.width)
	for idx := range taken {
		e.used[idx] = true
	}
	for _, m := range e.melts {
		e.used[m.index] = true
	}
	for i := 0; i < len(h.labels); i++ {
		if h.labels[i] == "" {
			e.spacer[i] = true
		}
	}
	return nil
}

func (sc *specColumn) what() string {
	if sc.dim != "" {
		return "dim " + sc.dim
	}
	return "field " + sc.field.name
}

func (e *tableEngine) label(i int) string {
	if i < len(e.hdr.labels) {
		return e.hdr.labels[i]
	}
	return ""
}

// checkLabels rejects duplicate and empty header names: with either, a
// value cannot be told apart from its neighbour.
func (e *tableEngine) checkLabels(taken map[int]string) error {
	h := e.hdr
	seen := map[string]int{}
	for i, n := range h.norms {
		if n == "" {
			if e.cs.spacers {
				continue
			}
			return &Error{File: e.file, Sheet: e.sheet, Line: h.line, Column: e.src.colName(i, ""),
				Reason: fmt.Sprintf("column %d has an empty header (set spacers: true if empty columns separate groups)", i+1)}
		}
		if prev, dup := seen[n]; dup {
			return &Error{File: e.file, Sheet: e.sheet, Line: h.line, Column: e.src.colName(i, h.labels[i]),
				Reason: fmt.Sprintf("duplicate header %q (columns %d and %d)", h.labels[i], prev+1, i+1)}
		}
		seen[n] = i
	}
	return nil
}

// bindMelts finds the wide columns and resolves the fields their header
// names give (period, sex ...), so rows only parse values.
func (e *tableEngine) bindMelts(taken map[int]string) error {
	cs := e.cs
	if len(cs.melts) == 0 {
		return nil
	}
	for i, lab := range e.hdr.labels {
		if _, mapped := taken[i]; mapped || lab == "" {
			continue
		}
		for _, m := range cs.melts {
			var groups []string
			if m.pattern != nil {
				groups = m.pattern.FindStringSubmatch(lab)
				if groups == nil {
					continue
				}
			} else if m.header != e.hdr.norms[i] {
				continue
			}
			mc := meltColumn{index: i, name: e.src.colName(i, lab), set: m.set}
			if len(m.dims) > 0 {
				mc.dims = map[string]string{}
				for k, v := range m.dims {
					mc.dims[k] = v
				}
			}
			if m.pattern != nil {
				for gi, g := range m.pattern.SubexpNames() {
					if gi == 0 || g == "" {
						continue
					}
					val := strings.TrimSpace(groups[gi])
					f, ok := lookupField(g)
					if !ok {
						if mc.dims == nil {
							mc.dims = map[string]string{}
						}
						mc.dims[g] = val
						continue
					}
					if f.id == fSex {
						code, ok := cs.sex[strings.ToLower(val)]
						if !ok {
							return &Error{File: e.file, Sheet: e.sheet, Line: e.hdr.line, Column: mc.name,
								Reason: fmt.Sprintf("unknown sex code %q in the header", val)}
						}
						val = code
					}
					if f.id == fGeo {
						g, ok := e.resolveGeo(val, geoCode)
						if !ok.ok {
							return &Error{File: e.file, Sheet: e.sheet, Line: e.hdr.line, Column: mc.name,
								Reason: fmt.Sprintf("unknown geo code %q in the header", val)}
						}
						val = g
					}
					mc.set[f.id] = val
				}
			}
			e.melts = append(e.melts, mc)
			break
		}
	}
	if len(e.melts) == 0 {
		return &Error{File: e.file, Sheet: e.sheet, Line: e.hdr.line,
			Reason: fmt.Sprintf("no column matches the spec's melt rules; header %s", quoteList(e.hdr.labels, 12))}
	}
	return nil
}

// applyFileName sets fields from the file name (from_file).
func (e *tableEngine) applyFileName() error {
	e.base = e.cs.set
	if len(e.cs.setDims) > 0 {
		e.baseDims = map[string]string{}
		for k, v := range e.cs.setDims {
			e.baseDims[k] = v
		}
	}
	if re := e.cs.fromFile; re != nil {
		name := filepath.Base(e.file)
		m := re.FindStringSubmatch(name)
		if m == nil {
			return &Error{File: e.file, Reason: fmt.Sprintf("file name does not match the spec's from_file pattern %q", re.String())}
		}
		if err := e.setGroups(re, m); err != nil {
			return err
		}
	}
	if re := e.cs.fromTitle; re != nil {
		m := re.FindStringSubmatch(e.hdr.title)
		if m == nil {
			return &Error{File: e.file, Sheet: e.sheet, Reason: fmt.Sprintf("the title rows do not match the spec's from_title pattern %q", re.String())}
		}
		if err := e.setGroups(re, m); err != nil {
			return err
		}
	}
	return nil
}

// setGroups sets fields (or dims) from a regexp's named groups.
func (e *tableEngine) setGroups(re *regexp.Regexp, m []string) error {
	for gi, g := range re.SubexpNames() {
		if gi == 0 || g == "" {
			continue
		}
		val := strings.TrimSpace(m[gi])
		f, ok := lookupField(g)
		if !ok {
			if e.baseDims == nil {
				e.baseDims = map[string]string{}
			}
			e.baseDims[g] = val
			continue
		}
		switch f.id {
		case fSex:
			code, ok := e.sexCode(val)
			if !ok {
				return &Error{File: e.file, Sheet: e.sheet, Reason: fmt.Sprintf("unknown sex code %q taken by %q", val, re.String())}
			}
			val = code
		case fGeo, fEmployer:
			code, g := e.resolveGeo(val, geoCode)
			if !g.ok {
				return &Error{File: e.file, Sheet: e.sheet, Reason: fmt.Sprintf("unknown geo code %q taken by %q", val, re.String())}
			}
			val = code
		}
		e.base[f.id] = val
	}
	return nil
}

// rowFault is a reason to reject a row (or, for melted tables, one cell).
type rowFault struct {
	column string
	reason string
}

func (e *tableEngine) reject(r *trow, f rowFault) error {
	e.emitted++
	e.rejected++
	raw := e.src.raw()
	if len(raw) > 4096 {
		cut := 4096
		for cut > 0 && !utf8.RuneStart(raw[cut]) {
			cut--
		}
		raw = raw[:cut] + "…"
	}
	// Raw goes to a database text column: keep it valid UTF-8 even when
	// the row was rejected for not being so.
	rej := Rejected{Sheet: e.sheet, Line: r.line, Column: f.column, Reason: f.reason, Raw: strings.ToValidUTF8(raw, "\uFFFD")}
	if err := e.sink.Reject(rej); err != nil {
		return &Error{File: e.file, Sheet: e.sheet, Line: r.line, Reason: "loading failed", Err: err}
	}
	return nil
}

func (e *tableEngine) cell(r *trow, i int) *tcell {
	if i < len(r.cells) {
		return &r.cells[i]
	}
	return &emptyCell
}

var emptyCell tcell

// row checks the row's shape and hands it to the kind's mapper.
func (e *tableEngine) row(r *trow) error {
	if e.checkUTF8 && !utf8Valid(r) {
		return e.reject(r, rowFault{reason: "text is not valid UTF-8 (the file mixes encodings?)"})
	}
	if e.src.strictWidth() && e.cs.headerRows > 0 {
		n := len(r.cells)
		if n < len(e.hdr.labels) {
			return e.reject(r, rowFault{reason: fmt.Sprintf("row has %d fields, the header has %d", n, len(e.hdr.labels))})
		}
	}
	for i := range r.cells {
		extra := i >= len(e.spacer) || (e.spacer[i] && !e.used[i])
		if extra && len(trimSpaceBytes(r.cells[i].b)) > 0 {
			if i >= len(e.hdr.labels) && e.src.strictWidth() {
				return e.reject(r, rowFault{reason: fmt.Sprintf("row has %d fields, the header has %d", len(r.cells), len(e.hdr.labels))})
			}
			return e.reject(r, rowFault{column: e.src.colName(i, ""), reason: "value in a column without a header"})
		}
	}
	for _, bc := range e.cols {
		if !bc.fillDown {
			continue
		}
		c := e.cell(r, bc.index)
		if len(trimSpaceBytes(c.b)) == 0 {
			if bc.prev != nil && bc.index < len(r.cells) {
				r.cells[bc.index] = tcell{b: bc.prev}
			} else if bc.prev != nil {
				for len(r.cells) <= bc.index {
					r.cells = append(r.cells, tcell{})
				}
				r.cells[bc.index] = tcell{b: bc.prev}
			}
		} else {
			bc.prev = append(bc.prev[:0], c.b...)
		}
	}
	if e.cs.kind == KindEmployee {
		return e.employeeRow(r)
	}
	return e.observationRow(r)
}

// utf8Valid checks text cells; decoders other than UTF-8 never produce
// invalid UTF-8, and the check is cheap for ASCII.
func utf8Valid(r *trow) bool {
	for i := range r.cells {
		if !utf8.Valid(r.cells[i].b) {
			return false
		}
	}
	return true
}

// str returns b as a string, shared for repeated values.
func (e *tableEngine) str(b []byte) string {
	if s, ok := e.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(e.strs) < maxInterned {
		e.strs[s] = s
	}
	return s
}

// newFloat returns a pointer to v from a slab.
func (e *tableEngine) newFloat(v float64) *float64 {
	if len(e.floats) == 0 {
		e.floats = make([]float64, 1024)
	}
	p := &e.floats[0]
	*p = v
	e.floats = e.floats[1:]
	return p
}

// text extracts the text of a text-valued column: pattern, map, type.
// ok is false with a fault when the cell cannot be read.
func (e *tableEngine) text(bc *boundColumn, c *tcell) (string, *rowFault) {
	if c.kind == ckError {
		return "", &rowFault{bc.name, fmt.Sprintf("cell error %s", c.b)}
	}
	b := trimSpaceBytes(c.b)
	if bc.typ != "" {
		s, ok := dateText(b, c, bc.typ, e.date1904)
		if !ok {
			return "", &rowFault{bc.name, fmt.Sprintf("%q is not a %s", b, bc.typ)}
		}
		b = []byte(s)
	} else if c.kind == ckNumber && c.date {
		if s, ok := dateText(b, c, "date", e.date1904); ok {
			b = []byte(s)
		}
	} else if c.kind == ckBool {
		if len(b) == 1 && b[0] == '1' {
			b = []byte("true")
		} else {
			b = []byte("false")
		}
	}
	if bc.pattern != nil {
		m := bc.pattern.FindSubmatch(b)
		if m == nil {
			return "", &rowFault{bc.name, fmt.Sprintf("%q does not match the pattern %q", b, bc.pattern.String())}
		}
		b = trimSpaceBytes(m[bc.patGroup])
	}
	if bc.mapping != nil {
		if v, ok := bc.mapping[string(b)]; ok {
			return v, nil
		}
		if v, ok := bc.mapping[strings.ToLower(string(b))]; ok {
			return v, nil
		}
	}
	if bytesHasSpecialSpace(b) {
		return strings.Join(strings.FieldsFunc(string(b), isSpaceRune), " "), nil
	}
	if bc.lastB != nil && string(bc.lastB) == string(b) {
		return bc.lastS, nil
	}
	s := e.str(b)
	bc.lastB = append(bc.lastB[:0], b...)
	bc.lastS = s
	return s, nil
}

// bytesHasSpecialSpace reports NBSP, narrow NBSP, tabs or newlines inside
// a value; such values are normalised to single plain spaces.
func bytesHasSpecialSpace(b []byte) bool {
	for _, c := range b {
		if c == 0xC2 || c == 0xE2 || c == '\t' || c == '\n' || c == '\r' {
			s := string(b)
			return strings.ContainsAny(s, "\u00a0\u202f\u2009\t\n\r")
		}
	}
	return false
}

// number reads a numeric cell. A missing-value symbol gives ok with v nil
// and the status; an xlsx error cell is a symbol or a fault per spec.
func (e *tableEngine) number(name string, c *tcell) (v float64, present bool, status string, fault *rowFault) {
	switch c.kind {
	case ckNumber:
		f, ok := parseNumber(c.b, &plainNumbers)
		if !ok {
			return 0, false, "", &rowFault{name, fmt.Sprintf("not a number: %q", c.b)}
		}
		return f, true, "", nil
	case ckError:
		if e.cs.errMissing {
			return 0, false, string(c.b), nil
		}
		return 0, false, "", &rowFault{name, fmt.Sprintf("cell error %s", c.b)}
	case ckBool:
		return 0, false, "", &rowFault{name, fmt.Sprintf("a TRUE/FALSE cell where a number belongs: %q", c.b)}
	}
	b := trimSpaceBytes(c.b)
	if f, ok := parseNumber(b, &e.cs.num); ok {
		return f, true, "", nil
	}
	if st, ok := e.cs.missing[string(b)]; ok {
		return 0, false, st, nil
	}
	if len(b) == 0 {
		return 0, false, "", &rowFault{name, "empty value"}
	}
	return 0, false, "", &rowFault{name, fmt.Sprintf("not a number: %q", b)}
}

// resolveGeo maps a geo cell to a canonical code, cached per mode and
// value (a file has few distinct geographies).
func (e *tableEngine) resolveGeo(s string, mode string) (string, geoResult) {
	cache := e.geoCache[mode]
	if cache == nil {
		cache = map[string]geoResult{}
		e.geoCache[mode] = cache
	}
	if g, ok := cache[s]; ok {
		return g.code, g
	}
	var g geoResult
	switch mode {
	case geoName:
		if geo, ok := data.GeoByName(s); ok {
			g = geoResult{code: geo.Code, kind: geo.Kind, ok: true}
		}
	case geoNUTS2:
		if knownNUTS2()[s] {
			g = geoResult{code: s, kind: "nuts2", ok: true}
		}
	default:
		if code, ok := data.NormalizeGeoCode(s); ok {
			geo, _ := data.GeoByCode(code)
			g = geoResult{code: code, kind: geo.Kind, ok: true}
		}
	}
	if len(cache) < maxInterned {
		cache[s] = g
	}
	return g.code, g
}

// knownNUTS2 lists the NUTS 2 riksområden of Sweden's counties.
var knownNUTS2 = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	geos, _ := data.Geos()
	for _, g := range geos {
		if g.NUTS2 != "" {
			m[g.NUTS2] = true
		}
	}
	return m
})

// quoteList quotes up to max names for a message.
func quoteList(names []string, max int) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, n := range names {
		if i == max {
			fmt.Fprintf(&b, " … %d more", len(names)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(n))
	}
	b.WriteByte(']')
	return b.String()
}
