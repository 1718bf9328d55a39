// Package fundingtest helps tests that need applications and vouchers: the
// demo's people as actors and the funding service on a test database. It
// is imported by tests only.
package fundingtest

import (
	"context"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// Demo people.
const (
	Lilly    = "lilly@futurehausen.example"     // signatory of Futurehausen
	Reviewer = "pruefung@staedtetag-bw.example" // Petra, reviewer of the Städtetag
)

// Service is the funding service on db.
func Service(db *store.DB) *funding.Service {
	return funding.New(db, notify.MustNew(storetest.BaseURL))
}

// As returns a context acting as the person with the address, with their
// memberships.
func As(t testing.TB, db *store.DB, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(ctx, &domain.Actor{Person: p, Memberships: ms})
}

// Fixture loads the demo data and returns a context acting as Lilly,
// Futurehausen's organisation and the first provider of the programme.
func Fixture(t testing.TB, db *store.DB) (context.Context, *domain.Organisation, int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, "ein-demo-passwort"); err != nil {
		t.Fatal(err)
	}
	org, err := db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Programme(ctx, programmes.BWID)
	if err != nil {
		t.Fatal(err)
	}
	return As(t, db, Lilly), org, p.ProviderIDs[0]
}

// Draft starts a complete base-track draft for people persons.
func Draft(t testing.TB, ctx context.Context, db *store.DB, org *domain.Organisation, provider int64, people int) *domain.Application {
	t.Helper()
	prog, track, yes := programmes.BWID, domain.TrackBasis, true
	a, err := Service(db).CreateApplication(ctx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track, ProviderID: &provider,
		People: &people, Declarations: &yes})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// NoDocuments renders nothing, for approvals whose documents a test does
// not look at.
func NoDocuments(*domain.ApprovalData) ([]domain.GeneratedFile, error) { return nil, nil }

// Approve approves an application as the Städtetag's reviewer, without
// rendering documents.
func Approve(t testing.TB, db *store.DB, id int64) (*domain.Application, error) {
	t.Helper()
	return Service(db).WithRenderer(NoDocuments).ApproveApplication(As(t, db, Reviewer), id)
}
