package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const realPX = "../testdata/real/se_scb_px_pxweb_examples"

// parseReal parses a real file with no spec and checks the row invariant.
func parseReal(t testing.TB, path string, want Format) (*MemorySink, Meta) {
	t.Helper()
	var sink MemorySink
	meta, err := ParseFile(path, Options{}, &sink)
	if err != nil {
		t.Fatalf("ParseFile(%s): %v", path, err)
	}
	if meta.Format != string(want) {
		t.Fatalf("%s: format %q, want %q", path, meta.Format, want)
	}
	if got := len(sink.Observations) + len(sink.Rejected); got != meta.RowsRead {
		t.Fatalf("%s: RowsRead %d but %d observations + %d rejected", path, meta.RowsRead, len(sink.Observations), len(sink.Rejected))
	}
	return &sink, meta
}

// sumWhere adds the values of observations matching keep; it fails on a nil value.
func sumWhere(t *testing.T, obs []Observation, keep func(o *Observation) bool) float64 {
	t.Helper()
	s := 0.0
	for i := range obs {
		o := &obs[i]
		if !keep(o) {
			continue
		}
		if o.Value == nil {
			t.Fatalf("nil value in %+v", *o)
		}
		s += *o.Value
	}
	return s
}

func TestPXBE0101A1(t *testing.T) {
	sink, meta := parseReal(t, filepath.Join(realPX, "BE0101A1.px"), FormatPX)
	if meta.RowsRead != 33936 || len(sink.Rejected) != 0 {
		t.Fatalf("rows %d rejected %d, want 33936 and 0 (%v)", meta.RowsRead, len(sink.Rejected), sink.Rejected[:min(3, len(sink.Rejected))])
	}
	if meta.Title != "Population by region, marital status, age, sex and period" || meta.Source != "Statistics Sweden" {
		t.Errorf("meta = %+v", meta)
	}
	o := sink.Observations[0]
	if o.Measure != "BE0101A1" || o.Unit != "number" || o.GeoCode != "01" || o.Sex != SexMen || o.Period != "2004" ||
		o.Dims["marital status"] != "OG" || o.Dims["age"] != "0" || len(o.Dims) != 2 || *o.Value != 13201 {
		t.Errorf("first observation = %+v", o)
	}
	tests := []struct {
		period, sex string
		want        float64
	}{
		{"2004", "", 9011392},
		{"2005", "", 9047752},
		{"2005", SexMen, 4486550},
		{"2005", SexWomen, 4561202},
	}
	for _, tt := range tests {
		got := sumWhere(t, sink.Observations, func(o *Observation) bool {
			return o.Period == tt.period && (tt.sex == "" || o.Sex == tt.sex)
		})
		if got != tt.want {
			t.Errorf("sum %s sex %q = %.0f, want %.0f", tt.period, tt.sex, got, tt.want)
		}
	}
	// Upper-secondary check of the encoding: county names are Windows-1252.
	for _, o := range sink.Observations {
		if o.GeoCode == "" {
			t.Fatalf("observation without geo: %+v", o)
		}
	}
}

func TestPXBE0101D1(t *testing.T) {
	sink, meta := parseReal(t, filepath.Join(realPX, "BE0101D1.px"), FormatPX)
	// 1917 Heby moved to Uppsala county as 0331 in 2007; the old code is
	// not a current kommun, so its 37 ages x 2 years x 2 sexes are rejected.
	if meta.RowsRead != 46176 || len(sink.Rejected) != 148 {
		t.Fatalf("rows %d rejected %d", meta.RowsRead, len(sink.Rejected))
	}
	checkOnlyHebyRejected(t, sink.Rejected)
	births := func(geo, year, sex string) float64 {
		return sumWhere(t, sink.Observations, func(o *Observation) bool {
			return o.GeoCode == geo && o.Period == year && o.Dims["maternal age"] == "tot" && (sex == "" || o.Sex == sex)
		})
	}
	for _, tt := range []struct {
		year, sex string
		want      float64
	}{
		{"2002", SexMen, 49187}, {"2002", SexWomen, 46628}, {"2002", "", 95815},
		{"2003", SexMen, 51114}, {"2003", SexWomen, 48043}, {"2003", "", 99157},
	} {
		if got := births("0000", tt.year, tt.sex); got != tt.want {
			t.Errorf("births Sweden %s %q = %.0f, want %.0f", tt.year, tt.sex, got, tt.want)
		}
	}
	// The kommuner of county 01 sum to the county, for each year and sex.
	for _, year := range []string{"2002", "2003"} {
		for _, sex := range []string{SexMen, SexWomen} {
			county := births("01", year, sex)
			kommuner := sumWhere(t, sink.Observations, func(o *Observation) bool {
				return len(o.GeoCode) == 4 && strings.HasPrefix(o.GeoCode, "01") && o.Period == year && o.Sex == sex && o.Dims["maternal age"] == "tot"
			})
			if county == 0 || county != kommuner {
				t.Errorf("%s %s: county 01 = %.0f, kommuner 01xx = %.0f", year, sex, county, kommuner)
			}
		}
	}
}

