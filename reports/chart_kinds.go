package reports

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var gridColor = color.Gray{Y: 0xdd}

// BarSeries is one series of a grouped bar chart. By convention series 0 is
// women (or the female-dominated group) and series 1 men.
type BarSeries struct {
	Label  string
	Values []Value // one per category; unpublished values draw no bar and show ".."
}

// GroupedBarsSpec describes a grouped bar chart: for every category (a
// municipality, a condition) one bar per series side by side.
type GroupedBarsSpec struct {
	Title      string
	Desc       string
	ValueLabel string
	Categories []string
	Series     []BarSeries
	// Horizontal lays categories out top to bottom, which suits long lists
	// of municipality names.
	Horizontal bool
	Lang       string
}

// DotRow is one municipality in a dot plot.
type DotRow struct {
	Label string
	Women Value
	Men   Value
	Total Value // plotted instead of Women and Men when the spec's ShowTotal is set
}

// DotPlotSpec describes a dot plot of municipalities, women and men, with
// the county's values as reference lines.
type DotPlotSpec struct {
	Title       string
	Desc        string
	ValueLabel  string
	Rows        []DotRow
	CountyWomen Value
	CountyMen   Value
	// ShowTotal plots each row's Total and the county's CountyTotal instead
	// of women and men: for indicators with one value per geography (a
	// share of women, a K/M ratio), which have no values by sex.
	ShowTotal   bool
	CountyTotal Value
	// TotalLabel and CountyTotalLabel name the two in the legend; defaults
	// say the values are not split by sex.
	TotalLabel, CountyTotalLabel string
	Lang                         string
}

// TrendSeries is one line of a trend chart. Series are styled by position
// (0 women, 1 men, 2 total) unless Total is set.
type TrendSeries struct {
	Label  string
	Points []YearValue // ascending years; an unpublished point breaks the line
	// Total draws the series in the total's style (black, squares) at any
	// position, so a chart of totals alone never looks like women's.
	Total bool
}

// totalStyle is the style of totals: series 2.
const totalStyle = 2

func trendStyle(j int, s TrendSeries) seriesStyle {
	if s.Total {
		return styleFor(totalStyle)
	}
	return styleFor(j)
}

// TrendSpec describes a trend chart with an optional goal line and the
// strategy's baseline year marked.
type TrendSpec struct {
	Title       string
	Desc        string
	ValueLabel  string
	Series      []TrendSeries
	Target      *float64
	TargetLabel string
	Baseline    int
	Lang        string
}

// CIRow is one estimate with its 95 % confidence interval.
type CIRow struct {
	Label           string
	Value           *float64 // nil: not published, shown as ".."
	Low, High       *float64
	Distinguishable bool
}

// CISpec describes a dot-and-whisker chart of differences with their
// intervals against the line of no difference.
type CISpec struct {
	Title      string
	Desc       string
	ValueLabel string
	Rows       []CIRow
	Neutral    float64 // 0 for differences, 1 for ratios
	Lang       string
}

// catPos is the axis position of category i of n: left to right, or top to
// bottom when horizontal.
func catPos(i, n int, horizontal bool) float64 {
	if horizontal {
		return float64(n - 1 - i)
	}
	return float64(i)
}

func catTicks(cats []string, horizontal bool) plot.ConstantTicks {
	ts := make(plot.ConstantTicks, len(cats))
	for i, c := range cats {
		ts[i] = plot.Tick{Value: catPos(i, len(cats), horizontal), Label: c}
	}
	return ts
}

// setCategoryAxis makes ax a nominal axis over cats.
func setCategoryAxis(ax *plot.Axis, cats []string, horizontal bool) {
	ax.Tick.Marker = catTicks(cats, horizontal)
	ax.Tick.Width = 0
	ax.Tick.Length = 0
	ax.Width = 0
	ax.Min, ax.Max = -0.5, float64(len(cats))-0.5
}

// --- grouped bars ---

type barsPlotter struct {
	series     []BarSeries
	n          int
	horizontal bool
}

