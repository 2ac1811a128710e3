package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
)

// PX (PC-Axis) is the text format of SCB's and the other Nordic statistical
// databases: a list of keywords, KEYWORD[lang]("sub","keys")=value; then
// DATA= with the cells of the cube in row-major order: the STUB variables
// then the HEADING variables, the last one varying fastest.
//
// The keyword section is lexed as bytes (every structural character is
// ASCII in all the encodings PX uses) and its strings are decoded once the
// encoding is known, so CHARSET and CODEPAGE may come anywhere before DATA.
// Encoding: CODEPAGE when present (iso-8859-1, iso-8859-15, windows-1252,
// utf-8, ibm850), else CHARSET="ANSI" = Windows-1252, else UTF-8; a file
// that declares neither and is not valid UTF-8 is read as Windows-1252 (the
// Meta.Description says so). Any other CHARSET or CODEPAGE is an error.
//
// Keywords with a language suffix (VALUES[sv]("region")) belong to a
// secondary language and are skipped: jamstat reads the default LANGUAGE.
//
// The DATA section is streamed: cells become Observations as they are read,
// and a count that does not match the product of the VALUES counts is an
// *Error (the store discards the partial load). A missing final ';' is
// accepted when the count is right: SCB's own example files end that way.
// KEYS (sparse rows) is not supported and is reported as such.
func init() { register(FormatPX, ParsePX) }

// pxKeyword is one keyword as written, strings still undecoded.
type pxKeyword struct {
	Name    string
	Lang    string
	Subkeys [][]byte
	Items   []pxItem
	Line    int
}

// pxItem is one comma-separated element of a keyword value: adjacent quoted
// strings are concatenated (PX continues long strings on the next line).
type pxItem struct {
	Raw    []byte
	Quoted bool
}

type pxLexer struct {
	r    *bufio.Reader
	line int
	file string
	lim  Limits
}

func (l *pxLexer) errf(line int, format string, args ...any) *Error {
	return &Error{File: l.file, Line: line, Reason: fmt.Sprintf(format, args...)}
}

func (l *pxLexer) next() (byte, error) {
	b, err := l.r.ReadByte()
	if err == nil && b == '\n' {
		l.line++
	}
	return b, err
}

