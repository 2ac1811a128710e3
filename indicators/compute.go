package indicators

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

// Methods label how a value was obtained (indicator_value.method).
const (
	MethodDirect     = "direct"                                     // the geography's own figure, as published or computed from its own cells
	MethodEmployer   = "employer"                                   // from one employer's HR microdata (a kommun or a region as employer)
	MethodWeighted   = "headcount-weighted"                         // pooled over member geographies
	MethodUnweighted = "unweighted mean of kommuner (Kolada-style)" // mean of the member kommuner's published values
)

// traceSteps, when set (tests), receives the time of each SQL step.
var traceSteps func(step string, i int, d time.Duration)

// StatusSuppressed marks a value hidden by disclosure control.
const StatusSuppressed = ".."

// ComputeOptions selects what Compute computes.
type ComputeOptions struct {
	Years      []string // periods to compute ("2024"); empty = every period with inputs
	Geos       []string // geo codes to store; empty = all. Disclosure always sees every geography.
	Indicators []string // indicator ids; empty = all
	// MinCoverage is the share of member kommuner (or counties) that must
	// have inputs before a county or Sweden gets a pooled or mean value.
	// Default 1: a county value is made only from complete data.
	MinCoverage float64
	// DominanceThreshold: an occupational group at an employer is
	// female-dominated when more than this percentage are women (male
	// likewise); default 60. DominanceInclusive makes it "at least".
	DominanceThreshold float64
	DominanceInclusive bool
	Now                func() time.Time // clock for computed_at; default time.Now
}

func (o *ComputeOptions) defaults() {
	if o.MinCoverage <= 0 {
		o.MinCoverage = 1
	}
	if o.DominanceThreshold <= 0 {
		o.DominanceThreshold = 60
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// IndicatorSummary reports one indicator's computation.
type IndicatorSummary struct {
	ID         string
	Rows       int64 // rows stored
	Values     int64 // rows with a value
	Suppressed int64 // rows hidden by disclosure control (primary + secondary)
	Secondary  int64 // of which secondary
	Periods    []string
	Err        string // why nothing was computed ("no inputs")
	Elapsed    time.Duration
	Disclosure time.Duration // of Elapsed, spent in disclosure control
}

// Summary reports a Compute run.
type Summary struct {
	Indicators []IndicatorSummary
	Rows       int64
	Suppressed int64
	Elapsed    time.Duration
}

// Compute computes every indicator of cat (or those in opts.Indicators)
// for every geography and period that has inputs, applies disclosure
// control and replaces the matching rows of indicator_value, all in one
// transaction at the end: on an error nothing is replaced. The catalogue
// tables (strategy, goal, indicator …) are replaced by cat first.
func Compute(ctx context.Context, db *store.DB, cat *Catalogue, opts ComputeOptions) (Summary, error) {
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
	fine, err := prepareEmployee(ctx, conn, inds, &opts)
	if err != nil {
		return sum, err
	}
	now := opts.Now().UTC()
	if _, err := conn.ExecContext(ctx, createPending); err != nil {
		return sum, fmt.Errorf("compute indicators: %w", err)
	}
	pc := &protectCache{}
	for _, ind := range inds {
		is, err := computeOne(ctx, conn, ind, &opts, fine, pc)
		if err != nil {
			return sum, fmt.Errorf("indicator %s (%s:%d): %w", ind.ID, ind.File, ind.Line, err)
		}
		sum.Indicators = append(sum.Indicators, is)
		sum.Suppressed += is.Suppressed
	}
	if err := storeValues(ctx, conn, &sum, &opts, now); err != nil {
		return sum, err
	}
	for _, t := range []string{"iv_units", "iv_expected", "iv_emp_fine", "iv_emp_dom", "iv_emp_cells", "iv_emp_mem", "iv_base0", "iv_base1", "iv_raw", "iv_supp", "iv_out", "iv_all", "iv_del"} {
		conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp."+t)
	}
	sum.Elapsed = time.Since(start)
	return sum, nil
}

// prepareUnits writes the temp tables mapping each geography to the units
// it counts in (itself; its county and Sweden when pooled) and how many
// members each unit expects.
func prepareUnits(ctx context.Context, conn *sql.Conn) error {
	stmts := []string{
		`CREATE OR REPLACE TEMP TABLE iv_units AS
		 SELECT code AS member, code AS unit, false AS agg, kind AS member_kind FROM geo
		 UNION ALL SELECT code, county_code, true, kind FROM geo WHERE kind = 'kommun'
		 UNION ALL SELECT code, '0000', true, kind FROM geo WHERE kind IN ('kommun', 'region')
		 UNION ALL SELECT code, code, true, kind FROM geo WHERE kind = 'region'`,
		`CREATE OR REPLACE TEMP TABLE iv_expected AS
		 SELECT county_code AS unit, 'kommun' AS member_kind, count(*) AS expected FROM geo WHERE kind = 'kommun' GROUP BY county_code
		 UNION ALL SELECT '0000', 'kommun', count(*) FROM geo WHERE kind = 'kommun'
		 UNION ALL SELECT '0000', 'region', count(*) FROM geo WHERE kind = 'region'`,
	}
	for _, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("compute indicators: geography units: %w", err)
		}
	}
	return nil
}

