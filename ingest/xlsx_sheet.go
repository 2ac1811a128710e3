package ingest

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
)

// sharedStrings holds a workbook's string table in one arena.
type sharedStrings struct {
	arena []byte
	ends  []int
}

func (s *sharedStrings) get(i int) ([]byte, bool) {
	if i < 0 || i >= len(s.ends) {
		return nil, false
	}
	start := 0
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.arena[start:s.ends[i]:s.ends[i]], true
}

// loadSST reads the shared strings part with the streaming scanner; rich
// text runs are concatenated and phonetic runs (rPh) dropped.
func (wb *workbook) loadSST() (*sharedStrings, error) {
	if wb.sst != nil {
		return wb.sst, nil
	}
	sst := &sharedStrings{}
	wb.sst = sst
	f := wb.part(wb.sstPath)
	if f == nil {
		return sst, nil
	}
	rc, err := wb.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	x := newXMLScanner(rc, 2*wb.lim.MaxCellBytes+(1<<16), int64(f.UncompressedSize64))
	inSI, inT, inPh := false, false, 0
	for {
		t, err := x.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, wb.err("shared strings ("+f.Name+") unreadable", err)
		}
		switch t.kind {
		case tStart, tEmpty:
			switch string(t.name) {
			case "si":
				if t.kind == tEmpty {
					sst.ends = append(sst.ends, len(sst.arena))
					continue
				}
				inSI = true
			case "t":
				inT = t.kind == tStart
			case "rPh":
				if t.kind == tStart {
					inPh++
				}
			}
		case tEnd:
			switch string(t.name) {
			case "si":
				if inSI {
					sst.ends = append(sst.ends, len(sst.arena))
				}
				inSI, inT, inPh = false, false, 0
			case "t":
				inT = false
			case "rPh":
				if inPh > 0 {
					inPh--
				}
			}
		case tText:
			if inSI && inT && inPh == 0 {
				if t.cdata {
					sst.arena = append(sst.arena, t.text...)
				} else {
					sst.arena = appendOOXMLText(sst.arena, t.text)
				}
				if len(sst.arena) > 1<<31 {
					return nil, wb.err("shared strings over 2 GiB", nil)
				}
			}
		}
	}
	return sst, nil
}

// merge is a merged range; val is its top-left cell, filled in as the
// sheet is read.
type merge struct {
	r1, c1, r2, c2 int
	val            []byte
	have           bool
}

// readMerges finds a sheet's merged ranges. Excel writes mergeCells after
// the data, so this inflates the sheet once more; it is done when the
// sheet is small or the header spans rows (where merges carry labels).
func (wb *workbook) readMerges(sh *wbSheet) ([]*merge, error) {
	f := wb.part(sh.path)
	if f == nil {
		return nil, nil
	}
	rc, err := wb.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	const chunk = 1 << 20
	buf := make([]byte, chunk+16)
	keep := 0
	var found io.Reader
	for found == nil {
		n, err := io.ReadFull(rc, buf[keep:chunk+keep])
		data := buf[:keep+n]
		if i := bytes.Index(data, []byte("mergeCell")); i >= 0 {
			lt := bytes.LastIndexByte(data[:i], '<')
			if lt < 0 {
				lt = i
			}
			found = io.MultiReader(bytes.NewReader(append([]byte(nil), data[lt:]...)), rc)
			break
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, nil
		}
		if err != nil {
			return nil, &Error{File: wb.file, Sheet: sh.name, Reason: "the sheet XML is unreadable", Err: err}
		}
		keep = copy(buf, data[len(data)-16:])
	}
	x := newXMLScanner(found, 1<<20, 64<<10)
	var out []*merge
	for {
		t, err := x.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &Error{File: wb.file, Sheet: sh.name, Reason: "merged cells unreadable", Err: err}
		}
		if (t.kind == tStart || t.kind == tEmpty) && string(t.name) == "mergeCell" {
			ref, _ := attr(t.attrs, "ref")
			a, b, ok := bytes.Cut(ref, []byte(":"))
			if !ok {
				continue
			}
			c1, r1, ok1 := parseRef(a)
			c2, r2, ok2 := parseRef(b)
			if !ok1 || !ok2 || r1 == 0 || r2 < r1 || c2 < c1 {
				continue
			}
			out = append(out, &merge{r1: r1, c1: c1, r2: r2, c2: c2})
			if len(out) > 1_000_000 {
				return nil, &Error{File: wb.file, Sheet: sh.name, Reason: "more than a million merged ranges"}
			}
		}
		if t.kind == tEnd && string(t.name) == "mergeCells" {
			break
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].r1 < out[j].r1 })
	return out, nil
}

