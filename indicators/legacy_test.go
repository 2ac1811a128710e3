package indicators

// This file keeps the first, straightforward implementation of Compute
// (one query per input over every employee row, one transaction per
// indicator, the plain disclosure audit) as an oracle: the optimised
// Compute must store exactly the rows it stores (see equivalence_test.go).
// Only tests use it; keep it as it was.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/jamstat/jamstat/store"
)

// legacyTable is Table with the original Protect and Determined.
type legacyTable struct{ Table }

func newLegacyTable(n []float64) *legacyTable { return &legacyTable{*NewTable(n)} }

// Compute computes every indicator of cat (or those in opts.Indicators)
// for every geography and period that has inputs, applies disclosure
// control and replaces the matching rows of indicator_value. The catalogue
// tables (strategy, goal, indicator …) are replaced by cat first.
func legacyCompute(ctx context.Context, db *store.DB, cat *Catalogue, opts ComputeOptions) (Summary, error) {
	start := time.Now()
	opts.defaults()
	var sum Summary
	if db.ReadOnly {
		return sum, errors.New("compute indicators: database is open read-only")
	}
	inds := cat.Indicators
	if len(opts.Indicators) > 0 {
		inds = nil
		for _, id := range opts.Indicators {
			ind, ok := cat.Indicator(id)
			if !ok {
				return sum, fmt.Errorf("compute indicators: unknown indicator %q", id)
			}
			inds = append(inds, ind)
		}
	}
	conn, err := db.SQL.Conn(ctx)
	if err != nil {
		return sum, fmt.Errorf("compute indicators: %w", err)
	}
	defer conn.Close()
	t0 := time.Now()
	if err := SyncCatalogue(ctx, conn, cat); err != nil {
		return sum, err
	}
	if traceSteps != nil {
		traceSteps("catalogue", 0, time.Since(t0))
	}
	if err := prepareUnits(ctx, conn); err != nil {
		return sum, err
	}
	now := opts.Now().UTC()
	for _, ind := range inds {
		is, err := legacyComputeOne(ctx, conn, ind, &opts, now)
		if err != nil {
			return sum, fmt.Errorf("indicator %s (%s:%d): %w", ind.ID, ind.File, ind.Line, err)
		}
		sum.Indicators = append(sum.Indicators, is)
		sum.Rows += is.Rows
		sum.Suppressed += is.Suppressed
	}
	for _, t := range []string{"iv_units", "iv_expected", "iv_base0", "iv_base1", "iv_raw", "iv_supp", "iv_out"} {
		conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp."+t)
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// computeOne computes one indicator into indicator_value.
func legacyComputeOne(ctx context.Context, conn *sql.Conn, ind *Indicator, opts *ComputeOptions, now time.Time) (is IndicatorSummary, err error) {
	is = IndicatorSummary{ID: ind.ID}
	start := time.Now()
	defer func() { is.Elapsed = time.Since(start) }()
	if ind.Kind == KindSQL {
		q := fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE iv_raw AS
		SELECT row_number() OVER () AS rid, CAST(geo_code AS VARCHAR) AS geo_code, false AS agg,
		       CAST(period AS VARCHAR) AS period, CAST(sex AS VARCHAR) AS sex, coalesce(CAST("group" AS VARCHAR), '') AS grp,
		       CAST(value AS DOUBLE) AS value, CAST(NULL AS DOUBLE) AS numerator, CAST(NULL AS DOUBLE) AS denominator,
		       CAST(n AS DOUBLE) AS n, CAST(NULL AS DOUBLE) AS nk, CAST(NULL AS DOUBLE) AS nm,
		       CAST(NULL AS BIGINT) AS members,
		       CASE WHEN value IS NULL THEN 'missing' ELSE '' END AS status
		FROM (%s) q %s`, ind.SQL, strings.Replace(periodWhere("q", opts), "q.period", "CAST(q.period AS VARCHAR)", 1))
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return is, fmt.Errorf("custom sql (must return geo_code, period, sex, \"group\", value, n): %w", err)
		}
	} else {
		for i := range ind.Inputs {
			in := &ind.Inputs[i]
			var q string
			if in.IsEmployee() {
				q = legacyEmployeeBaseSQL(ind, in, opts)
			} else {
				m := mustMeasure(ind, in)
				q = observationBaseSQL(ind, in, m, opts)
			}
			t0 := time.Now()
			_, err := conn.ExecContext(ctx, fmt.Sprintf("CREATE OR REPLACE TEMP TABLE iv_base%d AS %s", i, q))
			if traceSteps != nil {
				traceSteps("base", i, time.Since(t0))
			}
			if err != nil {
				return is, fmt.Errorf("input %d: %w", i+1, err)
			}
		}
		if _, err := conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE iv_raw AS "+kindSQL(ind)); err != nil {
			return is, fmt.Errorf("kind %s: %w", ind.Kind, err)
		}
	}
	// Disclosure control sees every cell of the indicator at once.
	t1 := time.Now()
	cells, err := legacyReadCells(ctx, conn)
	if traceSteps != nil {
		traceSteps("read", 0, time.Since(t1))
	}
	if err != nil {
		return is, err
	}
	if len(cells) == 0 {
		is.Err = "no inputs"
		return is, nil
	}
	dstart := time.Now()
	supp := legacyProtectIndicator(ind, cells)
	is.Disclosure = time.Since(dstart)
	if err := legacyWriteSuppressed(ctx, conn, supp); err != nil {
		return is, err
	}
	periods := map[string]bool{}
	for _, c := range cells {
		periods[c.period] = true
	}
	for p := range periods {
		is.Periods = append(is.Periods, p)
	}
	sort.Strings(is.Periods)
	for _, s := range supp {
		is.Suppressed++
		if !s.primary {
			is.Secondary++
		}
	}
	method := MethodDirect
	if len(ind.Inputs) > 0 && ind.Inputs[0].IsEmployee() {
		method = MethodEmployer
	}
	// Published rows (suppression applied), then the Kolada-style means of
	// the member kommuner's published values, then store.
	steps := []string{
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE iv_out AS
		SELECT r.geo_code, r.period, r.sex, r.grp,
		       CASE WHEN r.agg THEN '%[1]s' ELSE %[2]s END AS method,
		       CASE WHEN s.rid IS NULL THEN r.value END AS value,
		       CASE WHEN s.rid IS NULL AND r.value IS NOT NULL THEN r.numerator END AS numerator,
		       CASE WHEN s.rid IS NULL AND r.value IS NOT NULL THEN r.denominator END AS denominator,
		       CASE WHEN s.rid IS NULL THEN r.n END AS n,
		       CAST(r.members AS INTEGER) AS members,
		       CASE WHEN s.rid IS NOT NULL THEN '%[3]s'
		            WHEN r.value IS NULL OR isnan(r.value) OR isinf(r.value) THEN CASE WHEN r.status = '' THEN '.' ELSE r.status END
		            ELSE '' END AS status
		FROM iv_raw r LEFT JOIN iv_supp s ON s.rid = r.rid`, MethodWeighted, sqlString(method), StatusSuppressed),
		`UPDATE iv_out SET value = NULL, numerator = NULL, denominator = NULL WHERE value IS NOT NULL AND (isnan(value) OR isinf(value))`,
		fmt.Sprintf(`INSERT INTO iv_out
		WITH k AS (
		  SELECT o.*, g.county_code FROM iv_out o JOIN geo g ON g.code = o.geo_code AND g.kind = 'kommun'
		  WHERE o.method = %[1]s
		),
		units AS (
		  SELECT county_code AS unit, * EXCLUDE (county_code) FROM k
		  UNION ALL SELECT '0000', * EXCLUDE (county_code) FROM k
		)
		SELECT u.unit, u.period, u.sex, u.grp, '%[2]s',
		       avg(u.value), NULL, NULL,
		       CASE WHEN count(u.value) > 0 AND count(u.n) = count(u.value) THEN sum(u.n) FILTER (WHERE u.value IS NOT NULL) END,
		       CAST(count(u.value) AS INTEGER), ''
		FROM units u JOIN iv_expected x ON x.unit = u.unit AND x.member_kind = 'kommun'
		GROUP BY u.unit, u.period, u.sex, u.grp, x.expected
		HAVING count(*) >= x.expected * %[3]g AND count(u.value) > 0`, sqlString(method), MethodUnweighted, opts.MinCoverage),
	}
	for i, s := range steps {
		t0 := time.Now()
		_, err := conn.ExecContext(ctx, s)
		if traceSteps != nil {
			traceSteps("publish", i, time.Since(t0))
		}
		if err != nil {
			return is, fmt.Errorf("publish: %w", err)
		}
	}
	geoCond := ""
	if len(opts.Geos) > 0 {
		geoCond = " AND geo_code IN (" + sqlList(opts.Geos) + ")"
	}
	t0 := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return is, err
	}
	defer tx.Rollback()
	if traceSteps != nil {
		defer func() { traceSteps("store", 0, time.Since(t0)) }()
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM indicator_value WHERE indicator = ? AND period IN (`+sqlList(is.Periods)+`)`+geoCond, ind.ID); err != nil {
		return is, fmt.Errorf("replace values: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO indicator_value (indicator, geo_code, period, sex, "group", method, value, numerator, denominator, n, members, status, computed_at)
		SELECT ?, geo_code, period, sex, grp, method, value, numerator, denominator, n, members, status, ? FROM iv_out WHERE true`+geoCond, ind.ID, now)
	if err != nil {
		return is, fmt.Errorf("store values: %w", err)
	}
	is.Rows, _ = res.RowsAffected()
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE value IS NOT NULL) FROM iv_out WHERE true`+geoCond).Scan(&is.Values); err != nil {
		return is, err
	}
	err = tx.Commit()
	return is, err
}

func legacyReadCells(ctx context.Context, conn *sql.Conn) ([]rawCell, error) {
	rows, err := conn.QueryContext(ctx, `SELECT rid, coalesce(geo_code, ''), agg, period, sex, grp, n, nk, nm, value IS NOT NULL FROM iv_raw`)
	if err != nil {
		return nil, fmt.Errorf("read cells: %w", err)
	}
	defer rows.Close()
	var out []rawCell
	for rows.Next() {
		var c rawCell
		var n, nk, nm sql.NullFloat64
		if err := rows.Scan(&c.rid, &c.geo, &c.agg, &c.period, &c.sex, &c.grp, &n, &nk, &nm, &c.hasValue); err != nil {
			return nil, fmt.Errorf("read cells: %w", err)
		}
		c.n, c.nk, c.nm = nullNaN(n), nullNaN(nk), nullNaN(nm)
		out = append(out, c)
	}
	return out, rows.Err()
}

// writeSuppressed stores the ids of the suppressed cells in temp.iv_supp.
func legacyWriteSuppressed(ctx context.Context, conn *sql.Conn, supp []suppressed) error {
	if _, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE iv_supp (rid BIGINT, "primary" BOOLEAN)`); err != nil {
		return fmt.Errorf("suppression: %w", err)
	}
	if len(supp) == 0 {
		return nil
	}
	return conn.Raw(func(dc any) error {
		c, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		app, err := duckdb.NewAppender(c, "temp", "main", "iv_supp")
		if err != nil {
			return fmt.Errorf("suppression: %w", err)
		}
		for _, s := range supp {
			if err := app.AppendRow(s.rid, s.primary); err != nil {
				app.Close()
				return fmt.Errorf("suppression: %w", err)
			}
		}
		return app.Close()
	})
}

