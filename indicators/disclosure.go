package indicators

import (
	"math"
	"sort"
	"strings"
)

// Disclosure control (röjandekontroll).
//
// Primary suppression: a cell with fewer than k persons is not published
// (value, numerator, denominator and n become NULL, status ".."). For
// indicators whose one value compares women and men (K/M ratio, women's
// value as % of men's, gaps, differences) both the women's and the men's
// cell must have k persons.
//
// Secondary suppression: the published table satisfies linear relations —
// T = K + M, a total = the sum of its groups (occupational groups,
// dominance classes), a county's pooled cell = the sum of its members'
// cells — and a suppressed cell must not be recoverable from them. A
// relation enters the problem only if it holds exactly in the published
// counts n (that is what an intruder could use); sums of amounts (wage
// sums, hours) obey the same relations with the same cells hidden, so
// protecting n protects them too. The rules:
//
//  1. A relation with exactly one suppressed cell gets a second one: the
//     published cell with the fewest persons (ties: the first).
//  2. A relation whose published total fixes the sum of m suppressed parts
//     at exactly m (each at least 1 person) reveals them all: one more.
//  3. An exact audit: for every suppressed cell, is it determined by all
//     relations together? (Gaussian elimination on each connected group of
//     relations; a cell is determined iff its unit vector lies in the row
//     space.) Where one is, the smallest published cell of a relation
//     holding it (or, if those are all hidden, of the nearest relation
//     reached through hidden cells) is suppressed, and the loop repeats.
//
// The loop ends because every round suppresses at least one more cell; at
// worst everything is suppressed. Nothing is ever published as 0 in place
// of a hidden value.

// Relation is a linear relation between published cells: N[Total] =
// sum of N[Parts].
type Relation struct {
	Total int
	Parts []int
}

// Table is a disclosure-control problem: cells with person counts and the
// relations between them.
type Table struct {
	N          []float64 // persons in each cell; NaN when unknown (such a cell is never in a relation)
	Suppressed []bool    // hidden cells: set the primary ones before Protect; Protect adds the secondary
	Relations  []Relation
}

// NewTable makes a table of cells with counts n and no relations.
func NewTable(n []float64) *Table {
	return &Table{N: n, Suppressed: make([]bool, len(n))}
}

// SuppressSmall marks every cell with a known count below k.
func (t *Table) SuppressSmall(k int) {
	for i, n := range t.N {
		if !math.IsNaN(n) && n < float64(k) {
			t.Suppressed[i] = true
		}
	}
}

// AddRelation adds N[total] = sum N[parts] when it holds exactly in the
// counts (within rounding) and every count is known; it reports whether the
// relation was added.
func (t *Table) AddRelation(total int, parts []int) bool {
	if len(parts) == 0 || math.IsNaN(t.N[total]) {
		return false
	}
	s := 0.0
	for _, p := range parts {
		if math.IsNaN(t.N[p]) {
			return false
		}
		s += t.N[p]
	}
	if math.Abs(s-t.N[total]) > 1e-6*math.Max(1, math.Abs(s)) {
		return false
	}
	t.Relations = append(t.Relations, Relation{Total: total, Parts: append([]int(nil), parts...)})
	return true
}

