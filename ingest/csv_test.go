package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const realTableDir = "../testdata/real"

func realTable(dir, name string) string { return filepath.Join(realTableDir, dir, name) }

// parseReal parses a real file with no spec and checks the invariant
// RowsRead = observations + employees + rejected.
func parseTable(t *testing.T, path string) (Meta, *MemorySink) {
	t.Helper()
	var sink MemorySink
	m, err := ParseFile(path, Options{}, &sink)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	checkRowsRead(t, m, &sink)
	return m, &sink
}

func checkRowsRead(t *testing.T, m Meta, s *MemorySink) {
	t.Helper()
	if got := len(s.Observations) + len(s.Employees) + len(s.Rejected); m.RowsRead != got {
		t.Errorf("RowsRead = %d, records emitted = %d", m.RowsRead, got)
	}
}

func val(o Observation) float64 {
	if o.Value == nil {
		return math.NaN()
	}
	return *o.Value
}

// TestWageStructureCSVs checks SCB's wage-structure exports: every ".."
// is a nil value with status "..", every other cell a number, and the
// counts PROVENANCE.md states.
func TestWageStructureCSVs(t *testing.T) {
	const dir = "se_scb_lonestruktur_lundqvist"
	tests := []struct {
		file     string
		spec     string
		measure  string
		obs      int
		suppress int
	}{
		{"scb_AM0110_avg_monthly_salary_nuts2_ssyk2012_sex_2014_2020.csv", "scb_am0110_salary_nuts2_ssyk2012", "avg_monthly_salary", 16800, 6025},
		{"scb_AM0110_num_employees_nuts2_ssyk2012_sex_2014_2020.csv", "scb_am0110_employees_nuts2_ssyk2012", "employees", 16800, 9217},
		{"scb_AM0110_avg_monthly_salary_nuts2_pubpriv_ssyk2012_sex_2014_2018.csv", "scb_am0110_salary_nuts2_ssyk2012", "avg_monthly_salary", 24000, -1},
		{"scb_AM0110_num_employees_nuts2_sector_ssyk2012_sex_2015_2018_with_0000All.csv", "scb_am0110_employees_nuts2_ssyk2012", "employees", 48320, -1},
		{"scb_AM0110_avg_monthly_salary_nuts2_ssyk96_sex_2003_2013.csv", "scb_am0110_salary_nuts2_ssyk96", "avg_monthly_salary_ssyk96", 1824 * 11, -1},
		{"scb_AM0110_num_employees_nuts2_ssyk96_sex_2003_2013.csv", "scb_am0110_employees_nuts2_ssyk96", "employees_ssyk96", 1824 * 11, -1},
		{"scb_AM0103_avg_monthly_salary_ssyk96_total_2000_2013.csv", "scb_am0103_salary_ssyk96", "avg_monthly_salary_ssyk96", 99 * 14, -1},
		{"scb_AM0110_avg_monthly_salary_ssyk2012_sex_age_2014_2018.csv", "scb_am0110_salary_ssyk2012_age", "avg_monthly_salary", 1800 * 5, -1},
		{"scb_AM0110_avg_monthly_salary_pubpriv_ssyk2012_sex_education_2014_2018.csv", "scb_am0110_salary_ssyk2012_education", "avg_monthly_salary", 4800 * 5, -1},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			m, s := parseTable(t, realTable(dir, tc.file))
			if !strings.Contains(m.Description, "spec "+tc.spec+":") {
				t.Errorf("recognised as %q, want spec %s", m.Description, tc.spec)
			}
			if len(s.Rejected) > 0 {
				t.Errorf("%d rejected, first %s", len(s.Rejected), s.Rejected[0])
			}
			if len(s.Observations) != tc.obs {
				t.Errorf("%d observations, want %d", len(s.Observations), tc.obs)
			}
			dots := 0
			for _, o := range s.Observations {
				if o.Measure != tc.measure {
					t.Fatalf("measure %q", o.Measure)
				}
				switch {
				case o.Value == nil && o.Status == "..":
					dots++
				case o.Value == nil:
					t.Fatalf("nil value with status %q: %+v", o.Status, o)
				case o.Status != "":
					t.Fatalf("value with status %q", o.Status)
				}
				if o.Sex != SexMen && o.Sex != SexWomen && o.Sex != SexTotal {
					t.Fatalf("sex %q", o.Sex)
				}
			}
			if tc.suppress >= 0 && dots != tc.suppress {
				t.Errorf("%d cells \"..\", want %d", dots, tc.suppress)
			}
		})
	}
}

