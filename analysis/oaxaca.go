package analysis

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Reference coefficients for the twofold decomposition.
const (
	// RefPooled is Jann's `pooled`: β* from a regression over both groups
	// that includes a group indicator (Jann 2008; Neumark 1988 without the
	// indicator is RefOmega). The default.
	RefPooled = "pooled"
	// RefOmega is Jann's `omega` (Neumark 1988): pooled regression without
	// the group indicator.
	RefOmega = "omega"
	// RefGroup1 uses group 1's coefficients (Jann's weight(1)).
	RefGroup1 = "group1"
	// RefGroup2 uses group 2's coefficients (Jann's weight(0)).
	RefGroup2 = "group2"
)

// Standard-error methods for Oaxaca.
const (
	// SEDelta is the delta method of Jann (2008): coefficient and mean
	// sampling variances combined through the gradient of each component,
	// the two groups independent. By default the regressors are stochastic
	// (the variance of the group means enters); FixedX leaves it out.
	SEDelta = "delta"
	// SEBootstrap resamples rows with replacement within each group (group
	// sizes fixed) and reports the standard deviation of the replicates.
	SEBootstrap = "bootstrap"
	// SENone skips standard errors.
	SENone = "none"
)

// OaxacaOptions specify a Blinder–Oaxaca decomposition.
type OaxacaOptions struct {
	Outcome string `json:"outcome"`
	// Group is a numeric column with exactly two values; group 1 is the
	// lower value, group 2 the higher (Jann's convention).
	Group string `json:"group"`
	// Vars are the regressors other than normalised dummy sets.
	Vars []string `json:"vars"`
	// Normalize lists dummy sets, each holding every category of one
	// categorical variable (exactly one dummy is 1 in every row). The first
	// dummy of a set is left out in estimation and the coefficients are
	// re-expressed as deviations from their mean (Yun 2005, Gardeazabal and
	// Ugidos 2004; Jann's normalize()), so the detailed results do not
	// depend on which category was left out. Dummies listed here may be
	// omitted from Vars.
	Normalize [][]string `json:"normalize,omitempty"`
	// Reference is RefPooled (default), RefOmega, RefGroup1 or RefGroup2.
	Reference string `json:"reference,omitempty"`
	// SE is SEDelta (default), SEBootstrap or SENone.
	SE string `json:"se_method,omitempty"`
	// FixedX makes the delta method treat the regressors as fixed.
	FixedX bool `json:"fixed_x,omitempty"`
	// Bootstrap is the number of replications (default 500 when SE is
	// SEBootstrap; a positive value alone also selects the bootstrap).
	Bootstrap int `json:"bootstrap,omitempty"`
	// Seed seeds the bootstrap so results are reproducible.
	Seed int64 `json:"seed,omitempty"`
}

// Threefold is the decomposition from the viewpoint of group 2:
// endowments (X̄1−X̄2)'β2, coefficients X̄2'(β1−β2), interaction
// (X̄1−X̄2)'(β1−β2).
type Threefold struct {
	Endowments   float64 `json:"endowments"`
	Coefficients float64 `json:"coefficients"`
	Interaction  float64 `json:"interaction"`
}

// Twofold splits the difference with reference coefficients β*:
// explained (X̄1−X̄2)'β*, unexplained X̄1'(β1−β*) + X̄2'(β*−β2), the latter
// in its two parts (Jann's "unexplained a" and "b": advantage of group 1,
// disadvantage of group 2).
type Twofold struct {
	Explained    float64 `json:"explained"`
	Unexplained  float64 `json:"unexplained"`
	UnexplainedA float64 `json:"unexplained_a"`
	UnexplainedB float64 `json:"unexplained_b"`
}

// OaxacaTerm is the contribution of one regressor (or the constant, named
// "_cons") to each part. With Normalize every category of a set appears,
// including the one left out in estimation.
type OaxacaTerm struct {
	Name      string    `json:"name"`
	Mean1     float64   `json:"mean1"`
	Mean2     float64   `json:"mean2"`
	B1        float64   `json:"b1"`
	B2        float64   `json:"b2"`
	BRef      float64   `json:"b_ref"`
	Threefold Threefold `json:"threefold"`
	Twofold   Twofold   `json:"twofold"`
	SE        *TermSE   `json:"se,omitempty"`
}

// TermSE holds the standard errors of one term's contributions.
type TermSE struct {
	Threefold Threefold `json:"threefold"`
	Twofold   Twofold   `json:"twofold"`
}