func (b *barsPlotter) extent() (lo, hi float64) {
	lo, hi = 0, 0
	any := false
	for _, s := range b.series {
		for _, v := range s.Values {
			if v.Published() {
				lo, hi = math.Min(lo, *v.V), math.Max(hi, *v.V)
				any = true
			}
		}
	}
	if !any || hi == lo {
		hi = lo + 1
	}
	// Headroom so the longest bar does not touch the frame.
	span := hi - lo
	if hi > 0 {
		hi += span * 0.04
	}
	if lo < 0 {
		lo -= span * 0.04
	}
	return lo, hi
}

func (b *barsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	m := len(b.series)
	group := 0.8
	bw := group / float64(m)
	pt := func(cat, val float64) vg.Point {
		if b.horizontal {
			return vg.Point{X: trX(val), Y: trY(cat)}
		}
		return vg.Point{X: trX(cat), Y: trY(val)}
	}
	ts := textStyle(7, true)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YBottom
	if b.horizontal {
		ts.XAlign, ts.YAlign = draw.XLeft, draw.YCenter
	}
	for j, s := range b.series {
		st := styleFor(j)
		for i := 0; i < b.n && i < len(s.Values); i++ {
			v := s.Values[i]
			c0 := catPos(i, b.n, b.horizontal) - group/2 + float64(j)*bw
			if b.horizontal {
				// Read top to bottom: the first series on top.
				c0 = catPos(i, b.n, b.horizontal) + group/2 - float64(j+1)*bw
			}
			c1 := c0 + bw*0.92
			if !v.Published() {
				at := pt((c0+c1)/2, 0)
				if b.horizontal {
					at.X += vg.Points(2)
				} else {
					at.Y += vg.Points(2)
				}
				ts.Color = st.color
				c.FillText(ts, at, v.Symbol())
				continue
			}
			pts := []vg.Point{pt(c0, 0), pt(c1, 0), pt(c1, *v.V), pt(c0, *v.V)}
			c.FillPolygon(st.color, c.ClipPolygonXY(pts))
		}
	}
}

func (b *barsPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi := b.extent()
	if b.horizontal {
		return lo, hi, -0.5, float64(b.n) - 0.5
	}
	return -0.5, float64(b.n) - 0.5, lo, hi
}

func anyUnpublished(vs ...[]Value) bool {
	for _, s := range vs {
		for _, v := range s {
			if !v.Published() {
				return true
			}
		}
	}
	return false
}

func checkSpec(title string, n int) error {
	if n == 0 {
		return fmt.Errorf("chart %q: no data", title)
	}
	return nil
}

// GroupedBars builds a grouped bar chart.
func GroupedBars(s GroupedBarsSpec) (*Chart, error) {
	if err := checkSpec(s.Title, len(s.Categories)); err != nil {
		return nil, err
	}
	if len(s.Series) == 0 {
		return nil, fmt.Errorf("chart %q: no series", s.Title)
	}
	for _, se := range s.Series {
		if len(se.Values) != len(s.Categories) {
			return nil, fmt.Errorf("chart %q: series %q has %d values for %d categories", s.Title, se.Label, len(se.Values), len(s.Categories))
		}
	}
	p := newPlot()
	bp := &barsPlotter{series: s.Series, n: len(s.Categories), horizontal: s.Horizontal}
	valAx, catAx := &p.Y, &p.X
	if s.Horizontal {
		valAx, catAx = &p.X, &p.Y
	}
	grid := plotter.NewGrid()
	grid.Vertical.Color, grid.Horizontal.Color = gridColor, gridColor
	if s.Horizontal {
		grid.Horizontal.Width = 0
	} else {
		grid.Vertical.Width = 0
	}
	p.Add(grid, bp)
	valAx.Label.Text = s.ValueLabel
	valAx.Tick.Marker = localeTicks{lang: s.Lang, base: plot.DefaultTicks{}}
	setCategoryAxis(catAx, s.Categories, s.Horizontal)
	c := &Chart{Title: s.Title, Desc: s.Desc, W: chartWidth, lang: s.Lang, plot: p, hasPlot: true}
	vals := make([][]Value, 0, len(s.Series))
	for j, se := range s.Series {
		c.legend = append(c.legend, legendEntry{label: se.Label, thumb: rectThumb(styleFor(j).color)})
		vals = append(vals, se.Values)
	}
	if anyUnpublished(vals...) {
		c.legend = append(c.legend, suppressedEntry(s.Lang))
	}
	hh, _ := c.headerLayout()
	if s.Horizontal {
		c.H = hh + vg.Length(len(s.Categories))*vg.Length(6+8*len(s.Series)) + 50
	} else {
		c.H = hh + 260
	}
	return c, nil
}

