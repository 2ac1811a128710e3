package gen

import "fmt"

// Fault kinds injected when Config.Faults is set, so the demo shows the
// ingest step rejecting rows with a reason. All go into the last year's
// files: with two or more employers, the first employer (in code order)
// gets the duplicated person and the zero employment rate, the second the
// unknown sex code and the negative wage; a single employer gets all four.
const (
	FaultUnknownSex   = "unknown sex code \"X\""
	FaultNegativeWage = "negative monthly wage"
	FaultDuplicate    = "duplicated person (same anställningsnummer twice)"
	FaultZeroRate     = "employment rate 0 (outside (0,100])"
)

// Fault locates one injected faulty row.
type Fault struct {
	Employer  string
	Year      int
	Line      int // 1-based line in the CSV file or row in the sheet; the header is line 1
	Kind      string
	PersonKey string
}

func (f Fault) String() string {
	return fmt.Sprintf("%s %d line %d: %s (anställningsnummer %s)", f.Employer, f.Year, f.Line, f.Kind, f.PersonKey)
}

// faultWriter rewrites a few rows on their way to the real writer.
type faultWriter struct {
	next  EmployeeWriter
	kinds map[int]string // data row number (1-based, as generated) -> fault
	n     int            // rows generated so far
	out   int            // rows written so far
	file  FileInfo
	sum   *Summary
}

func newFaultWriter(next EmployeeWriter, e employer, nEmployers int, sum *Summary) EmployeeWriter {
	kinds := map[int]string{}
	if nEmployers == 1 || e.Index == 0 {
		kinds[20] = FaultDuplicate
		kinds[30] = FaultZeroRate
	}
	if nEmployers == 1 || e.Index == 1 {
		kinds[5] = FaultUnknownSex
		kinds[12] = FaultNegativeWage
	}
	if len(kinds) == 0 {
		return next
	}
	return &faultWriter{next: next, kinds: kinds, sum: sum}
}

func (f *faultWriter) Begin(fi FileInfo) error {
	f.file = fi
	return f.next.Begin(fi)
}

func (f *faultWriter) emit(r *Row, kind string) error {
	f.out++
	if kind != "" {
		f.sum.Faults = append(f.sum.Faults, Fault{Employer: f.file.Employer, Year: f.file.Year, Line: f.out + 1, Kind: kind, PersonKey: r.PersonKey})
	}
	return f.next.Write(r)
}

func (f *faultWriter) Write(r *Row) error {
	f.n++
	kind := f.kinds[f.n]
	switch kind {
	case FaultUnknownSex:
		r.Sex = "X"
	case FaultNegativeWage:
		r.Wage = -r.Wage
	case FaultZeroRate:
		r.Rate = 0
	case FaultDuplicate:
		if err := f.emit(r, ""); err != nil {
			return err
		}
		f.sum.Rows++
		return f.emit(r, kind)
	}
	return f.emit(r, kind)
}

func (f *faultWriter) End() error { return f.next.End() }
