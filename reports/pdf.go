package reports

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansitalic"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
	"gonum.org/v1/plot/vg"
)

// PDF output is drawn with fpdf from the same view models as the HTML, so
// nothing beyond the binary is needed (no browser, no TeX). Text uses
// Liberation Sans as embedded UTF-8 TrueType (å, ä, ö survive text
// extraction); charts are drawn as vectors by pdfCanvas.

const (
	pdfMargin = 50.0
	pdfBody   = 9.5
)

// pdfFamily is the family name pdfCanvas uses for gonum's Liberation Sans,
// so body text and chart text share one embedded font.
const pdfFamily = "gp-Liberation-Sans"

type pdfWriter struct {
	doc    *fpdf.Fpdf
	lang   string
	fonts  map[string]bool
	pageW  float64
	pageH  float64
	width  float64 // content width
	footer string
}

func newPDF(lang, title string) *pdfWriter {
	doc := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: 595.28, Ht: 841.89}})
	p := &pdfWriter{doc: doc, lang: lang, fonts: map[string]bool{}, footer: title}
	p.pageW, p.pageH = doc.GetPageSize()
	p.width = p.pageW - 2*pdfMargin
	doc.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	doc.SetAutoPageBreak(true, pdfMargin)
	doc.SetCompression(true)
	doc.SetTitle(title, true)
	doc.SetCreator("jamstat", true)
	doc.SetLang(lang)
	for _, f := range []struct {
		style string
		ttf   []byte
	}{{"", liberationsansregular.TTF}, {"B", liberationsansbold.TTF}, {"I", liberationsansitalic.TTF}} {
		doc.AddUTF8FontFromBytes(pdfFamily, f.style, f.ttf)
		p.fonts[pdfFamily+"/"+f.style] = true
	}
	doc.SetFooterFunc(func() {
		doc.SetY(-pdfMargin + 14)
		doc.SetFont(pdfFamily, "", 7.5)
		doc.SetTextColor(90, 90, 90)
		doc.CellFormat(p.width*0.8, 10, p.footer, "", 0, "L", false, 0, "")
		doc.CellFormat(p.width*0.2, 10, fmt.Sprintf("%s %d", tr(lang, "page"), doc.PageNo()), "", 0, "R", false, 0, "")
		doc.SetTextColor(0, 0, 0)
	})
	doc.AddPage()
	return p
}

func (p *pdfWriter) font(style string, size float64) { p.doc.SetFont(pdfFamily, style, size) }

// room starts a new page unless h points are left.
func (p *pdfWriter) room(h float64) {
	if p.doc.GetY()+h > p.pageH-pdfMargin {
		p.doc.AddPage()
	}
}

func (p *pdfWriter) heading(level int, text string) {
	sizes := map[int]float64{1: 18, 2: 14, 3: 11.5, 4: 10.5}
	size := sizes[level]
	p.room(size*2 + 60) // keep a heading with what follows
	if p.doc.GetY() > pdfMargin+1 {
		p.doc.Ln(size * 0.6)
	}
	p.doc.Bookmark(text, level-1, -1)
	p.font("B", size)
	p.doc.MultiCell(p.width, size*1.25, text, "", "L", false)
	p.doc.Ln(size * 0.25)
}

func (p *pdfWriter) para(style string, size float64, text string) {
	p.font(style, size)
	p.doc.MultiCell(p.width, size*1.35, text, "", "L", false)
	p.doc.Ln(3)
}

func (p *pdfWriter) boxed(text string) {
	p.font("", pdfBody)
	p.doc.SetFillColor(240, 240, 240)
	p.doc.MultiCell(p.width, pdfBody*1.4, text, "L", "L", true)
	p.doc.Ln(4)
}

// notice draws a warning that must be read before any figure: bold, in a
// framed box.
func (p *pdfWriter) notice(text string) {
	p.font("B", pdfBody)
	p.doc.SetFillColor(255, 244, 224)
	p.doc.SetDrawColor(163, 59, 0)
	lw := p.doc.GetLineWidth()
	p.doc.SetLineWidth(1.2)
	p.doc.MultiCell(p.width, pdfBody*1.4, text, "1", "L", true)
	p.doc.SetLineWidth(lw)
	p.doc.SetDrawColor(0, 0, 0)
	p.doc.Ln(4)
}

