package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Offer formats.
const (
	FormatInPerson   = "in_person"
	FormatLiveOnline = "live_online"
	FormatSelfPaced  = "self_paced"
	FormatBlended    = "blended"
)

// Offer levels.
const (
	LevelBasic        = "basic"
	LevelIntermediate = "intermediate"
	LevelAdvanced     = "advanced"
)

// Certificate kinds.
const (
	CertParticipation = "participation"
	CertExam          = "exam"
	CertECTS          = "ects"
)

// Offer review statuses: a new or materially changed offer is "in_review"
// until an admin publishes it or returns it with comments.
const (
	OfferDraft     = "draft"
	OfferInReview  = "in_review"
	OfferPublished = "published"
	OfferReturned  = "returned"
	OfferArchived  = "archived"
)

// OfferStatus is the review state of an offer. Offer.Status holds one of
// the Offer* constants (untyped, so they fit both); OfferStatus gives them
// their allowed transitions.
type OfferStatus string

// offerTransitions lists where an offer may go from each state:
//   - draft: an imported, incomplete offer; completing or re-importing it
//     sends it to the review (or leaves it a draft);
//   - in_review: an admin publishes or returns it; an update or import keeps
//     it in review (or makes it a draft when an import lacks data);
//   - published: a material change or an import sends it to the review
//     again; an import without the data the review needs makes it a draft;
//   - returned: the provider's change sends it to the review again;
//   - archived: final, nothing changes an archived offer.
var offerTransitions = map[OfferStatus][]OfferStatus{
	OfferDraft:     {OfferDraft, OfferInReview, OfferArchived},
	OfferInReview:  {OfferInReview, OfferDraft, OfferPublished, OfferReturned, OfferArchived},
	OfferPublished: {OfferPublished, OfferInReview, OfferDraft, OfferArchived},
	OfferReturned:  {OfferReturned, OfferInReview, OfferDraft, OfferArchived},
	OfferArchived:  {},
}

// CanTransition reports whether an offer in state s may move to state to.
// Staying in the same state counts as a transition for every state but
// archived.
func (s OfferStatus) CanTransition(to OfferStatus) bool {
	return slices.Contains(offerTransitions[s], to)
}

// Reviewable reports whether an admin may publish or return the offer now.
func (s OfferStatus) Reviewable() bool { return s == OfferInReview }

var (
	OfferFormats  = []string{FormatInPerson, FormatLiveOnline, FormatSelfPaced, FormatBlended}
	OfferLevels   = []string{LevelBasic, LevelIntermediate, LevelAdvanced}
	CertKinds     = []string{CertParticipation, CertExam, CertECTS}
	OfferStatuses = []string{OfferDraft, OfferInReview, OfferPublished, OfferReturned, OfferArchived}
	Languages     = []string{"de", "en"}
)

// Labels of the catalog's coded values, in German.
var offerLabels = map[string]string{
	FormatInPerson: "Präsenz", FormatLiveOnline: "Live online", FormatSelfPaced: "Selbstlernkurs", FormatBlended: "Blended Learning",
	LevelBasic: "Einstieg", LevelIntermediate: "Fortgeschritten", LevelAdvanced: "Vertiefung",
	CertParticipation: "Teilnahmebescheinigung", CertExam: "Zertifikat mit Prüfung", CertECTS: "ECTS-Punkte",
	OfferDraft: "Entwurf", OfferInReview: "In Qualitätsprüfung", OfferPublished: "Veröffentlicht", OfferReturned: "Zur Überarbeitung zurückgegeben",
	OfferArchived: "Archiviert", "de": "Deutsch", "en": "Englisch",
}

// OfferLabel is the German label of a format, level, certificate kind,
// status or language code.
func OfferLabel(code string) string {
	if l, ok := offerLabels[code]; ok {
		return l
	}
	return code
}

