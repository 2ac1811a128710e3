package data

import (
	"embed"
	"io/fs"
)

// goalsFS holds the goal catalogues: one YAML file per gender-equality
// strategy (national delmål, länsstrategier). See data/goals/*.yaml and the
// package indicators, which reads and validates them.
//
//go:embed goals/*.yaml
var goalsFS embed.FS

// Goals returns the embedded goal catalogues rooted at data/goals/, so file
// names look like "national.yaml".
func Goals() fs.FS {
	sub, err := fs.Sub(goalsFS, "goals")
	if err != nil {
		// fs.Sub fails only for an invalid path name; "goals" is valid.
		panic(err)
	}
	return sub
}
