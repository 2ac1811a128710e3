package gen

import (
	"fmt"
	"io"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// FormatParquet writes HR files as Parquet with the canonical column names
// of the employee table (period, employer_code, person_key, sex, …), the
// shape a data warehouse hands over and DuckDB reads natively. Unlike CSV
// and xlsx it carries the values already decoded: contract as
// tillsvidare/visstid/timavlönad, booleans as booleans, hourly_paid and
// sector derived as ingest derives them from the CSV flavour, so the same
// generator run loads the same employee rows whichever format it took.
const FormatParquet = "parquet"

// parquetRowGroup is the rows per record batch and row group: large enough
// for DuckDB to scan in parallel, small enough to keep a writer's memory
// bounded (about 10 MB of builders) at national size.
const parquetRowGroup = 128 * 1024

var parquetSchema = arrow.NewSchema([]arrow.Field{
	{Name: "period", Type: arrow.BinaryTypes.String},
	{Name: "employer_code", Type: arrow.BinaryTypes.String},
	{Name: "person_key", Type: arrow.BinaryTypes.String},
	{Name: "sex", Type: arrow.BinaryTypes.String},
	{Name: "birth_year", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "occupation_code", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "aid_code", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "occupation_label", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "monthly_wage_fte", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "employment_rate", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "contract", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "hourly_paid", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "scheduled_hours", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "sick_leave_hours", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "is_manager", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "education", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "sector", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "flextime", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "split_shifts", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "evening_weekend", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "line", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// canonicalContract is the employee table's word for each label the
// generator writes (contractLabels).
var canonicalContract = map[string]string{"Tillsvidare": "tillsvidare", "Visstid": "visstid", "Timavlönad": "timavlönad"}

// ParquetWriter writes one Parquet file per Begin/End, zstd-compressed,
// in row groups of parquetRowGroup rows.
type ParquetWriter struct {
	out  io.Writer
	fw   *pqarrow.FileWriter
	b    *array.RecordBuilder
	rows int // rows written to the current file, for the line column
}

// NewParquetWriter writes to w; call Begin for each file. It never closes
// w (the Parquet library closes any io.Closer it is given, so w is hidden
// behind a plain io.Writer): the caller owns it.
func NewParquetWriter(w io.Writer) *ParquetWriter {
	return &ParquetWriter{out: struct{ io.Writer }{w}}
}

// Begin starts a file.
func (p *ParquetWriter) Begin(FileInfo) error {
	if p.fw != nil {
		return fmt.Errorf("parquet: Begin called twice without End")
	}
	props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Zstd), parquet.WithDictionaryDefault(true))
	fw, err := pqarrow.NewFileWriter(parquetSchema, p.out, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	p.fw, p.rows = fw, 0
	p.b = array.NewRecordBuilder(memory.DefaultAllocator, parquetSchema)
	return nil
}

// Write appends one row, flushing a row group when the builders are full.
func (p *ParquetWriter) Write(r *Row) error {
	if p.fw == nil {
		return fmt.Errorf("parquet: Write before Begin")
	}
	p.rows++
	f := p.b.Fields()
	f[0].(*array.StringBuilder).Append(strconv.Itoa(r.Year))
	f[1].(*array.StringBuilder).Append(r.Employer)
	f[2].(*array.StringBuilder).Append(r.PersonKey)
	f[3].(*array.StringBuilder).Append(r.Sex)
	f[4].(*array.Int32Builder).Append(int32(r.BirthYear))
	appendText(f[5], r.SSYK)
	appendText(f[6], r.AID)
	appendText(f[7], r.Title)
	f[8].(*array.Float64Builder).Append(r.Wage)
	f[9].(*array.Float64Builder).Append(r.Rate)
	contract, ok := canonicalContract[r.Contract]
	if !ok {
		// Only fault rows carry other labels; keep them as written so the
		// loader can refuse them visibly.
		contract = r.Contract
	}
	appendText(f[10], contract)
	if contract == "" {
		f[11].AppendNull()
	} else {
		f[11].(*array.BooleanBuilder).Append(contract == "timavlönad")
	}
	f[12].(*array.Float64Builder).Append(r.ScheduledHours)
	f[13].(*array.Float64Builder).Append(r.SickHours)
	f[14].(*array.BooleanBuilder).Append(r.Manager)
	appendText(f[15], r.Education)
	sector := "kommun"
	if len(r.Employer) == 2 {
		sector = "region"
	}
	f[16].(*array.StringBuilder).Append(sector)
	for i, t := range [3]Tri{r.Flextime, r.SplitShifts, r.EveWeekend} {
		switch t {
		case Yes:
			f[17+i].(*array.BooleanBuilder).Append(true)
		case No:
			f[17+i].(*array.BooleanBuilder).Append(false)
		default:
			f[17+i].AppendNull()
		}
	}
	// Line 1 is the header in the CSV flavour; keep the same numbering so
	// a row traces to the same line whichever format it was written in.
	f[20].(*array.Int64Builder).Append(int64(p.rows + 1))
	if f[0].Len() >= parquetRowGroup {
		return p.flush()
	}
	return nil
}

func appendText(b array.Builder, s string) {
	if s == "" {
		b.AppendNull()
		return
	}
	b.(*array.StringBuilder).Append(s)
}

func (p *ParquetWriter) flush() error {
	rec := p.b.NewRecordBatch()
	defer rec.Release()
	if rec.NumRows() == 0 {
		return nil
	}
	if err := p.fw.Write(rec); err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	return nil
}

// End writes the last row group and the footer.
func (p *ParquetWriter) End() error {
	if p.fw == nil {
		return nil
	}
	err := p.flush()
	p.b.Release()
	if cerr := p.fw.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("parquet: %w", cerr)
	}
	p.fw, p.b = nil, nil
	return err
}
