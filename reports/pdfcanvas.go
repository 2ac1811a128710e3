package reports

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"

	"codeberg.org/go-pdf/fpdf"
	stdfnt "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
)

// pdfCanvas draws gonum/plot charts straight into an existing fpdf
// document, as vector graphics with real text, inside a rectangle of a page.
//
// gonum's own vgpdf cannot be used: it makes a document of its own (a chart
// could not sit on a report page) and encodes text as cp1252 without
// translating from UTF-8, which mangles å, ä and ö. This canvas registers
// the plot's fonts as UTF-8 TrueType fonts instead. The transform logic
// follows vgpdf (BSD licence, The Gonum Authors).
//
// The document must use points as its unit.
type pdfCanvas struct {
	doc   *fpdf.Fpdf
	w, h  vg.Length
	stack []pdfContext
	fonts map[string]bool // fpdf family names already registered
	nimg  int
	err   error
}

type pdfContext struct {
	width vg.Length
}

// newPDFCanvas starts drawing a w×h chart whose top-left corner is at
// (x, y) on the current page, in points from the page's top-left corner.
// Call close when done.
func newPDFCanvas(doc *fpdf.Fpdf, x, y float64, w, h vg.Length, fonts map[string]bool) *pdfCanvas {
	c := &pdfCanvas{doc: doc, w: w, h: h, stack: []pdfContext{{}}, fonts: fonts}
	// Move the origin to the chart's bottom-left corner and flip y, so the
	// chart draws in gonum's y-up coordinates.
	c.doc.TransformBegin()
	c.doc.TransformTranslate(x, y+h.Points())
	c.doc.TransformScale(100, -100, 0, 0)
	vg.Initialize(c)
	return c
}

func (c *pdfCanvas) close() error {
	c.doc.TransformEnd()
	// Leave the page state as the report text expects it.
	c.doc.SetDashPattern(nil, 0)
	c.doc.SetAlpha(1, "Normal")
	c.doc.SetTextColor(0, 0, 0)
	c.doc.SetDrawColor(0, 0, 0)
	c.doc.SetFillColor(255, 255, 255)
	c.doc.SetLineWidth(0.5)
	return c.err
}

func (c *pdfCanvas) Size() (vg.Length, vg.Length) { return c.w, c.h }

func (c *pdfCanvas) SetLineWidth(w vg.Length) {
	c.stack[len(c.stack)-1].width = w
	c.doc.SetLineWidth(w.Points())
}

func (c *pdfCanvas) SetLineDash(dashes []vg.Length, offs vg.Length) {
	ds := make([]float64, len(dashes))
	for i, d := range dashes {
		ds[i] = d.Points()
	}
	c.doc.SetDashPattern(ds, offs.Points())
}

func (c *pdfCanvas) SetColor(clr color.Color) {
	if clr == nil {
		clr = color.Black
	}
	r, g, b, a := clr.RGBA()
	ri, gi, bi := int(r>>8), int(g>>8), int(b>>8)
	if a > 0 && a < 0xffff {
		// Un-premultiply so the stroke colour is the intended one.
		ri, gi, bi = int(r*0xff/a), int(g*0xff/a), int(b*0xff/a)
	}
	c.doc.SetFillColor(ri, gi, bi)
	c.doc.SetDrawColor(ri, gi, bi)
	c.doc.SetTextColor(ri, gi, bi)
	c.doc.SetAlpha(float64(a)/math.MaxUint16, "Normal")
}

func (c *pdfCanvas) Rotate(r float64) { c.doc.TransformRotate(-r*180/math.Pi, 0, 0) }

func (c *pdfCanvas) Translate(pt vg.Point) { c.doc.TransformTranslate(pt.X.Points(), pt.Y.Points()) }

func (c *pdfCanvas) Scale(x, y float64) { c.doc.TransformScale(x*100, y*100, 0, 0) }

func (c *pdfCanvas) Push() {
	c.stack = append(c.stack, c.stack[len(c.stack)-1])
	c.doc.TransformBegin()
}

func (c *pdfCanvas) Pop() {
	c.doc.TransformEnd()
	if len(c.stack) > 1 {
		c.stack = c.stack[:len(c.stack)-1]
	}
}

func (c *pdfCanvas) Stroke(p vg.Path) {
	if c.stack[len(c.stack)-1].width > 0 {
		c.path(p, "D")
	}
}

func (c *pdfCanvas) Fill(p vg.Path) { c.path(p, "F") }

