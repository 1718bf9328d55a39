package web

import (
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// pathExamples are the example data of the learning path pages.
func pathExamples(base Page, now time.Time) map[string]any {
	p := programmes.Digitallotse(2)
	p.ID, p.OwnerName = 1, "Städtetag Baden-Württemberg"
	cert := "0d7b7c1e-2f4a-4d1b-9a51-3f8a2c6b1e90"
	bs := []domain.PathBooking{
		{BookingID: 1, OfferID: 3, Offer: "Basisqualifizierung", Status: domain.BookingCompleted, CertificateID: cert, Start: now,
			Competences: []domain.OfferCompetence{{Code: "STRAT.1", Level: 1}}, FundingTracks: []string{p.Steps[0].Track}},
		{BookingID: 2, OfferID: 4, Offer: "KI in der Verwaltung", Status: domain.BookingConfirmed, Start: now,
			Competences: []domain.OfferCompetence{{Code: "KI.1", Level: 2}}, FundingTracks: []string{p.Steps[1].Track}},
	}
	pp := p.Progress(bs, nil)
	ses := &domain.Session{ID: 9, OfferID: 5, StartsAt: now, EndsAt: now, Days: 2}
	joined := PathViewExample(p, pp, now)
	joined.Recommended = map[int][]matching.PathOffer{2: {{ID: 5, Title: "Informationssicherheit", ProviderName: "VWA", PriceCents: 20000, Days: 2, NextSession: ses}}}
	done := p.Progress(bs, map[int]time.Time{3: now})
	complete := PathViewExample(p, done, now)
	complete.Certificate = &domain.PathCertificate{ID: cert, PathID: 1}
	other := *p
	other.ID, other.Status, other.OwnerName = 2, domain.PathDraft, ""
	pc := pathCertificateView{ID: cert, Participant: "Niklas Neumann", Path: p.Title, PathID: 1, Owner: p.OwnerName, Issued: now, KeyID: "k1",
		Steps:     []domain.PathCertificateStep{{Title: "Basisqualifizierung", CertificateIDs: []string{cert}, Offers: []string{"Basis"}}, {Title: "Vernetzungstreffen", EventAt: &now}},
		VerifyURL: "https://lotse.example/verify/lernpfad/" + cert, CredentialURL: "https://lotse.example/api/v1/path-certificates/" + cert + "/credential"}
	revoked := pc
	revoked.Revoked, revoked.RevokedAt, revoked.RevokeReason = true, &now, "Irrtum"
	return map[string]any{
		"paths": &pathsPage{Page: base, CanEdit: true, Paths: []matching.PathView{*joined, {Path: &other, Progress: other.Progress(nil, nil), CanEdit: true}}},
		"path":  &pathPage{Page: base, V: complete},
		"path_form": &pathFormPage{Page: base, ID: 1, Platform: true, Owners: []domain.Organisation{{ID: 2, Name: "Städtetag Baden-Württemberg"}},
			In: pathFormInput{Title: p.Title, Status: p.Status, Owner: 2, Rows: withSpareRows(rowsOf(p.Steps))}, Kinds: stepKindOptions,
			Tracks: []trackOption{{p.Steps[0].Track, "Basisqualifizierung"}}},
		"path_members": &pathMembersPage{Page: base, P: p, Events: []int{3}, Members: []matching.PathMember{
			{PathMember: domain.PathMember{PathID: 1, PersonID: 7, Name: "Niklas Neumann", JoinedAt: now}, Progress: pp},
			{PathMember: domain.PathMember{PathID: 1, PersonID: 8, Name: "Lilly Lotse", JoinedAt: now, CompletedAt: &now}, Progress: done}}},
		"verify_path_certificate": &verifyPathCertPage{Page: base, C: revoked},
	}
}

// PathViewExample is a followed path for the examples.
func PathViewExample(p *domain.Path, pp *domain.PathProgress, now time.Time) *matching.PathView {
	return &matching.PathView{Path: p, Joined: true, JoinedAt: &now, Progress: pp, CanEdit: true, CanConfirm: true}
}
