package config

import "flag"

// Branding is how an installation presents itself: its name and tagline,
// a logo and colours within KERN UX's theme (checked by branding.Load at
// start). Contact and legal texts are the Operator and LegalDir settings.
type Branding struct {
	Name, Tagline string
	// Logo is a PNG or JPEG file, or an http(s) URL fetched once at start;
	// either is served by the platform itself.
	Logo string
	// Colors are KERN theme variables and their colours, e.g.
	// "action-default=#00507a,action-visited=#5a2d82".
	Colors string
}

func (f *Flags) registerBranding(fs *flag.FlagSet, getenv func(string) string) {
	b := &f.c.Branding
	fs.StringVar(&b.Name, "brand-name", or(getenv("LOTSE_BRAND_NAME"), b.Name), "the platform's name in the header and the page titles; default Lotse (env LOTSE_BRAND_NAME)")
	fs.StringVar(&b.Tagline, "brand-tagline", or(getenv("LOTSE_BRAND_TAGLINE"), b.Tagline), "the line beside the name (env LOTSE_BRAND_TAGLINE)")
	fs.StringVar(&b.Logo, "brand-logo", or(getenv("LOTSE_BRAND_LOGO"), b.Logo), "logo: a PNG or JPEG file, or an http(s) URL fetched at start; served by the platform (env LOTSE_BRAND_LOGO)")
	fs.StringVar(&b.Colors, "brand-colors", or(getenv("LOTSE_BRAND_COLORS"), b.Colors),
		"KERN theme colours, e.g. action-default=#00507a,action-visited=#5a2d82; each needs a contrast of at least 4.5:1 (env LOTSE_BRAND_COLORS)")
}