// xlsxSource streams the rows of one sheet.
type xlsxSource struct {
	wb     *workbook
	sh     *wbSheet
	rc     io.ReadCloser
	x      *xmlScanner
	sst    *sharedStrings
	merges []*merge
	active []*merge

	row     trow
	arena   []byte
	spans   []cellSpan
	rowNum  int
	inData  bool
	done    bool
	rawBuf  strings.Builder
	maxCols int
}

// cellSpan locates one cell's value while a row is read (the arena may
// move as it grows, so slices are made at the end of the row).
type cellSpan struct {
	col        int
	start, end int
	fromSST    bool
	sstIdx     int
	kind       uint8
	style      int
}

// openSheet starts streaming a sheet. Merged ranges are read first when
// the sheet is small or multiRowHeader is set.
func (wb *workbook) openSheet(sh *wbSheet, multiRowHeader bool) (*xlsxSource, error) {
	f := wb.part(sh.path)
	if f == nil {
		return nil, &Error{File: wb.file, Sheet: sh.name, Reason: "sheet part " + sh.path + " is missing from the workbook"}
	}
	sst, err := wb.loadSST()
	if err != nil {
		return nil, err
	}
	s := &xlsxSource{wb: wb, sh: sh, sst: sst, maxCols: wb.lim.MaxColumns}
	if multiRowHeader || f.UncompressedSize64 <= 8<<20 {
		if s.merges, err = wb.readMerges(sh); err != nil {
			return nil, err
		}
	}
	rc, err := wb.open(f)
	if err != nil {
		return nil, err
	}
	s.rc = rc
	s.x = newXMLScanner(rc, 2*wb.lim.MaxCellBytes+(1<<16), int64(f.UncompressedSize64))
	return s, nil
}

func (s *xlsxSource) close() {
	if s.rc != nil {
		s.rc.Close()
	}
}

func (s *xlsxSource) sheetName() string { return s.sh.name }
func (s *xlsxSource) strictWidth() bool { return false }

func (s *xlsxSource) colName(i int, label string) string {
	if label != "" {
		return columnLetter(i) + " (" + label + ")"
	}
	return columnLetter(i)
}

// raw renders the current row as tab-separated cell values.
func (s *xlsxSource) raw() string {
	s.rawBuf.Reset()
	last := len(s.row.cells) - 1
	for last >= 0 && len(s.row.cells[last].b) == 0 {
		last--
	}
	for i := 0; i <= last; i++ {
		if i > 0 {
			s.rawBuf.WriteByte('\t')
		}
		s.rawBuf.Write(s.row.cells[i].b)
	}
	return s.rawBuf.String()
}

func (s *xlsxSource) fault(line int, col string, reason string, err error) error {
	return &Error{File: s.wb.file, Sheet: s.sh.name, Line: line, Column: col, Reason: reason, Err: err}
}

// next returns the next row with a non-blank cell.
func (s *xlsxSource) next() (*trow, error) {
	for {
		r, err := s.readRow()
		if err != nil {
			return nil, err
		}
		if !r.blank() {
			return r, nil
		}
	}
}

