package ingest

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// fieldID names a canonical field a column can fill.
type fieldID uint8

const (
	fNone fieldID = iota
	// Observation and shared fields.
	fMeasure
	fGeo
	fPeriod
	fSex
	fOccupation
	fSector
	fValue
	fN
	fUnit
	fStatus
	// Employee fields.
	fEmployer
	fPerson
	fBirthYear
	fAge
	fAID
	fOccLabel
	fWage
	fRate
	fContract
	fHourly
	fSched
	fSick
	fManager
	fEducation
	fFlex
	fSplit
	fEvening
	fieldCount
)

type fieldInfo struct {
	id      fieldID
	name    string // canonical name
	obs     bool   // valid for observation specs
	emp     bool   // valid for employee specs
	numeric bool   // parsed as a number
	boolean bool   // parsed as a yes/no word
}

var fieldTable = []fieldInfo{
	{fMeasure, "measure", true, false, false, false},
	{fGeo, "geo_code", true, false, false, false},
	{fPeriod, "period", true, true, false, false},
	{fSex, "sex", true, true, false, false},
	{fOccupation, "occupation_code", true, true, false, false},
	{fSector, "sector", true, true, false, false},
	{fValue, "value", true, false, true, false},
	{fN, "n", true, false, true, false},
	{fUnit, "unit", true, false, false, false},
	{fStatus, "status", true, false, false, false},
	{fEmployer, "employer_code", false, true, false, false},
	{fPerson, "person_key", false, true, false, false},
	{fBirthYear, "birth_year", false, true, true, false},
	{fAge, "age", false, true, true, false},
	{fAID, "aid_code", false, true, false, false},
	{fOccLabel, "occupation_label", false, true, false, false},
	{fWage, "monthly_wage_fte", false, true, true, false},
	{fRate, "employment_rate", false, true, true, false},
	{fContract, "contract", false, true, false, false},
	{fHourly, "hourly_paid", false, true, false, true},
	{fSched, "scheduled_hours", false, true, true, false},
	{fSick, "sick_leave_hours", false, true, true, false},
	{fManager, "is_manager", false, true, false, true},
	{fEducation, "education", false, true, false, false},
	{fFlex, "flextime", false, true, false, true},
	{fSplit, "split_shifts", false, true, false, true},
	{fEvening, "evening_weekend", false, true, false, true},
}

// fieldAliases are the short names a spec may use.
var fieldAliases = map[string]fieldID{
	"geo": fGeo, "occupation": fOccupation, "employer": fEmployer, "person": fPerson,
	"aid": fAID, "wage": fWage, "manager": fManager,
}

func lookupField(name string) (fieldInfo, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if id, ok := fieldAliases[n]; ok {
		return fieldTable[id-1], true
	}
	for _, f := range fieldTable {
		if f.name == n {
			return f, true
		}
	}
	return fieldInfo{}, false
}

func fieldName(id fieldID) string {
	if id == fNone || id >= fieldCount {
		return ""
	}
	return fieldTable[id-1].name
}

// Geo modes of a geo or employer column.
const (
	geoCode  = "code"  // a kommun/county code, repaired by data.NormalizeGeoCode
	geoName  = "name"  // a kommun or county name, looked up by data.GeoByName
	geoNUTS2 = "nuts2" // a NUTS 2 riksområde code (SE11 ...), kept as written
)

// compiledSpec is a Spec checked and turned into what the readers use.
type compiledSpec struct {
	kind       string
	format     string
	enc        string // canonical encoding or encAuto
	delim      byte   // 0 = auto
	num        numberFormat
	missing    map[string]string // trimmed symbol → status
	sex        map[string]string // lower-case code → T/K/M
	trueW      map[string]bool   // lower-case words
	falseW     map[string]bool
	skipRows   int
	headerRows int
	headerJoin string
	headerFill bool
	spacers    bool
	errMissing bool // error cells are missing values, not rejected rows
	stdBools   bool // no true_values/false_values: "ja"/"nej" mean what they usually do
	cols       []*specColumn
	melts      []*specMelt
	set        [fieldCount]string
	setDims    map[string]string
	fromFile   *regexp.Regexp
	fromTitle  *regexp.Regexp
	matchHdr   []string // normalised
	matchFile  *regexp.Regexp
	matchSheet *regexp.Regexp
	matchTitle *regexp.Regexp
}

