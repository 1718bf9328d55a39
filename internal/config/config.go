// Package config is the platform's configuration in one struct: filled from
// command-line flags, each of which also reads a LOTSE_ environment variable,
// with defaults for everything. The command builds one Config and hands the
// parts explicitly to the store, the web server, the services and the jobs;
// nothing reads the environment elsewhere.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Config is everything an installation can set.
type Config struct {
	// Storage: the data folder and the database.
	DataDir  string // SQLite file and the files folder
	Database string // postgres://... or sqlite:PATH; "" means SQLite in DataDir
	// DBMaxConns bounds the PostgreSQL connections of this instance; 0
	// means store.DefaultPoolSize.
	DBMaxConns int
	// Files is where documents are kept: the data folder or S3 (files.go).
	Files Files

	// HTTP.
	Addr string // listen address
	// BaseURL is the public address, set once: links in mails, cookies'
	// Secure flag. Empty means http://ADDR, filled in when listening.
	BaseURL        string
	TrustedProxies []netip.Prefix
	// MetricsAllow are the networks /metrics answers (default loopback);
	// MetricsToken opens it from anywhere as a Bearer token.
	MetricsAllow []netip.Prefix
	MetricsToken string
	MaxBodyBytes int64
	// PprofAddr, when set, serves Go's runtime profiles on a listener of
	// its own (docs/operations.md); meant for a loopback address.
	PprofAddr string

	// Demo data on first start.
	Demo         bool
	DemoPassword string

	SMTP SMTP

	// Jobs.
	MailEvery    time.Duration
	CatalogEvery time.Duration

	// Legal pages: LegalDir holds the operator's own
	// impressum, datenschutz, barrierefreiheit and leichte-sprache pages
	// (.html fragments or .md) in place of the defaults; Operator fills the
	// defaults' placeholders and receives the barrier reports.
	LegalDir string
	Operator Operator

	// Retention: how long each kind of expiring data is kept (privacy).
	Retention domain.Retention
	// Branding: the operator's name, logo, colours (branding.go).
	Branding Branding
	// OIDC are the single sign-on providers (OpenID Connect), from a JSON
	// list; none means password login only.
	OIDC []sso.Provider
	// SecretKey seals the second factor's TOTP secrets in the database
	// (LOTSE_SECRET_KEY, environment only); empty: a key the server
	// generates and keeps in the database.
	SecretKey string
}

// Operator is who runs the installation, as the legal pages name it.
type Operator struct {
	Name, Address, Email, Phone, Representative, PrivacyContact string
}

// SMTP names the mail server; an empty Host keeps mails in the outbox.
type SMTP struct {
	Host, Username, Password, From string
	Port                           int
	TLS                            string // starttls, tls or none
}

// Defaults.
const (
	DefaultDataDir      = "lotse-data"
	DefaultAddr         = "localhost:8080"
	DefaultMetricsAllow = "127.0.0.0/8,::1"
	DefaultMaxBodyBytes = 1 << 20
)

// Default returns the configuration without flags or environment.
func Default() Config {
	allow, _ := httpx.ParsePrefixes(DefaultMetricsAllow)
	return Config{DataDir: DefaultDataDir, Addr: DefaultAddr, MetricsAllow: allow, MaxBodyBytes: DefaultMaxBodyBytes,
		SMTP: SMTP{Port: 587, From: "lotse@localhost", TLS: "starttls"}, MailEvery: 10 * time.Second, CatalogEvery: 500 * time.Millisecond,
		Retention: domain.DefaultRetention()}
}

// DSN is the database URL: Database, or the SQLite file in DataDir.
func (c *Config) DSN() string {
	if c.Database != "" {
		return c.Database
	}
	return "sqlite:" + filepath.Join(c.DataDir, "lotse.db")
}

// FilesDir is the folder of uploaded and generated documents.
func (c *Config) FilesDir() string { return filepath.Join(c.DataDir, "files") }

// Flags registers the flags of c on fs. Each flag's default is its
// environment variable, or else the value c has. Errors in environment
// values are reported by fs.Parse's caller through Err.
type Flags struct {
	c    *Config
	errs []error
	// after run when Err is called, once the flags are parsed.
	after []func()
}

// RegisterStorage registers --data and --database.
func RegisterStorage(fs *flag.FlagSet, c *Config, getenv func(string) string) *Flags {
	f := &Flags{c: c}
	fs.StringVar(&c.DataDir, "data", or(getenv("LOTSE_DATA"), c.DataDir), "data folder for the embedded SQLite database and the uploaded and generated files (env LOTSE_DATA)")
	fs.StringVar(&c.Database, "database", or(getenv("LOTSE_DATABASE"), c.Database), "database URL: postgres://... or sqlite:PATH; default SQLite in the data folder (env LOTSE_DATABASE)")
	f.int(fs, &c.DBMaxConns, "db-max-conns", getenv("LOTSE_DB_MAX_CONNS"),
		"most PostgreSQL connections of this instance; default twice the usable cores and two more (env LOTSE_DB_MAX_CONNS)")
	f.after = append(f.after, func() {
		if c.DBMaxConns < 0 {
			f.errs = append(f.errs, fmt.Errorf("--db-max-conns: %d is not a number of connections", c.DBMaxConns))
		}
	})
	f.registerFiles(fs, getenv)
	return f
}