// readRow reads the next <row> element.
func (s *xlsxSource) readRow() (*trow, error) {
	if s.done {
		return nil, io.EOF
	}
	for {
		t, err := s.x.next()
		if err == io.EOF {
			s.done = true
			if !s.inData {
				return nil, s.fault(0, "", "the sheet has no sheetData element (truncated?)", nil)
			}
			return nil, s.fault(s.rowNum, "", "the sheet XML ends inside the data (truncated?)", nil)
		}
		if err != nil {
			return nil, s.fault(s.rowNum, "", "the sheet XML is unreadable", err)
		}
		if t.kind == tText {
			continue
		}
		switch string(t.name) {
		case "sheetData":
			switch t.kind {
			case tStart:
				s.inData = true
			case tEmpty:
				s.inData, s.done = true, true
				return nil, io.EOF
			case tEnd:
				s.done = true
				return nil, io.EOF
			}
		case "row":
			if !s.inData || t.kind == tEnd {
				continue
			}
			n := s.rowNum + 1
			if v, ok := attr(t.attrs, "r"); ok {
				rn, ok := atoiBytes(v)
				if !ok || rn < 1 || rn > 1<<20 {
					return nil, s.fault(s.rowNum+1, "", fmt.Sprintf("row number %q is not valid", v), nil)
				}
				if rn <= s.rowNum {
					return nil, s.fault(rn, "", fmt.Sprintf("row %d comes after row %d", rn, s.rowNum), nil)
				}
				n = rn
			}
			s.rowNum = n
			s.spans = s.spans[:0]
			s.arena = s.arena[:0]
			if t.kind == tStart {
				if err := s.readCells(); err != nil {
					return nil, err
				}
			}
			return s.buildRow(), nil
		}
	}
}

// readCells reads the <c> elements of the current row up to </row>.
func (s *xlsxSource) readCells() error {
	col := -1
	for {
		if done, err := s.fastCell(&col); err != nil || done {
			if err != nil {
				return err
			}
			continue
		}
		t, err := s.x.next()
		if err != nil {
			if err == io.EOF {
				return s.fault(s.rowNum, "", "the sheet XML ends inside a row (truncated?)", nil)
			}
			return s.fault(s.rowNum, "", "the sheet XML is unreadable", err)
		}
		switch t.kind {
		case tText:
			continue
		case tEnd:
			if string(t.name) == "row" {
				return nil
			}
			continue
		}
		if len(t.name) != 1 || t.name[0] != 'c' {
			if t.kind == tStart {
				if err := s.skipElement(t.name); err != nil {
					return err
				}
			}
			continue
		}
		sp := cellSpan{col: col + 1, kind: ckNumber}
		ref, style, typ, ok := cellAttrs(t.attrs)
		if !ok {
			return s.fault(s.rowNum, "", fmt.Sprintf("cell attributes %q are not valid", t.attrs), nil)
		}
		if ref != nil {
			c, _, ok := parseRef(ref)
			if !ok {
				return s.fault(s.rowNum, "", fmt.Sprintf("cell reference %q is not valid", ref), nil)
			}
			sp.col = c
		}
		if sp.col >= s.maxCols {
			return s.fault(s.rowNum, columnLetter(min(sp.col, 16383)), fmt.Sprintf("more than %d columns, the limit", s.maxCols), nil)
		}
		col = sp.col
		sp.style = style
		if t.kind == tEmpty {
			continue // a formatted cell without a value
		}
		// t.attrs dies with the next read: keep the type as a code.
		body, err := s.x.cellBody()
		if err != nil {
			if err == io.EOF {
				return s.fault(s.rowNum, columnLetter(sp.col), "the sheet XML ends inside a cell (truncated?)", nil)
			}
			return s.fault(s.rowNum, columnLetter(sp.col), "the sheet XML is unreadable", err)
		}
		if err := s.readCell(&sp, typ, body); err != nil {
			return err
		}
	}
}