type specColumn struct {
	idx      int // position in Spec.Columns
	header   string
	norm     string // normalised header
	letter   int    // 0-based column from Letter; -1 when by header
	field    fieldInfo
	dim      string
	geo      string
	pattern  *regexp.Regexp
	patGroup int
	mapping  map[string]string // lower-case key
	typ      string
	fraction bool
	fillDown bool
	optional bool
}

type specMelt struct {
	idx     int
	header  string // normalised
	pattern *regexp.Regexp
	set     [fieldCount]string
	dims    map[string]string
}

// compile validates the spec once and caches the result.
func (s *Spec) compile() (*compiledSpec, error) {
	s.once.Do(func() { s.compiled, s.cerr = s.doCompile() })
	return s.compiled, s.cerr
}

var specNameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

func (s *Spec) doCompile() (*compiledSpec, error) {
	c := &compiledSpec{}
	if !specNameRe.MatchString(s.Name) {
		return nil, s.specErr(fmt.Sprintf("name %q must be lower-case letters, digits, _ . or -", s.Name), "name")
	}
	switch s.Kind {
	case KindObservation, KindEmployee, KindReference, KindAnalysis:
		c.kind = s.Kind
	case "":
		return nil, s.specErr("kind is missing (observation, employee, reference or analysis)")
	default:
		return nil, s.specErr(fmt.Sprintf("kind %q is not observation, employee, reference or analysis", s.Kind), "kind")
	}
	switch s.Format {
	case "", string(FormatCSV), string(FormatXLSX):
		c.format = s.Format
	default:
		return nil, s.specErr(fmt.Sprintf("format %q is not csv or xlsx", s.Format), "format")
	}
	var err error
	if c.matchFile, err = s.regexpAt(s.Match.File, "match", "file"); err != nil {
		return nil, err
	}
	if c.matchSheet, err = s.regexpAt(s.Match.Sheet, "match", "sheet"); err != nil {
		return nil, err
	}
	if c.matchTitle, err = s.regexpAt(s.Match.Title, "match", "title"); err != nil {
		return nil, err
	}
	for i, h := range s.Match.Header {
		if normLabel(h) == "" {
			return nil, s.specErr("empty name in match.header", "match", "header", i)
		}
		c.matchHdr = append(c.matchHdr, normLabel(h))
	}
	if c.kind == KindReference || c.kind == KindAnalysis {
		if strings.TrimSpace(s.Note) == "" {
			return nil, s.specErr("a "+c.kind+" spec needs a note saying where the file belongs", "kind")
		}
		// Only recognition reads such a file: a one-row header, any encoding.
		c.enc, c.headerRows, c.headerJoin = encAuto, 1, " "
		return c, nil
	}

	enc, ok := canonicalEncoding(s.Encoding)
	if !ok {
		return nil, s.specErr(fmt.Sprintf("encoding %q is not utf-8, latin1, windows-1252, utf-16, utf-16le, utf-16be or auto", s.Encoding), "encoding")
	}
	c.enc = enc
	switch s.Delimiter {
	case "", "auto":
	case ",", ";", "\t", "|":
		c.delim = s.Delimiter[0]
	case "tab", `\t`:
		c.delim = '\t'
	default:
		return nil, s.specErr(fmt.Sprintf("delimiter %q is not \",\", \";\", tab, \"|\" or auto", s.Delimiter), "delimiter")
	}
	switch s.Decimal {
	case "", ".":
		c.num.decimal = '.'
	case ",":
		c.num.decimal = ','
	default:
		return nil, s.specErr(fmt.Sprintf("decimal %q is not \".\" or \",\"", s.Decimal), "decimal")
	}
	if s.Thousands == nil && c.num.decimal == ',' {
		c.num.thousands = [][]byte{[]byte(" "), []byte("\u00a0"), []byte("\u202f")}
	}
	for i, t := range s.Thousands {
		switch strings.ToLower(t) {
		case "space":
			t = " "
		case "nbsp":
			t = "\u00a0"
		case "nnbsp", "narrow_nbsp":
			t = "\u202f"
		case "thin_space":
			t = "\u2009"
		}
		if t == "" || len(t) > 4 || strings.ContainsAny(t, "0123456789") || (len(t) == 1 && t[0] == c.num.decimal) {
			return nil, s.specErr(fmt.Sprintf("thousands separator %q is empty, a digit or the decimal separator", t), "thousands", i)
		}
		c.num.thousands = append(c.num.thousands, []byte(t))
	}
	if s.SkipRows < 0 || s.SkipRows > 10000 {
		return nil, s.specErr("skip_rows must be between 0 and 10000", "skip_rows")
	}
	c.skipRows = s.SkipRows
	c.headerRows = 1
	if s.HeaderRows != nil {
		c.headerRows = *s.HeaderRows
		if c.headerRows < 0 || c.headerRows > 20 {
			return nil, s.specErr("header_rows must be between 0 and 20", "header_rows")
		}
	}
	c.headerJoin = " "
	if s.HeaderJoin != nil {
		c.headerJoin = *s.HeaderJoin
	}
	c.headerFill = s.HeaderFill == nil || *s.HeaderFill
	c.spacers = s.Spacers
	switch s.CellErrors {
	case "", "reject":
	case "missing":
		c.errMissing = true
	default:
		return nil, s.specErr(fmt.Sprintf("cell_errors %q is not reject or missing", s.CellErrors), "cell_errors")
	}
	c.missing = map[string]string{}
	syms := s.Missing
	if syms == nil {
		syms = []string{"..", ".", "-", "–", "NA", ""}
	}
	for _, m := range syms {
		m = strings.TrimSpace(m)
		st := m
		if m == "" {
			st = "missing"
		}
		c.missing[m] = st
	}
	c.sex = map[string]string{}
	for k, v := range defaultSexCodes {
		c.sex[k] = v
	}
	for _, k := range sortedKeys(s.Sex) {
		v := s.Sex[k]
		code := strings.ToUpper(strings.TrimSpace(v))
		if code != SexTotal && code != SexWomen && code != SexMen {
			return nil, s.specErr(fmt.Sprintf("sex code %q maps to %q; it must map to T, K or M", k, v), "sex", k)
		}
		c.sex[strings.ToLower(strings.TrimSpace(k))] = code
	}
	withCaseVariants(c.sex)
	c.trueW, c.falseW = map[string]bool{}, map[string]bool{}
	for _, w := range defaultTrue {
		c.trueW[w] = true
	}
	for _, w := range defaultFalse {
		c.falseW[w] = true
	}
	for _, w := range s.TrueValues {
		w = strings.ToLower(strings.TrimSpace(w))
		delete(c.falseW, w)
		c.trueW[w] = true
	}
	for _, w := range s.FalseValues {
		w = strings.ToLower(strings.TrimSpace(w))
		delete(c.trueW, w)
		c.falseW[w] = true
	}
	withCaseVariants(c.trueW)
	withCaseVariants(c.falseW)
	c.stdBools = len(s.TrueValues) == 0 && len(s.FalseValues) == 0
	if err := s.compileSet(&s.Set, &c.set, &c.setDims, c, "set"); err != nil {
		return nil, err
	}
	for _, ff := range []struct {
		key  string
		expr string
		dst  **regexp.Regexp
	}{{"from_file", s.FromFile, &c.fromFile}, {"from_title", s.FromTitle, &c.fromTitle}} {
		re, err := s.regexpAt(ff.expr, ff.key)
		if err != nil {
			return nil, err
		}
		*ff.dst = re
		if re == nil {
			continue
		}
		for _, g := range re.SubexpNames()[1:] {
			if g == "" {
				continue
			}
			f, ok := lookupField(g)
			if ok && (!fieldFits(f, c.kind) || f.numeric || f.boolean) {
				return nil, s.specErr(fmt.Sprintf("%s group %q cannot set %s", ff.key, g, f.name), ff.key)
			}
			if !ok && c.kind != KindObservation {
				return nil, s.specErr(fmt.Sprintf("%s group %q is not a field of employee rows", ff.key, g), ff.key)
			}
		}
	}
	if err := s.compileColumns(c); err != nil {
		return nil, err
	}
	if err := s.compileMelts(c); err != nil {
		return nil, err
	}
	return c, s.checkComplete(c)
}

