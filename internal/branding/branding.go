// Package branding is how an installation presents itself, set by the
// operator without code: the platform's name and tagline, a logo served by
// the platform itself, colours within KERN UX's theme, and the contact
// address. Load checks everything at start and refuses what breaks KERN's
// rules (an unknown theme variable, too little contrast, a logo that is no
// image) with a message that says what to change.
package branding

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logos: JPEG
	_ "image/png"  // and PNG
	"io"
	"math"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Settings are the operator's raw settings (config.Branding).
type Settings struct {
	Name, Tagline, Logo, Colors string
	// Contact is the operator's contact address, shown in the footer.
	Contact string
}

// Defaults.
const (
	DefaultName    = "Lotse"
	DefaultTagline = "Qualifizierung für die digitale Kommune"
	// MinContrast is WCAG 2.1's minimum for text (AA), which KERN UX keeps.
	MinContrast = 4.5
	// MaxLogoBytes is the largest logo.
	MaxLogoBytes = 512 << 10
)

// Variables are the KERN theme variables an operator may set, each
// without its "--kern-color-" prefix, and what each colour must contrast
// with. The light theme's background is white, and buttons in the action
// colour carry white text; so every one needs 4.5:1 against white.
var Variables = map[string]string{
	"action-default":      "Links und Schaltflächen",
	"action-visited":      "besuchte Links",
	"layout-text-default": "Text",
	"layout-text-muted":   "gedämpften Text",
}

// Color is one theme variable set by the operator.
type Color struct {
	Var   string // e.g. action-default
	Value string // #rrggbb
	// Contrast is the colour's contrast ratio against white.
	Contrast float64
}

// Brand is the checked branding.
type Brand struct {
	Name, Tagline, Contact string
	Colors                 []Color
	// Logo is the image's content and media type; nil without a logo.
	Logo     []byte
	LogoType string
	// Version changes with logo and colours, for cache-busting URLs.
	Version string
}

// Default is the branding without settings.
func Default() *Brand { return &Brand{Name: DefaultName, Tagline: DefaultTagline, Version: "0"} }

// HasCSS reports whether the brand sets colours.
func (b *Brand) HasCSS() bool { return len(b.Colors) > 0 }

// CSS is the style sheet that sets the theme variables.
func (b *Brand) CSS() []byte {
	var buf bytes.Buffer
	buf.WriteString("/* Branding: KERN UX theme variables set by the operator. */\n:root, [data-kern-theme=\"light\"] {\n")
	for _, c := range b.Colors {
		fmt.Fprintf(&buf, "  --kern-color-%s: %s;\n", c.Var, c.Value)
	}
	buf.WriteString("}\n")
	return buf.Bytes()
}

