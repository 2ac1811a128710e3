package gen

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// Header is the HR register export contract's header row, in order.
var Header = []string{
	"År", "Arbetsgivare", "Anställningsnummer", "Kön", "Födelseår", "SSYK", "AID", "Befattning",
	"Månadslön heltid", "Sysselsättningsgrad", "Anställningsform", "Schemalagd tid", "Sjukfrånvarotid",
	"Chef", "Utbildning", "Flextid", "Delade turer", "Kvällar och helger",
}

// Tri is a survey answer: unknown (not surveyed), yes or no.
type Tri uint8

const (
	Unknown Tri = iota
	Yes
	No
)

// Row is one employee in one year, as written to an HR file.
type Row struct {
	Year           int
	Employer       string // kommun ("1480") or region ("14") code
	PersonKey      string // anställningsnummer, stable across years
	Sex            string // "K" or "M" (a fault row may carry another code)
	BirthYear      int
	SSYK, AID      string
	Title          string // befattning
	Wage           float64
	Rate           float64 // sysselsättningsgrad, percent
	Contract       string
	ScheduledHours float64
	SickHours      float64
	Manager        bool
	Education      string
	Flextime       Tri
	SplitShifts    Tri
	EveWeekend     Tri
}

// FileInfo identifies one HR file: one employer and one year.
type FileInfo struct {
	Employer string
	Name     string // kommun or region name
	Year     int
	Format   string // FormatCSV, FormatXLSX or FormatParquet
	NBSP     bool   // thousands separator is a non-breaking space (CSV only)
}

// EmployeeWriter receives generated rows file by file: Begin, the rows in
// order, End. Rows are reused between calls; a writer copies what it keeps.
type EmployeeWriter interface {
	Begin(f FileInfo) error
	Write(r *Row) error
	End() error
}

// person is one employee's persistent state across years.
type person struct {
	key      int32
	occ      int16
	sex      uint8 // 0 = K, 1 = M
	edu      uint8
	contract uint8
	lead     bool
	birth    int16
	rate     float32 // employment rate for monthly paid, percent
	wageF    float32 // personal wage factor (mean 1)
	sickP    float32 // personal sick-leave propensity (mean 1)
	flex     bool
	split    bool
	eve      bool
}

// workforce simulates one employer's staff year by year: leavers are
// replaced in the same occupation (the post is refilled), the staff grows
// slowly, everyone ages one year.
type workforce struct {
	e       employer
	cal     *calibration
	rng     *rand.Rand
	people  []person
	nextKey int32
	wageEmp float64 // employer-level wage effect (mean 1)
	cum     []float64
	occs    []*occupation
	year    int
	// startYear is the run's first year, the base of the slow staff growth.
	startYear int
}

func newWorkforce(seed uint64, e employer, cal *calibration) *workforce {
	h := fnv.New64a()
	h.Write([]byte(e.Code))
	w := &workforce{e: e, cal: cal, rng: rand.New(rand.NewPCG(seed, h.Sum64())), nextKey: 100001}
	w.wageEmp = math.Exp(0.015*w.rng.NormFloat64() - 0.015*0.015/2)
	k := e.kind()
	var sum float64
	for _, o := range cal.Occupations {
		wt := o.KommunWeight
		if k == 1 {
			wt = o.RegionWeight
		}
		if wt <= 0 {
			continue
		}
		sum += wt
		w.occs = append(w.occs, o)
		w.cum = append(w.cum, sum)
	}
	for i := range w.cum {
		w.cum[i] /= sum
	}
	return w
}

func (w *workforce) occIndex(o *occupation) int16 {
	for i, x := range w.occs {
		if x == o {
			return int16(i)
		}
	}
	return -1
}

func (w *workforce) drawOcc() int16 {
	u := w.rng.Float64()
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] < u {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return int16(lo)
}

func (w *workforce) bern(p float64) bool { return w.rng.Float64() < p }

// womenShare is an occupation's share of women in a year: the calibration
// share drifting slowly toward 50 %.
func womenShare(o *occupation, kind, year int) float64 {
	s := o.WomenShare[kind]
	d := float64(year - calibYear)
	if d > 0 {
		s += (0.5 - s) * shareDrift * d
	}
	return s
}

