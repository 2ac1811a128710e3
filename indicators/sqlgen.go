package indicators

import (
	"fmt"
	"strings"
)

// This file writes the SQL that turns one input into "base" rows: one row
// per (geo_code, agg, period, grp, sex) with
//
//	num, den  additive numerator and denominator (NULL for medians and
//	          published values without counts)
//	n         persons behind the cell, when known
//	value     the input's statistic for the cell
//	status    '' or why value is NULL
//	members   member geographies that contributed (aggregated rows)
//
// agg is false for a geography's own figure (a kommun's, an employer's, a
// county's as published) and true for values pooled over member
// geographies (headcount-weighted). Everything is set-based: one statement
// per input, whatever the number of geographies.

// sqlString quotes s as a SQL string literal.
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func sqlList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = sqlString(x)
	}
	return strings.Join(q, ", ")
}

func groupsOf(ind *Indicator) []string {
	if len(ind.Groups) > 0 {
		return ind.Groups
	}
	if len(ind.Inputs) > 0 && ind.Inputs[0].IsEmployee() {
		return []string{"total", "ssyk4", "dominance"}
	}
	return []string{"total"}
}

func hasGroup(ind *Indicator, g string) bool {
	for _, x := range groupsOf(ind) {
		if x == g {
			return true
		}
	}
	return false
}

// employeeExprs returns the SQL (over employee alias e) of an employee
// input's per-person numerator, denominator, value (medians) and
// population filter: a cell's statistic is scale·Σnum/Σden over the
// persons in the population, or the median of v.
func employeeExprs(in *Input) (num, den, v, pop string) {
	where := in.where.sql("e")
	switch in.Employee {
	case "count":
		num, den, v, pop = "1", "1", "NULL", where
	case "share":
		base := in.where.known("e")
		if in.base != nil {
			base = in.base.sql("e")
		}
		num, den, v, pop = fmt.Sprintf("CASE WHEN %s THEN 1 ELSE 0 END", where), "1", "NULL", base
	case "per":
		pop = "true"
		if in.base != nil {
			pop = in.base.sql("e")
		}
		num, den, v = "1", fmt.Sprintf("CASE WHEN %s THEN 1 ELSE 0 END", where), "NULL"
	case "mean":
		col := `e."` + in.Column + `"`
		num, den, v, pop = col, "1", "NULL", col+" IS NOT NULL AND "+where
	case "median":
		col := `e."` + in.Column + `"`
		num, den, v, pop = "NULL", "NULL", col, col+" IS NOT NULL AND "+where
	case "ratio":
		a, b := `e."`+in.Column+`"`, `e."`+in.Denominator+`"`
		num, den, v, pop = a, b, "NULL", a+" IS NOT NULL AND "+b+" IS NOT NULL AND "+where
	}
	return num, den, v, pop
}

// employeeBaseSQL is the base query of an employee statistic. For sums
// (counts, shares, means, ratios) it selects the input's columns from the
// cells that prepareEmployee pooled once for every input (iv_emp_cells,
// column set col); a median cannot be pooled from cells and reads the
// persons again (employeeMedianSQL).
//
// Pooled (county, Sweden) rows are made for everyone and for the dominance
// classes, not for single occupational groups: those would tie the small
// cells of every employer into one disclosure problem (and the comparison
// of groups is made per employer).
func employeeBaseSQL(ind *Indicator, in *Input, opts *ComputeOptions, col int) string {
	var r string
	if in.Employee == "median" {
		r = employeeMedianSQL(ind, in, opts)
	} else {
		value := fmt.Sprintf("CASE WHEN den%[1]d = 0 THEN NULL ELSE %[2]g * num%[1]d / den%[1]d END", col, in.Scale)
		status := fmt.Sprintf("CASE WHEN den%d = 0 THEN '.' ELSE '' END", col)
		switch in.Employee {
		case "count":
			value, status = fmt.Sprintf("num%d", col), "''"
		}
		var gts []string
		for _, g := range groupsOf(ind) {
			if gt, ok := groupTypes[g]; ok {
				gts = append(gts, sqlString(gt))
			}
		}
		r = fmt.Sprintf(`SELECT geo_code, agg, period, grp, sex, num%[1]d AS num, den%[1]d AS den,
       CAST(n%[1]d AS DOUBLE) AS n, %[2]s AS value, %[3]s AS status
FROM iv_emp_cells WHERE n%[1]d > 0 AND gt IN (%[4]s)`, col, value, status, strings.Join(gts, ", "))
	}
	return fmt.Sprintf(`WITH r AS (
%[1]s
)
SELECT r.*, CASE WHEN r.agg THEN mem.members%[2]d END AS members
FROM r LEFT JOIN iv_emp_mem mem ON mem.unit = r.geo_code AND mem.period = r.period AND r.agg
LEFT JOIN iv_expected x ON x.unit = r.geo_code AND x.member_kind = 'kommun'
WHERE NOT r.agg OR (x.expected IS NOT NULL AND mem.members%[2]d >= x.expected * %[3]g AND r.grp NOT LIKE 'ssyk4:%%')`,
		r, col, opts.MinCoverage)
}

