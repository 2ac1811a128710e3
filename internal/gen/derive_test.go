package gen

// This file derives the calibration tables under data/demo/calibration/ from
// the real SCB files under testdata/real/. Run
//
//	go test ./internal/gen -run TestCalibrationDerivation -update
//
// to rewrite them; without -update the test fails when a committed table
// differs from what the real files give, so the tables cannot drift from
// their provenance (data/demo/calibration/PROVENANCE.md describes the rules
// implemented here).

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/jamstat/jamstat/data"
)

var update = flag.Bool("update", false, "rewrite derived calibration tables and golden files")

const (
	realLon   = "../../testdata/real/se_scb_lonestruktur_lundqvist/"
	realKommu = "../../testdata/real/se_scb_kommun_by_sex_scbhandlerplotter/"
	calibDir  = "../../data/demo/calibration/"
	// wageGrowth is the yearly nominal wage growth used to move a wage from
	// the year SCB published it to the calibration year 2018 (about the
	// average yearly increase in the public sector 2014–2018 in the same file).
	wageGrowth = 1.025
)

// pxRow is one row of a PX-Web "CSV with headings" export: labels then
// one value per year; nil where SCB wrote "..".
type pxRow struct {
	labels []string
	vals   map[int]*float64
}

func readPXCSV(t *testing.T, path string, nLabels int) []pxRow {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	utf, err := charmap.ISO8859_1.NewDecoder().Bytes(raw)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	r := csv.NewReader(bytes.NewReader(utf))
	r.LazyQuotes = true
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	years := make([]int, 0, len(recs[0])-nLabels)
	for _, h := range recs[0][nLabels:] {
		y, err := strconv.Atoi(h)
		if err != nil {
			t.Fatalf("%s: header %q", path, h)
		}
		years = append(years, y)
	}
	out := make([]pxRow, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		row := pxRow{labels: rec[:nLabels], vals: map[int]*float64{}}
		for i, s := range rec[nLabels:] {
			s = strings.TrimSpace(s)
			if s == ".." || s == "" {
				row.vals[years[i]] = nil
				continue
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s: value %q", path, s)
			}
			row.vals[years[i]] = &v
		}
		out = append(out, row)
	}
	return out
}

