package reports

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"math"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	stdfnt "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Okabe–Ito colours (Okabe & Ito 2008, "Color Universal Design"): safe for
// the common colour-vision deficiencies. Women are vermillion and men blue,
// a pair that stays apart for deuteranopes and protanopes; every series
// also differs in glyph and dash so no chart relies on colour alone.
var (
	OkabeBlack         = color.RGBA{0x00, 0x00, 0x00, 0xff}
	OkabeOrange        = color.RGBA{0xe6, 0x9f, 0x00, 0xff}
	OkabeSkyBlue       = color.RGBA{0x56, 0xb4, 0xe9, 0xff}
	OkabeBluishGreen   = color.RGBA{0x00, 0x9e, 0x73, 0xff}
	OkabeYellow        = color.RGBA{0xf0, 0xe4, 0x42, 0xff}
	OkabeBlue          = color.RGBA{0x00, 0x72, 0xb2, 0xff}
	OkabeVermillion    = color.RGBA{0xd5, 0x5e, 0x00, 0xff}
	OkabeReddishPurple = color.RGBA{0xcc, 0x79, 0xa7, 0xff}
)

// seriesStyle is the look of series i: 0 women, 1 men, 2 total, then the
// remaining Okabe–Ito colours.
type seriesStyle struct {
	color  color.Color
	glyph  draw.GlyphDrawer
	dashes []vg.Length
}

var seriesStyles = []seriesStyle{
	{OkabeVermillion, draw.CircleGlyph{}, nil},
	{OkabeBlue, draw.TriangleGlyph{}, []vg.Length{vg.Points(5), vg.Points(2)}},
	{OkabeBlack, draw.BoxGlyph{}, []vg.Length{vg.Points(1), vg.Points(2)}},
	{OkabeOrange, draw.PyramidGlyph{}, []vg.Length{vg.Points(3), vg.Points(3)}},
	{OkabeSkyBlue, draw.BoxGlyph{}, nil},
	{OkabeReddishPurple, draw.CrossGlyph{}, nil},
}

func styleFor(i int) seriesStyle { return seriesStyles[i%len(seriesStyles)] }

// Chart is a rendered-on-demand chart: build it once, write it as SVG (for
// HTML and the web server), PNG or PDF.
type Chart struct {
	Title string // shown on top and used as the accessible name
	Desc  string // longer text alternative
	W, H  vg.Length

	lang    string
	legend  []legendEntry
	plot    *plot.Plot
	footer  string
	hasPlot bool
}

type legendEntry struct {
	label string
	thumb func(c *draw.Canvas, r vg.Rectangle)
}

const (
	chartWidth  = 500 // points
	titleSize   = 11
	labelSize   = 9
	headerGap   = 4
	legendThumb = 14
)

var sansFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

func textStyle(size float64, bold bool) text.Style {
	f := sansFont
	f.Size = vg.Length(size)
	if bold {
		f.Weight = stdfnt.WeightBold
	}
	return text.Style{Color: color.Black, Font: f, Handler: plot.DefaultTextHandler}
}

// newPlot returns a plot whose every text is Liberation Sans (gonum's
// default is the serif face) and whose title and legend are drawn by Chart.
func newPlot() *plot.Plot {
	p := plot.New()
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = withSize(sansFont, labelSize)
		ax.Tick.Label.Font = withSize(sansFont, 8)
		ax.Padding = vg.Points(2)
	}
	p.Legend.TextStyle.Font = withSize(sansFont, labelSize)
	return p
}

func withSize(f font.Font, size float64) font.Font {
	f.Size = vg.Length(size)
	return f
}