func TestPXBE101ACE(t *testing.T) {
	// CODES("sex")="1","2",; — the third category (total) has no code.
	sink, meta := parseReal(t, filepath.Join(realPX, "BE101ACE.px"), FormatPX)
	if meta.RowsRead != 8064 || len(sink.Rejected) != 0 {
		t.Fatalf("rows %d rejected %d", meta.RowsRead, len(sink.Rejected))
	}
	type key struct{ ms, age, period string }
	cells := map[key]map[string]float64{}
	for _, o := range sink.Observations {
		if o.GeoCode != "" {
			t.Fatalf("geo in a file without region: %+v", o)
		}
		k := key{o.Dims["marital status"], o.Dims["age"], o.Period}
		if cells[k] == nil {
			cells[k] = map[string]float64{}
		}
		cells[k][o.Sex] = *o.Value
	}
	if len(cells) != 2688 {
		t.Fatalf("%d marital x age x period cells, want 2688", len(cells))
	}
	for k, c := range cells {
		if len(c) != 3 || c[SexTotal] != c[SexMen]+c[SexWomen] {
			t.Errorf("%v: total %v != men %v + women %v", k, c[SexTotal], c[SexMen], c[SexWomen])
		}
	}
	if _, ok := cells[key{"SI", "-4", "1968"}]; !ok {
		t.Errorf("age code -4 (CODES) not used")
	}
}

func TestPXBE0101A1det(t *testing.T) {
	sink, meta := parseReal(t, filepath.Join(realPX, "BE0101A1det.px"), FormatPX)
	if meta.RowsRead != 9984 || len(sink.Rejected) != 4*4*2 { // 1917 Heby: marital x period x sex
		t.Fatalf("rows %d rejected %d", meta.RowsRead, len(sink.Rejected))
	}
	checkOnlyHebyRejected(t, sink.Rejected)
	// HEADING is period, sex: the first row is age 38, Sweden, single:
	// 2002 men, 2002 women, 2003 men ...
	first := sink.Observations[:4]
	want := []struct {
		period, sex string
		v           float64
	}{{"2002", SexMen, 32910}, {"2002", SexWomen, 24743}, {"2003", SexMen, 33677}, {"2003", SexWomen, 25023}}
	for i, w := range want {
		o := first[i]
		if o.GeoCode != "0000" || o.Period != w.period || o.Sex != w.sex || *o.Value != w.v || o.Dims["age"] != "38" {
			t.Errorf("cell %d = %+v, want %+v", i, o, w)
		}
	}
	// Sweden equals the sum of its counties in every period and sex.
	for _, p := range []string{"2002", "2003", "2004", "2005"} {
		for _, s := range []string{SexMen, SexWomen} {
			se := sumWhere(t, sink.Observations, func(o *Observation) bool { return o.GeoCode == "0000" && o.Period == p && o.Sex == s })
			counties := sumWhere(t, sink.Observations, func(o *Observation) bool { return len(o.GeoCode) == 2 && o.Period == p && o.Sex == s })
			if se == 0 || se != counties {
				t.Errorf("%s %s: Sweden %.0f, counties %.0f", p, s, se, counties)
			}
		}
	}
}

func checkOnlyHebyRejected(t *testing.T, rej []Rejected) {
	t.Helper()
	for _, r := range rej {
		if r.Column != "region" || r.Reason != `unknown geography "1917" in region` || !strings.Contains(r.Raw, "region=1917,") {
			t.Fatalf("unexpected rejection %+v", r)
		}
	}
}

// parsePXString parses a small PX file for the feature tests.
func parsePXString(t *testing.T, src string) (*MemorySink, Meta, error) {
	t.Helper()
	var sink MemorySink
	meta, err := Parse(strings.NewReader(src), int64(len(src)), Options{File: "t.px"}, &sink)
	if err == nil && len(sink.Observations)+len(sink.Rejected) != meta.RowsRead {
		t.Fatalf("RowsRead %d, %d+%d emitted", meta.RowsRead, len(sink.Observations), len(sink.Rejected))
	}
	return &sink, meta, err
}

