package server

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/reports"
)

// The municipality page (and the county's own indicator page): the
// indicators per delmål with women, men and total for the geography, its
// county and Sweden side by side, a chart per indicator, the goals of the
// national and the county's strategy, and the downloads.

type yearOpt struct {
	Value    string
	Selected bool
}

type cellView struct {
	Text, Class, Title string
}

type rowView struct {
	ID, Anchor, Title, Unit string
	Goals                   []string
	Cells                   []cellView
}

type chartView struct {
	SVG     template.HTML
	Caption string
}

type sectionView struct {
	ID, Title string
	Rows      []rowView
	Charts    []chartView
}

type anchorLink struct{ Anchor, Title string }

type goalView struct {
	ID, Text   string
	Indicators []anchorLink
}

type stratView struct {
	Name  string
	Goals []goalView
}

type geoView struct {
	Name, Code, URL       string
	IsCounty              bool
	CountyName, CountyURL string
	Year                  string
	Years                 []yearOpt
	XLSXURL, CSVURL       string
	JSONURL               string
	Columns               []string
	Sections              []sectionView
	Strategies            []stratView
}

func (s *Server) handleMunicipality(w http.ResponseWriter, r *http.Request) {
	g, err := geoByParam(r.PathValue("code"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if g.Kind != data.KindKommun {
		s.writeError(w, r, errNotFound("%s is not a municipality", g.Code))
		return
	}
	s.geoPage(w, r, g)
}

func (s *Server) geoPage(w http.ResponseWriter, r *http.Request, g data.Geo) {
	year, lang, err := pageQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	s.serveCached(w, r, "page|"+g.Code+"|"+year+"|"+lang, func(h *handle) (*entry, error) {
		view, err := buildGeoView(r.Context(), h, g, year, lang)
		if err != nil {
			return nil, err
		}
		b, err := renderPage("kommun", s.newPage(r, lang, view.Name, h.version, view))
		if err != nil {
			return nil, err
		}
		return htmlEntry(b), nil
	})
}

// pageGeos are the geographies a page shows side by side: the geography,
// its county (for a kommun) and Sweden.
func pageGeos(g data.Geo) []data.Geo {
	out := []data.Geo{g}
	if g.Kind == data.KindKommun {
		if c, ok := data.GeoByCode(g.CountyCode); ok {
			out = append(out, c)
		}
	}
	if g.Kind != data.KindRiket {
		if sw, ok := data.GeoByCode(data.SwedenCode); ok {
			out = append(out, sw)
		}
	}
	return out
}

func geoName(g data.Geo, lang string) string {
	if lang == "en" && g.NameEn != "" {
		return g.NameEn
	}
	return g.Name
}

func geoBase(g data.Geo) string {
	if g.Kind == data.KindRegion {
		return "/lan/" + g.Code
	}
	return "/kommun/" + g.Code
}

// latestYear resolves the year to show: the one asked for, which must have
// figures, or the latest with figures ("" when there are none).
func latestYear(ctx context.Context, h *handle, g data.Geo, year string) (string, []string, error) {
	periods, err := periodsFor(ctx, h.db.SQL, g.Code)
	if err != nil {
		return "", nil, err
	}
	if year == "" {
		if len(periods) > 0 {
			year = periods[0]
		}
		return year, periods, nil
	}
	if !slices.Contains(periods, year) {
		return "", nil, errNotFound("no figures for %s in %s", g.Name, year)
	}
	return year, periods, nil
}

func buildGeoView(ctx context.Context, h *handle, g data.Geo, year, lang string) (*geoView, error) {
	L := labelsFor(lang)
	year, periods, err := latestYear(ctx, h, g, year)
	if err != nil {
		return nil, err
	}
	base := geoBase(g)
	v := &geoView{Name: geoName(g, lang), Code: g.Code, URL: base, IsCounty: g.Kind == data.KindRegion, Year: year}
	if g.Kind == data.KindKommun {
		if c, ok := data.GeoByCode(g.CountyCode); ok {
			v.CountyName, v.CountyURL = geoName(c, lang), withLang("/lan/"+c.Code, lang)
		}
	}
	for _, p := range periods {
		v.Years = append(v.Years, yearOpt{Value: p, Selected: p == year})
	}
	if year == "" {
		return v, nil
	}
	v.XLSXURL = withLang(base+"/sheet.xlsx?year="+year, lang)
	v.CSVURL = withLang(base+"/data.csv", lang)
	v.JSONURL = base + "/data.json"

	geos := pageGeos(g)
	var codes []string
	for i, x := range geos {
		codes = append(codes, x.Code)
		name := geoName(x, lang)
		if i == 0 && g.Kind == data.KindKommun {
			name = L["municipality"] + " (" + name + ")"
		}
		v.Columns = append(v.Columns, name)
	}
	sets, err := queryValues(ctx, h.db.SQL, filter{Geos: codes, Periods: []string{year}}, 0, 0)
	if err != nil {
		return nil, err
	}
	byKey := map[[2]string]*valueSet{}
	for _, vs := range sets {
		vs.control(h.cat.minN(vs.Indicator))
		byKey[[2]string{vs.Indicator, vs.Geo}] = vs
	}
	present := func(id string) bool { return byKey[[2]string{id, g.Code}] != nil }

	strategies := h.cat.strategiesFor(countyOf(g))
	goalShown := map[string]bool{} // goals of the national and the county's strategy
	for _, st := range strategies {
		for _, gm := range st.Goals {
			goalShown[gm.ID] = true
		}
	}
	anchors := map[string]string{} // indicator → anchor of its first row
	section := func(id, title string, metas []*indMeta) (sectionView, error) {
		sec := sectionView{ID: id, Title: title}
		for _, m := range metas {
			if !present(m.ID) {
				continue
			}
			row := rowView{ID: m.ID, Title: m.Title.in(lang), Unit: unitLabel(m.Unit, lang)}
			if strings.Contains(row.Title, row.Unit) {
				row.Unit = "" // the title names it already ("andel (%)", "kr")
			}
			for _, gid := range m.Goals {
				if goalShown[gid] {
					row.Goals = append(row.Goals, gid)
				}
			}
			first := anchors[m.ID] == ""
			row.Anchor = "ind-" + m.ID + "-" + id
			if first {
				row.Anchor = "ind-" + m.ID
				anchors[m.ID] = row.Anchor
			}
			dec := decimalsFor(m.Unit, m.Kind)
			for _, x := range geos {
				vs := byKey[[2]string{m.ID, x.Code}]
				for _, sx := range []string{"K", "M", "T"} {
					row.Cells = append(row.Cells, formatCell(vs, sx, dec, lang))
				}
			}
			sec.Rows = append(sec.Rows, row)
			if first {
				ch, err := indicatorChart(m, geos, byKey, lang)
				if err != nil {
					return sec, err
				}
				if ch != nil {
					sec.Charts = append(sec.Charts, *ch)
				}
			}
		}
		return sec, nil
	}
	for _, d := range h.cat.delmal {
		var metas []*indMeta
		for _, m := range h.cat.indicators {
			if slices.Contains(m.Delmal, d.Number) {
				metas = append(metas, m)
			}
		}
		title := fmt.Sprintf("%s %d: %s", L["delmal"], d.Number, d.Text.in(lang))
		sec, err := section(fmt.Sprintf("delmal-%d", d.Number), title, metas)
		if err != nil {
			return nil, err
		}
		if len(sec.Rows) > 0 {
			v.Sections = append(v.Sections, sec)
		}
	}
	var rest []*indMeta
	for _, m := range h.cat.indicators {
		if len(m.Delmal) == 0 {
			rest = append(rest, m)
		}
	}
	sec, err := section("other", L["other"], rest)
	if err != nil {
		return nil, err
	}
	if len(sec.Rows) > 0 {
		v.Sections = append(v.Sections, sec)
	}

	for _, st := range strategies {
		sv := stratView{Name: st.Name.in(lang)}
		for _, gm := range st.Goals {
			gv := goalView{ID: gm.ID, Text: gm.Text.in(lang)}
			for _, id := range gm.Indicators {
				if a := anchors[id]; a != "" {
					gv.Indicators = append(gv.Indicators, anchorLink{Anchor: a, Title: h.cat.byID[id].Title.in(lang)})
				}
			}
			if len(gv.Indicators) > 0 {
				sv.Goals = append(sv.Goals, gv)
			}
		}
		if len(sv.Goals) > 0 {
			v.Strategies = append(v.Strategies, sv)
		}
	}
	return v, nil
}

func countyOf(g data.Geo) string {
	if g.Kind == data.KindRiket {
		return data.SwedenCode
	}
	return g.CountyCode
}

// formatCell renders one cell: the number, the status symbol of a value
// that is not published (with its explanation), or "–" for no figure.
func formatCell(vs *valueSet, sex string, decimals int, lang string) cellView {
	if vs == nil {
		return cellView{Text: "–", Class: "num sup"}
	}
	c, ok := vs.cell(sex)
	if !ok {
		return cellView{Text: "–", Class: "num sup"}
	}
	if c.published() {
		return cellView{Text: fmtNum(*c.V, decimals, lang), Class: "num"}
	}
	sym := c.Status
	switch sym {
	case statusSuppressed, "-", ".":
	default:
		sym = statusSuppressed
	}
	return cellView{Text: sym, Class: "num sup", Title: labelsFor(lang)["sym_suppressed"]}
}

func reportValue(vs *valueSet, sex string) reports.Value {
	if vs == nil {
		return reports.Value{Status: reports.StatusMissing}
	}
	c, ok := vs.cell(sex)
	if !ok {
		return reports.Value{Status: reports.StatusMissing}
	}
	if !c.published() {
		st := c.Status
		if st == "" {
			st = reports.StatusSuppressed
		}
		return reports.Value{Status: st}
	}
	return reports.Num(*c.V, c.N)
}

// indicatorChart draws women against men (or the total, for indicators
// that compare the sexes in one number) for the geographies side by side;
// nil when nothing is published.
func indicatorChart(m *indMeta, geos []data.Geo, byKey map[[2]string]*valueSet, lang string) (*chartView, error) {
	L := labelsFor(lang)
	var cats []string
	for _, g := range geos {
		cats = append(cats, geoName(g, lang))
	}
	series := []reports.BarSeries{{Label: L["women"]}, {Label: L["men"]}}
	sexesShown := []string{"K", "M"}
	desc := L["chart_desc"]
	if !m.perSex() {
		series = []reports.BarSeries{{Label: L["total"]}}
		sexesShown = []string{"T"}
		desc = L["chart_desc_t"]
	}
	any := false
	for i, sx := range sexesShown {
		for _, g := range geos {
			val := reportValue(byKey[[2]string{m.ID, g.Code}], sx)
			any = any || val.Published()
			series[i].Values = append(series[i].Values, val)
		}
	}
	if !any {
		return nil, nil
	}
	title := m.Title.in(lang)
	svg, err := reports.GroupedBarsSVG(reports.GroupedBarsSpec{
		Title: title, Desc: desc, ValueLabel: unitLabel(m.Unit, lang), Categories: cats, Series: series, Lang: lang,
	})
	if err != nil {
		return nil, fmt.Errorf("chart %s: %w", m.ID, err)
	}
	return &chartView{SVG: template.HTML(svg), Caption: desc}, nil
}
