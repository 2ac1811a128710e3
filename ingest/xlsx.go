package ingest

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

func init() { register(FormatXLSX, ParseXLSX) }

// ParseXLSX reads one sheet of an xlsx workbook as opts.Spec lays it out;
// with no spec it recognises a built-in spec by sheet content. The sheet
// is streamed: memory holds the shared strings and one row, not the sheet.
func ParseXLSX(r io.ReaderAt, size int64, opts Options, sink Sink) (Meta, error) {
	meta := Meta{Format: string(FormatXLSX)}
	wb, err := openWorkbook(r, size, opts)
	if err != nil {
		return meta, err
	}
	spec := opts.Spec
	var sh *wbSheet
	if spec == nil {
		spec, sh, err = wb.recognise()
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
	if cs.format == string(FormatCSV) {
		return meta, &Error{File: opts.File, Reason: fmt.Sprintf("spec %s is for CSV files, and this is an xlsx workbook", spec.Name)}
	}
	if sh == nil {
		if sh, err = wb.pickSheet(spec, cs); err != nil {
			return meta, err
		}
	}
	src, err := wb.openSheet(sh, cs.headerRows > 1)
	if err != nil {
		return meta, err
	}
	defer src.close()
	h, first, err := readHeader(src, cs, opts.File)
	if err != nil {
		return meta, err
	}
	eng := newTableEngine(spec, cs, opts, src, sink)
	eng.date1904 = wb.date1904
	eng.checkUTF8 = true
	m, err := eng.run(h, first)
	m.Format = meta.Format
	return m, err
}

// workbook is an opened xlsx package: its sheets, styles and shared strings.
type workbook struct {
	file     string
	lim      Limits
	zr       *zip.Reader
	parts    map[string]*zip.File
	lower    map[string]*zip.File
	sheets   []*wbSheet
	date1904 bool
	sstPath  string
	sst      *sharedStrings
	styles   []cellStyle
	budget   int64 // decompressed bytes left across all parts
}

type wbSheet struct {
	name   string
	path   string
	hidden bool
	index  int // 1-based position in the workbook
	size   int64
}

type cellStyle struct{ date, pct bool }

func (wb *workbook) err(reason string, err error) error {
	return &Error{File: wb.file, Reason: reason, Err: err}
}

func openWorkbook(r io.ReaderAt, size int64, opts Options) (*workbook, error) {
	wb := &workbook{file: opts.File, lim: opts.limits()}
	wb.budget = wb.lim.MaxDecompressedBytes
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, wb.err("not a readable xlsx workbook (the zip is truncated or corrupt)", err)
	}
	wb.zr = zr
	wb.parts = map[string]*zip.File{}
	wb.lower = map[string]*zip.File{}
	for _, f := range zr.File {
		name := strings.TrimPrefix(f.Name, "/")
		wb.parts[name] = f
		wb.lower[strings.ToLower(name)] = f
	}
	if wb.part("xl/workbook.xml") == nil && wb.part("[Content_Types].xml") == nil {
		return nil, wb.err("a zip file but not an xlsx workbook (no xl/workbook.xml)", nil)
	}
	if err := wb.readWorkbook(); err != nil {
		return nil, err
	}
	if err := wb.readStyles(); err != nil {
		return nil, err
	}
	return wb, nil
}

func (wb *workbook) part(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	if f, ok := wb.parts[name]; ok {
		return f
	}
	return wb.lower[strings.ToLower(name)]
}

// open opens a part for reading, enforcing the decompressed-size limit
// on what the zip declares and on what inflating actually yields (a zip
// bomb can lie in its headers).
func (wb *workbook) open(f *zip.File) (io.ReadCloser, error) {
	if int64(f.UncompressedSize64) > wb.lim.MaxDecompressedBytes || f.UncompressedSize64 > 1<<62 {
		return nil, wb.err(fmt.Sprintf("part %s declares %d bytes uncompressed, over the limit of %d (a zip bomb?)", f.Name, f.UncompressedSize64, wb.lim.MaxDecompressedBytes), nil)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, wb.err("cannot open part "+f.Name, err)
	}
	return &budgetReader{rc: rc, wb: wb, name: f.Name, declared: int64(f.UncompressedSize64)}, nil
}

// budgetReader counts inflated bytes against the workbook's budget.
type budgetReader struct {
	rc       io.ReadCloser
	wb       *workbook
	name     string
	declared int64
	n        int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.n += int64(n)
	b.wb.budget -= int64(n)
	if b.wb.budget < 0 {
		return n, fmt.Errorf("inflating %s passes the limit of %d decompressed bytes (a zip bomb?)", b.name, b.wb.lim.MaxDecompressedBytes)
	}
	if err != nil && err != io.EOF {
		return n, fmt.Errorf("part %s is corrupt: %w", b.name, err)
	}
	return n, err
}

