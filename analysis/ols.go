package analysis

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// SEType selects how OLS standard errors are computed.
type SEType string

const (
	// SEClassical is s²(X'X)⁻¹, as printed by Stata's regress and R's lm.
	SEClassical SEType = "classical"
	// SEHC1 is White's heteroskedasticity-robust sandwich with the n/(n−k)
	// small-sample factor, as Stata's `regress, vce(robust)`.
	SEHC1 SEType = "hc1"
)

// OLSOptions tune OLS and OLSFromFrame.
type OLSOptions struct {
	// NoIntercept leaves out the constant (it is included by default).
	NoIntercept bool `json:"no_intercept,omitempty"`
	// SE selects classical (default) or HC1 robust standard errors.
	SE SEType `json:"se,omitempty"`
}

// Coef is one estimated coefficient.
type Coef struct {
	Name string  `json:"name"`
	B    float64 `json:"b"`
	SE   float64 `json:"se"`
	T    float64 `json:"t"`
	P    float64 `json:"p"`
}

// OLSResult is a fitted linear regression.
type OLSResult struct {
	Outcome string `json:"outcome"`
	// Coefs lists the constant first (named "_cons", as Stata) when present,
	// then the regressors in the order given.
	Coefs []Coef `json:"coefs"`
	N     int    `json:"n"`
	// Dropped counts rows left out because the outcome or a regressor was
	// missing.
	Dropped int     `json:"dropped"`
	K       int     `json:"k"`
	DF      int     `json:"df_resid"`
	R2      float64 `json:"r2"`
	AdjR2   float64 `json:"adj_r2"`
	// RootMSE is the residual standard error sqrt(SSR/(n−k)).
	RootMSE float64 `json:"root_mse"`
	SSR     float64 `json:"ssr"`
	SE      SEType  `json:"se_type"`
	// Cov is the k×k covariance matrix of the coefficients, row-major, in
	// the order of Coefs. Used by the delta method; not printed.
	Cov []float64 `json:"-"`
}

// Coef returns the coefficient named name.
func (r *OLSResult) Coef(name string) (Coef, bool) {
	for _, c := range r.Coefs {
		if c.Name == name {
			return c, true
		}
	}
	return Coef{}, false
}

// B returns the coefficient vector in the order of Coefs.
func (r *OLSResult) B() []float64 {
	b := make([]float64, len(r.Coefs))
	for i, c := range r.Coefs {
		b[i] = c.B
	}
	return b
}

// ConstName is the name of the intercept in results, as in Stata.
const ConstName = "_cons"

// OLSFromFrame regresses outcome on vars (plus a constant) using the rows of
// f where none of these columns is missing; the others are counted in
// Dropped.
func OLSFromFrame(f *Frame, outcome string, vars []string, opt ...OLSOptions) (*OLSResult, error) {
	var o OLSOptions
	if len(opt) > 0 {
		o = opt[0]
	}
	y, err := f.Num(outcome)
	if err != nil {
		return nil, err
	}
	cols := make([][]float64, len(vars))
	for j, v := range vars {
		if cols[j], err = f.Num(v); err != nil {
			return nil, err
		}
	}
	var rows []int
	for i := range f.Len() {
		ok := !math.IsNaN(y[i])
		for _, c := range cols {
			ok = ok && !math.IsNaN(c[i])
		}
		if ok {
			rows = append(rows, i)
		}
	}
	names, X, yy := designMatrix(rows, y, cols, vars, !o.NoIntercept)
	res, err := OLS(X, yy, names, o)
	if err != nil {
		return nil, fmt.Errorf("%s: regress %s: %w", f.Name, outcome, err)
	}
	res.Outcome = outcome
	res.Dropped = f.Len() - len(rows)
	return res, nil
}

// designMatrix builds X (constant first when intercept) and y for rows.
func designMatrix(rows []int, y []float64, cols [][]float64, vars []string, intercept bool) ([]string, *mat.Dense, []float64) {
	k := len(cols)
	var names []string
	if intercept {
		k++
		names = append(names, ConstName)
	}
	names = append(names, vars...)
	data := make([]float64, len(rows)*k)
	yy := make([]float64, len(rows))
	for r, i := range rows {
		row := data[r*k : (r+1)*k]
		j := 0
		if intercept {
			row[0] = 1
			j = 1
		}
		for _, c := range cols {
			row[j] = c[i]
			j++
		}
		yy[r] = y[i]
	}
	if len(rows) == 0 {
		return names, nil, yy
	}
	return names, mat.NewDense(len(rows), k, data), yy
}

// collinearTol is the relative size below which a diagonal element of R
// (compared with the norm of its column) marks a regressor as a linear
// combination of the ones before it.
const collinearTol = 1e-10

