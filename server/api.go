package server

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/jamstat/jamstat/data"
)

// The JSON API follows Kolada's (api.kolada.se v2/v3) shape, so clients
// written for Kolada need little change: lists are {"count", "values"},
// data rows are {indicator, municipality, period, values: [{gender,
// value, count, status}]}, geographies use Kolada's ids (a county "14" is
// "0014", Sweden "0000") and pages are linked by next_page.

//go:embed openapi.json
var openAPIDoc []byte

const (
	defaultPerPage = 1000
	maxPerPage     = 5000
	maxPage        = 1_000_000
)

type apiValue struct {
	Gender string   `json:"gender"`
	Value  *float64 `json:"value"`
	Count  int      `json:"count"`
	Status string   `json:"status"`
}

type apiSeries struct {
	Indicator    string          `json:"indicator"`
	Municipality string          `json:"municipality"`
	Period       json.RawMessage `json:"period"`
	Values       []apiValue      `json:"values"`
}

type apiData struct {
	Count        int         `json:"count"`
	Values       []apiSeries `json:"values"`
	NextPage     string      `json:"next_page,omitempty"`
	PreviousPage string      `json:"previous_page,omitempty"`
}

type apiIndicator struct {
	ID                string   `json:"id"`
	Title             string   `json:"title"`
	Description       string   `json:"description"`
	Unit              string   `json:"unit"`
	Kind              string   `json:"kind"`
	Polarity          string   `json:"polarity"`
	IsDividedByGender int      `json:"is_divided_by_gender"`
	MinN              int      `json:"min_n"`
	Source            string   `json:"source"`
	Delmal            []int    `json:"delmal"`
	Goals             []string `json:"goals"`
}

type apiMunicipality struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Type   string `json:"type"` // K kommun, L county/region (and Sweden), as Kolada
	County string `json:"county,omitempty"`
}

// periodJSON writes a year as a number, as Kolada does; a period that is
// not a plain number stays a string.
func periodJSON(p string) json.RawMessage {
	if _, err := strconv.Atoi(p); err == nil && !strings.HasPrefix(p, "0") {
		return json.RawMessage(p)
	}
	b, _ := json.Marshal(p)
	return b
}

// koladaGenderOrder lists a series' values as Kolada does: K, M, T.
var koladaGenderOrder = [3]int{1, 2, 0}

func toAPISeries(v *valueSet) apiSeries {
	s := apiSeries{Indicator: v.Indicator, Municipality: koladaID(v.Geo), Period: periodJSON(v.Period)}
	for _, i := range koladaGenderOrder {
		if !v.Has[i] {
			continue
		}
		c := v.Cells[i]
		av := apiValue{Gender: sexes[i], Value: c.V, Count: c.N, Status: c.Status}
		if !c.published() {
			av.Value, av.Count = nil, 0
		}
		s.Values = append(s.Values, av)
	}
	return s
}