func fieldFits(f fieldInfo, kind string) bool {
	return (kind == KindObservation && f.obs) || (kind == KindEmployee && f.emp)
}

func (s *Spec) regexpAt(expr string, path ...any) (*regexp.Regexp, error) {
	if expr == "" {
		return nil, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, s.specErr(fmt.Sprintf("invalid regexp %q: %v", expr, err), path...)
	}
	return re, nil
}

// compileSet checks a set block and stores it by field.
func (s *Spec) compileSet(set *Set, out *[fieldCount]string, dims *map[string]string, c *compiledSpec, path ...any) error {
	vals := []struct {
		id  fieldID
		key string
		v   string
	}{
		{fMeasure, "measure", set.Measure}, {fGeo, "geo", set.Geo}, {fPeriod, "period", set.Period},
		{fSex, "sex", set.Sex}, {fOccupation, "occupation", set.Occupation}, {fSector, "sector", set.Sector},
		{fUnit, "unit", set.Unit}, {fEmployer, "employer", set.Employer},
	}
	for _, v := range vals {
		if v.v == "" {
			continue
		}
		f := fieldTable[v.id-1]
		if !fieldFits(f, c.kind) {
			return s.specErr(fmt.Sprintf("%s is not a field of %s rows", v.key, c.kind), append(path, v.key)...)
		}
		val := v.v
		if v.id == fSex {
			code, ok := c.sex[strings.ToLower(strings.TrimSpace(val))]
			if !ok {
				return s.specErr(fmt.Sprintf("unknown sex code %q", val), append(path, v.key)...)
			}
			val = code
		}
		out[v.id] = val
	}
	if len(set.Dims) > 0 {
		if c.kind != KindObservation {
			return s.specErr("dims are for observation rows", append(path, "dims")...)
		}
		*dims = map[string]string{}
		for k, v := range set.Dims {
			if strings.TrimSpace(k) == "" {
				return s.specErr("empty dimension name", append(path, "dims")...)
			}
			(*dims)[k] = v
		}
	}
	return nil
}

