package markdown

import (
	"strings"
	"testing"
)

func TestRenderIsSafe(t *testing.T) {
	cases := []struct {
		name, in string
		want     []string // substrings of the output
		not      []string // never in the output
	}{
		{"script tag dropped", "Hallo <script>alert(1)</script> Welt", []string{"Hallo", "Welt"}, []string{"<script", "alert(1)</script>"}},
		{"html block dropped", "<div onclick=\"x()\">Klick</div>", nil, []string{"<div", "onclick"}},
		{"img onerror dropped", `<img src=x onerror="alert(1)">`, nil, []string{"<img", "onerror"}},
		{"javascript link unlinked", "[Klick](javascript:alert(1))", []string{"Klick"}, []string{"href", "javascript:"}},
		{"javascript link with spaces", "[Klick]( JaVaScRiPt:alert(1))", []string{"Klick"}, []string{"href", "avascript"}},
		{"data link unlinked", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"x"}, []string{"href", "data:"}},
		{"autolink javascript", "<javascript:alert(1)>", nil, []string{"href"}},
		{"vbscript link", "[x](vbscript:msgbox)", nil, []string{"href"}},
		{"http link with rel", "[Lotse](https://lotse.example/a?b=1)", []string{`<a href="https://lotse.example/a?b=1" rel="nofollow ugc">Lotse</a>`}, nil},
		{"bare link with rel", "Siehe https://lotse.example dort", []string{`href="https://lotse.example"`, `rel="nofollow ugc"`}, nil},
		{"mailto kept", "[Mail](mailto:a@b.example)", []string{`href="mailto:a@b.example" rel="nofollow ugc"`}, nil},
		{"image becomes link", "![Plan](https://lotse.example/p.png)", []string{`<a href="https://lotse.example/p.png" rel="nofollow ugc">Plan</a>`}, []string{"<img"}},
		{"image with javascript", "![x](javascript:alert(1))", []string{"x"}, []string{"<img", "href"}},
		{"heading flattened", "# Titel", []string{"<p><strong>Titel</strong></p>"}, []string{"<h1"}},
		{"attribute syntax not parsed", "Text {onclick=alert(1)}", nil, []string{"onclick=\""}},
		{"quotes in link title escaped", `[a](https://x.example "t\" onmouseover=\"alert(1)")`, nil, []string{`" onmouseover="`}},
		{"emphasis works", "**fett** und _kursiv_", []string{"<strong>fett</strong>", "<em>kursiv</em>"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := string(Render(c.in, nil))
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, want it to contain %q", c.in, got, w)
				}
			}
			for _, n := range c.not {
				if strings.Contains(strings.ToLower(got), strings.ToLower(n)) {
					t.Errorf("Render(%q) = %q, must not contain %q", c.in, got, n)
				}
			}
		})
	}
}

func TestMentions(t *testing.T) {
	names := []string{"Lilly Lotse", "Niklas Neumann", "Lilly"}
	got := Mentions("Danke @lilly lotse und @Niklas Neumann, mail an x@Lilly Lotse nicht", names)
	if strings.Join(got, "|") != "Lilly Lotse|Niklas Neumann" {
		t.Errorf("Mentions = %q", got)
	}
	if got := Mentions("@Lilly Lotsen", names); strings.Join(got, "|") != "Lilly" {
		t.Errorf("a longer word is no mention of the full name: %q", got)
	}
	html := string(Render("Hallo @Lilly Lotse, siehe `@Lilly Lotse` und [@Lilly Lotse](https://x.example)", []string{"Lilly Lotse"}))
	if strings.Count(html, `<strong class="mention">@Lilly Lotse</strong>`) != 1 {
		t.Errorf("one mention outside code and links expected: %s", html)
	}
	if !strings.HasPrefix(html, "<p>Hallo <strong") {
		t.Errorf("text before the mention kept: %s", html)
	}
	cs := Candidates("Hi @Lilly Lotse, und @Niklas")
	if strings.Join(cs, "|") != "Lilly|lilly|Lilly Lotse|lilly lotse|Niklas|niklas" {
		t.Errorf("Candidates = %q", cs)
	}
}

func TestAllowedURL(t *testing.T) {
	for in, want := range map[string]bool{"https://a.example": true, "HTTP://a": true, "mailto:x@y": true, "javascript:x": false,
		"java\tscript:x": false, "/relativ": true, "/lotsen/projekte/3": true, "//evil.example": false, "/\\evil.example": false, "/a\\b": false, "ftp://x": false, "": false} {
		if AllowedURL(in) != want {
			t.Errorf("AllowedURL(%q) = %v", in, !want)
		}
	}
}
