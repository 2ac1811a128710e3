package ingest

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const realAPI = "../testdata/real/se_scb_pxweb_api_fixtures"

func TestJSONStatTAB5974(t *testing.T) {
	sink, meta := parseReal(t, filepath.Join(realAPI, "scb_v2_TAB5974_jsonstat2_age0_by_sex_2026.json"), FormatJSONStat)
	if meta.RowsRead != 2 || len(sink.Rejected) != 0 || meta.Source != "SCB" ||
		meta.Title != "Folkmängd 31 dec, antal efter inrikes/utrikes född, ålder, kön och år" {
		t.Fatalf("meta %+v, rejected %v", meta, sink.Rejected)
	}
	want := map[string]float64{SexMen: 50080, SexWomen: 47361}
	for _, o := range sink.Observations {
		if o.Measure != "000005NO" || o.Unit != "antal" || o.Period != "2026" || o.GeoCode != "" || o.Status != "" ||
			o.Dims["InrikesUtrikes"] != "83" || o.Dims["Alder"] != "0" || len(o.Dims) != 2 {
			t.Errorf("observation %+v", o)
		}
		if w, ok := want[o.Sex]; !ok || *o.Value != w {
			t.Errorf("sex %s = %v, want %v", o.Sex, *o.Value, w)
		}
		delete(want, o.Sex)
	}
	if len(want) != 0 {
		t.Errorf("missing sexes %v", want)
	}
}

func TestJSONStatForms(t *testing.T) {
	// Sparse value and status objects, a status string for all cells, a
	// collection of embedded datasets, a geo role and a one-category
	// dimension with no index.
	ds := func(value, status string) string {
		return `{"class":"dataset","label":"Lön per region","id":["Region","Kön","År"],"size":[2,2,1],
		"role":{"geo":["Region"],"time":["År"]},
		"dimension":{"Region":{"category":{"index":["1480","0014"]}},
		"Kön":{"label":"kön","category":{"index":{"K":0,"M":1}}},
		"År":{"category":{"label":{"2024":"2024"}}}},
		"value":` + value + status + `}`
	}
	tests := []struct {
		name  string
		src   string
		want  []string // geo/sex/period=value|status per observation
		count int
	}{
		{"dense", ds(`[1,2,null,4]`, `,"status":[null,null,"..",null]`), []string{"1480/K/2024=1", "1480/M/2024=2", "14/K/2024=..", "14/M/2024=4"}, 4},
		{"sparse", ds(`{"3":4,"0":1,"2":null}`, `,"status":{"2":"."}`), []string{"1480/K/2024=1", "14/K/2024=.", "14/M/2024=4"}, 3},
		{"status string", ds(`[null,null,null,null]`, `,"status":"x"`), []string{"1480/K/2024=x", "1480/M/2024=x", "14/K/2024=x", "14/M/2024=x"}, 4},
		{"null no status", ds(`[null,2,"..","3"]`, ``), []string{"1480/K/2024=missing", "1480/M/2024=2", "14/K/2024=..", "14/M/2024=3"}, 4},
		{"collection", `{"class":"collection","link":{"item":[` + ds(`[1,2,3,4]`, ``) + `,` + ds(`[5,6,7,8]`, ``) + `]}}`, nil, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sink MemorySink
			meta, err := Parse(strings.NewReader(tt.src), int64(len(tt.src)), Options{File: "x.json"}, &sink)
			if err != nil {
				t.Fatal(err)
			}
			if meta.Format != string(FormatJSONStat) || meta.RowsRead != tt.count || len(sink.Observations) != tt.count {
				t.Fatalf("meta %+v, %d observations, %v", meta, len(sink.Observations), sink.Rejected)
			}
			for i, w := range tt.want {
				o := sink.Observations[i]
				got := o.GeoCode + "/" + o.Sex + "/" + o.Period + "="
				if o.Value != nil {
					got += strconv.FormatFloat(*o.Value, 'f', -1, 64)
				} else {
					got += o.Status
				}
				if got != w || o.Measure != "lon_per_region" {
					t.Errorf("obs %d = %s (%s), want %s", i, got, o.Measure, w)
				}
			}
		})
	}
}
