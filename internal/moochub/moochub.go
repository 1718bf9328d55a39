// Package moochub implements the MOOChub v3 course format for exchanging
// offers with other portals: Feed and Course export the catalog's offers as
// a JSON:API document that validates against the MOOChub v3 JSON Schema
// (https://github.com/MOOChub/schema, tag v3.0.1), and Parse reads a
// provider's feed into draft offers. The package knows nothing of the
// database: callers pass offers in and store what Parse returns.
//
// The schema is authoritative where it differs from older descriptions of
// the format: a course's "type" is "Course", its "id" is a UUID, the price is
// in "offer" (a list), "courseMode" is a list, and "educationalFramework" of
// skills, levels and alignments is restricted to ESCO, DigComp, GRETA
// (skills, levels) and ISCED-F, OEFOS, BIRD (alignments).
//
// Mapping between an offer and a MOOChub course ("→" export, "←" import):
//
//	Offer field        MOOChub v3 attribute
//	Title              name (← also v4 language maps {"de": …})
//	Code               courseCode (← the course id when courseCode is missing)
//	Summary            → first paragraph of description, <p class="summary">
//	                   ← that paragraph, else v4 "abstract", else the first
//	                     paragraph of the description (shortened to 500 characters)
//	Description        → HTML paragraphs of description; ← plain text of it
//	                     (entities decoded, tags stripped, \r\n normalised)
//	Outcomes           → "Lernergebnisse" section of description; ← that section
//	                     or a "Lernziele"/"Learning objectives" section, v4
//	                     learningOutcomeSummary, and the names of teaches skills
//	Competences        → "Kompetenzen (Lotse-Kompetenzrahmen Digitale Verwaltung)"
//	                     section of description and their names in keywords: the
//	                     schema's teaches/educationalAlignment only allow the
//	                     frameworks ESCO/DigComp/GRETA/ISCED-F/OEFOS/BIRD, so our
//	                     framework cannot be named there without breaking validity.
//	                   ← never: competences stay empty; the section stays in the
//	                     description and the provider assigns competences during
//	                     the quality review.
//	Level              → "Niveau" section of description (our levels are not
//	                     DigComp levels, so no educationalLevel is claimed)
//	                   ← that section, or educationalLevel / v4 proficiencyLevel:
//	                     DigComp 1-2 or "foundation/basic" → basic, 3-4 or
//	                     "intermediate" → intermediate, 5-8 or "advanced" → advanced
//	Format             courseMode: in_person ↔ [onsite], live_online ↔ [online,
//	                   synchronous], self_paced ↔ [online, asynchronous],
//	                   blended ↔ [blended]; ← [online, onsite] is blended, plain
//	                   [online] is self_paced (MOOChub lists MOOCs), none stays empty
//	Language           inLanguage (a list; ← the first "de" or "en" entry, else the
//	                   JSON-LD @language or text languages, else a guess from the text)
//	Hours              duration "PT{hours}H" (the total learning time); → also
//	                   workload {timeValue: hours/day, timeUnit: "h/day"} when the
//	                   offer has days. ← v4 timeRequired or a duration in hours,
//	                   or workload × a duration in weeks/days/months.
//	PriceCents         offer [{price (EUR), priceCurrency "EUR", paymentFrequency
//	                   "one-time", category "complete"}] and access [free|paid];
//	                   ← the "complete" offer, else "course", else the first;
//	                   only EUR prices are read.
//	Certificate        educationalCredentialsAwarded: participation ↔
//	                   "confirmation of participation", exam and ects →
//	                   "certificate"; ← "certificate"/"record of achievement" → exam,
//	                   numberOfCredits > 0 → ects
//	Credits            numberOfCredits (ECTS, per the schema)
//	TargetGroups       → "Zielgruppen" section of description; ← that section
//	Prerequisites      → "Voraussetzungen" section of description; ← that section
//	ProviderName       publisher and creator (an Organization); ← publisher's name
//	Publisher          → a second creator (an Organization) when it differs from
//	                   the provider; ← the publisher's names and the creators
//	                   that are organisations (not lecturers)
//	Keywords           keywords (→ followed by the competences' names); ← the
//	                   list, or one text separated by commas
//	Sessions           → startDate/endDate (lists, UTC), contentLocation when all
//	                   in-person sessions share a place, applicationDeadline for a
//	                   single session; ← ParseCourses reads the future runs of
//	                   startDate/endDate and v4 hasCourseInstance, with the
//	                   place of location/contentLocation (a town the caller
//	                   finds in the directory) or online by courseMode, the
//	                   deadline of applicationDeadline (else the start) and
//	                   maximumAttendeeCapacity (else OnlineCapacity or
//	                   InPersonCapacity)
//
// License: the schema requires a license list. Offers are descriptions of
// courses whose materials belong to their providers; the catalog grants no
// open license, so the export says "proprietary" with url null, as the
// schema's description of License prescribes.
package moochub

