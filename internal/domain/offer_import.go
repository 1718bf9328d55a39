package domain

import (
	"fmt"
	"slices"
	"strings"
)

// ImportProblem is something about one course of a provider's feed: why it
// is refused, what it lacks for the quality review, or what the import
// assumed. Pointer is the JSON pointer (RFC 6901) into the feed.
type ImportProblem struct {
	Pointer string `json:"pointer"`
	// Field is the offer's field the problem is about, if any.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// ImportCourse is one course of a feed in the answer of an import.
type ImportCourse struct {
	// Course is the course's position in the feed, from 1.
	Course int `json:"course"`
	// FeedID is the course's code or id in the feed.
	FeedID  string `json:"feed_id,omitempty"`
	Title   string `json:"title"`
	Pointer string `json:"pointer"`
	// Offer, Status and Created describe the offer the course became;
	// Offer is 0 for a refused course.
	Offer   int64  `json:"offer,omitempty"`
	Status  string `json:"status,omitempty"`
	Created bool   `json:"created,omitempty"`
	// Sessions is the number of dated runs created from the feed.
	Sessions int `json:"sessions,omitempty"`
	// Problems say why a course is refused or stays a draft.
	Problems []ImportProblem `json:"problems,omitempty"`
	// Notes say what the import assumed or left out.
	Notes []ImportProblem `json:"notes,omitempty"`
}

// Name names the course for a message: position, title and feed id.
func (c ImportCourse) Name() string {
	s := fmt.Sprintf("Kurs %d", c.Course)
	switch {
	case c.Title != "" && c.FeedID != "":
		s += fmt.Sprintf(" („%s“, %s)", truncateRunes(c.Title, 60), c.FeedID)
	case c.Title != "":
		s += fmt.Sprintf(" („%s“)", truncateRunes(c.Title, 60))
	case c.FeedID != "":
		s += " (" + c.FeedID + ")"
	}
	return s
}

// ImportResult says what an import of a provider's feed did. Created,
// Updated and Drafts hold offer IDs; Courses, DraftReasons and Refused
// describe the feed's courses.
type ImportResult struct {
	Created []int64 `json:"created"`
	Updated []int64 `json:"updated"`
	Drafts  []int64 `json:"drafts"` // incomplete (e.g. without competences): the provider completes them, then they go to review
	// Courses are the courses imported, in the feed's order.
	Courses []ImportCourse `json:"courses"`
	// DraftReasons are the courses that became drafts, with what each lacks.
	DraftReasons []ImportCourse `json:"draft_reasons"`
	// Refused are the courses not imported, with why.
	Refused []ImportCourse `json:"refused"`
	// SessionsCreated counts the dated runs created from the feed.
	SessionsCreated int `json:"sessions_created"`
}

// NewImportResult is an empty result whose lists encode as [].
func NewImportResult() *ImportResult {
	return &ImportResult{Created: []int64{}, Updated: []int64{}, Drafts: []int64{}, Courses: []ImportCourse{},
		DraftReasons: []ImportCourse{}, Refused: []ImportCourse{}}
}

// ImportDraftComment is the review comment of an imported offer that lacks
// what the quality review needs.
const ImportDraftComment = "Bitte vervollständigen Sie das Angebot (Kompetenzen, Lernergebnisse, Tage); danach geht es in die Qualitätsprüfung."

// offerFieldLabels are the German names of an offer's fields.
var offerFieldLabels = map[string]string{
	"title": "Titel", "summary": "Kurzbeschreibung", "description": "Beschreibung", "code": "Kursnummer",
	"outcomes": "Lernergebnisse", "competences": "Kompetenzen", "level": "Niveau", "format": "Format", "language": "Sprache",
	"certificate": "Abschluss", "hours": "Dauer in Stunden", "days": "Tage", "credits": "ECTS-Punkte", "price_cents": "Preis",
	"target_groups": "Zielgruppen", "prerequisites": "Voraussetzungen", "keywords": "Schlagwörter", "publisher": "Herausgeber",
}

// OfferFieldLabel is the German name of an offer's field.
func OfferFieldLabel(field string) string {
	if l, ok := offerFieldLabels[field]; ok {
		return l
	}
	return field
}

// DraftProblems lists what an imported offer lacks for the quality review,
// field by field, in the order of the form; pointer gives each field's
// place in the feed. An offer without problems can go to the review.
func DraftProblems(o *Offer, pointer func(field string) string) []ImportProblem {
	fields := ErrorFields(o.Validate())
	order := []string{"title", "summary", "description", "code", "hours", "days", "outcomes", "competences", "level", "format",
		"language", "certificate", "credits", "price_cents", "target_groups", "prerequisites", "keywords", "publisher"}
	for f := range fields {
		if !slices.Contains(order, f) {
			order = append(order, f)
		}
	}
	var out []ImportProblem
	for _, f := range order {
		msg, ok := fields[f]
		if !ok {
			continue
		}
		switch {
		case f == "hours" && o.Hours == 0:
			msg = "Der Kurs nennt keine Dauer in Stunden; bitte ergänzen Sie sie."
		case f == "competences" && len(o.Competences) == 0:
			msg = "Feeds enthalten keine Kompetenzen des Kompetenzrahmens; bitte ordnen Sie sie zu."
		case f == "outcomes" && len(o.Outcomes) == 0:
			msg = "Der Kurs nennt keine Lernergebnisse; bitte ergänzen Sie sie."
		case f == "days" && o.Days == 0:
			msg = "Bitte geben Sie an, an wie vielen Tagen das Angebot stattfindet."
		}
		out = append(out, ImportProblem{Pointer: pointer(f), Field: f, Message: msg})
	}
	return out
}

// ImportDraftCommentFor is the review comment of an imported draft: the
// fields to complete, by their German names.
func ImportDraftCommentFor(problems []ImportProblem) string {
	if len(problems) == 0 {
		return ""
	}
	var names []string
	for _, p := range problems {
		if l := OfferFieldLabel(p.Field); !slices.Contains(names, l) {
			names = append(names, l)
		}
	}
	return "Bitte vervollständigen Sie das Angebot (" + strings.Join(names, ", ") + "); danach geht es in die Qualitätsprüfung."
}

// ErrImportNothing says that no course of a feed could be imported, with
// the first reasons.
func ErrImportNothing(refused []ImportCourse) error {
	var parts []string
	for i, c := range refused {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("und %s mehr", Plural(len(refused)-3, "Kurs", "Kurse")))
			break
		}
		msg := ""
		if len(c.Problems) > 0 {
			msg = c.Problems[0].Pointer + ": " + c.Problems[0].Message
		}
		parts = append(parts, c.Name()+": "+msg)
	}
	msg := "Kein Kurs des Feeds konnte übernommen werden. " + strings.Join(parts, " ")
	return &Error{Code: EInvalid, Message: msg, Fields: map[string]string{"file": msg}}
}
