package moochub

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestPublicAddrRefusesEveryNonPublicRange(t *testing.T) {
	for _, c := range []struct {
		ip     string
		public bool
	}{
		// public
		{"8.8.8.8", true},
		{"1.1.1.1", true},
		{"185.199.108.153", true},
		{"100.63.255.255", true},
		{"100.128.0.0", true},
		{"198.17.255.255", true},
		{"198.20.0.0", true},
		{"2a00:1450:4001:80b::200e", true},
		{"2606:4700:4700::1111", true},
		{"::ffff:8.8.8.8", true},
		// this network, loopback, private
		{"0.0.0.0", false},
		{"0.1.2.3", false},
		{"127.0.0.1", false},
		{"127.255.255.254", false},
		{"10.0.0.1", false},
		{"172.16.0.1", false},
		{"172.31.255.255", false},
		{"192.168.1.1", false},
		// carrier-grade NAT, benchmarking
		{"100.64.0.1", false},
		{"100.127.255.255", false},
		{"198.18.0.1", false},
		{"198.19.255.255", false},
		// link-local (cloud metadata), documentation, protocol assignments
		{"169.254.169.254", false},
		{"192.0.0.1", false},
		{"192.0.2.1", false},
		{"198.51.100.7", false},
		{"203.0.113.9", false},
		{"192.88.99.1", false},
		// multicast, reserved, broadcast
		{"224.0.0.1", false},
		{"239.255.255.250", false},
		{"240.0.0.1", false},
		{"255.255.255.255", false},
		// IPv6 loopback, unspecified, IPv4-compatible
		{"::1", false},
		{"::", false},
		{"::127.0.0.1", false},
		// IPv4-mapped IPv6 of refused ranges
		{"::ffff:127.0.0.1", false},
		{"::ffff:10.1.2.3", false},
		{"::ffff:169.254.169.254", false},
		{"::ffff:100.64.0.1", false},
		{"::ffff:0.0.0.0", false},
		// NAT64 (even of a public address: it is the gateway's business)
		{"64:ff9b::7f00:1", false},
		{"64:ff9b::808:808", false},
		{"64:ff9b:1::a00:1", false},
		// 6to4, Teredo, discard, documentation
		{"2002:7f00:1::1", false},
		{"2001:0:4136:e378::1", false},
		{"100::1", false},
		{"2001:db8::1", false},
		{"3fff::1", false},
		// unique local, link-local (also with zone), site-local, multicast
		{"fc00::1", false},
		{"fd12:3456::1", false},
		{"fe80::1", false},
		{"fe80::1%eth0", false},
		{"fec0::1", false},
		{"feff::1", false},
		{"ff02::1", false},
		{"ff05::1:3", false},
		// outside 2000::/3
		{"4000::1", false},
	} {
		if got := PublicAddr(netip.MustParseAddr(c.ip)); got != c.public {
			t.Errorf("PublicAddr(%s) = %v, want %v", c.ip, got, c.public)
		}
	}
	if PublicAddr(netip.Addr{}) {
		t.Error("the zero address counts as public")
	}
}

// onlyLoopback1 lets tests serve the feed on 127.0.0.1 while everything else
// (including the rest of 127.0.0.0/8) is judged as in production.
func onlyLoopback1(ip netip.Addr) bool {
	return ip.Unmap() == netip.MustParseAddr("127.0.0.1") || PublicAddr(ip)
}

func testFetcher(srv *httptest.Server) *Fetcher {
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	return &Fetcher{Allow: onlyLoopback1, RootCAs: pool}
}

func wantFetchError(t *testing.T, err error, want *domain.Error) {
	t.Helper()
	if err == nil {
		t.Fatalf("fetch succeeded, want %q", want.Message)
	}
	if domain.ErrorCode(err) != want.Code || domain.ErrorMessage(err) != want.Message {
		t.Fatalf("fetch error = %v, want %q", err, want.Message)
	}
}

func TestFetchLoadsFeedFromAllowedAddress(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/feed", http.StatusFound)
			return
		}
		w.Write([]byte(`{"data":[]}`))
	}))
	defer srv.Close()
	b, err := testFetcher(srv).Fetch(context.Background(), srv.URL+"/moved")
	if err != nil || string(b) != `{"data":[]}` {
		t.Fatalf("Fetch = %q, %v", b, err)
	}
}