// GroupedBarsSVG builds a grouped bar chart and returns it as SVG.
func GroupedBarsSVG(s GroupedBarsSpec) ([]byte, error) {
	c, err := GroupedBars(s)
	if err != nil {
		return nil, err
	}
	return c.SVG()
}

// --- dot plot ---

type dotsPlotter struct {
	rows       []DotRow
	cw, cm     Value
	total      bool
	ct         Value
	xmin, xmax float64
}

// series are the values plotted per row, with their style index: women and
// men, or the total alone.
func (d *dotsPlotter) series(r DotRow) ([]Value, []int) {
	if d.total {
		return []Value{r.Total}, []int{totalStyle}
	}
	return []Value{r.Women, r.Men}, []int{0, 1}
}

func (d *dotsPlotter) county() ([]Value, []int) {
	if d.total {
		return []Value{d.ct}, []int{totalStyle}
	}
	return []Value{d.cw, d.cm}, []int{0, 1}
}

// countyDashes are the dashes of the county's reference line in style j.
func countyDashes(j int) []vg.Length {
	switch j {
	case 1:
		return []vg.Length{vg.Points(1.5), vg.Points(2)}
	case totalStyle:
		return []vg.Length{vg.Points(6), vg.Points(2), vg.Points(1.5), vg.Points(2)}
	}
	return []vg.Length{vg.Points(4), vg.Points(2)}
}

func (d *dotsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(d.rows)
	guide := draw.LineStyle{Color: color.Gray{Y: 0xee}, Width: vg.Points(0.5)}
	for i := range d.rows {
		y := trY(catPos(i, n, true))
		c.StrokeLine2(guide, c.Min.X, y, c.Max.X, y)
	}
	cvs, cjs := d.county()
	for i, cv := range cvs {
		if !cv.Published() {
			continue
		}
		st := styleFor(cjs[i])
		x := trX(*cv.V)
		c.StrokeLine2(draw.LineStyle{Color: st.color, Width: vg.Points(1), Dashes: countyDashes(cjs[i])}, x, c.Min.Y, x, c.Max.Y)
	}
	ts := textStyle(7, true)
	ts.XAlign, ts.YAlign = draw.XLeft, draw.YCenter
	for i, r := range d.rows {
		y := trY(catPos(i, n, true))
		off := vg.Points(2)
		vs, js := d.series(r)
		for k, v := range vs {
			st := styleFor(js[k])
			if !v.Published() {
				ts.Color = st.color
				c.FillText(ts, vg.Point{X: c.Min.X + off, Y: y}, v.Symbol())
				off += vg.Points(10)
				continue
			}
			c.DrawGlyph(draw.GlyphStyle{Color: st.color, Radius: vg.Points(3.2), Shape: st.glyph}, vg.Point{X: trX(*v.V), Y: y})
		}
	}
}

func (d *dotsPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return d.xmin, d.xmax, -0.5, float64(len(d.rows)) - 0.5
}