func (b *budgetReader) Close() error { return b.rc.Close() }

// readSmall reads a small part (workbook, rels, styles) whole.
func (wb *workbook) readSmall(f *zip.File) ([]byte, error) {
	const maxSmall = 64 << 20
	if f.UncompressedSize64 > maxSmall {
		return nil, wb.err(fmt.Sprintf("part %s declares %d bytes, too large for its kind", f.Name, f.UncompressedSize64), nil)
	}
	rc, err := wb.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, maxSmall+1))
	if err != nil {
		return nil, wb.err("cannot read part "+f.Name, err)
	}
	return b, nil
}

type xRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:"Target,attr"`
		Type   string `xml:"Type,attr"`
	} `xml:"Relationship"`
}

type xWorkbook struct {
	Pr struct {
		Date1904 string `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets []struct {
		Name  string     `xml:"name,attr"`
		State string     `xml:"state,attr"`
		Attrs []xml.Attr `xml:",any,attr"`
	} `xml:"sheets>sheet"`
}

func (wb *workbook) readWorkbook() error {
	wf := wb.part("xl/workbook.xml")
	if wf == nil {
		return wb.err("a zip file but not an xlsx workbook (no xl/workbook.xml)", nil)
	}
	b, err := wb.readSmall(wf)
	if err != nil {
		return err
	}
	var w xWorkbook
	if err := xml.Unmarshal(b, &w); err != nil {
		return wb.err("xl/workbook.xml is not valid XML", err)
	}
	wb.date1904 = w.Pr.Date1904 == "1" || w.Pr.Date1904 == "true"
	rels := map[string]string{}
	if rf := wb.part("xl/_rels/workbook.xml.rels"); rf != nil {
		rb, err := wb.readSmall(rf)
		if err != nil {
			return err
		}
		var x xRels
		if err := xml.Unmarshal(rb, &x); err != nil {
			return wb.err("xl/_rels/workbook.xml.rels is not valid XML", err)
		}
		for _, r := range x.Rels {
			target := r.Target
			if strings.HasPrefix(target, "/") {
				target = path.Clean(target)[1:]
			} else {
				target = path.Join("xl", target)
			}
			rels[r.ID] = target
			if strings.HasSuffix(r.Type, "/sharedStrings") {
				wb.sstPath = target
			}
		}
	}
	if wb.sstPath == "" {
		wb.sstPath = "xl/sharedStrings.xml"
	}
	for i, s := range w.Sheets {
		var rid string
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && a.Name.Space != "" {
				rid = a.Value
			}
		}
		p := rels[rid]
		if p == "" {
			p = fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		}
		sh := &wbSheet{name: s.Name, path: p, hidden: s.State == "hidden" || s.State == "veryHidden", index: i + 1}
		if f := wb.part(p); f != nil {
			sh.size = int64(f.UncompressedSize64)
		}
		wb.sheets = append(wb.sheets, sh)
	}
	if len(wb.sheets) == 0 {
		return wb.err("the workbook has no sheets", nil)
	}
	return nil
}

type xStyles struct {
	NumFmts []struct {
		ID   int    `xml:"numFmtId,attr"`
		Code string `xml:"formatCode,attr"`
	} `xml:"numFmts>numFmt"`
	Xfs []struct {
		NumFmtID int `xml:"numFmtId,attr"`
	} `xml:"cellXfs>xf"`
}

// readStyles learns which cell styles show numbers as dates or percents;
// nothing else about formatting matters for reading values.
func (wb *workbook) readStyles() error {
	f := wb.part("xl/styles.xml")
	if f == nil {
		return nil
	}
	b, err := wb.readSmall(f)
	if err != nil {
		return err
	}
	var st xStyles
	if err := xml.Unmarshal(b, &st); err != nil {
		return wb.err("xl/styles.xml is not valid XML", err)
	}
	custom := map[int]string{}
	for _, nf := range st.NumFmts {
		custom[nf.ID] = nf.Code
	}
	for _, xf := range st.Xfs {
		id := xf.NumFmtID
		var cs cellStyle
		if code, ok := custom[id]; ok {
			cs = classifyFormat(code)
		} else {
			cs.date = (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58)
			cs.pct = id == 9 || id == 10
		}
		wb.styles = append(wb.styles, cs)
	}
	return nil
}

// classifyFormat tells a date or percent number format from its code,
// ignoring quoted text, escaped characters and [colour]/[locale] parts.
func classifyFormat(code string) cellStyle {
	var cs cellStyle
	inQuote := false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case inQuote:
			if c == '"' {
				inQuote = false
			}
		case c == '"':
			inQuote = true
		case c == '\\' || c == '_' || c == '*':
			i++
		case c == '[':
			j := strings.IndexByte(code[i:], ']')
			if j < 0 {
				return cs
			}
			inner := strings.ToLower(code[i+1 : i+j])
			if inner == "h" || inner == "hh" || inner == "m" || inner == "mm" || inner == "s" || inner == "ss" {
				cs.date = true
			}
			i += j
		case c == '%':
			cs.pct = true
		default:
			switch c | 0x20 {
			case 'y', 'd', 'h', 's', 'm':
				if !strings.HasPrefix(strings.ToLower(code[i:]), "general") {
					cs.date = true
				} else {
					i += len("general") - 1
				}
			}
		}
	}
	return cs
}

