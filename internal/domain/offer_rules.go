package domain

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// Errors of the catalog.
var (
	ErrOfferNotFound = &Error{Code: ENotFound, Message: "Dieses Angebot gibt es nicht."}
	ErrOfferCode     = &Error{Code: EConflict, Message: "Diese Kursnummer verwenden Sie schon für ein anderes Angebot.",
		Fields: map[string]string{"code": "Diese Kursnummer verwenden Sie schon für ein anderes Angebot."}}
	ErrOfferCodeBulk = &Error{Code: EConflict,
		Message: "Eine der Kursnummern verwendet der Bildungsträger schon für ein anderes Angebot."}
	ErrOfferArchived   = &Error{Code: EConflict, Message: "Ein archiviertes Angebot lässt sich nicht mehr ändern."}
	ErrOfferFixedOwner = &Error{Code: EBadRequest, Message: "Bildungsträger und ID eines Angebots lassen sich nicht ändern."}
	ErrReviewComment   = &Error{Code: EInvalid, Message: "Bitte schreiben Sie dem Bildungsträger, was er ändern soll.",
		Fields: map[string]string{"comment": "Bitte schreiben Sie dem Bildungsträger, was er ändern soll."}}
	ErrSessionPlace = &Error{Code: EInvalid, Message: "Bitte prüfen Sie den Ort.",
		Fields: map[string]string{"ags": "Diesen Gemeindeschlüssel gibt es im Gemeindeverzeichnis nicht."}}
	ErrOfferProviderOnly = &Error{Code: EForbidden,
		Message: "Angebote legen Mitarbeitende eines Bildungsträgers für ihren eigenen Bildungsträger an."}
	ErrOfferProviderChoice = &Error{Code: EInvalid, Message: "Bitte geben Sie den Bildungsträger an (Feld „provider“).",
		Fields: map[string]string{"provider": "Bitte geben Sie den Bildungsträger an."}}
	ErrOfferManageOnly   = &Error{Code: EForbidden, Message: "Nur Mitarbeitende des Bildungsträgers können sein Angebot ändern."}
	ErrSessionManageOnly = &Error{Code: EForbidden, Message: "Nur Mitarbeitende des Bildungsträgers können Termine anlegen."}
	ErrImportManageOnly  = &Error{Code: EForbidden, Message: "Nur Mitarbeitende des Bildungsträgers können seine Angebote einspielen."}
	ErrProviderPageOnly  = &Error{Code: EForbidden, Message: "Diese Seite ist für Mitarbeitende von Bildungsträgern."}
	ErrFeedEmpty         = &Error{Code: EInvalid, Message: "Der Feed enthält keine Kurse."}
	ErrFeedChoice        = &Error{Code: EInvalid, Message: "Bitte wählen Sie eine Datei oder geben Sie die Adresse des Feeds an."}
)

// ErrOfferNotInReview says that an offer cannot be reviewed in its state.
func ErrOfferNotInReview(status string) error {
	return Errorf(EConflict, "Das Angebot ist nicht in der Qualitätsprüfung (Status: %s).", OfferLabel(status))
}

// ErrReviewChecklist lists the checklist items an admin did not confirm,
// by their labels.
func ErrReviewChecklist(missing []string) error {
	return &Error{Code: EInvalid, Message: "Bitte bestätigen Sie alle Punkte der Prüfliste. Offen: " + strings.Join(missing, "; ") + ".",
		Fields: map[string]string{"checklist": "Bitte bestätigen Sie alle Punkte der Prüfliste."}}
}

// ErrFeedPage says that a feed page does not exist.
func ErrFeedPage(pages int) error {
	return Errorf(ENotFound, "Diese Seite des Feeds gibt es nicht; er hat %d Seiten.", pages)
}

// UpdatedStatus is the state of an offer after its provider changed it from
// old to o: a material change, or a change to a returned offer or a draft,
// sends it to the quality review; other changes keep the state. An archived
// offer cannot change.
func UpdatedStatus(old, o *Offer) (status string, material bool, err error) {
	from := OfferStatus(old.Status)
	if from == OfferArchived {
		return "", false, ErrOfferArchived
	}
	material = MaterialChange(old, o)
	status = old.Status
	if material || from == OfferReturned || from == OfferDraft {
		status = OfferInReview
	}
	if !from.CanTransition(OfferStatus(status)) {
		return "", false, ErrOfferArchived
	}
	return status, material, nil
}

// ImportedStatus is the state of an offer a provider's feed creates or
// updates: the quality review, or a draft while it lacks what the review
// needs. An existing archived offer cannot be changed by a feed.
func ImportedStatus(old *Offer, o *Offer) (string, error) {
	to := OfferInReview
	if o.Incomplete() {
		to = OfferDraft
	}
	if old != nil && !OfferStatus(old.Status).CanTransition(OfferStatus(to)) {
		return "", ErrOfferArchived
	}
	return to, nil
}

