package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// privacy: an admin's search for a person, to download their data or
// delete their account on request.

// PersonSearchMax is the most people one page of the search shows.
const PersonSearchMax = 50

// PersonHit is one person the search found, with the organisations they
// belong to (to tell two people of the same name apart).
type PersonHit struct {
	ID              int64      `json:"id"`
	Name            string     `json:"name"`
	Email           string     `json:"email"`
	CreatedAt       time.Time  `json:"created_at"`
	EmailVerifiedAt *time.Time `json:"email_verified_at,omitempty"`
	Organisations   []string   `json:"organisations"`
	// SortKey is the folded name (or surname) the hit was found by: with
	// the ID, where the next page goes on.
	SortKey string `json:"-"`
}

// PersonSearch is a search for people: an address (exact) or the
// beginning of a name or surname, a page at a time.
type PersonSearch struct {
	Query string
	// Cursor is the Next of the previous page ("" for the first).
	Cursor string
	Limit  int
}

// ByEmail reports whether the search is for an address.
func (s *PersonSearch) ByEmail() bool { return strings.Contains(s.Query, "@") }

// Validate trims the query and checks it: at least two characters (a
// single letter names too many people to be of use), at most 200.
func (s *PersonSearch) Validate() error {
	s.Query = strings.Join(strings.Fields(s.Query), " ")
	v := Validation{}
	switch n := utf8.RuneCountInString(s.Query); {
	case n == 0:
		v.Add("q", "Bitte geben Sie einen Namen oder eine E-Mail-Adresse ein.")
	case n < 2:
		v.Add("q", "Bitte geben Sie mindestens zwei Zeichen ein.")
	case n > 200:
		v.Add("q", "Bitte geben Sie höchstens 200 Zeichen ein.")
	}
	if s.Limit <= 0 || s.Limit > PersonSearchMax {
		s.Limit = PersonSearchMax
	}
	return v.Err()
}
