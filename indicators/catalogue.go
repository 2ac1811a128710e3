package indicators

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/jamstat/jamstat/data"
)

// Catalogue is every strategy, goal and indicator jamstat knows: the
// embedded files under data/goals/ and data/indicators/ plus any a user adds
// with --goals DIR. It is validated as a whole when it is loaded.
type Catalogue struct {
	Strategies []*Strategy  // in file-name order, "national" first
	Delmal     []Delmal     // the six national delmål (sub-goals), 1–6
	Measures   []*Measure   // declared observation measures (inputs)
	Indicators []*Indicator // in file order

	strategies map[string]*Strategy
	goals      map[string]*Goal
	areas      map[string]*Area
	measures   map[string]*Measure
	indicators map[string]*Indicator
}

// Delmal is one of the six national gender-equality sub-goals.
type Delmal struct {
	Number int    `yaml:"number"`
	Text   string `yaml:"text"`
	TextEn string `yaml:"text_en"`
}

// Strategy is one gender-equality strategy: the national goals or a
// county's länsstrategi.
type Strategy struct {
	ID           string `yaml:"id"`
	Name         string `yaml:"name"`
	NameEn       string `yaml:"name_en"`
	Issuer       string `yaml:"issuer"`
	Scope        string `yaml:"scope"` // geo code the strategy covers: "0000" or a county "14"
	Start        int    `yaml:"start"`
	End          int    `yaml:"end"` // 0 when open-ended
	BaselineYear int    `yaml:"baseline_year"`
	Vision       string `yaml:"vision"`
	GoalsTotal   int    `yaml:"goals_total"` // goals the strategy has, published here or not; 0 = not known
	Source       string `yaml:"source"`
	Successor    string `yaml:"successor"`
	DelmalBasis  string `yaml:"delmal_basis"` // who linked the goals to delmål when the strategy does not say
	Note         string `yaml:"note"`

	Areas []*Area `yaml:"-"`
	Goals []*Goal `yaml:"-"`
	File  string  `yaml:"-"`
}

// Area is a priority area (prioriterat område / fokusområde) of a strategy.
type Area struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	NameEn string `yaml:"name_en"`
	// Delmal: the delmål (1–6) the area serves, the first being where the
	// follow-up shows it. When left out it is taken from the strategy's
	// goals in the area, or from a delmål with the area's very name; an
	// area with neither must say.
	Delmal   []int  `yaml:"delmal"`
	Strategy string `yaml:"-"`
}

// Goal is one goal (mål, målbild) of a strategy, as published.
type Goal struct {
	ID     string `yaml:"id"`
	Text   string `yaml:"text"`
	TextEn string `yaml:"text_en"`
	Delmal []int  `yaml:"delmal"`
	Area   string `yaml:"area"`
	Source string `yaml:"source"` // defaults to the strategy's
	// ViaDelmal: the goal is also followed up by every indicator that
	// follows up one of its delmål (for goals that are the delmål themselves).
	ViaDelmal bool `yaml:"via_delmal"`

	Strategy     string `yaml:"-"`
	BaselineYear int    `yaml:"-"` // the strategy's start (baseline) year
	File         string `yaml:"-"`
	Line         int    `yaml:"-"`
}

// Measure declares an observation measure indicators may use as input: a
// Kolada KPI id, an SCB table or content code, or a name a dataset spec gives.
type Measure struct {
	ID     string `yaml:"id"`
	Title  string `yaml:"title"`
	Source string `yaml:"source"`
	Unit   string `yaml:"unit"`
	// Persons: the value counts persons, so it is its own headcount (n).
	Persons bool `yaml:"persons"`
	// GeoDim names a dims key holding the geography when geo_code is empty
	// (e.g. "region" = "SE23 West Sweden" in SCB wage tables).
	GeoDim string `yaml:"geo_dim"`
	// Count says what the source's count (observation.n) means: "persons"
	// (default: the persons behind the value, used for disclosure control and
	// weighting) or "members" (Kolada's count of contributing kommuner for
	// some series: not persons, so ignored).
	Count string `yaml:"count"`
	File  string `yaml:"-"`
	Line  int    `yaml:"-"`
}

// Goal returns a goal by id.
func (c *Catalogue) Goal(id string) (*Goal, bool) { g, ok := c.goals[id]; return g, ok }

// Strategy returns a strategy by id.
func (c *Catalogue) Strategy(id string) (*Strategy, bool) {
	s, ok := c.strategies[id]
	return s, ok
}

// Area returns a priority area by id.
func (c *Catalogue) Area(id string) (*Area, bool) { a, ok := c.areas[id]; return a, ok }

