package compare

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// The SQL side of a run. Everything that touches all employees is set-based
// in DuckDB: group sizes per employer × period × group, and the management
// areas' counts. Only sufficient statistics of the two picked groups per
// employer come to Go, plus the picked groups' per-person values of the
// conditions that are bootstrapped (medians, ratios of means).

// groupRow is one occupational group of one employer in one period.
type groupRow struct {
	period, employer string
	grp              string // "" for persons without a code at the level
	hasGrp           bool
	n, women         int
	fteWomen, fteMen int64 // Σ employment rate in hundredths of a percent point
}

// empFilter is the WHERE clause selecting the run's employee rows.
func empFilter(o Options) (string, []any) {
	var conds []string
	var args []any
	if o.Year != "" {
		conds = append(conds, "period = ?")
		args = append(args, o.Year)
	}
	if o.County != "" {
		conds = append(conds, "left(employer_code, 2) = ?")
		args = append(args, o.County)
	}
	if len(conds) == 0 {
		return "true", nil
	}
	return strings.Join(conds, " AND "), args
}

func queryGroups(ctx context.Context, db *sql.DB, o Options) ([]groupRow, error) {
	where, args := empFilter(o)
	// Employment rates are summed in hundredths of a percent point and
	// rounded to integers so that the årsarbetare shares are compared
	// exactly (cross-multiplied) like headcounts.
	q := `SELECT period, employer_code, grp,
		count(*) AS n,
		count(*) FILTER (WHERE sex = 'K') AS women,
		CAST(round(coalesce(sum(employment_rate) FILTER (WHERE sex = 'K'), 0) * 100) AS BIGINT) AS fte_women,
		CAST(round(coalesce(sum(employment_rate) FILTER (WHERE sex = 'M'), 0) * 100) AS BIGINT) AS fte_men
	FROM (SELECT period, employer_code, sex, employment_rate, ` + o.Level.groupSQL() + ` AS grp
	      FROM employee WHERE ` + where + `) e
	GROUP BY period, employer_code, grp
	ORDER BY period, employer_code, grp NULLS LAST`
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("compare: group sizes: %w", err)
	}
	defer rows.Close()
	var out []groupRow
	for rows.Next() {
		var g groupRow
		var grp sql.NullString
		if err := rows.Scan(&g.period, &g.employer, &grp, &g.n, &g.women, &g.fteWomen, &g.fteMen); err != nil {
			return nil, fmt.Errorf("compare: group sizes: %w", err)
		}
		g.grp, g.hasGrp = grp.String, grp.Valid
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("compare: group sizes: %w", err)
	}
	return out, nil
}

// pick is one chosen group, sent back to DuckDB as JSON.
type pick struct {
	Period   string `json:"period"`
	Employer string `json:"employer"`
	Grp      string `json:"grp"`
	Side     string `json:"side"` // "F" or "M"
}

// sideKey identifies one picked group.
type sideKey struct{ period, employer, side string }

// sideStats are the sufficient statistics of one picked group, per
// condition (index as in Options.Conditions).
type sideStats struct {
	conds  []condStats
	labels map[string]int // occupation_label → persons
	areas  map[string]int // area id → persons
}

type condStats struct {
	n        int     // persons with a value
	x        int     // share: persons for whom it is true
	mean, sd float64 // mean
	// ratio: sums over persons with both num and den
	sy, sx, syy, sxx, sxy float64
	values                []float64 // per-person values when bootstrapped
}

// pickedCTE is the common head of the queries on the picked groups: the
// picks (one JSON parameter), and j, the picked groups' employees with one
// computed column per condition.
func pickedCTE(o Options, picksJSON string) (string, []any) {
	where, args := empFilter(o)
	var cols []string
	for i, c := range o.Conditions {
		switch c.Kind {
		case KindShare:
			cols = append(cols, fmt.Sprintf("CAST((%s) AS BOOLEAN) AS c%d_v", c.Expr, i))
		case KindMean, KindMedian:
			cols = append(cols, fmt.Sprintf("CAST((%s) AS DOUBLE) AS c%d_v", c.Expr, i))
		case KindRatio:
			both := fmt.Sprintf("(%s) IS NOT NULL AND (%s) IS NOT NULL", c.Num, c.Den)
			cols = append(cols,
				fmt.Sprintf("CASE WHEN %s THEN CAST((%s) AS DOUBLE) END AS c%d_y", both, c.Num, i),
				fmt.Sprintf("CASE WHEN %s THEN CAST((%s) AS DOUBLE) END AS c%d_x", both, c.Den, i))
		}
	}
	extra := ""
	if len(cols) > 0 {
		extra = ",\n\t\t" + strings.Join(cols, ",\n\t\t")
	}
	q := `WITH p AS (
		SELECT unnest(from_json(CAST(? AS JSON), '[{"period":"VARCHAR","employer":"VARCHAR","grp":"VARCHAR","side":"VARCHAR"}]'), recursive := true)
	), e AS (
		SELECT *, ` + o.Level.groupSQL() + ` AS grp, ` + areaSQL(o.Areas) + ` AS area
		FROM employee WHERE ` + where + `
	), j AS (
		SELECT p.side, e.period, e.employer_code, e.occupation_label, e.area` + extra + `
		FROM e JOIN p ON e.period = p.period AND e.employer_code = p.employer AND e.grp = p.grp
	)
	`
	return q, append([]any{picksJSON}, args...)
}

