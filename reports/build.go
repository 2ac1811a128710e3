package reports

import (
	"context"
	"fmt"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/store"
)

// This file and build_*.go fill the report models from the database. They
// read only what has passed disclosure control: indicator_value, the goal
// and indicator tables (through the catalogue and indicators.GoalStatus),
// the comparison tables, and the dataset table for provenance. Raw employee
// rows are never read here.

// valueOf turns one indicator_value row into a published cell or a status
// symbol; a missing row is "-" (the source has no figure), never 0.
func valueOf(v *indicators.Value) Value {
	if v == nil {
		return Value{Status: StatusMissing}
	}
	if v.Value == nil {
		switch v.Status {
		case StatusMissing, StatusNotApplicable:
			return Value{Status: v.Status}
		case "", StatusSuppressed:
			return Value{Status: StatusSuppressed}
		}
		// Other reasons ("no data", a source's own flag) mean there is no
		// figure to show.
		return Value{Status: StatusMissing}
	}
	n := 0
	if v.N != nil && *v.N > 0 {
		n = int(math.Round(*v.N))
	}
	return Num(*v.Value, n)
}

// notApplicable is the cell for women or men of an indicator that has one
// row per geography (a share of women, a K/M ratio …).
var notApplicable = Value{Status: StatusNotApplicable}

// methodRank orders the methods a geography's figure may come from, as
// indicators.GoalStatus does: the geography's own figure first, then a
// kommun's own HR data, then pooled, then the mean of kommuner. A region
// as employer is not the county, so it never stands for it (rank 9).
func methodRank(geoKind, method string) int {
	switch method {
	case indicators.MethodDirect:
		return 0
	case indicators.MethodEmployer:
		if geoKind == data.KindKommun {
			return 1
		}
		return 9
	case indicators.MethodWeighted:
		return 2
	case indicators.MethodUnweighted:
		return 3
	}
	return 8
}

// cellSet is one indicator's T, K and M rows for a geography, method and period.
type cellSet struct {
	T, K, M *indicators.Value
}

// valueIndex holds indicator values by indicator, geography, method and period.
type valueIndex map[string]map[string]map[string]map[string]*cellSet

func indexValues(vals []indicators.Value) valueIndex {
	idx := valueIndex{}
	for i := range vals {
		v := &vals[i]
		if v.Group != "" {
			continue
		}
		byGeo := idx[v.Indicator]
		if byGeo == nil {
			byGeo = map[string]map[string]map[string]*cellSet{}
			idx[v.Indicator] = byGeo
		}
		byMethod := byGeo[v.GeoCode]
		if byMethod == nil {
			byMethod = map[string]map[string]*cellSet{}
			byGeo[v.GeoCode] = byMethod
		}
		byPeriod := byMethod[v.Method]
		if byPeriod == nil {
			byPeriod = map[string]*cellSet{}
			byMethod[v.Method] = byPeriod
		}
		c := byPeriod[v.Period]
		if c == nil {
			c = &cellSet{}
			byPeriod[v.Period] = c
		}
		switch v.Sex {
		case "T":
			c.T = v
		case "K":
			c.K = v
		case "M":
			c.M = v
		}
	}
	return idx
}

// method picks the method for an indicator in a geography: prefer is the
// method goal status used (when known), else the best-ranked one present.
func (idx valueIndex) method(ind, geo, prefer string) string {
	byMethod := idx[ind][geo]
	if prefer != "" {
		if _, ok := byMethod[prefer]; ok {
			return prefer
		}
	}
	kind := ""
	if g, ok := data.GeoByCode(geo); ok {
		kind = g.Kind
	}
	best, bestRank := "", 9
	for m := range byMethod {
		r := methodRank(kind, m)
		if r < bestRank || (r == bestRank && m < best) {
			best, bestRank = m, r
		}
	}
	return best
}

// periods lists the years (ascending) with values up to year.
func (idx valueIndex) periods(ind, geo, method string, year int) []int {
	var out []int
	for p := range idx[ind][geo][method] {
		if y, ok := periodYear(p); ok && y <= year {
			out = append(out, y)
		}
	}
	sort.Ints(out)
	return out
}

func (idx valueIndex) cells(ind, geo, method string, year int) *cellSet {
	return idx[ind][geo][method][strconv.Itoa(year)]
}

// periodYear reads a period that is a year ("2024"); other periods (half
// years, school years) are not followed up here.
func periodYear(p string) (int, bool) {
	if len(p) != 4 {
		return 0, false
	}
	y, err := strconv.Atoi(p)
	return y, err == nil
}

