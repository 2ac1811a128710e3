package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/indicators"
	"github.com/jamstat/jamstat/reports"
)

func init() {
	register(func(g *globals) *cobra.Command {
		cmd := &cobra.Command{
			Use:   "report followup|arbetsvillkor",
			Short: "Write the goal follow-up and working-conditions reports (HTML and PDF)",
			Long: `report writes what analysts hand to politicians, as a self-contained HTML page and a PDF:

  report followup --strategy ID --year Y [--county LL] [--out DIR] [--goals DIR]
      the yearly follow-up of a gender-equality strategy: per delmål and goal the linked
      indicators, the county's and each municipality's values for women and men, and the
      trend since the strategy's baseline (run ` + "`jamstat indicators compute`" + ` first)
  report arbetsvillkor --county LL --year Y [--out DIR] [--run KEY]
      "Hur jämställda är arbetsvillkoren?": the most female- against the most male-dominated
      occupational group of every employer (run ` + "`jamstat compare`" + ` first)

Both read only published values, after disclosure control.`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				return usagef("report needs a kind: followup or arbetsvillkor (see jamstat report --help)")
			},
		}
		cmd.AddCommand(reportFollowupCmd(g), reportWorkCmd(g))
		return cmd
	})
}

var yearRE = regexp.MustCompile(`^(19|20|21)\d\d$`)

func checkYear(y string) error {
	if y == "" {
		return usagef("--year is required, e.g. --year 2024")
	}
	if !yearRE.MatchString(y) {
		return usagef("--year %q is not a year", y)
	}
	return nil
}

// checkCounty normalises a county code or reports a usage error.
func checkCounty(c string) (data.Geo, error) {
	code, ok := data.NormalizeGeoCode(c)
	if !ok {
		return data.Geo{}, usagef("--county %q is not a county code (two digits, e.g. 14)", c)
	}
	g, _ := data.GeoByCode(code)
	if g.Kind != data.KindRegion {
		return data.Geo{}, usagef("--county %s is %s, not a county (two digits, e.g. 14)", code, g.Name)
	}
	return g, nil
}

func reportFollowupCmd(g *globals) *cobra.Command {
	var strategy, year, county, out, goalsDir string
	cmd := &cobra.Command{
		Use:   "followup --strategy ID --year Y [--county LL] [--out DIR] [--goals DIR]",
		Short: "Write the yearly follow-up of a gender-equality strategy",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if strategy == "" {
				return usagef("--strategy is required (list them with `jamstat goals`)")
			}
			if err := checkYear(year); err != nil {
				return err
			}
			cat, err := indicators.LoadCatalogue(goalsDir)
			if err != nil {
				return err
			}
			s, ok := cat.Strategy(strategy)
			if !ok {
				return usagef("unknown strategy %q (list them with `jamstat goals`)", strategy)
			}
			if county == "" {
				if s.Scope == "" || s.Scope == data.SwedenCode {
					return usagef("strategy %s covers all of Sweden: give --county LL", s.ID)
				}
				county = s.Scope
			}
			cg, err := checkCounty(county)
			if err != nil {
				return err
			}
			db, err := g.openReadOnly(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			start := time.Now()
			r, err := reports.BuildFollowup(ctx, db, cat, s.ID, year, cg.Code, g.lang)
			if err != nil {
				return err
			}
			r.Version, r.Generated = version, start
			base := "uppfoljning"
			if g.lang == "en" {
				base = "followup"
			}
			base = filepath.Join(out, fmt.Sprintf("%s-%s-%s", base, s.ID, year))
			paths, err := writeBoth(base,
				func(w io.Writer) error { return reports.WriteFollowupHTML(w, r) },
				func(w io.Writer) error { return reports.WriteFollowupPDF(w, r) })
			if err != nil {
				return err
			}
			n := 0
			for _, gs := range r.Goals {
				n += len(gs.Indicators)
			}
			for _, gr := range r.Groups {
				n += len(gr.Indicators)
			}
			for _, p := range paths {
				fmt.Fprintln(cmd.OutOrStdout(), p)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "follow-up of %s for %s %s: %d goals, %d sections by delmål or priority area, %d indicator sections (%.1f s)\n",
				s.ID, cg.Name, year, len(r.Goals), len(r.Groups), n, time.Since(start).Seconds())
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&strategy, "strategy", "", "strategy id, e.g. vastra-gotaland-2024 (see `jamstat goals`)")
	fl.StringVar(&year, "year", "", "reference year to follow up, e.g. 2024")
	fl.StringVar(&county, "county", "", "county (län code) to follow up; default the strategy's own county")
	fl.StringVar(&out, "out", ".", "directory to write the report to")
	fl.StringVar(&goalsDir, "goals", "", "directory with more goal catalogues (YAML), e.g. a county's own strategy")
	return cmd
}

func reportWorkCmd(g *globals) *cobra.Command {
	var year, county, out, runKey string
	cmd := &cobra.Command{
		Use:   "arbetsvillkor --county LL --year Y [--out DIR] [--run KEY]",
		Short: `Write "Hur jämställda är arbetsvillkoren?" for a county`,
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if county == "" {
				return usagef("--county is required, e.g. --county 14")
			}
			if err := checkYear(year); err != nil {
				return err
			}
			cg, err := checkCounty(county)
			if err != nil {
				return err
			}
			db, err := g.openReadOnly(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			start := time.Now()
			r, err := reports.BuildWorkConditions(ctx, db, cg.Code, year, g.lang, runKey)
			if err != nil {
				return err
			}
			r.Version, r.Generated = version, start
			base := "arbetsvillkor"
			if g.lang == "en" {
				base = "working-conditions"
			}
			base = filepath.Join(out, fmt.Sprintf("%s-%s-%s", base, cg.Code, year))
			paths, err := writeBoth(base,
				func(w io.Writer) error { return reports.WriteWorkConditionsHTML(w, r) },
				func(w io.Writer) error { return reports.WriteWorkConditionsPDF(w, r) })
			if err != nil {
				return err
			}
			for _, p := range paths {
				fmt.Fprintln(cmd.OutOrStdout(), p)
			}
			employers := 0
			if len(r.Conditions) > 0 {
				employers = len(r.Conditions[0].Employers)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "working conditions in %s %s: %d conditions, %d employers (%.1f s)\n",
				cg.Name, year, len(r.Conditions), employers, time.Since(start).Seconds())
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&county, "county", "", "county (län code), e.g. 14")
	fl.StringVar(&year, "year", "", "reference year, e.g. 2024")
	fl.StringVar(&out, "out", ".", "directory to write the report to")
	fl.StringVar(&runKey, "run", "", "comparison run key (default the latest run covering the county and year)")
	return cmd
}

// writeBoth writes base.html and base.pdf, each rendered in full before
// its file is created so that a failed render leaves no half-written file.
func writeBoth(base string, html, pdf func(io.Writer) error) ([]string, error) {
	var paths []string
	for _, f := range []struct {
		ext    string
		render func(io.Writer) error
	}{{".html", html}, {".pdf", pdf}} {
		var buf bytes.Buffer
		if err := f.render(&buf); err != nil {
			return paths, err
		}
		p := base + f.ext
		if err := writeFileAtomic(p, buf.Bytes()); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// writeFileAtomic writes b to path through a temporary file in the same
// directory, so a reader never sees a partial file.
func writeFileAtomic(path string, b []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
