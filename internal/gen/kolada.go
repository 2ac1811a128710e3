package gen

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jamstat/jamstat/data"
)

// KPI describes one generated Kolada series. IDs and titles are Kolada's
// own (checked against Kolada's KPI catalogue in a test); the VALUES are
// SYNTHETIC.
type KPI struct {
	ID       string
	Title    string
	Delmal   int    // national gender-equality sub-goal (1–6) it follows up
	Follows  string // what it follows up, for the README
	Type     string // "K" kommun, "L" region, "A" both (Kolada's municipality_type)
	Gendered bool   // T/K/M; false = T only
	Source   string // "synthetic", "hr" (computed from the demo HR files), "income" (projection of real SCB 2018 medians), "election"
	// Count names what `count` holds: a population band ("20_64" ...),
	// "respondents", "recipients", "seats", "employees" or "members"
	// (number of contributing kommuner, Kolada's own meaning).
	Count     string
	Base      [2]float64 // Sweden's level in 2019 (women, men; T-only series use Base[0])
	Trend     [2]float64 // change per year
	Shock     [2]float64 // extra change in 2020–2021 (pandemic)
	Noise     float64    // s.d. of the stable kommun effect
	Decimals  int
	Min, Max  float64
	Suppress  float64 // K and M become ".." when either sex's count is below this
	SurveyPop float64 // kommuner below this population get ".." throughout (survey too small)
}

