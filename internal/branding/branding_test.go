package branding

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestContrast(t *testing.T) {
	white, black := [3]uint8{255, 255, 255}, [3]uint8{0, 0, 0}
	if c := Contrast(white, black); math.Abs(c-21) > 0.01 {
		t.Fatalf("white on black = %.2f, want 21", c)
	}
	// #767676 is the lightest grey with 4.5:1 on white.
	if c := Contrast([3]uint8{0x76, 0x76, 0x76}, white); c < 4.5 || c > 4.6 {
		t.Fatalf("#767676 on white = %.3f", c)
	}
	if c := Contrast([3]uint8{0x77, 0x77, 0x77}, white); c >= 4.5 {
		t.Fatalf("#777777 on white = %.3f, want < 4.5", c)
	}
}

func TestParseColors(t *testing.T) {
	cs, err := ParseColors(" action-default=#00507A, --kern-color-action-visited=#5a2d82 ,")
	if err != nil || len(cs) != 2 || cs[0].Var != "action-default" || cs[0].Value != "#00507a" || cs[1].Var != "action-visited" {
		t.Fatalf("ParseColors = %+v, %v", cs, err)
	}
	for spec, want := range map[string]string{
		"action-default=#7fbfff":                  "contrast of 1.",
		"action-default=#777":                     "choose a darker colour",
		"layout-background-default=#000":          "not one of the KERN theme variables",
		"action-default=blue":                     "#RRGGBB",
		"action-default":                          "VARIABLE=#RRGGBB",
		"action-default=#000,action-default=#111": "set twice",
	} {
		if _, err := ParseColors(spec); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseColors(%q) = %v, want an error with %q", spec, err, want)
		}
	}
}

func pngLogo(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 40, 20))
	img.Set(1, 1, color.RGBA{0, 80, 122, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	b, err := Load(ctx, Settings{})
	if err != nil || b.Name != DefaultName || b.Tagline != DefaultTagline || b.HasCSS() || b.Logo != nil {
		t.Fatalf("defaults: %+v, %v", b, err)
	}
	dir := t.TempDir()
	logo := filepath.Join(dir, "logo.png")
	os.WriteFile(logo, pngLogo(t), 0o600)
	b, err = Load(ctx, Settings{Name: "KommunalCampus", Logo: logo, Colors: "action-default=#00507a", Contact: "hilfe@campus.example"})
	if err != nil || b.Name != "KommunalCampus" || b.LogoType != "image/png" || !b.HasCSS() || b.Contact != "hilfe@campus.example" {
		t.Fatalf("branded: %+v, %v", b, err)
	}
	if css := string(b.CSS()); !strings.Contains(css, "--kern-color-action-default: #00507a;") {
		t.Fatalf("css %q", css)
	}
	// A logo from a URL is fetched once and served locally.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(pngLogo(t)) }))
	defer srv.Close()
	if b, err := Load(ctx, Settings{Logo: srv.URL + "/logo.png"}); err != nil || b.LogoType != "image/png" {
		t.Fatalf("logo from a URL: %v", err)
	}
	// Checked by content, not by name.
	fake := filepath.Join(dir, "fake.png")
	os.WriteFile(fake, []byte("<svg onload=alert(1)></svg>"), 0o600)
	if _, err := Load(ctx, Settings{Logo: fake}); err == nil || !strings.Contains(err.Error(), "no PNG or JPEG") {
		t.Fatalf("fake logo: %v", err)
	}
	if _, err := Load(ctx, Settings{Logo: filepath.Join(dir, "fehlt.png")}); err == nil {
		t.Fatal("missing logo accepted")
	}
	if _, err := Load(ctx, Settings{Colors: "action-default=#aaaaaa"}); err == nil || !strings.Contains(err.Error(), "LOTSE_BRAND_COLORS") {
		t.Fatalf("light colour: %v", err)
	}
}
