package main

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/indicators"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var goalsDir string
		cmd := &cobra.Command{
			Use:   "indicators",
			Short: "List, show and compute indicators",
			Long: `indicators works with the indicator definitions under data/indicators/ (each tied to goals
and delmål): list them, show one, or compute them into the indicator_value table for every
kommun, county and Sweden that has inputs, with disclosure control applied.`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		}
		cmd.PersistentFlags().StringVar(&goalsDir, "goals", "", "directory with more goal catalogues (YAML)")
		load := func() (*indicators.Catalogue, error) { return indicators.LoadCatalogue(goalsDir) }

		var format string
		list := &cobra.Command{
			Use:   "list [--format table|csv|json]",
			Short: "List the indicators",
			Args:  args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				cat, err := load()
				if err != nil {
					return err
				}
				t := &table{columns: []string{"id", "kind", "unit", "polarity", "delmal", "goals", "title"}}
				for _, ind := range cat.Indicators {
					t.rows = append(t.rows, []any{ind.ID, string(ind.Kind), ind.Unit, ind.Polarity, joinInts(ind.Delmal), strings.Join(ind.Goals, " "), ind.Title.In(g.lang)})
				}
				return t.write(cmd.OutOrStdout(), format)
			},
		}
		list.Flags().StringVar(&format, "format", "table", "output format: table, csv or json")

		show := &cobra.Command{
			Use:   "show ID",
			Short: "Show one indicator's definition",
			Args:  args(cobra.ExactArgs(1)),
			RunE: func(cmd *cobra.Command, a []string) error {
				cat, err := load()
				if err != nil {
					return err
				}
				ind, ok := cat.Indicator(a[0])
				if !ok {
					return usagef("unknown indicator %q (see `jamstat indicators list`)", a[0])
				}
				w := cmd.OutOrStdout()
				fmt.Fprintf(w, "%s (%s:%d)\n", ind.ID, ind.File, ind.Line)
				fmt.Fprintf(w, "  title:       %s\n  title (en):  %s\n", ind.Title.Sv, ind.Title.En)
				fmt.Fprintf(w, "  description: %s\n  (en):        %s\n", ind.Description.Sv, ind.Description.En)
				fmt.Fprintf(w, "  kind: %s   unit: %s   polarity: %s", ind.Kind, ind.Unit, ind.Polarity)
				if ind.Polarity == indicators.Parity {
					fmt.Fprintf(w, " (target %g)", ind.Target())
				}
				fmt.Fprintf(w, "   goal status follows: %s\n", ind.FollowSeries())
				fmt.Fprintf(w, "  disclosure: cells with fewer than %d persons are suppressed\n", ind.MinN())
				for _, in := range ind.Inputs {
					b, _ := json.Marshal(in)
					fmt.Fprintf(w, "  input: %s\n", b)
				}
				if ind.SQL != "" {
					fmt.Fprintf(w, "  sql:\n    %s\n", strings.ReplaceAll(strings.TrimSpace(ind.SQL), "\n", "\n    "))
				}
				fmt.Fprintf(w, "  delmål: %s\n", joinInts(ind.Delmal))
				for _, id := range ind.Goals {
					gl, _ := cat.Goal(id)
					fmt.Fprintf(w, "  goal %s (%s): %s\n", id, gl.Strategy, gl.Text)
				}
				for _, id := range ind.Areas {
					ar, _ := cat.Area(id)
					fmt.Fprintf(w, "  priority area %s (%s): %s\n", id, ar.Strategy, ar.Name)
				}
				fmt.Fprintf(w, "  source: %s\n  definition: %s\n", ind.Source.In(g.lang), ind.Definition)
				return nil
			},
		}

		var years, geos, ids []string
		var minCoverage, threshold float64
		var inclusive bool
		compute := &cobra.Command{
			Use:   "compute [--year Y]... [--geo CODE]... [--indicator ID]...",
			Short: "Compute indicators into indicator_value, with disclosure control",
			Long: `compute computes every indicator (or those named) for every kommun, employer, county and
Sweden that has inputs, for every period (or those named). County values come as published, pooled
over the members (headcount-weighted) and as the unweighted mean of the kommuner (Kolada-style),
each labelled in the method column. Cells with fewer persons than the indicator's k are suppressed,
and further cells so that none can be recovered from T = K + M or from group and county sums.`,
			Example: `  jamstat indicators compute
  jamstat indicators compute --year 2024 --geo 1480 --geo 14`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				for _, y := range years {
					if _, err := strconv.Atoi(y); err != nil {
						return usagef("--year must be a year, not %q", y)
					}
				}
				cat, err := load()
				if err != nil {
					return err
				}
				ctx := cmd.Context()
				db, err := g.open(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				sum, err := indicators.Compute(ctx, db, cat, indicators.ComputeOptions{
					Years: years, Geos: geos, Indicators: ids, MinCoverage: minCoverage,
					DominanceThreshold: threshold, DominanceInclusive: inclusive,
				})
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "INDICATOR\tROWS\tVALUES\tSUPPRESSED\tOF WHICH SECONDARY\tPERIODS")
				for _, is := range sum.Indicators {
					periods := strings.Join(is.Periods, ",")
					if is.Err != "" {
						periods = "(" + is.Err + ")"
					}
					fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%s\n", is.ID, is.Rows, is.Values, is.Suppressed, is.Secondary, periods)
				}
				tw.Flush()
				fmt.Fprintf(w, "%d indicators, %d rows stored (%d suppressed) in %v\n", len(sum.Indicators), sum.Rows, sum.Suppressed, sum.Elapsed.Round(time.Millisecond))
				return nil
			},
		}
		compute.Flags().StringSliceVar(&years, "year", nil, "period to compute (repeatable); default every period with inputs")
		compute.Flags().StringSliceVar(&geos, "geo", nil, "geography to store (repeatable); default all")
		compute.Flags().StringSliceVar(&ids, "indicator", nil, "indicator id (repeatable); default all")
		compute.Flags().Float64Var(&minCoverage, "min-coverage", 1, "share of member kommuner with inputs needed for a county or Sweden value")
		compute.Flags().Float64Var(&threshold, "dominance-threshold", 60, "percent of one sex above which an occupational group is dominated by it")
		compute.Flags().BoolVar(&inclusive, "dominance-inclusive", false, "count the threshold itself as dominated (≥ instead of >)")

		cmd.AddCommand(list, show, compute)
		return cmd
	})
}