// OaxacaSE holds the standard errors of the overall results.
type OaxacaSE struct {
	Method       string    `json:"method"`
	FixedX       bool      `json:"fixed_x,omitempty"`
	Replications int       `json:"replications,omitempty"`
	Discarded    int       `json:"discarded,omitempty"`
	Seed         int64     `json:"seed,omitempty"`
	Mean1        float64   `json:"mean1"`
	Mean2        float64   `json:"mean2"`
	Difference   float64   `json:"difference"`
	Threefold    Threefold `json:"threefold"`
	Twofold      Twofold   `json:"twofold"`
}

// OaxacaModels are the regressions behind the decomposition, with the
// coefficients as estimated (before normalisation).
type OaxacaModels struct {
	Group1 *OLSResult `json:"group1"`
	Group2 *OLSResult `json:"group2"`
	// Pooled is present for RefPooled and RefOmega; with RefPooled its
	// last coefficient is the group indicator (named after Group, 1 for
	// group 2), which is not part of β*.
	Pooled *OLSResult `json:"pooled,omitempty"`
}

// OaxacaResult is a Blinder–Oaxaca decomposition of mean(y|g1) − mean(y|g2).
type OaxacaResult struct {
	Outcome string `json:"outcome"`
	Group   string `json:"group"`
	// Group1Value and Group2Value are the values of the group variable.
	Group1Value float64 `json:"group1_value"`
	Group2Value float64 `json:"group2_value"`
	N           int     `json:"n"`
	N1          int     `json:"n1"`
	N2          int     `json:"n2"`
	// Dropped counts rows left out because a used column was missing.
	Dropped    int          `json:"dropped"`
	Mean1      float64      `json:"mean1"`
	Mean2      float64      `json:"mean2"`
	Difference float64      `json:"difference"`
	Threefold  Threefold    `json:"threefold"`
	Reference  string       `json:"reference"`
	Twofold    Twofold      `json:"twofold"`
	Detailed   []OaxacaTerm `json:"detailed"`
	Normalized [][]string   `json:"normalized,omitempty"`
	SE         *OaxacaSE    `json:"se,omitempty"`
	Models     OaxacaModels `json:"models"`
}

// oaxSpec is the resolved model: estimation and full (reported) spaces.
type oaxSpec struct {
	vars      []string   // plain regressors
	sets      [][]string // normalised sets, base first
	estNames  []string   // _cons, vars, non-base dummies
	fullNames []string   // _cons, vars, every dummy of every set
	A         *mat.Dense // full × est: β_full = A β_est
	ref       string
	group     string
}

func newOaxSpec(o OaxacaOptions) (*oaxSpec, error) {
	s := &oaxSpec{ref: o.Reference, group: o.Group}
	if s.ref == "" {
		s.ref = RefPooled
	}
	switch s.ref {
	case RefPooled, RefOmega, RefGroup1, RefGroup2:
	default:
		return nil, fmt.Errorf("reference %q: want %s, %s, %s or %s", s.ref, RefPooled, RefOmega, RefGroup1, RefGroup2)
	}
	inSet := map[string]bool{}
	for _, set := range o.Normalize {
		if len(set) < 2 {
			return nil, fmt.Errorf("normalize %v: a set needs every category, at least two dummies", set)
		}
		for _, d := range set {
			if inSet[d] {
				return nil, fmt.Errorf("normalize: %q listed twice", d)
			}
			inSet[d] = true
		}
		s.sets = append(s.sets, slices.Clone(set))
	}
	seen := map[string]bool{}
	for _, v := range o.Vars {
		if v == o.Outcome || v == o.Group {
			return nil, fmt.Errorf("regressor %q is the outcome or the group variable", v)
		}
		if inSet[v] || seen[v] {
			continue
		}
		seen[v] = true
		s.vars = append(s.vars, v)
	}
	s.estNames = append([]string{ConstName}, s.vars...)
	s.fullNames = append([]string{ConstName}, s.vars...)
	for _, set := range s.sets {
		s.estNames = append(s.estNames, set[1:]...)
		s.fullNames = append(s.fullNames, set...)
	}
	p, q := len(s.fullNames), len(s.estNames)
	A := mat.NewDense(p, q, nil)
	for j := range len(s.vars) + 1 {
		A.Set(j, j, 1)
	}
	fi, ei := len(s.vars)+1, len(s.vars)+1
	for _, set := range s.sets {
		k := float64(len(set))
		// Non-base estimated columns of this set: ei .. ei+len(set)-2.
		for m := range len(set) - 1 {
			A.Set(0, ei+m, A.At(0, ei+m)+1/k) // constant absorbs the mean
			for r := range len(set) {
				v := -1 / k
				if r == m+1 {
					v += 1
				}
				A.Set(fi+r, ei+m, v)
			}
		}
		fi += len(set)
		ei += len(set) - 1
	}
	s.A = A
	return s, nil
}

