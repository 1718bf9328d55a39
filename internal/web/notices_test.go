package web

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestEveryNoticeHasAText checks that each ?hinweis= a handler redirects
// with has a message, so that no success goes unmentioned.
func TestEveryNoticeHasAText(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	re := regexp.MustCompile(`hinweis=([a-z-]+)`)
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			seen++
			if _, ok := notices[m[1]]; !ok {
				t.Errorf("%s redirects with hinweis=%s, which has no text", f, m[1])
			}
		}
	}
	if seen < 10 {
		t.Fatalf("found only %d notices; the pattern is probably wrong", seen)
	}
}
