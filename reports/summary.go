package reports

import (
	"fmt"
	"strings"
)

// DirectionTally counts indicators by their direction since the year
// they are compared with.
type DirectionTally struct {
	// Total counts the indicators that have a desired direction; Better,
	// Worse, Unchanged and Unknown split it.
	Total, Better, Worse, Unchanged, Unknown int
	// Context counts context indicators: shown, never assessed.
	Context int
	// Compared counts the assessed indicators by the years actually
	// compared: [baseline year, latest year]. The baseline year is the
	// strategy's where it has a value before the latest year, else the
	// nearest year that has one, so it may differ from the strategy's.
	Compared map[[2]int]int
}

// Assessed is the number of indicators whose direction could be judged.
func (t DirectionTally) Assessed() int { return t.Better + t.Worse + t.Unchanged }

func (t *DirectionTally) add(ind IndicatorSeries) {
	if ind.Direction == Context {
		t.Context++
		return
	}
	t.Total++
	switch ind.Direction {
	case Better:
		t.Better++
	case Worse:
		t.Worse++
	case Unchanged:
		t.Unchanged++
	default:
		t.Unknown++
		return
	}
	if ind.Baseline.Year > 0 && ind.Latest.Year > 0 {
		if t.Compared == nil {
			t.Compared = map[[2]int]int{}
		}
		t.Compared[[2]int{ind.Baseline.Year, ind.Latest.Year}]++
	}
}

// tallyOnce adds each indicator once, however many sections list it.
func tallyOnce(t *DirectionTally, seen map[string]bool, inds []IndicatorSeries) {
	for _, ind := range inds {
		if seen[ind.ID] {
			continue
		}
		seen[ind.ID] = true
		t.add(ind)
	}
}

// TallyGoal counts the goal's indicators by direction.
func TallyGoal(g GoalSection) DirectionTally {
	var t DirectionTally
	tallyOnce(&t, map[string]bool{}, g.Indicators)
	return t
}

// TallyGroup counts a group's indicators by direction.
func TallyGroup(g IndicatorGroup) DirectionTally {
	var t DirectionTally
	tallyOnce(&t, map[string]bool{}, g.Indicators)
	return t
}

// TallyDelmal counts the distinct indicators listed under delmål d: those
// of the goals listed under it and those of its indicator groups (an
// indicator shown twice counts once).
func TallyDelmal(r *FollowupReport, d int) DirectionTally {
	var t DirectionTally
	seen := map[string]bool{}
	for _, g := range r.Goals {
		if primaryDelmal(g) == d {
			tallyOnce(&t, seen, g.Indicators)
		}
	}
	for _, g := range r.Groups {
		if g.Delmal == d {
			tallyOnce(&t, seen, g.Indicators)
		}
	}
	return t
}

// TallyReport counts every distinct indicator of the report once.
func TallyReport(r *FollowupReport) DirectionTally {
	var t DirectionTally
	seen := map[string]bool{}
	for _, g := range r.Goals {
		tallyOnce(&t, seen, g.Indicators)
	}
	for _, g := range r.Groups {
		tallyOnce(&t, seen, g.Indicators)
	}
	return t
}

func primaryDelmal(g GoalSection) int {
	if len(g.Delmal) == 0 {
		return 0
	}
	return g.Delmal[0]
}

// comparedPhrase names the years the tally compares: "mellan 2023 och
// 2024" when all assessed indicators compare the same two years, "sedan
// 2020" when they share the baseline year only, else the span of
// baseline years.
func comparedPhrase(lang string, c map[[2]int]int) string {
	if len(c) == 0 {
		return ""
	}
	en := lang == "en"
	bmin, bmax, lmin, lmax := 0, 0, 0, 0
	first := true
	for k := range c {
		if first {
			bmin, bmax, lmin, lmax = k[0], k[0], k[1], k[1]
			first = false
			continue
		}
		bmin, bmax = min(bmin, k[0]), max(bmax, k[0])
		lmin, lmax = min(lmin, k[1]), max(lmax, k[1])
	}
	switch {
	case bmin == bmax && lmin == lmax:
		return fmt.Sprintf(pick(en, "mellan %d och %d", "between %d and %d"), bmin, lmin)
	case bmin == bmax:
		return fmt.Sprintf(pick(en, "sedan %d", "since %d"), bmin)
	}
	return fmt.Sprintf(pick(en, "sedan jämförelseåret (%d–%d beroende på indikator)", "since the comparison year (%d–%d depending on the indicator)"), bmin, bmax)
}