import (
	"bytes"
	"crypto/sha1"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// MediaType is the content type of a MOOChub v3 feed.
const MediaType = "application/vnd.api+json; moochub-version=3.0"

// Framework is the name of the catalog's competence framework, as it appears
// in exported descriptions.
const Framework = "Lotse-Kompetenzrahmen Digitale Verwaltung"

// Section headings of the exported description; Parse recognises them.
const (
	headOutcomes      = "Lernergebnisse"
	headCompetences   = "Kompetenzen (" + Framework + ")"
	headTargetGroups  = "Zielgruppen"
	headPrerequisites = "Voraussetzungen"
	headLevel         = "Niveau"
)

// FeedPath is the path of the feed below the platform's public address.
const FeedPath = "/api/v1/moochub/courses"

// Feed builds one page of the JSON:API document:
//
//	{"links": {"self", "first", "last", "prev"?, "next"?},
//	 "data": [{"type": "Course", "id": UUID, "attributes": {...}}]}
//
// baseURL is the platform's public address: offer pages are
// baseURL+"/angebote/{id}", the feed is baseURL+"/api/v1/moochub/courses?page=N".
// page counts from 1; pages below 1 are taken as one (an empty catalog has
// one empty page). The id of a course is a name-based UUID (version 5) of its
// page address, so it is stable and unique per platform.
func Feed(offers []domain.Offer, baseURL string, page, pages int) ([]byte, error) {
	baseURL = strings.TrimRight(baseURL, "/")
	if pages < 1 {
		pages = 1
	}
	if page < 1 || page > pages {
		return nil, fmt.Errorf("moochub: page %d out of range 1-%d", page, pages)
	}
	pageURL := func(n int) string { return baseURL + FeedPath + "?page=" + strconv.Itoa(n) }
	links := map[string]any{"self": pageURL(page), "first": pageURL(1), "last": pageURL(pages)}
	if page > 1 {
		links["prev"] = pageURL(page - 1)
	}
	if page < pages {
		links["next"] = pageURL(page + 1)
	}
	return feedDoc(offers, baseURL, links)
}

// FeedFrom builds a page of the feed read with a cursor (keyset paging,
// issue 14): self is the page's cursor ("" for the first page), next the
// next page's ("" on the last). Its links name the first page, the next
// one and the last by its number (pages of them); there is no "prev".
func FeedFrom(offers []domain.Offer, baseURL, self, next string, pages int) ([]byte, error) {
	baseURL = strings.TrimRight(baseURL, "/")
	first := baseURL + FeedPath
	links := map[string]any{"self": first, "first": first, "last": first + "?page=" + strconv.Itoa(max(pages, 1))}
	if self != "" {
		links["self"] = first + "?cursor=" + url.QueryEscape(self)
	}
	if next != "" {
		links["next"] = first + "?cursor=" + url.QueryEscape(next)
	}
	return feedDoc(offers, baseURL, links)
}

func feedDoc(offers []domain.Offer, baseURL string, links map[string]any) ([]byte, error) {
	data := make([]any, 0, len(offers))
	for _, o := range offers {
		data = append(data, map[string]any{
			"type":       "Course",
			"id":         CourseID(o, baseURL),
			"attributes": Course(o, baseURL),
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{"links": links, "data": data}); err != nil {
		return nil, fmt.Errorf("moochub: %w", err)
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// OfferURL is the address of an offer's page.
func OfferURL(o domain.Offer, baseURL string) string {
	return strings.TrimRight(baseURL, "/") + "/angebote/" + strconv.FormatInt(o.ID, 10)
}

// CourseID is the UUID a course has in the feed: a version 5 UUID of the
// offer's page address in the URL namespace (RFC 9562).
func CourseID(o domain.Offer, baseURL string) string { return uuid5URL(OfferURL(o, baseURL)) }

func uuid5URL(name string) string {
	ns := []byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(ns)
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// Course maps one offer to the attributes object of a MOOChub v3 course; see
// the package documentation for the mapping. It fills every attribute the
// schema requires (name, learningResourceType, publisher, url, license,
// creator) and the optional ones the offer has data for.
func Course(o domain.Offer, baseURL string) map[string]any {
	baseURL = strings.TrimRight(baseURL, "/")
	publisherName := strings.TrimSpace(o.ProviderName)
	if publisherName == "" {
		// Without a provider name the platform itself publishes the course.
		publisherName = baseURL
		if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
			publisherName = u.Host
		}
	}
	org := map[string]any{"type": "Organization", "name": publisherName}
	a := map[string]any{
		"name": strings.TrimSpace(o.Title),
		"learningResourceType": map[string]any{
			"identifier": "https://w3id.org/kim/hcrt/course",
			"type":       "Concept",
			"inScheme":   "https://w3id.org/kim/hcrt/scheme",
		},
		"url":       OfferURL(o, baseURL),
		"publisher": org,
		"creator":   creators(org, o.Publisher),
		"license":   []any{map[string]any{"identifier": "proprietary", "url": nil, "contentUrl": nil}},
	}
	if c := strings.TrimSpace(o.Code); c != "" {
		a["courseCode"] = c
	}
	if d := descriptionHTML(o); d != "" {
		a["description"] = d
	}
	if slices.Contains(domain.Languages, o.Language) {
		a["inLanguage"] = []string{o.Language}
	}
	if m := courseModes[o.Format]; m != nil {
		a["courseMode"] = m
	}
	if o.Hours > 0 {
		a["duration"] = "PT" + strconv.Itoa(o.Hours) + "H"
		if o.Days > 0 {
			a["workload"] = map[string]any{"timeValue": max(1, int(math.Round(float64(o.Hours)/float64(o.Days)))), "timeUnit": "h/day"}
		}
	}
	if o.PriceCents >= 0 {
		a["offer"] = []any{map[string]any{
			"price":            float64(o.PriceCents) / 100,
			"priceCurrency":    "EUR",
			"paymentFrequency": "one-time",
			"category":         "complete",
		}}
		if o.PriceCents == 0 {
			a["access"] = []string{"free"}
		} else {
			a["access"] = []string{"paid"}
		}
	}
	switch o.Certificate {
	case domain.CertParticipation:
		a["educationalCredentialsAwarded"] = []string{"confirmation of participation"}
	case domain.CertExam, domain.CertECTS:
		a["educationalCredentialsAwarded"] = []string{"certificate"}
	}
	if o.Credits > 0 {
		a["numberOfCredits"] = o.Credits
	}
	// The provider's keywords, then the names of the competences.
	var keywords []string
	for _, k := range o.Keywords {
		if k = strings.TrimSpace(k); k != "" && !slices.Contains(keywords, k) {
			keywords = append(keywords, k)
		}
	}
	for _, c := range o.Competences {
		k := strings.TrimSpace(c.Name)
		if k == "" {
			k = strings.TrimSpace(c.Code)
		}
		if k != "" && !slices.Contains(keywords, k) {
			keywords = append(keywords, k)
		}
	}
	if len(keywords) > 0 {
		a["keywords"] = keywords
	}
	sessionAttributes(a, o.Sessions)
	if !o.CreatedAt.IsZero() {
		a["dateCreated"] = o.CreatedAt.UTC().Format(time.RFC3339)
	}
	if !o.UpdatedAt.IsZero() {
		a["dateModified"] = o.UpdatedAt.UTC().Format(time.RFC3339)
	}
	return a
}

// creators are the provider and, when the offer names another publisher,
// that publisher too.
func creators(org map[string]any, publisher string) []any {
	out := []any{org}
	if p := strings.TrimSpace(publisher); p != "" && !strings.EqualFold(p, org["name"].(string)) {
		out = append(out, map[string]any{"type": "Organization", "name": p})
	}
	return out
}

var courseModes = map[string][]string{
	domain.FormatInPerson:   {"onsite"},
	domain.FormatLiveOnline: {"online", "synchronous"},
	domain.FormatSelfPaced:  {"online", "asynchronous"},
	domain.FormatBlended:    {"blended"},
}

// sessionAttributes adds the dates and place of the offer's sessions.
func sessionAttributes(a map[string]any, sessions []domain.Session) {
	if len(sessions) == 0 {
		return
	}
	ss := slices.Clone(sessions)
	slices.SortStableFunc(ss, func(x, y domain.Session) int { return x.StartsAt.Compare(y.StartsAt) })
	var starts, ends []string
	for _, s := range ss {
		if !s.StartsAt.IsZero() {
			if t := s.StartsAt.UTC().Format(time.RFC3339); !slices.Contains(starts, t) {
				starts = append(starts, t)
			}
		}
		if !s.EndsAt.IsZero() {
			if t := s.EndsAt.UTC().Format(time.RFC3339); !slices.Contains(ends, t) {
				ends = append(ends, t)
			}
		}
	}
	if len(starts) > 0 {
		a["startDate"] = starts
	}
	if len(ends) > 0 {
		a["endDate"] = ends
	}
	if len(ss) == 1 && !ss[0].RegistrationDeadline.IsZero() {
		a["applicationDeadline"] = ss[0].RegistrationDeadline.UTC().Format(time.RFC3339)
	}
	// One place for all in-person sessions: name it.
	place, address, inPerson := "", "", 0
	for _, s := range ss {
		if s.Online || s.Place == "" {
			continue
		}
		inPerson++
		if place == "" {
			place, address = s.Place, s.Address
		} else if s.Place != place {
			return
		} else if s.Address != address {
			address = ""
		}
	}
	if inPerson == 0 {
		return
	}
	addr := map[string]any{"addressCountry": "DE", "city": place}
	if address != "" {
		addr["streetAddress"] = address
	}
	a["contentLocation"] = map[string]any{"name": place, "address": addr}
}

// descriptionHTML renders summary, description and the fields MOOChub v3
// has no place for as an HTML document with headed sections.
func descriptionHTML(o domain.Offer) string {
	var b strings.Builder
	if s := strings.TrimSpace(o.Summary); s != "" {
		b.WriteString(`<p class="summary">` + textHTML(s) + "</p>")
	}
	for _, p := range paragraphs(o.Description) {
		b.WriteString("<p>" + textHTML(p) + "</p>")
	}
	list := func(head string, items []string) {
		var li strings.Builder
		for _, it := range items {
			if it = strings.TrimSpace(it); it != "" {
				li.WriteString("<li>" + textHTML(it) + "</li>")
			}
		}
		if li.Len() > 0 {
			b.WriteString("<h3>" + html.EscapeString(head) + "</h3><ul>" + li.String() + "</ul>")
		}
	}
	list(headOutcomes, o.Outcomes)
	if len(o.Competences) > 0 {
		items := make([]string, 0, len(o.Competences))
		for _, c := range o.Competences {
			s := strings.TrimSpace(c.Code + " " + c.Name)
			if c.Level > 0 {
				s += fmt.Sprintf(" (Zielstufe %d von 3)", c.Level)
			}
			items = append(items, s)
		}
		list(headCompetences, items)
	}
	list(headTargetGroups, o.TargetGroups)
	if p := paragraphs(o.Prerequisites); len(p) > 0 {
		b.WriteString("<h3>" + headPrerequisites + "</h3>")
		for _, s := range p {
			b.WriteString("<p>" + textHTML(s) + "</p>")
		}
	}
	if slices.Contains(domain.OfferLevels, o.Level) {
		b.WriteString("<h3>" + headLevel + "</h3><p>" + html.EscapeString(domain.OfferLabel(o.Level)) + "</p>")
	}
	return b.String()
}

// paragraphs splits plain text at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range blankLineRE.Split(normalizeNewlines(s), -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// textHTML escapes a paragraph of plain text; line breaks become <br>.
func textHTML(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = html.EscapeString(strings.TrimSpace(l))
	}
	return strings.Join(lines, "<br>")
}
