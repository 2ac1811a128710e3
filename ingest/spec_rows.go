package ingest

import (
	"fmt"
	"hash/maphash"
	"math"
	"strconv"
	"strings"
	"time"
)

// observationRow maps one row to one Observation, or to one per melted
// column. A fault in a shared field rejects the row; a fault in one melted
// value rejects that cell only, so the row's other values still load.
func (e *tableEngine) observationRow(r *trow) error {
	f := e.base
	var dimVals []string
	if len(e.dimCol) > 0 {
		dimVals = make([]string, len(e.dimCol))
	}
	di := 0
	for _, bc := range e.cols {
		c := e.cell(r, bc.index)
		if bc.dim != "" {
			s, fault := e.text(bc, c)
			if fault != nil {
				return e.reject(r, *fault)
			}
			dimVals[di] = s
			di++
			continue
		}
		id := bc.field.id
		if id == fValue || id == fN {
			continue
		}
		s, fault := e.text(bc, c)
		if fault != nil {
			return e.reject(r, *fault)
		}
		switch id {
		case fGeo:
			if s == "" {
				return e.reject(r, rowFault{bc.name, "empty geography"})
			}
			code, g := e.resolveGeo(s, bc.geo)
			if !g.ok {
				return e.reject(r, rowFault{bc.name, e.unknownGeo(s, bc.geo)})
			}
			s = code
		case fSex:
			code, ok := e.sexCode(s)
			if !ok {
				return e.reject(r, rowFault{bc.name, fmt.Sprintf("unknown sex code %q", s)})
			}
			s = code
		case fMeasure, fPeriod:
			if s == "" {
				return e.reject(r, rowFault{bc.name, "empty " + bc.field.name})
			}
		}
		f[id] = s
	}
	var n *float64
	if bc := e.byID[fN]; bc != nil {
		v, ok, _, fault := e.number(bc.name, e.cell(r, bc.index))
		if fault != nil && len(trimSpaceBytes(e.cell(r, bc.index).b)) > 0 {
			return e.reject(r, *fault)
		}
		if ok {
			n = e.newFloat(v)
		}
	}
	if len(e.melts) == 0 {
		bc := e.byID[fValue]
		v, ok, status, fault := e.number(bc.name, e.cell(r, bc.index))
		if fault != nil {
			return e.reject(r, *fault)
		}
		var val *float64
		if ok {
			val = e.newFloat(v)
		} else if sc := e.byID[fStatus]; sc != nil {
			if s := strings.TrimSpace(string(e.cell(r, sc.index).b)); s != "" {
				status = s
			}
		}
		return e.emitObs(r, &f, nil, dimVals, val, n, status)
	}
	for i := range e.melts {
		m := &e.melts[i]
		mf := f
		for id, v := range m.set {
			if v != "" {
				mf[id] = v
			}
		}
		v, ok, status, fault := e.number(m.name, e.cell(r, m.index))
		if fault != nil {
			if err := e.reject(r, *fault); err != nil {
				return err
			}
			continue
		}
		var val *float64
		if ok {
			val = e.newFloat(v)
		}
		if err := e.emitObs(r, &mf, m.dims, dimVals, val, n, status); err != nil {
			return err
		}
	}
	return nil
}

func (e *tableEngine) unknownGeo(s, mode string) string {
	switch mode {
	case geoName:
		return fmt.Sprintf("unknown kommun or county name %q", s)
	case geoNUTS2:
		return fmt.Sprintf("unknown NUTS 2 code %q", s)
	}
	return fmt.Sprintf("unknown geo code %q (not a kommun, county or 0000)", s)
}

func (e *tableEngine) sexCode(s string) (string, bool) {
	if code, ok := e.cs.sex[s]; ok {
		return code, true
	}
	code, ok := e.cs.sex[strings.ToLower(strings.TrimSpace(s))]
	return code, ok
}