func (s *Spec) compileColumns(c *compiledSpec) error {
	seenField := map[fieldID]int{}
	seenDim := map[string]int{}
	for i, col := range s.Columns {
		at := func(k string) []any { return []any{"columns", i, k} }
		sc := &specColumn{idx: i, letter: -1, header: strings.TrimSpace(col.Header), norm: normLabel(col.Header)}
		switch {
		case col.Header != "" && col.Letter != "":
			return s.specErr("give header or letter, not both", "columns", i)
		case col.Letter != "":
			n, ok := columnIndex(col.Letter)
			if !ok {
				return s.specErr(fmt.Sprintf("letter %q is not a column letter (A, B ... XFD)", col.Letter), at("letter")...)
			}
			sc.letter = n
		case sc.norm == "":
			return s.specErr("a column needs a header or a letter", "columns", i)
		default:
			if c.headerRows == 0 {
				return s.specErr("header_rows is 0, so columns are named by letter", at("header")...)
			}
		}
		switch {
		case col.Field != "" && col.Dim != "":
			return s.specErr("give field or dim, not both", "columns", i)
		case col.Dim != "":
			if c.kind != KindObservation {
				return s.specErr("dims are for observation rows", at("dim")...)
			}
			if prev, dup := seenDim[col.Dim]; dup {
				return s.specErr(fmt.Sprintf("dim %q is mapped twice (columns %d and %d)", col.Dim, prev+1, i+1), at("dim")...)
			}
			seenDim[col.Dim] = i
			sc.dim = col.Dim
		case col.Field != "":
			f, ok := lookupField(col.Field)
			if !ok {
				return s.specErr(fmt.Sprintf("unknown field %q", col.Field), at("field")...)
			}
			if !fieldFits(f, c.kind) {
				return s.specErr(fmt.Sprintf("%s is not a field of %s rows", f.name, c.kind), at("field")...)
			}
			if prev, dup := seenField[f.id]; dup {
				return s.specErr(fmt.Sprintf("field %s is mapped twice (columns %d and %d)", f.name, prev+1, i+1), at("field")...)
			}
			seenField[f.id] = i
			sc.field = f
		default:
			return s.specErr("a column needs a field or a dim", "columns", i)
		}
		if col.Geo != "" {
			if sc.field.id != fGeo && sc.field.id != fEmployer {
				return s.specErr("geo applies to geo_code and employer_code columns", at("geo")...)
			}
			switch col.Geo {
			case geoCode, geoName, geoNUTS2:
			default:
				return s.specErr(fmt.Sprintf("geo %q is not code, name or nuts2", col.Geo), at("geo")...)
			}
		}
		sc.geo = col.Geo
		if sc.geo == "" {
			sc.geo = geoCode
		}
		if sc.field.id == fEmployer && sc.geo == geoNUTS2 {
			return s.specErr("an employer is a kommun or region: geo must be code or name", at("geo")...)
		}
		re, err := s.regexpAt(col.Pattern, at("pattern")...)
		if err != nil {
			return err
		}
		if re != nil {
			sc.pattern = re
			sc.patGroup = 0
			if re.NumSubexp() > 0 {
				sc.patGroup = 1
			}
			if g := re.SubexpIndex("value"); g > 0 {
				sc.patGroup = g
			}
		}
		if len(col.Map) > 0 {
			sc.mapping = map[string]string{}
			for k, v := range col.Map {
				sc.mapping[strings.ToLower(strings.TrimSpace(k))] = v
			}
		}
		switch col.Type {
		case "", "text":
		case "date", "year", "month":
			if (sc.field.numeric && sc.field.id != fBirthYear) || sc.field.boolean || sc.field.id == fSex {
				return s.specErr(fmt.Sprintf("type %s applies to text fields such as period", col.Type), at("type")...)
			}
			sc.typ = col.Type
		default:
			return s.specErr(fmt.Sprintf("type %q is not text, date, year or month", col.Type), at("type")...)
		}
		if col.Fraction && sc.field.id != fRate {
			return s.specErr("fraction applies to employment_rate", at("fraction")...)
		}
		sc.fraction = col.Fraction
		sc.fillDown = col.FillDown
		sc.optional = col.Optional
		c.cols = append(c.cols, sc)
	}
	return nil
}

