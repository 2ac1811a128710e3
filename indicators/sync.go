package indicators

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
)

// execer is what SyncCatalogue needs: a *sql.DB, *sql.Conn or *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullInt(i int) any {
	if i == 0 {
		return nil
	}
	return i
}

func nullF(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// SyncCatalogue replaces the catalogue tables (strategy, delmal, goal_area,
// goal, goal_delmal, indicator, indicator_goal, indicator_delmal,
// indicator_area) with cat, in one transaction, so that SQL users, reports
// and the web service see the definitions the values were computed with.
func SyncCatalogue(ctx context.Context, db execer, cat *Catalogue) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store catalogue: %w", err)
	}
	defer tx.Rollback()
	for _, t := range []string{"strategy", "delmal", "goal_area", "goal", "goal_delmal", "indicator", "indicator_goal", "indicator_delmal", "indicator_area"} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return fmt.Errorf("store catalogue: %w", err)
		}
	}
	exec := func(q string, args ...any) {
		if err != nil {
			return
		}
		if _, e := tx.ExecContext(ctx, q, args...); e != nil {
			err = fmt.Errorf("store catalogue: %w", e)
		}
	}
	for _, d := range cat.Delmal {
		exec(`INSERT INTO delmal VALUES (?, ?, ?)`, d.Number, d.Text, nullStr(d.TextEn))
	}
	for _, s := range cat.Strategies {
		exec(`INSERT INTO strategy VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, s.ID, s.Name, nullStr(s.NameEn), nullStr(s.Issuer),
			nullStr(s.Scope), nullInt(s.Start), nullInt(s.End), nullInt(s.BaselineYear), nullStr(s.Vision), nullInt(s.GoalsTotal),
			nullStr(s.Source), nullStr(s.Note), s.File)
		for _, a := range s.Areas {
			exec(`INSERT INTO goal_area VALUES (?, ?, ?, ?)`, a.ID, s.ID, a.Name, nullStr(a.NameEn))
		}
		for _, g := range s.Goals {
			exec(`INSERT INTO goal VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, s.ID, g.Text, nullStr(g.TextEn), nullStr(g.Area),
				nullStr(g.Source), nullInt(g.BaselineYear), g.ViaDelmal, g.File, g.Line)
			for _, d := range g.Delmal {
				exec(`INSERT INTO goal_delmal VALUES (?, ?)`, g.ID, d)
			}
		}
	}
	for _, ind := range cat.Indicators {
		inputs, jerr := json.Marshal(ind.Inputs)
		if jerr != nil {
			return fmt.Errorf("store catalogue: %w", jerr)
		}
		tol := ind.Tol()
		exec(`INSERT INTO indicator VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ind.ID, ind.Title.Sv, ind.Title.En,
			ind.Description.Sv, ind.Description.En, ind.Unit, string(ind.Kind), ind.Polarity, ind.Target(), tol, ind.MinN(),
			ind.FollowSeries(), ind.Source.Sv, ind.Definition, string(inputs), ind.File, ind.Line)
		for _, g := range ind.Goals {
			exec(`INSERT INTO indicator_goal VALUES (?, ?)`, ind.ID, g)
		}
		for _, d := range ind.Delmal {
			exec(`INSERT INTO indicator_delmal VALUES (?, ?)`, ind.ID, d)
		}
		for _, a := range ind.Areas {
			exec(`INSERT INTO indicator_area VALUES (?, ?)`, ind.ID, a)
		}
	}
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store catalogue: %w", err)
	}
	return nil
}
