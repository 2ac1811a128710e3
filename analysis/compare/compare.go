package compare

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/jamstat/jamstat/store"
)

// Run compares, for every employer and period in the store's employee
// table (narrowed by Options.Year and Options.County), the most female-
// and the most male-dominated occupational group on every condition.
func Run(ctx context.Context, db *store.DB, opt Options) (*Result, error) {
	o, err := opt.withDefaults()
	if err != nil {
		return nil, OptionError{err}
	}
	res := &Result{Options: o, RunKey: o.RunKey(), Conditions: o.Conditions, Areas: o.Areas}

	groups, err := queryGroups(ctx, db.SQL, o)
	if err != nil {
		return nil, err
	}
	geoNames, occNames, err := queryNames(ctx, db.SQL, o.Level)
	if err != nil {
		return nil, err
	}

	// Classify and pick per employer × period (rows arrive sorted).
	var picks []pick
	for start := 0; start < len(groups); {
		end := start
		for end < len(groups) && groups[end].period == groups[start].period && groups[end].employer == groups[start].employer {
			end++
		}
		g0 := groups[start]
		p, err := pickGroups(groups[start:end], o)
		if err != nil {
			return nil, fmt.Errorf("compare: employer %s, %s: %w", g0.employer, g0.period, err)
		}
		e := Employer{
			Period: g0.period, Code: g0.employer, Name: geoNames[g0.employer], County: county(g0.employer), Sector: sector(g0.employer),
			N: p.n, Unclassified: p.unclassified, Groups: p.groups, Eligible: p.eligible,
			Female: p.female, FemaleStatus: p.femaleStatus, Male: p.male, MaleStatus: p.maleStatus,
		}
		if e.Female != nil {
			picks = append(picks, pick{e.Period, e.Code, e.Female.Code, "F"})
		}
		if e.Male != nil {
			picks = append(picks, pick{e.Period, e.Code, e.Male.Code, "M"})
		}
		res.Employers = append(res.Employers, e)
		start = end
	}

	stats, err := queryPicked(ctx, db.SQL, o, picks)
	if err != nil {
		return nil, err
	}
	areas, err := queryAreas(ctx, db.SQL, o)
	if err != nil {
		return nil, err
	}

	// Name the groups and fill the conditions; the bootstrap makes this the
	// costly part, so employers are spread over the CPUs. Every comparison
	// has its own seed, so the result does not depend on the schedule.
	var wg sync.WaitGroup
	next := make(chan int)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				fillEmployer(&res.Employers[i], o, stats, areas, occNames)
			}
		}()
	}
	for i := range res.Employers {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Summary = summarize(res.Employers, o.Conditions)
	return res, nil
}

func county(employer string) string {
	if len(employer) >= 2 {
		return employer[:2]
	}
	return employer
}

// sector follows the HR export contract: a 2-character employer code is a
// region, a 4-character one a kommun.
func sector(employer string) string {
	switch len(employer) {
	case 2:
		return "region"
	case 4:
		return "kommun"
	}
	return ""
}

func fillEmployer(e *Employer, o Options, stats map[sideKey]*sideStats, areas map[areaKey][]areaCount, occNames map[string]string) {
	mkSide := func(g *Group, s string) []side {
		out := make([]side, len(o.Conditions))
		if g == nil {
			return out
		}
		st := stats[sideKey{e.Period, e.Code, s}]
		if st != nil {
			g.Name = groupName(g.Code, occNames, st.labels)
			g.Area = topKey(st.areas)
		} else {
			g.Name = occNames[g.Code]
		}
		ac := areas[areaKey{e.Period, e.Code, g.Area}]
		for i := range out {
			out[i].present = true
			out[i].area = g.Area
			if st != nil {
				out[i].stats = &st.conds[i]
			} else {
				out[i].stats = &condStats{}
			}
			if i < len(ac) {
				out[i].areaCount = ac[i]
			}
		}
		return out
	}
	fs, ms := mkSide(e.Female, "F"), mkSide(e.Male, "M")
	e.Conditions = make([]Comparison, len(o.Conditions))
	for i, c := range o.Conditions {
		e.Conditions[i] = compareCondition(c, fs[i], ms[i], o, seedFor(o.Seed, e.Period, e.Code, c.ID))
	}
}

// groupName prefers the reference name of the code (SSYK 2012) and falls
// back to the label most of the group's persons have.
func groupName(code string, occNames map[string]string, labels map[string]int) string {
	if n := occNames[code]; n != "" {
		return n
	}
	return topKey(labels)
}

// topKey is the key with the highest count, ties to the smallest key.
func topKey(m map[string]int) string {
	best, bestN := "", -1
	for k, n := range m {
		if n > bestN || (n == bestN && k < best) {
			best, bestN = k, n
		}
	}
	return best
}

// summarize counts, per period × county × condition, the employers where
// each group is worse off and how many of those differences are
// distinguishable from zero.
func summarize(emps []Employer, conds []Condition) []Summary {
	type key struct{ period, county string }
	idx := map[key][]Summary{}
	var keys []key
	for _, e := range emps {
		k := key{e.Period, e.County}
		rows, ok := idx[k]
		if !ok {
			keys = append(keys, k)
			rows = make([]Summary, len(conds))
			for i, c := range conds {
				rows[i] = Summary{Period: e.Period, County: e.County, Condition: c.ID}
			}
		}
		for i, cm := range e.Conditions {
			s := &rows[i]
			s.Employers++
			if cm.Diff == nil {
				continue
			}
			s.Compared++
			d := *cm.Diff
			if conds[i].Worse == WorseLower {
				d = -d
			}
			distinct := cm.Distinguishable != nil && *cm.Distinguishable
			switch {
			case d > 0:
				s.FemaleWorse++
				if distinct {
					s.FemaleWorseDistinct++
				}
			case d < 0:
				s.MaleWorse++
				if distinct {
					s.MaleWorseDistinct++
				}
			}
		}
		idx[k] = rows
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.period, b.period), cmp.Compare(a.county, b.county))
	})
	var out []Summary
	for _, k := range keys {
		out = append(out, idx[k]...)
	}
	return out
}
