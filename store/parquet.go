package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// LoadParquet loads a Parquet file whose columns carry canonical names
// (those of observation or of employee) with DuckDB's own reader, which is
// faster than any Go path. Rows whose sex is not a known code, or whose
// required fields are empty, go to rejected_row with the reason; the rest
// are loaded; all in one transaction.
func (db *DB) LoadParquet(ctx context.Context, info LoadInfo, path string) (LoadResult, error) {
	res := LoadResult{DatasetID: info.DatasetID}
	if db.ReadOnly {
		return res, errors.New("load: database is open read-only")
	}
	if info.Name == "" {
		info.Name = info.DatasetID
	}
	var oldSHA string
	if err := db.SQL.QueryRowContext(ctx, `SELECT coalesce(max(sha256), '') FROM dataset WHERE dataset_id = ?`, info.DatasetID).Scan(&oldSHA); err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}
	if oldSHA != "" && oldSHA == info.SHA256 {
		res.Unchanged = true
		err := db.SQL.QueryRowContext(ctx, `SELECT rows_read, rows_loaded, rows_rejected FROM dataset WHERE dataset_id = ?`, info.DatasetID).
			Scan(&res.RowsRead, &res.RowsLoaded, &res.RowsRejected)
		return res, err
	}
	rows, err := db.SQL.QueryContext(ctx, `SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet(?))`, path)
	if err != nil {
		return res, fmt.Errorf("%s: not a readable Parquet file: %w", info.SourceFile, err)
	}
	have := map[string]bool{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return res, err
		}
		have[strings.ToLower(c)] = true
	}
	rows.Close()

	table, cols, required := "observation", observationColumns, []string{"measure", "sex"}
	if have["person_key"] {
		table, cols, required = "employee", employeeColumns, []string{"period", "employer_code", "person_key", "sex"}
	}
	for _, r := range required {
		if !have[r] {
			return res, fmt.Errorf("%s: Parquet file lacks column %q (need canonical %s columns: %s)", info.SourceFile, r, table, strings.Join(cols[1:], ", "))
		}
	}
	var used []string
	for _, c := range cols[1:] {
		if have[c] {
			used = append(used, c)
		}
	}
	list := quotedList(used)
	sexes := `('T','K','M')`
	if table == "employee" {
		sexes = `('K','M')`
	}
	var conds []string
	for _, r := range required {
		conds = append(conds, fmt.Sprintf(`coalesce(CAST("%s" AS VARCHAR), '') <> ''`, r))
	}
	valid := fmt.Sprintf(`CAST(sex AS VARCHAR) IN %s AND %s`, sexes, strings.Join(conds, " AND "))

	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	if err := deleteDataset(ctx, tx, info.DatasetID); err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}
	r, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO main.%s ("dataset_id", %s) SELECT ?, %s FROM read_parquet(?) WHERE %s`, table, list, list, valid), info.DatasetID, path)
	if err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}
	res.RowsLoaded, _ = r.RowsAffected()
	var raw []string
	for _, c := range used {
		raw = append(raw, fmt.Sprintf(`coalesce(CAST("%s" AS VARCHAR), '')`, c))
	}
	r, err = tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO main.rejected_row (dataset_id, source_file, line, "column", reason, raw)
		SELECT ?, ?, line, 'sex', 'unknown sex code or empty required field', raw FROM (
			SELECT row_number() OVER () AS line, %s AS ok, concat_ws(';', %s) AS raw FROM read_parquet(?)) WHERE NOT coalesce(ok, false)`,
		valid, strings.Join(raw, ", ")), info.DatasetID, info.SourceFile, path)
	if err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}
	res.RowsRejected, _ = r.RowsAffected()
	res.RowsRead = res.RowsLoaded + res.RowsRejected
	if table == "employee" {
		res.Employees = res.RowsLoaded
	} else {
		res.Observations = res.RowsLoaded
	}
	res.Meta.Format, res.Meta.Kind, res.Meta.RowsRead = "parquet", table, int(res.RowsRead)
	_, err = tx.ExecContext(ctx, `INSERT INTO dataset (dataset_id, name, source_file, sha256, format, kind, synthetic, loaded_at, rows_read, rows_loaded, rows_rejected)
		VALUES (?, ?, ?, ?, 'parquet', ?, ?, ?, ?, ?, ?)`, info.DatasetID, info.Name, info.SourceFile, info.SHA256, table, info.Synthetic,
		time.Now().UTC(), res.RowsRead, res.RowsLoaded, res.RowsRejected)
	if err != nil {
		return res, fmt.Errorf("load %s: %w", info.DatasetID, err)
	}
	if oldSHA != "" {
		res.Replaced = true
	}
	return res, tx.Commit()
}
