package indicators

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/jamstat/jamstat/ingest"
	"github.com/jamstat/jamstat/store"
)

const realDir = "../testdata/real"

func loadReal(t *testing.T, db *store.DB, rel string) {
	t.Helper()
	p := filepath.Join(realDir, rel)
	_, err := db.Load(context.Background(), store.LoadInfo{DatasetID: rel, SourceFile: p}, func(s ingest.Sink) (ingest.Meta, error) {
		return ingest.ParseFile(p, ingest.Options{File: p}, s)
	})
	if err != nil {
		t.Fatalf("load %s: %v", rel, err)
	}
}

func oneValue(t *testing.T, db *store.DB, ind, geo, period, sex, group, method string) (value, num, den *float64, status string) {
	t.Helper()
	vals, err := Values(context.Background(), db, Filter{Indicators: []string{ind}, Geos: []string{geo}, Periods: []string{period}, Sexes: []string{sex}, Groups: []string{group}, Methods: []string{method}})
	if err != nil {
		t.Fatal(err)
	}
	if len(vals) != 1 {
		t.Fatalf("%s %s %s %s %q %s: %d rows, want 1", ind, geo, period, sex, group, method, len(vals))
	}
	return vals[0].Value, vals[0].Numerator, vals[0].Denominator, vals[0].Status
}

// Real SCB files through ingest, store and the indicator engine, checked
// against figures computed here independently of jamstat's SQL.
func TestRealSCBFiles(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Memory)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	loadReal(t, db, "se_scb_px_pxweb_examples/BE0101A1.px")
	wageFile := "se_scb_lonestruktur_lundqvist/scb_AM0110_avg_monthly_salary_nuts2_ssyk2012_sex_2014_2020.csv"
	loadReal(t, db, wageFile)
	cat, err := LoadCatalogue("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compute(ctx, db, cat, ComputeOptions{Indicators: []string{"befolkning-lan-kvinnor-andel", "lon-yrke-kvinnor-pct"}}); err != nil {
		t.Fatal(err)
	}

	// Population: sum the PX cells per county and sex straight from the parser.
	var sink ingest.MemorySink
	if _, err := ingest.ParseFile(filepath.Join(realDir, "se_scb_px_pxweb_examples/BE0101A1.px"), ingest.Options{}, &sink); err != nil {
		t.Fatal(err)
	}
	sum := map[string]float64{}
	for _, o := range sink.Observations {
		sum[o.GeoCode+"|"+o.Period+"|"+o.Sex] += *o.Value
	}
	for _, c := range []struct{ geo, period string }{{"14", "2005"}, {"01", "2004"}, {"25", "2005"}} {
		k, m := sum[c.geo+"|"+c.period+"|K"], sum[c.geo+"|"+c.period+"|M"]
		v, num, den, _ := oneValue(t, db, "befolkning-lan-kvinnor-andel", c.geo, c.period, "T", "", MethodDirect)
		if v == nil || math.Abs(*v-100*k/(k+m)) > 1e-9 || *num != k || *den != k+m {
			t.Errorf("county %s %s: share %v (%v/%v), want %v (%v/%v)", c.geo, c.period, deref(v), deref(num), deref(den), 100*k/(k+m), k, k+m)
		}
	}
	// Sweden pools the 21 counties; SCB's own total for 2005 is 9 047 752.
	v, _, den, _ := oneValue(t, db, "befolkning-lan-kvinnor-andel", "0000", "2005", "T", "", MethodWeighted)
	if den == nil || *den != 9047752 {
		t.Errorf("Sweden 2005 population %v, want 9047752", deref(den))
	}
	t.Logf("women's share of Sweden's population 2005: %.3f %%", *v)

	// Wages: read the CSV here with encoding/csv and Latin-1.
	f, err := os.Open(filepath.Join(realDir, wageFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(charmap.ISO8859_1.NewDecoder().Reader(f)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	wage := map[string]string{} // region|ssyk|sex|year → cell
	for _, r := range rows[1:] {
		region := strings.Fields(r[0])[0]
		ssyk := strings.Fields(r[2])[0]
		for _, y := range []string{"2014", "2018", "2020"} {
			wage[region+"|"+ssyk+"|"+r[3]+"|"+y] = r[col[y]]
		}
	}
	checked := 0
	for _, c := range []struct{ region, ssyk, year string }{
		{"SE23", "214", "2018"}, {"SE23", "222", "2020"}, {"SE11", "533", "2014"}, {"SE23", "532", "2018"}, {"SE33", "011", "2014"},
	} {
		w, m := wage[c.region+"|"+c.ssyk+"|women|"+c.year], wage[c.region+"|"+c.ssyk+"|men|"+c.year]
		v, _, _, status := oneValue(t, db, "lon-yrke-kvinnor-pct", c.region, c.year, "T", "occupation:"+c.ssyk, MethodDirect)
		if w == ".." || m == ".." {
			if v != nil || status != ".." {
				t.Errorf("%v: SCB suppressed a cell (%s/%s) but jamstat gives %v status %q", c, w, m, deref(v), status)
			}
			checked++
			continue
		}
		wf, _ := strconv.ParseFloat(w, 64)
		mf, _ := strconv.ParseFloat(m, 64)
		if v == nil || math.Abs(*v-100*wf/mf) > 1e-9 {
			t.Errorf("%v: women's wage %v%% of men's, want %v (%s/%s)", c, deref(v), 100*wf/mf, w, m)
		}
		checked++
	}
	if checked != 5 {
		t.Fatal("not every case was checked")
	}
}
