package ingest

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync"
)

// builtinFS holds the built-in specs, one YAML file each.
//
//go:embed specs/*.yaml
var builtinFS embed.FS

var builtinSpecs = sync.OnceValue(func() []*Spec {
	names, err := fs.Glob(builtinFS, "specs/*.yaml")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	out := make([]*Spec, 0, len(names))
	for _, n := range names {
		b, err := builtinFS.ReadFile(n)
		if err != nil {
			panic(err)
		}
		s, err := ParseSpec("ingest/"+n, b)
		if err != nil {
			// The built-in specs are part of the program; TestBuiltinSpecs
			// keeps them valid.
			panic(fmt.Sprintf("built-in spec %s: %v", path.Base(n), err))
		}
		out = append(out, s)
	}
	return out
})

// BuiltinSpecs returns the specs jamstat ships (ingest/specs/*.yaml), in
// file-name order. They are shared: do not modify them.
func BuiltinSpecs() []*Spec { return builtinSpecs() }

// BuiltinSpec returns the built-in spec with the given name.
func BuiltinSpec(name string) (*Spec, bool) {
	for _, s := range BuiltinSpecs() {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}
