package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var format string
		cmd := &cobra.Command{
			Use:   "query [--format csv|json|table] SQL",
			Short: "Run read-only SQL against the database and print the result",
			Long: `query opens the database read-only and runs one SQL statement; writes are refused.
Tables: geo, occupation, dataset, observation, employee, rejected_row and the computed tables.`,
			Example: `  jamstat query "select count(*) from geo where kind='kommun'"
  jamstat query --format table "select * from dataset"`,
			Args: args(cobra.MinimumNArgs(1)),
			RunE: func(cmd *cobra.Command, a []string) error {
				if format != "csv" && format != "json" && format != "table" {
					return usagef("--format must be csv, json or table, not %q", format)
				}
				ctx := cmd.Context()
				db, err := g.openReadOnly(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				rows, err := db.SQL.QueryContext(ctx, strings.Join(a, " "))
				if err != nil {
					return fmt.Errorf("query: %w", err)
				}
				t, err := readTable(rows)
				if err != nil {
					return fmt.Errorf("query: %w", err)
				}
				return t.write(cmd.OutOrStdout(), format)
			},
		}
		cmd.Flags().StringVar(&format, "format", "csv", "output format: csv, json or table")
		return cmd
	})
}
