package server

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// rawRequest sends bytes as they are (no client-side path cleaning) and
// returns the status code, or 0 when the server closed without answering.
func rawRequest(t *testing.T, addr, req string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A bound on the test itself, not a timing assertion.
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func assertHealthy(t *testing.T, base string) {
	t.Helper()
	resp, body := get(t, base+"/healthz")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"status":"ok"`) {
		t.Fatalf("service not healthy: %d %s", resp.StatusCode, body)
	}
	_, d := getData(t, base, "/api/v1/data?indicator=lon-medel&municipality=1480&period=2023")
	if len(d.Values) != 1 || len(d.Values[0].Values) != 3 {
		t.Fatalf("data changed: %+v", d)
	}
}

func TestPathTraversal(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	addr := ts.Listener.Addr().String()
	for _, p := range []string{
		"/static/../../etc/passwd",
		"/../../../../etc/passwd",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/static/%2e%2e/%2e%2e/etc/passwd",
		"/kommun/..%2f..%2fetc%2fpasswd",
		"/kommun/%2e%2e",
		"/kommun/1480/..%2F..%2F..%2Fetc%2Fpasswd",
		"/kommun/1480/%2e%2e%5c%2e%2e%5cwindows",
		"/lan/14/..",
		"/api/v1/indicator/..%2f..%2f..%2fetc%2fpasswd",
		"/api/v1/../openapi.json",
		"//etc/passwd",
		"/static/style.css",
		"/templates/layout.html",
		"/server.go",
		"/kommun/1480\\..\\..\\etc",
		"/kommun/%00",
	} {
		code, body := rawRequest(t, addr, "GET "+p+" HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
		if code < 400 || code > 499 {
			t.Errorf("%s: status %d, want 4xx", p, code)
		}
		if strings.Contains(body, "root:") || strings.Contains(body, "{{define") || strings.Contains(body, "package server") {
			t.Errorf("%s: a file leaked", p)
		}
	}
	assertHealthy(t, ts.URL)
}

var injections = []string{
	`' OR '1'='1`,
	`1480' OR 1=1 --`,
	`1480; DROP TABLE indicator_value; --`,
	`lon-medel') UNION SELECT name, name, name, name, 1, 1, '', '' FROM geo --`,
	`"; DELETE FROM indicator; --`,
	`1480%' AND 1=(SELECT count(*) FROM employee) --`,
	`2023) OR (1=1`,
	`${jndi:ldap://x}`,
	`<script>alert(1)</script>`,
	`../../etc/passwd`,
	"1480\x00",
	`1e3`,
	`-1`,
	`9999999999999999999999`,
}

// TestSQLInjection puts hostile strings in every parameter and path
// segment; each is refused with a 4xx (or, for the free-text search,
// answered with no hits), the database is unchanged and the service is
// healthy afterwards.
func TestSQLInjection(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	type target struct {
		path, param string
	}
	targets := []target{
		{"/api/v1/data", "indicator"}, {"/api/v1/data", "municipality"}, {"/api/v1/data", "period"},
		{"/api/v1/data", "page"}, {"/api/v1/data", "per_page"},
		{"/api/v1/indicator", "lang"}, {"/api/v1/municipality", "lang"},
		{"/kommun/1480", "year"}, {"/kommun/1480", "lang"},
		{"/kommun/1480/sheet.xlsx", "year"}, {"/kommun/1480/sheet.xlsx", "lang"},
		{"/kommun/1480/data.csv", "year"}, {"/lan/14", "year"}, {"/lan/14", "lang"},
		{"/", "lang"}, {"/kommun/1480/data.json", "year"},
	}
	for _, inj := range injections {
		for _, tg := range targets {
			u := ts.URL + tg.path + "?" + url.Values{tg.param: {inj}}.Encode()
			resp, body := get(t, u)
			if resp.StatusCode < 400 || resp.StatusCode > 499 {
				t.Errorf("%s %s=%q: status %d", tg.path, tg.param, inj, resp.StatusCode)
			}
			if strings.Contains(string(body), "<script>alert") || strings.Contains(strings.ToLower(string(body)), "duckdb") || strings.Contains(string(body), "SELECT") {
				t.Errorf("%s %s=%q: reflected or leaked: %.200s", tg.path, tg.param, inj, body)
			}
		}
		for _, p := range []string{"/kommun/", "/lan/", "/api/v1/indicator/", "/kommun/1480/"} {
			resp, _ := get(t, ts.URL+p+url.PathEscape(inj))
			if resp.StatusCode < 400 || resp.StatusCode > 499 {
				t.Errorf("%s%q: status %d", p, inj, resp.StatusCode)
			}
		}
		// Free text is a search term, never SQL: no hits, escaped.
		resp, body := get(t, ts.URL+"/?"+url.Values{"q": {inj}}.Encode())
		if strings.ContainsRune(inj, 0) {
			if resp.StatusCode != 400 {
				t.Errorf("q with NUL: %d", resp.StatusCode)
			}
			continue
		}
		if resp.StatusCode != 200 || !strings.Contains(string(body), "Träffar: 0") || strings.Contains(string(body), "<script>alert") {
			t.Errorf("q=%q: status %d", inj, resp.StatusCode)
		}
	}
	assertHealthy(t, ts.URL)
}

func TestOversizedRequests(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	addr := ts.Listener.Addr().String()

	big := strings.Repeat("a", 64<<10)
	code, _ := rawRequest(t, addr, "GET / HTTP/1.1\r\nHost: test\r\nX-Big: "+big+"\r\nConnection: close\r\n\r\n")
	if code != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("huge header: %d, want 431", code)
	}
	code, _ = rawRequest(t, addr, "GET /api/v1/data?indicator="+strings.Repeat("x", 5000)+" HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
	if code != http.StatusRequestURITooLong {
		t.Errorf("long query: %d, want 414", code)
	}
	code, _ = rawRequest(t, addr, "GET /kommun/"+strings.Repeat("1", 600)+" HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
	if code != http.StatusBadRequest {
		t.Errorf("long path: %d, want 400", code)
	}
	code, _ = rawRequest(t, addr, "GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n"+strings.Repeat("x", 1000))
	if code != http.StatusRequestEntityTooLarge {
		t.Errorf("large body: %d, want 413", code)
	}
	resp, err := http.Post(ts.URL+"/api/v1/data", "application/json", strings.NewReader(strings.Repeat("{", 1<<20)))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed && resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("large POST: %d", resp.StatusCode)
	}
	resp, _ = get(t, ts.URL+"/?q="+strings.Repeat("ö", 101))
	if resp.StatusCode != 400 {
		t.Errorf("long search: %d", resp.StatusCode)
	}
	assertHealthy(t, ts.URL)
}

// TestSlowClients: a client that sends its header slower than
// ReadHeaderTimeout, or a body slower than ReadTimeout, is cut off; the
// server answers others meanwhile and afterwards.
func TestSlowClients(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), func(c *Config) {
		c.ReadHeaderTimeout = 300 * time.Millisecond
		c.ReadTimeout = 600 * time.Millisecond
	})
	addr := ts.Listener.Addr().String()
	for _, partial := range []string{
		"GET / HTTP/1.1\r\nHost: test\r\n", // header never finished
		"GET / HT",                         // request line never finished
		"GET / HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nabc", // body never finished
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(30 * time.Second)) // bound on the test, not an assertion
		if _, err := io.WriteString(conn, partial); err != nil {
			t.Fatal(err)
		}
		assertHealthy(t, ts.URL) // others are served while the slow client hangs
		_, err = io.ReadAll(conn)
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Errorf("%q: server kept the connection open", partial)
		}
		conn.Close()
	}
	assertHealthy(t, ts.URL)
}

