package domain

import "time"

// SearchTerm is an entry an administrator added to the search thesaurus:
// one line in the syntax of the shipped thesaurus, "GemO, Gemeindeordnung"
// (the terms mean the same) or "citizen participation => Bürgerbeteiligung"
// (a query for the left side also finds the right side).
type SearchTerm struct {
	ID   int64  `json:"id"`
	Line string `json:"line"`
	// CreatedBy is the person who added it (0 if unknown), CreatedByName
	// their name.
	CreatedBy     int64     `json:"created_by,omitempty"`
	CreatedByName string    `json:"created_by_name,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
}

// MaxSearchTerms bounds the entries administrators add, so that every
// instance can reload them every few seconds.
const MaxSearchTerms = 2000

// Errors of the search thesaurus.
var (
	ErrSearchTermNotFound = &Error{Code: ENotFound, Message: "Diesen Eintrag gibt es nicht (mehr)."}
	ErrSearchTermShipped  = &Error{Code: EConflict, Message: "Diesen Eintrag enthält schon die mitgelieferte Liste.",
		Fields: map[string]string{"line": "Diesen Eintrag enthält schon die mitgelieferte Liste."}}
	ErrSearchTermDuplicate = &Error{Code: EConflict, Message: "Diesen Eintrag gibt es schon.",
		Fields: map[string]string{"line": "Diesen Eintrag gibt es schon."}}
	ErrSearchTermsFull = &Error{Code: EConflict, Message: "Es sind schon 2.000 Einträge angelegt. Bitte löschen Sie zuerst Einträge, die nicht mehr gebraucht werden.",
		Fields: map[string]string{"line": "Es sind schon 2.000 Einträge angelegt. Bitte löschen Sie zuerst Einträge, die nicht mehr gebraucht werden."}}
)
