// Package httpx holds the request and response helpers of the web layer
// that need no Server: JSON in and out (ReadJSON, WriteJSON, List), the
// HTTP status of a domain error code (Status), path and query parameters
// (PathID, PageParam), downloads (WriteICS, SendDocument), and the client
// address behind trusted reverse proxies, put into the request context once
// by the web middleware and read by whoever counts requests per address
// (login limits, voucher look-ups).
package httpx

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies is a set of trusted reverse-proxy networks.
type Proxies []netip.Prefix

// ParsePrefixes parses a comma- or space-separated list of CIDRs or single
// addresses ("10.0.0.0/8, 192.168.1.5, ::1").
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("%q is not a CIDR network: %w", f, err)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("%q is neither an address nor a CIDR network: %w", f, err)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// Contains reports whether a lies in one of the networks.
func Contains(nets []netip.Prefix, a netip.Addr) bool {
	if !a.IsValid() {
		return false
	}
	a = a.Unmap()
	for _, p := range nets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peerAddr is the TCP peer of r.
func peerAddr(r *http.Request) netip.Addr {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap()
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a.Unmap()
}

// Resolve returns the address of the client that sent r. The TCP peer is the
// client unless it is a trusted proxy; then X-Forwarded-For is read from the
// right (each proxy appends the address it received the request from),
// skipping trusted hops, and the first untrusted address is the client. A
// header from an untrusted peer is ignored: anybody can write one. The second
// result reports whether the request came through a proxy that is not
// trusted, that is: it carries X-Forwarded-For but the peer is not trusted.
func Resolve(r *http.Request, trusted []netip.Prefix) (client netip.Addr, untrustedProxy bool) {
	peer := peerAddr(r)
	xff := r.Header.Values("X-Forwarded-For")
	if !Contains(trusted, peer) {
		return peer, len(xff) > 0
	}
	var hops []string
	for _, h := range xff {
		for _, f := range strings.Split(h, ",") {
			if f = strings.TrimSpace(f); f != "" {
				hops = append(hops, f)
			}
		}
	}
	client = peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			// Maybe "host:port"; otherwise the trusted hop wrote nonsense
			// and the last trusted address is all we know.
			ap, err2 := netip.ParseAddrPort(hops[i])
			if err2 != nil {
				return client, false
			}
			a = ap.Addr()
		}
		client = a.Unmap()
		if !Contains(trusted, client) {
			return client, false
		}
	}
	return client, false
}

type clientKey struct{}

// WithClientIP returns ctx carrying the client address.
func WithClientIP(ctx context.Context, a netip.Addr) context.Context {
	return context.WithValue(ctx, clientKey{}, a)
}

// ClientIP returns the client address the web middleware put into ctx, as
// text ("203.0.113.7"), or "" when there is none (not an HTTP request).
// Login and other per-address limits count against it.
func ClientIP(ctx context.Context) string {
	if a, ok := ctx.Value(clientKey{}).(netip.Addr); ok && a.IsValid() {
		return a.String()
	}
	return ""
}

// ClientAddr is ClientIP of the request's context, falling back to the TCP
// peer when the middleware did not run.
func ClientAddr(r *http.Request) string {
	if ip := ClientIP(r.Context()); ip != "" {
		return ip
	}
	if a := peerAddr(r); a.IsValid() {
		return a.String()
	}
	return r.RemoteAddr
}