func TestWageStructureFields(t *testing.T) {
	const dir = "se_scb_lonestruktur_lundqvist"
	_, s := parseTable(t, realTable(dir, "scb_AM0110_num_employees_nuts2_sector_ssyk2012_sex_2015_2018_with_0000All.csv"))
	// PROVENANCE.md: SE11 Stockholm, 1 central government, men, 2015: 0000 All = 33 100.
	found := false
	for _, o := range s.Observations {
		if o.GeoCode == "SE11" && o.Sector == "1" && o.Sex == SexMen && o.Period == "2015" && o.OccupationCode == "" {
			found = true
			if val(o) != 33100 {
				t.Errorf("SE11 central government men 2015 all occupations = %v, want 33100", val(o))
			}
		}
	}
	if !found {
		t.Error("no \"0000 All\" row for SE11, sector 1, men, 2015")
	}
	_, s = parseTable(t, realTable(dir, "scb_AM0110_avg_monthly_salary_nuts2_ssyk2012_sex_2014_2020.csv"))
	o := s.Observations[0] // "SE11 Stockholm","0 all sectors","011 ...","men",36300
	if o.GeoCode != "SE11" || o.Sector != "" || o.OccupationCode != "011" || o.Sex != SexMen || o.Period != "2014" || val(o) != 36300 || o.Unit != "SEK" {
		t.Errorf("first observation %+v", o)
	}
	_, s = parseTable(t, realTable(dir, "scb_AM0110_avg_monthly_salary_ssyk2012_sex_age_2014_2018.csv"))
	if o := s.Observations[5]; o.Dims["age"] != "25-34" || o.GeoCode != "0000" || val(o) != 30900 {
		t.Errorf("age file, second row 2014: %+v", o)
	}
}

// TestCountyEmployedCSV: "99 County unknown" rows are rejected (no such
// geography), everything else loads.
func TestCountyEmployedCSV(t *testing.T) {
	_, s := parseTable(t, realTable("se_scb_lonestruktur_lundqvist", "scb_AM0208_employees_county_ssyk2012_sex_2014_2017.csv"))
	if len(s.Rejected) != 298 {
		t.Errorf("%d rejected, want 298 (149 occupations × 2 sexes in county 99)", len(s.Rejected))
	}
	for _, r := range s.Rejected {
		if r.Column != "region" || !strings.Contains(r.Reason, `unknown geo code "99"`) || !strings.HasPrefix(r.Raw, `"99 County unknown"`) {
			t.Fatalf("rejected %s raw %q", r, r.Raw)
		}
	}
	if len(s.Observations) != (6556-298)*4 {
		t.Errorf("%d observations", len(s.Observations))
	}
}

func TestEducationTableCSV(t *testing.T) {
	_, s := parseTable(t, realTable("se_scb_lonestruktur_lundqvist", "scb_UF_population_by_education_SUN2000_sex_2006_2018_tab8.csv"))
	if len(s.Observations) != 98*39 {
		t.Errorf("%d observations, want %d", len(s.Observations), 98*39)
	}
	type key struct{ edu, period string }
	by := map[key]map[string]float64{}
	for _, o := range s.Observations {
		k := key{o.Dims["education"], o.Period}
		if by[k] == nil {
			by[k] = map[string]float64{}
		}
		by[k][o.Sex] = val(o)
	}
	tot := by[key{"Samtliga utbildningsgrupper", "2018"}]
	if tot["T"] != 5217639 || tot["K"] != 2562001 || tot["M"] != 2655638 {
		t.Errorf("2018 total %v, want T 5217639 K 2562001 M 2655638", tot)
	}
	checked := 0
	for k, v := range by {
		if !math.IsNaN(v["T"]) && v["T"] != v["K"]+v["M"] {
			t.Errorf("%v: Samtliga %v != Kvinnor %v + Män %v", k, v["T"], v["K"], v["M"])
		}
		checked++
	}
	if checked != 98*13 {
		t.Errorf("%d education × year cells, want %d", checked, 98*13)
	}
	if _, ok := by[key{"Folkskoleutbildning och motsvarande", "2006"}]; !ok {
		t.Error("SUN 2000 labels are not trimmed of their padding")
	}
}

