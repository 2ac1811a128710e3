package indicators

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kind is how an indicator turns its inputs into values.
type Kind string

// The kinds of indicator. "Per-sex" kinds publish a row for women (K), men
// (M) and total (T); the others publish one row (sex T) comparing women and
// men.
const (
	KindShareWomen    Kind = "share_women"      // 100·K/(K+M) of a count; sex T
	KindKMRatio       Kind = "km_ratio"         // K/M, 1 = equal; sex T
	KindWomenPctOfMen Kind = "women_pct_of_men" // 100·K/M (kvinnors lön i procent av mäns); sex T
	KindGapPct        Kind = "gap_pct"          // 100·(M−K)/M (löneskillnad); sex T
	KindDiffPP        Kind = "diff_pp"          // K − M in percentage points; sex T
	KindMeanBySex     Kind = "mean_by_sex"      // mean per sex; K, M, T
	KindMedianBySex   Kind = "median_by_sex"    // median per sex; K, M, T
	KindRatePer1000   Kind = "rate_per_1000"    // 1000·numerator/denominator per sex; K, M, T
	KindPassthrough   Kind = "passthrough"      // a published per-sex value (Kolada KPI); as published
	KindBySex         Kind = "by_sex"           // any employee statistic (share, ratio …) per sex; K, M, T
	KindSQL           Kind = "sql"              // custom SQL over the canonical tables
)

var kinds = map[Kind]string{
	KindShareWomen: "", KindKMRatio: "", KindWomenPctOfMen: "", KindGapPct: "", KindDiffPP: "",
	KindMeanBySex: "", KindMedianBySex: "", KindRatePer1000: "", KindPassthrough: "", KindBySex: "", KindSQL: "",
}

// PerSex reports whether the kind publishes separate rows for K, M and T.
func (k Kind) PerSex() bool {
	switch k {
	case KindMeanBySex, KindMedianBySex, KindRatePer1000, KindPassthrough, KindBySex:
		return true
	}
	return false
}

// comparesSexes reports whether one published value depends on both the
// women's and the men's cell, so each must have at least k persons.
func (k Kind) comparesSexes() bool {
	switch k {
	case KindKMRatio, KindWomenPctOfMen, KindGapPct, KindDiffPP:
		return true
	}
	return false
}

// Polarity says which direction of change is toward the goal.
const (
	HigherBetter = "higher_better"
	LowerBetter  = "lower_better"
	Parity       = "parity" // closer to equal (the parity target) is better
	// Context marks an indicator that describes rather than measures
	// progress (population, årsarbetare): shown, never rolled up.
	Context = "none"
)

// Text is a string in Swedish and English.
type Text struct {
	Sv string `yaml:"sv"`
	En string `yaml:"en"`
}

// UnmarshalYAML reads {sv: …, en: …}, or a plain string as the Swedish
// text (for fields such as source, where most entries are proper names).
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		t.Sv, t.En = n.Value, ""
		return nil
	}
	type plain Text
	return n.Decode((*plain)(t))
}

// In returns the text in lang ("sv" or "en"), falling back to Swedish.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" {
		return t.En
	}
	return t.Sv
}

// Disclosure is an indicator's disclosure-control rule.
type Disclosure struct {
	MinN int `yaml:"min_n"` // cells with fewer persons are suppressed; default 5
}

// Indicator is one indicator definition.
type Indicator struct {
	ID           string     `yaml:"id"`
	Title        Text       `yaml:"title"`
	Description  Text       `yaml:"description"`
	Unit         string     `yaml:"unit"`
	Kind         Kind       `yaml:"kind"`
	Inputs       []Input    `yaml:"inputs"`
	Polarity     string     `yaml:"polarity"`
	ParityTarget *float64   `yaml:"parity_target"`
	Tolerance    *float64   `yaml:"tolerance"`
	Disclosure   Disclosure `yaml:"disclosure"`
	Goals        []string   `yaml:"goals"`
	Areas        []string   `yaml:"areas"`
	Delmal       []int      `yaml:"delmal"`
	Source       Text       `yaml:"source"` // a string, or {sv, en} where the Swedish is more than names
	Definition   string     `yaml:"definition"`
	// Groups: which groups to publish besides the whole population:
	// "total", "ssyk4", "dominance" (employee inputs), "occupation"
	// (observation inputs split by occupation_code).
	Groups []string `yaml:"groups"`
	// Sexes restricts the rows of a per-sex kind (e.g. [T] for employees per manager).
	Sexes []string `yaml:"sexes"`
	// Follow is the series goal status follows: "T", "K", "M", or "gap"
	// (the distance between women and men). Defaults: T for one-row kinds,
	// "gap" for per-sex kinds with parity polarity, else T.
	Follow string `yaml:"follow"`
	SQL    string `yaml:"sql"`

	File string `yaml:"-"`
	Line int    `yaml:"-"`
	node *yaml.Node
}

