package data

import (
	"embed"
	"encoding/csv"
	"fmt"
	"io/fs"
	"strings"
	"sync"
)

//go:embed ref
var refFS embed.FS

// FS returns the embedded reference files, rooted at data/.
func FS() fs.FS { return refFS }

// Geo kinds.
const (
	KindKommun = "kommun" // municipality
	KindRegion = "region" // county (län) and its region
	KindRiket  = "riket"  // Sweden as a whole
)

// SwedenCode is Sweden's canonical geo code (Kolada's "0000").
const SwedenCode = "0000"

// Geo is one geography: a kommun (municipality), a county/region or Sweden.
type Geo struct {
	Code       string // "1480" for a kommun, "14" for a county, "0000" for Sweden
	Name       string // kommun name, county (län) name, or "Riket"
	Kind       string // KindKommun, KindRegion or KindRiket
	CountyCode string // the county a kommun lies in; the county's own code for a county; "" for Sweden
	RegionName string // for a county: the region's name (e.g. "Västra Götalandsregionen")
	NameEn     string // English name where it differs
	NUTS2      string // NUTS 2 riksområde code (SE23 ...) for counties and kommuner
}

var (
	geoOnce sync.Once
	geoList []Geo
	geoErr  error
)

// Geos returns Sweden, the 21 counties and the 290 municipalities, in code
// order within each kind: Sweden first, then counties, then kommuner.
func Geos() ([]Geo, error) {
	geoOnce.Do(func() { geoList, geoErr = loadGeos() })
	return geoList, geoErr
}

func readCSV(name string) ([][]string, error) {
	f, err := refFS.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reference data %s: %w", name, err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("reference data %s: %w", name, err)
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("reference data %s: no rows", name)
	}
	return rows[1:], nil
}

func loadGeos() ([]Geo, error) {
	counties, err := readCSV("ref/counties.csv")
	if err != nil {
		return nil, err
	}
	nuts := map[string]string{}
	out := []Geo{{Code: SwedenCode, Name: "Riket", NameEn: "Sweden", Kind: KindRiket}}
	for _, c := range counties {
		out = append(out, Geo{Code: c[0], Name: c[1], NameEn: c[2], RegionName: c[3], NUTS2: c[4], Kind: KindRegion, CountyCode: c[0]})
		nuts[c[0]] = c[4]
	}
	munis, err := readCSV("ref/kolada_municipalities.csv")
	if err != nil {
		return nil, err
	}
	for _, m := range munis {
		if len(m) != 3 || m[2] != "K" {
			continue
		}
		code := m[0]
		if len(code) != 4 {
			return nil, fmt.Errorf("reference data kolada_municipalities.csv: kommun code %q is not four characters", code)
		}
		county := code[:2]
		if _, ok := nuts[county]; !ok {
			return nil, fmt.Errorf("reference data kolada_municipalities.csv: kommun %s lies in unknown county %s", code, county)
		}
		out = append(out, Geo{Code: code, Name: m[1], NameEn: m[1], Kind: KindKommun, CountyCode: county, NUTS2: nuts[county]})
	}
	return out, nil
}

// NormalizeGeoCode maps the codes sources write to jamstat's canonical
// codes: Kolada's "0014" → "14", SCB's "00" → "0000", and a kommun code
// that lost its leading zero in a spreadsheet ("180") → "0180" when the
// result is a known kommun. It reports false for a code it does not know.
func NormalizeGeoCode(code string) (string, bool) {
	code = strings.TrimSpace(code)
	idx, err := geoIndex()
	if err != nil {
		return "", false
	}
	if _, ok := idx[code]; ok {
		return code, true
	}
	switch {
	case code == "00" || code == "0":
		return SwedenCode, true
	case len(code) == 4 && strings.HasPrefix(code, "00"):
		if _, ok := idx[code[2:]]; ok {
			return code[2:], true
		}
	case len(code) == 3:
		if _, ok := idx["0"+code]; ok {
			return "0" + code, true
		}
	case len(code) == 1:
		if g, ok := idx["0"+code]; ok && g.Kind == KindRegion {
			return "0" + code, true
		}
	}
	return "", false
}

// GeoByCode returns the geography with a canonical code.
func GeoByCode(code string) (Geo, bool) {
	idx, err := geoIndex()
	if err != nil {
		return Geo{}, false
	}
	g, ok := idx[code]
	return g, ok
}

// GeoByName finds a kommun or county by its Swedish name, ignoring case
// ("Upplands Väsby", "Stockholms län"). SCB tables that carry names only
// are joined to codes this way.
func GeoByName(name string) (Geo, bool) {
	byName, err := geoNameIndex()
	if err != nil {
		return Geo{}, false
	}
	g, ok := byName[strings.ToLower(strings.TrimSpace(name))]
	return g, ok
}

var (
	idxOnce sync.Once
	codeIdx map[string]Geo
	nameIdx map[string]Geo
	idxErr  error
)

func buildIndexes() {
	geos, err := Geos()
	if err != nil {
		idxErr = err
		return
	}
	codeIdx = make(map[string]Geo, len(geos))
	nameIdx = make(map[string]Geo, len(geos))
	for _, g := range geos {
		codeIdx[g.Code] = g
		nameIdx[strings.ToLower(g.Name)] = g
	}
}

func geoIndex() (map[string]Geo, error) {
	idxOnce.Do(buildIndexes)
	return codeIdx, idxErr
}

func geoNameIndex() (map[string]Geo, error) {
	idxOnce.Do(buildIndexes)
	return nameIdx, idxErr
}