// SummarySentence writes the tally as one sentence, e.g. "9 av 18
// indikatorer rörde sig mot jämställdhet mellan 2023 och 2024; 1 åt
// motsatt håll och 8 var oförändrade. Ytterligare 5 kunde inte bedömas."
// The count is of the indicators that could be assessed, and the years
// named are those actually compared, not the strategy's baseline year
// (which may have no value yet).
func SummarySentence(lang string, t DirectionTally) string {
	en := lang == "en"
	if t.Total == 0 {
		if t.Context > 0 {
			return fmt.Sprintf(pick(en, "Bara sammanhangsindikatorer (%d), som saknar önskad riktning och inte bedöms.",
				"Context indicators only (%d): they have no desired direction and are not assessed."), t.Context)
		}
		return tr(lang, "no_indicators")
	}
	var b strings.Builder
	a := t.Assessed()
	if a == 0 {
		if t.Total == 1 {
			b.WriteString(pick(en, "Indikatorn kunde inte bedömas (för få år med jämförbara värden).", "The indicator could not be assessed (too few years with comparable values)."))
		} else {
			fmt.Fprintf(&b, pick(en, "Ingen av de %d indikatorerna kunde bedömas (för få år med jämförbara värden).", "None of the %d indicators could be assessed (too few years with comparable values)."), t.Total)
		}
	} else {
		noun := pick(en, plural(a, "indikator", "indikatorer"), plural(a, "indicator", "indicators"))
		fmt.Fprintf(&b, pick(en, "%d av %d %s rörde sig mot jämställdhet", "%d of %d %s moved toward parity"), t.Better, a, noun)
		if p := comparedPhrase(lang, t.Compared); p != "" {
			b.WriteString(" " + p)
		}
		var rest []string
		if t.Worse > 0 {
			rest = append(rest, pick(en, fmt.Sprintf("%d åt motsatt håll", t.Worse), fmt.Sprintf("%d moved away", t.Worse)))
		}
		if t.Unchanged > 0 {
			sv := fmt.Sprintf("%d var oförändrade", t.Unchanged)
			if t.Unchanged == 1 {
				sv = "1 var oförändrad"
			}
			rest = append(rest, pick(en, sv, fmt.Sprintf("%d %s unchanged", t.Unchanged, plural(t.Unchanged, "was", "were"))))
		}
		if len(rest) > 0 {
			b.WriteString("; ")
			b.WriteString(joinAnd(lang, rest))
		}
		b.WriteString(".")
		if t.Unknown > 0 {
			fmt.Fprintf(&b, pick(en, " Ytterligare %d kunde inte bedömas.", " A further %d could not be assessed."), t.Unknown)
		}
	}
	if t.Context > 0 {
		if en {
			fmt.Fprintf(&b, " %d context %s no desired direction and %s not assessed.", t.Context, plural(t.Context, "indicator has", "indicators have"), plural(t.Context, "is", "are"))
		} else {
			fmt.Fprintf(&b, " %d %s saknar önskad riktning och bedöms inte.", t.Context, plural(t.Context, "sammanhangsindikator", "sammanhangsindikatorer"))
		}
	}
	return b.String()
}

func pick(en bool, sv, eng string) string {
	if en {
		return eng
	}
	return sv
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// joinAnd joins "a, b och c" / "a, b and c".
func joinAnd(lang string, parts []string) string {
	and := " och "
	if lang == "en" {
		and = " and "
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + and + parts[len(parts)-1]
}

// ConditionSummary is the county summary for one working condition: at how
// many employers the female-dominated group is worse off.
type ConditionSummary struct {
	ConditionID string
	Title       string
	Employers   int // employers in the report for this condition
	Compared    int // employers where both groups are published
	FemaleWorse int
	// FemaleWorseDistinguishable: of FemaleWorse, those whose interval
	// excludes no difference.
	FemaleWorseDistinguishable int
	MaleWorse                  int
	MaleWorseDistinguishable   int
	Equal                      int
}

// SummarizeConditions derives the county summary from the rows, so the
// summary can never disagree with the tables it sums up.
func SummarizeConditions(r *WorkConditionsReport) []ConditionSummary {
	out := make([]ConditionSummary, 0, len(r.Conditions))
	for _, c := range r.Conditions {
		s := ConditionSummary{ConditionID: c.ID, Title: c.Title, Employers: len(c.Employers)}
		for _, e := range c.Employers {
			switch femaleWorse(c.Kind, c.Polarity, e.Difference) {
			case 1:
				s.Compared++
				s.FemaleWorse++
				if e.Distinguishable {
					s.FemaleWorseDistinguishable++
				}
			case -1:
				s.Compared++
				s.MaleWorse++
				if e.Distinguishable {
					s.MaleWorseDistinguishable++
				}
			case 0:
				s.Compared++
				s.Equal++
			}
		}
		out = append(out, s)
	}
	return out
}

// neutral is the difference that means "no difference" for a kind.
func neutral(k ConditionKind) float64 {
	if k == KindRatio {
		return 1
	}
	return 0
}

// femaleWorse returns 1 when the female-dominated group is worse off, -1
// when the male-dominated one is, 0 when equal, and 2 when not comparable.
func femaleWorse(k ConditionKind, p Polarity, diff *float64) int {
	if diff == nil {
		return 2
	}
	d := *diff - neutral(k)
	if d == 0 {
		return 0
	}
	higherForWomen := d > 0
	switch p {
	case HigherIsBetter:
		if higherForWomen {
			return -1
		}
		return 1
	case LowerIsBetter:
		if higherForWomen {
			return 1
		}
		return -1
	}
	return 2
}

// ConditionSentence writes one condition's summary as a sentence.
func ConditionSentence(lang string, s ConditionSummary) string {
	if s.Compared == 0 {
		return pick(lang == "en", "Ingen arbetsgivare kunde jämföras.", "No employer could be compared.")
	}
	if lang == "en" {
		return fmt.Sprintf("At %d of %d employers the female-dominated group was worse off (distinguishable at %d); at %d the male-dominated group was.",
			s.FemaleWorse, s.Compared, s.FemaleWorseDistinguishable, s.MaleWorse)
	}
	return fmt.Sprintf("Hos %d av %d arbetsgivare var den kvinnodominerade gruppen sämre ställd (säkerställt hos %d); hos %d var den mansdominerade det.",
		s.FemaleWorse, s.Compared, s.FemaleWorseDistinguishable, s.MaleWorse)
}
