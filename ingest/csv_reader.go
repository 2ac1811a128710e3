package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// csvReader splits delimited text into records. It is hand-written
// because encoding/csv allocates per record and copies every field: here
// a record without quotes is split in place in the bufio buffer, and only
// records with quotes take the copying path. Quoting follows RFC 4180
// (quoted fields may hold delimiters, doubled quotes and line breaks) and
// is lenient where spreadsheets are sloppy: a quote inside an unquoted
// field, or text after a closing quote, is kept as text.
type csvReader struct {
	br      *bufio.Reader
	delim   byte
	line    int // physical lines consumed
	maxCell int
	maxCols int
	maxLine int

	fields [][]byte
	rec    []byte // field bytes of a quoted record
	ends   []int
	raw    []byte // a quoted record as written
	long   []byte // a line longer than the bufio buffer
	last   []byte // raw bytes of the last record
}

// csvFault is a fault that makes the rest of the file unreadable.
type csvFault struct {
	line   int
	reason string
}

func (f *csvFault) Error() string { return f.reason }

// newCSVReader reads with a buffer of bufSize bytes (clamped to 4 KiB –
// 256 KiB): small files and recognition heads should not pay for a big one.
func newCSVReader(r io.Reader, delim byte, lim Limits, bufSize int) *csvReader {
	bufSize = max(4<<10, min(bufSize, 256<<10))
	maxLine := 4 * lim.MaxCellBytes
	if maxLine < 8<<20 {
		maxLine = 8 << 20
	}
	return &csvReader{br: bufio.NewReaderSize(r, bufSize), delim: delim, maxCell: lim.MaxCellBytes, maxCols: lim.MaxColumns, maxLine: maxLine}
}

// readLine returns the next physical line including its '\n' (absent at
// EOF), or io.EOF when nothing is left.
func (r *csvReader) readLine() ([]byte, error) {
	l, err := r.br.ReadSlice('\n')
	if err == nil || (err == io.EOF && len(l) > 0) {
		return l, nil
	}
	if err != bufio.ErrBufferFull {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, err
	}
	r.long = append(r.long[:0], l...)
	for {
		l, err = r.br.ReadSlice('\n')
		r.long = append(r.long, l...)
		if len(r.long) > r.maxLine {
			return nil, &csvFault{line: r.line + 1, reason: fmt.Sprintf("line longer than %d bytes", r.maxLine)}
		}
		switch err {
		case nil, io.EOF:
			return r.long, nil
		case bufio.ErrBufferFull:
			continue
		default:
			return nil, err
		}
	}
}

func trimEOL(l []byte) []byte {
	if n := len(l); n > 0 && l[n-1] == '\n' {
		l = l[:n-1]
		if n := len(l); n > 0 && l[n-1] == '\r' {
			l = l[:n-1]
		}
	} else if n > 0 && l[n-1] == '\r' {
		l = l[:n-1]
	}
	return l
}

// read returns the next record's fields and the line it starts on. The
// fields are valid until the next call.
func (r *csvReader) read() ([][]byte, int, error) {
	l, err := r.readLine()
	if err != nil {
		return nil, r.line + 1, err
	}
	r.line++
	start := r.line
	if bytes.IndexByte(l, '"') >= 0 {
		return r.readQuoted(l, start)
	}
	body := trimEOL(l)
	r.last = body
	r.fields = r.fields[:0]
	for {
		i := bytes.IndexByte(body, r.delim)
		if i < 0 {
			r.fields = append(r.fields, body)
			break
		}
		r.fields = append(r.fields, body[:i])
		body = body[i+1:]
		if len(r.fields) >= r.maxCols {
			return nil, start, &csvFault{line: start, reason: fmt.Sprintf("more than %d columns, the limit", r.maxCols)}
		}
	}
	for _, f := range r.fields {
		if len(f) > r.maxCell {
			return nil, start, &csvFault{line: start, reason: fmt.Sprintf("a cell is longer than %d bytes, the limit", r.maxCell)}
		}
	}
	return r.fields, start, nil
}