// sexValues are an indicator's women, men and total cells. Where the data
// has no row for women and men (indicators with one row per geography, such
// as a share of women or a K/M ratio, or a source that does not split by
// sex) those cells are "." (cannot occur), not "-".
func sexValues(ind *indicators.Indicator, c *cellSet) (w, m, t Value) {
	if c == nil {
		return Value{Status: StatusMissing}, Value{Status: StatusMissing}, Value{Status: StatusMissing}
	}
	t = valueOf(c.T)
	if c.T == nil && (c.K != nil || c.M != nil) {
		t = notApplicable
	}
	if c.K == nil && c.M == nil {
		return notApplicable, notApplicable, t
	}
	return valueOf(c.K), valueOf(c.M), t
}

// followedValue is the value of the series goal status follows (T, K, M or
// the gap women − men) at a cell set, as indicators.GoalStatus computes it.
func followedValue(ind *indicators.Indicator, c *cellSet) *float64 {
	if c == nil {
		return nil
	}
	get := func(v *indicators.Value) *float64 {
		if v == nil {
			return nil
		}
		return v.Value
	}
	switch ind.FollowSeries() {
	case "K":
		return get(c.K)
	case "M":
		return get(c.M)
	case "gap":
		k, m := get(c.K), get(c.M)
		if k == nil || m == nil {
			return nil
		}
		d := *k - *m
		if ind.Unit != "percent" {
			if *m == 0 {
				return nil
			}
			d = 100 * d / *m
		}
		return &d
	}
	return get(c.T)
}

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// polarityOf maps an indicator's polarity to the report's. A context
// indicator (polarity none) has no better direction: "".
func polarityOf(p string) Polarity {
	switch p {
	case indicators.HigherBetter:
		return HigherIsBetter
	case indicators.LowerBetter:
		return LowerIsBetter
	case indicators.Parity:
		return Parity
	}
	return ""
}

func directionOf(d string) Direction {
	switch d {
	case indicators.ContextDirection:
		return Context
	case indicators.Better:
		return Better
	case indicators.Worse:
		return Worse
	case indicators.Unchanged:
		return Unchanged
	}
	return Unknown
}

// unitText is the unit as a reader writes it.
func unitText(unit, lang string) string {
	en := lang == "en"
	switch unit {
	case "percent":
		return "%"
	case "pp":
		return pick(en, "procentenheter", "percentage points")
	case "SEK":
		return pick(en, "kr", "SEK")
	case "kSEK":
		return pick(en, "tkr", "SEK thousand")
	case "ratio":
		return pick(en, "kvot", "ratio")
	case "points":
		return pick(en, "poäng", "points")
	case "days":
		return pick(en, "dagar", "days")
	case "persons":
		return pick(en, "personer", "persons")
	case "FTE":
		return pick(en, "årsarbetare", "full-time equivalents")
	case "per 1 000":
		return pick(en, unit, "per 1,000")
	case "per 100 000":
		return pick(en, unit, "per 100,000")
	}
	return unit
}

// titleSansUnit drops a unit the title already ends with ("…, andel (%)",
// "…, median, kr"), since the reports add the unit themselves.
func titleSansUnit(title, unit string) string {
	if unit == "" {
		return title
	}
	for _, suf := range []string{" (" + unit + ")", ", " + unit} {
		if strings.HasSuffix(title, suf) {
			return strings.TrimSuffix(title, suf)
		}
	}
	return title
}

// unitDecimals is how many decimals a unit is shown with.
func unitDecimals(unit string) int {
	switch unit {
	case "SEK", "persons", "FTE":
		return 0
	case "ratio":
		return 2
	}
	return 1
}

// measureText names the series direction is judged on.
func measureText(ind *indicators.Indicator, lang string) string {
	en := lang == "en"
	u := unitText(ind.Unit, lang)
	switch ind.FollowSeries() {
	case "K":
		return withUnit(pick(en, "kvinnor", "women"), u)
	case "M":
		return withUnit(pick(en, "män", "men"), u)
	case "gap":
		if ind.Unit == "percent" {
			return pick(en, "skillnad kvinnor − män (procentenheter)", "difference women − men (percentage points)")
		}
		return pick(en, "skillnad kvinnor − män, i % av männens värde", "difference women − men, in % of men's value")
	}
	return withUnit(pick(en, "totalt", "total"), u)
}

func methodText(method, lang string) string {
	en := lang == "en"
	switch method {
	case indicators.MethodDirect:
		return pick(en, "publicerad eller egen uppgift", "published or own figure")
	case indicators.MethodEmployer:
		return pick(en, "kommunens egna HR-data", "the municipality's own HR data")
	case indicators.MethodWeighted:
		return pick(en, "kommunerna sammanvägda efter antal personer", "the municipalities pooled, weighted by persons")
	case indicators.MethodUnweighted:
		return pick(en, "ovägt medelvärde av kommunerna (som Kolada)", "unweighted mean of the municipalities (as Kolada)")
	}
	return method
}

