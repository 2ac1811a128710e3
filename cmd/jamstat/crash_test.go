package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jamstat/jamstat/data"
	"github.com/jamstat/jamstat/store"
)

// TestMain lets the test binary stand in for the jamstat binary, so that the
// crash test can start `jamstat ingest` as a real process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("JAMSTAT_TEST_AS_MAIN") == "1" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// writeBigPX writes a PX cube of every kommun × 101 ages × 2 sexes × years
// periods, with known cell values, and returns the number of cells.
func writeBigPX(t *testing.T, path string, years int) int {
	t.Helper()
	geos, err := data.Geos()
	if err != nil {
		t.Fatal(err)
	}
	var codes, names []string
	for _, g := range geos {
		if g.Kind == data.KindKommun {
			codes = append(codes, `"`+g.Code+`"`)
			names = append(names, `"`+g.Code+` `+g.Name+`"`)
		}
	}
	var ages, periods []string
	for a := 0; a <= 100; a++ {
		ages = append(ages, fmt.Sprintf(`"%d"`, a))
	}
	for y := 0; y < years; y++ {
		periods = append(periods, fmt.Sprintf(`"%d"`, 1970+y))
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "CHARSET=\"ANSI\";\nAXIS-VERSION=\"2006\";\nLANGUAGE=\"sv\";\nMATRIX=\"CRASH01\";\nTITLE=\"Crash test cube\";\nCONTENTS=\"Folkmängd\";\nUNITS=\"antal\";\n")
	fmt.Fprintf(w, "STUB=\"region\",\"ålder\",\"kön\";\nHEADING=\"år\";\n")
	fmt.Fprintf(w, "VALUES(\"region\")=%s;\nCODES(\"region\")=%s;\n", strings.Join(names, ","), strings.Join(codes, ","))
	fmt.Fprintf(w, "VALUES(\"ålder\")=%s;\nVALUES(\"kön\")=\"män\",\"kvinnor\";\nCODES(\"kön\")=\"1\",\"2\";\n", strings.Join(ages, ","))
	fmt.Fprintf(w, "VALUES(\"år\")=%s;\nTIMEVAL(\"år\")=TLIST(A1),%s;\nDATA=\n", strings.Join(periods, ","), strings.Join(periods, ","))
	cells := len(codes) * len(ages) * 2 * years
	for i := 0; i < cells; i++ {
		fmt.Fprintf(w, "%d ", i%1000)
		if i%20 == 19 {
			w.WriteByte('\n')
		}
	}
	w.WriteString(";\n")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return cells
}

// TestCrashDuringIngestLeavesNoPartialDataset kills `jamstat ingest` with
// SIGKILL at random points of a large load and checks, after each kill, that
// the earlier dataset is intact and the interrupted one absent or complete.
func TestCrashDuringIngestLeavesNoPartialDataset(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test starts processes; skipped with -short")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "crash.duckdb")
	small := filepath.Join("..", "..", "testdata", "real", "se_scb_px_pxweb_examples", "BE0101A1.px")
	if _, stderr, code := jamstat(t, "--db", db, "ingest", small); code != 0 {
		t.Fatalf("ingest small: %s", stderr)
	}
	big := filepath.Join(dir, "big.px")
	cells := writeBigPX(t, big, 12)

	rng := rand.New(rand.NewSource(20261123))
	for round := 0; round < 3; round++ {
		cmd := exec.Command(os.Args[0], "--db", db, "ingest", "--dataset", "big", big)
		cmd.Env = append(os.Environ(), "JAMSTAT_TEST_AS_MAIN=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		delay := time.Duration(50+rng.Intn(5000)) * time.Millisecond // a full load takes about 5 s here
		killed := false
		select {
		case <-done:
		case <-time.After(delay):
			cmd.Process.Signal(syscall.SIGKILL)
			<-done
			killed = true
		}
		checkAfterCrash(t, db, cells, round, killed)
		if !killed {
			// The load finished before the kill: drop it so the next round loads again.
			d, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			for _, tbl := range []string{"observation", "dataset"} {
				if _, err := d.SQL.Exec(`DELETE FROM ` + tbl + ` WHERE dataset_id = 'big'`); err != nil {
					t.Fatal(err)
				}
			}
			d.Close()
		}
	}
}

func checkAfterCrash(t *testing.T, path string, cells, round int, killed bool) {
	t.Helper()
	d, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("round %d: reopen after kill: %v", round, err)
	}
	defer d.Close()
	var smallRows, small2005 int64
	d.SQL.QueryRow(`SELECT count(*), CAST(sum(value) FILTER (WHERE period = '2005') AS BIGINT) FROM observation WHERE dataset_id = 'be0101a1'`).Scan(&smallRows, &small2005)
	if smallRows != 33936 || small2005 != 9047752 {
		t.Fatalf("round %d: earlier dataset damaged: %d rows, 2005 sum %d", round, smallRows, small2005)
	}
	var bigRows, datasetRows int64
	d.SQL.QueryRow(`SELECT count(*) FROM observation WHERE dataset_id = 'big'`).Scan(&bigRows)
	d.SQL.QueryRow(`SELECT count(*) FROM dataset WHERE dataset_id = 'big'`).Scan(&datasetRows)
	switch {
	case bigRows == 0 && datasetRows == 0:
		t.Logf("round %d (killed=%v): interrupted dataset absent", round, killed)
	case bigRows == int64(cells) && datasetRows == 1:
		t.Logf("round %d (killed=%v): dataset complete", round, killed)
	default:
		t.Fatalf("round %d: partial dataset: %d of %d rows, %d dataset rows", round, bigRows, cells, datasetRows)
	}
}
