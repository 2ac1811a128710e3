package reports

import "time"

// The input models below are plain data: the writers render, test and
// benchmark them without a database. The builders in build*.go fill them
// from the database.

// Status symbols as SCB and Kolada publish them.
const (
	// StatusSuppressed marks a value withheld by disclosure control or too
	// uncertain to publish (SCB "..", Kolada "..").
	StatusSuppressed = ".."
	// StatusMissing marks a value that is missing from the source (Kolada "-").
	StatusMissing = "-"
	// StatusNotApplicable marks a value that cannot occur (SCB/Kolada ".").
	StatusNotApplicable = "."
)

// DefaultMinN is the disclosure threshold k used when a model leaves MinN
// at zero: no published value may rest on fewer than k persons.
const DefaultMinN = 5

// Value is one published cell. A value that is not published has V == nil
// and a Status saying why; it is rendered as its status symbol (".." when
// Status is empty), never as 0.
type Value struct {
	V *float64
	// N is the number of persons behind the value. 0 means not known: the
	// figure comes from a source that applied its own disclosure control
	// (for example an SCB table), so no threshold can be checked here.
	N int
	// Status is "" for a published value, otherwise one of the Status*
	// symbols.
	Status string
}

// Num returns a published value.
func Num(v float64, n int) Value { return Value{V: &v, N: n} }

// Suppressed returns a value withheld by disclosure control.
func Suppressed(n int) Value { return Value{N: n, Status: StatusSuppressed} }

// Published reports whether the value is there to show.
func (v Value) Published() bool { return v.V != nil && v.Status == "" }

// Symbol is what is shown in place of a value that is not published.
func (v Value) Symbol() string {
	if v.Status != "" {
		return v.Status
	}
	return StatusSuppressed
}

// Geo is a geography: a kommun (4-character code such as "1480"), a county
// or region ("14"), or Sweden ("00" or "0000").
type Geo struct {
	Code string
	Name string
}

// Polarity says which direction of an indicator is better.
type Polarity string

const (
	HigherIsBetter Polarity = "higher"
	LowerIsBetter  Polarity = "lower"
	// Parity: closer to equal between women and men is better.
	Parity Polarity = "parity"
)

// Direction is the movement of an indicator toward or away from its goal
// between the baseline and the latest year.
type Direction string

const (
	Better    Direction = "better"
	Worse     Direction = "worse"
	Unchanged Direction = "unchanged"
	// Unknown: baseline or latest value not published, or too few years.
	Unknown Direction = ""
	// Context: a context indicator, which has no desired direction; it is
	// shown but neither assessed nor counted in the summaries.
	Context Direction = "context"
)

// Source names where figures come from, with the vintage kept apart:
// the reference year the figures describe and the year they were
// published.
type Source struct {
	Name          string
	URL           string
	ReferenceYear int
	Published     string // publication date or year as the source states it
}

// Definition is a term and its meaning, for the method section and the
// metadata sheet.
type Definition struct {
	Term string
	Text string
}

// Method is the method section of a report.
type Method struct {
	Definitions []Definition
	Sources     []Source
	// SuppressionRule describes disclosure control in prose; when empty a
	// standard sentence stating MinN is used.
	SuppressionRule string
	// Notes are further paragraphs (e.g. how county values are weighted).
	Notes []string
}

// Strategy is a county's gender-equality strategy (länsstrategi).
type Strategy struct {
	ID           string
	Name         string
	BaselineYear int
	Period       string // e.g. "2024–2027"
	Source       string // address of the published strategy
}

// FollowupReport is the yearly goal follow-up for one strategy and county.
type FollowupReport struct {
	Strategy Strategy
	Year     int // reference year followed up
	County   Geo
	Lang     string // "sv" (default) or "en"
	MinN     int    // disclosure threshold k; 0 means DefaultMinN
	Version  string // jamstat version
	// Generated is when the report was made; the zero time leaves it out
	// (tests use that for stable output).
	Generated time.Time
	Goals     []GoalSection
	// Groups are the indicators that follow a delmål, or a priority area of
	// the strategy under it, without naming one of the strategy's goals
	// (most of a regional strategy's indicators follow a delmål or an area,
	// not a goal word for word). They are shown under their delmål after
	// its goals.
	Groups []IndicatorGroup
	// Notices head the summary before anything else: what the reader must
	// know before reading any figure (e.g. that the data are synthetic).
	Notices []string
	// Summary holds extra summary sentences written by the caller; the
	// per-goal sentences are generated from the indicators.
	Summary []string
	Method  Method
}

// IndicatorGroup is a set of indicators that follow delmål Delmal directly
// (AreaID "") or through the strategy's priority area AreaID, without a
// goal of the strategy.
type IndicatorGroup struct {
	Delmal     int
	AreaID     string
	Area       string // the priority area's name; "" for the delmål itself
	Indicators []IndicatorSeries
}

// GoalSection is one goal of the strategy with its indicators.
type GoalSection struct {
	// Delmal lists the national sub-goals (1–6) the goal serves; the first
	// decides under which delmål the goal is listed.
	Delmal []int
	GoalID string
	Goal   string // goal text as published
	// GoalLang is the language of Goal when it is not the report's: a goal
	// published only in Swedish, shown as such in an English report.
	GoalLang   string
	Area       string // priority area (insatsområde), if the strategy has them
	Indicators []IndicatorSeries
}

