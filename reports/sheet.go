package reports

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The indicator sheet is written with excelize's StreamWriter: each
// worksheet is laid out in memory as plain cells first (so column widths
// can be fitted before the first row is written, which streaming demands),
// then streamed. Numbers are stored as numbers with number formats such as
// "#,##0.0", which Excel and LibreOffice render per the reader's locale
// (12 345,6 in Swedish). Cells that are not published hold the text "..",
// never 0, and every sheet with such cells carries the legend.

// xcell is one worksheet cell before styling.
type xcell struct {
	kind int // xText, xNum, xSym, xBlank
	s    string
	v    float64
	dec  int
	bold bool
	// wrap breaks long text within its column instead of running across
	// the columns to its right (and off the printed page).
	wrap bool
}

const (
	xBlank = iota
	xText
	xNum
	xSym
)

func xt(s string) xcell           { return xcell{kind: xText, s: s} }
func xb(s string) xcell           { return xcell{kind: xText, s: s, bold: true} }
func xw(s string) xcell           { return xcell{kind: xText, s: s, wrap: true} }
func xn(v float64, dec int) xcell { return xcell{kind: xNum, v: v, dec: dec} }
func xi(n int) xcell              { return xcell{kind: xNum, v: float64(n), dec: 0} }

// xy is a year: a number without a thousands separator.
func xy(y int) xcell { return xcell{kind: xNum, v: float64(y), dec: -1} }
func xv(v Value, dec int) xcell {
	if !v.Published() {
		return xcell{kind: xSym, s: v.Symbol()}
	}
	return xn(*v.V, dec)
}
func xp(p *float64, dec int) xcell {
	if p == nil {
		return xcell{kind: xSym, s: StatusSuppressed}
	}
	return xn(*p, dec)
}

// sheetSpec is one worksheet: a title block, a header row frozen in view,
// data rows, and trailing rows (legend, chart data).
type sheetSpec struct {
	name   string
	title  []xcell // rows above the header, one cell each
	header []string
	rows   [][]xcell
	tail   [][]xcell
	// chart, when set, is drawn below the tail rows (where it prints one
	// page wide with the table, rather than beside it).
	chart func(sheet string, firstTail int) *excelize.Chart
}

type sheetStyles struct {
	title, header, text, wrap, bold, sym, year int
	num                                        [5]int // by decimals 0..4
}

