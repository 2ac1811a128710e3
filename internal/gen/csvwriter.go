package gen

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// CSVWriter writes HR files in the contract's Swedish CSV flavour: ';'
// delimiter, decimal comma, Windows-1252, CRLF line ends, quotes only
// where needed. Wages carry a thousands separator ("32 500,00"): a space,
// or a non-breaking space (0xA0) when FileInfo.NBSP is set.
type CSVWriter struct {
	w     *bufio.Writer
	buf   []byte
	nbsp  bool
	cache map[string][]byte
}

// NewCSVWriter writes to w; call Begin for each file (it writes the header).
func NewCSVWriter(w io.Writer) *CSVWriter {
	return &CSVWriter{w: bufio.NewWriterSize(w, 256<<10), buf: make([]byte, 0, 512), cache: map[string][]byte{}}
}

// Begin writes the header row.
func (c *CSVWriter) Begin(f FileInfo) error {
	c.nbsp = f.NBSP
	c.buf = c.buf[:0]
	for i, h := range Header {
		if i > 0 {
			c.buf = append(c.buf, ';')
		}
		c.buf = c.appendText(c.buf, h)
	}
	c.buf = append(c.buf, '\r', '\n')
	_, err := c.w.Write(c.buf)
	return err
}

// Write appends one row.
func (c *CSVWriter) Write(r *Row) error {
	b := c.buf[:0]
	b = strconv.AppendInt(b, int64(r.Year), 10)
	b = append(b, ';')
	b = c.appendText(b, r.Employer)
	b = append(b, ';')
	b = c.appendText(b, r.PersonKey)
	b = append(b, ';')
	b = c.appendText(b, r.Sex)
	b = append(b, ';')
	b = strconv.AppendInt(b, int64(r.BirthYear), 10)
	b = append(b, ';')
	b = c.appendText(b, r.SSYK)
	b = append(b, ';')
	b = c.appendText(b, r.AID)
	b = append(b, ';')
	b = c.appendText(b, r.Title)
	b = append(b, ';')
	b = appendSwedish(b, r.Wage, 2, c.sep())
	b = append(b, ';')
	b = appendSwedish(b, r.Rate, -1, 0)
	b = append(b, ';')
	b = c.appendText(b, r.Contract)
	b = append(b, ';')
	b = appendSwedish(b, r.ScheduledHours, -1, 0)
	b = append(b, ';')
	b = appendSwedish(b, r.SickHours, -1, 0)
	b = append(b, ';')
	b = appendYesNo(b, r.Manager)
	b = append(b, ';')
	b = c.appendText(b, r.Education)
	for _, t := range [3]Tri{r.Flextime, r.SplitShifts, r.EveWeekend} {
		b = append(b, ';')
		switch t {
		case Yes:
			b = append(b, "Ja"...)
		case No:
			b = append(b, "Nej"...)
		}
	}
	b = append(b, '\r', '\n')
	c.buf = b
	_, err := c.w.Write(b)
	return err
}

// End flushes the file.
func (c *CSVWriter) End() error { return c.w.Flush() }

func (c *CSVWriter) sep() byte {
	if c.nbsp {
		return 0xA0
	}
	return ' '
}

func appendYesNo(b []byte, v bool) []byte {
	if v {
		return append(b, "Ja"...)
	}
	return append(b, "Nej"...)
}

// appendText appends s encoded as Windows-1252, quoted when it holds the
// delimiter, a quote or a line break.
func (c *CSVWriter) appendText(b []byte, s string) []byte {
	enc, ok := c.cache[s]
	if !ok {
		enc = encode1252(s)
		needQuote := false
		for _, ch := range enc {
			if ch == ';' || ch == '"' || ch == '\r' || ch == '\n' {
				needQuote = true
				break
			}
		}
		if needQuote {
			q := []byte{'"'}
			for _, ch := range enc {
				if ch == '"' {
					q = append(q, '"')
				}
				q = append(q, ch)
			}
			enc = append(q, '"')
		}
		if len(c.cache) < 4096 {
			c.cache[s] = enc
		}
	}
	return append(b, enc...)
}

// encode1252 converts UTF-8 to Windows-1252. Characters the code page
// lacks are written as the nearest ASCII: '≥' as ">=", '≤' as "<=",
// anything else as '?'. (The contract's "Eftergymnasial ≥3 år" has no
// Windows-1252 form, so CSV files carry "Eftergymnasial >=3 år".)
func encode1252(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			out = append(out, byte(r))
			continue
		}
		if b, ok := charmap.Windows1252.EncodeRune(r); ok {
			out = append(out, b)
			continue
		}
		switch r {
		case '≥':
			out = append(out, ">="...)
		case '≤':
			out = append(out, "<="...)
		default:
			out = append(out, '?')
		}
	}
	return out
}

// appendSwedish formats v with a decimal comma. decimals < 0 means "as few
// as needed, at most one"; thousands, when non-zero, separates groups of
// three digits in the integer part.
func appendSwedish(b []byte, v float64, decimals int, thousands byte) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	d := decimals
	if d < 0 {
		if v == math.Trunc(v) {
			d = 0
		} else {
			d = 1
		}
	}
	scale := math.Pow10(d)
	n := int64(math.Round(v * scale))
	ip, fp := n/int64(scale), n%int64(scale)
	var digits [24]byte
	ds := strconv.AppendInt(digits[:0], ip, 10)
	if thousands != 0 && len(ds) > 3 {
		first := len(ds) % 3
		if first == 0 {
			first = 3
		}
		b = append(b, ds[:first]...)
		for i := first; i < len(ds); i += 3 {
			b = append(b, thousands)
			b = append(b, ds[i:i+3]...)
		}
	} else {
		b = append(b, ds...)
	}
	if d > 0 {
		b = append(b, ',')
		var fd [8]byte
		f := strconv.AppendInt(fd[:0], fp, 10)
		for i := len(f); i < d; i++ {
			b = append(b, '0')
		}
		b = append(b, f...)
	}
	return b
}
