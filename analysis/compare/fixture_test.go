package compare

import (
	"context"
	"fmt"
	"testing"

	"github.com/jamstat/jamstat/ingest"
	"github.com/jamstat/jamstat/store"
)

// person builds one fixture employee with everything known; the options
// change one field each.
type person struct {
	sex, ssyk        string
	wage, rate       float64
	contract         string
	sched, sick      float64
	manager          bool
	flex, split, eve *bool
	noRate, noManFlg bool
}

var (
	yes = func() *bool { b := true; return &b }()
	no  = func() *bool { b := false; return &b }()
)

func (p person) employee(period, employer string, i int) ingest.Employee {
	f := func(v float64) *float64 { return &v }
	b := func(v bool) *bool { return &v }
	e := ingest.Employee{
		Period: period, EmployerCode: employer, PersonKey: fmt.Sprintf("%s-%s-%d", employer, period, i),
		Sex: p.sex, OccupationCode: p.ssyk, OccupationLabel: "Yrke " + p.ssyk,
		MonthlyWageFTE: f(p.wage), EmploymentRate: f(p.rate), Contract: p.contract,
		HourlyPaid: b(p.contract == "timavlönad"), ScheduledHours: f(p.sched), SickLeaveHours: f(p.sick),
		IsManager: b(p.manager), Flextime: p.flex, SplitShifts: p.split, EveningWeekend: p.eve, Line: i + 2,
	}
	if p.noRate {
		e.EmploymentRate = nil
	}
	if p.noManFlg {
		e.IsManager = nil
	}
	if len(employer) == 2 {
		e.Sector = "region"
	} else {
		e.Sector = "kommun"
	}
	return e
}

// many repeats a person n times, with mod applied to the i-th copy.
func many(n int, base person, mod func(i int, p *person)) []person {
	out := make([]person, n)
	for i := range out {
		out[i] = base
		if mod != nil {
			mod(i, &out[i])
		}
	}
	return out
}

func cat(ps ...[]person) []person {
	var out []person
	for _, p := range ps {
		out = append(out, p...)
	}
	return out
}

// fixture is a county (14) of three employers in 2024, built so every pick
// and condition value can be computed by hand (see TestFixtureHandValues).
//
// 1401: 5321 (20, 18 K) ties 5311 (10, 9 K) at 90 % women and wins on
// size; 7411 (10, 1 K) ties 8191 (10, 1 K) at 90 % men and wins on code;
// 2221 (5, 5 K) is all women but below MinN; 2330 (10, 6 K) sits at exactly
// 60 %; managers 1532 ×2 (vård) and 1342 ×1 (teknik); one person without
// an SSYK code.
// 1402: only a female-dominated group qualifies (8191 has 8 men < MinN).
// 14 (region): 5323 has exactly 60 % women, 8191 exactly 60 % men: no
// picks under ">", both under "≥".
func fixture() map[string][]person {
	usk := person{sex: "K", ssyk: "5321", wage: 30000, rate: 100, contract: "tillsvidare", sched: 1600, split: no, eve: yes}
	f5321 := many(20, usk, func(i int, p *person) {
		if i >= 18 {
			p.sex = "M"
		}
		if i >= 10 {
			p.wage = 32000
		}
		if i%5 < 2 { // i = 0,1,5,6,10,11,15,16: 8 part-timers
			p.rate = 75
		}
		switch {
		case i == 2 || i == 3 || i == 7 || i == 8:
			p.contract = "visstid"
		case i == 12 || i == 13:
			p.contract = "timavlönad"
		}
		if i == 4 || i == 9 || i == 14 || i == 19 {
			p.sick = 160
		}
		if i < 5 {
			p.split = yes
		}
		if i >= 15 {
			p.eve = no
		}
	})
	el := person{sex: "M", ssyk: "7411", wage: 34000, rate: 100, contract: "tillsvidare", sched: 1700, flex: no, eve: no}
	m7411 := many(10, el, func(i int, p *person) {
		if i == 0 {
			p.sex = "K"
		}
		if i >= 5 {
			p.wage = 36000
		}
		if i == 1 {
			p.contract = "visstid"
		}
		if i == 2 {
			p.sick = 170
		}
		if i < 6 {
			p.flex = yes
		}
		if i < 3 {
			p.split = no // only 3 surveyed: suppressed under k = 5
		}
		if i < 2 {
			p.eve = yes
		}
	})
	plain := func(sex, ssyk string) person {
		return person{sex: sex, ssyk: ssyk, wage: 33000, rate: 100, contract: "tillsvidare", sched: 1600}
	}
	nK := func(n, k int, ssyk string) []person {
		return many(n, plain("M", ssyk), func(i int, p *person) {
			if i < k {
				p.sex = "K"
			}
		})
	}
	mgr := func(sex, ssyk string) person { p := plain(sex, ssyk); p.manager = true; return p }
	return map[string][]person{
		"1401": cat(f5321, nK(10, 9, "5311"), m7411, nK(10, 1, "8191"), nK(5, 5, "2221"), nK(10, 6, "2330"),
			[]person{mgr("K", "1532"), mgr("K", "1532"), mgr("M", "1342"), plain("K", "")}),
		"1402": cat(nK(12, 12, "5321"), nK(8, 0, "8191"), nK(10, 5, "4119"), []person{mgr("K", "1532")}),
		"14":   cat(nK(10, 6, "5323"), nK(10, 4, "8191"), nK(10, 5, "2211"), []person{mgr("K", "1512")}),
	}
}

// loadPersons loads fixture employees into a fresh in-memory store.
func loadPersons(t testing.TB, period string, emps map[string][]person) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	_, err = db.Load(ctx, store.LoadInfo{DatasetID: "fixture-" + period, Synthetic: true}, func(s ingest.Sink) (ingest.Meta, error) {
		n := 0
		for _, code := range []string{"1401", "1402", "14", "1480", "0180"} {
			for i, p := range emps[code] {
				e := p.employee(period, code, i)
				if err := s.Employee(&e); err != nil {
					return ingest.Meta{}, err
				}
				n++
			}
		}
		return ingest.Meta{Format: "test", Kind: "employee", RowsRead: n}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db
}
