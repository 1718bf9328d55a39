package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// BarrierReport is a message from the feedback form of the accessibility
// statement ("Barriere melden"): what does not work, and where. Name and
// address are optional; the message is not.
type BarrierReport struct {
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	Name      string    `json:"name,omitempty"`
	Email     string    `json:"email,omitempty"`
	PageURL   string    `json:"page_url,omitempty"`
	Message   string    `json:"message"`
}

// Validate trims the report's fields and checks them.
func (r *BarrierReport) Validate() error {
	r.Name = strings.TrimSpace(r.Name)
	r.Email = NormalizeEmail(r.Email)
	r.PageURL = strings.TrimSpace(r.PageURL)
	r.Message = strings.TrimSpace(r.Message)
	v := Validation{}
	if utf8.RuneCountInString(r.Name) > 200 {
		v.Add("name", "Der Name darf höchstens 200 Zeichen lang sein.")
	}
	if r.Email != "" && !ValidEmail(r.Email) {
		v.Add("email", "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kommune.de, oder lassen Sie das Feld leer.")
	}
	if utf8.RuneCountInString(r.PageURL) > 1000 {
		v.Add("page_url", "Die Adresse der Seite darf höchstens 1.000 Zeichen lang sein.")
	}
	switch n := utf8.RuneCountInString(r.Message); {
	case n == 0:
		v.Add("message", "Bitte beschreiben Sie die Barriere.")
	case n > 5000:
		v.Add("message", "Die Beschreibung darf höchstens 5.000 Zeichen lang sein.")
	}
	return v.Err()
}
