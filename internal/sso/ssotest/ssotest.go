// Package ssotest runs a real OpenID Provider for tests: zitadel's example
// OP (github.com/zitadel/oidc/v3/example/server), built by
// scripts/test-tools.sh and named by LOTSE_OIDC_OP. It starts the binary as
// its own process on a free port with the test users and the callback
// addresses given, and drives its login form over HTTP. Tests skip when
// LOTSE_OIDC_OP is not set.
package ssotest

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/sso"
)

// User is a test user of the OP (the fields of its users file).
type User struct {
	ID                string
	Username          string
	Password          string
	FirstName         string
	LastName          string
	Email             string
	EmailVerified     bool
	PreferredLanguage string
}

// Password is every default user's password.
const Password = "verysecure"

// DefaultUsers are the OP's users unless a test names its own: a person
// new to the platform, one with an address the provider did not verify, and
// one whose address the demo data knows (Futurehausen's account admin).
func DefaultUsers() []User {
	return []User{
		{ID: "sub-neu", Username: "neu", Password: Password, FirstName: "Nora", LastName: "Neumann", Email: "nora.neumann@kommune.example", EmailVerified: true, PreferredLanguage: "de"},
		{ID: "sub-unbestaetigt", Username: "unbestaetigt", Password: Password, FirstName: "Ulf", LastName: "Ungeprüft", Email: "ulf@kommune.example", EmailVerified: false, PreferredLanguage: "de"},
		{ID: "sub-thomas", Username: "thomas", Password: Password, FirstName: "Thomas", LastName: "Verwalter", Email: "thomas@futurehausen.example", EmailVerified: true, PreferredLanguage: "de"},
	}
}

// OP is a running OpenID Provider.
type OP struct {
	Issuer string
	cmd    *exec.Cmd
	done   chan struct{}
}

// Binary returns the OP binary named by LOTSE_OIDC_OP or skips the test.
func Binary(tb testing.TB) string {
	tb.Helper()
	bin := os.Getenv("LOTSE_OIDC_OP")
	if bin == "" {
		tb.Skip("LOTSE_OIDC_OP is not set: no OpenID Provider to test single sign-on against (scripts/test-tools.sh builds one)")
	}
	if _, err := os.Stat(bin); err != nil {
		tb.Fatalf("LOTSE_OIDC_OP=%s: %v", bin, err)
	}
	return bin
}

// Start starts the OP with the users (nil: DefaultUsers) and the accepted
// callback addresses; it stops when the test ends.
func Start(tb testing.TB, users []User, redirectURIs ...string) *OP {
	tb.Helper()
	bin := Binary(tb)
	if users == nil {
		users = DefaultUsers()
	}
	byID := map[string]User{}
	for _, u := range users {
		byID[u.ID] = u
	}
	file := filepath.Join(tb.TempDir(), "users.json")
	b, _ := json.Marshal(byID)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		tb.Fatal(err)
	}
	port := FreePort(tb)
	op := &OP{Issuer: "http://localhost:" + strconv.Itoa(port) + "/", done: make(chan struct{})}
	op.cmd = exec.Command(bin)
	op.cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "USERS_FILE="+file, "REDIRECT_URI="+strings.Join(redirectURIs, ","))
	if testing.Verbose() {
		op.cmd.Stderr = os.Stderr
	}
	if err := op.cmd.Start(); err != nil {
		tb.Fatalf("start OP: %v", err)
	}
	go func() { op.cmd.Wait(); close(op.done) }()
	tb.Cleanup(op.Stop)
	deadline := time.Now().Add(15 * time.Second)
	for {
		res, err := http.Get(op.Issuer + ".well-known/openid-configuration")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return op
			}
		}
		select {
		case <-op.done:
			tb.Fatalf("the OP ended at start")
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the OP did not answer within 15 s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop ends the OP's process (a provider that is down).
func (op *OP) Stop() {
	if op.cmd.Process == nil {
		return
	}
	select {
	case <-op.done:
		return
	default:
	}
	op.cmd.Process.Kill()
	<-op.done
}

// Provider returns a provider setting for the OP's web client.
func (op *OP) Provider(id, label string) sso.Provider {
	return sso.Provider{ID: id, Issuer: op.Issuer, ClientID: "web", ClientSecret: "secret", Label: label,
		Scopes: []string{"openid", "profile", "email"}}
}

// FreePort returns a TCP port nobody listens on right now.
func FreePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

var authRequestID = regexp.MustCompile(`name="id" value="([^"]+)"`)

// Login goes from the authorization address through the OP's login form
// with username and password and returns the address the OP sends the
// browser back to (the platform's callback with code and state), without
// following it.
func (op *OP) Login(tb testing.TB, authURL, username, password string) *url.URL {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), op.Issuer) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	res, err := c.Get(authURL)
	if err != nil {
		tb.Fatalf("authorization request: %v", err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := authRequestID.FindSubmatch(body)
	if m == nil {
		tb.Fatalf("no login form at %s (status %d): %.300s", res.Request.URL, res.StatusCode, body)
	}
	res, err = c.PostForm(op.Issuer+"login/username", url.Values{"id": {string(m[1])}, "username": {username}, "password": {password}})
	if err != nil {
		tb.Fatalf("login form: %v", err)
	}
	body, _ = io.ReadAll(res.Body)
	res.Body.Close()
	loc, err := res.Location()
	if err != nil {
		tb.Fatalf("the OP sent no redirect after the login (status %d): %.300s", res.StatusCode, body)
	}
	return loc
}

// String names the OP in messages.
func (op *OP) String() string { return fmt.Sprintf("OP at %s", op.Issuer) }
