package server

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/jamstat/jamstat/store"
)

// Concurrent use with ingest. DuckDB lets one process write a database
// file, and a process that writes holds a lock that keeps readers out (a
// reader's shared lock in turn keeps writers out). The server therefore
// never writes and never waits for a lock:
//
//   - It keeps one read-only handle open. Before serving a request (at most
//     once per Config.CheckInterval) it stats the database path; when the
//     file's identity (device, inode, size, modification time) changed, it
//     opens the new file read-only and swaps handles. Requests that already
//     hold the old handle finish on it, so every response rests on one
//     consistent snapshot; the old handle is closed when its last request
//     ends.
//   - When the new file cannot be opened (a writer holds it, it is half
//     written, it was removed), the server keeps serving from the handle it
//     has and tries again later. Only when it has no handle at all (it was
//     started while a writer held the file) do data requests get 503 with
//     Retry-After; /healthz says so too, and pages and downloads already in
//     the cache are still served.
//
// The recommended workflow is to ingest into a copy and rename it over the
// served file (`cp db new.duckdb && jamstat --db new.duckdb ingest … &&
// mv new.duckdb db`): rename is atomic, the server notices the new inode and
// reopens. Ingesting into the served file itself needs the server stopped.

// errUnavailable means there is no database handle to serve from.
var errUnavailable = errors.New("database unavailable")

// handle is one open read-only database with what the server derived from
// it once: the data version and the catalogue.
type handle struct {
	db      *store.DB
	id      fileID
	version string
	cat     *catalog

	refs    int  // requests using the handle; guarded by holder.mu
	retired bool // replaced; close when refs drops to 0
}

// holder owns the current handle and swaps it when the file changes.
type holder struct {
	path     string
	interval time.Duration
	log      *slog.Logger
	maxConns int

	mu        sync.Mutex
	cur       *handle
	lastCheck time.Time
	lastErr   error

	reopen sync.Mutex // one reopen at a time
	// onSwap is called (outside mu) after a new handle is installed, with
	// the new version; the server clears cache entries of older versions.
	onSwap func(version string)
}

func newHolder(path string, interval time.Duration, maxConns int, log *slog.Logger) *holder {
	return &holder{path: path, interval: interval, log: log, maxConns: maxConns}
}

// acquire returns the handle to serve one request from; release must be
// called when the request is done with it.
func (h *holder) acquire(ctx context.Context) (*handle, func(), error) {
	h.maybeCheck(ctx)
	h.mu.Lock()
	cur := h.cur
	if cur == nil {
		err := h.lastErr
		h.mu.Unlock()
		if err == nil {
			err = errUnavailable
		}
		return nil, nil, fmt.Errorf("%w: %v", errUnavailable, err)
	}
	cur.refs++
	h.mu.Unlock()
	var once sync.Once
	return cur, func() { once.Do(func() { h.release(cur) }) }, nil
}

func (h *holder) release(x *handle) {
	h.mu.Lock()
	x.refs--
	closeIt := x.retired && x.refs == 0
	h.mu.Unlock()
	if closeIt {
		h.closeHandle(x)
	}
}

func (h *holder) closeHandle(x *handle) {
	if err := x.db.Close(); err != nil {
		h.log.Warn("close retired database handle", "version", x.version, "err", err)
	}
}

// current reports the version being served and the last open error.
func (h *holder) current() (version string, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cur == nil {
		if h.lastErr != nil {
			return "", h.lastErr
		}
		return "", errUnavailable
	}
	return h.cur.version, nil
}

// maybeCheck runs check when the interval has passed. Requests arriving
// while another goroutine reopens do not wait: they use the handle there is.
func (h *holder) maybeCheck(ctx context.Context) {
	h.mu.Lock()
	due := h.cur == nil || h.interval <= 0 || time.Since(h.lastCheck) >= h.interval
	h.mu.Unlock()
	if !due {
		return
	}
	if !h.reopen.TryLock() {
		return
	}
	defer h.reopen.Unlock()
	h.check(ctx)
}

