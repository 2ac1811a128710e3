package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a small pull tokenizer for the parts of an xlsx package
// that can be large (sheets, shared strings). encoding/xml allocates per
// token and per attribute and is what makes excelize slow; sheet XML
// needs none of its generality: no DTDs, no namespaces beyond prefixes.
// Tokens point into the scanner's buffer and are valid until next call.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error
	max      int // longest token allowed
}

type xmlTok struct {
	kind  uint8
	name  []byte // local name, prefix stripped
	attrs []byte // raw attribute text of a start tag
	text  []byte // text (entities not yet decoded) or CDATA
	cdata bool
}

const (
	tText uint8 = iota
	tStart
	tEnd
	tEmpty // <x/>
)

var errXMLTooLong = errors.New("XML token too long")

// newXMLScanner reads r, expected to be about size bytes, holding tokens
// up to max bytes.
func newXMLScanner(r io.Reader, max int, size int64) *xmlScanner {
	if max < 1<<16 {
		max = 1 << 16
	}
	n := int(min(max64(size, 4<<10)+64, 256<<10))
	return &xmlScanner{r: r, buf: make([]byte, n), max: max}
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// more reads further input, keeping buf[pos:end]. It returns false at
// the end of input or on error (x.err).
func (x *xmlScanner) more() bool {
	if x.eof || x.err != nil {
		return false
	}
	if x.pos > 0 {
		copy(x.buf, x.buf[x.pos:x.end])
		x.end -= x.pos
		x.pos = 0
	}
	if x.end == len(x.buf) {
		if len(x.buf) >= x.max {
			x.err = errXMLTooLong
			return false
		}
		n := len(x.buf) * 2
		if n > x.max {
			n = x.max
		}
		nb := make([]byte, n)
		copy(nb, x.buf[:x.end])
		x.buf = nb
	}
	for {
		n, err := x.r.Read(x.buf[x.end:])
		x.end += n
		if err == io.EOF {
			x.eof = true
			return n > 0
		}
		if err != nil {
			x.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// next returns the next token, or io.EOF at the end of input.
func (x *xmlScanner) next() (xmlTok, error) {
	for {
		if x.pos >= x.end && !x.more() {
			if x.err != nil {
				return xmlTok{}, x.err
			}
			return xmlTok{}, io.EOF
		}
		if x.buf[x.pos] != '<' {
			i := bytes.IndexByte(x.buf[x.pos:x.end], '<')
			if i < 0 {
				if x.pos == 0 && x.end == len(x.buf) && len(x.buf) >= x.max {
					// Text longer than the buffer may hold (whitespace
					// padding): hand it out in pieces.
					t := xmlTok{kind: tText, text: x.buf[:x.end]}
					x.pos = x.end
					return t, nil
				}
				if x.more() {
					continue
				}
				if x.err != nil {
					return xmlTok{}, x.err
				}
				t := xmlTok{kind: tText, text: x.buf[x.pos:x.end]}
				x.pos = x.end
				return t, nil
			}
			t := xmlTok{kind: tText, text: x.buf[x.pos : x.pos+i]}
			x.pos += i
			return t, nil
		}
		// Markup: make sure the whole of it is in the buffer.
		for x.end-x.pos < 9 && !x.eof && x.err == nil {
			x.more()
		}
		if x.err != nil {
			return xmlTok{}, x.err
		}
		rest := x.buf[x.pos:x.end]
		if len(rest) > 1 && rest[1] != '!' && rest[1] != '?' {
			gt := tagEnd(rest)
			if gt < 0 {
				if x.more() {
					continue
				}
				if x.err != nil {
					return xmlTok{}, x.err
				}
				return xmlTok{}, x.fail("unterminated tag")
			}
			content := rest[1:gt]
			x.pos += gt + 1
			return parseTag(content)
		}
		if bytes.HasPrefix(rest, []byte("<!--")) {
			if !x.skipPast(4, []byte("-->")) {
				return xmlTok{}, x.fail("unterminated comment")
			}
			continue
		}
		if bytes.HasPrefix(rest, []byte("<![CDATA[")) {
			i := bytes.Index(rest[9:], []byte("]]>"))
			if i < 0 {
				if x.more() {
					continue
				}
				return xmlTok{}, x.fail("unterminated CDATA section")
			}
			t := xmlTok{kind: tText, text: rest[9 : 9+i], cdata: true}
			x.pos += 9 + i + 3
			return t, nil
		}
		if bytes.HasPrefix(rest, []byte("<?")) {
			if !x.skipPast(2, []byte("?>")) {
				return xmlTok{}, x.fail("unterminated processing instruction")
			}
			continue
		}
		if bytes.HasPrefix(rest, []byte("<!")) {
			return xmlTok{}, x.fail("DTDs and declarations are not allowed in xlsx parts")
		}
		gt := tagEnd(rest)
		if gt < 0 {
			if x.more() {
				continue
			}
			if x.err != nil {
				return xmlTok{}, x.err
			}
			return xmlTok{}, x.fail("unterminated tag")
		}
		content := rest[1:gt]
		x.pos += gt + 1
		return parseTag(content)
	}
}

func (x *xmlScanner) fail(reason string) error {
	if x.err != nil {
		return x.err
	}
	x.err = errors.New(reason)
	return x.err
}

// skipPast advances past the next occurrence of sep at or after offset
// skip from the current position.
func (x *xmlScanner) skipPast(skip int, sep []byte) bool {
	from := x.pos + skip
	for {
		if from > x.end {
			from = x.end
		}
		if i := bytes.Index(x.buf[from:x.end], sep); i >= 0 {
			x.pos = from + i + len(sep)
			return true
		}
		// Keep a tail in which a separator split across reads may start.
		keep := x.end - (len(sep) - 1)
		if keep < from {
			keep = from
		}
		x.pos = keep
		if !x.more() {
			return false
		}
		from = x.pos
	}
}

// tagEnd finds the '>' closing the tag at the start of b, skipping quoted
// attribute values (which may hold '>').
func tagEnd(b []byte) int {
	i := 1
	for {
		gt := bytes.IndexByte(b[i:], '>')
		if gt < 0 {
			return -1
		}
		gt += i
		seg := b[i:gt]
		q := bytes.IndexByte(seg, '"')
		if q2 := bytes.IndexByte(seg, '\''); q2 >= 0 && (q < 0 || q2 < q) {
			q = q2
		}
		if q < 0 {
			return gt
		}
		q += i
		end := bytes.IndexByte(b[q+1:], b[q])
		if end < 0 {
			return -1
		}
		i = q + 1 + end + 1
	}
}

func parseTag(content []byte) (xmlTok, error) {
	if len(content) == 0 {
		return xmlTok{}, errors.New("empty tag")
	}
	t := xmlTok{kind: tStart}
	if content[0] == '/' {
		t.kind = tEnd
		content = content[1:]
	} else if content[len(content)-1] == '/' {
		t.kind = tEmpty
		content = content[:len(content)-1]
	}
	i := 0
	for i < len(content) && !isXMLSpace(content[i]) {
		i++
	}
	name := content[:i]
	if c := bytes.LastIndexByte(name, ':'); c >= 0 {
		name = name[c+1:]
	}
	if len(name) == 0 {
		return xmlTok{}, errors.New("tag without a name")
	}
	t.name = name
	t.attrs = content[i:]
	return t, nil
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// attr finds attribute name (local part) in raw attribute text; values
// are returned undecoded.
func attr(attrs []byte, name string) ([]byte, bool) {
	i := 0
	for i < len(attrs) {
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		start := i
		for i < len(attrs) && attrs[i] != '=' && !isXMLSpace(attrs[i]) {
			i++
		}
		key := attrs[start:i]
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		if i >= len(attrs) || attrs[i] != '=' {
			return nil, false
		}
		i++
		for i < len(attrs) && isXMLSpace(attrs[i]) {
			i++
		}
		if i >= len(attrs) || (attrs[i] != '"' && attrs[i] != '\'') {
			return nil, false
		}
		q := attrs[i]
		i++
		vs := i
		j := bytes.IndexByte(attrs[i:], q)
		if j < 0 {
			return nil, false
		}
		i += j
		val := attrs[vs:i]
		i++
		if c := bytes.LastIndexByte(key, ':'); c >= 0 {
			if string(key[:c]) == "xmlns" {
				continue
			}
			key = key[c+1:]
		}
		if string(key) == name {
			return val, true
		}
	}
	return nil, false
}

// appendUnescaped appends XML text with entities and character
// references decoded; an unknown entity is kept as written.
func appendUnescaped(dst, src []byte) []byte {
	for {
		i := bytes.IndexByte(src, '&')
		if i < 0 {
			return append(dst, src...)
		}
		dst = append(dst, src[:i]...)
		src = src[i:]
		semi := bytes.IndexByte(src, ';')
		if semi < 0 || semi > 12 {
			dst = append(dst, '&')
			src = src[1:]
			continue
		}
		ent := src[1:semi]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			r, ok := charRef(ent)
			if !ok {
				dst = append(dst, src[:semi+1]...)
				src = src[semi+1:]
				continue
			}
			dst = utf8.AppendRune(dst, r)
		}
		src = src[semi+1:]
	}
}

func charRef(ent []byte) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var v uint64
	var err error
	if ent[1] == 'x' || ent[1] == 'X' {
		v, err = strconv.ParseUint(string(ent[2:]), 16, 32)
	} else {
		v, err = strconv.ParseUint(string(ent[1:]), 10, 32)
	}
	if err != nil || v > utf8.MaxRune || (v >= 0xD800 && v <= 0xDFFF) {
		return 0, false
	}
	return rune(v), true
}

// appendOOXMLText appends text of a <t> element: XML entities decoded and
// OOXML's _xHHHH_ escapes (Excel writes a carriage return as _x000D_)
// turned back into characters.
func appendOOXMLText(dst, src []byte) []byte {
	start := len(dst)
	dst = appendUnescaped(dst, src)
	if bytes.Index(dst[start:], []byte("_x")) < 0 {
		return dst
	}
	seg := append([]byte(nil), dst[start:]...)
	dst = dst[:start]
	for {
		i := bytes.Index(seg, []byte("_x"))
		if i < 0 || len(seg) < i+7 {
			return append(dst, seg...)
		}
		if seg[i+6] == '_' {
			if v, err := strconv.ParseUint(string(seg[i+2:i+6]), 16, 16); err == nil {
				dst = append(dst, seg[:i]...)
				dst = utf8.AppendRune(dst, rune(v))
				seg = seg[i+7:]
				continue
			}
		}
		dst = append(dst, seg[:i+2]...)
		seg = seg[i+2:]
	}
}

// parseRef splits a cell reference "AB12" into a 0-based column and the
// row number.
func parseRef(ref []byte) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && i < 4 {
		c := ref[i]
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c < 'A' || c > 'Z' {
			break
		}
		col = col*26 + int(c-'A'+1)
		i++
	}
	if i == 0 || col > 16384 {
		return 0, 0, false
	}
	if i < len(ref) && ref[i] == '$' {
		i++
	}
	if i == len(ref) {
		return col - 1, 0, true
	}
	n, err := strconv.Atoi(string(ref[i:]))
	if err != nil || n < 1 || n > 1<<20 {
		return 0, 0, false
	}
	return col - 1, n, true
}

// atoiBytes parses a small non-negative decimal integer.
func atoiBytes(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func xmlErr(part string, err error) error {
	return fmt.Errorf("%s: %w", part, err)
}