// MinN is the disclosure threshold k.
func (ind *Indicator) MinN() int {
	if ind.Disclosure.MinN > 0 {
		return ind.Disclosure.MinN
	}
	return 5
}

// FollowSeries is the series goal status compares over time.
func (ind *Indicator) FollowSeries() string {
	if ind.Follow != "" {
		return ind.Follow
	}
	if ind.Kind.PerSex() && ind.Polarity == Parity {
		return "gap"
	}
	return "T"
}

// Target is the parity target for a one-row indicator: 50 for a share of
// women, 1 for a K/M ratio, 100 for women's value as % of men's, 0 for gaps
// and differences, unless the definition sets parity_target.
func (ind *Indicator) Target() float64 {
	if ind.ParityTarget != nil {
		return *ind.ParityTarget
	}
	switch ind.Kind {
	case KindShareWomen:
		return 50
	case KindKMRatio:
		return 1
	case KindWomenPctOfMen:
		return 100
	}
	return 0
}

// Tol is the tolerance within which a change counts as "unchanged", in
// the units of the followed series.
func (ind *Indicator) Tol() float64 {
	if ind.Tolerance != nil {
		return *ind.Tolerance
	}
	switch {
	case ind.Kind == KindKMRatio:
		return 0.01
	case ind.Unit == "percent" || ind.Unit == "pp" || ind.FollowSeries() == "gap":
		// Percentages, and gaps between women and men (which status.go
		// expresses in percent of men's value): half a point.
		return 0.5
	}
	return 0 // relative: see status.go (1 % of the baseline)
}

// Input is one input of an indicator: an observation measure or a
// statistic over employee microdata.
type Input struct {
	Role string `yaml:"role" json:"role,omitempty"` // "numerator" or "denominator" for rate_per_1000

	// Observation input.
	Measure string            `yaml:"measure" json:"measure,omitempty"`
	Dims    map[string]string `yaml:"dims" json:"dims,omitempty"`     // exact filter on dims; other dims are summed over (stat sum)
	Stat    string            `yaml:"stat" json:"stat,omitempty"`     // "sum" (counts, default for persons measures) or "value"
	Sector  string            `yaml:"sector" json:"sector,omitempty"` // filter on observation.sector; "" = no filter

	// Employee input: the statistic.
	Employee    string  `yaml:"employee" json:"employee,omitempty"`       // count | share | mean | median | ratio | per
	Column      string  `yaml:"column" json:"column,omitempty"`           // mean, median, ratio numerator
	Denominator string  `yaml:"denominator" json:"denominator,omitempty"` // ratio denominator column
	Where       string  `yaml:"where" json:"where,omitempty"`             // count: who is counted; share: who is in the numerator; per: the "per" persons
	Base        string  `yaml:"base" json:"base,omitempty"`               // share/per: population (default: every column in where is known)
	Scale       float64 `yaml:"scale" json:"scale,omitempty"`             // multiplier of the ratio (100 for percent)

	where, base *expr
	measure     *Measure
	line        int
}

// IsEmployee reports whether the input is over employee microdata.
func (in *Input) IsEmployee() bool { return in.Employee != "" }

// additive reports whether the statistic is sums of persons or amounts, so
// that it aggregates by adding numerators and denominators.
func (in *Input) additive() bool {
	if in.IsEmployee() {
		return in.Employee != "median"
	}
	return in.Stat == "sum"
}

