package compare

import (
	"fmt"

	"github.com/jamstat/jamstat/analysis"
)

// picked is the outcome of classifying one employer's groups.
type picked struct {
	female, male             *Group
	femaleStatus, maleStatus string
	groups, eligible         ClassCount
	n, unclassified          int
}

// pickGroups classifies the groups of one employer in one period and picks
// the most female- and the most male-dominated group with at least MinN
// persons (analysis.DominanceExtremes: highest share, ties to the larger
// group, then the smaller code).
//
// Under the headcount metric the counts are persons. Under the årsarbetare
// metric they are Σ employment rate (in hundredths of a percent point), so
// the share is of årsarbetare and a share tie goes to the group with more
// årsarbetare; MinN still counts persons. A group without årsarbetare (no
// one with an employment rate) has no share: its persons are unclassified.
func pickGroups(rows []groupRow, o Options) (picked, error) {
	var p picked
	var all, eligible []analysis.GroupCount
	byCode := map[string]groupRow{}
	for _, r := range rows {
		p.n += r.n
		if !r.hasGrp {
			p.unclassified += r.n
			continue
		}
		gc := analysis.GroupCount{Code: r.grp, Women: r.women, Men: r.n - r.women}
		if o.Share == ShareFTE {
			if r.fteWomen+r.fteMen <= 0 {
				p.unclassified += r.n
				continue
			}
			gc.Women, gc.Men = int(r.fteWomen), int(r.fteMen)
		}
		all = append(all, gc)
		byCode[r.grp] = r
		if r.n >= o.MinN {
			eligible = append(eligible, gc)
		}
	}
	dopt := analysis.DominanceOptions{ThresholdPct: o.Threshold, Inclusive: o.Inclusive}
	cls, err := analysis.ClassifyGroups(all, dopt)
	if err != nil {
		return p, err
	}
	count := func(cc *ClassCount, c analysis.Dominance) {
		switch c {
		case analysis.Kvinnodominerad:
			cc.Kvinnodominerad++
		case analysis.Mansdominerad:
			cc.Mansdominerad++
		default:
			cc.Jamn++
		}
	}
	for _, c := range cls {
		count(&p.groups, c.Class)
		if byCode[c.Code].n >= o.MinN {
			count(&p.eligible, c.Class)
		}
	}
	// Eligibility is by persons, which DominanceExtremes cannot see under
	// the årsarbetare metric: filter first, then pick with MinN 0.
	ex, err := analysis.DominanceExtremes(eligible, dopt)
	if err != nil {
		return p, err
	}
	mk := func(c *analysis.GroupClass) *Group {
		r := byCode[c.Code]
		return &Group{Code: c.Code, N: r.n, Women: r.women, WomenPct: c.WomenPct, Class: c.Class}
	}
	if ex.MostFemale != nil {
		p.female = mk(ex.MostFemale)
	} else {
		p.femaleStatus = noGroupStatus("kvinnodominerad", p.groups.Kvinnodominerad, o.MinN)
	}
	if ex.MostMale != nil {
		p.male = mk(ex.MostMale)
	} else {
		p.maleStatus = noGroupStatus("mansdominerad", p.groups.Mansdominerad, o.MinN)
	}
	return p, nil
}

func noGroupStatus(class string, all, minN int) string {
	if all == 0 {
		return fmt.Sprintf("no %s group", class)
	}
	return fmt.Sprintf("no %s group with at least %d employees (%d smaller)", class, minN, all)
}
