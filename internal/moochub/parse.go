package moochub

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Error is why Parse refuses a feed: the location of the first problem and a
// German message that can be shown to the provider.
type Error struct {
	// Pointer is the JSON pointer (RFC 6901) of the offending value, e.g.
	// "/data/3/attributes/name"; "" for the document as a whole.
	Pointer string
	// Line and Column (1-based, in characters) locate a JSON syntax error;
	// they are 0 for errors in well-formed JSON.
	Line, Column int
	Message      string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("moochub: Zeile %d, Spalte %d: %s", e.Line, e.Column, e.Message)
	case e.Pointer != "":
		return fmt.Sprintf("moochub: %s: %s", e.Pointer, e.Message)
	}
	return "moochub: " + e.Message
}

func errAt(ptr, format string, args ...any) *Error {
	return &Error{Pointer: ptr, Message: fmt.Sprintf(format, args...)}
}

// MaxFeedSize is the largest feed Parse reads.
const MaxFeedSize = 32 << 20

// Parse reads a provider's feed into offers with status "draft": a whole v3
// document ({"data": [{"attributes": …}]}), a single v3 attributes object, a
// v4-draft JSON-LD course, or a list of courses (a JSON array, "@graph" or
// "itemListElement"). It reads what it can (see the package documentation
// for the mapping): HTML entities are decoded, tags stripped, \r\n
// normalised, and numbers are accepted where texts are expected.
//
// Parse does not call Offer.Validate: the caller fills the provider and asks
// for what is missing (competences always are, see the package
// documentation). It refuses malformed input with an *Error naming the first
// problem: a JSON syntax error by line and column, anything else by a JSON
// pointer, e.g. a course without a name, a name that is no text, a negative
// or non-numeric price or credit, a duration that is no ISO 8601 duration.
func Parse(r io.Reader) ([]domain.Offer, error) {
	cs, err := ParseCourses(r, time.Time{})
	if err != nil {
		return nil, err
	}
	offers := make([]domain.Offer, 0, len(cs))
	for _, c := range cs {
		if c.Err != nil {
			return nil, c.Err
		}
		offers = append(offers, c.Offer)
	}
	return offers, nil
}

// syntaxError locates a JSON syntax error by line and column.
func syntaxError(b []byte, err error) *Error {
	pos := len(b)
	what := "Die Daten enden unerwartet – ist die Datei vollständig?"
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 && int(se.Offset) <= len(b) && !strings.Contains(se.Error(), "unexpected end") {
		pos = int(se.Offset) - 1
		r, _ := utf8.DecodeRune(b[pos:])
		c := string(r)
		if r < ' ' || r == utf8.RuneError {
			c = fmt.Sprintf("U+%04X", r)
		}
		what = "Unerwartetes Zeichen „" + c + "“."
	}
	start := bytes.LastIndexByte(b[:pos], '\n') + 1
	line := bytes.Count(b[:start], []byte{'\n'}) + 1
	col := utf8.RuneCount(b[start:pos]) + 1
	return &Error{Line: line, Column: col,
		Message: fmt.Sprintf("Die Datei ist kein gültiges JSON (Zeile %d, Spalte %d): %s", line, col, what)}
}

// item is a course object found in the document.
type item struct {
	obj map[string]any
	ptr string
	id  any    // the JSON:API resource id, if any
	err *Error // why the entry is no course
}

// courses finds the course objects of a document.
func courses(doc any) ([]item, error) {
	switch d := doc.(type) {
	case []any:
		return listItems(d, "")
	case map[string]any:
		for _, k := range []string{"data", "@graph", "itemListElement"} {
			v, ok := d[k]
			if !ok {
				continue
			}
			ptr := "/" + escapeToken(k)
			switch v := v.(type) {
			case nil:
				return nil, nil
			case []any:
				return listItems(v, ptr)
			case map[string]any:
				it, err := unwrap(v, ptr)
				if err != nil {
					return nil, err
				}
				return []item{it}, nil
			default:
				return nil, errAt(ptr, "„%s“ muss eine Liste von Kursen sein, ist aber %s.", k, typeName(v))
			}
		}
		return []item{{obj: d, ptr: ""}}, nil
	}
	return nil, errAt("", "Erwartet wird ein MOOChub-Dokument (ein Objekt mit „data“), ein Kurs oder eine Liste von Kursen, nicht %s.", typeName(doc))
}