// groupTypes maps an indicator's employee groups to iv_emp_cells.gt.
var groupTypes = map[string]string{"total": "t", "ssyk4": "s", "dominance": "d"}

// employeeMedianSQL computes the medians of an employee input over the
// persons. Instead of copying each person into every unit and group it
// counts in (which costs a hash-table insert of a string key per copy),
// one GROUPING SETS pass groups the persons by employer, by pooled county
// (cu: a kommun's county, a region itself) and by Sweden (sw), each with
// the input's groups, with and without sex. Members that are neither a
// kommun nor a region count for themselves only, as in iv_units.
func employeeMedianSQL(ind *Indicator, in *Input, opts *ComputeOptions) string {
	_, _, v, pop := employeeExprs(in)
	var sets []string
	grp, q := "''", "SELECT p.*, NULL AS dclass FROM p"
	if hasGroup(ind, "dominance") {
		grp = "CASE WHEN GROUPING(dclass) = 0 THEN 'dominance:' || dclass ELSE " + grp + " END"
		q = "SELECT p.*, d.dclass FROM p JOIN iv_emp_dom d USING (member, period, occ)"
	}
	if hasGroup(ind, "ssyk4") {
		grp = "CASE WHEN GROUPING(occ) = 0 THEN 'ssyk4:' || occ ELSE " + grp + " END"
	}
	for _, unit := range []string{"member", "cu", "sw"} {
		for _, g := range groupsOf(ind) {
			var keys string
			switch g {
			case "total":
			case "ssyk4":
				if unit != "member" {
					continue // pooled rows are not made per occupational group
				}
				keys = ", occ"
			case "dominance":
				keys = ", dclass"
			default:
				continue
			}
			sets = append(sets, "("+unit+", period"+keys+", sex)", "("+unit+", period"+keys+")")
		}
	}
	return fmt.Sprintf(`WITH x AS (
  SELECT code AS member,
         CASE kind WHEN 'kommun' THEN county_code WHEN 'region' THEN code END AS cu,
         CASE WHEN kind IN ('kommun', 'region') THEN '0000' END AS sw
  FROM geo
),
p AS (
  SELECT e.employer_code AS member, x.cu, x.sw, e.period, e.sex,
         coalesce(nullif(e.occupation_code, ''), 'okänd') AS occ, CAST(%[1]s AS DOUBLE) AS v
  FROM employee e JOIN x ON x.member = e.employer_code
  WHERE coalesce(%[2]s, false)%[3]s
),
q AS (
  %[5]s
)
SELECT CASE WHEN GROUPING(member) = 0 THEN member WHEN GROUPING(cu) = 0 THEN cu ELSE sw END AS geo_code,
       GROUPING(member) = 1 AS agg, period,
       %[6]s AS grp,
       CASE WHEN GROUPING(sex) = 0 THEN sex ELSE 'T' END AS sex,
       CAST(NULL AS DOUBLE) AS num, CAST(NULL AS DOUBLE) AS den, CAST(count(*) AS DOUBLE) AS n,
       median(v) AS value, '' AS status
FROM q GROUP BY GROUPING SETS (%[4]s)
HAVING GROUPING(member) = 0 OR (GROUPING(cu) = 0 AND cu IS NOT NULL) OR (GROUPING(sw) = 0 AND sw IS NOT NULL)`,
		v, pop, periodAnd("e", opts), strings.Join(sets, ", "), q, grp)
}