// hire adds one new person in occupation occ; first says whether this is
// the initial staff (any age) or a later recruit (younger on average).
func (w *workforce) hire(occ int16, first bool) {
	o := w.occs[occ]
	p := o.Profile
	k := w.e.kind()
	var sx uint8 = 1
	if w.bern(womenShare(o, k, w.year)) {
		sx = 0
	}
	mean, sd := p.AgeMean, 11.0
	if !first {
		mean, sd = p.AgeMean-8, 10
	}
	age := int(math.Round(mean + sd*w.rng.NormFloat64()))
	min := 19
	if p.Name == "manager" || o.SSYK4[0] == '2' {
		min = 24
	}
	if age < min {
		age = min + w.rng.IntN(4)
	}
	if age > 66 {
		age = 66 - w.rng.IntN(6)
	}
	em := educationMix[o.SSYK4[0]]
	edu := pick4(w.rng.Float64(), em)
	c := uint8(contractPermanent)
	u := w.rng.Float64()
	tempBoost := 1.0
	if age < 30 {
		tempBoost = 2.0
	}
	if u < p.Contract[2]*tempBoost {
		c = contractHourly
	} else if u < (p.Contract[2]+p.Contract[1])*tempBoost {
		c = contractTemporary
	}
	per := person{
		key: w.nextKey, occ: occ, sex: sx, edu: uint8(edu), contract: c,
		birth: int16(w.year - age),
		wageF: float32(math.Exp(0.07*w.rng.NormFloat64() - 0.07*0.07/2)),
		sickP: float32(math.Exp(0.5*w.rng.NormFloat64() - 0.125)),
		lead:  w.bern(p.LeadShare),
		flex:  w.bern(p.Flextime),
		split: w.bern(p.SplitShift),
		eve:   w.bern(p.EveWeekend),
	}
	per.rate = float32(w.drawRate(p, int(sx)))
	w.nextKey++
	w.people = append(w.people, per)
}

func pick4(u float64, p [4]float64) int {
	for i, v := range p {
		if u < v {
			return i
		}
		u -= v
	}
	return 3
}

func (w *workforce) drawRate(p *profile, sx int) float64 {
	ft := p.FullTime[sx] + p.FullTimeStep[sx]*float64(w.year-2019)
	if ft > 0.99 {
		ft = 0.99
	}
	if w.bern(ft) {
		return 100
	}
	var tot float64
	for _, r := range p.PartRates {
		tot += r.W
	}
	u := w.rng.Float64() * tot
	for _, r := range p.PartRates {
		if u < r.W {
			return r.V
		}
		u -= r.W
	}
	return p.PartRates[len(p.PartRates)-1].V
}

// advance moves the workforce to year: on the first call it hires the
// initial staff; later it applies turnover, conversions and growth.
func (w *workforce) advance(year int) {
	first := w.people == nil
	w.year = year
	if first {
		w.people = make([]person, 0, w.e.Size+w.e.Size/8)
		k := w.e.kind()
		for _, o := range w.occs {
			if w.e.Size >= 100 {
				for i := 0; i < o.Min[k]; i++ {
					w.hire(w.occIndex(o), true)
				}
			}
		}
		for len(w.people) < w.e.Size {
			w.hire(w.drawOcc(), true)
		}
		return
	}
	kept := w.people[:0]
	var vacancies []int16
	for _, p := range w.people {
		age := year - int(p.birth)
		leave := 0.07
		switch p.contract {
		case contractTemporary:
			leave = 0.30
		case contractHourly:
			leave = 0.35
		}
		if age >= 67 || w.bern(leave) {
			vacancies = append(vacancies, p.occ)
			continue
		}
		prof := w.occs[p.occ].Profile
		if p.contract == contractTemporary && w.bern(0.25) {
			p.contract = contractPermanent
		}
		if p.rate < 100 && p.contract != contractHourly {
			// heltidsresan: part-timers move to full time, faster where the
			// profile's full-time share rises.
			if w.bern(0.03 + 2*prof.FullTimeStep[p.sex]) {
				p.rate = 100
			}
		}
		kept = append(kept, p)
	}
	w.people = kept
	for _, occ := range vacancies {
		w.hire(occ, false)
	}
	target := int(math.Round(float64(w.e.Size) * math.Pow(1.004, float64(year-w.firstYear()))))
	for len(w.people) < target {
		w.hire(w.drawOcc(), false)
	}
}

func (w *workforce) firstYear() int { return w.startYear }

