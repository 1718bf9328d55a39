package archtest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedPlaces may name a programme: seed data (the demo, the shipped
// programme's JSON) and fixtures of tests and evaluations.
var seedPlaces = []string{
	"internal/demo/",            // demo data imports the demo's programmes by ID
	"internal/programmes/seed/", // the shipped programme as JSON
	"internal/matcheval/",       // the matching evaluation's fixture programme
}

// TestNoCodeNamesAProgramme pins down that a programme is data: no Go file
// (but tests and seed data) and no template names the shipped programme's
// ID, so another state's programme needs no code.
func TestNoCodeNamesAProgramme(t *testing.T) {
	root := moduleRoot(t)
	const id = "digitallotsen-bw"
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(path, root+string(filepath.Separator)))
		if d.IsDir() {
			if name := d.Name(); name == ".git" || name == "node_modules" || name == "testdata" || strings.HasPrefix(name, ".") && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		isGo := strings.HasSuffix(rel, ".go") && !strings.HasSuffix(rel, "_test.go")
		isTemplate := strings.Contains(rel, "/templates/") && (strings.HasSuffix(rel, ".html") || strings.HasSuffix(rel, ".txt") || strings.HasSuffix(rel, ".tmpl"))
		if !isGo && !isTemplate {
			return nil
		}
		// Packages that only tests import (fundingtest, bookingtest, ...)
		// are fixtures too.
		if dir := filepath.Base(filepath.Dir(rel)); strings.HasSuffix(dir, "test") && dir != "archtest" {
			return nil
		}
		for _, p := range seedPlaces {
			if strings.HasPrefix(rel, p) {
				return nil
			}
		}
		checked++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if strings.Contains(string(b), id) {
			t.Errorf("%s names the programme %q: programmes are data (seed JSON, demo), not code", rel, id)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("checked only %d files: the walk missed the code", checked)
	}
}