// fastCell reads a plain <c ...>...</c> element straight from the
// scanner's buffer when one starts there: attributes r, s, t and a value
// in <v> or a simple inline string. It reports done=false (having
// consumed nothing) for anything else, which the tokenizer then handles.
func (s *xlsxSource) fastCell(col *int) (bool, error) {
	x := s.x
	for tries := 0; tries < 2; tries++ {
		b := x.buf[x.pos:x.end]
		if len(b) < 4 || b[0] != '<' || b[1] != 'c' || !(isXMLSpace(b[2]) || b[2] == '>' || b[2] == '/') {
			if len(b) < 4 && !x.eof && tries == 0 && x.more() {
				continue
			}
			return false, nil
		}
		var ref []byte
		style, typ := 0, ctNumber
		i := 2
		for {
			for i < len(b) && isXMLSpace(b[i]) {
				i++
			}
			if i >= len(b) {
				break
			}
			if b[i] == '>' || (b[i] == '/' && i+1 < len(b) && b[i+1] == '>') {
				break
			}
			ks := i
			for i < len(b) && b[i] != '=' && !isXMLSpace(b[i]) && b[i] != '>' {
				i++
			}
			key := b[ks:i]
			if i+1 >= len(b) || b[i] != '=' || (b[i+1] != '"' && b[i+1] != '\'') {
				i = len(b) // not the simple form; let the tokenizer judge
				break
			}
			q := b[i+1]
			e := bytes.IndexByte(b[i+2:], q)
			if e < 0 {
				i = len(b)
				break
			}
			val := b[i+2 : i+2+e]
			i += 2 + e + 1
			if len(key) == 1 {
				switch key[0] {
				case 'r':
					ref = val
				case 's':
					style, _ = atoiBytes(val)
				case 't':
					switch string(val) {
					case "s":
						typ = ctShared
					case "n":
					case "str", "inlineStr", "d":
						typ = ctString
					case "b":
						typ = ctBool
					case "e":
						typ = ctError
					default:
						typ = ctBad
					}
				}
			}
		}
		if i >= len(b) {
			if tries == 0 && !x.eof && x.more() {
				continue // the tag runs past the buffer: read on, try again
			}
			return false, nil
		}
		sp := cellSpan{col: *col + 1, style: style}
		if ref != nil {
			c, _, ok := parseRef(ref)
			if !ok {
				return true, s.fault(s.rowNum, "", fmt.Sprintf("cell reference %q is not valid", ref), nil)
			}
			sp.col = c
		}
		if sp.col >= s.maxCols {
			return true, s.fault(s.rowNum, columnLetter(min(sp.col, 16383)), fmt.Sprintf("more than %d columns, the limit", s.maxCols), nil)
		}
		*col = sp.col
		if b[i] == '/' {
			x.pos += i + 2
			return true, nil
		}
		x.pos += i + 1
		body, err := x.cellBody()
		if err != nil {
			if err == io.EOF {
				return true, s.fault(s.rowNum, columnLetter(sp.col), "the sheet XML ends inside a cell (truncated?)", nil)
			}
			return true, s.fault(s.rowNum, columnLetter(sp.col), "the sheet XML is unreadable", err)
		}
		return true, s.readCell(&sp, typ, body)
	}
	return false, nil
}

// Cell type codes from the t attribute.
const (
	ctNumber uint8 = iota
	ctShared
	ctString // str, inlineStr, d (ISO date text)
	ctBool
	ctError
	ctBad
)

