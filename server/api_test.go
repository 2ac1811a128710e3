package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

type dataResp struct {
	Count  int `json:"count"`
	Values []struct {
		Indicator    string          `json:"indicator"`
		Municipality string          `json:"municipality"`
		Period       json.RawMessage `json:"period"`
		Values       []struct {
			Gender string   `json:"gender"`
			Value  *float64 `json:"value"`
			Count  int      `json:"count"`
			Status string   `json:"status"`
		} `json:"values"`
	} `json:"values"`
	NextPage     string `json:"next_page"`
	PreviousPage string `json:"previous_page"`
}

func getData(t *testing.T, base, path string) (int, dataResp) {
	t.Helper()
	resp, body := get(t, base+path)
	var d dataResp
	if resp.StatusCode == http.StatusOK {
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("%s: content type %q", path, ct)
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatalf("%s: %v\n%s", path, err, body)
		}
	}
	return resp.StatusCode, d
}

func TestAPIDataFilters(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	ind := fixtureInds[0] // lon-medel
	code, d := getData(t, ts.URL, "/api/v1/data?indicator=lon-medel&municipality=1480&period=2023")
	if code != 200 || d.Count != 1 || len(d.Values) != 1 {
		t.Fatalf("status %d, %+v", code, d)
	}
	s := d.Values[0]
	if s.Indicator != "lon-medel" || s.Municipality != "1480" || string(s.Period) != "2023" {
		t.Errorf("series = %s %s %s", s.Indicator, s.Municipality, s.Period)
	}
	var genders []string
	for _, v := range s.Values {
		genders = append(genders, v.Gender)
		want := fixtureValue(ind, 0, "2023", v.Gender, 0)
		if v.Value == nil || *v.Value != want || v.Status != "" || v.Count != int(fixtureN(v.Gender)) {
			t.Errorf("%s: value %v count %d status %q, want %v count %v", v.Gender, v.Value, v.Count, v.Status, want, fixtureN(v.Gender))
		}
	}
	if !reflect.DeepEqual(genders, []string{"K", "M", "T"}) {
		t.Errorf("genders %v, want Kolada's order K M T", genders)
	}

	tests := []struct {
		query string
		want  int // series
	}{
		{"indicator=lon-medel", 6 * 2},
		{"indicator=lon-medel,sjukfranvaro-anstallda", 2 * 6 * 2},
		{"indicator=lon-medel,lon-medel", 6 * 2}, // duplicates count once
		{"municipality=1480,1401", 4 * 2 * 2},
		{"municipality=0014", 4 * 2},
		{"municipality=14", 4 * 2},
		{"municipality=0000&period=2022", 4},
		{"period=2023", 4 * 6},
		{"period=2021", 0},
		{"indicator=sjukfranvaro-anstallda&municipality=1402&period=2022,2023", 2},
		{"", 4 * 6 * 2},
	}
	for _, tt := range tests {
		code, d := getData(t, ts.URL, "/api/v1/data?"+tt.query)
		if code != 200 || d.Count != tt.want || len(d.Values) != tt.want {
			t.Errorf("%q: status %d count %d (%d values), want %d", tt.query, code, d.Count, len(d.Values), tt.want)
		}
		for _, s := range d.Values {
			if tt.query == "municipality=14" || tt.query == "municipality=0014" {
				if s.Municipality != "0014" {
					t.Errorf("%q: county id %q, want Kolada's 0014", tt.query, s.Municipality)
				}
			}
		}
	}

	// The county's pooled value wins over the region as employer.
	_, d = getData(t, ts.URL, "/api/v1/data?indicator=lon-medel&municipality=14&period=2023")
	for _, v := range d.Values[0].Values {
		if v.Value == nil || *v.Value == employerMethodNumber {
			t.Errorf("county value %v: want the headcount-weighted figure", v.Value)
		}
	}
}

