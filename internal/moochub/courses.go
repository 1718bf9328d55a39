package moochub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Entry is one course of a feed as ParseCourses reads it: an offer to
// import, or why the course cannot be taken.
type Entry struct {
	// Index is the course's position in the feed, from 0.
	Index int
	// Pointer is the JSON pointer of the course's object, e.g.
	// "/data/3/attributes"; the pointer of a field is Pointer + "/" + name.
	Pointer string
	// ID is the course's id in the feed (its courseCode, else its id).
	ID string
	// Offer is the course as a draft offer; when Err is set it holds what
	// could be read (at least the title, where there is one).
	Offer domain.Offer
	// Sessions are the course's future dated runs. Their places are names
	// of towns (Session.Place) and postcodes; the caller finds the AGS.
	Sessions []Run
	// Notes say what the import assumed or left out, e.g. runs in the past.
	Notes []Note
	// Err is why the course is refused; nil if it can be imported.
	Err *Error
}

// Run is a dated run of a course as the feed gives it.
type Run struct {
	domain.Session
	Postcode string
	// Pointer is the JSON pointer of the run's start date.
	Pointer string
	// CapacityGuessed says that the feed names no number of places.
	CapacityGuessed bool
}

// Note is something the import of a course assumed or left out, at a JSON
// pointer of the course.
type Note struct {
	Pointer string
	Message string
}

// Capacities of a run whose feed names no number of places: online courses
// of a MOOC platform take everyone who enrols, a room has a usual size.
const (
	OnlineCapacity   = 10000
	InPersonCapacity = 20
)

// ParseCourses reads a provider's feed like Parse, but course by course: a
// course that cannot be read (no name, a malformed value) carries its Err,
// the others are read. The returned error is for the document as a whole:
// a JSON syntax error, or a document that holds no list of courses. now
// decides which dated runs lie in the future.
func ParseCourses(r io.Reader, now time.Time) ([]Entry, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFeedSize+1))
	if err != nil {
		return nil, fmt.Errorf("moochub: reading the feed: %w", err)
	}
	if len(b) > MaxFeedSize {
		return nil, &Error{Message: fmt.Sprintf("Die Datei ist größer als %d MB.", MaxFeedSize>>20)}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, &Error{Message: "Die Datei ist leer."}
	}
	if err := json.Unmarshal(b, new(json.RawMessage)); err != nil {
		return nil, syntaxError(b, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, syntaxError(b, err)
	}
	items, err := courses(doc)
	if err != nil {
		return nil, err
	}
	out := make([]Entry, 0, len(items))
	for i, it := range items {
		c := Entry{Index: i, Pointer: it.ptr}
		if it.err != nil {
			c.Err = it.err
			c.ID, _ = (&reader{}).code(it.id)
			out = append(out, c)
			continue
		}
		var o domain.Offer
		o, c.Sessions, c.Notes, c.Err = readCourseAt(it, now)
		c.Offer = o
		c.ID = o.Code
		if c.ID == "" {
			// The course's code is read after its name: for a course refused
			// for its name, read it on its own.
			r := &reader{c: it.obj, ptr: it.ptr}
			c.ID, _ = r.code(it.id)
		}
		out = append(out, c)
	}
	return out, nil
}

// FieldPointer is the JSON pointer of the feed's attribute that carries an
// offer's field (a field name of domain.Offer.Validate), for telling a
// provider where a problem lies. Fields a feed has no place for
// (competences, days, outcomes in v3) point to the course.
func (c *Entry) FieldPointer(field string) string {
	attr := map[string]string{
		"title": "name", "summary": "description", "description": "description", "code": "courseCode",
		"hours": "duration", "level": "educationalLevel", "format": "courseMode", "language": "inLanguage",
		"certificate": "educationalCredentialsAwarded", "credits": "numberOfCredits", "price_cents": "offer",
		"keywords": "keywords", "publisher": "publisher", "prerequisites": "description", "target_groups": "description",
	}[field]
	if attr == "" {
		return c.Pointer
	}
	return c.Pointer + "/" + attr
}

// readCourseAt reads a course with its runs and notes.
func readCourseAt(it item, now time.Time) (domain.Offer, []Run, []Note, *Error) {
	o, r, err := readCourseReader(it)
	if err != nil {
		var me *Error
		if e, ok := err.(*Error); ok {
			me = e
		} else {
			me = &Error{Pointer: it.ptr, Message: err.Error()}
		}
		return o, nil, nil, me
	}
	o.Keywords = r.keywords()
	o.Publisher = r.publishers()
	// A course without a course mode that names a town takes place there.
	if o.Format == "" {
		if loc := r.location(r.c["contentLocation"]); loc.city != "" && !loc.online {
			o.Format = domain.FormatInPerson
		}
	}
	sessions, notes, serr := r.sessions(o.Format, now)
	if serr != nil {
		return o, nil, nil, serr
	}
	return o, sessions, notes, nil
}

