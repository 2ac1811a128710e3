package reports

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -run %s -update to create it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs from golden at line %d:\n got: %.200s\nwant: %.200s\n(run with -update if the change is intended)", name, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs from golden: %d lines, want %d (run with -update if intended)", name, len(gl), len(wl))
	}
}

func fixtureCharts(t *testing.T, lang string) map[string]*Chart {
	t.Helper()
	r := fixtureFollowup(lang)
	share := r.Goals[0].Indicators[0]
	out := map[string]*Chart{}
	var err error
	must := func(c *Chart, e error) *Chart {
		if e != nil {
			t.Fatal(e)
		}
		return c
	}
	out["trend"] = must(trendChart(r, share))
	out["dots"] = must(dotChart(r, share))
	kf := totalOnlyFixture()
	out["trend_total"] = must(trendChart(r, kf))
	out["dots_total"] = must(dotChart(r, kf))
	w := fixtureWork(lang)
	out["bars"] = must(conditionBars(w, w.Conditions[0]))
	out["ci"] = must(conditionCI(w, w.Conditions[0]))
	out["summary"] = must(summaryChart(w))
	_ = err
	return out
}

func TestChartsGolden(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		for name, c := range fixtureCharts(t, lang) {
			t.Run(lang+"/"+name, func(t *testing.T) {
				svg, err := c.SVG()
				if err != nil {
					t.Fatal(err)
				}
				again, err := c.SVG()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(svg, again) {
					t.Fatal("SVG output is not deterministic")
				}
				if !bytes.HasPrefix(svg, []byte(`<svg role="img" aria-label="`)) || !bytes.Contains(svg, []byte("<title>")) {
					t.Errorf("SVG lacks role/aria-label/title: %.200s", svg)
				}
				golden(t, "chart_"+name+"_"+lang+".svg", svg)
			})
		}
	}
}

func TestChartsSwedishLetters(t *testing.T) {
	charts := fixtureCharts(t, "sv")
	svg, err := charts["dots"].SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Göteborg", "Härryda", "Öckerö", "Åmål", "Vårgårda", "Länet, kvinnor", "ej publicerad"} {
		if !bytes.Contains(svg, []byte(">"+w+"<")) {
			t.Errorf("SVG has no text element %q", w)
		}
	}
	// Swedish axis numbers use a decimal comma, English a point.
	trendSV, err := charts["trend"].SVG()
	if err != nil {
		t.Fatal(err)
	}
	trendEN, err := fixtureCharts(t, "en")["trend"].SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(trendSV, []byte(">42,5<")) || !bytes.Contains(trendEN, []byte(">42.5<")) {
		t.Error("tick labels not in the report language's number format")
	}

	// PNG: decodes, has the requested size, and is not blank.
	pngData, err := charts["dots"].PNG(96)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(pngData))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 150 {
		t.Errorf("PNG size %v", b)
	}

	// PDF: text extraction returns the Swedish letters intact.
	pdf, err := charts["dots"].PDF()
	if err != nil {
		t.Fatal(err)
	}
	txt := pdfText(t, pdf)
	for _, w := range []string{"Göteborg", "Öckerö", "Åmål", "Vårgårda"} {
		if !strings.Contains(txt, w) {
			t.Errorf("chart PDF text lacks %q:\n%s", w, txt)
		}
	}
}

// pdfText extracts text with poppler's pdftotext, skipping when absent.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install -y poppler-utils)")
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.20q", pdf)
	}
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestChartSpecErrors(t *testing.T) {
	if _, err := GroupedBars(GroupedBarsSpec{Title: "x"}); err == nil {
		t.Error("empty bar chart accepted")
	}
	if _, err := GroupedBars(GroupedBarsSpec{Title: "x", Categories: []string{"a", "b"}, Series: []BarSeries{{Label: "K", Values: []Value{Num(1, 0)}}}}); err == nil {
		t.Error("series shorter than categories accepted")
	}
	if _, err := Trend(TrendSpec{Title: "x"}); err == nil {
		t.Error("empty trend accepted")
	}
	// All values suppressed still makes a chart (showing only "..").
	c, err := GroupedBars(GroupedBarsSpec{Title: "x", Categories: []string{"Åmål"}, Series: []BarSeries{{Label: "K", Values: []Value{Suppressed(2)}}}})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := c.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg, []byte(">..<")) {
		t.Error("suppressed bar not marked with ..")
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v    float64
		d    int
		lang string
		want string
	}{
		{12345.678, 1, "sv", "12\u00a0345,7"},
		{12345.678, 1, "en", "12,345.7"},
		{-0.04, 1, "sv", "0,0"},
		{-3.25, 2, "sv", "\u22123,25"},
		{999, 0, "sv", "999"},
		{1000000, 0, "en", "1,000,000"},
		{0.5, 0, "sv", "1"},
		{2.5, 0, "en", "3"},
		{0.15, 1, "sv", "0,2"},
		{-2.5, 0, "sv", "\u22123"},
	}
	for _, tt := range tests {
		got := FormatNumber(tt.v, tt.d, tt.lang)
		if got != tt.want {
			t.Errorf("FormatNumber(%v, %d, %s) = %q, want %q", tt.v, tt.d, tt.lang, got, tt.want)
		}
	}
}

