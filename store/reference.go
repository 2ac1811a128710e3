package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jamstat/jamstat/data"
)

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// EnsureReference loads the embedded reference data (geo, occupation) when
// the geo table is empty. Any command that opens a new database gets it.
func (db *DB) EnsureReference(ctx context.Context) error {
	var n int
	if err := db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM geo`).Scan(&n); err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	if n > 0 {
		return nil
	}
	return db.LoadReference(ctx)
}

// LoadReference replaces geo and occupation with the embedded reference
// data, in one transaction.
func (db *DB) LoadReference(ctx context.Context) error {
	geos, err := data.Geos()
	if err != nil {
		return err
	}
	occs, err := data.Occupations()
	if err != nil {
		return err
	}
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	defer tx.Rollback()
	if err := loadGeo(ctx, tx, geos); err != nil {
		return err
	}
	if err := loadOccupations(ctx, tx, occs); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("reference data: %w", err)
	}
	return nil
}

func loadGeo(ctx context.Context, tx *sql.Tx, geos []data.Geo) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM geo`); err != nil {
		return fmt.Errorf("reference data geo: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO geo (code, name, kind, county_code, region_name, name_en, nuts2) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("reference data geo: %w", err)
	}
	defer stmt.Close()
	for _, g := range geos {
		if _, err := stmt.ExecContext(ctx, g.Code, g.Name, g.Kind, nullIfEmpty(g.CountyCode), nullIfEmpty(g.RegionName), nullIfEmpty(g.NameEn), nullIfEmpty(g.NUTS2)); err != nil {
			return fmt.Errorf("reference data geo %s: %w", g.Code, err)
		}
	}
	return nil
}

func loadOccupations(ctx context.Context, tx *sql.Tx, occs []data.Occupation) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM occupation`); err != nil {
		return fmt.Errorf("reference data occupation: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO occupation (scheme, code, name_sv, name_en, level, parent_code) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("reference data occupation: %w", err)
	}
	defer stmt.Close()
	for _, o := range occs {
		if _, err := stmt.ExecContext(ctx, o.Scheme, o.Code, nullIfEmpty(o.NameSv), nullIfEmpty(o.NameEn), o.Level, nullIfEmpty(o.ParentCode)); err != nil {
			return fmt.Errorf("reference data occupation %s %s: %w", o.Scheme, o.Code, err)
		}
	}
	return nil
}