func paddedRange(vals []float64) (lo, hi float64) {
	if len(vals) == 0 {
		return 0, 1
	}
	lo, hi = vals[0], vals[0]
	for _, v := range vals[1:] {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	pad := (hi - lo) * 0.06
	if pad == 0 {
		pad = math.Max(math.Abs(lo)*0.1, 1)
	}
	return lo - pad, hi + pad
}

// DotPlot builds a dot plot of municipalities against the county.
func DotPlot(s DotPlotSpec) (*Chart, error) {
	if err := checkSpec(s.Title, len(s.Rows)); err != nil {
		return nil, err
	}
	dp := &dotsPlotter{rows: s.Rows, cw: s.CountyWomen, cm: s.CountyMen, total: s.ShowTotal, ct: s.CountyTotal}
	var vals []float64
	var shown []Value
	for _, r := range s.Rows {
		vs, _ := dp.series(r)
		for _, v := range vs {
			if v.Published() {
				vals = append(vals, *v.V)
			}
		}
		shown = append(shown, vs...)
	}
	cvs, _ := dp.county()
	for _, v := range cvs {
		if v.Published() {
			vals = append(vals, *v.V)
		}
	}
	lo, hi := paddedRange(vals)
	// Room on the left for ".." marks.
	if anyUnpublished(shown) {
		lo -= (hi - lo) * 0.08
	}
	dp.xmin, dp.xmax = lo, hi
	p := newPlot()
	p.Add(dp)
	p.X.Label.Text = s.ValueLabel
	p.X.Tick.Marker = localeTicks{lang: s.Lang, base: plot.DefaultTicks{}}
	labels := make([]string, len(s.Rows))
	for i, r := range s.Rows {
		labels[i] = r.Label
	}
	setCategoryAxis(&p.Y, labels, true)
	c := &Chart{Title: s.Title, Desc: s.Desc, W: chartWidth, lang: s.Lang, plot: p, hasPlot: true}
	if s.ShowTotal {
		tl, cl := s.TotalLabel, s.CountyTotalLabel
		if tl == "" {
			tl = tr(s.Lang, "geo_total")
		}
		if cl == "" {
			cl = tr(s.Lang, "county_total")
		}
		st := styleFor(totalStyle)
		c.legend = []legendEntry{{label: tl, thumb: glyphThumb(st.color, st.glyph)}}
		if s.CountyTotal.Published() {
			c.legend = append(c.legend, legendEntry{label: cl, thumb: lineThumb(seriesStyle{color: st.color, dashes: countyDashes(totalStyle)}, false)})
		}
	} else {
		c.legend = []legendEntry{
			{label: tr(s.Lang, "women"), thumb: glyphThumb(styleFor(0).color, styleFor(0).glyph)},
			{label: tr(s.Lang, "men"), thumb: glyphThumb(styleFor(1).color, styleFor(1).glyph)},
		}
		if s.CountyWomen.Published() {
			c.legend = append(c.legend, legendEntry{label: tr(s.Lang, "county_women"), thumb: lineThumb(seriesStyle{color: styleFor(0).color, dashes: countyDashes(0)}, false)})
		}
		if s.CountyMen.Published() {
			c.legend = append(c.legend, legendEntry{label: tr(s.Lang, "county_men"), thumb: lineThumb(seriesStyle{color: styleFor(1).color, dashes: countyDashes(1)}, false)})
		}
	}
	if anyUnpublished(shown) {
		c.legend = append(c.legend, suppressedEntry(s.Lang))
	}
	hh, _ := c.headerLayout()
	c.H = hh + vg.Length(len(s.Rows))*14 + 50
	return c, nil
}

// DotPlotSVG builds a dot plot and returns it as SVG.
func DotPlotSVG(s DotPlotSpec) ([]byte, error) {
	c, err := DotPlot(s)
	if err != nil {
		return nil, err
	}
	return c.SVG()
}

// --- trend lines ---

type trendPlotter struct {
	series   []TrendSeries
	target   *float64
	baseline int
	lang     string
	x0, x1   float64
	y0, y1   float64
}

func (t *trendPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if t.target != nil {
		y := trY(*t.target)
		c.StrokeLine2(draw.LineStyle{Color: OkabeBluishGreen, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(6), vg.Points(3)}}, c.Min.X, y, c.Max.X, y)
	}
	if t.baseline > 0 && float64(t.baseline) >= t.x0 && float64(t.baseline) <= t.x1 {
		x := trX(float64(t.baseline))
		c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 0x88}, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}, x, c.Min.Y, x, c.Max.Y)
		ts := textStyle(7, false)
		ts.Color = color.Gray{Y: 0x44}
		ts.XAlign, ts.YAlign = draw.XLeft, draw.YTop
		c.FillText(ts, vg.Point{X: x + vg.Points(2), Y: c.Max.Y - vg.Points(1)}, tr(t.lang, "baseline"))
	}
	ts := textStyle(7, true)
	ts.XAlign, ts.YAlign = draw.XCenter, draw.YBottom
	for j, s := range t.series {
		st := trendStyle(j, s)
		ls := draw.LineStyle{Color: st.color, Width: vg.Points(1.6), Dashes: st.dashes}
		var seg []vg.Point
		flush := func() {
			if len(seg) > 1 {
				c.StrokeLines(ls, c.ClipLinesXY(seg)...)
			}
			seg = nil
		}
		for _, pt := range s.Points {
			if !pt.Value.Published() {
				flush()
				ts.Color = st.color
				c.FillText(ts, vg.Point{X: trX(float64(pt.Year)), Y: c.Min.Y + vg.Points(2) + vg.Length(j)*8}, pt.Value.Symbol())
				continue
			}
			seg = append(seg, vg.Point{X: trX(float64(pt.Year)), Y: trY(*pt.Value.V)})
		}
		flush()
		for _, pt := range s.Points {
			if pt.Value.Published() {
				c.DrawGlyph(draw.GlyphStyle{Color: st.color, Radius: vg.Points(2.8), Shape: st.glyph}, vg.Point{X: trX(float64(pt.Year)), Y: trY(*pt.Value.V)})
			}
		}
	}
}

