package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const testPassword = "demo-passwort-123"

// testEnv is a real server on a real database with the demo data.
type testEnv struct {
	t   *testing.T
	db  *store.DB
	srv *Server
	ts  *httptest.Server
}

func newTestEnv(t *testing.T, d store.Dialect) *testEnv {
	t.Helper()
	db := storetest.Open(t, d)
	if _, err := demo.Load(context.Background(), db, testPassword); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	e := &testEnv{t: t, db: db}
	var err error
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	e.srv, err = New(app.New(db, base, nil), Config{BaseURL: base}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = e.srv
	ts.Start()
	t.Cleanup(ts.Close)
	e.ts = ts
	return e
}

// forEachDB runs fn on a fresh environment per database.
func forEachDB(t *testing.T, fn func(t *testing.T, e *testEnv)) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { fn(t, newTestEnv(t, d)) })
	}
}

func (e *testEnv) person(email string) *domain.Person {
	e.t.Helper()
	p, err := e.db.PersonByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatalf("person %s: %v", email, err)
	}
	return p
}

func (e *testEnv) orgByName(name string) *domain.Organisation {
	e.t.Helper()
	orgs, _, err := e.db.Organisations(context.Background(), domain.OrgFilter{Query: &name})
	if err != nil || len(orgs) == 0 {
		e.t.Fatalf("organisation %q: %v", name, err)
	}
	return &orgs[0]
}

// client is a browser-like HTTP client that does not follow redirects.
type client struct {
	e    *testEnv
	http *http.Client
	csrf string
	// bearer, when set, is sent as API token.
	bearer string
	// renew, when set, makes a new token once the clock passes
	// bearerUntil (apiAs).
	renew       func()
	bearerUntil time.Time
	renewMu     sync.Mutex
}

func (e *testEnv) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// sessionFor returns a client with a fresh session of the person, without
// going through the (deliberately slow) password check.
func (e *testEnv) sessionFor(email string) *client {
	e.t.Helper()
	c := e.client()
	token, csrf, err := e.db.CreateSession(context.Background(), e.person(email).ID)
	if err != nil {
		e.t.Fatal(err)
	}
	u, _ := url.Parse(e.ts.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: token, Path: "/"}})
	c.csrf = csrf
	return c
}

// login logs in through the form, as a person would.
func (c *client) login(email, password string) *http.Response {
	c.e.t.Helper()
	res := c.postForm("/anmelden", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode == http.StatusSeeOther {
		c.csrf = c.scrapeCSRF("/konto")
	}
	return res
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]*)"`)

func (c *client) scrapeCSRF(path string) string {
	c.e.t.Helper()
	_, body := c.get(path)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		c.e.t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

func (c *client) do(method, path, contentType string, body io.Reader) *http.Response {
	c.e.t.Helper()
	req, err := http.NewRequest(method, c.e.ts.URL+path, body)
	if err != nil {
		c.e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	c.renewMu.Lock()
	if c.renew != nil && !c.e.db.Now().Before(c.bearerUntil) {
		c.renew()
	}
	bearer := c.bearer
	c.renewMu.Unlock()
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.e.t.Fatal(err)
	}
	return res
}

func (c *client) get(path string) (*http.Response, string) {
	c.e.t.Helper()
	res := c.do("GET", path, "", nil)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// postForm posts a form with the client's CSRF token.
func (c *client) postForm(path string, v url.Values) *http.Response {
	c.e.t.Helper()
	if c.csrf != "" && v.Get("csrf_token") == "" {
		v.Set("csrf_token", c.csrf)
	}
	res := c.do("POST", path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	res.Body.Close()
	return res
}

func (c *client) json(method, path, body string) (*http.Response, string) {
	c.e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	res := c.do(method, path, "application/json", r)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

func (c *client) postFormBody(path string, v url.Values) (*http.Response, string) {
	c.e.t.Helper()
	if c.csrf != "" && v.Get("csrf_token") == "" {
		v.Set("csrf_token", c.csrf)
	}
	res := c.do("POST", path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	return res, string(b)
}

// minimalPDF is a small, valid one-page PDF.
var minimalPDF = []byte("%PDF-1.4\n" +
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n" +
	"trailer << /Root 1 0 R >>\n%%EOF\n")

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

type rawResponse struct {
	status int
	body   string
}

// doURL sends a JSON request to any server address with the client's token.
func (c *client) doURL(method, url, body string) rawResponse {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		return rawResponse{status: -1, body: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return rawResponse{status: -1, body: err.Error()}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return rawResponse{status: res.StatusCode, body: string(b)}
}

// travel moves the platform's clock by d until the returned function is called.
func (e *testEnv) travel(d time.Duration) func() {
	real := e.db.Now
	e.db.Now = func() time.Time { return real().Add(d) }
	return func() { e.db.Now = real }
}
