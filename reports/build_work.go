package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jamstat/jamstat/analysis/compare"
	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/store"
)

// comparisonRun is one saved `jamstat compare` run for a county and year.
type comparisonRun struct {
	Key        string
	Level      string
	Threshold  float64
	Inclusive  bool
	Share      string
	MinN, K    int
	Confidence float64
	Bootstrap  int
	Seed       int64
	Created    time.Time
}

// findRun returns the run runKey for the county and year, or the latest
// one when runKey is "". It reports sql.ErrNoRows when there is none.
func findRun(ctx context.Context, db *store.DB, county, year, runKey string) (*comparisonRun, error) {
	q := `SELECT run_key, level, threshold, inclusive, share_metric, min_n, k, confidence, bootstrap, seed, created_at
		FROM comparison_run WHERE county_code = ? AND period = ?`
	args := []any{county, year}
	if runKey != "" {
		q += ` AND run_key = ?`
		args = append(args, runKey)
	}
	q += ` ORDER BY created_at DESC, run_key LIMIT 1`
	var r comparisonRun
	err := db.SQL.QueryRowContext(ctx, q, args...).Scan(&r.Key, &r.Level, &r.Threshold, &r.Inclusive, &r.Share, &r.MinN, &r.K,
		&r.Confidence, &r.Bootstrap, &r.Seed, &r.Created)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// comparisonRow is one employer's comparison on one condition.
type comparisonRow struct {
	Employer, EmployerName, Condition, Kind, Unit, Worse string
	Order                                                int
	Female, Male                                         Group
	Diff, Lo, Hi                                         *float64
	Distinguishable                                      bool
}

// readComparison reads the run's rows for the year, for one employer or
// (employer "") every employer of the county.
func readComparison(ctx context.Context, db *store.DB, run *comparisonRun, county, year, employer string) ([]comparisonRow, error) {
	q := `SELECT employer_code, coalesce(employer_name, ''), condition_id, condition_order, kind, coalesce(unit, ''), worse,
		female_code, female_name, female_n, female_women_pct, female_value, female_value_n, female_status, female_group_status,
		male_code, male_name, male_n, male_women_pct, male_value, male_value_n, male_status, male_group_status,
		diff, diff_lo, diff_hi, distinguishable
		FROM comparison WHERE run_key = ? AND period = ? AND county_code = ?`
	args := []any{run.Key, year, county}
	if employer != "" {
		q += ` AND employer_code = ?`
		args = append(args, employer)
	}
	q += ` ORDER BY condition_order, employer_code`
	rows, err := db.SQL.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read comparison: %w", err)
	}
	defer rows.Close()
	var out []comparisonRow
	for rows.Next() {
		var r comparisonRow
		var fCode, fName, fStatus, fGroupStatus, mCode, mName, mStatus, mGroupStatus sql.NullString
		var fN, fVN, mN, mVN sql.NullInt64
		var fPct, fV, mPct, mV, diff, lo, hi sql.NullFloat64
		var dist sql.NullBool
		if err := rows.Scan(&r.Employer, &r.EmployerName, &r.Condition, &r.Order, &r.Kind, &r.Unit, &r.Worse,
			&fCode, &fName, &fN, &fPct, &fV, &fVN, &fStatus, &fGroupStatus,
			&mCode, &mName, &mN, &mPct, &mV, &mVN, &mStatus, &mGroupStatus,
			&diff, &lo, &hi, &dist); err != nil {
			return nil, fmt.Errorf("read comparison: %w", err)
		}
		r.Female = groupOf(fCode, fName, fN, fPct, fV, fVN, fStatus)
		r.Male = groupOf(mCode, mName, mN, mPct, mV, mVN, mStatus)
		// A difference is shown only beside two published values: given
		// beside a withheld one it would reveal it.
		if r.Female.Value.Published() && r.Male.Value.Published() && diff.Valid {
			r.Diff = fptr(diff)
			if lo.Valid && hi.Valid {
				r.Lo, r.Hi = fptr(lo), fptr(hi)
			}
			r.Distinguishable = dist.Valid && dist.Bool
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func fptr(x sql.NullFloat64) *float64 {
	if !x.Valid {
		return nil
	}
	v := x.Float64
	return &v
}

// groupOf builds one side of a comparison. No qualifying group is "."
// (there is nothing to show); a withheld value is ".."; a condition no one
// in the group has data on is "-".
func groupOf(code, name sql.NullString, n sql.NullInt64, pct, v sql.NullFloat64, vn sql.NullInt64, status sql.NullString) Group {
	if !code.Valid {
		return Group{Value: Value{Status: StatusNotApplicable}}
	}
	g := Group{Code: code.String, Name: name.String}
	if n.Valid {
		g.N = int(n.Int64)
	}
	if pct.Valid {
		g.Share = pct.Float64
	}
	switch {
	case v.Valid:
		nn := g.N
		if vn.Valid {
			nn = int(vn.Int64)
		}
		g.Value = Num(v.Float64, nn)
	case status.String == "suppressed" || status.String == StatusSuppressed:
		g.Value = Value{Status: StatusSuppressed}
	default:
		g.Value = Value{Status: StatusMissing}
	}
	return g
}

// conditionMeta gives each condition id its title, decimals, kind and
// polarity for the report.
type conditionMeta struct {
	Title    string
	Decimals int
	Kind     ConditionKind
	Polarity Polarity
	Unit     string
}

func conditionInfo(id, kind, unit, worse, lang string, known map[string]compare.Condition) conditionMeta {
	m := conditionMeta{Title: id, Decimals: 1, Kind: KindMean, Polarity: HigherIsBetter, Unit: unit}
	if c, ok := known[id]; ok {
		m.Title, m.Decimals = c.Title(lang), c.Decimals
	}
	// Shares and percentages compare in percentage points; means, medians
	// and employees per manager in their unit.
	if kind == string(compare.KindShare) || (kind == string(compare.KindRatio) && unit == "%") {
		m.Kind = KindPP
	}
	if worse == string(compare.WorseHigher) {
		m.Polarity = LowerIsBetter
	}
	switch unit {
	case "SEK":
		m.Unit = pick(lang == "en", "kr", "SEK")
	case "st":
		m.Unit = pick(lang == "en", "medarbetare", "employees")
	}
	return m
}

func knownConditions() map[string]compare.Condition {
	out := map[string]compare.Condition{}
	conds, err := compare.DefaultConditions()
	if err != nil {
		// The list is embedded and checked by compare's tests; without it
		// titles fall back to the ids.
		return out
	}
	for _, c := range conds {
		out[c.ID] = c
	}
	return out
}

// employerName is the name of an employer: a kommun's name, or for a
// county code the region's.
func employerName(code, stored, lang string) string {
	g, ok := data.GeoByCode(code)
	if !ok {
		return stored
	}
	if g.Kind == data.KindRegion && g.RegionName != "" {
		return g.RegionName
	}
	return geoName(g, lang)
}

// ErrNoComparison is returned when no comparison run covers the county and year.
var ErrNoComparison = errors.New("no comparison run")

// BuildWorkConditions fills "Hur jämställda är arbetsvillkoren?" for a
// county and year from the saved comparison run runKey ("" = the latest
// run covering that county and year).
func BuildWorkConditions(ctx context.Context, db *store.DB, county, year, lang, runKey string) (*WorkConditionsReport, error) {
	lang = langOr(lang)
	if err := checkLang(lang); err != nil {
		return nil, err
	}
	cg, err := countyOf(county)
	if err != nil {
		return nil, err
	}
	y, err := strconv.Atoi(year)
	if err != nil {
		return nil, fmt.Errorf("year %q is not a year", year)
	}
	run, err := findRun(ctx, db, cg.Code, year, runKey)
	if errors.Is(err, sql.ErrNoRows) {
		which := ""
		if runKey != "" {
			which = " " + runKey
		}
		return nil, fmt.Errorf("%w%s covers county %s and year %s; run `jamstat compare --county %s --year %s` first", ErrNoComparison, which, cg.Code, year, cg.Code, year)
	}
	if err != nil {
		return nil, fmt.Errorf("find comparison run: %w", err)
	}
	rows, err := readComparison(ctx, db, run, cg.Code, year, "")
	if err != nil {
		return nil, err
	}
	r := &WorkConditionsReport{
		County:    Geo{Code: cg.Code, Name: geoName(cg, lang)},
		Year:      y,
		Lang:      lang,
		MinN:      run.K,
		Threshold: run.Threshold,
	}
	known := knownConditions()
	pos := map[string]int{}
	for _, row := range rows {
		i, ok := pos[row.Condition]
		if !ok {
			m := conditionInfo(row.Condition, row.Kind, row.Unit, row.Worse, lang, known)
			r.Conditions = append(r.Conditions, Condition{ID: row.Condition, Title: m.Title, Unit: m.Unit, Decimals: m.Decimals, Kind: m.Kind, Polarity: m.Polarity})
			i = len(r.Conditions) - 1
			pos[row.Condition] = i
		}
		c := &r.Conditions[i]
		c.Employers = append(c.Employers, EmployerComparison{
			Code: row.Employer, Name: employerName(row.Employer, row.EmployerName, lang),
			FemaleGroup: row.Female, MaleGroup: row.Male,
			Difference: row.Diff, CILow: row.Lo, CIHigh: row.Hi, Distinguishable: row.Distinguishable,
		})
	}
	// The region first, then the municipalities by name.
	for i := range r.Conditions {
		es := r.Conditions[i].Employers
		sortNames(es, func(e EmployerComparison) string { return e.Name }, lang)
		sort.SliceStable(es, func(a, b int) bool { return len(es[a].Code) < len(es[b].Code) })
	}
	for _, c := range r.Conditions {
		r.Method.Definitions = append(r.Method.Definitions, Definition{Term: c.Title, Text: conditionDefinition(c, lang)})
	}
	prov, err := loadProvenance(ctx, db)
	if err != nil {
		return nil, err
	}
	synth := hrSource(prov, y, run.Created, lang)
	r.Method.Sources = []Source{synth.source}
	r.Method.Notes = append(r.Method.Notes, runNote(run, lang), vintageNote(lang))
	if synth.synthetic {
		r.Notices = append(r.Notices, syntheticNote(lang))
		r.Method.Notes = append([]string{syntheticNote(lang)}, r.Method.Notes...)
	}
	if err := r.Validate(); err != nil {
		return nil, fmt.Errorf("working-conditions report %s %s: %w", cg.Code, year, err)
	}
	return r, nil
}

func conditionDefinition(c Condition, lang string) string {
	en := lang == "en"
	var how string
	switch c.Kind {
	case KindPP:
		how = pick(en, "Skillnaden anges i procentenheter (kvinnodominerad − mansdominerad grupp).", "The difference is in percentage points (female- minus male-dominated group).")
	default:
		how = fmt.Sprintf(pick(en, "Skillnaden anges i %s (kvinnodominerad − mansdominerad grupp).", "The difference is in %s (female- minus male-dominated group)."), c.Unit)
	}
	worse := pick(en, "Ett högre värde är sämre för gruppen.", "A higher value is worse for the group.")
	if c.Polarity == HigherIsBetter {
		worse = pick(en, "Ett lägre värde är sämre för gruppen.", "A lower value is worse for the group.")
	}
	return how + " " + worse
}

func runNote(run *comparisonRun, lang string) string {
	incl := ">"
	if run.Inclusive {
		incl = "≥"
	}
	level := map[string]string{"ssyk4": "SSYK 2012, 4 siffror", "ssyk3": "SSYK 2012, 3 siffror", "aid": "AID"}[run.Level]
	if level == "" {
		level = run.Level
	}
	if lang == "en" {
		return fmt.Sprintf("Occupational groups at %s level. A group is female-dominated when the share of women is %s %s %% (male-dominated likewise for men), share measured by %s. The most female- and the most male-dominated group with at least %d employees are compared; values resting on fewer than %d persons are withheld. Intervals at %g %% (bootstrap %d resamples, seed %d). Run %s, computed %s.",
			level, incl, FormatNumber(run.Threshold, 0, "en"), run.Share, run.MinN, run.K, run.Confidence*100, run.Bootstrap, run.Seed, run.Key, run.Created.Format("2006-01-02"))
	}
	share := map[string]string{"headcount": "antal personer", "fte": "årsarbetare"}[run.Share]
	if share == "" {
		share = run.Share
	}
	return fmt.Sprintf("Yrkesgrupper enligt %s. En grupp är kvinnodominerad när andelen kvinnor är %s %s %% (mansdominerad på motsvarande sätt för män), räknat på %s. Den mest kvinnodominerade och den mest mansdominerade gruppen med minst %d anställda jämförs; värden som bygger på färre än %d personer redovisas inte. Konfidensintervall %s %% (bootstrap med %d dragningar, frö %d). Körning %s, beräknad %s.",
		level, incl, FormatNumber(run.Threshold, 0, "sv"), share, run.MinN, run.K, FormatNumber(run.Confidence*100, 0, "sv"), run.Bootstrap, run.Seed, run.Key, run.Created.Format("2006-01-02"))
}

type hrSourceInfo struct {
	source    Source
	synthetic bool
}

// hrSource describes the HR register extracts behind a comparison.
func hrSource(prov *provenance, year int, computed time.Time, lang string) hrSourceInfo {
	en := lang == "en"
	n, synth := len(prov.employee), 0
	var loaded time.Time
	for _, d := range prov.employee {
		if d.Synthetic {
			synth++
		}
		if d.Loaded.After(loaded) {
			loaded = d.Loaded
		}
	}
	name := fmt.Sprintf(pick(en, "Arbetsgivarnas HR-registerutdrag (anställda), %d filer", "Employers' HR register extracts (employees), %d files"), n)
	switch {
	case synth > 0 && synth == n:
		name += pick(en, " – SYNTETISKA DATA (genererade, beskriver inte verkliga förhållanden)", " – SYNTHETIC DATA (generated, not real figures)")
	case synth > 0:
		name += fmt.Sprintf(pick(en, " – varav %d filer med SYNTETISKA DATA", " – of which %d files hold SYNTHETIC DATA"), synth)
	}
	var when []string
	if !computed.IsZero() {
		when = append(when, pick(en, "beräknad ", "computed ")+computed.Format("2006-01-02"))
	}
	if !loaded.IsZero() {
		when = append(when, pick(en, "data inlästa ", "data loaded ")+loaded.Format("2006-01-02"))
	}
	return hrSourceInfo{source: Source{Name: name, ReferenceYear: year, Published: strings.Join(when, "; ")}, synthetic: synth > 0}
}