func TestAPIPaging(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	_, all := getData(t, ts.URL, "/api/v1/data?per_page=5000")
	if all.NextPage != "" || all.PreviousPage != "" {
		t.Errorf("single page has links %q %q", all.NextPage, all.PreviousPage)
	}
	key := func(s any) string { b, _ := json.Marshal(s); return string(b) }
	var want []string
	for _, s := range all.Values {
		want = append(want, key(s))
	}

	var got []string
	next := "/api/v1/data?per_page=7"
	pages := 0
	for next != "" {
		pages++
		if pages > 100 {
			t.Fatal("paging does not end")
		}
		code, d := getData(t, ts.URL, next)
		if code != 200 {
			t.Fatalf("%s: status %d", next, code)
		}
		if d.Count != len(d.Values) || d.Count > 7 || d.Count == 0 {
			t.Errorf("%s: count %d with %d values", next, d.Count, len(d.Values))
		}
		if pages > 1 && d.PreviousPage == "" {
			t.Errorf("%s: no previous_page", next)
		}
		for _, s := range d.Values {
			got = append(got, key(s))
		}
		if d.NextPage != "" {
			u, err := url.Parse(d.NextPage)
			if err != nil || u.Path != "/api/v1/data" || u.Query().Get("per_page") != "7" {
				t.Fatalf("next_page %q", d.NextPage)
			}
		}
		next = d.NextPage
	}
	if wantPages := (len(want) + 6) / 7; pages != wantPages {
		t.Errorf("%d pages, want %d", pages, wantPages)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("pages joined differ from one page: %d vs %d series", len(got), len(want))
	}
	sorted := append([]string(nil), got...)
	sort.Strings(sorted)
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] {
			t.Errorf("series on two pages: %s", sorted[i])
		}
	}

	// Filters are carried into the links.
	_, d := getData(t, ts.URL, "/api/v1/data?indicator=lon-medel&municipality=1480,0014&per_page=1")
	u, _ := url.Parse(d.NextPage)
	if q := u.Query(); q.Get("indicator") != "lon-medel" || q.Get("municipality") != "1480,0014" || q.Get("page") != "2" {
		t.Errorf("next_page %q lost the filters", d.NextPage)
	}
	// A page past the end is empty, not an error.
	code, d := getData(t, ts.URL, "/api/v1/data?per_page=10&page=999")
	if code != 200 || d.Count != 0 || d.NextPage != "" {
		t.Errorf("page past the end: %d %+v", code, d)
	}
}

func TestAPIBaseURL(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), func(c *Config) { c.BaseURL = "https://stats.example.se/" })
	_, d := getData(t, ts.URL, "/api/v1/data?per_page=1")
	if !strings.HasPrefix(d.NextPage, "https://stats.example.se/api/v1/data?") {
		t.Errorf("next_page %q", d.NextPage)
	}
}

func TestAPIUnknownIDs(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	for _, path := range []string{
		"/api/v1/data?indicator=nope",
		"/api/v1/data?indicator=lon-medel,nope",
		"/api/v1/data?municipality=9999",
		"/api/v1/data?municipality=0099",
		"/api/v1/indicator/nope",
		"/api/v1/indicator/lon-medel,nope",
		"/api/v1/nothing",
	} {
		resp, body := get(t, ts.URL+path)
		var e struct {
			Error     string `json:"error"`
			RequestID string `json:"request_id"`
		}
		if resp.StatusCode != 404 {
			t.Errorf("%s: status %d, want 404", path, resp.StatusCode)
		}
		if err := json.Unmarshal(body, &e); err != nil || e.Error == "" || e.RequestID == "" || e.RequestID != resp.Header.Get("X-Request-Id") {
			t.Errorf("%s: body %s (%v), want a JSON error with the request id", path, body, err)
		}
	}
}

func TestAPISuppressed(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	_, d := getData(t, ts.URL, "/api/v1/data?indicator=lon-medel&municipality=1401&period=2023")
	if len(d.Values) != 1 {
		t.Fatalf("%+v", d)
	}
	for _, v := range d.Values[0].Values {
		switch v.Gender {
		case "M":
			if v.Value != nil || v.Status != ".." || v.Count != 0 {
				t.Errorf("suppressed M: value %v status %q count %d", v.Value, v.Status, v.Count)
			}
		default:
			// Published, but without n: n(T) − n(K) would give the withheld n(M).
			if v.Value == nil || v.Status != "" || v.Count != 0 {
				t.Errorf("%s: value %v status %q count %d, want a value with count 0", v.Gender, v.Value, v.Status, v.Count)
			}
		}
	}
	// A one-row indicator suppressed; and the raw JSON says null.
	resp, body := get(t, ts.URL+"/api/v1/data?indicator=chefer-kvinnor-andel&municipality=1440&period=2023")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `{"gender":"T","value":null,"count":0,"status":".."}`) {
		t.Errorf("body %s", body)
	}
	// Upstream mistakes are stopped: n below k, and a number left beside "..".
	_, d = getData(t, ts.URL, "/api/v1/data?indicator=sjukfranvaro-anstallda&municipality=1402&period=2022")
	for _, v := range d.Values[0].Values {
		if v.Gender != "T" && (v.Value != nil || v.Status != "..") {
			t.Errorf("%s: value %v status %q, want withheld", v.Gender, v.Value, v.Status)
		}
	}
}

