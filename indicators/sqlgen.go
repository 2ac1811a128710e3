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

// dominanceSQL classifies an occupational group at an employer by its
// share of women: more than the threshold → female-dominated, more than the
// threshold of men → male-dominated, otherwise mixed ("jämn").
func dominanceSQL(opts *ComputeOptions) string {
	op := ">"
	if opts.DominanceInclusive {
		op = ">="
	}
	t := fmt.Sprintf("%g", opts.DominanceThreshold)
	return fmt.Sprintf(`CASE WHEN 100.0 * count(*) FILTER (WHERE sex = 'K') / count(*) %[1]s %[2]s THEN 'female'
	     WHEN 100.0 * count(*) FILTER (WHERE sex = 'M') / count(*) %[1]s %[2]s THEN 'male'
	     ELSE 'mixed' END`, op, t)
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

// employeeBaseSQL is the base query of an employee statistic. Pooled
// (county, Sweden) rows are made for everyone and for the dominance
// classes, not for single occupational groups: those would tie the small
// cells of every employer into one disclosure problem (and the comparison
// of groups is made per employer).
func employeeBaseSQL(ind *Indicator, in *Input, opts *ComputeOptions) string {
	var num, den, v, pop string
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
	var value string
	switch in.Employee {
	case "count":
		value = "sum(num)"
	case "median":
		value = "median(v)"
	default:
		value = fmt.Sprintf("CASE WHEN sum(den) = 0 THEN NULL ELSE %g * sum(num) / sum(den) END", in.Scale)
	}
	status := "''"
	if in.Employee != "count" && in.Employee != "median" {
		// A zero denominator (no scheduled hours, no managers) makes the
		// statistic undefined for the cell: Kolada's "." (ej tillämplig).
		status = "CASE WHEN sum(den) = 0 THEN '.' ELSE '' END"
	}
	var grps []string
	for _, g := range groupsOf(ind) {
		switch g {
		case "total":
			grps = append(grps, "''")
		case "ssyk4":
			grps = append(grps, "'ssyk4:' || occ")
		case "dominance":
			grps = append(grps, "'dominance:' || dclass")
		}
	}
	return fmt.Sprintf(`WITH p AS (
  SELECT e.employer_code AS member, e.period, e.sex,
         coalesce(nullif(e.occupation_code, ''), 'okänd') AS occ,
         CAST(%[1]s AS DOUBLE) AS num, CAST(%[2]s AS DOUBLE) AS den, CAST(%[3]s AS DOUBLE) AS v,
         coalesce(%[4]s, false) AS inpop
  FROM employee e %[5]s
),
dom AS (
  SELECT member, period, occ, %[6]s AS dclass FROM p GROUP BY member, period, occ
),
u AS (
  SELECT m.unit, m.agg, m.member_kind, p.member, p.period, p.sex, p.occ, d.dclass, p.num, p.den, p.v
  FROM p JOIN dom d USING (member, period, occ) JOIN iv_units m ON m.member = p.member
  WHERE p.inpop
),
g AS (SELECT u.*, t.grp FROM u, unnest([%[7]s]) AS t(grp)),
r AS (
  SELECT unit AS geo_code, agg, period, grp, coalesce(sex, 'T') AS sex,
         sum(num) AS num, sum(den) AS den, count(*)::DOUBLE AS n,
         %[8]s AS value, %[9]s AS status
  FROM g GROUP BY GROUPING SETS ((unit, agg, period, grp, sex), (unit, agg, period, grp))
),
mem AS (
  SELECT unit, period, count(DISTINCT member) AS members FROM u WHERE agg AND member_kind = 'kommun' GROUP BY unit, period
)
SELECT r.*, CASE WHEN r.agg THEN mem.members END AS members
FROM r LEFT JOIN mem ON mem.unit = r.geo_code AND mem.period = r.period AND r.agg
LEFT JOIN iv_expected x ON x.unit = r.geo_code AND x.member_kind = 'kommun'
WHERE NOT r.agg OR (x.expected IS NOT NULL AND mem.members >= x.expected * %[10]g AND r.grp NOT LIKE 'ssyk4:%%')`,
		num, den, v, pop, periodWhere("e", opts), dominanceSQL(opts), strings.Join(grps, ", "),
		value, status, opts.MinCoverage)
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
