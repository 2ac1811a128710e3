package gen

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestKPIsAreKolada checks every KPI id and title against Kolada's KPI
// catalogue (testdata/real), and that the gendered ones are the ones
// Kolada divides by gender.
func TestKPIsAreKolada(t *testing.T) {
	f, err := os.Open("../../testdata/real/se_kolada_metadata_rkolada/kolada_kpi_metadata.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	meta := map[string][]string{}
	for _, r := range recs[1:] {
		meta[r[0]] = r
	}
	delmal := map[int]bool{}
	for _, k := range KPIs {
		m, ok := meta[k.ID]
		if !ok {
			t.Errorf("%s is not a Kolada KPI", k.ID)
			continue
		}
		if m[1] != k.Title {
			t.Errorf("%s title %q, Kolada's is %q", k.ID, k.Title, m[1])
		}
		if (m[3] == "TRUE") != k.Gendered {
			t.Errorf("%s: gendered=%v but Kolada is_divided_by_gender=%s", k.ID, k.Gendered, m[3])
		}
		if m[4] != k.Type {
			t.Errorf("%s: type %s, Kolada's municipality_type %s", k.ID, k.Type, m[4])
		}
		delmal[k.Delmal] = true
	}
	for d := 1; d <= 6; d++ {
		if !delmal[d] {
			t.Errorf("no KPI follows up delmål %d", d)
		}
	}
}

func TestKoladaFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := smallConfig(dir)
	cfg.Demo = true
	cfg.Years = [2]int{2019, 2024}
	sum, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Kolada) != len(KPIs) {
		t.Fatalf("%d Kolada files, want %d", len(sum.Kolada), len(KPIs))
	}
	suppressed := 0
	for _, k := range KPIs {
		b, err := os.ReadFile(filepath.Join(dir, "kolada", k.ID+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Values []koladaRow `json:"values"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatalf("%s: %v", k.ID, err)
		}
		geos := map[string]int{}
		for _, r := range doc.Values {
			if r.KPI != k.ID {
				t.Fatalf("%s: row for %s", k.ID, r.KPI)
			}
			geos[r.Municipality]++
			want := 1
			if k.Gendered {
				want = 3
			}
			if len(r.Values) != want {
				t.Fatalf("%s %s %d: %d values", k.ID, r.Municipality, r.Period, len(r.Values))
			}
			for _, v := range r.Values {
				if v.Value == nil {
					suppressed++
					if v.Status != ".." {
						t.Errorf("%s %s %d %s: null value with status %q", k.ID, r.Municipality, r.Period, v.Gender, v.Status)
					}
				} else if v.Status != "" {
					t.Errorf("%s %s: value with status %q", k.ID, r.Municipality, v.Status)
				}
			}
		}
		wantGeos := 51
		if k.Type == "L" {
			wantGeos = 2
		}
		if len(geos) != wantGeos || geos["0000"] != 6 || geos["0014"] != 6 {
			t.Errorf("%s: %d geographies (Sweden %d, county %d rows), want %d", k.ID, len(geos), geos["0000"], geos["0014"], wantGeos)
		}
	}
	if suppressed == 0 {
		t.Error("no suppressed cell in any series")
	}
}

// TestKoladaHRConsistent checks that N00090 for a kommun equals the sick
// leave computed from that kommun's own HR file rows.
func TestKoladaHRConsistent(t *testing.T) {
	dir := t.TempDir()
	cfg := smallConfig(dir)
	cfg.Demo, cfg.Faults = true, false
	if _, err := Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	st := newHRStats()
	one := cfg
	one.Municipalities = "14"
	var c rowCollector
	if _, err := Employees(one, &c); err != nil {
		t.Fatal(err)
	}
	for i := range c.rows {
		if c.rows[i].Employer == "1401" {
			st.observe(&c.rows[i])
		}
	}
	a := st.byYear[2024][0]
	want := round(100*a.sick/a.sched, 1)
	b, err := os.ReadFile(filepath.Join(dir, "kolada", "N00090.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Values []koladaRow `json:"values"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range doc.Values {
		if r.Municipality == "1401" && r.Period == 2024 {
			found = true
			if r.Values[0].Gender != "K" || r.Values[0].Value == nil || *r.Values[0].Value != want {
				t.Errorf("N00090 1401 2024 K = %+v, want %.1f", r.Values[0], want)
			}
		}
	}
	if !found {
		t.Error("no N00090 row for 1401 2024")
	}
}

type rowCollector struct{ rows []Row }

func (c *rowCollector) Begin(FileInfo) error { return nil }
func (c *rowCollector) End() error           { return nil }
func (c *rowCollector) Write(r *Row) error   { c.rows = append(c.rows, *r); return nil }