// employeeBaseSQL is the base query of an employee statistic. Pooled
// (county, Sweden) rows are made for everyone and for the dominance
// classes, not for single occupational groups: those would tie the small
// cells of every employer into one disclosure problem (and the comparison
// of groups is made per employer).
func legacyEmployeeBaseSQL(ind *Indicator, in *Input, opts *ComputeOptions) string {
	var num, den, v, pop string
	where := in.where.sql("e")
	switch in.Employee {
	case "count":
		num, den, v, pop = "1", "1", "NULL", where
	case "share":
		base := in.where.known("e")
		if in.base != nil {
			base = in.base.sql("e")
		}
		num, den, v, pop = fmt.Sprintf("CASE WHEN %s THEN 1 ELSE 0 END", where), "1", "NULL", base
	case "per":
		pop = "true"
		if in.base != nil {
			pop = in.base.sql("e")
		}
		num, den, v = "1", fmt.Sprintf("CASE WHEN %s THEN 1 ELSE 0 END", where), "NULL"
	case "mean":
		col := `e."` + in.Column + `"`
		num, den, v, pop = col, "1", "NULL", col+" IS NOT NULL AND "+where
	case "median":
		col := `e."` + in.Column + `"`
		num, den, v, pop = "NULL", "NULL", col, col+" IS NOT NULL AND "+where
	case "ratio":
		a, b := `e."`+in.Column+`"`, `e."`+in.Denominator+`"`
		num, den, v, pop = a, b, "NULL", a+" IS NOT NULL AND "+b+" IS NOT NULL AND "+where
	}
	var value string
	switch in.Employee {
	case "count":
		value = "sum(num)"
	case "median":
		value = "median(v)"
	default:
		value = fmt.Sprintf("CASE WHEN sum(den) = 0 THEN NULL ELSE %g * sum(num) / sum(den) END", in.Scale)
	}
	status := "''"
	if in.Employee != "count" && in.Employee != "median" {
		// A zero denominator (no scheduled hours, no managers) makes the
		// statistic undefined for the cell: Kolada's "." (ej tillämplig).
		status = "CASE WHEN sum(den) = 0 THEN '.' ELSE '' END"
	}
	var grps []string
	for _, g := range groupsOf(ind) {
		switch g {
		case "total":
			grps = append(grps, "''")
		case "ssyk4":
			grps = append(grps, "'ssyk4:' || occ")
		case "dominance":
			grps = append(grps, "'dominance:' || dclass")
		}
	}
	return fmt.Sprintf(`WITH p AS (
  SELECT e.employer_code AS member, e.period, e.sex,
         coalesce(nullif(e.occupation_code, ''), 'okänd') AS occ,
         CAST(%[1]s AS DOUBLE) AS num, CAST(%[2]s AS DOUBLE) AS den, CAST(%[3]s AS DOUBLE) AS v,
         coalesce(%[4]s, false) AS inpop
  FROM employee e %[5]s
),
dom AS (
  SELECT member, period, occ, %[6]s AS dclass FROM p GROUP BY member, period, occ
),
u AS (
  SELECT m.unit, m.agg, m.member_kind, p.member, p.period, p.sex, p.occ, d.dclass, p.num, p.den, p.v
  FROM p JOIN dom d USING (member, period, occ) JOIN iv_units m ON m.member = p.member
  WHERE p.inpop
),
g AS (SELECT u.*, t.grp FROM u, unnest([%[7]s]) AS t(grp)),
r AS (
  SELECT unit AS geo_code, agg, period, grp, coalesce(sex, 'T') AS sex,
         sum(num) AS num, sum(den) AS den, count(*)::DOUBLE AS n,
         %[8]s AS value, %[9]s AS status
  FROM g GROUP BY GROUPING SETS ((unit, agg, period, grp, sex), (unit, agg, period, grp))
),
mem AS (
  SELECT unit, period, count(DISTINCT member) AS members FROM u WHERE agg AND member_kind = 'kommun' GROUP BY unit, period
)
SELECT r.*, CASE WHEN r.agg THEN mem.members END AS members
FROM r LEFT JOIN mem ON mem.unit = r.geo_code AND mem.period = r.period AND r.agg
LEFT JOIN iv_expected x ON x.unit = r.geo_code AND x.member_kind = 'kommun'
WHERE NOT r.agg OR (x.expected IS NOT NULL AND mem.members >= x.expected * %[10]g AND r.grp NOT LIKE 'ssyk4:%%')`,
		num, den, v, pop, periodWhere("e", opts), legacyDominanceSQL(opts), strings.Join(grps, ", "),
		value, status, opts.MinCoverage)
}

