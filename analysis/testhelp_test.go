package analysis

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realData is the repository's copy of public test data.
func realData(parts ...string) string {
	return filepath.Join(append([]string{"..", "testdata", "real"}, parts...)...)
}

func readFrame(t testing.TB, path string) *Frame {
	t.Helper()
	fh, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := ReadCSVFrame(fh, filepath.Base(path))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// matchesPrinted reports whether x rounded to as many decimals as printed
// has shows exactly the printed number. printed may omit the leading zero
// (".572", "-.00058") as textbooks do.
func matchesPrinted(x float64, printed string) (string, bool) {
	p := strings.Replace(printed, "−", "-", 1)
	d := 0
	if i := strings.IndexByte(p, '.'); i >= 0 {
		d = len(p) - i - 1
	}
	if strings.HasPrefix(p, ".") {
		p = "0" + p
	} else if strings.HasPrefix(p, "-.") {
		p = "-0" + p[1:]
	}
	got := fmt.Sprintf("%.*f", d, x)
	if got == "-"+strings.Repeat("0", 1)+"."+strings.Repeat("0", d) {
		got = got[1:]
	}
	return got, got == p
}

var nan = math.NaN()

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}
