package gen

import (
	"encoding/csv"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/jamstat/jamstat/data"
)

// occupation is one modelled municipal or regional occupation (SSYK 2012
// four-digit) with its calibration.
type occupation struct {
	SSYK4, SSYK3 string
	AID          string // illustrative AID-style six-digit label, not SKR's real code list
	Title        string // Befattning as the employer writes it
	NameSv       string // SSYK 2012 Swedish name
	Profile      *profile
	KommunWeight float64 // real SE23 sector-2 headcount of the SSYK3 group x kommun_split
	RegionWeight float64 // illustrative per-mille of a region's workforce
	WageFactor   [2]float64
	Wage2018     [2]float64 // SE23 public sector mean monthly wage 2018 by sex (0 = K, 1 = M)
	WomenShare   [2]float64 // share of women for kommun (0) and region (1) employers
	Min          [2]int     // minimum headcount per kommun (0) and region (1) employer
}

// kommunPop is one kommun's population 31 Dec 2019 by sex and age band.
type kommunPop struct {
	Code, Name string
	Women, Men float64
	Bands      map[string][2]float64 // "10_17", "15", "19", "20_64", "16_84", "18p" -> women, men
}

func (k kommunPop) Total() float64 { return k.Women + k.Men }

// calibration holds the tables under data/demo/calibration/.
type calibration struct {
	Occupations []*occupation
	Population  map[string]*kommunPop // by kommun code
}

var (
	calOnce sync.Once
	calVal  *calibration
	calErr  error
)

func loadCalibration() (*calibration, error) {
	calOnce.Do(func() { calVal, calErr = readCalibration(data.Demo()) })
	return calVal, calErr
}

func readTable(fsys fs.FS, name string, cols int) ([][]string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("calibration %s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = cols
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("calibration %s: %w", name, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("calibration %s: no rows", name)
	}
	return recs[1:], nil
}

func atof(name string, line int, s string) (float64, error) {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("calibration %s line %d: number %q: %w", name, line, s, err)
	}
	return v, nil
}

