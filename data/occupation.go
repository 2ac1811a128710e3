package data

import (
	"fmt"
	"strconv"
)

// Occupation is one code of an occupational classification: SSYK 2012 (the
// Swedish version of ISCO-08, used from 2014), SSYK 96, or AID (SKR's
// arbetsidentifikation for municipal and regional employees).
type Occupation struct {
	Scheme     string // "SSYK2012", "SSYK96", "AID"
	Code       string
	NameSv     string
	NameEn     string
	Level      int // number of digits for SSYK
	ParentCode string
}

// Occupations returns the occupation codes shipped in data/ref.
func Occupations() ([]Occupation, error) {
	rows, err := readCSV("ref/occupations.csv")
	if err != nil {
		return nil, err
	}
	out := make([]Occupation, 0, len(rows))
	for i, r := range rows {
		if len(r) != 6 {
			return nil, fmt.Errorf("reference data occupations.csv: line %d has %d fields, want 6", i+2, len(r))
		}
		level, err := strconv.Atoi(r[4])
		if err != nil {
			return nil, fmt.Errorf("reference data occupations.csv: line %d: level %q: %w", i+2, r[4], err)
		}
		out = append(out, Occupation{Scheme: r[0], Code: r[1], NameSv: r[2], NameEn: r[3], Level: level, ParentCode: r[5]})
	}
	return out, nil
}
