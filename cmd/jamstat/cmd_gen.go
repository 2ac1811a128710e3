package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/internal/gen"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var (
			cfg   gen.Config
			years string
		)
		cmd := &cobra.Command{
			Use:   "gen --employees N --municipalities all|LL --years Y1-Y2 --format csv|xlsx|parquet|mixed --out DIR [--seed S] [--demo]",
			Short: "Generate synthetic HR register files",
			Long: `gen writes SYNTHETIC HR register extracts, one file per employer (kommun or region) and year, in the
formats analysts receive: Swedish CSV (';', decimal comma, Windows-1252, CRLF) or xlsx (sheet "Anställda"),
with the header of the HR export contract. Wage levels and women's shares per occupation are calibrated on
real SCB figures and headcounts follow each municipality's real population; the same seed and settings
give byte-identical files. --employees is the number of employees a year over all employers in scope:
Sweden's whole municipal and regional sector is about 1 200 000. --demo also writes the Kolada-style
aggregate series of the demo; --faults injects the documented faulty rows that ingest must reject.
The files go under DIR/hr/<year>/; ingest them with 'jamstat ingest --synthetic DIR/hr/*/*'.`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				if cfg.Out == "" {
					return usagef("--out DIR is required")
				}
				y, err := gen.ParseYears(years)
				if err != nil {
					return usageError{err}
				}
				cfg.Years = y
				start := time.Now()
				sum, err := gen.Run(cmd.Context(), cfg)
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				fmt.Fprintf(w, "gen: wrote %d SYNTHETIC HR files (%d employers, years %d–%d, %s) with %d rows, %.1f MB, in %s in %.1f s\n",
					sum.Files, sum.Employers, cfg.Years[0], cfg.Years[1], cfg.Format, sum.Rows, float64(sum.Bytes)/1e6,
					filepath.Join(cfg.Out, "hr"), time.Since(start).Seconds())
				for _, f := range sum.Faults {
					fmt.Fprintf(w, "  injected fault: %s\n", f)
				}
				for _, k := range sum.Kolada {
					fmt.Fprintf(w, "  Kolada-style series: %s\n", filepath.Join(cfg.Out, k))
				}
				return nil
			},
		}
		f := cmd.Flags()
		f.IntVar(&cfg.Employees, "employees", 10000, "employees a year over all employers in scope (about 1200000 for all of Sweden)")
		f.StringVar(&cfg.Municipalities, "municipalities", "all", `"all" (290 kommuner and 21 regions) or a county code such as 14`)
		f.StringVar(&years, "years", "2024", "year or range of years, e.g. 2019-2024")
		f.StringVar(&cfg.Format, "format", gen.FormatCSV, "csv, xlsx, parquet (canonical employee columns, for warehouse-sized runs) or mixed (every third employer xlsx)")
		f.StringVar(&cfg.Out, "out", "", "output directory")
		f.Uint64Var(&cfg.Seed, "seed", 1, "random seed; the same seed and settings give the same files")
		f.BoolVar(&cfg.Demo, "demo", false, "also write the demo's Kolada-style aggregate series")
		f.BoolVar(&cfg.Faults, "faults", false, "inject the documented faulty rows (unknown sex, negative wage, duplicate, zero rate)")
		f.IntVar(&cfg.MinPerEmployer, "min-per-employer", 0, "floor on each employer's headcount")
		f.IntVar(&cfg.Workers, "workers", 2, "employers generated in parallel")
		return cmd
	})
}