func readCalibration(fsys fs.FS) (*calibration, error) {
	c := &calibration{Population: map[string]*kommunPop{}}

	names, err := readTable(fsys, "calibration/ssyk_kommun.csv", 3)
	if err != nil {
		return nil, err
	}
	nameSv := map[string]string{}
	for _, r := range names {
		nameSv[r[0]] = r[1]
	}

	wages, err := readTable(fsys, "calibration/wages_se23.csv", 4)
	if err != nil {
		return nil, err
	}
	wage := map[string][2]float64{}
	for i, r := range wages {
		v, err := atof("wages_se23.csv", i+2, r[2])
		if err != nil {
			return nil, err
		}
		w := wage[r[0]]
		switch r[1] {
		case "K":
			w[0] = v
		case "M":
			w[1] = v
		default:
			return nil, fmt.Errorf("calibration wages_se23.csv line %d: sex %q", i+2, r[1])
		}
		wage[r[0]] = w
	}

	shares, err := readTable(fsys, "calibration/women_share_se23.csv", 7)
	if err != nil {
		return nil, err
	}
	type shareRow struct {
		kommunCount float64
		kommunReal  bool
		share       [2]float64
	}
	share := map[string]shareRow{}
	for i, r := range shares {
		var v [4]float64
		for j, col := range []int{1, 2, 4, 5} {
			if v[j], err = atof("women_share_se23.csv", i+2, r[col]); err != nil {
				return nil, err
			}
		}
		if v[0]+v[1] <= 0 || v[2]+v[3] <= 0 {
			return nil, fmt.Errorf("calibration women_share_se23.csv line %d: zero headcount", i+2)
		}
		share[r[0]] = shareRow{
			kommunCount: v[0] + v[1],
			kommunReal:  strings.HasPrefix(r[3], "SE23 sector 2"),
			share:       [2]float64{v[0] / (v[0] + v[1]), v[2] / (v[2] + v[3])},
		}
	}

	mix, err := readTable(fsys, "calibration/occupation_mix.csv", 10)
	if err != nil {
		return nil, err
	}
	for i, r := range mix {
		line := i + 2
		p, ok := profiles[r[4]]
		if !ok {
			return nil, fmt.Errorf("calibration occupation_mix.csv line %d: unknown profile %q", line, r[4])
		}
		w, ok := wage[r[1]]
		if !ok {
			return nil, fmt.Errorf("calibration occupation_mix.csv line %d: SSYK %s has no wage", line, r[1])
		}
		s, ok := share[r[1]]
		if !ok {
			return nil, fmt.Errorf("calibration occupation_mix.csv line %d: SSYK %s has no women's share", line, r[1])
		}
		if _, ok := nameSv[r[0]]; !ok {
			return nil, fmt.Errorf("calibration occupation_mix.csv line %d: SSYK %s missing from ssyk_kommun.csv", line, r[0])
		}
		var f [6]float64
		for j, col := range []int{5, 6, 7, 8, 9} {
			if f[j], err = atof("occupation_mix.csv", line, r[col]); err != nil {
				return nil, err
			}
		}
		o := &occupation{
			SSYK4: r[0], SSYK3: r[1], AID: r[2], Title: r[3], NameSv: nameSv[r[0]], Profile: p,
			RegionWeight: f[1], WageFactor: [2]float64{f[2], f[2]}, Wage2018: w, WomenShare: s.share,
			Min: [2]int{int(f[3]), int(f[4])},
		}
		if f[0] > 0 {
			if !s.kommunReal {
				return nil, fmt.Errorf("calibration occupation_mix.csv line %d: SSYK %s has a kommun share but no SE23 sector-2 headcount", line, r[1])
			}
			o.KommunWeight = s.kommunCount * f[0]
		}
		c.Occupations = append(c.Occupations, o)
	}
	normaliseWageFactors(c.Occupations)

	pop, err := readTable(fsys, "calibration/population_2019.csv", 16)
	if err != nil {
		return nil, err
	}
	bands := []string{"", "10_17", "15", "19", "20_64", "16_84", "18p"}
	for i, r := range pop {
		k := &kommunPop{Code: r[0], Name: r[1], Bands: map[string][2]float64{}}
		for j, b := range bands {
			wv, err := atof("population_2019.csv", i+2, r[2+2*j])
			if err != nil {
				return nil, err
			}
			mv, err := atof("population_2019.csv", i+2, r[3+2*j])
			if err != nil {
				return nil, err
			}
			if b == "" {
				k.Women, k.Men = wv, mv
			} else {
				k.Bands[b] = [2]float64{wv, mv}
			}
		}
		if _, ok := data.GeoByCode(k.Code); !ok {
			return nil, fmt.Errorf("calibration population_2019.csv line %d: unknown kommun %s", i+2, k.Code)
		}
		c.Population[k.Code] = k
	}
	return c, nil
}

// normaliseWageFactors rescales the within-group wage factors so that, for
// each employer kind, the headcount-weighted mean factor of every SSYK
// three-digit group is 1: the group's mean wage then equals the
// calibration table and only the spread between four-digit occupations is
// illustrative. Index 0 is for kommun employers, 1 for regions.
func normaliseWageFactors(occs []*occupation) {
	for kind := 0; kind < 2; kind++ {
		sum := map[string]float64{}
		wsum := map[string]float64{}
		for _, o := range occs {
			w := o.KommunWeight
			if kind == 1 {
				w = o.RegionWeight
			}
			sum[o.SSYK3] += w * o.WageFactor[kind]
			wsum[o.SSYK3] += w
		}
		for _, o := range occs {
			if wsum[o.SSYK3] > 0 {
				o.WageFactor[kind] /= sum[o.SSYK3] / wsum[o.SSYK3]
			}
		}
	}
}
