package analysis

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkOLS fits 100 000 rows × 10 regressors (plus constant).
func BenchmarkOLS(b *testing.B) {
	const n, k = 100_000, 10
	rng := rand.New(rand.NewPCG(1, 2))
	f := NewFrame("bench", n)
	y := make([]float64, n)
	var vars []string
	for j := range k {
		c := make([]float64, n)
		for i := range c {
			c[i] = rng.NormFloat64()
			y[i] += float64(j+1) * c[i]
		}
		name := fmt.Sprintf("x%d", j)
		_ = f.AddNum(name, c)
		vars = append(vars, name)
	}
	for i := range y {
		y[i] += rng.NormFloat64()
	}
	_ = f.AddNum("y", y)
	b.ResetTimer()
	for b.Loop() {
		if _, err := OLSFromFrame(f, "y", vars); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOaxaca runs the chicago decomposition with normalised education,
// delta-method standard errors, and with a 200-replicate bootstrap.
func BenchmarkOaxaca(b *testing.B) {
	f := chicago(b)
	for _, se := range []struct {
		name string
		o    OaxacaOptions
	}{
		{"delta", OaxacaOptions{}},
		{"bootstrap200", OaxacaOptions{SE: SEBootstrap, Bootstrap: 200, Seed: 1}},
	} {
		o := se.o
		o.Outcome, o.Group, o.Vars, o.Normalize = "ln.real.wage", "female", []string{"age"}, [][]string{chicagoEduc}
		b.Run(se.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Oaxaca(f, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
