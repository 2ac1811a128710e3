package data

import "testing"

func TestGeosCounts(t *testing.T) {
	geos, err := Geos()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, g := range geos {
		count[g.Kind]++
	}
	if count[KindKommun] != 290 || count[KindRegion] != 21 || count[KindRiket] != 1 {
		t.Fatalf("counts = %v, want 290 kommuner, 21 regions, 1 riket", count)
	}
	vg := 0
	for _, g := range geos {
		if g.Kind == KindKommun && g.CountyCode == "14" {
			vg++
		}
	}
	if vg != 49 {
		t.Errorf("Västra Götaland has %d kommuner, want 49", vg)
	}
}

func TestNormalizeGeoCode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"1480", "1480", true},
		{"0180", "0180", true},
		{"180", "0180", true},
		{"0014", "14", true},
		{"14", "14", true},
		{"00", "0000", true},
		{"0000", "0000", true},
		{"1", "01", true},
		{"9999", "", false},
		{"", "", false},
		{"abc", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeGeoCode(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeGeoCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestGeoByName(t *testing.T) {
	g, ok := GeoByName("göteborg")
	if !ok || g.Code != "1480" || g.CountyCode != "14" || g.NUTS2 != "SE23" {
		t.Fatalf("GeoByName(göteborg) = %+v, %v", g, ok)
	}
	if g, ok := GeoByName("Västra Götalands län"); !ok || g.Code != "14" {
		t.Fatalf("county by name = %+v, %v", g, ok)
	}
}
