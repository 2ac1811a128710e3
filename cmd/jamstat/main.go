package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/store"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// usageError marks a mistake in how a command was called (exit 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// globals are the flags every command shares.
type globals struct {
	dbPath string
	lang   string
}

func (g *globals) database() string {
	if g.dbPath != "" {
		return g.dbPath
	}
	if env := os.Getenv("JAMSTAT_DB"); env != "" {
		return env
	}
	return "jamstat.duckdb"
}

// open opens the database read-write, creating it and loading reference
// data when it is new.
func (g *globals) open(ctx context.Context) (*store.DB, error) {
	return store.Open(ctx, g.database())
}

// openReadOnly opens an existing database for reading only.
func (g *globals) openReadOnly(ctx context.Context) (*store.DB, error) {
	return store.OpenReadOnly(ctx, g.database())
}

func newRootCmd() *cobra.Command {
	g := &globals{}
	root := &cobra.Command{
		Use:   "jamstat",
		Short: "Gender-disaggregated statistics and indicators for Swedish counties, regions and municipalities",
		Long: `jamstat loads statistics split by sex (SCB PX and JSON-stat, Kolada, CSV and Excel,
HR register extracts), computes indicators for every kommun, region and year, ties them to the
national and regional gender-equality goals, compares the most female- and male-dominated
occupations per employer, and writes reports and one Excel sheet per municipality.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.PersistentFlags().StringVar(&g.dbPath, "db", "", "database file (default $JAMSTAT_DB, else ./jamstat.duckdb)")
	root.PersistentFlags().StringVar(&g.lang, "lang", "sv", "language of reports and sheets: sv or en")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		if g.lang != "sv" && g.lang != "en" {
			return usagef("--lang must be sv or en, not %q", g.lang)
		}
		return nil
	}
	for _, add := range commands {
		root.AddCommand(add(g))
	}
	return root
}

// commands is filled by each command's file in an init function, so that
// commands can be added without editing this file.
var commands []func(*globals) *cobra.Command

func register(c func(*globals) *cobra.Command) { commands = append(commands, c) }

// args wraps a cobra.PositionalArgs so that its error is a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
}

func run(ctx context.Context, argv []string, stdout, stderr io.Writer) int {
	root := newRootCmd()
	root.SetArgs(argv)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "jamstat: "+oneLine(err.Error()))
	var u usageError
	if errors.As(err, &u) || isCobraUsage(err) {
		return 2
	}
	return 1
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := startProfile(os.Stderr)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopProfile()
	stop()
	os.Exit(code)
}

// startProfile writes a CPU profile to $JAMSTAT_CPUPROFILE when it is set,
// for finding where a slow command spends its time (go tool pprof).
func startProfile(stderr io.Writer) func() {
	path := os.Getenv("JAMSTAT_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(stderr, "jamstat: JAMSTAT_CPUPROFILE: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(stderr, "jamstat: JAMSTAT_CPUPROFILE: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
