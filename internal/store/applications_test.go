package store_test

import (
	"context"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
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
	return fundingtest.Fixture(t, db)
}

// fund is the funding service on db.
func fund(db *store.DB) *funding.Service { return fundingtest.Service(db) }

func draft(t testing.TB, ctx context.Context, db *store.DB, org *domain.Organisation, provider int64, people int) *domain.Application {
	t.Helper()
	return fundingtest.Draft(t, ctx, db, org, provider, people)
}

// approve approves an application as the Städtetag's reviewer, without
// rendering documents.
func approve(t testing.TB, db *store.DB, id int64) (*domain.Application, error) {
	t.Helper()
	return fundingtest.Approve(t, db, id)
}