func (e *tableEngine) emitObs(r *trow, f *[fieldCount]string, meltDims map[string]string, dimVals []string, val, n *float64, status string) error {
	if f[fMeasure] == "" || f[fPeriod] == "" {
		what := "measure"
		if f[fMeasure] != "" {
			what = "period"
		}
		return e.reject(r, rowFault{reason: "no " + what + " for this row"})
	}
	sex := f[fSex]
	if sex == "" {
		sex = SexTotal // a table not split by sex is about everyone
	}
	var dims map[string]string
	if len(e.baseDims)+len(meltDims)+len(dimVals) > 0 {
		dims = make(map[string]string, len(e.baseDims)+len(meltDims)+len(dimVals))
		for k, v := range e.baseDims {
			dims[k] = v
		}
		for k, v := range meltDims {
			dims[k] = v
		}
		for i, bc := range e.dimCol {
			if dimVals[i] != "" {
				dims[bc.dim] = dimVals[i]
			}
		}
		if len(dims) == 0 {
			dims = nil
		}
	}
	if val != nil {
		status = ""
	}
	e.obs = Observation{
		Measure: f[fMeasure], GeoCode: f[fGeo], Period: f[fPeriod], Sex: sex,
		OccupationCode: f[fOccupation], Sector: f[fSector], Dims: dims,
		Value: val, N: n, Status: status, Unit: f[fUnit],
	}
	e.emitted++
	if err := e.sink.Observation(&e.obs); err != nil {
		return &Error{File: e.file, Sheet: e.sheet, Line: r.line, Reason: "loading failed", Err: err}
	}
	return nil
}

// Contracts (anställningsform) and the words sources use for them.
var contractWords = withCaseVariants(map[string]string{
	"tillsvidare": "tillsvidare", "tillsvidareanställning": "tillsvidare", "tillsvidareanställd": "tillsvidare",
	"permanent": "tillsvidare", "visstid": "visstid", "visstidsanställning": "visstid", "visstidsanställd": "visstid",
	"temporary": "visstid", "timavlönad": "timavlönad", "timanställd": "timavlönad", "timanställning": "timavlönad",
	"hourly": "timavlönad", "hourly paid": "timavlönad",
})

// withCaseVariants adds the Capitalised and UPPER forms of lower-case
// keys, so the common spellings are found without lower-casing per row.
func withCaseVariants[V any](m map[string]V) map[string]V {
	for _, k := range sortedKeys(m) {
		v := m[k]
		r := []rune(k)
		if len(r) == 0 {
			continue
		}
		m[strings.ToUpper(k)] = v
		m[strings.ToUpper(string(r[0]))+string(r[1:])] = v
	}
	return m
}

// dupSet remembers person rows by a 64-bit hash, with the line of the
// first: open addressing over flat slices, far cheaper than a map for
// millions of rows.
type dupSet struct {
	keys  []uint64
	lines []int32
	n     int
}

func newDupSet() *dupSet { return &dupSet{keys: make([]uint64, 1<<12), lines: make([]int32, 1<<12)} }

// add records key and reports the first line if it was already there.
func (d *dupSet) add(key uint64, line int) (int, bool) {
	if key == 0 {
		key = 1 // 0 marks an empty slot
	}
	if 2*(d.n+1) > len(d.keys) {
		d.grow()
	}
	mask := uint64(len(d.keys) - 1)
	for i := key & mask; ; i = (i + 1) & mask {
		switch d.keys[i] {
		case 0:
			d.keys[i] = key
			d.lines[i] = int32(min(line, 1<<31-1))
			d.n++
			return 0, false
		case key:
			return int(d.lines[i]), true
		}
	}
}

func (d *dupSet) grow() {
	old, oldLines := d.keys, d.lines
	d.keys = make([]uint64, 2*len(old))
	d.lines = make([]int32, 2*len(old))
	mask := uint64(len(d.keys) - 1)
	for j, k := range old {
		if k == 0 {
			continue
		}
		i := k & mask
		for d.keys[i] != 0 {
			i = (i + 1) & mask
		}
		d.keys[i] = k
		d.lines[i] = oldLines[j]
	}
}