func newSheetStyles(f *excelize.File) (sheetStyles, error) {
	var st sheetStyles
	var err error
	mk := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	// Fonts name their family: a bold font without one falls back to a
	// serif face in LibreOffice.
	st.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Family: "Calibri"}})
	st.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Calibri", Size: 11}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E8"}},
		Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	st.text = mk(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}})
	st.wrap = mk(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	st.bold = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Calibri", Size: 11}})
	// ".." sits right-aligned like the numbers it stands in for.
	st.sym = mk(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right"}, Font: &excelize.Font{Color: "555555", Family: "Calibri", Size: 11}})
	st.year = mk(&excelize.Style{NumFmt: 1}) // "0"
	for d := range st.num {
		format := "#,##0"
		if d > 0 {
			format += "." + strings.Repeat("0", d)
		}
		st.num[d] = mk(&excelize.Style{CustomNumFmt: &format})
	}
	return st, err
}

func (st sheetStyles) cell(c xcell) any {
	switch c.kind {
	case xText:
		if c.bold {
			return excelize.Cell{StyleID: st.bold, Value: c.s}
		}
		if c.wrap {
			return excelize.Cell{StyleID: st.wrap, Value: c.s}
		}
		return excelize.Cell{StyleID: st.text, Value: c.s}
	case xNum:
		if c.dec < 0 {
			return excelize.Cell{StyleID: st.year, Value: c.v}
		}
		d := min(max(c.dec, 0), len(st.num)-1)
		return excelize.Cell{StyleID: st.num[d], Value: round15(c.v)}
	case xSym:
		return excelize.Cell{StyleID: st.sym, Value: c.s}
	}
	return nil
}

// round15 rounds to 15 significant digits, all Excel keeps. excelize
// would cut longer numbers off (truncating, not rounding); rounding here
// stores the nearest 15-digit number instead.
func round15(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// width estimates a column width in Excel's character units.
func width(c xcell, lang string) int {
	switch c.kind {
	case xText, xSym:
		return utf8.RuneCountInString(c.s)
	case xNum:
		return utf8.RuneCountInString(FormatNumber(c.v, max(c.dec, 0), lang))
	}
	return 0
}

func writeSheet(f *excelize.File, st sheetStyles, sp sheetSpec, lang string) error {
	if _, err := f.NewSheet(sp.name); err != nil {
		return fmt.Errorf("sheet %q: %w", sp.name, err)
	}
	headerRow := len(sp.title) + 2 // a blank row between title and header
	firstTail := headerRow + len(sp.rows) + 2
	if sp.chart != nil {
		// The chart goes in before streaming: the stream writer then carries
		// the drawing reference into the worksheet it writes.
		anchor := fmt.Sprintf("A%d", firstTail+len(sp.tail)+1)
		if err := f.AddChart(sp.name, anchor, sp.chart(sp.name, firstTail)); err != nil {
			return fmt.Errorf("sheet %q: chart: %w", sp.name, err)
		}
	}
	// Column widths fitted to the header and data (titles and tail rows
	// may run over into empty neighbours, so they do not widen columns).
	ncol := len(sp.header)
	for _, r := range sp.tail {
		ncol = max(ncol, len(r))
	}
	widths := make([]int, ncol)
	for i, h := range sp.header {
		// Headers are bold: a little wider than their letters. Streamed rows
		// get no automatic height, so headers must fit on one line.
		widths[i] = max(widths[i], utf8.RuneCountInString(h)*11/10)
	}
	for _, r := range sp.rows {
		for i, c := range r {
			widths[i] = max(widths[i], width(c, lang))
		}
	}
	colWidths := make([]float64, len(widths))
	total := 0.0
	for i, w := range widths {
		colWidths[i] = float64(min(max(w, 6), 60)) + 2
		if w == 0 {
			colWidths[i] = 3 // an empty spacer column
		}
		total += colWidths[i]
	}
	if sp.chart != nil {
		total = max(total, chartColumns)
	}
	// Page setup before streaming: the stream writer writes the sheet
	// properties when it starts and the page setup when it flushes.
	if err := pageSetup(f, sp.name, total, headerRow); err != nil {
		return fmt.Errorf("sheet %q: page setup: %w", sp.name, err)
	}
	sw, err := f.NewStreamWriter(sp.name)
	if err != nil {
		return fmt.Errorf("sheet %q: %w", sp.name, err)
	}
	for i, cw := range colWidths {
		if err := sw.SetColWidth(i+1, i+1, cw); err != nil {
			return fmt.Errorf("sheet %q: %w", sp.name, err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: fmt.Sprintf("A%d", headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("sheet %q: %w", sp.name, err)
	}
	row := 1
	put := func(vals []any, opts ...excelize.RowOpts) error {
		cellRef, _ := excelize.CoordinatesToCellName(1, row)
		row++
		if err := sw.SetRow(cellRef, vals, opts...); err != nil {
			return fmt.Errorf("sheet %q row %d: %w", sp.name, row-1, err)
		}
		return nil
	}
	for i, c := range sp.title {
		v := st.cell(c)
		if i == 0 {
			v = excelize.Cell{StyleID: st.title, Value: c.s}
		}
		if err := put([]any{v}); err != nil {
			return err
		}
	}
	row = headerRow
	hv := make([]any, len(sp.header))
	for i, h := range sp.header {
		hv[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := put(hv); err != nil {
		return err
	}
	for _, part := range [][][]xcell{sp.rows, nil, sp.tail} {
		if part == nil {
			row = firstTail
			continue
		}
		for _, r := range part {
			vals := make([]any, len(r))
			for i, c := range r {
				if c.wrap && (i >= len(colWidths) || colWidths[i] < minWrapWidth) {
					// Wrapped in a narrow column the text would stand one
					// word a line: let it run over its empty neighbours.
					c.wrap = false
					r[i] = c
				}
				vals[i] = st.cell(c)
			}
			var opts []excelize.RowOpts
			if h := wrappedHeight(r, colWidths); h > 0 {
				opts = append(opts, excelize.RowOpts{Height: h})
			}
			if err := put(vals, opts...); err != nil {
				return err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("sheet %q: %w", sp.name, err)
	}
	return nil
}

// wrappedHeight is the height in points a row with wrapped text needs, or
// 0 for a row without any. Spreadsheet programs do not fit the height of
// streamed rows on opening, so it is set here from the text's length and
// its column's width (a character of the default font is about one width
// unit; a line is 15 points).
func wrappedHeight(r []xcell, colWidths []float64) float64 {
	lines := 0
	for i, c := range r {
		if !c.wrap || c.kind != xText {
			continue
		}
		w := 10.0
		if i < len(colWidths) {
			w = max(colWidths[i]-1, 4)
		}
		n := 0
		for _, para := range strings.Split(c.s, "\n") {
			// A character of running text is about one width unit wide on average.
			n += max(1, int(math.Ceil(float64(utf8.RuneCountInString(para))/w)))
		}
		lines = max(lines, n)
	}
	if lines <= 1 {
		return 0
	}
	return min(float64(lines)*15, maxRowHeight)
}

const (
	// minWrapWidth is the narrowest column (in width units) text wraps in.
	minWrapWidth = 25
	// maxRowHeight is the tallest row Excel allows, in points.
	maxRowHeight = 409
)

// Printing: every worksheet prints one page wide on A4 (as many pages
// tall as it needs), landscape when its columns (and chart) are wider than
// portrait holds, with the header row repeated on every page. Without this
// a spreadsheet program splits wide sheets into columns of pages (a
// municipality's sheet once printed on 52 pages).
const (
	// portraitColumns is about how many character widths fit across A4
	// portrait at 100 % with default margins; wider sheets go landscape
	// (and shrink to fit the width either way).
	portraitColumns = 95
	// chartColumns is the width of a delmål sheet's chart (560 px) in
	// character widths.
	chartColumns = 80
	paperA4      = 9
)

func pageSetup(f *excelize.File, sheet string, columns float64, headerRow int) error {
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	orientation := "portrait"
	if columns > portraitColumns {
		orientation = "landscape"
	}
	one, zero, a4 := 1, 0, paperA4
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &orientation, FitToWidth: &one, FitToHeight: &zero}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), headerRow, headerRow)})
}

func legendTail(lang string, k int) [][]xcell {
	return [][]xcell{
		{xb(tr(lang, "legend"))},
		{xt(StatusSuppressed), xw(legendText(lang, StatusSuppressed, k))},
		{xt(StatusMissing), xw(legendText(lang, StatusMissing, k))},
		{xt(StatusNotApplicable), xw(legendText(lang, StatusNotApplicable, k))},
	}
}

// sheetName makes a valid, unique worksheet name (31 characters, none of
// []:*?/\).
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > 31 {
		s = string([]rune(s)[:31])
	}
	return s
}

func (s *MunicipalitySheet) isCounty() bool { return s.Geo.Code == s.County.Code }

func frontSpec(s *MunicipalitySheet, lang string) sheetSpec {
	sp := sheetSpec{name: sheetName(tr(lang, "front")),
		title: []xcell{xt(fmt.Sprintf("%s – %s %d", tr(lang, "sheet_title"), s.Geo.Name, s.Year)),
			xt(fmt.Sprintf("%s: %s", tr(lang, "county_name"), s.County.Name))}}
	sp.header = []string{tr(lang, "indicator_id"), tr(lang, "indicator"), tr(lang, "unit"), tr(lang, "year"), s.Geo.Name}
	if !s.isCounty() {
		sp.header = append(sp.header, tr(lang, "county"))
	}
	sp.header = append(sp.header, tr(lang, "sweden"))
	for _, h := range s.Headline {
		r := []xcell{xt(h.IndicatorID), xt(h.Title), xt(h.Unit), xy(h.Year), xv(h.Geo, h.Decimals)}
		if !s.isCounty() {
			r = append(r, xv(h.County, h.Decimals))
		}
		sp.rows = append(sp.rows, append(r, xv(h.Sweden, h.Decimals)))
	}
	sp.tail = legendTail(lang, minN(s.MinN))
	return sp
}

// Columns of a delmål sheet.
var delmalCols = []string{"indicator_id", "indicator", "unit", "year", "women", "men", "total", "ratio", "comparison_year", "comparison_value", "change", "direction"}

func delmalSpec(s *MunicipalitySheet, d DelmalTable, lang string) sheetSpec {
	title := d.Title
	if title == "" {
		title = DelmalTitle(lang, d.Delmal)
	}
	sp := sheetSpec{name: sheetName(fmt.Sprintf("%s %d", tr(lang, "delmal"), d.Delmal)),
		title: []xcell{xt(fmt.Sprintf("%s %d. %s", tr(lang, "delmal"), d.Delmal, title)), xt(fmt.Sprintf("%s %d", s.Geo.Name, s.Year))}}
	for _, c := range delmalCols {
		sp.header = append(sp.header, tr(lang, c))
	}
	for _, r := range d.Rows {
		by := xcell{}
		if r.BaselineYear > 0 {
			by = xy(r.BaselineYear)
		}
		sp.rows = append(sp.rows, []xcell{xt(r.IndicatorID), xt(r.Title), xt(r.Unit), xy(r.Year),
			xv(r.Women, r.Decimals), xv(r.Men, r.Decimals), xv(r.Total, r.Decimals), xv(r.Ratio, 2),
			by, xv(r.Baseline, r.Decimals), xv(r.Change, r.Decimals), xt(directionLabel(lang, r.Direction, r.Polarity))})
	}
	sp.tail = legendTail(lang, minN(s.MinN))
	// Chart data: the K/M ratio as a number, or an empty cell where it is
	// not published (an empty cell is a gap in the chart; the ".." text in
	// the table would be drawn as 0).
	sp.tail = append(sp.tail, nil, []xcell{xb(tr(lang, "chart_data")), xb(tr(lang, "indicator")), xb(tr(lang, "ratio"))})
	any := false
	for _, r := range d.Rows {
		c := xcell{}
		if r.Ratio.Published() {
			c = xn(*r.Ratio.V, 2)
			any = true
		}
		sp.tail = append(sp.tail, []xcell{xt(r.IndicatorID), xt(r.Title), c})
	}
	if any && len(d.Rows) > 0 {
		sp.chart = func(sheet string, firstTail int) *excelize.Chart {
			first := firstTail + len(legendTail(lang, 0)) + 2
			last := first + len(d.Rows) - 1
			q := quoteSheet(sheet)
			return &excelize.Chart{
				Type: excelize.Bar,
				Series: []excelize.ChartSeries{{
					// excelize writes the name as a formula: point it at a cell.
					Name:       fmt.Sprintf("%s!$C$%d", q, first-1),
					Categories: fmt.Sprintf("%s!$B$%d:$B$%d", q, first, last),
					Values:     fmt.Sprintf("%s!$C$%d:$C$%d", q, first, last),
					Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"0072B2"}},
				}},
				Title:        excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: tr(lang, "chart_ratio")}}},
				Legend:       excelize.ChartLegend{Position: "none"},
				XAxis:        excelize.ChartAxis{ReverseOrder: true},
				YAxis:        excelize.ChartAxis{MajorGridLines: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.00"}},
				ShowBlanksAs: "gap",
				Dimension:    excelize.ChartDimension{Width: 560, Height: uint(max(260, 40+28*len(d.Rows)))},
				Format:       excelize.GraphicOptions{AltText: tr(lang, "chart_ratio") + ": " + title},
			}
		}
	}
	return sp
}

