package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/web"
)

const (
	// demoPassword is the password of every demo login in these tests.
	demoPassword = "demo-passwort-123"
	// testTimeout bounds each test's work in the browser: generous, so a
	// loaded machine (the suite runs packages in parallel) does not fail it.
	testTimeout = 180 * time.Second
	// waitTimeout bounds a wait for a state of the page.
	waitTimeout = 10 * time.Second

	// EnvChromium names the Chromium binary; EnvArtifacts the folder for
	// screenshots.
	EnvChromium  = "LOTSE_CHROMIUM"
	EnvArtifacts = "LOTSE_ARTIFACTS"

	defaultChromium = "/usr/bin/chromium"
)

// server is a real Lotse server on a fresh SQLite database with the demo data.
type server struct {
	db  *store.DB
	url string
}

func startServer(t *testing.T) *server {
	t.Helper()
	db := storetest.Open(t, store.SQLite)
	if _, err := demo.Load(context.Background(), db, demoPassword); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	h, err := web.New(app.New(db, base, nil), web.Config{BaseURL: base}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = h
	ts.Start()
	t.Cleanup(ts.Close)
	return &server{db: db, url: base}
}

// orgID returns the ID of the organisation with the given name.
func (s *server) orgID(t *testing.T, name string) int64 {
	t.Helper()
	orgs, _, err := s.db.Organisations(context.Background(), domain.OrgFilter{Query: &name})
	if err != nil {
		t.Fatalf("organisation %q: %v", name, err)
	}
	for _, o := range orgs {
		if o.Name == name {
			return o.ID
		}
	}
	t.Fatalf("organisation %q not found", name)
	return 0
}

// chromium returns the path of the browser, or skips the test without one.
func chromium(t *testing.T) string {
	t.Helper()
	path := os.Getenv(EnvChromium)
	if path == "" {
		path = defaultChromium
	}
	if fi, err := os.Stat(path); err != nil || fi.IsDir() {
		t.Skipf("browser test skipped: no Chromium at %s (install Debian's chromium, or set %s to its binary)", path, EnvChromium)
	}
	return path
}

// testContext returns a context that ends after testTimeout or with the test.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// newBrowser starts a new Chromium process with its own fresh profile, so it
// shares no cookies with another, and returns the context of its first tab.
// The browser is closed when the test ends; what it printed is logged if the
// test failed.
func newBrowser(t *testing.T, ctx context.Context) context.Context {
	t.Helper()
	out := &lockedBuffer{}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
		chromedp.CombinedOutput(out),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		if t.Failed() {
			// Leave out the complaints about the missing D-Bus of a
			// container: they are always there and never the cause.
			var lines []string
			for l := range strings.Lines(out.String()) {
				if !strings.Contains(l, "dbus/") {
					lines = append(lines, l)
				}
			}
			if s := strings.Join(lines, ""); s != "" {
				if len(s) > 4000 {
					s = "…" + s[len(s)-4000:]
				}
				t.Logf("Chromium printed:\n%s", s)
			}
		}
	})
	// Start the browser now, so that a missing or broken one shows at once.
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	// KERN scrolls smoothly unless the person prefers reduced motion; a
	// click aimed while the page still glides (focusing a field scrolls it
	// into view) lands beside its target. The tests prefer reduced motion.
	if _, err := chromedp.Run(tabCtx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	})); err != nil {
		t.Fatalf("emulate reduced motion: %v", err)
	}
	return tabCtx
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// do runs steps in the tab and fails the test on an error.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// navigate opens the page and fails unless it answers with the status want.
func navigate(t *testing.T, ctx context.Context, url string, want int64) {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	if res.Status != want {
		t.Fatalf("open %s: status %d, want %d", url, res.Status, want)
	}
	settled(t, ctx)
}