// employeeRow maps one row to an Employee and validates it: sex known,
// wage ≥ 0, employment rate in (0, 100], codes well formed, no second row
// for the same person, employer and period.
func (e *tableEngine) employeeRow(r *trow) error {
	if len(e.backs) == 0 {
		e.backs = make([]empBack, 256)
	}
	bk := &e.backs[0]
	*bk = empBack{}
	em := &e.emp
	*em = Employee{Line: r.line}
	f := &e.base
	em.Period, em.EmployerCode, em.Sector = f[fPeriod], f[fEmployer], f[fSector]
	if f[fSex] != "" {
		em.Sex = f[fSex]
	}
	em.OccupationCode = f[fOccupation]
	for _, bc := range e.cols {
		c := e.cell(r, bc.index)
		id := bc.field.id
		if bc.field.numeric {
			if fault := e.empNumber(bc, c, em, bk); fault != nil {
				return e.reject(r, *fault)
			}
			continue
		}
		if bc.field.boolean {
			if fault := e.empBool(bc, c, em, bk); fault != nil {
				return e.reject(r, *fault)
			}
			continue
		}
		if id == fPerson && bc.pattern == nil && bc.mapping == nil && c.kind != ckError {
			// Person keys are unique: interning them would only fill the table.
			b := trimSpaceBytes(c.b)
			if len(b) == 0 {
				return e.reject(r, rowFault{bc.name, "empty person key"})
			}
			em.PersonKey = string(b)
			continue
		}
		s, fault := e.text(bc, c)
		if fault != nil {
			return e.reject(r, *fault)
		}
		switch id {
		case fPeriod:
			em.Period = s
		case fEmployer:
			em.EmployerCode = s
			if s != "" {
				code, g := e.resolveGeo(s, bc.geo)
				if !g.ok || (g.kind != "kommun" && g.kind != "region") {
					return e.reject(r, rowFault{bc.name, fmt.Sprintf("employer code %q is not a kommun (4 digits) or region (2 digits) code", s)})
				}
				em.EmployerCode = code
			}
		case fPerson:
			if s == "" {
				return e.reject(r, rowFault{bc.name, "empty person key"})
			}
			em.PersonKey = s
		case fSex:
			code, ok := e.sexCode(s)
			switch {
			case s == "":
				return e.reject(r, rowFault{bc.name, "empty sex"})
			case !ok:
				return e.reject(r, rowFault{bc.name, fmt.Sprintf("unknown sex code %q", s)})
			case code == SexTotal:
				return e.reject(r, rowFault{bc.name, fmt.Sprintf("sex %q means total, not one person's sex", s)})
			}
			em.Sex = code
		case fOccupation:
			if s != "" && !allDigits(s, 1, 4) {
				return e.reject(r, rowFault{bc.name, fmt.Sprintf("SSYK code %q is not 1–4 digits", s)})
			}
			em.OccupationCode = s
		case fAID:
			if s != "" && !allDigits(s, 6, 6) {
				return e.reject(r, rowFault{bc.name, fmt.Sprintf("AID code %q is not 6 digits", s)})
			}
			em.AIDCode = s
		case fOccLabel:
			em.OccupationLabel = s
		case fContract:
			if s != "" {
				w, ok := contractWords[s]
				if !ok {
					w, ok = contractWords[strings.ToLower(s)]
				}
				if !ok {
					return e.reject(r, rowFault{bc.name, fmt.Sprintf("unknown contract %q (tillsvidare, visstid or timavlönad)", s)})
				}
				em.Contract = w
			}
		case fEducation:
			em.Education = s
		case fSector:
			em.Sector = s
		}
	}
	if em.Period == "" || !validPeriod(em.Period) {
		return e.reject(r, rowFault{e.colNameOf(fPeriod), fmt.Sprintf("period %q is not a year (2024) or month/quarter (2024M11, 2024K3)", em.Period)})
	}
	if em.EmployerCode == "" {
		return e.reject(r, rowFault{e.colNameOf(fEmployer), "empty employer code"})
	}
	if em.BirthYear != nil {
		y, _ := strconv.Atoi(em.Period[:4])
		if *em.BirthYear > y || *em.BirthYear < y-120 {
			return e.reject(r, rowFault{e.colNameOf(fBirthYear), fmt.Sprintf("birth year %d is impossible in %s", *em.BirthYear, em.Period)})
		}
	}
	if em.HourlyPaid == nil && em.Contract != "" {
		bk.hourly = em.Contract == "timavlönad"
		em.HourlyPaid = &bk.hourly
	}
	if em.Sector == "" {
		switch len(em.EmployerCode) {
		case 2:
			em.Sector = "region"
		case 4:
			em.Sector = "kommun"
		}
	}
	// Duplicate person rows: the second occurrence is rejected. Keys are
	// 64-bit hashes, so memory stays small for national extracts.
	var h maphash.Hash
	h.SetSeed(e.seed)
	h.WriteString(em.Period)
	h.WriteByte(0)
	h.WriteString(em.EmployerCode)
	h.WriteByte(0)
	h.WriteString(em.PersonKey)
	key := h.Sum64()
	if first, dup := e.dups.add(key, r.line); dup {
		return e.reject(r, rowFault{e.colNameOf(fPerson), fmt.Sprintf("duplicate person: %s already has a row for employer %s in %s (line %d)", em.PersonKey, em.EmployerCode, em.Period, first)})
	}
	e.backs = e.backs[1:]
	e.emitted++
	if err := e.sink.Employee(em); err != nil {
		return &Error{File: e.file, Sheet: e.sheet, Line: r.line, Reason: "loading failed", Err: err}
	}
	return nil
}