// Indicator returns an indicator by id.
func (c *Catalogue) Indicator(id string) (*Indicator, bool) {
	ind, ok := c.indicators[id]
	return ind, ok
}

// Measure returns a declared measure by id.
func (c *Catalogue) Measure(id string) (*Measure, bool) { m, ok := c.measures[id]; return m, ok }

// DelmalText returns the text of delmål n (1–6).
func (c *Catalogue) DelmalText(n int) string {
	for _, d := range c.Delmal {
		if d.Number == n {
			return d.Text
		}
	}
	return ""
}

// IndicatorsForGoal lists the indicators that follow up goal id: those
// naming it, and for a goal with via_delmal those following up its delmål.
func (c *Catalogue) IndicatorsForGoal(id string) []*Indicator {
	g, ok := c.goals[id]
	if !ok {
		return nil
	}
	var out []*Indicator
	for _, ind := range c.Indicators {
		if ind.followsGoal(g) {
			out = append(out, ind)
		}
	}
	return out
}

// IndicatorsForArea lists the indicators that name priority area id.
func (c *Catalogue) IndicatorsForArea(id string) []*Indicator {
	var out []*Indicator
	for _, ind := range c.Indicators {
		for _, a := range ind.Areas {
			if a == id {
				out = append(out, ind)
				break
			}
		}
	}
	return out
}

func (ind *Indicator) followsGoal(g *Goal) bool {
	for _, id := range ind.Goals {
		if id == g.ID {
			return true
		}
	}
	if g.ViaDelmal {
		for _, d := range ind.Delmal {
			for _, gd := range g.Delmal {
				if d == gd {
					return true
				}
			}
		}
	}
	return false
}

// LoadCatalogue reads the embedded goal catalogues and indicator
// definitions, then every *.yaml file in extraDir (when not ""), and
// validates the whole. A file in extraDir that defines a strategy with an
// id already known replaces it (a county updating its goals). Errors name
// the file and line.
func LoadCatalogue(extraDir string) (*Catalogue, error) {
	var extra fs.FS
	if extraDir != "" {
		st, err := os.Stat(extraDir)
		if err != nil {
			return nil, fmt.Errorf("goals directory: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("goals directory %s is not a directory", extraDir)
		}
		extra = os.DirFS(extraDir)
	}
	return loadCatalogue(data.Goals(), data.Indicators(), extra, extraDir)
}

// LoadCatalogueFS is LoadCatalogue over explicit file systems, for tests and
// for callers that keep definitions elsewhere. extra may be nil.
func LoadCatalogueFS(goalsFS, indicatorsFS, extra fs.FS) (*Catalogue, error) {
	return loadCatalogue(goalsFS, indicatorsFS, extra, "extra")
}

func loadCatalogue(goalsFS, indFS, extra fs.FS, extraName string) (*Catalogue, error) {
	c := &Catalogue{
		strategies: map[string]*Strategy{},
		goals:      map[string]*Goal{},
		areas:      map[string]*Area{},
		measures:   map[string]*Measure{},
		indicators: map[string]*Indicator{},
	}
	type file struct {
		name string
		src  []byte
	}
	read := func(fsys fs.FS, prefix string) ([]file, error) {
		names, err := fs.Glob(fsys, "*.yaml")
		if err != nil {
			return nil, err
		}
		more, _ := fs.Glob(fsys, "*.yml")
		names = append(names, more...)
		sort.Strings(names)
		var out []file
		for _, n := range names {
			b, err := fs.ReadFile(fsys, n)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path.Join(prefix, n), err)
			}
			out = append(out, file{path.Join(prefix, n), b})
		}
		return out, nil
	}
	goalFiles, err := read(goalsFS, "data/goals")
	if err != nil {
		return nil, err
	}
	indFiles, err := read(indFS, "data/indicators")
	if err != nil {
		return nil, err
	}
	if extra != nil {
		ef, err := read(extra, extraName)
		if err != nil {
			return nil, err
		}
		// A file in the extra directory is a goal catalogue when it has a
		// top-level "strategy", otherwise indicator definitions.
		for _, f := range ef {
			var probe map[string]yaml.Node
			if err := yaml.Unmarshal(f.src, &probe); err != nil {
				return nil, yamlErr(f.name, err)
			}
			if _, ok := probe["strategy"]; ok {
				goalFiles = append(goalFiles, f)
			} else {
				indFiles = append(indFiles, f)
			}
		}
	}
	for _, f := range goalFiles {
		if err := c.addGoalFile(f.name, f.src); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(c.Strategies, func(i, j int) bool {
		return c.Strategies[i].ID == "national" && c.Strategies[j].ID != "national"
	})
	if len(c.Delmal) != 6 {
		return nil, fmt.Errorf("goal catalogues: the six national delmål are not defined (want a file with a top-level delmal list of 1–6, found %d)", len(c.Delmal))
	}
	c.rebuildGoalIndex()
	if err := c.checkGoals(); err != nil {
		return nil, err
	}
	// Measures first (any file may declare them), then indicators.
	var docs []*indicatorFile
	for _, f := range indFiles {
		d, err := parseIndicatorFile(f.name, f.src)
		if err != nil {
			return nil, err
		}
		for _, m := range d.measures {
			if prev, dup := c.measures[m.ID]; dup {
				return nil, fmt.Errorf("%s:%d: measure %q is already declared at %s:%d", m.File, m.Line, m.ID, prev.File, prev.Line)
			}
			c.measures[m.ID] = m
			c.Measures = append(c.Measures, m)
		}
		docs = append(docs, d)
	}
	for _, d := range docs {
		for _, ind := range d.indicators {
			if prev, dup := c.indicators[ind.ID]; dup {
				return nil, fmt.Errorf("%s:%d: indicator %q is already defined at %s:%d", ind.File, ind.Line, ind.ID, prev.File, prev.Line)
			}
			if err := c.validateIndicator(ind); err != nil {
				return nil, err
			}
			c.indicators[ind.ID] = ind
			c.Indicators = append(c.Indicators, ind)
		}
	}
	return c, nil
}

