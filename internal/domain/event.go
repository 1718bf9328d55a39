package domain

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// EventAudience says who may see an event and register for it.
type EventAudience string

const (
	// AudiencePilots: the digital pilots of the event's state, that is
	// every member of a municipality of that state (DigitalPilotOf).
	AudiencePilots EventAudience = "pilots"
	// AudienceMembers: the staff of the organising association's member
	// municipalities and the association's own people.
	AudienceMembers EventAudience = "members"
	// AudiencePublic: every logged-in person; the page is public.
	AudiencePublic EventAudience = "public"
)

// EventAudiences lists the audiences in the order the form offers them.
var EventAudiences = []EventAudience{AudienceMembers, AudiencePilots, AudiencePublic}

// Valid reports whether a is a known audience.
func (a EventAudience) Valid() bool { return slices.Contains(EventAudiences, a) }

// Label is the German name of the audience.
func (a EventAudience) Label() string {
	switch a {
	case AudiencePilots:
		return "alle Digitallotsinnen und Digitallotsen des Landes"
	case AudienceMembers:
		return "nur Mitgliedskommunen des Verbands"
	case AudiencePublic:
		return "alle angemeldeten Personen"
	}
	return string(a)
}

// DigitalPilotOf is the one rule of the audience "pilots": a person is a
// digital pilot of a state when one of their municipalities (by AGS) lies
// in it. An event without a state reaches no pilots.
func DigitalPilotOf(state string, municipalityAGS []string) bool {
	if len(state) != 2 {
		return false
	}
	for _, ags := range municipalityAGS {
		if strings.HasPrefix(ags, state) {
			return true
		}
	}
	return false
}

// EventStatus is where an event stands.
type EventStatus string

const (
	EventDraft     EventStatus = "draft"
	EventPublished EventStatus = "published"
	EventCancelled EventStatus = "cancelled"
)

// Label is the German name of the status.
func (s EventStatus) Label() string {
	switch s {
	case EventDraft:
		return "Entwurf"
	case EventPublished:
		return "veröffentlicht"
	case EventCancelled:
		return "abgesagt"
	}
	return string(s)
}