// code3 returns the SSYK code at the start of a label like "214 Engineering professionals".
func code3(label string) string {
	f := strings.Fields(label)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

func sexOf(label string) string {
	switch strings.TrimSpace(label) {
	case "women":
		return "K"
	case "men":
		return "M"
	}
	return ""
}

type key3 struct{ region, sector, ssyk, sex string }

func index(rows []pxRow, regionCol, sectorCol, ssykCol, sexCol int) map[key3]pxRow {
	m := map[key3]pxRow{}
	for _, r := range rows {
		sector := ""
		if sectorCol >= 0 {
			sector = code3(r.labels[sectorCol])
		}
		m[key3{code3(r.labels[regionCol]), sector, code3(r.labels[ssykCol]), sexOf(r.labels[sexCol])}] = r
	}
	return m
}

// latest returns the value for year want, else the latest earlier year
// scaled forward by wageGrowth, else the earliest later year scaled back.
func latest(r pxRow, want int, scale bool) (float64, int, bool) {
	if v := r.vals[want]; v != nil {
		return *v, want, true
	}
	for y := want - 1; y >= want-6; y-- {
		if v := r.vals[y]; v != nil {
			f := 1.0
			if scale {
				f = math.Pow(wageGrowth, float64(want-y))
			}
			return *v * f, y, true
		}
	}
	for y := want + 1; y <= want+3; y++ {
		if v := r.vals[y]; v != nil {
			f := 1.0
			if scale {
				f = math.Pow(wageGrowth, float64(want-y))
			}
			return *v * f, y, true
		}
	}
	return 0, 0, false
}

func mixSSYK3(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(calibDir + "occupation_mix.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var out []string
	for _, r := range recs[1:] {
		if !seen[r[1]] {
			seen[r[1]] = true
			out = append(out, r[1])
		}
	}
	sort.Strings(out)
	return out
}

func deriveWages(t *testing.T, groups []string) []byte {
	pub := index(readPXCSV(t, realLon+"scb_AM0110_avg_monthly_salary_nuts2_pubpriv_ssyk2012_sex_2014_2018.csv", 4), 0, 1, 2, 3)
	all := index(readPXCSV(t, realLon+"scb_AM0110_avg_monthly_salary_nuts2_ssyk2012_sex_2014_2020.csv", 4), 0, 1, 2, 3)
	regions := []string{"SE11", "SE12", "SE21", "SE22", "SE23", "SE31", "SE32", "SE33"}
	var buf bytes.Buffer
	buf.WriteString("ssyk3,sex,wage_2018,source\n")
	for _, g := range groups {
		final := map[string]float64{}
		src := map[string]string{}
		for _, sex := range []string{"K", "M"} {
			if r, ok := pub[key3{"SE23", "1-3", g, sex}]; ok {
				if v, y, ok := latest(r, 2018, true); ok && y <= 2018 {
					final[sex] = v
					src[sex] = fmt.Sprintf("SE23 public %d", y)
					continue
				}
			}
			if r, ok := all[key3{"SE23", "0", g, sex}]; ok {
				if v, y, ok := latest(r, 2018, true); ok {
					final[sex] = v
					src[sex] = fmt.Sprintf("SE23 all sectors %d", y)
					continue
				}
			}
			var sum float64
			n := 0
			for _, reg := range regions {
				if r, ok := pub[key3{reg, "1-3", g, sex}]; ok {
					if v := r.vals[2018]; v != nil {
						sum += *v
						n++
					}
				}
			}
			if n > 0 {
				final[sex] = sum / float64(n)
				src[sex] = fmt.Sprintf("national public 2018 mean of %d regions", n)
			}
		}
		for _, sex := range []string{"K", "M"} {
			if _, ok := final[sex]; ok {
				continue
			}
			other := map[string]string{"K": "M", "M": "K"}[sex]
			v, ok := final[other]
			if !ok {
				t.Fatalf("SSYK %s: no wage for either sex in any source", g)
			}
			if sex == "K" {
				final[sex] = v * 0.96
			} else {
				final[sex] = v / 0.96
			}
			src[sex] = "other sex x 0.96 (women) or / 0.96 (men)"
		}
		for _, sex := range []string{"K", "M"} {
			fmt.Fprintf(&buf, "%s,%s,%.0f,%s\n", g, sex, final[sex], src[sex])
		}
	}
	return buf.Bytes()
}

func deriveShares(t *testing.T, groups []string) []byte {
	sec := index(readPXCSV(t, realLon+"scb_AM0110_num_employees_nuts2_sector_ssyk2012_sex_2015_2018_with_0000All.csv", 4), 0, 1, 2, 3)
	county := index(readPXCSV(t, realLon+"scb_AM0208_employees_county_ssyk2012_sex_2014_2017.csv", 3), 0, -1, 1, 2)
	var buf bytes.Buffer
	buf.WriteString("ssyk3,kommun_women,kommun_men,kommun_source,region_women,region_men,region_source\n")
	for _, g := range groups {
		var kw, km float64
		ksrc := ""
		rw, okw := sec[key3{"SE23", "2", g, "K"}]
		rm, okm := sec[key3{"SE23", "2", g, "M"}]
		if okw && okm {
			for y := 2018; y >= 2015; y-- {
				if rw.vals[y] != nil && rm.vals[y] != nil && *rw.vals[y]+*rm.vals[y] >= 50 {
					kw, km = *rw.vals[y], *rm.vals[y]
					ksrc = fmt.Sprintf("SE23 sector 2 %d", y)
					break
				}
			}
		}
		cw, okcw := county[key3{"14", "", g, "K"}]
		cm, okcm := county[key3{"14", "", g, "M"}]
		if !okcw || !okcm || cw.vals[2017] == nil || cm.vals[2017] == nil {
			t.Fatalf("SSYK %s: no AM0208 county 14 count", g)
		}
		if ksrc == "" {
			kw, km = *cw.vals[2017], *cm.vals[2017]
			ksrc = "county 14 all sectors 2017 (AM0208)"
		}
		fmt.Fprintf(&buf, "%s,%.0f,%.0f,%s,%.0f,%.0f,%s\n", g, kw, km, ksrc, *cw.vals[2017], *cm.vals[2017], "county 14 all sectors 2017 (AM0208)")
	}
	return buf.Bytes()
}

// derivePopulation sums SCB_alderkon.csv (population 31 Dec 2019 by kommun
// name, age and sex) into the age bands the generator needs, keyed by
// kommun code through data.GeoByName.
func derivePopulation(t *testing.T) []byte {
	b, err := os.ReadFile(realKommu + "SCB_alderkon.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	type bands struct{ tot, a10_17, a15, a19, a20_64, a16_84, a18p [2]float64 }
	pop := map[string]*bands{}
	names := map[string]string{}
	for _, r := range recs[1:] {
		g, ok := data.GeoByName(r[0])
		if !ok || g.Kind != data.KindKommun {
			t.Fatalf("SCB_alderkon.csv: kommun name %q has no code", r[0])
		}
		age, err := strconv.Atoi(strings.TrimSuffix(r[1], "+"))
		if err != nil {
			t.Fatalf("age %q", r[1])
		}
		s := 0
		if r[2] == "män" {
			s = 1
		}
		n, err := strconv.ParseFloat(r[3], 64)
		if err != nil {
			t.Fatalf("count %q", r[3])
		}
		p := pop[g.Code]
		if p == nil {
			p = &bands{}
			pop[g.Code] = p
			names[g.Code] = g.Name
		}
		p.tot[s] += n
		if age >= 10 && age <= 17 {
			p.a10_17[s] += n
		}
		if age == 15 {
			p.a15[s] += n
		}
		if age == 19 {
			p.a19[s] += n
		}
		if age >= 20 && age <= 64 {
			p.a20_64[s] += n
		}
		if age >= 16 && age <= 84 {
			p.a16_84[s] += n
		}
		if age >= 18 {
			p.a18p[s] += n
		}
	}
	if len(pop) != 290 {
		t.Fatalf("SCB_alderkon.csv: %d kommuner, want 290", len(pop))
	}
	codes := make([]string, 0, len(pop))
	for c := range pop {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var buf bytes.Buffer
	buf.WriteString("code,name,women,men,women_10_17,men_10_17,women_15,men_15,women_19,men_19,women_20_64,men_20_64,women_16_84,men_16_84,women_18p,men_18p\n")
	for _, c := range codes {
		p := pop[c]
		fmt.Fprintf(&buf, "%s,%s", c, names[c])
		for _, v := range [][2]float64{p.tot, p.a10_17, p.a15, p.a19, p.a20_64, p.a16_84, p.a18p} {
			fmt.Fprintf(&buf, ",%.0f,%.0f", v[0], v[1])
		}
		buf.WriteString("\n")
	}
	return buf.Bytes()
}

func TestCalibrationDerivation(t *testing.T) {
	groups := mixSSYK3(t)
	tables := map[string][]byte{
		"wages_se23.csv":       deriveWages(t, groups),
		"women_share_se23.csv": deriveShares(t, groups),
		"population_2019.csv":  derivePopulation(t),
	}
	for name, want := range tables {
		path := filepath.Join(calibDir, name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from its derivation from testdata/real; run with -update and review the diff", name)
		}
	}
}

// TestRealCopies checks that data/demo/real holds byte-identical copies of
// the real SCB files (and an exact line subset for the SE23 wage extract).
func TestRealCopies(t *testing.T) {
	same := map[string]string{
		"SCB_inkomster.csv": realKommu + "SCB_inkomster.csv",
		"BE0101D1.px":       "../../testdata/real/se_scb_px_pxweb_examples/BE0101D1.px",
	}
	for name, src := range same {
		a, err := os.ReadFile("../../data/demo/real/" + name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("data/demo/real/%s is not a byte-identical copy of %s", name, src)
		}
	}
	// SCB_alderkon.csv is the county-14 subset: the header and every line
	// whose kommun lies in Västra Götaland, byte for byte.
	alder, err := os.ReadFile(realKommu + "SCB_alderkon.csv")
	if err != nil {
		t.Fatal(err)
	}
	var wantAlder bytes.Buffer
	for i, line := range bytes.SplitAfter(alder, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		name, _, _ := strings.Cut(strings.TrimPrefix(string(line), `"`), `"`)
		if g, ok := data.GeoByName(name); i == 0 || (ok && g.Kind == data.KindKommun && g.CountyCode == "14") {
			wantAlder.Write(line)
		}
	}
	gotAlder, err := os.ReadFile("../../data/demo/real/SCB_alderkon.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gotAlder, wantAlder.Bytes()) {
		t.Error("data/demo/real/SCB_alderkon.csv is not the county-14 subset of the real file")
	}
	if n := bytes.Count(gotAlder, []byte("\n")); n != 1+49*101*2 {
		t.Errorf("SCB_alderkon.csv subset has %d lines, want %d", n, 1+49*101*2)
	}

	full, err := os.ReadFile(realLon + "scb_AM0110_avg_monthly_salary_nuts2_pubpriv_ssyk2012_sex_2014_2018.csv")
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	for i, line := range bytes.SplitAfter(full, []byte("\n")) {
		if i == 0 || bytes.HasPrefix(line, []byte(`"SE23 `)) {
			want.Write(line)
		}
	}
	got, err := os.ReadFile("../../data/demo/real/scb_AM0110_avg_monthly_salary_SE23_pubpriv_ssyk2012_sex_2014_2018.csv")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Error("SE23 wage extract is not the header plus the SE23 lines of the real file")
	}
	if n := bytes.Count(got, []byte("\n")); n != 601 {
		t.Errorf("SE23 extract has %d lines, want 601 (header + 150 SSYK x 2 sectors x 2 sexes)", n)
	}
}