// header height: title line plus legend lines (wrapped to the width).
func (c *Chart) headerLayout() (h vg.Length, rows [][]legendEntry) {
	ts := textStyle(labelSize, false)
	if c.Title != "" {
		h += vg.Length(titleSize) * 1.4
	}
	var row []legendEntry
	var x vg.Length
	for _, e := range c.legend {
		w := legendThumb + 4 + ts.Width(e.label) + 12
		if x+w > c.W && len(row) > 0 {
			rows = append(rows, row)
			row, x = nil, 0
		}
		row = append(row, e)
		x += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	h += vg.Length(len(rows)) * vg.Length(labelSize) * 1.6
	if h > 0 {
		h += headerGap
	}
	return h, rows
}

func (c *Chart) draw(dc draw.Canvas) {
	// White background so PNG and PDF look like the SVG on a dark page.
	dc.FillPolygon(color.White, []vg.Point{dc.Min, {X: dc.Max.X, Y: dc.Min.Y}, dc.Max, {X: dc.Min.X, Y: dc.Max.Y}})
	pad := vg.Points(4)
	dc = draw.Crop(dc, pad, -pad, pad, -pad)
	hh, rows := c.headerLayout()
	y := dc.Max.Y
	if c.Title != "" {
		ts := textStyle(titleSize, true)
		ts.YAlign = draw.YTop
		dc.FillText(ts, vg.Point{X: dc.Min.X, Y: y}, c.Title)
		y -= vg.Length(titleSize) * 1.4
	}
	ts := textStyle(labelSize, false)
	ts.YAlign = draw.YCenter
	lh := vg.Length(labelSize) * 1.6
	for _, row := range rows {
		x := dc.Min.X
		cy := y - lh/2
		for _, e := range row {
			r := vg.Rectangle{Min: vg.Point{X: x, Y: cy - 5}, Max: vg.Point{X: x + legendThumb, Y: cy + 5}}
			e.thumb(&dc, r)
			x += legendThumb + 4
			dc.FillText(ts, vg.Point{X: x, Y: cy}, e.label)
			x += ts.Width(e.label) + 12
		}
		y -= lh
	}
	body := draw.Crop(dc, 0, 0, 0, -hh)
	if c.footer != "" {
		fs := textStyle(8, false)
		fs.YAlign = draw.YBottom
		dc.FillText(fs, vg.Point{X: dc.Min.X, Y: dc.Min.Y}, c.footer)
		body = draw.Crop(body, 0, 0, vg.Length(8)*1.5, 0)
	}
	if c.hasPlot {
		c.plot.Draw(body)
	}
}

// SVG writes the chart as a standalone SVG document, ready to inline in
// HTML: no XML prelude, role="img" with an accessible name and a <title>,
// and a font stack that falls back to Arial (metrically equal to
// Liberation Sans) where Liberation is not installed. The output is
// deterministic.
func (c *Chart) SVG() ([]byte, error) {
	cnv := vgsvg.NewWith(vgsvg.UseWH(c.W, c.H))
	c.draw(draw.New(cnv))
	var buf bytes.Buffer
	if _, err := cnv.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart %q: svg: %w", c.Title, err)
	}
	return c.finishSVG(buf.Bytes())
}

func (c *Chart) finishSVG(raw []byte) ([]byte, error) {
	s := string(raw)
	i := strings.Index(s, "<svg")
	if i < 0 {
		return nil, fmt.Errorf("chart %q: svg: no <svg> element", c.Title)
	}
	s = s[i:]
	end := strings.Index(s, ">")
	name := c.Title
	if c.Desc != "" {
		name = strings.TrimSpace(name + ". " + c.Desc)
	}
	open := s[:end]
	open = strings.Replace(open, "<svg ", `<svg role="img" aria-label="`+html.EscapeString(name)+`" `, 1)
	var b strings.Builder
	b.Grow(len(s) + 256)
	b.WriteString(open)
	b.WriteString(">\n<title>")
	b.WriteString(html.EscapeString(c.Title))
	b.WriteString("</title>\n")
	if c.Desc != "" {
		b.WriteString("<desc>")
		b.WriteString(html.EscapeString(c.Desc))
		b.WriteString("</desc>\n")
	}
	body := s[end+1:]
	body = strings.ReplaceAll(body, "font-family:Liberation Sans;", "font-family:'Liberation Sans',Arial,Helvetica,sans-serif;")
	b.WriteString(body)
	return []byte(b.String()), nil
}

// PNG renders the chart at dpi dots per inch.
func (c *Chart) PNG(dpi int) ([]byte, error) {
	if dpi <= 0 {
		dpi = 144
	}
	cnv := vgimg.NewWith(vgimg.UseWH(c.W, c.H), vgimg.UseDPI(dpi))
	c.draw(draw.New(cnv))
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: cnv}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chart %q: png: %w", c.Title, err)
	}
	return buf.Bytes(), nil
}

