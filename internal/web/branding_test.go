package web

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/branding"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// A branded installation: its name in the title and header, its logo and
// colours served by the platform, the contact in the footer.
func TestBrandedPage(t *testing.T) {
	var logo bytes.Buffer
	png.Encode(&logo, image.NewRGBA(image.Rect(0, 0, 30, 10)))
	file := filepath.Join(t.TempDir(), "logo.png")
	os.WriteFile(file, logo.Bytes(), 0o600)
	brand, err := branding.Load(context.Background(), branding.Settings{Name: "KommunalCampus", Tagline: "Lernen für die Verwaltung",
		Logo: file, Colors: "action-default=#00507a", Contact: "hilfe@kommunalcampus.example"})
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.Open(t, "sqlite")
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	srv, err := New(app.New(db, base, nil), Config{BaseURL: base, Brand: brand}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	defer ts.Close()
	e := &testEnv{t: t, db: db, srv: srv, ts: ts}
	c := e.client()
	res, page := c.get("/impressum")
	if res.StatusCode != 200 {
		t.Fatalf("impressum: %d", res.StatusCode)
	}
	for _, want := range []string{"<title>Impressum – KommunalCampus</title>", `href="/branding.css?v=` + brand.Version + `"`,
		`src="/branding/logo?v=` + brand.Version + `"`, ">KommunalCampus</a>", "Lernen für die Verwaltung",
		`href="mailto:hilfe@kommunalcampus.example"`, "KommunalCampus beruht auf Lotse"} {
		if !strings.Contains(page, want) {
			t.Errorf("branded page lacks %q", want)
		}
	}
	if strings.Contains(page, "<title>Impressum – Lotse</title>") {
		t.Error("the default name is still in the title")
	}
	if _, home := c.get("/"); !strings.Contains(home, "Willkommen bei KommunalCampus") || !strings.Contains(home, `class="brand kern-link kern-link--no-visited-state brand--logo"`) {
		t.Error("the start page does not greet with the operator's name")
	}
	res, css := c.get("/branding.css")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/css; charset=utf-8" || !strings.Contains(css, "--kern-color-action-default: #00507a;") {
		t.Fatalf("branding.css: %d %q", res.StatusCode, css)
	}
	res, img := c.get("/branding/logo")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || img != logo.String() {
		t.Fatalf("logo: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}

	// Without branding: the defaults, no style sheet, no logo.
	plain := newTestEnv(t, "sqlite").client()
	_, page = plain.get("/impressum")
	if !strings.Contains(page, "<title>Impressum – Lotse</title>") || strings.Contains(page, "branding.css") || strings.Contains(page, "/branding/logo") {
		t.Fatal("the unbranded page is not the default")
	}
	if res, _ := plain.get("/branding/logo"); res.StatusCode != 404 {
		t.Fatalf("logo without one: %d", res.StatusCode)
	}
}
