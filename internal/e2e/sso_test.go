package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/sso/ssotest"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// serveWith starts a server process on a free port with extra environment
// and returns its own address (it prints its public one).
func serveWith(t *testing.T, bin, dsn, data string, env ...string) string {
	t.Helper()
	addr := "127.0.0.1:" + strconv.Itoa(ssotest.FreePort(t))
	startServe(t, bin, addr, dsn, data, env)
	return "http://" + addr
}

// sso: TestSSOLoginAcrossTwoServerProcesses runs two lotse server processes
// on one database behind one public address (as behind a load balancer)
// with a real OpenID Provider: the login starts on one process and the
// provider's callback lands on the other, which finishes it.
func TestSSOLoginAcrossTwoServerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	ssotest.Binary(t)
	bin := build(t)
	const public = "http://lotse.test"
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			op := ssotest.Start(t, nil, public+"/anmelden/sso/op/zurueck")
			providers, _ := json.Marshal([]sso.Provider{op.Provider("op", "Mit Test-OP anmelden")})
			dsn, data := storetest.DSN(t, d), t.TempDir()
			env := []string{"LOTSE_BASE_URL=" + public, "LOTSE_OIDC_PROVIDERS=" + string(providers)}
			a := serveWith(t, bin, dsn, data, env...)
			b := serveWith(t, bin, dsn, data, env...)

			jar, _ := cookiejar.New(nil) // cookies ignore the port: a and b share them, as behind one address
			c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := c.Get(a + "/anmelden/sso/op?weiter=/konto")
			if err != nil || res.StatusCode != http.StatusSeeOther {
				t.Fatalf("start on a: %v %v", res, err)
			}
			res.Body.Close()
			back := op.Login(t, res.Header.Get("Location"), "neu", ssotest.Password)
			if !strings.HasPrefix(back.String(), public+"/anmelden/sso/op/zurueck?") {
				t.Fatalf("the OP sent the browser to %s", back)
			}
			res, err = c.Get(b + back.RequestURI())
			if err != nil || res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/konto?hinweis=angemeldet" {
				t.Fatalf("callback on b: %v %v", res, err)
			}
			res.Body.Close()
			for _, base := range []string{a, b} {
				res, err := c.Get(base + "/konto")
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "nora.neumann@kommune.example") {
					t.Errorf("%s/konto after the sign-on: %d", base, res.StatusCode)
				}
			}
			res, err = http.Get(b + "/readyz")
			if err != nil || res.StatusCode != http.StatusOK {
				t.Errorf("/readyz with the provider up: %v %v", res, err)
			}
			op.Stop()
			res, err = http.Get(a + "/readyz")
			if err != nil || res.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("/readyz with the provider down: %v %v", res, err)
			}
		})
	}
}
