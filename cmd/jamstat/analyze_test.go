package main

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"
)

func realFile(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "testdata", "real"}, parts...)...)
}

// roundTo rounds x to the number of decimals printed in the textbook.
func roundTo(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}

// TestAnalyzeOLSWooldridge reproduces Wooldridge's Example 7.1 and 7.5 through
// the command line, to every printed digit.
func TestAnalyzeOLSWooldridge(t *testing.T) {
	type coef struct {
		name     string
		printed  float64
		decimals int
	}
	tests := []struct {
		name, outcome, vars string
		coefs               []coef
		r2                  float64
	}{
		{"example 7.1", "wage", "female,educ,exper,tenure", []coef{
			{"_cons", -1.57, 2}, {"female", -1.81, 2}, {"educ", .572, 3}, {"exper", .025, 3}, {"tenure", .141, 3}}, .364},
		{"example 7.5", "lwage", "female,educ,exper,expersq,tenure,tenursq", []coef{
			{"_cons", .417, 3}, {"female", -.297, 3}, {"educ", .080, 3}, {"exper", .0294, 4}, {"expersq", -.00058, 5},
			{"tenure", .0317, 4}, {"tenursq", -.00059, 5}}, .441},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, stderr, code := jamstat(t, "analyze", "ols", "--input", realFile("microdata_wooldridge", "wage1.csv"),
				"--outcome", tt.outcome, "--vars", tt.vars, "--format", "json")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var res struct {
				Coefs []struct {
					Name string  `json:"name"`
					B    float64 `json:"b"`
				} `json:"coefs"`
				N  int     `json:"n"`
				R2 float64 `json:"r2"`
			}
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			got := map[string]float64{}
			for _, c := range res.Coefs {
				got[c.Name] = c.B
			}
			for _, c := range tt.coefs {
				if b, ok := got[c.name]; !ok || roundTo(b, c.decimals) != c.printed {
					t.Errorf("%s = %v, book prints %v", c.name, b, c.printed)
				}
			}
			if res.N != 526 || roundTo(res.R2, 3) != tt.r2 {
				t.Errorf("n = %d, R² = %v; want 526, %v", res.N, res.R2, tt.r2)
			}
		})
	}
}

func TestAnalyzeOaxacaChicago(t *testing.T) {
	out, stderr, code := jamstat(t, "analyze", "oaxaca", "--input", realFile("microdata_chicago_oaxaca", "chicago.csv"),
		"--outcome", "ln.real.wage", "--group", "female", "--vars", "age",
		"--normalize", "LTHS,high.school,some.college,college,advanced.degree", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res struct {
		N, N1, N2, Dropped int
		Difference         float64
		Threefold          struct{ Endowments, Coefficients, Interaction float64 }
		Twofold            struct{ Explained, Unexplained float64 }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.N != 666 || res.N1 != 378 || res.N2 != 288 || res.Dropped != 46 {
		t.Errorf("counts n=%d n1=%d n2=%d dropped=%d; want 666, 378, 288, 46", res.N, res.N1, res.N2, res.Dropped)
	}
	three := res.Threefold.Endowments + res.Threefold.Coefficients + res.Threefold.Interaction
	two := res.Twofold.Explained + res.Twofold.Unexplained
	if math.Abs(three-res.Difference) > 1e-12 || math.Abs(two-res.Difference) > 1e-12 {
		t.Errorf("parts do not sum to the difference %v: threefold %v, twofold %v", res.Difference, three, two)
	}
	if roundTo(res.Difference, 4) != 0.2059 {
		t.Errorf("difference = %v, want 0.2059", res.Difference)
	}
}

func TestAnalyzeUsageErrors(t *testing.T) {
	for _, argv := range [][]string{
		{"analyze", "ols", "--outcome", "wage", "--vars", "female"},
		{"analyze", "ols", "--input", "x.csv"},
		{"analyze", "oaxaca", "--input", "x.csv", "--outcome", "y"},
	} {
		if _, _, code := jamstat(t, argv...); code != 2 {
			t.Errorf("%v: exit %d, want 2", argv, code)
		}
	}
}