func listItems(list []any, ptr string) ([]item, error) {
	out := make([]item, 0, len(list))
	for i, v := range list {
		p := ptr + "/" + strconv.Itoa(i)
		m, ok := v.(map[string]any)
		if !ok {
			out = append(out, item{ptr: p, err: errAt(p, "Ein Kurs muss ein JSON-Objekt sein, ist aber %s.", typeName(v))})
			continue
		}
		it, err := unwrap(m, p)
		if err != nil {
			it = item{ptr: p, id: m["id"], err: err}
		}
		out = append(out, it)
	}
	return out, nil
}

// unwrap finds the course in a JSON:API resource ("attributes") or a
// schema.org ListItem ("item").
func unwrap(m map[string]any, ptr string) (item, *Error) {
	for _, k := range []string{"attributes", "item"} {
		v, ok := m[k]
		if !ok {
			continue
		}
		a, ok := v.(map[string]any)
		if !ok {
			return item{}, errAt(ptr+"/"+k, "„%s“ muss ein Objekt mit den Kursdaten sein, ist aber %s.", k, typeName(v))
		}
		return item{obj: a, ptr: ptr + "/" + k, id: m["id"]}, nil
	}
	if _, hasName := m["name"]; !hasName && m["id"] != nil && m["type"] != nil {
		return item{}, errAt(ptr+"/attributes", "Dem Eintrag fehlen die Kursdaten („attributes“).")
	}
	return item{obj: m, ptr: ptr}, nil
}

func escapeToken(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "ein Wahrheitswert"
	case json.Number:
		return "eine Zahl"
	case string:
		return "ein Text"
	case []any:
		return "eine Liste"
	case map[string]any:
		return "ein Objekt"
	}
	return "ein unbekannter Wert"
}

// reader reads one course.
type reader struct {
	c     map[string]any
	ptr   string
	lang  string
	insts []item // v4 course instances
}

func (r *reader) at(k string) string { return r.ptr + "/" + escapeToken(k) }

// scalar reads a string or a number as text.
func scalar(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	}
	return "", false
}

// number reads a number or a numeric text ("49,90" too).
func number(v any) (float64, bool) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = v.String()
	case string:
		s = strings.TrimSpace(v)
		if !strings.Contains(s, ".") {
			s = strings.Replace(s, ",", ".", 1)
		}
	default:
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// textValue reads a text: a string, a number, a language map {"de": …}, a
// TextObject {"text": …}, a label {"name": …}, or a list of them (the entry
// in lang, else the first with text). ok is false for other types.
func textValue(v any, lang string) (string, bool) { return textValueN(v, lang, 0) }

func textValueN(v any, lang string, depth int) (string, bool) {
	if depth > 4 {
		return "", false
	}
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case map[string]any:
		for _, k := range []string{"text", "@value", "name", "prefLabel"} {
			if x, ok := v[k]; ok {
				return textValueN(x, lang, depth+1)
			}
		}
		var keys []string
		for k := range v {
			if !strings.HasPrefix(k, "@") {
				keys = append(keys, k)
			}
		}
		if len(keys) == 0 {
			return "", false
		}
		slices.Sort(keys)
		pick := keys[0]
		for _, want := range []string{lang, "de", "en"} {
			if i := slices.IndexFunc(keys, func(k string) bool { return want != "" && baseLanguage(k) == want }); i >= 0 {
				pick = keys[i]
				break
			}
		}
		return textValueN(v[pick], lang, depth+1)
	case []any:
		first, found := "", false
		for _, x := range v {
			if m, ok := x.(map[string]any); ok && lang != "" {
				if l, _ := scalar(m["inLanguage"]); baseLanguage(l) == lang {
					if s, ok := textValueN(m, lang, depth+1); ok && strings.TrimSpace(s) != "" {
						return s, true
					}
				}
			}
			if s, ok := textValueN(x, lang, depth+1); ok {
				found = true
				if first == "" {
					first = s
				}
			}
		}
		return first, found || len(v) == 0
	}
	return "", false
}