// oaxData is the complete-case sample, split by group. Columns of X are in
// full space (constant, vars, every dummy) so means need no transformation.
type oaxData struct {
	y1, y2 []float64
	x1, x2 [][]float64 // rows, full space
}

// fullToEst picks the estimation columns out of a full-space row.
func (s *oaxSpec) estIndex() []int {
	idx := make([]int, 0, len(s.estNames))
	for j := range len(s.vars) + 1 {
		idx = append(idx, j)
	}
	fi := len(s.vars) + 1
	for _, set := range s.sets {
		for m := 1; m < len(set); m++ {
			idx = append(idx, fi+m)
		}
		fi += len(set)
	}
	return idx
}

// Oaxaca decomposes the difference in mean outcome between the two groups of
// f. See OaxacaOptions and the result types for the conventions, which
// follow Jann's Stata command oaxaca.
func Oaxaca(f *Frame, o OaxacaOptions) (*OaxacaResult, error) {
	spec, err := newOaxSpec(o)
	if err != nil {
		return nil, fmt.Errorf("%s: oaxaca: %w", f.Name, err)
	}
	y, err := f.Num(o.Outcome)
	if err != nil {
		return nil, err
	}
	g, err := f.Num(o.Group)
	if err != nil {
		return nil, err
	}
	cols := make([][]float64, len(spec.fullNames))
	for j, nm := range spec.fullNames[1:] {
		if cols[j+1], err = f.Num(nm); err != nil {
			return nil, err
		}
	}
	var gv []float64
	var rows []int
	for i := range f.Len() {
		ok := !math.IsNaN(y[i]) && !math.IsNaN(g[i])
		for _, c := range cols[1:] {
			ok = ok && !math.IsNaN(c[i])
		}
		if !ok {
			continue
		}
		rows = append(rows, i)
		if !slices.Contains(gv, g[i]) {
			gv = append(gv, g[i])
			if len(gv) > 2 {
				return nil, fmt.Errorf("%s: group variable %q has more than two values (%v)", f.Name, o.Group, gv)
			}
		}
	}
	if len(gv) != 2 {
		return nil, fmt.Errorf("%s: group variable %q needs two values among complete rows, has %v", f.Name, o.Group, gv)
	}
	slices.Sort(gv)
	d := &oaxData{}
	for _, i := range rows {
		x := make([]float64, len(spec.fullNames))
		x[0] = 1
		for j := 1; j < len(x); j++ {
			x[j] = cols[j][i]
		}
		fi := len(spec.vars) + 1
		for _, set := range spec.sets {
			sum := 0.0
			for r := range set {
				sum += x[fi+r]
			}
			if sum != 1 {
				return nil, fmt.Errorf("%s: normalize %s: row %d has dummies summing to %g; list every category of the variable (exactly one dummy must be 1)", f.Name, strings.Join(set, ","), i+1, sum)
			}
			fi += len(set)
		}
		if g[i] == gv[0] {
			d.y1 = append(d.y1, y[i])
			d.x1 = append(d.x1, x)
		} else {
			d.y2 = append(d.y2, y[i])
			d.x2 = append(d.x2, x)
		}
	}
	fit, err := spec.fit(d)
	if err != nil {
		return nil, fmt.Errorf("%s: oaxaca %s by %s: %w", f.Name, o.Outcome, o.Group, err)
	}
	res := spec.result(fit)
	res.Outcome, res.Group = o.Outcome, o.Group
	res.Group1Value, res.Group2Value = gv[0], gv[1]
	res.N, res.N1, res.N2 = len(rows), len(d.y1), len(d.y2)
	res.Dropped = f.Len() - len(rows)
	for _, m := range []*OLSResult{res.Models.Group1, res.Models.Group2, res.Models.Pooled} {
		if m != nil {
			m.Outcome = o.Outcome
		}
	}

	method := o.SE
	if method == "" {
		method = SEDelta
		if o.Bootstrap > 0 {
			method = SEBootstrap
		}
	}
	switch method {
	case SENone:
	case SEDelta:
		spec.deltaSE(fit, d, o.FixedX, res)
	case SEBootstrap:
		reps := o.Bootstrap
		if reps <= 0 {
			reps = 500
		}
		if err := spec.bootstrapSE(fit, d, reps, o.Seed, res); err != nil {
			return nil, fmt.Errorf("%s: oaxaca bootstrap: %w", f.Name, err)
		}
	default:
		return nil, fmt.Errorf("%s: oaxaca: standard errors %q: want %s, %s or %s", f.Name, method, SEDelta, SEBootstrap, SENone)
	}
	return res, nil
}