// IndicatorSeries is one indicator linked to a goal: the county's series
// by sex and year, the municipalities' latest values, and the trend.
type IndicatorSeries struct {
	ID          string
	Title       string
	Description string
	Unit        string
	Decimals    int // decimals shown; stored values keep full precision
	Polarity    Polarity
	// Target is the goal line drawn in the trend chart (e.g. 50 for a share
	// of women, 1 for a K/M ratio); nil when the goal has no number.
	Target *float64
	// County is the county's series, one entry per year, ascending.
	County []YearValues
	// Sweden is the national series, when known (same years as County).
	Sweden []YearValues
	// Municipalities holds each member municipality's latest-year values.
	Municipalities []GeoValues
	// Measure names what Baseline and Latest measure (e.g. "kvinnors andel,
	// %"); direction is judged on it.
	Measure   string
	Baseline  YearValue
	Latest    YearValue
	Direction Direction
	Source    string
	MinN      int // overrides the report's MinN for this indicator when > 0
}

// YearValues are the values for women (K), men (M) and in total (T) for
// one year.
type YearValues struct {
	Year  int
	Women Value
	Men   Value
	Total Value
}

// YearValue is one value in one year.
type YearValue struct {
	Year  int
	Value Value
}

// GeoValues are one geography's values for women, men and in total, and
// its own direction since the baseline when known.
type GeoValues struct {
	Geo       Geo
	Women     Value
	Men       Value
	Total     Value
	Direction Direction
}

// ConditionKind says how a working condition's two groups are compared.
type ConditionKind string

const (
	// KindPP: shares in percent, difference in percentage points (F − M).
	KindPP ConditionKind = "pp"
	// KindRatio: the female group's value divided by the male group's (1 = equal).
	KindRatio ConditionKind = "ratio"
	// KindMean: means, difference in the condition's unit (F − M).
	KindMean ConditionKind = "mean"
)

// WorkConditionsReport is "Hur jämställda är arbetsvillkoren?" for one
// county and year: per working condition, the most female-dominated against
// the most male-dominated occupational group of each employer.
type WorkConditionsReport struct {
	County    Geo
	Year      int
	Lang      string
	MinN      int
	Version   string
	Generated time.Time
	// Threshold is the share (percent) above which a group counts as
	// dominated by one sex, e.g. 60.
	Threshold  float64
	Conditions []Condition
	// Notices head the summary before anything else (e.g. that the data
	// are synthetic).
	Notices []string
	Method  Method
}

// Condition is one working condition compared across employers.
type Condition struct {
	ID       string
	Title    string
	Unit     string // unit of the group values, e.g. "%", "kr", "medarbetare"
	Decimals int
	Kind     ConditionKind
	// Polarity of the condition's value: for sick leave lower is better, for
	// wage higher is better. It decides which group is worse off.
	Polarity  Polarity
	Employers []EmployerComparison
}

// EmployerComparison is one employer's two groups on one condition.
type EmployerComparison struct {
	Code        string // employer code: kommun "1480" or region "14"
	Name        string
	FemaleGroup Group
	MaleGroup   Group
	// Difference is F − M for KindPP and KindMean, F / M for KindRatio; nil
	// when either group is not published.
	Difference *float64
	CILow      *float64
	CIHigh     *float64
	// Distinguishable: the 95 % interval excludes no difference (0, or 1
	// for ratios).
	Distinguishable bool
}

// Group is an occupational group with its value on one condition.
type Group struct {
	Code  string // SSYK or AID code
	Name  string
	N     int     // employees in the group
	Share float64 // share of women in the group, percent
	Value Value
}

// MunicipalitySheet is the indicator sheet one municipality (or the county
// itself, when Geo is the county) downloads.
type MunicipalitySheet struct {
	Geo       Geo
	County    Geo
	Year      int
	Lang      string
	MinN      int
	Version   string
	Generated time.Time
	// Headline are the front sheet's key indicators against county and Sweden.
	Headline []HeadlineRow
	Delmal   []DelmalTable
	// WorkConditions is this employer's comparison; empty when there is none.
	WorkConditions []ConditionRow
	Sources        []Source
	Definitions    []Definition
}

// HeadlineRow is one key indicator on the front sheet.
type HeadlineRow struct {
	IndicatorID string
	Title       string
	Unit        string
	Decimals    int
	Year        int
	Geo         Value // the municipality's value (total or the indicator's measure)
	County      Value
	Sweden      Value
}

// DelmalTable is one national sub-goal's indicators for the sheet.
type DelmalTable struct {
	Delmal int // 1–6
	Title  string
	Rows   []SheetRow
}

// SheetRow is one indicator row: latest values by sex, the K/M ratio and
// the trend since the baseline.
type SheetRow struct {
	IndicatorID  string
	Title        string
	Unit         string
	Decimals     int
	Year         int
	Women        Value
	Men          Value
	Total        Value
	Ratio        Value // K/M ratio, 1 = equal
	BaselineYear int
	Baseline     Value
	Change       Value // latest − baseline of the indicator's measure
	Direction    Direction
	Polarity     Polarity // words the direction ("toward parity" for Parity)
}

// ConditionRow is one working condition for the municipality as employer.
type ConditionRow struct {
	Condition       string
	Unit            string
	Decimals        int
	Kind            ConditionKind
	Polarity        Polarity
	FemaleGroup     Group
	MaleGroup       Group
	Difference      *float64
	CILow           *float64
	CIHigh          *float64
	Distinguishable bool
}
