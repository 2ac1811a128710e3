package reports

import (
	"bytes"
	"database/sql"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// An employer without a qualifying group (no female- or male-dominated
// occupation with enough employees) has nothing to count or compare: its
// cells are "." (cannot occur), never ".." (withheld), and the legend says
// what "." means here.

func TestGroupOfNoGroupIsAbsent(t *testing.T) {
	g := groupOf(sql.NullString{}, sql.NullString{}, sql.NullInt64{}, sql.NullFloat64{}, sql.NullFloat64{}, sql.NullInt64{}, sql.NullString{})
	if !g.absent() || g.Value.Status != StatusNotApplicable {
		t.Errorf("no group read as %+v", g)
	}
	small := groupOf(sql.NullString{String: "3113", Valid: true}, sql.NullString{String: "Drifttekniker", Valid: true},
		sql.NullInt64{Int64: 3, Valid: true}, sql.NullFloat64{}, sql.NullFloat64{}, sql.NullInt64{}, sql.NullString{String: "suppressed", Valid: true})
	if small.absent() || small.Value.Status != StatusSuppressed {
		t.Errorf("small group read as %+v", small)
	}
}

func TestNoGroupHTML(t *testing.T) {
	for _, lang := range []string{"sv", "en"} {
		r := fixtureWork(lang)
		e := &r.Conditions[0].Employers[3] // Åmål
		e.MaleGroup = Group{Value: Value{Status: StatusNotApplicable}}
		e.Difference, e.CILow, e.CIHigh, e.Distinguishable = nil, nil, nil, false
		var buf bytes.Buffer
		if err := WriteWorkConditionsHTML(&buf, r); err != nil {
			t.Fatal(err)
		}
		doc := checkAccessibleHTML(t, buf.Bytes(), lang)
		rows := rowsOf(doc, withUnit(r.Conditions[0].Title, r.Conditions[0].Unit))
		amal := rows[3]
		// condition, female group, n, value, male group, n, value, difference, CI, distinguishable
		want := []string{tr(lang, "no_male_group"), ".", ".", ".", ".", "."}
		if got := amal[4:]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: row without a male-dominated group %q, want %q", lang, got, want)
		}
		if amal[2] != "123" {
			t.Errorf("%s: the female group's count %q", lang, amal[2])
		}
		legend := rowsOf(doc, ".")
		if len(legend) != 1 || !strings.Contains(legend[0][1], pick(lang == "en", "ingen yrkesgrupp", "no occupation")) {
			t.Errorf("%s: legend for \".\": %q", lang, legend)
		}
	}
}

func TestNoGroupSheet(t *testing.T) {
	s := syntheticSheet(Geo{"1401", "Härryda"}, Geo{"14", "Västra Götalands län"}, 1)
	c := &s.WorkConditions[1]
	c.FemaleGroup = Group{Value: Value{Status: StatusNotApplicable}}
	c.Difference, c.CILow, c.CIHigh, c.Distinguishable = nil, nil, nil, false
	var buf bytes.Buffer
	if err := WriteMunicipalitySheet(&buf, s); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := sheetName(tr("sv", "work_conditions"))
	_, body := sheetTable(t, f, sheet, tr("sv", "condition"))
	row := body[1]
	// condition, unit, female group, n, share, value, male group, n, share, value, difference, CI low, CI high, distinguishable
	if got := strings.Join([]string{cellAt(row, 2), cellAt(row, 3), cellAt(row, 4), cellAt(row, 5)}, "|"); got != tr("sv", "no_female_group")+"|.|.|." {
		t.Errorf("female side without a group: %q", got)
	}
	if got := strings.Join(row[10:14], "|"); got != ".|.|.|." {
		t.Errorf("comparison without a group: %q", got)
	}
	if cellAt(row, 7) != "20" {
		t.Errorf("male group's count %q", cellAt(row, 7))
	}
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 1 && r[0] == "." {
			found = strings.Contains(r[1], "ingen yrkesgrupp")
		}
	}
	if !found {
		t.Error("the working-conditions legend does not say what \".\" means there")
	}
}