// oaxFit holds everything one decomposition needs, in full space.
type oaxFit struct {
	m1, m2, mp    *OLSResult
	x1, x2        []float64 // group means
	b1, b2, bs    []float64 // coefficients; bs = β*
	ybar1, ybar2  float64
	n1, n2        int
	pooledDesign  *mat.Dense // pooled design (est space [+ indicator])
	design1, des2 *mat.Dense
}

func colMeans(x [][]float64, p int) []float64 {
	m := make([]float64, p)
	for _, r := range x {
		for j, v := range r {
			m[j] += v
		}
	}
	for j := range m {
		m[j] /= float64(len(x))
	}
	return m
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func (s *oaxSpec) estDesign(x [][]float64, indicator float64, withInd bool) *mat.Dense {
	idx := s.estIndex()
	q := len(idx)
	if withInd {
		q++
	}
	data := make([]float64, 0, len(x)*q)
	for _, r := range x {
		for _, j := range idx {
			data = append(data, r[j])
		}
		if withInd {
			data = append(data, indicator)
		}
	}
	return mat.NewDense(len(x), q, data)
}

func (s *oaxSpec) toFull(bEst []float64) []float64 {
	var v mat.VecDense
	v.MulVec(s.A, mat.NewVecDense(len(s.estNames), bEst[:len(s.estNames)]))
	return slices.Clone(v.RawVector().Data)
}

func (s *oaxSpec) fit(d *oaxData) (*oaxFit, error) {
	p := len(s.fullNames)
	names := s.estNames
	ft := &oaxFit{n1: len(d.y1), n2: len(d.y2)}
	if ft.n1 == 0 || ft.n2 == 0 {
		return nil, fmt.Errorf("a group is empty")
	}
	var err error
	ft.design1 = s.estDesign(d.x1, 0, false)
	ft.des2 = s.estDesign(d.x2, 0, false)
	if ft.m1, err = OLS(ft.design1, d.y1, names, OLSOptions{}); err != nil {
		return nil, fmt.Errorf("group 1 regression: %w", err)
	}
	if ft.m2, err = OLS(ft.des2, d.y2, names, OLSOptions{}); err != nil {
		return nil, fmt.Errorf("group 2 regression: %w", err)
	}
	ft.b1, ft.b2 = s.toFull(ft.m1.B()), s.toFull(ft.m2.B())
	ft.x1, ft.x2 = colMeans(d.x1, p), colMeans(d.x2, p)
	ft.ybar1, ft.ybar2 = mean(d.y1), mean(d.y2)
	switch s.ref {
	case RefGroup1:
		ft.bs = ft.b1
	case RefGroup2:
		ft.bs = ft.b2
	case RefPooled, RefOmega:
		withInd := s.ref == RefPooled
		// The indicator is 1 for group 2, like the group variable itself
		// when coded 0/1. Only the split of the constant's unexplained part
		// into a and b depends on this choice: with it, X̄1'β* = ȳ1, so
		// unexplained a sums to zero (as in R's OaxacaBlinder, whose
		// figures for the chicago data the tests reproduce).
		top := s.estDesign(d.x1, 0, withInd)
		bot := s.estDesign(d.x2, 1, withInd)
		var X mat.Dense
		X.Stack(top, bot)
		ft.pooledDesign = &X
		pn := slices.Clone(names)
		if withInd {
			pn = append(pn, s.group)
		}
		if ft.mp, err = OLS(&X, append(slices.Clone(d.y1), d.y2...), pn, OLSOptions{}); err != nil {
			return nil, fmt.Errorf("pooled regression: %w", err)
		}
		ft.bs = s.toFull(ft.mp.B())
	}
	return ft, nil
}

// components lays every reported number out in one vector so the bootstrap
// can treat them alike: 10 overall values, then 7 per term.
const (
	cMean1 = iota
	cMean2
	cDiff
	cE
	cC
	cI
	cExpl
	cUnex
	cUA
	cUB
	nOverall
)
const (
	tE = iota
	tC
	tI
	tExpl
	tUnex
	tUA
	tUB
	nTerm
)

func (ft *oaxFit) components() []float64 {
	p := len(ft.x1)
	v := make([]float64, nOverall+p*nTerm)
	v[cMean1], v[cMean2], v[cDiff] = ft.ybar1, ft.ybar2, ft.ybar1-ft.ybar2
	for k := range p {
		dx := ft.x1[k] - ft.x2[k]
		db := ft.b1[k] - ft.b2[k]
		t := v[nOverall+k*nTerm : nOverall+(k+1)*nTerm]
		t[tE] = dx * ft.b2[k]
		t[tC] = ft.x2[k] * db
		t[tI] = dx * db
		t[tExpl] = dx * ft.bs[k]
		t[tUA] = ft.x1[k] * (ft.b1[k] - ft.bs[k])
		t[tUB] = ft.x2[k] * (ft.bs[k] - ft.b2[k])
		t[tUnex] = t[tUA] + t[tUB]
		for j, o := range []int{cE, cC, cI, cExpl, cUnex, cUA, cUB} {
			v[o] += t[j]
		}
	}
	return v
}

func (s *oaxSpec) result(ft *oaxFit) *OaxacaResult {
	v := ft.components()
	r := &OaxacaResult{
		Mean1: v[cMean1], Mean2: v[cMean2], Difference: v[cDiff],
		Threefold: Threefold{v[cE], v[cC], v[cI]},
		Reference: s.ref,
		Twofold:   Twofold{v[cExpl], v[cUnex], v[cUA], v[cUB]},
		Models:    OaxacaModels{Group1: ft.m1, Group2: ft.m2, Pooled: ft.mp},
	}
	if len(s.sets) > 0 {
		r.Normalized = s.sets
	}
	for k, nm := range s.fullNames {
		t := v[nOverall+k*nTerm : nOverall+(k+1)*nTerm]
		r.Detailed = append(r.Detailed, OaxacaTerm{
			Name: nm, Mean1: ft.x1[k], Mean2: ft.x2[k], B1: ft.b1[k], B2: ft.b2[k], BRef: ft.bs[k],
			Threefold: Threefold{t[tE], t[tC], t[tI]},
			Twofold:   Twofold{t[tExpl], t[tUnex], t[tUA], t[tUB]},
		})
	}
	return r
}

// setSE copies a vector of standard errors laid out as components() into r.
func setSE(r *OaxacaResult, se []float64, meta OaxacaSE) {
	meta.Mean1, meta.Mean2, meta.Difference = se[cMean1], se[cMean2], se[cDiff]
	meta.Threefold = Threefold{se[cE], se[cC], se[cI]}
	meta.Twofold = Twofold{se[cExpl], se[cUnex], se[cUA], se[cUB]}
	r.SE = &meta
	for k := range r.Detailed {
		t := se[nOverall+k*nTerm : nOverall+(k+1)*nTerm]
		r.Detailed[k].SE = &TermSE{
			Threefold: Threefold{t[tE], t[tC], t[tI]},
			Twofold:   Twofold{t[tExpl], t[tUnex], t[tUA], t[tUB]},
		}
	}
}

// bootstrapSE resamples within groups. A replicate whose regressions fail
// (typically a dummy that is constant in the resample) is discarded and
// counted; too many failures are an error rather than a biased answer.
func (s *oaxSpec) bootstrapSE(ft *oaxFit, d *oaxData, reps int, seed int64, r *OaxacaResult) error {
	rng := newRNG(seed)
	nv := len(ft.components())
	reps0 := make([][]float64, 0, reps)
	bad := 0
	b := &oaxData{}
	for len(reps0) < reps {
		if bad > reps {
			return fmt.Errorf("%d of %d replicates failed (a regressor is nearly constant within a group)", bad, bad+len(reps0))
		}
		b.y1, b.x1 = resample(rng, d.y1, d.x1, b.y1[:0], b.x1[:0])
		b.y2, b.x2 = resample(rng, d.y2, d.x2, b.y2[:0], b.x2[:0])
		bf, err := s.fit(b)
		if err != nil {
			bad++
			continue
		}
		reps0 = append(reps0, bf.components())
	}
	good := len(reps0)
	se := make([]float64, nv)
	col := make([]float64, good)
	for j := range se {
		for i, v := range reps0 {
			col[i] = v[j]
		}
		se[j] = math.Sqrt(sampleVar(col))
	}
	setSE(r, se, OaxacaSE{Method: SEBootstrap, Replications: good, Discarded: bad, Seed: seed})
	return nil
}

func resample(rng *rand.Rand, y []float64, x [][]float64, ydst []float64, xdst [][]float64) ([]float64, [][]float64) {
	for range y {
		i := rng.IntN(len(y))
		ydst = append(ydst, y[i])
		xdst = append(xdst, x[i])
	}
	return ydst, xdst
}