func (s *Server) handleData(w http.ResponseWriter, r *http.Request) {
	v, err := query(r, "indicator", "municipality", "period", "page", "per_page")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	inds, err := idList(v, "indicator", idRe)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	geoIDs, err := idList(v, "municipality", geoRe)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	periods, err := idList(v, "period", periodRe)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	page, err := intParam(v, "page", 1, 1, maxPage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	perPage, err := intParam(v, "per_page", defaultPerPage, 1, maxPerPage)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var geos []string
	for _, id := range geoIDs {
		g, err := geoByParam(id)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		geos = append(geos, g.Code)
	}
	f := filter{Indicators: inds, Geos: geos, Periods: periods}
	key := "data|" + strings.Join(inds, ",") + "|" + strings.Join(geos, ",") + "|" + strings.Join(periods, ",") +
		"|" + strconv.Itoa(page) + "|" + strconv.Itoa(perPage)
	s.serveCached(w, r, key, func(h *handle) (*entry, error) {
		for _, id := range inds {
			if h.cat.byID[id] == nil {
				return nil, errNotFound("unknown indicator: %s", id)
			}
		}
		sets, err := queryValues(r.Context(), h.db.SQL, f, (page-1)*perPage, perPage+1)
		if err != nil {
			return nil, err
		}
		out := apiData{Values: []apiSeries{}}
		more := len(sets) > perPage
		for _, vs := range sets {
			if len(out.Values) == perPage {
				break
			}
			vs.control(h.cat.minN(vs.Indicator))
			out.Values = append(out.Values, toAPISeries(vs))
		}
		out.Count = len(out.Values)
		if more {
			out.NextPage = s.pageURL(inds, geoIDs, periods, page+1, perPage)
		}
		if page > 1 {
			out.PreviousPage = s.pageURL(inds, geoIDs, periods, page-1, perPage)
		}
		return jsonEntry(out)
	})
}

func (c *catalog) minN(id string) int {
	if m := c.byID[id]; m != nil && m.MinN > 0 {
		return m.MinN
	}
	return 5
}

// pageURL is the link to another page of the same query, built from the
// checked parameters only.
func (s *Server) pageURL(inds, geos, periods []string, page, perPage int) string {
	q := url.Values{}
	if len(inds) > 0 {
		q.Set("indicator", strings.Join(inds, ","))
	}
	if len(geos) > 0 {
		q.Set("municipality", strings.Join(geos, ","))
	}
	if len(periods) > 0 {
		q.Set("period", strings.Join(periods, ","))
	}
	q.Set("page", strconv.Itoa(page))
	q.Set("per_page", strconv.Itoa(perPage))
	return s.cfg.BaseURL + "/api/v1/data?" + q.Encode()
}

func (s *Server) handleIndicators(w http.ResponseWriter, r *http.Request) {
	v, err := query(r, "lang")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lang, err := langParam(v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	var ids []string
	if id := r.PathValue("id"); id != "" {
		ids, err = idList(url.Values{"id": {id}}, "id", idRe)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	key := "indicators|" + lang + "|" + strings.Join(ids, ",")
	s.serveCached(w, r, key, func(h *handle) (*entry, error) {
		out := struct {
			Count  int            `json:"count"`
			Values []apiIndicator `json:"values"`
		}{Values: []apiIndicator{}}
		metas := h.cat.indicators
		if ids != nil {
			metas = nil
			for _, id := range ids {
				m := h.cat.byID[id]
				if m == nil {
					return nil, errNotFound("unknown indicator: %s", id)
				}
				metas = append(metas, m)
			}
		}
		for _, m := range metas {
			ai := apiIndicator{ID: m.ID, Title: m.Title.in(lang), Description: m.Desc.in(lang), Unit: m.Unit,
				Kind: m.Kind, Polarity: m.Polarity, MinN: m.MinN, Source: m.Source,
				Delmal: m.Delmal, Goals: m.Goals}
			if m.perSex() {
				ai.IsDividedByGender = 1
			}
			if ai.Delmal == nil {
				ai.Delmal = []int{}
			}
			if ai.Goals == nil {
				ai.Goals = []string{}
			}
			out.Values = append(out.Values, ai)
		}
		out.Count = len(out.Values)
		return jsonEntry(out)
	})
}

func (s *Server) handleMunicipalities(w http.ResponseWriter, r *http.Request) {
	v, err := query(r, "title", "lang")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lang, err := langParam(v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	title := v.Get("title")
	if len(title) > 100 {
		s.writeError(w, r, errBadRequest("title is longer than 100 characters"))
		return
	}
	geos, err := data.Geos()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := struct {
		Count  int               `json:"count"`
		Values []apiMunicipality `json:"values"`
	}{Values: []apiMunicipality{}}
	needle := fold(title)
	for _, g := range geos {
		name := g.Name
		if lang == "en" && g.NameEn != "" {
			name = g.NameEn
		}
		if needle != "" && !strings.Contains(fold(name), needle) {
			continue
		}
		m := apiMunicipality{ID: koladaID(g.Code), Title: name, Type: "L"}
		if g.Kind == data.KindKommun {
			m.Type, m.County = "K", koladaID(g.CountyCode)
		}
		out.Values = append(out.Values, m)
	}
	out.Count = len(out.Values)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(openAPIDoc)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if _, err := query(r); err != nil {
		s.writeError(w, r, err)
		return
	}
	s.db.maybeCheck(r.Context())
	w.Header().Set("Cache-Control", "no-store")
	version, err := s.db.current()
	if err != nil {
		w.Header().Set("Retry-After", "5")
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "data_version": version})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshalJSON(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":"internal error"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Served as application/json with nosniff: no need to escape & < >.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func jsonEntry(v any) (*entry, error) {
	b, err := marshalJSON(v)
	if err != nil {
		return nil, errInternal(err)
	}
	return &entry{body: b, contentType: "application/json; charset=utf-8"}, nil
}
