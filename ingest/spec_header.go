package ingest

import (
	"fmt"
	"io"
	"strings"
)

// Cell kinds as readers deliver them.
const (
	ckText   uint8 = iota // text (all CSV cells; xlsx strings)
	ckNumber              // xlsx numeric cell: b is the number as the XML writes it
	ckBool                // xlsx boolean cell: "1" or "0"
	ckError               // xlsx error cell: "#N/A", "#DIV/0!" ...
)

// tcell is one cell as a reader found it. b is valid until the reader's
// next row.
type tcell struct {
	b    []byte
	kind uint8
	date bool // numeric cell with a date number format (an Excel serial)
	pct  bool // numeric cell with a percent number format (0.75 shown as 75 %)
}

// trow is one row of a table.
type trow struct {
	pos   int // CSV: ordinal among non-blank records; xlsx: the row number
	line  int // line (CSV, where the record starts) or row number (xlsx) for messages
	cells []tcell
}

func (r *trow) blank() bool {
	for i := range r.cells {
		if len(trimSpaceBytes(r.cells[i].b)) > 0 {
			return false
		}
	}
	return true
}

// tableSource is a reader of rows: csvSource or xlsxSource.
type tableSource interface {
	// next returns the next row that is not blank, or io.EOF; the row and
	// its cells are valid until the next call.
	next() (*trow, error)
	// raw is the current row as written, for Rejected.Raw.
	raw() string
	// sheetName is the sheet for xlsx, "" for CSV.
	sheetName() string
	// colName names column i (0-based) with its header label for messages.
	colName(i int, label string) string
	// strictWidth is true when every row must have the header's width
	// (CSV); xlsx rows are sparse.
	strictWidth() bool
}

// tableHeader is what the rows above the data say.
type tableHeader struct {
	labels []string // joined label per column, as written (trimmed)
	norms  []string // normalised labels
	title  string   // text of the title rows, one line each
	line   int      // line of the last header row (0 without header)
}

// readHeader reads title and header rows. It returns the first data row
// (nil at the end of the file), which the caller processes next.
func readHeader(src tableSource, cs *compiledSpec, file string) (*tableHeader, *trow, error) {
	h := &tableHeader{}
	var title []string
	var hdrRows [][]string
	var maxPos = cs.skipRows + cs.headerRows
	for {
		r, err := src.next()
		if err == io.EOF {
			if len(hdrRows) == 0 && cs.headerRows > 0 {
				return nil, nil, &Error{File: file, Sheet: src.sheetName(), Reason: fmt.Sprintf("no header: the file ends before row %d", cs.skipRows+1)}
			}
			h.build(hdrRows, cs)
			h.title = strings.Join(title, "\n")
			return h, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		switch {
		case r.pos <= cs.skipRows:
			var parts []string
			for _, c := range r.cells {
				if t := strings.TrimSpace(string(trimSpaceBytes(c.b))); t != "" {
					parts = append(parts, t)
				}
			}
			title = append(title, strings.Join(parts, " "))
		case r.pos <= maxPos:
			// Rows missing between header rows (xlsx skips empty rows) are empty header rows.
			for len(hdrRows) < r.pos-cs.skipRows-1 {
				hdrRows = append(hdrRows, nil)
			}
			labels := make([]string, len(r.cells))
			for i, c := range r.cells {
				labels[i] = cellLabel(c)
			}
			hdrRows = append(hdrRows, labels)
			h.line = r.line
		default:
			if len(hdrRows) == 0 && cs.headerRows > 0 {
				return nil, nil, &Error{File: file, Sheet: src.sheetName(), Reason: fmt.Sprintf("no header: row %d, where the header should start, is empty", cs.skipRows+1)}
			}
			h.build(hdrRows, cs)
			h.title = strings.Join(title, "\n")
			return h, r, nil
		}
	}
}

// cellLabel is a header cell's text: spaces trimmed and NBSPs made plain.
func cellLabel(c tcell) string {
	b := trimSpaceBytes(c.b)
	s := string(b)
	if strings.ContainsAny(s, "\u00a0\u202f\r\n\t") {
		s = strings.Join(strings.FieldsFunc(s, isSpaceRune), " ")
	}
	return s
}

// build joins the header rows into one label per column. In all but the
// last header row a label carries right over empty cells while the last
// row has a label there: "2019" over Samtliga, Kvinnor, Män. (xlsx
// merged cells are filled by the reader before this.)
func (h *tableHeader) build(rows [][]string, cs *compiledSpec) {
	n := 0
	for _, r := range rows {
		if len(r) > n {
			n = len(r)
		}
	}
	get := func(r []string, i int) string {
		if i < len(r) {
			return r[i]
		}
		return ""
	}
	if cs.headerFill && len(rows) > 1 {
		last := rows[len(rows)-1]
		for ri := 0; ri < len(rows)-1; ri++ {
			r := rows[ri]
			for len(r) < n {
				r = append(r, "")
			}
			for i := 1; i < n; i++ {
				if r[i] == "" && r[i-1] != "" && get(last, i) != "" {
					r[i] = r[i-1]
				}
			}
			rows[ri] = r
		}
	}
	h.labels = make([]string, n)
	for i := 0; i < n; i++ {
		var parts []string
		for _, r := range rows {
			// A label merged down over two header rows counts once.
			if t := get(r, i); t != "" && (len(parts) == 0 || parts[len(parts)-1] != t) {
				parts = append(parts, t)
			}
		}
		h.labels[i] = strings.Join(parts, cs.headerJoin)
	}
	// Empty columns at the right edge (formatted but empty cells, a
	// trailing delimiter) are not columns.
	for len(h.labels) > 0 && h.labels[len(h.labels)-1] == "" {
		h.labels = h.labels[:len(h.labels)-1]
	}
	h.norms = make([]string, len(h.labels))
	for i, l := range h.labels {
		h.norms[i] = normLabel(l)
	}
}

// matchScore reports how well a built-in spec's match rules fit a file:
// -1 when a rule fails, else the number of rules that hold (header names
// count one each).
func (cs *compiledSpec) matchScore(h *tableHeader, file, sheet string) int {
	score := 0
	if len(cs.matchHdr) == 0 && cs.matchFile == nil && cs.matchSheet == nil && cs.matchTitle == nil {
		return -1 // a spec without match rules is never picked by content
	}
	if h != nil && len(cs.matchHdr) > 0 {
		have := make(map[string]bool, len(h.norms))
		for _, n := range h.norms {
			have[n] = true
		}
		for _, want := range cs.matchHdr {
			if !have[want] {
				return -1
			}
			score++
		}
	} else if len(cs.matchHdr) > 0 {
		return -1
	}
	if cs.matchFile != nil {
		if !cs.matchFile.MatchString(file) {
			return -1
		}
		score++
	}
	if cs.matchSheet != nil {
		if !cs.matchSheet.MatchString(sheet) {
			return -1
		}
		score++
	}
	if cs.matchTitle != nil {
		if h == nil || !cs.matchTitle.MatchString(h.title) {
			return -1
		}
		score++
	}
	return score
}