func TestPXFeatures(t *testing.T) {
	src := "CHARSET=\"ANSI\";\r\nCODEPAGE=\"utf-8\";\r\nLANGUAGE=\"sv\";\r\nLANGUAGES=\"sv\",\"en\";\r\n" +
		"MATRIX=\"TAB1\";\r\nTITLE=\"Lön efter kön \"\r\n\"och år\";\r\nCONTENTS=\"Lön\";UNITS=\"kr\";\r\n" +
		"STUB=\"kön\";\r\nSTUB[en]=\"sex\";\r\nHEADING=\"år\",\"mått\";CONTVARIABLE=\"mått\";\r\n" +
		"VALUES(\"kön\")=\"män\",\"kvinnor\";\r\nVALUES[en](\"sex\")=\"men\",\"women\";\r\n" +
		"VALUES(\"år\")=\"2023\";\r\nVALUES(\"mått\")=\"medellön\",\"antal\";\r\n" +
		"CODES(\"mått\")=\"L1\",\"N1\";\r\nUNITS(\"medellön\")=\"kr\";UNITS(\"antal\")=\"st\";\r\n" +
		"TIMEVAL(\"år\")=TLIST(A1, \"2023\"-\"2023\");\r\nDECIMALS=1;\r\n" +
		"DATA=\r\n31000.5 \"..\" \r\n\".\" 12,\r\n\"-\" ;\r\n"
	// 2 sex x 1 year x 2 contents = 4 cells but 5 written: too many.
	_, _, err := parsePXString(t, src)
	var e *Error
	if !errors.As(err, &e) || e.Line != 23 || !strings.Contains(e.Reason, "more values than the 4") {
		t.Fatalf("err = %#v", err)
	}
	src = strings.Replace(src, "\"-\" ;", ";", 1)
	sink, meta, err := parsePXString(t, src)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Title != "Lön efter kön och år" {
		t.Errorf("title %q", meta.Title)
	}
	if len(sink.Observations) != 4 {
		t.Fatalf("%d observations", len(sink.Observations))
	}
	want := []Observation{
		{Measure: "L1", Sex: SexMen, Period: "2023", Unit: "kr", Value: fp(31000.5)},
		{Measure: "N1", Sex: SexMen, Period: "2023", Unit: "st", Status: ".."},
		{Measure: "L1", Sex: SexWomen, Period: "2023", Unit: "kr", Status: "."},
		{Measure: "N1", Sex: SexWomen, Period: "2023", Unit: "st", Value: fp(12)},
	}
	for i, w := range want {
		g := sink.Observations[i]
		if g.Measure != w.Measure || g.Sex != w.Sex || g.Period != w.Period || g.Unit != w.Unit || g.Status != w.Status ||
			(g.Value == nil) != (w.Value == nil) || (g.Value != nil && *g.Value != *w.Value) || g.Dims != nil {
			t.Errorf("cell %d = %+v, want %+v", i, g, w)
		}
	}
}

func fp(f float64) *float64 { return &f }