// KPIs is the demo's Kolada series, covering all six delmål.
var KPIs = []KPI{
	{ID: "N05815", Title: "Kvinnor i kommunfullmäktige, andel (%)", Delmal: 1, Follows: "women's share of power in the kommun assembly", Type: "K", Source: "election", Count: "seats", Base: [2]float64{0.437}, Noise: 0.05, Decimals: 1, Min: 15, Max: 70},
	{ID: "N65815", Title: "Kvinnor i regionfullmäktige, andel (%)", Delmal: 1, Follows: "women's share of power in the regional assembly", Type: "L", Source: "election", Count: "seats", Base: [2]float64{0.475}, Noise: 0.03, Decimals: 1, Min: 15, Max: 70},
	{ID: "N00906", Title: "Sammanräknad förvärvsinkomst i åldern 20-64 år (median), kr", Delmal: 2, Follows: "income gap between women and men", Type: "A", Gendered: true, Source: "income", Count: "20_64", Decimals: 0},
	{ID: "N02267", Title: "Sysselsättningsgrad 20-64 år, andel (%)", Delmal: 2, Follows: "employment of women and men", Type: "A", Gendered: true, Source: "synthetic", Count: "20_64", Base: [2]float64{79.5, 83.5}, Trend: [2]float64{0.25, 0.15}, Shock: [2]float64{-0.8, -1.0}, Noise: 3.0, Decimals: 1, Min: 55, Max: 95},
	{ID: "N00206", Title: "Heltidsanställda månadsavlönade, kommun, andel (%)", Delmal: 2, Follows: "full-time employment in the kommun as employer (heltid som norm)", Type: "K", Gendered: true, Source: "hr", Count: "employees", Base: [2]float64{68, 80}, Trend: [2]float64{1.5, 0.5}, Decimals: 1},
	{ID: "N00207", Title: "Deltidsanställda (75-99 %) månadsavlönade, kommun, andel (%)", Delmal: 2, Follows: "part-time employment, 75–99 %", Type: "K", Gendered: true, Source: "hr", Count: "employees", Base: [2]float64{23, 12}, Trend: [2]float64{-1.0, -0.3}, Decimals: 1},
	{ID: "N00208", Title: "Deltidsanställda (1-74 %) månadsavlönade, kommun, andel (%)", Delmal: 2, Follows: "part-time employment, 1–74 %", Type: "K", Gendered: true, Source: "hr", Count: "employees", Base: [2]float64{9, 8}, Trend: [2]float64{-0.5, -0.2}, Decimals: 1},
	{ID: "N00090", Title: "Sjukfrånvaro totalt bland anställda, kommun, andel (%)", Delmal: 5, Follows: "sick leave among kommun employees (working conditions, health)", Type: "K", Gendered: true, Source: "hr", Count: "employees", Base: [2]float64{8.1, 5.2}, Decimals: 1},
	{ID: "N60030", Title: "Sjukfrånvaro totalt bland anställda, region, andel (%)", Delmal: 5, Follows: "sick leave among region employees", Type: "L", Gendered: true, Source: "hr", Count: "employees", Base: [2]float64{6.9, 4.4}, Decimals: 1},
	{ID: "N60074", Title: "Heltidsanställda månadsavlönade, region, andel (%)", Delmal: 2, Follows: "full-time employment in the region as employer", Type: "L", Gendered: true, Source: "hr", Count: "employees", Base: [2]float64{70, 84}, Trend: [2]float64{1.0, 0.3}, Decimals: 1},
	{ID: "N00953", Title: "Kvinnors medianlön som andel av mäns medianlön, kommunalt anställda, andel (%)", Delmal: 2, Follows: "wage gap among kommun employees", Type: "K", Source: "hr", Count: "employees", Base: [2]float64{93.5}, Trend: [2]float64{0.3}, Decimals: 1},
	{ID: "N31825", Title: "Biståndsmottagare, ekonomiskt bistånd, 18+ år, andel (%) av befolkningen", Delmal: 2, Follows: "economic vulnerability (own support)", Type: "K", Gendered: true, Source: "synthetic", Count: "18p", Base: [2]float64{3.6, 3.4}, Trend: [2]float64{-0.12, -0.1}, Noise: 1.2, Decimals: 1, Min: 0.3, Max: 15},
	{ID: "N17461", Title: "Gymnasieelever med examen inom 4 år, hemkommun, andel (%)", Delmal: 3, Follows: "upper-secondary completion of girls and boys", Type: "A", Gendered: true, Source: "synthetic", Count: "19", Base: [2]float64{75.5, 68.5}, Trend: [2]float64{0.3, 0.4}, Noise: 5, Decimals: 1, Min: 40, Max: 98, Suppress: 25},
	{ID: "N15428", Title: "Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel (%)", Delmal: 3, Follows: "eligibility for upper secondary school, girls and boys (boys' school results)", Type: "A", Gendered: true, Source: "synthetic", Count: "15", Base: [2]float64{86.5, 83.0}, Trend: [2]float64{-0.1, 0.1}, Noise: 4, Decimals: 1, Min: 55, Max: 100, Suppress: 20},
	{ID: "N15507", Title: "Elever i åk 9, meritvärde, hemkommun, genomsnitt (17 ämnen)", Delmal: 3, Follows: "grade point average in year 9, girls and boys", Type: "K", Gendered: true, Source: "synthetic", Count: "15", Base: [2]float64{243, 214}, Trend: [2]float64{0.4, 0.8}, Noise: 11, Decimals: 1, Min: 150, Max: 290, Suppress: 20},
	{ID: "N00943", Title: "Föräldrapenningdagar som tas ut av män, andel av antal dagar (%)", Delmal: 4, Follows: "men's share of parental leave (unpaid care work)", Type: "A", Source: "synthetic", Count: "members", Base: [2]float64{30.2}, Trend: [2]float64{0.3}, Noise: 2.5, Decimals: 1, Min: 15, Max: 50},
	{ID: "N00945", Title: "Tillfälliga föräldrapenningdagar (VAB) som tas ut av män, andel av antal dagar (%)", Delmal: 4, Follows: "men's share of days caring for a sick child", Type: "A", Source: "synthetic", Count: "members", Base: [2]float64{38.3}, Trend: [2]float64{0.1}, Noise: 2, Decimals: 1, Min: 25, Max: 50},
	{ID: "N00939", Title: "Uttagna dagar med föräldrapenning, antal/mottagare", Delmal: 4, Follows: "parental-leave days per recipient, women and men", Type: "K", Gendered: true, Source: "synthetic", Count: "recipients", Base: [2]float64{101, 47}, Trend: [2]float64{-0.6, 0.5}, Noise: 6, Decimals: 1, Min: 20, Max: 160},
	{ID: "N00957", Title: "Ohälsotal, dagar", Delmal: 5, Follows: "days with sickness and activity benefits, women and men", Type: "A", Gendered: true, Source: "synthetic", Count: "20_64", Base: [2]float64{26.5, 17.2}, Trend: [2]float64{-0.7, -0.4}, Noise: 5, Decimals: 1, Min: 5, Max: 60},
	{ID: "U01405", Title: "Invånare med bra självskattat hälsotillstånd, andel (%)", Delmal: 5, Follows: "self-rated good health, women and men", Type: "A", Gendered: true, Source: "synthetic", Count: "respondents", Base: [2]float64{70.5, 75.5}, Trend: [2]float64{-0.1, 0}, Noise: 2.5, Decimals: 1, Min: 50, Max: 90, SurveyPop: 20000},
	{ID: "N33820", Title: "Psykisk ohälsa bland barn och unga, andel (%)", Delmal: 5, Follows: "mental ill-health among girls and boys (regional goal: girls' and young women's mental health)", Type: "K", Gendered: true, Source: "synthetic", Count: "10_17", Base: [2]float64{11.5, 9.8}, Trend: [2]float64{0.35, 0.15}, Noise: 1.5, Decimals: 1, Min: 3, Max: 25},
	{ID: "N07549", Title: "Anmälda misshandelsbrott mot kvinna, inomhus, bekant med offret, antal/100 000 inv", Delmal: 6, Follows: "reported assaults on women by someone they know (men's violence against women)", Type: "K", Source: "synthetic", Count: "members", Base: [2]float64{148}, Trend: [2]float64{-1.5}, Noise: 40, Decimals: 1, Min: 20, Max: 400},
	{ID: "N07402", Title: "Anmälda brott om grov kvinnofridskränkning i kommunen, antal/100 000 inv", Delmal: 6, Follows: "reported gross violations of a woman's integrity", Type: "K", Source: "synthetic", Count: "members", Base: [2]float64{13.5}, Trend: [2]float64{-0.2}, Noise: 6, Decimals: 1, Min: 0, Max: 60},
	{ID: "N01460", Title: "Invånare 16-84 år som utsatts för våld eller hot om våld, andel (%)", Delmal: 6, Follows: "exposure to violence or threats, women and men", Type: "A", Gendered: true, Source: "synthetic", Count: "respondents", Base: [2]float64{6.4, 7.6}, Trend: [2]float64{-0.05, -0.1}, Noise: 1.2, Decimals: 1, Min: 1, Max: 20, SurveyPop: 20000},
}

