package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The directory of digital pilots (Digitallotsen) and their project briefs.
// A person who holds a base certificate of the programme may be listed,
// with their consent, under one of their municipalities; logged-in members
// of municipalities and associations see the directory, the public does not.

// ContactPreference says how members reach a pilot.
type ContactPreference string

// Contact preferences.
const (
	ContactEmail ContactPreference = "email" // the e-mail address is shown to logged-in members
	ContactForm  ContactPreference = "form"  // only through the platform's contact form
	ContactPhone ContactPreference = "phone" // the phone number given is shown
)

// ContactPreferences lists the choices in display order.
var ContactPreferences = []ContactPreference{ContactForm, ContactEmail, ContactPhone}

// Label is the German name of the preference.
func (c ContactPreference) Label() string {
	switch c {
	case ContactEmail:
		return "E-Mail-Adresse für angemeldete Mitglieder anzeigen"
	case ContactForm:
		return "Nur über das Kontaktformular der Plattform"
	case ContactPhone:
		return "Telefonnummer anzeigen"
	}
	return string(c)
}

// PilotConsentVersion names the consent text a person agreed to; a new
// text gets a new version.
const PilotConsentVersion = "2026-12"

// Limits of an entry and a brief.
const (
	MaxPilotTopics    = 8
	MaxPilotTags      = 5
	MaxPilotTagLength = 40
	MaxPilotHelp      = 1000
	MaxPilotPhone     = 40
	MaxBriefTitle     = 140
	MaxBriefText      = 4000
	MaxBriefContact   = 300
	MaxContactMessage = 2000
	PilotPageSize     = 20
)

// PilotEntry is a pilot's directory entry.
type PilotEntry struct {
	ID       int64  `json:"id"`
	PersonID int64  `json:"person"`
	Name     string `json:"name"`
	OrgID    int64  `json:"organisation"`
	OrgName  string `json:"municipality"`
	AGS      string `json:"ags"`
	District string `json:"district"`
	// Topics are codes of the competence framework (areas or
	// competences); TopicNames their names in the same order.
	Topics     []string          `json:"topics"`
	TopicNames []string          `json:"topic_names"`
	Tags       []string          `json:"tags"`
	Help       string            `json:"help"`
	Contact    ContactPreference `json:"contact"`
	// Email is shown only for ContactEmail, Phone only for ContactPhone.
	Email     string    `json:"email,omitempty"`
	Phone     string    `json:"phone,omitempty"`
	Hidden    bool      `json:"hidden"`
	ConsentAt time.Time `json:"consent_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// PilotEntryInput is what a pilot enters.
type PilotEntryInput struct {
	OrgID   int64             `json:"organisation"`
	Topics  []string          `json:"topics"`
	Tags    []string          `json:"tags"`
	Help    string            `json:"help"`
	Contact ContactPreference `json:"contact"`
	Phone   string            `json:"phone"`
	Hidden  bool              `json:"hidden"`
	Consent bool              `json:"consent"`
}

// Normalize trims the text, drops empty and repeated tags and topics.
func (in *PilotEntryInput) Normalize() {
	in.Help = strings.TrimSpace(in.Help)
	in.Phone = strings.TrimSpace(in.Phone)
	in.Topics = cleanList(in.Topics, false)
	in.Tags = cleanList(in.Tags, true)
}

func cleanList(xs []string, fold bool) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, x := range xs {
		x = strings.Join(strings.Fields(x), " ")
		k := x
		if fold {
			k = strings.ToLower(x)
		}
		if x == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, x)
	}
	return out
}

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 ()/\-]{4,}$`)

