package certify_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/credentials"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// actor returns a context acting as the person with the address, with
// extra memberships.
func actor(t *testing.T, db *store.DB, email string, extra ...domain.Membership) context.Context {
	t.Helper()
	ctx := fundingtest.As(t, db, email)
	a := *domain.ActorFrom(ctx)
	a.Memberships = append(a.Memberships, extra...)
	return domain.WithActor(ctx, &a)
}

func staffOf(provider int64) domain.Membership {
	return domain.Membership{OrgID: provider, OrgKind: domain.OrgProvider, Roles: []domain.Role{domain.RoleProviderStaff}}
}

// completed books a place of the demo's first published session for
// Niklas and records him present on every day; it returns the services,
// the provider and the certificate.
func completed(t *testing.T, db *store.DB) (*app.App, int64, *domain.Certificate) {
	t.Helper()
	if _, err := demo.Load(context.Background(), db, "ein-demo-passwort"); err != nil {
		t.Fatal(err)
	}
	a := app.New(db, storetest.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
	offers, _, err := db.Offers(context.Background(), store.OfferFilter{Status: domain.OfferPublished, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var o *domain.Offer
	for i := range offers {
		if len(offers[i].Sessions) > 0 && len(offers[i].Competences) > 0 {
			o = &offers[i]
			break
		}
	}
	if o == nil {
		t.Fatal("no published offer with a session in the demo data")
	}
	ses := o.Sessions[0]
	niklas := actor(t, db, "niklas@futurehausen.example")
	p := domain.ActorFrom(niklas).Person
	b, err := bookingtest.Book(niklas, db, domain.BookingInput{SessionID: ses.ID, PersonID: p.ID, ParticipantName: p.Name, ParticipantEmail: p.Email,
		Payment: domain.PayPrivate})
	if err != nil {
		t.Fatal(err)
	}
	realNow := db.Now
	db.Now = func() time.Time { return ses.EndsAt.Add(time.Hour) }
	defer func() { db.Now = realNow }()
	staff := actor(t, db, "lilly@futurehausen.example", staffOf(o.ProviderID))
	if b, err = a.Booking.RecordAttendance(staff, b.ID, nil, domain.AttendPresent); err != nil || b.Status != domain.BookingCompleted {
		t.Fatalf("completion: %+v, %v", b, err)
	}
	certs, err := a.Certify.BookingCertificates(niklas, b.ID)
	if err != nil || len(certs) != 1 {
		t.Fatalf("certificates: %v %v", certs, err)
	}
	return a, o.ProviderID, &certs[0]
}

func TestCompletionIssuesAVerifiableCertificate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a, _, c := completed(t, db)
		ctx := context.Background()
		c, err := a.Certify.Certificate(ctx, c.ID)
		if err != nil || c.Participant != "Niklas Neumann" || len(c.Competences) == 0 || c.RevokedAt != nil {
			t.Fatalf("certificate %+v, %v", c, err)
		}
		jwks, err := a.Certify.JWKS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		claims, err := credentials.Verify(c.JWT, jwks)
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		if !strings.Contains(strings.ToLower(strings.Join(strings.Fields(toString(claims)), " ")), strings.ToLower(c.ID)) {
			t.Errorf("the credential does not name the certificate %s", c.ID)
		}
		// After a key rotation the old credential still verifies, and new
		// ones are signed with the new key.
		kid, err := a.Certify.RotateKey(ctx)
		if err != nil || kid == c.KeyID {
			t.Fatalf("rotate: %q, %v", kid, err)
		}
		jwks, _ = a.Certify.JWKS(ctx)
		if _, err := credentials.Verify(c.JWT, jwks); err != nil {
			t.Fatalf("verify after rotation: %v", err)
		}
		keys, _ := db.SigningKeys(ctx)
		inUse := 0
		for _, k := range keys {
			if k.Retired == nil {
				inUse++
				if k.ID != kid {
					t.Errorf("key %s in use, want %s", k.ID, kid)
				}
			}
		}
		if len(keys) != 2 || inUse != 1 {
			t.Fatalf("%d keys, %d in use after rotation; want 2 and 1", len(keys), inUse)
		}
	})
}

func toString(m map[string]any) string {
	var b strings.Builder
	for k, v := range m {
		b.WriteString(k)
		b.WriteString(" ")
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		case map[string]any:
			b.WriteString(toString(v))
		}
		b.WriteString(" ")
	}
	return b.String()
}

// TestTheIssuingProviderOrAdminsRevoke: the staff of the provider that
// issued a certificate and platform admins revoke it, with a reason; the
// participant, other providers and anonymous callers cannot.
func TestTheIssuingProviderOrAdminsRevoke(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a, provider, c := completed(t, db)
		cases := []struct {
			name string
			ctx  context.Context
			code string
		}{
			{"anonymous", context.Background(), domain.EUnauthorized},
			{"participant", actor(t, db, "niklas@futurehausen.example"), domain.EForbidden},
			{"another provider", actor(t, db, "lilly@futurehausen.example", staffOf(provider+1000)), domain.EForbidden},
			{"issuing provider without reason", actor(t, db, "lilly@futurehausen.example", staffOf(provider)), domain.EInvalid},
		}
		for _, tc := range cases {
			reason := "Teilnahme irrtümlich bestätigt"
			if tc.code == domain.EInvalid {
				reason = "  "
			}
			if _, err := a.Certify.Revoke(tc.ctx, c.ID, reason); domain.ErrorCode(err) != tc.code {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
			}
		}
		admin := actor(t, db, "lilly@futurehausen.example", domain.Membership{OrgID: 1, OrgKind: domain.OrgPlatform, Roles: []domain.Role{domain.RoleAdmin}})
		got, err := a.Certify.Revoke(admin, c.ID, "Teilnahme irrtümlich bestätigt")
		if err != nil || got.RevokedAt == nil || got.RevokeReason != "Teilnahme irrtümlich bestätigt" {
			t.Fatalf("revocation by an admin: %+v, %v", got, err)
		}
		if _, err := a.Certify.Revoke(admin, c.ID, "noch einmal"); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("second revocation: %v", err)
		}
		staff := actor(t, db, "lilly@futurehausen.example", staffOf(provider))
		if _, err := a.Certify.Revoke(staff, "c0ffee00-0000-4000-8000-000000000000", "x"); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("unknown certificate: %v", err)
		}
		if _, _, err := a.Certify.PDF(actor(t, db, "anna@futurehausen.example"), c.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("someone else's PDF: %v", err)
		}
		if _, pdf, err := a.Certify.PDF(actor(t, db, "niklas@futurehausen.example"), c.ID); err != nil || !strings.HasPrefix(string(pdf), "%PDF-") {
			t.Fatalf("own PDF: %v", err)
		}
	})
}