// Protect adds secondary suppression until no suppressed cell can be
// recovered from the relations. It returns the number of cells it added.
func (t *legacyTable) Protect() int {
	added := 0
	cellRels := make([][]int, len(t.N))
	for ri, r := range t.Relations {
		cellRels[r.Total] = append(cellRels[r.Total], ri)
		for _, p := range r.Parts {
			cellRels[p] = append(cellRels[p], ri)
		}
	}
	for {
		for changed := true; changed; {
			changed = false
			for ri := range t.Relations {
				if c := t.ruleFix(ri); c >= 0 {
					t.Suppressed[c] = true
					added++
					changed = true
				}
			}
		}
		det := t.Determined()
		if len(det) == 0 {
			return added
		}
		// Fix the determined cells, one per neighbourhood (a fix can free
		// the cells sharing its relations), then re-run the cheap rules.
		touched := map[int]bool{}
		for _, d := range det {
			skip := false
			for _, ri := range cellRels[d] {
				if touched[ri] {
					skip = true
				}
			}
			if skip {
				continue
			}
			c := -1
			for _, ri := range cellRels[d] {
				if x := t.smallestPublished(ri); x >= 0 && (c < 0 || t.N[x] < t.N[c] || t.N[x] == t.N[c] && x < c) {
					c = x
				}
			}
			if c < 0 {
				// Every relation holding the cell is fully suppressed, yet
				// the relations of its neighbours pin it down: hide the
				// smallest published cell of the nearest relation that has one.
				c = t.nearestPublished(d, cellRels)
			}
			if c < 0 {
				continue // cannot happen: a determined cell needs published cells
			}
			t.Suppressed[c] = true
			added++
			for _, ri := range cellRels[c] {
				touched[ri] = true
			}
			for _, ri := range cellRels[d] {
				touched[ri] = true
			}
		}
	}
}