// readQuoted parses a record that holds quotes, reading further lines
// while a quoted field is open.
func (r *csvReader) readQuoted(l []byte, start int) ([][]byte, int, error) {
	r.rec = r.rec[:0]
	r.ends = r.ends[:0]
	r.raw = append(r.raw[:0], l...)
	pos := 0
	for {
		fieldStart := len(r.rec)
		body := trimEOL(l)
		if pos < len(body) && body[pos] == '"' {
			pos++
			for {
				body = trimEOL(l)
				i := bytes.IndexByte(body[pos:], '"')
				if i < 0 {
					// The field goes on past the line break.
					r.rec = append(r.rec, body[pos:]...)
					r.rec = append(r.rec, '\n')
					if len(r.rec)-fieldStart > r.maxCell {
						return nil, start, &csvFault{line: start, reason: fmt.Sprintf("a quoted cell is longer than %d bytes, the limit", r.maxCell)}
					}
					next, err := r.readLine()
					if err == io.EOF {
						return nil, start, &csvFault{line: start, reason: "a quoted field opened here is never closed (it runs to the end of the file)"}
					}
					if err != nil {
						return nil, start, err
					}
					r.line++
					r.raw = append(r.raw, next...)
					if len(r.raw) > r.maxLine {
						return nil, start, &csvFault{line: start, reason: fmt.Sprintf("record longer than %d bytes", r.maxLine)}
					}
					l = next
					pos = 0
					continue
				}
				r.rec = append(r.rec, body[pos:pos+i]...)
				pos += i + 1
				if pos < len(body) && body[pos] == '"' {
					r.rec = append(r.rec, '"')
					pos++
					continue
				}
				break
			}
		}
		// Unquoted text, or text after a closing quote, up to the delimiter.
		body = trimEOL(l)
		i := bytes.IndexByte(body[pos:], r.delim)
		if i < 0 {
			r.rec = append(r.rec, body[pos:]...)
			pos = len(body)
		} else {
			r.rec = append(r.rec, body[pos:pos+i]...)
			pos += i
		}
		if len(r.rec)-fieldStart > r.maxCell {
			return nil, start, &csvFault{line: start, reason: fmt.Sprintf("a cell is longer than %d bytes, the limit", r.maxCell)}
		}
		r.ends = append(r.ends, len(r.rec))
		if len(r.ends) > r.maxCols {
			return nil, start, &csvFault{line: start, reason: fmt.Sprintf("more than %d columns, the limit", r.maxCols)}
		}
		if pos >= len(body) {
			break
		}
		pos++ // the delimiter
	}
	r.fields = r.fields[:0]
	prev := 0
	for _, e := range r.ends {
		r.fields = append(r.fields, r.rec[prev:e:e])
		prev = e
	}
	r.last = trimEOL(r.raw)
	return r.fields, start, nil
}

// csvSource adapts csvReader to the table engine.
type csvSource struct {
	rd    *csvReader
	file  string
	row   trow
	pos   int
	width int // header width, for colName
	hdr   []string
}

func newCSVSource(r io.Reader, delim byte, lim Limits, file string, bufSize int) *csvSource {
	return &csvSource{rd: newCSVReader(r, delim, lim, bufSize), file: file}
}

func (s *csvSource) next() (*trow, error) {
	for {
		fields, line, err := s.rd.read()
		if err != nil {
			var f *csvFault
			if errors.As(err, &f) {
				return nil, &Error{File: s.file, Line: f.line, Reason: f.reason}
			}
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, &Error{File: s.file, Line: line, Reason: "cannot read", Err: err}
		}
		cells := s.row.cells[:0]
		for _, f := range fields {
			cells = append(cells, tcell{b: f})
		}
		s.row.cells = cells
		s.row.line = line
		if s.row.blank() {
			continue
		}
		s.pos++
		s.row.pos = s.pos
		return &s.row, nil
	}
}

func (s *csvSource) raw() string       { return string(s.rd.last) }
func (s *csvSource) sheetName() string { return "" }
func (s *csvSource) strictWidth() bool { return true }

func (s *csvSource) colName(i int, label string) string {
	if label != "" {
		return label
	}
	return fmt.Sprintf("#%d", i+1)
}