// keywords reads "keywords": a list of texts, or one text separated by
// commas. Entries that are no text are left out.
func (r *reader) keywords() []string {
	var out []string
	add := func(v any) {
		s, ok := textValue(v, r.lang)
		if !ok {
			return
		}
		for _, k := range strings.Split(oneLine(s, r.lang), ",") {
			out = append(out, k)
		}
	}
	switch v := r.c["keywords"].(type) {
	case []any:
		for _, x := range v {
			add(x)
		}
	case nil:
	default:
		add(v)
	}
	ks := domain.NormalizeKeywords(out)
	kept := ks[:0]
	for _, k := range ks {
		if len([]rune(k)) <= domain.MaxKeywordLen && len(kept) < domain.MaxKeywords {
			kept = append(kept, k)
		}
	}
	return kept
}

// publishers names the organisations behind a course: the publisher (one
// or a list), then creators that are organisations; persons (lecturers) are
// not publishers.
func (r *reader) publishers() string {
	var names []string
	add := func(v any, orgOnly bool) {
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		for _, x := range list {
			var name any = x
			if m, ok := x.(map[string]any); ok {
				if t, _ := scalar(m["type"]); orgOnly && !strings.EqualFold(t, "Organization") {
					continue
				}
				name = m["name"]
			} else if orgOnly {
				continue
			}
			s, ok := textValue(name, r.lang)
			if !ok {
				continue
			}
			if s = oneLine(s, r.lang); s != "" && !containsFold(names, s) {
				names = append(names, s)
			}
		}
	}
	add(r.c["publisher"], false)
	add(r.c["creator"], true)
	return shorten(strings.Join(names, ", "), 300)
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// feedZone is the time zone of dates given without a time.
var feedZone = domain.Berlin

// parseTime reads an ISO 8601 date-time or date.
func parseTime(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, feedZone); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// dates reads a date-time or a list of them at key of obj.
func dates(obj map[string]any, key, ptr string) ([]time.Time, error) {
	v, ok := obj[key]
	if !ok || v == nil {
		return nil, nil
	}
	list, isList := v.([]any)
	if !isList {
		list = []any{v}
	}
	out := make([]time.Time, 0, len(list))
	for i, x := range list {
		p := ptr + "/" + key
		if isList {
			p += "/" + strconv.Itoa(i)
		}
		t, ok := parseTime(x)
		if !ok {
			return nil, errAt(p, "Das Datum („%s“) muss ein Datum nach ISO 8601 sein, z. B. „2026-03-01T09:00:00+01:00“, nicht %s.", key, describe(x))
		}
		out = append(out, t)
	}
	return out, nil
}

// place is where a run takes place, as the feed says.
type place struct {
	online           bool
	city, postcode   string
	address, comment string
	known            bool // the feed says something about the place
}

// location reads a schema.org/MOOChub location: a Place with an address,
// a VirtualLocation, or a name such as "online".
func (r *reader) location(v any) place {
	var p place
	switch v := v.(type) {
	case string:
		p.known = true
		if l := strings.ToLower(strings.TrimSpace(v)); l == "online" || l == "virtuell" || l == "virtual" {
			p.online = true
		} else {
			p.city = oneLine(v, r.lang)
		}
	case []any:
		for _, x := range v {
			if q := r.location(x); q.known && (q.city != "" || !p.known) {
				p = q
			}
		}
	case map[string]any:
		p.known = true
		if t, _ := scalar(v["type"]); strings.EqualFold(t, "VirtualLocation") {
			p.online = true
			return p
		}
		name, _ := textValue(v["name"], r.lang)
		name = oneLine(name, r.lang)
		if l := strings.ToLower(name); l == "online" || l == "virtuell" || l == "virtual" {
			p.online = true
			return p
		}
		if a, ok := v["address"].(map[string]any); ok {
			for _, k := range []string{"city", "addressLocality"} {
				if s, ok := textValue(a[k], r.lang); ok && strings.TrimSpace(s) != "" {
					p.city = oneLine(s, r.lang)
					break
				}
			}
			p.postcode, _ = scalar(a["postalCode"])
			p.postcode = strings.TrimSpace(p.postcode)
			if s, ok := textValue(a["streetAddress"], r.lang); ok {
				p.address = oneLine(s, r.lang)
			}
		} else if s, ok := v["address"].(string); ok {
			p.address = oneLine(s, r.lang)
		}
		if p.city == "" {
			p.city = name
		} else if name != "" && !strings.EqualFold(name, p.city) {
			p.address = strings.TrimSpace(strings.Trim(name+", "+p.address, ", "))
		}
	}
	return p
}

// modeOnline reads the courseMode of an object: true for online only,
// false for onsite or blended, and ok false when it says nothing.
func modeOnline(obj map[string]any) (online, ok bool) {
	modes, _ := stringList(obj["courseMode"])
	on, site := false, false
	for _, m := range modes {
		switch strings.ToLower(strings.TrimSpace(m)) {
		case "online", "synchronous", "asynchronous":
			on = true
		case "onsite", "presence", "in-person", "offline", "präsenz", "blended", "hybrid":
			site = true
		}
	}
	if !on && !site {
		return false, false
	}
	return on && !site, true
}

// sessions reads the future dated runs: v3 startDate/endDate lists (with
// contentLocation and applicationDeadline) and v4 hasCourseInstance.
func (r *reader) sessions(format string, now time.Time) ([]Run, []Note, *Error) {
	type run struct {
		start, end, deadline time.Time
		ptr                  string
		obj                  map[string]any
	}
	var runs []run
	starts, err := dates(r.c, "startDate", r.ptr)
	if err != nil {
		return nil, nil, err.(*Error)
	}
	ends, err := dates(r.c, "endDate", r.ptr)
	if err != nil {
		return nil, nil, err.(*Error)
	}
	deadlines, err := dates(r.c, "applicationDeadline", r.ptr)
	if err != nil {
		return nil, nil, err.(*Error)
	}
	for i, s := range starts {
		ru := run{start: s, ptr: r.at("startDate"), obj: r.c}
		if _, isList := r.c["startDate"].([]any); isList {
			ru.ptr += "/" + strconv.Itoa(i)
		}
		if i < len(ends) {
			ru.end = ends[i]
		}
		if len(starts) == 1 && len(deadlines) == 1 {
			ru.deadline = deadlines[0]
		}
		runs = append(runs, ru)
	}
	for _, in := range r.insts {
		ss, err := dates(in.obj, "startDate", in.ptr)
		if err != nil {
			return nil, nil, err.(*Error)
		}
		es, err := dates(in.obj, "endDate", in.ptr)
		if err != nil {
			return nil, nil, err.(*Error)
		}
		ds, err := dates(in.obj, "applicationDeadline", in.ptr)
		if err != nil {
			return nil, nil, err.(*Error)
		}
		if len(ss) == 0 {
			continue
		}
		ru := run{start: ss[0], ptr: in.ptr + "/startDate", obj: in.obj}
		if len(es) > 0 {
			ru.end = es[0]
		} else if s, ok := in.obj["duration"].(string); ok {
			if d, ok := parseDuration(s); ok && !d.timeOnly() {
				ru.end = ru.start.Add(time.Duration(d.calendarDays()*24) * time.Hour)
			}
		}
		if len(ds) > 0 {
			ru.deadline = ds[0]
		}
		runs = append(runs, ru)
	}
	var out []Run
	var notes []Note
	past := 0
	today := domain.StartOfDay(now)
	for _, ru := range runs {
		if ru.start.Before(today) {
			past++
			continue
		}
		s := Run{Pointer: ru.ptr}
		s.StartsAt, s.EndsAt = ru.start.UTC(), ru.end.UTC()
		if ru.end.IsZero() || ru.end.Before(ru.start) {
			s.EndsAt = s.StartsAt
		}
		days := int(math.Round(domain.StartOfDay(s.EndsAt.In(feedZone)).Sub(domain.StartOfDay(s.StartsAt.In(feedZone))).Hours()/24)) + 1
		if days > 365 {
			notes = append(notes, Note{ru.ptr, "Die Durchführung dauert länger als ein Jahr und wurde nicht als Termin übernommen."})
			continue
		}
		s.Days = max(1, days)
		s.RegistrationDeadline = ru.deadline.UTC()
		if ru.deadline.IsZero() || ru.deadline.After(ru.start) {
			s.RegistrationDeadline = s.StartsAt
		}
		// Where: the run's location, else the course's; online by the
		// course mode or the offer's format.
		loc := r.location(ru.obj["location"])
		if !loc.known {
			loc = r.location(ru.obj["contentLocation"])
		}
		if !loc.known && ru.obj != nil {
			loc = r.location(r.c["contentLocation"])
		}
		online, said := modeOnline(ru.obj)
		if !said {
			online, said = modeOnline(r.c)
		}
		switch {
		case loc.online, said && online && loc.city == "":
			s.Online = true
		case loc.city != "":
			s.Place, s.Postcode, s.Address = loc.city, loc.postcode, loc.address
		case format == domain.FormatSelfPaced || format == domain.FormatLiveOnline:
			s.Online = true
		default:
			notes = append(notes, Note{ru.ptr, "Der Termin hat keinen Ort und wurde nicht übernommen."})
			continue
		}
		s.Capacity = 0
		if n, ok := number(ru.obj["maximumAttendeeCapacity"]); ok && n >= 1 && n <= 10000 {
			s.Capacity = int(n)
		}
		if s.Capacity == 0 {
			s.CapacityGuessed = true
			s.Capacity = InPersonCapacity
			if s.Online {
				s.Capacity = OnlineCapacity
			}
		}
		out = append(out, s)
	}
	if past > 0 {
		notes = append(notes, Note{r.ptr, fmt.Sprintf("%s in der Vergangenheit %s nicht übernommen.",
			domain.Plural(past, "Termin", "Termine"), map[bool]string{true: "wurde", false: "wurden"}[past == 1])})
	}
	return out, notes, nil
}
