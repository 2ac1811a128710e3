package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jamstat/jamstat/ingest"
)

// LoadInfo names what is being loaded.
type LoadInfo struct {
	DatasetID  string // stable id; re-loading the same id replaces its rows
	Name       string // human name, defaults to DatasetID
	SourceFile string
	SHA256     string // of the file's bytes; an identical re-load is a no-op
	Format     string
	Synthetic  bool
}

// LoadResult reports one load.
type LoadResult struct {
	DatasetID    string
	Unchanged    bool // byte-identical to what was loaded before: nothing done
	Replaced     bool // an earlier version of the dataset was replaced
	RowsRead     int64
	RowsLoaded   int64
	RowsRejected int64
	Observations int64
	Employees    int64
	Meta         ingest.Meta
}

// ParseFunc streams one file's records into the sink.
type ParseFunc func(sink ingest.Sink) (ingest.Meta, error)

// Load replaces the dataset's rows with what parse emits, in one
// transaction: the old rows are deleted, parse runs while its records are
// inserted (see stream_fast.go), and the dataset row is written last. A
// failed parse, a failed insert, a failed commit or a killed process leaves
// the database exactly as it was.
func (db *DB) Load(ctx context.Context, info LoadInfo, parse ParseFunc) (LoadResult, error) {
	res := LoadResult{DatasetID: info.DatasetID}
	if db.ReadOnly {
		return res, errors.New("load: database is open read-only")
	}
	if info.DatasetID == "" {
		return res, errors.New("load: empty dataset id")
	}
	if info.Name == "" {
		info.Name = info.DatasetID
	}
	var oldSHA sql.NullString
	err := db.SQL.QueryRowContext(ctx, `SELECT sha256 FROM dataset WHERE dataset_id = ?`, info.DatasetID).Scan(&oldSHA)
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	default:
		if info.SHA256 != "" && oldSHA.String == info.SHA256 {
			res.Unchanged = true
			err := db.SQL.QueryRowContext(ctx, `SELECT rows_read, rows_loaded, rows_rejected FROM dataset WHERE dataset_id = ?`, info.DatasetID).
				Scan(&res.RowsRead, &res.RowsLoaded, &res.RowsRejected)
			return res, err
		}
		res.Replaced = true
	}

	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}
	defer conn.Close()
	if !db.streamReady.Load() {
		if err := registerStream(ctx, conn); err != nil {
			return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
		}
		db.streamReady.Store(true)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}
	defer tx.Rollback()
	if err := deleteDataset(ctx, tx, info.DatasetID); err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}

	sink := newLoadSink(ctx, tx, info)
	meta, perr := parse(sink)
	if err := sink.close(perr); err != nil {
		return res, err
	}
	res.Meta = meta
	res.Observations, res.Employees, res.RowsRejected = sink.obs.rows, sink.emp.rows, sink.rej.rows
	res.RowsLoaded = res.Observations + res.Employees
	res.RowsRead = int64(meta.RowsRead)
	if res.RowsRead != res.RowsLoaded+res.RowsRejected {
		return res, fmt.Errorf("load %s: parser read %d rows but emitted %d loaded + %d rejected; refusing a load that would lose rows",
			info.DatasetID, res.RowsRead, res.RowsLoaded, res.RowsRejected)
	}

	kind := meta.Kind
	if kind == "" {
		switch {
		case res.Employees > 0:
			kind = "employee"
		default:
			kind = "observation"
		}
	}
	format := info.Format
	if format == "" {
		format = meta.Format
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO dataset (dataset_id, name, source_file, sha256, format, kind, title, synthetic, loaded_at, rows_read, rows_loaded, rows_rejected)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		info.DatasetID, info.Name, info.SourceFile, info.SHA256, format, kind, meta.Title, info.Synthetic || meta.Synthetic,
		time.Now().UTC(), res.RowsRead, res.RowsLoaded, res.RowsRejected)
	if err != nil {
		return res, fmt.Errorf("load %s: dataset row: %w", info.DatasetID, err)
	}
	if err := tx.Commit(); err != nil {
		return res, fmt.Errorf("load %s: commit: %w", info.DatasetID, err)
	}
	return res, nil
}

// Column lists of the loaded tables, in the order the sink writes them.
// Naming them (rather than relying on table order) lets migrations add
// columns without breaking loads.
var (
	observationColumns = []string{"dataset_id", "measure", "geo_code", "period", "sex", "occupation_code", "sector", "dims", "value", "n", "status", "unit"}
	employeeColumns    = []string{"dataset_id", "period", "employer_code", "person_key", "sex", "birth_year", "age", "occupation_code", "aid_code", "occupation_label",
		"monthly_wage_fte", "employment_rate", "contract", "hourly_paid", "scheduled_hours", "sick_leave_hours", "is_manager", "education", "sector",
		"flextime", "split_shifts", "evening_weekend", "line"}
	rejectedColumns = []string{"dataset_id", "source_file", "sheet", "line", "column", "reason", "raw"}
)

func quotedList(cols []string) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(`"` + c + `"`)
	}
	return b.String()
}

// deleteDataset removes a dataset's rows inside tx, when it has any. Rows
// reach observation, employee and rejected_row only in the transaction
// that writes their dataset row, so a dataset without one has no rows
// anywhere: skipping the deletes then saves a scan of every table per
// file, which grew with the database (dataset ids share long prefixes, so
// DuckDB's min/max statistics cannot skip row groups).
func deleteDataset(ctx context.Context, tx *sql.Tx, id string) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM main.dataset WHERE dataset_id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	for _, t := range []string{"observation", "employee", "rejected_row", "dataset"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM main.`+t+` WHERE dataset_id = ?`, id); err != nil {
			return fmt.Errorf("replace %s: %w", t, err)
		}
	}
	return nil
}
