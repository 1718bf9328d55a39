package web

import (
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/store"
)

// keyFor computes what the login form's script sends: the password's
// argon2id key under the parameters POST /api/v1/auth/login-params gives.
func keyFor(t *testing.T, c *client, email, pw string) string {
	t.Helper()
	res, body := c.json("POST", "/api/v1/auth/login-params", `{"email": "`+email+`"}`)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login-params: %d %s", res.StatusCode, body)
	}
	var p loginParams
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatal(err)
	}
	if p.Algorithm != "argon2id" || p.Version != 19 || len(p.Salt) != 16 {
		t.Fatalf("login-params: %s", body)
	}
	pp := store.PasswordParams{Salt: p.Salt, MemoryKiB: p.MemoryKiB, Iterations: p.Iterations, Parallelism: p.Parallelism, KeyLength: p.KeyLength}
	return hex.EncodeToString(pp.Key(pw))
}

// TestLoginWithThePasswordsKey: the API and the login form take the key
// the browser computed ("server relief"), alone or with the password; a
// malformed key is refused with a clear message, a wrong one like a wrong
// password; only the login page may compile WebAssembly.
func TestLoginWithThePasswordsKey(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		const email = "anna@futurehausen.example"
		c := e.client()
		key := keyFor(t, c, email, testPassword)
		if res, body := c.json("POST", "/api/v1/auth/login", `{"email": "`+email+`", "password_key": "`+key+`"}`); res.StatusCode != http.StatusNoContent {
			t.Fatalf("API login with the key: %d %s", res.StatusCode, body)
		}
		if res, body := c.get("/api/v1/me"); res.StatusCode != http.StatusOK || !strings.Contains(body, email) {
			t.Fatalf("after the login: %d %s", res.StatusCode, body)
		}
		for _, bad := range []struct{ body, field string }{
			{`{"email": "` + email + `", "password_key": "abc"}`, "password_key"},
			{`{"email": "` + email + `", "password_key": "` + strings.Repeat("zz", 32) + `"}`, "password_key"},
			{`{"email": "` + email + `"}`, "password"},
		} {
			res, body := e.client().json("POST", "/api/v1/auth/login", bad.body)
			if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"`+bad.field+`"`) {
				t.Errorf("%s: %d %s", bad.body, res.StatusCode, body)
			}
		}
		wrong := keyFor(t, c, email, "falsch-falsch-falsch")
		res, body := e.client().json("POST", "/api/v1/auth/login", `{"email": "`+email+`", "password": "`+testPassword+`", "password_key": "`+wrong+`"}`)
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "E-Mail-Adresse oder Passwort ist falsch") {
			t.Errorf("a wrong key: %d %s", res.StatusCode, body)
		}
		if res, body := e.client().json("POST", "/api/v1/auth/login-params", `{"email": ""}`); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(body, "E-Mail-Adresse") {
			t.Errorf("login-params without an address: %d %s", res.StatusCode, body)
		}

		// The form, as its script sends it: password and key.
		f := e.client()
		res = f.postForm("/anmelden", url.Values{"email": {"thomas@futurehausen.example"}, "password": {testPassword},
			"password_key": {keyFor(t, f, "thomas@futurehausen.example", testPassword)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form login with the key: %d", res.StatusCode)
		}
		// A broken key in the form: the password decides.
		res = e.client().postForm("/anmelden", url.Values{"email": {"thomas@futurehausen.example"}, "password": {testPassword}, "password_key": {"kaputt"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("form login with a broken key: %d", res.StatusCode)
		}

		res, page := e.client().get("/anmelden")
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self' 'wasm-unsafe-eval';") ||
			strings.Contains(csp, "'unsafe-eval'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("login page CSP %q", csp)
		}
		if !strings.Contains(page, `name="password_key"`) || !strings.Contains(page, "/static/login.js") ||
			!strings.Contains(page, "/static/vendor/hash-wasm/argon2.umd.min.js") {
			t.Error("the login page lacks the key's field or scripts")
		}
		if res, _ := e.client().get("/"); strings.Contains(res.Header.Get("Content-Security-Policy"), "wasm") {
			t.Error("a page other than the login page may compile WebAssembly")
		}
	})
}
