package server

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
)

// The server publishes only rows of indicator_value, which package
// indicators has already put through disclosure control (a suppressed cell
// is NULL with status ".."). Raw employee rows are never read. As a second
// line of defence every value set passes control() on its way out:
//
//   - a cell with status ".." never carries a number;
//   - a published cell whose known n is below the indicator's k is withheld;
//   - when any cell of a set (one indicator, geography, period, method:
//     women, men, total) is withheld, no cell of that set reports its n, so
//     the withheld cell's size cannot be recovered as n(T) − n(K).

// Sex order in a valueSet: T, K, M (Kolada's genders).
var sexes = [3]string{"T", "K", "M"}

func sexIndex(s string) int {
	switch s {
	case "K":
		return 1
	case "M":
		return 2
	}
	return 0
}

// cellValue is one published cell: V nil when not published, with Status
// saying why; N the persons behind it, 0 when not known or withheld.
type cellValue struct {
	V      *float64
	N      int
	Status string
}

func (c cellValue) published() bool { return c.V != nil && c.Status != statusSuppressed }

const statusSuppressed = ".."

// valueSet is one indicator's values for one geography and period.
type valueSet struct {
	Indicator, Geo, Period, Method string
	Cells                          [3]cellValue
	Has                            [3]bool
}

func (v *valueSet) cell(sex string) (cellValue, bool) {
	i := sexIndex(sex)
	return v.Cells[i], v.Has[i]
}

// control applies the server's disclosure guard (see above) with the
// indicator's threshold k.
func (v *valueSet) control(k int) {
	if k <= 0 {
		k = 5
	}
	withheld := false
	for i := range v.Cells {
		if !v.Has[i] {
			continue
		}
		c := &v.Cells[i]
		if c.Status == statusSuppressed {
			c.V = nil
		}
		if c.V != nil && c.Status == "" && c.N > 0 && c.N < k {
			c.V, c.Status = nil, statusSuppressed
		}
		if c.V != nil && (math.IsNaN(*c.V) || math.IsInf(*c.V, 0)) {
			c.V, c.Status = nil, statusSuppressed
		}
		if c.Status == statusSuppressed {
			withheld = true
		}
	}
	if withheld {
		for i := range v.Cells {
			v.Cells[i].N = 0
		}
	}
}

// methodOrder is which of several methods stands for a geography when an
// indicator has more than one: the geography's own published figure, then
// the county pooled over its members, then the unweighted member mean,
// then the geography as an employer.
const methodRankSQL = `CASE method WHEN 'direct' THEN 0 WHEN 'headcount-weighted' THEN 1 WHEN 'employer' THEN 3 ELSE 2 END`

// pickedCTE selects group ” rows of the preferred method per (indicator,
// geo_code, period). where holds only placeholders built by whereIn.
func pickedCTE(where string) string {
	return `picked AS (
  SELECT indicator, geo_code, period, sex, value, n, status, method
  FROM (
    SELECT indicator, geo_code, period, sex, value, n, status, method,
      first_value(method) OVER (PARTITION BY indicator, geo_code, period ORDER BY ` + methodRankSQL + `, method) AS chosen
    FROM indicator_value
    WHERE "group" = ''` + where + `
  ) WHERE method = chosen
)`
}

// whereIn appends "AND col IN (?, ?, …)" for a non-empty list; only
// placeholders enter the SQL text, the values go as arguments.
func whereIn(b *strings.Builder, args *[]any, col string, vals []string) {
	if len(vals) == 0 {
		return
	}
	b.WriteString(" AND ")
	b.WriteString(col)
	b.WriteString(" IN (")
	for i, v := range vals {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("?")
		*args = append(*args, v)
	}
	b.WriteString(")")
}

// filter selects indicator values; empty lists mean "all".
type filter struct {
	Indicators, Geos, Periods []string
}

// queryValues returns value sets in (indicator, geo, period) order, at
// most limit sets after skipping offset sets (limit ≤ 0: all).
func queryValues(ctx context.Context, db *sql.DB, f filter, offset, limit int) ([]*valueSet, error) {
	var w strings.Builder
	var args []any
	whereIn(&w, &args, "indicator", f.Indicators)
	whereIn(&w, &args, "geo_code", f.Geos)
	whereIn(&w, &args, "period", f.Periods)
	q := "WITH " + pickedCTE(w.String())
	if limit > 0 {
		q += `, keys AS (
  SELECT DISTINCT indicator, geo_code, period FROM picked
  ORDER BY indicator, geo_code, period LIMIT ? OFFSET ?)
SELECT p.indicator, p.geo_code, p.period, p.sex, p.value, p.n, p.status, p.method
FROM picked p JOIN keys k ON p.indicator = k.indicator AND p.geo_code = k.geo_code AND p.period = k.period`
		args = append(args, limit, offset)
	} else {
		q += `
SELECT p.indicator, p.geo_code, p.period, p.sex, p.value, p.n, p.status, p.method FROM picked p`
	}
	q += ` ORDER BY p.indicator, p.geo_code, p.period, p.sex`
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("query indicator values: %w", err)
	}
	var out []*valueSet
	var cur *valueSet
	for rows.Next() {
		var ind, geo, period, sex, status, method string
		var value, n sql.NullFloat64
		if err := rows.Scan(&ind, &geo, &period, &sex, &value, &n, &status, &method); err != nil {
			rows.Close()
			return nil, fmt.Errorf("query indicator values: %w", err)
		}
		if cur == nil || cur.Indicator != ind || cur.Geo != geo || cur.Period != period {
			cur = &valueSet{Indicator: ind, Geo: geo, Period: period, Method: method}
			out = append(out, cur)
		}
		i := sexIndex(sex)
		c := cellValue{Status: status}
		if value.Valid {
			v := value.Float64
			c.V = &v
		}
		if n.Valid && n.Float64 > 0 {
			c.N = int(math.Round(n.Float64))
		}
		cur.Cells[i], cur.Has[i] = c, true
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("query indicator values: %w", err)
	}
	return out, nil
}

// periodsFor lists the periods with values for a geography, newest first.
func periodsFor(ctx context.Context, db *sql.DB, geo string) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT DISTINCT period FROM indicator_value
		WHERE geo_code = ? AND "group" = '' ORDER BY period DESC`, geo)
	if err != nil {
		return nil, fmt.Errorf("query periods: %w", err)
	}
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return nil, fmt.Errorf("query periods: %w", err)
		}
		out = append(out, p)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("query periods: %w", err)
	}
	return out, nil
}