// readCourseReader maps one course object to an offer; the reader reads
// the rest of it.
func readCourseReader(it item) (domain.Offer, *reader, error) {
	o := domain.Offer{Status: domain.OfferDraft, Outcomes: []string{}, Competences: []domain.OfferCompetence{},
		TargetGroups: []string{}, FundingTracks: []string{}, ModuleIDs: []int64{}, Keywords: []string{}}
	r := &reader{c: it.obj, ptr: it.ptr}
	o, err := r.read(o, it)
	return o, r, err
}

func (r *reader) read(o domain.Offer, it item) (domain.Offer, error) {
	if err := r.instances(); err != nil {
		return o, err
	}
	var err error
	if r.lang, err = r.language(); err != nil {
		return o, err
	}
	o.Language = r.lang
	if r.lang == "" {
		r.lang = "de"
	}
	if o.Title, err = r.name(); err != nil {
		return o, err
	}
	if o.Code, err = r.code(it.id); err != nil {
		return o, err
	}
	if err = r.texts(&o); err != nil {
		return o, err
	}
	if o.Format, err = r.format(); err != nil {
		return o, err
	}
	if o.Hours, err = r.hours(); err != nil {
		return o, err
	}
	if o.PriceCents, err = r.price(); err != nil {
		return o, err
	}
	if o.Credits, err = r.credits(); err != nil {
		return o, err
	}
	o.Certificate = r.certificate(o.Credits)
	if o.Level == "" {
		o.Level = r.level()
	}
	o.ProviderName = r.provider()
	return o, nil
}

// instances collects the v4 hasCourseInstance objects.
func (r *reader) instances() error {
	v, ok := r.c["hasCourseInstance"]
	if !ok || v == nil {
		return nil
	}
	ptr := r.at("hasCourseInstance")
	list, isList := v.([]any)
	if !isList {
		list = []any{v}
	}
	for i, x := range list {
		p := ptr
		if isList {
			p += "/" + strconv.Itoa(i)
		}
		m, ok := x.(map[string]any)
		if !ok {
			return errAt(p, "Eine Kursdurchführung („hasCourseInstance“) muss ein Objekt sein, ist aber %s.", typeName(x))
		}
		r.insts = append(r.insts, item{obj: m, ptr: p})
	}
	return nil
}

// all is the course followed by its instances.
func (r *reader) all() []item {
	return append([]item{{obj: r.c, ptr: r.ptr}}, r.insts...)
}

// language is "de" or "en" from inLanguage, else from JSON-LD @language or
// the languages of the texts, else guessed from the text; "" if unknown.
func (r *reader) language() (string, error) {
	if v, ok := r.c["inLanguage"]; ok && v != nil {
		list, isList := v.([]any)
		if !isList {
			list = []any{v}
		}
		found := ""
		for i, x := range list {
			s, ok := x.(string)
			if !ok {
				p := r.at("inLanguage")
				if isList {
					p += "/" + strconv.Itoa(i)
				}
				return "", errAt(p, "Die Sprache („inLanguage“) wird als Sprachcode angegeben, z. B. [\"de\"], nicht als %s.", typeName(x))
			}
			if l := baseLanguage(s); found == "" && (l == "de" || l == "en") {
				found = l
			}
		}
		if len(list) > 0 {
			return found, nil // "" for languages the catalog does not offer
		}
	}
	var hints []string
	if ctx, ok := r.c["@context"].([]any); ok {
		for _, x := range ctx {
			if m, ok := x.(map[string]any); ok {
				if s, ok := m["@language"].(string); ok {
					hints = append(hints, s)
				}
			}
		}
	}
	if m, ok := r.c["name"].(map[string]any); ok && len(m) == 1 {
		for k := range m {
			hints = append(hints, k)
		}
	}
	if list, ok := r.c["description"].([]any); ok {
		for _, x := range list {
			if m, ok := x.(map[string]any); ok {
				if s, ok := m["inLanguage"].(string); ok {
					hints = append(hints, s)
				}
			}
		}
	}
	for _, h := range hints {
		if l := baseLanguage(h); l == "de" || l == "en" {
			return l, nil
		}
	}
	name, _ := textValue(r.c["name"], "")
	desc, _ := textValue(r.c["description"], "")
	return guessLanguage(oneLine(name+"\n\n"+desc, "")), nil
}

