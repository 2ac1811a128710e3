package ingest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/jamstat/jamstat/data"
)

// This file holds what the cube formats (PX, JSON-stat, PxWebApi v1) share:
// a cube is a list of variables (dimensions), each with ordered categories
// (code and label), and a flat array of cells in row-major order (the last
// variable varies fastest). cubeMapper turns one cell into an Observation.
//
// Mapping rules, the same for every cube format:
//   - a geography variable (JSON-stat role "geo", or named region/län/kommun/
//     county/municipality) sets GeoCode: the first token of the category code
//     (or of its label when the code is empty) through data.NormalizeGeoCode,
//     so "01 Stockholm county" → "01", "00" → "0000", "0114" → "0114". A code
//     jamstat does not know rejects the cell, naming the code.
//   - a sex variable (named sex/kön/kon/gender) sets Sex: codes 1/2 (SCB) and
//     T/K/M, labels men/women/män/kvinnor/total/totalt/samtliga ... An unknown
//     category rejects the cell. A cube without a sex variable is Sex "T".
//   - a time variable (PX TIMEVAL, JSON-stat role "time", v1 type "t", or
//     named period/år/year/tid/month/quarter) sets Period to the category code.
//   - a contents variable (JSON-stat role "metric", v1 type "c", or named
//     ContentsCode/tabellinnehåll/contents) sets Measure to the category code
//     (SCB content codes such as "BE0101N1" or "000005NO" are unique across
//     its database); without one, Measure is the table id (PX MATRIX, SCB
//     tableid) or, lacking that, a slug of CONTENTS/label.
//   - every other variable goes into Dims: variable name → category code (the
//     label when the code is empty).

// cubeRole is what a cube variable means to jamstat.
type cubeRole int

const (
	roleDim cubeRole = iota
	roleGeo
	roleSex
	roleTime
	roleMetric
)

// cubeVar is one variable (dimension) of a cube.
type cubeVar struct {
	Name   string   // PX variable name, JSON-stat dimension id, v1 column code
	Codes  []string // category codes; "" where the source gives none
	Labels []string // category labels, same length as Codes
	Role   cubeRole
	Units  []string // per category unit (contents variables), may be nil
}

// cubeMeta is the part of a cube that is the same for every cell.
type cubeMeta struct {
	Measure string // used when no variable has roleMetric
	Unit    string // used when the metric category has no unit of its own
}

var geoNames = map[string]bool{
	"region": true, "lan": true, "län": true, "kommun": true, "county": true,
	"municipality": true, "geo": true, "område": true, "omrade": true, "regioner": true,
}

var sexNames = map[string]bool{
	"sex": true, "kön": true, "kon": true, "gender": true, "kön/sex": true,
}

var timeNames = map[string]bool{
	"period": true, "år": true, "ar": true, "year": true, "tid": true, "time": true,
	"månad": true, "manad": true, "month": true, "kvartal": true, "quarter": true,
}

var metricNames = map[string]bool{
	"contentscode": true, "tabellinnehåll": true, "tabellinnehall": true,
	"contents": true, "table contents": true,
}

// guessRole classifies a variable by its name (and label, if any) when the
// format states no role.
func guessRole(names ...string) cubeRole {
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		switch {
		case sexNames[n]:
			return roleSex
		case geoNames[n]:
			return roleGeo
		case timeNames[n]:
			return roleTime
		case metricNames[n]:
			return roleMetric
		}
	}
	return roleDim
}

