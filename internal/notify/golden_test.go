package notify

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestEveryTemplateRendersItsGolden renders every mail with its example data
// (testdata/<name>.json) and compares subject and body with
// testdata/<name>.golden; -update rewrites the goldens. A template without
// example data fails, and so does a text with a leftover of the template
// machinery, a code name or a plural that does not fit its count.
func TestEveryTemplateRendersItsGolden(t *testing.T) {
	n, err := New("https://lotse.example")
	if err != nil {
		t.Fatal(err)
	}
	names, err := fs.Glob(files, "templates/*.txt")
	if err != nil || len(names) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, file := range names {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", name+".json"))
			if err != nil {
				t.Fatalf("template %s has no example data: want testdata/%s.json (%v)", name, name, err)
			}
			var data map[string]any
			if err := json.Unmarshal(raw, &data); err != nil {
				t.Fatalf("testdata/%s.json: %v", name, err)
			}
			subject, body, err := n.Render(name, exampleData(data))
			if err != nil {
				t.Fatal(err)
			}
			got := "Betreff: " + subject + "\n\n" + body
			for _, bad := range badPatterns(got) {
				t.Errorf("rendered %s contains %q:\n%s", name, bad, got)
			}
			golden := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("no golden (run go test ./internal/notify -update): %v", err)
			}
			if got != string(want) {
				t.Errorf("%s renders differently from %s (run with -update after checking):\n--- got\n%s\n--- want\n%s", name, golden, got, want)
			}
		})
	}
}

// exampleData turns JSON values into what services pass: RFC 3339 strings
// become times, lists of strings []string.
func exampleData(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = exampleData(e)
		}
		return x
	case []any:
		ss := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return x
			}
			ss = append(ss, s)
		}
		return ss
	case string:
		if t, err := time.Parse(time.RFC3339, x); err == nil {
			return t
		}
	}
	return v
}

var (
	// codeName is an identifier with an underscore or a dotted Go-ish name
	// such as "booking.status" that leaked into the text.
	codeName = regexp.MustCompile(`\b[a-z]+_[a-z_]+\b|\b(booking|voucher|offer|session|application|org|person)\.[a-z]`)
	// pluralOne is "1" followed by a plural noun.
	pluralOne = regexp.MustCompile(`(^|[^0-9,.])1 (Personen|Plätze|Gutscheine|Tage|Termine|Buchungen|Teilnehmende)\b`)
	// pluralMany is a count other than 1 followed by a singular noun.
	pluralMany = regexp.MustCompile(`\b([02-9]|[1-9][0-9]+) (Person|Platz|Gutschein|Tag|Termin|Buchung)\b`)
)

// badPatterns returns what in a rendered mail must not be there.
func badPatterns(text string) []string {
	var out []string
	for _, s := range []string{"<no value>", "%!", "{{", "}}", "map[", "(en)"} {
		if strings.Contains(text, s) {
			out = append(out, s)
		}
	}
	// Links may carry code-like paths; only the prose is checked.
	var prose []string
	for _, line := range strings.Split(text, "\n") {
		if !strings.Contains(line, "://") {
			prose = append(prose, line)
		}
	}
	p := strings.Join(prose, "\n")
	for _, re := range []*regexp.Regexp{codeName, pluralOne, pluralMany} {
		if m := re.FindString(p); m != "" {
			out = append(out, m)
		}
	}
	return out
}

func TestBadPatternsCatchMistakes(t *testing.T) {
	for _, text := range []string{"Hallo <no value>", "Preis %!d(string=x)", "für 1 Personen", "2 Gutschein", "Status awaiting_approval",
		"siehe booking.status", "{{.D.Name}}", "Person(en)"} {
		if len(badPatterns(text)) == 0 {
			t.Errorf("badPatterns(%q) found nothing", text)
		}
	}
	if got := badPatterns("Für 1 Person und 3 Personen am 01.02.2026; Link: https://x.example/a_b"); len(got) != 0 {
		t.Errorf("clean text flagged: %v", got)
	}
}

func TestPluralCountsRight(t *testing.T) {
	for n, want := range map[any]string{1: "1 Person", int64(2): "2 Personen", 0.0: "0 Personen", 1.0: "1 Person"} {
		if got, err := plural(n, "Person", "Personen"); err != nil || got != want {
			t.Errorf("plural(%v) = %q, %v; want %q", n, got, err, want)
		}
	}
	if _, err := plural("drei", "Person", "Personen"); err == nil {
		t.Error("want an error for a count that is no number")
	}
}
