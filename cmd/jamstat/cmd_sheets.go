package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/reports"
)

// sheetWorkers is how many sheets are built and written at once. Building
// waits on DuckDB and writing is CPU work in excelize, so two workers
// overlap the two on this project's 2-core reference machine.
const sheetWorkers = 2

func init() {
	register(func(g *globals) *cobra.Command {
		var year, county, out, format, goalsDir string
		var geos []string
		cmd := &cobra.Command{
			Use:   "sheets --county LL --year Y --out DIR [--geo CODE]... [--format xlsx|csv|both]",
			Short: "Write one Excel indicator sheet per municipality",
			Long: `sheets writes the indicator sheet each municipality downloads: one .xlsx per municipality of the
county and one for the county/region itself (e.g. DIR/1480-goteborg-2024.xlsx), with the headline
indicators against county and Sweden, a sheet per delmål with women, men, total, K/M ratio and the
trend, the working-conditions comparison (from ` + "`jamstat compare`" + `) and metadata. --geo limits the
output to the given kommun or county codes; --format csv writes the indicator table as CSV
(";", decimal comma) instead, both writes both. Values withheld by disclosure control are "..".`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				ctx := cmd.Context()
				if county == "" {
					return usagef("--county is required, e.g. --county 14")
				}
				if err := checkYear(year); err != nil {
					return err
				}
				if out == "" {
					return usagef("--out DIR is required")
				}
				xlsx, csv := false, false
				switch format {
				case "xlsx":
					xlsx = true
				case "csv":
					csv = true
				case "both":
					xlsx, csv = true, true
				default:
					return usagef("--format must be xlsx, csv or both, not %q", format)
				}
				cg, err := checkCounty(county)
				if err != nil {
					return err
				}
				var want []string
				for _, x := range geos {
					code, ok := data.NormalizeGeoCode(x)
					if !ok {
						return usagef("--geo %q is not a kommun or county code", x)
					}
					gg, _ := data.GeoByCode(code)
					if gg.CountyCode != cg.Code {
						return usagef("--geo %s (%s) is not in county %s", code, gg.Name, cg.Code)
					}
					want = append(want, code)
				}
				cat, err := indicators.LoadCatalogue(goalsDir)
				if err != nil {
					return err
				}
				db, err := g.openReadOnly(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				start := time.Now()
				b, err := reports.NewSheetBuilder(ctx, db, cat, cg.Code, year, g.lang)
				if err != nil {
					return err
				}
				if len(want) == 0 {
					for _, x := range b.Geos() {
						want = append(want, x.Code)
					}
				}
				files, err := writeSheets(ctx, b, want, out, year, g.lang, xlsx, csv)
				if err != nil {
					return err
				}
				what := "sheets"
				if len(want) == 1 {
					what = "sheet"
				}
				fmt.Fprintf(cmd.OutOrStdout(), "wrote %d %s (%d files) for %s %s in %s\n", len(want), what, files, cg.Name, year, out)
				fmt.Fprintf(cmd.ErrOrStderr(), "sheets: %.1f s\n", time.Since(start).Seconds())
				return nil
			},
		}
		fl := cmd.Flags()
		fl.StringVar(&county, "county", "", "county (län code), e.g. 14")
		fl.StringVar(&year, "year", "", "reference year, e.g. 2024")
		fl.StringVar(&out, "out", "", "directory to write the sheets to")
		fl.StringArrayVar(&geos, "geo", nil, "only this kommun or county code (repeatable)")
		fl.StringVar(&format, "format", "xlsx", "xlsx, csv or both")
		fl.StringVar(&goalsDir, "goals", "", "directory with more goal catalogues (YAML)")
		return cmd
	})
}

// writeSheets builds and writes the sheets of geos with sheetWorkers
// workers and returns the number of files written. The first error stops
// the remaining work.
func writeSheets(ctx context.Context, b *reports.SheetBuilder, geos []string, out, year, lang string, xlsx, csv bool) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan string)
	var mu sync.Mutex
	var firstErr error
	files := 0
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
		mu.Unlock()
	}
	now := time.Now()
	var wg sync.WaitGroup
	for range min(sheetWorkers, len(geos)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for code := range jobs {
				n, err := writeOneSheet(ctx, b, code, out, lang, now, xlsx, csv)
				if err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				files += n
				mu.Unlock()
			}
		}()
	}
feed:
	for _, code := range geos {
		select {
		case jobs <- code:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return files, firstErr
}

func writeOneSheet(ctx context.Context, b *reports.SheetBuilder, code, out, lang string, now time.Time, xlsx, csv bool) (int, error) {
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	s, err := b.Build(ctx, code)
	if err != nil {
		return 0, fmt.Errorf("sheet %s: %w", code, err)
	}
	s.Version, s.Generated = version, now
	base := filepath.Join(out, reports.SheetFileName(reports.Geo{Code: s.Geo.Code, Name: s.Geo.Name}, s.Year))
	n := 0
	if xlsx {
		var buf bytes.Buffer
		if err := reports.WriteMunicipalitySheet(&buf, s); err != nil {
			return n, err
		}
		if err := writeFileAtomic(base+".xlsx", buf.Bytes()); err != nil {
			return n, err
		}
		n++
	}
	if csv {
		var buf bytes.Buffer
		if err := reports.WriteSheetCSV(&buf, s, reports.CSVOptions{DecimalPoint: lang == "en"}); err != nil {
			return n, err
		}
		if err := writeFileAtomic(base+".csv", buf.Bytes()); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
