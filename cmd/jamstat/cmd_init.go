package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func init() {
	register(func(g *globals) *cobra.Command {
		return &cobra.Command{
			Use:   "init",
			Short: "Create the database (or migrate it) and load the reference data",
			Long: `init creates the database file if needed, applies schema migrations and (re)loads the
embedded reference data: 290 kommuner, 21 counties/regions and Sweden, and SSYK occupation codes.`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				ctx := cmd.Context()
				db, err := g.open(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				if err := db.LoadReference(ctx); err != nil {
					return err
				}
				v, err := db.SchemaVersion(ctx)
				if err != nil {
					return err
				}
				var geos, occs int
				db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM geo`).Scan(&geos)
				db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM occupation`).Scan(&occs)
				fmt.Fprintf(cmd.OutOrStdout(), "%s: schema version %d, %d geographies, %d occupation codes\n", g.database(), v, geos, occs)
				return nil
			},
		}
	})
}