// Determined lists the suppressed cells whose count follows exactly from
// the published cells and the relations, in increasing order.
func (t *legacyTable) Determined() []int {
	// Unknowns: suppressed cells that occur in some relation.
	idx := map[int]int{}
	var cols []int
	var rels []int
	for ri, r := range t.Relations {
		has := false
		for _, c := range append([]int{r.Total}, r.Parts...) {
			if t.Suppressed[c] {
				has = true
				if _, ok := idx[c]; !ok {
					idx[c] = len(cols)
					cols = append(cols, c)
				}
			}
		}
		if has {
			rels = append(rels, ri)
		}
	}
	if len(cols) == 0 {
		return nil
	}
	// Connected components of unknowns linked by relations.
	uf := newUnionFind(len(cols))
	for _, ri := range rels {
		r := t.Relations[ri]
		first := -1
		for _, c := range append([]int{r.Total}, r.Parts...) {
			if j, ok := idx[c]; ok && t.Suppressed[c] {
				if first < 0 {
					first = j
				} else {
					uf.union(first, j)
				}
			}
		}
	}
	compRels := map[int][]int{}
	for _, ri := range rels {
		r := t.Relations[ri]
		c := r.Total
		if !t.Suppressed[c] {
			for _, p := range r.Parts {
				if t.Suppressed[p] {
					c = p
					break
				}
			}
		}
		root := uf.find(idx[c])
		compRels[root] = append(compRels[root], ri)
	}
	compCols := map[int][]int{}
	for j := range cols {
		root := uf.find(j)
		compCols[root] = append(compCols[root], j)
	}
	var out []int
	for root, cj := range compCols {
		local := map[int]int{}
		for i, j := range cj {
			local[cols[j]] = i
		}
		var A [][]float64
		for _, ri := range compRels[root] {
			row := make([]float64, len(cj))
			r := t.Relations[ri]
			if i, ok := local[r.Total]; ok && t.Suppressed[r.Total] {
				row[i] += 1
			}
			for _, p := range r.Parts {
				if i, ok := local[p]; ok && t.Suppressed[p] {
					row[i] -= 1
				}
			}
			A = append(A, row)
		}
		for _, i := range legacyDeterminedColumns(A, len(cj)) {
			out = append(out, cols[cj[i]])
		}
	}
	sort.Ints(out)
	return out
}