// employeeColumns are the employee columns indicators may name, with their type.
var employeeColumns = map[string]string{
	"birth_year": "number", "age": "number", "occupation_code": "text", "aid_code": "text",
	"occupation_label": "text", "monthly_wage_fte": "number", "employment_rate": "number",
	"contract": "text", "hourly_paid": "bool", "scheduled_hours": "number", "sick_leave_hours": "number",
	"is_manager": "bool", "education": "text", "sector": "text", "flextime": "bool",
	"split_shifts": "bool", "evening_weekend": "bool", "employer_code": "text",
}

// indicatorFile is one parsed data/indicators/*.yaml file.
type indicatorFile struct {
	measures   []*Measure
	indicators []*Indicator
}

func parseIndicatorFile(name string, src []byte) (*indicatorFile, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, yamlErr(name, err)
	}
	doc := docNode(&root)
	out := &indicatorFile{}
	if doc == nil {
		return out, nil
	}
	if err := checkKeys(name, doc, "measures", "indicators"); err != nil {
		return nil, err
	}
	if ms := mapValue(doc, "measures"); ms != nil {
		if ms.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s:%d: measures must be a list", name, ms.Line)
		}
		for _, mn := range ms.Content {
			if err := checkKeys(name, mn, yamlKeys(Measure{})...); err != nil {
				return nil, err
			}
			m := &Measure{}
			if err := mn.Decode(m); err != nil {
				return nil, yamlErr(name, err)
			}
			m.File, m.Line = name, mn.Line
			if m.ID == "" || strings.ContainsAny(m.ID, " \t'\"") {
				return nil, fmt.Errorf("%s:%d: measure needs an id without spaces or quotes", name, mn.Line)
			}
			out.measures = append(out.measures, m)
		}
	}
	if is := mapValue(doc, "indicators"); is != nil {
		if is.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s:%d: indicators must be a list", name, is.Line)
		}
		for _, in := range is.Content {
			if err := checkKeys(name, in, yamlKeys(Indicator{})...); err != nil {
				return nil, err
			}
			for _, sub := range []string{"title", "description", "source"} {
				if v := mapValue(in, sub); v != nil && (sub != "source" || v.Kind == yaml.MappingNode) {
					if err := checkKeys(name, v, "sv", "en"); err != nil {
						return nil, err
					}
				}
			}
			if err := checkKeys(name, mapValue(in, "disclosure"), "min_n"); err != nil {
				return nil, err
			}
			if inputs := mapValue(in, "inputs"); inputs != nil && inputs.Kind == yaml.SequenceNode {
				for _, x := range inputs.Content {
					if err := checkKeys(name, x, yamlKeys(Input{})...); err != nil {
						return nil, err
					}
				}
			}
			ind := &Indicator{}
			if err := in.Decode(ind); err != nil {
				return nil, yamlErr(name, err)
			}
			ind.File, ind.Line, ind.node = name, in.Line, in
			for i := range ind.Inputs {
				ind.Inputs[i].line = seqLine(in, "inputs", i)
			}
			out.indicators = append(out.indicators, ind)
		}
	}
	return out, nil
}