// prepareEmployee sums the persons of every employee input of inds per
// fine cell (employer × period × occupational group × sex) in one pass over
// employee (iv_emp_fine), classifies each occupational group at each
// employer by dominance (iv_emp_dom), pools the fine cells into every unit,
// group and sex (iv_emp_cells) and counts the members behind each pooled
// unit (iv_emp_mem).
func prepareEmployee(ctx context.Context, conn *sql.Conn, inds []*Indicator, opts *ComputeOptions) (*employeeFine, error) {
	fine := &employeeFine{}
	for _, ind := range inds {
		if ind.Kind == KindSQL {
			continue
		}
		for i := range ind.Inputs {
			if ind.Inputs[i].IsEmployee() {
				fine.add(&ind.Inputs[i])
			}
		}
	}
	if len(fine.cols) == 0 {
		return fine, nil
	}
	for i, s := range []string{
		"CREATE OR REPLACE TEMP TABLE iv_emp_fine AS " + fine.fineSQL(opts),
		"CREATE OR REPLACE TEMP TABLE iv_emp_dom AS " + domSQL(opts),
		"CREATE OR REPLACE TEMP TABLE iv_emp_cells AS " + fine.cellsSQL(),
		"CREATE OR REPLACE TEMP TABLE iv_emp_mem AS " + fine.memSQL(),
	} {
		t0 := time.Now()
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("compute indicators: employee cells: %w", err)
		}
		if traceSteps != nil {
			traceSteps("employee", i, time.Since(t0))
		}
	}
	return fine, nil
}

