package reports

import (
	"fmt"
	"strings"
)

// DirectionTally counts indicators by their direction since the baseline.
type DirectionTally struct {
	Total, Better, Worse, Unchanged, Unknown int
}

func (t *DirectionTally) add(d Direction) {
	t.Total++
	switch d {
	case Better:
		t.Better++
	case Worse:
		t.Worse++
	case Unchanged:
		t.Unchanged++
	default:
		t.Unknown++
	}
}

// TallyGoal counts the goal's indicators by direction.
func TallyGoal(g GoalSection) DirectionTally {
	var t DirectionTally
	seen := map[string]bool{}
	for _, ind := range g.Indicators {
		if seen[ind.ID] {
			continue
		}
		seen[ind.ID] = true
		t.add(ind.Direction)
	}
	return t
}

// TallyDelmal counts the distinct indicators of all goals listed under
// delmål d (an indicator that follows up two goals counts once).
func TallyDelmal(r *FollowupReport, d int) DirectionTally {
	var t DirectionTally
	seen := map[string]bool{}
	for _, g := range r.Goals {
		if primaryDelmal(g) != d {
			continue
		}
		for _, ind := range g.Indicators {
			if seen[ind.ID] {
				continue
			}
			seen[ind.ID] = true
			t.add(ind.Direction)
		}
	}
	return t
}

func primaryDelmal(g GoalSection) int {
	if len(g.Delmal) == 0 {
		return 0
	}
	return g.Delmal[0]
}

// SummarySentence writes the tally as one sentence, e.g. "7 av 9
// indikatorer rörde sig mot jämställdhet sedan 2024; 1 åt motsatt håll och
// 1 var oförändrad." baseline 0 leaves out "since".
func SummarySentence(lang string, t DirectionTally, baseline int) string {
	if t.Total == 0 {
		return tr(lang, "no_indicators")
	}
	en := lang == "en"
	var b strings.Builder
	noun := "indikatorer"
	if en {
		noun = "indicators"
	}
	if t.Total == 1 {
		noun = strings.TrimSuffix(noun, "er")
		noun = strings.TrimSuffix(noun, "s")
	}
	if en {
		fmt.Fprintf(&b, "%d of %d %s moved toward parity", t.Better, t.Total, noun)
		if baseline > 0 {
			fmt.Fprintf(&b, " since %d", baseline)
		}
	} else {
		fmt.Fprintf(&b, "%d av %d %s rörde sig mot jämställdhet", t.Better, t.Total, noun)
		if baseline > 0 {
			fmt.Fprintf(&b, " sedan %d", baseline)
		}
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
	if t.Unknown > 0 {
		rest = append(rest, pick(en, fmt.Sprintf("%d kunde inte bedömas", t.Unknown), fmt.Sprintf("%d could not be assessed", t.Unknown)))
	}
	if len(rest) > 0 {
		b.WriteString("; ")
		b.WriteString(joinAnd(lang, rest))
	}
	b.WriteString(".")
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