func (p *pdfWriter) chart(c *Chart) error {
	if c == nil {
		return nil
	}
	cc := *c
	cc.W = vg.Length(p.width)
	h := cc.H.Points()
	p.room(h + 6)
	y := p.doc.GetY()
	if err := cc.drawPDF(p.doc, pdfMargin, y, p.fonts); err != nil {
		return err
	}
	p.doc.SetXY(pdfMargin, y+h+6)
	return nil
}

// pdfTable draws a table with a caption, a header row repeated on every
// page, wrapped text cells and right-aligned numbers.
type pdfTable struct {
	caption string
	head    []string
	widths  []float64 // fractions of the content width
	num     []bool    // right-align column
	rows    [][]string
}

func (p *pdfWriter) table(t pdfTable) {
	const size, lh, pad = 8.0, 10.0, 3.0
	ws := make([]float64, len(t.widths))
	for i, f := range t.widths {
		ws[i] = f * p.width
	}
	lines := func(style string, cells []string) ([][]string, float64) {
		p.font(style, size)
		out := make([][]string, len(cells))
		n := 1
		for i, c := range cells {
			out[i] = p.doc.SplitText(c, ws[i]-2*pad+2*p.doc.GetCellMargin())
			if len(out[i]) == 0 {
				out[i] = []string{""}
			}
			n = max(n, len(out[i]))
		}
		return out, float64(n)*lh + 2*pad
	}
	draw := func(style string, cells [][]string, h float64, fill bool) {
		p.font(style, size)
		x, y := pdfMargin, p.doc.GetY()
		if fill {
			p.doc.SetFillColor(235, 235, 235)
			p.doc.Rect(x, y, p.width, h, "F")
		}
		for i, ls := range cells {
			align := "L"
			if t.num[i] {
				align = "R"
			}
			for j, l := range ls {
				p.doc.SetXY(x+pad-p.doc.GetCellMargin(), y+pad+float64(j)*lh)
				p.doc.CellFormat(ws[i]-2*pad+2*p.doc.GetCellMargin(), lh, l, "", 0, align, false, 0, "")
			}
			x += ws[i]
		}
		p.doc.SetDrawColor(190, 190, 190)
		p.doc.Line(pdfMargin, y+h, pdfMargin+p.width, y+h)
		p.doc.SetDrawColor(0, 0, 0)
		p.doc.SetXY(pdfMargin, y+h)
	}
	head, hh := lines("B", t.head)
	first, fh := hh, hh
	if len(t.rows) > 0 {
		_, fh = lines("", t.rows[0])
	}
	p.room(first + fh + 16)
	p.font("B", 8.5)
	p.doc.MultiCell(p.width, 11, t.caption, "", "L", false)
	draw("B", head, hh, true)
	for _, r := range t.rows {
		ls, h := lines("", r)
		if p.doc.GetY()+h > p.pageH-pdfMargin {
			p.doc.AddPage()
			draw("B", head, hh, true)
		}
		draw("", ls, h, false)
	}
	p.doc.Ln(8)
}

func cellTexts(cs []cell) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Text
	}
	return out
}

