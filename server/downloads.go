package server

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/reports"
)

// Downloads per geography, each built once per (geography, year, language,
// data version) and kept in the response cache:
//
//	/kommun/{code}/sheet.xlsx?year=Y  the indicator sheet (reports.WriteMunicipalitySheet)
//	/kommun/{code}/data.csv?year=Y    the sheet's indicator table as CSV (reports.WriteSheetCSV)
//	/kommun/{code}/data.json          every published value of the geography, API shape
//
// and the same under /lan/{code}/ for a county, plus /lan/{code}/indikatorer,
// the county's own indicator page.

func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	g, err := geoByParam(r.PathValue("code"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	wantKind := data.KindKommun
	if r.URL.Path[:5] == "/lan/" {
		wantKind = data.KindRegion
	}
	if g.Kind != wantKind {
		s.writeError(w, r, errNotFound("not found"))
		return
	}
	switch file := r.PathValue("file"); {
	case file == "indikatorer" && wantKind == data.KindRegion:
		s.geoPage(w, r, g)
	case file == "sheet.xlsx":
		s.sheetDownload(w, r, g, false)
	case file == "data.csv":
		s.sheetDownload(w, r, g, true)
	case file == "data.json":
		s.jsonDownload(w, r, g)
	default:
		s.writeError(w, r, errNotFound("not found"))
	}
}

func (s *Server) sheetDownload(w http.ResponseWriter, r *http.Request, g data.Geo, csv bool) {
	year, lang, err := pageQuery(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	kind := "xlsx"
	if csv {
		kind = "csv"
	}
	s.serveCached(w, r, kind+"|"+g.Code+"|"+year+"|"+lang, func(h *handle) (*entry, error) {
		y, _, err := latestYear(r.Context(), h, g, year)
		if err != nil {
			return nil, err
		}
		if y == "" {
			return nil, errNotFound("no figures for %s", g.Name)
		}
		// The sheet model is filled by package reports, from the same
		// read-only handle; its writers refuse a model that would publish a
		// value resting on fewer than k persons (logged as a 500 here).
		sheet, err := reports.BuildMunicipalitySheet(r.Context(), h.db, s.cat, g.Code, y, lang)
		if err != nil {
			return nil, errInternal(fmt.Errorf("build sheet %s %s: %w", g.Code, y, err))
		}
		var buf bytes.Buffer
		name := "jamstat-" + g.Code + "-" + y
		if csv {
			if err := reports.WriteSheetCSV(&buf, sheet, reports.CSVOptions{DecimalPoint: lang == "en"}); err != nil {
				return nil, errInternal(err)
			}
			return &entry{body: buf.Bytes(), contentType: "text/csv; charset=utf-8", filename: name + ".csv"}, nil
		}
		if err := reports.WriteMunicipalitySheet(&buf, sheet); err != nil {
			return nil, errInternal(err)
		}
		return &entry{body: buf.Bytes(), filename: name + ".xlsx",
			contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, nil
	})
}

func (s *Server) jsonDownload(w http.ResponseWriter, r *http.Request, g data.Geo) {
	if _, err := query(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.serveCached(w, r, "json|"+g.Code, func(h *handle) (*entry, error) {
		sets, err := queryValues(r.Context(), h.db.SQL, filter{Geos: []string{g.Code}}, 0, 0)
		if err != nil {
			return nil, err
		}
		out := apiData{Values: []apiSeries{}}
		for _, vs := range sets {
			vs.control(h.cat.minN(vs.Indicator))
			out.Values = append(out.Values, toAPISeries(vs))
		}
		out.Count = len(out.Values)
		e, err := jsonEntry(out)
		if err != nil {
			return nil, err
		}
		e.filename = "jamstat-" + g.Code + ".json"
		return e, nil
	})
}
