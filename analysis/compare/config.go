package compare

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Kind is how a condition is measured and compared.
type Kind string

// The kinds of condition; conditions.yaml documents each.
const (
	KindShare   Kind = "share"    // share of persons (percent); difference in percentage points
	KindMean    Kind = "mean"     // mean of a number per person
	KindMedian  Kind = "median"   // median of a number per person
	KindRatio   Kind = "ratio"    // scale · Σnum / Σden (ratio estimator), e.g. sick leave %
	KindPerArea Kind = "per_area" // employees per flagged employee in the group's management area
)

// Direction says which way a condition is worse for a group.
type Direction string

// Directions.
const (
	WorseHigher Direction = "higher"
	WorseLower  Direction = "lower"
)

// Condition is one working condition, read from conditions.yaml.
type Condition struct {
	ID       string    `yaml:"id" json:"id"`
	TitleSv  string    `yaml:"title_sv" json:"title_sv"`
	TitleEn  string    `yaml:"title_en" json:"title_en"`
	Kind     Kind      `yaml:"kind" json:"kind"`
	Expr     string    `yaml:"expr" json:"expr,omitempty"`
	Num      string    `yaml:"num" json:"num,omitempty"`
	Den      string    `yaml:"den" json:"den,omitempty"`
	Scale    float64   `yaml:"scale" json:"scale,omitempty"`
	Ratio    bool      `yaml:"ratio" json:"ratio,omitempty"` // mean: also report 100 · female/male
	Unit     string    `yaml:"unit" json:"unit"`
	Worse    Direction `yaml:"worse" json:"worse"`
	Decimals int       `yaml:"decimals" json:"decimals"`
}

// Title is the condition's title in lang ("sv" or "en").
func (c Condition) Title(lang string) string {
	if lang == "en" && c.TitleEn != "" {
		return c.TitleEn
	}
	return c.TitleSv
}

// hasRatio reports whether the condition reports female/male · 100
// (wages: kvinnogruppens lön i procent av mansgruppens).
func (c Condition) hasRatio() bool {
	return c.Kind == KindMedian || (c.Kind == KindMean && c.Ratio)
}

// needsPersons reports whether the per-person values must come to Go
// (medians and ratios are bootstrapped over persons).
func (c Condition) needsPersons() bool { return c.hasRatio() }

// Area is a ledningsområde (management area) of areas.yaml.
type Area struct {
	ID      string   `yaml:"id" json:"id"`
	TitleSv string   `yaml:"title_sv" json:"title_sv"`
	TitleEn string   `yaml:"title_en" json:"title_en"`
	SSYK    []string `yaml:"ssyk" json:"ssyk"` // SSYK 2012 code prefixes; "" matches everyone
}

//go:embed conditions.yaml
var conditionsYAML []byte

//go:embed areas.yaml
var areasYAML []byte

// DefaultConditions returns the embedded condition list (conditions.yaml).
func DefaultConditions() ([]Condition, error) { return ParseConditions(conditionsYAML) }

// DefaultAreas returns the embedded management areas (areas.yaml).
func DefaultAreas() ([]Area, error) { return ParseAreas(areasYAML) }

var idRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,30}$`)

// ParseConditions reads and checks a condition list in the format of
// conditions.yaml.
func ParseConditions(b []byte) ([]Condition, error) {
	var doc struct {
		Conditions []Condition `yaml:"conditions"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("conditions: %w", err)
	}
	if len(doc.Conditions) == 0 {
		return nil, fmt.Errorf("conditions: the list is empty")
	}
	seen := map[string]bool{}
	for i := range doc.Conditions {
		c := &doc.Conditions[i]
		if err := c.check(); err != nil {
			return nil, fmt.Errorf("conditions: entry %d (%q): %w", i+1, c.ID, err)
		}
		if seen[c.ID] {
			return nil, fmt.Errorf("conditions: id %q appears twice", c.ID)
		}
		seen[c.ID] = true
	}
	return doc.Conditions, nil
}

func (c *Condition) check() error {
	if !idRE.MatchString(c.ID) {
		return fmt.Errorf("id must be 1–31 characters a-z, 0-9, _ starting with a letter")
	}
	if c.TitleSv == "" {
		return fmt.Errorf("title_sv is empty")
	}
	need := func(name, v string) error {
		if strings.TrimSpace(v) == "" {
			return fmt.Errorf("kind %s needs %s", c.Kind, name)
		}
		if strings.Contains(v, ";") {
			return fmt.Errorf("%s must be one SQL expression (no ';')", name)
		}
		return nil
	}
	switch c.Kind {
	case KindShare, KindMean, KindMedian, KindPerArea:
		if err := need("expr", c.Expr); err != nil {
			return err
		}
	case KindRatio:
		if err := need("num", c.Num); err != nil {
			return err
		}
		if err := need("den", c.Den); err != nil {
			return err
		}
		if c.Scale == 0 {
			c.Scale = 1
		}
	default:
		return fmt.Errorf("kind %q: want share, mean, median, ratio or per_area", c.Kind)
	}
	if c.Worse != WorseHigher && c.Worse != WorseLower {
		return fmt.Errorf("worse %q: want higher or lower", c.Worse)
	}
	if c.Decimals < 0 || c.Decimals > 6 {
		return fmt.Errorf("decimals %d: want 0–6", c.Decimals)
	}
	return nil
}

// ParseAreas reads and checks a management-area list in the format of
// areas.yaml. Prefixes must be digits and may not repeat across areas.
func ParseAreas(b []byte) ([]Area, error) {
	var doc struct {
		Areas []Area `yaml:"areas"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("areas: %w", err)
	}
	if len(doc.Areas) == 0 {
		return nil, fmt.Errorf("areas: the list is empty")
	}
	owner := map[string]string{}
	for i, a := range doc.Areas {
		if !idRE.MatchString(a.ID) {
			return nil, fmt.Errorf("areas: entry %d: id %q must be 1–31 characters a-z, 0-9, _", i+1, a.ID)
		}
		if len(a.SSYK) == 0 {
			return nil, fmt.Errorf("areas: %s: no ssyk prefixes", a.ID)
		}
		for _, p := range a.SSYK {
			if strings.Trim(p, "0123456789") != "" {
				return nil, fmt.Errorf("areas: %s: prefix %q is not digits", a.ID, p)
			}
			if o, dup := owner[p]; dup {
				return nil, fmt.Errorf("areas: prefix %q is in both %s and %s", p, o, a.ID)
			}
			owner[p] = a.ID
		}
	}
	return doc.Areas, nil
}

// areaSQL is a CASE expression assigning each employee row its area id by
// the longest matching SSYK prefix; persons matching nothing get "".
func areaSQL(areas []Area) string {
	type pa struct{ prefix, id string }
	var all []pa
	for _, a := range areas {
		for _, p := range a.SSYK {
			all = append(all, pa{p, a.ID})
		}
	}
	// Longest prefix first, so "531" wins over "53".
	slices.SortStableFunc(all, func(a, b pa) int { return len(b.prefix) - len(a.prefix) })
	var b strings.Builder
	b.WriteString("CASE")
	for _, x := range all {
		if x.prefix == "" {
			fmt.Fprintf(&b, " WHEN true THEN '%s'", x.id)
			continue
		}
		fmt.Fprintf(&b, " WHEN starts_with(coalesce(occupation_code, ''), '%s') THEN '%s'", x.prefix, x.id)
	}
	b.WriteString(" ELSE '' END")
	return b.String()
}
