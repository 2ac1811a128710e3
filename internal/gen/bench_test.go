package gen

import (
	"context"
	"io"
	"testing"
)

// BenchmarkGenerateCSV streams one year of the whole national municipal
// sector (1.2 million employees, 290 kommuner and 21 regions) as
// Swedish CSV to io.Discard on one goroutine and reports rows/s.
func BenchmarkGenerateCSV(b *testing.B) {
	cfg := Config{Seed: 1, Employees: 1_200_000, Municipalities: "all", Years: [2]int{2024, 2024}, Format: FormatCSV}
	if _, err := loadCalibration(); err != nil {
		b.Fatal(err)
	}
	rows := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sum, err := Employees(cfg, NewCSVWriter(io.Discard))
		if err != nil {
			b.Fatal(err)
		}
		rows += sum.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRunCSVFiles writes real files (one per employer) for 200 000
// employees a year, two workers, and reports rows/s and MB/s.
func BenchmarkRunCSVFiles(b *testing.B) {
	rows, bytes := 0, int64(0)
	for i := 0; i < b.N; i++ {
		cfg := Config{Seed: 1, Employees: 200_000, Municipalities: "all", Years: [2]int{2024, 2024}, Format: FormatCSV, Out: b.TempDir(), Workers: 2}
		sum, err := Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		rows += sum.Rows
		bytes += sum.Bytes
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
}

// BenchmarkRunXLSXFiles is the same through excelize's StreamWriter.
func BenchmarkRunXLSXFiles(b *testing.B) {
	rows := 0
	for i := 0; i < b.N; i++ {
		cfg := Config{Seed: 1, Employees: 50_000, Municipalities: "all", Years: [2]int{2024, 2024}, Format: FormatXLSX, Out: b.TempDir(), Workers: 2}
		sum, err := Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		rows += sum.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
