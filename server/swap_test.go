package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jamstat/jamstat/store"
)

// offsetOf tells which database version a response came from, and checks
// that all of its values come from that one version.
func offsetOf(t *testing.T, d dataResp) (float64, error) {
	if len(d.Values) != 1 || len(d.Values[0].Values) != 3 {
		return 0, fmt.Errorf("unexpected response %+v", d)
	}
	ind := fixtureInds[0]
	var off float64
	for i, v := range d.Values[0].Values {
		if v.Value == nil {
			return 0, fmt.Errorf("%s: null", v.Gender)
		}
		o := *v.Value - fixtureValue(ind, 0, "2023", v.Gender, 0)
		if i == 0 {
			off = o
		} else if o != off {
			return 0, fmt.Errorf("values from two versions in one response: %+v", d.Values[0].Values)
		}
	}
	return off, nil
}

// TestSwapUnderLoad: readers hammer the API while new database files are
// written and renamed over the served one. Every response is 200 and rests
// on one version; versions only move forward; at the end the last file is
// served and the cache holds only its entries.
func TestSwapUnderLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "served.duckdb")
	ctx := context.Background()
	if err := buildFixture(ctx, path, 0); err != nil {
		t.Fatal(err)
	}
	s, ts := newTestServer(t, path, func(c *Config) { c.CheckInterval = -1 })
	v0 := s.DataVersion()

	const swaps, readers, maxRequests = 3, 4, 5000
	// The new versions are written first (as an ingest into a copy would
	// be), so the renames come while the readers are busy.
	for i := 1; i <= swaps; i++ {
		if err := buildFixture(ctx, filepath.Join(dir, fmt.Sprintf("next-%d.duckdb", i)), float64(i*1000)); err != nil {
			t.Fatal(err)
		}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, readers*maxRequests)
	var maxSeen, served atomic.Int64
	seen := make([]map[float64]int, readers)
	for r := 0; r < readers; r++ {
		seen[r] = map[float64]int{}
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			last := -1.0
			for i := 0; i < maxRequests; i++ {
				select {
				case <-done:
					return
				default:
				}
				path := "/api/v1/data?indicator=lon-medel&municipality=1480&period=2023"
				if r%3 == 1 {
					path = "/kommun/1480/data.json" // a cached download, then rebuilt per version
				}
				resp, err := ts.Client().Get(ts.URL + path)
				if err != nil {
					errs <- err
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 {
					errs <- fmt.Errorf("%s: status %d %v %s", path, resp.StatusCode, err, body)
					continue
				}
				var d dataResp
				if err := json.Unmarshal(body, &d); err != nil {
					errs <- err
					continue
				}
				if r%3 == 1 {
					var one dataResp
					for _, v := range d.Values {
						if v.Indicator == "lon-medel" && string(v.Period) == "2023" {
							one.Values = append(one.Values, v)
						}
					}
					d = one
				}
				off, err := offsetOf(t, d)
				if err != nil {
					errs <- err
					continue
				}
				if off < last {
					errs <- fmt.Errorf("version went back from %v to %v", last, off)
				}
				last = off
				seen[r][off]++
				served.Add(1)
				for {
					m := maxSeen.Load()
					if int64(off) <= m || maxSeen.CompareAndSwap(m, int64(off)) {
						break
					}
				}
			}
		}(r)
	}

	waitServed := func(n int64) {
		for deadline := time.Now().Add(60 * time.Second); served.Load() < n; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("readers stalled at %d responses", served.Load())
			}
		}
	}
	for i := 1; i <= swaps; i++ {
		waitServed(int64(i) * 1000) // each version serves a while under load
		next := filepath.Join(dir, fmt.Sprintf("next-%d.duckdb", i))
		if err := os.Rename(next, path); err != nil {
			t.Fatal(err)
		}
		// Let the readers meet the new version before the next swap (the
		// bound only keeps a broken server from hanging the test).
		for deadline := time.Now().Add(60 * time.Second); maxSeen.Load() < int64(i*1000); {
			if time.Now().After(deadline) {
				t.Fatalf("version %d never served", i)
			}
			time.Sleep(5 * time.Millisecond)
			// Readers may have used up their requests: ask too.
			if _, d := getData(t, ts.URL, "/api/v1/data?indicator=lon-medel&municipality=1480&period=2023"); len(d.Values) == 1 {
				if off, err := offsetOf(t, d); err == nil && off >= float64(i*1000) {
					break
				}
			}
		}
	}
	waitServed(served.Load() + 200) // the readers meet the last version too
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	total := map[float64]int{}
	for _, m := range seen {
		for k, v := range m {
			total[k] += v
		}
	}
	t.Logf("responses per version offset: %v", total)
	if len(total) != swaps+1 {
		t.Errorf("readers met %d versions, want %d", len(total), swaps+1)
	}

	s.db.check(ctx) // whatever the readers saw, the last file is now served
	_, d := getData(t, ts.URL, "/api/v1/data?indicator=lon-medel&municipality=1480&period=2023")
	if off, err := offsetOf(t, d); err != nil || off != swaps*1000 {
		t.Errorf("after the swaps: offset %v (%v), want %d", off, err, swaps*1000)
	}
	if v := s.DataVersion(); v == v0 || v == "" {
		t.Errorf("data version %q did not change from %q", v, v0)
	}
	// Cache entries of older versions are gone.
	s.cache.mu.Lock()
	for el := s.cache.ll.Front(); el != nil; el = el.Next() {
		if k := el.Value.(*entry).key; !strings.HasPrefix(k, s.DataVersion()+"|") {
			t.Errorf("stale cache entry %s", k)
		}
	}
	s.cache.mu.Unlock()
}

