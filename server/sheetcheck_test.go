package server

import (
	"context"
	"database/sql"
	"math"
	"net/http"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/jamstat/jamstat/store"
)

func mustReq(t testing.TB, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// checkSheetAgainstDB reads the database on its own (read-only, plain SQL)
// and checks that every value the geography has for the year is in the
// workbook's delmål sheets: a published value as the same number, a
// withheld one as "..", and never a number where the database has none.
func checkSheetAgainstDB(t *testing.T, f *excelize.File, dbPath, geo, year string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenReadOnly(ctx, dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.SQL.QueryContext(ctx, `SELECT v.indicator, v.sex, v.value, v.n, v.status, i.min_n
		FROM indicator_value v JOIN indicator i ON i.indicator_id = v.indicator
		WHERE v.geo_code = ? AND v.period = ? AND v."group" = '' AND v.method IN ('direct', 'employer')`, geo, year)
	if err != nil {
		t.Fatal(err)
	}
	type cell struct {
		value     sql.NullFloat64
		published bool
	}
	want := map[string]map[string]cell{}
	for rows.Next() {
		var ind, sex, status string
		var value, n sql.NullFloat64
		var k int
		if err := rows.Scan(&ind, &sex, &value, &n, &status, &k); err != nil {
			t.Fatal(err)
		}
		if want[ind] == nil {
			want[ind] = map[string]cell{}
		}
		pub := value.Valid && status == "" && (!n.Valid || n.Float64 >= float64(k))
		want[ind][sex] = cell{value, pub}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(want) == 0 {
		t.Fatalf("no values in the database for %s %s", geo, year)
	}

	// Find each indicator's row in the delmål sheets by the header row.
	found := map[string]bool{}
	for _, name := range f.GetSheetList() {
		grid, err := f.GetRows(name, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string]int{}
		for _, r := range grid {
			if len(r) == 0 {
				cols = map[string]int{} // a table ends at an empty row
				continue
			}
			if len(r) > 6 && r[0] == "Indikator-id" {
				for i, h := range r {
					cols[h] = i
				}
				continue
			}
			if len(cols) == 0 || len(r) == 0 || want[r[0]] == nil {
				continue
			}
			if _, ok := cols["Kvinnor"]; !ok {
				continue
			}
			ind := r[0]
			found[ind] = true
			for sex, col := range map[string]string{"K": "Kvinnor", "M": "Män", "T": "Totalt"} {
				c, ok := want[ind][sex]
				var got string
				if i := cols[col]; i < len(r) {
					got = r[i]
				}
				if !ok {
					if _, err := strconv.ParseFloat(got, 64); err == nil {
						t.Errorf("sheet %s, %s %s: number %s where the database has none", name, ind, sex, got)
					}
					continue
				}
				if !c.published {
					if got != ".." {
						t.Errorf("sheet %s, %s %s: %q, want \"..\" (withheld)", name, ind, sex, got)
					}
					continue
				}
				v, err := strconv.ParseFloat(got, 64)
				if err != nil || math.Abs(v-c.value.Float64) > 1e-9*math.Max(1, math.Abs(v)) {
					t.Errorf("sheet %s, %s %s: %q, want %v", name, ind, sex, got, c.value.Float64)
				}
			}
		}
	}
	for ind := range want {
		if !found[ind] {
			t.Errorf("indicator %s missing from the sheet (sheets %v)", ind, f.GetSheetList())
		}
	}
}
