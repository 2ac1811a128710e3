package indicators

import (
	"math"
	"math/big"
	"math/rand"
	"reflect"
	"testing"
)

// determinedExact is an independent check of Table.Determined: exact
// rational Gaussian elimination over all relations at once (no
// components). Suppressed cell j is recoverable iff the unit vector e_j lies
// in the row space of the relations restricted to the suppressed cells.
func determinedExact(t *Table) map[int]bool {
	var cols []int
	idx := map[int]int{}
	for i, s := range t.Suppressed {
		if s {
			idx[i] = len(cols)
			cols = append(cols, i)
		}
	}
	var A [][]*big.Rat
	for _, r := range t.Relations {
		row := make([]*big.Rat, len(cols))
		for j := range row {
			row[j] = new(big.Rat)
		}
		nz := false
		if j, ok := idx[r.Total]; ok {
			row[j].Add(row[j], big.NewRat(1, 1))
			nz = true
		}
		for _, p := range r.Parts {
			if j, ok := idx[p]; ok {
				row[j].Sub(row[j], big.NewRat(1, 1))
				nz = true
			}
		}
		if nz {
			A = append(A, row)
		}
	}
	// Reduced row echelon form.
	var pivots []int
	r := 0
	for c := 0; c < len(cols) && r < len(A); c++ {
		p := -1
		for i := r; i < len(A); i++ {
			if A[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		A[r], A[p] = A[p], A[r]
		inv := new(big.Rat).Inv(A[r][c])
		for j := range A[r] {
			A[r][j].Mul(A[r][j], inv)
		}
		for i := range A {
			if i == r || A[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(A[i][c])
			for j := range A[i] {
				A[i][j].Sub(A[i][j], new(big.Rat).Mul(f, A[r][j]))
			}
		}
		pivots = append(pivots, c)
		r++
	}
	out := map[int]bool{}
	for i, c := range pivots {
		alone := true
		for j := range A[i] {
			if j != c && A[i][j].Sign() != 0 {
				alone = false
			}
		}
		if alone {
			out[cols[c]] = true
		}
	}
	return out
}

// randomTable builds a table as jamstat publishes one: members (employers)
// × groups (a partition of each member's staff) × sex, with T = K + M,
// member total = Σ groups, and a pooled county = Σ members for every group
// and sex. Counts are small and skewed, so many cells fall below k.
func randomTable(rng *rand.Rand) *Table {
	members := 1 + rng.Intn(5)
	groups := 1 + rng.Intn(6)
	type key struct{ m, g, s int } // m == members: pooled; g == groups: total; s: 0 K, 1 M, 2 T
	cell := map[key]int{}
	var n []float64
	add := func(k key, v float64) {
		cell[k] = len(n)
		n = append(n, v)
	}
	val := map[key]float64{}
	for m := 0; m < members; m++ {
		for g := 0; g < groups; g++ {
			for s := 0; s < 2; s++ {
				var v float64
				switch rng.Intn(4) {
				case 0:
					v = float64(1 + rng.Intn(4)) // small
				case 1:
					v = float64(1 + rng.Intn(12))
				case 2:
					v = float64(5 + rng.Intn(40))
				default:
					v = 0 // no one of this sex in the group: no cell
				}
				val[key{m, g, s}] = v
			}
		}
	}
	sum := func(f func(k key) bool) float64 {
		t := 0.0
		for k, v := range val {
			if f(k) {
				t += v
			}
		}
		return t
	}
	for m := 0; m <= members; m++ {
		for g := 0; g <= groups; g++ {
			for s := 0; s <= 2; s++ {
				v := sum(func(k key) bool {
					return (m == members || k.m == m) && (g == groups || k.g == g) && (s == 2 || k.s == s)
				})
				if v > 0 {
					add(key{m, g, s}, v)
				}
			}
		}
	}
	t := NewTable(n)
	get := func(k key) (int, bool) { i, ok := cell[k]; return i, ok }
	rel := func(total key, parts []key) {
		ti, ok := get(total)
		if !ok {
			return
		}
		var ps []int
		for _, p := range parts {
			if i, ok := get(p); ok {
				ps = append(ps, i)
			}
		}
		if !t.AddRelation(ti, ps) {
			panic("generated relation does not hold")
		}
	}
	for m := 0; m <= members; m++ {
		for g := 0; g <= groups; g++ {
			rel(key{m, g, 2}, []key{{m, g, 0}, {m, g, 1}})
			for s := 0; s <= 2; s++ {
				if g == groups {
					var ps []key
					for x := 0; x < groups; x++ {
						ps = append(ps, key{m, x, s})
					}
					rel(key{m, groups, s}, ps)
				}
				if m == members {
					var ps []key
					for x := 0; x < members; x++ {
						ps = append(ps, key{x, g, s})
					}
					rel(key{members, g, s}, ps)
				}
			}
		}
	}
	return t
}

// TestDeterminedMatchesExactSolver compares the sparse float elimination
// with an exact rational one on random tables and random suppression
// patterns, sparse to dense.
func TestDeterminedMatchesExactSolver(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	iterations := 2000
	if testing.Short() {
		iterations = 200
	}
	some := 0
	for it := 0; it < iterations; it++ {
		tab := randomTable(rng)
		p := rng.Float64()
		for i := range tab.Suppressed {
			tab.Suppressed[i] = rng.Float64() < p
		}
		want := determinedExact(tab)
		got := tab.Determined()
		gotSet := map[int]bool{}
		for _, c := range got {
			gotSet[c] = true
		}
		if !reflect.DeepEqual(gotSet, want) && !(len(gotSet) == 0 && len(want) == 0) {
			t.Fatalf("iteration %d: Determined() = %v, exact %v (suppressed %v, relations %v)", it, got, want, tab.Suppressed, tab.Relations)
		}
		if len(got) > 0 {
			some++
		}
	}
	if some < iterations/10 {
		t.Fatalf("only %d of %d tables had a determined cell: the test cannot tell", some, iterations)
	}
}

func TestProtectRandomTables(t *testing.T) {
	const k = 5
	iterations := 3000
	if testing.Short() {
		iterations = 300
	}
	rng := rand.New(rand.NewSource(20240601))
	var cells, primary, secondary int
	for it := 0; it < iterations; it++ {
		tab := randomTable(rng)
		tab.SuppressSmall(k)
		before := 0
		for _, s := range tab.Suppressed {
			if s {
				before++
			}
		}
		added := tab.Protect()
		cells += len(tab.N)
		primary += before
		secondary += added
		for i, n := range tab.N {
			if n < k && !tab.Suppressed[i] {
				t.Fatalf("iteration %d: cell %d with n=%v published", it, i, n)
			}
		}
		if det := determinedExact(tab); len(det) > 0 {
			t.Fatalf("iteration %d: suppressed cells %v are recoverable from the published relations (n=%v, suppressed=%v, relations=%v)",
				it, det, tab.N, tab.Suppressed, tab.Relations)
		}
		for ri, r := range tab.Relations {
			supp := 0
			for _, c := range append([]int{r.Total}, r.Parts...) {
				if tab.Suppressed[c] {
					supp++
				}
			}
			if supp == 1 {
				t.Fatalf("iteration %d: relation %d has exactly one suppressed cell", it, ri)
			}
			// With the total published, m suppressed parts of at least one
			// person each must not sum to exactly m (all would be 1).
			if !tab.Suppressed[r.Total] {
				rest, m := tab.N[r.Total], 0
				for _, p := range r.Parts {
					if tab.Suppressed[p] {
						m++
					} else {
						rest -= tab.N[p]
					}
				}
				if m >= 2 && rest <= float64(m) {
					t.Fatalf("iteration %d: relation %d: %d suppressed parts sum to %v: each is 1", it, ri, m, rest)
				}
			}
		}
	}
	t.Logf("%d tables, %d cells: %d primary, %d secondary suppressions", iterations, cells, primary, secondary)
	if secondary == 0 {
		t.Fatal("no secondary suppression in any table: the generator is too easy")
	}
}

// Every relation holds two suppressed cells, yet together they pin down all
// three: x1+x2 = a, x2+x3 = b, x1+x3 = c. Rules 1 and 2 miss it; the exact
// audit must not.
func TestProtectCatchesCombinedRelations(t *testing.T) {
	// cells 0–2 are published totals, 3–5 the small x1, x2, x3.
	tab := NewTable([]float64{5, 7, 6, 2, 3, 4})
	tab.AddRelation(0, []int{3, 4})
	tab.AddRelation(1, []int{4, 5})
	tab.AddRelation(2, []int{3, 5})
	if len(tab.Relations) != 3 {
		t.Fatalf("relations %v", tab.Relations)
	}
	tab.SuppressSmall(5)
	if got := tab.Determined(); len(got) != 3 {
		t.Fatalf("Determined = %v, want all three", got)
	}
	tab.Protect()
	if det := determinedExact(tab); len(det) > 0 {
		t.Fatalf("still recoverable: %v (suppressed %v)", det, tab.Suppressed)
	}
}

// The bound rule: a published total 10 with two suppressed parts summing to
// 2 means both are 1 (each part has at least one person).
func TestProtectBoundRule(t *testing.T) {
	tab := NewTable([]float64{10, 1, 1, 8})
	tab.AddRelation(0, []int{1, 2, 3})
	tab.SuppressSmall(5)
	tab.Protect()
	if !tab.Suppressed[3] && !tab.Suppressed[0] {
		t.Fatalf("parts 1+1 recoverable as total − 8: suppressed %v", tab.Suppressed)
	}
}

func TestAddRelationOnlyWhenItHolds(t *testing.T) {
	tab := NewTable([]float64{10, 4, 5, math.NaN()})
	if tab.AddRelation(0, []int{1, 2}) {
		t.Error("10 = 4 + 5 accepted")
	}
	if tab.AddRelation(0, []int{1, 3}) {
		t.Error("relation with an unknown count accepted")
	}
	tab.N[2] = 6
	if !tab.AddRelation(0, []int{1, 2}) {
		t.Error("10 = 4 + 6 refused")
	}
}

// The cache answers an identical problem (same keys and counts, in any
// order and with other row ids) with the same cells, and solves a changed
// one afresh.
func TestProtectCacheReusesOnlyIdenticalProblems(t *testing.T) {
	ind := &Indicator{Kind: KindBySex}
	mk := func(ridBase int64, nK1 float64) []rawCell {
		var cells []rawCell
		add := func(geo string, agg bool, grp, sex string, n float64) {
			cells = append(cells, rawCell{rid: ridBase + int64(len(cells)), geo: geo, agg: agg, period: "2024", sex: sex, grp: grp, n: n, nk: math.NaN(), nm: math.NaN(), hasValue: true})
		}
		for _, g := range []struct {
			geo   string
			k, m  float64
			agg   bool
			group string
		}{{"1401", nK1, 20, false, ""}, {"1402", 30, 7, false, ""}, {"1401", 3, 12, false, "ssyk4:5321"}, {"1401", nK1 - 3, 8, false, "ssyk4:2341"}} {
			add(g.geo, g.agg, g.group, "K", g.k)
			add(g.geo, g.agg, g.group, "M", g.m)
			add(g.geo, g.agg, g.group, "T", g.k+g.m)
		}
		return cells
	}
	keys := func(cells []rawCell, supp []suppressed) map[string]bool {
		byRid := map[int64]rawCell{}
		for _, c := range cells {
			byRid[c.rid] = c
		}
		out := map[string]bool{}
		for _, s := range supp {
			c := byRid[s.rid]
			out[c.geo+"/"+c.grp+"/"+c.sex] = s.primary
		}
		return out
	}
	pc := &protectCache{}
	first := mk(0, 10)
	want := keys(first, protectIndicator(ind, first, nil))
	if len(want) == 0 {
		t.Fatal("nothing suppressed: the table is too easy")
	}
	if got := keys(first, protectIndicator(ind, first, pc)); !reflect.DeepEqual(got, want) {
		t.Fatalf("with an empty cache %v, want %v", got, want)
	}
	// The same problem, rows in another order with other ids: from the cache.
	again := mk(100, 10)
	rand.New(rand.NewSource(1)).Shuffle(len(again), func(i, j int) { again[i], again[j] = again[j], again[i] })
	if got := keys(again, protectIndicator(ind, again, pc)); !reflect.DeepEqual(got, want) {
		t.Fatalf("cached answer %v, want %v", got, want)
	}
	// Other counts: solved afresh, as without a cache.
	other := mk(200, 4)
	wantOther := keys(other, protectIndicator(ind, other, nil))
	if reflect.DeepEqual(wantOther, want) {
		t.Fatal("the changed problem has the same answer: the test cannot tell")
	}
	if got := keys(other, protectIndicator(ind, other, pc)); !reflect.DeepEqual(got, wantOther) {
		t.Fatalf("changed problem %v, want %v", got, wantOther)
	}
	// The first problem is still cached after another one came between.
	hits := pc.hits
	if got := keys(again, protectIndicator(ind, again, pc)); !reflect.DeepEqual(got, want) || pc.hits != hits+1 {
		t.Fatalf("first problem after another: %v (cache hits %d → %d), want %v from the cache", got, hits, pc.hits, want)
	}
}

// TestDeterminedLargeComponent builds the shape that made compute take
// minutes: many small employers suppressed under one county total, each with
// T = K + M, linked into one component of thousands of unknowns. The sparse
// elimination must find exactly the cells a single-unknown relation fixes.
func TestDeterminedLargeComponent(t *testing.T) {
	const employers = 3000
	// Cells: county K, M, T then per employer K, M, T.
	n := make([]float64, 3+3*employers)
	n[0], n[1] = 2*employers, 1*employers
	n[2] = n[0] + n[1]
	for e := 0; e < employers; e++ {
		n[3+3*e], n[4+3*e], n[5+3*e] = 2, 1, 3
	}
	tab := NewTable(n)
	tab.AddRelation(2, []int{0, 1})
	for s := 0; s < 3; s++ {
		parts := make([]int, employers)
		for e := range parts {
			parts[e] = 3 + 3*e + s
		}
		tab.AddRelation(s, parts)
	}
	for e := 0; e < employers; e++ {
		tab.AddRelation(5+3*e, []int{3 + 3*e, 4 + 3*e})
	}
	tab.SuppressSmall(5)      // every employer cell; the county stays published
	tab.Suppressed[4] = false // publish employer 0's M: K and T stay two unknowns tied by one relation
	det := tab.Determined()
	if len(det) != 0 {
		t.Fatalf("determined %d cells, want none: every employer has two hidden unknowns", len(det))
	}
	tab.Suppressed[5] = false // publish employer 0's T: now K = T − M is determined
	det = tab.Determined()
	if len(det) != 1 || det[0] != 3 {
		t.Fatalf("determined %v, want [3] (employer 0's K)", det)
	}
}
