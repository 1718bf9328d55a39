package legal

import (
	"html"
	"regexp"
	"strings"
)

// Markdown turns the small part of Markdown that legal texts need into
// HTML: headings (#, ##, ###), paragraphs, bullet lists (- or *), numbered
// lists (1.), **bold** and links [text](https://..., mailto:..., tel:... or
// /path). Everything else is text, escaped: a file cannot bring script.
func Markdown(src string) string {
	var b strings.Builder
	var para []string
	list := ""
	flush := func() {
		if len(para) > 0 {
			b.WriteString(`<p class="kern-body">` + inline(strings.Join(para, " ")) + "</p>\n")
			para = nil
		}
	}
	closeList := func() {
		if list != "" {
			b.WriteString("</" + list + ">\n")
			list = ""
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(src, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
			closeList()
		case strings.HasPrefix(t, "#"):
			flush()
			closeList()
			level := len(t) - len(strings.TrimLeft(t, "#"))
			text := strings.TrimSpace(strings.TrimLeft(t, "#"))
			// The page's title is the h1; the file's headings sit below it.
			tag, class := "h2", "kern-heading-medium"
			if level >= 3 {
				tag, class = "h3", "kern-heading-small"
			}
			b.WriteString("<" + tag + ` class="` + class + `">` + inline(text) + "</" + tag + ">\n")
		case strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* "):
			flush()
			if list != "ul" {
				closeList()
				b.WriteString(`<ul class="kern-list">` + "\n")
				list = "ul"
			}
			b.WriteString("<li>" + inline(strings.TrimSpace(t[2:])) + "</li>\n")
		case numbered.MatchString(t):
			flush()
			if list != "ol" {
				closeList()
				b.WriteString(`<ol class="kern-list">` + "\n")
				list = "ol"
			}
			b.WriteString("<li>" + inline(numbered.ReplaceAllString(t, "")) + "</li>\n")
		default:
			closeList()
			para = append(para, t)
		}
	}
	flush()
	closeList()
	return b.String()
}

var (
	numbered = regexp.MustCompile(`^\d+\.\s+`)
	bold     = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	link     = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
)

// inline escapes text and then turns **bold** and safe links into HTML.
func inline(s string) string {
	s = html.EscapeString(s)
	s = bold.ReplaceAllString(s, "<strong>$1</strong>")
	return link.ReplaceAllStringFunc(s, func(m string) string {
		p := link.FindStringSubmatch(m)
		href := html.UnescapeString(p[2])
		if !(strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "mailto:") ||
			strings.HasPrefix(href, "tel:") || (strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//"))) {
			return m
		}
		return `<a class="kern-link" href="` + html.EscapeString(href) + `">` + p[1] + "</a>"
	})
}
