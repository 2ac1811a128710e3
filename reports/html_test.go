package reports

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// checkAccessibleHTML parses the page and checks the rules the reports
// promise: lang attribute, a caption on every table, scope on every header
// cell, charts with role="img" and a name, and nothing loaded from outside.
func checkAccessibleHTML(t *testing.T, page []byte, lang string) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	var tables, svgs int
	ids := map[string]bool{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if id, ok := attr(n, "id"); ok {
				if ids[id] {
					t.Errorf("duplicate id %q", id)
				}
				ids[id] = true
			}
			switch n.Data {
			case "html":
				if l, _ := attr(n, "lang"); l != lang {
					t.Errorf("<html lang=%q>, want %q", l, lang)
				}
			case "table":
				tables++
				first := n.FirstChild
				for first != nil && first.Type != html.ElementNode {
					first = first.NextSibling
				}
				if first == nil || first.Data != "caption" {
					t.Errorf("table without caption as first child")
				}
			case "th":
				if _, ok := attr(n, "scope"); !ok {
					t.Errorf("<th> without scope: %s", textOf(n))
				}
			case "svg":
				svgs++
				if r, _ := attr(n, "role"); r != "img" {
					t.Errorf("svg without role=img")
				}
				if l, _ := attr(n, "aria-label"); l == "" {
					t.Errorf("svg without aria-label")
				}
			case "script", "link", "img", "iframe", "object":
				t.Errorf("external or active element <%s> in a self-contained report", n.Data)
			}
			for _, a := range n.Attr {
				if (a.Key == "src" || a.Key == "xlink:href") && !strings.HasPrefix(a.Val, "data:") {
					t.Errorf("<%s %s=%q> loads an external asset", n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if tables == 0 || svgs == 0 {
		t.Errorf("tables=%d svgs=%d, want both > 0", tables, svgs)
	}
	if !bytes.Contains(page, []byte("@media print")) {
		t.Error("no print stylesheet")
	}
	return doc
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

// rowsOf returns the text of every cell of each table row whose first cell
// (th or td) equals key.
func rowsOf(doc *html.Node, key string) [][]string {
	var out [][]string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" {
			var cells []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
					cells = append(cells, strings.TrimSpace(textOf(c)))
				}
			}
			if len(cells) > 0 && cells[0] == key {
				out = append(out, cells)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func TestFollowupHTML(t *testing.T) {
	tests := []struct {
		lang string
		want []string
		// municipality row of the first indicator: name, K, M, T, K/M
		goteborg, ockero []string
		county2021       []string
	}{
		{"sv",
			[]string{"Uppföljning av jämställdhetsstrategin", "Delmål 2. Ekonomisk jämställdhet",
				"2 av 3 indikatorer rörde sig mot jämställdhet mellan 2020 och 2023; 1 åt motsatt håll.",
				"0 av 1 indikator rörde sig mot jämställdhet mellan 2020 och 2023; 1 var oförändrad.",
				"Delmål 2. Ekonomisk jämställdhet: 3 av 4 indikatorer rörde sig mot jämställdhet sedan jämförelseåret (2020–2022 beroende på indikator); 1 åt motsatt håll. 1 sammanhangsindikator saknar önskad riktning och bedöms inte.",
				"Hela strategin: 3 av 5 indikatorer rörde sig mot jämställdhet sedan jämförelseåret (2020–2022 beroende på indikator); 1 åt motsatt håll och 1 var oförändrad. Ytterligare 1 kunde inte bedömas.",
				"Delmål 5. Jämställd hälsa: Indikatorn kunde inte bedömas",
				"Insatsområde: Ekonomisk jämställdhet", "Indikatorer som följer upp insatsområdet utan att vara kopplade till ett enskilt mål",
				"Indikatorer för delmålet", "Jämförelseår 2022",
				"Jämförda år i den här rapporten: 2020 → 2023 (4 indikatorer) och 2022 → 2023 (1 indikator). För 1 av de 5 bedömda indikatorerna saknas värde för strategins basår 2020",
				"Inga indikatorer är kopplade till målet ännu.",
				"Hedersrelaterat våld och förtryck ska upphöra i Västra Götaland",
				"färre än 5 personer", "Referensår", "Västra Götalands län · 2023"},
			[]string{"Göteborg", "35,0", "65,0", "100,0", "0,54"},
			[]string{"Öckerö", "..", "..", "100,0", ".."},
			[]string{"2021", "..", "55,8", "100,0", ".."},
		},
		{"en",
			[]string{"Follow-up of the gender equality strategy", "Sub-goal 2. Economic equality",
				"2 of 3 indicators moved toward parity between 2020 and 2023; 1 moved away.",
				"0 of 1 indicator moved toward parity between 2020 and 2023; 1 was unchanged.",
				"Sub-goal 2. Economic equality: 3 of 4 indicators moved toward parity since the comparison year (2020–2022 depending on the indicator); 1 moved away. 1 context indicator has no desired direction and is not assessed.",
				"Overall: 3 of 5 indicators moved toward parity",
				"Priority area: Ekonomisk jämställdhet", "Indicators for the sub-goal", "Comparison year 2022",
				"Years compared in this report: 2020 → 2023 (4 indicators) and 2022 → 2023 (1 indicator).",
				"fewer than 5 persons", "Reference year"},
			[]string{"Göteborg", "35.0", "65.0", "100.0", "0.54"},
			[]string{"Öckerö", "..", "..", "100.0", ".."},
			[]string{"2021", "..", "55.8", "100.0", ".."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteFollowupHTML(&buf, fixtureFollowup(tt.lang)); err != nil {
				t.Fatal(err)
			}
			page := buf.Bytes()
			doc := checkAccessibleHTML(t, page, tt.lang)
			text := textOf(doc)
			for _, w := range tt.want {
				if !strings.Contains(strings.ReplaceAll(text, "\u00a0", " "), w) {
					t.Errorf("report lacks %q", w)
				}
			}
			for _, want := range [][]string{tt.goteborg, tt.ockero, tt.county2021} {
				rows := rowsOf(doc, want[0])
				if len(rows) == 0 {
					t.Fatalf("no row %q", want[0])
				}
				got := rows[0][:len(want)]
				if strings.Join(got, "|") != strings.Join(want, "|") {
					t.Errorf("row %s = %q, want %q", want[0], got, want)
				}
			}
			// Nothing comes before the notice in the summary.
			sum := findID(doc, "summary")
			if sum == nil {
				t.Fatal("no summary section")
			}
			st := strings.TrimSpace(textOf(sum))
			h := strings.TrimSpace(textOf(findID(doc, "summary-h")))
			if rest := strings.TrimSpace(strings.TrimPrefix(st, h)); !strings.HasPrefix(rest, r0(fixtureFollowup(tt.lang).Notices)) {
				t.Errorf("summary does not start with the notice: %.80q", rest)
			}
			golden(t, "followup_"+tt.lang+".html", page)
		})
	}
}

func TestWorkConditionsHTML(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		t.Run(lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteWorkConditionsHTML(&buf, fixtureWork(lang)); err != nil {
				t.Fatal(err)
			}
			doc := checkAccessibleHTML(t, buf.Bytes(), lang)
			text := strings.ReplaceAll(textOf(doc), "\u00a0", " ")
			want := "Hos 5 av 5 arbetsgivare var den kvinnodominerade gruppen sämre ställd (säkerställt hos 5); hos 0 var den mansdominerade det."
			if lang == "en" {
				want = "At 5 of 5 employers the female-dominated group was worse off (distinguishable at 5); at 0 the male-dominated group was."
			}
			if !strings.Contains(text, want) {
				t.Errorf("no summary sentence %q", want)
			}
			// Öckerö's male-dominated group has 3 employees: its value and
			// its head count are withheld, and so is the difference.
			title := "Sjukfrånvaro (%)"
			rows := rowsOf(doc, title)
			if len(rows) != len(fixtureMunicipalities) {
				t.Fatalf("%d rows for %s, want %d", len(rows), title, len(fixtureMunicipalities))
			}
			ock := rows[2]
			if ock[5] != ".." || ock[6] != ".." || ock[7] != ".." || ock[8] != ".." {
				t.Errorf("Öckerö row not suppressed: %q", ock)
			}
			if g := rows[0]; g[2] != "120" || (lang == "sv" && g[3] != "8,5") || (lang == "en" && g[3] != "8.5") {
				t.Errorf("Göteborg row: %q", g)
			}
			golden(t, "arbetsvillkor_"+lang+".html", buf.Bytes())
		})
	}
}

func TestReportsRefuseSmallCells(t *testing.T) {
	r := fixtureFollowup("sv")
	r.Goals[0].Indicators[0].Municipalities[0].Women = Num(12.5, 3)
	err := WriteFollowupHTML(&bytes.Buffer{}, r)
	if err == nil || !strings.Contains(err.Error(), "n=3 < k=5") || !strings.Contains(err.Error(), "1480 K") {
		t.Errorf("small cell not refused: %v", err)
	}
	w := fixtureWork("sv")
	w.Conditions[0].Employers[2].Difference = f64(1) // group withheld, difference given
	if err := WriteWorkConditionsHTML(&bytes.Buffer{}, w); err == nil || !strings.Contains(err.Error(), "would reveal") {
		t.Errorf("difference beside a withheld group not refused: %v", err)
	}
	w = fixtureWork("de")
	if err := WriteWorkConditionsHTML(&bytes.Buffer{}, w); err == nil {
		t.Error("unknown language accepted")
	}
}

func r0(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

// findID returns the element with id, or nil.
func findID(n *html.Node, id string) *html.Node {
	if n.Type == html.ElementNode {
		for _, a := range n.Attr {
			if a.Key == "id" && a.Val == id {
				return n
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findID(c, id); f != nil {
			return f
		}
	}
	return nil
}
