package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/ingest"
	"github.com/jamstat/jamstat/internal/gen"
)

// `jamstat bench` (hidden; `make bench` runs it) generates the data it
// needs, measures each step in a child process of this binary so that
// time, CPU time and peak RSS are the step's own, and writes BENCHMARKS.md
// with the baselines measured in the same run beside jamstat's figures and
// the goals of issues 3 and 8.

type benchOptions struct {
	out       string
	dir       string
	employees int // rows of the CSV and xlsx ingest benchmarks
	xlsxRows  int // rows of the xlsx file (0: same as employees)
	national  int // rows of the end-to-end national year (0: skip)
	scale     bool
	tenYears  bool // ten national years, one file a year, end to end
	firstYear int  // first of the ten years
	scaleMax  int
	goBench   string
	keep      bool
	seed      uint64
	year      int
	timeout   time.Duration
	reps      int // runs of each short ingest step and its baselines
}

func init() {
	register(func(g *globals) *cobra.Command {
		var o benchOptions
		cmd := &cobra.Command{
			Use:    "bench [--out BENCHMARKS.md] [--employees N] [--national N] [--scale]",
			Short:  "Run the benchmarks and write BENCHMARKS.md",
			Hidden: true,
			Args:   args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				return runBench(cmd, o)
			},
		}
		f := cmd.Flags()
		f.StringVar(&o.out, "out", "BENCHMARKS.md", "report file to (re)write")
		f.StringVar(&o.dir, "dir", "", "scratch directory for generated files and databases (default: a new temporary directory)")
		f.IntVar(&o.employees, "employees", 1_000_000, "employee rows of the CSV and xlsx ingest benchmarks")
		f.IntVar(&o.xlsxRows, "xlsx-employees", 0, "employee rows of the xlsx file (default: --employees; an xlsx sheet holds at most 1 048 575)")
		f.IntVar(&o.national, "national", 1_200_000, "employee rows of the end-to-end national year (ingest, indicators, compare, sheets, report); 0 skips it")
		f.BoolVar(&o.scale, "scale", false, "also run the end-to-end CSV path at 1, 2, 4 and 8 million rows")
		f.BoolVar(&o.tenYears, "ten-years", false, "also run ten national years end to end: --national rows a year over ten periods (12 million rows at the default), one CSV a year")
		f.IntVar(&o.firstYear, "first-year", 2015, "with --ten-years, the first of the ten years")
		f.IntVar(&o.scaleMax, "scale-max", 0, "with --scale, skip sizes above this many rows (0: no limit)")
		f.StringVar(&o.goBench, "go-bench", "", "output of `go test -bench` to include in the report")
		f.BoolVar(&o.keep, "keep", false, "keep the scratch directory")
		f.Uint64Var(&o.seed, "seed", 1, "generator seed")
		f.IntVar(&o.year, "year", 2024, "year of the generated data")
		f.DurationVar(&o.timeout, "step-timeout", 30*time.Minute, "stop a step that runs longer and report it as timed out")
		f.IntVar(&o.reps, "runs", 3, "runs of each ingest step and its DuckDB, inflate and parse baselines; the median is reported")
		cmd.AddCommand(benchStepCmd())
		return cmd
	})
}

// ---- steps run in the child process ----

func benchStepCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "step NAME ARGS...",
		Short:  "Run one measured benchmark step (used by jamstat bench)",
		Hidden: true,
		Long: `Steps: gen-hr csv|xlsx|parquet ROWS YEAR SEED FILE; gen-hr-years csv|parquet ROWS Y1 Y2 SEED DIR;
duckdb-read-csv CSV DBFILE; duckdb-read-parquet PARQUET DBFILE; excelize-rows XLSX; inflate XLSX;
parse FILE (jamstat's parser and checks, rows counted, no database).
Each prints key=value figures on stdout.`,
		Args: args(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, a []string) error {
			w := cmd.OutOrStdout()
			switch a[0] {
			case "gen-hr":
				if len(a) != 6 {
					return usagef("gen-hr csv|xlsx ROWS YEAR SEED FILE")
				}
				n, err1 := strconv.Atoi(a[2])
				y, err2 := strconv.Atoi(a[3])
				s, err3 := strconv.ParseUint(a[4], 10, 64)
				if err := errors.Join(err1, err2, err3); err != nil {
					return usageError{err}
				}
				return stepGenHR(w, a[1], n, y, s, a[5])
			case "gen-hr-years":
				if len(a) != 7 {
					return usagef("gen-hr-years csv|parquet ROWS Y1 Y2 SEED DIR")
				}
				n, err1 := strconv.Atoi(a[2])
				y1, err2 := strconv.Atoi(a[3])
				y2, err3 := strconv.Atoi(a[4])
				s, err4 := strconv.ParseUint(a[5], 10, 64)
				if err := errors.Join(err1, err2, err3, err4); err != nil {
					return usageError{err}
				}
				return stepGenHRYears(w, a[1], n, y1, y2, s, a[6])
			case "duckdb-read-parquet":
				if len(a) != 3 {
					return usagef("duckdb-read-parquet PARQUET DBFILE")
				}
				return stepDuckDBReadParquet(cmd.Context(), w, a[1], a[2])
			case "duckdb-read-csv":
				if len(a) != 3 {
					return usagef("duckdb-read-csv CSV DBFILE")
				}
				return stepDuckDBReadCSV(cmd.Context(), w, a[1], a[2])
			case "excelize-rows":
				return stepExcelizeRows(w, a[1])
			case "inflate":
				return stepInflate(w, a[1])
			case "parse":
				return stepParse(w, a[1])
			}
			return usagef("unknown bench step %q", a[0])
		},
	}
}

// oneFile makes gen's per-employer stream one file: the header once, every
// employer's rows after it.
type oneFile struct {
	w     gen.EmployeeWriter
	begun bool
}

func (o *oneFile) Begin(fi gen.FileInfo) error {
	if o.begun {
		return nil
	}
	o.begun = true
	return o.w.Begin(fi)
}
func (o *oneFile) Write(r *gen.Row) error { return o.w.Write(r) }
func (o *oneFile) End() error             { return nil }

