package gen

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// HRPath is where Run writes one employer's file for one year, relative
// to Config.Out.
func HRPath(employerCode string, year int, format string) string {
	return filepath.Join("hr", fmt.Sprint(year), fmt.Sprintf("anstallda_%s_%d.%s", employerCode, year, format))
}

// Run writes the configured HR files under cfg.Out/hr/<year>/ (one file
// per employer and year) and, with cfg.Demo, the Kolada-style series under
// cfg.Out/kolada/. Employers are generated in parallel (cfg.Workers); each
// has its own random stream, so the files do not depend on scheduling.
func Run(ctx context.Context, cfg Config) (Summary, error) {
	if err := cfg.validate(); err != nil {
		return Summary{}, err
	}
	cal, err := loadCalibration()
	if err != nil {
		return Summary{}, err
	}
	emps, err := planEmployers(cfg, cal)
	if err != nil {
		return Summary{}, err
	}
	for y := cfg.Years[0]; y <= cfg.Years[1]; y++ {
		if err := os.MkdirAll(filepath.Join(cfg.Out, "hr", fmt.Sprint(y)), 0o755); err != nil {
			return Summary{}, fmt.Errorf("gen: %w", err)
		}
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = 2
	}
	results := make([]Summary, len(emps))
	var stats []*hrStats
	if cfg.Demo {
		stats = make([]*hrStats, len(emps))
	}
	errs := make([]error, len(emps))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				var observe func(*Row)
				if stats != nil {
					st := newHRStats()
					stats[i] = st
					observe = st.observe
				}
				var written Summary
				s, err := generateEmployer(cfg, cal, emps[i], len(emps), fileOpener(cfg.Out, &written), observe)
				s.Bytes += written.Bytes
				results[i], errs[i] = s, err
			}
		}()
	}
	var ctxErr error
	for i := range emps {
		if err := ctx.Err(); err != nil {
			ctxErr = err
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if ctxErr != nil {
		return Summary{}, fmt.Errorf("gen: %w", ctxErr)
	}
	var sum Summary
	for i := range emps {
		if errs[i] != nil {
			return sum, errs[i]
		}
		sum.add(results[i])
	}
	sum.Employers = len(emps)
	if cfg.Demo {
		files, err := writeKolada(cfg, cal, emps, stats)
		if err != nil {
			return sum, err
		}
		sum.Kolada = files
	}
	return sum, nil
}

// fileOpener returns an opener that creates the file for each employer
// and year and counts its bytes into sum.
func fileOpener(out string, sum *Summary) func(FileInfo) (EmployeeWriter, error) {
	return func(fi FileInfo) (EmployeeWriter, error) {
		return &fileWriter{path: filepath.Join(out, HRPath(fi.Employer, fi.Year, fi.Format)), sum: sum}, nil
	}
}

// fileWriter opens its file on Begin and closes it on End.
type fileWriter struct {
	path string
	sum  *Summary
	f    *os.File
	cw   *countWriter
	w    EmployeeWriter
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func (fw *fileWriter) Begin(fi FileInfo) error {
	f, err := os.Create(fw.path)
	if err != nil {
		return err
	}
	fw.f = f
	fw.cw = &countWriter{w: f}
	switch fi.Format {
	case FormatXLSX:
		fw.w = NewXLSXWriter(fw.cw)
	case FormatParquet:
		fw.w = NewParquetWriter(fw.cw)
	default:
		fw.w = NewCSVWriter(fw.cw)
	}
	return fw.w.Begin(fi)
}

func (fw *fileWriter) Write(r *Row) error { return fw.w.Write(r) }

func (fw *fileWriter) End() error {
	err := fw.w.End()
	if cerr := fw.f.Close(); err == nil {
		err = cerr
	}
	fw.sum.Bytes += fw.cw.n
	if err != nil {
		return fmt.Errorf("%s: %w", fw.path, err)
	}
	return nil
}

// WriteDemo regenerates the demo set (DemoConfig) into dir, removing its
// hr/ and kolada/ subdirectories first so no stale file survives. The
// calibration/ and real/ subdirectories are left alone.
func WriteDemo(ctx context.Context, dir string) (Summary, error) {
	for _, sub := range []string{"hr", "kolada"} {
		if err := os.RemoveAll(filepath.Join(dir, sub)); err != nil {
			return Summary{}, fmt.Errorf("gen: %w", err)
		}
	}
	return Run(ctx, DemoConfig(dir))
}
