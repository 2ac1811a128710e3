package ingest

import (
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
)

// obsKey renders the fields a Kolada observation sets, for comparison.
func obsKey(o Observation) string {
	v := "nil"
	if o.Value != nil {
		v = strconv.FormatFloat(*o.Value, 'f', -1, 64)
	}
	n := "nil"
	if o.N != nil {
		n = strconv.FormatFloat(*o.N, 'f', -1, 64)
	}
	return fmt.Sprintf("%s %s %s %s v=%s n=%s st=%q ou=%q", o.Measure, o.GeoCode, o.Period, o.Sex, v, n, o.Status, o.Dims["ou"])
}

func TestKoladaFixtures(t *testing.T) {
	tests := []struct {
		file   string
		want   []string
		reject []string
	}{
		{"kolada_oudata_v3.json", []string{
			`N15033  2020 T v=98.5 n=1 st="" ou="V15E144001301"`,
			`N15033  2020 K v=97 n=1 st="" ou="V15E144001301"`,
		}, []string{`line 10, column isdeleted: entry is marked deleted by Kolada (isdeleted)`}},
		{"kolada_n00090_2023.json", []string{
			`N00090 1480 2023 K v=9.1 n=1 st="" ou=""`,
			`N00090 1480 2023 M v=5.4 n=1 st="" ou=""`,
			`N00090 1480 2023 T v=8.2 n=1 st="" ou=""`,
			`N00090 0180 2023 K v=nil n=1 st=".." ou=""`,
			`N00090 0180 2023 M v=nil n=1 st=".." ou=""`,
			`N00090 0180 2023 T v=7 n=1 st="" ou=""`,
			`N00090 14 2023 K v=8.9 n=49 st="" ou=""`,
			`N00090 14 2023 M v=5.2 n=49 st="" ou=""`,
			`N00090 14 2023 T v=nil n=0 st="missing" ou=""`,
			`N00090 0000 2023 T v=7.6 n=290 st="" ou=""`,
		}, nil},
		{"kolada_ou_bare_array.json", []string{
			`N15033 1480 2022 T v=81.5 n=1 st="" ou="V15E148000101"`,
			`N15033 1480 2022 K v=nil n=1 st="-" ou="V15E148000101"`,
			`N15033 1480 2022 M v=nil n=1 st="." ou="V15E148000101"`,
			`N15033  2022 T v=77 n=1 st="" ou="V15E148000202"`,
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			sink, meta := parseReal(t, filepath.Join("testdata", tt.file), FormatKolada)
			if len(sink.Rejected) != len(tt.reject) || meta.RowsRead != len(tt.want)+len(tt.reject) {
				t.Fatalf("rows %d, rejected %v", meta.RowsRead, sink.Rejected)
			}
			for i, w := range tt.reject {
				if got := sink.Rejected[i].String(); got != w {
					t.Errorf("rejected %d = %s, want %s", i, got, w)
				}
			}
			for i, w := range tt.want {
				if got := obsKey(sink.Observations[i]); got != w {
					t.Errorf("obs %d:\n got %s\nwant %s", i, got, w)
				}
			}
		})
	}
}