// employeeFine lists the employee inputs of a Compute run; prepareEmployee
// sums each into its own columns of iv_emp_fine in one pass over employee.
type employeeFine struct {
	cols map[string]int // input signature → column set
	sel  []string       // the aggregate columns of iv_emp_fine
}

func employeeSignature(in *Input) string {
	num, den, v, pop := employeeExprs(in)
	return strings.Join([]string{num, den, v, pop}, "\x00")
}

// add registers an input and returns its column set.
func (f *employeeFine) add(in *Input) int {
	sig := employeeSignature(in)
	if c, ok := f.cols[sig]; ok {
		return c
	}
	if f.cols == nil {
		f.cols = map[string]int{}
	}
	c := len(f.cols)
	f.cols[sig] = c
	num, den, _, pop := employeeExprs(in)
	in0 := fmt.Sprintf("coalesce(%s, false)", pop)
	f.sel = append(f.sel, fmt.Sprintf(`count(*) FILTER (WHERE %[1]s) AS n%[4]d,
       sum(CAST(%[2]s AS DOUBLE)) FILTER (WHERE %[1]s) AS num%[4]d,
       sum(CAST(%[3]s AS DOUBLE)) FILTER (WHERE %[1]s) AS den%[4]d`, in0, num, den, c))
	return c
}

// col returns the column set of a registered input.
func (f *employeeFine) col(in *Input) (int, bool) {
	c, ok := f.cols[employeeSignature(in)]
	return c, ok
}

// fineSQL sums every registered input per employer, period, occupational
// group (SSYK 4; "okänd" when unknown) and sex. cnt counts everyone, for
// the dominance classes.
func (f *employeeFine) fineSQL(opts *ComputeOptions) string {
	sel := ""
	for _, s := range f.sel {
		sel += ",\n       " + s
	}
	return fmt.Sprintf(`SELECT e.employer_code AS member, e.period, e.sex,
       coalesce(nullif(e.occupation_code, ''), 'okänd') AS occ,
       count(*) AS cnt%[1]s
FROM employee e %[2]s
GROUP BY ALL`, sel, periodWhere("e", opts))
}

// cellsSQL pools the fine cells into every unit they count in (iv_units:
// the employer itself, and its county and Sweden, pooled), every group
// (gt t: everyone, s: the occupational group, employers only; d: the
// dominance class) and sex (K or M, and T for both), for every input at
// once: one plain GROUP BY, much cheaper than GROUPING SETS per input.
func (f *employeeFine) cellsSQL() string {
	var sums []string
	for c := range len(f.cols) {
		sums = append(sums, fmt.Sprintf("sum(n%[1]d) AS n%[1]d, sum(num%[1]d) AS num%[1]d, sum(den%[1]d) AS den%[1]d", c))
	}
	return `WITH u AS (
  SELECT m.unit, m.agg, f.*, d.dclass
  FROM iv_emp_fine f JOIN iv_emp_dom d USING (member, period, occ) JOIN iv_units m ON m.member = f.member
),
g AS (
  SELECT u.*, 't' AS gt, '' AS grp FROM u
  UNION ALL SELECT u.*, 's', 'ssyk4:' || occ FROM u WHERE NOT u.agg
  UNION ALL SELECT u.*, 'd', 'dominance:' || dclass FROM u
),
s AS (
  SELECT g.*, g.sex AS sx FROM g UNION ALL SELECT g.*, 'T' FROM g
)
SELECT unit AS geo_code, agg, period, gt, grp, sx AS sex,
       ` + strings.Join(sums, ",\n       ") + `
FROM s GROUP BY unit, agg, period, gt, grp, sx`
}

// memSQL counts, per pooled unit, period and input, the member kommuner
// with at least one person in the input's population.
func (f *employeeFine) memSQL() string {
	var ns, ms []string
	for c := range len(f.cols) {
		ns = append(ns, fmt.Sprintf("sum(f.n%[1]d) AS n%[1]d", c))
		ms = append(ms, fmt.Sprintf("count(*) FILTER (WHERE n%[1]d > 0) AS members%[1]d", c))
	}
	return `SELECT unit, period, ` + strings.Join(ms, ", ") + `
FROM (
  SELECT m.unit, f.period, f.member, ` + strings.Join(ns, ", ") + `
  FROM iv_emp_fine f JOIN iv_units m ON m.member = f.member
  WHERE m.agg AND m.member_kind = 'kommun'
  GROUP BY m.unit, f.period, f.member
) GROUP BY unit, period`
}

