package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/jamstat/jamstat/ingest"
)

// Streamed columns of each table, in the order of observationColumns,
// employeeColumns and rejectedColumns after the ones the INSERT supplies
// itself as constants (dataset_id; source_file for rejected rows).
var (
	observationSpecs = []colSpec{{"measure", kindString}, {"geo_code", kindString}, {"period", kindString}, {"sex", kindString},
		{"occupation_code", kindString}, {"sector", kindString}, {"dims", kindString}, {"value", kindFloat64}, {"n", kindFloat64},
		{"status", kindString}, {"unit", kindString}}
	employeeSpecs = []colSpec{{"period", kindString}, {"employer_code", kindString}, {"person_key", kindString}, {"sex", kindString},
		{"birth_year", kindInt32}, {"age", kindInt32}, {"occupation_code", kindString}, {"aid_code", kindString}, {"occupation_label", kindString},
		{"monthly_wage_fte", kindFloat64}, {"employment_rate", kindFloat64}, {"contract", kindString}, {"hourly_paid", kindBool},
		{"scheduled_hours", kindFloat64}, {"sick_leave_hours", kindFloat64}, {"is_manager", kindBool}, {"education", kindString},
		{"sector", kindString}, {"flextime", kindBool}, {"split_shifts", kindBool}, {"evening_weekend", kindBool}, {"line", kindInt64}}
	rejectedSpecs = []colSpec{{"sheet", kindString}, {"line", kindInt64}, {"column", kindString}, {"reason", kindString}, {"raw", kindString}}
)

// insertSQL builds the INSERT that consumes a stream into main.<table>:
// consts are the leading columns bound as parameters, the rest come from
// jamstat_stream(%d) in specs order (dims is cast to JSON).
func insertSQL(table string, consts []string, specs []colSpec) string {
	var sel []string
	for _, s := range specs {
		if s.name == "dims" {
			sel = append(sel, `CAST("dims" AS JSON)`)
		} else {
			sel = append(sel, `"`+s.name+`"`)
		}
	}
	names := append([]string{}, consts...)
	for _, s := range specs {
		names = append(names, s.name)
	}
	params := strings.TrimSuffix(strings.Repeat("?, ", len(consts)), ", ")
	// %%d survives the Sprintf below as the %d that stream.start fills in.
	return fmt.Sprintf(`INSERT INTO main.%s (%s) SELECT %s, %s FROM %s(%%d)`, table, quotedList(names), params, strings.Join(sel, ", "), streamFunc)
}

var (
	observationInsert = insertSQL("observation", []string{"dataset_id"}, observationSpecs)
	employeeInsert    = insertSQL("employee", []string{"dataset_id"}, employeeSpecs)
	rejectedInsert    = insertSQL("rejected_row", []string{"dataset_id", "source_file"}, rejectedSpecs)
)

// loadSink is the ingest.Sink of one Load. The first observation or
// employee starts that table's INSERT, which then runs alongside the parser;
// rows of the other tables are spooled and inserted after the parse.
type loadSink struct {
	ctx           context.Context
	tx            *sql.Tx
	info          LoadInfo
	obs, emp, rej *stream
	main          *stream // the live stream, if started
}

func newLoadSink(ctx context.Context, tx *sql.Tx, info LoadInfo) *loadSink {
	return &loadSink{ctx: ctx, tx: tx, info: info,
		obs: newStream("observation", observationSpecs), emp: newStream("employee", employeeSpecs), rej: newStream("rejected_row", rejectedSpecs)}
}

func (s *loadSink) startMain(st *stream, insert string) {
	if s.main == nil {
		s.main = st
		st.start(s.ctx, s.tx, insert, s.info.DatasetID)
	}
}

func (s *loadSink) Observation(o *ingest.Observation) error {
	s.startMain(s.obs, observationInsert)
	b := s.obs.row()
	b.setStr(0, o.Measure)
	b.setNullableStr(1, o.GeoCode)
	b.setNullableStr(2, o.Period)
	b.setStr(3, o.Sex)
	b.setNullableStr(4, o.OccupationCode)
	b.setNullableStr(5, o.Sector)
	dims, err := dimsJSON(o.Dims)
	if err != nil {
		return err
	}
	b.setNullableStr(6, dims)
	b.setFloat(7, o.Value)
	b.setFloat(8, o.N)
	status := o.Status
	if o.Value == nil && status == "" {
		// A missing value always carries a reason; the parser gave none.
		status = "missing"
	}
	b.setNullableStr(9, status)
	b.setNullableStr(10, o.Unit)
	return s.obs.commit()
}