// Protect adds secondary suppression until no suppressed cell can be
// recovered from the relations. It returns the number of cells it added.
func (t *Table) Protect() int {
	added := 0
	cellRels := make([][]int, len(t.N))
	for ri, r := range t.Relations {
		cellRels[r.Total] = append(cellRels[r.Total], ri)
		for _, p := range r.Parts {
			cellRels[p] = append(cellRels[p], ri)
		}
	}
	// The exact audit is the costly step. Between rounds only the
	// components that gained a suppressed cell (or held a determined one)
	// can change: a relation touching a new cell belongs to that cell's
	// component, so every other component keeps its relations and unknowns
	// and stays undetermined. dirty holds those cells; nil means all.
	var dirty map[int]bool
	for {
		for changed := true; changed; {
			changed = false
			for ri := range t.Relations {
				if c := t.ruleFix(ri); c >= 0 {
					t.Suppressed[c] = true
					added++
					changed = true
					if dirty != nil {
						dirty[c] = true
					}
				}
			}
		}
		det := t.determined(dirty)
		if len(det) == 0 {
			return added
		}
		dirty = map[int]bool{}
		for _, d := range det {
			dirty[d] = true
		}
		// Fix the determined cells, one per neighbourhood (a fix can free
		// the cells sharing its relations), then re-run the cheap rules.
		touched := map[int]bool{}
		for _, d := range det {
			skip := false
			for _, ri := range cellRels[d] {
				if touched[ri] {
					skip = true
				}
			}
			if skip {
				continue
			}
			c := -1
			for _, ri := range cellRels[d] {
				if x := t.smallestPublished(ri); x >= 0 && (c < 0 || t.N[x] < t.N[c] || t.N[x] == t.N[c] && x < c) {
					c = x
				}
			}
			if c < 0 {
				// Every relation holding the cell is fully suppressed, yet
				// the relations of its neighbours pin it down: hide the
				// smallest published cell of the nearest relation that has one.
				c = t.nearestPublished(d, cellRels)
			}
			if c < 0 {
				continue // cannot happen: a determined cell needs published cells
			}
			t.Suppressed[c] = true
			added++
			dirty[c] = true
			for _, ri := range cellRels[c] {
				touched[ri] = true
			}
			for _, ri := range cellRels[d] {
				touched[ri] = true
			}
		}
	}
}

// nearestPublished searches outward from cell start through relations and
// suppressed cells, and returns the smallest published cell of the first
// layer of relations that has one, or -1.
func (t *Table) nearestPublished(start int, cellRels [][]int) int {
	seenCell := map[int]bool{start: true}
	seenRel := map[int]bool{}
	frontier := []int{start}
	for len(frontier) > 0 {
		best := -1
		var next []int
		for _, cell := range frontier {
			for _, ri := range cellRels[cell] {
				if seenRel[ri] {
					continue
				}
				seenRel[ri] = true
				if x := t.smallestPublished(ri); x >= 0 {
					if best < 0 || t.N[x] < t.N[best] || t.N[x] == t.N[best] && x < best {
						best = x
					}
					continue
				}
				r := t.Relations[ri]
				for _, c := range append([]int{r.Total}, r.Parts...) {
					if !seenCell[c] {
						seenCell[c] = true
						next = append(next, c)
					}
				}
			}
		}
		if best >= 0 {
			return best
		}
		frontier = next
	}
	return -1
}

// ruleFix applies rules 1 and 2 to relation ri; it returns the cell to
// suppress, or -1.
func (t *Table) ruleFix(ri int) int {
	r := &t.Relations[ri]
	supp := 0
	if t.Suppressed[r.Total] {
		supp++
	}
	sumSupp := t.N[r.Total]
	m := 0
	for _, p := range r.Parts {
		if t.Suppressed[p] {
			supp++
			m++
		} else {
			sumSupp -= t.N[p]
		}
	}
	switch {
	case supp == 1:
		return t.smallestPublished(ri)
	case !t.Suppressed[r.Total] && m >= 2 && sumSupp <= float64(m)+1e-9:
		return t.smallestPublished(ri)
	}
	return -1
}

// smallestPublished is the published cell of relation ri with the fewest
// persons (a part before the total on ties), or -1.
func (t *Table) smallestPublished(ri int) int {
	r := &t.Relations[ri]
	best := -1
	for _, p := range r.Parts {
		if !t.Suppressed[p] && (best < 0 || t.N[p] < t.N[best] || t.N[p] == t.N[best] && p < best) {
			best = p
		}
	}
	if best < 0 && !t.Suppressed[r.Total] {
		best = r.Total
	}
	return best
}

// Determined lists the suppressed cells whose count follows exactly from
// the published cells and the relations, in increasing order.
func (t *Table) Determined() []int { return t.determined(nil) }

