package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jamstat/jamstat/ingest"
)

// benchRows is the size of one benchmark load: a million rows, the scale
// of issue 3's speed goals.
const benchRows = 1_000_000

var (
	benchLabels    = []string{"Undersköterska", "Lärare i grundskolan", "Förskollärare", "Sjuksköterska", "Socialsekreterare", "Vårdbiträde", "Elevassistent", "Enhetschef", "Kock", "Lokalvårdare"}
	benchSSYK      = []string{"5321", "2341", "2343", "2221", "2661", "5329", "5312", "1721", "5120", "9111"}
	benchEducation = []string{"Förgymnasial", "Gymnasial", "Eftergymnasial <3 år", "Eftergymnasial ≥3 år"}
	benchContracts = []string{"tillsvidare", "visstid", "timavlönad"}
	benchEmployers = []string{"1480", "1280", "0180", "14", "1490", "0380", "2480", "13"}
)

// employeeParse emits n employee rows with realistic field widths, one in
// a thousand rejected, the way a real HR export parser would.
func employeeParse(n int) ParseFunc {
	return func(sink ingest.Sink) (ingest.Meta, error) {
		var e ingest.Employee
		yes, no := true, false
		for i := 0; i < n; i++ {
			line := i + 2
			if i%1000 == 999 {
				if err := sink.Reject(ingest.Rejected{Line: line, Column: "Kön", Reason: `unknown sex code "X"`, Raw: "2024;1480;p;X"}); err != nil {
					return ingest.Meta{}, err
				}
				continue
			}
			k := i % len(benchLabels)
			by := 1960 + i%45
			age := 2024 - by
			wage := 25000 + float64(i%20000)
			rate := float64(50 + i%51)
			sched := 1700 * rate / 100
			sick := float64(i % 200)
			emp := benchEmployers[i%len(benchEmployers)]
			sector := "kommun"
			if len(emp) == 2 {
				sector = "region"
			}
			e = ingest.Employee{
				Period: "2024", EmployerCode: emp, PersonKey: "P" + strconv.Itoa(1000000+i),
				Sex: [2]string{ingest.SexWomen, ingest.SexMen}[i%2], BirthYear: &by, Age: &age,
				OccupationCode: benchSSYK[k], AIDCode: "3" + benchSSYK[k][:4] + "1", OccupationLabel: benchLabels[k],
				MonthlyWageFTE: &wage, EmploymentRate: &rate, Contract: benchContracts[i%3], HourlyPaid: &no,
				ScheduledHours: &sched, SickLeaveHours: &sick, IsManager: &no, Education: benchEducation[i%4], Sector: sector,
				Line: line,
			}
			if i%3 == 2 {
				e.HourlyPaid = &yes
			}
			if i%5 != 0 { // a fifth not surveyed: nil, not false
				e.Flextime, e.SplitShifts, e.EveningWeekend = &yes, &no, &yes
			}
			if err := sink.Employee(&e); err != nil {
				return ingest.Meta{}, err
			}
		}
		return ingest.Meta{Format: "bench", Kind: "employee", RowsRead: n}, nil
	}
}

var benchMeasures = []string{"population", "births", "avg_monthly_salary", "employment_rate"}

// observationParse emits n observation rows, some with dims, some suppressed.
func observationParse(n int) ParseFunc {
	return func(sink ingest.Sink) (ingest.Meta, error) {
		var o ingest.Observation
		dims := map[string]string{"age": "25-34"}
		for i := 0; i < n; i++ {
			v := float64(i % 10007)
			o = ingest.Observation{Measure: benchMeasures[i%4], GeoCode: benchEmployers[i%len(benchEmployers)], Period: strconv.Itoa(2000 + i%25),
				Sex: [3]string{"T", "K", "M"}[i%3], Value: &v, Unit: "number"}
			if i%7 == 0 {
				o.Dims = dims
			}
			if i%50 == 0 {
				o.Value, o.Status = nil, ".."
			}
			if err := sink.Observation(&o); err != nil {
				return ingest.Meta{}, err
			}
		}
		return ingest.Meta{Format: "bench", Kind: "observation", RowsRead: n}, nil
	}
}

func benchLoad(b *testing.B, parse ParseFunc) {
	db, err := Open(context.Background(), filepath.Join(b.TempDir(), "bench.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ResetTimer()
	cpu0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		// A new sha each round: every round really loads (and replaces).
		res, err := db.Load(context.Background(), LoadInfo{DatasetID: "bench", SHA256: fmt.Sprint(i)}, parse)
		if err != nil {
			b.Fatal(err)
		}
		if res.RowsRead != benchRows {
			b.Fatalf("rows read %d", res.RowsRead)
		}
	}
	cpu := cpuSeconds() - cpu0
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	// CPU time (user + system, all threads) is steadier than wall time
	// on a shared machine, and shows what the load costs beyond one core.
	b.ReportMetric(cpu/float64(b.N), "cpu-s/op")
}

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// BenchmarkLoadObservations loads a million 12-column observation rows.
func BenchmarkLoadObservations(b *testing.B) { benchLoad(b, observationParse(benchRows)) }

// BenchmarkLoadEmployees loads a million 23-column employee rows.
func BenchmarkLoadEmployees(b *testing.B) { benchLoad(b, employeeParse(benchRows)) }