func marshalPicks(picks []pick) (string, error) {
	b, err := json.Marshal(picks)
	if err != nil {
		return "", fmt.Errorf("compare: picks: %w", err)
	}
	return string(b), nil
}

// queryPicked returns the sufficient statistics of every picked group.
func queryPicked(ctx context.Context, db *sql.DB, o Options, picks []pick) (map[sideKey]*sideStats, error) {
	out := make(map[sideKey]*sideStats, len(picks))
	if len(picks) == 0 {
		return out, nil
	}
	pj, err := marshalPicks(picks)
	if err != nil {
		return nil, err
	}
	for _, p := range picks {
		out[sideKey{p.Period, p.Employer, p.Side}] = &sideStats{
			conds: make([]condStats, len(o.Conditions)), labels: map[string]int{}, areas: map[string]int{},
		}
	}
	head, args := pickedCTE(o, pj)

	// 1. Sufficient statistics per condition.
	var aggs []string
	type target struct {
		i     int
		field string
	}
	var targets []target
	add := func(i int, field, expr string) {
		aggs = append(aggs, expr)
		targets = append(targets, target{i, field})
	}
	for i, c := range o.Conditions {
		switch c.Kind {
		case KindShare:
			add(i, "n", fmt.Sprintf("count(c%d_v)", i))
			add(i, "x", fmt.Sprintf("count(*) FILTER (WHERE c%d_v)", i))
		case KindMean:
			add(i, "n", fmt.Sprintf("count(c%d_v)", i))
			add(i, "mean", fmt.Sprintf("avg(c%d_v)", i))
			add(i, "sd", fmt.Sprintf("stddev_samp(c%d_v)", i))
		case KindMedian:
			add(i, "n", fmt.Sprintf("count(c%d_v)", i))
		case KindRatio:
			add(i, "n", fmt.Sprintf("count(c%d_y)", i))
			add(i, "sy", fmt.Sprintf("sum(c%d_y)", i))
			add(i, "sx", fmt.Sprintf("sum(c%d_x)", i))
			add(i, "syy", fmt.Sprintf("sum(c%d_y * c%d_y)", i, i))
			add(i, "sxx", fmt.Sprintf("sum(c%d_x * c%d_x)", i, i))
			add(i, "sxy", fmt.Sprintf("sum(c%d_x * c%d_y)", i, i))
		}
	}
	if len(aggs) > 0 {
		q := head + `SELECT period, employer_code, side, ` + strings.Join(aggs, ", ") + `
		FROM j GROUP BY period, employer_code, side`
		rows, err := db.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("compare: condition statistics: %w", err)
		}
		vals := make([]any, 3+len(aggs))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return nil, fmt.Errorf("compare: condition statistics: %w", err)
			}
			s := out[sideKey{fmt.Sprint(vals[0]), fmt.Sprint(vals[1]), fmt.Sprint(vals[2])}]
			if s == nil {
				continue
			}
			for k, t := range targets {
				cs := &s.conds[t.i]
				v := vals[3+k]
				switch t.field {
				case "n":
					cs.n = int(asFloat(v))
				case "x":
					cs.x = int(asFloat(v))
				case "mean":
					cs.mean = asFloat(v)
				case "sd":
					cs.sd = asFloat(v)
				case "sy":
					cs.sy = asFloat(v)
				case "sx":
					cs.sx = asFloat(v)
				case "syy":
					cs.syy = asFloat(v)
				case "sxx":
					cs.sxx = asFloat(v)
				case "sxy":
					cs.sxy = asFloat(v)
				}
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("compare: condition statistics: %w", err)
		}
	}

	// 2. Labels and management areas of the picked groups' persons.
	q := head + `SELECT period, employer_code, side, 'label' AS what, occupation_label AS v, count(*) AS c
		FROM j WHERE occupation_label IS NOT NULL GROUP BY ALL
		UNION ALL
		SELECT period, employer_code, side, 'area', area, count(*) FROM j GROUP BY ALL`
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("compare: group labels: %w", err)
	}
	for rows.Next() {
		var k sideKey
		var what, v string
		var c int
		if err := rows.Scan(&k.period, &k.employer, &k.side, &what, &v, &c); err != nil {
			rows.Close()
			return nil, fmt.Errorf("compare: group labels: %w", err)
		}
		if s := out[k]; s != nil {
			if what == "label" {
				s.labels[v] += c
			} else {
				s.areas[v] += c
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("compare: group labels: %w", err)
	}

	// 3. Per-person values of the bootstrapped conditions.
	var pcols []string
	var pidx []int
	for i, c := range o.Conditions {
		if c.needsPersons() {
			pcols = append(pcols, fmt.Sprintf("c%d_v", i))
			pidx = append(pidx, i)
		}
	}
	if len(pcols) == 0 {
		return out, nil
	}
	q = head + `SELECT period, employer_code, side, ` + strings.Join(pcols, ", ") + `
		FROM j WHERE coalesce(` + strings.Join(pcols, ", ") + `) IS NOT NULL`
	rows, err = db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("compare: person values: %w", err)
	}
	defer rows.Close()
	vals := make([]sql.NullFloat64, len(pcols))
	ptrs := make([]any, 3+len(pcols))
	var k sideKey
	ptrs[0], ptrs[1], ptrs[2] = &k.period, &k.employer, &k.side
	for i := range vals {
		ptrs[3+i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("compare: person values: %w", err)
		}
		s := out[k]
		if s == nil {
			continue
		}
		for i, v := range vals {
			if v.Valid {
				cs := &s.conds[pidx[i]]
				cs.values = append(cs.values, v.Float64)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("compare: person values: %w", err)
	}
	return out, nil
}

// areaKey identifies one management area of one employer and period.
type areaKey struct{ period, employer, area string }

// areaCount is, for one per_area condition, the persons with a non-NULL
// flag (n) and those flagged (x).
type areaCount struct{ n, x int }

// queryAreas counts, per employer × period × management area, the persons
// and flagged persons of every per_area condition.
func queryAreas(ctx context.Context, db *sql.DB, o Options) (map[areaKey][]areaCount, error) {
	var cols, aggs []string
	var idx []int
	for i, c := range o.Conditions {
		if c.Kind == KindPerArea {
			cols = append(cols, fmt.Sprintf("CAST((%s) AS BOOLEAN) AS c%d_v", c.Expr, i))
			aggs = append(aggs, fmt.Sprintf("count(c%d_v)", i), fmt.Sprintf("count(*) FILTER (WHERE c%d_v)", i))
			idx = append(idx, i)
		}
	}
	out := map[areaKey][]areaCount{}
	if len(idx) == 0 {
		return out, nil
	}
	where, args := empFilter(o)
	q := `SELECT period, employer_code, area, ` + strings.Join(aggs, ", ") + `
	FROM (SELECT period, employer_code, ` + areaSQL(o.Areas) + ` AS area, ` + strings.Join(cols, ", ") + `
	      FROM employee WHERE ` + where + `) e
	GROUP BY period, employer_code, area`
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("compare: management areas: %w", err)
	}
	defer rows.Close()
	nums := make([]int, 2*len(idx))
	var k areaKey
	ptrs := []any{&k.period, &k.employer, &k.area}
	for i := range nums {
		ptrs = append(ptrs, &nums[i])
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("compare: management areas: %w", err)
		}
		counts := make([]areaCount, len(o.Conditions))
		for j, i := range idx {
			counts[i] = areaCount{n: nums[2*j], x: nums[2*j+1]}
		}
		out[k] = counts
	}
	return out, rows.Err()
}

