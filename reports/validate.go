package reports

import (
	"errors"
	"fmt"
)

// The writers call these checks before writing a byte: disclosure control
// belongs upstream, but a report is the last place a cell with too few
// persons can be stopped, so a model that would publish one is refused
// rather than quietly repaired (repairing one cell could leave it
// recoverable from a total).

func minN(k int) int {
	if k > 0 {
		return k
	}
	return DefaultMinN
}

// checkValue reports a published value that rests on fewer than k persons.
func checkValue(v Value, k int, where string) error {
	if v.Published() && v.N > 0 && v.N < k {
		return fmt.Errorf("%s: value rests on n=%d < k=%d; run disclosure control before reporting", where, v.N, k)
	}
	return nil
}

func checkLang(lang string) error {
	switch lang {
	case "", "sv", "en":
		return nil
	}
	return fmt.Errorf("language %q not supported (sv or en)", lang)
}

// Validate checks the follow-up report: language and that no published
// value rests on fewer than k persons.
func (r *FollowupReport) Validate() error {
	if r == nil {
		return errors.New("follow-up report: nil")
	}
	if err := checkLang(r.Lang); err != nil {
		return fmt.Errorf("follow-up report: %w", err)
	}
	var errs []error
	for _, g := range r.Goals {
		errs = append(errs, r.validateSeries("goal "+g.GoalID, g.Indicators))
	}
	for _, g := range r.Groups {
		where := fmt.Sprintf("delmål %d", g.Delmal)
		if g.AreaID != "" {
			where += ", area " + g.AreaID
		}
		errs = append(errs, r.validateSeries(where, g.Indicators))
	}
	return errors.Join(errs...)
}

func (r *FollowupReport) validateSeries(section string, inds []IndicatorSeries) error {
	var errs []error
	for _, ind := range inds {
		k := minN(r.MinN)
		if ind.MinN > 0 {
			k = ind.MinN
		}
		at := func(s string) string { return fmt.Sprintf("%s, indicator %s, %s", section, ind.ID, s) }
		for _, yv := range ind.County {
			for _, c := range []struct {
				s string
				v Value
			}{{"K", yv.Women}, {"M", yv.Men}, {"T", yv.Total}} {
				errs = append(errs, checkValue(c.v, k, at(fmt.Sprintf("county %d %s", yv.Year, c.s))))
			}
		}
		for _, yv := range ind.Sweden {
			errs = append(errs, checkValue(yv.Women, k, at(fmt.Sprintf("Sweden %d K", yv.Year))),
				checkValue(yv.Men, k, at(fmt.Sprintf("Sweden %d M", yv.Year))),
				checkValue(yv.Total, k, at(fmt.Sprintf("Sweden %d T", yv.Year))))
		}
		for _, m := range ind.Municipalities {
			errs = append(errs, checkValue(m.Women, k, at(m.Geo.Code+" K")),
				checkValue(m.Men, k, at(m.Geo.Code+" M")),
				checkValue(m.Total, k, at(m.Geo.Code+" T")))
		}
		errs = append(errs, checkValue(ind.Baseline.Value, k, at("baseline")),
			checkValue(ind.Latest.Value, k, at("latest")))
	}
	return errors.Join(errs...)
}

// Validate checks the working-conditions report: no published group value
// rests on fewer than k employees, and no difference is given where one of
// its groups is withheld (it would reveal the withheld value).
func (r *WorkConditionsReport) Validate() error {
	if r == nil {
		return errors.New("working-conditions report: nil")
	}
	if err := checkLang(r.Lang); err != nil {
		return fmt.Errorf("working-conditions report: %w", err)
	}
	k := minN(r.MinN)
	var errs []error
	for _, c := range r.Conditions {
		switch c.Kind {
		case KindPP, KindRatio, KindMean:
		default:
			errs = append(errs, fmt.Errorf("condition %s: kind %q not one of pp, ratio, mean", c.ID, c.Kind))
		}
		if c.Polarity != HigherIsBetter && c.Polarity != LowerIsBetter {
			// Which group is worse off needs a direction; parity means
			// nothing between two occupational groups.
			errs = append(errs, fmt.Errorf("condition %s: polarity %q must be higher or lower", c.ID, c.Polarity))
		}
		for _, e := range c.Employers {
			errs = append(errs, checkComparison(fmt.Sprintf("condition %s, employer %s", c.ID, e.Code),
				e.FemaleGroup, e.MaleGroup, e.Difference, e.CILow, e.CIHigh, k))
		}
	}
	return errors.Join(errs...)
}

func checkGroup(g Group, k int, where string) error {
	if g.Value.Published() && g.N < k {
		return fmt.Errorf("%s: group %s value rests on n=%d < k=%d; run disclosure control before reporting", where, g.Code, g.N, k)
	}
	return checkValue(g.Value, k, where)
}

func checkComparison(where string, f, m Group, diff, lo, hi *float64, k int) error {
	errs := []error{checkGroup(f, k, where+", female-dominated group"), checkGroup(m, k, where+", male-dominated group")}
	if (diff != nil || lo != nil || hi != nil) && !(f.Value.Published() && m.Value.Published()) {
		errs = append(errs, fmt.Errorf("%s: difference given although a group is withheld (it would reveal the withheld value)", where))
	}
	return errors.Join(errs...)
}

// Validate checks the sheet: language and that no published value rests on
// fewer than k persons.
func (s *MunicipalitySheet) Validate() error {
	if s == nil {
		return errors.New("municipality sheet: nil")
	}
	if err := checkLang(s.Lang); err != nil {
		return fmt.Errorf("sheet %s: %w", s.Geo.Code, err)
	}
	k := minN(s.MinN)
	var errs []error
	for _, h := range s.Headline {
		at := "sheet " + s.Geo.Code + ", headline " + h.IndicatorID
		errs = append(errs, checkValue(h.Geo, k, at), checkValue(h.County, k, at+" county"), checkValue(h.Sweden, k, at+" Sweden"))
	}
	for _, d := range s.Delmal {
		for _, r := range d.Rows {
			at := fmt.Sprintf("sheet %s, delmål %d, indicator %s", s.Geo.Code, d.Delmal, r.IndicatorID)
			for _, c := range []struct {
				s string
				v Value
			}{{"K", r.Women}, {"M", r.Men}, {"T", r.Total}, {"K/M", r.Ratio}, {"baseline", r.Baseline}, {"change", r.Change}} {
				errs = append(errs, checkValue(c.v, k, at+" "+c.s))
			}
		}
	}
	for _, c := range s.WorkConditions {
		errs = append(errs, checkComparison("sheet "+s.Geo.Code+", condition "+c.Condition,
			c.FemaleGroup, c.MaleGroup, c.Difference, c.CILow, c.CIHigh, k))
	}
	return errors.Join(errs...)
}