// computeOne computes one indicator into the pending rows (iv_all).
func computeOne(ctx context.Context, conn *sql.Conn, ind *Indicator, opts *ComputeOptions, fine *employeeFine, pc *protectCache) (is IndicatorSummary, err error) {
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
				col, ok := fine.col(in)
				if !ok {
					return is, fmt.Errorf("input %d: employee cells not prepared", i+1)
				}
				q = employeeBaseSQL(ind, in, opts, col)
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
	cells, err := readCells(ctx, conn)
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
	supp := protectIndicator(ind, cells, pc)
	is.Disclosure = time.Since(dstart)
	if err := writeSuppressed(ctx, conn, supp); err != nil {
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
	// Published rows (suppression applied; NaN and ±Inf, which SQL could
	// not compare, become NULL), then the Kolada-style means of the member
	// kommuner's published values; Compute stores them all at the end.
	steps := []string{
		fmt.Sprintf(`CREATE OR REPLACE TEMP TABLE iv_out AS
		SELECT r.geo_code, r.period, r.sex, r.grp,
		       CASE WHEN r.agg THEN '%[1]s' ELSE %[2]s END AS method,
		       CASE WHEN s.rid IS NULL AND NOT (isnan(r.value) OR isinf(r.value)) THEN r.value END AS value,
		       CASE WHEN s.rid IS NULL AND NOT (isnan(r.value) OR isinf(r.value)) THEN r.numerator END AS numerator,
		       CASE WHEN s.rid IS NULL AND NOT (isnan(r.value) OR isinf(r.value)) THEN r.denominator END AS denominator,
		       CASE WHEN s.rid IS NULL THEN r.n END AS n,
		       CAST(r.members AS INTEGER) AS members,
		       CASE WHEN s.rid IS NOT NULL THEN '%[3]s'
		            WHEN r.value IS NULL OR isnan(r.value) OR isinf(r.value) THEN CASE WHEN r.status = '' THEN '.' ELSE r.status END
		            ELSE '' END AS status
		FROM iv_raw r LEFT JOIN iv_supp s ON s.rid = r.rid`, MethodWeighted, sqlString(method), StatusSuppressed),
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
		`INSERT INTO iv_all SELECT ` + sqlString(ind.ID) + `, * FROM iv_out`,
		`INSERT INTO iv_del SELECT ` + sqlString(ind.ID) + `, unnest([` + sqlList(is.Periods) + `])`,
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
	return is, nil
}

// The rows of every indicator wait in temp tables until storeValues
// replaces them in indicator_value in one transaction: one bulk write
// instead of a DELETE and an INSERT (and a commit) per indicator.
const createPending = `CREATE OR REPLACE TEMP TABLE iv_all (
  indicator VARCHAR, geo_code VARCHAR, period VARCHAR, sex VARCHAR, grp VARCHAR, method VARCHAR,
  value DOUBLE, numerator DOUBLE, denominator DOUBLE, n DOUBLE, members INTEGER, status VARCHAR);
CREATE OR REPLACE TEMP TABLE iv_del (indicator VARCHAR, period VARCHAR)`

// storeValues replaces, for each indicator and period computed (iv_del),
// the rows of indicator_value (of opts.Geos, when given) with the pending
// rows, and fills in the rows and values stored per indicator.
func storeValues(ctx context.Context, conn *sql.Conn, sum *Summary, opts *ComputeOptions, now time.Time) error {
	geoCond := ""
	if len(opts.Geos) > 0 {
		geoCond = " AND geo_code IN (" + sqlList(opts.Geos) + ")"
	}
	t0 := time.Now()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store values: %w", err)
	}
	defer tx.Rollback()
	if traceSteps != nil {
		defer func() { traceSteps("store", 0, time.Since(t0)) }()
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM indicator_value v USING iv_del d
		WHERE v.indicator = d.indicator AND v.period = d.period`+geoCond); err != nil {
		return fmt.Errorf("replace values: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO indicator_value (indicator, geo_code, period, sex, "group", method, value, numerator, denominator, n, members, status, computed_at)
		SELECT indicator, geo_code, period, sex, grp, method, value, numerator, denominator, n, members, status, ? FROM iv_all WHERE true`+geoCond, now); err != nil {
		return fmt.Errorf("store values: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT indicator, count(*), count(value) FROM iv_all WHERE true`+geoCond+` GROUP BY indicator`)
	if err != nil {
		return fmt.Errorf("store values: %w", err)
	}
	counts := map[string][2]int64{}
	for rows.Next() {
		var id string
		var c [2]int64
		if err := rows.Scan(&id, &c[0], &c[1]); err != nil {
			rows.Close()
			return fmt.Errorf("store values: %w", err)
		}
		counts[id] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store values: %w", err)
	}
	for i := range sum.Indicators {
		is := &sum.Indicators[i]
		c := counts[is.ID]
		is.Rows, is.Values = c[0], c[1]
		sum.Rows += is.Rows
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store values: %w", err)
	}
	return nil
}

func mustMeasure(ind *Indicator, in *Input) *Measure {
	// validateInput guaranteed the measure is declared; the catalogue
	// keeps a pointer on the input for the computation.
	if in.measure == nil {
		return &Measure{ID: in.Measure}
	}
	return in.measure
}

// kindSQL combines the base rows of the inputs into iv_raw rows: rid,
// geo_code, agg, period, sex, grp, value, numerator, denominator, n, nk, nm,
// members, status. nk and nm are the persons behind the women's and the
// men's cell for kinds whose value depends on both.
func kindSQL(ind *Indicator) string {
	sexFilter := ""
	if len(ind.Sexes) > 0 {
		sexFilter = " WHERE sex IN (" + sqlList(ind.Sexes) + ")"
	}
	switch {
	case ind.Kind == KindRatePer1000:
		return `SELECT row_number() OVER () AS rid, a.geo_code, a.agg, a.period, a.sex, a.grp,
		  CASE WHEN b.value > 0 THEN 1000 * a.value / b.value END AS value,
		  a.value AS numerator, b.value AS denominator, a.n, CAST(NULL AS DOUBLE) AS nk, CAST(NULL AS DOUBLE) AS nm,
		  coalesce(a.members, b.members) AS members,
		  CASE WHEN a.value IS NULL THEN a.status WHEN b.value IS NULL THEN b.status WHEN b.value = 0 THEN '.' ELSE '' END AS status
		FROM iv_base0 a JOIN iv_base1 b USING (geo_code, agg, period, sex, grp)` + strings.Replace(sexFilter, "sex", "a.sex", 1)
	case ind.Kind.PerSex():
		return `SELECT row_number() OVER () AS rid, geo_code, agg, period, sex, grp, value,
		  num AS numerator, den AS denominator, n, CAST(NULL AS DOUBLE) AS nk, CAST(NULL AS DOUBLE) AS nm, members, status
		FROM iv_base0` + sexFilter
	}
	var value, num, den string
	switch ind.Kind {
	case KindShareWomen:
		value, num, den = "CASE WHEN k.value + m.value > 0 THEN 100 * k.value / (k.value + m.value) END", "k.value", "k.value + m.value"
	case KindKMRatio:
		value, num, den = "CASE WHEN m.value <> 0 THEN k.value / m.value END", "k.value", "m.value"
	case KindWomenPctOfMen:
		value, num, den = "CASE WHEN m.value <> 0 THEN 100 * k.value / m.value END", "k.value", "m.value"
	case KindGapPct:
		value, num, den = "CASE WHEN m.value <> 0 THEN 100 * (m.value - k.value) / m.value END", "k.value", "m.value"
	case KindDiffPP:
		value, num, den = "k.value - m.value", "k.value", "m.value"
	}
	// A sex with no cell at all (a group of only men) makes the comparison
	// undefined: Kolada's "." (ej tillämplig).
	return fmt.Sprintf(`SELECT row_number() OVER () AS rid, geo_code, agg, period, 'T' AS sex, grp,
	  %s AS value, %s AS numerator, %s AS denominator,
	  CASE WHEN k.n IS NOT NULL AND m.n IS NOT NULL THEN k.n + m.n END AS n, k.n AS nk, m.n AS nm,
	  coalesce(k.members, m.members) AS members,
	  CASE WHEN k.sex IS NULL OR m.sex IS NULL THEN '.'
	       WHEN k.value IS NULL THEN k.status WHEN m.value IS NULL THEN m.status ELSE '' END AS status
	FROM (SELECT * FROM iv_base0 WHERE sex = 'K') k
	FULL JOIN (SELECT * FROM iv_base0 WHERE sex = 'M') m USING (geo_code, agg, period, grp)`, value, num, den)
}

// rawCell is one iv_raw row as disclosure control sees it.
type rawCell struct {
	rid      int64
	geo      string
	agg      bool
	period   string
	sex      string
	grp      string
	n        float64 // NaN when unknown
	nk, nm   float64 // NaN when not applicable
	hasValue bool
}

func readCells(ctx context.Context, conn *sql.Conn) ([]rawCell, error) {
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

func nullNaN(x sql.NullFloat64) float64 {
	if !x.Valid {
		return math.NaN()
	}
	return x.Float64
}

type suppressed struct {
	rid     int64
	primary bool
}

// writeSuppressed stores the ids of the suppressed cells in temp.iv_supp.
func writeSuppressed(ctx context.Context, conn *sql.Conn, supp []suppressed) error {
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

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
