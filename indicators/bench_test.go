package indicators

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/jamstat/jamstat/store"
)

// BenchmarkComputeDemo computes every indicator over the embedded demo
// data (48 000 employees a year over six years, 49 kommuner and the region,
// Kolada and SCB series) in an in-memory database. Besides wall time per
// op it reports the process's CPU seconds per op (user+sys), which is
// steadier on a shared machine.
func BenchmarkComputeDemo(b *testing.B) { benchmarkCompute(b, Compute) }

// BenchmarkComputeDemoLegacy is the same with the original implementation
// kept as the oracle in legacy_test.go, for the ratio.
func BenchmarkComputeDemoLegacy(b *testing.B) { benchmarkCompute(b, legacyCompute) }

func benchmarkCompute(b *testing.B, compute func(context.Context, *store.DB, *Catalogue, ComputeOptions) (Summary, error)) {
	db, cat, _ := loadDemo(b)
	ctx := context.Background()
	cpu0 := cpuTime()
	var rows int64
	for b.Loop() {
		sum, err := compute(ctx, db, cat, ComputeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		rows = sum.Rows
	}
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(rows), "rows")
}

// cpuTime is the user plus system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