func TestPXEncodings(t *testing.T) {
	body := "STUB=\"region\";VALUES(\"region\")=\"1480 G\xf6teborg\";DATA=1;"
	for _, tt := range []struct {
		name, head, want, errSub string
	}{
		{"ansi", "CHARSET=\"ANSI\";", "1480 Göteborg", ""},
		{"latin1", "CODEPAGE=\"iso-8859-1\";", "1480 Göteborg", ""},
		{"none, not utf-8", "MATRIX=\"X\";", "1480 Göteborg", ""},
		{"unknown codepage", "CODEPAGE=\"koi8-r\";", "", `unknown CODEPAGE "koi8-r"`},
		{"unknown charset", "CHARSET=\"EBCDIC\";", "", `unknown CHARSET "EBCDIC"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sink, _, err := parsePXString(t, tt.head+body)
			if tt.errSub != "" {
				var e *Error
				if !errors.As(err, &e) || !strings.Contains(e.Reason, tt.errSub) {
					t.Fatalf("err = %v, want %q", err, tt.errSub)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(sink.Observations) != 1 || sink.Observations[0].GeoCode != "1480" {
				t.Fatalf("got %+v", sink.Observations)
			}
		})
	}
	// A symbol in DATA is decoded like the keywords: SCB's en dash in
	// Windows-1252 is byte 0x96.
	sink, _, err := parsePXString(t, "CHARSET=\"ANSI\";STUB=\"region\";VALUES(\"region\")=\"0180\",\"1480\";DATA=\"\x96\" \"\";")
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.Observations) != 2 || sink.Observations[0].Status != "–" || sink.Observations[0].Value != nil || sink.Observations[1].Status != "missing" {
		t.Fatalf("symbols: %+v", sink.Observations)
	}
	// Regions named without codes are joined by name; a numeric code that is
	// not a current one is never matched by name.
	sink, _, err = parsePXString(t, "CODEPAGE=\"utf-8\";STUB=\"region\";VALUES(\"region\")=\"Göteborg\",\"Stockholms län\",\"1917 Heby\";DATA=1 2 3;")
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.Observations) != 2 || sink.Observations[0].GeoCode != "1480" || sink.Observations[1].GeoCode != "01" || len(sink.Rejected) != 1 {
		t.Fatalf("by name: %+v, rejected %+v", sink.Observations, sink.Rejected)
	}
	// UTF-8 labels come through unchanged; an unknown region is rejected, naming it.
	sink, _, err = parsePXString(t, "CODEPAGE=\"utf-8\";STUB=\"kön\",\"region\";VALUES(\"kön\")=\"män\";VALUES(\"region\")=\"9999 Ingenstans\";DATA=\n7;")
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.Rejected) != 1 || sink.Rejected[0].Column != "region" || !strings.Contains(sink.Rejected[0].Reason, `unknown geography "9999 Ingenstans"`) || sink.Rejected[0].Line != 2 {
		t.Fatalf("rejected = %+v", sink.Rejected)
	}
}

func TestPXDetect(t *testing.T) {
	for _, f := range []string{"BE0101A1.px", "BE0101D1.px", "BE101ACE.px", "BE0101A1det.px"} {
		b, err := os.ReadFile(filepath.Join(realPX, f))
		if err != nil {
			t.Fatal(err)
		}
		if got := Detect(b[:min(len(b), 4096)]); got != FormatPX {
			t.Errorf("Detect(%s) = %s", f, got)
		}
	}
}

func BenchmarkParsePX(b *testing.B) {
	src, err := os.ReadFile(filepath.Join(realPX, "BE0101A1.px"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	cells := 0
	for b.Loop() {
		meta, err := ParsePX(strings.NewReader(string(src)), int64(len(src)), Options{File: "BE0101A1.px"}, discardSink{})
		if err != nil {
			b.Fatal(err)
		}
		cells += meta.RowsRead
	}
	b.ReportMetric(float64(cells)/b.Elapsed().Seconds(), "cells/s")
}

// discardSink drops every record, to time the parser alone.
type discardSink struct{}

func (discardSink) Observation(*Observation) error { return nil }
func (discardSink) Employee(*Employee) error       { return nil }
func (discardSink) Reject(Rejected) error          { return nil }

func TestFastNumber(t *testing.T) {
	for _, s := range []string{"0", "13201", "-4", "31000.5", "0.1", "123456789012345", "-0.000001", "99.99"} {
		got, ok := fastNumber([]byte(s))
		want, _ := strconv.ParseFloat(s, 64)
		if !ok || got != want {
			t.Errorf("fastNumber(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "-", ".", "1.", ".5", "1e3", "1.2.3", "..", "1234567890123456", "12a", "+1", "-.5"} {
		if _, ok := fastNumber([]byte(s)); ok {
			t.Errorf("fastNumber(%q) accepted", s)
		}
	}
}

func TestSexFromCategory(t *testing.T) {
	tests := []struct{ code, label, want, fault string }{
		{"1", "men", SexMen, ""},
		{"2", "kvinnor", SexWomen, ""},
		{"", "total", SexTotal, ""},
		{"1", "", SexMen, ""},
		{"K", "Kvinnor", SexWomen, ""},
		{"T", "", SexTotal, ""},
		{"3", "okänt", "", `unknown sex category "3" (okänt)`},
		{"1", "kvinnor", "", `sex code "1" means M but its label "kvinnor" means K`},
	}
	for _, tt := range tests {
		got, fault := sexFromCategory(tt.code, tt.label)
		if got != tt.want || fault != tt.fault {
			t.Errorf("sexFromCategory(%q, %q) = %q, %q; want %q, %q", tt.code, tt.label, got, fault, tt.want, tt.fault)
		}
	}
}