// determinedColumns returns the columns j for which the unit vector e_j
// lies in the row space of A: exactly the unknowns fixed by A·x = b. It
// reduces A to row echelon form (partial pivoting); a pivot column whose
// reduced row has no other non-zero entry is determined.
func legacyDeterminedColumns(A [][]float64, ncols int) []int {
	const eps = 1e-9
	rows := len(A)
	pivotCol := make([]int, 0, rows)
	r := 0
	for c := 0; c < ncols && r < rows; c++ {
		best, bestAbs := -1, eps
		for i := r; i < rows; i++ {
			if a := math.Abs(A[i][c]); a > bestAbs {
				best, bestAbs = i, a
			}
		}
		if best < 0 {
			continue
		}
		A[r], A[best] = A[best], A[r]
		pv := A[r][c]
		for j := c; j < ncols; j++ {
			A[r][j] /= pv
		}
		for i := 0; i < rows; i++ {
			if i == r || math.Abs(A[i][c]) <= eps {
				continue
			}
			f := A[i][c]
			for j := c; j < ncols; j++ {
				A[i][j] -= f * A[r][j]
			}
			A[i][c] = 0
		}
		pivotCol = append(pivotCol, c)
		r++
	}
	var out []int
	for i, c := range pivotCol {
		alone := true
		for j := 0; j < ncols; j++ {
			if j != c && math.Abs(A[i][j]) > eps {
				alone = false
				break
			}
		}
		if alone {
			out = append(out, c)
		}
	}
	return out
}

