package indicators

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jamstat/jamstat/store"
)

// Value is one row of indicator_value. A suppressed or missing value has
// Value nil and Status set ("..", "-", ".", "missing" …); never 0.
type Value struct {
	Indicator   string    `json:"indicator"`
	GeoCode     string    `json:"geo_code"`
	Period      string    `json:"period"`
	Sex         string    `json:"sex"`   // T, K or M
	Group       string    `json:"group"` // "" everyone; "ssyk4:5321"; "dominance:female|male|mixed"; "occupation:214"
	Method      string    `json:"method"`
	Value       *float64  `json:"value"`
	Numerator   *float64  `json:"numerator"`
	Denominator *float64  `json:"denominator"`
	N           *float64  `json:"n"`
	Members     *int      `json:"members"`
	Status      string    `json:"status"`
	ComputedAt  time.Time `json:"computed_at"`
}

// Filter selects indicator values. Empty slices select everything; Groups
// nil selects every group, []string{""} only the whole population.
type Filter struct {
	Indicators []string
	Geos       []string
	Periods    []string
	Sexes      []string
	Groups     []string
	Methods    []string
	Limit      int // 0 = no limit
	Offset     int
}

// Values reads indicator values, ordered by indicator, geo, period, group,
// method and sex (T, K, M). Every filter is a bound parameter.
func Values(ctx context.Context, db *store.DB, f Filter) ([]Value, error) {
	var conds []string
	var args []any
	in := func(col string, xs []string) {
		if xs == nil {
			return
		}
		if len(xs) == 0 {
			return
		}
		ph := make([]string, len(xs))
		for i, x := range xs {
			ph[i] = "?"
			args = append(args, x)
		}
		conds = append(conds, col+" IN ("+strings.Join(ph, ", ")+")")
	}
	in("indicator", f.Indicators)
	in("geo_code", f.Geos)
	in("period", f.Periods)
	in("sex", f.Sexes)
	in(`"group"`, f.Groups)
	in("method", f.Methods)
	q := `SELECT indicator, geo_code, period, sex, "group", method, value, numerator, denominator, n, members, status, computed_at FROM indicator_value`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	q += ` ORDER BY indicator, geo_code, period, "group", method, CASE sex WHEN 'T' THEN 0 WHEN 'K' THEN 1 ELSE 2 END`
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	if f.Offset > 0 {
		q += fmt.Sprintf(" OFFSET %d", f.Offset)
	}
	rows, err := db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("indicator values: %w", err)
	}
	defer rows.Close()
	var out []Value
	for rows.Next() {
		var v Value
		var val, num, den, n sql.NullFloat64
		var members sql.NullInt64
		if err := rows.Scan(&v.Indicator, &v.GeoCode, &v.Period, &v.Sex, &v.Group, &v.Method, &val, &num, &den, &n, &members, &v.Status, &v.ComputedAt); err != nil {
			return nil, fmt.Errorf("indicator values: %w", err)
		}
		v.Value, v.Numerator, v.Denominator, v.N = fptr(val), fptr(num), fptr(den), fptr(n)
		if members.Valid {
			m := int(members.Int64)
			v.Members = &m
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func fptr(x sql.NullFloat64) *float64 {
	if !x.Valid {
		return nil
	}
	v := x.Float64
	return &v
}
