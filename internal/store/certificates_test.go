package store_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// services returns the platform's services on db, for tests that need a
// completed booking or a revoked certificate: completion signs, and store
// does no signing.
func services(db *store.DB) *app.App {
	return app.New(db, storetest.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// asStaffOf adds the staff role of the booking's provider to the actor of
// ctx.
func asStaffOf(t testing.TB, ctx context.Context, db *store.DB, bookingID int64) context.Context {
	t.Helper()
	b, err := db.Booking(ctx, bookingID)
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.Offer(ctx, b.OfferID)
	if err != nil {
		t.Fatal(err)
	}
	a := *domain.ActorFrom(ctx)
	a.Memberships = append(append([]domain.Membership{}, a.Memberships...),
		domain.Membership{OrgID: o.ProviderID, OrgKind: domain.OrgProvider, PersonID: a.PersonID(), Roles: []domain.Role{domain.RoleProviderStaff}})
	return domain.WithActor(context.Background(), &a)
}

// completeAttendance records the booking's participant present on every
// day, which completes the booking and issues its certificate.
func completeAttendance(t testing.TB, ctx context.Context, db *store.DB, bookingID int64) {
	t.Helper()
	b, err := services(db).Booking.RecordAttendance(asStaffOf(t, ctx, db, bookingID), bookingID, nil, domain.AttendPresent)
	if err != nil || b.Status != domain.BookingCompleted {
		t.Fatalf("complete booking %d: %+v, %v", bookingID, b, err)
	}
}

// revokeCertificate revokes a certificate as staff of its provider.
func revokeCertificate(t testing.TB, ctx context.Context, db *store.DB, id, reason string) error {
	t.Helper()
	c, err := db.Certificate(ctx, id)
	if err != nil {
		return err
	}
	_, err = services(db).Certify.Revoke(asStaffOf(t, ctx, db, c.BookingID), id, reason)
	return err
}

// TestCertificateRows: the rows of certificates and signing keys as store
// keeps them, on both databases.
func TestCertificateRows(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, _ := bookingFixture(t, db, 10, 0)
		b, err := book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
			Payment: domain.PayPrivate})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Certificate(ctx, "kein-zertifikat"); err != domain.ErrCertificateNotFound {
			t.Fatalf("malformed ID: %v", err)
		}
		if _, err := db.Certificate(ctx, "c0ffee00-0000-4000-8000-000000000000"); err != domain.ErrCertificateNotFound {
			t.Fatalf("unknown ID: %v", err)
		}
		seed := make([]byte, 32)
		c := &domain.Certificate{ID: "0b5e55ed-0000-4000-8000-000000000001", BookingID: b.ID, OfferID: s.OfferID, Participant: b.ParticipantName,
			ParticipantEmail: b.ParticipantEmail, KeyID: "lotse-test-1", JWT: "x.y.z"}
		err = db.Transact(ctx, func(tx *store.Tx) error {
			if _, err := tx.CurrentSigningKey(ctx); err != domain.ErrNotFound {
				t.Errorf("current key of an empty table: %v", err)
			}
			if err := tx.InsertSigningKey(ctx, store.SigningKey{ID: "lotse-test-1", Seed: seed, Created: tx.Now()}); err != nil {
				return err
			}
			o, err := db.Offer(ctx, s.OfferID)
			if err != nil {
				return err
			}
			c.ProviderID, c.Issued = o.ProviderID, tx.Now()
			return tx.InsertCertificate(ctx, c)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Certificate(ctx, c.ID)
		if err != nil || got.JWT != "x.y.z" || got.Days != 3 || len(got.Competences) == 0 || got.RevokedAt != nil {
			t.Fatalf("certificate %+v, %v", got, err)
		}
		if cs, err := db.BookingCertificates(ctx, b.ID); err != nil || len(cs) != 1 || cs[0].ID != c.ID {
			t.Fatalf("booking certificates %+v, %v", cs, err)
		}
		for i, want := range []bool{true, false} {
			err = db.Transact(ctx, func(tx *store.Tx) error {
				ok, err := tx.RevokeCertificate(ctx, c.ID, "Test")
				if ok != want {
					t.Errorf("revocation %d: %v, want %v", i+1, ok, want)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		err = db.Transact(ctx, func(tx *store.Tx) error {
			if err := tx.RetireSigningKeys(ctx); err != nil {
				return err
			}
			return tx.InsertSigningKey(ctx, store.SigningKey{ID: "lotse-test-2", Seed: seed, Created: tx.Now().Add(time.Second)})
		})
		if err != nil {
			t.Fatal(err)
		}
		keys, err := db.SigningKeys(ctx)
		if err != nil || len(keys) != 2 || keys[0].Retired == nil || keys[1].Retired != nil || len(keys[1].Seed) != 32 {
			t.Fatalf("keys %+v, %v", keys, err)
		}
	})
}