// totalOnlyFixture is an indicator with one value per geography (the share
// of women in the municipal assembly): women and men are "." everywhere.
func totalOnlyFixture() IndicatorSeries {
	na := Value{Status: StatusNotApplicable}
	kf := IndicatorSeries{ID: "kf-kvinnor-andel", Title: "Kvinnor i kommunfullmäktige, andel", Unit: "%", Decimals: 1, Polarity: Parity, Target: f64(50),
		Baseline: YearValue{2019, Num(42.5, 0)}, Latest: YearValue{2023, Num(44.75, 0)}, Direction: Better}
	for i, y := range []int{2019, 2020, 2021, 2022, 2023} {
		kf.County = append(kf.County, YearValues{Year: y, Women: na, Men: na, Total: Num(42.5+float64(i)*0.5625, 0)})
	}
	for i, g := range fixtureMunicipalities {
		gv := GeoValues{Geo: g, Women: na, Men: na, Total: Num(35+float64(i)*3.5, 0), Direction: Better}
		if g.Code == "1407" {
			gv.Total = Suppressed(0)
		}
		kf.Municipalities = append(kf.Municipalities, gv)
	}
	return kf
}

// TestTotalOnlyCharts: an indicator with one value per geography has no
// values for women and men; its charts plot the total, say so in the
// legend, and carry the values in their text alternative.
func TestTotalOnlyCharts(t *testing.T) {
	for _, tt := range []struct{ lang, trendLabel, dotLabel, desc string }{
		{"sv", "Länet (ett värde, ej uppdelat på kön)", "Kommunen (ett värde, ej uppdelat på kön)", "2019: 42,5, 2023: 44,8"},
		{"en", "County (one value, not split by sex)", "Municipality (one value, not split by sex)", "2019: 42.5, 2023: 44.8"},
	} {
		r := fixtureFollowup(tt.lang)
		kf := totalOnlyFixture()
		if !totalOnly(kf) || totalOnly(r.Goals[0].Indicators[0]) {
			t.Fatal("totalOnly misjudges the fixtures")
		}
		// The tables' K/M ratio cannot occur either: ".", not "..".
		iv, err := buildIndicator(r, "g", kf, map[string]bool{})
		if err != nil {
			t.Fatal(err)
		}
		if iv.CountyRows[0][4].Text != StatusNotApplicable || iv.MunRows[0].Cells[3].Text != StatusNotApplicable {
			t.Errorf("%s: K/M of an indicator without women and men: county %q, municipality %q, want \".\" each", tt.lang, iv.CountyRows[0][4].Text, iv.MunRows[0].Cells[3].Text)
		}
		tc, err := trendChart(r, kf)
		if err != nil {
			t.Fatal(err)
		}
		labels := func(c *Chart) string {
			var ls []string
			for _, e := range c.legend {
				ls = append(ls, e.label)
			}
			return strings.Join(ls, "|")
		}
		if l := labels(tc); !strings.HasPrefix(l, tt.trendLabel) || strings.Contains(l, tr(tt.lang, "women")) {
			t.Errorf("%s trend legend %q", tt.lang, l)
		}
		if !strings.Contains(tc.Desc, tt.desc) {
			t.Errorf("%s trend text alternative %q lacks the values %q", tt.lang, tc.Desc, tt.desc)
		}
		dc, err := dotChart(r, kf)
		if err != nil {
			t.Fatal(err)
		}
		if l := labels(dc); !strings.HasPrefix(l, tt.dotLabel) || !strings.Contains(l, tr(tt.lang, "county_total")) {
			t.Errorf("%s dot legend %q", tt.lang, l)
		}
		// The dots are drawn: a filled black square (an unstyled closed
		// path in the SVG) per published municipality, 5 of 6 (Öckerö is
		// withheld), plus the one in the legend.
		svg, err := dc.SVG()
		if err != nil {
			t.Fatal(err)
		}
		if got := len(regexp.MustCompile(`Z"\s*/>`).FindAll(svg, -1)); got != 5+1 {
			t.Errorf("%s dot plot draws %d squares, want 5 municipalities + 1 in the legend", tt.lang, got)
		}
	}
}
