// Command gendemo regenerates jamstat's committed demo data set (the
// SYNTHETIC HR files and Kolada series under data/demo/) byte-identically.
// It runs from `go generate ./data`; `jamstat gen --demo` does the same.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/jamstat/jamstat/internal/gen"
)

func main() {
	out := flag.String("out", "data/demo", "demo directory to write (hr/ and kolada/ are replaced)")
	flag.Parse()
	sum, err := gen.WriteDemo(context.Background(), *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
	fmt.Printf("demo: %d employers, %d HR files, %d rows, %d bytes, %d Kolada series, %d faulty rows\n",
		sum.Employers, sum.Files, sum.Rows, sum.Bytes, len(sum.Kolada), len(sum.Faults))
	for _, f := range sum.Faults {
		fmt.Println("  fault:", f)
	}
}
