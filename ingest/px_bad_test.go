package ingest

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

// TestCubeBadCorpus runs every broken PX, JSON-stat, PxWebApi v1 and Kolada
// file in testdata/bad (see its README.md) and checks the exact outcome: the
// *Error (file, line where known, reason) or the rejected rows.
func TestCubeBadCorpus(t *testing.T) {
	type rej struct {
		line   int
		column string
		reason string // substring
	}
	tests := []struct {
		file    string
		line    int    // expected Error.Line; -1 for "no error"
		reason  string // substring of Error.Reason
		rows    int    // RowsRead when there is no error
		rejects []rej
	}{
		{file: "px_data_count_short.px", line: 13, reason: "DATA has 3 values but VALUES imply 4"},
		{file: "px_data_count_long.px", line: 14, reason: "DATA has more values than the 4 that VALUES imply"},
		{file: "px_truncated_keyword.px", line: 6, reason: "file ends inside a quoted string of VALUES (truncated?)"},
		{file: "px_truncated_before_data.px", line: 7, reason: `file ends inside keyword "DA" (truncated?)`},
		{file: "px_unknown_charset.px", line: 0, reason: `unknown CHARSET "EBCDIC"`},
		{file: "px_unknown_codepage.px", line: 0, reason: `unknown CODEPAGE "koi8-r"`},
		{file: "px_missing_values.px", line: 0, reason: `no VALUES for variable "period"`},
		{file: "px_codes_mismatch.px", line: 10, reason: `CODES("sex") has 3 entries but VALUES has 2`},
		{file: "px_unterminated_string.px", line: 2, reason: "unterminated string in VALUES"},
		{file: "cube_empty.px", line: 0, reason: "file is empty"},
		{file: "px_bad_cell.px", line: -1, rows: 4, rejects: []rej{{13, "", `DATA value "abc" is neither a number nor a symbol`}}},
		{file: "px_unknown_sex.px", line: -1, rows: 6, rejects: []rej{
			{12, "sex", `unknown sex category "9" (other) in sex`}, {13, "sex", `unknown sex category "9" (other) in sex`}}},
		{file: "px_unknown_region.px", line: -1, rows: 6, rejects: []rej{
			{14, "region", `unknown geography "1999 Nowhere" in region`}, {14, "region", `unknown geography "1999 Nowhere" in region`}}},
		{file: "jsonstat_size_mismatch.json", line: 0, reason: "value has 3 entries but size [2 2] implies 4"},
		{file: "jsonstat_status_length.json", line: 0, reason: "status has 1 entries but value has 2"},
		{file: "jsonstat_invalid.json", line: 7, reason: "invalid JSON"},
		{file: "jsonstat_truncated.json", line: 12, reason: "JSON ends early (truncated?)"},
		{file: "jsonstat_link_collection.json", line: 0, reason: "collection item 0 is a link, not an embedded dataset"},
		{file: "jsonstat_bad_cells.json", line: -1, rows: 6, rejects: []rej{
			{0, "", `value "abc" of cell 1 is neither a number nor a symbol`},
			{0, "Kon", `unknown sex category "3" (okänt) in Kon`},
			{0, "Region", `unknown geography "9999" in Region`},
			{0, "Region", `unknown geography "9999" in Region`},
			{0, "Region", `unknown geography "9999" in Region`}}},
		{file: "kolada_nulls_unknown.json", line: -1, rows: 5, rejects: []rej{
			{13, "gender", `unknown gender "X" (Kolada writes T, K or M)`},
			{21, "municipality", `unknown municipality "G12345"`},
			{27, "value", `value "lots" is not a number`}}},
		{file: "kolada_invalid.json", line: 4, reason: "JSON ends early (truncated?)"},
		{file: "kolada_no_values.json", line: 0, reason: `Kolada response has no "values" array`},
		{file: "pxwebv1_bad_row.json", line: -1, rows: 3, rejects: []rej{
			{11, "", "data row has 2 keys and 1 values, columns say 3 and 1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var sink MemorySink
			meta, err := ParseFile(filepath.Join("testdata", "bad", tt.file), Options{}, &sink)
			if tt.line < 0 {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				if meta.RowsRead != tt.rows || meta.RowsRead != len(sink.Observations)+len(sink.Rejected) {
					t.Fatalf("RowsRead %d (want %d), %d observations + %d rejected", meta.RowsRead, tt.rows, len(sink.Observations), len(sink.Rejected))
				}
				if len(sink.Rejected) != len(tt.rejects) {
					t.Fatalf("rejected %d rows, want %d: %v", len(sink.Rejected), len(tt.rejects), sink.Rejected)
				}
				for i, w := range tt.rejects {
					g := sink.Rejected[i]
					if g.Line != w.line || g.Column != w.column || !strings.Contains(g.Reason, w.reason) || g.Raw == "" {
						t.Errorf("rejected %d = %+v, want %+v", i, g, w)
					}
				}
				// Strict mode turns any rejected row into an error.
				var strict MemorySink
				if _, err := ParseFile(filepath.Join("testdata", "bad", tt.file), Options{Strict: true}, &strict); !errors.Is(err, ErrStrict) {
					t.Errorf("strict: err = %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.File != tt.file || e.Line != tt.line || !strings.Contains(e.Reason, tt.reason) {
				t.Fatalf("error = %q (line %d), want line %d and %q", e.Error(), e.Line, tt.line, tt.reason)
			}
		})
	}
}

// TestCubeLimits checks that Options.Limits stops a file with a clear error.
func TestCubeLimits(t *testing.T) {
	long := strings.Repeat("x", 100)
	tests := []struct {
		name, src string
		lim       Limits
		line      int
		reason    string
	}{
		{"px cells", "STUB=\"a\",\"b\";VALUES(\"a\")=\"1\",\"2\";VALUES(\"b\")=\"1\",\"2\";\nDATA=1 2 3 4;", Limits{MaxRows: 3}, 2, "cube has 4 cells, over the limit of 3 rows"},
		{"px value bytes", "TITLE=\"" + long + "\";STUB=\"a\";VALUES(\"a\")=\"1\";DATA=1;", Limits{MaxCellBytes: 50}, 1, "value of TITLE is longer than the limit of 50 bytes"},
		{"px continued value bytes", "TITLE=\"" + long[:40] + "\"\n\"" + long[:40] + "\";STUB=\"a\";VALUES(\"a\")=\"1\";DATA=1;", Limits{MaxCellBytes: 50}, 2, "value of TITLE is longer than the limit of 50 bytes"},
		{"jsonstat cells", `{"class":"dataset","id":["a"],"size":[3],"dimension":{"a":{"category":{"index":["1","2","3"]}}},"value":[1,2,3]}`, Limits{MaxRows: 2}, 0, "cube has 3 cells, over the limit of 2 rows"},
		{"jsonstat category bytes", `{"class":"dataset","id":["a"],"size":[1],"dimension":{"a":{"category":{"index":["` + long + `"]}}},"value":[1]}`, Limits{MaxCellBytes: 50}, 0, "category longer than the limit of 50 bytes"},
		{"kolada rows", `{"values":[{"kpi":"N1","municipality":"1480","period":2023,"values":[{"gender":"T","value":1},{"gender":"K","value":1},{"gender":"M","value":1}]}]}`, Limits{MaxRows: 2}, 1, "more than the limit of 2 rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sink MemorySink
			_, err := Parse(strings.NewReader(tt.src), int64(len(tt.src)), Options{File: "lim", Limits: tt.lim}, &sink)
			var e *Error
			if !errors.As(err, &e) || e.Line != tt.line || !strings.Contains(e.Reason, tt.reason) {
				t.Fatalf("err = %v, want line %d %q", err, tt.line, tt.reason)
			}
		})
	}
}
