package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/store"
)

// The demo county and the strategy its follow-up report is written for.
const (
	demoCounty   = "14"
	demoStrategy = "vastra-gotaland-2024"
	// demoMinN is the smallest occupational group the demo's comparison may
	// pick. The demo's employers are small samples (about 150 employees for
	// the smallest kommun), so the default of 10 would leave half of them
	// without a male-dominated group; 5 equals the disclosure threshold k.
	demoMinN = "5"
)

func init() {
	register(func(g *globals) *cobra.Command {
		var out string
		cmd := &cobra.Command{
			Use:   "demo [--out DIR]",
			Short: "Run the whole job on the embedded demo data and print where the outputs are",
			Long: `demo creates a fresh database DIR/demo.duckdb, writes the embedded demo files (synthetic HR
extracts and Kolada-style series for Västra Götaland, and real SCB files) to DIR/input, and runs
the same commands a user runs: ingest, indicators compute, goals status, compare, report followup,
report arbetsvillkor and sheets. It prints a summary with the paths of every output.`,
			Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				return runDemo(cmd, g, out)
			},
		}
		cmd.Flags().StringVar(&out, "out", "out", "output directory")
		return cmd
	})
}

// demoStep is one command the demo runs, exactly as a user would type it.
type demoStep struct {
	title string
	args  []string
	log   string // file under out/ that receives the command's full output; "" prints it
}

func runDemo(cmd *cobra.Command, g *globals, out string) error {
	ctx := cmd.Context()
	w := cmd.OutOrStdout()
	start := time.Now()
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	dbPath := filepath.Join(out, "demo.duckdb")
	if g.dbPath != "" {
		dbPath = g.dbPath
	}
	for _, p := range []string{dbPath, dbPath + ".wal"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("demo: remove old %s: %w", p, err)
		}
	}
	inputDir := filepath.Join(out, "input")
	if err := os.RemoveAll(inputDir); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	synthetic, real, err := writeDemoInput(inputDir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "jamstat demo: Västra Götaland (county %s), database %s\n", demoCounty, dbPath)
	fmt.Fprintf(w, "  input: %d synthetic files (HR extracts, Kolada-style series) and %d real SCB files in %s\n", len(synthetic), len(real), inputDir)

	year, err := demoLatestYear()
	if err != nil {
		return err
	}
	db := []string{"--db", dbPath, "--lang", g.lang}
	steps := []demoStep{
		{"ingest synthetic files", append(append(append([]string{}, db...), "ingest", "--synthetic"), synthetic...), "ingest-synthetic.log"},
		{"ingest real SCB files", append(append(append([]string{}, db...), "ingest"), real...), "ingest-real.log"},
		{"compute indicators", append(append([]string{}, db...), "indicators", "compute"), "indicators.log"},
		{"goal status", append(append([]string{}, db...), "goals", "status", "--strategy", demoStrategy, "--year", year, "--geo", demoCounty), "goals-status.txt"},
		{"compare occupations", append(append([]string{}, db...), "compare", "--county", demoCounty, "--year", year, "--min-n", demoMinN, "--format", "xlsx", "--out", filepath.Join(out, "jamforelse.xlsx")), "compare.log"},
		{"follow-up report", append(append([]string{}, db...), "report", "followup", "--strategy", demoStrategy, "--year", year, "--county", demoCounty, "--out", filepath.Join(out, "uppfoljning")), "report-followup.log"},
		{"working-conditions report", append(append([]string{}, db...), "report", "arbetsvillkor", "--county", demoCounty, "--year", year, "--out", filepath.Join(out, "arbetsvillkor")), "report-arbetsvillkor.log"},
		{"municipality sheets", append(append([]string{}, db...), "sheets", "--county", demoCounty, "--year", year, "--out", filepath.Join(out, "sheets")), "sheets.log"},
	}
	for _, s := range steps {
		name := s.args[len(db)]
		if isPending(name) {
			fmt.Fprintf(w, "  %-26s skipped: `jamstat %s` is not available yet in this version\n", s.title, name)
			continue
		}
		t0 := time.Now()
		var buf bytes.Buffer
		code := run(ctx, s.args, &buf, &buf)
		logPath := filepath.Join(out, s.log)
		if err := os.WriteFile(logPath, buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
		if code != 0 {
			return fmt.Errorf("demo step %q failed (exit %d): %s (full output in %s)", s.title, code, lastLine(buf.String()), logPath)
		}
		fmt.Fprintf(w, "  %-26s %6.1f s  %s\n", s.title, time.Since(t0).Seconds(), logPath)
	}
	d, err := store.OpenReadOnly(ctx, dbPath)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := demoSummary(w, d); err != nil {
		return err
	}
	printDemoOutputs(w, out)
	fmt.Fprintf(w, "Outputs are in %s (done in %.1f s). Try: bin/jamstat --db %s query --format table \"select * from dataset limit 5\"\n",
		out, time.Since(start).Seconds(), dbPath)
	return nil
}

