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
// file; a writer's lock keeps readers out and a reader's shared lock keeps
// writers out. The server never writes and never waits for a writer:
//
//   - It keeps one read-only handle open. Before serving a request (at most
//     once per Config.CheckInterval) it stats the database path. When the
//     file's identity (device, inode, size, modification time) has changed
//     and no other process holds a write lock on the new file, it swaps:
//     requests in flight finish on the old handle, the old handle is
//     closed, the new file is opened read-only. Requests that arrive during
//     the swap wait for it (the time to open a file, well under a second),
//     so every response rests on one consistent database.
//   - The old handle must be closed before the new file is opened because
//     the DuckDB driver keeps one database instance per file path and hands
//     the open one out again: opened while the old handle lives, the "new"
//     file would be the old inode with the old data.
//   - While a writer holds the new file, the server keeps serving the old
//     handle and checks again later. If opening fails all the same (a
//     writer came in between, the file is damaged or gone), data requests
//     get 503 with Retry-After, except responses still in the cache for the
//     last version served; the next check that succeeds serves again.
//     A server started while a writer holds the file starts in that state.
//
// The recommended workflow is to ingest into a copy and rename it over the
// served file (cp db new.duckdb; jamstat --db new.duckdb ingest …;
// mv new.duckdb db): rename is atomic, the server notices the new inode
// and reopens. Ingesting into the served file itself needs the server
// stopped (the ingest would fail on the server's lock).

// errUnavailable means there is no database handle to serve from.
var errUnavailable = errors.New("database unavailable")

// handle is one open read-only database with what the server derived from
// it once: the data version and the catalogue.
type handle struct {
	db      *store.DB
	id      fileID
	version string
	cat     *catalog
}

// holder owns the current handle and swaps it when the file changes.
type holder struct {
	path     string
	interval time.Duration
	log      *slog.Logger
	maxConns int

	// use is held shared by every request using cur, exclusively by a swap.
	use sync.RWMutex
	cur *handle // guarded by use (written under use.Lock and mu)

	mu          sync.Mutex // guards the fields below
	lastCheck   time.Time
	lastErr     error
	lastVersion string // version of the last handle served, for the cache

	reopen sync.Mutex // one check at a time
	// onSwap is called after a new handle is installed, with its version;
	// the server drops cache entries of older versions.
	onSwap func(version string)
}

func newHolder(path string, interval time.Duration, maxConns int, log *slog.Logger) *holder {
	return &holder{path: path, interval: interval, log: log, maxConns: maxConns}
}

// acquire returns the handle to serve one request from; release must be
// called as soon as the request no longer reads the database (before a
// response is written to a possibly slow client: a swap waits for it).
func (h *holder) acquire(ctx context.Context) (*handle, func(), error) {
	h.maybeCheck(ctx)
	h.use.RLock()
	cur := h.cur
	if cur == nil {
		h.use.RUnlock()
		h.mu.Lock()
		err := h.lastErr
		h.mu.Unlock()
		if err == nil {
			err = errUnavailable
		}
		return nil, nil, fmt.Errorf("%w: %v", errUnavailable, err)
	}
	var once sync.Once
	return cur, func() { once.Do(h.use.RUnlock) }, nil
}

// current reports the version being served and the last open error.
func (h *holder) current() (version string, err error) {
	h.use.RLock()
	cur := h.cur
	h.use.RUnlock()
	if cur != nil {
		return cur.version, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.lastErr != nil {
		return "", h.lastErr
	}
	return "", errUnavailable
}

// cachedVersion is the version whose cached responses may be served when
// there is no handle.
func (h *holder) cachedVersion() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.lastVersion
}

// maybeCheck runs check when the interval has passed. Requests arriving
// while another goroutine checks do not wait for the check (only for a
// swap, through use).
func (h *holder) maybeCheck(ctx context.Context) {
	h.mu.Lock()
	due := h.interval <= 0 || time.Since(h.lastCheck) >= h.interval
	h.mu.Unlock()
	if !due {
		h.use.RLock()
		due = h.cur == nil
		h.use.RUnlock()
	}
	if !due || !h.reopen.TryLock() {
		return
	}
	defer h.reopen.Unlock()
	h.check(ctx)
}

// check stats the file and swaps handles when it changed. Tests call it
// directly to make the server look now.
func (h *holder) check(ctx context.Context) {
	h.mu.Lock()
	h.lastCheck = time.Now()
	h.mu.Unlock()
	h.use.RLock()
	cur := h.cur
	h.use.RUnlock()

	id, err := statID(h.path)
	if err != nil {
		if cur == nil {
			h.setErr(fmt.Errorf("stat database: %w", err))
		} else {
			h.log.Warn("database file not found; serving the handle there is", "err", err)
		}
		return
	}
	if cur != nil && cur.id == id {
		return
	}
	if locked, err := writeLocked(h.path); err == nil && locked {
		err := fmt.Errorf("database file is locked by a writer")
		if cur == nil {
			h.setErr(err)
		}
		h.log.Warn("database changed but a writer holds it; serving the handle there is", "have_handle", cur != nil)
		return
	}
	// The open must not be cut short by the request that triggered it.
	openCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()

	h.use.Lock()
	defer h.use.Unlock()
	old := h.cur
	if old != nil {
		h.cur = nil
		if err := old.db.Close(); err != nil {
			h.log.Warn("close replaced database handle", "version", old.version, "err", err)
		}
	}
	nh, err := h.open(openCtx, id)
	if err != nil {
		h.setErr(err)
		h.log.Warn("database not opened; 503 until it can be", "err", err)
		return
	}
	h.cur = nh
	h.mu.Lock()
	h.lastErr = nil
	h.lastVersion = nh.version
	h.mu.Unlock()
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
	h.reopen.Lock()
	defer h.reopen.Unlock()
	h.use.Lock()
	defer h.use.Unlock()
	if h.cur != nil {
		if err := h.cur.db.Close(); err != nil {
			h.log.Warn("close database", "err", err)
		}
		h.cur = nil
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
