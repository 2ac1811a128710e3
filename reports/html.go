package reports

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"time"
)

//go:embed templates
var templateFS embed.FS

// templates are parsed once; they take fully formatted view models, so the
// templates hold markup only and every number is formatted in Go.
var templates = template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))

func css() template.CSS {
	b, err := templateFS.ReadFile("templates/style.css")
	if err != nil {
		// The file is embedded at build time; a missing one is a build bug.
		panic(err)
	}
	return template.CSS(b)
}

var styleSheet = css()

// cell is one formatted table cell.
type cell struct {
	Text  string
	Class string // "num", "num sup" for a status symbol
}

func numCell(v Value, decimals int, lang string) cell {
	if !v.Published() {
		return cell{Text: v.Symbol(), Class: "num sup"}
	}
	return cell{Text: FormatNumber(*v.V, decimals, lang), Class: "num"}
}

func ptrCell(p *float64, decimals int, lang string) cell {
	if p == nil {
		return cell{Text: StatusSuppressed, Class: "num sup"}
	}
	return cell{Text: FormatNumber(*p, decimals, lang), Class: "num"}
}

// legendRow explains one status symbol.
type legendRow struct {
	Symbol, Text string
}

// legendRows lists the symbols that appear in a report (".." always, since
// the suppression rule applies to every report).
func legendRows(lang string, k int, used map[string]bool) []legendRow {
	rows := []legendRow{{StatusSuppressed, legendText(lang, StatusSuppressed, k)}}
	for _, s := range []string{StatusMissing, StatusNotApplicable} {
		if used[s] {
			rows = append(rows, legendRow{s, legendText(lang, s, k)})
		}
	}
	return rows
}

// methodView is the method section, shared by both reports.
type methodView struct {
	Definitions []Definition
	Sources     []sourceView
	Suppression string
	Notes       []string
	Vintage     string
	// Comparison says which years the directions compare (follow-up only).
	Comparison []string
}

type sourceView struct {
	Name, URL, ReferenceYear, Published string
}

func buildMethod(lang string, m Method, k int, year int) methodView {
	v := methodView{Definitions: m.Definitions, Notes: m.Notes}
	for _, s := range m.Sources {
		ry := ""
		if s.ReferenceYear > 0 {
			ry = fmt.Sprint(s.ReferenceYear)
		}
		v.Sources = append(v.Sources, sourceView{Name: s.Name, URL: s.URL, ReferenceYear: ry, Published: s.Published})
	}
	v.Suppression = m.SuppressionRule
	if v.Suppression == "" {
		v.Suppression = suppressionText(lang, k)
	}
	if lang == "en" {
		v.Vintage = fmt.Sprintf("The reference year is the year the figures describe (here %d at the latest); the publication year is when the source released them. The two are kept apart: each source below states both.", year)
	} else {
		v.Vintage = fmt.Sprintf("Referensåret är det år siffrorna avser (här senast %d); publiceringsåret är när källan gav ut dem. De hålls isär: varje källa nedan anger båda.", year)
	}
	return v
}

func suppressionText(lang string, k int) string {
	if lang == "en" {
		return fmt.Sprintf("No figure resting on fewer than %d persons is published. Such cells are shown as \"..\", never as 0, and further cells are withheld where a hidden one could otherwise be worked out from a total (secondary suppression).", k)
	}
	return fmt.Sprintf("Inga uppgifter som bygger på färre än %d personer publiceras. Sådana celler visas som \"..\", aldrig som 0, och ytterligare celler döljs där en dold uppgift annars skulle kunna räknas fram ur en summa (sekundär röjandekontroll).", k)
}

func generatedText(lang string, t time.Time, version string) string {
	var parts []string
	if !t.IsZero() {
		parts = append(parts, tr(lang, "generated")+" "+t.Format("2006-01-02"))
	}
	if version != "" {
		parts = append(parts, tr(lang, "version")+" "+version)
	}
	return strings.Join(parts, " · ")
}

// labelMap gives templates every label in lang as .L.key.
func labelMap(lang string) map[string]string {
	m := make(map[string]string, len(labels))
	for k := range labels {
		m[k] = tr(lang, k)
	}
	return m
}

func langOr(l string) string {
	if l == "" {
		return "sv"
	}
	return l
}

func execTemplate(w io.Writer, name string, view any) error {
	if err := templates.ExecuteTemplate(w, name, view); err != nil {
		return fmt.Errorf("reports: render %s: %w", name, err)
	}
	return nil
}

func svgHTML(c *Chart) (template.HTML, error) {
	if c == nil {
		return "", nil
	}
	b, err := c.SVG()
	if err != nil {
		return "", err
	}
	// The SVG comes from our own renderer, which escapes all text it draws.
	return template.HTML(b), nil
}

func sortedInts(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
