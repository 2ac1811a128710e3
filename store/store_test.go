package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jamstat/jamstat/ingest"
)

func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.duckdb")
	db, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return db, path
}

func count(t *testing.T, db *DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestOpenLoadsReference(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	for _, tt := range []struct {
		q    string
		want int
	}{
		{`select count(*) from geo where kind='kommun'`, 290},
		{`select count(*) from geo where kind='region'`, 21},
		{`select count(*) from geo where kind='riket'`, 1},
		{`select count(*) from geo where kind='kommun' and county_code='14'`, 49},
		{`select count(*) from occupation where scheme='SSYK2012' and level=3`, 148},
	} {
		if got := count(t, db, tt.q); got != tt.want {
			t.Errorf("%s = %d, want %d", tt.q, got, tt.want)
		}
	}
	var code string
	if err := db.SQL.QueryRow(`select code from geo where name='Stockholm'`).Scan(&code); err != nil || code != "0180" {
		t.Errorf("Stockholm code = %q, %v; want 0180 kept as text", code, err)
	}
}

func TestMigrationsIdempotent(t *testing.T) {
	db, path := openTemp(t)
	v1, err := db.SchemaVersion(context.Background())
	if err != nil || v1 != latestMigration() || v1 == 0 {
		t.Fatalf("version = %d, %v; want %d", v1, err, latestMigration())
	}
	rows := count(t, db, `select count(*) from schema_version`)
	db.Close()
	for i := 0; i < 2; i++ {
		db, err = Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		if got := count(t, db, `select count(*) from schema_version`); got != rows {
			t.Fatalf("reopen %d: schema_version has %d rows, want %d", i, got, rows)
		}
		if got := count(t, db, `select count(*) from geo`); got != 312 {
			t.Fatalf("reopen %d: geo has %d rows, want 312 (no duplicates)", i, got)
		}
		db.Close()
	}
}

func TestReadOnlyRefusesWrites(t *testing.T) {
	db, path := openTemp(t)
	db.Close()
	ro, err := OpenReadOnly(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if got := count(t, ro, `select count(*) from geo`); got != 312 {
		t.Fatalf("read-only geo count = %d", got)
	}
	if _, err := ro.SQL.Exec(`insert into geo (code, name, kind) values ('9999','x','kommun')`); err == nil {
		t.Fatal("insert through a read-only handle succeeded")
	}
	if _, err := ro.Load(context.Background(), LoadInfo{DatasetID: "x"}, nil); err == nil {
		t.Fatal("Load through a read-only handle succeeded")
	}
	if _, err := OpenReadOnly(context.Background(), filepath.Join(t.TempDir(), "none.duckdb")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("read-only open of a missing file: %v, want ErrNotFound", err)
	}
}

func fp(v float64) *float64 { return &v }

func sampleParse(values ...float64) ParseFunc {
	return func(sink ingest.Sink) (ingest.Meta, error) {
		for i, v := range values {
			o := ingest.Observation{Measure: "population", GeoCode: "1480", Period: "2024", Sex: ingest.SexWomen, Value: fp(v),
				Dims: map[string]string{"age": string(rune('0' + i))}}
			if err := sink.Observation(&o); err != nil {
				return ingest.Meta{}, err
			}
		}
		miss := ingest.Observation{Measure: "population", GeoCode: "1480", Period: "2024", Sex: ingest.SexMen, Status: ".."}
		if err := sink.Observation(&miss); err != nil {
			return ingest.Meta{}, err
		}
		if err := sink.Reject(ingest.Rejected{Line: 7, Column: "sex", Reason: `unknown sex code "X"`, Raw: "X;1"}); err != nil {
			return ingest.Meta{}, err
		}
		return ingest.Meta{Format: "test", RowsRead: len(values) + 2}, nil
	}
}

func TestLoadReplaceAndUnchanged(t *testing.T) {
	db, path := openTemp(t)
	ctx := context.Background()
	res, err := db.Load(ctx, LoadInfo{DatasetID: "pop", SHA256: "a"}, sampleParse(1, 2, 3))
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRead != 5 || res.RowsLoaded != 4 || res.RowsRejected != 1 || res.Replaced || res.Unchanged {
		t.Fatalf("first load = %+v", res)
	}
	if got := count(t, db, `select count(*) from observation where value is null and status='..' and sex='M'`); got != 1 {
		t.Errorf("suppressed rows = %d, want 1 (NULL with status, never 0)", got)
	}
	if got := count(t, db, `select count(*) from observation where dims->>'age' = '1'`); got != 1 {
		t.Errorf("dims JSON not queryable: %d", got)
	}
	res, err = db.Load(ctx, LoadInfo{DatasetID: "pop", SHA256: "a"}, func(ingest.Sink) (ingest.Meta, error) {
		t.Fatal("an identical file was parsed again")
		return ingest.Meta{}, nil
	})
	if err != nil || !res.Unchanged || res.RowsRead != 5 {
		t.Fatalf("identical re-load = %+v, %v", res, err)
	}
	res, err = db.Load(ctx, LoadInfo{DatasetID: "pop", SHA256: "b"}, sampleParse(10, 20))
	if err != nil || !res.Replaced {
		t.Fatalf("changed re-load = %+v, %v", res, err)
	}
	if got := count(t, db, `select count(*) from observation where dataset_id='pop'`); got != 3 {
		t.Errorf("after replace: %d observations, want 3 (no duplicates)", got)
	}
	if got := count(t, db, `select count(*) from rejected_row where dataset_id='pop'`); got != 1 {
		t.Errorf("after replace: %d rejected rows, want 1", got)
	}
	db.Close()
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := count(t, db, `select cast(sum(value) as integer) from observation`); got != 30 {
		t.Errorf("after reopen: sum = %d, want 30", got)
	}
}

func TestFailedLoadLeavesDatabaseUnchanged(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	if _, err := db.Load(ctx, LoadInfo{DatasetID: "pop", SHA256: "a"}, sampleParse(1, 2, 3)); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("file.csv: line 9: broken")
	_, err := db.Load(ctx, LoadInfo{DatasetID: "pop", SHA256: "b"}, func(sink ingest.Sink) (ingest.Meta, error) {
		sink.Observation(&ingest.Observation{Measure: "population", Sex: "T", Value: fp(99)})
		return ingest.Meta{}, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the parse error", err)
	}
	if got := count(t, db, `select cast(sum(value) as integer) from observation`); got != 6 {
		t.Errorf("after failed load: sum = %d, want the earlier 6", got)
	}
	var sha string
	db.SQL.QueryRow(`select sha256 from dataset where dataset_id='pop'`).Scan(&sha)
	if sha != "a" {
		t.Errorf("dataset row changed to sha %q", sha)
	}
	// A parser that loses rows is refused too.
	_, err = db.Load(ctx, LoadInfo{DatasetID: "lossy"}, func(sink ingest.Sink) (ingest.Meta, error) {
		sink.Observation(&ingest.Observation{Measure: "m", Sex: "T", Value: fp(1)})
		return ingest.Meta{RowsRead: 2}, nil
	})
	if err == nil || !strings.Contains(err.Error(), "lose rows") {
		t.Fatalf("lossy load err = %v", err)
	}
	if got := count(t, db, `select count(*) from dataset where dataset_id='lossy'`); got != 0 {
		t.Errorf("lossy dataset was recorded")
	}
}

func TestLoadEmployees(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	yes := true
	by := 1980
	_, err := db.Load(context.Background(), LoadInfo{DatasetID: "hr"}, func(sink ingest.Sink) (ingest.Meta, error) {
		e := ingest.Employee{Period: "2024", EmployerCode: "1480", PersonKey: "p1", Sex: "K", BirthYear: &by, OccupationCode: "5321",
			MonthlyWageFTE: fp(31000), EmploymentRate: fp(75), IsManager: &yes, Line: 2}
		return ingest.Meta{RowsRead: 1}, sink.Employee(&e)
	})
	if err != nil {
		t.Fatal(err)
	}
	var kind string
	var rate float64
	if err := db.SQL.QueryRow(`select d.kind, e.employment_rate from employee e join dataset d using (dataset_id) where e.is_manager and e.flextime is null`).Scan(&kind, &rate); err != nil {
		t.Fatal(err)
	}
	if kind != "employee" || rate != 75 {
		t.Errorf("kind %q rate %v", kind, rate)
	}
}

func TestLoadParquet(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	ctx := context.Background()
	pq := filepath.Join(t.TempDir(), "emp.parquet")
	_, err := db.SQL.Exec(`COPY (SELECT '2024' AS period, '1480' AS employer_code, 'p' || i AS person_key,
		CASE WHEN i = 3 THEN 'X' WHEN i % 2 = 0 THEN 'K' ELSE 'M' END AS sex, 30000.0 + i AS monthly_wage_fte
		FROM range(10) t(i)) TO '` + pq + `' (FORMAT parquet)`)
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.LoadParquet(ctx, LoadInfo{DatasetID: "pq", SourceFile: "emp.parquet", SHA256: "x"}, pq)
	if err != nil {
		t.Fatal(err)
	}
	if res.RowsRead != 10 || res.RowsLoaded != 9 || res.RowsRejected != 1 || res.Employees != 9 {
		t.Fatalf("parquet load = %+v", res)
	}
	if got := count(t, db, `select count(*) from rejected_row where dataset_id='pq'`); got != 1 {
		t.Errorf("rejected rows = %d", got)
	}
	if got := count(t, db, `select rows_read from dataset where dataset_id='pq'`); got != 10 {
		t.Errorf("dataset rows_read = %d", got)
	}
}
