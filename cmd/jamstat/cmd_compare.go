package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/analysis/compare"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var o compare.Options
		var level, share, format, out, condFile, areaFile string
		var summaryOnly, noSave bool
		cmd := &cobra.Command{
			Use:   "compare [--year Y] [--county LL] [--level ssyk4|ssyk3|aid] [--min-n N] [--threshold 60] [--inclusive] [--format table|csv|json|xlsx] [--out FILE]",
			Short: "Compare the most female- and male-dominated occupation per employer",
			Long: `For every employer (kommun or region) and year in the loaded HR register data, classify the
occupational groups by share of women (kvinnodominerad above the threshold, mansdominerad when men are
above it, jämn otherwise), pick the most female- and the most male-dominated group with at least
--min-n employees, and compare them on every working condition: both values, the difference with a
confidence interval and whether it is distinguishable from zero; then a county summary of how many
employers the female-dominated group is worse off in. Values resting on fewer than --k persons are
not published (".."). Results are also stored in the tables comparison, comparison_summary and
comparison_run unless --no-save.`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				ctx := cmd.Context()
				switch format {
				case "table", "csv", "json", "xlsx":
				default:
					return usagef("--format must be table, csv, json or xlsx, not %q", format)
				}
				if format == "xlsx" && out == "" {
					return usagef("--format xlsx needs --out FILE")
				}
				o.Level = compare.Level(level)
				o.Share = compare.ShareMetric(share)
				var err error
				if condFile != "" {
					b, err := os.ReadFile(condFile)
					if err != nil {
						return err
					}
					if o.Conditions, err = compare.ParseConditions(b); err != nil {
						return fmt.Errorf("%s: %w", condFile, err)
					}
				}
				if areaFile != "" {
					b, err := os.ReadFile(areaFile)
					if err != nil {
						return err
					}
					if o.Areas, err = compare.ParseAreas(b); err != nil {
						return fmt.Errorf("%s: %w", areaFile, err)
					}
				}
				open := g.open
				if noSave {
					open = g.openReadOnly
				}
				db, err := open(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				res, err := compare.Run(ctx, db, o)
				if err != nil {
					return usageIfOption(err)
				}
				if len(res.Employers) == 0 {
					return fmt.Errorf("compare: no employee rows match (year %q, county %q); load HR register files with `jamstat ingest`", o.Year, o.County)
				}
				if !noSave {
					if err := compare.Save(ctx, db, res); err != nil {
						return err
					}
				}
				w := cmd.OutOrStdout()
				var f *os.File
				if out != "" {
					if f, err = os.Create(out); err != nil {
						return err
					}
					w = f
				}
				bw := bufio.NewWriter(w)
				err = writeComparison(bw, res, format, g.lang, summaryOnly)
				if ferr := bw.Flush(); err == nil {
					err = ferr
				}
				if f != nil {
					if cerr := f.Close(); err == nil {
						err = cerr
					}
					if err == nil {
						fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%d employers)\n", out, len(res.Employers))
					}
				}
				return err
			},
		}
		fl := cmd.Flags()
		fl.StringVar(&o.Year, "year", "", "period to compare, e.g. 2024 (default every period in the data)")
		fl.StringVar(&o.County, "county", "", "län code, e.g. 14: its kommuner and the region (default every employer)")
		fl.StringVar(&level, "level", "ssyk4", "occupational grouping: ssyk4, ssyk3 or aid")
		fl.IntVar(&o.MinN, "min-n", compare.DefaultMinN, "least number of employees a picked group must have (at least --k)")
		fl.IntVar(&o.K, "k", compare.DefaultK, "disclosure threshold: values resting on fewer persons are not published")
		fl.Float64Var(&o.Threshold, "threshold", compare.DefaultThreshold, "share (percent) one sex must exceed for a group to be dominated by it")
		fl.BoolVar(&o.Inclusive, "inclusive", false, "dominated at the threshold too (≥ instead of >)")
		fl.StringVar(&share, "share", "headcount", "share metric: headcount (persons) or fte (årsarbetare, Σ employment rate)")
		fl.IntVar(&o.Bootstrap, "bootstrap", compare.DefaultBootstrap, "bootstrap resamples for medians and ratios")
		fl.Int64Var(&o.Seed, "seed", compare.DefaultSeed, "bootstrap seed")
		fl.StringVar(&condFile, "conditions", "", "YAML list of conditions (default the built-in list)")
		fl.StringVar(&areaFile, "areas", "", "YAML list of management areas for employees per manager (default built in)")
		fl.StringVar(&format, "format", "table", "output format: table, csv, json or xlsx")
		fl.StringVar(&out, "out", "", "write to FILE instead of standard output")
		fl.BoolVar(&summaryOnly, "summary", false, "table, csv: print only the county summary")
		fl.BoolVar(&noSave, "no-save", false, "do not store the results in the database (opens it read-only)")
		return cmd
	})
}

func writeComparison(w io.Writer, res *compare.Result, format, lang string, summaryOnly bool) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if summaryOnly {
			return enc.Encode(res.Summary)
		}
		return enc.Encode(res)
	case "csv":
		if summaryOnly {
			return compare.WriteSummaryCSV(w, res)
		}
		return compare.WriteCSV(w, res)
	case "xlsx":
		return compare.WriteXLSX(w, res, lang)
	default:
		if summaryOnly {
			r := *res
			r.Employers = nil
			return compare.WriteTable(w, &r, lang)
		}
		return compare.WriteTable(w, res, lang)
	}
}

// usageIfOption makes a rejected option (bad level, threshold, min-n < k …)
// a usage error (exit 2); other failures stay errors (exit 1).
func usageIfOption(err error) error {
	if compare.IsOptionError(err) {
		return usageError{err}
	}
	return err
}
