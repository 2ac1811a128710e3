package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Memory is the path of an in-memory database, for tests.
const Memory = ":memory:"

// DB is an open jamstat database.
type DB struct {
	SQL      *sql.DB
	Path     string
	ReadOnly bool

	// streamReady: jamstat_stream is registered in this database
	// instance (checking the catalogue costs ~10 ms, once per file).
	streamReady atomic.Bool
}

// ErrNotFound is returned when a read-only open finds no database file.
var ErrNotFound = errors.New("database file does not exist")

// Open opens (creating if needed) the database at path, applies pending
// migrations and, if the geo table is empty, loads the reference data.
func Open(ctx context.Context, path string) (*DB, error) {
	db, err := open(path, false)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := db.EnsureReference(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenReadOnly opens an existing database for reading: every write is
// refused by DuckDB itself. Readers such as `jamstat query` and the web
// service use it.
func OpenReadOnly(ctx context.Context, path string) (*DB, error) {
	if path != Memory {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("open %s: %w (run `jamstat init` first)", path, ErrNotFound)
		}
	}
	db, err := open(path, true)
	if err != nil {
		return nil, err
	}
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if v < latestMigration() {
		db.Close()
		return nil, fmt.Errorf("open %s: schema version %d is older than this jamstat's %d; open it once read-write (e.g. `jamstat init`) to migrate", path, v, latestMigration())
	}
	return db, nil
}

func open(path string, readOnly bool) (*DB, error) {
	dsn := path
	if path == Memory {
		dsn = ""
	}
	if readOnly {
		dsn += "?access_mode=read_only"
	}
	sqlDB, err := sql.Open("duckdb", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if path == Memory {
		// Each pooled connection to "" would otherwise be its own database.
		sqlDB.SetMaxOpenConns(1)
	}
	return &DB{SQL: sqlDB, Path: path, ReadOnly: readOnly}, nil
}

// Close closes the database; committed data is on disk.
func (db *DB) Close() error { return db.SQL.Close() }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNN_description.sql", name)
		}
		b, err := migrationFS.ReadFile(path.Join("migrations", name))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("migrations %s and %s share version %d", out[i-1].name, out[i].name, out[i].version)
		}
	}
	return out, nil
}

func latestMigration() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// SchemaVersion is the highest migration applied; 0 for a new database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists bool
	err := db.SQL.QueryRowContext(ctx,
		`SELECT count(*) > 0 FROM information_schema.tables WHERE table_name = 'schema_version'`).Scan(&exists)
	if err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	if !exists {
		return 0, nil
	}
	var v sql.NullInt64
	if err := db.SQL.QueryRowContext(ctx, `SELECT max(version) FROM schema_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v.Int64), nil
}

// Migrate applies every migration newer than the database's version, each
// in its own transaction together with its schema_version row.
func (db *DB) Migrate(ctx context.Context) error {
	if db.ReadOnly {
		return errors.New("migrate: database is open read-only")
	}
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if _, err := db.SQL.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP DEFAULT current_timestamp)`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	current, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		tx, err := db.SQL.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, name) VALUES (?, ?)`, m.version, m.name); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}