func TestMethods(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	addr := ts.Listener.Addr().String()
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "PROPFIND", "FOO"} {
		for _, p := range []string{"/", "/api/v1/data", "/kommun/1480/sheet.xlsx", "/healthz"} {
			target := p
			if m == "CONNECT" {
				target = "test:80"
			}
			code, _ := rawRequest(t, addr, m+" "+target+" HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
			if code < 400 || code > 499 {
				t.Errorf("%s %s: %d, want 4xx", m, p, code)
			}
			if m != "CONNECT" && code != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: %d, want 405", m, p, code)
			}
		}
	}
	req, _ := http.NewRequest(http.MethodHead, ts.URL+"/kommun/1480", nil)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("HEAD: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodPost, ts.URL+"/api/v1/data", nil)
	resp, err = ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Allow") != "GET, HEAD" {
		t.Errorf("Allow %q", resp.Header.Get("Allow"))
	}
	assertHealthy(t, ts.URL)
}

// TestErrorsDoNotLeak: a failing database query gives a generic 500 with
// the request id; the cause is only in the log.
func TestErrorsDoNotLeak(t *testing.T) {
	s, ts := newTestServer(t, sharedFixture(t), nil)
	// Close the handle's pool under the server: every query now fails.
	h, release, err := s.db.acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	release()
	h.db.SQL.Close()
	for _, p := range []string{"/api/v1/data?indicator=lon-medel", "/kommun/1480?year=2022"} {
		resp, body := get(t, ts.URL+p)
		if resp.StatusCode != 500 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
		id := resp.Header.Get("X-Request-Id")
		low := strings.ToLower(string(body))
		if id == "" || !strings.Contains(string(body), id) || strings.Contains(low, "sql") || strings.Contains(low, "closed") || strings.Contains(low, ".duckdb") {
			t.Errorf("%s: %s", p, body)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	_, ts := newTestServer(t, sharedFixture(t), nil)
	resp, _ := get(t, ts.URL+"/")
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'sha256-") {
		t.Errorf("CSP %q", csp)
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("headers %v", resp.Header)
	}
}