// sexFromCategory maps a sex category to T/K/M from its label and its code
// (SCB: 1 = män, 2 = kvinnor). When both are known they must agree: a
// source that numbers the sexes the other way round is caught, not loaded
// with the sexes swapped.
func sexFromCategory(code, label string) (string, string) {
	byLabel := ""
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "men", "man", "män", "male", "males", "boys", "pojkar":
		byLabel = SexMen
	case "women", "woman", "kvinnor", "kvinna", "female", "females", "girls", "flickor":
		byLabel = SexWomen
	case "total", "totalt", "samtliga", "both sexes", "män och kvinnor", "kvinnor och män",
		"men and women", "women and men", "all", "totalt kön", "båda könen":
		byLabel = SexTotal
	}
	byCode := ""
	switch strings.ToUpper(strings.TrimSpace(code)) {
	case "1", "M":
		byCode = SexMen
	case "2", "K", "F":
		byCode = SexWomen
	case "T", "TOT", "TOTAL", "1+2", "TOTALT", "SAMTLIGA":
		byCode = SexTotal
	}
	switch {
	case byLabel != "" && byCode != "" && byLabel != byCode:
		return "", fmt.Sprintf("sex code %q means %s but its label %q means %s", code, byCode, label, byLabel)
	case byLabel != "":
		return byLabel, ""
	case byCode != "":
		return byCode, ""
	}
	return "", fmt.Sprintf("unknown sex category %q (%s)", code, label)
}

// geoFromCategory maps a geography category to a canonical geo code.
func geoFromCategory(code, label string) (string, bool) {
	src := strings.TrimSpace(code)
	if src == "" {
		src = strings.TrimSpace(label)
	}
	first := src
	if i := strings.IndexAny(src, " \t"); i > 0 {
		first = src[:i]
	}
	if g, ok := data.NormalizeGeoCode(first); ok {
		return g, true
	}
	// Tables that name places without codes ("Stockholms län", "Göteborg")
	// are joined by name. A category that has a numeric code is not: an
	// old code such as 1917 Heby (0331 since 2007) must not be quietly
	// moved to today's kommun of the same name.
	if strings.Trim(first, "0123456789") == "" {
		return "", false
	}
	if g, ok := data.GeoByName(strings.TrimSpace(label)); ok {
		return g.Code, true
	}
	return "", false
}

var slugRe = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a readable measure id from a title: "Live births" → "live_births".
func slug(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "ü", "u").Replace(s)
	return strings.Trim(slugRe.ReplaceAllString(s, "_"), "_")
}

// cubeMapper turns cells of a cube into Observations. Everything that
// depends on one category only is worked out once, in newCubeMapper.
type cubeMapper struct {
	meta cubeMeta
	vars []cubeVar
	// per variable, per category:
	value  [][]string // geo code, sex, period, measure or dim value
	reject [][]string // non-empty: cells in this category are rejected, with this reason
	nDims  int
}

func newCubeMapper(meta cubeMeta, vars []cubeVar) *cubeMapper {
	m := &cubeMapper{meta: meta, vars: vars}
	m.value = make([][]string, len(vars))
	m.reject = make([][]string, len(vars))
	for vi, v := range vars {
		vals := make([]string, len(v.Codes))
		rej := make([]string, len(v.Codes))
		for ci := range v.Codes {
			code, label := v.Codes[ci], v.Labels[ci]
			if code == "" {
				code = label
			}
			switch v.Role {
			case roleGeo:
				g, ok := geoFromCategory(v.Codes[ci], label)
				if !ok {
					rej[ci] = fmt.Sprintf("unknown geography %q in %s", code, v.Name)
				}
				vals[ci] = g
			case roleSex:
				s, fault := sexFromCategory(v.Codes[ci], label)
				if fault != "" {
					rej[ci] = fault + " in " + v.Name
				}
				vals[ci] = s
			default:
				vals[ci] = code
			}
		}
		if v.Role == roleDim {
			m.nDims++
		}
		m.value[vi] = vals
		m.reject[vi] = rej
	}
	return m
}

