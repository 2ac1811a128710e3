package gen

import (
	"bytes"
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const demoDir = "../../data/demo"

// TestDemoReproducesCommitted regenerates the demo set and checks that
// every committed HR and Kolada file has the same sha256 as the
// regenerated one, and that nothing is missing or extra.
func TestDemoReproducesCommitted(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates the whole demo")
	}
	dir := t.TempDir()
	sum, err := WriteDemo(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	got := readTree(t, dir)
	committed := map[string][]byte{}
	for name, b := range readTree(t, demoDir) {
		if strings.HasPrefix(name, "hr/") || strings.HasPrefix(name, "kolada/") {
			committed[name] = b
		}
	}
	if len(committed) != len(got) {
		t.Errorf("committed demo has %d generated files, the generator writes %d (run go generate ./data)", len(committed), len(got))
	}
	for name, b := range got {
		if sha256.Sum256(b) != sha256.Sum256(committed[name]) {
			t.Errorf("%s: committed file differs from the generator's (run go generate ./data)", name)
		}
	}
	// The README lists every injected fault where it is.
	readme, err := os.ReadFile(filepath.Join(demoDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Faults) != 4 {
		t.Errorf("demo has %d faults, want 4", len(sum.Faults))
	}
	for _, f := range sum.Faults {
		if !bytes.Contains(readme, []byte(f.String())) {
			t.Errorf("README does not list fault %q", f.String())
		}
	}
	var total int64
	for _, b := range readTree(t, demoDir) {
		total += int64(len(b))
	}
	if total > 8_200_000 {
		t.Errorf("demo set is %d bytes, budget about 8 MB", total)
	}
}