// queryNames returns employer names (geo) and occupation names (the
// reference occupation table, scheme SSYK2012 or AID by level).
func queryNames(ctx context.Context, db *sql.DB, level Level) (geo, occ map[string]string, err error) {
	geo, occ = map[string]string{}, map[string]string{}
	rows, err := db.QueryContext(ctx, `SELECT code, name FROM geo`)
	if err != nil {
		return nil, nil, fmt.Errorf("compare: geo names: %w", err)
	}
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("compare: geo names: %w", err)
		}
		geo[c] = n
	}
	rows.Close()
	scheme := "SSYK2012"
	if level == LevelAID {
		scheme = "AID"
	}
	rows, err = db.QueryContext(ctx, `SELECT code, name_sv FROM occupation WHERE scheme = ? AND name_sv IS NOT NULL`, scheme)
	if err != nil {
		return nil, nil, fmt.Errorf("compare: occupation names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, n string
		if err := rows.Scan(&c, &n); err != nil {
			return nil, nil, fmt.Errorf("compare: occupation names: %w", err)
		}
		occ[c] = n
	}
	return geo, occ, rows.Err()
}

// asFloat reads a numeric scan result; NULL is 0 (counts and sums of no rows).
func asFloat(v any) float64 {
	switch x := v.(type) {
	case nil:
		return 0
	case float64:
		return x
	case float32:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case int:
		return float64(x)
	case uint64:
		return float64(x)
	}
	var f float64
	fmt.Sscan(fmt.Sprint(v), &f)
	return f
}
