package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Format is a file format ingest understands, detected from content.
type Format string

const (
	FormatXLSX     Format = "xlsx"     // Office Open XML workbook (zip with xl/)
	FormatPX       Format = "px"       // PC-Axis, SCB's and the Nordic databases' text format
	FormatJSONStat Format = "jsonstat" // JSON-stat 2.0 (PxWebApi 2)
	FormatKolada   Format = "kolada"   // Kolada API v3 data JSON
	FormatPxWebV1  Format = "pxweb-v1" // legacy PxWebApi v1 "json" responses
	FormatParquet  Format = "parquet"  // read by DuckDB itself, in store
	FormatCSV      Format = "csv"      // any delimited text; the fallback
)

// Detect names the format of a file from its first bytes (at least 4 KiB
// where the file is that long). Extensions are not trusted: analysts rename
// files, and SCB serves CSV as .txt.
func Detect(head []byte) Format {
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		return FormatParquet
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return FormatXLSX // a zip; ParseXLSX reports a zip without xl/ as not a workbook
	}
	text := head
	text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(text, " \t\r\n")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		switch {
		case bytes.Contains(text, []byte(`"class"`)) && bytes.Contains(text, []byte(`"dataset"`)):
			return FormatJSONStat
		case bytes.Contains(text, []byte(`"kpi"`)) && (bytes.Contains(text, []byte(`"municipality"`)) || bytes.Contains(text, []byte(`"ou"`))):
			// Kolada oudata rows carry "ou" and no "municipality".
			return FormatKolada
		case bytes.Contains(text, []byte(`"columns"`)) && bytes.Contains(text, []byte(`"key"`)):
			return FormatPxWebV1
		}
	}
	if looksLikePX(text) {
		return FormatPX
	}
	return FormatCSV
}

// looksLikePX reports whether text starts with PX keywords (KEYWORD= or
// KEYWORD("...")= on the first non-blank lines).
func looksLikePX(text []byte) bool {
	s := bufio.NewScanner(bytes.NewReader(text))
	s.Buffer(make([]byte, 0, 64*1024), 1<<20)
	seen := 0
	for s.Scan() && seen < 3 {
		line := strings.TrimSpace(s.Text())
		if line == "" {
			continue
		}
		seen++
		kw := line
		if i := strings.IndexAny(kw, "=("); i > 0 {
			kw = kw[:i]
		} else {
			return false
		}
		switch strings.SplitN(kw, "[", 2)[0] {
		case "CHARSET", "AXIS-VERSION", "CODEPAGE", "LANGUAGE", "LANGUAGES", "CREATION-DATE", "DECIMALS", "MATRIX", "SUBJECT-AREA", "SUBJECT-CODE", "TITLE", "CONTENTS", "STUB", "HEADING", "VALUES", "UNITS":
			return true
		}
	}
	return false
}

// Options steer one parse.
type Options struct {
	File   string // the path or name used in messages
	Spec   *Spec  // layout of a CSV or xlsx file; nil means recognise a built-in spec
	Strict bool   // any rejected row fails the file
	Limits Limits // zero value means DefaultLimits()
}

// Limits bound what one file may hold, so that a hostile or broken file is
// a clear error, never an out-of-memory crash.
type Limits struct {
	MaxFileBytes         int64 // size of the file as stored
	MaxDecompressedBytes int64 // inflated size of an xlsx part
	MaxRows              int   // data rows (cells for cube formats)
	MaxColumns           int
	MaxCellBytes         int
}

// DefaultLimits are generous for real statistics (SCB's largest PX files,
// a national HR extract of 12 million rows) and small enough to stop a bomb.
func DefaultLimits() Limits {
	return Limits{
		MaxFileBytes:         4 << 30,
		MaxDecompressedBytes: 8 << 30,
		MaxRows:              50_000_000,
		MaxColumns:           16_384,
		MaxCellBytes:         1 << 20,
	}
}

func (o Options) limits() Limits {
	d := DefaultLimits()
	l := o.Limits
	if l.MaxFileBytes == 0 {
		l.MaxFileBytes = d.MaxFileBytes
	}
	if l.MaxDecompressedBytes == 0 {
		l.MaxDecompressedBytes = d.MaxDecompressedBytes
	}
	if l.MaxRows == 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxColumns == 0 {
		l.MaxColumns = d.MaxColumns
	}
	if l.MaxCellBytes == 0 {
		l.MaxCellBytes = d.MaxCellBytes
	}
	return l
}