// protectIndicator applies disclosure control to every computed cell of
// one indicator (all periods, geographies, sexes and groups) and returns
// the cells to suppress.
func legacyProtectIndicator(ind *Indicator, cells []rawCell) []suppressed {
	// The database returns cells in no fixed order; the rules break ties
	// by position, so order the cells by their key for a reproducible result.
	cells = append([]rawCell(nil), cells...)
	sort.Slice(cells, func(a, b int) bool {
		x, y := &cells[a], &cells[b]
		switch {
		case x.period != y.period:
			return x.period < y.period
		case x.geo != y.geo:
			return x.geo < y.geo
		case x.agg != y.agg:
			return !x.agg
		case x.grp != y.grp:
			return x.grp < y.grp
		}
		return x.sex < y.sex
	})
	n := make([]float64, len(cells))
	for i, c := range cells {
		n[i] = c.n
	}
	t := newLegacyTable(n)
	k := float64(ind.MinN())
	primary := make([]bool, len(cells))
	for i, c := range cells {
		small := !math.IsNaN(c.n) && c.n < k
		if ind.Kind.comparesSexes() && (!math.IsNaN(c.nk) && c.nk < k || !math.IsNaN(c.nm) && c.nm < k) {
			small = true
		}
		if small {
			t.Suppressed[i] = true
			primary[i] = true
		}
	}
	type key struct {
		period, geo string
		agg         bool
		grp, sex    string
	}
	at := map[key]int{}
	for i, c := range cells {
		at[key{c.period, c.geo, c.agg, c.grp, c.sex}] = i
	}
	// T = K + M.
	for kk, i := range at {
		if kk.sex != "T" {
			continue
		}
		kc, okK := at[key{kk.period, kk.geo, kk.agg, kk.grp, "K"}]
		mc, okM := at[key{kk.period, kk.geo, kk.agg, kk.grp, "M"}]
		switch {
		case okK && okM:
			t.AddRelation(i, []int{kc, mc})
		case okK:
			t.AddRelation(i, []int{kc})
		case okM:
			t.AddRelation(i, []int{mc})
		}
	}
	// A total = the sum of its groups, for each family of groups.
	type gkey struct {
		period, geo string
		agg         bool
		sex, family string
	}
	families := map[gkey][]int{}
	for i, c := range cells {
		if fam, _, ok := strings.Cut(c.grp, ":"); ok {
			gk := gkey{c.period, c.geo, c.agg, c.sex, fam}
			families[gk] = append(families[gk], i)
		}
	}
	for gk, parts := range families {
		if tot, ok := at[key{gk.period, gk.geo, gk.agg, "", gk.sex}]; ok {
			sort.Ints(parts)
			t.AddRelation(tot, parts)
		}
	}
	// A pooled county (or Sweden) cell = the sum of its members' own cells.
	type ukey struct{ period, grp, sex, unit string }
	kommuner := map[ukey][]int{}
	regions := map[ukey][]int{}
	for i, c := range cells {
		if c.agg {
			continue
		}
		switch len(c.geo) {
		case 4:
			if c.geo == "0000" {
				continue
			}
			kommuner[ukey{c.period, c.grp, c.sex, c.geo[:2]}] = append(kommuner[ukey{c.period, c.grp, c.sex, c.geo[:2]}], i)
			kommuner[ukey{c.period, c.grp, c.sex, "0000"}] = append(kommuner[ukey{c.period, c.grp, c.sex, "0000"}], i)
		case 2:
			regions[ukey{c.period, c.grp, c.sex, c.geo}] = append(regions[ukey{c.period, c.grp, c.sex, c.geo}], i)
			regions[ukey{c.period, c.grp, c.sex, "0000"}] = append(regions[ukey{c.period, c.grp, c.sex, "0000"}], i)
		}
	}
	for kk, i := range at {
		if kk.geo != "0000" && len(kk.geo) != 2 {
			continue
		}
		uk := ukey{kk.period, kk.grp, kk.sex, kk.geo}
		ks := kommuner[uk]
		sort.Ints(ks)
		candidates := [][]int{ks, append(append([]int(nil), ks...), regions[uk]...)}
		if kk.geo == "0000" {
			candidates = append(candidates, regions[uk])
		}
		for _, parts := range candidates {
			if len(parts) > 0 && t.AddRelation(i, parts) {
				break
			}
		}
	}
	// Map iteration above is in random order; the rules pick cells in
	// relation order, so sort for a reproducible result.
	sort.Slice(t.Relations, func(a, b int) bool {
		ra, rb := t.Relations[a], t.Relations[b]
		if ra.Total != rb.Total {
			return ra.Total < rb.Total
		}
		if len(ra.Parts) != len(rb.Parts) {
			return len(ra.Parts) < len(rb.Parts)
		}
		for i := range ra.Parts {
			if ra.Parts[i] != rb.Parts[i] {
				return ra.Parts[i] < rb.Parts[i]
			}
		}
		return false
	})
	t.Protect()
	var out []suppressed
	for i, s := range t.Suppressed {
		if s {
			out = append(out, suppressed{rid: cells[i].rid, primary: primary[i]})
		}
	}
	return out
}

// legacyDominanceSQL classifies an occupational group at an employer by its
// share of women: more than the threshold → female-dominated, more than the
// threshold of men → male-dominated, otherwise mixed ("jämn").
func legacyDominanceSQL(opts *ComputeOptions) string {
	op := ">"
	if opts.DominanceInclusive {
		op = ">="
	}
	t := fmt.Sprintf("%g", opts.DominanceThreshold)
	return fmt.Sprintf(`CASE WHEN 100.0 * count(*) FILTER (WHERE sex = 'K') / count(*) %[1]s %[2]s THEN 'female'
	     WHEN 100.0 * count(*) FILTER (WHERE sex = 'M') / count(*) %[1]s %[2]s THEN 'male'
	     ELSE 'mixed' END`, op, t)
}
