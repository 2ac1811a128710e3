package server

import (
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleIndex)
	mux.HandleFunc("GET /kommun/{code}", s.handleMunicipality)
	mux.HandleFunc("GET /kommun/{code}/{file}", s.handleDownload)
	mux.HandleFunc("GET /lan/{code}", s.handleCounty)
	mux.HandleFunc("GET /lan/{code}/{file}", s.handleDownload)
	mux.HandleFunc("GET /api/v1/indicator", s.handleIndicators)
	mux.HandleFunc("GET /api/v1/indicator/{id}", s.handleIndicators)
	mux.HandleFunc("GET /api/v1/municipality", s.handleMunicipalities)
	mux.HandleFunc("GET /api/v1/data", s.handleData)
	mux.HandleFunc("GET /api/openapi.json", s.handleOpenAPI)
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, errNotFound("not found"))
	})
	return s.logRequests(s.recoverPanics(s.checkRequest(mux)))
}

// serveCached answers from the response cache, building the entry once
// per data version. The handle is held while the entry is built, so a
// build reads one consistent database even while the file is being
// replaced, and released before the response is written. Without a
// handle, an entry cached for the last version served is still served.
func (s *Server) serveCached(w http.ResponseWriter, r *http.Request, key string, build func(h *handle) (*entry, error)) {
	h, release, err := s.db.acquire(r.Context())
	if err != nil {
		if v := s.db.cachedVersion(); v != "" {
			if e, ok := s.cache.get(v + "|" + key); ok {
				serveEntry(w, r, e)
				return
			}
		}
		s.writeError(w, r, err)
		return
	}
	e, err := s.cache.getOrBuild(h.version+"|"+key, func() (*entry, error) {
		e, err := build(h)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(e.body)
		e.etag = `"` + h.version + "-" + hex.EncodeToString(sum[:6]) + `"`
		return e, nil
	})
	release()
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	serveEntry(w, r, e)
}

// serveEntry writes a cached body. Clients revalidate (no-cache) and get
// 304 while the data version and the body are unchanged.
func serveEntry(w http.ResponseWriter, r *http.Request, e *entry) {
	h := w.Header()
	h.Set("Content-Type", e.contentType)
	h.Set("ETag", e.etag)
	h.Set("Cache-Control", "no-cache")
	if e.filename != "" {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.filename}))
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, e.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(e.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(e.body)
	}
}

func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == etag || t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// fold makes search case- and accent-insensitive: "Göteborg", "goteborg"
// and "GÖTEBORG" match.
func fold(s string) string {
	// A transformer keeps state, so each call builds its own.
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(strings.TrimSpace(s)))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}