func (r *reader) name() (string, error) {
	p := r.at("name")
	v, ok := r.c["name"]
	if !ok || v == nil {
		return "", errAt(p, "Der Kurs hat keinen Namen („name“).")
	}
	s, ok := textValue(v, r.lang)
	if _, isNumber := v.(json.Number); !ok || isNumber {
		return "", errAt(p, "Der Name des Kurses („name“) muss ein Text sein, ist aber %s.", typeName(v))
	}
	if s = oneLine(s, r.lang); s == "" {
		return "", errAt(p, "Der Kurs hat keinen Namen („name“).")
	}
	return s, nil
}

// code is courseCode, else the course's id (without "urn:uuid:").
func (r *reader) code(resourceID any) (string, error) {
	if v, ok := r.c["courseCode"]; ok && v != nil {
		s, ok := scalar(v)
		if !ok {
			return "", errAt(r.at("courseCode"), "Die Kursnummer („courseCode“) muss ein Text sein, ist aber %s.", typeName(v))
		}
		if s = strings.TrimSpace(s); s != "" {
			return s, nil
		}
	}
	for _, v := range []any{resourceID, r.c["id"], r.c["identifier"]} {
		if s, ok := scalar(v); ok && strings.TrimSpace(s) != "" {
			s = strings.TrimSpace(s)
			if len(s) > 9 && strings.EqualFold(s[:9], "urn:uuid:") {
				s = s[9:]
			}
			return s, nil
		}
	}
	return "", nil
}

var (
	outcomeHeads = []string{"lernergebnisse", "lernziele", "lernziel", "ziele", "kursziele", "learning outcomes",
		"learning objectives", "learning goals", "objectives", "was sie lernen", "what you will learn", "what you'll learn"}
	prereqHeads = []string{"voraussetzungen", "vorkenntnisse", "teilnahmevoraussetzungen", "prerequisites", "requirements"}
	targetHeads = []string{"zielgruppen", "zielgruppe", "target groups", "target group", "audience"}
	levelHeads  = []string{"niveau", "level"}
)

// texts reads summary, description, outcomes, target groups, prerequisites
// and the level named in the description.
func (r *reader) texts(o *domain.Offer) error {
	var raw string
	if v, ok := r.c["description"]; ok {
		s, ok := textValue(v, r.lang)
		if !ok {
			return errAt(r.at("description"), "Die Beschreibung („description“) muss ein Text sein, ist aber %s.", typeName(v))
		}
		raw = s
	}
	var desc []block
	var section string
	for _, b := range textBlocks(raw, r.lang) {
		if b.kind == 'h' {
			h := strings.ToLower(strings.TrimRight(strings.TrimSpace(b.text), ":"))
			switch {
			case slices.Contains(outcomeHeads, h):
				section = "outcomes"
			case slices.Contains(prereqHeads, h):
				section = "prereq"
			case slices.Contains(targetHeads, h):
				section = "targets"
			case slices.Contains(levelHeads, h):
				section = "level"
			default:
				section = ""
				desc = append(desc, b)
			}
			continue
		}
		switch section {
		case "outcomes":
			o.Outcomes = appendItems(o.Outcomes, b)
		case "targets":
			o.TargetGroups = appendItems(o.TargetGroups, b)
		case "prereq":
			o.Prerequisites = joinText(o.Prerequisites, renderBlocks([]block{b}))
		case "level":
			if o.Level == "" {
				o.Level = classifyLevel(b.text)
			}
			if o.Level == "" {
				desc = append(desc, b)
			}
		default:
			if b.kind == 's' && o.Summary == "" {
				o.Summary = b.text
				continue
			}
			if b.kind == 's' {
				b.kind = 'p'
			}
			desc = append(desc, b)
		}
	}
	o.Description = renderBlocks(desc)
	if o.Summary == "" {
		if v, ok := r.c["abstract"]; ok {
			s, _ := textValue(v, r.lang)
			if abstract := plainText(s, r.lang); abstract != "" {
				o.Summary = abstract
				if !strings.Contains(o.Description, abstract) {
					o.Description = joinText(abstract, o.Description)
				}
			}
		}
	}
	if o.Summary == "" && len(desc) > 0 {
		o.Summary = desc[0].text
		for _, b := range desc {
			if b.kind == 'p' {
				o.Summary = b.text
				break
			}
		}
	}
	o.Summary = shorten(strings.Join(strings.Fields(o.Summary), " "), 500)
	if v, ok := r.c["learningOutcomeSummary"]; ok {
		s, _ := textValue(v, r.lang)
		for _, b := range textBlocks(s, r.lang) {
			o.Outcomes = appendItems(o.Outcomes, b)
		}
	}
	// Skills the course teaches: their names become outcomes (the catalog's
	// competences are assigned by the provider during the review).
	if list, ok := r.c["teaches"].([]any); ok {
		for _, x := range list {
			var v any = x
			if m, ok := x.(map[string]any); ok {
				v = m["name"]
				if v == nil {
					v = m["prefLabel"]
				}
			}
			if s, ok := textValue(v, r.lang); ok {
				o.Outcomes = appendItems(o.Outcomes, block{'l', oneLine(s, r.lang)})
			}
		}
	}
	return nil
}

