package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

func prefixes(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	p, err := httpx.ParsePrefixes(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// serveFrom sends a request to h as if it came from the TCP peer.
func serveFrom(h http.Handler, method, path, peer string, hdr http.Header, body string) *httptest.ResponseRecorder {
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, path, nil)
	}
	r.RemoteAddr = peer
	for k, vs := range hdr {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestLoginLimitCountsClientBehindTrustedProxy: behind a reverse proxy the
// login limit counts the client the proxy names, not the proxy; a header
// sent by anybody else is ignored.
func TestLoginLimitCountsClientBehindTrustedProxy(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		srv, err := New(app.New(e.db, storetest.BaseURL, nil), Config{BaseURL: storetest.BaseURL, TrustedProxies: prefixes(t, "10.0.0.1, 10.1.0.0/16")}, discardLogger())
		if err != nil {
			t.Fatal(err)
		}
		login := func(peer, xff, email, pw string) int {
			hdr := http.Header{}
			if xff != "" {
				hdr.Set("X-Forwarded-For", xff)
			}
			return serveFrom(srv, "POST", "/anmelden", peer, hdr, url.Values{"email": {email}, "password": {pw}}.Encode()).Code
		}
		addrs := func() map[string]int {
			got := map[string]int{}
			err := e.db.Read(ctx, func(tx *store.Tx) error {
				rows, err := tx.QueryContext(ctx, `SELECT addr, count(*) FROM login_attempts GROUP BY addr`)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var a string
					var n int
					if err := rows.Scan(&a, &n); err != nil {
						return err
					}
					got[a] = n
				}
				return rows.Err()
			})
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		// A spoofed header from an untrusted peer counts against the peer.
		login("198.51.100.9:4000", "203.0.113.99", "niemand@example.org", "falsch")
		// Through the trusted proxies the client is the first untrusted hop
		// from the right; whatever the client wrote further left is ignored.
		login("10.0.0.1:4000", "1.2.3.4, 203.0.113.60, 10.1.2.3", "niemand@example.org", "falsch")
		got := addrs()
		if got["198.51.100.9"] != 1 || got["203.0.113.60"] != 1 || len(got) != 2 {
			t.Fatalf("login attempts by address = %v, want one for 198.51.100.9 and one for 203.0.113.60", got)
		}

		// Client A has used up its failed attempts; client B behind the
		// same proxy can still log in, A cannot.
		err = e.db.Transact(ctx, func(tx *store.Tx) error {
			for i := 0; i < 25; i++ {
				if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (email, addr, at, success) VALUES ($1, $2, $3, $4)`,
					"x@example.org", "203.0.113.60", tx.Now(), false); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		user := demo.Logins[0].Email
		if code := login("10.0.0.1:4000", "203.0.113.60", user, testPassword); code != http.StatusTooManyRequests {
			t.Fatalf("client A through the proxy: status %d, want 429", code)
		}
		if code := login("10.0.0.1:4000", "203.0.113.61", user, testPassword); code != http.StatusSeeOther {
			t.Fatalf("client B through the proxy: status %d, want 303 (logged in)", code)
		}
		// A spoofed header does not get A around its limit when A talks
		// to the platform directly.
		if code := login("203.0.113.60:5000", "203.0.113.62", user, testPassword); code != http.StatusTooManyRequests {
			t.Fatalf("client A directly with a spoofed header: status %d, want 429", code)
		}
	})
}

// TestMetricsOnlyForAllowedAddressesOrToken: /metrics answers loopback (the
// default) or configured networks, or a request with the metrics token;
// everybody else gets 404.
func TestMetricsOnlyForAllowedAddressesOrToken(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	newSrv := func(cfg Config) *Server {
		cfg.BaseURL = "http://lotse.test"
		s, err := New(app.New(db, storetest.BaseURL, nil), cfg, discardLogger())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	bearer := func(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }
	xff := func(a string) http.Header { return http.Header{"X-Forwarded-For": {a}} }

	def := newSrv(Config{})
	tok := newSrv(Config{MetricsToken: "geheimes-token"})
	nets := newSrv(Config{MetricsAllow: prefixes(t, "192.0.2.0/24"), TrustedProxies: prefixes(t, "10.0.0.1")})
	for _, c := range []struct {
		name string
		srv  *Server
		peer string
		hdr  http.Header
		want int
	}{
		{"loopback by default", def, "127.0.0.1:1234", nil, 200},
		{"IPv6 loopback by default", def, "[::1]:1234", nil, 200},
		{"other address refused", def, "203.0.113.5:1234", nil, 404},
		{"loopback behind an untrusted proxy refused", def, "127.0.0.1:1234", xff("203.0.113.5"), 404},
		{"token from anywhere", tok, "203.0.113.5:1234", bearer("geheimes-token"), 200},
		{"wrong token refused", tok, "203.0.113.5:1234", bearer("geheimes-tokeN"), 404},
		{"no token refused", tok, "203.0.113.5:1234", nil, 404},
		{"token not configured: a token does not help", def, "203.0.113.5:1234", bearer(""), 404},
		{"allowed network", nets, "192.0.2.7:1234", nil, 200},
		{"loopback not allowed when networks are configured", nets, "127.0.0.1:1234", nil, 404},
		{"allowed network through the trusted proxy", nets, "10.0.0.1:1234", xff("192.0.2.7"), 200},
		{"other client through the trusted proxy", nets, "10.0.0.1:1234", xff("203.0.113.5"), 404},
		{"spoofed header from an untrusted peer", nets, "203.0.113.5:1234", xff("192.0.2.7"), 404},
	} {
		if got := serveFrom(c.srv, "GET", "/metrics", c.peer, c.hdr, "").Code; got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
}
