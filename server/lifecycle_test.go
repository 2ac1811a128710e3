package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestGracefulShutdown: cancelling Serve's context stops accepting, lets
// the request in flight finish, closes the database and returns nil.
func TestGracefulShutdown(t *testing.T) {
	var logs bytes.Buffer
	s, err := New(context.Background(), Config{DBPath: sharedFixture(t), Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()

	resp, _ := get(t, base+"/kommun/1480/sheet.xlsx")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	// A slow reader is in flight when the shutdown starts.
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // bound on the test
	io.WriteString(conn, "GET /api/v1/data?indicator=lon-medel HTTP/1.1\r\nHost: x\r\n\r\n")
	first := make([]byte, 12)
	if _, err := io.ReadFull(conn, first); err != nil || string(first) != "HTTP/1.1 200" {
		t.Fatalf("in-flight request: %q %v", first, err)
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still accepting after shutdown")
	}
	if _, err := s.db.current(); err == nil {
		t.Error("database still open after shutdown")
	}
	// Every request was logged as one structured line.
	var n int
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if rec["msg"] == "request" {
			n++
			for _, k := range []string{"id", "method", "path", "status", "duration", "bytes"} {
				if _, ok := rec[k]; !ok {
					t.Errorf("log line lacks %s: %s", k, line)
				}
			}
		}
	}
	if n < 2 {
		t.Errorf("%d request log lines", n)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(context.Background(), Config{DBPath: t.TempDir() + "/missing.duckdb"}); err == nil {
		t.Error("missing database accepted")
	}
	if _, err := New(context.Background(), Config{}); err == nil {
		t.Error("empty path accepted")
	}
}