func joinText(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "\n\n" + b
}

// appendItems adds a list item, or each line of a paragraph, once.
func appendItems(list []string, b block) []string {
	lines := []string{b.text}
	if b.kind != 'l' {
		lines = strings.Split(b.text, "\n")
	}
	for _, l := range lines {
		l = strings.Join(strings.Fields(l), " ")
		if l != "" && !slices.Contains(list, l) {
			list = append(list, l)
		}
	}
	return list
}

// strings reads a string or a list of strings; ok is false for other types.
func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case string:
		return []string{v}, true
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// format maps courseMode (of the course and its instances) to a format.
func (r *reader) format() (string, error) {
	has := map[string]bool{}
	for _, it := range r.all() {
		v, ok := it.obj["courseMode"]
		if !ok {
			continue
		}
		modes, ok := stringList(v)
		if !ok {
			return "", errAt(it.ptr+"/courseMode", "Die Kursform („courseMode“) ist eine Liste wie [\"online\"], nicht %s.", typeName(v))
		}
		for _, m := range modes {
			switch m = strings.ToLower(strings.TrimSpace(m)); m {
			case "hybrid":
				has["blended"] = true
			case "presence", "in-person", "offline", "präsenz":
				has["onsite"] = true
			default:
				has[m] = true
			}
		}
	}
	switch {
	case has["blended"] || has["online"] && has["onsite"]:
		return domain.FormatBlended, nil
	case has["onsite"]:
		return domain.FormatInPerson, nil
	case has["synchronous"] && !has["asynchronous"]:
		return domain.FormatLiveOnline, nil
	case has["online"] || has["asynchronous"]:
		return domain.FormatSelfPaced, nil
	}
	return "", nil
}

// hours reads the learning time: v4 timeRequired or a duration in hours,
// else workload per week/day/month times a calendar duration.
func (r *reader) hours() (int, error) {
	var calendar *isoDuration
	for _, key := range []string{"timeRequired", "duration"} {
		for _, it := range r.all() {
			v, ok := it.obj[key]
			if !ok || v == nil {
				continue
			}
			p := it.ptr + "/" + key
			s, ok := v.(string)
			d, valid := parseDuration(s)
			if !ok || !valid {
				return 0, errAt(p, "Die Dauer („%s“) muss eine Dauer nach ISO 8601 sein, z. B. „PT24H“ oder „P6W“, nicht %s.", key, describe(v))
			}
			if d.timeOnly() {
				return roundHours(d.totalHours(), p)
			}
			if calendar == nil {
				calendar = &d
			}
		}
	}
	w, ok := r.c["workload"].(map[string]any)
	if !ok || calendar == nil {
		return 0, nil
	}
	p := r.at("workload")
	tv, ok := number(w["timeValue"])
	if !ok || tv < 0 {
		return 0, errAt(p+"/timeValue", "Der Aufwand („timeValue“) muss eine Zahl ab 0 sein, nicht %s.", describe(w["timeValue"]))
	}
	unit, _ := w["timeUnit"].(string)
	days := calendar.calendarDays()
	switch unit {
	case "h/week":
		return roundHours(tv*days/7, p)
	case "h/day":
		return roundHours(tv*days, p)
	case "h/month":
		return roundHours(tv*days/30.44, p)
	}
	return 0, nil
}

func roundHours(h float64, ptr string) (int, error) {
	switch {
	case h > 100_000 || math.IsNaN(h):
		return 0, errAt(ptr, "Die Dauer ist mit mehr als 100.000 Stunden nicht plausibel.")
	case h <= 0:
		return 0, nil
	}
	return max(1, int(math.Round(h))), nil
}

