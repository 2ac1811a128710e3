package server

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"

	"github.com/jamstat/jamstat/data"
)

//go:embed templates
var templateFS embed.FS

func mustRead(name string) []byte {
	b, err := templateFS.ReadFile(name)
	if err != nil {
		// Embedded at build time: a missing file is a build bug.
		panic(err)
	}
	return b
}

var (
	styleCSS = template.CSS(mustRead("templates/style.css"))
	searchJS = mustRead("templates/search.js")
	pages    = map[string]*template.Template{}

	// The one inline script is allowed by its hash; styles are inline
	// (the page and the SVG charts), nothing is loaded from elsewhere.
	contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-" +
		func() string { s := sha256.Sum256(searchJS); return base64.StdEncoding.EncodeToString(s[:]) }() +
		"'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)

func init() {
	for _, name := range []string{"index", "kommun", "lan", "error"} {
		pages[name] = template.Must(template.New("layout").ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
}

// pageData is what every page template gets; Body is the page's own view.
type pageData struct {
	Lang, OtherLang string
	Title           string
	L               map[string]string
	CSS             template.CSS
	Script          template.JS
	HomeURL         string
	LangURL         string
	Version         string
	DataVersion     string
	Body            any
}

func (s *Server) newPage(r *http.Request, lang, title, dataVersion string, body any) *pageData {
	other := "en"
	if lang == "en" {
		other = "sv"
	}
	q := r.URL.Query()
	if other == "sv" {
		q.Del("lang")
	} else {
		q.Set("lang", "en")
	}
	langURL := r.URL.Path
	if enc := q.Encode(); enc != "" {
		langURL += "?" + enc
	}
	return &pageData{Lang: lang, OtherLang: other, Title: title, L: labelsFor(lang), CSS: styleCSS,
		HomeURL: withLang("/", lang), LangURL: langURL, Version: s.cfg.Version, DataVersion: dataVersion, Body: body}
}

// withLang adds lang=en to an internal link when the page is English.
func withLang(u, lang string) string {
	if lang != "en" {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&lang=en"
	}
	return u + "?lang=en"
}

func renderPage(name string, p *pageData) ([]byte, error) {
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		return nil, errInternal(err)
	}
	return buf.Bytes(), nil
}

func htmlEntry(b []byte) *entry {
	return &entry{body: b, contentType: "text/html; charset=utf-8"}
}

func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg, id string) {
	lang := "sv"
	if r.URL.Query().Get("lang") == "en" {
		lang = "en"
	}
	p := s.newPage(r, lang, labelsFor(lang)["error"], "", struct {
		Status    int
		Message   string
		RequestID string
	}{status, msg, id})
	// The language link of an error page leads home: the request's own
	// parameters may be what was wrong with it.
	p.LangURL = withLang("/", p.OtherLang)
	b, err := renderPage("error", p)
	if err != nil {
		s.log.Error("render error page", "id", id, "err", err)
		b = []byte("error " + http.StatusText(status) + ", request id " + template.HTMLEscapeString(id) + "\n")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
}

// --- index ---

type linkView struct {
	Code, Name, URL string
}

type countyView struct {
	linkView
	Kommuner []linkView
}

type indexView struct {
	Query    string
	Searched bool
	Matches  int
	Counties []countyView
}

const maxSearchLen = 100

// handleIndex lists counties and municipalities, filtered by ?q= on the
// server (the inline script filters as one types, as a convenience only).
// It needs no database: the geographies are embedded reference data.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	v, err := query(r, "q", "lang")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	lang, err := langParam(v)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	q := strings.TrimSpace(v.Get("q"))
	if len([]rune(q)) > maxSearchLen {
		s.writeError(w, r, errBadRequest("the search is longer than %d characters", maxSearchLen))
		return
	}
	view, err := buildIndex(q, lang)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	view.Searched = q != ""
	p := s.newPage(r, lang, labelsFor(lang)["site_title"], s.DataVersion(), view)
	p.Script = template.JS(searchJS)
	b, err := renderPage("index", p)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(b)
}

func buildIndex(q, lang string) (*indexView, error) {
	geos, err := data.Geos()
	if err != nil {
		return nil, err
	}
	needle := fold(q)
	view := &indexView{Query: q}
	byCounty := map[string]*countyView{}
	var order []string
	for _, g := range geos {
		if g.Kind == data.KindRegion {
			name := g.Name
			if lang == "en" && g.NameEn != "" {
				name = g.NameEn
			}
			byCounty[g.Code] = &countyView{linkView: linkView{Code: g.Code, Name: name, URL: withLang("/lan/"+g.Code, lang)}}
			order = append(order, g.Code)
		}
	}
	countyMatch := map[string]bool{}
	for code, c := range byCounty {
		countyMatch[code] = needle == "" || strings.Contains(fold(c.Name), needle) || code == needle
	}
	for _, g := range geos {
		if g.Kind != data.KindKommun {
			continue
		}
		c := byCounty[g.CountyCode]
		if c == nil {
			continue
		}
		hit := needle == "" || strings.Contains(fold(g.Name), needle) || g.Code == needle
		if hit {
			view.Matches++
		}
		if hit || countyMatch[g.CountyCode] {
			c.Kommuner = append(c.Kommuner, linkView{Code: g.Code, Name: g.Name, URL: withLang("/kommun/"+g.Code, lang)})
		}
	}
	for _, code := range order {
		c := byCounty[code]
		if countyMatch[code] && needle != "" {
			view.Matches++
		}
		if countyMatch[code] || len(c.Kommuner) > 0 {
			view.Counties = append(view.Counties, *c)
		}
	}
	return view, nil
}

// pageQuery reads the year and lang parameters pages share.
func pageQuery(r *http.Request) (year, lang string, err error) {
	v, err := query(r, "year", "lang")
	if err != nil {
		return "", "", err
	}
	if lang, err = langParam(v); err != nil {
		return "", "", err
	}
	year, err = yearParam(v)
	return year, lang, err
}
