package catalog_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

func as(t *testing.T, db *store.DB, email string) context.Context {
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

// TestPublishedOfferIsFoundAtOnce: the service refreshes its own index
// after a committed change, so the instance that published an offer finds
// it in the next search (the version check alone waits up to a second).
func TestPublishedOfferIsFoundAtOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		if _, err := demo.Load(context.Background(), db, "demo-passwort-1234"); err != nil {
			t.Fatal(err)
		}
		svc := catalog.New(db, "https://lotse.example", slog.New(slog.NewTextHandler(io.Discard, nil)))
		find := func() int {
			res, err := svc.Find(context.Background(), search.Query{Text: "Quokkaverwaltung", Filters: map[string][]string{}, Page: 1, PageSize: 20,
				Now: db.Now()})
			if err != nil {
				t.Fatal(err)
			}
			return res.Total
		}
		if n := find(); n != 0 {
			t.Fatalf("found %d before", n)
		}
		staff := as(t, db, "kurse@vwa-bw.example")
		pid, err := svc.ProviderFor(staff, 0)
		if err != nil {
			t.Fatal(err)
		}
		o := &domain.Offer{ProviderID: pid, Code: "QUOKKA-1", Title: "Quokkaverwaltung für Einsteiger",
			Summary:     "Wie eine Verwaltung ihre Quokkas digital erfasst und betreut.",
			Description: strings.Repeat("Erfassung, Betreuung und Auswertung im digitalen Verfahren. ", 2),
			Outcomes:    []string{"Quokkas digital erfassen"}, Competences: []domain.OfferCompetence{{Code: "EGOV.1", Level: 1}},
			Level: domain.LevelBasic, Format: domain.FormatSelfPaced, Language: "de", Hours: 4, Certificate: domain.CertParticipation}
		created, err := svc.Create(staff, o)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Review(staff, created.ID, true, "", nil); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("provider reviews own offer: %v", err)
		}
		admin := as(t, db, "admin@lotse.example")
		if _, err := svc.Review(admin, created.ID, true, "", []string{"content"}); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("publish without the checklist: %v", err)
		}
		var all []string
		for _, c := range catalog.ReviewChecklist {
			all = append(all, c.Key)
		}
		pub, err := svc.Review(admin, created.ID, true, "", all)
		if err != nil || pub.Status != domain.OfferPublished {
			t.Fatalf("publish: %+v %v", pub, err)
		}
		if n := find(); n != 1 {
			t.Fatalf("published offer found %d times right after publishing", n)
		}
		// A material change takes it out of the catalog at once.
		pub.PriceCents = 1000
		upd, err := svc.Update(staff, pub)
		if err != nil || upd.Status != domain.OfferInReview {
			t.Fatalf("material change: %+v %v", upd, err)
		}
		if n := find(); n != 0 {
			t.Fatalf("offer in review found %d times", n)
		}
	})
}