func isPending(use string) bool {
	for _, p := range pending {
		if p.use == use {
			return true
		}
	}
	return false
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// writeDemoInput copies the embedded demo data to dir and returns the
// synthetic and the real files to ingest (calibration tables are the
// generator's input, not statistics, and are not ingested).
func writeDemoInput(dir string) (synthetic, real []string, err error) {
	demo := data.Demo()
	err = fs.WalkDir(demo, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(p, "calibration/") || strings.HasSuffix(p, ".md") {
			return nil
		}
		b, err := fs.ReadFile(demo, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			return err
		}
		if strings.HasPrefix(p, "real/") {
			real = append(real, dst)
		} else {
			synthetic = append(synthetic, dst)
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("demo: write input files: %w", err)
	}
	sort.Strings(synthetic)
	sort.Strings(real)
	return synthetic, real, nil
}

var demoYearDir = regexp.MustCompile(`^\d{4}$`)

// demoLatestYear is the newest year of the embedded HR extracts.
func demoLatestYear() (string, error) {
	entries, err := fs.ReadDir(data.Demo(), "hr")
	if err != nil {
		return "", fmt.Errorf("demo: %w", err)
	}
	latest := ""
	for _, e := range entries {
		if e.IsDir() && demoYearDir.MatchString(e.Name()) && e.Name() > latest {
			latest = e.Name()
		}
	}
	if latest == "" {
		return "", fmt.Errorf("demo: no year directories under hr/")
	}
	return latest, nil
}

// printDemoOutputs lists the reports and sheets the demo wrote.
func printDemoOutputs(w io.Writer, out string) {
	fmt.Fprintln(w, "Outputs:")
	for _, pattern := range []string{"uppfoljning/*.html", "uppfoljning/*.pdf", "arbetsvillkor/*.html", "arbetsvillkor/*.pdf", "jamforelse.xlsx"} {
		files, _ := filepath.Glob(filepath.Join(out, pattern))
		for _, f := range files {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	if sheets, _ := filepath.Glob(filepath.Join(out, "sheets", "*.xlsx")); len(sheets) > 0 {
		fmt.Fprintf(w, "  %s (%d Excel sheets, one per municipality and one for the county; e.g. %s)\n",
			filepath.Join(out, "sheets"), len(sheets), filepath.Base(sheets[0]))
	}
}

func demoSummary(w io.Writer, db *store.DB) error {
	type figure struct {
		label string
		query string
	}
	figs := []figure{
		{"datasets loaded", `SELECT count(*) FROM dataset`},
		{"rows read", `SELECT coalesce(sum(rows_read), 0) FROM dataset`},
		{"rows rejected (see jamstat datasets)", `SELECT coalesce(sum(rows_rejected), 0) FROM dataset`},
		{"employee rows", `SELECT count(*) FROM employee`},
		{"observations", `SELECT count(*) FROM observation`},
	}
	var optional = []figure{
		{"indicator values", `SELECT count(*) FROM indicator_value`},
		{"  of which suppressed (..)", `SELECT count(*) FROM indicator_value WHERE status = '..'`},
		{"employer comparisons", `SELECT count(DISTINCT (period, employer_code)) FROM comparison`},
	}
	fmt.Fprintln(w, "Summary:")
	for _, f := range append(figs, optional...) {
		var n int64
		if err := db.SQL.QueryRow(f.query).Scan(&n); err != nil {
			continue // a table of a stage that did not run
		}
		fmt.Fprintf(w, "  %-40s %d\n", f.label, n)
	}
	return nil
}