func (t *trendPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return t.x0, t.x1, t.y0, t.y1
}

// Trend builds a trend chart.
func Trend(s TrendSpec) (*Chart, error) {
	var years, vals []float64
	var all [][]Value
	for _, se := range s.Series {
		var vs []Value
		for _, pt := range se.Points {
			years = append(years, float64(pt.Year))
			if pt.Value.Published() {
				vals = append(vals, *pt.Value.V)
			}
			vs = append(vs, pt.Value)
		}
		all = append(all, vs)
	}
	if err := checkSpec(s.Title, len(years)); err != nil {
		return nil, err
	}
	if s.Target != nil {
		vals = append(vals, *s.Target)
	}
	y0, y1 := paddedRange(vals)
	x0, x1 := years[0], years[0]
	for _, y := range years {
		x0, x1 = math.Min(x0, y), math.Max(x1, y)
	}
	if s.Baseline > 0 {
		x0 = math.Min(x0, float64(s.Baseline))
	}
	x0, x1 = x0-0.3, x1+0.3
	p := newPlot()
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	grid.Horizontal.Color = gridColor
	tp := &trendPlotter{series: s.Series, target: s.Target, baseline: s.Baseline, lang: s.Lang, x0: x0, x1: x1, y0: y0, y1: y1}
	p.Add(grid, tp)
	p.Y.Label.Text = s.ValueLabel
	p.Y.Tick.Marker = localeTicks{lang: s.Lang, base: plot.DefaultTicks{}}
	p.X.Tick.Marker = yearTicks{}
	c := &Chart{Title: s.Title, Desc: s.Desc, W: chartWidth, lang: s.Lang, plot: p, hasPlot: true}
	for j, se := range s.Series {
		c.legend = append(c.legend, legendEntry{label: se.Label, thumb: lineThumb(trendStyle(j, se), true)})
	}
	if s.Target != nil {
		lbl := s.TargetLabel
		if lbl == "" {
			lbl = tr(s.Lang, "target") + ": " + FormatNumber(*s.Target, decimalsFor(*s.Target), s.Lang)
		}
		c.legend = append(c.legend, legendEntry{label: lbl, thumb: lineThumb(seriesStyle{color: OkabeBluishGreen, dashes: []vg.Length{vg.Points(6), vg.Points(3)}}, false)})
	}
	if anyUnpublished(all...) {
		c.legend = append(c.legend, suppressedEntry(s.Lang))
	}
	hh, _ := c.headerLayout()
	c.H = hh + 220
	return c, nil
}

// decimalsFor shows a number's own decimals, up to 2.
func decimalsFor(v float64) int {
	for d := 0; d < 2; d++ {
		if math.Abs(v*math.Pow10(d)-math.Round(v*math.Pow10(d))) < 1e-9 {
			return d
		}
	}
	return 2
}

// TrendSVG builds a trend chart and returns it as SVG.
func TrendSVG(s TrendSpec) ([]byte, error) {
	c, err := Trend(s)
	if err != nil {
		return nil, err
	}
	return c.SVG()
}

// --- confidence intervals ---

type ciPlotter struct {
	rows    []CIRow
	neutral float64
	x0, x1  float64
}

