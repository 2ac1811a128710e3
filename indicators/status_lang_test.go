package indicators

import "testing"

func TestStatusNotesFollowLanguage(t *testing.T) {
	r := &StatusReport{}
	r.addNote("the strategy has 15 goals", "strategin har 15 mål")
	r.addNote("county values", "länsvärden")
	for _, tt := range []struct{ lang, first, second string }{
		{"sv", "strategin har 15 mål", "länsvärden"},
		{"en", "the strategy has 15 goals", "county values"},
		{"sv", "strategin har 15 mål", "länsvärden"},
	} {
		r.SetLang(tt.lang)
		if len(r.Notes) != 2 || r.Notes[0] != tt.first || r.Notes[1] != tt.second {
			t.Errorf("SetLang(%s): notes %q", tt.lang, r.Notes)
		}
	}
}
