package config

import (
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func parse(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Default()
	f := RegisterServe(fs, &c, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	return c, f.Err()
}

func TestDefaultsEnvironmentAndFlags(t *testing.T) {
	c, err := parse(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != DefaultAddr || c.DataDir != DefaultDataDir || c.DSN() != "sqlite:lotse-data/lotse.db" || c.SMTP.Port != 587 ||
		len(c.MetricsAllow) != 2 || len(c.TrustedProxies) != 0 || c.MailEvery != 10*time.Second {
		t.Fatalf("defaults: %+v", c)
	}
	env := map[string]string{"LOTSE_ADDR": ":9000", "LOTSE_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.0.1", "LOTSE_METRICS_ALLOW": "none",
		"LOTSE_METRICS_TOKEN": "t0k", "LOTSE_SMTP_PORT": "25", "LOTSE_DEMO": "true", "LOTSE_DATABASE": "postgres://x/y", "LOTSE_SMTP_PASSWORD": "pw"}
	c, err = parse(t, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9000" || len(c.TrustedProxies) != 2 || c.MetricsAllow == nil || len(c.MetricsAllow) != 0 || c.MetricsToken != "t0k" ||
		c.SMTP.Port != 25 || !c.Demo || c.DSN() != "postgres://x/y" || c.SMTP.Password != "pw" {
		t.Fatalf("from the environment: %+v", c)
	}
	// A flag beats its variable.
	c, err = parse(t, env, "--addr", ":9100", "--metrics-allow", "192.0.2.0/24", "--smtp-port", "2525")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9100" || len(c.MetricsAllow) != 1 || c.MetricsAllow[0].String() != "192.0.2.0/24" || c.SMTP.Port != 2525 {
		t.Fatalf("flags over the environment: %+v", c)
	}
	// The PostgreSQL pool: the environment, the flag, never negative.
	if c, err := parse(t, map[string]string{"LOTSE_DB_MAX_CONNS": "12"}); err != nil || c.DBMaxConns != 12 {
		t.Fatalf("LOTSE_DB_MAX_CONNS: %d, %v", c.DBMaxConns, err)
	}
	if c, err := parse(t, nil, "--db-max-conns", "3"); err != nil || c.DBMaxConns != 3 {
		t.Fatalf("--db-max-conns: %d, %v", c.DBMaxConns, err)
	}
	if _, err := parse(t, nil, "--db-max-conns", "-1"); err == nil || !strings.Contains(err.Error(), "db-max-conns") {
		t.Fatalf("negative pool: %v", err)
	}
	// A bad value in the environment is an error, named by its flag.
	if _, err := parse(t, map[string]string{"LOTSE_TRUSTED_PROXIES": "10.0.0.0/99"}); err == nil || !strings.Contains(err.Error(), "trusted-proxies") {
		t.Fatalf("bad environment value: %v", err)
	}
	if _, err := parse(t, nil, "--trusted-proxies", "kein-netz"); err == nil {
		t.Fatal("bad flag value accepted")
	}
}

func TestLegalSettingsFromEnvironmentAndFlags(t *testing.T) {
	env := map[string]string{"LOTSE_LEGAL_DIR": "/etc/lotse/recht", "LOTSE_OPERATOR_NAME": "Gemeindetag Musterland",
		"LOTSE_OPERATOR_ADDRESS": "Hauptstraße 1; 70000 Musterstadt", "LOTSE_OPERATOR_EMAIL": "kontakt@gemeindetag.example",
		"LOTSE_OPERATOR_PHONE": "0711 000", "LOTSE_OPERATOR_REPRESENTATIVE": "Erika Muster", "LOTSE_OPERATOR_PRIVACY": "Max Schutz"}
	c, err := parse(t, env, "--operator-email", "barrieren@gemeindetag.example")
	if err != nil {
		t.Fatal(err)
	}
	want := Operator{Name: "Gemeindetag Musterland", Address: "Hauptstraße 1; 70000 Musterstadt", Email: "barrieren@gemeindetag.example",
		Phone: "0711 000", Representative: "Erika Muster", PrivacyContact: "Max Schutz"}
	if c.LegalDir != "/etc/lotse/recht" || c.Operator != want {
		t.Fatalf("legal settings: %q %+v", c.LegalDir, c.Operator)
	}
	if c, _ := parse(t, nil); c.LegalDir != "" || c.Operator != (Operator{}) {
		t.Fatalf("defaults: %q %+v", c.LegalDir, c.Operator)
	}
}
