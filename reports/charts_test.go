package reports

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
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
		got := formatNumber(tt.v, tt.d, tt.lang)
		if got != tt.want {
			t.Errorf("formatNumber(%v, %d, %s) = %q, want %q", tt.v, tt.d, tt.lang, got, tt.want)
		}
	}
}