// determined is Determined restricted to the connected components that
// hold a cell of only (all components when only is nil).
func (t *Table) determined(only map[int]bool) []int {
	// Unknowns: suppressed cells that occur in some relation, numbered in
	// order of first appearance. Slices, not maps: this runs once a round
	// over tables of a hundred thousand cells.
	col := make([]int32, len(t.N))
	for i := range col {
		col[i] = -1
	}
	var cols []int
	var rels []int
	for ri := range t.Relations {
		r := &t.Relations[ri]
		has := false
		for k := -1; k < len(r.Parts); k++ {
			c := r.Total
			if k >= 0 {
				c = r.Parts[k]
			}
			if t.Suppressed[c] {
				has = true
				if col[c] < 0 {
					col[c] = int32(len(cols))
					cols = append(cols, c)
				}
			}
		}
		if has {
			rels = append(rels, ri)
		}
	}
	if len(cols) == 0 {
		return nil
	}
	// Connected components of unknowns linked by relations.
	uf := newUnionFind(len(cols))
	relRoot := make([]int, len(rels))
	for i, ri := range rels {
		r := &t.Relations[ri]
		first := -1
		for k := -1; k < len(r.Parts); k++ {
			c := r.Total
			if k >= 0 {
				c = r.Parts[k]
			}
			if t.Suppressed[c] {
				if first < 0 {
					first = int(col[c])
				} else {
					uf.union(first, int(col[c]))
				}
			}
		}
		relRoot[i] = first
	}
	// Which components to solve: all, or those holding a cell of only.
	want := make([]bool, len(cols))
	for j, c := range cols {
		if only == nil || only[c] {
			want[uf.find(j)] = true
		}
	}
	compCols := map[int][]int{}
	for j := range cols {
		if root := uf.find(j); want[root] {
			compCols[root] = append(compCols[root], j)
		}
	}
	compRels := map[int][]int{}
	for i, ri := range rels {
		if root := uf.find(relRoot[i]); want[root] {
			compRels[root] = append(compRels[root], ri)
		}
	}
	var out []int
	local := make([]int32, len(cols))
	for root, cj := range compCols {
		for i, j := range cj {
			local[j] = int32(i)
		}
		A := make([][]sparseEntry, 0, len(compRels[root]))
		for _, ri := range compRels[root] {
			r := &t.Relations[ri]
			row := make([]sparseEntry, 0, len(r.Parts)+1)
			if t.Suppressed[r.Total] {
				row = append(row, sparseEntry{local[col[r.Total]], 1})
			}
			for _, p := range r.Parts {
				if t.Suppressed[p] {
					row = append(row, sparseEntry{local[col[p]], -1})
				}
			}
			A = append(A, sortedRow(row))
		}
		for _, i := range determinedColumns(A, len(cj)) {
			out = append(out, cols[cj[i]])
		}
	}
	sort.Ints(out)
	return out
}

// sparseEntry is one non-zero coefficient of a sparse row.
type sparseEntry struct {
	col int32
	val float64
}