// geoName is a geography's name in lang. For the county as an employer
// (the region), name is the region's.
func geoName(g data.Geo, lang string) string {
	if lang == "en" && g.NameEn != "" {
		return g.NameEn
	}
	return g.Name
}

// countyOf resolves a county code ("14", "0014") to its geography.
func countyOf(code string) (data.Geo, error) {
	c, ok := data.NormalizeGeoCode(code)
	if !ok {
		return data.Geo{}, fmt.Errorf("unknown county %q", code)
	}
	g, _ := data.GeoByCode(c)
	if g.Kind != data.KindRegion {
		return data.Geo{}, fmt.Errorf("%s (%s) is not a county; give a two-digit län code such as 14", g.Code, g.Name)
	}
	return g, nil
}

// kommunerOf lists a county's municipalities in code order.
func kommunerOf(county string) ([]data.Geo, error) {
	all, err := data.Geos()
	if err != nil {
		return nil, err
	}
	var out []data.Geo
	for _, g := range all {
		if g.Kind == data.KindKommun && g.CountyCode == county {
			out = append(out, g)
		}
	}
	return out, nil
}

// swedishCollator sorts names the Swedish way (å, ä, ö after z).
func sortNames[T any](xs []T, name func(T) string, lang string) {
	tag := language.Swedish
	if lang == "en" {
		tag = language.English
	}
	c := collate.New(tag)
	sort.SliceStable(xs, func(i, j int) bool { return c.CompareString(name(xs[i]), name(xs[j])) < 0 })
}

// provenance is where indicator values come from: the datasets behind each
// measure, and the HR extracts.
type provenance struct {
	byMeasure map[string][]datasetInfo
	employee  []datasetInfo
}

type datasetInfo struct {
	ID, File  string
	Synthetic bool
	Loaded    time.Time
}

