package domain

import "slices"

// BatchOutcome is what a batch action (publishing several offers,
// assigning competences to several drafts) did to one offer.
type BatchOutcome struct {
	ID    int64  `json:"id"`
	Title string `json:"title"`
	// Done says whether the action was applied to this offer.
	Done bool `json:"done"`
	// Status is the offer's status afterwards.
	Status string `json:"status"`
	// Reason says why the action was not applied, or what the offer still
	// lacks for the quality review.
	Reason string `json:"reason,omitempty"`
}

// MaxBatch is the largest number of offers of one batch action.
const MaxBatch = 200

// Errors of batch actions on offers.
var (
	ErrBatchEmpty = &Error{Code: EInvalid, Message: "Bitte wählen Sie mindestens ein Angebot aus.",
		Fields: map[string]string{"ids": "Bitte wählen Sie mindestens ein Angebot aus."}}
	ErrBatchTooLarge    = Errorf(EInvalid, "Bitte wählen Sie höchstens %d Angebote auf einmal.", MaxBatch)
	ErrBatchCompetences = &Error{Code: EInvalid, Message: "Bitte wählen Sie 1 bis 10 Kompetenzen, jede mit der Zielstufe 1, 2 oder 3.",
		Fields: map[string]string{"competences": "Bitte wählen Sie 1 bis 10 Kompetenzen, jede mit der Zielstufe 1, 2 oder 3."}}
)

// BatchIDs checks the offers of a batch: at least one, at most MaxBatch;
// repeats are dropped, the order kept.
func BatchIDs(ids []int64) ([]int64, error) {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	switch {
	case len(out) == 0:
		return nil, ErrBatchEmpty
	case len(out) > MaxBatch:
		return nil, ErrBatchTooLarge
	}
	return out, nil
}

// AddCompetences adds competences to an offer's; a competence it already
// has takes the new target level. It fails when the offer would have more
// than ten.
func (o *Offer) AddCompetences(cs []OfferCompetence) error {
	for _, c := range cs {
		if i := slices.IndexFunc(o.Competences, func(x OfferCompetence) bool { return x.Code == c.Code }); i >= 0 {
			o.Competences[i].Level = c.Level
		} else {
			o.Competences = append(o.Competences, OfferCompetence{Code: c.Code, Name: c.Name, Level: c.Level})
		}
	}
	if len(o.Competences) > 10 {
		return Errorf(EInvalid, "Das Angebot hätte dann %d Kompetenzen; erlaubt sind höchstens 10.", len(o.Competences))
	}
	return nil
}