// Kolada geo codes for the county and Sweden.
func koladaCounty(cc string) string { return "00" + cc }

const koladaSweden = "0000"

type koladaVal struct {
	Gender string   `json:"gender"`
	Value  *float64 `json:"value"`
	Count  int      `json:"count"`
	Status string   `json:"status"`
}

type koladaRow struct {
	KPI          string      `json:"kpi"`
	Municipality string      `json:"municipality"`
	Period       int         `json:"period"`
	Values       []koladaVal `json:"values"`
}

// cell is one sex's value before rounding; ok false means suppressed.
type cell struct {
	v   float64
	n   float64
	ok  bool
	set bool
}

// koladaGen holds what the series are computed from.
type koladaGen struct {
	cfg     Config
	cal     *calibration
	county  []string // the counties in scope
	kommun  []string // kommun codes in scope, sorted
	byCode  map[string]*hrStats
	income  map[string][3]float64 // kommun -> real 2018 median (tkr) K, M, T for 20+
	regions map[string]bool
}

// writeKolada writes one JSON file per KPI under Out/kolada/.
func writeKolada(cfg Config, cal *calibration, emps []employer, stats []*hrStats) ([]string, error) {
	g := &koladaGen{cfg: cfg, cal: cal, byCode: map[string]*hrStats{}, regions: map[string]bool{}}
	seen := map[string]bool{}
	for i, e := range emps {
		g.byCode[e.Code] = stats[i]
		if e.Region {
			g.regions[e.Code] = true
			continue
		}
		g.kommun = append(g.kommun, e.Code)
		cc := e.Code[:2]
		if !seen[cc] {
			seen[cc] = true
			g.county = append(g.county, cc)
		}
	}
	inc, err := readRealIncome()
	if err != nil {
		return nil, err
	}
	g.income = inc
	dir := filepath.Join(cfg.Out, "kolada")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	var files []string
	for _, k := range KPIs {
		rows := g.series(k)
		rel := filepath.Join("kolada", k.ID+".json")
		if err := writeKoladaFile(filepath.Join(cfg.Out, rel), k, rows, cfg.Seed); err != nil {
			return nil, err
		}
		files = append(files, rel)
	}
	return files, nil
}