// loadProvenance reads the dataset table and which measures each dataset
// holds (the distinct measures of observation, not its values).
func loadProvenance(ctx context.Context, db *store.DB) (*provenance, error) {
	p := &provenance{byMeasure: map[string][]datasetInfo{}}
	rows, err := db.SQL.QueryContext(ctx, `SELECT coalesce(o.measure, ''), d.dataset_id, coalesce(d.source_file, d.name, d.dataset_id),
		coalesce(d.synthetic, false), d.loaded_at, coalesce(d.kind, '')
		FROM dataset d LEFT JOIN (SELECT DISTINCT dataset_id, measure FROM observation) o USING (dataset_id)
		ORDER BY d.dataset_id`)
	if err != nil {
		return nil, fmt.Errorf("read datasets: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var measure, kind string
		var d datasetInfo
		var loaded *time.Time
		if err := rows.Scan(&measure, &d.ID, &d.File, &d.Synthetic, &loaded, &kind); err != nil {
			return nil, fmt.Errorf("read datasets: %w", err)
		}
		if loaded != nil {
			d.Loaded = *loaded
		}
		if measure != "" {
			p.byMeasure[measure] = append(p.byMeasure[measure], d)
		}
		if kind == "employee" {
			p.employee = append(p.employee, d)
		}
	}
	return p, rows.Err()
}

// datasets lists the datasets an indicator is computed from.
func (p *provenance) datasets(ind *indicators.Indicator) []datasetInfo {
	seen := map[string]bool{}
	var out []datasetInfo
	add := func(ds []datasetInfo) {
		for _, d := range ds {
			if !seen[d.ID] {
				seen[d.ID] = true
				out = append(out, d)
			}
		}
	}
	for _, in := range ind.Inputs {
		if in.IsEmployee() {
			add(p.employee)
		} else if in.Measure != "" {
			add(p.byMeasure[in.Measure])
		}
	}
	if ind.Kind == indicators.KindSQL && strings.Contains(strings.ToLower(ind.SQL), "employee") {
		add(p.employee)
	}
	return out
}

// sourceBuilder gathers the sources of the indicators a report shows, one
// entry per source text, with the files behind it, whether any is
// synthetic, the reference year and when the values were computed.
type sourceBuilder struct {
	lang      string
	prov      *provenance
	order     []string
	entries   map[string]*sourceEntry
	synthetic bool
}

type sourceEntry struct {
	name     string
	files    map[string]datasetInfo
	refYear  int
	computed time.Time
}

func newSourceBuilder(prov *provenance, lang string) *sourceBuilder {
	return &sourceBuilder{lang: lang, prov: prov, entries: map[string]*sourceEntry{}}
}

// add records that ind is shown with values up to refYear, computed at computed.
func (b *sourceBuilder) add(ind *indicators.Indicator, refYear int, computed time.Time) {
	name := ind.Source.In(b.lang)
	if name == "" {
		name = ind.ID
	}
	e := b.entries[name]
	if e == nil {
		e = &sourceEntry{name: name, files: map[string]datasetInfo{}}
		b.entries[name] = e
		b.order = append(b.order, name)
	}
	for _, d := range b.prov.datasets(ind) {
		e.files[d.ID] = d
		if d.Synthetic {
			b.synthetic = true
		}
	}
	e.refYear = max(e.refYear, refYear)
	if computed.After(e.computed) {
		e.computed = computed
	}
}

func (b *sourceBuilder) sources() []Source {
	en := b.lang == "en"
	var out []Source
	for _, name := range b.order {
		e := b.entries[name]
		var files []string
		synth := 0
		var loaded time.Time
		for _, d := range e.files {
			files = append(files, path.Base(d.File))
			if d.Synthetic {
				synth++
			}
			if d.Loaded.After(loaded) {
				loaded = d.Loaded
			}
		}
		sort.Strings(files)
		text := name
		switch {
		case len(files) == 0:
		case len(files) <= 3:
			text += pick(en, "; fil: ", "; file: ")
			if len(files) > 1 {
				text = name + pick(en, "; filer: ", "; files: ")
			}
			text += strings.Join(files, ", ")
		default:
			text += fmt.Sprintf(pick(en, "; %d filer (%s … %s)", "; %d files (%s … %s)"), len(files), files[0], files[len(files)-1])
		}
		switch {
		case synth > 0 && synth == len(files):
			text += pick(en, " – SYNTETISKA DATA (genererade, beskriver inte verkliga förhållanden)", " – SYNTHETIC DATA (generated, not real figures)")
		case synth > 0:
			text += fmt.Sprintf(pick(en, " – varav %d filer med SYNTETISKA DATA", " – of which %d files hold SYNTHETIC DATA"), synth)
		}
		var when []string
		if !e.computed.IsZero() {
			when = append(when, pick(en, "beräknad ", "computed ")+e.computed.Format("2006-01-02"))
		}
		if !loaded.IsZero() {
			when = append(when, pick(en, "data inlästa ", "data loaded ")+loaded.Format("2006-01-02"))
		}
		out = append(out, Source{Name: text, ReferenceYear: e.refYear, Published: strings.Join(when, "; ")})
	}
	return out
}

// syntheticNote is the sentence that heads any output resting on
// synthetic data.
func syntheticNote(lang string) string {
	return pick(lang == "en",
		"OBS: Uppgifterna bygger helt eller delvis på syntetiska data (genererade för demonstration) och beskriver inte verkliga förhållanden. Se källorna i metodavsnittet.",
		"NOTE: The figures rest wholly or partly on synthetic data (generated for demonstration) and do not describe real conditions. See the sources in the method section.")
}

// vintageNote keeps the reference year apart from when figures were
// computed: the sources' own publication dates are not in the files.
func vintageNote(lang string) string {
	return pick(lang == "en",
		"Referensåret är det år uppgifterna avser. Källornas egna publiceringsdatum finns inte i de inlästa filerna; i stället anges när filerna lästes in och när indikatorerna beräknades.",
		"The reference year is the year the figures describe. The sources' own publication dates are not in the files loaded; instead the dates the files were loaded and the indicators computed are given.")
}

// minK is the smallest disclosure threshold among indicators, and a note
// listing those with another k.
func minK(inds []*indicators.Indicator, lang string) (int, string) {
	k := 0
	for _, ind := range inds {
		if k == 0 || ind.MinN() < k {
			k = ind.MinN()
		}
	}
	if k == 0 {
		k = DefaultMinN
	}
	var other []string
	for _, ind := range inds {
		if ind.MinN() != k {
			other = append(other, fmt.Sprintf("%s: k = %d", ind.Title.In(lang), ind.MinN()))
		}
	}
	if len(other) == 0 {
		return k, ""
	}
	return k, pick(lang == "en", "Högre tröskel gäller för: ", "A higher threshold applies to: ") + strings.Join(other, "; ") + "."
}

func definitionOf(ind *indicators.Indicator, lang string) Definition {
	text := strings.TrimSpace(ind.Description.In(lang))
	// The technical definitions in the catalogue are written in English.
	if def := strings.TrimSpace(ind.Definition); def != "" && lang == "en" {
		if text != "" && !strings.HasSuffix(text, ".") {
			text += "."
		}
		text = strings.TrimSpace(text + " " + def)
	}
	if text == "" {
		text = ind.Title.In(lang)
	}
	text += fmt.Sprintf(" (id %s; k = %d)", ind.ID, ind.MinN())
	return Definition{Term: ind.Title.In(lang), Text: text}
}
