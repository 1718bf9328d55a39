package notify

import (
	"strings"
	"testing"
)

// TestRedactRemovesTheSecretOfEveryAccountLink renders each mail that
// carries an account link with a known token and checks that the redacted
// body keeps the link's address but not the token.
func TestRedactRemovesTheSecretOfEveryAccountLink(t *testing.T) {
	n := MustNew("https://lotse.example")
	const token = "Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw_-x"
	cases := []struct {
		name string
		data any
		link string
	}{
		{"account-reset", map[string]any{"Name": "Anna", "Token": token}, "https://lotse.example/passwort-zuruecksetzen?token=" + Redacted},
		{"account-verify", map[string]any{"Name": "Anna", "Token": token}, "https://lotse.example/email-bestaetigen?token=" + Redacted},
		{"account-invitation", map[string]any{"Org": "Futurehausen", "From": "Thomas", "Roles": []string{"HR"}, "Token": token},
			"https://lotse.example/einladung/" + Redacted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, body, err := n.Render(c.name, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, token) {
				t.Fatalf("the mail itself lacks the token: %s", body)
			}
			got := Redact(body)
			if strings.Contains(got, token) || strings.Contains(got, token[:12]) {
				t.Errorf("redacted body keeps the token: %s", got)
			}
			if !strings.Contains(got, c.link) {
				t.Errorf("redacted body lacks %q: %s", c.link, got)
			}
		})
	}
	if got := Redact("Siehe https://x.example/a?b=1&token=abc&c=2"); got != "Siehe https://x.example/a?b=1&token="+Redacted+"&c=2" {
		t.Errorf("other token parameter: %s", got)
	}
}
