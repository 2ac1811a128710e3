package analysis

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// deltaSE fills r.SE by the delta method (Jann 2008, The Stata Journal
// 8(4): 453–479, section 3). Every component is bilinear in
// θ = (β1, β2, β*, X̄1, X̄2, ȳ1, ȳ2), so its variance is g'Vg with g the
// gradient at the estimates and V the covariance of θ:
//
//   - V(βg) is the OLS covariance of group g, carried through the
//     normalisation (A V A').
//   - For a pooled reference, β* and its covariances with β1 and β2 follow
//     from β̂* being linear in the outcomes of both groups: with P = (X'X)⁻¹
//     of the pooled design X (rows X1*, X2*) and σg² the residual variance
//     of group g's regression, Var(β̂*) = P(σ1²X1*'X1* + σ2²X2*'X2*)P and
//     Cov(β̂g, β̂*) = σg²(Xg'Xg)⁻¹Xg'Xg*P. Jann's oaxaca may treat this
//     dependence differently; the group-specific and reference-group
//     results do not depend on it.
//   - V(X̄g) = Sg/ng with Sg the sample covariance of the regressors in
//     group g (zero when fixedX), independent of the β's as in Jann.
//   - V(ȳg) = s²(y|g)/ng.
//
// The two groups are independent samples.
func (s *oaxSpec) deltaSE(ft *oaxFit, d *oaxData, fixedX bool, r *OaxacaResult) {
	p := len(s.fullNames)
	oB1, oB2, oBS, oX1, oX2, oY1, oY2 := 0, p, 2*p, 3*p, 4*p, 5*p, 5*p+1
	dim := 5*p + 2
	V := mat.NewDense(dim, dim, nil)
	q := len(s.estNames)
	setBlock := func(ro, co int, m mat.Matrix) {
		rr, cc := m.Dims()
		for i := range rr {
			for j := range cc {
				V.Set(ro+i, co+j, m.At(i, j))
				if ro != co {
					V.Set(co+j, ro+i, m.At(i, j))
				}
			}
		}
	}
	sandwich := func(L mat.Matrix, M mat.Matrix, R mat.Matrix) *mat.Dense {
		var t, out mat.Dense
		t.Mul(L, M)
		out.Mul(&t, R)
		return &out
	}
	C1 := mat.NewDense(q, q, ft.m1.Cov)
	C2 := mat.NewDense(q, q, ft.m2.Cov)
	setBlock(oB1, oB1, sandwich(s.A, C1, s.A.T()))
	setBlock(oB2, oB2, sandwich(s.A, C2, s.A.T()))
	if ft.mp != nil {
		X := ft.pooledDesign
		n, qs := X.Dims()
		// Ap maps pooled coefficients to full space; the group indicator
		// (last column for RefPooled) is not part of β*.
		Ap := mat.NewDense(p, qs, nil)
		Ap.Slice(0, p, 0, q).(*mat.Dense).Copy(s.A)
		var xtx, P mat.Dense
		xtx.Mul(X.T(), X)
		if err := P.Inverse(&xtx); err == nil {
			X1s := X.Slice(0, ft.n1, 0, qs)
			X2s := X.Slice(ft.n1, n, 0, qs)
			s1 := ft.m1.RootMSE * ft.m1.RootMSE
			s2 := ft.m2.RootMSE * ft.m2.RootMSE
			var m1, m2, mid mat.Dense
			m1.Mul(X1s.T(), X1s)
			m2.Mul(X2s.T(), X2s)
			m1.Scale(s1, &m1)
			m2.Scale(s2, &m2)
			mid.Add(&m1, &m2)
			vs := sandwich(&P, &mid, &P)
			setBlock(oBS, oBS, sandwich(Ap, vs, Ap.T()))
			// Cov(β̂g, β̂*) = σg² (Xg'Xg)⁻¹ Xg'Xg* P, and (Xg'Xg)⁻¹σg² is the
			// group's OLS covariance.
			var c1, c2 mat.Dense
			var x1x1s, x2x2s mat.Dense
			x1x1s.Mul(ft.design1.T(), X1s)
			x2x2s.Mul(ft.des2.T(), X2s)
			c1.Mul(C1, &x1x1s)
			c1.Mul(&c1, &P)
			c2.Mul(C2, &x2x2s)
			c2.Mul(&c2, &P)
			setBlock(oB1, oBS, sandwich(s.A, &c1, Ap.T()))
			setBlock(oB2, oBS, sandwich(s.A, &c2, Ap.T()))
		}
	}
	if !fixedX {
		setBlock(oX1, oX1, meanCov(d.x1, p))
		setBlock(oX2, oX2, meanCov(d.x2, p))
	}
	V.Set(oY1, oY1, sampleVar(d.y1)/float64(len(d.y1)))
	V.Set(oY2, oY2, sampleVar(d.y2)/float64(len(d.y2)))

	b1, b2, bs, x1, x2 := ft.b1, ft.b2, ft.bs, ft.x1, ft.x2
	nv := nOverall + p*nTerm
	grads := make([][]float64, nv)
	for i := range grads {
		grads[i] = make([]float64, dim)
	}
	grads[cMean1][oY1] = 1
	grads[cMean2][oY2] = 1
	grads[cDiff][oY1], grads[cDiff][oY2] = 1, -1
	for k := range p {
		dx, db := x1[k]-x2[k], b1[k]-b2[k]
		g := grads[nOverall+k*nTerm : nOverall+(k+1)*nTerm]
		g[tE][oB2+k], g[tE][oX1+k], g[tE][oX2+k] = dx, b2[k], -b2[k]
		g[tC][oB1+k], g[tC][oB2+k], g[tC][oX2+k] = x2[k], -x2[k], db
		g[tI][oB1+k], g[tI][oB2+k], g[tI][oX1+k], g[tI][oX2+k] = dx, -dx, db, -db
		g[tExpl][oBS+k], g[tExpl][oX1+k], g[tExpl][oX2+k] = dx, bs[k], -bs[k]
		g[tUA][oB1+k], g[tUA][oBS+k], g[tUA][oX1+k] = x1[k], -x1[k], b1[k]-bs[k]
		g[tUB][oBS+k], g[tUB][oB2+k], g[tUB][oX2+k] = x2[k], -x2[k], bs[k]-b2[k]
		for j := range dim {
			g[tUnex][j] = g[tUA][j] + g[tUB][j]
		}
		for j, o := range []int{cE, cC, cI, cExpl, cUnex, cUA, cUB} {
			for c := range dim {
				grads[o][c] += g[j][c]
			}
		}
	}
	// A group reference makes β* the same estimate as βg: move its gradient.
	if s.ref == RefGroup1 || s.ref == RefGroup2 {
		to := oB1
		if s.ref == RefGroup2 {
			to = oB2
		}
		for _, g := range grads {
			for k := range p {
				g[to+k] += g[oBS+k]
				g[oBS+k] = 0
			}
		}
	}
	se := make([]float64, nv)
	gv := mat.NewVecDense(dim, nil)
	var vg mat.VecDense
	for i, g := range grads {
		copy(gv.RawVector().Data, g)
		vg.MulVec(V, gv)
		se[i] = math.Sqrt(math.Max(0, mat.Dot(gv, &vg)))
	}
	setSE(r, se, OaxacaSE{Method: SEDelta, FixedX: fixedX})
}

// meanCov is the covariance matrix of the column means of x: S/n.
func meanCov(x [][]float64, p int) *mat.Dense {
	n := float64(len(x))
	m := colMeans(x, p)
	c := mat.NewDense(p, p, nil)
	for _, r := range x {
		for i := range p {
			di := r[i] - m[i]
			if di == 0 {
				continue
			}
			for j := range p {
				c.Set(i, j, c.At(i, j)+di*(r[j]-m[j]))
			}
		}
	}
	c.Scale(1/((n-1)*n), c)
	return c
}

func sampleVar(v []float64) float64 {
	m := mean(v)
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return s / float64(len(v)-1)
}
