package data

import (
	"embed"
	"io/fs"
)

// indicatorsFS holds the indicator definitions (data/indicators/*.yaml): what
// each indicator computes from the canonical tables and which goals and
// delmål it follows up. Package indicators reads and validates them.
//
//go:embed indicators/*.yaml
var indicatorsFS embed.FS

// Indicators returns the embedded indicator definitions rooted at
// data/indicators/, so file names look like "arbetsvillkor.yaml".
func Indicators() fs.FS {
	sub, err := fs.Sub(indicatorsFS, "indicators")
	if err != nil {
		// fs.Sub fails only for an invalid path name; "indicators" is valid.
		panic(err)
	}
	return sub
}
