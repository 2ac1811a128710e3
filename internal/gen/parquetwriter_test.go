package gen

import (
	"bytes"
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// TestParquetWriterRoundTrip writes a county's employers into one Parquet
// file, more rows than a row group, and reads it back: every row, the
// canonical schema, decoded contract words and NULL for the survey columns
// of the employers that do not survey.
func TestParquetWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	pw := NewParquetWriter(&buf)
	one := &singleFile{w: pw}
	cfg := Config{Seed: 3, Employees: 150_000, Municipalities: "14", Years: [2]int{2024, 2024}, Format: FormatParquet}
	sum, err := Employees(cfg, one)
	if err != nil {
		t.Fatal(err)
	}
	if err := pw.End(); err != nil {
		t.Fatal(err)
	}
	rdr, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if rdr.NumRowGroups() < 2 {
		t.Errorf("%d row groups for %d rows; want more than one", rdr.NumRowGroups(), sum.Rows)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 1 << 16}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	if int(tbl.NumRows()) != sum.Rows {
		t.Fatalf("read %d rows, wrote %d", tbl.NumRows(), sum.Rows)
	}
	// The reader adds field-id metadata; names, types and nullability must match.
	for i, want := range parquetSchema.Fields() {
		got := tbl.Schema().Field(i)
		if got.Name != want.Name || !arrow.TypeEqual(got.Type, want.Type) || got.Nullable != want.Nullable {
			t.Errorf("field %d = %s %s nullable=%v, want %s %s nullable=%v", i, got.Name, got.Type, got.Nullable, want.Name, want.Type, want.Nullable)
		}
	}
	idx := func(name string) int { return tbl.Schema().FieldIndices(name)[0] }
	contracts := map[string]int{}
	nullFlextime, lastLine := 0, int64(0)
	tr := array.NewTableReader(tbl, 1<<16)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		c := rec.Column(idx("contract")).(*array.String)
		fl := rec.Column(idx("flextime"))
		ln := rec.Column(idx("line")).(*array.Int64)
		for i := 0; i < int(rec.NumRows()); i++ {
			contracts[c.Value(i)]++
			if fl.IsNull(i) {
				nullFlextime++
			}
			if ln.Value(i) != lastLine+1 && lastLine != 0 {
				t.Fatalf("line %d follows %d", ln.Value(i), lastLine)
			}
			lastLine = ln.Value(i)
		}
	}
	for w := range contracts {
		if w != "tillsvidare" && w != "visstid" && w != "timavlönad" {
			t.Errorf("contract %q is not a canonical word", w)
		}
	}
	if contracts["tillsvidare"] == 0 || contracts["visstid"] == 0 {
		t.Errorf("contracts = %v", contracts)
	}
	if nullFlextime == 0 || nullFlextime == sum.Rows {
		t.Errorf("%d of %d rows lack flextime; want the non-surveying employers' rows only", nullFlextime, sum.Rows)
	}
}

// singleFile makes the per-employer stream one file (header once).
type singleFile struct {
	w     EmployeeWriter
	begun bool
}

func (s *singleFile) Begin(fi FileInfo) error {
	if s.begun {
		return nil
	}
	s.begun = true
	return s.w.Begin(fi)
}
func (s *singleFile) Write(r *Row) error { return s.w.Write(r) }
func (s *singleFile) End() error         { return nil }
