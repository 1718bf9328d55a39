package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const sessionCookie = "lotse_session"

// reqState is what the middleware learns about a request.
type reqState struct {
	actor        *domain.Actor
	csrf         string // the session's CSRF token; empty for token or anonymous requests
	sessionToken string
	// pending: the session waits for its second factor; it authenticates
	// nobody, only the second-factor pages use it (with pendingCSRF).
	pending     bool
	pendingCSRF string
}

type stateKey struct{}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{actor: &domain.Actor{}}
}

func actor(r *http.Request) *domain.Actor { return state(r).actor }

// middleware wraps the router, outermost first: recovery, client address,
// logging and metrics, security headers, body limit, cross-origin
// protection, authentication.
func (s *Server) middleware(h http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := domain.Errorf(domain.EForbidden, "Die Anfrage kam von einer fremden Seite und wurde abgelehnt.")
		if isAPI(r) {
			s.writeAPIError(w, r, err)
			return
		}
		s.page(func(http.ResponseWriter, *http.Request) error { return err })(w, r)
	}))
	h = s.authenticate(h)
	h = cop.Handler(h)
	h = s.limitBody(h)
	h = securityHeaders(h)
	h = s.observe(h)
	h = s.resolveClient(h)
	return s.recoverPanics(h)
}

// clientInfo is what resolveClient learned about the sender of a request.
type clientInfo struct {
	addr netip.Addr
	// viaUntrustedProxy: the request carries X-Forwarded-For but its peer
	// is no trusted proxy, so the true client is unknown.
	viaUntrustedProxy bool
}

type clientInfoKey struct{}

// resolveClient puts the client address into the request context (see
// httpx.Resolve): the TCP peer, or behind a trusted proxy the address that
// proxy reports in X-Forwarded-For.
func (s *Server) resolveClient(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, untrusted := httpx.Resolve(r, s.cfg.TrustedProxies)
		ctx := httpx.WithClientIP(r.Context(), a)
		ctx = context.WithValue(ctx, clientInfoKey{}, clientInfo{addr: a, viaUntrustedProxy: untrusted})
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

// defaultMetricsAllow is where /metrics answers when nothing is configured.
var defaultMetricsAllow = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// metricsHandler serves the Prometheus metrics to clients from the allowed
// networks or with the metrics token, and answers everybody else 404, as if
// there were no such page. A request that came through a proxy that is not
// trusted is not let in by address: behind such a proxy every client seems
// to come from the proxy's (often loopback) address.
func (s *Server) metricsHandler() http.Handler {
	inner := promhttp.HandlerFor(s.Registry, promhttp.HandlerOpts{})
	allow := s.cfg.MetricsAllow
	if allow == nil {
		allow = defaultMetricsAllow
	}
	var want [sha256.Size]byte
	if s.cfg.MetricsToken != "" {
		want = sha256.Sum256([]byte(s.cfg.MetricsToken))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ci, _ := r.Context().Value(clientInfoKey{}).(clientInfo)
		ok := !ci.viaUntrustedProxy && httpx.Contains(allow, ci.addr)
		if !ok && s.cfg.MetricsToken != "" {
			if tok, found := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); found {
				got := sha256.Sum256([]byte(strings.TrimSpace(tok)))
				ok = subtle.ConstantTimeCompare(got[:], want[:]) == 1
			}
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		inner.ServeHTTP(w, r)
	})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func (s *Server) recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				err := fmt.Errorf("panic: %v", p)
				if isAPI(r) {
					s.writeAPIError(w, r, err)
				} else {
					s.page(func(http.ResponseWriter, *http.Request) error { return err })(w, r)
				}
			}
		}()
		h.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe logs one line per request and records its metrics.
func (s *Server) observe(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		// The route and the person are known only further in; the inner
		// handlers fill them into info.
		info := &requestInfo{}
		h.ServeHTTP(rec, r.WithContext(context.WithValue(r.Context(), infoKey{}, info)))
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		d := time.Since(start)
		pattern := info.pattern
		if pattern == "" {
			pattern = "unmatched"
		}
		s.metrics.requests.WithLabelValues(pattern, fmt.Sprint(rec.status)).Inc()
		s.metrics.duration.WithLabelValues(pattern).Observe(d.Seconds())
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || r.URL.Path == "/metrics" || strings.HasPrefix(r.URL.Path, "/static/") {
			return
		}
		s.log.LogAttrs(r.Context(), levelFor(rec.status), "request",
			slogString("method", r.Method), slogString("path", r.URL.Path), slogString("route", pattern),
			slogInt("status", rec.status), slogInt("bytes", rec.bytes), slogDuration("duration", d),
			slogInt64("person", info.person))
	})
}

