package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jamstat/jamstat/ingest"
)

// Rows enough to span several DuckDB chunks (2048 rows each), with a
// partial last one.
const streamTestRows = 3*2048 + 517

func ip(v int) *int     { return &v }
func bp(v bool) *bool   { return &v }
func nth(i, k int) bool { return i%k == 0 }
func opt(s string, null bool) string {
	if null {
		return ""
	}
	return s
}

// testEmployee is row i of a deterministic file whose NULLs move from
// column to column and chunk to chunk, so that a validity bit left over
// from an earlier chunk would show.
func testEmployee(i int) ingest.Employee {
	e := ingest.Employee{Period: "2024", EmployerCode: []string{"1480", "14", "0180"}[i%3], PersonKey: fmt.Sprintf("person-%06d", i),
		Sex: []string{"K", "M"}[i%2], OccupationCode: opt("5321", nth(i, 7)), AIDCode: opt("352010", nth(i, 11)),
		OccupationLabel: opt(fmt.Sprintf("Undersköterska, hemtjänst nr %d", i%13), nth(i, 5)), Contract: opt("tillsvidare", nth(i, 3)),
		Education: opt("Eftergymnasial ≥3 år", nth(i, 4)), Sector: opt("kommun", nth(i, 9)), Line: i + 2}
	if !nth(i, 6) {
		e.BirthYear = ip(1950 + i%50)
	}
	if !nth(i, 8) {
		e.Age = ip(i % 70)
	}
	if !nth(i, 10) {
		e.MonthlyWageFTE = fp(20000 + float64(i)*1.25)
	}
	if !nth(i, 12) {
		e.EmploymentRate = fp(float64(1 + i%100))
	}
	if !nth(i, 13) {
		e.ScheduledHours = fp(float64(i) / 3)
	}
	if !nth(i, 2049) {
		e.SickLeaveHours = fp(float64(i % 300))
	}
	if !nth(i, 14) {
		e.HourlyPaid = bp(i%4 == 1)
	}
	if !nth(i, 15) {
		e.IsManager = bp(i%6 == 1)
	}
	if i%5 != 0 {
		e.Flextime, e.SplitShifts, e.EveningWeekend = bp(i%2 == 0), bp(i%3 == 0), bp(i%7 == 0)
	}
	return e
}

func emitEmployees(n int) ParseFunc {
	return func(sink ingest.Sink) (ingest.Meta, error) {
		for i := 0; i < n; i++ {
			e := testEmployee(i)
			if err := sink.Employee(&e); err != nil {
				return ingest.Meta{}, err
			}
		}
		return ingest.Meta{RowsRead: n}, nil
	}
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func nullInt(p *int) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

func nullFloat(p *float64) sql.NullFloat64 {
	if p == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *p, Valid: true}
}

func nullBool(p *bool) sql.NullBool {
	if p == nil {
		return sql.NullBool{}
	}
	return sql.NullBool{Bool: *p, Valid: true}
}