// fill writes person p's row for the current year into r.
func (w *workforce) fill(p *person, r *Row) {
	o := w.occs[p.occ]
	prof := o.Profile
	k := w.e.kind()
	y := w.year
	r.Year = y
	r.Employer = w.e.Code
	r.PersonKey = itoa(int(p.key))
	if p.sex == 0 {
		r.Sex = "K"
	} else {
		r.Sex = "M"
	}
	r.BirthYear = int(p.birth)
	r.SSYK, r.AID, r.Title = o.SSYK4, o.AID, o.Title
	r.Education = educationLabels[p.edu]
	r.Contract = contractLabels[p.contract]
	r.Manager = p.lead || prof.Name == "manager"

	age := float64(y - int(p.birth))
	wage := o.Wage2018[p.sex] * o.WageFactor[k] * math.Pow(1+wageGrowthYear, float64(y-calibYear))
	if p.sex == 0 && y > calibYear {
		wage *= 1 + womenWageCatchUp*float64(y-calibYear)
	}
	wage *= (1 + 0.004*(age-prof.AgeMean)) * float64(p.wageF) * w.wageEmp
	if r.Manager && prof.Name != "manager" {
		wage *= 1.06 // arbetsledartillägg
	}
	if p.contract == contractHourly {
		wage *= 0.94
	}
	r.Wage = math.Round(wage)

	hours := fullTimeHours * float64(p.rate) / 100
	rate := float64(p.rate)
	switch p.contract {
	case contractTemporary:
		hours *= 0.25 + 0.75*w.rng.Float64() // part of the year
	case contractHourly:
		hours = 80 + 700*w.rng.Float64()
		rate = math.Round(hours/fullTimeHours*1000) / 10
		if rate < 0.1 {
			rate = 0.1
		}
	default:
		hours *= 0.97 + 0.06*w.rng.Float64()
	}
	r.Rate = rate
	r.ScheduledHours = math.Round(hours*2) / 2

	mean := prof.Sick[p.sex] / 100 * sickYear(y) * float64(p.sickP)
	sick := 0.0
	if !w.bern(0.3) {
		sick = mean / 0.7 * w.rng.ExpFloat64()
		if sick > 1 {
			sick = 1
		}
	}
	r.SickHours = math.Round(hours*sick*2) / 2

	if w.e.Surveyed {
		r.Flextime, r.SplitShifts, r.EveWeekend = tri(p.flex), tri(p.split), tri(p.eve)
	} else {
		r.Flextime, r.SplitShifts, r.EveWeekend = Unknown, Unknown, Unknown
	}
}

func tri(b bool) Tri {
	if b {
		return Yes
	}
	return No
}

func itoa(n int) string {
	var b [12]byte
	i := len(b)
	for n >= 10 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	i--
	b[i] = byte('0' + n)
	return string(b[i:])
}

// Employees streams every row of the configured run to w, employer by
// employer and, within an employer, year by year (one Begin/End per
// employer and year). Memory is bounded by the largest employer's staff,
// so ten million rows need no more than one employer's state.
func Employees(cfg Config, w EmployeeWriter) (Summary, error) {
	if err := cfg.validate(); err != nil {
		return Summary{}, err
	}
	cal, err := loadCalibration()
	if err != nil {
		return Summary{}, err
	}
	emps, err := planEmployers(cfg, cal)
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	for _, e := range emps {
		s, err := generateEmployer(cfg, cal, e, len(emps), func(FileInfo) (EmployeeWriter, error) { return w, nil }, nil)
		if err != nil {
			return sum, err
		}
		sum.add(s)
	}
	sum.Employers = len(emps)
	return sum, nil
}

// generateEmployer writes all years of one employer; open returns the
// writer for each file; observe, when not nil, sees every clean row before
// faults are injected.
func generateEmployer(cfg Config, cal *calibration, e employer, nEmployers int, open func(FileInfo) (EmployeeWriter, error), observe func(*Row)) (Summary, error) {
	wf := newWorkforce(cfg.Seed, e, cal)
	wf.startYear = cfg.Years[0]
	var sum Summary
	var row Row
	for y := cfg.Years[0]; y <= cfg.Years[1]; y++ {
		wf.advance(y)
		fi := FileInfo{Employer: e.Code, Name: e.Name, Year: y, Format: e.Format, NBSP: e.NBSP}
		w, err := open(fi)
		if err != nil {
			return sum, err
		}
		if cfg.Faults && y == cfg.Years[1] {
			w = newFaultWriter(w, e, nEmployers, &sum)
		}
		if err := w.Begin(fi); err != nil {
			return sum, fmt.Errorf("gen: %s %d: %w", e.Code, y, err)
		}
		for i := range wf.people {
			wf.fill(&wf.people[i], &row)
			if observe != nil {
				observe(&row)
			}
			if err := w.Write(&row); err != nil {
				return sum, fmt.Errorf("gen: %s %d: %w", e.Code, y, err)
			}
		}
		if err := w.End(); err != nil {
			return sum, fmt.Errorf("gen: %s %d: %w", e.Code, y, err)
		}
		sum.Rows += len(wf.people)
		sum.Files++
	}
	return sum, nil
}