// stepGenHR writes one HR file of about rows employees (all of Sweden's
// employers, in proportion) in the contract's CSV or xlsx flavour.
func stepGenHR(w io.Writer, format string, rows, year int, seed uint64, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var inner gen.EmployeeWriter
	switch format {
	case gen.FormatCSV:
		inner = gen.NewCSVWriter(f)
	case gen.FormatXLSX:
		inner = gen.NewXLSXWriter(f)
	case gen.FormatParquet:
		inner = gen.NewParquetWriter(f)
	default:
		return usagef("gen-hr: format must be csv, xlsx or parquet")
	}
	one := &oneFile{w: inner}
	sum, err := gen.Employees(gen.Config{Seed: seed, Employees: rows, Municipalities: "all", Years: [2]int{year, year}, Format: format}, one)
	if err != nil {
		return err
	}
	if err := inner.End(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "rows=%d bytes=%d\n", sum.Rows, st.Size())
	return nil
}

// yearFiles routes gen's per-employer stream into one file per year: the
// shape of a national extract delivered once a year. Persons persist from
// year to year as in any multi-year gen run.
type yearFiles struct {
	dir, format string
	rows        int
	files       map[int]*yearFile
	cur         *yearFile
}

type yearFile struct {
	path string
	f    *os.File
	w    gen.EmployeeWriter
}

func (y *yearFiles) Begin(fi gen.FileInfo) error {
	if yf, ok := y.files[fi.Year]; ok {
		y.cur = yf
		return nil
	}
	path := filepath.Join(y.dir, fmt.Sprintf("hr_%d_%d.%s", y.rows, fi.Year, y.format))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	yf := &yearFile{path: path, f: f}
	switch y.format {
	case gen.FormatCSV:
		yf.w = gen.NewCSVWriter(f)
	case gen.FormatParquet:
		yf.w = gen.NewParquetWriter(f)
	default:
		f.Close()
		return fmt.Errorf("gen-hr-years: format must be csv or parquet")
	}
	y.files[fi.Year], y.cur = yf, yf
	return yf.w.Begin(fi)
}

func (y *yearFiles) Write(r *gen.Row) error { return y.cur.w.Write(r) }
func (y *yearFiles) End() error             { return nil }

// close ends every file and returns their total size.
func (y *yearFiles) close() (int64, error) {
	var total int64
	var errs []error
	for _, yf := range y.files {
		errs = append(errs, yf.w.End(), yf.f.Close())
		if st, err := os.Stat(yf.path); err == nil {
			total += st.Size()
		}
	}
	return total, errors.Join(errs...)
}

// stepGenHRYears writes one HR file a year for years y1..y2, rows
// employees a year (all of Sweden's employers in proportion), named
// DIR/hr_<rows>_<year>.<format>.
func stepGenHRYears(w io.Writer, format string, rows, y1, y2 int, seed uint64, dir string) error {
	if format != gen.FormatCSV && format != gen.FormatParquet {
		return usagef("gen-hr-years: format must be csv or parquet")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	yf := &yearFiles{dir: dir, format: format, rows: rows, files: map[int]*yearFile{}}
	sum, err := gen.Employees(gen.Config{Seed: seed, Employees: rows, Municipalities: "all", Years: [2]int{y1, y2}, Format: format}, yf)
	size, cerr := yf.close()
	if err := errors.Join(err, cerr); err != nil {
		return err
	}
	fmt.Fprintf(w, "rows=%d bytes=%d files=%d\n", sum.Rows, size, len(yf.files))
	return nil
}

// stepDuckDBReadParquet is the Parquet baseline: DuckDB's own reader into
// a table of a new database file, nothing checked.
func stepDuckDBReadParquet(ctx context.Context, w io.Writer, path, dbPath string) error {
	return stepDuckDBCreate(ctx, w, dbPath, fmt.Sprintf(`read_parquet(%s)`, sqlString(path)))
}

// stepDuckDBReadCSV is the baseline: DuckDB's own CSV reader into a table
// of a new database file, types detected, no validation.
func stepDuckDBReadCSV(ctx context.Context, w io.Writer, csvPath, dbPath string) error {
	return stepDuckDBCreate(ctx, w, dbPath, fmt.Sprintf(`read_csv(%s, delim = ';', header = true, encoding = 'latin-1')`, sqlString(csvPath)))
}

// stepDuckDBCreate runs CREATE TABLE raw AS SELECT * FROM source in a new
// database file and prints the rows it holds.
func stepDuckDBCreate(ctx context.Context, w io.Writer, dbPath, source string) error {
	os.Remove(dbPath)
	os.Remove(dbPath + ".wal")
	db, err := sql.Open("duckdb", dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE raw AS SELECT * FROM `+source); err != nil {
		return err
	}
	var n int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM raw`).Scan(&n); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w, "rows=%d\n", n)
	return nil
}

func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// stepExcelizeRows is the xlsx baseline: excelize's streaming Rows()
// iterator over the first sheet, every cell read as text.
func stepExcelizeRows(w io.Writer, path string) error {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return fmt.Errorf("%s: no sheets", path)
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return err
	}
	n, cells := 0, 0
	for rows.Next() {
		cols, err := rows.Columns()
		if err != nil {
			return err
		}
		n++
		cells += len(cols)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	fmt.Fprintf(w, "rows=%d cells=%d\n", n-1, cells)
	return nil
}

// countSink counts what a parser emits and keeps nothing.
type countSink struct{ obs, emp, rej int64 }

func (c *countSink) Observation(*ingest.Observation) error { c.obs++; return nil }
func (c *countSink) Employee(*ingest.Employee) error       { c.emp++; return nil }
func (c *countSink) Reject(ingest.Rejected) error          { c.rej++; return nil }

// stepParse runs ingest's parser and every check on a file without the
// database: what ingest costs before DuckDB stores the rows.
func stepParse(w io.Writer, path string) error {
	var c countSink
	if _, err := ingest.ParseFile(path, ingest.Options{File: filepath.Base(path), Limits: ingest.DefaultLimits()}, &c); err != nil {
		return err
	}
	fmt.Fprintf(w, "rows=%d rejected=%d\n", c.obs+c.emp, c.rej)
	return nil
}

