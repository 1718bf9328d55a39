package walktest

import "testing"

// TestQueueHandsOutEachPageOnce: each link once, at most two variants of a
// path, no files, API paths or other sites, the first variant marked.
func TestQueueHandsOutEachPageOnce(t *testing.T) {
	q := New("/")
	var got []string
	firsts := 0
	for {
		p, _, first, ok := q.Next()
		if !ok {
			break
		}
		got = append(got, p)
		if first {
			firsts++
		}
		if p == "/" {
			for _, h := range []string{"/a", "/a", "/a?seite=2&amp;x=1", "/a?seite=3", "/a?seite=4", "/b#teil", "/b",
				"//fremd.example/x", "https://fremd.example/", "/api/v1/me", "/zertifikate/1/pdf", "/liste.csv", "/abmelden"} {
				q.Add(h, p)
			}
		}
	}
	want := []string{"/", "/a", "/a?seite=2&x=1", "/b"}
	if len(got) != len(want) {
		t.Fatalf("walked %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("walked %v, want %v", got, want)
		}
	}
	if firsts != 3 {
		t.Errorf("%d first variants, want 3 (/, /a, /b)", firsts)
	}
}
