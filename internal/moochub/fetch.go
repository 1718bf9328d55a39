package moochub

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// MaxFeedBytes bounds a feed, uploaded or fetched.
const MaxFeedBytes = 10 << 20

// maxRedirects bounds the redirects a fetch follows.
const maxRedirects = 5

// Errors a provider sees when a feed address cannot be loaded.
var (
	ErrFeedURL = &domain.Error{Code: domain.EInvalid,
		Message: "Bitte geben Sie eine vollständige https-Adresse des Feeds an.",
		Fields:  map[string]string{"url": "Bitte geben Sie eine vollständige https-Adresse an."}}
	ErrFeedNotPublic = &domain.Error{Code: domain.EInvalid,
		Message: "Die Adresse des Feeds oder eine ihrer Weiterleitungen führt in ein nicht öffentliches Netz. Es werden nur öffentlich erreichbare https-Adressen geladen.",
		Fields:  map[string]string{"url": "Diese Adresse ist nicht öffentlich erreichbar."}}
	ErrFeedInsecureRedirect = &domain.Error{Code: domain.EInvalid,
		Message: "Der Feed leitet auf eine unverschlüsselte Adresse (http) weiter. Es werden nur https-Adressen geladen.",
		Fields:  map[string]string{"url": "Die Weiterleitung führt auf eine http-Adresse."}}
	ErrFeedRedirects = &domain.Error{Code: domain.EInvalid,
		Message: "Der Feed leitet zu oft weiter und wurde nicht geladen.",
		Fields:  map[string]string{"url": "Zu viele Weiterleitungen."}}
	ErrFeedTooLarge = domain.Errorf(domain.ETooLarge, "Der Feed ist größer als 10 MB.")
)

// refusedPrefixes are the address ranges a feed is never loaded from: this
// host, private and carrier networks, link- and site-local ranges,
// documentation and benchmarking ranges, multicast, broadcast and reserved
// space, and the translation prefixes (NAT64, 6to4, Teredo) that can carry
// any of these inside an IPv6 address.
var refusedPrefixes = func() []netip.Prefix {
	var ps []netip.Prefix
	for _, s := range []string{
		// IPv4
		"0.0.0.0/8",       // "this network"
		"10.0.0.0/8",      // private
		"100.64.0.0/10",   // carrier-grade NAT
		"127.0.0.0/8",     // loopback
		"169.254.0.0/16",  // link-local (cloud metadata)
		"172.16.0.0/12",   // private
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation TEST-NET-1
		"192.88.99.0/24",  // 6to4 relay anycast
		"192.168.0.0/16",  // private
		"198.18.0.0/15",   // benchmarking
		"198.51.100.0/24", // documentation TEST-NET-2
		"203.0.113.0/24",  // documentation TEST-NET-3
		"224.0.0.0/4",     // multicast
		"240.0.0.0/4",     // reserved, includes broadcast 255.255.255.255
		// IPv6
		"::/96",          // unspecified, loopback, IPv4-compatible
		"::ffff:0:0/96",  // IPv4-mapped (checked unmapped as well)
		"64:ff9b::/96",   // NAT64
		"64:ff9b:1::/48", // local-use NAT64
		"100::/64",       // discard
		"2001::/23",      // IETF protocol assignments, Teredo
		"2001:db8::/32",  // documentation
		"2002::/16",      // 6to4
		"3fff::/20",      // documentation
		"fc00::/7",       // unique local
		"fe80::/10",      // link-local
		"fec0::/10",      // site-local (deprecated)
		"ff00::/8",       // multicast
	} {
		ps = append(ps, netip.MustParsePrefix(s))
	}
	return ps
}()

// globalUnicast6 is where public IPv6 unicast addresses are allocated.
var globalUnicast6 = netip.MustParsePrefix("2000::/3")

// PublicAddr reports whether a feed may be loaded from ip: only public
// unicast addresses qualify. IPv4-mapped IPv6 addresses are judged by their
// IPv4 address.
func PublicAddr(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	ip = ip.WithZone("")
	if ip.Is4In6() {
		return PublicAddr(ip.Unmap())
	}
	for _, p := range refusedPrefixes {
		if p.Contains(ip) {
			return false
		}
	}
	if ip.Is6() && !globalUnicast6.Contains(ip) {
		return false
	}
	return true
}

