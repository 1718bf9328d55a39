package browsertest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/branding"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/web"
)

// TestBrandedPagesInTheBrowser: an operator's name, logo and colours pass
// axe (contrast included) and reflow at 320 px, logged out and in.
func TestBrandedPagesInTheBrowser(t *testing.T) {
	atWidths(t, func(t *testing.T, axeJS string, width int) {
		img := image.NewRGBA(image.Rect(0, 0, 120, 40))
		for x := range 120 {
			for y := range 40 {
				img.Set(x, y, color.RGBA{0, 80, 122, 255})
			}
		}
		var logo bytes.Buffer
		png.Encode(&logo, img)
		file := filepath.Join(t.TempDir(), "logo.png")
		os.WriteFile(file, logo.Bytes(), 0o600)
		brand, err := branding.Load(context.Background(), branding.Settings{Name: "KommunalCampus", Tagline: "Lernen für die Verwaltung in Hessen",
			Logo: file, Colors: "action-default=#7a1f5c,action-visited=#4b2a6b", Contact: "hilfe@kommunalcampus.example"})
		if err != nil {
			t.Fatal(err)
		}
		db := storetest.Open(t, store.SQLite)
		if _, err := demo.Load(context.Background(), db, demoPassword); err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewUnstartedServer(nil)
		base := "http://" + ts.Listener.Addr().String()
		h, err := web.New(app.New(db, base, nil), web.Config{BaseURL: base, Brand: brand}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		ts.Config.Handler = h
		ts.Start()
		t.Cleanup(ts.Close)

		b := newBrowser(t, testContext(t))
		if width == reflowWidth {
			narrow(t, b)
		}
		check, wantText := pageChecks(t, axeJS, width)
		navigate(t, b, base+"/", 200)
		wantText(b, "start", "KommunalCampus", "Willkommen bei KommunalCampus", "Kontakt: hilfe@kommunalcampus.example")
		if c := eval[string](t, b, `getComputedStyle(document.querySelector('main a.kern-link, footer a.kern-link')).color`); c != "rgb(122, 31, 92)" {
			t.Errorf("links are %s, not the operator's colour", c)
		}
		if w := eval[int](t, b, `document.querySelector('img.brand-logo').naturalWidth`); w != 120 {
			t.Errorf("the logo did not load: natural width %d", w)
		}
		check(b, "branding-start")
		login(t, b, base, "lilly@futurehausen.example", "Lilly Lotse")
		check(b, "branding-desk")
	})
}
