package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// A small load generator for the benchmark in BENCHMARKS.md: many clients
// request cached sheet downloads and API calls from a running server and
// the throughput and latency percentiles are measured. It only ever talks
// to a loopback address, and every run is bounded in time and in count.

// Limits of one load test.
const (
	MaxLoadDuration = 5 * time.Minute
	MaxLoadClients  = 1024
	MaxLoadRequests = 5_000_000
)

// LoadResult is what a load test measured.
type LoadResult struct {
	Clients    int
	Duration   time.Duration // measured wall time
	Requests   int           // completed requests (any status)
	Errors     int           // transport errors and non-2xx answers
	Bytes      int64
	Throughput float64 // requests per second
	P50, P90   time.Duration
	P99, Max   time.Duration
	Paths      int // distinct paths requested
}

func (r LoadResult) String() string {
	return fmt.Sprintf("%d clients, %d paths: %d requests in %s = %.0f req/s, p50 %s, p90 %s, p99 %s, max %s, %d errors, %.1f MB",
		r.Clients, r.Paths, r.Requests, r.Duration.Round(time.Millisecond), r.Throughput,
		r.P50.Round(time.Microsecond), r.P90.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.Max.Round(time.Microsecond),
		r.Errors, float64(r.Bytes)/1e6)
}

// LoadTest discovers what the server at baseURL serves (its indicators and
// the municipalities and years with values), warms the cache by asking for
// every path once, then lets clients request .xlsx sheets and API data
// (half each) for duration. baseURL must be a loopback address.
func LoadTest(ctx context.Context, baseURL string, clients int, duration time.Duration) (LoadResult, error) {
	if err := checkLoopback(baseURL); err != nil {
		return LoadResult{}, err
	}
	paths, err := loadPaths(ctx, baseURL)
	if err != nil {
		return LoadResult{}, err
	}
	return LoadTestPaths(ctx, baseURL, paths, clients, duration)
}

// LoadTestPaths runs clients against the given paths (round robin, each
// client starting at its own offset) for duration, after one warm-up
// request per path.
func LoadTestPaths(ctx context.Context, baseURL string, paths []string, clients int, duration time.Duration) (LoadResult, error) {
	if err := checkLoopback(baseURL); err != nil {
		return LoadResult{}, err
	}
	if len(paths) == 0 {
		return LoadResult{}, errors.New("load test: no paths")
	}
	if clients < 1 || clients > MaxLoadClients {
		return LoadResult{}, fmt.Errorf("load test: clients must be 1 to %d", MaxLoadClients)
	}
	if duration <= 0 || duration > MaxLoadDuration {
		return LoadResult{}, fmt.Errorf("load test: duration must be above 0 and at most %s", MaxLoadDuration)
	}
	base := strings.TrimRight(baseURL, "/")
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, IdleConnTimeout: 30 * time.Second, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}

	for _, p := range paths { // warm-up: every response is cached before timing
		if _, _, err := fetch(ctx, client, base+p); err != nil {
			return LoadResult{}, fmt.Errorf("load test: warm-up %s: %w", p, err)
		}
	}

	type stats struct {
		lat    []time.Duration
		errs   int
		nbytes int64
	}
	per := make([]stats, clients)
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	runCtx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			st := &per[c]
			for i := c; runCtx.Err() == nil; i++ {
				mu.Lock()
				if total >= MaxLoadRequests {
					mu.Unlock()
					return
				}
				total++
				mu.Unlock()
				t0 := time.Now()
				n, code, err := fetch(runCtx, client, base+paths[i%len(paths)])
				if runCtx.Err() != nil {
					return // cut off by the end of the run: not counted
				}
				st.lat = append(st.lat, time.Since(t0))
				st.nbytes += n
				if err != nil || code < 200 || code > 299 {
					st.errs++
				}
			}
		}(c)
	}
	wg.Wait()
	elapsed := time.Since(start)

	res := LoadResult{Clients: clients, Duration: elapsed, Paths: len(paths)}
	var all []time.Duration
	for _, st := range per {
		all = append(all, st.lat...)
		res.Errors += st.errs
		res.Bytes += st.nbytes
	}
	res.Requests = len(all)
	if res.Requests == 0 {
		return res, errors.New("load test: no request completed")
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	q := func(p float64) time.Duration { return all[min(len(all)-1, int(p*float64(len(all))))] }
	res.P50, res.P90, res.P99, res.Max = q(0.50), q(0.90), q(0.99), all[len(all)-1]
	res.Throughput = float64(res.Requests) / elapsed.Seconds()
	return res, nil
}

func fetch(ctx context.Context, c *http.Client, u string) (int64, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err == nil && (resp.StatusCode < 200 || resp.StatusCode > 299) {
		err = fmt.Errorf("status %d", resp.StatusCode)
	}
	return n, resp.StatusCode, err
}

// checkLoopback refuses any target that is not this machine.
func checkLoopback(baseURL string) error {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("load test: %q is not an http URL", baseURL)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("load test: %s is not a loopback address; load tests only run against this machine", host)
	}
	return nil
}

// loadPaths picks up to 16 municipalities with values and, for each, its
// sheet of the latest year and one API query.
func loadPaths(ctx context.Context, baseURL string) ([]string, error) {
	base := strings.TrimRight(baseURL, "/")
	c := &http.Client{Timeout: 60 * time.Second}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/api/v1/data?per_page=5000", nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("load test: discover: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("load test: discover: status %d", resp.StatusCode)
	}
	var d struct {
		Values []struct {
			Indicator    string          `json:"indicator"`
			Municipality string          `json:"municipality"`
			Period       json.RawMessage `json:"period"`
		} `json:"values"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		return nil, fmt.Errorf("load test: discover: %w", err)
	}
	type pick struct{ ind, period string }
	latest := map[string]pick{}
	var order []string
	for _, v := range d.Values {
		m := v.Municipality
		if len(m) != 4 || strings.HasPrefix(m, "00") {
			continue // municipalities only
		}
		p := strings.Trim(string(v.Period), `"`)
		cur, ok := latest[m]
		if !ok {
			order = append(order, m)
		}
		if !ok || p > cur.period {
			latest[m] = pick{v.Indicator, p}
		}
	}
	if len(order) > 16 {
		order = order[:16]
	}
	var paths []string
	for _, m := range order {
		p := latest[m]
		paths = append(paths,
			"/kommun/"+m+"/sheet.xlsx?year="+url.QueryEscape(p.period),
			"/api/v1/data?indicator="+url.QueryEscape(p.ind)+"&municipality="+m+"&period="+url.QueryEscape(p.period))
	}
	if len(paths) == 0 {
		return nil, errors.New("load test: the server has no municipality values to request")
	}
	return paths, nil
}