func (s *loadSink) Employee(e *ingest.Employee) error {
	s.startMain(s.emp, employeeInsert)
	b := s.emp.row()
	b.setStr(0, e.Period)
	b.setStr(1, e.EmployerCode)
	b.setStr(2, e.PersonKey)
	b.setStr(3, e.Sex)
	b.setInt(4, e.BirthYear)
	b.setInt(5, e.Age)
	b.setNullableStr(6, e.OccupationCode)
	b.setNullableStr(7, e.AIDCode)
	b.setNullableStr(8, e.OccupationLabel)
	b.setFloat(9, e.MonthlyWageFTE)
	b.setFloat(10, e.EmploymentRate)
	b.setNullableStr(11, e.Contract)
	b.setBool(12, e.HourlyPaid)
	b.setFloat(13, e.ScheduledHours)
	b.setFloat(14, e.SickLeaveHours)
	b.setBool(15, e.IsManager)
	b.setNullableStr(16, e.Education)
	b.setNullableStr(17, e.Sector)
	b.setBool(18, e.Flextime)
	b.setBool(19, e.SplitShifts)
	b.setBool(20, e.EveningWeekend)
	b.setInt64(21, int64(e.Line))
	return s.emp.commit()
}

func (s *loadSink) Reject(r ingest.Rejected) error {
	b := s.rej.row()
	b.setNullableStr(0, r.Sheet)
	b.setInt64(1, int64(r.Line))
	b.setNullableStr(2, r.Column)
	b.setStr(3, r.Reason)
	b.setNullableStr(4, r.Raw)
	return s.rej.commit()
}

// close ends the load's streams after parse returned perr: the live INSERT
// is finished (or failed, when perr is set), then the spooled tables are
// inserted. The error names the first cause: the parse error, or the
// INSERT's own error when the INSERT ended first (e.g. a CHECK violation),
// which the parser saw only as errStreamClosed.
func (s *loadSink) close(perr error) error {
	id := s.info.DatasetID
	if s.main != nil {
		_, ierr, early := s.main.end(perr)
		switch {
		case ierr != nil && (early || perr == nil || errors.Is(perr, errStreamClosed)):
			return fmt.Errorf("load %s: insert %s: %w", id, s.main.table, ierr)
		case perr != nil:
			return perr
		}
	} else if perr != nil {
		return perr
	}
	for _, st := range []*stream{s.obs, s.emp, s.rej} {
		if st == s.main || st.rows == 0 {
			continue
		}
		switch st {
		case s.obs:
			st.start(s.ctx, s.tx, observationInsert, id)
		case s.emp:
			st.start(s.ctx, s.tx, employeeInsert, id)
		case s.rej:
			st.start(s.ctx, s.tx, rejectedInsert, id, s.info.SourceFile)
		}
		if _, err, _ := st.end(nil); err != nil {
			return fmt.Errorf("load %s: insert %s: %w", id, st.table, err)
		}
	}
	return nil
}

// dimsJSON encodes dims as json.Marshal would (keys sorted), without its
// reflection for the common case of plain keys and values.
func dimsJSON(dims map[string]string) (string, error) {
	if len(dims) == 0 {
		return "", nil
	}
	keys := make([]string, 0, len(dims))
	size := 2
	for k, v := range dims {
		if !plainJSON(k) || !plainJSON(v) {
			b, err := json.Marshal(dims)
			return string(b), err
		}
		keys = append(keys, k)
		size += len(k) + len(v) + 6
	}
	sort.Strings(keys)
	var sb strings.Builder
	sb.Grow(size)
	sb.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('"')
		sb.WriteString(k)
		sb.WriteString(`":"`)
		sb.WriteString(dims[k])
		sb.WriteByte('"')
	}
	sb.WriteByte('}')
	return sb.String(), nil
}

// plainJSON reports whether s needs no escaping in encoding/json's output:
// valid UTF-8 with no control characters, quotes, backslashes, the HTML
// characters it escapes (< > &) or U+2028/U+2029.
func plainJSON(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
		if c >= 0x80 {
			ascii = false
		}
	}
	return ascii || utf8.ValidString(s) && !strings.ContainsAny(s, "\u2028\u2029")
}