func quoteSheet(name string) string {
	return "'" + strings.ReplaceAll(name, "'", "''") + "'"
}

// Columns of the working-conditions sheet.
var workCols = []string{"condition", "unit", "female_group", "n", "share_women", "value", "male_group", "n", "share_women", "value", "difference", "ci_low", "ci_high", "significant"}

func workSpec(s *MunicipalitySheet, lang string) sheetSpec {
	k := minN(s.MinN)
	sp := sheetSpec{name: sheetName(tr(lang, "work_conditions")),
		title: []xcell{xt(fmt.Sprintf("%s – %s %d", tr(lang, "wc_title"), s.Geo.Name, s.Year))}}
	for _, c := range workCols {
		sp.header = append(sp.header, tr(lang, c))
	}
	na := xcell{kind: xSym, s: StatusNotApplicable}
	group := func(g Group, dec int, female bool) []xcell {
		switch {
		case g.absent():
			// No qualifying group: nothing to count, "." (not "..").
			return []xcell{xt(noGroupLabel(lang, female)), na, na, xv(g.Value, dec)}
		case g.N < k:
			// A head count under k is itself a small cell, and so is the
			// sex composition of such a group.
			return []xcell{xt(groupLabel(g)), {kind: xSym, s: StatusSuppressed}, {kind: xSym, s: StatusSuppressed}, xv(g.Value, dec)}
		}
		return []xcell{xt(groupLabel(g)), xi(g.N), xn(g.Share, 1), xv(g.Value, dec)}
	}
	for _, c := range s.WorkConditions {
		dd := diffDecimals(c.Kind, c.Decimals)
		r := []xcell{xt(c.Condition), xt(c.Unit)}
		r = append(r, group(c.FemaleGroup, c.Decimals, true)...)
		r = append(r, group(c.MaleGroup, c.Decimals, false)...)
		if c.FemaleGroup.absent() || c.MaleGroup.absent() {
			r = append(r, na, na, na, na)
		} else {
			r = append(r, xp(c.Difference, dd), xp(c.CILow, dd), xp(c.CIHigh, dd), xt(yesNo(lang, c.Distinguishable, c.Difference != nil)))
		}
		sp.rows = append(sp.rows, r)
	}
	sp.tail = legendTail(lang, k)
	// "." here marks an employer without a qualifying group.
	sp.tail[len(sp.tail)-1] = []xcell{xt(StatusNotApplicable), xw(tr(lang, "legend_no_group"))}
	return sp
}

