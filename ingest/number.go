package ingest

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf8"
)

// numberFormat says how a text cell writes numbers: Swedish sources write
// "32 500,00" (decimal comma, space or non-breaking space between
// thousands), others "1,234.5" or "1.234,5".
type numberFormat struct {
	decimal   byte     // '.' or ','
	thousands [][]byte // separators allowed between groups of three digits
}

// plainNumbers is how xlsx stores numeric cells and how most CSV from
// outside Sweden writes them.
var plainNumbers = numberFormat{decimal: '.'}

// exact powers of ten that a float64 holds without rounding; dividing an
// integer below 2^53 by one of them is correctly rounded (the same fast
// path strconv takes), so the result equals strconv.ParseFloat's.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseNumber reads a number written in format f. It accepts a leading
// sign (including the Unicode minus U+2212 Swedish typesetting uses),
// thousands separators only between complete groups of three digits (so
// "1.5" is not read as 15 when "." separates thousands), and an exponent.
// Surrounding spaces are ignored. It does not allocate on the common path.
func parseNumber(b []byte, f *numberFormat) (float64, bool) {
	b = trimSpaceBytes(b)
	if len(b) == 0 {
		return 0, false
	}
	neg := false
	switch {
	case b[0] == '-' || b[0] == '+':
		neg = b[0] == '-'
		b = b[1:]
	case len(b) >= 3 && b[0] == 0xE2 && b[1] == 0x88 && b[2] == 0x92: // U+2212 minus sign
		neg = true
		b = b[3:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var mant uint64
	digits := 0      // significant digits in mant
	intDigits := 0   // digits before the decimal separator
	fracDigits := 0  // digits after it
	dropped := 0     // integer digits that did not fit in mant
	group := -1      // digits since the last thousands separator; -1 = none seen
	seenDot := false // decimal separator seen
	i := 0
	for i < len(b) {
		c := b[i]
		if c >= '0' && c <= '9' {
			if digits < 19 {
				mant = mant*10 + uint64(c-'0')
				if mant != 0 {
					digits++
				}
				if seenDot {
					fracDigits++
				}
			} else if !seenDot {
				dropped++
			}
			if !seenDot {
				intDigits++
				if group >= 0 {
					group++
				}
			}
			i++
			continue
		}
		if c == f.decimal && !seenDot {
			if group >= 0 && group != 3 {
				return 0, false
			}
			seenDot = true
			i++
			continue
		}
		if c == 'e' || c == 'E' {
			return parseNumberSlow(b, f, neg)
		}
		if !seenDot && intDigits > 0 {
			if n := f.thousandsAt(b[i:]); n > 0 {
				if (group >= 0 && group != 3) || (group < 0 && intDigits > 3) {
					return 0, false
				}
				group = 0
				i += n
				continue
			}
		}
		return 0, false
	}
	if intDigits == 0 && fracDigits == 0 {
		return 0, false
	}
	if group >= 0 && group != 3 {
		return 0, false // "1 23" or a trailing separator
	}
	if digits >= 19 || dropped > 0 {
		return parseNumberSlow(b, f, neg)
	}
	if mant >= 1<<53 || fracDigits >= len(exactPow10) {
		return parseNumberSlow(b, f, neg)
	}
	v := float64(mant) / exactPow10[fracDigits]
	if neg {
		v = -v
	}
	return v, true
}

// thousandsAt reports the length of a thousands separator at the start of b.
func (f *numberFormat) thousandsAt(b []byte) int {
	for _, t := range f.thousands {
		if len(t) > 0 && bytes.HasPrefix(b, t) {
			return len(t)
		}
	}
	return 0
}

// parseNumberSlow rewrites b into Go syntax and lets strconv do the exact
// conversion: for long mantissas and exponents, which are rare.
func parseNumberSlow(b []byte, f *numberFormat, neg bool) (float64, bool) {
	var stack [64]byte
	out := stack[:0]
	if neg {
		out = append(out, '-')
	}
	exp := false
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c >= '0' && c <= '9':
			out = append(out, c)
			i++
		case c == f.decimal && !exp:
			out = append(out, '.')
			i++
		case (c == 'e' || c == 'E') && !exp:
			exp = true
			out = append(out, 'e')
			i++
			if i < len(b) && (b[i] == '-' || b[i] == '+') {
				out = append(out, b[i])
				i++
			}
		default:
			if n := f.thousandsAt(b[i:]); n > 0 && !exp {
				i += n
				continue
			}
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(string(out), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// parseInt reads an integer in format f ("1 234", "2024"); a number with a
// fraction other than zero is not an integer.
func parseInt(b []byte, f *numberFormat) (int, bool) {
	v, ok := parseNumber(b, f)
	if !ok || v != math.Trunc(v) || v > 1<<52 || v < -(1<<52) {
		return 0, false
	}
	return int(v), true
}

// isSpaceRune reports the spaces sources pad cells with: ASCII white
// space, NBSP (U+00A0), narrow NBSP (U+202F) and thin space (U+2009).
func isSpaceRune(r rune) bool {
	switch r {
	case ' ', '\t', '\r', '\n', '\v', '\f', 0xA0, 0x202F, 0x2009, 0x2007:
		return true
	}
	return false
}

// trimSpaceBytes trims isSpaceRune runes from both ends of b.
func trimSpaceBytes(b []byte) []byte {
	for len(b) > 0 {
		c := b[0]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' {
				b = b[1:]
				continue
			}
			break
		}
		r, n := utf8.DecodeRune(b)
		if !isSpaceRune(r) {
			break
		}
		b = b[n:]
	}
	for len(b) > 0 {
		c := b[len(b)-1]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f' {
				b = b[:len(b)-1]
				continue
			}
			break
		}
		r, n := utf8.DecodeLastRune(b)
		if !isSpaceRune(r) {
			break
		}
		b = b[:len(b)-n]
	}
	return b
}