// csp is the Content Security Policy with the scripts' rule given.
func csp(scripts string) string {
	return "default-src 'self'; img-src 'self' data:; style-src 'self'; " + scripts + "; " +
		"font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
}

// allowWasm lets the page compile WebAssembly (the login form's argon2id),
// still without eval or inline scripts; only the login page needs it.
func allowWasm(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", csp("script-src 'self' 'wasm-unsafe-eval'"))
}

func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", csp("script-src 'self'"))
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if r.TLS != nil {
			hd.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.ServeHTTP(w, r)
	})
}

func (s *Server) limitBody(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.MaxBodyBytes
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") || (isAPI(r) && strings.HasSuffix(r.URL.Path, "/import")) {
			// Uploads and imports: each handler checks its own limit.
			limit = maxFormUpload
		}
		if r.ContentLength > limit {
			err := domain.Errorf(domain.ETooLarge, "Die Anfrage ist zu groß.")
			if isAPI(r) {
				s.writeAPIError(w, r, err)
			} else {
				s.page(func(http.ResponseWriter, *http.Request) error { return err })(w, r)
			}
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		h.ServeHTTP(w, r)
	})
}

// authenticate finds the actor of a request: a Bearer token, or else the
// session cookie. A bad token is refused; a stale cookie is dropped.
func (s *Server) authenticate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &reqState{actor: &domain.Actor{}}
		if r.URL.Path == "/metrics" {
			// Its Bearer token is the metrics token (metricsHandler), not
			// an API token; the page needs no person.
			h.ServeHTTP(w, r)
			return
		}
		if hdr := r.Header.Get("Authorization"); hdr != "" {
			token, ok := strings.CutPrefix(hdr, "Bearer ")
			if !ok {
				s.writeAPIError(w, r, domain.Errorf(domain.EUnauthorized, "Bitte melden Sie sich mit „Authorization: Bearer <Token>“ an."))
				return
			}
			a, err := s.app.Account.TokenActor(r.Context(), strings.TrimSpace(token))
			if err != nil {
				s.writeAPIError(w, r, err)
				return
			}
			// The token's scopes decide by whether the request changes
			// something, its route (withPattern) and its actions (authz).
			a.Changes = r.Method != http.MethodGet && r.Method != http.MethodHead
			st.actor = a
		} else if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
			a, csrf, err := s.app.Account.SessionActor(r.Context(), c.Value)
			switch {
			case err == nil:
				st.actor, st.csrf, st.sessionToken = a, csrf, c.Value
			case errors.Is(err, domain.ErrSessionPending):
				st.pending, st.pendingCSRF, st.sessionToken = true, csrf, c.Value
				if to, ok := pendingRedirect(r); ok {
					http.Redirect(w, r, to, http.StatusSeeOther)
					return
				}
			case domain.ErrorCode(err) == domain.EUnauthorized:
				s.clearSessionCookie(w)
			default:
				s.log.ErrorContext(r.Context(), "session lookup failed", "err", err)
			}
		}
		if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
			info.person = st.actor.PersonID()
		}
		ctx := context.WithValue(r.Context(), stateKey{}, st)
		ctx = domain.WithActor(ctx, st.actor)
		h.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int((12 * time.Hour).Seconds())})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// clientAddr is the address login attempts are counted against: the client
// behind trusted proxies (httpx.ClientAddr).
func clientAddr(r *http.Request) string { return httpx.ClientAddr(r) }

// requestInfo is what the logging middleware learns from inner layers.
type requestInfo struct {
	pattern string
	person  int64
}

type infoKey struct{}

// withPattern records the matched route pattern for logs and metrics.
// A request with an API token limited to scopes that changes something
// must belong to one of them by its route (tokenRouteScopes); authz decides.
func withPattern(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if info, ok := r.Context().Value(infoKey{}).(*requestInfo); ok {
			info.pattern = r.Pattern
		}
		if err := authz.CheckTokenRequest(state(r).actor, tokenRouteScopes[r.Pattern]); err != nil {
			httpx.WriteJSON(w, httpx.Status(domain.ErrorCode(err)), apiError{Error: apiErrorBody{Code: domain.ErrorCode(err), Message: domain.ErrorMessage(err)}})
			return
		}
		h(w, r)
	}
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lotse_http_requests_total",
			Help: "HTTP requests by route pattern and status."}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lotse_http_request_duration_seconds",
			Help: "HTTP request duration by route pattern.", Buckets: prometheus.DefBuckets}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration, prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	return m
}