// TestHelperHoldLock is not a test: run as a child process it opens the
// database read-write (taking DuckDB's write lock), says "locked" and holds
// the lock until its standard input closes.
func TestHelperHoldLock(t *testing.T) {
	path := os.Getenv("JAMSTAT_TEST_HOLD_DB")
	if path == "" {
		t.Skip("helper process for TestWriterHoldsLock")
	}
	db, err := store.Open(context.Background(), path)
	if err != nil {
		fmt.Println("error:", err)
		os.Exit(1)
	}
	fmt.Println("locked")
	io.Copy(io.Discard, os.Stdin)
	db.Close()
	os.Exit(0)
}

// holdLock starts the helper on path and returns when it holds the lock;
// release ends it.
func holdLock(t *testing.T, path string) (release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldLock$")
	cmd.Env = append(os.Environ(), "JAMSTAT_TEST_HOLD_DB="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "locked" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper: %q %v", line, err)
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			stdin.Close()
			go io.Copy(io.Discard, stdout)
			if err := cmd.Wait(); err != nil {
				t.Errorf("helper: %v", err)
			}
		})
	}
	t.Cleanup(release)
	return release
}

// TestWriterHoldsLock: started while another process writes the file, the
// server answers data requests with 503 and Retry-After (pages that need
// no database still work) and serves as soon as the writer is gone. A new
// file renamed in while its writer still holds it is not opened: the
// server keeps serving the old one until the writer is done.
func TestWriterHoldsLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "served.duckdb")
	ctx := context.Background()
	if err := buildFixture(ctx, path, 0); err != nil {
		t.Fatal(err)
	}
	release := holdLock(t, path)
	s, ts := newTestServer(t, path, func(c *Config) { c.CheckInterval = -1 })

	for _, p := range []string{"/api/v1/data?indicator=lon-medel", "/healthz", "/kommun/1480"} {
		resp, body := get(t, ts.URL+p)
		if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s while locked: %d %q %s", p, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
		if strings.Contains(string(body), "Conflicting") || strings.Contains(string(body), "lock on") || strings.Contains(string(body), dir) {
			t.Errorf("%s: internals in %s", p, body)
		}
	}
	if resp, _ := get(t, ts.URL+"/"); resp.StatusCode != 200 {
		t.Errorf("index while locked: %d", resp.StatusCode)
	}
	release()
	assertHealthy(t, ts.URL)
	v0 := s.DataVersion()

	// Phase 2: a new file whose writer is still at work is renamed in.
	next := filepath.Join(dir, "next.duckdb")
	if err := buildFixture(ctx, next, 1000); err != nil {
		t.Fatal(err)
	}
	release2 := holdLock(t, next)
	if err := os.Rename(next, path); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		_, d := getData(t, ts.URL, "/api/v1/data?indicator=lon-medel&municipality=1480&period=2023")
		if off, err := offsetOf(t, d); err != nil || off != 0 {
			t.Errorf("while the new file is locked: offset %v %v, want the old data", off, err)
		}
	}
	if s.DataVersion() != v0 {
		t.Error("version changed while the new file was locked")
	}
	release2()
	_, d := getData(t, ts.URL, "/api/v1/data?indicator=lon-medel&municipality=1480&period=2023")
	if off, err := offsetOf(t, d); err != nil || off != 1000 {
		t.Errorf("after the writer: offset %v %v, want the new data", off, err)
	}
}
