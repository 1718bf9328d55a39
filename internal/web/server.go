// Package web serves Lotse over HTTP: the German web UI (server-rendered
// HTML, embedded templates and assets) and the JSON API under /api/v1. A
// handler parses the request, calls one service method (s.app.X) and renders
// the result; the rules, role checks and transactions live in the services.
//
// Where to find things:
//   - routes.go: the two route tables, uiRoutes and apiRoutes.
//   - ui_<feature>.go: the pages (handleX), rendering HTML templates from
//     templates/ through render.go (render, newPage, template functions).
//   - api_<feature>.go: the JSON API (apiX); openapi.json describes it.
//   - errors.go: handlers return errors; page and api render them as a
//     German page or a JSON error with the status of the error code.
//   - middleware.go: the chain from panic recovery to authentication
//     (client address, logs and metrics, security headers, body limits,
//     cross-origin check, session cookie or Bearer token); form in
//     ui_auth.go checks a session's CSRF token.
//   - upload.go: the PDF upload limits and checks.
//   - httpx: the request and response helpers that need no Server (JSON in
//     and out, path and page parameters, downloads, the client address).
package web

import (
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/branding"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/prometheus/client_golang/prometheus"
)

// Config holds what the web layer needs to know about its deployment.
type Config struct {
	// BaseURL is the public address; https makes cookies Secure. The
	// services get the same address from the command for links in mails.
	BaseURL string
	// SecureCookies marks cookies Secure; on by default when BaseURL is https.
	SecureCookies bool
	// MaxBodyBytes limits request bodies (uploads have their own limit).
	MaxBodyBytes int64
	// SMTPConfigured tells the outbox page whether mails leave the platform.
	SMTPConfigured bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client; from any other peer the header is ignored.
	TrustedProxies []netip.Prefix
	// MetricsAllow are the client networks /metrics answers; nil means
	// loopback only. MetricsToken, when set, lets any client in that sends
	// it as a Bearer token.
	MetricsAllow []netip.Prefix
	MetricsToken string
	// Brand is the operator's branding (name, logo, colours); nil means
	// the default.
	Brand *branding.Brand
}

// Server is the HTTP handler of the platform.
type Server struct {
	// app holds the feature services; handlers call them and nothing else.
	app     *app.App
	cfg     Config
	log     *slog.Logger
	tmpl    *templates
	assets  *assets
	handler http.Handler
	metrics *metrics
	catalog *catalog.Searcher
	// patterns are the registered route patterns.
	patterns []string
	// Registry holds the server's Prometheus metrics.
	Registry *prometheus.Registry
}

// New builds the server: it parses every template and hashes the assets, so
// a broken template fails here rather than on a request.
// a holds the services (the command builds them once and shares them with
// the jobs); web reaches the database only through them.
func New(a *app.App, cfg Config, log *slog.Logger) (*Server, error) {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if strings.HasPrefix(cfg.BaseURL, "https://") {
		cfg.SecureCookies = true
	}
	s := &Server{app: a, cfg: cfg, log: log, Registry: prometheus.NewRegistry()}
	var err error
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.cfg.Brand == nil {
		s.cfg.Brand = branding.Default()
	}
	if s.tmpl, err = parseTemplates(s.assets, s.fundingLabel, s.cfg.Brand); err != nil {
		return nil, err
	}
	s.metrics = newMetrics(s.Registry)
	s.catalog = s.app.Catalog.Searcher
	mux := http.NewServeMux()
	rt := &routeTable{mux: mux}
	s.routes(rt)
	s.patterns = rt.patterns
	s.handler = s.middleware(mux)
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// now is the store's clock, so tests can travel in time.
func (s *Server) now() time.Time { return s.app.Now() }
