package compare

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jamstat/jamstat/store"
)

// Save writes the result to comparison_run, comparison and
// comparison_summary in one transaction, replacing the rows of earlier runs
// with the same run key for the periods and counties this run covers.
func Save(ctx context.Context, db *store.DB, res *Result) error {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("compare: save: %w", err)
	}
	defer tx.Rollback()
	o := res.Options
	type pc struct{ period, county string }
	seen := map[pc]bool{}
	var covered []pc
	for _, e := range res.Employers {
		k := pc{e.Period, e.County}
		if !seen[k] {
			seen[k] = true
			covered = append(covered, k)
		}
	}
	now := time.Now().UTC()
	for _, k := range covered {
		for _, t := range []string{"comparison_run", "comparison", "comparison_summary"} {
			q := `DELETE FROM ` + t + ` WHERE run_key = ? AND period = ? AND county_code = ?`
			if _, err := tx.ExecContext(ctx, q, res.RunKey, k.period, k.county); err != nil {
				return fmt.Errorf("compare: save: clear %s: %w", t, err)
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO comparison_run (run_key, period, county_code, level, threshold, inclusive,
			share_metric, min_n, k, confidence, bootstrap, seed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			res.RunKey, k.period, k.county, string(o.Level), o.Threshold, o.Inclusive, string(o.Share), o.MinN, o.K,
			o.Confidence, o.Bootstrap, o.Seed, now); err != nil {
			return fmt.Errorf("compare: save: comparison_run: %w", err)
		}
	}

	cols := []string{"run_key", "period", "employer_code", "employer_name", "county_code", "sector", "employees",
		"female_code", "female_name", "female_n", "female_women_pct", "female_group_status",
		"male_code", "male_name", "male_n", "male_women_pct", "male_group_status",
		"condition_id", "condition_order", "kind", "unit", "worse",
		"female_value", "female_value_n", "female_status", "male_value", "male_value_n", "male_status",
		"diff", "diff_lo", "diff_hi", "ratio", "ratio_lo", "ratio_hi", "distinguishable", "female_worse", "method", "status"}
	ins := newBatch(tx, "comparison", cols)
	for _, e := range res.Employers {
		fc, fn, fN, fPct := groupCols(e.Female)
		mc, mn, mN, mPct := groupCols(e.Male)
		for i, c := range e.Conditions {
			cond := res.Conditions[i]
			dlo, dhi := ivCols(c.DiffCI)
			rlo, rhi := ivCols(c.RatioCI)
			err := ins.add(ctx, res.RunKey, e.Period, e.Code, nullStr(e.Name), e.County, nullStr(e.Sector), e.N,
				fc, fn, fN, fPct, nullStr(e.FemaleStatus), mc, mn, mN, mPct, nullStr(e.MaleStatus),
				c.Condition, i+1, string(cond.Kind), nullStr(cond.Unit), string(cond.Worse),
				nullF(c.Female.Value), c.Female.N, nullStr(c.Female.Status), nullF(c.Male.Value), c.Male.N, nullStr(c.Male.Status),
				nullF(c.Diff), dlo, dhi, nullF(c.Ratio), rlo, rhi, nullB(c.Distinguishable), nullB(c.FemaleWorse),
				nullStr(c.Method), nullStr(c.Status))
			if err != nil {
				return err
			}
		}
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}

	sum := newBatch(tx, "comparison_summary", []string{"run_key", "period", "county_code", "condition_id", "condition_order",
		"employers", "compared", "female_worse", "female_worse_distinguishable", "male_worse", "male_worse_distinguishable"})
	order := map[string]int{}
	for i, c := range res.Conditions {
		order[c.ID] = i + 1
	}
	for _, s := range res.Summary {
		if err := sum.add(ctx, res.RunKey, s.Period, s.County, s.Condition, order[s.Condition], s.Employers, s.Compared,
			s.FemaleWorse, s.FemaleWorseDistinct, s.MaleWorse, s.MaleWorseDistinct); err != nil {
			return err
		}
	}
	if err := sum.flush(ctx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("compare: save: commit: %w", err)
	}
	return nil
}

func groupCols(g *Group) (code, name, n, pct any) {
	if g == nil {
		return nil, nil, nil, nil
	}
	return g.Code, nullStr(g.Name), g.N, g.WomenPct
}

func ivCols(iv *Interval) (lo, hi any) {
	if iv == nil {
		return nil, nil
	}
	return iv.Lo, iv.Hi
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullF(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullB(p *bool) any {
	if p == nil {
		return nil
	}
	return *p
}

// batch inserts rows with multi-row VALUES statements: one round trip per
// few hundred rows instead of one per row.
type batch struct {
	tx    *sql.Tx
	table string
	cols  []string
	rows  int
	args  []any
}

const batchRows = 200

func newBatch(tx *sql.Tx, table string, cols []string) *batch {
	return &batch{tx: tx, table: table, cols: cols}
}

func (b *batch) add(ctx context.Context, vals ...any) error {
	if len(vals) != len(b.cols) {
		return fmt.Errorf("compare: save %s: %d values for %d columns", b.table, len(vals), len(b.cols))
	}
	b.args = append(b.args, vals...)
	b.rows++
	if b.rows >= batchRows {
		return b.flush(ctx)
	}
	return nil
}

func (b *batch) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(b.cols)), ", ") + ")"
	q := `INSERT INTO ` + b.table + ` (` + strings.Join(b.cols, ", ") + `) VALUES ` +
		strings.TrimSuffix(strings.Repeat(row+", ", b.rows), ", ")
	if _, err := b.tx.ExecContext(ctx, q, b.args...); err != nil {
		return fmt.Errorf("compare: save %s: %w", b.table, err)
	}
	b.rows, b.args = 0, b.args[:0]
	return nil
}