// Fetcher loads feeds from providers' public https addresses. The zero
// value is ready for use and refuses every address PublicAddr refuses.
type Fetcher struct {
	// Allow decides whether an address may be dialled; nil means PublicAddr.
	// Tests that serve a feed on this host replace it.
	Allow func(netip.Addr) bool
	// RootCAs replaces the system's certificate authorities (tests only).
	RootCAs *x509.CertPool
	// Timeout bounds the whole fetch; zero means 15 seconds.
	Timeout time.Duration
}

// errNotPublic marks a dial refused by the address check.
type errNotPublic struct{ addr netip.Addr }

func (e *errNotPublic) Error() string {
	return fmt.Sprintf("moochub: address %s is not public", e.addr)
}

// errInsecure marks a redirect to a scheme other than https.
var errInsecure = errors.New("moochub: redirect away from https")

// errTooManyRedirects marks a redirect chain longer than maxRedirects.
var errTooManyRedirects = errors.New("moochub: too many redirects")

func (f *Fetcher) allow(ip netip.Addr) bool {
	if f.Allow != nil {
		return f.Allow(ip.WithZone(""))
	}
	return PublicAddr(ip)
}

// check judges a URL before it is requested: https only, and a host given
// as an address literal must be allowed. Host names are judged when their
// resolved address is dialled.
func (f *Fetcher) check(u *url.URL) error {
	if u.Scheme != "https" || u.Hostname() == "" {
		return errInsecure
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !f.allow(ip) {
		return &errNotPublic{ip}
	}
	return nil
}

// client builds the HTTP client. The dialer's Control function sees the
// address actually connected to, after name resolution, for the first
// request and every redirect, so a name that resolves (or re-resolves) to an
// internal address is refused before any packet is sent. No proxy is used:
// it would dial on our behalf without this check.
func (f *Fetcher) client() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(network, address string, _ syscall.RawConn) error {
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("moochub: unparsable dial address %q: %w", address, err)
		}
		if !f.allow(ap.Addr()) {
			return &errNotPublic{ap.Addr()}
		}
		return nil
	}}
	timeout := f.Timeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:                 nil,
			DialContext:           dialer.DialContext,
			TLSClientConfig:       &tls.Config{RootCAs: f.RootCAs, MinVersion: tls.VersionTLS12},
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          1,
			DisableKeepAlives:     true,
		},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) > maxRedirects {
				return errTooManyRedirects
			}
			return f.check(req.URL)
		},
	}
}

// Fetch loads a feed from raw, an https address, bounded in time and size.
// Its errors are *domain.Error with a message for the provider.
func (f *Fetcher) Fetch(ctx context.Context, raw string) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" || u.User != nil {
		return nil, ErrFeedURL
	}
	if err := f.check(u); err != nil {
		return nil, fetchError(err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, ErrFeedURL
	}
	req.Header.Set("Accept", "application/vnd.api+json, application/json")
	res, err := f.client().Do(req)
	if err != nil {
		return nil, fetchError(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, domain.Errorf(domain.EInvalid, "Der Feed antwortet mit Status %d.", res.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(res.Body, MaxFeedBytes+1))
	if err != nil {
		return nil, &domain.Error{Code: domain.EInvalid, Message: "Der Feed konnte nicht gelesen werden.", Err: err}
	}
	if len(b) > MaxFeedBytes {
		return nil, ErrFeedTooLarge
	}
	return b, nil
}

// fetchError maps a failed request to what the provider is told.
func fetchError(err error) error {
	var np *errNotPublic
	switch {
	case errors.As(err, &np):
		return &domain.Error{Code: ErrFeedNotPublic.Code, Message: ErrFeedNotPublic.Message, Fields: ErrFeedNotPublic.Fields, Err: err}
	case errors.Is(err, errInsecure):
		return &domain.Error{Code: ErrFeedInsecureRedirect.Code, Message: ErrFeedInsecureRedirect.Message, Fields: ErrFeedInsecureRedirect.Fields, Err: err}
	case errors.Is(err, errTooManyRedirects):
		return &domain.Error{Code: ErrFeedRedirects.Code, Message: ErrFeedRedirects.Message, Fields: ErrFeedRedirects.Fields, Err: err}
	}
	return &domain.Error{Code: domain.EInvalid, Message: "Der Feed konnte nicht geladen werden. Bitte prüfen Sie die Adresse.", Err: err}
}
