package store_test

import (
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestMigration00006KeepsVouchersAndCancelsDuplicates runs migration 00006
// on a database with data: on SQLite it rebuilds the vouchers table that
// bookings and the ledger refer to, and it cancels the later of two active
// bookings of one person in one session that the missing rule let in.
func TestMigration00006KeepsVouchersAndCancelsDuplicates(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, vs := bookingFixture(t, db, 10, 1)
		b, err := book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann", ParticipantEmail: "niklas@futurehausen.example",
			Payment: domain.PayVoucher, Voucher: vs[0].Code})
		if err != nil {
			t.Fatal(err)
		}
		raw, gd := openRaw(t, db)
		p, err := goose.NewProvider(gd, raw, os.DirFS("migrations/"+string(db.Dialect)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 5); err != nil {
			t.Fatalf("down to 5: %v", err)
		}
		// A duplicate of the booking, as the old code allowed.
		if _, err := raw.ExecContext(ctx, `INSERT INTO bookings (session_id, person_id, participant_name, participant_email, payment,
			voucher_code, employer_id, status, created_by, idempotency_key, created_at, updated_at)
			SELECT session_id, person_id, participant_name, participant_email, 'private', NULL, employer_id, 'confirmed', created_by, NULL,
			created_at, updated_at FROM bookings WHERE id = $1`, b.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatalf("up again: %v", err)
		}
		raw.Close()
		v, err := db.Voucher(ctx, codeOf(vs[0].Code))
		if err != nil || v.State != domain.VoucherReserved {
			t.Fatalf("voucher after the migration: %+v, %v", v, err)
		}
		ledger, err := db.VoucherEvents(ctx, codeOf(vs[0].Code))
		if err != nil || len(ledger) != 2 {
			t.Fatalf("ledger after the migration: %+v, %v", ledger, err)
		}
		bs, err := db.SessionBookings(ctx, s.ID)
		if err != nil || len(bs) != 2 || bs[0].Status != domain.BookingConfirmed || bs[1].Status != domain.BookingCancelled {
			t.Fatalf("bookings after the migration: %+v, %v", bs, err)
		}
		if bs[0].VoucherCode != vs[0].Code {
			t.Fatalf("the earlier booking lost its voucher: %+v", bs[0])
		}
	})
}

// openRaw opens a second plain connection pool on db's database.
func openRaw(t *testing.T, db *store.DB) (*sql.DB, goose.Dialect) {
	t.Helper()
	dsn := db.DSN()
	if db.Dialect == store.Postgres {
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		return raw, goose.DialectPostgres
	}
	raw, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	raw.SetMaxOpenConns(1)
	return raw, goose.DialectSQLite3
}
