package analysis

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestFormatOLS(t *testing.T) {
	f := readFrame(t, realData("microdata_wooldridge", "wage1.csv"))
	r, err := OLSFromFrame(f, "wage", []string{"female", "educ", "exper", "tenure"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := FormatOLS(&buf, r); err != nil {
		t.Fatal(err)
	}
	golden(t, "ols_wage1_example7_1.golden", buf.Bytes())
}

func TestFormatOaxaca(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    OaxacaOptions
	}{
		{"oaxaca_chicago_delta.golden", OaxacaOptions{Outcome: "ln.real.wage", Group: "female", Vars: []string{"age"}, Normalize: [][]string{chicagoEduc}}},
		{"oaxaca_chicago_nose.golden", OaxacaOptions{Outcome: "ln.real.wage", Group: "female", Vars: []string{"age", "foreign.born"}, Reference: RefGroup2, SE: SENone}},
	} {
		r, err := Oaxaca(chicago(t), tc.o)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := FormatOaxaca(&buf, r); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.name, buf.Bytes())
	}
}