// MergeImported keeps what a provider set on an existing offer and a feed
// does not carry: competences, modules, funding, days, outcomes and the
// cancellation rule.
func MergeImported(o, existing *Offer) {
	if len(o.Competences) == 0 {
		o.Competences = existing.Competences
	}
	o.ModuleIDs = existing.ModuleIDs
	if len(o.FundingTracks) == 0 {
		o.FundingTracks = existing.FundingTracks
	}
	if o.Days == 0 {
		o.Days = existing.Days
	}
	if len(o.Outcomes) == 0 {
		o.Outcomes = existing.Outcomes
	}
	if o.CancellationRule == "" {
		o.CancellationRule = existing.CancellationRule
	}
}

// BulkError names the offer of a bulk insert an error belongs to, with its
// field messages, since a bulk caller has no form to show them next to.
func BulkError(i int, o *Offer, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	msgs := make([]string, 0, len(e.Fields))
	for _, m := range e.Fields {
		msgs = append(msgs, m)
	}
	slices.Sort(msgs)
	msg := e.Message
	if len(msgs) > 0 {
		msg = strings.Join(msgs, " ")
	}
	return &Error{Code: e.Code, Fields: e.Fields, Err: err,
		Message: fmt.Sprintf("Angebot %d („%s“, Kursnummer %s): %s", i+1, o.Title, o.Code, msg)}
}

// ErrBulkDuplicateCode says that a bulk insert names a course code twice.
var ErrBulkDuplicateCode = &Error{Code: EInvalid, Message: "Bitte prüfen Sie Ihre Eingaben.",
	Fields: map[string]string{"code": "Diese Kursnummer kommt in den Angeboten mehrfach vor."}}

// OfferRefs is what the database knows of the things offers refer to; the
// store fills it, CheckRefs judges an offer by it.
type OfferRefs struct {
	// Competences maps the framework's codes to their names.
	Competences map[string]string
	// Programmes maps programme IDs to programmes; nil for unknown IDs.
	Programmes map[string]*Programme
	// ModuleProviders maps offer IDs to their provider; 0 for unknown offers.
	ModuleProviders map[int64]int64
	// Providers says whether an organisation ID is a provider (bulk only).
	Providers map[int64]bool
	// Places says whether an AGS is a municipality (bulk only).
	Places map[string]bool
}

// CheckRefs validates what an offer refers to and fills in competence
// names: competences of the framework, each once; funding tracks of
// programmes that fund the provider; modules that are other offers of the
// same provider. With Providers and Places set it also checks the provider
// and the places of the sessions.
func (o *Offer) CheckRefs(r *OfferRefs) error {
	v := Validation{}
	slices.Sort(o.FundingTracks)
	o.FundingTracks = slices.Compact(o.FundingTracks)
	seen := map[string]bool{}
	for i := range o.Competences {
		c := &o.Competences[i]
		name, ok := r.Competences[c.Code]
		if !ok {
			v.Add("competences", fmt.Sprintf("Die Kompetenz „%s“ gibt es im Kompetenzrahmen nicht.", c.Code))
		} else if seen[c.Code] {
			v.Add("competences", "Jede Kompetenz darf nur einmal vorkommen.")
		}
		c.Name, seen[c.Code] = name, true
	}
	if r.Providers != nil && !r.Providers[o.ProviderID] {
		v.Add("provider", "Den Bildungsträger gibt es nicht.")
	}
	for _, ft := range o.FundingTracks {
		prog, track, ok := strings.Cut(ft, "/")
		p := r.Programmes[prog]
		switch {
		case !ok || p == nil:
			v.Add("funding_tracks", fmt.Sprintf("„%s“ ist keine Förderung eines Programms (Form: programm/qualifizierung).", ft))
		case !hasTrack(p, track):
			v.Add("funding_tracks", fmt.Sprintf("Das Programm „%s“ hat keine Qualifizierung „%s“.", p.Name, track))
		case !p.FundsProvider(o.ProviderID):
			v.Add("funding_tracks", fmt.Sprintf("Das Programm „%s“ fördert diesen Bildungsträger nicht.", p.Name))
		}
	}
	if r.Places != nil {
		for _, s := range o.Sessions {
			if s.AGS != "" && !r.Places[s.AGS] {
				v.Add("ags", fmt.Sprintf("Den Gemeindeschlüssel %s gibt es im Gemeindeverzeichnis nicht.", s.AGS))
			}
		}
	}
	for j, m := range o.ModuleIDs {
		if prov := r.ModuleProviders[m]; prov == 0 || prov != o.ProviderID || m == o.ID || slices.Index(o.ModuleIDs, m) != j {
			v.Add("modules", "Module müssen eigene, andere Angebote desselben Bildungsträgers sein.")
		}
	}
	return v.Err()
}

func hasTrack(p *Programme, key string) bool {
	_, ok := p.Track(key)
	return ok
}

// truncateRunes shortens s to n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
