package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestLoadTestSmoke(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	res, err := LoadTest(context.Background(), ts.URL, 4, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 || res.Paths != 8 || res.P50 > res.P99 || res.P99 > res.Max {
		t.Errorf("%s", res)
	}
	for _, bad := range []string{"http://10.0.0.1:8080", "http://example.com", "ftp://127.0.0.1", "http://192.168.1.1"} {
		if _, err := LoadTest(context.Background(), bad, 1, time.Millisecond); err == nil {
			t.Errorf("%s: load test not refused", bad)
		}
	}
	if _, err := LoadTestPaths(context.Background(), ts.URL, []string{"/"}, 1, time.Hour); err == nil {
		t.Error("unbounded duration accepted")
	}
	failing := httptest.NewServer(http.NotFoundHandler())
	defer failing.Close()
	if _, err := LoadTestPaths(context.Background(), failing.URL, []string{"/x"}, 1, time.Millisecond); err == nil {
		t.Error("warm-up failure not reported")
	}
}

// BenchmarkLoad: 32 clients request cached .xlsx sheets and API data over
// loopback for 5 s (bounded). Run with
//
//	go test -run '^$' -bench BenchmarkLoad -benchtime 1x ./server
func BenchmarkLoad(b *testing.B) {
	_, ts := newTestServer(b, sharedFixtureB(b), nil)
	var res LoadResult
	for b.Loop() {
		var err error
		res, err = LoadTest(context.Background(), ts.URL, 32, 5*time.Second)
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(res.Throughput, "req/s")
	b.ReportMetric(float64(res.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(res.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(res.Errors), "errors")
	b.Log(res)
}
