package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/store"
)

// Config configures a Server. Zero fields take the defaults noted.
type Config struct {
	// DBPath is the database file, opened read-only.
	DBPath string
	// Logger receives the request log and errors (default: discard).
	Logger *slog.Logger
	// Version is the jamstat version written into sheets.
	Version string
	// Catalogue is the goal and indicator catalogue the sheets are built
	// with (default: the embedded one, indicators.LoadCatalogue("")). It
	// should be the one the values were computed with.
	Catalogue *indicators.Catalogue
	// BaseURL, when set (e.g. "https://jamstat.example.se"), makes the
	// API's next_page links absolute; otherwise they are relative paths.
	// It is configuration, never taken from a request's Host header.
	BaseURL string

	// CheckInterval is how often the database file is checked for a
	// replacement (default 1 s; negative: before every request).
	CheckInterval time.Duration
	// MaxDBConns bounds the read-only connection pool (default 8).
	MaxDBConns int
	// CacheEntries and CacheBytes bound the response cache (defaults 1024
	// entries, 256 MiB).
	CacheEntries int
	CacheBytes   int64

	// HTTP limits (defaults 5 s, 15 s, 60 s, 120 s, 16 KiB, 64 KiB, 10 s).
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int
	MaxBodyBytes      int64
	ShutdownTimeout   time.Duration
}

func (c *Config) defaults() {
	if c.Logger == nil {
		c.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.CheckInterval == 0 {
		c.CheckInterval = time.Second
	}
	if c.MaxDBConns <= 0 {
		c.MaxDBConns = 8
	}
	if c.CacheEntries <= 0 {
		c.CacheEntries = 1024
	}
	if c.CacheBytes <= 0 {
		c.CacheBytes = 256 << 20
	}
	setDur := func(d *time.Duration, def time.Duration) {
		if *d <= 0 {
			*d = def
		}
	}
	setDur(&c.ReadHeaderTimeout, 5*time.Second)
	setDur(&c.ReadTimeout, 15*time.Second)
	setDur(&c.WriteTimeout, 60*time.Second)
	setDur(&c.IdleTimeout, 120*time.Second)
	setDur(&c.ShutdownTimeout, 10*time.Second)
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = 16 << 10
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 64 << 10
	}
}

// Server is the web service: pages, downloads and the JSON API over one
// read-only database handle that follows the file when it is replaced.
type Server struct {
	cfg     Config
	cat     *indicators.Catalogue
	log     *slog.Logger
	db      *holder
	cache   *lru
	handler http.Handler
}

// New opens the database read-only and prepares the handlers. A database
// file that does not exist or whose schema is too old is an error; one
// that is locked by a writer is not: the server starts, answers data
// requests with 503 and opens the file as soon as the writer is done.
func New(ctx context.Context, cfg Config) (*Server, error) {
	cfg.defaults()
	if cfg.DBPath == "" {
		return nil, errors.New("server: no database path")
	}
	s := &Server{cfg: cfg, log: cfg.Logger, cat: cfg.Catalogue}
	if s.cat == nil {
		cat, err := indicators.LoadCatalogue("")
		if err != nil {
			return nil, fmt.Errorf("server: %w", err)
		}
		s.cat = cat
	}
	interval := cfg.CheckInterval
	if interval < 0 {
		interval = 0
	}
	s.db = newHolder(cfg.DBPath, interval, cfg.MaxDBConns, cfg.Logger)
	s.cache = newLRU(cfg.CacheEntries, cfg.CacheBytes)
	s.db.onSwap = s.cache.dropVersionsExcept
	s.db.check(ctx)
	if _, err := s.db.current(); err != nil {
		if errors.Is(err, store.ErrNotFound) || !isLockError(err) {
			s.db.close()
			return nil, fmt.Errorf("server: %w", err)
		}
		s.log.Warn("database is locked by a writer; serving 503 until it is free", "err", err)
	}
	s.handler = s.routes()
	return s, nil
}

// isLockError reports whether opening failed because another process
// holds the file (DuckDB: "Could not set lock on file … Conflicting lock").
func isLockError(err error) bool {
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "lock")
}

// Handler is the server's HTTP handler with every middleware applied.
func (s *Server) Handler() http.Handler { return s.handler }

// HTTPServer returns an http.Server with the configured limits.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.handler,
		ReadHeaderTimeout: s.cfg.ReadHeaderTimeout,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.WriteTimeout,
		IdleTimeout:       s.cfg.IdleTimeout,
		MaxHeaderBytes:    s.cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// Serve answers requests on ln until ctx is done, then shuts down
// gracefully: it stops accepting, lets requests in flight finish within
// Config.ShutdownTimeout and closes the database.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := s.HTTPServer(ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	s.log.Info("serving", "addr", ln.Addr().String())
	select {
	case err := <-errc:
		s.Close()
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	s.log.Info("shutting down", "timeout", s.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
	defer cancel()
	err := hs.Shutdown(sctx)
	if err != nil {
		hs.Close()
	}
	<-errc
	s.Close()
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// ListenAndServe listens on addr and calls Serve.
func (s *Server) ListenAndServe(ctx context.Context, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.Close()
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	return s.Serve(ctx, ln)
}

// Close closes the database handle (after requests holding it finish).
func (s *Server) Close() { s.db.close() }

// DataVersion is the version of the data being served ("" when none).
func (s *Server) DataVersion() string {
	v, _ := s.db.current()
	return v
}
