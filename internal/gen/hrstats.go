package gen

import "sort"

// hrAgg sums what the Kolada personnel KPIs need over monthly-paid staff
// (tillsvidare and visstid; timavlönade are not månadsavlönade).
type hrAgg struct {
	monthly, full, p75, p1 float64 // headcount; rate 100; 75–99; 1–74
	sched, sick            float64 // hours
	wages                  []float64
}

func (a *hrAgg) merge(b *hrAgg) {
	a.monthly += b.monthly
	a.full += b.full
	a.p75 += b.p75
	a.p1 += b.p1
	a.sched += b.sched
	a.sick += b.sick
	a.wages = append(a.wages, b.wages...)
}

// hrStats collects one employer's figures per year and sex (0 = K, 1 = M).
type hrStats struct {
	byYear map[int]*[2]hrAgg
}

func newHRStats() *hrStats { return &hrStats{byYear: map[int]*[2]hrAgg{}} }

func (s *hrStats) observe(r *Row) {
	if r.Contract == contractLabels[contractHourly] {
		return
	}
	y := s.byYear[r.Year]
	if y == nil {
		y = &[2]hrAgg{}
		s.byYear[r.Year] = y
	}
	a := &y[0]
	if r.Sex == "M" {
		a = &y[1]
	}
	a.monthly++
	switch {
	case r.Rate >= 100:
		a.full++
	case r.Rate >= 75:
		a.p75++
	default:
		a.p1++
	}
	a.sched += r.ScheduledHours
	a.sick += r.SickHours
	a.wages = append(a.wages, r.Wage)
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
