package ingest

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Text encodings a spec may name. Latin-1 is decoded as Windows-1252, as
// browsers do (WHATWG): files labelled ISO-8859-1 almost always carry
// Windows-1252's en dash, curly quotes and euro sign in 0x80–0x9F, and
// reading those as C1 control characters helps nobody.
const (
	encAuto    = "auto"
	encUTF8    = "utf-8"
	encLatin1  = "windows-1252"
	encUTF16   = "utf-16" // byte order from the BOM
	encUTF16LE = "utf-16le"
	encUTF16BE = "utf-16be"
)

// canonicalEncoding maps the names people write to the ones above.
func canonicalEncoding(name string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.ReplaceAll(n, "_", "-")
	switch n {
	case "", "auto":
		return encAuto, true
	case "utf-8", "utf8", "utf-8-bom", "utf-8-sig":
		return encUTF8, true
	case "latin1", "latin-1", "iso-8859-1", "iso8859-1", "windows-1252", "cp1252", "ansi":
		return encLatin1, true
	case "utf-16", "utf16", "ucs-2":
		return encUTF16, true
	case "utf-16le", "utf-16-le":
		return encUTF16LE, true
	case "utf-16be", "utf-16-be":
		return encUTF16BE, true
	}
	return "", false
}

// sniffEncoding decides the encoding of a text file from its first bytes:
// a BOM decides; otherwise UTF-8 if the head is valid UTF-8, else
// Windows-1252. Rows further down that are not valid UTF-8 are rejected
// one by one (a file that mixes encodings), never garbled silently.
func sniffEncoding(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\xef\xbb\xbf")):
		return encUTF8
	case bytes.HasPrefix(head, []byte("\xff\xfe")):
		return encUTF16LE
	case bytes.HasPrefix(head, []byte("\xfe\xff")):
		return encUTF16BE
	}
	h := head
	// The head may end inside a multi-byte rune.
	for i := 0; i < utf8.UTFMax && len(h) > 0 && !utf8.FullRune(h[lastRuneStart(h):]); i++ {
		h = h[:lastRuneStart(h)]
	}
	if utf8.Valid(h) {
		return encUTF8
	}
	// Invalid UTF-8, but is most non-ASCII text valid UTF-8? Then the file
	// mixes encodings: read it as UTF-8 and reject the rows that are not,
	// rather than turn every "ä" of the UTF-8 rows into "Ã¤".
	multi, bad := 0, 0
	for len(h) > 0 {
		r, n := utf8.DecodeRune(h)
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			multi++
		}
		h = h[n:]
	}
	if multi > bad {
		return encUTF8
	}
	return encLatin1
}

func lastRuneStart(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			return i
		}
	}
	return len(b)
}

// decodingReader returns a reader of UTF-8 text for r in encoding enc (one
// of the canonical names, not auto). Any BOM is dropped. needValidate is
// true when the output may hold invalid UTF-8 that rows must be checked
// for (only when the input is declared UTF-8).
func decodingReader(r io.Reader, enc string) (out io.Reader, needValidate bool, err error) {
	var e encoding.Encoding
	switch enc {
	case encUTF8:
		return &bomSkipper{r: r}, true, nil
	case encLatin1:
		e = charmap.Windows1252
	case encUTF16:
		e = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case encUTF16LE:
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case encUTF16BE:
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	default:
		return nil, false, fmt.Errorf("unknown encoding %q", enc)
	}
	// UTF-16 decoders strip their BOM; a UTF-8 BOM left in the output (a
	// file converted twice) is dropped by bomSkipper.
	return &bomSkipper{r: transform.NewReader(r, e.NewDecoder())}, false, nil
}

// bomSkipper drops a UTF-8 byte order mark at the start of a stream.
type bomSkipper struct {
	r     io.Reader
	done  bool
	carry []byte
}

func (b *bomSkipper) Read(p []byte) (int, error) {
	if !b.done {
		var head [3]byte
		n, err := io.ReadFull(b.r, head[:])
		b.done = true
		if n == 3 && bytes.Equal(head[:], []byte("\xef\xbb\xbf")) {
			if err != nil && err != io.ErrUnexpectedEOF {
				return 0, err
			}
		} else {
			b.carry = append([]byte(nil), head[:n]...)
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				if n == 0 {
					return 0, io.EOF
				}
			} else if err != nil {
				return 0, err
			}
		}
	}
	if len(b.carry) > 0 {
		n := copy(p, b.carry)
		b.carry = b.carry[n:]
		return n, nil
	}
	return b.r.Read(p)
}

// decodeHead decodes the first bytes of a file for recognition and
// delimiter sniffing; decoding errors there only shorten the result.
func decodeHead(head []byte, enc string) []byte {
	if enc == encAuto {
		enc = sniffEncoding(head)
	}
	r, _, err := decodingReader(bytes.NewReader(head), enc)
	if err != nil {
		return nil
	}
	out, _ := io.ReadAll(r)
	return out
}