func (e *tableEngine) colNameOf(id fieldID) string {
	if bc := e.byID[id]; bc != nil {
		return bc.name
	}
	return ""
}

// empNumber reads a numeric employee field into bk and points em at it.
func (e *tableEngine) empNumber(bc *boundColumn, c *tcell, em *Employee, bk *empBack) *rowFault {
	id := bc.field.id
	if id == fBirthYear && bc.typ != "" {
		s, ok := dateText(trimSpaceBytes(c.b), c, "year", e.date1904)
		if !ok {
			if len(trimSpaceBytes(c.b)) == 0 {
				return nil
			}
			return &rowFault{bc.name, fmt.Sprintf("%q is not a year", c.b)}
		}
		y, _ := strconv.Atoi(s)
		bk.birth = y
		em.BirthYear = &bk.birth
		return nil
	}
	v, ok, _, fault := e.number(bc.name, c)
	if fault != nil {
		if c.kind == ckText && len(trimSpaceBytes(c.b)) == 0 {
			return nil // an empty cell is an unknown value
		}
		return fault
	}
	if !ok {
		return nil // a missing-value symbol
	}
	switch id {
	case fBirthYear, fAge:
		if v != math.Trunc(v) {
			return &rowFault{bc.name, fmt.Sprintf("%s %v is not a whole number", bc.field.name, v)}
		}
		if id == fBirthYear {
			bk.birth = int(v)
			em.BirthYear = &bk.birth
		} else {
			if v < 0 || v > 120 {
				return &rowFault{bc.name, fmt.Sprintf("age %v is out of range 0–120", v)}
			}
			bk.age = int(v)
			em.Age = &bk.age
		}
	case fWage:
		if v < 0 {
			return &rowFault{bc.name, fmt.Sprintf("negative wage %v", v)}
		}
		bk.wage = v
		em.MonthlyWageFTE = &bk.wage
	case fRate:
		if bc.fraction || c.pct {
			if v <= 0 || v > 1 {
				return &rowFault{bc.name, fmt.Sprintf("employment rate %v is not a fraction in (0, 1]", v)}
			}
			v *= 100
		} else if v <= 0 || v > 100 {
			return &rowFault{bc.name, fmt.Sprintf("employment rate %v is not in (0, 100] percent", v)}
		}
		bk.rate = v
		em.EmploymentRate = &bk.rate
	case fSched:
		if v < 0 {
			return &rowFault{bc.name, fmt.Sprintf("negative scheduled hours %v", v)}
		}
		bk.sched = v
		em.ScheduledHours = &bk.sched
	case fSick:
		if v < 0 {
			return &rowFault{bc.name, fmt.Sprintf("negative sick-leave hours %v", v)}
		}
		bk.sick = v
		em.SickLeaveHours = &bk.sick
	}
	return nil
}