// TestKommunNameCSVs: kommun names become codes via data.GeoByName.
func TestKommunNameCSVs(t *testing.T) {
	const dir = "se_scb_kommun_by_sex_scbhandlerplotter"
	_, s := parseTable(t, realTable(dir, "SCB_alderkon.csv"))
	var all, men, women, sthlm float64
	for _, o := range s.Observations {
		v := val(o)
		all += v
		switch o.Sex {
		case SexMen:
			men += v
		case SexWomen:
			women += v
		}
		if o.GeoCode == "0180" {
			sthlm += v
		}
	}
	if all != 10327589 || men != 5195814 || women != 5131775 || sthlm != 974073 {
		t.Errorf("population 2019: all %v men %v women %v Stockholm %v; want 10327589, 5195814, 5131775, 974073", all, men, women, sthlm)
	}
	if len(s.Rejected) != 0 {
		t.Errorf("%d rejected; first %s", len(s.Rejected), s.Rejected[0])
	}
	_, s = parseTable(t, realTable(dir, "SCB_inkomster.csv"))
	want := map[string]float64{"mean_earned_income M": 413.0, "median_earned_income M": 353.1, "mean_earned_income K": 322.4, "median_earned_income K": 293.1}
	for _, o := range s.Observations {
		if o.GeoCode == "0180" && o.Dims["age"] == "totalt 16+ år" && o.Period == "2018" {
			k := o.Measure + " " + o.Sex
			if w, ok := want[k]; ok {
				if val(o) != w {
					t.Errorf("Stockholm %s = %v, want %v", k, val(o), w)
				}
				delete(want, k)
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("not found: %v", want)
	}
}

// TestUnknownKommunName: a name the geo list does not know is a rejected row.
func TestUnknownKommunName(t *testing.T) {
	in := "\"region\",\"ålder\",\"kön\",\"X2019\"\n\"Upplands Väsby\",\"0\",\"män\",271\n\"Atlantis\",\"0\",\"män\",5\n"
	var s MemorySink
	m, err := Parse(strings.NewReader(in), int64(len(in)), Options{File: "alder.csv"}, &s)
	if err != nil {
		t.Fatal(err)
	}
	checkRowsRead(t, m, &s)
	if len(s.Observations) != 1 || len(s.Rejected) != 1 {
		t.Fatalf("%d observations, %d rejected", len(s.Observations), len(s.Rejected))
	}
	r := s.Rejected[0]
	if r.Line != 3 || r.Column != "region" || r.Reason != `unknown kommun or county name "Atlantis"` || r.Raw != `"Atlantis","0","män",5` {
		t.Errorf("rejected %+v", r)
	}
}

func TestUKGenderPayGapCSV(t *testing.T) {
	_, s := parseTable(t, realTable("uk_gender_pay_gap", "UK Gender Pay Gap Data - 2017 to 2018.csv"))
	if len(s.Observations) != 10477*14 {
		t.Errorf("%d observations, want %d", len(s.Observations), 10477*14)
	}
	employers := map[string]bool{}
	for _, o := range s.Observations {
		if o.Measure == "gpg_diff_mean_hourly_percent" {
			employers[o.Dims["employer"]+"|"+o.Dims["company_number"]] = true
		}
		if o.Period != "2017" || o.GeoCode != "" || o.Unit != "percent" {
			t.Fatalf("%+v", o)
		}
	}
	if len(employers) < 10400 {
		t.Errorf("%d distinct employers", len(employers))
	}
	// The first record's name holds quotes and its address line breaks.
	first := s.Observations[:14]
	if first[0].Dims["employer"] != `"Bryanston School",Incorporated` || first[0].Dims["company_number"] != "00226143" || val(first[0]) != 18 {
		t.Errorf("first employer %+v", first[0])
	}
	got := map[string]float64{}
	for _, o := range first {
		got[o.Measure+" "+o.Sex+" "+o.Dims["quartile"]] = val(o)
	}
	if got["gpg_quartile_share_percent K Lower"] != 75.6 || got["gpg_quartile_share_percent M Top"] != 51.5 || got["gpg_diff_median_hourly_percent T "] != 28.2 {
		t.Errorf("first employer figures %v", got)
	}
}

// TestNotDatasets: reference files and analysis microdata are recognised
// and refused with a message saying where they belong.
func TestNotDatasets(t *testing.T) {
	tests := []struct{ dir, file, want string }{
		{"se_kolada_metadata_rkolada", "kolada_municipalities.csv", "loaded by `jamstat init`"},
		{"se_kolada_metadata_rkolada", "kolada_kpi_metadata.csv", "KPI catalogue"},
		{"microdata_wooldridge", "wage1.csv", "jamstat analyze ols|oaxaca --input FILE"},
		{"microdata_wooldridge", "cps78_85.csv", "jamstat analyze ols|oaxaca --input FILE"},
		{"microdata_chicago_oaxaca", "chicago.csv", "jamstat analyze ols|oaxaca --input FILE"},
		{"microdata_chicago_oaxaca", "chicago_long.csv", "jamstat analyze ols|oaxaca --input FILE"},
	}
	for _, tc := range tests {
		var s MemorySink
		_, err := ParseFile(realTable(tc.dir, tc.file), Options{}, &s)
		if !errors.Is(err, ErrNotDataset) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), tc.file+": ") {
			t.Errorf("%s: %v", tc.file, err)
		}
		if len(s.Observations)+len(s.Employees)+len(s.Rejected) != 0 {
			t.Errorf("%s: records emitted", tc.file)
		}
	}
}