// validateIndicator checks one definition against the catalogue: every
// goal, area, delmål, measure and column it names must exist.
func (c *Catalogue) validateIndicator(ind *Indicator) error {
	at := func(key string) string { return fmt.Sprintf("%s:%d", ind.File, keyLine(ind.node, key)) }
	errf := func(key, format string, args ...any) error {
		return fmt.Errorf("%s: indicator %s: %s", at(key), ind.ID, fmt.Sprintf(format, args...))
	}
	if !validID(ind.ID) {
		return fmt.Errorf("%s:%d: indicator id %q: use lower-case letters, digits, '-', '_' and '.'", ind.File, ind.Line, ind.ID)
	}
	if ind.Title.Sv == "" || ind.Title.En == "" {
		return errf("title", "title needs both sv and en")
	}
	if ind.Description.Sv == "" || ind.Description.En == "" {
		return errf("description", "description needs both sv and en")
	}
	if ind.Unit == "" {
		return errf("unit", "no unit")
	}
	if _, ok := kinds[ind.Kind]; !ok {
		return errf("kind", "unknown kind %q", ind.Kind)
	}
	switch ind.Polarity {
	case HigherBetter, LowerBetter, Parity, Context:
	default:
		return errf("polarity", "polarity must be higher_better, lower_better, parity or none, not %q", ind.Polarity)
	}
	if ind.Disclosure.MinN < 0 {
		return errf("disclosure", "min_n must be positive")
	}
	if ind.Source.Sv == "" || ind.Definition == "" {
		return errf("source", "source and definition are required")
	}
	if len(ind.Goals) == 0 && len(ind.Delmal) == 0 && ind.Polarity != Context {
		return errf("goals", "follows up no goal and no delmål")
	}
	for i, g := range ind.Goals {
		if _, ok := c.goals[g]; !ok {
			return fmt.Errorf("%s:%d: indicator %s: unknown goal id %q", ind.File, seqLine(ind.node, "goals", i), ind.ID, g)
		}
	}
	for i, a := range ind.Areas {
		if _, ok := c.areas[a]; !ok {
			return fmt.Errorf("%s:%d: indicator %s: unknown priority area %q", ind.File, seqLine(ind.node, "areas", i), ind.ID, a)
		}
	}
	for i, d := range ind.Delmal {
		if d < 1 || d > len(c.Delmal) {
			return fmt.Errorf("%s:%d: indicator %s: unknown delmål %d (want 1–6)", ind.File, seqLine(ind.node, "delmal", i), ind.ID, d)
		}
	}
	// A goal's delmål are the indicator's too.
	for _, g := range ind.Goals {
		for _, d := range c.goals[g].Delmal {
			if !containsInt(ind.Delmal, d) && len(c.goals[g].Delmal) == 1 {
				ind.Delmal = append(ind.Delmal, d)
			}
		}
	}
	for _, s := range ind.Sexes {
		if s != "T" && s != "K" && s != "M" {
			return errf("sexes", "sexes must be T, K or M, not %q", s)
		}
	}
	switch ind.Follow {
	case "", "T", "K", "M":
	case "gap":
		if !ind.Kind.PerSex() {
			return errf("follow", "follow: gap needs a per-sex kind")
		}
	default:
		return errf("follow", "follow must be T, K, M or gap, not %q", ind.Follow)
	}
	for i, g := range ind.Groups {
		switch g {
		case "total", "ssyk4", "dominance", "occupation":
		default:
			return fmt.Errorf("%s:%d: indicator %s: unknown group %q (total, ssyk4, dominance, occupation)", ind.File, seqLine(ind.node, "groups", i), ind.ID, g)
		}
	}
	for i := range ind.Inputs {
		if err := c.validateInput(ind, &ind.Inputs[i]); err != nil {
			return err
		}
	}
	return c.validateKind(ind, errf)
}

func (c *Catalogue) validateInput(ind *Indicator, in *Input) error {
	errf := func(format string, args ...any) error {
		return fmt.Errorf("%s:%d: indicator %s: %s", ind.File, in.line, ind.ID, fmt.Sprintf(format, args...))
	}
	switch {
	case in.Measure != "" && in.Employee != "":
		return errf("an input is either a measure or an employee statistic, not both")
	case in.Measure == "" && in.Employee == "":
		return errf("input names neither a measure nor an employee statistic")
	}
	switch in.Role {
	case "", "numerator", "denominator":
	default:
		return errf("role must be numerator or denominator, not %q", in.Role)
	}
	if in.Measure != "" {
		m, ok := c.measures[in.Measure]
		if !ok {
			return errf("unknown input measure %q (declare it under measures:)", in.Measure)
		}
		if m.Count != "" && m.Count != "persons" && m.Count != "members" {
			return fmt.Errorf("%s:%d: measure %s: count must be persons or members, not %q", m.File, m.Line, m.ID, m.Count)
		}
		in.measure = m
		if in.Stat == "" {
			in.Stat = "value"
			if m.Persons {
				in.Stat = "sum"
			}
		}
		if in.Stat != "sum" && in.Stat != "value" {
			return errf("stat must be sum or value, not %q", in.Stat)
		}
		if in.Column != "" || in.Where != "" || in.Base != "" || in.Denominator != "" {
			return errf("column, where, base and denominator apply to employee inputs only")
		}
		return nil
	}
	needColumn := func(col string) error {
		if col == "" {
			return errf("employee %s needs a column", in.Employee)
		}
		t, ok := employeeColumns[col]
		if !ok {
			return errf("unknown employee column %q", col)
		}
		if t != "number" {
			return errf("employee column %q is not a number", col)
		}
		return nil
	}
	var err error
	if in.Where != "" {
		if in.where, err = parseExpr(in.Where); err != nil {
			return errf("where: %v", err)
		}
	}
	if in.Base != "" {
		if in.base, err = parseExpr(in.Base); err != nil {
			return errf("base: %v", err)
		}
	}
	switch in.Employee {
	case "count":
	case "share", "per":
		if in.where == nil {
			return errf("employee %s needs where (who is counted)", in.Employee)
		}
	case "mean", "median":
		if err := needColumn(in.Column); err != nil {
			return err
		}
	case "ratio":
		if err := needColumn(in.Column); err != nil {
			return err
		}
		if err := needColumn(in.Denominator); err != nil {
			return err
		}
	default:
		return errf("unknown employee statistic %q (count, share, mean, median, ratio, per)", in.Employee)
	}
	if in.Scale == 0 {
		in.Scale = 1
		if in.Employee == "share" {
			in.Scale = 100
		}
	}
	return nil
}

