package server

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
)

// catalog is the indicator and goal metadata of one database version,
// read once when the handle opens (a few hundred rows).
type catalog struct {
	indicators []*indMeta // in definition order
	byID       map[string]*indMeta
	delmal     []delmalMeta
	strategies []*stratMeta // national first, then by id
	// indicatorSet orders indicators by (file, line) for stable pages.
}

type indMeta struct {
	ID         string
	Title      text
	Desc       text
	Unit       string
	Kind       string
	Polarity   string
	MinN       int
	Source     string
	Definition string
	Delmal     []int
	Goals      []string
}

// perSex reports whether the indicator publishes K, M and T rows (the
// other kinds publish one T row comparing women and men).
func (m *indMeta) perSex() bool {
	switch m.Kind {
	case "mean_by_sex", "median_by_sex", "rate_per_1000", "passthrough", "by_sex":
		return true
	}
	return false
}

type delmalMeta struct {
	Number int
	Text   text
}

type stratMeta struct {
	ID    string
	Name  text
	Scope string
	Goals []*goalMeta
}

type goalMeta struct {
	ID         string
	Text       text
	Indicators []string
}

// text is a Swedish text with its English translation ("" when none).
type text struct{ Sv, En string }

func (t text) in(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Sv
}

func nullStr(s sql.NullString) string { return s.String }

func loadCatalog(ctx context.Context, db *sql.DB) (*catalog, error) {
	c := &catalog{byID: map[string]*indMeta{}}
	rows, err := db.QueryContext(ctx, `SELECT indicator_id, title_sv, title_en, description_sv, description_en,
		unit, kind, polarity, min_n, source, definition
		FROM indicator ORDER BY file NULLS LAST, line NULLS LAST, indicator_id`)
	if err != nil {
		return nil, fmt.Errorf("read indicators: %w", err)
	}
	for rows.Next() {
		var m indMeta
		var titleEn, descSv, descEn, unit, source, def sql.NullString
		if err := rows.Scan(&m.ID, &m.Title.Sv, &titleEn, &descSv, &descEn, &unit, &m.Kind, &m.Polarity, &m.MinN, &source, &def); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read indicators: %w", err)
		}
		m.Title.En, m.Desc.Sv, m.Desc.En = nullStr(titleEn), nullStr(descSv), nullStr(descEn)
		m.Unit, m.Source, m.Definition = nullStr(unit), nullStr(source), nullStr(def)
		c.indicators = append(c.indicators, &m)
		c.byID[m.ID] = &m
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("read indicators: %w", err)
	}

	if err := scanPairs(ctx, db, `SELECT indicator_id, delmal FROM indicator_delmal ORDER BY indicator_id, delmal`, func(id string, n int) {
		if m := c.byID[id]; m != nil {
			m.Delmal = append(m.Delmal, n)
		}
	}); err != nil {
		return nil, fmt.Errorf("read indicator_delmal: %w", err)
	}

	rows, err = db.QueryContext(ctx, `SELECT number, text, text_en FROM delmal ORDER BY number`)
	if err != nil {
		return nil, fmt.Errorf("read delmal: %w", err)
	}
	for rows.Next() {
		var d delmalMeta
		var en sql.NullString
		if err := rows.Scan(&d.Number, &d.Text.Sv, &en); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read delmal: %w", err)
		}
		d.Text.En = en.String
		c.delmal = append(c.delmal, d)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("read delmal: %w", err)
	}

	if err := c.loadGoals(ctx, db); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *catalog) loadGoals(ctx context.Context, db *sql.DB) error {
	strat := map[string]*stratMeta{}
	rows, err := db.QueryContext(ctx, `SELECT strategy_id, name, name_en, coalesce(scope, '') FROM strategy
		ORDER BY CASE WHEN strategy_id = 'national' THEN 0 ELSE 1 END, strategy_id`)
	if err != nil {
		return fmt.Errorf("read strategies: %w", err)
	}
	for rows.Next() {
		var s stratMeta
		var en sql.NullString
		if err := rows.Scan(&s.ID, &s.Name.Sv, &en, &s.Scope); err != nil {
			rows.Close()
			return fmt.Errorf("read strategies: %w", err)
		}
		s.Name.En = en.String
		c.strategies = append(c.strategies, &s)
		strat[s.ID] = &s
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("read strategies: %w", err)
	}

	goals := map[string]*goalMeta{}
	viaDelmal := map[string]bool{}
	rows, err = db.QueryContext(ctx, `SELECT goal_id, strategy_id, text, text_en, coalesce(via_delmal, false)
		FROM goal ORDER BY strategy_id, file NULLS LAST, line NULLS LAST, goal_id`)
	if err != nil {
		return fmt.Errorf("read goals: %w", err)
	}
	for rows.Next() {
		var g goalMeta
		var sid string
		var en sql.NullString
		var via bool
		if err := rows.Scan(&g.ID, &sid, &g.Text.Sv, &en, &via); err != nil {
			rows.Close()
			return fmt.Errorf("read goals: %w", err)
		}
		g.Text.En = en.String
		goals[g.ID] = &g
		viaDelmal[g.ID] = via
		if s := strat[sid]; s != nil {
			s.Goals = append(s.Goals, &g)
		}
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("read goals: %w", err)
	}

	linked := map[string]map[string]bool{} // goal → indicator set
	link := func(goal, ind string) {
		if goals[goal] == nil || c.byID[ind] == nil {
			return
		}
		if linked[goal] == nil {
			linked[goal] = map[string]bool{}
		}
		linked[goal][ind] = true
	}
	if err := scanStrPairs(ctx, db, `SELECT indicator_id, goal_id FROM indicator_goal`, func(ind, goal string) { link(goal, ind) }); err != nil {
		return fmt.Errorf("read indicator_goal: %w", err)
	}
	// A goal that is a delmål itself is followed up by every indicator of
	// that delmål.
	if err := scanPairs(ctx, db, `SELECT goal_id, delmal FROM goal_delmal`, func(goal string, n int) {
		if !viaDelmal[goal] {
			return
		}
		for _, m := range c.indicators {
			for _, d := range m.Delmal {
				if d == n {
					link(goal, m.ID)
				}
			}
		}
	}); err != nil {
		return fmt.Errorf("read goal_delmal: %w", err)
	}
	order := map[string]int{}
	for i, m := range c.indicators {
		order[m.ID] = i
	}
	for gid, set := range linked {
		g := goals[gid]
		for id := range set {
			g.Indicators = append(g.Indicators, id)
			c.byID[id].Goals = append(c.byID[id].Goals, gid)
		}
		sort.Slice(g.Indicators, func(i, j int) bool { return order[g.Indicators[i]] < order[g.Indicators[j]] })
	}
	for _, m := range c.indicators {
		sort.Strings(m.Goals)
	}
	return nil
}

// strategiesFor returns the national strategy and the county's own.
func (c *catalog) strategiesFor(county string) []*stratMeta {
	var out []*stratMeta
	for _, s := range c.strategies {
		if s.Scope == "0000" || s.Scope == "" || s.Scope == county {
			out = append(out, s)
		}
	}
	return out
}

func scanPairs(ctx context.Context, db *sql.DB, q string, f func(string, int)) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			rows.Close()
			return err
		}
		f(s, n)
	}
	return closeRows(rows)
}

func scanStrPairs(ctx context.Context, db *sql.DB, q string, f func(string, string)) error {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			rows.Close()
			return err
		}
		f(a, b)
	}
	return closeRows(rows)
}

func closeRows(rows *sql.Rows) error {
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	return rows.Close()
}
