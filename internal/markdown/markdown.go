// Package markdown renders the text of posts in the members' space: a safe
// subset of Markdown (CommonMark with bare links recognised) turned into
// HTML on the server. Raw HTML in the text is dropped, links carry
// rel="nofollow ugc" and only http, https and mailto destinations (others
// become plain text), images are shown as links (no <img>: a post cannot
// load anything into the reader's browser), headings become bold
// paragraphs (a post does not break the page's outline), and mentions of
// people ("@Vorname Nachname", see Mentions) are marked up. It has no I/O
// and knows nothing of the platform beyond the names it is given.
package markdown

import (
	"bytes"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxInput bounds the text rendered; longer text is cut (the services
// refuse longer posts anyway), so odd input cannot make rendering slow.
const MaxInput = 40_000

// Render turns text into safe HTML. mentions are the full names of the
// people the text mentions ("Lilly Lotse"); "@" followed by one of them is
// rendered as a highlighted mention.
func Render(src string, mentions []string) template.HTML {
	if len(src) > MaxInput {
		src = src[:MaxInput]
	}
	md := goldmark.New(
		goldmark.WithExtensions(extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(&safety{mentions: mentions}, 100))),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(mentionRenderer{}, 100))),
	)
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// Rendering into memory does not fail; if it did, the text is
		// shown escaped rather than not at all.
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(buf.String()) //nolint:gosec // built by goldmark without raw HTML, see safety
}

// AllowedURL reports whether a link destination may be a link: http,
// https or mailto, a path on this platform ("/lotsen/projekte/3"; not
// "//host" or "/\\host", which browsers read as another host), and nothing
// that could hide another scheme.
func AllowedURL(dest string) bool {
	d := strings.ToLower(strings.TrimSpace(dest))
	for _, r := range d {
		if r < 0x20 || r == 0x7f || unicode.IsSpace(r) {
			return false
		}
	}
	if strings.HasPrefix(d, "/") {
		return len(d) == 1 || (d[1] != '/' && d[1] != '\\' && !strings.Contains(d, "\\"))
	}
	return strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "mailto:")
}

var (
	relAttr  = []byte("rel")
	relValue = []byte("nofollow ugc")
)

// safety rewrites the document before it is rendered.
type safety struct{ mentions []string }

