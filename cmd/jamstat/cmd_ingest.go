package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/jamstat/jamstat/ingest"
	"github.com/jamstat/jamstat/store"
)

// ingestOptions are the flags of `jamstat ingest`.
type ingestOptions struct {
	specPath  string
	dataset   string
	strict    bool
	synthetic bool
	limits    ingest.Limits
}

func init() {
	register(func(g *globals) *cobra.Command {
		var o ingestOptions
		cmd := &cobra.Command{
			Use:   "ingest [--spec FILE] [--dataset NAME] [--strict] FILE...",
			Short: "Load statistics files (PX, JSON-stat, Kolada JSON, CSV, xlsx) into the database",
			Long: `ingest detects each file's format from its content and loads it into the canonical tables:
observation for aggregate statistics, employee for HR register extracts. Each file loads completely
or not at all. Rows that cannot be read are kept in rejected_row with file, sheet, line, column and
reason (see 'jamstat datasets --rejected ID'). Re-ingesting an identical file does nothing; a changed
version of the same dataset replaces its rows.`,
			Args: args(cobra.MinimumNArgs(1)),
			RunE: func(cmd *cobra.Command, files []string) error {
				if o.dataset != "" && len(files) > 1 {
					return usagef("--dataset names one dataset; give one FILE with it")
				}
				ctx := cmd.Context()
				db, err := g.open(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				for _, f := range files {
					res, err := ingestFile(cmd, db, f, o)
					if err != nil {
						return err
					}
					printLoad(cmd.OutOrStdout(), f, res)
				}
				return nil
			},
		}
		cmd.Flags().StringVar(&o.specPath, "spec", "", "dataset spec (YAML) describing a CSV or xlsx layout")
		cmd.Flags().StringVar(&o.dataset, "dataset", "", "dataset id (default: from the file name)")
		cmd.Flags().BoolVar(&o.strict, "strict", false, "fail the file if any row is rejected")
		cmd.Flags().BoolVar(&o.synthetic, "synthetic", false, "mark the dataset as synthetic (generated) data")
		def := ingest.DefaultLimits()
		cmd.Flags().Int64Var(&o.limits.MaxFileBytes, "max-file-bytes", def.MaxFileBytes, "refuse files larger than this")
		cmd.Flags().Int64Var(&o.limits.MaxDecompressedBytes, "max-inflated-bytes", def.MaxDecompressedBytes, "refuse xlsx parts that inflate beyond this (zip bombs)")
		cmd.Flags().IntVar(&o.limits.MaxRows, "max-rows", def.MaxRows, "refuse files with more data rows (cells for PX and JSON-stat)")
		cmd.Flags().IntVar(&o.limits.MaxColumns, "max-columns", def.MaxColumns, "refuse files with more columns")
		cmd.Flags().IntVar(&o.limits.MaxCellBytes, "max-cell-bytes", def.MaxCellBytes, "refuse cells longer than this")
		return cmd
	})
}

func ingestFile(cmd *cobra.Command, db *store.DB, path string, o ingestOptions) (store.LoadResult, error) {
	sum, err := fileSHA256(path)
	if err != nil {
		return store.LoadResult{}, fmt.Errorf("ingest %s: %w", path, err)
	}
	opts := ingest.Options{File: filepath.Base(path), Strict: o.strict, Limits: o.limits}
	if o.specPath != "" {
		spec, err := ingest.LoadSpec(o.specPath)
		if err != nil {
			return store.LoadResult{}, err
		}
		opts.Spec = spec
	}
	id := o.dataset
	if id == "" && opts.Spec != nil && opts.Spec.Name != "" {
		id = opts.Spec.Name
	}
	if id == "" {
		id = datasetIDFromPath(path)
	}
	info := store.LoadInfo{DatasetID: id, SourceFile: filepath.Base(path), SHA256: sum, Synthetic: o.synthetic}
	progress := newProgress(cmd.ErrOrStderr(), filepath.Base(path))
	res, err := db.Load(cmd.Context(), info, func(sink ingest.Sink) (ingest.Meta, error) {
		return ingest.ParseFile(path, opts, progress.wrap(sink))
	})
	progress.done()
	if errors.Is(err, ingest.ErrNeedsStore) {
		res, err = db.LoadParquet(cmd.Context(), info, path)
	}

	if err != nil {
		return res, err
	}
	return res, nil
}

func printLoad(w io.Writer, path string, r store.LoadResult) {
	name := filepath.Base(path)
	if r.Unchanged {
		fmt.Fprintf(w, "%s: unchanged since last load (dataset %s, %d rows), nothing to do\n", name, r.DatasetID, r.RowsLoaded)
		return
	}
	verb := "loaded"
	if r.Replaced {
		verb = "replaced"
	}
	what := fmt.Sprintf("%d observations", r.Observations)
	if r.Employees > 0 {
		what = fmt.Sprintf("%d employee rows", r.Employees)
	}
	fmt.Fprintf(w, "%s: %s dataset %s (%s): %d rows read = %d loaded + %d rejected; %s\n",
		name, verb, r.DatasetID, r.Meta.Format, r.RowsRead, r.RowsLoaded, r.RowsRejected, what)
	if r.RowsRejected > 0 {
		fmt.Fprintf(w, "  see the rejected rows: jamstat datasets --rejected %s\n", r.DatasetID)
	}
}

// progress prints a row count on stderr while a long file loads, only when
// stderr is a terminal.
type progress struct {
	w       io.Writer
	name    string
	enabled bool
	rows    int64
	last    time.Time
	shown   bool
}

func newProgress(w io.Writer, name string) *progress {
	p := &progress{w: w, name: name}
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			p.enabled = true
		}
	}
	return p
}

func (p *progress) wrap(s ingest.Sink) ingest.Sink {
	if !p.enabled {
		return s
	}
	return &progressSink{Sink: s, p: p}
}

func (p *progress) tick() {
	p.rows++
	if p.rows%8192 != 0 {
		return
	}
	if now := time.Now(); now.Sub(p.last) > 200*time.Millisecond {
		p.last = now
		p.shown = true
		fmt.Fprintf(p.w, "\r%s: %d rows…", p.name, p.rows)
	}
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprintf(p.w, "\r%s: %d rows read\n", p.name, p.rows)
	}
}

type progressSink struct {
	ingest.Sink
	p *progress
}

func (s *progressSink) Observation(o *ingest.Observation) error {
	s.p.tick()
	return s.Sink.Observation(o)
}
func (s *progressSink) Employee(e *ingest.Employee) error { s.p.tick(); return s.Sink.Employee(e) }
func (s *progressSink) Reject(r ingest.Rejected) error    { s.p.tick(); return s.Sink.Reject(r) }
