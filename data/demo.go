package data

import (
	"embed"
	"io/fs"
)

// demoFS holds the demo data set: SYNTHETIC HR register extracts and
// Kolada-style series for Västra Götaland (county 14), the real SCB files
// they sit beside, and the calibration tables the generator (internal/gen)
// reads. data/demo/README.md lists every file. Regenerate the synthetic
// files with `go generate ./data` (byte-identical for the same seed).
//
//go:embed demo
var demoFS embed.FS

//go:generate go run github.com/jamstat/jamstat/internal/gen/gendemo -out demo

// Demo returns the embedded demo files rooted at data/demo/, so paths look
// like "hr/2024/anstallda_1480_2024.csv", "kolada/N00090.json",
// "real/SCB_alderkon.csv" and "calibration/wages_se23.csv".
func Demo() fs.FS {
	sub, err := fs.Sub(demoFS, "demo")
	if err != nil {
		// fs.Sub fails only for an invalid path name; "demo" is valid.
		panic(err)
	}
	return sub
}
