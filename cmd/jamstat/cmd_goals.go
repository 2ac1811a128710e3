package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/indicators"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var goalsDir string
		cmd := &cobra.Command{
			Use:   "goals [STRATEGY]",
			Short: "List goal catalogues and follow up goals",
			Long: `goals lists the gender-equality strategies jamstat knows (the national delmål and the
länsstrategier under data/goals/, plus any YAML files in --goals DIR), or the goals of one
strategy with the delmål and indicators that follow each up. "goals status" follows the goals up.`,
			Example: `  jamstat goals
  jamstat goals vastra-gotaland-2024
  jamstat goals --goals ./mina-mal status --strategy skane-2022 --year 2024`,
			Args: args(cobra.MaximumNArgs(1)),
			RunE: func(cmd *cobra.Command, a []string) error {
				cat, err := indicators.LoadCatalogue(goalsDir)
				if err != nil {
					return err
				}
				w := cmd.OutOrStdout()
				if len(a) == 0 {
					return listStrategies(w, cat, g.lang)
				}
				return listGoals(w, cat, a[0], g.lang)
			},
		}
		cmd.PersistentFlags().StringVar(&goalsDir, "goals", "", "directory with more goal catalogues (YAML), e.g. a county's own strategy")
		cmd.AddCommand(goalsStatusCmd(g, &goalsDir))
		return cmd
	})
}

func listStrategies(w io.Writer, cat *indicators.Catalogue, lang string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STRATEGY\tPERIOD\tSCOPE\tGOALS\tNAME")
	for _, s := range cat.Strategies {
		period := strconv.Itoa(s.Start) + "–"
		if s.End > 0 {
			period += strconv.Itoa(s.End)
		}
		goals := strconv.Itoa(len(s.Goals))
		if s.GoalsTotal > len(s.Goals) {
			goals += " of " + strconv.Itoa(s.GoalsTotal)
		}
		name := s.Name
		if lang == "en" && s.NameEn != "" {
			name = s.NameEn
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.ID, period, s.Scope, goals, name)
	}
	return tw.Flush()
}

func listGoals(w io.Writer, cat *indicators.Catalogue, id, lang string) error {
	s, ok := cat.Strategy(id)
	if !ok {
		var ids []string
		for _, x := range cat.Strategies {
			ids = append(ids, x.ID)
		}
		return usagef("unknown strategy %q (known: %s)", id, strings.Join(ids, ", "))
	}
	fmt.Fprintf(w, "%s (%s)\n", s.Name, s.ID)
	if s.Vision != "" {
		fmt.Fprintf(w, "  vision: %s\n", s.Vision)
	}
	fmt.Fprintf(w, "  baseline year: %d; source: %s\n", s.BaselineYear, s.Source)
	if s.GoalsTotal > len(s.Goals) {
		fmt.Fprintf(w, "  the strategy has %d goals; %d are published word for word and listed here\n", s.GoalsTotal, len(s.Goals))
	}
	if s.Successor != "" {
		fmt.Fprintf(w, "  successor: %s\n", s.Successor)
	}
	if s.Note != "" {
		fmt.Fprintf(w, "  note: %s\n", s.Note)
	}
	if len(s.Goals) == 0 {
		fmt.Fprintln(w, "  no goals are listed in the catalogue; add them with --goals DIR")
		return nil
	}
	for _, gl := range s.Goals {
		text := gl.Text
		if lang == "en" && gl.TextEn != "" {
			text = gl.TextEn
		}
		var dm []string
		for _, d := range gl.Delmal {
			dm = append(dm, strconv.Itoa(d))
		}
		fmt.Fprintf(w, "\n%s  [delmål %s]\n  %s\n", gl.ID, strings.Join(dm, ", "), text)
		if gl.Area != "" {
			if a, ok := cat.Area(gl.Area); ok {
				fmt.Fprintf(w, "  priority area: %s\n", a.Name)
			}
		}
		inds := cat.IndicatorsForGoal(gl.ID)
		if len(inds) == 0 {
			fmt.Fprintln(w, "  indicators: none yet")
		}
		for _, ind := range inds {
			fmt.Fprintf(w, "  - %s: %s\n", ind.ID, ind.Title.In(lang))
		}
	}
	return nil
}

