package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"
)

// Middleware, outermost first: request id and log line, panic recovery,
// request checks (method, path, sizes), security headers, then the routes.

type ctxKey int

const reqIDKey ctxKey = 0

var (
	reqPrefix = func() string {
		b := make([]byte, 4)
		if _, err := rand.Read(b); err != nil {
			return "00000000"
		}
		return hex.EncodeToString(b)
	}()
	reqCounter atomic.Uint64
)

func newRequestID() string {
	return fmt.Sprintf("%s-%06d", reqPrefix, reqCounter.Add(1))
}

func requestID(r *http.Request) string {
	if id, ok := r.Context().Value(reqIDKey).(string); ok {
		return id
	}
	return ""
}

// statusWriter records the status and size for the log line.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests gives each request an id (X-Request-Id) and logs one
// structured line when it ends.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), reqIDKey, id))
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		level := slog.LevelInfo
		if sw.status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("id", id),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("query_bytes", len(r.URL.RawQuery)),
			slog.Int("status", sw.status),
			slog.Int64("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)),
			slog.String("remote", r.RemoteAddr),
		)
	})
}

// recoverPanics turns a panic in a handler into a logged 500 with the
// request id; the stack goes to the log, never to the client.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "id", requestID(r), "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.writeError(w, r, errInternal(fmt.Errorf("panic: %v", v)))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

const maxQueryBytes = 4096

// checkRequest refuses what no route accepts before any handler runs:
// methods other than GET and HEAD (405), request bodies (413), paths that
// are not clean (400: "..", "//", encoded slashes or dots, backslashes,
// control characters) and over-long queries (414). No path from a request
// reaches the file system in any case: assets are embedded.
func (s *Server) checkRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			s.writeError(w, r, &httpError{status: http.StatusMethodNotAllowed, msg: "method not allowed"})
			return
		}
		if r.ContentLength > s.cfg.MaxBodyBytes {
			s.writeError(w, r, &httpError{status: http.StatusRequestEntityTooLarge, msg: "request body too large"})
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes)
		if !cleanPath(r) {
			s.writeError(w, r, &httpError{status: http.StatusBadRequest, msg: "bad path"})
			return
		}
		if len(r.URL.RawQuery) > maxQueryBytes {
			s.writeError(w, r, &httpError{status: http.StatusRequestURITooLong, msg: "query too long"})
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		next.ServeHTTP(w, r)
	})
}

func cleanPath(r *http.Request) bool {
	p := r.URL.Path
	if p == "" || p[0] != '/' || len(p) > 512 {
		return false
	}
	raw := r.URL.EscapedPath()
	if strings.Contains(strings.ToLower(raw), "%2f") || strings.Contains(strings.ToLower(raw), "%5c") || strings.Contains(strings.ToLower(raw), "%2e") {
		return false
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	if path.Clean(p) != p && !(strings.HasSuffix(p, "/") && path.Clean(p)+"/" == p) {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." || seg == "." {
			return false
		}
	}
	return true
}

// httpError is an error with the status and the message the client sees.
// The cause, if any, is logged and never sent.
type httpError struct {
	status int
	msg    string
	cause  error
}

func (e *httpError) Error() string {
	if e.cause != nil {
		return fmt.Sprintf("%d %s: %v", e.status, e.msg, e.cause)
	}
	return fmt.Sprintf("%d %s", e.status, e.msg)
}

func errBadRequest(format string, args ...any) *httpError {
	return &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

func errNotFound(format string, args ...any) *httpError {
	return &httpError{status: http.StatusNotFound, msg: fmt.Sprintf(format, args...)}
}

func errInternal(cause error) *httpError {
	return &httpError{status: http.StatusInternalServerError, msg: "internal error", cause: cause}
}

// toHTTPError classifies any error: unavailable database → 503, a known
// httpError as is, anything else → 500.
func toHTTPError(err error) *httpError {
	var he *httpError
	if errors.As(err, &he) {
		return he
	}
	if errors.Is(err, errUnavailable) {
		return &httpError{status: http.StatusServiceUnavailable, msg: "the database is being updated; try again shortly", cause: err}
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &httpError{status: http.StatusServiceUnavailable, msg: "request cancelled or timed out", cause: err}
	}
	return errInternal(err)
}

// writeError logs the cause and answers with a generic message and the
// request id: JSON under /api and /healthz, a small HTML page elsewhere.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	he := toHTTPError(err)
	id := requestID(r)
	if he.status == http.StatusServiceUnavailable {
		s.log.Warn("request not served", "id", id, "status", he.status, "err", err)
	} else if he.status >= 500 {
		s.log.Error("request failed", "id", id, "status", he.status, "err", err)
	} else if he.cause != nil {
		s.log.Info("request refused", "id", id, "status", he.status, "err", he.cause)
	}
	if he.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	h := w.Header()
	h.Del("Content-Disposition")
	h.Del("ETag")
	h.Set("Cache-Control", "no-store")
	if isJSONPath(r.URL.Path) {
		writeJSON(w, he.status, map[string]string{"error": he.msg, "request_id": id})
		return
	}
	s.renderError(w, r, he.status, he.msg, id)
}

func isJSONPath(p string) bool {
	return strings.HasPrefix(p, "/api/") || p == "/api" || p == "/healthz" || strings.HasSuffix(p, ".json")
}
