package indicators

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jamstat/jamstat/store"
)

// snapshotValues copies indicator_value (without computed_at) into the
// temp table name.
func snapshotValues(t *testing.T, db *store.DB, name string) {
	t.Helper()
	if _, err := db.SQL.Exec(`CREATE OR REPLACE TEMP TABLE ` + name + ` AS SELECT * EXCLUDE (computed_at) FROM indicator_value`); err != nil {
		t.Fatal(err)
	}
}

// diffValues lists the rows that differ between the snapshots a and b,
// matched on the key (indicator, geo_code, period, sex, group, method).
// Keys, status, n, members and which numbers are NULL must agree exactly;
// value, numerator and denominator to a relative 1e-12. Not bit for bit:
// DuckDB adds doubles in whatever order its threads deliver them, so two
// runs of the very same implementation differ in the last bits wherever
// the amounts are not exact binary fractions (employment rates such as
// 77.3, and the unweighted means of kommuner).
func diffValues(t *testing.T, db *store.DB, a, b string) []string {
	t.Helper()
	q := fmt.Sprintf(`WITH j AS (
	  SELECT a.indicator AS ai, b.indicator AS bi, a.status AS ast, b.status AS bst,
	         coalesce(a.indicator, b.indicator) AS indicator, coalesce(a.geo_code, b.geo_code) AS geo_code,
	         coalesce(a.period, b.period) AS period, coalesce(a.sex, b.sex) AS sex,
	         coalesce(a."group", b."group") AS grp, coalesce(a.method, b.method) AS method,
	         a.value AS av, b.value AS bv, a.numerator AS an, b.numerator AS bn, a.denominator AS ad, b.denominator AS bd,
	         a.n AS ann, b.n AS bnn, a.members AS am, b.members AS bm
	  FROM %s a FULL JOIN %s b ON a.indicator = b.indicator AND a.geo_code = b.geo_code AND a.period = b.period
	    AND a.sex = b.sex AND a."group" = b."group" AND a.method = b.method
	)
	SELECT indicator, geo_code, period, sex, grp, method, ai IS NOT NULL, bi IS NOT NULL, ast, bst, av, bv, an, bn, ad, bd, ann, bnn, am, bm
	FROM j WHERE ai IS NULL OR bi IS NULL OR ast <> bst OR ann IS DISTINCT FROM bnn OR am IS DISTINCT FROM bm
	   OR (av IS NULL) <> (bv IS NULL) OR (an IS NULL) <> (bn IS NULL) OR (ad IS NULL) <> (bd IS NULL)
	   OR abs(av - bv) > 1e-12 * greatest(abs(av), abs(bv)) OR abs(an - bn) > 1e-12 * greatest(abs(an), abs(bn))
	   OR abs(ad - bd) > 1e-12 * greatest(abs(ad), abs(bd))
	ORDER BY ALL LIMIT 30`, a, b)
	rows, err := db.SQL.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for i, c := range cols {
			fmt.Fprintf(&b, "%s=%v ", c, vals[i])
		}
		out = append(out, b.String())
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// The optimised Compute stores exactly the rows of the straightforward
// implementation kept in legacy_test.go: every indicator of the demo data
// (six years, 49 kommuner and the region, Kolada and SCB inputs), every
// column but computed_at (numbers to a relative 1e-12, see diffValues).
func TestComputeMatchesLegacyOnDemo(t *testing.T) {
	db, cat, _ := loadDemo(t)
	ctx := context.Background()
	snapshotValues(t, db, "eq_new")
	defer db.SQL.Exec(`DROP TABLE IF EXISTS temp.eq_new`)
	defer db.SQL.Exec(`DROP TABLE IF EXISTS temp.eq_old`)
	// Put the optimised rows back whatever happens, for the other demo tests.
	defer db.SQL.Exec(`DELETE FROM indicator_value; INSERT INTO indicator_value SELECT *, TIMESTAMP '2000-01-01' FROM eq_new`)
	start := time.Now()
	if _, err := legacyCompute(ctx, db, cat, ComputeOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Logf("legacy compute: %v", time.Since(start))
	snapshotValues(t, db, "eq_old")
	var n int
	if err := db.SQL.QueryRow(`SELECT count(*) FROM eq_old`).Scan(&n); err != nil || n < 100000 {
		t.Fatalf("legacy stored %d rows (%v)", n, err)
	}
	if d := diffValues(t, db, "eq_new", "eq_old"); len(d) > 0 {
		t.Fatalf("optimised and legacy Compute differ (%d rows shown):\n%s", len(d), strings.Join(d, "\n"))
	}
}

// The same with every option away from its default, on a subset: two
// years, a geography filter, an inclusive dominance threshold of 55 %,
// a coverage of one half, and one indicator of each employee statistic.
func TestComputeMatchesLegacyWithOptions(t *testing.T) {
	db, cat, _ := loadDemo(t)
	ctx := context.Background()
	snapshotValues(t, db, "eq_keep")
	defer db.SQL.Exec(`DROP TABLE IF EXISTS temp.eq_keep`)
	defer db.SQL.Exec(`DELETE FROM indicator_value; INSERT INTO indicator_value SELECT *, TIMESTAMP '2000-01-01' FROM eq_keep`)
	opts := ComputeOptions{
		Years:              []string{"2020", "2024"},
		Geos:               []string{"14", "1480", "1401", "0000", "1490"},
		Indicators:         []string{"lon-median", "lon-kvinnor-pct-av-man", "heltid-andel-manadsavlonade", "sjukfranvaro-anstallda", "medarbetare-per-chef", "chefer-kvinnor-andel", "kvinnor-andel-anstallda", "flextid-andel", "anstallda-per-1000-invanare", "befolkning-kvinnor-andel"},
		MinCoverage:        0.5,
		DominanceThreshold: 55,
		DominanceInclusive: true,
	}
	run := func(name string, f func(context.Context, *store.DB, *Catalogue, ComputeOptions) (Summary, error)) {
		if _, err := db.SQL.Exec(`DELETE FROM indicator_value`); err != nil {
			t.Fatal(err)
		}
		if _, err := f(ctx, db, cat, opts); err != nil {
			t.Fatal(err)
		}
		snapshotValues(t, db, name)
	}
	run("eq_new_opts", Compute)
	run("eq_old_opts", legacyCompute)
	defer db.SQL.Exec(`DROP TABLE IF EXISTS temp.eq_new_opts; DROP TABLE IF EXISTS temp.eq_old_opts`)
	var n int
	if err := db.SQL.QueryRow(`SELECT count(*) FROM eq_old_opts`).Scan(&n); err != nil || n < 1000 {
		t.Fatalf("legacy stored %d rows (%v)", n, err)
	}
	if d := diffValues(t, db, "eq_new_opts", "eq_old_opts"); len(d) > 0 {
		t.Fatalf("optimised and legacy Compute differ (%d rows shown):\n%s", len(d), strings.Join(d, "\n"))
	}
}
