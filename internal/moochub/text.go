package moochub

import (
	"html"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text from feeds is HTML, plain text with entities, or a mix of both.
// Texts with tags are read as HTML (whitespace collapses, block elements and
// <br> break lines); texts without tags keep their line breaks. Entities are
// decoded in both, \r\n becomes \n.

// block is a paragraph of text: 'p' a paragraph, 'h' a heading, 'l' a list
// item, 's' a paragraph marked as summary (class "summary" or "abstract").
// Lines inside a block are separated by \n (from <br>).
type block struct {
	kind byte
	text string
}

var (
	tagRE = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>`)
	// Literal "\n" sequences between tags, as some generators write them.
	literalNLAfterTag  = regexp.MustCompile(`>(?:\s|\\n)*\\n(?:\s|\\n)*`)
	literalNLBeforeTag = regexp.MustCompile(`(?:\s|\\n)*\\n(?:\s|\\n)*<`)
	blankLineRE        = regexp.MustCompile(`\n[ \t\f\v\x{a0}]*\n`)
)

func looksLikeHTML(s string) bool { return tagRE.MatchString(s) }

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// textBlocks splits a text into blocks; lang ("de", "en") selects the
// language of Moodle-style <span class="multilang" lang="…"> alternatives.
func textBlocks(s, lang string) []block {
	s = normalizeNewlines(s)
	if !looksLikeHTML(s) {
		return plainBlocks(html.UnescapeString(s))
	}
	s = literalNLAfterTag.ReplaceAllString(s, "> ")
	s = literalNLBeforeTag.ReplaceAllString(s, " <")
	blocks, langs := htmlBlocks(s, "")
	if lang != "" && len(langs) > 1 && langs[lang] {
		blocks, _ = htmlBlocks(s, lang)
	}
	return blocks
}

func plainBlocks(s string) []block {
	var out []block
	for _, p := range blankLineRE.Split(normalizeNewlines(s), -1) {
		if t := cleanLines(p); t != "" {
			out = append(out, block{'p', t})
		}
	}
	return out
}

// cleanLines collapses white space inside each line and drops empty lines.
func cleanLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.Join(strings.Fields(strings.ReplaceAll(l, "\u00a0", " ")), " "); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

var blockTags = map[string]bool{
	"p": true, "div": true, "section": true, "article": true, "header": true, "footer": true, "main": true,
	"nav": true, "aside": true, "blockquote": true, "pre": true, "ul": true, "ol": true, "dl": true, "dt": true,
	"dd": true, "table": true, "thead": true, "tbody": true, "tr": true, "hr": true, "figure": true,
	"figcaption": true, "address": true, "form": true, "fieldset": true, "details": true, "summary": true,
	"li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
}

var skipTags = map[string]bool{"script": true, "style": true, "head": true, "template": true, "noscript": true, "iframe": true, "object": true}

var voidTags = map[string]bool{"br": true, "hr": true, "img": true, "input": true, "meta": true, "link": true, "wbr": true, "source": true, "col": true, "area": true, "embed": true}

// htmlBlocks reads HTML into blocks. With lang set, multilang spans in other
// languages are left out. It also reports the languages of multilang spans.
func htmlBlocks(s, lang string) ([]block, map[string]bool) {
	var (
		out      []block
		cur      strings.Builder
		liDepth  int
		hDepth   int
		sumDepth int
		skipName string
		skipN    int
		langs    = map[string]bool{}
	)
	kind := func() byte {
		switch {
		case hDepth > 0:
			return 'h'
		case liDepth > 0:
			return 'l'
		case sumDepth > 0:
			return 's'
		}
		return 'p'
	}
	flush := func() {
		k := kind()
		for _, p := range blankLineRE.Split(cur.String(), -1) {
			if t := cleanLines(p); t != "" {
				out = append(out, block{k, t})
			}
		}
		cur.Reset()
	}
	for i := 0; i < len(s); {
		if s[i] != '<' {
			j := strings.IndexByte(s[i:], '<')
			if j < 0 {
				j = len(s) - i
			} else if j == 0 {
				j = 1
			}
			if skipName == "" {
				t := html.UnescapeString(s[i : i+j])
				cur.WriteString(strings.Map(func(r rune) rune {
					if r == '\n' || r == '\t' || r == '\f' || r == '\r' {
						return ' '
					}
					return r
				}, t))
			}
			i += j
			continue
		}
		// Comments, doctype, processing instructions.
		if strings.HasPrefix(s[i:], "<!--") {
			if e := strings.Index(s[i+4:], "-->"); e >= 0 {
				i += 4 + e + 3
			} else {
				i = len(s)
			}
			continue
		}
		if i+1 < len(s) && (s[i+1] == '!' || s[i+1] == '?') {
			if e := strings.IndexByte(s[i:], '>'); e >= 0 {
				i += e + 1
			} else {
				i = len(s)
			}
			continue
		}
		name, attrs, closing, selfClosing, n := parseTag(s[i:])
		if n == 0 { // a literal '<'
			if skipName == "" {
				cur.WriteByte('<')
			}
			i++
			continue
		}
		i += n
		if skipName != "" {
			if name == skipName && !voidTags[name] && !selfClosing {
				if closing {
					skipN--
				} else {
					skipN++
				}
				if skipN == 0 {
					skipName = ""
				}
			}
			continue
		}
		if !closing && !selfClosing && skipTags[name] {
			skipName, skipN = name, 1
			continue
		}
		if name == "span" && !closing {
			if cls, l := attrs["class"], strings.ToLower(attrs["lang"]); strings.Contains(cls, "multilang") && l != "" {
				l = baseLanguage(l)
				langs[l] = true
				if lang != "" && l != lang && !selfClosing {
					skipName, skipN = "span", 1
					continue
				}
			}
		}
		switch {
		case name == "br":
			cur.WriteByte('\n')
		case name == "td" || name == "th":
			cur.WriteByte(' ')
		case blockTags[name]:
			flush()
			if selfClosing || voidTags[name] {
				break
			}
			delta := 1
			if closing {
				delta = -1
			}
			switch {
			case name == "li" || name == "dd" || name == "dt":
				liDepth = max(0, liDepth+delta)
			case len(name) == 2 && name[0] == 'h' && name[1] >= '1' && name[1] <= '6':
				hDepth = max(0, hDepth+delta)
			case name == "p" && (closing || hasClass(attrs["class"], "summary", "abstract")):
				if !closing || sumDepth > 0 {
					sumDepth = max(0, sumDepth+delta)
				}
			}
		}
	}
	flush()
	return out, langs
}

func hasClass(cls string, names ...string) bool {
	for _, c := range strings.Fields(strings.ToLower(cls)) {
		for _, n := range names {
			if c == n {
				return true
			}
		}
	}
	return false
}

// parseTag reads a tag at the start of s; n is 0 when s does not start with one.
func parseTag(s string) (name string, attrs map[string]string, closing, selfClosing bool, n int) {
	i := 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(s) && (isLetter(s[i]) || (i > start && s[i] >= '0' && s[i] <= '9')) {
		i++
	}
	if i == start {
		return "", nil, false, false, 0
	}
	name = strings.ToLower(s[start:i])
	attrs = map[string]string{}
	for i < len(s) {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i >= len(s) {
			break
		}
		switch s[i] {
		case '>':
			return name, attrs, closing, selfClosing, i + 1
		case '/':
			selfClosing = true
			i++
			continue
		case '<': // an unclosed tag: not a tag
			return "", nil, false, false, 0
		}
		as := i
		for i < len(s) && !isSpace(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/' && s[i] != '<' {
			i++
		}
		an := strings.ToLower(s[as:i])
		if i == as { // a stray character
			i++
			continue
		}
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		val := ""
		if i < len(s) && s[i] == '=' {
			i++
			for i < len(s) && isSpace(s[i]) {
				i++
			}
			if i < len(s) && (s[i] == '"' || s[i] == '\'') {
				q := s[i]
				e := strings.IndexByte(s[i+1:], q)
				if e < 0 {
					return "", nil, false, false, 0
				}
				val = s[i+1 : i+1+e]
				i += e + 2
			} else {
				vs := i
				for i < len(s) && !isSpace(s[i]) && s[i] != '>' {
					i++
				}
				val = s[vs:i]
			}
		}
		attrs[an] = html.UnescapeString(val)
		selfClosing = false
	}
	return "", nil, false, false, 0
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isSpace(c byte) bool  { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

// renderBlocks joins blocks to plain text: paragraphs separated by a blank
// line, list items on lines of their own starting with "- " (a list follows
// its heading on the next line).
func renderBlocks(bs []block) string {
	var b strings.Builder
	for i, bl := range bs {
		if i > 0 {
			if bl.kind == 'l' && (bs[i-1].kind == 'l' || bs[i-1].kind == 'h') {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		if bl.kind == 'l' {
			b.WriteString("- ")
		}
		b.WriteString(bl.text)
	}
	return b.String()
}

// plainText is the text of s as one block of paragraphs.
func plainText(s, lang string) string { return renderBlocks(textBlocks(s, lang)) }

// oneLine is the text of s on a single line (titles, names).
func oneLine(s, lang string) string {
	return strings.Join(strings.Fields(plainText(s, lang)), " ")
}

// shorten cuts s to at most n characters at a word boundary, with "…".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := strings.LastIndexAny(string(r), " \n")
	t := string(r)
	if cut > len(t)/2 {
		t = t[:cut]
	}
	return strings.TrimRight(t, " \n,;:.-–") + "…"
}

// isoDuration is an ISO 8601 duration. Months and years are calendar units;
// only the time part (H, M, S) is an amount of hours.
type isoDuration struct {
	years, months, weeks, days, hours, minutes, seconds float64
}

var durationRE = regexp.MustCompile(`^P(?:(\d+(?:[.,]\d+)?)Y)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)W)?(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$`)

func parseDuration(s string) (isoDuration, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	m := durationRE.FindStringSubmatch(s)
	if m == nil || s == "P" || strings.HasSuffix(s, "T") {
		return isoDuration{}, false
	}
	f := func(i int) float64 {
		if m[i] == "" {
			return 0
		}
		v, err := strconv.ParseFloat(strings.Replace(m[i], ",", ".", 1), 64)
		if err != nil || math.IsInf(v, 0) {
			return math.Inf(1)
		}
		return v
	}
	return isoDuration{f(1), f(2), f(3), f(4), f(5), f(6), f(7)}, true
}

// timeOnly reports whether the duration has only hours, minutes and seconds.
func (d isoDuration) timeOnly() bool {
	return d.years == 0 && d.months == 0 && d.weeks == 0 && d.days == 0
}

func (d isoDuration) totalHours() float64 { return d.hours + d.minutes/60 + d.seconds/3600 }

// calendarDays is the calendar length in days (a month 30.44 days).
func (d isoDuration) calendarDays() float64 {
	return d.years*365.25 + d.months*30.44 + d.weeks*7 + d.days + d.totalHours()/24
}

// Language guessing from function words, for feeds without inLanguage.
var (
	germanWords  = wordSet("der die das und ist nicht mit für sie ein eine einer zu im den dem von auf werden wird des sich auch wie bei oder über kurs lernen")
	englishWords = wordSet("the and is are of to in with for you this that on be will how from your by an it course learn we")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

func guessLanguage(s string) string {
	de, en := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == 'ä' || r == 'ö' || r == 'ü' || r == 'ß')
	}) {
		if germanWords[w] {
			de++
		}
		if englishWords[w] {
			en++
		}
	}
	switch {
	case de >= 3 && de > 2*en:
		return "de"
	case en >= 3 && en > 2*de:
		return "en"
	}
	return ""
}

// baseLanguage maps a language tag or name to "de", "en" or its primary subtag.
func baseLanguage(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "de", "deu", "ger", "german", "deutsch":
		return "de"
	case "en", "eng", "english", "englisch":
		return "en"
	}
	return s
}
