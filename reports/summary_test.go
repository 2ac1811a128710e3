package reports

import (
	"strings"
	"testing"
)

// series makes n indicators with direction d compared between years b and l.
func seriesOf(n int, d Direction, b, l int) []IndicatorSeries {
	out := make([]IndicatorSeries, n)
	for i := range out {
		out[i] = IndicatorSeries{ID: string(d) + "-" + string(rune('a'+i)) + "-" + string(rune('0'+b%10)), Direction: d,
			Baseline: YearValue{Year: b, Value: Num(1, 0)}, Latest: YearValue{Year: l, Value: Num(2, 0)}}
		if d == Unknown || d == Context {
			out[i].Baseline = YearValue{Value: Value{Status: StatusMissing}}
		}
	}
	return out
}

func TestSummarySentence(t *testing.T) {
	var demo []IndicatorSeries // the demo's economic-equality area, 2023 → 2024
	demo = append(demo, seriesOf(9, Better, 2023, 2024)...)
	demo = append(demo, seriesOf(1, Worse, 2023, 2024)...)
	demo = append(demo, seriesOf(8, Unchanged, 2023, 2024)...)
	demo = append(demo, seriesOf(5, Unknown, 0, 0)...)
	mixed := append(seriesOf(2, Better, 2020, 2023), seriesOf(1, Worse, 2021, 2023)...)
	sameBase := append(seriesOf(1, Better, 2020, 2022), seriesOf(1, Unchanged, 2020, 2023)...)
	for _, tt := range []struct {
		name   string
		inds   []IndicatorSeries
		sv, en string
	}{
		{"demo area", demo,
			"9 av 18 indikatorer rörde sig mot jämställdhet mellan 2023 och 2024; 1 åt motsatt håll och 8 var oförändrade. Ytterligare 5 kunde inte bedömas.",
			"9 of 18 indicators moved toward parity between 2023 and 2024; 1 moved away and 8 were unchanged. A further 5 could not be assessed."},
		{"baseline years differ", mixed,
			"2 av 3 indikatorer rörde sig mot jämställdhet sedan jämförelseåret (2020–2021 beroende på indikator); 1 åt motsatt håll.",
			"2 of 3 indicators moved toward parity since the comparison year (2020–2021 depending on the indicator); 1 moved away."},
		{"same baseline, latest differs", sameBase,
			"1 av 2 indikatorer rörde sig mot jämställdhet sedan 2020; 1 var oförändrad.",
			"1 of 2 indicators moved toward parity since 2020; 1 was unchanged."},
		{"nothing assessable", seriesOf(2, Unknown, 0, 0),
			"Ingen av de 2 indikatorerna kunde bedömas (för få år med jämförbara värden).",
			"None of the 2 indicators could be assessed (too few years with comparable values)."},
		{"context only", seriesOf(2, Context, 0, 0),
			"Bara sammanhangsindikatorer (2), som saknar önskad riktning och inte bedöms.",
			"Context indicators only (2): they have no desired direction and are not assessed."},
		{"context beside assessed", append(seriesOf(1, Better, 2023, 2024), seriesOf(1, Context, 0, 0)...),
			"1 av 1 indikator rörde sig mot jämställdhet mellan 2023 och 2024. 1 sammanhangsindikator saknar önskad riktning och bedöms inte.",
			"1 of 1 indicator moved toward parity between 2023 and 2024. 1 context indicator has no desired direction and is not assessed."},
		{"none", nil, "Inga indikatorer är kopplade till målet ännu.", "No indicators are linked to this goal yet."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tally := TallyGroup(IndicatorGroup{Indicators: tt.inds})
			if got := SummarySentence("sv", tally); got != tt.sv {
				t.Errorf("sv:\n got %q\nwant %q", got, tt.sv)
			}
			if got := SummarySentence("en", tally); got != tt.en {
				t.Errorf("en:\n got %q\nwant %q", got, tt.en)
			}
		})
	}
}

// TestComparisonNotes: a strategy whose baseline year is the latest year
// (the demo: baseline 2024, data up to 2024) is compared 2023 → 2024, and
// the method section says so instead of implying change since 2024.
func TestComparisonNotes(t *testing.T) {
	r := &FollowupReport{Strategy: Strategy{BaselineYear: 2024}, Year: 2024,
		Groups: []IndicatorGroup{{Delmal: 2, Indicators: append(seriesOf(3, Better, 2023, 2024), seriesOf(1, Unknown, 0, 0)...)}}}
	got := strings.Join(comparisonNotes("sv", r), "\n")
	for _, w := range []string{"strategins basår 2024", "Jämförda år i den här rapporten: 2023 → 2024 (3 indikatorer).",
		"Strategins basår 2024 är det senaste året med uppgifter för alla bedömda indikatorer, så utvecklingen från basåret kan ännu inte mätas"} {
		if !strings.Contains(got, w) {
			t.Errorf("notes lack %q:\n%s", w, got)
		}
	}
	r.Strategy.BaselineYear = 2020
	r.Groups[0].Indicators = append(seriesOf(2, Better, 2020, 2024), seriesOf(1, Worse, 2021, 2024)...)
	got = strings.Join(comparisonNotes("en", r), "\n")
	for _, w := range []string{"2020 → 2024 (2 indicators) and 2021 → 2024 (1 indicator)", "For 1 of the 3 indicators assessed the strategy's baseline year 2020 has no value"} {
		if !strings.Contains(got, w) {
			t.Errorf("notes lack %q:\n%s", w, got)
		}
	}
}