// settled waits until the page's web fonts have loaded: text set in a
// fallback font first moves when they arrive, and a click aimed before
// that lands beside its target (seen on a loaded machine).
func settled(t *testing.T, ctx context.Context) {
	t.Helper()
	waitFor(t, ctx, "the page's fonts have loaded", "document.readyState === 'complete' && (!document.fonts || document.fonts.status === 'loaded')")
}

// submit runs steps that cause a navigation (a click on a link or a submit
// button, the Enter key) and waits until the new page has loaded.
func submit(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) *network.Response {
	t.Helper()
	// A mark on the old document: gone once the new page has loaded.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.__lotseOldPage = true")); err != nil {
		t.Fatalf("%s: mark the page: %v", what, err)
	}
	sctx, cancel := context.WithTimeout(ctx, submitTimeout)
	defer cancel()
	res, err := chromedp.RunResponse(sctx, steps...)
	if err == nil {
		settled(t, ctx)
		return res
	}
	// On a loaded machine a click at times lands beside its target (the
	// old page is still there, no navigation pending after the bound):
	// one click, and only a single step, is safe to try again.
	if ctx.Err() == nil && len(steps) == 1 {
		if old, _ := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.__lotseOldPage === true && document.readyState === 'complete'")); old {
			t.Logf("%s: no new page after %v; trying once more", what, submitTimeout)
			rctx, rcancel := context.WithTimeout(ctx, submitTimeout)
			defer rcancel()
			if res, err = chromedp.RunResponse(rctx, steps...); err == nil {
				settled(t, ctx)
				return res
			}
		}
	}
	// On a loaded machine the DevTools event of the navigation's response
	// is at times missed although the browser did load the new page: then
	// its status comes from the page's Navigation Timing entry.
	if ctx.Err() == nil {
		if loaded, _ := chromedp.Run(ctx, chromedp.Evaluate[bool]("window.__lotseOldPage !== true && document.readyState === 'complete'")); loaded {
			status, _ := chromedp.Run(ctx, chromedp.Evaluate[int64]("(performance.getEntriesByType('navigation')[0] || {}).responseStatus || 0"))
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			if status > 0 {
				t.Logf("%s: the response event was missed; the page %s loaded with status %d", what, loc, status)
				settled(t, ctx)
				return &network.Response{URL: loc, Status: status}
			}
		}
	}
	t.Fatalf("%s: %v", what, err)
	return nil
}

// submitTimeout bounds the wait for the page a submit leads to.
const submitTimeout = 45 * time.Second

// eval evaluates a JavaScript expression in the page and decodes its value.
// It runs through the DevTools protocol, so the page's Content Security
// Policy does not apply to it.
func eval[T any](t *testing.T, ctx context.Context, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate %s: %v", abbrev(expr), err)
	}
	return v
}

// waitFor waits until the JavaScript expression is true. (chromedp.Poll
// cannot be used: it builds its predicate with new Function, which the
// page's Content Security Policy forbids.)
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			body, _ := chromedp.Run(ctx, chromedp.Evaluate[string]("document.body ? document.body.innerText : ''"))
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			t.Fatalf("%s: not so after %v (last error: %v)\npage %s shows:\n%s", what, waitTimeout, err, loc, abbrev(body))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// pageText returns the visible text of the page.
func pageText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, "document.body.innerText")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func abbrev(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}

// artifactDir is $LOTSE_ARTIFACTS, or lotse-artifacts in the system's
// temporary folder. It is never inside the repository.
func artifactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv(EnvArtifacts)
	if dir != "" {
		if root := repoRoot(); root != "" {
			if abs, err := filepath.Abs(dir); err == nil {
				if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
					t.Logf("%s=%s is inside the repository; screenshots go to the temporary folder instead", EnvArtifacts, dir)
					dir = ""
				}
			}
		}
	}
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "lotse-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("artifacts folder: %v", err)
	}
	return dir
}

