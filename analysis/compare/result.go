package compare

import "github.com/jamstat/jamstat/analysis"

// Status of a value that is not published (Value == nil). Never 0.
const (
	// StatusSuppressed: fewer than K persons behind the value (disclosure).
	StatusSuppressed = "suppressed"
	// StatusNoData: no person in the group has the column (not surveyed or
	// not in the export), e.g. flextid when the survey was not run.
	StatusNoData = "no data"
	// StatusNoManager: the group's management area has no one with the
	// flag (no managers), so employees per manager is undefined.
	StatusNoManager = "none flagged in area"
	// StatusNoGroup: the employer has no group of this side to compare.
	StatusNoGroup = "no group"
	// StatusZeroDenominator: a ratio whose denominator sums to 0.
	StatusZeroDenominator = "zero denominator"
)

// Result is a whole comparison run: every employer and period.
type Result struct {
	Options    Options     `json:"options"`
	RunKey     string      `json:"run_key"`
	Conditions []Condition `json:"conditions"`
	Areas      []Area      `json:"areas"`
	Employers  []Employer  `json:"employers"` // by period, then employer code
	Summary    []Summary   `json:"summary"`   // by period, county, then condition order
}

// Employer is one employer (kommun or region) in one period.
type Employer struct {
	Period string `json:"period"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	County string `json:"county"` // län code: the first two characters of Code
	Sector string `json:"sector"` // "kommun" or "region"
	// N is every employee of the employer in the period; Unclassified those
	// without a code at the level, or (share metric fte) in a group with
	// no årsarbetare, who belong to no group.
	N            int `json:"n"`
	Unclassified int `json:"unclassified"`
	// Groups counts the classified groups by class, all sizes; Eligible
	// those with at least MinN employees.
	Groups   ClassCount `json:"groups"`
	Eligible ClassCount `json:"eligible"`
	// Female is the most female-dominated group with at least MinN
	// employees; nil when there is none, FemaleStatus saying why. Male
	// likewise.
	Female       *Group `json:"female"`
	FemaleStatus string `json:"female_status,omitempty"`
	Male         *Group `json:"male"`
	MaleStatus   string `json:"male_status,omitempty"`
	// Conditions are in the order of Result.Conditions.
	Conditions []Comparison `json:"conditions"`
}

// ClassCount counts groups per class.
type ClassCount struct {
	Kvinnodominerad int `json:"kvinnodominerad"`
	Mansdominerad   int `json:"mansdominerad"`
	Jamn            int `json:"jamn"`
}

// Group is a picked occupational group.
type Group struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	N     int    `json:"n"`     // headcount
	Women int    `json:"women"` // headcount of women
	// WomenPct is the share of women in percent under the run's share
	// metric (headcount or årsarbetare).
	WomenPct float64            `json:"women_pct"`
	Class    analysis.Dominance `json:"class"`
	// Area is the group's management area (areas.yaml), the one most of its
	// persons belong to.
	Area string `json:"area"`
}

// Value is one group's value of one condition.
type Value struct {
	Value  *float64 `json:"value"`            // nil when not published
	N      int      `json:"n"`                // persons behind the value
	Status string   `json:"status,omitempty"` // why Value is nil
}

// Interval is a confidence interval.
type Interval struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

// Comparison is one condition for one employer: the female-dominated group
// against the male-dominated one.
type Comparison struct {
	Condition string `json:"condition"`
	Female    Value  `json:"female"`
	Male      Value  `json:"male"`
	// Diff is female − male: percentage points for shares and ratios in
	// percent, the unit otherwise. DiffCI is its confidence interval.
	Diff   *float64  `json:"diff"`
	DiffCI *Interval `json:"diff_ci,omitempty"`
	// Ratio is 100 · female / male (wages: kvinnogruppens lön i procent av
	// mansgruppens), for conditions with a ratio.
	Ratio   *float64  `json:"ratio,omitempty"`
	RatioCI *Interval `json:"ratio_ci,omitempty"`
	// Distinguishable: DiffCI excludes 0. Nil when there is no interval.
	Distinguishable *bool `json:"distinguishable"`
	// FemaleWorse: the female-dominated group is worse off (by the
	// condition's direction); nil when Diff is nil, false when equal.
	FemaleWorse *bool `json:"female_worse"`
	// Method names the interval method.
	Method string `json:"method,omitempty"`
	// Status says why Diff is nil.
	Status string `json:"status,omitempty"`
}

// Summary is the county summary of one condition in one period.
type Summary struct {
	Period    string `json:"period"`
	County    string `json:"county"`
	Condition string `json:"condition"`
	// Employers counts the county's employers in the period; Compared those
	// where both groups have a published value (Diff not nil).
	Employers int `json:"employers"`
	Compared  int `json:"compared"`
	// FemaleWorse counts employers where the female-dominated group is
	// worse off; FemaleWorseDistinct those of them with a difference
	// distinguishable from zero. MaleWorse likewise the other way.
	FemaleWorse         int `json:"female_worse"`
	FemaleWorseDistinct int `json:"female_worse_distinguishable"`
	MaleWorse           int `json:"male_worse"`
	MaleWorseDistinct   int `json:"male_worse_distinguishable"`
}