func (c *pdfCanvas) path(path vg.Path, style string) {
	var x0, y0 float64
	for _, comp := range path {
		switch comp.Type {
		case vg.MoveComp:
			x0, y0 = comp.Pos.X.Points(), comp.Pos.Y.Points()
			c.doc.MoveTo(x0, y0)
		case vg.LineComp:
			c.doc.LineTo(comp.Pos.X.Points(), comp.Pos.Y.Points())
		case vg.ArcComp:
			c.arc(comp, style)
		case vg.CurveComp:
			px, py := comp.Pos.X.Points(), comp.Pos.Y.Points()
			switch len(comp.Control) {
			case 1:
				c.doc.CurveTo(comp.Control[0].X.Points(), comp.Control[0].Y.Points(), px, py)
			case 2:
				c.doc.CurveBezierCubicTo(comp.Control[0].X.Points(), comp.Control[0].Y.Points(),
					comp.Control[1].X.Points(), comp.Control[1].Y.Points(), px, py)
			default:
				c.fail(fmt.Errorf("pdf chart: curve with %d control points", len(comp.Control)))
			}
		case vg.CloseComp:
			c.doc.LineTo(x0, y0)
			c.doc.ClosePath()
		}
	}
	c.doc.DrawPath(style)
}

func (c *pdfCanvas) arc(comp vg.PathComp, style string) {
	x0 := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start))
	y0 := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start))
	c.doc.LineTo(x0.Points(), y0.Points())
	r := comp.Radius.Points()
	const deg = 180 / math.Pi
	beg := comp.Start * deg
	c.doc.Arc(comp.Pos.X.Points(), comp.Pos.Y.Points(), r, r, comp.Angle*deg, beg, beg+comp.Angle*deg, style)
	x1 := comp.Pos.X + comp.Radius*vg.Length(math.Cos(comp.Start+comp.Angle))
	y1 := comp.Pos.Y + comp.Radius*vg.Length(math.Sin(comp.Start+comp.Angle))
	c.doc.MoveTo(x1.Points(), y1.Points())
}

func (c *pdfCanvas) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// fontFamily registers the face's TrueType data as a UTF-8 font once per
// document and returns the fpdf family and style.
func (c *pdfCanvas) fontFamily(f font.Face) (string, string) {
	family := "gp-" + string(f.Font.Typeface) + "-" + string(f.Font.Variant)
	style := ""
	if f.Font.Weight == stdfnt.WeightBold {
		style += "B"
	}
	if f.Font.Style == stdfnt.StyleItalic {
		style += "I"
	}
	key := family + "/" + style
	if !c.fonts[key] {
		var raw bytes.Buffer
		if _, err := f.Face.WriteSourceTo(nil, &raw); err != nil {
			c.fail(fmt.Errorf("pdf chart: font %s: %w", key, err))
			return family, style
		}
		c.doc.AddUTF8FontFromBytes(family, style, raw.Bytes())
		c.fonts[key] = true
	}
	return family, style
}

func (c *pdfCanvas) FillString(f font.Face, pt vg.Point, str string) {
	if f.Font.Size == 0 {
		return
	}
	family, style := c.fontFamily(f)
	c.doc.SetFont(family, style, f.Font.Size.Points())
	c.Push()
	defer c.Pop()
	c.Translate(pt)
	// fpdf places text from the top-left corner with y down: flip back.
	c.Scale(1, -1)
	_, h := c.doc.GetFontSize()
	d := c.doc.GetFontDesc(family, style)
	top := 0.81 * h
	if d.Ascent != 0 {
		top = -float64(d.Ascent) * h / float64(d.Ascent-d.Descent)
	}
	w := c.doc.GetStringWidth(str)
	margin := c.doc.GetCellMargin()
	c.doc.MoveTo(-margin, top)
	c.doc.CellFormat(w, h, str, "", 0, "BL", false, 0, "")
}

func (c *pdfCanvas) DrawImage(rect vg.Rectangle, img image.Image) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		c.fail(fmt.Errorf("pdf chart: image: %w", err))
		return
	}
	c.nimg++
	name := fmt.Sprintf("chartimg-%p-%d", c, c.nimg)
	opts := fpdf.ImageOptions{ImageType: "png"}
	c.doc.RegisterImageOptionsReader(name, opts, &buf)
	sz := rect.Size()
	c.doc.ImageOptions(name, rect.Min.X.Points(), rect.Min.Y.Points(), sz.X.Points(), sz.Y.Points(), false, opts, 0, "")
}