// RegisterServe registers the storage flags and those of the server.
func RegisterServe(fs *flag.FlagSet, c *Config, getenv func(string) string) *Flags {
	f := RegisterStorage(fs, c, getenv)
	fs.StringVar(&c.Addr, "addr", or(getenv("LOTSE_ADDR"), c.Addr), "address to listen on (env LOTSE_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", or(getenv("LOTSE_BASE_URL"), c.BaseURL), "public URL for links in e-mails; default http://ADDR (env LOTSE_BASE_URL)")
	f.bool(fs, &c.Demo, "demo", getenv("LOTSE_DEMO"), "load the demo data on first start (env LOTSE_DEMO=true)")
	fs.StringVar(&c.DemoPassword, "demo-password", or(getenv("LOTSE_DEMO_PASSWORD"), c.DemoPassword), "password of the demo logins (env LOTSE_DEMO_PASSWORD)")
	fs.StringVar(&c.SMTP.Host, "smtp-host", or(getenv("LOTSE_SMTP_HOST"), c.SMTP.Host), "SMTP server; without one, mails stay in the outbox (env LOTSE_SMTP_HOST)")
	f.int(fs, &c.SMTP.Port, "smtp-port", getenv("LOTSE_SMTP_PORT"), "SMTP port (env LOTSE_SMTP_PORT)")
	fs.StringVar(&c.SMTP.Username, "smtp-user", or(getenv("LOTSE_SMTP_USER"), c.SMTP.Username), "SMTP user (env LOTSE_SMTP_USER; the password only from LOTSE_SMTP_PASSWORD)")
	c.SMTP.Password = or(getenv("LOTSE_SMTP_PASSWORD"), c.SMTP.Password)
	fs.StringVar(&c.SMTP.From, "smtp-from", or(getenv("LOTSE_SMTP_FROM"), c.SMTP.From), "sender address (env LOTSE_SMTP_FROM)")
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", or(getenv("LOTSE_SMTP_TLS"), c.SMTP.TLS), "starttls, tls or none (env LOTSE_SMTP_TLS)")
	f.prefixes(fs, &c.TrustedProxies, "trusted-proxies", getenv("LOTSE_TRUSTED_PROXIES"),
		"reverse proxies (CIDRs or addresses, comma-separated) whose X-Forwarded-For names the client (env LOTSE_TRUSTED_PROXIES)")
	f.prefixes(fs, &c.MetricsAllow, "metrics-allow", getenv("LOTSE_METRICS_ALLOW"),
		"client networks /metrics answers (CIDRs, comma-separated; none for none; default "+DefaultMetricsAllow+") (env LOTSE_METRICS_ALLOW)")
	c.MetricsToken = or(getenv("LOTSE_METRICS_TOKEN"), c.MetricsToken)
	c.SecretKey = or(getenv("LOTSE_SECRET_KEY"), c.SecretKey)
	fs.StringVar(&c.MetricsToken, "metrics-token", c.MetricsToken, "Bearer token that opens /metrics from anywhere; better set LOTSE_METRICS_TOKEN")
	fs.StringVar(&c.PprofAddr, "pprof-addr", or(getenv("LOTSE_PPROF_ADDR"), c.PprofAddr),
		"serve Go's runtime profiles on this address, e.g. 127.0.0.1:6060; never a public one (env LOTSE_PPROF_ADDR)")
	f.int64(fs, &c.MaxBodyBytes, "max-body", getenv("LOTSE_MAX_BODY"), "largest request body in bytes, uploads aside (env LOTSE_MAX_BODY)")
	f.duration(fs, &c.MailEvery, "mail-every", getenv("LOTSE_MAIL_EVERY"), "how often the outbox is delivered (env LOTSE_MAIL_EVERY)")
	// Legal pages and the operator.
	fs.StringVar(&c.LegalDir, "legal-dir", or(getenv("LOTSE_LEGAL_DIR"), c.LegalDir),
		"folder with impressum, datenschutz, barrierefreiheit, leichte-sprache as .html fragments or .md, replacing the defaults (env LOTSE_LEGAL_DIR)")
	fs.StringVar(&c.Operator.Name, "operator-name", or(getenv("LOTSE_OPERATOR_NAME"), c.Operator.Name), "operator's name on the legal pages (env LOTSE_OPERATOR_NAME)")
	fs.StringVar(&c.Operator.Address, "operator-address", or(getenv("LOTSE_OPERATOR_ADDRESS"), c.Operator.Address), "operator's postal address, lines separated by ; (env LOTSE_OPERATOR_ADDRESS)")
	fs.StringVar(&c.Operator.Email, "operator-email", or(getenv("LOTSE_OPERATOR_EMAIL"), c.Operator.Email), "operator's contact address; barrier reports are mailed here (env LOTSE_OPERATOR_EMAIL)")
	fs.StringVar(&c.Operator.Phone, "operator-phone", or(getenv("LOTSE_OPERATOR_PHONE"), c.Operator.Phone), "operator's phone number (env LOTSE_OPERATOR_PHONE)")
	fs.StringVar(&c.Operator.Representative, "operator-representative", or(getenv("LOTSE_OPERATOR_REPRESENTATIVE"), c.Operator.Representative), "who represents the operator, for the imprint (env LOTSE_OPERATOR_REPRESENTATIVE)")
	f.retention(fs, &c.Retention, getenv) // privacy: retention periods
	fs.StringVar(&c.Operator.PrivacyContact, "operator-privacy", or(getenv("LOTSE_OPERATOR_PRIVACY"), c.Operator.PrivacyContact), "the data protection officer's name and contact, lines separated by ; (env LOTSE_OPERATOR_PRIVACY)")
	f.registerBranding(fs, getenv)
	// sso: single sign-on providers.
	fs.Var((*providerList)(&c.OIDC), "oidc-providers", `single sign-on providers as a JSON list of {"id","issuer","client_id","client_secret","scopes","label","ags_claim"}; see docs/sso.md (env LOTSE_OIDC_PROVIDERS)`)
	f.fromEnv(fs, "oidc-providers", getenv("LOTSE_OIDC_PROVIDERS"))
	return f
}