// goalFile is the YAML shape of a goal catalogue.
type goalFile struct {
	Strategy Strategy  `yaml:"strategy"`
	Delmal   []Delmal  `yaml:"delmal"`
	Areas    []*Area   `yaml:"areas"`
	Goals    yaml.Node `yaml:"goals"`
}

func (c *Catalogue) addGoalFile(name string, src []byte) error {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return yamlErr(name, err)
	}
	doc := docNode(&root)
	if doc == nil || doc.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: a goal catalogue is a mapping with strategy, areas and goals", name)
	}
	if err := checkKeys(name, doc, "strategy", "delmal", "areas", "goals"); err != nil {
		return err
	}
	var gf goalFile
	if err := doc.Decode(&gf); err != nil {
		return yamlErr(name, err)
	}
	if sn := mapValue(doc, "strategy"); sn != nil {
		if err := checkKeys(name, sn, yamlKeys(Strategy{})...); err != nil {
			return err
		}
	}
	s := gf.Strategy
	line := keyLine(doc, "strategy")
	switch {
	case s.ID == "":
		return fmt.Errorf("%s:%d: strategy has no id", name, line)
	case !validID(s.ID):
		return fmt.Errorf("%s:%d: strategy id %q: use lower-case letters, digits and '-'", name, line, s.ID)
	case s.Name == "":
		return fmt.Errorf("%s:%d: strategy %s has no name", name, line, s.ID)
	case s.Start == 0:
		return fmt.Errorf("%s:%d: strategy %s has no start year", name, line, s.ID)
	}
	if s.BaselineYear == 0 {
		s.BaselineYear = s.Start
	}
	if s.Scope != "" {
		if _, ok := data.GeoByCode(s.Scope); !ok {
			return fmt.Errorf("%s:%d: strategy %s: unknown scope geo code %q", name, line, s.ID, s.Scope)
		}
	}
	s.File = name
	st := &s
	if len(gf.Delmal) > 0 {
		if len(c.Delmal) > 0 {
			return fmt.Errorf("%s:%d: the national delmål are already defined; only one catalogue may list them", name, keyLine(doc, "delmal"))
		}
		for i, d := range gf.Delmal {
			if d.Number != i+1 || d.Text == "" {
				return fmt.Errorf("%s:%d: delmål must be numbered 1, 2, … in order, each with a text", name, keyLine(doc, "delmal"))
			}
		}
		c.Delmal = gf.Delmal
	}
	for _, a := range gf.Areas {
		if !validID(a.ID) || a.Name == "" {
			return fmt.Errorf("%s:%d: area %q needs an id (lower-case, digits, '-') and a name", name, keyLine(doc, "areas"), a.ID)
		}
		a.Strategy = s.ID
		st.Areas = append(st.Areas, a)
	}
	goalsNode := mapValue(doc, "goals")
	if goalsNode != nil && goalsNode.Kind == yaml.SequenceNode {
		for _, gn := range goalsNode.Content {
			if err := checkKeys(name, gn, yamlKeys(Goal{})...); err != nil {
				return err
			}
			g := &Goal{}
			if err := gn.Decode(g); err != nil {
				return yamlErr(name, err)
			}
			g.Strategy, g.File, g.Line, g.BaselineYear = s.ID, name, gn.Line, s.BaselineYear
			if g.Source == "" {
				g.Source = s.Source
			}
			st.Goals = append(st.Goals, g)
		}
	} else if goalsNode != nil && !(goalsNode.Kind == yaml.ScalarNode && goalsNode.Tag == "!!null") {
		return fmt.Errorf("%s:%d: goals must be a list", name, goalsNode.Line)
	}
	// A later file with the same strategy id replaces the earlier one.
	if old, ok := c.strategies[s.ID]; ok {
		for i, x := range c.Strategies {
			if x == old {
				c.Strategies[i] = st
			}
		}
	} else {
		c.Strategies = append(c.Strategies, st)
	}
	c.strategies[s.ID] = st
	return nil
}

