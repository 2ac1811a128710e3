package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
)

func init() { register(FormatCSV, ParseCSV) }

// csvHeadBytes is how much of a file recognition and sniffing look at.
const csvHeadBytes = 64 << 10

// ParseCSV reads a delimited text file laid out as opts.Spec says; with
// no spec it recognises a built-in spec by the file's header.
func ParseCSV(r io.ReaderAt, size int64, opts Options, sink Sink) (Meta, error) {
	meta := Meta{Format: string(FormatCSV)}
	lim := opts.limits()
	head := make([]byte, csvHeadBytes)
	n, err := r.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return meta, &Error{File: opts.File, Reason: "cannot read", Err: err}
	}
	head = head[:n]
	spec := opts.Spec
	if spec == nil {
		// Recognition reads only the head; the file's limits apply to the parse.
		spec, err = recogniseCSV(head, opts.File, DefaultLimits())
		if err != nil {
			return meta, err
		}
	}
	cs, err := spec.compile()
	if err != nil {
		return meta, err
	}
	meta.Kind = cs.kind
	if err := notDataset(spec, cs, opts.File); err != nil {
		return meta, err
	}
	if cs.format == string(FormatXLSX) {
		return meta, &Error{File: opts.File, Reason: fmt.Sprintf("spec %s is for xlsx workbooks, and this is a text file", spec.Name)}
	}
	enc := cs.enc
	if enc == encAuto {
		enc = sniffEncoding(head)
	}
	delim := cs.delim
	if delim == 0 {
		delim = sniffDelimiter(decodeHead(head, enc), cs.skipRows)
	}
	text, _, err := decodingReader(io.NewSectionReader(r, 0, size), enc)
	if err != nil {
		return meta, &Error{File: opts.File, Reason: err.Error()}
	}
	src := newCSVSource(text, delim, lim, opts.File, int(min(size, 1<<30))+64)
	h, first, err := readHeader(src, cs, opts.File)
	if err != nil {
		return meta, err
	}
	if err := checkDelimiter(h, cs, delim, head, enc, opts.File); err != nil {
		return meta, err
	}
	eng := newTableEngine(spec, cs, opts, src, sink)
	eng.checkUTF8 = enc == encUTF8
	m, err := eng.run(h, first)
	m.Format = meta.Format
	return m, err
}

// notDataset is the error for reference and analysis files.
func notDataset(spec *Spec, cs *compiledSpec, file string) error {
	if cs.kind != KindReference && cs.kind != KindAnalysis {
		return nil
	}
	note := strings.Join(strings.Fields(spec.Note), " ")
	return &Error{File: file, Reason: fmt.Sprintf("%s (spec %s)", note, spec.Name), Err: ErrNotDataset}
}

// checkDelimiter turns "the whole header is one column" into a clear
// error naming the delimiter the spec expects and the one the file seems
// to use, instead of a cascade of "column not found".
func checkDelimiter(h *tableHeader, cs *compiledSpec, delim byte, head []byte, enc, file string) error {
	if cs.headerRows == 0 || len(h.labels) > 1 {
		return nil
	}
	need := 0
	for _, c := range cs.cols {
		if !c.optional {
			need++
		}
	}
	if len(cs.melts) > 0 {
		need++
	}
	if need <= 1 {
		return nil
	}
	seems := sniffDelimiter(decodeHead(head, enc), cs.skipRows)
	reason := fmt.Sprintf("the header is one column when split on %s, the spec's delimiter; the spec needs %d columns", delimName(delim), need)
	if seems != delim {
		reason += fmt.Sprintf("; the file looks %s-delimited", delimName(seems))
	}
	return &Error{File: file, Line: h.line, Reason: reason}
}

func delimName(d byte) string {
	if d == '\t' {
		return "tab"
	}
	return strconv.Quote(string(d))
}

// sniffDelimiter picks the delimiter of the header line (after skip
// non-blank lines): the candidate occurring most often outside quotes.
// Data lines are not used: decimal commas would mislead.
func sniffDelimiter(text []byte, skip int) byte {
	lines := bytes.Split(text, []byte("\n"))
	var hdr []byte
	seen := 0
	for _, l := range lines {
		if len(bytes.TrimSpace(l)) == 0 {
			continue
		}
		if seen == skip {
			hdr = l
			break
		}
		seen++
	}
	best, bestN := byte(','), 0
	for _, d := range []byte{';', ',', '\t', '|'} {
		n, quoted := 0, false
		for _, c := range hdr {
			switch {
			case c == '"':
				quoted = !quoted
			case c == d && !quoted:
				n++
			}
		}
		if n > bestN {
			best, bestN = d, n
		}
	}
	return best
}

// recogniseCSV finds the built-in spec whose match rules fit the file.
func recogniseCSV(head []byte, file string, lim Limits) (*Spec, error) {
	specs := BuiltinSpecs()
	base := filepath.Base(file)
	type cand struct {
		spec  *Spec
		score int
	}
	var best []cand
	decoded := map[string][]byte{}
	for _, s := range specs {
		cs, err := s.compile()
		if err != nil || cs.format == string(FormatXLSX) {
			continue
		}
		enc := cs.enc
		if enc == encAuto || enc == "" {
			enc = sniffEncoding(head)
		}
		text, ok := decoded[enc]
		if !ok {
			text = decodeHead(head, enc)
			decoded[enc] = text
		}
		h := headOfText(text, cs, lim)
		score := cs.matchScore(h, base, "")
		if score < 0 {
			continue
		}
		switch {
		case len(best) == 0 || score > best[0].score:
			best = []cand{{s, score}}
		case score == best[0].score:
			best = append(best, cand{s, score})
		}
	}
	switch {
	case len(best) == 1:
		return best[0].spec, nil
	case len(best) > 1:
		return nil, &Error{File: file, Reason: fmt.Sprintf("built-in specs %s and %s both match; pass --spec", best[0].spec.Name, best[1].spec.Name)}
	}
	text := decodeHead(head, sniffEncoding(head))
	generic := &compiledSpec{headerRows: 1, headerJoin: " "}
	h := headOfText(text, generic, lim)
	var labels []string
	if h != nil {
		labels = h.labels
	}
	return nil, &Error{File: file, Reason: fmt.Sprintf("no spec matches header %s; pass --spec", quoteList(labels, 12))}
}

// headOfText reads the title and header rows of decoded text as cs lays
// them out; nil when it cannot.
func headOfText(text []byte, cs *compiledSpec, lim Limits) *tableHeader {
	delim := cs.delim
	if delim == 0 {
		delim = sniffDelimiter(text, cs.skipRows)
	}
	src := newCSVSource(bytes.NewReader(text), delim, lim, "", len(text)+64)
	h, _, err := readHeader(src, cs, "")
	if err != nil {
		var fe *Error
		if !errors.As(err, &fe) {
			return nil
		}
		return nil
	}
	return h
}