func TestAPIIndicators(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	var list struct {
		Count  int            `json:"count"`
		Values []apiIndicator `json:"values"`
	}
	resp, body := get(t, ts.URL+"/api/v1/indicator")
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 {
		t.Fatal(resp.StatusCode, err)
	}
	if list.Count != len(fixtureCat.Indicators) || len(list.Values) != list.Count {
		t.Errorf("%d indicators, want the catalogue's %d", list.Count, len(fixtureCat.Indicators))
	}
	byID := map[string]apiIndicator{}
	for _, v := range list.Values {
		byID[v.ID] = v
	}
	if got := byID["lon-medel"]; got.IsDividedByGender != 1 || !reflect.DeepEqual(got.Delmal, []int{2}) ||
		!slices.Contains(got.Goals, "se-dm2") || got.Title != fixtureInds[0].titleSv || got.MinN != 5 {
		t.Errorf("lon-medel meta %+v", got)
	}
	if got := byID["chefer-kvinnor-andel"]; got.IsDividedByGender != 0 || !reflect.DeepEqual(got.Delmal, []int{1}) {
		t.Errorf("chefer-kvinnor-andel meta %+v", got)
	}
	_, body = get(t, ts.URL+"/api/v1/indicator/sjukfranvaro-anstallda,lon-medel?lang=en")
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatal(err)
	}
	if list.Count != 2 || list.Values[0].ID != "sjukfranvaro-anstallda" || list.Values[0].Title != fixtureInds[2].titleEn {
		t.Errorf("%+v", list)
	}
	var ms struct {
		Count  int               `json:"count"`
		Values []apiMunicipality `json:"values"`
	}
	_, body = get(t, ts.URL+"/api/v1/municipality?title=goteborg")
	if err := json.Unmarshal(body, &ms); err != nil {
		t.Fatal(err)
	}
	if ms.Count != 1 || ms.Values[0] != (apiMunicipality{ID: "1480", Title: "Göteborg", Type: "K", County: "0014"}) {
		t.Errorf("%+v", ms)
	}
}

func TestAPIBadParameters(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	many := make([]string, 26)
	for i := range many {
		many[i] = fmt.Sprintf("i%d", i)
	}
	for _, q := range []string{
		"indicator=" + strings.Join(many, ","),
		"indicator=",
		"indicator=a,,b",
		"per_page=0",
		"per_page=5001",
		"page=0",
		"page=x",
		"period=23",
		"municipality=abc",
		"foo=1",
		"indicator=lon-medel&indicator=sjukfranvaro-anstallda",
		"indicator=%zz",
	} {
		resp, body := get(t, ts.URL+"/api/v1/data?"+q)
		if resp.StatusCode != 400 || !strings.Contains(string(body), `"request_id"`) {
			t.Errorf("%q: status %d %s, want 400 with a JSON error", q, resp.StatusCode, body)
		}
	}
}

// TestOpenAPIMatchesRoutes checks that the document parses and that every
// path it names is served.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	resp, body := get(t, ts.URL+"/api/openapi.json")
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || resp.StatusCode != 200 || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("status %d, %v", resp.StatusCode, err)
	}
	if len(doc.Paths) < 5 {
		t.Errorf("paths %v", doc.Paths)
	}
	for p, ops := range doc.Paths {
		if _, ok := ops["get"]; !ok || len(ops) != 1 {
			t.Errorf("%s: operations %v, want only get", p, ops)
		}
		path := strings.ReplaceAll(p, "{id}", "lon-medel")
		if r, _ := get(t, ts.URL+path); r.StatusCode != 200 {
			t.Errorf("%s: status %d", path, r.StatusCode)
		}
	}
}
