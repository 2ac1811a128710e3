package main

import (
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/server"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var addr, baseURL, logFormat, goalsDir string
		cmd := &cobra.Command{
			Use:   "serve [--addr 127.0.0.1:8080]",
			Short: "Serve municipality pages, sheet downloads and the JSON API",
			Long: `serve opens the database read-only and serves, until SIGINT or SIGTERM:
  /                          find a county or municipality (search box)
  /kommun/{code}             a municipality's indicators per delmål and goal, with county and Sweden
  /kommun/{code}/sheet.xlsx  its indicator sheet; data.csv and data.json beside it
  /lan/{code}                a county's working-conditions comparison
  /api/v1/...                a JSON API in Kolada's shape (see /api/openapi.json)
  /healthz                   health and the data version served

Updating the data while serving: the server holds a read-only handle, so a
writer cannot open the same file. Ingest into a copy and rename it over the
served file (cp db new.duckdb; jamstat --db new.duckdb ingest ...; mv new.duckdb db);
the server notices the new file within a second and switches to it, finishing
requests in flight on the old one. Or stop the server, ingest, start it again.`,
			Example: `  jamstat --db out/demo.duckdb serve --addr 127.0.0.1:8080`,
			Args:    args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				var h slog.Handler
				switch logFormat {
				case "json":
					h = slog.NewJSONHandler(os.Stderr, nil)
				case "text":
					h = slog.NewTextHandler(os.Stderr, nil)
				default:
					return usagef("--log must be json or text, not %q", logFormat)
				}
				cat, err := indicators.LoadCatalogue(goalsDir)
				if err != nil {
					return err
				}
				ctx := cmd.Context()
				srv, err := server.New(ctx, server.Config{
					DBPath:    g.database(),
					Logger:    slog.New(h),
					Version:   version,
					BaseURL:   baseURL,
					Catalogue: cat,
				})
				if err != nil {
					return err
				}
				cmd.PrintErrf("jamstat: serving %s on http://%s/ (Ctrl-C stops)\n", g.database(), addr)
				return srv.ListenAndServe(ctx, addr)
			},
		}
		cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on")
		cmd.Flags().StringVar(&baseURL, "base-url", "", "public address for absolute API links, e.g. https://stats.example.se")
		cmd.Flags().StringVar(&logFormat, "log", "json", "request log format on stderr: json or text")
		cmd.Flags().StringVar(&goalsDir, "goals", "", "directory with more goal catalogues (YAML), as given to indicators compute")
		return cmd
	})
}