// describe names a value for a message: texts in quotes, else its type.
func describe(v any) string {
	if s, ok := v.(string); ok {
		return "„" + shorten(s, 40) + "“"
	}
	return typeName(v)
}

type priceOffer struct {
	ptr      string
	price    float64
	currency string
	rank     int
}

// price reads the offers (v3 "offer", v4 "offers", also in instances): the
// "complete" offer, else "course", else the first that is not only for the
// certificate.
func (r *reader) price() (int64, error) {
	var offers []priceOffer
	for _, it := range r.all() {
		for _, key := range []string{"offer", "offers"} {
			v, ok := it.obj[key]
			if !ok || v == nil {
				continue
			}
			p := it.ptr + "/" + key
			list, isList := v.([]any)
			if !isList {
				if _, isObj := v.(map[string]any); !isObj {
					return 0, errAt(p, "Die Preise („%s“) sind eine Liste von Angeboten, nicht %s.", key, typeName(v))
				}
				list = []any{v}
			}
			for i, x := range list {
				ip := p
				if isList {
					ip += "/" + strconv.Itoa(i)
				}
				m, ok := x.(map[string]any)
				if !ok {
					return 0, errAt(ip, "Ein Angebot mit Preis muss ein Objekt sein, ist aber %s.", typeName(x))
				}
				pv, ok := m["price"]
				if !ok || pv == nil {
					return 0, errAt(ip+"/price", "Dem Angebot fehlt der Preis („price“).")
				}
				f, ok := number(pv)
				switch {
				case !ok:
					return 0, errAt(ip+"/price", "Der Preis muss eine Zahl sein, nicht %s.", describe(pv))
				case f < 0:
					return 0, errAt(ip+"/price", "Der Preis darf nicht negativ sein (%s).", strconv.FormatFloat(f, 'f', -1, 64))
				case f > 1e9:
					return 0, errAt(ip+"/price", "Der Preis ist nicht plausibel hoch.")
				}
				cur, _ := scalar(m["priceCurrency"])
				cat, _ := scalar(m["category"])
				rank := map[string]int{"complete": 0, "course": 1, "certificate": 3}[strings.ToLower(cat)]
				if rank == 0 && !strings.EqualFold(cat, "complete") {
					rank = 2
				}
				offers = append(offers, priceOffer{ip, f, strings.ToUpper(strings.TrimSpace(cur)), rank})
			}
		}
	}
	if len(offers) == 0 {
		return 0, nil
	}
	best := offers[0]
	for _, of := range offers[1:] {
		if of.rank < best.rank {
			best = of
		}
	}
	if best.price > 0 && best.currency != "" && best.currency != "EUR" {
		return 0, errAt(best.ptr+"/priceCurrency", "Der Preis ist in „%s“ angegeben; übernommen werden nur Preise in Euro (EUR).", shorten(best.currency, 10))
	}
	return int64(math.Round(best.price * 100)), nil
}

func (r *reader) credits() (float64, error) {
	v, ok := r.c["numberOfCredits"]
	if !ok || v == nil {
		return 0, nil
	}
	f, ok := number(v)
	switch {
	case !ok:
		return 0, errAt(r.at("numberOfCredits"), "Die ECTS-Punkte („numberOfCredits“) müssen eine Zahl sein, nicht %s.", describe(v))
	case f < 0:
		return 0, errAt(r.at("numberOfCredits"), "Die Zahl der ECTS-Punkte darf nicht negativ sein.")
	case f > 1000:
		return 0, errAt(r.at("numberOfCredits"), "Die Zahl der ECTS-Punkte ist nicht plausibel hoch.")
	}
	return f, nil
}

// certificate maps numberOfCredits and educationalCredentialsAwarded.
func (r *reader) certificate(credits float64) string {
	if credits > 0 {
		return domain.CertECTS
	}
	var kinds []string
	for _, key := range []string{"educationalCredentialsAwarded", "educationalCredentialAwarded"} {
		v := r.c[key]
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		for _, x := range list {
			if s, ok := textValue(x, "en"); ok {
				kinds = append(kinds, strings.ToLower(s))
			}
		}
	}
	for _, k := range kinds {
		if strings.Contains(k, "certificate") || strings.Contains(k, "record of achievement") || strings.Contains(k, "zertifikat") || strings.Contains(k, "leistungsnachweis") {
			return domain.CertExam
		}
	}
	for _, k := range kinds {
		if strings.Contains(k, "participation") || strings.Contains(k, "teilnahme") {
			return domain.CertParticipation
		}
	}
	return ""
}