// Competence is an entry of the competence framework.
type Competence struct {
	Code        string `json:"code"` // e.g. "DS" or "DS.2"
	Area        string `json:"area"` // the area's code
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// OfferCompetence is a competence an offer teaches, with its target level (1-3).
type OfferCompetence struct {
	Code  string `json:"code"`
	Name  string `json:"name,omitempty"`
	Level int    `json:"level"`
}

// Offer is a course in the catalog, described in the standard fields that
// make offers comparable.
type Offer struct {
	ID            int64             `json:"id"`
	ProviderID    int64             `json:"provider"`
	ProviderName  string            `json:"provider_name,omitempty"`
	Code          string            `json:"code"` // the provider's course code; MOOChub courseCode
	Title         string            `json:"title"`
	Summary       string            `json:"summary"`
	Description   string            `json:"description"`
	Outcomes      []string          `json:"outcomes"`
	Competences   []OfferCompetence `json:"competences"`
	Level         string            `json:"level"`
	Format        string            `json:"format"`
	Language      string            `json:"language"`
	Hours         int               `json:"hours"`
	Days          int               `json:"days"`
	Workload      string            `json:"workload,omitempty"`
	Credits       float64           `json:"credits,omitempty"`
	Certificate   string            `json:"certificate"`
	PriceCents    int64             `json:"price_cents"`
	TargetGroups  []string          `json:"target_groups"`
	Prerequisites string            `json:"prerequisites,omitempty"`
	// Keywords are search terms the provider gives (MOOChub "keywords").
	Keywords []string `json:"keywords"`
	// Publisher names who publishes the course when it is not the provider
	// itself, e.g. the university behind a portal's feed (MOOChub "publisher").
	Publisher string `json:"publisher,omitempty"`
	// FundingTracks are programme tracks that fund the offer, as "programme/track".
	FundingTracks []string `json:"funding_tracks"`
	// ModuleIDs are the offers this offer consists of (a modular programme).
	ModuleIDs        []int64    `json:"modules"`
	CancellationRule string     `json:"cancellation_rule,omitempty"`
	Status           string     `json:"status"`
	ReviewComment    string     `json:"review_comment,omitempty"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	PublishedAt      *time.Time `json:"published_at,omitempty"`
	Sessions         []Session  `json:"sessions,omitempty"`
	RatingCount      int        `json:"rating_count"`
	RatingAverage    float64    `json:"rating_average,omitempty"`
}

// Session is a dated run of an offer.
type Session struct {
	ID                   int64     `json:"id"`
	OfferID              int64     `json:"offer_id"`
	StartsAt             time.Time `json:"starts_at"`
	EndsAt               time.Time `json:"ends_at"`
	Days                 int       `json:"days"`
	Capacity             int       `json:"capacity"`
	Online               bool      `json:"online"`
	AGS                  string    `json:"ags,omitempty"`
	Place                string    `json:"place,omitempty"` // municipality name
	Address              string    `json:"address,omitempty"`
	RegistrationDeadline time.Time `json:"registration_deadline"`
	Booked               int       `json:"booked"`
	Free                 int       `json:"free"`
}

// material lists the fields whose change sends a published offer back to review.
func (o *Offer) material() string {
	return fmt.Sprint(o.Title, "|", o.Summary, "|", o.Description, "|", o.Outcomes, "|", o.Hours, "|", o.Days, "|", o.Workload, "|",
		o.PriceCents, "|", o.Certificate, "|", o.Credits, "|", o.Competences, "|", o.Level, "|", o.Format, "|", o.Keywords)
}

// MaterialChange reports whether b differs from a in a field that needs a new
// quality review: title, content, duration, price, certificate, competences.
func MaterialChange(a, b *Offer) bool { return a.material() != b.material() }

// Validate checks an offer's standard fields.
func (o *Offer) Validate() error {
	v := Validation{}
	trim := func(s *string) { *s = strings.TrimSpace(*s) }
	trim(&o.Title)
	trim(&o.Summary)
	trim(&o.Description)
	trim(&o.Code)
	length := func(field, s string, min, max int, what string) {
		n := utf8.RuneCountInString(s)
		switch {
		case n < min && min == 1:
			v.Add(field, "Bitte geben Sie "+what+" an.")
		case n < min:
			v.Add(field, fmt.Sprintf("%s muss mindestens %d Zeichen lang sein.", what, min))
		case n > max:
			v.Add(field, fmt.Sprintf("%s darf höchstens %d Zeichen lang sein.", what, max))
		}
	}
	length("title", o.Title, 5, 200, "Der Titel")
	length("summary", o.Summary, 20, 500, "Die Kurzbeschreibung")
	length("description", o.Description, 50, 20000, "Die Beschreibung")
	length("code", o.Code, 1, 64, "eine Kursnummer")
	if len(o.Outcomes) == 0 {
		v.Add("outcomes", "Bitte nennen Sie mindestens ein Lernergebnis.")
	}
	for i := range o.Outcomes {
		o.Outcomes[i] = strings.TrimSpace(o.Outcomes[i])
		if o.Outcomes[i] == "" || utf8.RuneCountInString(o.Outcomes[i]) > 300 {
			v.Add("outcomes", "Jedes Lernergebnis braucht 1 bis 300 Zeichen.")
		}
	}
	if len(o.Outcomes) > 20 {
		v.Add("outcomes", "Bitte nennen Sie höchstens 20 Lernergebnisse.")
	}
	if len(o.Competences) == 0 || len(o.Competences) > 10 {
		v.Add("competences", "Bitte ordnen Sie das Angebot 1 bis 10 Kompetenzen des Kompetenzrahmens zu.")
	}
	for _, c := range o.Competences {
		if c.Level < 1 || c.Level > 3 {
			v.Add("competences", "Die Zielstufe einer Kompetenz ist 1, 2 oder 3.")
		}
	}
	if !slices.Contains(OfferLevels, o.Level) {
		v.Add("level", "Bitte wählen Sie ein Niveau.")
	}
	if !slices.Contains(OfferFormats, o.Format) {
		v.Add("format", "Bitte wählen Sie ein Format.")
	}
	if !slices.Contains(Languages, o.Language) {
		v.Add("language", "Bitte wählen Sie die Sprache (Deutsch oder Englisch).")
	}
	if !slices.Contains(CertKinds, o.Certificate) {
		v.Add("certificate", "Bitte wählen Sie die Art des Abschlusses.")
	}
	if o.Hours < 1 || o.Hours > 2000 {
		v.Add("hours", "Die Dauer in Stunden muss zwischen 1 und 2.000 liegen.")
	}
	if o.Days < 0 || o.Days > 365 {
		v.Add("days", "Die Zahl der Tage muss zwischen 0 und 365 liegen.")
	}
	if o.Days > 0 && o.Hours > o.Days*12 {
		v.Add("hours", Plural(o.Hours, "Stunde", "Stunden")+" an "+Plural(o.Days, "Tag", "Tagen")+" sind mehr als 12 Stunden am Tag.")
	}
	if o.Format != FormatSelfPaced && o.Days == 0 {
		v.Add("days", "Bitte geben Sie an, an wie vielen Tagen das Angebot stattfindet.")
	}
	if o.Credits < 0 || o.Credits > 60 {
		v.Add("credits", "ECTS-Punkte liegen zwischen 0 und 60.")
	}
	if o.Certificate == CertECTS && o.Credits == 0 {
		v.Add("credits", "Ein Abschluss mit ECTS braucht die Zahl der Punkte.")
	}
	if o.PriceCents < 0 || o.PriceCents > 5_000_000 {
		v.Add("price_cents", "Der Preis muss zwischen 0 € und 50.000 € liegen.")
	}
	o.Keywords = NormalizeKeywords(o.Keywords)
	if len(o.Keywords) > MaxKeywords {
		v.Add("keywords", fmt.Sprintf("Bitte nennen Sie höchstens %d Schlagwörter.", MaxKeywords))
	}
	for _, k := range o.Keywords {
		if utf8.RuneCountInString(k) > MaxKeywordLen {
			v.Add("keywords", fmt.Sprintf("Ein Schlagwort hat höchstens %d Zeichen („%s“).", MaxKeywordLen, truncateRunes(k, 30)))
			break
		}
	}
	o.Publisher = strings.Join(strings.Fields(o.Publisher), " ")
	if utf8.RuneCountInString(o.Publisher) > 300 {
		v.Add("publisher", "Der Herausgeber darf höchstens 300 Zeichen lang sein.")
	}
	if len(o.TargetGroups) > 10 {
		v.Add("target_groups", "Bitte nennen Sie höchstens 10 Zielgruppen.")
	}
	if utf8.RuneCountInString(o.Prerequisites) > 2000 || utf8.RuneCountInString(o.Workload) > 200 || utf8.RuneCountInString(o.CancellationRule) > 2000 {
		v.Add("prerequisites", "Voraussetzungen, Aufwand und Stornoregel sind zu lang.")
	}
	return v.Err()
}

// Validate checks a session's fields; now is the current time.
func (s *Session) Validate(now time.Time) error {
	v := Validation{}
	if s.StartsAt.IsZero() {
		v.Add("starts_at", "Bitte geben Sie den Beginn an.")
	} else if s.StartsAt.Before(StartOfDay(now)) {
		// Today is allowed: a provider may enter a session that begins
		// this morning, e.g. one arranged at short notice.
		v.Add("starts_at", "Ein neuer Termin kann nicht vor dem heutigen Tag beginnen.")
	}
	if s.EndsAt.Before(s.StartsAt) {
		v.Add("ends_at", "Das Ende liegt vor dem Beginn.")
	}
	if s.EndsAt.Sub(s.StartsAt) > 366*24*time.Hour {
		v.Add("ends_at", "Ein Termin dauert höchstens ein Jahr.")
	}
	if s.Days < 1 || s.Days > 365 {
		v.Add("days", "Die Zahl der Tage muss zwischen 1 und 365 liegen.")
	}
	if s.Capacity < 1 || s.Capacity > 10000 {
		v.Add("capacity", "Die Zahl der Plätze muss zwischen 1 und 10.000 liegen.")
	}
	if s.Online == (s.AGS != "") {
		v.Add("ags", "Ein Termin findet entweder online statt oder in einer Kommune (Gemeindeschlüssel).")
	}
	if s.AGS != "" && len(s.AGS) != 8 {
		v.Add("ags", "Der Ort wird mit dem 8-stelligen Gemeindeschlüssel angegeben.")
	}
	if s.RegistrationDeadline.IsZero() {
		s.RegistrationDeadline = s.StartsAt
	}
	if s.RegistrationDeadline.After(s.StartsAt) {
		v.Add("registration_deadline", "Der Anmeldeschluss liegt nach dem Beginn.")
	}
	if utf8.RuneCountInString(s.Address) > 300 {
		v.Add("address", "Die Adresse darf höchstens 300 Zeichen lang sein.")
	}
	return v.Err()
}

// Incomplete reports whether an imported offer still lacks what the quality
// review needs.
func (o *Offer) Incomplete() bool { return o.Validate() != nil }

// Limits of an offer's keywords.
const (
	MaxKeywords   = 30
	MaxKeywordLen = 80
)

// NormalizeKeywords trims keywords, joins their inner spaces, drops empty
// ones and repeats (ignoring case), and keeps the order. Commas become
// spaces, since the offer form lists keywords separated by commas.
func NormalizeKeywords(ks []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, k := range ks {
		k = strings.Join(strings.Fields(strings.ReplaceAll(k, ",", " ")), " ")
		key := strings.ToLower(k)
		if k == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, k)
	}
	return out
}
