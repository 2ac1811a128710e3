package main

import (
	"github.com/spf13/cobra"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var format string
		var rejected string
		cmd := &cobra.Command{
			Use:   "datasets [--rejected DATASET]",
			Short: "List loaded datasets with rows read, loaded and rejected",
			Args:  args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				ctx := cmd.Context()
				db, err := g.openReadOnly(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				q := `SELECT dataset_id, format, kind, rows_read, rows_loaded, rows_rejected, synthetic,
					strftime(loaded_at, '%Y-%m-%d %H:%M') AS loaded_at, source_file FROM dataset ORDER BY dataset_id`
				var argv []any
				if rejected != "" {
					q = `SELECT source_file, sheet, line, "column", reason, raw FROM rejected_row WHERE dataset_id = ? ORDER BY line`
					argv = append(argv, rejected)
				}
				rows, err := db.SQL.QueryContext(ctx, q, argv...)
				if err != nil {
					return err
				}
				t, err := readTable(rows)
				if err != nil {
					return err
				}
				return t.write(cmd.OutOrStdout(), format)
			},
		}
		cmd.Flags().StringVar(&format, "format", "table", "output format: csv, json or table")
		cmd.Flags().StringVar(&rejected, "rejected", "", "list the rejected rows of this dataset, with file, line, column and reason")
		return cmd
	})
}