func metaSpec(s *MunicipalitySheet, lang string) sheetSpec {
	k := minN(s.MinN)
	sp := sheetSpec{name: sheetName(tr(lang, "metadata")), title: []xcell{xt(tr(lang, "metadata"))},
		header: []string{tr(lang, "term"), tr(lang, "text"), "", ""}}
	add := func(cs ...xcell) { sp.rows = append(sp.rows, cs) }
	if s.isCounty() {
		add(xt(tr(lang, "county_name")), xt(s.County.Name+" ("+s.County.Code+")"))
	} else {
		add(xt(tr(lang, "municipality")), xt(s.Geo.Name+" ("+s.Geo.Code+")"))
		add(xt(tr(lang, "county_name")), xt(s.County.Name+" ("+s.County.Code+")"))
	}
	add(xt(tr(lang, "reference_year")), xy(s.Year))
	add(xt(tr(lang, "version")), xt(s.Version))
	if !s.Generated.IsZero() {
		add(xt(tr(lang, "generated")), xt(s.Generated.Format("2006-01-02")))
	}
	add(xt(tr(lang, "suppression")), xw(suppressionText(lang, k)))
	add()
	add(xb(tr(lang, "sources")), xb(tr(lang, "address")), xb(tr(lang, "reference_year")), xb(tr(lang, "published")))
	for _, src := range s.Sources {
		ry := xcell{}
		if src.ReferenceYear > 0 {
			ry = xy(src.ReferenceYear)
		}
		add(xw(src.Name), xw(src.URL), ry, xw(src.Published))
	}
	add()
	add(xb(tr(lang, "definitions")))
	for _, d := range s.Definitions {
		add(xw(d.Term), xw(d.Text))
	}
	sp.tail = legendTail(lang, k)
	return sp
}

