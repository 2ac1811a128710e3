package reports

import (
	"fmt"
	"io"
	"testing"

	"github.com/jamstat/jamstat/data"
)

// syntheticFollowup is a county-sized follow-up: every municipality of
// county cc, six delmål with two goals each and three indicators per goal,
// ten years of county values.
func syntheticFollowup(tb testing.TB, cc string) *FollowupReport {
	geos, err := data.Geos()
	if err != nil {
		tb.Fatal(err)
	}
	var muns []Geo
	county := Geo{Code: cc}
	for _, g := range geos {
		if g.Kind == data.KindKommun && g.CountyCode == cc {
			muns = append(muns, Geo{g.Code, g.Name})
		}
		if g.Code == cc && g.Kind != data.KindKommun {
			county.Name = g.Name
		}
	}
	r := fixtureFollowup("sv")
	r.County = county
	r.Goals, r.Groups = nil, nil
	for d := 1; d <= 6; d++ {
		for gi := 0; gi < 2; gi++ {
			g := GoalSection{Delmal: []int{d}, GoalID: fmt.Sprintf("g%d-%d", d, gi), Goal: fmt.Sprintf("Mål %d.%d för ett jämställt län", d, gi)}
			for ii := 0; ii < 3; ii++ {
				seed := d*100 + gi*10 + ii
				ind := IndicatorSeries{ID: fmt.Sprintf("i%d", seed), Title: fmt.Sprintf("Indikator %d", seed), Unit: "%", Decimals: 1, Polarity: Parity, Target: f64(50)}
				for y := 2014; y <= 2023; y++ {
					w := 40 + float64((seed+y)%13)
					ind.County = append(ind.County, YearValues{Year: y, Women: Num(w, 500), Men: Num(100-w, 500), Total: Num(100, 1000)})
				}
				for mi, m := range muns {
					w := 30 + float64((seed*7+mi*3)%40)
					gv := GeoValues{Geo: m, Women: Num(w, 50), Men: Num(100-w, 50), Total: Num(100, 100), Direction: Better}
					if (seed+mi)%11 == 0 {
						gv.Women, gv.Men = Suppressed(2), Suppressed(3)
					}
					ind.Municipalities = append(ind.Municipalities, gv)
				}
				ind.Baseline, ind.Latest, ind.Direction = YearValue{2020, Num(44, 500)}, YearValue{2023, Num(46, 500)}, Better
				g.Indicators = append(g.Indicators, ind)
			}
			r.Goals = append(r.Goals, g)
		}
	}
	return r
}

// BenchmarkFollowupReport writes the HTML and the PDF of a follow-up for
// Västra Götaland (49 municipalities, 36 indicators).
func BenchmarkFollowupReport(b *testing.B) {
	r := syntheticFollowup(b, "14")
	for b.Loop() {
		if err := WriteFollowupHTML(io.Discard, r); err != nil {
			b.Fatal(err)
		}
		if err := WriteFollowupPDF(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}