// TestLoadStreamsEveryValue reads every row back and compares each field,
// NULLs included, and checks that rows keep the file's order.
func TestLoadStreamsEveryValue(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	res, err := db.Load(context.Background(), LoadInfo{DatasetID: "hr", SHA256: "1"}, emitEmployees(streamTestRows))
	if err != nil {
		t.Fatal(err)
	}
	if res.Employees != streamTestRows || res.RowsLoaded != streamTestRows {
		t.Fatalf("result %+v", res)
	}
	rows, err := db.SQL.Query(`SELECT dataset_id, period, employer_code, person_key, sex, birth_year, age, occupation_code, aid_code, occupation_label,
		monthly_wage_fte, employment_rate, contract, hourly_paid, scheduled_hours, sick_leave_hours, is_manager, education, sector,
		flextime, split_shifts, evening_weekend, line FROM employee`) // no ORDER BY: file order must hold
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	i := 0
	for ; rows.Next(); i++ {
		var ds, period, employer, person, sex string
		var by, age sql.NullInt64
		var occ, aid, label, contract, edu, sector sql.NullString
		var wage, rate, sched, sick sql.NullFloat64
		var hourly, manager, flex, split, evening sql.NullBool
		var line int64
		if err := rows.Scan(&ds, &period, &employer, &person, &sex, &by, &age, &occ, &aid, &label, &wage, &rate, &contract, &hourly,
			&sched, &sick, &manager, &edu, &sector, &flex, &split, &evening, &line); err != nil {
			t.Fatal(err)
		}
		e := testEmployee(i)
		got := []any{ds, period, employer, person, sex, by, age, occ, aid, label, wage, rate, contract, hourly, sched, sick, manager, edu, sector, flex, split, evening, line}
		want := []any{"hr", e.Period, e.EmployerCode, e.PersonKey, e.Sex, nullInt(e.BirthYear), nullInt(e.Age), nullStr(e.OccupationCode), nullStr(e.AIDCode),
			nullStr(e.OccupationLabel), nullFloat(e.MonthlyWageFTE), nullFloat(e.EmploymentRate), nullStr(e.Contract), nullBool(e.HourlyPaid),
			nullFloat(e.ScheduledHours), nullFloat(e.SickLeaveHours), nullBool(e.IsManager), nullStr(e.Education), nullStr(e.Sector),
			nullBool(e.Flextime), nullBool(e.SplitShifts), nullBool(e.EveningWeekend), int64(e.Line)}
		for c := range got {
			if got[c] != want[c] {
				t.Fatalf("row %d column %d (%s): got %v, want %v", i, c, employeeColumns[c], got[c], want[c])
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if i != streamTestRows {
		t.Fatalf("read back %d rows, want %d", i, streamTestRows)
	}
}

// TestLoadMixedKinds: a parser may emit observations, employees and
// rejected rows interleaved; the kinds that are not streamed are spooled.
func TestLoadMixedKinds(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	const n = 5000
	res, err := db.Load(context.Background(), LoadInfo{DatasetID: "mix", SourceFile: "mix.csv"}, func(sink ingest.Sink) (ingest.Meta, error) {
		for i := 0; i < n; i++ {
			var err error
			switch i % 3 {
			case 0:
				e := testEmployee(i)
				err = sink.Employee(&e)
			case 1:
				err = sink.Observation(&ingest.Observation{Measure: "m", GeoCode: "1480", Sex: "T", Value: fp(float64(i)),
					Dims: map[string]string{"i": fmt.Sprint(i)}})
			default:
				err = sink.Reject(ingest.Rejected{Line: i, Reason: "bad", Raw: fmt.Sprint(i)})
			}
			if err != nil {
				return ingest.Meta{}, err
			}
		}
		return ingest.Meta{RowsRead: n}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Employees != 1667 || res.Observations != 1667 || res.RowsRejected != 1666 {
		t.Fatalf("result %+v", res)
	}
	for q, want := range map[string]int{
		`select count(*) from employee where dataset_id='mix'`:                                                               1667,
		`select count(*) from observation where dataset_id='mix' and cast(dims->>'i' as int) = value`:                        1667,
		`select count(*) from rejected_row where dataset_id='mix' and source_file='mix.csv' and raw = cast(line as varchar)`: 1666,
		`select count(*) from dataset where dataset_id='mix' and kind='employee' and rows_read=5000`:                         1,
	} {
		if got := count(t, db, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
}

// loadOld loads a first version that every failure below must leave intact.
func loadOld(t *testing.T, db *DB) {
	t.Helper()
	if _, err := db.Load(context.Background(), LoadInfo{DatasetID: "hr", SHA256: "old"}, emitEmployees(100)); err != nil {
		t.Fatal(err)
	}
}

func checkOld(t *testing.T, db *DB) {
	t.Helper()
	if got := count(t, db, `select count(*) from employee where dataset_id='hr'`); got != 100 {
		t.Errorf("after a failed load: %d employees, want the earlier 100", got)
	}
	if got := count(t, db, `select count(*) from dataset where dataset_id='hr' and sha256='old'`); got != 1 {
		t.Errorf("after a failed load the dataset row changed")
	}
	if got := count(t, db, `select count(*) from employee where dataset_id<>'hr'`); got != 0 {
		t.Errorf("after a failed load: %d stray rows", got)
	}
}

func TestLoadParseErrorMidStream(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	loadOld(t, db)
	boom := errors.New("hr.csv: line 9000: broken")
	_, err := db.Load(context.Background(), LoadInfo{DatasetID: "hr", SHA256: "new"}, func(sink ingest.Sink) (ingest.Meta, error) {
		if _, err := emitEmployees(9000)(sink); err != nil {
			return ingest.Meta{}, err
		}
		return ingest.Meta{}, boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the parse error", err)
	}
	checkOld(t, db)
}

// TestLoadInsertErrorMidStream: DuckDB refuses a row (CHECK on sex) while
// the parser is still running. The INSERT's error is reported, the parser
// is stopped by its sink, and a parser that ignores sink errors does not
// hang the load.
func TestLoadInsertErrorMidStream(t *testing.T) {
	for _, ignore := range []bool{false, true} {
		t.Run(fmt.Sprintf("ignoreSinkErrors=%v", ignore), func(t *testing.T) {
			db, _ := openTemp(t)
			defer db.Close()
			loadOld(t, db)
			sent := 0
			_, err := db.Load(context.Background(), LoadInfo{DatasetID: "hr", SHA256: "new"}, func(sink ingest.Sink) (ingest.Meta, error) {
				for i := 0; i < 40000; i++ {
					e := testEmployee(i)
					if i == 3000 {
						e.Sex = "X"
					}
					sent++
					if err := sink.Employee(&e); err != nil && !ignore {
						return ingest.Meta{}, fmt.Errorf("hr.csv: line %d: %w", i+2, err)
					}
				}
				return ingest.Meta{RowsRead: 40000}, nil
			})
			if err == nil || !strings.Contains(err.Error(), "insert employee") || !strings.Contains(strings.ToLower(err.Error()), "check") {
				t.Fatalf("err = %v, want the CHECK violation of the insert", err)
			}
			if !ignore && sent == 40000 {
				t.Errorf("the parser was not stopped by the failed insert")
			}
			checkOld(t, db)
		})
	}
}

func TestLoadCancelled(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	loadOld(t, db)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := db.Load(ctx, LoadInfo{DatasetID: "hr", SHA256: "new"}, func(sink ingest.Sink) (ingest.Meta, error) {
		for i := 0; i < 100000; i++ {
			if i == 5000 {
				cancel()
			}
			e := testEmployee(i)
			if err := sink.Employee(&e); err != nil {
				return ingest.Meta{}, err
			}
		}
		return ingest.Meta{RowsRead: 100000}, nil
	})
	if err == nil {
		t.Fatal("a cancelled load succeeded")
	}
	checkOld(t, db)
}

func TestLoadInMemoryDatabase(t *testing.T) {
	db, err := Open(context.Background(), Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i := 0; i < 2; i++ { // the second load reuses the registered function
		if _, err := db.Load(context.Background(), LoadInfo{DatasetID: fmt.Sprint("hr", i)}, emitEmployees(3000)); err != nil {
			t.Fatal(err)
		}
	}
	if got := count(t, db, `select count(*) from employee`); got != 6000 {
		t.Errorf("%d employees, want 6000", got)
	}
}

func TestConcurrentLoads(t *testing.T) {
	db, _ := openTemp(t)
	defer db.Close()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for k := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[k] = db.Load(context.Background(), LoadInfo{DatasetID: fmt.Sprint("hr", k)}, emitEmployees(5000+k))
		}()
	}
	wg.Wait()
	for k, err := range errs {
		if err != nil {
			t.Errorf("load %d: %v", k, err)
			continue
		}
		if got := count(t, db, `select count(*) from employee where dataset_id = ?`, fmt.Sprint("hr", k)); got != 5000+k {
			t.Errorf("hr%d: %d rows, want %d", k, got, 5000+k)
		}
	}
}

func TestDimsJSONMatchesEncodingJSON(t *testing.T) {
	for _, dims := range []map[string]string{
		nil,
		{"age": "25-34"},
		{"ålder": "25–34 år", "kön": "kvinnor", "a": ""},
		{"q": `say "hi"`, "b": `back\slash`},
		{"html": "<a & b>"},
		{"ctl": "tab\there\n"},
		{"sep": "line\u2028para\u2029"},
		{"bad": "\xff\xfe"},
		{"z": "1", "y": "2", "x": "3", "w": "4"},
	} {
		got, err := dimsJSON(dims)
		if err != nil {
			t.Fatal(err)
		}
		want := ""
		if len(dims) > 0 {
			b, _ := json.Marshal(dims)
			want = string(b)
		}
		if got != want {
			t.Errorf("dimsJSON(%q) = %s, want %s", dims, got, want)
		}
	}
}

func FuzzDimsJSON(f *testing.F) {
	f.Add("age", "25-34", "kön", "K")
	f.Add("a\"", "<b>", "\u2028", "\xff")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		dims := map[string]string{k1: v1, k2: v2}
		got, err := dimsJSON(dims)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(dims)
		if got != string(want) {
			t.Errorf("dimsJSON(%q) = %s, want %s", dims, got, want)
		}
	})
}