func (p *pdfWriter) method(m methodView, legend []legendRow) {
	lang := p.lang
	p.heading(2, tr(lang, "method"))
	if len(m.Definitions) > 0 {
		p.heading(3, tr(lang, "definitions"))
		for _, d := range m.Definitions {
			p.para("B", pdfBody, d.Term)
			p.para("", pdfBody, d.Text)
		}
	}
	if len(m.Sources) > 0 {
		t := pdfTable{caption: tr(lang, "sources"), head: []string{tr(lang, "source"), tr(lang, "address"), tr(lang, "reference_year"), tr(lang, "published")},
			widths: []float64{.38, .32, .13, .17}, num: []bool{false, false, true, false}}
		for _, s := range m.Sources {
			t.rows = append(t.rows, []string{s.Name, s.URL, s.ReferenceYear, s.Published})
		}
		p.table(t)
	}
	if len(m.Comparison) > 0 {
		p.heading(3, tr(lang, "compared_years"))
		for _, c := range m.Comparison {
			p.para("", pdfBody, c)
		}
	}
	p.heading(3, tr(lang, "vintage"))
	p.para("", pdfBody, m.Vintage)
	p.heading(3, tr(lang, "suppression"))
	p.para("", pdfBody, m.Suppression)
	for _, n := range m.Notes {
		p.para("", pdfBody, n)
	}
	t := pdfTable{caption: tr(lang, "legend"), head: []string{pick(lang == "en", "Tecken", "Symbol"), tr(lang, "text")},
		widths: []float64{.12, .88}, num: []bool{false, false}}
	for _, l := range legend {
		t.rows = append(t.rows, []string{l.Symbol, l.Text})
	}
	p.table(t)
}