// stepInflate is the floor of any xlsx reader: inflating the worksheet XML
// (xl/worksheets/*.xml) to io.Discard, parsing nothing.
func stepInflate(w io.Writer, path string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return err
	}
	defer z.Close()
	var total int64
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") || !strings.HasSuffix(f.Name, ".xml") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			return err
		}
		n, err := io.Copy(io.Discard, r)
		r.Close()
		if err != nil {
			return fmt.Errorf("%s: %s: %w", path, f.Name, err)
		}
		total += n
	}
	fmt.Fprintf(w, "bytes=%d\n", total)
	return nil
}

// ---- the parent: run, measure, report ----

// median runs a step reps times and keeps the run with the median wall
// time, with the fastest and slowest beside it: on a shared machine one
// run can be slowed by a neighbour, and the ratio goals compare two steps.
// A failed run ends the repetition and is what is reported.
func median(reps int, run func() measurement) measurement {
	var ms []measurement
	for i := 0; i < max(reps, 1); i++ {
		m := run()
		if !m.ok() {
			return m
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(a, b int) bool { return ms[a].wall < ms[b].wall })
	m := ms[len(ms)/2]
	m.runs, m.minWall, m.maxWall = len(ms), ms[0].wall, ms[len(ms)-1].wall
	for _, x := range ms {
		m.rssMB = max(m.rssMB, x.rssMB)
	}
	return m
}

// measurement is one step's figures.
type measurement struct {
	name    string
	status  string // "" ok; otherwise why there is no figure
	wall    float64
	cpu     float64 // user + system seconds
	rssMB   float64
	figures map[string]int64 // key=value lines the step printed
	rows    int64            // rows the rate is computed over
	bytes   int64            // input bytes for MB/s
	runs    int              // > 1: the median of this many runs
	minWall float64          // with runs > 1: the fastest and slowest run
	maxWall float64
}

func (m measurement) ok() bool { return m.status == "" }

type bench struct {
	ctx     context.Context
	exe     string
	dir     string
	logDir  string
	log     io.Writer
	pending func(string) bool
	n       int
	timeout time.Duration
	python  string // an interpreter with pandas, or ""
}

var figureRE = regexp.MustCompile(`\b([a-z_]+)=(\d+)\b`)

// child runs argv (argv[0] is a program; "" means this jamstat) and
// measures it. A failure becomes the measurement's status, not an error:
// the report says what failed and the run goes on.
func (b *bench) child(name string, argv ...string) measurement {
	m := measurement{name: name, figures: map[string]int64{}}
	prog := argv[0]
	if prog == "" {
		prog = b.exe
	}
	b.n++
	logPath := filepath.Join(b.logDir, fmt.Sprintf("%02d-%s.log", b.n, slug(name)))
	lf, err := os.Create(logPath)
	if err != nil {
		m.status = "failed: " + err.Error()
		return m
	}
	defer lf.Close()
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(b.ctx, b.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, argv[1:]...) // killed (SIGKILL) at the timeout
	cmd.WaitDelay = 10 * time.Second
	cmd.Stdout = io.MultiWriter(lf, &limited{w: &out, n: 64 << 10})
	cmd.Stderr = cmd.Stdout
	fmt.Fprintf(b.log, "bench: %-40s ", name)
	start := time.Now()
	err = cmd.Start()
	var hwm *hwmWatch
	if err == nil {
		hwm = watchHWM(cmd.Process.Pid)
		err = cmd.Wait()
	}
	m.wall = time.Since(start).Seconds()
	if ps := cmd.ProcessState; ps != nil {
		m.cpu = ps.UserTime().Seconds() + ps.SystemTime().Seconds()
		// getrusage's ru_maxrss of a child started by Go counts the parent's
		// resident set at exec (Go forks with CLONE_VM, and Linux carries the
		// old mm's high-water mark into the child's), so the child's own
		// VmHWM, sampled while it runs, is used when there is a sample.
		if kb := hwm.stop(); kb > 0 {
			m.rssMB = float64(kb) / 1024
		} else if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			m.rssMB = float64(ru.Maxrss) / 1024 // KiB on Linux
		}
	}
	if err != nil {
		m.status = "failed: " + lastLine(out.String())
		if m.status == "failed: " {
			m.status += err.Error()
		}
		if ctx.Err() != nil && b.ctx.Err() == nil {
			m.status = fmt.Sprintf("timed out: stopped after %.0f s (--step-timeout)", m.wall)
		}
		fmt.Fprintf(b.log, "FAILED after %.1f s (log %s)\n", m.wall, logPath)
		return m
	}
	for _, f := range figureRE.FindAllStringSubmatch(out.String(), -1) {
		v, _ := strconv.ParseInt(f[2], 10, 64)
		m.figures[f[1]] = v
	}
	fmt.Fprintf(b.log, "%7.1f s  %6.1f CPU s  %7.0f MB RSS\n", m.wall, m.cpu, m.rssMB)
	return m
}

// jamstat runs a jamstat command unless it is still pending in this build.
func (b *bench) jamstat(name string, argv ...string) measurement {
	cmdName := argv[0]
	if cmdName == "--db" && len(argv) > 2 {
		cmdName = argv[2]
	}
	if b.pending(cmdName) {
		fmt.Fprintf(b.log, "bench: %-40s not available (`jamstat %s` is pending in this build)\n", name, cmdName)
		return measurement{name: name, status: fmt.Sprintf("not available (`jamstat %s` is not implemented in this build)", cmdName)}
	}
	return b.child(name, append([]string{""}, argv...)...)
}

// hwmWatch samples /proc/PID/status VmHWM (the process's peak resident
// set, in KiB) every 10 ms until stopped. VmHWM only grows, so the last
// sample is the peak up to 10 ms before the process ended.
type hwmWatch struct {
	done chan struct{}
	kb   chan int64
}

