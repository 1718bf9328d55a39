package sso_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/sso/ssotest"
	"golang.org/x/oauth2"
)

const base = "http://lotse.test"

// login runs the flow up to the callback and returns its code.
func login(t *testing.T, c *sso.Client, op *ssotest.OP, id, state, nonce, verifier, user string) string {
	t.Helper()
	to, err := c.AuthURL(context.Background(), id, state, nonce, verifier)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(to)
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("nonce") != nonce || q.Get("state") != state {
		t.Fatalf("authorization address lacks PKCE, nonce or state: %s", to)
	}
	back := op.Login(t, to, user, ssotest.Password)
	if !strings.HasPrefix(back.String(), c.CallbackURL(id)) || back.Query().Get("state") != state {
		t.Fatalf("the OP sent the browser to %s", back)
	}
	return back.Query().Get("code")
}

func TestExchangeVerifiesTheIDTokenOfARealProvider(t *testing.T) {
	c0 := sso.New(base, nil)
	op := ssotest.Start(t, nil, c0.CallbackURL("op"))
	p := op.Provider("op", "Mit Test-OP anmelden")
	p.Scopes = append(p.Scopes, "custom_scope")
	p.AGSClaim = "custom_claim.client" // the example OP sends {"client": "web", ...} for custom_scope
	c := sso.New(base, []sso.Provider{p})
	ctx := context.Background()
	verifier := oauth2.GenerateVerifier()
	code := login(t, c, op, "op", "state-1", "nonce-1", verifier, "neu")
	id, err := c.Exchange(ctx, "op", code, verifier, "nonce-1")
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != "sub-neu" || id.Email != "nora.neumann@kommune.example" || !id.EmailVerified || id.Name != "Nora Neumann" || id.IDToken == "" {
		t.Errorf("identity = %+v", id)
	}
	if id.AGS != "web" {
		t.Errorf("AGS claim read from a nested claim of the real token = %q, want web", id.AGS)
	}
	// A code is good once.
	if _, err := c.Exchange(ctx, "op", code, verifier, "nonce-1"); domain.ErrorCode(err) != domain.EUnauthorized {
		t.Errorf("second exchange of one code: %v", err)
	}
	// RP-initiated logout: the provider's end_session_endpoint with the hint.
	out := c.LogoutURL(ctx, "op", id.IDToken, base+"/")
	lu, _ := url.Parse(out)
	if !strings.HasPrefix(out, op.Issuer) || lu.Query().Get("id_token_hint") != id.IDToken || lu.Query().Get("post_logout_redirect_uri") != base+"/" {
		t.Errorf("logout address = %q", out)
	}
}

func TestExchangeRefusesWrongNonceWrongVerifierAndExpiredToken(t *testing.T) {
	c0 := sso.New(base, nil)
	op := ssotest.Start(t, nil, c0.CallbackURL("op"))
	c := sso.New(base, []sso.Provider{op.Provider("op", "Test")})
	ctx := context.Background()

	v := oauth2.GenerateVerifier()
	code := login(t, c, op, "op", "s1", "the-nonce", v, "neu")
	_, err := c.Exchange(ctx, "op", code, v, "another-nonce")
	if !strings.Contains(domain.ErrorMessage(err), "gehört nicht zu dieser Anmeldung") {
		t.Errorf("wrong nonce: %v", err)
	}

	v = oauth2.GenerateVerifier()
	code = login(t, c, op, "op", "s2", "n2", v, "neu")
	if _, err := c.Exchange(ctx, "op", code, oauth2.GenerateVerifier(), "n2"); domain.ErrorCode(err) != domain.EUnauthorized {
		t.Errorf("wrong PKCE verifier: %v", err)
	}

	v = oauth2.GenerateVerifier()
	code = login(t, c, op, "op", "s3", "n3", v, "neu")
	c.Now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	_, err = c.Exchange(ctx, "op", code, v, "n3")
	if !strings.Contains(domain.ErrorMessage(err), "abgelaufen") {
		t.Errorf("expired ID token: %v", err)
	}
}

func TestProviderDownIsUnavailableAndNotReady(t *testing.T) {
	c0 := sso.New(base, nil)
	op := ssotest.Start(t, nil, c0.CallbackURL("op"))
	c := sso.New(base, []sso.Provider{op.Provider("op", "Test")})
	ctx := context.Background()
	if err := c.Ready(ctx); err != nil {
		t.Fatalf("running provider not ready: %v", err)
	}
	op.Stop()
	if err := c.Ready(ctx); err == nil {
		t.Error("a provider that is down is ready")
	}
	_, err := c.AuthURL(ctx, "op", "s", "n", oauth2.GenerateVerifier())
	if domain.ErrorCode(err) != domain.EUnavailable || !strings.Contains(domain.ErrorMessage(err), "nicht erreichbar") {
		t.Errorf("AuthURL with the provider down: %v", err)
	}
}

func TestParseProviders(t *testing.T) {
	ps, err := sso.ParseProviders(`[{"id":"bw","issuer":"https://id.example/realms/bw","client_id":"lotse","client_secret":"s","label":"Mit service-bw anmelden","ags_claim":"ags"}]`)
	if err != nil || len(ps) != 1 || ps[0].AGSClaim != "ags" {
		t.Fatalf("ParseProviders = %+v, %v", ps, err)
	}
	for name, in := range map[string]string{
		"bad id":        `[{"id":"B W","issuer":"https://x.example","client_id":"c","label":"L"}]`,
		"no issuer":     `[{"id":"bw","client_id":"c","label":"L"}]`,
		"no label":      `[{"id":"bw","issuer":"https://x.example","client_id":"c"}]`,
		"twice":         `[{"id":"bw","issuer":"https://x.example","client_id":"c","label":"L"},{"id":"bw","issuer":"https://y.example","client_id":"c","label":"M"}]`,
		"unknown field": `[{"id":"bw","issuer":"https://x.example","client_id":"c","label":"L","secret":"x"}]`,
	} {
		if _, err := sso.ParseProviders(in); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestClaimString(t *testing.T) {
	claims := map[string]any{"ags": "08111000", "org": map[string]any{"ags": []any{"08221000"}}, "n": float64(8111000), "b": true}
	for path, want := range map[string]string{"ags": "08111000", "org.ags": "08221000", "n": "8111000", "b": "", "missing": "", "ags.x": ""} {
		if got := sso.ClaimString(claims, path); got != want {
			t.Errorf("ClaimString(%q) = %q, want %q", path, got, want)
		}
	}
}
