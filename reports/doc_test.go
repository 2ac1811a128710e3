package reports

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocMatchesImports keeps the package comment honest about what the
// package reads: it once claimed to import neither store nor DuckDB while
// the builders query the database through store.
func TestDocMatchesImports(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	importsStore := false
	doc := ""
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if af.Doc != nil {
			doc += af.Doc.Text()
		}
		for _, im := range af.Imports {
			if strings.HasSuffix(strings.Trim(im.Path.Value, `"`), "/store") {
				importsStore = true
			}
		}
	}
	if doc == "" {
		t.Fatal("no package comment")
	}
	flat := strings.Join(strings.Fields(doc), " ")
	if importsStore {
		for _, claim := range []string{"imports neither store", "does not import store", "without DuckDB"} {
			if strings.Contains(flat, claim) {
				t.Errorf("package comment says %q, but the package imports store", claim)
			}
		}
		if !strings.Contains(flat, "store") || !strings.Contains(flat, "database") {
			t.Error("package comment does not say the builders read the database through store")
		}
	}
}