// determinedColumns returns the columns j for which the unit vector e_j
// lies in the row space of A (sparse rows, each sorted by column): exactly
// the unknowns fixed by A·x = b. It reduces A to reduced row echelon form;
// a pivot column whose reduced row has no other non-zero entry is
// determined.
//
// The rows are sparse (a relation touches a handful of cells, a county sum
// its kommuner) while a component can hold thousands of unknowns when many
// small employers are suppressed, and Protect asks again after every round
// of fixes. So rows are sorted slices combined by merging, each column
// keeps the rows that may hold it (stale entries are skipped, not
// deleted), and the pivot of each column is its shortest row, to keep
// fill-in small.
func determinedColumns(A [][]sparseEntry, ncols int) []int {
	const eps = 1e-9
	rows := make([][]sparseEntry, len(A))
	colRows := make([][]int32, ncols)
	for i, a := range A {
		r := make([]sparseEntry, 0, len(a))
		for _, e := range a {
			if math.Abs(e.val) > eps {
				r = append(r, e)
				colRows[e.col] = append(colRows[e.col], int32(i))
			}
		}
		rows[i] = r
	}
	used := make([]bool, len(rows))
	seen := make([]int32, len(rows)) // column+1 whose holders last listed the row
	pivotRow := make([]int32, 0, ncols)
	pivotCol := make([]int32, 0, ncols)
	var holders []int32
	var scratch []sparseEntry
	// Columns in order of how many rows hold them, fewest first: a cheap
	// minimum-degree ordering that keeps the county and Sweden sums, which
	// touch every member, from filling the rows early. Any order gives the
	// same answer: e_j is in the row space or it is not.
	order := make([]int32, ncols)
	for j := range order {
		order[j] = int32(j)
	}
	sort.SliceStable(order, func(a, b int) bool { return len(colRows[order[a]]) < len(colRows[order[b]]) })
	for _, c := range order {
		// The rows that still hold column c (colRows may list rows that
		// lost it since, or twice).
		// Earlier pivot rows are reduced too (reduced row echelon form)
		// but cannot be this column's pivot.
		holders = holders[:0]
		best := int32(-1)
		for _, i := range colRows[c] {
			if seen[i] == c+1 || coef(rows[i], c) == 0 {
				continue
			}
			seen[i] = c + 1
			holders = append(holders, i)
			if !used[i] && (best < 0 || len(rows[i]) < len(rows[best]) || len(rows[i]) == len(rows[best]) && i < best) {
				best = i
			}
		}
		colRows[c] = nil
		if best < 0 {
			continue
		}
		used[best] = true
		pr := rows[best]
		if pv := coef(pr, c); pv != 1 {
			for k := range pr {
				pr[k].val /= pv
			}
		}
		for _, i := range holders {
			if i == best {
				continue
			}
			ri := rows[i]
			f := coef(ri, c)
			// ri − f·pr, merged; column c cancels exactly.
			scratch = scratch[:0]
			a, b := 0, 0
			for a < len(ri) || b < len(pr) {
				switch {
				case b == len(pr) || a < len(ri) && ri[a].col < pr[b].col:
					scratch = append(scratch, ri[a])
					a++
				case a == len(ri) || pr[b].col < ri[a].col:
					if pr[b].col != c {
						if nv := -f * pr[b].val; math.Abs(nv) > eps {
							scratch = append(scratch, sparseEntry{pr[b].col, nv})
							colRows[pr[b].col] = append(colRows[pr[b].col], i)
						}
					}
					b++
				default:
					if ri[a].col != c {
						if nv := ri[a].val - f*pr[b].val; math.Abs(nv) > eps {
							scratch = append(scratch, sparseEntry{ri[a].col, nv})
						}
					}
					a++
					b++
				}
			}
			rows[i] = append(ri[:0], scratch...)
		}
		pivotRow = append(pivotRow, best)
		pivotCol = append(pivotCol, c)
	}
	var out []int
	for k, r := range pivotRow {
		if len(rows[r]) == 1 {
			out = append(out, int(pivotCol[k]))
		}
	}
	sort.Ints(out)
	return out
}

// sortedRow orders a row by column and adds up repeated columns (a cell
// that is both a total and a part cancels out).
func sortedRow(r []sparseEntry) []sparseEntry {
	sort.Slice(r, func(a, b int) bool { return r[a].col < r[b].col })
	out := r[:0]
	for _, e := range r {
		if n := len(out); n > 0 && out[n-1].col == e.col {
			out[n-1].val += e.val
			continue
		}
		out = append(out, e)
	}
	return out
}

// coef is row r's coefficient of column c (0 when absent).
func coef(r []sparseEntry, c int32) float64 {
	k := sort.Search(len(r), func(k int) bool { return r[k].col >= c })
	if k < len(r) && r[k].col == c {
		return r[k].val
	}
	return 0
}

type unionFind struct{ parent []int }

func newUnionFind(n int) *unionFind {
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	return &unionFind{p}
}