// Load checks the settings and loads the logo (a file, or an http(s) URL
// fetched once, here). Errors name the setting and what to change.
func Load(ctx context.Context, s Settings) (*Brand, error) {
	b := Default()
	if v := strings.TrimSpace(s.Name); v != "" {
		b.Name = v
	}
	if v := strings.TrimSpace(s.Tagline); v != "" {
		b.Tagline = v
	}
	b.Contact = strings.TrimSpace(s.Contact)
	var errs []error
	if len([]rune(b.Name)) > 60 {
		errs = append(errs, errors.New("LOTSE_BRAND_NAME: at most 60 characters"))
	}
	colors, err := ParseColors(s.Colors)
	if err != nil {
		errs = append(errs, err)
	}
	b.Colors = colors
	if s.Logo != "" {
		b.Logo, b.LogoType, err = loadLogo(ctx, s.Logo)
		if err != nil {
			errs = append(errs, fmt.Errorf("LOTSE_BRAND_LOGO %s: %w", s.Logo, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	h := sha256.New()
	h.Write(b.Logo)
	h.Write(b.CSS())
	b.Version = hex.EncodeToString(h.Sum(nil))[:12]
	return b, nil
}

// ParseColors reads "action-default=#00507a, action-visited=#5a2d82" and
// checks each variable and its contrast.
func ParseColors(spec string) ([]Color, error) {
	var out []Color
	var errs []error
	seen := map[string]bool{}
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, value, ok := strings.Cut(part, "=")
		name = strings.TrimPrefix(strings.TrimSpace(name), "--kern-color-")
		value = strings.ToLower(strings.TrimSpace(value))
		if !ok {
			errs = append(errs, fmt.Errorf("LOTSE_BRAND_COLORS: %q is not VARIABLE=#RRGGBB", part))
			continue
		}
		if _, known := Variables[name]; !known {
			errs = append(errs, fmt.Errorf("LOTSE_BRAND_COLORS: %q is not one of the KERN theme variables that may be set (%s)", name, strings.Join(varNames(), ", ")))
			continue
		}
		if seen[name] {
			errs = append(errs, fmt.Errorf("LOTSE_BRAND_COLORS: %s is set twice", name))
			continue
		}
		seen[name] = true
		rgb, err := parseHex(value)
		if err != nil {
			errs = append(errs, fmt.Errorf("LOTSE_BRAND_COLORS: %s: %w", name, err))
			continue
		}
		c := Contrast(rgb, [3]uint8{255, 255, 255})
		if c < MinContrast {
			errs = append(errs, fmt.Errorf("LOTSE_BRAND_COLORS: %s %s has a contrast of %.2f:1 against white (the background, and the text on buttons); KERN UX needs at least %.1f:1, choose a darker colour",
				name, value, c, MinContrast))
			continue
		}
		out = append(out, Color{Var: name, Value: hexOf(rgb), Contrast: c})
	}
	return out, errors.Join(errs...)
}

func varNames() []string {
	var n []string
	for k := range Variables {
		n = append(n, k)
	}
	sort.Strings(n)
	return n
}

// parseHex reads #rgb or #rrggbb.
func parseHex(v string) ([3]uint8, error) {
	var rgb [3]uint8
	h, ok := strings.CutPrefix(v, "#")
	if !ok || (len(h) != 3 && len(h) != 6) {
		return rgb, fmt.Errorf("%q is no colour of the form #RRGGBB", v)
	}
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	for i := range 3 {
		n, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			return rgb, fmt.Errorf("%q is no colour of the form #RRGGBB", v)
		}
		rgb[i] = uint8(n)
	}
	return rgb, nil
}

func hexOf(c [3]uint8) string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

// Contrast is the WCAG contrast ratio of two sRGB colours (1 to 21).
func Contrast(a, b [3]uint8) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c [3]uint8) float64 {
	ch := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c[0]) + 0.7152*ch(c[1]) + 0.0722*ch(c[2])
}

// loadLogo reads the logo and checks it by content: a PNG or JPEG image of
// sensible size, at most MaxLogoBytes.
func loadLogo(ctx context.Context, src string) ([]byte, string, error) {
	var content []byte
	if strings.HasPrefix(src, "http://") || strings.HasPrefix(src, "https://") {
		ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
		if err != nil {
			return nil, "", err
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, "", fmt.Errorf("cannot fetch it: %w", err)
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return nil, "", fmt.Errorf("fetching it gave %s", res.Status)
		}
		content, err = io.ReadAll(io.LimitReader(res.Body, MaxLogoBytes+1))
		if err != nil {
			return nil, "", err
		}
	} else {
		f, err := os.Open(src)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		content, err = io.ReadAll(io.LimitReader(f, MaxLogoBytes+1))
		if err != nil {
			return nil, "", err
		}
	}
	if len(content) > MaxLogoBytes {
		return nil, "", fmt.Errorf("larger than %d KB", MaxLogoBytes>>10)
	}
	var want, format string
	switch {
	case bytes.HasPrefix(content, []byte("\x89PNG\r\n\x1a\n")):
		want, format = "image/png", "png"
	case bytes.HasPrefix(content, []byte{0xff, 0xd8, 0xff}):
		want, format = "image/jpeg", "jpeg"
	default:
		return nil, "", errors.New("is no PNG or JPEG image")
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(content))
	if err != nil || got != format || http.DetectContentType(content) != want || cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > 4000 || cfg.Height > 4000 {
		return nil, "", errors.New("is a damaged image or larger than 4000 pixels")
	}
	return content, want, nil
}