// OLS fits y = Xb + e by a QR factorisation of X (more accurate than the
// normal equations when regressors are nearly collinear). names label the
// columns of X; a column named ConstName is treated as the constant for R².
// Perfect collinearity is an error naming the offending column.
func OLS(X *mat.Dense, y []float64, names []string, o OLSOptions) (*OLSResult, error) {
	if X == nil {
		return nil, fmt.Errorf("no complete rows")
	}
	n, k := X.Dims()
	if len(y) != n || len(names) != k {
		return nil, fmt.Errorf("shape mismatch: X %d×%d, y %d, names %d", n, k, len(y), len(names))
	}
	if n <= k {
		return nil, fmt.Errorf("%d complete rows for %d coefficients: need more rows than coefficients", n, k)
	}
	var qr mat.QR
	qr.Factorize(X)
	var R mat.Dense
	qr.RTo(&R)
	for j := range k {
		norm := mat.Norm(X.ColView(j), 2)
		if norm == 0 || math.Abs(R.At(j, j)) <= collinearTol*norm {
			if norm == 0 {
				return nil, fmt.Errorf("regressor %q is zero in every row", names[j])
			}
			return nil, fmt.Errorf("regressor %q is collinear with the preceding regressors", names[j])
		}
	}
	var bv mat.VecDense
	if err := qr.SolveVecTo(&bv, false, mat.NewVecDense(n, y)); err != nil {
		// A Condition error still leaves a solution; the collinearity check
		// above has already rejected the singular cases.
		if _, ok := err.(mat.Condition); !ok {
			return nil, fmt.Errorf("solve: %w", err)
		}
	}
	// (X'X)⁻¹ = R⁻¹R⁻ᵀ from the k×k upper triangle of R.
	rt := mat.NewTriDense(k, mat.Upper, nil)
	for i := range k {
		for j := i; j < k; j++ {
			rt.SetTri(i, j, R.At(i, j))
		}
	}
	var ri mat.TriDense
	if err := ri.InverseTri(rt); err != nil {
		if _, ok := err.(mat.Condition); !ok {
			return nil, fmt.Errorf("invert R: %w", err)
		}
	}
	var xtxInv mat.Dense
	xtxInv.Mul(&ri, ri.T())

	b := bv.RawVector().Data
	resid := make([]float64, n)
	var ssr, ybar float64
	for i := range n {
		ybar += y[i]
	}
	ybar /= float64(n)
	hasConst := false
	for _, nm := range names {
		if nm == ConstName {
			hasConst = true
		}
	}
	var sst float64
	for i := range n {
		fit := 0.0
		for j := range k {
			fit += X.At(i, j) * b[j]
		}
		resid[i] = y[i] - fit
		ssr += resid[i] * resid[i]
		if hasConst {
			sst += (y[i] - ybar) * (y[i] - ybar)
		} else {
			sst += y[i] * y[i]
		}
	}
	df := n - k
	s2 := ssr / float64(df)
	cov := mat.NewDense(k, k, nil)
	seType := o.SE
	if seType == "" {
		seType = SEClassical
	}
	switch seType {
	case SEClassical:
		cov.Scale(s2, &xtxInv)
	case SEHC1:
		// meat = Σ e_i² x_i x_i'
		meat := mat.NewSymDense(k, nil)
		row := make([]float64, k)
		for i := range n {
			mat.Row(row, i, X)
			meat.SymRankOne(meat, resid[i]*resid[i], mat.NewVecDense(k, row))
		}
		var tmp mat.Dense
		tmp.Mul(&xtxInv, meat)
		cov.Mul(&tmp, &xtxInv)
		cov.Scale(float64(n)/float64(df), cov)
	default:
		return nil, fmt.Errorf("unknown standard-error type %q (want %q or %q)", seType, SEClassical, SEHC1)
	}
	tdist := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}
	res := &OLSResult{N: n, K: k, DF: df, SSR: ssr, SE: seType, RootMSE: math.Sqrt(s2)}
	for j := range k {
		se := math.Sqrt(cov.At(j, j))
		t := b[j] / se
		res.Coefs = append(res.Coefs, Coef{Name: names[j], B: b[j], SE: se, T: t, P: 2 * tdist.Survival(math.Abs(t))})
	}
	res.R2 = 1 - ssr/sst
	dfTot := n
	if hasConst {
		dfTot = n - 1
	}
	res.AdjR2 = 1 - (1-res.R2)*float64(dfTot)/float64(df)
	res.Cov = mat.DenseCopyOf(cov).RawMatrix().Data
	return res, nil
}
