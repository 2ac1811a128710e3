package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

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

// Load runs parse into staging tables and then, in one transaction,
// replaces the dataset's rows with what was staged. A failed parse or a
// failed commit leaves the database exactly as it was.
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
	for _, t := range []string{"observation", "employee", "rejected_row"} {
		q := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE stage_%s AS SELECT * FROM main.%s LIMIT 0`, t, t)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return res, fmt.Errorf("load %s: staging: %w", info.DatasetID, err)
		}
	}
	// The appender writes dims as text; the insert below parses it as JSON.
	if _, err := conn.ExecContext(ctx, `ALTER TABLE temp.stage_observation ALTER dims TYPE VARCHAR`); err != nil {
		return res, fmt.Errorf("load %s: staging: %w", info.DatasetID, err)
	}
	defer func() {
		for _, t := range []string{"observation", "employee", "rejected_row"} {
			conn.ExecContext(context.Background(), `DROP TABLE IF EXISTS temp.stage_`+t)
		}
	}()

	var meta ingest.Meta
	var sink *stagingSink
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		s, err := newStagingSink(c, info)
		if err != nil {
			return err
		}
		sink = s
		var perr error
		meta, perr = parse(s)
		cerr := s.close()
		if perr != nil {
			return perr
		}
		return cerr
	})
	if err != nil {
		return res, err
	}
	res.Meta = meta
	res.Observations, res.Employees, res.RowsRejected = sink.obs, sink.emp, sink.rej
	res.RowsLoaded = sink.obs + sink.emp
	res.RowsRead = int64(meta.RowsRead)
	if res.RowsRead != res.RowsLoaded+res.RowsRejected {
		return res, fmt.Errorf("load %s: parser read %d rows but emitted %d loaded + %d rejected; refusing a load that would lose rows",
			info.DatasetID, res.RowsRead, res.RowsLoaded, res.RowsRejected)
	}

	kind := meta.Kind
	if kind == "" {
		switch {
		case sink.emp > 0:
			kind = "employee"
		default:
			kind = "observation"
		}
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}
	defer tx.Rollback()
	for _, t := range []string{"observation", "employee", "rejected_row", "dataset"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM main.`+t+` WHERE dataset_id = ?`, info.DatasetID); err != nil {
			return res, fmt.Errorf("load %s: replace %s: %w", info.DatasetID, t, err)
		}
	}
	for _, t := range []string{"observation", "employee", "rejected_row"} {
		cols := quotedList(stagedColumns[t])
		selected := strings.Replace(cols, `"dims"`, `CAST("dims" AS JSON)`, 1)
		if _, err := tx.ExecContext(ctx, `INSERT INTO main.`+t+` (`+cols+`) SELECT `+selected+` FROM temp.stage_`+t); err != nil {
			return res, fmt.Errorf("load %s: insert %s: %w", info.DatasetID, t, err)
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

// stagingSink appends records into the connection's temp staging tables.
type stagingSink struct {
	info          LoadInfo
	obsApp        *duckdb.Appender
	empApp        *duckdb.Appender
	rejApp        *duckdb.Appender
	obs, emp, rej int64
}

// Column lists of the staged tables, in the order the sink appends them.
// Naming them (rather than relying on table order) lets migrations add
// columns without breaking loads.
var (
	observationColumns = []string{"dataset_id", "measure", "geo_code", "period", "sex", "occupation_code", "sector", "dims", "value", "n", "status", "unit"}
	employeeColumns    = []string{"dataset_id", "period", "employer_code", "person_key", "sex", "birth_year", "age", "occupation_code", "aid_code", "occupation_label",
		"monthly_wage_fte", "employment_rate", "contract", "hourly_paid", "scheduled_hours", "sick_leave_hours", "is_manager", "education", "sector",
		"flextime", "split_shifts", "evening_weekend", "line"}
	rejectedColumns = []string{"dataset_id", "source_file", "sheet", "line", "column", "reason", "raw"}
	stagedColumns   = map[string][]string{"observation": observationColumns, "employee": employeeColumns, "rejected_row": rejectedColumns}
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

func newStagingSink(c driver.Conn, info LoadInfo) (*stagingSink, error) {
	s := &stagingSink{info: info}
	var err error
	if s.obsApp, err = duckdb.NewAppenderWithColumns(c, "temp", "main", "stage_observation", observationColumns); err != nil {
		return nil, fmt.Errorf("load %s: appender: %w", info.DatasetID, err)
	}
	if s.empApp, err = duckdb.NewAppenderWithColumns(c, "temp", "main", "stage_employee", employeeColumns); err != nil {
		s.obsApp.Close()
		return nil, fmt.Errorf("load %s: appender: %w", info.DatasetID, err)
	}
	if s.rejApp, err = duckdb.NewAppenderWithColumns(c, "temp", "main", "stage_rejected_row", rejectedColumns); err != nil {
		s.obsApp.Close()
		s.empApp.Close()
		return nil, fmt.Errorf("load %s: appender: %w", info.DatasetID, err)
	}
	return s, nil
}

func (s *stagingSink) close() error {
	return errors.Join(s.obsApp.Close(), s.empApp.Close(), s.rejApp.Close())
}

func str(v string) driver.Value {
	if v == "" {
		return nil
	}
	return v
}

func f64(p *float64) driver.Value {
	if p == nil {
		return nil
	}
	return *p
}

func i32(p *int) driver.Value {
	if p == nil {
		return nil
	}
	return int32(*p)
}

func boolean(p *bool) driver.Value {
	if p == nil {
		return nil
	}
	return *p
}

func (s *stagingSink) Observation(o *ingest.Observation) error {
	var dims driver.Value
	if len(o.Dims) > 0 {
		b, err := json.Marshal(o.Dims)
		if err != nil {
			return err
		}
		dims = string(b)
	}
	status := str(o.Status)
	if o.Value == nil && o.Status == "" {
		// A missing value always carries a reason; the parser gave none.
		status = "missing"
	}
	s.obs++
	return s.obsApp.AppendRow(s.info.DatasetID, o.Measure, str(o.GeoCode), str(o.Period), o.Sex,
		str(o.OccupationCode), str(o.Sector), dims, f64(o.Value), f64(o.N), status, str(o.Unit))
}

func (s *stagingSink) Employee(e *ingest.Employee) error {
	s.emp++
	return s.empApp.AppendRow(s.info.DatasetID, e.Period, e.EmployerCode, e.PersonKey, e.Sex,
		i32(e.BirthYear), i32(e.Age), str(e.OccupationCode), str(e.AIDCode), str(e.OccupationLabel),
		f64(e.MonthlyWageFTE), f64(e.EmploymentRate), str(e.Contract), boolean(e.HourlyPaid),
		f64(e.ScheduledHours), f64(e.SickLeaveHours), boolean(e.IsManager), str(e.Education), str(e.Sector),
		boolean(e.Flextime), boolean(e.SplitShifts), boolean(e.EveningWeekend), int64(e.Line))
}

func (s *stagingSink) Reject(r ingest.Rejected) error {
	s.rej++
	return s.rejApp.AppendRow(s.info.DatasetID, s.info.SourceFile, str(r.Sheet), int64(r.Line), str(r.Column), r.Reason, str(r.Raw))
}