func (l *pxLexer) peek() (byte, error) {
	p, err := l.r.Peek(1)
	if err != nil {
		return 0, err
	}
	return p[0], nil
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

func (l *pxLexer) skipSpace() error {
	for {
		b, err := l.peek()
		if err != nil {
			return err
		}
		if !isSpace(b) {
			return nil
		}
		l.next()
	}
}

// quoted reads a quoted string; the opening quote is already consumed.
func (l *pxLexer) quoted(kw string, buf []byte) ([]byte, error) {
	start := l.line
	for {
		b, err := l.next()
		if err != nil {
			return nil, l.errf(start, "file ends inside a quoted string of %s (truncated?)", kw)
		}
		if b == '"' {
			return buf, nil
		}
		if b == '\n' || b == '\r' {
			// PX strings do not span lines; a lost quote would swallow the file.
			return nil, l.errf(start, "unterminated string in %s", kw)
		}
		buf = append(buf, b)
		if len(buf) > l.lim.MaxCellBytes {
			return nil, l.errf(start, "value of %s is longer than the limit of %d bytes", kw, l.lim.MaxCellBytes)
		}
	}
}

// keyword reads the next keyword up to and including '=' and, unless it is
// DATA, its value up to ';'. It returns io.EOF when only blanks are left.
func (l *pxLexer) keyword() (*pxKeyword, error) {
	if err := l.skipSpace(); err != nil {
		return nil, err
	}
	kw := &pxKeyword{Line: l.line}
	var name []byte
	for {
		b, err := l.next()
		if err != nil {
			return nil, l.errf(kw.Line, "file ends inside keyword %q (truncated?)", name)
		}
		if b == '=' || b == '[' || b == '(' {
			kw.Name = strings.TrimSpace(string(name))
			if kw.Name == "" {
				return nil, l.errf(kw.Line, "keyword without a name")
			}
			if b == '[' {
				lang, err := l.until(kw.Name, ']')
				if err != nil {
					return nil, err
				}
				kw.Lang = string(lang)
				if b, err = l.afterSpace(kw.Name); err != nil {
					return nil, err
				}
			}
			if b == '(' {
				if err := l.subkeys(kw); err != nil {
					return nil, err
				}
				if b, err = l.afterSpace(kw.Name); err != nil {
					return nil, err
				}
			}
			if b != '=' {
				return nil, l.errf(l.line, "keyword %s: expected '=', found %q", kw.Name, b)
			}
			break
		}
		if b == ';' || b == '"' || b == '\n' || len(name) > 256 {
			return nil, l.errf(kw.Line, "malformed keyword %q", truncate(string(append(name, b)), 40))
		}
		name = append(name, b)
	}
	if kw.Name == "DATA" {
		return kw, nil
	}
	return kw, l.value(kw)
}

func (l *pxLexer) afterSpace(kw string) (byte, error) {
	if err := l.skipSpace(); err != nil {
		return 0, l.errf(l.line, "file ends inside keyword %s (truncated?)", kw)
	}
	b, _ := l.next()
	return b, nil
}

func (l *pxLexer) until(kw string, end byte) ([]byte, error) {
	var out []byte
	for {
		b, err := l.next()
		if err != nil {
			return nil, l.errf(l.line, "file ends inside keyword %s (truncated?)", kw)
		}
		if b == end {
			return out, nil
		}
		if b == '\n' || len(out) > 256 {
			return nil, l.errf(l.line, "keyword %s: missing %q", kw, end)
		}
		out = append(out, b)
	}
}

// subkeys reads ("a","b") after the '('.
func (l *pxLexer) subkeys(kw *pxKeyword) error {
	for {
		if err := l.skipSpace(); err != nil {
			return l.errf(l.line, "file ends inside keyword %s (truncated?)", kw.Name)
		}
		b, _ := l.next()
		switch b {
		case ')':
			return nil
		case ',':
		case '"':
			s, err := l.quoted(kw.Name, nil)
			if err != nil {
				return err
			}
			kw.Subkeys = append(kw.Subkeys, s)
		default:
			return l.errf(l.line, "keyword %s: unexpected %q in parentheses", kw.Name, b)
		}
	}
}

// value reads a keyword value up to ';'. Items are separated by commas; a
// trailing comma yields an empty last item (BE101ACE.px writes
// CODES("sex")="1","2",; for three VALUES, the third code being empty).
func (l *pxLexer) value(kw *pxKeyword) error {
	var cur pxItem
	started := false
	total := 0
	for {
		if err := l.skipSpace(); err != nil {
			return l.errf(kw.Line, "file ends inside the value of %s (truncated?)", kw.Name)
		}
		b, _ := l.next()
		switch b {
		case ';':
			if started || len(kw.Items) > 0 {
				kw.Items = append(kw.Items, cur)
			}
			return nil
		case ',':
			kw.Items = append(kw.Items, cur)
			cur, started = pxItem{}, true
		case '"':
			s, err := l.quoted(kw.Name, cur.Raw)
			if err != nil {
				return err
			}
			total += len(s) - len(cur.Raw)
			cur.Raw, cur.Quoted, started = s, true, true
		default:
			// A bare token: a number, YES/NO, or TLIST(A1, "1994"-"1996").
			tok := []byte{b}
			depth := 0
			if b == '(' {
				depth++
			}
			for {
				c, err := l.peek()
				if err != nil {
					return l.errf(kw.Line, "file ends inside the value of %s (truncated?)", kw.Name)
				}
				if depth == 0 && (c == ',' || c == ';' || isSpace(c)) {
					break
				}
				if c == '\n' {
					return l.errf(kw.Line, "keyword %s: unbalanced parentheses", kw.Name)
				}
				l.next()
				switch c {
				case '(':
					depth++
				case ')':
					depth--
				}
				tok = append(tok, c)
				if len(tok) > l.lim.MaxCellBytes {
					return l.errf(kw.Line, "value of %s is longer than the limit of %d bytes", kw.Name, l.lim.MaxCellBytes)
				}
			}
			total += len(tok)
			cur.Raw, started = append(cur.Raw, tok...), true
		}
		if total > l.lim.MaxCellBytes {
			return l.errf(kw.Line, "value of %s is longer than the limit of %d bytes", kw.Name, l.lim.MaxCellBytes)
		}
	}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// pxDecoder decodes the strings of a PX file.
type pxDecoder struct {
	dec  *encoding.Decoder // nil for UTF-8
	utf8 bool
}

func (d pxDecoder) str(b []byte) string {
	if d.dec == nil {
		if utf8.Valid(b) {
			return string(b)
		}
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	s, err := d.dec.Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(s)
}

// pxEncoding picks the decoder from CODEPAGE and CHARSET.
func pxEncoding(codepage, charset string, allValidUTF8 bool) (pxDecoder, string, error) {
	switch strings.ToLower(strings.TrimSpace(codepage)) {
	case "":
	case "utf-8", "utf8":
		return pxDecoder{utf8: true}, "", nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		return pxDecoder{dec: charmap.ISO8859_1.NewDecoder()}, "", nil
	case "iso-8859-15", "iso8859-15", "latin9":
		return pxDecoder{dec: charmap.ISO8859_15.NewDecoder()}, "", nil
	case "windows-1252", "cp1252", "ansi":
		return pxDecoder{dec: charmap.Windows1252.NewDecoder()}, "", nil
	case "ibm850", "cp850", "850":
		return pxDecoder{dec: charmap.CodePage850.NewDecoder()}, "", nil
	default:
		return pxDecoder{}, "", fmt.Errorf("unknown CODEPAGE %q (jamstat reads iso-8859-1, iso-8859-15, windows-1252, ibm850 and utf-8)", codepage)
	}
	switch strings.ToUpper(strings.TrimSpace(charset)) {
	case "ANSI":
		return pxDecoder{dec: charmap.Windows1252.NewDecoder()}, "", nil
	case "":
		if allValidUTF8 {
			return pxDecoder{utf8: true}, "", nil
		}
		return pxDecoder{dec: charmap.Windows1252.NewDecoder()}, "no CHARSET or CODEPAGE and not valid UTF-8: read as Windows-1252", nil
	default:
		return pxDecoder{}, "", fmt.Errorf("unknown CHARSET %q (PX knows only \"ANSI\"; set CODEPAGE for others)", charset)
	}
}

// ParsePX reads a PC-Axis file into sink, one Observation per cell.
func ParsePX(r io.ReaderAt, size int64, opts Options, sink Sink) (Meta, error) {
	meta := Meta{Format: string(FormatPX), Kind: "observation"}
	lim := opts.limits()
	lx := &pxLexer{r: bufio.NewReaderSize(io.NewSectionReader(r, 0, size), 64*1024), line: 1, file: opts.File, lim: lim}
	// Skip a UTF-8 byte order mark.
	if p, err := lx.r.Peek(3); err == nil && string(p) == "\xef\xbb\xbf" {
		lx.r.Discard(3)
	}
	var kws []*pxKeyword
	var dataKw *pxKeyword
	validUTF8 := true
	for {
		kw, err := lx.keyword()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return meta, err
		}
		if kw.Name == "DATA" {
			dataKw = kw
			break
		}
		if kw.Name == "KEYS" {
			return meta, lx.errf(kw.Line, "KEYS (sparse DATA rows) is not supported; export the table without KEYS")
		}
		for _, it := range kw.Items {
			if !utf8.Valid(it.Raw) {
				validUTF8 = false
			}
		}
		for _, s := range kw.Subkeys {
			if !utf8.Valid(s) {
				validUTF8 = false
			}
		}
		kws = append(kws, kw)
	}
	if dataKw == nil {
		if len(kws) == 0 {
			return meta, &Error{File: opts.File, Reason: "no PX keywords found"}
		}
		return meta, &Error{File: opts.File, Line: lx.line, Reason: "no DATA keyword (file truncated?)"}
	}
	h, err := pxHeader(kws, validUTF8, opts.File)
	if err != nil {
		return meta, err
	}
	meta.Title, meta.Source, meta.Description = h.title, h.source, h.note
	n, err := cubeCells(h.vars, lim.MaxRows)
	if err != nil {
		return meta, &Error{File: opts.File, Line: dataKw.Line, Reason: err.Error()}
	}
	m := newCubeMapper(h.meta, h.vars)
	read, err := pxData(lx, m, h.dec, n, sink)
	meta.RowsRead = read
	return meta, err
}

type pxHead struct {
	dec                 pxDecoder
	title, source, note string
	meta                cubeMeta
	vars                []cubeVar
}

// pxHeader interprets the keywords: encoding, language, variables.
func pxHeader(kws []*pxKeyword, validUTF8 bool, file string) (*pxHead, error) {
	first := map[string]*pxKeyword{} // default-language keywords without subkeys
	var codepage, charset, lang string
	for _, kw := range kws {
		switch kw.Name {
		case "CODEPAGE":
			codepage = itemsRaw(kw)
		case "CHARSET":
			charset = itemsRaw(kw)
		case "LANGUAGE":
			lang = itemsRaw(kw)
		}
	}
	dec, note, err := pxEncoding(codepage, charset, validUTF8)
	if err != nil {
		return nil, &Error{File: file, Reason: err.Error()}
	}
	h := &pxHead{note: note, dec: dec}
	// Per variable keywords, keyed by decoded variable name.
	values := map[string]*pxKeyword{}
	codes := map[string]*pxKeyword{}
	timevals := map[string]bool{}
	units := map[string]string{} // UNITS("content") per contents category
	var stub, heading []string
	for _, kw := range kws {
		if kw.Lang != "" && kw.Lang != lang {
			continue // a secondary language
		}
		sub := ""
		if len(kw.Subkeys) > 0 {
			sub = dec.str(kw.Subkeys[0])
		}
		switch {
		case kw.Name == "STUB" && sub == "":
			stub = decodeItems(dec, kw)
		case kw.Name == "HEADING" && sub == "":
			heading = decodeItems(dec, kw)
		case kw.Name == "VALUES" && sub != "":
			if values[sub] != nil {
				return nil, &Error{File: file, Line: kw.Line, Reason: fmt.Sprintf("VALUES(%q) given twice", sub)}
			}
			values[sub] = kw
		case kw.Name == "CODES" && sub != "":
			codes[sub] = kw
		case kw.Name == "TIMEVAL" && sub != "":
			timevals[sub] = true
		case kw.Name == "UNITS" && sub != "":
			units[sub] = strings.Join(decodeItems(dec, kw), "")
		case sub == "" && first[kw.Name] == nil:
			first[kw.Name] = kw
		}
	}
	get := func(name string) string {
		if kw := first[name]; kw != nil {
			return strings.Join(decodeItems(dec, kw), "")
		}
		return ""
	}
	h.title, h.source = get("TITLE"), get("SOURCE")
	h.meta.Unit = get("UNITS")
	switch {
	case get("MATRIX") != "":
		h.meta.Measure = get("MATRIX")
	case get("CONTENTS") != "":
		h.meta.Measure = slug(get("CONTENTS"))
	case h.title != "":
		h.meta.Measure = slug(h.title)
	default:
		h.meta.Measure = "px"
	}
	if len(stub)+len(heading) == 0 {
		return nil, &Error{File: file, Reason: "no STUB or HEADING keyword: the cube has no variables"}
	}
	seen := map[string]bool{}
	for _, name := range append(append([]string{}, stub...), heading...) {
		if seen[name] {
			return nil, &Error{File: file, Reason: fmt.Sprintf("variable %q appears twice in STUB/HEADING", name)}
		}
		seen[name] = true
		vk := values[name]
		if vk == nil {
			return nil, &Error{File: file, Reason: fmt.Sprintf("no VALUES for variable %q", name)}
		}
		v := cubeVar{Name: name, Labels: decodeItems(dec, vk)}
		if len(v.Labels) == 0 {
			return nil, &Error{File: file, Line: vk.Line, Reason: fmt.Sprintf("VALUES(%q) is empty", name)}
		}
		v.Codes = make([]string, len(v.Labels))
		if ck := codes[name]; ck != nil {
			c := decodeItems(dec, ck)
			// An empty code (BE101ACE.px: "1","2",; for men, women,
			// total) is tolerated: the category keeps its label as code.
			if len(c) != len(v.Labels) {
				return nil, &Error{File: file, Line: ck.Line, Reason: fmt.Sprintf("CODES(%q) has %d entries but VALUES has %d", name, len(c), len(v.Labels))}
			}
			copy(v.Codes, c)
		}
		v.Role = guessRole(name)
		switch {
		case timevals[name]:
			v.Role = roleTime
		case name == get("CONTVARIABLE"):
			v.Role = roleMetric // a PX 2000+ file naming its contents variable
		}
		if v.Role == roleMetric {
			v.Units = make([]string, len(v.Labels))
			for i := range v.Labels {
				v.Units[i] = units[v.Labels[i]]
			}
		}
		h.vars = append(h.vars, v)
	}
	return h, nil
}

func itemsRaw(kw *pxKeyword) string {
	var b strings.Builder
	for _, it := range kw.Items {
		b.Write(it.Raw)
	}
	return b.String()
}

func decodeItems(dec pxDecoder, kw *pxKeyword) []string {
	out := make([]string, len(kw.Items))
	for i, it := range kw.Items {
		out[i] = strings.TrimSpace(dec.str(it.Raw))
	}
	return out
}

// pxData streams the DATA section: n cells separated by blanks or commas,
// ended by ';' (or the end of the file). It returns the cells read.
func pxData(lx *pxLexer, m *cubeMapper, dec pxDecoder, n int, sink Sink) (int, error) {
	idx := make([]int, len(m.vars))
	read := 0
	tok := make([]byte, 0, 32)
	for {
		b, err := lx.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return read, &Error{File: lx.file, Line: lx.line, Reason: "cannot read DATA", Err: err}
		}
		if isSpace(b) || b == ',' {
			continue
		}
		if b == ';' {
			break
		}
		line := lx.line
		tok = tok[:0]
		if b == '"' {
			tok, err = lx.quoted("DATA", tok)
			if err != nil {
				return read, err
			}
		} else {
			tok = append(tok, b)
			for {
				c, err := lx.peek()
				if err != nil || isSpace(c) || c == ',' || c == ';' || c == '"' {
					break
				}
				lx.next()
				tok = append(tok, c)
				if len(tok) > 256 {
					return read, lx.errf(line, "DATA value %q... is too long", tok[:32])
				}
			}
		}
		if read == n {
			return read, lx.errf(line, "DATA has more values than the %d that VALUES imply", n)
		}
		if read > 0 {
			m.next(idx)
		}
		read++
		if f, ok := fastNumber(tok); ok {
			// The common case: a plain number, read without allocating.
			if err := m.emit(sink, idx, &f, "", line, ""); err != nil {
				return read, sinkErr(lx.file, line, err)
			}
			continue
		}
		s := dec.str(tok) // a symbol may be non-ASCII, e.g. SCB's en dash
		v, status, ok := parseCellValue(s)
		if !ok {
			if err := sink.Reject(Rejected{Line: line, Reason: fmt.Sprintf("DATA value %q is neither a number nor a symbol", truncate(s, 40)), Raw: m.describe(idx) + ": " + s}); err != nil {
				return read, sinkErr(lx.file, line, err)
			}
			continue
		}
		if err := m.emit(sink, idx, v, status, line, s); err != nil {
			return read, sinkErr(lx.file, line, err)
		}
	}
	if read != n {
		return read, lx.errf(lx.line, "DATA has %d values but VALUES imply %d (product of the category counts; file truncated?)", read, n)
	}
	return read, nil
}

// pow10 holds the powers of ten that float64 represents exactly.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// fastNumber reads a plain decimal such as 13201, -4 or 31000.5 exactly:
// with at most 15 digits the mantissa and the power of ten are both exact
// in a float64, so one division rounds correctly (Clinger's fast path).
// Anything else reports false and goes through strconv.
func fastNumber(b []byte) (float64, bool) {
	neg := false
	if len(b) > 0 && b[0] == '-' {
		neg, b = true, b[1:]
	}
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var mant int64
	digits, frac := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + int64(c-'0')
			digits++
		case c == '.' && frac < 0 && i > 0 && i < len(b)-1:
			frac = len(b) - i - 1
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 {
		return 0, false
	}
	f := float64(mant)
	if frac > 0 {
		f /= pow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}