func (s *Spec) compileMelts(c *compiledSpec) error {
	if len(s.Melt) > 0 && c.kind != KindObservation {
		return s.specErr("melt is for observation rows", "melt")
	}
	if len(s.Melt) > 0 && c.headerRows == 0 {
		return s.specErr("melt needs a header (header_rows is 0)", "melt")
	}
	for i, m := range s.Melt {
		sm := &specMelt{idx: i, header: normLabel(m.Header)}
		switch {
		case m.Header != "" && m.Pattern != "":
			return s.specErr("give header or pattern, not both", "melt", i)
		case m.Header == "" && m.Pattern == "":
			return s.specErr("a melt entry needs a header or a pattern", "melt", i)
		}
		re, err := s.regexpAt(m.Pattern, "melt", i, "pattern")
		if err != nil {
			return err
		}
		sm.pattern = re
		if re != nil {
			for _, g := range re.SubexpNames()[1:] {
				if g == "" {
					continue
				}
				if f, ok := lookupField(g); ok && (!f.obs || f.numeric || f.id == fStatus) {
					return s.specErr(fmt.Sprintf("group %q cannot set %s", g, f.name), "melt", i, "pattern")
				}
			}
		}
		if err := s.compileSet(&m.Set, &sm.set, &sm.dims, c, "melt", i, "set"); err != nil {
			return err
		}
		c.melts = append(c.melts, sm)
	}
	return nil
}

