package gen

import (
	"math"
	"testing"
)

// calibSink accumulates wages and sex per SSYK three-digit group for
// kommun employers (index 0) and regions (index 1).
type calibSink struct {
	region bool
	n      [2]map[string][2]float64 // women, men
	wage   [2]map[string][2]float64 // sum of wages by sex
}

func (c *calibSink) Begin(f FileInfo) error { c.region = len(f.Employer) == 2; return nil }
func (c *calibSink) End() error             { return nil }
func (c *calibSink) Write(r *Row) error {
	k := 0
	if c.region {
		k = 1
	}
	s := 0
	if r.Sex == "M" {
		s = 1
	}
	g := occBySSYK4[r.SSYK]
	n, w := c.n[k][g], c.wage[k][g]
	n[s]++
	w[s] += r.Wage
	c.n[k][g], c.wage[k][g] = n, w
	return nil
}

var occBySSYK4 = map[string]string{}

// TestCalibration generates the whole country for the calibration year
// 2018 and checks, per SSYK three-digit group with enough staff, that the
// women's share is within 2 percentage points of the calibration table and
// the mean wage by sex within 3 % of it (wages include age, arbetsledare
// and hourly-pay effects, so a small tolerance is needed).
func TestCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("large sample")
	}
	cal, err := loadCalibration()
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range cal.Occupations {
		occBySSYK4[o.SSYK4] = o.SSYK3
	}
	sink := &calibSink{}
	for k := 0; k < 2; k++ {
		sink.n[k] = map[string][2]float64{}
		sink.wage[k] = map[string][2]float64{}
	}
	cfg := Config{Seed: 3, Employees: 400000, Municipalities: "all", Years: [2]int{2018, 2018}, Format: FormatCSV}
	if _, err := Employees(cfg, sink); err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, o := range cal.Occupations {
		for k := 0; k < 2; k++ {
			n := sink.n[k][o.SSYK3]
			if n[0]+n[1] < 1500 {
				continue
			}
			// The table's share is per SSYK3; all four-digit occupations of a
			// group share it.
			share := n[0] / (n[0] + n[1])
			if math.Abs(share-o.WomenShare[k]) > 0.02 {
				t.Errorf("SSYK %s kind %d: women's share %.3f, calibration %.3f", o.SSYK3, k, share, o.WomenShare[k])
			}
			for s := 0; s < 2; s++ {
				if n[s] < 300 {
					continue
				}
				mean := sink.wage[k][o.SSYK3][s] / n[s]
				if rel := mean/o.Wage2018[s] - 1; math.Abs(rel) > 0.03 {
					t.Errorf("SSYK %s kind %d sex %d: mean wage %.0f, calibration %.0f (%.1f %%)", o.SSYK3, k, s, mean, o.Wage2018[s], 100*rel)
				}
			}
			checked++
		}
	}
	t.Logf("checked %d (occupation, employer kind) pairs", checked)
	if checked < 30 {
		t.Errorf("only %d groups had enough staff to check", checked)
	}
}