func goalsStatusCmd(g *globals, goalsDir *string) *cobra.Command {
	var strategy, year, geo, format string
	cmd := &cobra.Command{
		Use:   "status --strategy ID --year Y [--geo CODE] [--format table|json]",
		Short: "Follow up a strategy's goals: latest value, baseline, change and direction per indicator",
		Long: `status reads computed indicator values (run "jamstat indicators compute" first) and shows,
for each goal of the strategy and each indicator following it up, the latest value up to --year,
the baseline (the strategy's start year, or the nearest year with data, stated), the change and
whether it moved toward the goal (for parity indicators: closer to equal), with a roll-up per
goal and per delmål. Without --geo the table shows the strategy's county; JSON has every kommun.`,
		Example: `  jamstat goals status --strategy vastra-gotaland-2024 --year 2024
  jamstat goals status --strategy national --year 2024 --geo 1480 --format json`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if strategy == "" || year == "" {
				return usagef("--strategy and --year are required")
			}
			if _, err := strconv.Atoi(year); err != nil {
				return usagef("--year must be a year, not %q", year)
			}
			if format != "table" && format != "json" {
				return usagef("--format must be table or json, not %q", format)
			}
			cat, err := indicators.LoadCatalogue(*goalsDir)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			db, err := g.openReadOnly(ctx)
			if err != nil {
				return err
			}
			defer db.Close()
			rep, err := indicators.GoalStatus(ctx, db, cat, strategy, year, geo)
			if err != nil {
				return err
			}
			rep.SetLang(g.lang)
			w := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return printStatus(w, cat, rep, g.lang)
		},
	}
	cmd.Flags().StringVar(&strategy, "strategy", "", "strategy id (see `jamstat goals`)")
	cmd.Flags().StringVar(&year, "year", "", "follow-up year")
	cmd.Flags().StringVar(&geo, "geo", "", "geography code (kommun, county or 0000); default: the strategy's scope")
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

func fmtNum(p *float64) string {
	if p == nil {
		return ".."
	}
	v := *p
	switch {
	case v != 0 && (v >= 1000 || v <= -1000):
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v > -10 && v < 10:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// statusLabels are the words of the goal-status printout, per language.
var statusLabels = map[string]map[string]string{
	"sv": {"head": "%s — uppföljning %s, basår %d, geografi %s", "note": "obs", "area": "insatsområde %s: %s (indikatorer som följer upp området)",
		"perDelmal": "Per delmål:", "columns": "  INDIKATOR\tSERIE\tBASÅR\tSENASTE\tFÖRÄNDRING\tRIKTNING\tMETOD", "none": "  (ingen indikator följer upp målet ännu)"},
	"en": {"head": "%s — follow-up %s, baseline year %d, geography %s", "note": "note", "area": "priority area %s: %s (indicators naming the area)",
		"perDelmal": "Per delmål (sub-goal):", "columns": "  INDICATOR\tSERIES\tBASELINE\tLATEST\tCHANGE\tDIRECTION\tMETHOD", "none": "  (no indicator follows this goal up yet)"},
}

// directionWords translates goal-status directions for the Swedish printout.
var directionWords = map[string]string{indicators.Better: "bättre", indicators.Worse: "sämre", indicators.Unchanged: "oförändrad", indicators.NoData: "uppgift saknas", indicators.ContextDirection: "bakgrund"}

func printStatus(w io.Writer, cat *indicators.Catalogue, rep *indicators.StatusReport, lang string) error {
	show := rep.Geos[0]
	l := statusLabels["sv"]
	if lang == "en" {
		l = statusLabels["en"]
	}
	rep.SetLang(lang)
	fmt.Fprintf(w, l["head"]+"\n", rep.Strategy.Name, rep.Year, rep.BaselineYear, show)
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "  %s: %s\n", l["note"], n)
	}
	for _, gr := range rep.Goals {
		fmt.Fprintf(w, "\n%s [delmål %s] %s\n", gr.Goal.ID, joinInts(gr.Goal.Delmal), gr.Goal.Text)
		for _, r := range gr.Rollups {
			if r.GeoCode == show {
				fmt.Fprintf(w, "  → %s\n", r.Sentence)
			}
		}
		printStatusRows(w, gr.Indicators, show, lang)
	}
	for _, ar := range rep.Areas {
		if len(ar.Indicators) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n"+l["area"]+"\n", ar.Area.ID, ar.Area.Name)
		for _, r := range ar.Rollups {
			if r.GeoCode == show {
				fmt.Fprintf(w, "  → %s\n", r.Sentence)
			}
		}
		printStatusRows(w, ar.Indicators, show, lang)
	}
	fmt.Fprintln(w, "\n"+l["perDelmal"])
	for _, d := range rep.Delmal {
		for _, r := range d.Rollups {
			if r.GeoCode == show {
				fmt.Fprintf(w, "  %d %s: %s\n", d.Number, d.Text, r.Sentence)
			}
		}
	}
	return nil
}

func printStatusRows(w io.Writer, rows []indicators.IndicatorStatus, show, lang string) {
	l := statusLabels["sv"]
	if lang == "en" {
		l = statusLabels["en"]
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	n := 0
	for _, st := range rows {
		if st.GeoCode != show {
			continue
		}
		if n == 0 {
			fmt.Fprintln(tw, l["columns"])
		}
		n++
		base := fmtNum(st.Baseline) + " (" + st.BaselinePeriod + ")"
		if st.BaselinePeriod == "" {
			base = ".."
		}
		latest := fmtNum(st.Latest) + " (" + st.LatestPeriod + ")"
		if st.LatestPeriod == "" {
			latest = ".."
		}
		dir := st.Direction
		if w, ok := directionWords[dir]; ok && lang != "en" {
			dir = w
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\n", st.Indicator, st.Series, base, latest, fmtNum(st.Change), dir, st.Method)
	}
	if n == 0 {
		fmt.Fprintln(tw, l["none"])
	}
	tw.Flush()
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}