func (p *pdfWriter) finish(w io.Writer) error {
	if err := p.doc.Error(); err != nil {
		return fmt.Errorf("reports: pdf: %w", err)
	}
	var buf bytes.Buffer
	if err := p.doc.Output(&buf); err != nil {
		return fmt.Errorf("reports: pdf: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("reports: write pdf: %w", err)
	}
	return nil
}

// WriteFollowupPDF writes the follow-up report as PDF with the same
// content as WriteFollowupHTML.
func WriteFollowupPDF(w io.Writer, r *FollowupReport) error {
	v, err := buildFollowup(r)
	if err != nil {
		return err
	}
	p := newPDF(v.Lang, v.Title)
	if !r.Generated.IsZero() {
		p.doc.SetCreationDate(r.Generated)
	}
	p.heading(1, v.Title)
	p.para("", 11, v.Subtitle)
	p.heading(2, tr(v.Lang, "summary"))
	for _, n := range v.Notices {
		p.notice(n)
	}
	for _, s := range v.Summary {
		p.para("", pdfBody, "• "+s)
	}
	for _, d := range v.Delmal {
		p.doc.AddPage()
		p.heading(2, fmt.Sprintf("%s %d. %s", tr(v.Lang, "delmal"), d.N, d.Title))
		p.boxed(d.Summary)
		for _, g := range d.Goals {
			h := g.Text
			if g.Label != "" {
				h = g.Label + ": " + h
			}
			if g.TextLang != "" {
				h += " (" + tr(v.Lang, "in_swedish") + ")"
			}
			p.heading(3, h)
			if g.Intro != "" {
				p.para("", pdfBody, g.Intro)
			}
			if g.Area != "" {
				p.para("I", 8.5, tr(v.Lang, "area")+": "+g.Area)
			}
			if g.Also != "" {
				p.para("I", 8.5, g.Also)
			}
			p.boxed(g.Summary)
			for _, ind := range g.Indicators {
				title := withUnit(ind.Title, ind.Unit)
				p.heading(4, title)
				if ind.Description != "" {
					p.para("", pdfBody, ind.Description)
				}
				p.para("", pdfBody, fmt.Sprintf("%s: %s. %s %s: %s. %s %s: %s. %s: %s. %s: %s %s.",
					tr(v.Lang, "measure"), ind.Measure,
					tr(v.Lang, "comparison_year"), ind.BaselineYear, ind.Baseline,
					tr(v.Lang, "latest"), ind.LatestYear, ind.Latest,
					tr(v.Lang, "change"), ind.Change,
					tr(v.Lang, "direction"), ind.Arrow, ind.Direction))
				if err := p.chart(ind.Trend); err != nil {
					return err
				}
				if len(ind.CountyRows) > 0 {
					t := pdfTable{caption: ind.CountyCaption,
						head:   []string{tr(v.Lang, "year"), tr(v.Lang, "women"), tr(v.Lang, "men"), tr(v.Lang, "total"), tr(v.Lang, "ratio")},
						widths: []float64{.2, .2, .2, .2, .2}, num: []bool{false, true, true, true, true}}
					for _, r := range ind.CountyRows {
						t.rows = append(t.rows, cellTexts(r))
					}
					p.table(t)
				}
				if err := p.chart(ind.Dots); err != nil {
					return err
				}
				if len(ind.MunRows) > 0 {
					t := pdfTable{caption: ind.MunCaption,
						head:   []string{tr(v.Lang, "municipality"), tr(v.Lang, "women"), tr(v.Lang, "men"), tr(v.Lang, "total"), tr(v.Lang, "ratio"), tr(v.Lang, "direction")},
						widths: []float64{.24, .12, .12, .12, .12, .28}, num: []bool{false, true, true, true, true, false}}
					for _, m := range ind.MunRows {
						t.rows = append(t.rows, append(append([]string{m.Name}, cellTexts(m.Cells)...), m.Dir))
					}
					p.table(t)
				}
			}
		}
	}
	p.doc.AddPage()
	p.method(v.Method, v.Legend)
	if v.Generated != "" {
		p.para("I", 8, v.Generated)
	}
	return p.finish(w)
}

// WriteWorkConditionsPDF writes the working-conditions report as PDF with
// the same content as WriteWorkConditionsHTML.
func WriteWorkConditionsPDF(w io.Writer, r *WorkConditionsReport) error {
	v, err := buildWork(r)
	if err != nil {
		return err
	}
	p := newPDF(v.Lang, v.Title+" "+v.Subtitle)
	if !r.Generated.IsZero() {
		p.doc.SetCreationDate(r.Generated)
	}
	lang := v.Lang
	p.heading(1, v.Title)
	p.para("", 11, v.Subtitle)
	p.heading(2, tr(lang, "wc_summary"))
	for _, n := range v.Notices {
		p.notice(n)
	}
	p.para("", pdfBody, v.Intro)
	if err := p.chart(v.Summary); err != nil {
		return err
	}
	st := pdfTable{caption: tr(lang, "wc_summary"),
		head: []string{tr(lang, "condition"), pick(lang == "en", "Jämförda arbetsgivare", "Employers compared"), tr(lang, "female_worse"),
			pick(lang == "en", "varav säkerställt", "of which distinguishable"), tr(lang, "male_worse"), pick(lang == "en", "Lika", "Equal")},
		widths: []float64{.3, .14, .16, .14, .16, .1}, num: []bool{false, true, true, true, true, true}}
	for _, r := range v.SumRows {
		st.rows = append(st.rows, cellTexts(r))
	}
	p.table(st)
	for _, c := range v.Conditions {
		p.doc.AddPage()
		p.heading(2, c.Title)
		p.boxed(c.Sentence)
		if err := p.chart(c.Bars); err != nil {
			return err
		}
		if err := p.chart(c.CI); err != nil {
			return err
		}
	}
	p.doc.AddPage()
	p.heading(2, tr(lang, "employers"))
	for _, e := range v.Employers {
		t := pdfTable{caption: fmt.Sprintf("%s (%s)", e.Name, e.Code),
			head: []string{tr(lang, "condition"), tr(lang, "female_group_s"), tr(lang, "n"), tr(lang, "value"),
				tr(lang, "male_group_s"), tr(lang, "n"), tr(lang, "value"), tr(lang, "difference"), tr(lang, "ci_short"), tr(lang, "significant")},
			widths: []float64{.13, .15, .05, .08, .15, .05, .08, .09, .11, .11},
			num:    []bool{false, false, true, true, false, true, true, true, true, false}}
		for _, r := range e.Rows {
			t.rows = append(t.rows, []string{r.Condition, r.FemaleGroup, r.FemaleN, r.FemaleValue.Text, r.MaleGroup, r.MaleN, r.MaleValue.Text,
				r.Difference.Text, r.CI.Text, r.Significance})
		}
		p.table(t)
	}
	p.doc.AddPage()
	p.method(v.Method, v.Legend)
	if v.Generated != "" {
		p.para("I", 8, strings.TrimSpace(v.Generated))
	}
	return p.finish(w)
}
