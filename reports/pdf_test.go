package reports

import (
	"bytes"
	"strings"
	"testing"
)

func TestFollowupPDF(t *testing.T) {
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"sv", []string{"Uppföljning av jämställdhetsstrategin", "Västra Götalands län", "Göteborg", "Härryda", "Öckerö", "Åmål", "Vårgårda",
			"OBS: syntetiska data.", "2 av 3 indikatorer rörde sig mot jämställdhet mellan 2020 och 2023", "Indikatorer för delmålet", "Insatsområde: Ekonomisk jämställdhet", "Röjandekontroll", "färre än 5 personer", "Mäns andel av VAB-dagar"}},
		{"en", []string{"Follow-up of the gender equality strategy", "Göteborg", "Öckerö", "2 of 3 indicators moved toward parity between 2020 and 2023", "Indicators for the sub-goal", "Disclosure control"}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteFollowupPDF(&buf, fixtureFollowup(tt.lang)); err != nil {
				t.Fatal(err)
			}
			txt := normalizeSpace(pdfText(t, buf.Bytes()))
			// The notice comes before any summary sentence.
			if n, b := strings.Index(txt, fixtureFollowup(tt.lang).Notices[0]), strings.Index(txt, "• "); n < 0 || b < n {
				t.Errorf("notice at %d, first summary bullet at %d", n, b)
			}
			for _, w := range tt.want {
				if !strings.Contains(txt, w) {
					t.Errorf("PDF text lacks %q", w)
				}
			}
		})
	}
}

func TestWorkConditionsPDF(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWorkConditionsPDF(&buf, fixtureWork("sv")); err != nil {
		t.Fatal(err)
	}
	txt := normalizeSpace(pdfText(t, buf.Bytes()))
	for _, w := range []string{"Hur jämställda är arbetsvillkoren?", "Sjukfrånvaro", "Undersköterskor", "Drifttekniker, värme- och vattenverk",
		"Hos 5 av 5 arbetsgivare var den kvinnodominerade gruppen sämre ställd", "Öckerö (1407)", "Mölndal"} {
		if !strings.Contains(txt, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if err := WriteWorkConditionsPDF(&bytes.Buffer{}, &WorkConditionsReport{Lang: "fi"}); err == nil {
		t.Error("unsupported language accepted")
	}
}

// normalizeSpace folds the line breaks and no-break spaces pdftotext
// returns into single spaces, so phrases can be searched across lines.
func normalizeSpace(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}