func watchHWM(pid int) *hwmWatch {
	w := &hwmWatch{done: make(chan struct{}), kb: make(chan int64, 1)}
	path := fmt.Sprintf("/proc/%d/status", pid)
	go func() {
		var peak int64
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if v := vmHWM(path); v > peak {
				peak = v
			}
			select {
			case <-w.done:
				w.kb <- peak
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *hwmWatch) stop() int64 {
	if w == nil {
		return 0
	}
	close(w.done)
	return <-w.kb
}

func vmHWM(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// jamstatMany runs several jamstat commands as one step: times and CPU
// add up, peak RSS is the largest; the first failure is the status.
func (b *bench) jamstatMany(name string, runs [][]string) measurement {
	total := measurement{name: name, figures: map[string]int64{}}
	for i, argv := range runs {
		m := b.jamstat(fmt.Sprintf("%s (%d/%d)", name, i+1, len(runs)), argv...)
		if !m.ok() {
			return measurement{name: name, status: m.status}
		}
		total.wall += m.wall
		total.cpu += m.cpu
		total.rssMB = max(total.rssMB, m.rssMB)
	}
	return total
}

func countyCodes() []string {
	geos, err := data.Geos()
	if err != nil {
		return nil
	}
	var out []string
	for _, g := range geos {
		if g.Kind == data.KindRegion {
			out = append(out, g.Code)
		}
	}
	return out
}

type limited struct {
	w io.Writer
	n int
}

func (l *limited) Write(p []byte) (int, error) {
	if l.n > 0 {
		k := min(len(p), l.n)
		l.w.Write(p[:k])
		l.n -= k
	}
	return len(p), nil
}

func slug(s string) string {
	return strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// freshDB creates an empty jamstat database (schema and reference data),
// unmeasured, so that the measured ingest is the load alone.
func (b *bench) freshDB(name string) (string, error) {
	p := filepath.Join(b.dir, name+".duckdb")
	os.Remove(p)
	os.Remove(p + ".wal")
	var out bytes.Buffer
	if code := run(b.ctx, []string{"--db", p, "init"}, &out, &out); code != 0 {
		return "", fmt.Errorf("bench: init %s: %s", p, lastLine(out.String()))
	}
	return p, nil
}

// ingestFresh ingests path into a new database (created unmeasured): a
// second load of the same file into the same database would be a no-op.
func (b *bench) ingestFresh(kind, name, path string) measurement {
	db, err := b.freshDB(kind)
	if err != nil {
		return measurement{name: name, status: "failed: " + err.Error()}
	}
	return b.jamstat(name, "--db", db, "ingest", "--synthetic", "--dataset", "bench_"+kind, path)
}

// genFile generates an HR file of rows employees, reusing an earlier one.
func (b *bench) genFile(format string, rows, year int, seed uint64) (string, measurement) {
	p := filepath.Join(b.dir, fmt.Sprintf("hr_%d_%d.%s", rows, year, format))
	m := b.child(fmt.Sprintf("generate %s %s rows", format, human(rows)), "", "bench", "step", "gen-hr", format, fmt.Sprint(rows), fmt.Sprint(year), fmt.Sprint(seed), p)
	m.rows = m.figures["rows"]
	m.bytes = m.figures["bytes"]
	return p, m
}

// pythonWith returns the first of python3 on PATH and Debian's
// /usr/bin/python3 that can import every module named, or "".
func pythonWith(ctx context.Context, modules ...string) string {
	for _, p := range []string{"python3", "/usr/bin/python3"} {
		if exec.CommandContext(ctx, p, "-c", "import "+strings.Join(modules, ", ")).Run() == nil {
			return p
		}
	}
	return ""
}

// pandasVersion names the pandas (and openpyxl) the baselines use.
func pandasVersion(ctx context.Context, python string) string {
	out, err := exec.CommandContext(ctx, python, "-c",
		`import sys, pandas; v = "pandas " + pandas.__version__
try:
    import openpyxl; v += ", openpyxl " + openpyxl.__version__
except ImportError:
    pass
print(v + ", Python " + sys.version.split()[0])`).Output()
	if err != nil {
		return "unknown"
	}
	return python + ": " + strings.TrimSpace(string(out))
}

func runBench(cmd *cobra.Command, o benchOptions) error {
	ctx := cmd.Context()
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	dir := o.dir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "jamstat-bench-"); err != nil {
			return err
		}
		if !o.keep {
			defer os.RemoveAll(dir)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b := &bench{ctx: ctx, exe: exe, dir: dir, logDir: filepath.Join(dir, "logs"), log: cmd.ErrOrStderr(), pending: isPending, timeout: o.timeout}
	if err := os.MkdirAll(b.logDir, 0o755); err != nil {
		return err
	}
	if o.xlsxRows == 0 {
		o.xlsxRows = o.employees
	}
	r := &benchReport{opts: o, started: time.Now(), loadStart: loadAvg()}
	r.machine(ctx)
	if p := pythonWith(ctx, "pandas"); p != "" {
		r.pandas = pandasVersion(ctx, p)
	}
	fmt.Fprintf(b.log, "bench: scratch directory %s (logs in %s)\n", dir, b.logDir)

	// CSV: DuckDB's read_csv against jamstat ingest on the same file.
	csvPath, g := b.genFile(gen.FormatCSV, o.employees, o.year, o.seed)
	r.add("gen", g)
	if g.ok() {
		m := median(o.reps, func() measurement {
			return b.child("DuckDB read_csv (baseline)", "", "bench", "step", "duckdb-read-csv", csvPath, filepath.Join(dir, "raw.duckdb"))
		})
		m.rows, m.bytes = g.rows, g.bytes
		r.add("csv-duckdb", m)
		m = median(o.reps, func() measurement { return b.ingestFresh("csv", "jamstat ingest CSV", csvPath) })
		m.rows, m.bytes = g.rows, g.bytes
		r.add("csv-ingest", m)
		r.add("csv-pandas", b.pandas("pandas read_csv", pandasCSV, csvPath, g, "pandas"))
	}

	// Parquet: DuckDB's read_parquet against jamstat ingest on the same rows.
	pqPath, gp := b.genFile(gen.FormatParquet, o.employees, o.year, o.seed)
	r.add("genp", gp)
	if gp.ok() {
		if st, err := os.Stat(pqPath); err == nil {
			gp.bytes = st.Size()
		}
		m := median(o.reps, func() measurement {
			return b.child("DuckDB read_parquet (baseline)", "", "bench", "step", "duckdb-read-parquet", pqPath, filepath.Join(dir, "rawp.duckdb"))
		})
		m.rows, m.bytes = gp.rows, gp.bytes
		r.add("parquet-duckdb", m)
		m = median(o.reps, func() measurement { return b.ingestFresh("parquet", "jamstat ingest Parquet", pqPath) })
		m.rows, m.bytes = gp.rows, gp.bytes
		r.add("parquet-ingest", m)
		os.Remove(pqPath)
	}

	// xlsx: excelize Rows(), inflate-only and jamstat ingest on the same file.
	xlsxPath, gx := b.genFile(gen.FormatXLSX, o.xlsxRows, o.year, o.seed)
	r.add("genx", gx)
	if gx.ok() {
		if st, err := os.Stat(xlsxPath); err == nil {
			gx.bytes = st.Size()
		}
		m := b.child("excelize Rows() (baseline)", "", "bench", "step", "excelize-rows", xlsxPath)
		m.rows, m.bytes = gx.rows, gx.bytes
		r.add("xlsx-excelize", m)
		m = median(o.reps, func() measurement {
			return b.child("inflate sheet XML only (floor)", "", "bench", "step", "inflate", xlsxPath)
		})
		m.rows, m.bytes = gx.rows, gx.bytes
		r.add("xlsx-inflate", m)
		m = median(o.reps, func() measurement {
			return b.child("jamstat parse xlsx, no database", "", "bench", "step", "parse", xlsxPath)
		})
		m.rows, m.bytes = gx.rows, gx.bytes
		r.add("xlsx-parse", m)
		m = median(o.reps, func() measurement { return b.ingestFresh("xlsx", "jamstat ingest xlsx", xlsxPath) })
		m.rows, m.bytes = gx.rows, gx.bytes
		r.add("xlsx-ingest", m)
		r.add("xlsx-pandas", b.pandas("pandas read_excel", pandasXLSX, xlsxPath, gx, "pandas", "openpyxl"))
	}

	// The national year end to end, then the scale series.
	if o.national > 0 {
		r.national = b.endToEnd(o.national, o.year, o.seed, true)
	}
	if o.scale {
		for _, n := range []int{1_000_000, 2_000_000, 4_000_000, 8_000_000} {
			if o.scaleMax > 0 && n > o.scaleMax {
				continue
			}
			r.scale = append(r.scale, b.endToEnd(n, o.year, o.seed, false))
		}
	}
	if o.tenYears && o.national > 0 {
		r.tenYears = b.tenYears(o.national, o.firstYear, o.firstYear+9, o.seed)
	}
	if o.goBench != "" {
		if raw, err := os.ReadFile(o.goBench); err == nil {
			r.goBench = string(raw)
		} else {
			r.goBenchErr = err.Error()
		}
	}
	r.loadEnd = loadAvg()
	r.finished = time.Now()
	var md bytes.Buffer
	r.write(&md)
	if err := os.WriteFile(o.out, md.Bytes(), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "bench: wrote %s in %.0f s\n", o.out, r.finished.Sub(r.started).Seconds())
	return nil
}

const (
	pandasCSV  = `import sys, pandas as pd; d = pd.read_csv(sys.argv[1], sep=";", decimal=",", thousands=" ", encoding="cp1252"); print("rows=%d" % len(d))`
	pandasXLSX = `import sys, pandas as pd; d = pd.read_excel(sys.argv[1]); print("rows=%d" % len(d))`
)

func (b *bench) pandas(name, script, path string, g measurement, modules ...string) measurement {
	python := pythonWith(b.ctx, modules...)
	if python == "" {
		fmt.Fprintf(b.log, "bench: %-40s skipped: python3 with %s is not installed\n", name, strings.Join(modules, " and "))
		return measurement{name: name, status: fmt.Sprintf("skipped: python3 with %s is not installed (Debian: python3-pandas%s)", strings.Join(modules, ", "),
			map[bool]string{true: ", python3-openpyxl", false: ""}[len(modules) > 1])}
	}
	m := b.child(name, python, "-c", script, path)
	m.rows, m.bytes = g.rows, g.bytes
	return m
}

// e2e is one end-to-end run: generate, ingest, indicators, compare, and
// (for the national year) sheets and the follow-up report.
type e2e struct {
	rows    int // rows a period
	periods int // 1, or 10 for the ten national years
	gen     measurement
	steps   []measurement
}

// goalSteps are the steps the national-year and scale goals count.
var goalSteps = map[string]bool{"ingest": true, "indicators compute": true, "compare": true}

func (e e2e) total() (wall float64, rss float64, complete bool) {
	complete = true
	for _, s := range e.steps {
		if !goalSteps[s.name] {
			continue
		}
		if !s.ok() {
			complete = false
			continue
		}
		wall += s.wall
		rss = max(rss, s.rssMB)
	}
	return
}

func (b *bench) endToEnd(rows, year int, seed uint64, national bool) e2e {
	e := e2e{rows: rows, periods: 1}
	path, g := b.genFile(gen.FormatCSV, rows, year, seed)
	e.gen = g
	if !g.ok() {
		return e
	}
	db, err := b.freshDB(fmt.Sprintf("e2e_%d", rows))
	if err != nil {
		e.steps = append(e.steps, measurement{name: "ingest", status: "failed: " + err.Error()})
		return e
	}
	y := fmt.Sprint(year)
	tag := human(rows)
	add := func(name string, argv ...string) {
		m := b.jamstat(name+" "+tag, append([]string{"--db", db}, argv...)...)
		m.name = name
		m.rows, m.bytes = g.rows, g.bytes
		e.steps = append(e.steps, m)
	}
	add("ingest", "ingest", "--synthetic", "--dataset", "national", path)
	add("indicators compute", "indicators", "compute")
	add("compare", "compare", "--year", y, "--format", "csv", "--out", filepath.Join(b.dir, fmt.Sprintf("compare_%d.csv", rows)))
	if national {
		// sheets works county by county: all 21 counties make the 290
		// municipalities (and the 21 counties' own sheets).
		var runs [][]string
		for _, c := range countyCodes() {
			runs = append(runs, []string{"--db", db, "sheets", "--county", c, "--year", y, "--out", filepath.Join(b.dir, "sheets")})
		}
		m := b.jamstatMany(fmt.Sprintf("sheets, %d counties %s", len(runs), tag), runs)
		m.name = fmt.Sprintf("sheets (%d counties, every municipality)", len(runs))
		e.steps = append(e.steps, m)
		add("report followup", "report", "followup", "--strategy", "national", "--county", "14", "--year", y, "--out", filepath.Join(b.dir, "followup"))
	}
	os.Remove(path) // the scale files are large; each is used once
	return e
}

// tenYears runs years y1..y2 of the national sector, rowsPerYear employees
// a year, one CSV a year as a national extract is delivered: one ingest of
// all the files, indicators for every period, the comparison for every
// period.
func (b *bench) tenYears(rowsPerYear, y1, y2 int, seed uint64) e2e {
	e := e2e{rows: rowsPerYear, periods: y2 - y1 + 1}
	dir := filepath.Join(b.dir, "years")
	tag := fmt.Sprintf("%d years × %s", e.periods, human(rowsPerYear))
	e.gen = b.child("generate "+tag, "", "bench", "step", "gen-hr-years", gen.FormatCSV, fmt.Sprint(rowsPerYear), fmt.Sprint(y1), fmt.Sprint(y2), fmt.Sprint(seed), dir)
	e.gen.rows, e.gen.bytes = e.gen.figures["rows"], e.gen.figures["bytes"]
	defer os.RemoveAll(dir)
	if !e.gen.ok() {
		return e
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.csv"))
	sort.Strings(files)
	db, err := b.freshDB("ten_years")
	if err != nil {
		e.steps = append(e.steps, measurement{name: "ingest", status: "failed: " + err.Error()})
		return e
	}
	add := func(name string, argv ...string) {
		m := b.jamstat(name+" "+tag, append([]string{"--db", db}, argv...)...)
		m.name = name
		m.rows, m.bytes = e.gen.rows, e.gen.bytes
		e.steps = append(e.steps, m)
	}
	add("ingest", append([]string{"ingest", "--synthetic"}, files...)...)
	add("indicators compute", "indicators", "compute")
	add("compare", "compare", "--format", "csv", "--out", filepath.Join(b.dir, "compare_ten_years.csv"))
	return e
}

func human(n int) string {
	switch {
	case n >= 1_000_000 && n%100_000 == 0:
		return strconv.FormatFloat(float64(n)/1e6, 'f', -1, 64) + "M"
	case n >= 1000 && n%1000 == 0:
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

// ---- machine facts ----

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// ---- the report ----

type benchReport struct {
	opts              benchOptions
	started, finished time.Time
	loadStart         string
	loadEnd           string
	cpuModel, memory  string
	duckdbVersion     string
	pandas            string
	results           map[string]measurement
	order             []string
	national          e2e
	scale             []e2e
	tenYears          e2e
	goBench           string
	goBenchErr        string
}

func (r *benchReport) add(key string, m measurement) {
	if r.results == nil {
		r.results = map[string]measurement{}
	}
	r.results[key] = m
	r.order = append(r.order, key)
}

func (r *benchReport) get(key string) (measurement, bool) {
	m, ok := r.results[key]
	return m, ok && m.ok()
}

func (r *benchReport) machine(ctx context.Context) {
	r.cpuModel = procField("/proc/cpuinfo", "model name")
	r.memory = procField("/proc/meminfo", "MemTotal")
	if kb, err := strconv.ParseFloat(strings.TrimSuffix(r.memory, " kB"), 64); err == nil {
		r.memory = fmt.Sprintf("%.1f GiB", kb/(1<<20))
	}
	r.duckdbVersion = "unknown"
	if db, err := sql.Open("duckdb", ""); err == nil {
		var v string
		if db.QueryRowContext(ctx, `SELECT version()`).Scan(&v) == nil {
			r.duckdbVersion = v
		}
		db.Close()
	}
}

func (r *benchReport) write(w io.Writer) {
	o := r.opts
	fmt.Fprintf(w, "# jamstat benchmarks\n\n")
	fmt.Fprintf(w, "Written by `make bench` (`jamstat bench`) on %s, in %.0f s. Every figure below was measured in this run; ",
		r.started.UTC().Format("2006-01-02 15:04 UTC"), r.finished.Sub(r.started).Seconds())
	fmt.Fprintf(w, "the baselines ran on the same files in the same run. The data are SYNTHETIC HR register extracts from `jamstat gen` "+
		"(seed %d, year %d, all 290 kommuner and 21 regions in proportion to population), one file per format, in the HR export contract's "+
		"Swedish CSV flavour (`;`, decimal comma, Windows-1252, CRLF) and as xlsx (sheet \"Anställda\").\n\n", o.seed, o.year)
	fmt.Fprintf(w, "Each step ran as a child process: seconds are wall-clock, CPU is user + system time of the process and its threads, "+
		"peak RSS is the child's own peak resident set (VmHWM from /proc, sampled every 10 ms; getrusage's ru_maxrss would include the parent's, as Go starts children with CLONE_VM). Rates are rows (or input MB) per wall-clock second. "+
		"The ingest steps and their DuckDB, inflate and parse baselines ran %d times each (a fresh database for every ingest); the tables show the run with the median time, "+
		"its fastest and slowest beside it, and the largest peak RSS. The long baselines (excelize, pandas) and the end-to-end runs ran once.\n\n", max(o.reps, 1))

	fmt.Fprintf(w, "## Machine\n\n| | |\n|---|---|\n")
	fmt.Fprintf(w, "| CPUs (nproc) | %d |\n| CPU model | %s |\n| memory | %s |\n| Go | %s |\n| DuckDB | %s |\n| jamstat | %s |\n",
		runtime.NumCPU(), r.cpuModel, r.memory, runtime.Version(), r.duckdbVersion, version)
	if r.pandas != "" {
		fmt.Fprintf(w, "| pandas baselines | %s |\n", r.pandas)
	}
	fmt.Fprintf(w, "| load average (1, 5, 15 min) at start | %s |\n| load average at end | %s |\n\n", r.loadStart, r.loadEnd)
	fmt.Fprintf(w, "A load average above the number of CPUs means other processes shared the machine during the run, "+
		"which lengthens wall-clock times; the ratios compare steps that ran under the same conditions, one after another.\n\n")

	// CSV
	g := r.results["gen"]
	fmt.Fprintf(w, "## CSV ingest (%s employee rows, %.1f MB)\n\n", thousands(g.rows), mb(g.bytes))
	r.table(w, "gen", "csv-duckdb", "csv-ingest", "csv-pandas")
	fmt.Fprintf(w, "\nDuckDB's baseline is `CREATE TABLE raw AS SELECT * FROM read_csv(file, delim=';', header=true, encoding='latin-1')` "+
		"into a new database file: types detected, nothing checked. jamstat ingest detects the format and the built-in HR spec, decodes "+
		"Windows-1252, parses decimal commas and thousands separators, checks every field (sex, wage, employment rate, codes, duplicates), "+
		"hashes the file and loads `employee` atomically, into a database created beforehand with `jamstat init` (not timed).\n\n")

	// Parquet
	if gp, ok := r.results["genp"]; ok {
		fmt.Fprintf(w, "## Parquet ingest (%s employee rows, %.1f MB)\n\n", thousands(gp.rows), mb(gp.bytes))
		r.table(w, "genp", "parquet-duckdb", "parquet-ingest")
		fmt.Fprintf(w, "\n`jamstat gen --format parquet` writes the employee table's canonical columns (zstd). DuckDB's baseline is "+
			"`CREATE TABLE raw AS SELECT * FROM read_parquet(file)`; jamstat ingest hashes the file, checks sex and the required fields in SQL, "+
			"keeps failing rows in rejected_row and loads `employee` in one transaction.\n\n")
	}

	// xlsx
	gx := r.results["genx"]
	fmt.Fprintf(w, "## xlsx ingest (%s employee rows, %.1f MB)\n\n", thousands(gx.rows), mb(gx.bytes))
	r.table(w, "genx", "xlsx-inflate", "xlsx-parse", "xlsx-excelize", "xlsx-ingest", "xlsx-pandas")
	if m, ok := r.get("xlsx-inflate"); ok {
		fmt.Fprintf(w, "\nInflate-only decompresses the worksheet XML (%.1f MB inflated) to io.Discard with archive/zip and parses nothing: "+
			"no reader can be faster. excelize's baseline iterates `Rows()` and reads every row's `Columns()`.\n\n", mb(m.figures["bytes"]))
	}

	// Goals
	fmt.Fprintf(w, "## Goals (issue 3)\n\n| goal | target | measured | met |\n|---|---|---|---|\n")
	r.ratioGoal(w, "CSV ingest speed vs DuckDB read_csv", "≥ 0.7×", "csv-duckdb", "csv-ingest", func(x float64) bool { return x >= 0.7 })
	r.ratioGoal(w, "xlsx ingest speed vs excelize Rows()", "≥ 5×", "xlsx-excelize", "xlsx-ingest", func(x float64) bool { return x >= 5 })
	if a, ok1 := r.get("xlsx-ingest"); ok1 {
		if b, ok2 := r.get("xlsx-inflate"); ok2 && b.wall > 0 {
			x := a.wall / b.wall
			fmt.Fprintf(w, "| xlsx ingest time vs inflate-only | within 3× | %.1f× | %s |\n", x, yesNo(x <= 3))
			if p, ok := r.get("xlsx-parse"); ok {
				y := p.wall / b.wall
				fmt.Fprintf(w, "| (of which: parse and checks, no database, vs inflate-only) | | %.1f× | |\n", y)
			}
		}
		fmt.Fprintf(w, "| xlsx ingest peak RSS | < 500 MB | %.0f MB | %s |\n", a.rssMB, yesNo(a.rssMB < 500))
	} else {
		fmt.Fprintf(w, "| xlsx ingest time vs inflate-only | within 3× | not measured | |\n| xlsx ingest peak RSS | < 500 MB | not measured | |\n")
	}
	fmt.Fprintln(w)

	// National year
	if r.national.rows > 0 {
		n := r.national
		fmt.Fprintf(w, "## National year end to end (%s employee rows, CSV)\n\n", thousands(n.gen.rows))
		fmt.Fprintf(w, "| step | seconds | CPU s | peak RSS MB | note |\n|---|---:|---:|---:|---|\n")
		fmt.Fprintf(w, "| generate the CSV (not counted) | %s |\n", secondsCells(n.gen))
		for _, s := range n.steps {
			fmt.Fprintf(w, "| %s | %s |\n", s.name, secondsCells(s))
		}
		wall, rss, complete := n.total()
		fmt.Fprintf(w, "| **ingest + indicators + compare** | **%.1f** | | %.0f | %s |\n\n", wall, rss, map[bool]string{true: "", false: "incomplete: a counted step is missing"}[complete])
		fmt.Fprintf(w, "Goal (issue 8): one national year, about 1.2 million rows, ingested with every indicator and the comparison computed for all "+
			"290 municipalities and 21 regions in under 60 s end to end. ")
		switch {
		case !complete:
			fmt.Fprintf(w, "Not judged: a counted step was not available or failed (see the table).\n\n")
		case n.gen.rows < 1_150_000:
			fmt.Fprintf(w, "Not judged at this size (%s rows; run `jamstat bench --national 1200000`).\n\n", thousands(n.gen.rows))
		default:
			fmt.Fprintf(w, "Measured %.1f s: %s.\n\n", wall, map[bool]string{true: "met", false: "not met"}[wall < 60])
		}
	}

	// Scale
	if len(r.scale) > 0 {
		fmt.Fprintf(w, "## Scale (CSV, ingest + indicators + compare)\n\n| rows | ingest s | indicators s | compare s | total s | s per million rows | peak RSS MB |\n|---:|---:|---:|---:|---:|---:|---:|\n")
		row := func(e e2e, label string) {
			if !e.gen.ok() {
				fmt.Fprintf(w, "| %s%s | %s |\n", human(e.rows*e.periods), label, e.gen.status)
				return
			}
			cells := []string{thousands(e.gen.rows) + label}
			for _, s := range e.steps {
				if goalSteps[s.name] {
					cells = append(cells, wallCell(s))
				}
			}
			wall, rss, complete := e.total()
			if complete {
				cells = append(cells, fmt.Sprintf("%.1f", wall), fmt.Sprintf("%.1f", wall/(float64(e.gen.rows)/1e6)), fmt.Sprintf("%.0f", rss))
			} else {
				cells = append(cells, "incomplete", "", fmt.Sprintf("%.0f", rss))
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		}
		for _, e := range r.scale {
			row(e, "")
		}
		if r.tenYears.periods > 0 {
			row(r.tenYears, fmt.Sprintf(" (%d periods)", r.tenYears.periods))
		}
		fmt.Fprintf(w, "\nEach size is one generated year (all employers in proportion) unless its periods are given; the ten national years are detailed below.\n\n")
	}

	// Ten years
	if t := r.tenYears; t.periods > 0 {
		fmt.Fprintf(w, "## Ten national years end to end (%d periods × %s rows = %s rows, one CSV a year)\n\n", t.periods, thousands(t.rows), thousands(t.gen.rows))
		fmt.Fprintf(w, "| step | seconds | CPU s | peak RSS MB | note |\n|---|---:|---:|---:|---|\n")
		fmt.Fprintf(w, "| generate the %d CSV files, %.0f MB (not counted) | %s |\n", t.periods, mb(t.gen.bytes), secondsCells(t.gen))
		for _, st := range t.steps {
			fmt.Fprintf(w, "| %s | %s |\n", st.name, secondsCells(st))
		}
		wall, rss, complete := t.total()
		fmt.Fprintf(w, "| **ingest + indicators + compare** | **%.1f** | | %.0f | %s |\n\n", wall, rss, map[bool]string{true: "", false: "incomplete: a counted step is missing"}[complete])
		fmt.Fprintf(w, "The files come from one `gen` run over the ten years (persons persist, age and move between occupations), written one file a year; "+
			"one `jamstat ingest` loads all ten, `indicators compute` computes every indicator for every period, `compare` compares every employer in every period.\n\n")
		fmt.Fprintf(w, "Goal (issue 8): ten years, 12 million rows, in under 10 minutes with peak RSS under 4 GiB. ")
		switch {
		case !t.gen.ok() || !complete:
			fmt.Fprintf(w, "Not judged: a step was not available or failed (see the table).\n\n")
		case t.gen.rows < 11_500_000 || t.periods < 10:
			fmt.Fprintf(w, "Not judged at this size (%s rows over %d periods; run `jamstat bench --ten-years --national 1200000`).\n\n", thousands(t.gen.rows), t.periods)
		default:
			fmt.Fprintf(w, "Measured %.0f s and %.0f MB (%.1f GiB): %s.\n\n", wall, rss, rss*1e6/(1<<30),
				map[bool]string{true: "met", false: "not met"}[wall < 600 && rss*1e6 < 4*(1<<30)])
		}
	}

	if r.goBench != "" || r.goBenchErr != "" {
		fmt.Fprintf(w, "## Go benchmarks (`go test -bench`)\n\n")
		if r.goBenchErr != "" {
			fmt.Fprintf(w, "Not included: %s\n\n", r.goBenchErr)
		} else {
			var lines []string
			for _, l := range strings.Split(r.goBench, "\n") {
				if strings.HasPrefix(l, "Benchmark") || strings.HasPrefix(l, "pkg:") {
					lines = append(lines, strings.Join(strings.Fields(l), " "))
				}
			}
			fmt.Fprintf(w, "```\n%s\n```\n\n", strings.Join(lines, "\n"))
		}
	}
	fmt.Fprintf(w, "Reproduce: `make bench` (defaults: %s rows for CSV and xlsx, %s for the national year); `bin/jamstat bench --help` lists the sizes, `--scale` adds 1, 2, 4 and 8 million rows and `--ten-years` ten national years.\n",
		thousands(1_000_000), thousands(1_200_000))
}

func (r *benchReport) table(w io.Writer, keys ...string) {
	fmt.Fprintf(w, "| step | seconds | CPU s | rows/s | MB/s | peak RSS MB | runs (fastest–slowest s) |\n|---|---:|---:|---:|---:|---:|---|\n")
	for _, k := range keys {
		m, ok := r.results[k]
		if !ok {
			continue
		}
		name := m.name
		if k == "gen" || k == "genx" {
			name += " (not a benchmark)"
		}
		if !m.ok() {
			fmt.Fprintf(w, "| %s | %s | | | | | |\n", name, m.status)
			continue
		}
		runs := ""
		if m.runs > 1 {
			runs = fmt.Sprintf("%d (%.2f–%.2f)", m.runs, m.minWall, m.maxWall)
		}
		fmt.Fprintf(w, "| %s | %.2f | %.2f | %s | %.1f | %.0f | %s |\n", name, m.wall, m.cpu, thousands(int64(float64(m.rows)/m.wall)), mb(m.bytes)/m.wall, m.rssMB, runs)
	}
}

// ratioGoal prints speed(test) / speed(base) = base time / test time.
func (r *benchReport) ratioGoal(w io.Writer, goal, target, base, test string, met func(float64) bool) {
	bm, ok1 := r.get(base)
	tm, ok2 := r.get(test)
	if !ok1 || !ok2 || tm.wall == 0 {
		why := "not measured"
		if m, ok := r.results[test]; ok && !m.ok() {
			why = m.status
		} else if m, ok := r.results[base]; ok && !m.ok() {
			why = "baseline " + m.status
		}
		fmt.Fprintf(w, "| %s | %s | %s | |\n", goal, target, why)
		return
	}
	x := bm.wall / tm.wall
	fmt.Fprintf(w, "| %s | %s | %.2f× (%.2f s vs %.2f s) | %s |\n", goal, target, x, tm.wall, bm.wall, yesNo(met(x)))
}

func secondsCells(m measurement) string {
	if !m.ok() {
		return fmt.Sprintf(" | | | %s", m.status)
	}
	return fmt.Sprintf("%.1f | %.1f | %.0f | ", m.wall, m.cpu, m.rssMB)
}

func wallCell(m measurement) string {
	if !m.ok() {
		return m.status
	}
	return fmt.Sprintf("%.1f", m.wall)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

func mb(b int64) float64 { return float64(b) / 1e6 }

// thousands writes 1234567 as "1 234 567", as Swedish reports do.
func thousands[T int | int64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	var parts []string
	for len(s) > 3 {
		parts = append([]string{s[len(s)-3:]}, parts...)
		s = s[:len(s)-3]
	}
	parts = append([]string{s}, parts...)
	return strings.Join(parts, " ")
}