// repoRoot is the folder with go.mod above the working directory.
func repoRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// screenshot saves a PNG of the whole page as <test>-<name>.png in the
// artifacts folder.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	// A full-page capture resizes the view for a moment; let the page lay
	// itself out again before the next click aims at it.
	fctx, fcancel := context.WithTimeout(ctx, 5*time.Second)
	_, _ = chromedp.Run(fctx, chromedp.Evaluate[bool]("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))", chromedp.EvalAwaitPromise))
	fcancel()
	file := strings.NewReplacer("/", "-", " ", "_").Replace(t.Name()) + "-" + name + ".png"
	path := filepath.Join(artifactDir(t), file)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot: %s", path)
}

// login logs the person in through the login form, typing as a person would.
func login(t *testing.T, ctx context.Context, base, email, name string) {
	t.Helper()
	navigate(t, ctx, base+"/anmelden", 200)
	do(t, ctx, "fill in the login form",
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), demoPassword),
	)
	submit(t, ctx, "submit the login form", chromedp.Click(chromedp.CSS(`main form[action="/anmelden"] button[type="submit"]`)))
	waitFor(t, ctx, "logged in as "+name, "document.body.innerText.includes("+jsString("Angemeldet als "+name)+")")
}

// pageChecks returns the checks a walk through the pages runs in a window
// width CSS pixels wide: check runs axe-core, makes sure the page fits the
// window and saves a screenshot (at 320 px the reflow check instead);
// wantText fails unless the page says each of want.
func pageChecks(t *testing.T, axeJS string, width int) (check func(b context.Context, name string), wantText func(b context.Context, what string, want ...string)) {
	check = func(b context.Context, name string) {
		t.Helper()
		axeCheck(t, b, axeJS, name)
		if width == reflowWidth {
			checkReflow(t, b, name)
			return
		}
		screenshot(t, b, name)
		if sw, w := eval[int](t, b, "document.documentElement.scrollWidth"), eval[int](t, b, "window.innerWidth"); sw > w {
			t.Errorf("%s: the page is %d px wide in a window of %d px", name, sw, w)
		}
	}
	wantText = func(b context.Context, what string, want ...string) {
		t.Helper()
		txt := strings.Join(strings.Fields(pageText(t, b)), " ")
		for _, w := range want {
			if !strings.Contains(txt, w) {
				t.Fatalf("%s: the page lacks %q:\n%s", what, w, abbrev(txt))
			}
		}
	}
	return check, wantText
}

// followLink opens the first link in main whose text contains contains.
func followLink(t *testing.T, b context.Context, what, contains string) {
	t.Helper()
	href := eval[string](t, b, `(() => { const a = [...document.querySelectorAll('main a')].find(a => a.innerText.replace(/\s+/g, ' ').includes(`+
		jsString(contains)+`)); return a ? a.href : ''; })()`)
	if href == "" {
		t.Fatalf("%s: no link with %q:\n%s", what, contains, abbrev(pageText(t, b)))
	}
	navigate(t, b, href, 200)
}

// atWidths plays a story once in a window 1280 CSS pixels wide and once
// reflowWidth wide, with axe-core at hand for its checks.
func atWidths(t *testing.T, play func(t *testing.T, axeJS string, width int)) {
	t.Helper()
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{1280, reflowWidth} {
		t.Run(fmt.Sprint(width), func(t *testing.T) { play(t, string(axeJS), width) })
	}
}

// storyServer starts a server, with the demo story when story is set, and
// returns it with a function that opens a browser window of the width,
// logged in as the person; the windows close after budget at the latest.
func storyServer(t *testing.T, story bool, width int, budget time.Duration) (*server, func(email, name string) context.Context) {
	t.Helper()
	srv := startServer(t)
	if story {
		if err := demo.Story(context.Background(), srv.db, srv.url, demoPassword); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	t.Cleanup(cancel)
	return srv, func(email, name string) context.Context {
		t.Helper()
		b := newBrowser(t, ctx)
		if width == reflowWidth {
			narrow(t, b)
		}
		login(t, b, srv.url, email, name)
		return b
	}
}