// cellAttrs reads r, s and t of a <c> tag in one pass.
func cellAttrs(attrs []byte) (ref []byte, style int, typ uint8, ok bool) {
	i := 0
	for {
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		if i >= len(attrs) {
			return ref, style, typ, true
		}
		eq := bytes.IndexByte(attrs[i:], '=')
		if eq < 0 {
			return nil, 0, 0, false
		}
		key := attrs[i : i+eq]
		for len(key) > 0 && isXMLSpace(key[len(key)-1]) {
			key = key[:len(key)-1]
		}
		i += eq + 1
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		if i >= len(attrs) || (attrs[i] != '"' && attrs[i] != '\'') {
			return nil, 0, 0, false
		}
		q := attrs[i]
		end := bytes.IndexByte(attrs[i+1:], q)
		if end < 0 {
			return nil, 0, 0, false
		}
		val := attrs[i+1 : i+1+end]
		i += end + 2
		if c := bytes.LastIndexByte(key, ':'); c >= 0 {
			key = key[c+1:]
		}
		if len(key) != 1 {
			continue
		}
		switch key[0] {
		case 'r':
			ref = val
		case 's':
			style, _ = atoiBytes(val)
		case 't':
			switch string(val) {
			case "n", "":
				typ = ctNumber
			case "s":
				typ = ctShared
			case "str", "inlineStr", "d":
				typ = ctString
			case "b":
				typ = ctBool
			case "e":
				typ = ctError
			default:
				typ = ctBad
			}
		}
	}
}

// cellBody returns the content of the <c> element whose start tag was
// just read, and moves past its end tag. Cell content holds no '<' in
// text, so the first "</c>" (or "</x:c>") ends it.
func (x *xmlScanner) cellBody() ([]byte, error) {
	// The common case, <v>123</v></c>, without a general search.
	if b := x.buf[x.pos:x.end]; len(b) > 3 && b[0] == '<' && b[1] == 'v' && b[2] == '>' {
		if j := bytes.IndexByte(b[3:], '<'); j >= 0 && len(b) >= 3+j+8 && string(b[3+j:3+j+8]) == "</v></c>" {
			body := b[:3+j+4]
			x.pos += 3 + j + 8
			return body, nil
		}
	}
	from := x.pos
	for {
		i := bytes.Index(x.buf[from:x.end], []byte("c>"))
		if i >= 0 {
			j := from + i
			k := j - 1
			if k-1 >= x.pos && x.buf[k] == '/' && x.buf[k-1] == '<' {
				body := x.buf[x.pos : k-1]
				x.pos = j + 2
				return body, nil
			}
			if k > x.pos && x.buf[k] == ':' {
				m := k - 1
				for m > x.pos && isNameByte(x.buf[m]) {
					m--
				}
				if m-1 >= x.pos && x.buf[m] == '/' && x.buf[m-1] == '<' {
					body := x.buf[x.pos : m-1]
					x.pos = j + 2
					return body, nil
				}
			}
			from = j + 1
			continue
		}
		rel := x.end - 1 - x.pos
		if rel < from-x.pos {
			rel = from - x.pos
		}
		if !x.more() {
			if x.err != nil {
				return nil, x.err
			}
			return nil, io.EOF
		}
		from = x.pos + rel
	}
}