func (c *Catalogue) rebuildGoalIndex() {
	c.goals = map[string]*Goal{}
	c.areas = map[string]*Area{}
	for _, s := range c.Strategies {
		for _, a := range s.Areas {
			c.areas[a.ID] = a
		}
	}
}

func (c *Catalogue) checkGoals() error {
	for _, s := range c.Strategies {
		for _, g := range s.Goals {
			switch {
			case g.ID == "":
				return fmt.Errorf("%s:%d: goal has no id", g.File, g.Line)
			case !validID(g.ID):
				return fmt.Errorf("%s:%d: goal id %q: use lower-case letters, digits and '-'", g.File, g.Line, g.ID)
			case strings.TrimSpace(g.Text) == "":
				return fmt.Errorf("%s:%d: goal %s has no text", g.File, g.Line, g.ID)
			case len(g.Delmal) == 0:
				return fmt.Errorf("%s:%d: goal %s names no delmål (want one or more of 1–6)", g.File, g.Line, g.ID)
			}
			if prev, dup := c.goals[g.ID]; dup {
				return fmt.Errorf("%s:%d: goal id %q is already used at %s:%d", g.File, g.Line, g.ID, prev.File, prev.Line)
			}
			for _, d := range g.Delmal {
				if d < 1 || d > len(c.Delmal) {
					return fmt.Errorf("%s:%d: goal %s: unknown delmål %d (want 1–6)", g.File, g.Line, g.ID, d)
				}
			}
			if g.Area != "" {
				a, ok := c.areas[g.Area]
				if !ok || a.Strategy != s.ID {
					return fmt.Errorf("%s:%d: goal %s: unknown priority area %q in strategy %s", g.File, g.Line, g.ID, g.Area, s.ID)
				}
			}
			if g.TextEn == "" {
				// A goal that is a delmål word for word reads as the delmål in English.
				for _, d := range c.Delmal {
					if d.TextEn != "" && strings.EqualFold(strings.TrimSpace(d.Text), strings.TrimSpace(g.Text)) {
						g.TextEn = d.TextEn
					}
				}
			}
			c.goals[g.ID] = g
		}
		for _, a := range s.Areas {
			if err := c.resolveAreaDelmal(s, a); err != nil {
				return err
			}
		}
		if s.GoalsTotal > 0 && len(s.Goals) > s.GoalsTotal {
			return fmt.Errorf("%s: strategy %s lists %d goals but says it has %d", s.File, s.ID, len(s.Goals), s.GoalsTotal)
		}
	}
	return nil
}

// resolveAreaDelmal checks an area's delmål or fills them in from the
// goals in the area, else from a delmål of the same name.
func (c *Catalogue) resolveAreaDelmal(s *Strategy, a *Area) error {
	for _, d := range a.Delmal {
		if d < 1 || d > len(c.Delmal) {
			return fmt.Errorf("%s: area %s: unknown delmål %d (want 1–6)", s.File, a.ID, d)
		}
	}
	if len(a.Delmal) > 0 {
		return nil
	}
	for _, g := range s.Goals {
		if g.Area != a.ID {
			continue
		}
		for _, d := range g.Delmal {
			if !containsInt(a.Delmal, d) {
				a.Delmal = append(a.Delmal, d)
			}
		}
	}
	for _, d := range c.Delmal {
		if len(a.Delmal) == 0 && strings.EqualFold(strings.TrimSpace(d.Text), strings.TrimSpace(a.Name)) {
			a.Delmal = []int{d.Number}
		}
	}
	if len(a.Delmal) == 0 {
		return fmt.Errorf("%s: area %s: no goal of the strategy is in it, so say which delmål it serves (delmal: [N])", s.File, a.ID)
	}
	return nil
}

// Goals returns every goal in strategy order.
func (c *Catalogue) Goals() []*Goal {
	var out []*Goal
	for _, s := range c.Strategies {
		out = append(out, s.Goals...)
	}
	return out
}

func validID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}