// cells is the product of the category counts, or an error when it
// overflows or is over max.
func cubeCells(vars []cubeVar, max int) (int, error) {
	n := 1
	for _, v := range vars {
		k := len(v.Codes)
		if k == 0 {
			return 0, nil
		}
		if n > math.MaxInt/k {
			return 0, fmt.Errorf("cube size overflows")
		}
		n *= k
	}
	if n > max {
		return n, fmt.Errorf("cube has %d cells, over the limit of %d rows", n, max)
	}
	return n, nil
}

// next advances idx (one category index per variable) to the next cell in
// row-major order. It reports false after the last cell.
func (m *cubeMapper) next(idx []int) bool {
	for i := len(idx) - 1; i >= 0; i-- {
		idx[i]++
		if idx[i] < len(m.vars[i].Codes) {
			return true
		}
		idx[i] = 0
	}
	return false
}

// setIndex sets idx to the categories of flat cell number n.
func (m *cubeMapper) setIndex(idx []int, n int) {
	for i := len(idx) - 1; i >= 0; i-- {
		k := len(m.vars[i].Codes)
		idx[i] = n % k
		n /= k
	}
}

// describe names the cell for a rejected row: "region=01, sex=1".
func (m *cubeMapper) describe(idx []int) string {
	var b strings.Builder
	for vi, v := range m.vars {
		if vi > 0 {
			b.WriteString(", ")
		}
		code := v.Codes[idx[vi]]
		if code == "" {
			code = v.Labels[idx[vi]]
		}
		b.WriteString(v.Name)
		b.WriteByte('=')
		b.WriteString(code)
	}
	return b.String()
}

// emit sends the cell at idx to sink: an Observation, or a Rejected row when
// a category of the cell cannot be mapped. value is nil for a symbol, whose
// text is status. raw is the cell as written, for rejected rows.
func (m *cubeMapper) emit(sink Sink, idx []int, value *float64, status string, line int, raw string) error {
	for vi := range m.vars {
		if r := m.reject[vi][idx[vi]]; r != "" {
			return sink.Reject(Rejected{Line: line, Column: m.vars[vi].Name, Reason: r, Raw: m.describe(idx) + ": " + raw})
		}
	}
	o := Observation{Measure: m.meta.Measure, Unit: m.meta.Unit, Sex: SexTotal, Value: value, Status: status}
	if m.nDims > 0 {
		o.Dims = make(map[string]string, m.nDims)
	}
	for vi, v := range m.vars {
		val := m.value[vi][idx[vi]]
		switch v.Role {
		case roleGeo:
			o.GeoCode = val
		case roleSex:
			o.Sex = val
		case roleTime:
			o.Period = val
		case roleMetric:
			o.Measure = val
			if v.Units != nil && v.Units[idx[vi]] != "" {
				o.Unit = v.Units[idx[vi]]
			}
		default:
			o.Dims[v.Name] = val
		}
	}
	return sink.Observation(&o)
}

// parseCellValue reads one written cell: a number, or a symbol such as
// ".." (not available), "." (cannot occur), "-" (SCB: magnitude zero). A
// symbol becomes Value nil with the symbol as Status: jamstat never writes
// a number the source did not, so SCB's "-" stays a symbol too and the
// analysis layer decides whether to read it as zero. ok is false for text
// that is neither a number nor a symbol.
func parseCellValue(s string) (v *float64, status string, ok bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, "missing", true
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
		return &f, "", true
	}
	if isSymbol(t) {
		return nil, t, true
	}
	return nil, "", false
}

// isSymbol reports whether t is a missing-value symbol: dots, dashes
// (hyphen, en dash, em dash) or their combinations such as ".." and "-.".
func isSymbol(t string) bool {
	if t == "" || len(t) > 16 {
		return false
	}
	for _, r := range t {
		switch r {
		case '.', '-', '–', '—', 'x', 'X', '*', ':':
		default:
			return false
		}
	}
	return true
}

// sinkErr wraps an error from a Sink, which aborts the parse.
func sinkErr(file string, line int, err error) error {
	return &Error{File: file, Line: line, Reason: "loading failed", Err: err}
}