// Event is a networking event (Vernetzungstreffen) of an association.
type Event struct {
	ID            int64  `json:"id"`
	OrganiserID   int64  `json:"organiser_id"`
	OrganiserName string `json:"organiser_name"`
	// State is the two-digit AGS of the state whose pilots "pilots" means.
	State       string    `json:"state,omitempty"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Agenda      string    `json:"agenda"`
	StartsAt    time.Time `json:"starts_at"`
	EndsAt      time.Time `json:"ends_at"`
	Online      bool      `json:"online"`
	// OnlineURL is the link of an online event; the service empties it
	// for everyone but confirmed registrants and organisers.
	OnlineURL            string        `json:"online_url,omitempty"`
	AGS                  string        `json:"ags,omitempty"`
	PlaceName            string        `json:"place_name,omitempty"` // the municipality's name
	Address              string        `json:"address,omitempty"`
	Capacity             int           `json:"capacity"`
	RegistrationDeadline time.Time     `json:"registration_deadline"`
	Audience             EventAudience `json:"audience"`
	Questions            []string      `json:"questions"`
	Status               EventStatus   `json:"status"`
	CancelReason         string        `json:"cancel_reason,omitempty"`
	CreatedAt            time.Time     `json:"created_at"`
	UpdatedAt            time.Time     `json:"updated_at"`
	PublishedAt          *time.Time    `json:"published_at,omitempty"`
	CancelledAt          *time.Time    `json:"cancelled_at,omitempty"`
	// Confirmed and Waitlisted count the active registrations.
	Confirmed  int `json:"confirmed"`
	Waitlisted int `json:"waitlisted"`
}

// Free is the number of places left.
func (e *Event) Free() int { return max(e.Capacity-e.Confirmed, 0) }

// Place is where the event takes place, as a page, mail or calendar says it.
func (e *Event) Place() string {
	if e.Online {
		return "Online"
	}
	return strings.Trim(strings.TrimSpace(e.PlaceName+", "+e.Address), ", ")
}

// RegistrationOpen reports whether people may register at now.
func (e *Event) RegistrationOpen(now time.Time) bool {
	return e.Status == EventPublished && now.Before(e.RegistrationDeadline)
}

// Limits of an event's fields.
const (
	maxEventTitle     = 200
	maxEventText      = 20000
	maxEventQuestions = 10
	maxEventQuestion  = 300
	MaxEventAnswer    = 1000
	MaxEventMessage   = 10000
	MaxEventCapacity  = 100000
)

// Validate checks an event's fields and trims its texts; AGS must name a
// municipality of the directory, which the service checks.
func (e *Event) Validate() error {
	v := Validation{}
	e.Title = strings.TrimSpace(e.Title)
	e.Description = strings.TrimSpace(e.Description)
	e.Agenda = strings.TrimSpace(e.Agenda)
	e.OnlineURL = strings.TrimSpace(e.OnlineURL)
	e.AGS = strings.TrimSpace(e.AGS)
	e.Address = strings.TrimSpace(e.Address)
	switch n := utf8.RuneCountInString(e.Title); {
	case n == 0:
		v.Add("title", "Bitte geben Sie einen Titel an.")
	case n > maxEventTitle:
		v.Add("title", "Der Titel darf höchstens 200 Zeichen lang sein.")
	}
	if e.Description == "" {
		v.Add("description", "Bitte beschreiben Sie die Veranstaltung.")
	} else if utf8.RuneCountInString(e.Description) > maxEventText {
		v.Add("description", "Die Beschreibung darf höchstens 20.000 Zeichen lang sein.")
	}
	if utf8.RuneCountInString(e.Agenda) > maxEventText {
		v.Add("agenda", "Die Tagesordnung darf höchstens 20.000 Zeichen lang sein.")
	}
	if e.StartsAt.IsZero() {
		v.Add("starts_at", "Bitte geben Sie Datum und Uhrzeit des Beginns an.")
	}
	if e.EndsAt.IsZero() {
		v.Add("ends_at", "Bitte geben Sie Datum und Uhrzeit des Endes an.")
	} else if !e.StartsAt.IsZero() && !e.EndsAt.After(e.StartsAt) {
		v.Add("ends_at", "Das Ende muss nach dem Beginn liegen.")
	}
	if e.Online {
		u, err := url.Parse(e.OnlineURL)
		if e.OnlineURL == "" {
			v.Add("online_url", "Bitte geben Sie den Link zur Online-Veranstaltung an.")
		} else if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(e.OnlineURL) > 2000 {
			v.Add("online_url", "Bitte geben Sie einen vollständigen Link an, der mit https:// beginnt.")
		}
		e.AGS, e.Address = "", ""
	} else {
		e.OnlineURL = ""
		if !ValidAGS(e.AGS) || len(e.AGS) != 8 {
			v.Add("ags", "Bitte geben Sie den achtstelligen Gemeindeschlüssel des Veranstaltungsorts an, oder wählen Sie „Online“.")
		}
		if e.Address == "" {
			v.Add("address", "Bitte geben Sie die Adresse des Veranstaltungsorts an.")
		} else if utf8.RuneCountInString(e.Address) > 500 {
			v.Add("address", "Die Adresse darf höchstens 500 Zeichen lang sein.")
		}
	}
	if e.Capacity < 1 || e.Capacity > MaxEventCapacity {
		v.Add("capacity", "Bitte geben Sie die Zahl der Plätze an (1 bis 100.000).")
	}
	if e.RegistrationDeadline.IsZero() {
		v.Add("registration_deadline", "Bitte geben Sie den Anmeldeschluss an.")
	} else if !e.StartsAt.IsZero() && e.RegistrationDeadline.After(e.StartsAt) {
		v.Add("registration_deadline", "Der Anmeldeschluss darf nicht nach dem Beginn liegen.")
	}
	if !e.Audience.Valid() {
		v.Add("audience", "Bitte wählen Sie, wer sich anmelden darf.")
	}
	qs := make([]string, 0, len(e.Questions))
	for _, q := range e.Questions {
		if q = strings.TrimSpace(q); q == "" {
			continue
		}
		if utf8.RuneCountInString(q) > maxEventQuestion {
			v.Add("questions", "Eine Frage darf höchstens 300 Zeichen lang sein.")
		}
		qs = append(qs, q)
	}
	if len(qs) > maxEventQuestions {
		v.Add("questions", "Bitte stellen Sie höchstens 10 Fragen.")
	}
	e.Questions = qs
	return v.Err()
}

// EventChanges names in German what changed between two versions of an
// event that registered people need to know.
func EventChanges(old, cur *Event) []string {
	var out []string
	if old.Title != cur.Title {
		out = append(out, "Titel: „"+cur.Title+"“")
	}
	if !old.StartsAt.Equal(cur.StartsAt) || !old.EndsAt.Equal(cur.EndsAt) {
		out = append(out, "Zeit: "+GermanDateTime(cur.StartsAt)+" bis "+GermanDateTime(cur.EndsAt))
	}
	if old.Online != cur.Online || old.AGS != cur.AGS || old.Address != cur.Address {
		out = append(out, "Ort: "+cur.Place())
	}
	if old.OnlineURL != cur.OnlineURL && cur.Online {
		out = append(out, "Der Link zur Online-Veranstaltung hat sich geändert.")
	}
	if old.Agenda != cur.Agenda {
		out = append(out, "Die Tagesordnung hat sich geändert.")
	}
	if old.Description != cur.Description {
		out = append(out, "Die Beschreibung hat sich geändert.")
	}
	return out
}

// GermanDateTime is an instant as Germans read it, in Berlin time:
// "02.03.2027, 14:00 Uhr".
func GermanDateTime(t time.Time) string {
	return t.In(berlinTime).Format("02.01.2006, 15:04") + " Uhr"
}

var berlinTime = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// RegistrationStatus is where a registration stands.
type RegistrationStatus string

const (
	RegConfirmed  RegistrationStatus = "confirmed"
	RegWaitlisted RegistrationStatus = "waitlisted"
	RegCancelled  RegistrationStatus = "cancelled"
)

// Label is the German name of the status.
func (s RegistrationStatus) Label() string {
	switch s {
	case RegConfirmed:
		return "bestätigt"
	case RegWaitlisted:
		return "auf der Warteliste"
	case RegCancelled:
		return "storniert"
	}
	return string(s)
}

// Active reports whether the registration holds a place or a place on the
// waiting list.
func (s RegistrationStatus) Active() bool { return s == RegConfirmed || s == RegWaitlisted }

// EventRegistration is a person's registration for an event.
type EventRegistration struct {
	ID          int64              `json:"id"`
	EventID     int64              `json:"event_id"`
	PersonID    int64              `json:"person_id"`
	Name        string             `json:"name"`
	Email       string             `json:"email,omitempty"`
	OrgID       int64              `json:"organisation_id,omitempty"`
	OrgName     string             `json:"municipality,omitempty"`
	Status      RegistrationStatus `json:"status"`
	Answers     []string           `json:"answers"`
	ShowName    bool               `json:"show_name"`
	AttendedAt  *time.Time         `json:"attended_at,omitempty"`
	CreatedAt   time.Time          `json:"created_at"`
	CancelledAt *time.Time         `json:"cancelled_at,omitempty"`
	// Position is the place on the waiting list (1 is next); 0 otherwise.
	Position int `json:"position,omitempty"`
}

// EventEntry is a person's registration with its event, for their lists,
// calendar and reminders.
type EventEntry struct {
	Registration EventRegistration `json:"registration"`
	Event        Event             `json:"event"`
}

// WaitingPositionLimit bounds the counting of a place on a waiting list:
// further back, a page says "behind more than 1,000 people".
const WaitingPositionLimit = 1000

// PositionLabel says a waitlisted registration's place in German.
func (r *EventRegistration) PositionLabel() string {
	if r.Position > WaitingPositionLimit {
		return "hinter mehr als 1.000 Personen"
	}
	return "Platz " + strconv.Itoa(r.Position)
}

// EventRegistrationInput is a registration as a person asks for it.
type EventRegistrationInput struct {
	EventID int64
	// PersonEmail names the person registered by HR; empty: oneself.
	PersonEmail string
	Answers     []string
	ShowName    bool
}

// ValidateAnswers trims the answers to an event's questions and checks
// their number and length.
func ValidateAnswers(questions, answers []string) ([]string, error) {
	v := Validation{}
	if len(answers) > len(questions) {
		v.Add("answers", "Es gibt mehr Antworten als Fragen.")
	}
	out := make([]string, len(questions))
	for i := range out {
		if i < len(answers) {
			out[i] = strings.TrimSpace(answers[i])
			if utf8.RuneCountInString(out[i]) > MaxEventAnswer {
				v.Add("answers", "Eine Antwort darf höchstens 1.000 Zeichen lang sein.")
			}
		}
	}
	return out, v.Err()
}

// EventFilter selects events for lists.
type EventFilter struct {
	// Past lists events that have ended, newest first; otherwise those
	// still to end, next first.
	Past bool
	// OrganiserIDs are the associations whose drafts the list includes.
	OrganiserIDs []int64
	// Only lists the events of these organisers (the organiser's own list).
	Only  []int64
	Now   time.Time
	Limit int
}

// Errors of events and registrations.
var (
	ErrEventNotFound        = &Error{Code: ENotFound, Message: "Die Veranstaltung wurde nicht gefunden."}
	ErrRegistrationNotFound = &Error{Code: ENotFound, Message: "Die Anmeldung wurde nicht gefunden."}
	ErrEventCancelled       = &Error{Code: EConflict, Message: "Die Veranstaltung ist abgesagt. Eine Anmeldung ist nicht mehr möglich."}
	ErrEventNotPublished    = &Error{Code: EConflict, Message: "Die Veranstaltung ist noch nicht veröffentlicht."}
	ErrEventAlreadyCancel   = &Error{Code: EConflict, Message: "Die Veranstaltung ist bereits abgesagt."}
	ErrEventNotDraft        = &Error{Code: EConflict, Message: "Nur ein Entwurf kann veröffentlicht werden."}
	ErrAlreadyRegistered    = &Error{Code: EConflict, Message: "Diese Person ist für die Veranstaltung bereits angemeldet."}
	ErrRegistrationDone     = &Error{Code: EConflict, Message: "Diese Anmeldung ist bereits storniert."}
	ErrEventAudience        = &Error{Code: EForbidden, Message: "Diese Veranstaltung richtet sich an einen anderen Personenkreis. Eine Anmeldung ist nicht möglich."}
	ErrEventForOthers       = &Error{Code: EForbidden, Message: "Andere Personen darf nur die Personalabteilung ihrer Kommune anmelden."}
	ErrEventPersonUnknown   = &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
		Fields: map[string]string{"person_email": "Zu dieser E-Mail-Adresse gibt es kein Konto in Ihrer Kommune."}}
	ErrEventNoOrganiser = &Error{Code: EForbidden, Message: "Veranstaltungen legen nur Personen mit der Rolle „Veranstaltungsorganisation“ eines Verbands an."}
	ErrEventMessage     = &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
		Fields: map[string]string{"message": "Bitte schreiben Sie eine Nachricht (höchstens 10.000 Zeichen)."}}
	ErrEventSubject = &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
		Fields: map[string]string{"subject": "Bitte geben Sie einen Betreff an (höchstens 200 Zeichen)."}}
	ErrEventEnded = &Error{Code: EConflict, Message: "Die Veranstaltung ist vorbei und lässt sich nicht mehr ändern."}
)

// ErrEventRegistrationClosed refuses a registration after the deadline.
func ErrEventRegistrationClosed(deadline time.Time) *Error {
	return Errorf(EConflict, "Die Anmeldefrist ist abgelaufen (Anmeldeschluss %s).", GermanDateTime(deadline))
}

// ErrEventCapacityBelow refuses fewer places than confirmed registrations.
func ErrEventCapacityBelow(confirmed int) *Error {
	msg := "Es gibt schon " + Plural(confirmed, "bestätigte Anmeldung", "bestätigte Anmeldungen") + ". Weniger Plätze sind nicht möglich."
	return &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.", Fields: map[string]string{"capacity": msg}}
}
