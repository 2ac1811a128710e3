package ingest

import "fmt"

// Sex codes used throughout jamstat, as Kolada writes them.
const (
	SexTotal = "T" // totalt, samtliga
	SexWomen = "K" // kvinnor
	SexMen   = "M" // män
)

// Observation is one cell of an aggregate table in long, tidy form: one
// measure for one geography, period and sex, optionally narrowed by an
// occupation, a sector and further dimensions (age group, education ...).
//
// A value that the source suppressed or lacks is Value == nil with Status
// holding the source's symbol (".." , ".", "-") or a reason; it is never 0.
type Observation struct {
	Measure        string            // what is measured, e.g. "population", "avg_monthly_salary"
	GeoCode        string            // canonical geo code ("1480", "14", "0000"); "" when the source has none
	Period         string            // "2024", "2024M11", "2024K3"
	Sex            string            // SexTotal, SexWomen or SexMen
	OccupationCode string            // e.g. SSYK 2012 "214"; "" when not split by occupation
	Sector         string            // e.g. "1-3" (public sector); "" when not split by sector
	Dims           map[string]string // any further dimension; nil when none
	Value          *float64          // nil when suppressed or missing
	N              *float64          // headcount behind Value when the source gives it
	Status         string            // source symbol or reason when Value is nil; "" otherwise
	Unit           string            // "number", "SEK", "percent" ...
}

// Employee is one person in one period from an HR register extract
// (one row per employee). Optional fields are nil when the file lacks them.
type Employee struct {
	Period          string   // reference period, usually a year "2024"
	EmployerCode    string   // the employer: a kommun code ("1480") or a region code ("14")
	PersonKey       string   // pseudonymous key, unique within employer and period
	Sex             string   // SexWomen or SexMen
	BirthYear       *int     // födelseår
	Age             *int     // ålder at the reference date
	OccupationCode  string   // SSYK 2012 code (4 digits at the finest level)
	AIDCode         string   // SKR's arbetsidentifikation, six digits; "" when absent
	OccupationLabel string   // the employer's own label, e.g. "Undersköterska"
	MonthlyWageFTE  *float64 // monthly wage converted to full time, SEK
	EmploymentRate  *float64 // sysselsättningsgrad in percent (0, 100]
	Contract        string   // "tillsvidare" (permanent), "visstid" (temporary), "timavlönad" (hourly paid)
	HourlyPaid      *bool    // timavlönad
	ScheduledHours  *float64 // scheduled (contracted) working hours in the period
	SickLeaveHours  *float64 // sick-leave hours in the period
	IsManager       *bool    // has ledningsansvar
	Education       string   // education level code as the source writes it
	Sector          string   // "kommun" or "region" for municipal-sector employers
	Flextime        *bool    // möjlighet till flextid
	SplitShifts     *bool    // delade turer
	EveningWeekend  *bool    // arbete på kvällar och helger
	Line            int      // line (row) in the source file, for tracing
}

// Rejected is a row that could not be loaded, kept with the reason why.
// Nothing read from a file is dropped silently: it is loaded or it is here.
type Rejected struct {
	Sheet  string // sheet name for xlsx; "" otherwise
	Line   int    // 1-based line or row number in the file (or sheet)
	Column string // column name or letter where the fault is; "" when the whole row is at fault
	Reason string // one line, e.g. "unknown sex code \"X\""
	Raw    string // the row as read, for the analyst to inspect
}

func (r Rejected) String() string {
	loc := fmt.Sprintf("line %d", r.Line)
	if r.Sheet != "" {
		loc = fmt.Sprintf("sheet %q, row %d", r.Sheet, r.Line)
	}
	if r.Column != "" {
		loc += fmt.Sprintf(", column %s", r.Column)
	}
	return loc + ": " + r.Reason
}

// Sink receives the records a parser reads. Implementations decide what a
// load means (store: one DuckDB transaction; MemorySink: slices).
// A non-nil error from a Sink aborts the parse and is returned wrapped.
type Sink interface {
	Observation(o *Observation) error
	Employee(e *Employee) error
	Reject(r Rejected) error
}

// Meta describes what a parser found about the file as a whole.
type Meta struct {
	Format      string // "px", "jsonstat", "kolada", "pxweb-v1", "csv", "xlsx", "parquet"
	Kind        string // "observation" or "employee"
	Title       string // title as the source states it
	Source      string // publishing agency or origin when stated
	Synthetic   bool   // true for generated demo data
	RowsRead    int    // data rows (cells for cube formats) read from the file
	Description string
}

// MemorySink collects records in memory; for tests and small files.
type MemorySink struct {
	Observations []Observation
	Employees    []Employee
	Rejected     []Rejected
}

func (m *MemorySink) Observation(o *Observation) error {
	m.Observations = append(m.Observations, *o)
	return nil
}

func (m *MemorySink) Employee(e *Employee) error {
	m.Employees = append(m.Employees, *e)
	return nil
}

func (m *MemorySink) Reject(r Rejected) error {
	m.Rejected = append(m.Rejected, r)
	return nil
}