// Validate checks the input against the framework (topics must be codes of
// it) and the organisations the person may choose. Field names follow the
// JSON; the messages are German.
func (in *PilotEntryInput) Validate(framework []Competence, orgs []int64) error {
	v := Validation{}
	if !in.Consent {
		v.Add("consent", "Bitte bestätigen Sie, dass Ihr Eintrag im Verzeichnis erscheinen darf. Ohne Ihre Einwilligung legen wir keinen Eintrag an.")
	}
	switch {
	case len(orgs) == 0:
		v.Add("organisation", "Sie sind Mitglied keiner Kommune. Das Verzeichnis nennt Lotsinnen und Lotsen mit ihrer Kommune.")
	case !slices.Contains(orgs, in.OrgID):
		v.Add("organisation", "Bitte wählen Sie eine Kommune, der Sie angehören.")
	}
	known := map[string]bool{}
	for _, c := range framework {
		known[c.Code] = true
	}
	switch {
	case len(in.Topics) == 0 && len(in.Tags) == 0:
		v.Add("topics", "Bitte wählen Sie mindestens ein Thema, bei dem Sie sich auskennen.")
	case len(in.Topics) > MaxPilotTopics:
		v.Add("topics", fmt.Sprintf("Bitte wählen Sie höchstens %d Themen.", MaxPilotTopics))
	}
	for _, t := range in.Topics {
		if !known[t] {
			v.Add("topics", fmt.Sprintf("Das Thema „%s“ gibt es im Kompetenzrahmen nicht.", clipRunes(t, 40)))
		}
	}
	if len(in.Tags) > MaxPilotTags {
		v.Add("tags", fmt.Sprintf("Bitte geben Sie höchstens %d eigene Stichwörter an.", MaxPilotTags))
	}
	for _, t := range in.Tags {
		if utf8.RuneCountInString(t) > MaxPilotTagLength {
			v.Add("tags", fmt.Sprintf("Ein Stichwort darf höchstens %d Zeichen lang sein.", MaxPilotTagLength))
		}
		if strings.ContainsAny(t, ",\n") {
			v.Add("tags", "Bitte trennen Sie Stichwörter durch Kommas.")
		}
	}
	switch {
	case in.Help == "":
		v.Add("help", "Bitte beschreiben Sie kurz, wobei Sie anderen Kommunen helfen können.")
	case utf8.RuneCountInString(in.Help) > MaxPilotHelp:
		v.Add("help", fmt.Sprintf("Bitte fassen Sie sich in höchstens %d Zeichen.", MaxPilotHelp))
	}
	switch in.Contact {
	case ContactEmail, ContactForm:
	case ContactPhone:
		if in.Phone == "" {
			v.Add("phone", "Bitte geben Sie die Telefonnummer an, unter der man Sie erreicht.")
		}
	default:
		v.Add("contact", "Bitte wählen Sie, wie andere Sie erreichen können.")
	}
	if in.Phone != "" && (utf8.RuneCountInString(in.Phone) > MaxPilotPhone || !phoneRE.MatchString(in.Phone)) {
		v.Add("phone", "Bitte geben Sie eine Telefonnummer aus Ziffern an, zum Beispiel 07123 45678-0.")
	}
	return v.Err()
}

