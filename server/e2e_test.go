package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// findChromium returns a Chromium or Chrome binary, or "" when there is
// none ($JAMSTAT_CHROMIUM overrides the search).
func findChromium() string {
	if p := os.Getenv("JAMSTAT_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserEndToEnd drives Debian's headless Chromium as a person would:
// open the index, search for a municipality, open its page, see the charts,
// download the .xlsx sheet; the file is then checked against the database.
// Skipped when no Chromium is installed (.ci/run installs it).
func TestBrowserEndToEnd(t *testing.T) {
	bin := findChromium()
	if bin == "" {
		t.Skip("no chromium binary found (apt-get install -y chromium)")
	}
	db := sharedFixture(t)
	_, ts := newTestServer(t, db, nil)

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1600),
	}
	// The bound keeps a hung browser from hanging the test run.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	// 1. The index, and a search as a person types it (Swedish letters).
	if err := chromedp.Do(bctx,
		chromedp.Navigate(ts.URL+"/"),
		chromedp.WaitVisible(chromedp.ID("q")),
		chromedp.SendKeys(chromedp.ID("q"), "Göteborg"),
		chromedp.Submit(chromedp.ID("q")),
		chromedp.WaitVisible(chromedp.ID("results")),
	); err != nil {
		t.Fatal(err)
	}
	results, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID("results")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(results, "1") {
		t.Errorf("results heading %q", results)
	}
	loc, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil || !strings.Contains(loc, "q=G%C3%B6teborg") {
		t.Errorf("search went to %q (%v)", loc, err)
	}

	// 2. Open the municipality from the hits, by keyboard-reachable link.
	if err := chromedp.Do(bctx,
		chromedp.Click(chromedp.CSS(`#geo-list a[href="/kommun/1480"]`)),
		chromedp.WaitVisible(chromedp.CSS("figure svg")),
	); err != nil {
		t.Fatal(err)
	}
	h1, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || h1 != "Göteborg" {
		t.Errorf("h1 %q (%v)", h1, err)
	}
	charts, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("figure svg[role=img]").length`))
	if err != nil || charts == 0 {
		t.Errorf("%d charts (%v)", charts, err)
	}
	if shot := os.Getenv("JAMSTAT_E2E_SCREENSHOT"); shot != "" {
		if png, err := chromedp.Run(bctx, chromedp.FullScreenshot(100)); err == nil {
			os.WriteFile(shot, png, 0o644)
		}
	}

	// 3. Download the sheet into a directory of our own.
	dir := t.TempDir()
	progress := chromedp.Events(bctx, browser.DownloadProgress)
	if err := chromedp.Do(bctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			events := true
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior:      browser.SetDownloadBehaviorBehaviorAllowAndName,
				DownloadPath:  dir,
				EventsEnabled: &events,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(`a[href^="/kommun/1480/sheet.xlsx"]`)),
	); err != nil {
		t.Fatal(err)
	}
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatal(err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("download cancelled")
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("downloaded sheet: %v", err)
	}
	defer f.Close()
	checkSheetAgainstDB(t, f, db, "1480", "2023")
	title, err := f.GetCellValue(f.GetSheetList()[0], "A1")
	if err != nil || !strings.Contains(title, "Göteborg") {
		t.Errorf("sheet title %q (%v)", title, err)
	}
}