func writeKoladaFile(path string, k KPI, rows []koladaRow, seed uint64) error {
	var buf bytes.Buffer
	note, _ := json.Marshal(fmt.Sprintf("SYNTHETIC values generated by jamstat gen (seed %d) for the demo; KPI id and title are Kolada's, the numbers are not Kolada's: %s", seed, k.Title))
	buf.WriteString(`{"jamstat_note":`)
	buf.Write(note)
	buf.WriteString(",\"values\":[\n")
	for i, r := range rows {
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("gen: %s: %w", path, err)
		}
		buf.Write(b)
		if i < len(rows)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]}\n")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	return nil
}

// readRealIncome reads the real SCB 2018 median income (tkr) for ages 20+
// by kommun and sex from the embedded data/demo/real/SCB_inkomster.csv.
func readRealIncome() (map[string][3]float64, error) {
	f, err := data.Demo().Open("real/SCB_inkomster.csv")
	if err != nil {
		return nil, fmt.Errorf("gen: %w", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(bufio.NewReader(f)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("gen: real/SCB_inkomster.csv: %w", err)
	}
	out := map[string][3]float64{}
	for i, r := range recs[1:] {
		if len(r) != 5 || r[2] != "totalt 20+ år" || r[3] != "Median" {
			continue
		}
		g, ok := data.GeoByName(r[0])
		if !ok {
			return nil, fmt.Errorf("gen: real/SCB_inkomster.csv line %d: unknown kommun %q", i+2, r[0])
		}
		v, err := strconv.ParseFloat(r[4], 64)
		if err != nil {
			return nil, fmt.Errorf("gen: real/SCB_inkomster.csv line %d: %w", i+2, err)
		}
		x := out[g.Code]
		switch r[1] {
		case "kvinnor":
			x[0] = v
		case "män":
			x[1] = v
		case "totalt":
			x[2] = v
		}
		out[g.Code] = x
	}
	return out, nil
}

func (g *koladaGen) rng(parts ...string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(strings.Join(parts, "|")))
	return rand.New(rand.NewPCG(g.cfg.Seed, h.Sum64()))
}

func round(v float64, d int) float64 {
	p := math.Pow10(d)
	return math.Round(v*p) / p
}

func clamp(v, lo, hi float64) float64 {
	if hi > lo {
		return math.Max(lo, math.Min(hi, v))
	}
	return v
}

// count returns the persons (or seats, members ...) behind a kommun's value for sex s.
func (g *koladaGen) count(k KPI, code string, s int) float64 {
	p := g.cal.Population[code]
	switch k.Count {
	case "respondents":
		return math.Round(p.Bands["16_84"][s] * 0.006)
	case "recipients":
		return math.Round(p.Bands["20_64"][s] * [2]float64{0.065, 0.06}[s])
	case "members", "seats", "employees":
		return 1
	}
	return p.Bands[k.Count][s]
}

func (g *koladaGen) level(k KPI, s, year int) float64 {
	v := k.Base[s] + k.Trend[s]*float64(year-2019)
	if year == 2020 || year == 2021 {
		v += k.Shock[s]
	}
	return v
}

func (g *koladaGen) years() []int {
	var ys []int
	for y := g.cfg.Years[0]; y <= g.cfg.Years[1]; y++ {
		ys = append(ys, y)
	}
	return ys
}

// series computes every row of one KPI: Sweden, the counties, the kommuner.
func (g *koladaGen) series(k KPI) []koladaRow {
	var rows []koladaRow
	kommunCells := map[string]map[int][3]cell{}
	if k.Type != "L" {
		for _, code := range g.kommun {
			kommunCells[code] = g.kommunSeries(k, code)
		}
	}
	for _, y := range g.years() {
		rows = append(rows, g.row(k, koladaSweden, y, g.swedenCells(k, y)))
	}
	for _, cc := range g.county {
		for _, y := range g.years() {
			var cs [3]cell
			if k.Type == "L" {
				cs = g.regionCells(k, cc, y)
			} else {
				cs = g.countyCells(k, cc, y, kommunCells)
			}
			rows = append(rows, g.row(k, koladaCounty(cc), y, cs))
		}
	}
	for _, code := range g.kommun {
		if k.Type == "L" {
			break
		}
		for _, y := range g.years() {
			rows = append(rows, g.row(k, code, y, kommunCells[code][y]))
		}
	}
	return rows
}

// row turns cells (K, M, T) into a Kolada data row.
func (g *koladaGen) row(k KPI, geo string, year int, cs [3]cell) koladaRow {
	r := koladaRow{KPI: k.ID, Municipality: geo, Period: year}
	genders := []string{"K", "M", "T"}
	idx := []int{0, 1, 2}
	if !k.Gendered {
		idx = []int{2}
	}
	for _, i := range idx {
		c := cs[i]
		kv := koladaVal{Gender: genders[i], Count: int(math.Round(c.n)), Status: ""}
		if c.ok {
			v := round(c.v, k.Decimals)
			kv.Value = &v
		} else {
			kv.Status = ".."
		}
		r.Values = append(r.Values, kv)
	}
	return r
}

// kommunSeries makes one kommun's cells for every year.
func (g *koladaGen) kommunSeries(k KPI, code string) map[int][3]cell {
	out := map[int][3]cell{}
	p := g.cal.Population[code]
	switch k.Source {
	case "hr":
		for _, y := range g.years() {
			out[y] = hrCells(k, g.byCode[code], y)
		}
		return out
	case "income":
		inc := g.income[code]
		r := g.rng(k.ID, code)
		for _, y := range g.years() {
			var cs [3]cell
			for s := 0; s < 3; s++ {
				f := 1.12 * math.Pow(1.03, float64(y-2018)) * (1 + 0.004*r.NormFloat64())
				cs[s] = cell{v: round(inc[s]*1000*f, -2), ok: inc[s] > 0, set: true}
			}
			cs[0].n, cs[1].n = p.Bands["20_64"][0], p.Bands["20_64"][1]
			cs[2].n = cs[0].n + cs[1].n
			out[y] = cs
		}
		return out
	case "election":
		r := g.rng(k.ID, code)
		seats := kommunSeats(code, p)
		eff := k.Noise * r.NormFloat64()
		var women [2]float64
		for term := 0; term < 2; term++ {
			pw := clamp(k.Base[0]+0.01*float64(term)+eff, 0.2, 0.65)
			for i := 0; i < int(seats); i++ {
				if r.Float64() < pw {
					women[term]++
				}
			}
		}
		for _, y := range g.years() {
			term := 0
			if y >= 2023 {
				term = 1
			}
			out[y] = [3]cell{2: {v: 100 * women[term] / seats, n: seats, ok: true, set: true}}
		}
		return out
	}
	r := g.rng(k.ID, code)
	scale := clamp(math.Sqrt(30000/p.Total()), 0.7, 2)
	eff := k.Noise * scale * r.NormFloat64()
	effS := [2]float64{k.Noise / 3 * r.NormFloat64(), k.Noise / 3 * r.NormFloat64()}
	for _, y := range g.years() {
		var cs [3]cell
		if !k.Gendered {
			v := g.level(k, 0, y) + eff + k.Noise*0.15*scale*r.NormFloat64()
			cs[2] = cell{v: clamp(v, k.Min, k.Max), n: g.count(k, code, 0), ok: true, set: true}
			out[y] = cs
			continue
		}
		for s := 0; s < 2; s++ {
			v := g.level(k, s, y) + eff + effS[s] + k.Noise*0.15*scale*r.NormFloat64()
			cs[s] = cell{v: clamp(v, k.Min, k.Max), n: g.count(k, code, s), ok: true, set: true}
		}
		cs[2] = cell{v: (cs[0].v*cs[0].n + cs[1].v*cs[1].n) / (cs[0].n + cs[1].n), n: cs[0].n + cs[1].n, ok: true, set: true}
		if k.SurveyPop > 0 && p.Total() < k.SurveyPop {
			for s := range cs {
				cs[s].ok = false
			}
		}
		if k.Suppress > 0 && (cs[0].n < k.Suppress || cs[1].n < k.Suppress) {
			// Hide both sexes so neither can be recovered from T and the other.
			cs[0].ok, cs[1].ok = false, false
			if cs[2].n < k.Suppress {
				cs[2].ok = false
			}
		}
		out[y] = cs
	}
	return out
}

// kommunSeats is the size of a kommunfullmäktige by the Swedish local
// government act's rule on eligible voters (approximated by residents 18+).
func kommunSeats(code string, p *kommunPop) float64 {
	if code == "1480" {
		return 81
	}
	voters := p.Bands["18p"][0] + p.Bands["18p"][1]
	switch {
	case voters <= 12000:
		return 31
	case voters <= 24000:
		return 41
	case voters <= 36000:
		return 51
	}
	return 61
}

// hrCells computes a personnel KPI from one employer's (or a pooled) HR
// figures for a year.
func hrCells(k KPI, st *hrStats, y int) [3]cell {
	var cs [3]cell
	if st == nil || st.byYear[y] == nil {
		return cs
	}
	a := st.byYear[y]
	var tot hrAgg
	tot.merge(&a[0])
	tot.merge(&a[1])
	aggs := [3]*hrAgg{&a[0], &a[1], &tot}
	if k.ID == "N00953" {
		mw, mm := median(a[0].wages), median(a[1].wages)
		if mm > 0 && len(a[0].wages) > 0 {
			cs[2] = cell{v: 100 * mw / mm, n: tot.monthly, ok: true, set: true}
		}
		return cs
	}
	for s, ag := range aggs {
		if ag.monthly == 0 {
			continue
		}
		var v float64
		switch k.ID {
		case "N00206", "N60074":
			v = 100 * ag.full / ag.monthly
		case "N00207":
			v = 100 * ag.p75 / ag.monthly
		case "N00208":
			v = 100 * ag.p1 / ag.monthly
		case "N00090", "N60030":
			if ag.sched == 0 {
				continue
			}
			v = 100 * ag.sick / ag.sched
		}
		cs[s] = cell{v: v, n: ag.monthly, ok: true, set: true}
	}
	return cs
}

// countyCells pools a county's kommun values: HR figures are pooled over
// the kommuner's staff; other series are count-weighted means of the
// kommuner's published (unsuppressed) values, with count summed (or, for
// "members", the number of contributing kommuner).
func (g *koladaGen) countyCells(k KPI, cc string, y int, kc map[string]map[int][3]cell) [3]cell {
	if k.Source == "hr" {
		pooled := newHRStats()
		agg := &[2]hrAgg{}
		for _, code := range g.kommun {
			if code[:2] != cc || g.byCode[code] == nil || g.byCode[code].byYear[y] == nil {
				continue
			}
			a := g.byCode[code].byYear[y]
			agg[0].merge(&a[0])
			agg[1].merge(&a[1])
		}
		pooled.byYear[y] = agg
		return hrCells(k, pooled, y)
	}
	var cs [3]cell
	if k.Source == "election" {
		var women, seats float64
		for _, code := range g.kommun {
			if code[:2] != cc {
				continue
			}
			c := kc[code][y][2]
			women += c.v * c.n / 100
			seats += c.n
		}
		cs[2] = cell{v: 100 * women / seats, n: seats, ok: seats > 0, set: true}
		return cs
	}
	for s := 0; s < 3; s++ {
		var sum, w, n, members float64
		for _, code := range g.kommun {
			if code[:2] != cc {
				continue
			}
			c := kc[code][y][s]
			if !c.ok {
				continue
			}
			weight := c.n
			if k.Count == "members" || k.Source == "income" {
				weight = g.cal.Population[code].Total()
			}
			sum += c.v * weight
			w += weight
			n += c.n
			members++
		}
		if w == 0 {
			continue
		}
		if k.Count == "members" {
			n = members
		}
		cs[s] = cell{v: sum / w, n: n, ok: true, set: true}
	}
	return cs
}

// regionCells is a region-type KPI for county cc: from the region's HR
// file when it is in scope, else synthetic.
func (g *koladaGen) regionCells(k KPI, cc string, y int) [3]cell {
	if k.Source == "hr" {
		return hrCells(k, g.byCode[cc], y)
	}
	r := g.rng(k.ID, cc)
	seats := 149.0
	eff := k.Noise * r.NormFloat64()
	term := 0.0
	if y >= 2023 {
		term = 1
	}
	var women float64
	pw := clamp(k.Base[0]+0.01*term+eff, 0.2, 0.65)
	r2 := g.rng(k.ID, cc, fmt.Sprint(term))
	for i := 0; i < int(seats); i++ {
		if r2.Float64() < pw {
			women++
		}
	}
	return [3]cell{2: {v: 100 * women / seats, n: seats, ok: true, set: true}}
}

// swedenCells is Sweden's synthetic level: the KPI's base and trend (no
// kommun effect); counts are national totals where they are known.
func (g *koladaGen) swedenCells(k KPI, y int) [3]cell {
	var cs [3]cell
	var natBand [2]float64
	for _, p := range g.cal.Population {
		for s := 0; s < 2; s++ {
			switch k.Count {
			case "respondents":
				natBand[s] += math.Round(p.Bands["16_84"][s] * 0.006)
			case "recipients":
				natBand[s] += math.Round(p.Bands["20_64"][s] * [2]float64{0.065, 0.06}[s])
			case "members", "employees", "seats":
			default:
				natBand[s] += p.Bands[k.Count][s]
			}
		}
	}
	switch k.Count {
	case "members":
		natBand = [2]float64{290, 290}
		if k.Type == "L" {
			natBand = [2]float64{21, 21}
		}
	case "employees":
		// Municipal-sector staff nationally: about 880 000 in kommuner and
		// 300 000 in regions, four in five of them women.
		n := 880000.0
		if k.Type == "L" {
			n = 300000
		}
		natBand = [2]float64{0.79 * n, 0.21 * n}
	case "seats":
		var seats float64
		if k.Type == "L" {
			seats = 21 * 101
		} else {
			for code, p := range g.cal.Population {
				seats += kommunSeats(code, p)
			}
		}
		natBand = [2]float64{seats, seats}
	}
	if k.Source == "income" {
		var sum [3]float64
		var w [3]float64
		for code, inc := range g.income {
			p := g.cal.Population[code]
			for s := 0; s < 3; s++ {
				pw := p.Total()
				sum[s] += inc[s] * pw
				w[s] += pw
			}
		}
		f := 1.12 * math.Pow(1.03, float64(y-2018)) * 1000
		for s := 0; s < 3; s++ {
			cs[s] = cell{v: round(sum[s]/w[s]*f, -2), ok: true, set: true}
		}
		cs[0].n, cs[1].n, cs[2].n = natBand[0], natBand[1], natBand[0]+natBand[1]
		return cs
	}
	if !k.Gendered {
		v := g.level(k, 0, y)
		if k.Source == "election" {
			v = 100 * (k.Base[0] + 0.002)
			if y >= 2023 {
				v += 0.4
			}
		}
		n := natBand[0]
		if k.Count == "employees" {
			n = natBand[0] + natBand[1]
		}
		cs[2] = cell{v: v, n: n, ok: true, set: true}
		return cs
	}
	for s := 0; s < 2; s++ {
		v := g.level(k, s, y)
		if k.Source == "hr" && (k.ID == "N00090" || k.ID == "N60030") {
			v *= sickYear(y)
		}
		cs[s] = cell{v: v, n: natBand[s], ok: true, set: true}
	}
	cs[2] = cell{v: (cs[0].v*cs[0].n + cs[1].v*cs[1].n) / (cs[0].n + cs[1].n), n: cs[0].n + cs[1].n, ok: true, set: true}
	return cs
}