// PilotTopicKeys are the keys an entry or brief is found by: each code,
// the area of each competence, and each tag as "tag:" plus its lower case.
func PilotTopicKeys(framework []Competence, topics, tags []string) []string {
	area := map[string]string{}
	for _, c := range framework {
		area[c.Code] = c.Area
	}
	var keys []string
	add := func(k string) {
		if k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	for _, t := range topics {
		add(t)
		add(area[t])
	}
	for _, t := range tags {
		add(PilotTagKey(t))
	}
	return keys
}

// PilotTagKey is the search key of a free tag.
func PilotTagKey(tag string) string { return "tag:" + strings.ToLower(strings.TrimSpace(tag)) }

// PilotFilter is a directory search. Words match name, municipality, help
// text and tags; Topic is a framework code or a tag; District an AGS
// prefix of five digits. Cursor continues after the last entry of the
// previous page.
type PilotFilter struct {
	Q        string
	Topic    string
	District string
	Cursor   string
	Limit    int
}

var districtRE = regexp.MustCompile(`^[0-9]{5}$`)

// Validate checks the district and cursor's form.
func (f *PilotFilter) Validate() error {
	v := Validation{}
	f.Q = strings.TrimSpace(f.Q)
	f.Topic = strings.TrimSpace(f.Topic)
	if f.District != "" && !districtRE.MatchString(f.District) {
		v.Add("district", "Bitte geben Sie einen Kreis als fünfstelligen Gemeindeschlüssel an, zum Beispiel 08111.")
	}
	if utf8.RuneCountInString(f.Q) > 200 {
		v.Add("q", "Bitte suchen Sie mit höchstens 200 Zeichen.")
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = PilotPageSize
	}
	return v.Err()
}

// SearchWords splits a query into lower-case words for the directory
// search (at most five); SearchTokens splits a text the same way, without
// the limit. Words are whole: "akte" does not find "Bauakte"; a word with
// hyphens is also split at them ("Online-Terminvergabe" gives
// "online-terminvergabe", "online" and "terminvergabe").
func SearchWords(q string) []string { return searchTokens(q, 5) }

// SearchTokens are the words a text is found by.
func SearchTokens(text string) []string { return searchTokens(text, 0) }

func searchTokens(s string, limit int) []string {
	var out []string
	add := func(w string) {
		if utf8.RuneCountInString(w) >= 2 && !slices.Contains(out, w) && (limit == 0 || len(out) < limit) {
			out = append(out, w)
		}
	}
	for _, w := range strings.Fields(strings.ToLower(s)) {
		w = strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		add(w)
		if limit == 0 && strings.Contains(w, "-") {
			for _, part := range strings.Split(w, "-") {
				add(part)
			}
		}
	}
	return out
}

// PilotPage is one page of the directory.
type PilotPage struct {
	Items []PilotEntry `json:"items"`
	// Next is the cursor of the next page; "" on the last.
	Next string `json:"next_cursor"`
}

// DistrictCount is the number of listed pilots in a district.
type DistrictCount struct {
	District string `json:"district"`
	Name     string `json:"name"`
	Count    int    `json:"count"`
}

// PilotContact is a message to a pilot through the platform.
type PilotContact struct {
	Message string `json:"message"`
	// ShareEmail gives the pilot the sender's address.
	ShareEmail bool `json:"share_email"`
}

// Validate checks the message.
func (c *PilotContact) Validate() error {
	c.Message = strings.TrimSpace(c.Message)
	v := Validation{}
	switch {
	case c.Message == "":
		v.Add("message", "Bitte schreiben Sie Ihre Nachricht.")
	case utf8.RuneCountInString(c.Message) > MaxContactMessage:
		v.Add("message", fmt.Sprintf("Bitte fassen Sie Ihre Nachricht in höchstens %d Zeichen.", MaxContactMessage))
	}
	return v.Err()
}

// BriefStatus is the state of a project brief.
type BriefStatus string

// Brief states.
const (
	BriefDraft     BriefStatus = "draft"
	BriefPublished BriefStatus = "published"
)

// Label is the German name of the state.
func (s BriefStatus) Label() string {
	if s == BriefPublished {
		return "Veröffentlicht"
	}
	return "Entwurf"
}

// ProjectBrief is a pilot's short report on a project: what their
// municipality digitised, how and what it took.
type ProjectBrief struct {
	ID         int64       `json:"id"`
	AuthorID   int64       `json:"author"`
	AuthorName string      `json:"author_name"`
	EntryID    int64       `json:"pilot_entry"` // 0: the author has no visible entry
	OrgName    string      `json:"municipality"`
	Title      string      `json:"title"`
	What       string      `json:"what"`
	How        string      `json:"how"`
	Effort     string      `json:"effort"`
	Contact    string      `json:"contact"`
	Topics     []string    `json:"topics"`
	TopicNames []string    `json:"topic_names"`
	Status     BriefStatus `json:"status"`
	// DiscussionURL links the brief to a thread of the members' space; ""
	// until that is connected.
	DiscussionURL string     `json:"discussion_url"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	PublishedAt   *time.Time `json:"published_at,omitempty"`
}

// ProjectBriefInput is what a pilot writes. Pointer fields are "not
// given" in a PATCH.
type ProjectBriefInput struct {
	Title   *string      `json:"title"`
	What    *string      `json:"what"`
	How     *string      `json:"how"`
	Effort  *string      `json:"effort"`
	Contact *string      `json:"contact"`
	Topics  *[]string    `json:"topics"`
	Status  *BriefStatus `json:"status"`
}

// Apply writes the given fields onto b, trimmed.
func (in *ProjectBriefInput) Apply(b *ProjectBrief) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = strings.TrimSpace(*src)
		}
	}
	set(&b.Title, in.Title)
	set(&b.What, in.What)
	set(&b.How, in.How)
	set(&b.Effort, in.Effort)
	set(&b.Contact, in.Contact)
	if in.Topics != nil {
		b.Topics = cleanList(*in.Topics, false)
	}
	if in.Status != nil {
		b.Status = *in.Status
	}
	if b.Status == "" {
		b.Status = BriefDraft
	}
	if b.Topics == nil {
		b.Topics = []string{}
	}
}

// Validate checks a brief: a title and what was digitised always; how and
// what it took before it is published.
func (b *ProjectBrief) Validate(framework []Competence) error {
	v := Validation{}
	long := func(field, s string, limit int) {
		if utf8.RuneCountInString(s) > limit {
			v.Add(field, fmt.Sprintf("Bitte fassen Sie sich in höchstens %d Zeichen.", limit))
		}
	}
	if b.Title == "" {
		v.Add("title", "Bitte geben Sie dem Projekt einen Titel.")
	}
	long("title", b.Title, MaxBriefTitle)
	if b.What == "" {
		v.Add("what", "Bitte beschreiben Sie, was Sie digitalisiert haben.")
	}
	long("what", b.What, MaxBriefText)
	long("how", b.How, MaxBriefText)
	long("effort", b.Effort, MaxBriefText)
	long("contact", b.Contact, MaxBriefContact)
	switch b.Status {
	case BriefDraft:
	case BriefPublished:
		if b.How == "" {
			v.Add("how", "Bitte beschreiben Sie vor dem Veröffentlichen, wie Sie vorgegangen sind.")
		}
		if b.Effort == "" {
			v.Add("effort", "Bitte nennen Sie vor dem Veröffentlichen, was es gebraucht hat: Zeit, Geld, Personen.")
		}
	default:
		v.Add("status", "Bitte wählen Sie „Entwurf“ oder „Veröffentlicht“.")
	}
	known := map[string]bool{}
	for _, c := range framework {
		known[c.Code] = true
	}
	if len(b.Topics) > MaxPilotTopics {
		v.Add("topics", fmt.Sprintf("Bitte wählen Sie höchstens %d Themen.", MaxPilotTopics))
	}
	for _, t := range b.Topics {
		if !known[t] {
			v.Add("topics", fmt.Sprintf("Das Thema „%s“ gibt es im Kompetenzrahmen nicht.", clipRunes(t, 40)))
		}
	}
	return v.Err()
}

// BriefFilter lists briefs: published ones (optionally by topic or
// words), or Mine: the actor's own, drafts included.
type BriefFilter struct {
	Q     string
	Topic string
	Mine  bool
	// Author lists the published briefs of one person.
	Author int64
	Cursor string
	Limit  int
}

// BriefPage is one page of briefs.
type BriefPage struct {
	Items []ProjectBrief `json:"items"`
	Next  string         `json:"next_cursor"`
}

// Directory errors.
var (
	ErrPilotNoBase     = &Error{Code: EForbidden, Message: "Ins Verzeichnis der Digitallotsen können Sie sich eintragen, sobald Sie die Basisqualifizierung abgeschlossen haben: Es zählt ein gültiges Zertifikat der Basisqualifizierung auf der Plattform."}
	ErrPilotNotFound   = &Error{Code: ENotFound, Message: "Diesen Eintrag gibt es im Verzeichnis nicht (mehr)."}
	ErrPilotNoEntry    = &Error{Code: ENotFound, Message: "Sie stehen noch nicht im Verzeichnis der Digitallotsen."}
	ErrPilotNoForm     = &Error{Code: EConflict, Message: "Diese Person möchte nicht über das Kontaktformular erreicht werden. Die Kontaktdaten stehen in ihrem Eintrag."}
	ErrPilotSelf       = &Error{Code: EConflict, Message: "Das ist Ihr eigener Eintrag."}
	ErrBriefNotFound   = &Error{Code: ENotFound, Message: "Diesen Projektsteckbrief gibt es nicht (mehr)."}
	ErrBriefNeedsEntry = &Error{Code: EConflict, Message: "Projektsteckbriefe veröffentlichen Lotsinnen und Lotsen mit einem Eintrag im Verzeichnis. Legen Sie zuerst Ihren Eintrag an; als Entwurf können Sie den Steckbrief schon speichern.",
		Fields: map[string]string{"status": "Zum Veröffentlichen brauchen Sie einen Eintrag im Verzeichnis der Digitallotsen."}}
	ErrBadCursor = &Error{Code: EBadRequest, Message: "Die Seitenangabe ist ungültig. Bitte beginnen Sie die Suche neu."}
)

// BaseQualified reports whether a person holds the base qualification of
// the programme: an unrevoked certificate of an offer its base track funds,
// issued by a provider the programme funds. certs are the providers of the
// person's certificates per base track ("programme/track"), as the store
// reads them. The recommendations and the pilots' directory both ask here.
func BaseQualified(p *Programme, certs map[string][]int64) bool {
	base := p.BaseTrack()
	if base == "" {
		return false
	}
	for _, prov := range certs[base] {
		if p.FundsProvider(prov) {
			return true
		}
	}
	return false
}
