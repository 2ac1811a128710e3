package compare

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jamstat/jamstat/data"
)

// Level is the occupational grouping the employer's groups are formed at.
type Level string

// Levels.
const (
	LevelSSYK4 Level = "ssyk4" // SSYK 2012 unit group, 4 digits (occupation_code)
	LevelSSYK3 Level = "ssyk3" // SSYK 2012 minor group, first 3 digits
	LevelAID   Level = "aid"   // SKR's arbetsidentifikation, 6 digits (aid_code)
)

// ShareMetric is what the share of women of a group is measured in.
type ShareMetric string

// Share metrics (DOMAIN §2: the metric is not published, so it is a setting).
const (
	// ShareHeadcount counts persons.
	ShareHeadcount ShareMetric = "headcount"
	// ShareFTE counts årsarbetare: the sum of employment rates. A person
	// with no employment rate (often hourly paid) weighs 0.
	ShareFTE ShareMetric = "fte"
)

// Defaults. MinN 10 follows Malmö stad's publication rule for groups ("groups
// above 10"); the report's own rule is unpublished, so it is a setting.
const (
	DefaultMinN       = 10
	DefaultK          = 5
	DefaultThreshold  = 60.0
	DefaultBootstrap  = 2000
	DefaultSeed       = 20230101
	DefaultConfidence = 0.95
)

// Options control a comparison run.
type Options struct {
	// Year restricts the run to one period ("2024"); "" runs every period.
	Year string `json:"year,omitempty"`
	// County restricts the run to the employers of one county (län code
	// "14": its kommuner and the region itself); "" runs every employer.
	County string `json:"county,omitempty"`
	// Level is the occupational grouping (default ssyk4).
	Level Level `json:"level"`
	// MinN is the least headcount a group needs to be picked (default 10).
	// It must be at least K, so a picked group can always be published.
	MinN int `json:"min_n"`
	// K is the disclosure threshold: a value resting on fewer than K persons
	// is not published (status "suppressed"). Default 5.
	K int `json:"k"`
	// Threshold is the share (percent) one sex must exceed for a group to
	// be dominated by it (default 60); Inclusive makes it "at least".
	Threshold float64 `json:"threshold"`
	Inclusive bool    `json:"inclusive"`
	// Share is the share metric (default headcount).
	Share ShareMetric `json:"share_metric"`
	// Confidence is the level of every interval (default 0.95).
	Confidence float64 `json:"confidence"`
	// Bootstrap is the number of resamples for medians and ratios
	// (default 2000); Seed makes them reproducible.
	Bootstrap int   `json:"bootstrap"`
	Seed      int64 `json:"seed"`
	// Conditions and Areas default to the embedded conditions.yaml and
	// areas.yaml.
	Conditions []Condition `json:"-"`
	Areas      []Area      `json:"-"`
}

// OptionError is an Options value Run refuses (a usage mistake).
type OptionError struct{ Err error }

func (e OptionError) Error() string { return "compare: " + e.Err.Error() }
func (e OptionError) Unwrap() error { return e.Err }

// IsOptionError reports whether err is a refused option.
func IsOptionError(err error) bool {
	var oe OptionError
	return errors.As(err, &oe)
}

// withDefaults fills zero fields with the defaults and checks the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Level == "" {
		o.Level = LevelSSYK4
	}
	switch o.Level {
	case LevelSSYK4, LevelSSYK3, LevelAID:
	default:
		return o, fmt.Errorf("level %q: want ssyk4, ssyk3 or aid", o.Level)
	}
	if o.K == 0 {
		o.K = DefaultK
	}
	if o.K < 1 {
		return o, fmt.Errorf("k %d: want at least 1", o.K)
	}
	if o.MinN == 0 {
		o.MinN = max(DefaultMinN, o.K)
	}
	if o.MinN < o.K {
		return o, fmt.Errorf("min-n %d is below k %d: a picked group could not be published; raise min-n or lower k", o.MinN, o.K)
	}
	if o.Threshold == 0 {
		o.Threshold = DefaultThreshold
	}
	if !(o.Threshold > 50 && o.Threshold <= 100) {
		return o, fmt.Errorf("threshold %v %%: want more than 50 and at most 100", o.Threshold)
	}
	if o.Share == "" {
		o.Share = ShareHeadcount
	}
	if o.Share != ShareHeadcount && o.Share != ShareFTE {
		return o, fmt.Errorf("share metric %q: want headcount or fte", o.Share)
	}
	if o.Confidence == 0 {
		o.Confidence = DefaultConfidence
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		return o, fmt.Errorf("confidence %v: want a number between 0 and 1, e.g. 0.95", o.Confidence)
	}
	if o.Bootstrap == 0 {
		o.Bootstrap = DefaultBootstrap
	}
	if o.Bootstrap < 100 {
		return o, fmt.Errorf("bootstrap %d: want at least 100 resamples", o.Bootstrap)
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	o.Year = strings.TrimSpace(o.Year)
	if o.County = strings.TrimSpace(o.County); o.County != "" {
		code, ok := data.NormalizeGeoCode(o.County)
		if !ok {
			if g, found := data.GeoByName(o.County); found {
				code, ok = g.Code, true
			}
		}
		if !ok || len(code) != 2 {
			return o, fmt.Errorf("county %q: want a län code such as 14", o.County)
		}
		o.County = code
	}
	var err error
	if o.Conditions == nil {
		if o.Conditions, err = DefaultConditions(); err != nil {
			return o, err
		}
	}
	if o.Areas == nil {
		if o.Areas, err = DefaultAreas(); err != nil {
			return o, err
		}
	}
	return o, nil
}

// groupSQL is the expression forming the occupational group at the level;
// NULL for a person without a code at that level.
func (l Level) groupSQL() string {
	switch l {
	case LevelSSYK3:
		return "CASE WHEN length(occupation_code) >= 3 THEN left(occupation_code, 3) END"
	case LevelAID:
		return "nullif(trim(aid_code), '')"
	default:
		return "nullif(trim(occupation_code), '')"
	}
}

// RunKey names the settings of a run; Save replaces earlier rows with the
// same key, so re-running with the same settings is idempotent and runs
// with other settings sit beside it. A condition or area list other than
// the built-in one adds a short hash of the lists, so a custom run never
// overwrites the standard one.
func (o Options) RunKey() string {
	op := "gt"
	if o.Inclusive {
		op = "ge"
	}
	key := fmt.Sprintf("%s-%s%g-n%d-k%d-%s", o.Level, op, o.Threshold, o.MinN, o.K, o.Share)
	defC, errC := DefaultConditions()
	defA, errA := DefaultAreas()
	if o.Conditions == nil && o.Areas == nil || errC == nil && errA == nil && listHash(o.Conditions, o.Areas) == listHash(defC, defA) {
		return key
	}
	return key + "-" + listHash(o.Conditions, o.Areas)[:8]
}

func listHash(c []Condition, a []Area) string {
	b, _ := json.Marshal(struct {
		C []Condition
		A []Area
	}{c, a})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
