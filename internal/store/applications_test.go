package store_test

import (
	"context"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// The funding use cases and their tests live in package funding; the
// booking tests here need applications and vouchers, so they reach them
// through the service like the platform does.

// fundingFixture loads the demo data and returns a context acting as Lilly
// (signatory of Futurehausen), Futurehausen's organisation and the first
// provider of the programme.
func fundingFixture(t testing.TB, db *store.DB) (context.Context, *domain.Organisation, int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, "ein-demo-passwort"); err != nil {
		t.Fatal(err)
	}
	lilly, err := db.PersonByEmail(ctx, "lilly@futurehausen.example")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := db.CreateSession(ctx, lilly.ID)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := db.SessionActor(ctx, token)
	if err != nil {
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
	return domain.WithActor(ctx, a), org, p.ProviderIDs[0]
}

// fund is the funding service on db.
func fund(db *store.DB) *funding.Service { return funding.New(db, notify.MustNew(db.BaseURL)) }

func draft(t testing.TB, ctx context.Context, db *store.DB, org *domain.Organisation, provider int64, people int) *domain.Application {
	t.Helper()
	prog, track, yes := programmes.BWID, domain.TrackBasis, true
	a, err := fund(db).CreateApplication(ctx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track, ProviderID: &provider,
		People: &people, Declarations: &yes})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// approve approves an application as the Städtetag's reviewer, without
// rendering documents.
func approve(t testing.TB, db *store.DB, id int64) (*domain.Application, error) {
	t.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, "pruefung@staedtetag-bw.example")
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return fund(db).WithRenderer(func(*domain.ApprovalData) ([]domain.GeneratedFile, error) { return nil, nil }).
		ApproveApplication(domain.WithActor(ctx, &domain.Actor{Person: p, Memberships: ms}), id)
}
