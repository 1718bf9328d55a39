package notify

import (
	"io/fs"
	"strings"
	"testing"
)

// TestEveryTemplateHasASubject: each mail starts with its Betreff line and a
// blank line, so Render can split it.
func TestEveryTemplateHasASubject(t *testing.T) {
	names, err := fs.Glob(files, "templates/*.txt")
	if err != nil || len(names) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, name := range names {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitN(string(b), "\n", 3)
		if len(lines) < 3 || !strings.HasPrefix(lines[0], "Betreff: ") || lines[1] != "" {
			t.Errorf("%s: want a first line \"Betreff: ...\" and a blank line", name)
		}
	}
}

func TestRenderSplitsSubjectAndBody(t *testing.T) {
	n, err := New("https://lotse.example/")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.tmpl.New("probe.txt").Parse("Betreff: Hallo {{.D}}\n\nLink: {{.Base}}/x\n"); err != nil {
		t.Fatal(err)
	}
	subject, body, err := n.Render("probe", "Anna")
	if err != nil {
		t.Fatal(err)
	}
	if subject != "Hallo Anna" || body != "Link: https://lotse.example/x\n" {
		t.Fatalf("subject %q body %q", subject, body)
	}
	if _, _, err := n.Render("missing", nil); err == nil {
		t.Fatal("want an error for a missing template")
	}
}
