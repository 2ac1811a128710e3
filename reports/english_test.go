package reports

import (
	"bytes"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The English outputs must not carry Swedish labels. Data the caller
// supplies (names, titles, goal texts published only in Swedish) may be
// Swedish; everything the package writes itself must be English. The test
// removes every string of the input model from the output, then looks for
// Swedish in what is left.

// modelStrings collects every string reachable from v.
func modelStrings(v any) []string {
	var out []string
	var walk func(reflect.Value)
	walk = func(x reflect.Value) {
		switch x.Kind() {
		case reflect.String:
			if s := x.String(); strings.TrimSpace(s) != "" {
				out = append(out, s)
			}
		case reflect.Pointer, reflect.Interface:
			if !x.IsNil() {
				walk(x.Elem())
			}
		case reflect.Struct:
			for i := 0; i < x.NumField(); i++ {
				if x.Type().Field(i).IsExported() {
					walk(x.Field(i))
				}
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < x.Len(); i++ {
				walk(x.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(v))
	// Longest first, so a name inside a longer text is removed with it.
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

var swedishWord = regexp.MustCompile(`[åäöÅÄÖ]|\b(och|av|för|med|från|inte|ej|kr|tkr|Län|länet|Kvinnor|Män|Totalt|Mål|Delmål|Källa|Riket|Kommun|Kommunerna|kommuner|Basår|Senaste|Jämförelseår|Sida|Tecken|Ja|Nej|Antal|Värde|Skillnad|Yrkesgrupp|Arbetsgivare)\b`)

func checkNoSwedish(t *testing.T, what, text string, model any) {
	t.Helper()
	text = strings.ReplaceAll(text, "\u00a0", " ")
	for _, s := range modelStrings(model) {
		text = strings.ReplaceAll(text, s, " ")
	}
	// Geography names come from the reference data, not from labels.
	for _, g := range append(fixtureMunicipalities, Geo{"14", "Västra Götalands län"}) {
		text = strings.ReplaceAll(text, g.Name, " ")
	}
	for _, line := range strings.Split(text, "\n") {
		if m := swedishWord.FindString(line); m != "" {
			t.Errorf("%s: Swedish %q left in %.160q", what, m, strings.TrimSpace(line))
		}
	}
}

func TestEnglishHasNoSwedishLabels(t *testing.T) {
	fr := fixtureFollowup("en")
	var buf bytes.Buffer
	if err := WriteFollowupHTML(&buf, fr); err != nil {
		t.Fatal(err)
	}
	checkNoSwedish(t, "follow-up HTML", textOf(checkAccessibleHTML(t, buf.Bytes(), "en")), fr)
	// The PDFs render the same view models as the HTML; their own labels
	// (page footer, table heads) are checked by word, since pdftotext
	// breaks the model's strings across lines and table columns.
	buf.Reset()
	if err := WriteFollowupPDF(&buf, fr); err != nil {
		t.Fatal(err)
	}
	pdfLabels(t, "follow-up PDF", pdfText(t, buf.Bytes()), []string{"Page 1", "Symbol", "Municipality", "W/M ratio", "Comparison year"})

	wr := fixtureWork("en")
	wr.Conditions[0].Employers[1].MaleGroup = Group{Value: Value{Status: StatusNotApplicable}}
	wr.Conditions[0].Employers[1].Difference, wr.Conditions[0].Employers[1].CILow, wr.Conditions[0].Employers[1].CIHigh = nil, nil, nil
	buf.Reset()
	if err := WriteWorkConditionsHTML(&buf, wr); err != nil {
		t.Fatal(err)
	}
	checkNoSwedish(t, "working-conditions HTML", textOf(checkAccessibleHTML(t, buf.Bytes(), "en")), wr)
	buf.Reset()
	if err := WriteWorkConditionsPDF(&buf, wr); err != nil {
		t.Fatal(err)
	}
	pdfLabels(t, "working-conditions PDF", pdfText(t, buf.Bytes()), []string{"Page 1", "Symbol", "Employers compared", "Female-dominated", "No male-dominated occupation"})

	for _, geo := range []Geo{{"1480", "Göteborg"}, {"14", "Västra Götalands län"}} {
		s := syntheticSheet(geo, Geo{"14", "Västra Götalands län"}, 4)
		s.Lang = "en"
		// The fixture's model text is Swedish: give the sheet English delmål titles.
		for i := range s.Delmal {
			s.Delmal[i].Title = DelmalTitle("en", s.Delmal[i].Delmal)
		}
		buf.Reset()
		if err := WriteMunicipalitySheet(&buf, s); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, name := range f.GetSheetList() {
			all.WriteString(name + "\n")
			rows, err := f.GetRows(name)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows {
				all.WriteString(strings.Join(r, "\t") + "\n")
			}
		}
		f.Close()
		checkNoSwedish(t, "sheet "+geo.Code, all.String(), s)
		var csv bytes.Buffer
		if err := WriteSheetCSV(&csv, s, CSVOptions{DecimalPoint: true}); err != nil {
			t.Fatal(err)
		}
		head, _, _ := strings.Cut(strings.TrimPrefix(csv.String(), "\ufeff"), "\r\n")
		want := "Municipality code;Municipality;Sub-goal;"
		if geo.Code == "14" {
			want = "County code;County;Sub-goal;"
		}
		if !strings.HasPrefix(head, want) {
			t.Errorf("CSV %s header %q, want %q…", geo.Code, head, want)
		}
		checkNoSwedish(t, "CSV "+geo.Code, csv.String(), s)
		// The county's own sheet names the county, not a municipality.
		if geo.Code == "14" && strings.Contains(all.String(), "Municipality\t") {
			t.Errorf("county sheet labels the county as a municipality")
		}
	}
	for unit, want := range map[string]string{"per 100 000": "per 100,000", "per 1 000": "per 1,000", "kSEK": "SEK thousand"} {
		if got := unitText(unit, "en"); got != want {
			t.Errorf("unit %q in English: %q, want %q", unit, got, want)
		}
	}
}

func pdfLabels(t *testing.T, what, text string, want []string) {
	t.Helper()
	text = normalizeSpace(text)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
	for _, sv := range []string{"Sida ", "Tecken", "Kommun ", "Jämförelseår", "Jämförda arbetsgivare", "Kvinnodominerad", "Ingen mansdominerad"} {
		if strings.Contains(text, sv) {
			t.Errorf("%s has the Swedish label %q", what, sv)
		}
	}
}
