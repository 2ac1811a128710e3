package gen

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/jamstat/jamstat/data"
)

// Output formats.
const (
	FormatCSV   = "csv"   // Swedish CSV: ';', decimal comma, Windows-1252, CRLF
	FormatXLSX  = "xlsx"  // one sheet "Anställda"
	FormatMixed = "mixed" // every third employer xlsx, the others CSV (as analysts receive them)
)

// Config controls a generator run.
type Config struct {
	Seed           uint64 // same seed and config give byte-identical files
	Employees      int    // employees per year over all employers in scope, before MinPerEmployer
	Municipalities string // "all" (290 kommuner and 21 regions) or a county code ("14")
	Years          [2]int // first and last year, inclusive
	Format         string // FormatCSV, FormatXLSX, FormatParquet or FormatMixed
	Out            string // output directory
	Faults         bool   // inject the documented faulty rows (see faults.go)
	Demo           bool   // write the full demo set: HR files and the Kolada series
	MinPerEmployer int    // floor on each employer's headcount (the demo uses 150)
	Workers        int    // parallel employers when writing files; 0 = 2
}

// DemoConfig is the configuration of the committed demo set under
// data/demo/: Västra Götaland, 2019–2024, faults on.
func DemoConfig(out string) Config {
	return Config{
		Seed:           14,
		Employees:      1600,
		Municipalities: "14",
		Years:          [2]int{2019, 2024},
		Format:         FormatMixed,
		Out:            out,
		Faults:         true,
		Demo:           true,
		MinPerEmployer: 150,
	}
}

// ParseYears reads "2019-2024" or "2024".
func ParseYears(s string) ([2]int, error) {
	a, b, found := strings.Cut(strings.TrimSpace(s), "-")
	y1, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil {
		return [2]int{}, fmt.Errorf("years %q: want Y1-Y2 or Y", s)
	}
	y2 := y1
	if found {
		if y2, err = strconv.Atoi(strings.TrimSpace(b)); err != nil {
			return [2]int{}, fmt.Errorf("years %q: want Y1-Y2 or Y", s)
		}
	}
	return [2]int{y1, y2}, nil
}

func (c *Config) validate() error {
	if c.Employees <= 0 && c.MinPerEmployer <= 0 {
		return fmt.Errorf("gen: employees must be positive, got %d", c.Employees)
	}
	if c.Years[0] < 2000 || c.Years[1] > 2100 || c.Years[1] < c.Years[0] {
		return fmt.Errorf("gen: years %d-%d out of range (2000–2100, Y1 <= Y2)", c.Years[0], c.Years[1])
	}
	switch c.Format {
	case FormatCSV, FormatXLSX, FormatMixed, FormatParquet:
	default:
		return fmt.Errorf("gen: unknown format %q (csv, xlsx, parquet or mixed)", c.Format)
	}
	if c.Municipalities == "" {
		c.Municipalities = "all"
	}
	return nil
}

// employer is one HR-file producer: a kommun or a region.
type employer struct {
	Code   string
	Name   string
	Region bool // a region (county council) rather than a kommun
	Index  int  // position in the run, for file-format and flavour rules
	Size   int  // headcount in the first year
	Format string
	// Surveyed is false for every fifth employer: its files leave the
	// survey-type columns (flextid, delade turer, kvällar och helger) empty.
	Surveyed bool
	// NBSP marks every fourth CSV employer, whose HR system writes the
	// thousands separator as a non-breaking space (0xA0) instead of a space.
	NBSP bool
}

func (e employer) kind() int {
	if e.Region {
		return 1
	}
	return 0
}

// planEmployers lists the employers in scope, sized in proportion to real
// population: kommuner by their own population 31 Dec 2019, regions by
// their county's, with kommunShare of the employees in kommuner.
func planEmployers(cfg Config, cal *calibration) ([]employer, error) {
	geos, err := data.Geos()
	if err != nil {
		return nil, err
	}
	scope := strings.TrimSpace(cfg.Municipalities)
	if scope != "all" {
		norm, ok := data.NormalizeGeoCode(scope)
		if g, found := data.GeoByCode(norm); !ok || !found || g.Kind != data.KindRegion {
			return nil, fmt.Errorf("gen: municipalities %q: want \"all\" or a county code such as \"14\"", cfg.Municipalities)
		}
		scope = norm
	}
	var kommuner, regions []employer
	countyPop := map[string]float64{}
	var kommunPopSum float64
	for _, g := range geos {
		if g.Kind != data.KindKommun || (scope != "all" && g.CountyCode != scope) {
			continue
		}
		p, ok := cal.Population[g.Code]
		if !ok {
			return nil, fmt.Errorf("gen: kommun %s %s has no population in calibration/population_2019.csv", g.Code, g.Name)
		}
		countyPop[g.CountyCode] += p.Total()
		kommunPopSum += p.Total()
		kommuner = append(kommuner, employer{Code: g.Code, Name: g.Name})
	}
	for _, g := range geos {
		if g.Kind == data.KindRegion && countyPop[g.Code] > 0 {
			regions = append(regions, employer{Code: g.Code, Name: g.RegionName, Region: true})
		}
	}
	size := func(share float64) int {
		n := int(math.Round(float64(cfg.Employees) * share))
		if n < cfg.MinPerEmployer {
			n = cfg.MinPerEmployer
		}
		if n < 1 {
			n = 1
		}
		return n
	}
	for i := range kommuner {
		kommuner[i].Size = size(kommunShare * cal.Population[kommuner[i].Code].Total() / kommunPopSum)
	}
	for i := range regions {
		regions[i].Size = size((1 - kommunShare) * countyPop[regions[i].Code] / kommunPopSum)
	}
	all := append(kommuner, regions...)
	sort.SliceStable(all, func(i, j int) bool { return all[i].Code < all[j].Code })
	csvIndex := 0
	for i := range all {
		e := &all[i]
		e.Index = i
		e.Surveyed = i%5 != 3
		switch cfg.Format {
		case FormatMixed:
			e.Format = FormatCSV
			if i%3 == 0 {
				e.Format = FormatXLSX
			}
		default:
			e.Format = cfg.Format
		}
		if e.Format == FormatCSV {
			e.NBSP = csvIndex%4 == 3
			csvIndex++
		}
	}
	return all, nil
}