// pickSheet chooses the sheet a spec names, else the first visible one.
func (wb *workbook) pickSheet(spec *Spec, cs *compiledSpec) (*wbSheet, error) {
	if spec.Sheet != "" {
		for _, s := range wb.sheets {
			if s.name == spec.Sheet {
				return s, nil
			}
		}
		for _, s := range wb.sheets {
			if strings.EqualFold(strings.TrimSpace(s.name), strings.TrimSpace(spec.Sheet)) {
				return s, nil
			}
		}
		if n, err := strconv.Atoi(spec.Sheet); err == nil && n >= 1 && n <= len(wb.sheets) {
			return wb.sheets[n-1], nil
		}
		return nil, &Error{File: wb.file, Reason: fmt.Sprintf("sheet %q not found; the workbook has sheets %s", spec.Sheet, quoteList(wb.sheetNames(), 20))}
	}
	for _, s := range wb.orderedSheets() {
		if cs.matchSheet == nil || cs.matchSheet.MatchString(s.name) {
			return s, nil
		}
	}
	return nil, &Error{File: wb.file, Reason: fmt.Sprintf("no sheet matches %q; the workbook has sheets %s", cs.matchSheet, quoteList(wb.sheetNames(), 20))}
}

// orderedSheets lists visible sheets first: a hidden sheet is never
// read unless a spec names it.
func (wb *workbook) orderedSheets() []*wbSheet {
	var vis, hid []*wbSheet
	for _, s := range wb.sheets {
		if s.hidden {
			hid = append(hid, s)
		} else {
			vis = append(vis, s)
		}
	}
	if len(vis) == 0 {
		return hid
	}
	return vis
}

func (wb *workbook) sheetNames() []string {
	out := make([]string, len(wb.sheets))
	for i, s := range wb.sheets {
		out[i] = s.name
		if s.hidden {
			out[i] += " (hidden)"
		}
	}
	return out
}

// recognise finds the built-in spec and sheet whose match rules fit.
func (wb *workbook) recognise() (*Spec, *wbSheet, error) {
	type cand struct {
		spec  *Spec
		sheet *wbSheet
		score int
	}
	var best []cand
	heads := map[*wbSheet]*sheetHead{}
	headOf := func(sh *wbSheet) (*sheetHead, error) {
		if h, ok := heads[sh]; ok {
			return h, nil
		}
		h, err := wb.readHead(sh, 64)
		if err != nil {
			return nil, err
		}
		heads[sh] = h
		return h, nil
	}
	for _, s := range BuiltinSpecs() {
		cs, err := s.compile()
		if err != nil || cs.format == string(FormatCSV) {
			continue
		}
		var sheets []*wbSheet
		if s.Sheet != "" {
			sh, err := wb.pickSheet(s, cs)
			if err != nil {
				continue
			}
			sheets = []*wbSheet{sh}
		} else {
			sheets = wb.orderedSheets()
		}
		for _, sh := range sheets {
			head, err := headOf(sh)
			if err != nil {
				return nil, nil, err
			}
			h, _, err := readHeader(head.source(), cs, wb.file)
			if err != nil {
				continue
			}
			score := cs.matchScore(h, path.Base(wb.file), sh.name)
			if score < 0 {
				continue
			}
			switch {
			case len(best) == 0 || score > best[0].score:
				best = []cand{{s, sh, score}}
			case score == best[0].score && best[0].spec != s:
				best = append(best, cand{s, sh, score})
			}
			break
		}
	}
	switch {
	case len(best) == 1:
		return best[0].spec, best[0].sheet, nil
	case len(best) > 1:
		return nil, nil, &Error{File: wb.file, Reason: fmt.Sprintf("built-in specs %s and %s both match; pass --spec", best[0].spec.Name, best[1].spec.Name)}
	}
	sh := wb.orderedSheets()[0]
	head, err := headOf(sh)
	if err != nil {
		return nil, nil, err
	}
	var labels []string
	if len(head.rows) > 0 {
		for _, c := range head.rows[0].cells {
			labels = append(labels, cellLabel(c))
		}
		for len(labels) > 0 && labels[len(labels)-1] == "" {
			labels = labels[:len(labels)-1]
		}
	}
	return nil, nil, &Error{File: wb.file, Sheet: sh.name, Reason: fmt.Sprintf("no spec matches header %s; pass --spec", quoteList(labels, 12))}
}
