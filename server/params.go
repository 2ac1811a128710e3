package server

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jamstat/jamstat/data"
)

// Every parameter is checked against what it may be before it is used:
// an unknown parameter, a repeated one, or a value of the wrong shape is a
// 400; an id of the right shape that names nothing is a 404. Values reach
// SQL only as arguments of prepared statements.

// maxIDs is the most ids a comma list may hold (as in Kolada).
const maxIDs = 25

var (
	idRe     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$`)
	geoRe    = regexp.MustCompile(`^[0-9]{1,4}$`)
	periodRe = regexp.MustCompile(`^[0-9]{4}$`)
	nameRe   = regexp.MustCompile(`^[a-z_]{1,30}$`)
)

// query parses r's query, allowing only the named parameters, each once.
func query(r *http.Request, allowed ...string) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, errBadRequest("malformed query string")
	}
	for k, vals := range v {
		if !slices.Contains(allowed, k) {
			// The name is echoed only when it is a plain word.
			if nameRe.MatchString(k) {
				return nil, errBadRequest("unknown parameter %q", k)
			}
			return nil, errBadRequest("unknown parameter")
		}
		if len(vals) > 1 {
			return nil, errBadRequest("parameter %q given more than once", k)
		}
		for _, s := range vals {
			if strings.ContainsFunc(s, func(c rune) bool { return c < 0x20 || c == 0x7f }) {
				return nil, errBadRequest("parameter %q holds control characters", k)
			}
		}
	}
	return v, nil
}

// langParam is "sv" (default) or "en".
func langParam(v url.Values) (string, error) {
	switch l := v.Get("lang"); l {
	case "", "sv":
		return "sv", nil
	case "en":
		return "en", nil
	default:
		return "", errBadRequest("lang must be sv or en")
	}
}

// list splits a comma list, checking each item with re; duplicates are
// dropped, order kept.
func idList(v url.Values, name string, re *regexp.Regexp) ([]string, error) {
	s, ok := v[name]
	if !ok {
		return nil, nil
	}
	if s[0] == "" {
		return nil, errBadRequest("parameter %q is empty", name)
	}
	parts := strings.Split(s[0], ",")
	if len(parts) > maxIDs {
		return nil, errBadRequest("parameter %q lists more than %d ids", name, maxIDs)
	}
	var out []string
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if !re.MatchString(p) {
			// Not echoed: a malformed value may be anything.
			return nil, errBadRequest("parameter %q: item %d is not a valid id", name, i+1)
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out, nil
}

// intParam reads an optional integer in [lo, hi].
func intParam(v url.Values, name string, def, lo, hi int) (int, error) {
	s := v.Get(name)
	if s == "" {
		if _, ok := v[name]; ok {
			return 0, errBadRequest("parameter %q is empty", name)
		}
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, errBadRequest("parameter %q must be a whole number from %d to %d", name, lo, hi)
	}
	return n, nil
}

// yearParam reads an optional four-digit year.
func yearParam(v url.Values) (string, error) {
	y, ok := v["year"]
	if !ok {
		return "", nil
	}
	if !periodRe.MatchString(y[0]) {
		return "", errBadRequest("year must be four digits")
	}
	return y[0], nil
}

// geoByParam resolves a geography code as written in a URL or the API:
// a kommun "1480", a county "14" or Kolada's "0014", Sweden "0000".
func geoByParam(code string) (data.Geo, error) {
	if !geoRe.MatchString(code) {
		return data.Geo{}, errBadRequest("not a geography code")
	}
	norm, ok := data.NormalizeGeoCode(code)
	if !ok {
		return data.Geo{}, errNotFound("unknown municipality or county: %s", code)
	}
	g, ok := data.GeoByCode(norm)
	if !ok {
		return data.Geo{}, errNotFound("unknown municipality or county: %s", code)
	}
	return g, nil
}

// koladaID is the id Kolada gives a geography: a county "14" is "0014".
func koladaID(code string) string {
	if len(code) == 2 {
		return "00" + code
	}
	return code
}