// providerList is the flag of the single sign-on providers (a JSON list).
type providerList []sso.Provider

func (l *providerList) String() string {
	if l == nil || len(*l) == 0 {
		return ""
	}
	ids := make([]string, len(*l))
	for i, p := range *l {
		ids[i] = p.ID // never the client secrets
	}
	return strings.Join(ids, ",")
}

func (l *providerList) Set(v string) error {
	ps, err := sso.ParseProviders(v)
	if err != nil {
		return err
	}
	*l = ps
	return nil
}

// Err reports invalid environment values; call it after fs.Parse.
func (f *Flags) Err() error {
	for _, fn := range f.after {
		fn()
	}
	f.after = nil
	return errors.Join(f.errs...)
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// fromEnv applies the environment value through the flag's own parser, so
// that a flag and its variable accept the same text.
func (f *Flags) fromEnv(fs *flag.FlagSet, name, env string) {
	if env == "" {
		return
	}
	if err := fs.Lookup(name).Value.Set(env); err != nil {
		f.errs = append(f.errs, fmt.Errorf("environment for --%s: %w", name, err))
	}
}

func (f *Flags) bool(fs *flag.FlagSet, p *bool, name, env, usage string) {
	fs.BoolVar(p, name, *p, usage)
	f.fromEnv(fs, name, env)
}

func (f *Flags) int(fs *flag.FlagSet, p *int, name, env, usage string) {
	fs.IntVar(p, name, *p, usage)
	f.fromEnv(fs, name, env)
}

func (f *Flags) int64(fs *flag.FlagSet, p *int64, name, env, usage string) {
	fs.Int64Var(p, name, *p, usage)
	f.fromEnv(fs, name, env)
}

func (f *Flags) duration(fs *flag.FlagSet, p *time.Duration, name, env, usage string) {
	fs.DurationVar(p, name, *p, usage)
	f.fromEnv(fs, name, env)
}

func (f *Flags) prefixes(fs *flag.FlagSet, p *[]netip.Prefix, name, env, usage string) {
	fs.Var((*prefixList)(p), name, usage)
	f.fromEnv(fs, name, env)
}

// prefixList is a flag of comma-separated CIDRs; "none" is the empty list.
type prefixList []netip.Prefix

func (l *prefixList) String() string {
	if l == nil || *l == nil {
		return ""
	}
	if len(*l) == 0 {
		return "none"
	}
	s := make([]string, len(*l))
	for i, p := range *l {
		s[i] = p.String()
	}
	return strings.Join(s, ",")
}

func (l *prefixList) Set(v string) error {
	if strings.TrimSpace(v) == "none" {
		*l = []netip.Prefix{}
		return nil
	}
	p, err := httpx.ParsePrefixes(v)
	if err != nil {
		return err
	}
	if p == nil {
		p = []netip.Prefix{}
	}
	*l = p
	return nil
}