// checkComplete makes sure every required field has a source.
func (s *Spec) checkComplete(c *compiledSpec) error {
	has := func(id fieldID) bool {
		if c.set[id] != "" {
			return true
		}
		for _, col := range c.cols {
			if col.field.id == id {
				return true
			}
		}
		for _, re := range []*regexp.Regexp{c.fromFile, c.fromTitle} {
			if re == nil {
				continue
			}
			for _, g := range re.SubexpNames() {
				if f, ok := lookupField(g); ok && f.id == id {
					return true
				}
			}
		}
		return false
	}
	meltHas := func(m *specMelt, id fieldID) bool {
		if m.set[id] != "" {
			return true
		}
		if m.pattern == nil {
			return false
		}
		for _, g := range m.pattern.SubexpNames() {
			if f, ok := lookupField(g); ok && f.id == id {
				return true
			}
		}
		return false
	}
	var need []fieldID
	switch c.kind {
	case KindObservation:
		need = []fieldID{fMeasure, fPeriod}
		hasValue := has(fValue)
		if hasValue && len(c.melts) > 0 {
			return s.specErr("a value column and melt cannot both give the value", "melt")
		}
		if !hasValue && len(c.melts) == 0 {
			return s.specErr("no value: map a column to field value or melt wide columns")
		}
	case KindEmployee:
		need = []fieldID{fPeriod, fEmployer, fPerson, fSex}
	}
	for _, id := range need {
		if has(id) {
			continue
		}
		if len(c.melts) > 0 {
			all := true
			for _, m := range c.melts {
				all = all && meltHas(m, id)
			}
			if all {
				continue
			}
		}
		return s.specErr(fmt.Sprintf("no source for %s: map a column, set it, or take it from the file name or the melted headers", fieldName(id)))
	}
	return nil
}

// defaultSexCodes are the sex codes every spec understands (lower case).
// Numeric codes are not here: SCB's 1 = men, 2 = women clashes with a
// female dummy's 1 = women, so a spec states which it means.
var defaultSexCodes = map[string]string{
	"t": SexTotal, "tot": SexTotal, "total": SexTotal, "totalt": SexTotal, "samtliga": SexTotal,
	"alla": SexTotal, "båda könen": SexTotal, "both sexes": SexTotal, "all": SexTotal,
	"k": SexWomen, "kv": SexWomen, "kvinna": SexWomen, "kvinnor": SexWomen, "f": SexWomen,
	"female": SexWomen, "females": SexWomen, "woman": SexWomen, "women": SexWomen, "w": SexWomen,
	"m": SexMen, "man": SexMen, "män": SexMen, "male": SexMen, "males": SexMen, "men": SexMen,
}

var defaultTrue = []string{"ja", "j", "yes", "y", "true", "sant", "1", "x"}
var defaultFalse = []string{"nej", "n", "no", "false", "falskt", "0"}

// normLabel is how header names are compared: spaces (also NBSP) trimmed
// and collapsed, case folded.
func normLabel(s string) string {
	f := strings.FieldsFunc(s, isSpaceRune)
	return strings.ToLower(strings.Join(f, " "))
}

// columnIndex turns a spreadsheet letter ("A", "AB") into a 0-based index.
func columnIndex(letters string) (int, bool) {
	letters = strings.ToUpper(strings.TrimSpace(letters))
	if letters == "" || len(letters) > 3 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(letters); i++ {
		c := letters[i]
		if c < 'A' || c > 'Z' {
			return 0, false
		}
		n = n*26 + int(c-'A'+1)
	}
	if n > 16384 {
		return 0, false
	}
	return n - 1, true
}

// columnLetter is the inverse of columnIndex.
func columnLetter(i int) string {
	var b [4]byte
	p := len(b)
	for n := i + 1; n > 0 && p > 0; n = (n - 1) / 26 {
		p--
		b[p] = byte('A' + (n-1)%26)
	}
	return string(b[p:])
}

// sortedKeys lists a map's keys in order, for stable messages.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
