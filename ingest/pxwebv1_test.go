package ingest

import (
	"path/filepath"
	"testing"
)

func TestPxWebV1Real(t *testing.T) {
	sink, meta := parseReal(t, filepath.Join(realAPI, "scb_v1_BefolkningNy_json_region00_OG_age0_men_2024.json"), FormatPxWebV1)
	if meta.RowsRead != 1 || len(sink.Observations) != 1 || meta.Source != "SCB" {
		t.Fatalf("meta %+v, %v", meta, sink.Rejected)
	}
	o := sink.Observations[0]
	if o.Measure != "BE0101N1" || o.GeoCode != "0000" || o.Sex != SexMen || o.Period != "2024" ||
		o.Dims["Civilstand"] != "OG" || o.Dims["Alder"] != "0" || len(o.Dims) != 2 || o.Value == nil || *o.Value != 50937 {
		t.Fatalf("observation %+v", o)
	}
}