func (u *unionFind) find(x int) int {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(a, b int) { u.parent[u.find(a)] = u.find(b) }

// protectCache remembers the last disclosure problem solved and its
// answer. Many indicators over the same persons (mean wage, part-time
// share, temporary contracts …) have the very same cells and counts, and
// therefore the very same suppression pattern: solved once, reused.
// protectCache keeps the answers to the last few disclosure problems.
// Indicators over the same persons (mean wage, part-time share, mean
// employment rate all count the employees with a wage) pose the same
// problem, cell for cell; they are rarely computed one after another, so
// one entry is not enough.
type protectCache struct {
	entries []protectEntry // most recent last
	hits    int
}

type protectEntry struct {
	k        float64
	compares bool
	cells    []rawCell // sorted by key
	hidden   []bool    // suppressed, by position in cells
	primary  []bool
}

// The cache keeps at most protectCacheSize problems and protectCacheCells
// cells in all (about 100 bytes each), so ten national years, whose
// problems have a million cells or more, keep only the last one or two.
const (
	protectCacheSize  = 6
	protectCacheCells = 2_000_000
)

// lookup returns the answer for sorted cells when they are the same
// problem as a cached one: same threshold and rule, same keys and the
// same counts, bit for bit.
func (pc *protectCache) lookup(k float64, compares bool, cells []rawCell) (hidden, primary []bool, ok bool) {
	if pc == nil {
		return nil, nil, false
	}
	same := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
next:
	for _, e := range pc.entries {
		if e.k != k || e.compares != compares || len(e.cells) != len(cells) {
			continue
		}
		for i := range cells {
			a, b := &cells[i], &e.cells[i]
			if !same(a.n, b.n) || !same(a.nk, b.nk) || !same(a.nm, b.nm) ||
				a.period != b.period || a.geo != b.geo || a.agg != b.agg || a.grp != b.grp || a.sex != b.sex {
				continue next
			}
		}
		pc.hits++
		return e.hidden, e.primary, true
	}
	return nil, nil, false
}

func (pc *protectCache) store(e protectEntry) {
	if pc == nil {
		return
	}
	pc.entries = append(pc.entries, e)
	total := 0
	for _, x := range pc.entries {
		total += len(x.cells)
	}
	for len(pc.entries) > 1 && (len(pc.entries) > protectCacheSize || total > protectCacheCells) {
		total -= len(pc.entries[0].cells)
		pc.entries[0] = protectEntry{} // let the collector have it
		pc.entries = pc.entries[1:]
	}
}

// protectIndicator applies disclosure control to every computed cell of
// one indicator (all periods, geographies, sexes and groups) and returns
// the cells to suppress. pc, when not nil, reuses the answer to an
// identical problem and keeps this one's.
func protectIndicator(ind *Indicator, cells []rawCell, pc *protectCache) []suppressed {
	// The database returns cells in no fixed order; the rules break ties
	// by position, so order the cells by their key for a reproducible result.
	cells = append([]rawCell(nil), cells...)
	sort.Slice(cells, func(a, b int) bool {
		x, y := &cells[a], &cells[b]
		switch {
		case x.period != y.period:
			return x.period < y.period
		case x.geo != y.geo:
			return x.geo < y.geo
		case x.agg != y.agg:
			return !x.agg
		case x.grp != y.grp:
			return x.grp < y.grp
		}
		return x.sex < y.sex
	})
	k := float64(ind.MinN())
	if hidden, primary, ok := pc.lookup(k, ind.Kind.comparesSexes(), cells); ok {
		return suppressedCells(cells, hidden, primary)
	}
	n := make([]float64, len(cells))
	for i, c := range cells {
		n[i] = c.n
	}
	t := NewTable(n)
	primary := make([]bool, len(cells))
	for i, c := range cells {
		small := !math.IsNaN(c.n) && c.n < k
		if ind.Kind.comparesSexes() && (!math.IsNaN(c.nk) && c.nk < k || !math.IsNaN(c.nm) && c.nm < k) {
			small = true
		}
		if small {
			t.Suppressed[i] = true
			primary[i] = true
		}
	}
	type key struct {
		period, geo string
		agg         bool
		grp, sex    string
	}
	at := map[key]int{}
	for i, c := range cells {
		at[key{c.period, c.geo, c.agg, c.grp, c.sex}] = i
	}
	// T = K + M.
	for kk, i := range at {
		if kk.sex != "T" {
			continue
		}
		kc, okK := at[key{kk.period, kk.geo, kk.agg, kk.grp, "K"}]
		mc, okM := at[key{kk.period, kk.geo, kk.agg, kk.grp, "M"}]
		switch {
		case okK && okM:
			t.AddRelation(i, []int{kc, mc})
		case okK:
			t.AddRelation(i, []int{kc})
		case okM:
			t.AddRelation(i, []int{mc})
		}
	}
	// A total = the sum of its groups, for each family of groups.
	type gkey struct {
		period, geo string
		agg         bool
		sex, family string
	}
	families := map[gkey][]int{}
	for i, c := range cells {
		if fam, _, ok := strings.Cut(c.grp, ":"); ok {
			gk := gkey{c.period, c.geo, c.agg, c.sex, fam}
			families[gk] = append(families[gk], i)
		}
	}
	for gk, parts := range families {
		if tot, ok := at[key{gk.period, gk.geo, gk.agg, "", gk.sex}]; ok {
			sort.Ints(parts)
			t.AddRelation(tot, parts)
		}
	}
	// A pooled county (or Sweden) cell = the sum of its members' own cells.
	type ukey struct{ period, grp, sex, unit string }
	kommuner := map[ukey][]int{}
	regions := map[ukey][]int{}
	for i, c := range cells {
		if c.agg {
			continue
		}
		switch len(c.geo) {
		case 4:
			if c.geo == "0000" {
				continue
			}
			kommuner[ukey{c.period, c.grp, c.sex, c.geo[:2]}] = append(kommuner[ukey{c.period, c.grp, c.sex, c.geo[:2]}], i)
			kommuner[ukey{c.period, c.grp, c.sex, "0000"}] = append(kommuner[ukey{c.period, c.grp, c.sex, "0000"}], i)
		case 2:
			regions[ukey{c.period, c.grp, c.sex, c.geo}] = append(regions[ukey{c.period, c.grp, c.sex, c.geo}], i)
			regions[ukey{c.period, c.grp, c.sex, "0000"}] = append(regions[ukey{c.period, c.grp, c.sex, "0000"}], i)
		}
	}
	for kk, i := range at {
		if kk.geo != "0000" && len(kk.geo) != 2 {
			continue
		}
		uk := ukey{kk.period, kk.grp, kk.sex, kk.geo}
		ks := kommuner[uk]
		sort.Ints(ks)
		candidates := [][]int{ks, append(append([]int(nil), ks...), regions[uk]...)}
		if kk.geo == "0000" {
			candidates = append(candidates, regions[uk])
		}
		for _, parts := range candidates {
			if len(parts) > 0 && t.AddRelation(i, parts) {
				break
			}
		}
	}
	// Map iteration above is in random order; the rules pick cells in
	// relation order, so sort for a reproducible result.
	sort.Slice(t.Relations, func(a, b int) bool {
		ra, rb := t.Relations[a], t.Relations[b]
		if ra.Total != rb.Total {
			return ra.Total < rb.Total
		}
		if len(ra.Parts) != len(rb.Parts) {
			return len(ra.Parts) < len(rb.Parts)
		}
		for i := range ra.Parts {
			if ra.Parts[i] != rb.Parts[i] {
				return ra.Parts[i] < rb.Parts[i]
			}
		}
		return false
	})
	t.Protect()
	pc.store(protectEntry{k: k, compares: ind.Kind.comparesSexes(), cells: cells, hidden: t.Suppressed, primary: primary})
	return suppressedCells(cells, t.Suppressed, primary)
}

func suppressedCells(cells []rawCell, hidden, primary []bool) []suppressed {
	var out []suppressed
	for i, s := range hidden {
		if s {
			out = append(out, suppressed{rid: cells[i].rid, primary: primary[i]})
		}
	}
	return out
}