// PDF renders the chart as a one-page vector PDF with UTF-8 text.
func (c *Chart) PDF() ([]byte, error) {
	doc := fpdf.NewCustom(&fpdf.InitType{UnitStr: "pt", Size: fpdf.SizeType{Wd: c.W.Points(), Ht: c.H.Points()}})
	doc.SetMargins(0, 0, 0)
	doc.SetAutoPageBreak(false, 0)
	doc.SetCompression(true)
	doc.SetCreator("jamstat", true)
	doc.AddPage()
	if err := c.drawPDF(doc, 0, 0, map[string]bool{}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := doc.Output(&buf); err != nil {
		return nil, fmt.Errorf("chart %q: pdf: %w", c.Title, err)
	}
	return buf.Bytes(), nil
}

// drawPDF draws the chart on doc's current page with its top-left corner
// at (x, y) points.
func (c *Chart) drawPDF(doc *fpdf.Fpdf, x, y float64, fonts map[string]bool) error {
	cnv := newPDFCanvas(doc, x, y, c.W, c.H, fonts)
	c.draw(draw.New(cnv))
	if err := cnv.close(); err != nil {
		return fmt.Errorf("chart %q: %w", c.Title, err)
	}
	return doc.Error()
}

// localeTicks relabels another ticker's marks in lang's number format
// (decimal comma in Swedish).
type localeTicks struct {
	lang string
	base plot.Ticker
}

func (t localeTicks) Ticks(min, max float64) []plot.Tick {
	ts := t.base.Ticks(min, max)
	// One number of decimals for all labels: the fewest that show every
	// labelled tick exactly (gonum pads "57.50" where "57,5" reads better).
	dec := 0
	for _, tk := range ts {
		if tk.Label == "" {
			continue
		}
		for dec < 4 && math.Abs(tk.Value*math.Pow10(dec)-math.Round(tk.Value*math.Pow10(dec))) > 1e-6*math.Max(1, math.Abs(tk.Value*math.Pow10(dec))) {
			dec++
		}
	}
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = FormatNumber(ts[i].Value, dec, t.lang)
		}
	}
	return ts
}

// yearTicks marks whole years, thinned so labels do not collide.
type yearTicks struct{}

func (yearTicks) Ticks(min, max float64) []plot.Tick {
	lo, hi := int(math.Ceil(min)), int(math.Floor(max))
	step := 1
	for (hi-lo)/step > 8 {
		step++
	}
	var ts []plot.Tick
	for y := lo; y <= hi; y++ {
		if (y-lo)%step == 0 {
			ts = append(ts, plot.Tick{Value: float64(y), Label: strconv.Itoa(y)})
		}
	}
	return ts
}

// thumbnails for the legend.

func rectThumb(clr color.Color) func(*draw.Canvas, vg.Rectangle) {
	return func(c *draw.Canvas, r vg.Rectangle) {
		c.FillPolygon(clr, []vg.Point{r.Min, {X: r.Max.X, Y: r.Min.Y}, r.Max, {X: r.Min.X, Y: r.Max.Y}})
	}
}

func lineThumb(st seriesStyle, glyph bool) func(*draw.Canvas, vg.Rectangle) {
	return func(c *draw.Canvas, r vg.Rectangle) {
		cy := (r.Min.Y + r.Max.Y) / 2
		c.StrokeLine2(draw.LineStyle{Color: st.color, Width: vg.Points(1.5), Dashes: st.dashes}, r.Min.X, cy, r.Max.X, cy)
		if glyph {
			c.DrawGlyphNoClip(draw.GlyphStyle{Color: st.color, Radius: vg.Points(3), Shape: st.glyph}, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: cy})
		}
	}
}

func glyphThumb(clr color.Color, g draw.GlyphDrawer) func(*draw.Canvas, vg.Rectangle) {
	return func(c *draw.Canvas, r vg.Rectangle) {
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: clr, Radius: vg.Points(3.5), Shape: g},
			vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2})
	}
}

func textThumb(s string) func(*draw.Canvas, vg.Rectangle) {
	return func(c *draw.Canvas, r vg.Rectangle) {
		ts := textStyle(labelSize, true)
		ts.XAlign, ts.YAlign = draw.XCenter, draw.YCenter
		c.FillText(ts, vg.Point{X: (r.Min.X + r.Max.X) / 2, Y: (r.Min.Y + r.Max.Y) / 2}, s)
	}
}

// suppressedEntry is the legend line for ".." shown in a chart.
func suppressedEntry(lang string) legendEntry {
	return legendEntry{label: tr(lang, "not_published"), thumb: textThumb(StatusSuppressed)}
}