// check stats the file and reopens it when its identity changed. It is
// exported to tests through Server.Recheck.
func (h *holder) check(ctx context.Context) {
	h.mu.Lock()
	h.lastCheck = time.Now()
	cur := h.cur
	h.mu.Unlock()

	id, err := statID(h.path)
	if err != nil {
		h.setErr(fmt.Errorf("stat database: %w", err))
		return
	}
	if cur != nil && cur.id == id {
		return
	}
	// The open must not be cut short by the request that triggered it.
	openCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	nh, err := h.open(openCtx, id)
	if err != nil {
		h.setErr(err)
		h.log.Warn("database not (re)opened; serving from the handle there is", "err", err, "have_handle", cur != nil)
		return
	}
	h.mu.Lock()
	old := h.cur
	h.cur = nh
	h.lastErr = nil
	closeOld := false
	if old != nil {
		old.retired = true
		closeOld = old.refs == 0
	}
	h.mu.Unlock()
	if closeOld {
		h.closeHandle(old)
	}
	oldVersion := ""
	if old != nil {
		oldVersion = old.version
	}
	h.log.Info("database opened read-only", "version", nh.version, "previous_version", oldVersion)
	if h.onSwap != nil {
		h.onSwap(nh.version)
	}
}

func (h *holder) setErr(err error) {
	h.mu.Lock()
	h.lastErr = err
	h.mu.Unlock()
}

// open opens the file read-only and reads its version and catalogue. The
// identity is taken again after opening: a file replaced while it was being
// opened is not trusted under the earlier identity.
func (h *holder) open(ctx context.Context, id fileID) (*handle, error) {
	db, err := store.OpenReadOnly(ctx, h.path)
	if err != nil {
		return nil, err
	}
	if h.maxConns > 0 {
		db.SQL.SetMaxOpenConns(h.maxConns)
		db.SQL.SetMaxIdleConns(h.maxConns)
	}
	version, err := dataVersion(ctx, db.SQL)
	if err != nil {
		db.Close()
		return nil, err
	}
	cat, err := loadCatalog(ctx, db.SQL)
	if err != nil {
		db.Close()
		return nil, err
	}
	after, err := statID(h.path)
	if err != nil || after != id {
		db.Close()
		return nil, fmt.Errorf("database file changed while it was opened; will retry")
	}
	return &handle{db: db, id: id, version: version, cat: cat}, nil
}

func (h *holder) close() {
	h.mu.Lock()
	cur := h.cur
	h.cur = nil
	closeIt := false
	if cur != nil {
		cur.retired = true
		closeIt = cur.refs == 0
	}
	h.mu.Unlock()
	if closeIt {
		h.closeHandle(cur)
	}
}

// dataVersion hashes what published figures depend on: every dataset's
// content hash and load time, the latest indicator computation and the
// latest comparison run. A re-ingest or recompute changes it.
func dataVersion(ctx context.Context, db *sql.DB) (string, error) {
	hash := sha256.New()
	rows, err := db.QueryContext(ctx, `SELECT dataset_id, coalesce(sha256, ''), coalesce(CAST(loaded_at AS VARCHAR), '') FROM dataset ORDER BY dataset_id`)
	if err != nil {
		return "", fmt.Errorf("data version: %w", err)
	}
	for rows.Next() {
		var id, sum, at string
		if err := rows.Scan(&id, &sum, &at); err != nil {
			rows.Close()
			return "", fmt.Errorf("data version: %w", err)
		}
		fmt.Fprintf(hash, "dataset\x00%s\x00%s\x00%s\n", id, sum, at)
	}
	if err := rows.Close(); err != nil {
		return "", fmt.Errorf("data version: %w", err)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("data version: %w", err)
	}
	var ivAt, runAt string
	var ivN, indN int64
	err = db.QueryRowContext(ctx, `SELECT
		coalesce((SELECT CAST(max(computed_at) AS VARCHAR) FROM indicator_value), ''),
		(SELECT count(*) FROM indicator_value),
		(SELECT count(*) FROM indicator),
		coalesce((SELECT CAST(max(created_at) AS VARCHAR) FROM comparison_run), '')`).Scan(&ivAt, &ivN, &indN, &runAt)
	if err != nil {
		return "", fmt.Errorf("data version: %w", err)
	}
	fmt.Fprintf(hash, "indicator_value\x00%s\x00%d\x00%d\ncomparison\x00%s\n", ivAt, ivN, indN, runAt)
	return hex.EncodeToString(hash.Sum(nil))[:16], nil
}

// fileID identifies one version of the database file.
type fileID struct {
	dev, ino uint64
	size     int64
	mtime    int64
}

func statID(path string) (fileID, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return fileID{}, err
	}
	id := fileID{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
	id.dev, id.ino = devIno(fi)
	return id, nil
}