func (p *ciPlotter) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	n := len(p.rows)
	x := trX(p.neutral)
	c.StrokeLine2(draw.LineStyle{Color: OkabeBlack, Width: vg.Points(0.8)}, x, c.Min.Y, x, c.Max.Y)
	ts := textStyle(7, true)
	ts.XAlign, ts.YAlign = draw.XLeft, draw.YCenter
	whisker := draw.LineStyle{Color: OkabeBlue, Width: vg.Points(1.2)}
	for i, r := range p.rows {
		y := trY(catPos(i, n, true))
		if r.Value == nil {
			c.FillText(ts, vg.Point{X: c.Min.X + vg.Points(2), Y: y}, StatusSuppressed)
			continue
		}
		if r.Low != nil && r.High != nil {
			lo, hi := trX(*r.Low), trX(*r.High)
			c.StrokeLines(whisker, c.ClipLinesX([]vg.Point{{X: lo, Y: y}, {X: hi, Y: y}})...)
			for _, xx := range []vg.Length{lo, hi} {
				if c.ContainsX(xx) {
					c.StrokeLine2(whisker, xx, y-vg.Points(3), xx, y+vg.Points(3))
				}
			}
		}
		g := draw.GlyphDrawer(draw.RingGlyph{})
		if r.Distinguishable {
			g = draw.CircleGlyph{}
		}
		c.DrawGlyph(draw.GlyphStyle{Color: OkabeBlue, Radius: vg.Points(3.2), Shape: g}, vg.Point{X: trX(*r.Value), Y: y})
	}
}

func (p *ciPlotter) DataRange() (xmin, xmax, ymin, ymax float64) {
	return p.x0, p.x1, -0.5, float64(len(p.rows)) - 0.5
}

// CIChart builds a dot-and-whisker chart of estimates with 95 % intervals.
func CIChart(s CISpec) (*Chart, error) {
	if err := checkSpec(s.Title, len(s.Rows)); err != nil {
		return nil, err
	}
	vals := []float64{s.Neutral}
	missing := false
	for _, r := range s.Rows {
		for _, v := range []*float64{r.Value, r.Low, r.High} {
			if v != nil {
				if math.IsNaN(*v) || math.IsInf(*v, 0) {
					return nil, errors.New("chart " + s.Title + ": interval bound is not a finite number")
				}
				vals = append(vals, *v)
			}
		}
		if r.Value == nil {
			missing = true
		}
	}
	lo, hi := paddedRange(vals)
	if missing {
		lo -= (hi - lo) * 0.06
	}
	p := newPlot()
	p.Add(&ciPlotter{rows: s.Rows, neutral: s.Neutral, x0: lo, x1: hi})
	p.X.Label.Text = s.ValueLabel
	p.X.Tick.Marker = localeTicks{lang: s.Lang, base: plot.DefaultTicks{}}
	labels := make([]string, len(s.Rows))
	for i, r := range s.Rows {
		labels[i] = r.Label
	}
	setCategoryAxis(&p.Y, labels, true)
	c := &Chart{Title: s.Title, Desc: s.Desc, W: chartWidth, lang: s.Lang, plot: p, hasPlot: true}
	c.legend = []legendEntry{
		{label: pick(s.Lang == "en", "Säkerställd skillnad", "Distinguishable difference"), thumb: glyphThumb(OkabeBlue, draw.CircleGlyph{})},
		{label: pick(s.Lang == "en", "Ej säkerställd", "Not distinguishable"), thumb: glyphThumb(OkabeBlue, draw.RingGlyph{})},
		{label: tr(s.Lang, "no_difference"), thumb: lineThumb(seriesStyle{color: OkabeBlack}, false)},
	}
	if missing {
		c.legend = append(c.legend, suppressedEntry(s.Lang))
	}
	hh, _ := c.headerLayout()
	c.H = hh + vg.Length(len(s.Rows))*14 + 50
	return c, nil
}

// CIChartSVG builds a confidence-interval chart and returns it as SVG.
func CIChartSVG(s CISpec) ([]byte, error) {
	c, err := CIChart(s)
	if err != nil {
		return nil, err
	}
	return c.SVG()
}