// domSQL classifies each occupational group at an employer by its share
// of women: more than the threshold → female-dominated, more than the
// threshold of men → male-dominated, otherwise mixed ("jämn"). It counts
// everyone in the group, whatever the statistic, from the fine cells.
func domSQL(opts *ComputeOptions) string {
	op := ">"
	if opts.DominanceInclusive {
		op = ">="
	}
	t := fmt.Sprintf("%g", opts.DominanceThreshold)
	// BIGINT counts, like count(*) over the persons: the same double share.
	return fmt.Sprintf(`SELECT member, period, occ,
  CASE WHEN 100.0 * CAST(coalesce(sum(cnt) FILTER (WHERE sex = 'K'), 0) AS BIGINT) / CAST(sum(cnt) AS BIGINT) %[1]s %[2]s THEN 'female'
       WHEN 100.0 * CAST(coalesce(sum(cnt) FILTER (WHERE sex = 'M'), 0) AS BIGINT) / CAST(sum(cnt) AS BIGINT) %[1]s %[2]s THEN 'male'
       ELSE 'mixed' END AS dclass
FROM iv_emp_fine GROUP BY member, period, occ`, op, t)
}

// periodAnd is periodWhere as an extra AND condition.
func periodAnd(alias string, opts *ComputeOptions) string {
	if len(opts.Years) == 0 {
		return ""
	}
	return " AND " + alias + ".period IN (" + sqlList(opts.Years) + ")"
}

func periodWhere(alias string, opts *ComputeOptions) string {
	if len(opts.Years) == 0 {
		return ""
	}
	return "WHERE " + alias + ".period IN (" + sqlList(opts.Years) + ")"
}