// level reads educationalLevel (v3) and proficiencyLevel/educationalLevel
// of taught skills (v4).
func (r *reader) level() string {
	var levels []any
	collect := func(v any) {
		if list, ok := v.([]any); ok {
			levels = append(levels, list...)
		} else if v != nil {
			levels = append(levels, v)
		}
	}
	collect(r.c["educationalLevel"])
	if list, ok := r.c["teaches"].([]any); ok {
		for _, x := range list {
			if m, ok := x.(map[string]any); ok {
				collect(m["proficiencyLevel"])
				collect(m["educationalLevel"])
			}
		}
	}
	for _, x := range levels {
		var parts []string
		if m, ok := x.(map[string]any); ok {
			for _, k := range []string{"name", "prefLabel", "shortCode", "educationalFramework", "id", "targetUrl"} {
				if s, ok := textValue(m[k], "en"); ok {
					parts = append(parts, s)
				}
			}
		} else if s, ok := scalar(x); ok {
			parts = append(parts, s)
		}
		// the labels first, one by one: an address may contain words
		// that read as a level ("ProficiencyLevel" has "profi")
		for _, p := range parts {
			if l := classifyLevel(p); l != "" {
				return l
			}
		}
	}
	return ""
}

var qualificationRE = regexp.MustCompile(`\b(?:eqf|eqr|dqr)\b\D{0,20}?([1-8])\b`)

var levelNumberRE = regexp.MustCompile(`(?i)(?:level|stufe|niveau|digcomp|_)\s*([1-8])\b|^\s*([1-8])\b`)

// classifyLevel maps a level's label to the catalog's levels: its own German
// labels, common words, or a DigComp proficiency level (1-2 foundation,
// 3-4 intermediate, 5-8 advanced and highly specialised).
//
// The European and German qualification frameworks (EQF/EQR, DQR) count
// 1-8 from school to doctorate: 1-3 are taken as basic, 4-5 as
// intermediate, 6-8 (bachelor and above) as advanced.
func classifyLevel(s string) string {
	l := strings.ToLower(s)
	if m := qualificationRE.FindStringSubmatch(l); m != nil {
		n, _ := strconv.Atoi(m[1])
		switch {
		case n <= 3:
			return domain.LevelBasic
		case n <= 5:
			return domain.LevelIntermediate
		default:
			return domain.LevelAdvanced
		}
	}
	for _, code := range domain.OfferLevels {
		if strings.TrimSpace(l) == strings.ToLower(domain.OfferLabel(code)) {
			return code
		}
	}
	switch {
	case strings.Contains(l, "intermediate") || strings.Contains(l, "mittel") || strings.Contains(l, "fortgeschritten") ||
		strings.Contains(l, "aufbau"):
		return domain.LevelIntermediate
	case strings.Contains(l, "advanced") || strings.Contains(l, "highly specialised") || strings.Contains(l, "highly specialized") ||
		strings.Contains(l, "expert") || strings.Contains(l, "vertiefung") || strings.Contains(l, "profi"):
		return domain.LevelAdvanced
	case strings.Contains(l, "foundation") || strings.Contains(l, "basic") || strings.Contains(l, "beginner") ||
		strings.Contains(l, "grundlagen") || strings.Contains(l, "einstieg") || strings.Contains(l, "einsteig") || strings.Contains(l, "anfänger"):
		return domain.LevelBasic
	}
	if m := levelNumberRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1] + m[2])
		switch {
		case n <= 2:
			return domain.LevelBasic
		case n <= 4:
			return domain.LevelIntermediate
		default:
			return domain.LevelAdvanced
		}
	}
	return ""
}

// provider is the publisher's name, else the first creator's.
func (r *reader) provider() string {
	for _, v := range []any{r.c["publisher"], r.c["creator"]} {
		if list, ok := v.([]any); ok && len(list) > 0 {
			v = list[0]
		}
		var name any = v
		if m, ok := v.(map[string]any); ok {
			name = m["name"]
		}
		if s, ok := textValue(name, r.lang); ok {
			if s = oneLine(s, r.lang); s != "" {
				return s
			}
		}
	}
	return ""
}