func (c *Catalogue) validateKind(ind *Indicator, errf func(key, format string, args ...any) error) error {
	one := func() error {
		if len(ind.Inputs) != 1 {
			return errf("inputs", "kind %s takes exactly one input, got %d", ind.Kind, len(ind.Inputs))
		}
		return nil
	}
	isCount := func(in *Input) bool {
		return in.Employee == "count" || (in.Measure != "" && in.Stat == "sum")
	}
	switch ind.Kind {
	case KindShareWomen:
		if err := one(); err != nil {
			return err
		}
		if !isCount(&ind.Inputs[0]) {
			return errf("inputs", "share_women needs a count (employee: count, or a measure with stat: sum)")
		}
	case KindKMRatio, KindWomenPctOfMen, KindGapPct, KindDiffPP, KindBySex:
		if err := one(); err != nil {
			return err
		}
	case KindMeanBySex, KindMedianBySex:
		if err := one(); err != nil {
			return err
		}
		in := &ind.Inputs[0]
		want := "mean"
		if ind.Kind == KindMedianBySex {
			want = "median"
		}
		if in.IsEmployee() && in.Employee != want {
			return errf("inputs", "%s needs employee: %s", ind.Kind, want)
		}
		if !in.IsEmployee() && in.Stat != "value" {
			return errf("inputs", "%s over a measure passes the published %s through (stat: value)", ind.Kind, want)
		}
	case KindPassthrough:
		if err := one(); err != nil {
			return err
		}
		if ind.Inputs[0].IsEmployee() {
			return errf("inputs", "passthrough takes a published measure; use by_sex for employee statistics")
		}
	case KindRatePer1000:
		if len(ind.Inputs) != 2 || ind.Inputs[0].Role != "numerator" || ind.Inputs[1].Role != "denominator" {
			return errf("inputs", "rate_per_1000 takes two inputs: role numerator, then role denominator")
		}
		for i := range ind.Inputs {
			if !isCount(&ind.Inputs[i]) {
				return errf("inputs", "rate_per_1000 inputs must be counts")
			}
		}
	case KindSQL:
		q := strings.TrimSpace(strings.ToLower(ind.SQL))
		if !strings.HasPrefix(q, "select") && !strings.HasPrefix(q, "with") {
			return errf("sql", "kind sql needs sql: a SELECT returning geo_code, period, sex, \"group\", value, n")
		}
		if strings.Contains(q, ";") {
			return errf("sql", "sql must be one statement (no ';')")
		}
	}
	if ind.Kind != KindSQL && ind.SQL != "" {
		return errf("sql", "sql is only for kind sql")
	}
	for i, g := range ind.Groups {
		emp := len(ind.Inputs) > 0 && ind.Inputs[0].IsEmployee()
		if (g == "ssyk4" || g == "dominance") && !emp {
			return fmt.Errorf("%s:%d: indicator %s: group %s needs employee inputs", ind.File, seqLine(ind.node, "groups", i), ind.ID, g)
		}
		if g == "occupation" && emp {
			return fmt.Errorf("%s:%d: indicator %s: group occupation is for measures split by occupation; use ssyk4 for employees", ind.File, seqLine(ind.node, "groups", i), ind.ID)
		}
	}
	return nil
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