func TestFetchProductionClassifierRefusesLoopback(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte(`{"data":[]}`))
	}))
	defer srv.Close()
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	f := &Fetcher{RootCAs: pool} // production classifier
	u, _ := url.Parse(srv.URL)
	for _, raw := range []string{
		srv.URL,                                  // https://127.0.0.1:port
		"https://localhost:" + u.Port(),          // a name resolving to loopback
		"https://[::ffff:127.0.0.1]:" + u.Port(), // IPv4-mapped loopback
	} {
		_, err := f.Fetch(context.Background(), raw)
		wantFetchError(t, err, ErrFeedNotPublic)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the loopback server was reached %d times", n)
	}
}

// A name that resolves to an internal address is refused at the dial: the
// check sees the address actually connected to, not the name.
func TestFetchChecksDialedAddressNotName(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("server reached")
	}))
	defer srv.Close()
	f := testFetcher(srv)
	f.Allow = func(ip netip.Addr) bool { return PublicAddr(ip) } // a name check alone would pass "localhost"
	u, _ := url.Parse(srv.URL)
	_, err := f.Fetch(context.Background(), "https://localhost:"+u.Port()+"/feed")
	wantFetchError(t, err, ErrFeedNotPublic)
}

func TestFetchRefusesRedirectToPrivateOrLoopbackOrHTTP(t *testing.T) {
	var reachedOther atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reachedOther.Add(1)
		w.Write([]byte(`{"data":[]}`))
	}))
	defer other.Close()
	otherTLS := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reachedOther.Add(1)
		w.Write([]byte(`{"data":[]}`))
	}))
	defer otherTLS.Close()
	otherPort := strings.TrimPrefix(otherTLS.URL, "https://127.0.0.1:")

	target := map[string]string{
		"/to-http":         other.URL + "/feed",                        // https → http on an allowed address
		"/to-loopback":     "https://127.0.0.2:" + otherPort + "/feed", // another loopback address
		"/to-private":      "https://10.0.0.1/feed",
		"/to-metadata":     "https://169.254.169.254/latest/meta-data/",
		"/to-mapped":       "https://[::ffff:192.168.0.1]/feed",
		"/to-cgnat":        "https://100.64.0.1/feed",
		"/to-nat64":        "https://[64:ff9b::a00:1]/feed",
		"/to-http-private": "http://10.0.0.1/feed",
		"/hop":             "/to-private",
	}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to, ok := target[r.URL.Path]; ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		http.NotFound(w, r)
	}))
	defer srv.Close()
	// The test classifier allows 127.0.0.1, where all three servers listen,
	// so the other servers are named by another address or scheme.
	f := testFetcher(srv)
	for path, want := range map[string]*domain.Error{
		"/to-http":         ErrFeedInsecureRedirect,
		"/to-loopback":     ErrFeedNotPublic,
		"/to-private":      ErrFeedNotPublic,
		"/to-metadata":     ErrFeedNotPublic,
		"/to-mapped":       ErrFeedNotPublic,
		"/to-cgnat":        ErrFeedNotPublic,
		"/to-nat64":        ErrFeedNotPublic,
		"/to-http-private": ErrFeedInsecureRedirect,
		"/hop":             ErrFeedNotPublic,
	} {
		t.Run(path, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), srv.URL+path)
			wantFetchError(t, err, want)
		})
	}
	if n := reachedOther.Load(); n != 0 {
		t.Fatalf("a refused redirect target was reached %d times", n)
	}
}

func TestFetchRefusesNonHTTPSAddress(t *testing.T) {
	for _, raw := range []string{"http://example.org/feed", "ftp://example.org/", "example.org/feed", "https://", "https://user:pw@example.org/"} {
		_, err := (&Fetcher{}).Fetch(context.Background(), raw)
		wantFetchError(t, err, ErrFeedURL)
	}
}

func TestFetchRefusesEndlessRedirects(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	defer srv.Close()
	_, err := testFetcher(srv).Fetch(context.Background(), srv.URL)
	wantFetchError(t, err, ErrFeedRedirects)
}
