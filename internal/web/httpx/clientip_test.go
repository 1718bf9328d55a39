package httpx

import (
	"net/http/httptest"
	"testing"
)

func TestResolve(t *testing.T) {
	trusted, err := ParsePrefixes("10.0.0.0/8, 192.168.1.5 ::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		peer, xff, want string
		untrusted       bool
	}{
		{"203.0.113.1:80", "", "203.0.113.1", false},
		{"203.0.113.1:80", "198.51.100.1", "203.0.113.1", true},
		{"10.0.0.2:80", "", "10.0.0.2", false},
		{"10.0.0.2:80", "198.51.100.1", "198.51.100.1", false},
		{"10.0.0.2:80", "6.6.6.6, 198.51.100.1, 10.9.9.9", "198.51.100.1", false},
		{"[::1]:80", "2001:db8::1", "2001:db8::1", false},
		{"192.168.1.5:80", "10.1.1.1, 10.2.2.2", "10.1.1.1", false},
		{"10.0.0.2:80", "garbage, 10.3.3.3", "10.3.3.3", false},
		{"10.0.0.2:80", "198.51.100.1:5555", "198.51.100.1", false},
		{"[::ffff:10.0.0.2]:80", "198.51.100.1", "198.51.100.1", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		got, untrusted := Resolve(r, trusted)
		if got.String() != c.want || untrusted != c.untrusted {
			t.Errorf("peer %s xff %q: %s %v, want %s %v", c.peer, c.xff, got, untrusted, c.want, c.untrusted)
		}
	}
	if _, err := ParsePrefixes("10.0.0.0/33"); err == nil {
		t.Error("bad CIDR accepted")
	}
}