// observationBaseSQL is the base query of an observation measure.
func observationBaseSQL(ind *Indicator, in *Input, m *Measure, opts *ComputeOptions) string {
	conds := []string{"o.measure = " + sqlString(in.Measure)}
	if len(opts.Years) > 0 {
		conds = append(conds, "o.period IN ("+sqlList(opts.Years)+")")
	}
	keys := sortedKeys(in.Dims)
	for _, k := range keys {
		conds = append(conds, fmt.Sprintf("json_extract_string(o.dims, %s) = %s", sqlString(`$."`+strings.ReplaceAll(k, `"`, `\"`)+`"`), sqlString(in.Dims[k])))
	}
	switch in.Sector {
	case "":
	case "all":
		// SCB's "0 all sectors" is stored as no sector split.
		conds = append(conds, "coalesce(o.sector, '') = ''")
	default:
		conds = append(conds, "o.sector = "+sqlString(in.Sector))
	}
	geo := "o.geo_code"
	if m.GeoDim != "" {
		geo = fmt.Sprintf("coalesce(nullif(o.geo_code, ''), split_part(trim(json_extract_string(o.dims, %s)), ' ', 1))", sqlString(`$."`+m.GeoDim+`"`))
	}
	grp := "''"
	if hasGroup(ind, "occupation") {
		grp = "CASE WHEN coalesce(o.occupation_code, '') = '' THEN '' ELSE 'occupation:' || o.occupation_code END"
	}
	persons := "false"
	if m.Persons {
		persons = "true"
	}
	nExpr := "o.n"
	if m.Count == "members" {
		nExpr = "CAST(NULL AS DOUBLE)"
	}
	// Direct rows: the geography's own cells. stat sum adds the rows that
	// match (e.g. over age and marital status); a NULL among them makes the
	// sum NULL with the source's status. stat value wants one row per cell.
	var direct string
	if in.Stat == "sum" {
		direct = fmt.Sprintf(`SELECT member, period, grp, sex,
         CASE WHEN count(value) = count(*) THEN sum(value) END AS num,
         CAST(NULL AS DOUBLE) AS den,
         CASE WHEN %[1]s AND count(value) = count(*) THEN sum(value) WHEN count(n) = count(*) THEN sum(n) END AS n,
         CASE WHEN count(value) = count(*) THEN sum(value) END AS value,
         CASE WHEN count(value) = count(*) THEN '' ELSE coalesce(max(nullif(status, '')), 'missing') END AS status
  FROM o GROUP BY member, period, grp, sex`, persons)
	} else {
		direct = `SELECT member, period, grp, sex,
         CASE WHEN count(*) = 1 THEN max(value * n) END AS num,
         CASE WHEN count(*) = 1 THEN max(n) END AS den,
         CASE WHEN count(*) = 1 THEN max(n) END AS n,
         CASE WHEN count(*) = 1 THEN max(value) END AS value,
         CASE WHEN count(*) > 1 THEN 'ambiguous: ' || count(*) || ' rows (add a dims filter)'
              WHEN count(value) = 1 THEN '' ELSE coalesce(max(nullif(status, '')), 'missing') END AS status
  FROM o GROUP BY member, period, grp, sex`
	}
	// The total (T) for sources that publish only women and men is their
	// sum, for counts; a published T is kept as it is.
	deriveT := ""
	if in.Stat == "sum" {
		deriveT = `UNION ALL
  SELECT member, period, grp, 'T', CASE WHEN count(num) = 2 THEN sum(num) END, NULL,
         CASE WHEN count(n) = 2 THEN sum(n) END, CASE WHEN count(num) = 2 THEN sum(num) END,
         CASE WHEN count(num) = 2 THEN '' ELSE coalesce(max(nullif(status, '')), '..') END
  FROM d0 WHERE sex IN ('K', 'M')
  GROUP BY member, period, grp
  HAVING count(*) = 2 AND NOT EXISTS (SELECT 1 FROM d0 t WHERE t.sex = 'T' AND t.member = d0.member AND t.period = d0.period AND t.grp = d0.grp)`
	}
	// Aggregated rows pool the finest level present in each period (kommuner
	// when there are any, else counties) into counties and Sweden: sums for
	// counts, n-weighted means for published values with counts. A member
	// whose cell is NULL makes the pooled cell NULL: it cannot be known.
	aggValue := "CASE WHEN count(d.num) = count(*) THEN sum(d.num) END"
	aggStatus := "CASE WHEN count(d.num) = count(*) THEN '' ELSE '..' END"
	if in.Stat != "sum" {
		aggValue = "CASE WHEN count(d.num) = count(*) AND sum(d.den) > 0 THEN sum(d.num) / sum(d.den) END"
	}
	return fmt.Sprintf(`WITH o AS (
  SELECT %[1]s AS member, o.period, o.sex, %[2]s AS grp, o.value, %[9]s AS n, o.status
  FROM observation o WHERE %[3]s
),
d0 AS (%[4]s),
d AS (SELECT * FROM d0 %[5]s),
lv AS (
  SELECT d.*, g.kind AS kind FROM d LEFT JOIN geo g ON g.code = d.member
),
finest AS (
  SELECT period, CASE min(CASE kind WHEN 'kommun' THEN 1 WHEN 'region' THEN 2 END) WHEN 1 THEN 'kommun' WHEN 2 THEN 'region' END AS kind
  FROM lv GROUP BY period
),
direct AS (
  SELECT member AS geo_code, false AS agg, period, grp, sex, num, den, n, value, status, CAST(NULL AS BIGINT) AS members FROM d
),
pooled AS (
  SELECT m.unit AS geo_code, true AS agg, d.period, d.grp, d.sex,
         CASE WHEN count(d.num) = count(*) THEN sum(d.num) END AS num,
         CASE WHEN count(d.den) = count(*) THEN sum(d.den) END AS den,
         CASE WHEN count(d.n) = count(*) THEN sum(d.n) END AS n,
         %[6]s AS value, %[7]s AS status,
         count(DISTINCT d.member) AS members
  FROM lv d JOIN finest f ON f.period = d.period AND f.kind = d.kind
  JOIN iv_units m ON m.member = d.member AND m.agg
  GROUP BY m.unit, d.period, d.grp, d.sex
)
SELECT * FROM direct
UNION ALL
SELECT p.* FROM pooled p JOIN iv_expected x ON x.unit = p.geo_code
  AND x.member_kind = (SELECT f.kind FROM finest f WHERE f.period = p.period)
WHERE p.members >= x.expected * %[8]g`,
		geo, grp, strings.Join(conds, " AND "), direct, deriveT, aggValue, aggStatus, opts.MinCoverage, nExpr)
}
