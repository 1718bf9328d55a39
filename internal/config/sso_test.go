package config

import (
	"strings"
	"testing"
)

func TestSSOProvidersFromEnvironmentAndFlag(t *testing.T) {
	env := map[string]string{"LOTSE_OIDC_PROVIDERS": `[{"id":"bw","issuer":"https://id.example/realms/bw","client_id":"lotse","client_secret":"geheim","label":"Mit service-bw anmelden","ags_claim":"ags"},
		{"id":"betrieb","issuer":"https://login.betrieb.example","client_id":"lotse","label":"Mit Betriebskonto anmelden"}]`}
	c, err := parse(t, env)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.OIDC) != 2 || c.OIDC[0].ID != "bw" || c.OIDC[0].ClientSecret != "geheim" || c.OIDC[0].AGSClaim != "ags" || c.OIDC[1].Label != "Mit Betriebskonto anmelden" {
		t.Fatalf("providers: %+v", c.OIDC)
	}
	// The flag wins over the environment.
	c, err = parse(t, env, `--oidc-providers=[{"id":"x","issuer":"https://x.example","client_id":"c","label":"X"}]`)
	if err != nil || len(c.OIDC) != 1 || c.OIDC[0].ID != "x" {
		t.Fatalf("flag: %+v, %v", c.OIDC, err)
	}
	if _, err := parse(t, map[string]string{"LOTSE_OIDC_PROVIDERS": `[{"id":"bw","issuer":"https://x.example","client_id":"c"}]`}); err == nil ||
		!strings.Contains(err.Error(), "label") {
		t.Errorf("a provider without a label: %v", err)
	}
	if c, err := parse(t, nil); err != nil || len(c.OIDC) != 0 {
		t.Errorf("default: %+v, %v", c.OIDC, err)
	}
}