func isNameByte(c byte) bool {
	return c == '_' || c == '-' || c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// readCell reads a cell's content into sp: "<v>123</v>" and
// "<is><t>text</t></is>" directly, anything else (formulas, rich text,
// phonetic runs) through the tokenizer.
func (s *xlsxSource) readCell(sp *cellSpan, typ uint8, body []byte) error {
	sp.start = len(s.arena)
	has := false
	switch {
	case len(body) >= 7 && string(body[:3]) == "<v>" && bytes.IndexByte(body[3:], '<') == len(body)-7 && string(body[len(body)-4:]) == "</v>":
		s.arena = appendUnescaped(s.arena, body[3:len(body)-4])
		has = true
	case len(body) >= 16 && string(body[:7]) == "<is><t>" && bytes.IndexByte(body[7:], '<') == len(body)-16 && string(body[len(body)-9:]) == "</t></is>":
		s.arena = appendOOXMLText(s.arena, body[7:len(body)-9])
		has = true
	case len(body) == 0:
	default:
		var err error
		has, err = s.slowCell(sp, body)
		if err != nil {
			return err
		}
	}
	if len(s.arena)-sp.start > s.wb.lim.MaxCellBytes {
		return s.fault(s.rowNum, columnLetter(sp.col), fmt.Sprintf("cell longer than %d bytes, the limit", s.wb.lim.MaxCellBytes), nil)
	}
	sp.end = len(s.arena)
	if !has {
		return nil // formula without a cached value, or empty
	}
	return s.finishCell(sp, typ)
}

// slowCell tokenizes a cell body: the cached value of a formula (<f> is
// skipped), rich-text runs of an inline string joined, phonetic runs
// (rPh) dropped.
func (s *xlsxSource) slowCell(sp *cellSpan, body []byte) (bool, error) {
	x := &xmlScanner{buf: body, end: len(body), eof: true, max: len(body)}
	inV, inT, inPh, inIs, skip := false, false, 0, false, 0
	has := false
	var skipName string
	for {
		t, err := x.next()
		if err == io.EOF {
			return has, nil
		}
		if err != nil {
			return false, s.fault(s.rowNum, columnLetter(sp.col), "the cell's XML is unreadable", err)
		}
		if skip > 0 {
			if string(t.name) == skipName {
				switch t.kind {
				case tStart:
					skip++
				case tEnd:
					skip--
				}
			}
			continue
		}
		switch t.kind {
		case tText:
			if inV || (inIs && inT && inPh == 0) {
				switch {
				case t.cdata:
					s.arena = append(s.arena, t.text...)
				case inIs:
					s.arena = appendOOXMLText(s.arena, t.text)
				default:
					s.arena = appendUnescaped(s.arena, t.text)
				}
			}
		case tStart, tEmpty:
			switch string(t.name) {
			case "v":
				inV = t.kind == tStart
				has = true
			case "is":
				inIs = t.kind == tStart
				has = true
			case "t":
				inT = t.kind == tStart
			case "rPh":
				if t.kind == tStart {
					inPh++
				}
			case "f", "extLst":
				if t.kind == tStart {
					skip, skipName = 1, string(t.name)
				}
			}
		case tEnd:
			switch string(t.name) {
			case "v":
				inV = false
			case "is":
				inIs = false
			case "t":
				inT = false
			case "rPh":
				if inPh > 0 {
					inPh--
				}
			}
		}
	}
}

// finishCell types a cell by its t attribute and records it.
func (s *xlsxSource) finishCell(sp *cellSpan, typ uint8) error {
	switch typ {
	case ctShared:
		idx, ok := atoiBytes(bytes.TrimSpace(s.arena[sp.start:sp.end]))
		if _, in := s.sst.get(idx); !ok || !in {
			// Keep the fault in the cell: the row is rejected, not the file.
			s.arena = append(s.arena[:sp.start], fmt.Sprintf("#SST! (shared string %q does not exist)", s.arena[sp.start:sp.end])...)
			sp.end = len(s.arena)
			sp.kind = ckError
			break
		}
		sp.fromSST, sp.sstIdx, sp.kind = true, idx, ckText
	case ctString:
		sp.kind = ckText
	case ctBool:
		sp.kind = ckBool
	case ctError:
		sp.kind = ckError
	case ctBad:
		s.arena = append(s.arena[:sp.start], "#TYPE! (unknown cell type)"...)
		sp.end = len(s.arena)
		sp.kind = ckError
	default:
		sp.kind = ckNumber
		if sp.end == sp.start {
			sp.kind = ckText
		}
	}
	s.spans = append(s.spans, *sp)
	return nil
}

// skipElement skips to the end of the element just started.
func (s *xlsxSource) skipElement(name []byte) error {
	want := string(name)
	depth := 1
	for depth > 0 {
		t, err := s.x.next()
		if err != nil {
			if err == io.EOF {
				return s.fault(s.rowNum, "", "the sheet XML ends inside <"+want+"> (truncated?)", nil)
			}
			return s.fault(s.rowNum, "", "the sheet XML is unreadable", err)
		}
		if string(t.name) != want {
			continue
		}
		switch t.kind {
		case tStart:
			depth++
		case tEnd:
			depth--
		}
	}
	return nil
}

// buildRow turns the spans into cells, filling merged ranges.
func (s *xlsxSource) buildRow() *trow {
	width := 0
	for _, sp := range s.spans {
		if sp.col+1 > width {
			width = sp.col + 1
		}
	}
	s.updateMerges()
	for _, m := range s.active {
		if m.c2+1 > width {
			width = m.c2 + 1
		}
	}
	cells := s.row.cells[:0]
	for i := 0; i < width; i++ {
		cells = append(cells, tcell{})
	}
	for _, sp := range s.spans {
		c := &cells[sp.col]
		if sp.fromSST {
			c.b, _ = s.sst.get(sp.sstIdx)
		} else {
			c.b = s.arena[sp.start:sp.end:sp.end]
		}
		c.kind = sp.kind
		if sp.kind == ckNumber && sp.style < len(s.wb.styles) {
			st := s.wb.styles[sp.style]
			c.date, c.pct = st.date, st.pct
		}
	}
	for _, m := range s.active {
		if s.rowNum == m.r1 && m.c1 < len(cells) {
			m.val = append([]byte(nil), cells[m.c1].b...)
			m.have = true
			continue
		}
		if !m.have {
			continue
		}
		for c := m.c1; c <= m.c2 && c < len(cells); c++ {
			if len(cells[c].b) == 0 {
				cells[c] = tcell{b: m.val}
			}
		}
	}
	for _, m := range s.active {
		if s.rowNum == m.r1 {
			for c := m.c1 + 1; c <= m.c2 && c < len(cells); c++ {
				if len(cells[c].b) == 0 {
					cells[c] = tcell{b: m.val}
				}
			}
		}
	}
	s.row.cells = cells
	s.row.pos = s.rowNum
	s.row.line = s.rowNum
	return &s.row
}

// updateMerges keeps the merged ranges covering the current row.
func (s *xlsxSource) updateMerges() {
	if len(s.merges) == 0 && len(s.active) == 0 {
		return
	}
	keep := s.active[:0]
	for _, m := range s.active {
		if m.r2 >= s.rowNum {
			keep = append(keep, m)
		}
	}
	s.active = keep
	for len(s.merges) > 0 && s.merges[0].r1 <= s.rowNum {
		m := s.merges[0]
		s.merges = s.merges[1:]
		if m.r2 >= s.rowNum {
			s.active = append(s.active, m)
		}
	}
}

// sheetHead is the first rows of a sheet, copied, for recognition.
type sheetHead struct {
	sh   *wbSheet
	rows []trow
}

func (wb *workbook) readHead(sh *wbSheet, n int) (*sheetHead, error) {
	src, err := wb.openSheet(sh, false)
	if err != nil {
		return nil, err
	}
	defer src.close()
	h := &sheetHead{sh: sh}
	for len(h.rows) < n {
		r, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		cp := trow{pos: r.pos, line: r.line, cells: make([]tcell, len(r.cells))}
		for i, c := range r.cells {
			cp.cells[i] = c
			cp.cells[i].b = append([]byte(nil), c.b...)
		}
		h.rows = append(h.rows, cp)
	}
	return h, nil
}

func (h *sheetHead) source() tableSource { return &headSource{h: h} }

// headSource replays a sheetHead to readHeader.
type headSource struct {
	h *sheetHead
	i int
}

func (s *headSource) next() (*trow, error) {
	if s.i >= len(s.h.rows) {
		return nil, io.EOF
	}
	s.i++
	return &s.h.rows[s.i-1], nil
}
func (s *headSource) raw() string                        { return "" }
func (s *headSource) sheetName() string                  { return s.h.sh.name }
func (s *headSource) strictWidth() bool                  { return false }
func (s *headSource) colName(i int, label string) string { return columnLetter(i) }