func TestNoSpecMatches(t *testing.T) {
	in := "a;b;c\n1;2;3\n"
	_, err := Parse(strings.NewReader(in), int64(len(in)), Options{File: "x.csv"}, &MemorySink{})
	want := `x.csv: no spec matches header ["a", "b", "c"]; pass --spec`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

// TestCSVReader covers the splitter: quotes, doubled quotes, delimiters
// and line breaks inside quotes, CRLF, a last line without a newline.
func TestCSVReader(t *testing.T) {
	in := "a,\"b,1\",\"say \"\"hi\"\"\"\r\n" +
		"\"multi\nline\",x,\r\n" +
		"plain,quote\"inside,\"\"\n" +
		"\"closed\"tail,y,z"
	r := newCSVReader(strings.NewReader(in), ',', DefaultLimits(), 4096)
	want := [][]string{
		{"a", "b,1", `say "hi"`},
		{"multi\nline", "x", ""},
		{"plain", `quote"inside`, ""},
		{"closedtail", "y", "z"},
	}
	lines := []int{1, 2, 4, 5}
	for i, w := range want {
		f, line, err := r.read()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, b := range f {
			got = append(got, string(b))
		}
		if fmt.Sprint(got) != fmt.Sprint(w) || line != lines[i] {
			t.Errorf("record %d at line %d = %q, want %q at line %d", i, line, got, w, lines[i])
		}
	}
	if _, _, err := r.read(); err == nil {
		t.Error("no EOF")
	}
}

// TestCSVEncodings reads the same table written in each encoding a spec
// may name, with BOMs where the encoding has one.
func TestCSVEncodings(t *testing.T) {
	text := "region;kön;värde\r\nGävle;kvinnor;1 234,5\r\n"
	latin, _ := charmap.Windows1252.NewEncoder().String(text)
	u16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(text)
	u16be, _ := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().String(text)
	spec := mustSpec(t, `name: enc
kind: observation
delimiter: ";"
decimal: ","
set: {measure: m, period: "2024"}
columns:
  - {header: region, field: geo, geo: name}
  - {header: kön, field: sex}
  - {header: värde, field: value}
`)
	for name, in := range map[string]string{"utf-8": text, "utf-8 BOM": "\ufeff" + text, "windows-1252": latin, "utf-16le BOM": u16le, "utf-16be BOM": u16be} {
		var s MemorySink
		_, err := Parse(strings.NewReader(in), int64(len(in)), Options{File: name, Spec: spec}, &s)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(s.Observations) != 1 || s.Observations[0].GeoCode != "2180" || s.Observations[0].Sex != SexWomen || val(s.Observations[0]) != 1234.5 {
			t.Errorf("%s: %+v %v", name, s.Observations, s.Rejected)
		}
	}
}

func mustSpec(t testing.TB, y string) *Spec {
	t.Helper()
	s, err := ParseSpec("test.yaml", []byte(y))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestHRExportCSV reads generated rows of the HR contract's CSV flavour
// and checks every field against what was written.
func TestHRExportCSV(t *testing.T) {
	recs := genHR(500, 3)
	var buf bytes.Buffer
	if err := writeHRCSV(&buf, recs); err != nil {
		t.Fatal(err)
	}
	var s MemorySink
	m, err := Parse(bytes.NewReader(buf.Bytes()), int64(buf.Len()), Options{File: "hr.csv"}, &s)
	if err != nil {
		t.Fatal(err)
	}
	checkRowsRead(t, m, &s)
	if m.Kind != KindEmployee || len(s.Employees) != len(recs) || len(s.Rejected) != 0 {
		t.Fatalf("kind %s, %d employees, %d rejected (%v)", m.Kind, len(s.Employees), len(s.Rejected), s.Rejected)
	}
	for i, e := range s.Employees {
		checkEmployee(t, e, recs[i], i+2, true)
	}
}

func checkEmployee(t *testing.T, e Employee, r hrRecord, line int, csv bool) {
	t.Helper()
	sector := "kommun"
	if len(r.employer) == 2 {
		sector = "region"
	}
	edu := r.education
	if csv {
		edu = cp1252Safe(edu)
	}
	bad := e.Period != "2024" || e.EmployerCode != r.employer || e.PersonKey != r.person || e.Sex != r.sex ||
		*e.BirthYear != r.birth || e.OccupationCode != r.ssyk || e.AIDCode != r.aid || e.OccupationLabel != r.title ||
		*e.MonthlyWageFTE != r.wage || *e.EmploymentRate != r.rate || e.Contract != strings.ToLower(r.contract) ||
		*e.HourlyPaid != (r.contract == "Timavlönad") || *e.ScheduledHours != r.sched || *e.SickLeaveHours != r.sick ||
		*e.IsManager != (r.manager == "Ja") || e.Education != edu || e.Sector != sector || e.Line != line ||
		!boolIs(e.Flextime, r.flex) || !boolIs(e.SplitShifts, r.split) || !boolIs(e.EveningWeekend, r.evening)
	if bad {
		t.Fatalf("line %d: got %+v\nwrote %+v", line, e, r)
	}
}

func boolIs(p *bool, word string) bool {
	switch word {
	case "":
		return p == nil
	case "Ja":
		return p != nil && *p
	}
	return p != nil && !*p
}

func TestSniffDelimiter(t *testing.T) {
	for in, want := range map[string]byte{
		"a;b;c\n1,5;2;3": ';', "a,b,c\n": ',', "a\tb\tc\n": '\t', "\"x;y\",b,c\n": ',', "title\n\na|b|c\n": '|', "one\n": ',',
	} {
		skip := 0
		if strings.HasPrefix(in, "title") {
			skip = 1
		}
		if got := sniffDelimiter([]byte(in), skip); got != want {
			t.Errorf("sniffDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}