// empBool reads a yes/no employee field; empty means not surveyed (nil).
func (e *tableEngine) empBool(bc *boundColumn, c *tcell, em *Employee, bk *empBack) *rowFault {
	b := trimSpaceBytes(c.b)
	if len(b) == 0 {
		return nil
	}
	var v bool
	switch {
	case e.cs.stdBools && len(b) == 2 && (b[0]|0x20) == 'j' && (b[1]|0x20) == 'a':
		v = true // "Ja", the common case, without a map lookup
	case e.cs.stdBools && len(b) == 3 && (b[0]|0x20) == 'n' && (b[1]|0x20) == 'e' && (b[2]|0x20) == 'j':
		v = false
	case c.kind == ckBool:
		v = len(b) == 1 && b[0] == '1'
	case c.kind == ckError:
		return &rowFault{bc.name, fmt.Sprintf("cell error %s", b)}
	default:
		s := string(b)
		if e.cs.trueW[s] {
			v = true
		} else if e.cs.falseW[s] {
			v = false
		} else {
			l := strings.ToLower(s)
			switch {
			case e.cs.trueW[l]:
				v = true
			case e.cs.falseW[l]:
				v = false
			default:
				return &rowFault{bc.name, fmt.Sprintf("%q is not yes or no (Ja/Nej)", s)}
			}
		}
	}
	var p *bool
	switch bc.field.id {
	case fHourly:
		p = &bk.hourly
		em.HourlyPaid = p
	case fManager:
		p = &bk.mgr
		em.IsManager = p
	case fFlex:
		p = &bk.flex
		em.Flextime = p
	case fSplit:
		p = &bk.split
		em.SplitShifts = p
	case fEvening:
		p = &bk.eve
		em.EveningWeekend = p
	}
	*p = v
	return nil
}

func allDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validPeriod accepts a year, a month (2024M11) or a quarter (2024K3, 2024Q3).
func validPeriod(p string) bool {
	if len(p) < 4 || !allDigits(p[:4], 4, 4) {
		return false
	}
	rest := p[4:]
	switch {
	case rest == "":
		return true
	case len(rest) == 3 && rest[0] == 'M':
		m, err := strconv.Atoi(rest[1:])
		return err == nil && m >= 1 && m <= 12 && allDigits(rest[1:], 2, 2)
	case len(rest) == 2 && (rest[0] == 'K' || rest[0] == 'Q'):
		return rest[1] >= '1' && rest[1] <= '4'
	}
	return false
}

var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
var excelEpoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)

// excelDate converts an Excel serial day number. Serials below 61 count
// from 1899-12-31 because Excel treats 1900 as a leap year (serial 60 is
// the 29 February 1900 that never was).
func excelDate(v float64, date1904 bool) (time.Time, bool) {
	if math.IsNaN(v) || v < 0 || v > 2958465 { // 9999-12-31
		return time.Time{}, false
	}
	days := math.Floor(v)
	if date1904 {
		return excelEpoch1904.AddDate(0, 0, int(days)), true
	}
	if days < 61 {
		if days == 60 {
			return time.Time{}, false
		}
		days++
	}
	return excelEpoch.AddDate(0, 0, int(days)), true
}

var dateLayouts = []string{"2006-01-02", "2006/01/02", "20060102", "2006-01-02T15:04:05", "2006-01-02 15:04:05", time.RFC3339, "2006-01-02T15:04:05.999999999"}

// dateText converts a date cell (an Excel serial or ISO text) to "date"
// (2006-01-02), "year" (2006) or "month" (2006M01).
func dateText(b []byte, c *tcell, typ string, date1904 bool) (string, bool) {
	var t time.Time
	switch {
	case c.kind == ckNumber:
		v, ok := parseNumber(b, &plainNumbers)
		if !ok {
			return "", false
		}
		if typ == "year" && !c.date && v == math.Trunc(v) && v >= 1000 && v <= 9999 {
			return strconv.Itoa(int(v)), true
		}
		var ok2 bool
		t, ok2 = excelDate(v, date1904)
		if !ok2 {
			return "", false
		}
	default:
		s := string(b)
		if s == "" {
			return "", false
		}
		if typ == "year" && len(s) == 4 && allDigits(s, 4, 4) {
			return s, true
		}
		if typ == "month" {
			if len(s) == 7 && s[4] == 'M' && validPeriod(s) {
				return s, true
			}
			if pt, err := time.Parse("2006-01", s); err == nil {
				return fmt.Sprintf("%04dM%02d", pt.Year(), int(pt.Month())), true
			}
		}
		ok := false
		for _, l := range dateLayouts {
			if pt, err := time.Parse(l, s); err == nil {
				t, ok = pt, true
				break
			}
		}
		if !ok {
			return "", false
		}
	}
	switch typ {
	case "year":
		return strconv.Itoa(t.Year()), true
	case "month":
		return fmt.Sprintf("%04dM%02d", t.Year(), int(t.Month())), true
	}
	return t.Format("2006-01-02"), true
}