// Error is a fault in an input file, located as precisely as the format
// allows. Its message is one line: file, sheet, row, column, reason.
type Error struct {
	File   string
	Sheet  string
	Line   int // 1-based; 0 when the fault is in the file as a whole
	Column string
	Reason string
	Err    error // underlying cause, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		fmt.Fprintf(&b, ": sheet %q", e.Sheet)
	}
	if e.Line > 0 {
		if e.Sheet != "" {
			fmt.Fprintf(&b, ", row %d", e.Line)
		} else {
			fmt.Fprintf(&b, ": line %d", e.Line)
		}
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", column %s", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Reason)
	if e.Err != nil && !strings.Contains(e.Reason, e.Err.Error()) {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return strings.ReplaceAll(b.String(), "\n", " ")
}

func (e *Error) Unwrap() error { return e.Err }

// ErrStrict is wrapped by the error returned when Options.Strict is set and
// a row was rejected.
var ErrStrict = errors.New("rows were rejected and --strict is set")

// ParseFunc reads one file of a format into sink. r is the whole file;
// size is its length in bytes.
type ParseFunc func(r io.ReaderAt, size int64, opts Options, sink Sink) (Meta, error)

var parsers = map[Format]ParseFunc{}

// register is called from each parser's init.
func register(f Format, p ParseFunc) {
	if _, dup := parsers[f]; dup {
		panic("ingest: parser registered twice for " + string(f))
	}
	parsers[f] = p
}

// Formats lists the formats that have a Go parser, sorted.
func Formats() []Format {
	out := make([]Format, 0, len(parsers))
	for f := range parsers {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// ErrNeedsStore is returned for formats read by DuckDB itself (Parquet).
var ErrNeedsStore = errors.New("format is read by the store, not by a Go parser")

// ParseFile detects the format of the file at path and parses it into sink.
func ParseFile(path string, opts Options, sink Sink) (Meta, error) {
	if opts.File == "" {
		opts.File = filepath.Base(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return Meta{}, &Error{File: opts.File, Reason: "cannot open", Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return Meta{}, &Error{File: opts.File, Reason: "cannot stat", Err: err}
	}
	return Parse(f, st.Size(), opts, sink)
}

// Parse detects the format of r and parses it into sink.
func Parse(r io.ReaderAt, size int64, opts Options, sink Sink) (Meta, error) {
	lim := opts.limits()
	if size > lim.MaxFileBytes {
		return Meta{}, &Error{File: opts.File, Reason: fmt.Sprintf("file is %d bytes, over the limit of %d", size, lim.MaxFileBytes)}
	}
	head := make([]byte, 64*1024)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return Meta{}, &Error{File: opts.File, Reason: "cannot read", Err: err}
	}
	if n == 0 {
		return Meta{}, &Error{File: opts.File, Reason: "file is empty"}
	}
	format := Detect(head[:n])
	if opts.Spec != nil && opts.Spec.Format != "" && format != FormatXLSX {
		// A spec may insist on CSV for a text file that merely looks like something else.
		format = Format(opts.Spec.Format)
	}
	p, ok := parsers[format]
	if !ok {
		if format == FormatParquet {
			return Meta{Format: string(format)}, ErrNeedsStore
		}
		return Meta{}, &Error{File: opts.File, Reason: fmt.Sprintf("no parser for format %s", format)}
	}
	var counted countingSink
	counted.Sink = sink
	meta, err := p(r, size, opts, &counted)
	if meta.Format == "" {
		meta.Format = string(format)
	}
	if err != nil {
		return meta, err
	}
	if opts.Strict && counted.rejected > 0 {
		return meta, &Error{File: opts.File, Reason: fmt.Sprintf("%d rows rejected (first: %s)", counted.rejected, counted.first), Err: ErrStrict}
	}
	return meta, nil
}

// countingSink counts rejected rows for --strict.
type countingSink struct {
	Sink
	rejected int
	first    string
}

func (c *countingSink) Reject(r Rejected) error {
	if c.rejected == 0 {
		c.first = r.String()
	}
	c.rejected++
	return c.Sink.Reject(r)
}