func sheetSpecs(s *MunicipalitySheet) []sheetSpec {
	lang := langOr(s.Lang)
	specs := []sheetSpec{frontSpec(s, lang)}
	for _, d := range s.Delmal {
		specs = append(specs, delmalSpec(s, d, lang))
	}
	if len(s.WorkConditions) > 0 {
		specs = append(specs, workSpec(s, lang))
	}
	return append(specs, metaSpec(s, lang))
}

// WriteMunicipalitySheet writes the indicator sheet as an .xlsx workbook:
// an overview against county and Sweden, one worksheet per delmål with a
// native chart, the working-conditions comparison and metadata.
func WriteMunicipalitySheet(w io.Writer, s *MunicipalitySheet) error {
	if err := s.Validate(); err != nil {
		return err
	}
	lang := langOr(s.Lang)
	f := excelize.NewFile()
	defer f.Close()
	st, err := newSheetStyles(f)
	if err != nil {
		return fmt.Errorf("sheet %s: styles: %w", s.Geo.Code, err)
	}
	specs := sheetSpecs(s)
	seen := map[string]bool{}
	for i, sp := range specs {
		if seen[sp.name] {
			return fmt.Errorf("sheet %s: two worksheets named %q (delmål listed twice?)", s.Geo.Code, sp.name)
		}
		seen[sp.name] = true
		if i == 0 {
			// Rename the default sheet rather than leave an empty "Sheet1".
			if err := f.SetSheetName("Sheet1", sp.name); err != nil {
				return fmt.Errorf("sheet %s: %w", s.Geo.Code, err)
			}
		}
		if err := writeSheet(f, st, sp, lang); err != nil {
			return fmt.Errorf("sheet %s: %w", s.Geo.Code, err)
		}
	}
	f.SetActiveSheet(0)
	props := &excelize.DocProperties{Title: fmt.Sprintf("%s – %s %d", tr(lang, "sheet_title"), s.Geo.Name, s.Year), Creator: "jamstat " + s.Version, Language: lang}
	if !s.Generated.IsZero() {
		props.Created = s.Generated.UTC().Format("2006-01-02T15:04:05Z")
	}
	if err := f.SetDocProps(props); err != nil {
		return fmt.Errorf("sheet %s: %w", s.Geo.Code, err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("sheet %s: write: %w", s.Geo.Code, err)
	}
	return nil
}