func (s *safety) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	source := reader.Source()
	var replace [][2]ast.Node // node → replacement
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Image:
			// An image becomes a link to it, with its description as text.
			l := ast.NewLink()
			l.Destination, l.Title = v.Destination, v.Title
			l.SetAttribute(relAttr, relValue)
			moveChildren(v, l)
			if l.ChildCount() == 0 {
				l.AppendChild(l, ast.NewString([]byte("Bild")))
			}
			replace = append(replace, [2]ast.Node{v, l})
			return ast.WalkSkipChildren, nil
		case *ast.Heading:
			p := ast.NewParagraph()
			strong := ast.NewEmphasis(2)
			moveChildren(v, strong)
			p.AppendChild(p, strong)
			replace = append(replace, [2]ast.Node{v, p})
		case *ast.Link:
			v.SetAttribute(relAttr, relValue)
		case *ast.AutoLink:
			v.SetAttribute(relAttr, relValue)
		case *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if len(s.mentions) > 0 && !insideLink(v) {
				texts = append(texts, v)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, r := range replace {
		r[0].Parent().ReplaceChild(r[0].Parent(), r[0], r[1])
	}
	// Links whose destination is not allowed lose their link (their text
	// stays); the check runs after images became links.
	var unlink []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := n.(type) {
		case *ast.Link:
			if !AllowedURL(string(v.Destination)) {
				unlink = append(unlink, v)
			}
		case *ast.AutoLink:
			url := string(v.URL(source))
			if v.AutoLinkType == ast.AutoLinkEmail && !strings.HasPrefix(strings.ToLower(url), "mailto:") {
				url = "mailto:" + url
			}
			if !AllowedURL(url) {
				unlink = append(unlink, v)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unlink {
		parent := n.Parent()
		if al, ok := n.(*ast.AutoLink); ok {
			parent.ReplaceChild(parent, n, ast.NewString(al.Label(source)))
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	for _, t := range texts {
		s.markMentions(t, source)
	}
}

func moveChildren(from, to ast.Node) {
	for c := from.FirstChild(); c != nil; {
		next := c.NextSibling()
		to.AppendChild(to, c)
		c = next
	}
}

func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.(type) {
		case *ast.Link, *ast.AutoLink, *ast.Image:
			return true
		}
	}
	return false
}

// markMentions splits a text node at the mentions it contains.
func (s *safety) markMentions(t *ast.Text, source []byte) {
	parent := t.Parent()
	if parent == nil {
		return
	}
	seg := t.Segment
	value := source[seg.Start:seg.Stop]
	cur := t
	start := 0 // of the rest of value still in cur
	for i := 0; i < len(value); i++ {
		if value[i] != '@' || (i > 0 && isNameRune(lastRune(value[:i]))) {
			continue
		}
		name := matchName(value[i+1:], s.mentions)
		if name == "" {
			continue
		}
		end := i + 1 + len(name)
		// cur keeps value[start:i]; the mention follows; a new text node
		// takes the rest.
		rest := ast.NewTextSegment(text.NewSegment(seg.Start+end, seg.Stop))
		rest.SetSoftLineBreak(cur.SoftLineBreak())
		rest.SetHardLineBreak(cur.HardLineBreak())
		cur.SetSoftLineBreak(false)
		cur.SetHardLineBreak(false)
		cur.Segment = text.NewSegment(seg.Start+start, seg.Start+i)
		m := &Mention{Name: name}
		parent.InsertAfter(parent, cur, m)
		parent.InsertAfter(parent, m, rest)
		cur, start = rest, end
		i = end - 1
	}
}

// matchName returns the longest name of names that s begins with (case
// folded), followed by something that is not part of a name.
func matchName(s []byte, names []string) string {
	best := ""
	for _, n := range names {
		if len(n) <= len(best) || len(n) > len(s) || !strings.EqualFold(string(s[:len(n)]), n) {
			continue
		}
		if len(s) > len(n) {
			if r, _ := utf8.DecodeRune(s[len(n):]); isNameRune(r) {
				continue
			}
		}
		best = string(s[:len(n)])
	}
	return best
}

func isNameRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' }

func lastRune(b []byte) rune {
	r, _ := utf8.DecodeLastRune(b)
	return r
}

// Mention is the AST node of a mention.
type Mention struct {
	ast.BaseInline
	Name string
}

// KindMention is the kind of Mention nodes.
var KindMention = ast.NewNodeKind("Mention")

// Kind implements ast.Node.
func (m *Mention) Kind() ast.NodeKind { return KindMention }

// Dump implements ast.Node.
func (m *Mention) Dump(source []byte, level int) {
	ast.DumpHelper(m, source, level, map[string]string{"Name": m.Name}, nil)
}

type mentionRenderer struct{}

func (mentionRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindMention, func(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<strong class="mention">@`)
			_, _ = w.WriteString(template.HTMLEscapeString(n.(*Mention).Name))
			_, _ = w.WriteString(`</strong>`)
		}
		return ast.WalkSkipChildren, nil
	})
}

// Mentions finds the names of people that text mentions: "@" (not inside
// a word, as in an e-mail address) followed by a candidate's full name,
// matched without regard to case and ending where the name ends. It
// returns the candidates' names as given, each once, in their order in
// candidates.
func Mentions(src string, candidates []string) []string {
	var out []string
	seen := map[string]bool{}
	b := []byte(src)
	for i := 0; i < len(b); i++ {
		if b[i] != '@' || (i > 0 && isNameRune(lastRune(b[:i]))) {
			continue
		}
		if m := matchName(b[i+1:], candidates); m != "" {
			for _, c := range candidates {
				if strings.EqualFold(c, m) && !seen[c] {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// Candidates returns the strings that a mention in src could name: after
// each "@", the next one to four words, as typed and lower-cased. A service looks these up among
// the people of a space, so that it never has to load them all.
func Candidates(src string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(src) && len(out) < 200; i++ {
		if src[i] != '@' || (i > 0 && isNameRune(lastRune([]byte(src[:i])))) {
			continue
		}
		rest := src[i+1:]
		words := strings.Fields(rest[:min(len(rest), 200)])
		acc := ""
		for k := 0; k < len(words) && k < 4; k++ {
			w := strings.TrimRightFunc(words[k], func(r rune) bool { return !isNameRune(r) })
			if w == "" {
				break
			}
			if acc == "" {
				acc = w
			} else {
				acc += " " + w
			}
			for _, c := range []string{acc, strings.ToLower(acc)} {
				if !seen[c] {
					seen[c] = true
					out = append(out, c)
				}
			}
			if w != words[k] {
				break // punctuation ends the name
			}
		}
	}
	return out
}
