package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// rawConn opens a second, plain database/sql connection to the database at
// dsn, past the store's API, to try what the store never does.
func rawConn(t *testing.T, d store.Dialect, dsn string) *sql.DB {
	t.Helper()
	var raw *sql.DB
	var err error
	if d == store.SQLite {
		raw, err = sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?_pragma=busy_timeout(10000)")
	} else {
		raw, err = sql.Open("pgx", dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			dsn := storetest.DSN(t, d)
			db, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			mustCreatePerson(t, db, "anna@kommune.de", "Anna")
			raw := rawConn(t, d, dsn)

			if _, err := raw.ExecContext(ctx, `UPDATE audit_log SET action = 'verfälscht'`); err == nil {
				t.Error("UPDATE on audit_log succeeded")
			}
			if _, err := raw.ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
				t.Error("DELETE on audit_log succeeded")
			}
			if _, err := raw.ExecContext(ctx, `INSERT INTO audit_log (at, action, object_type, object_id) VALUES ($1, 'test.append', 'test', '1')`,
				db.Now()); err != nil {
				t.Errorf("appending failed: %v", err)
			}
			entries, total, err := db.Audit(ctx, domain.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if total != 2 || len(entries) != 2 || entries[0].Action != "test.append" || entries[1].Action != "person.create" {
				t.Errorf("audit log after the attempts: %+v", entries)
			}
		})
	}
}

func TestAuditRecordsActorOrganisationAndDetail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInviteFixture(t, db)
		other := mustCreateOrg(t, db, domain.OrgProvider, "Akademie Nord", "")
		inv := &domain.Invitation{OrgID: f.org.ID, Email: "neu@stuttgart.de", Roles: []domain.Role{domain.RoleHR}, InvitedBy: f.admin.ID}
		if err := db.Transact(f.ctx, func(tx *store.Tx) error {
			if _, err := tx.CreateInvitation(f.ctx, inv); err != nil {
				return err
			}
			return tx.Audit(f.ctx, f.org.ID, "invitation.create", "invitation", inv.ID, map[string]any{"email": inv.Email, "roles": inv.Roles})
		}); err != nil {
			t.Fatal(err)
		}

		entries, total, err := db.Audit(context.Background(), domain.AuditFilter{OrgID: f.org.ID})
		if err != nil {
			t.Fatal(err)
		}
		// organisation.create, membership.set_roles, invitation.create; newest first.
		if total != 3 || len(entries) != 3 {
			t.Fatalf("%d entries (total %d) for the organisation: %+v", len(entries), total, entries)
		}
		e := entries[0]
		if e.Action != "invitation.create" || e.ActorID != f.admin.ID || e.ActorName != "Clara Chefin" || e.OrgID != f.org.ID ||
			e.ObjectType != "invitation" || e.ObjectID != idString(inv.ID) || e.At.IsZero() {
			t.Errorf("entry %+v", e)
		}
		var detail struct {
			Email string        `json:"email"`
			Roles []domain.Role `json:"roles"`
		}
		if err := json.Unmarshal([]byte(e.Detail), &detail); err != nil || detail.Email != "neu@stuttgart.de" || len(detail.Roles) != 1 {
			t.Errorf("detail %q (%v)", e.Detail, err)
		}
		if entries[2].Action != "organisation.create" || entries[2].ActorID != 0 {
			t.Errorf("oldest entry %+v, want organisation.create without actor", entries[2])
		}

		byAction, total, err := db.Audit(context.Background(), domain.AuditFilter{Action: "organisation.create"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 2 || byAction[0].ObjectID != idString(other.ID) {
			t.Errorf("organisation.create entries (total %d): %+v", total, byAction)
		}
		page, total, err := db.Audit(context.Background(), domain.AuditFilter{OrgID: f.org.ID, Limit: 1, Offset: 1})
		if err != nil {
			t.Fatal(err)
		}
		if total != 3 || len(page) != 1 || page[0].ID != entries[1].ID {
			t.Errorf("second page %+v (total %d), want entry %d", page, total, entries[1].ID)
		}
	})
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func TestFailedChangeLeavesNoAuditEntryAndNoMail(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		f := newInviteFixture(t, db)
		_, before, err := db.Audit(context.Background(), domain.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.CreatePerson(context.Background(), &domain.Person{Email: f.admin.Email, Name: "Doppelt"}, testPassword), domain.EConflict)
		wantCode(t, db.SetRoles(f.ctx, f.org.ID, f.admin.ID, []domain.Role{domain.RoleHR}), domain.EConflict)
		_, after, err := db.Audit(context.Background(), domain.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("audit log grew from %d to %d entries through refused changes", before, after)
		}
		if n := len(mails(t, db)); n != 0 {
			t.Errorf("%d mails", n)
		}
	})
}

func TestOutboxDeliversPendingMailsOldestFirstAndGivesUpAfterTenAttempts(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		anna := mustCreatePerson(t, db, "anna@kommune.de", "Anna")
		bernd := mustCreatePerson(t, db, "bernd@kommune.de", "Bernd")
		for _, p := range []*domain.Person{anna, bernd} {
			if err := db.Transact(ctx, func(tx *store.Tx) error { return tx.EnqueueMail(ctx, p.Email, "Betreff", "Text") }); err != nil {
				t.Fatal(err)
			}
		}
		pending, err := db.PendingMails(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 2 || pending[0].To != "anna@kommune.de" || pending[1].To != "bernd@kommune.de" {
			t.Fatalf("pending %+v", pending)
		}
		if err := db.MarkMail(ctx, pending[0].ID, nil); err != nil {
			t.Fatal(err)
		}
		long := strings.Repeat("x", 600)
		for range 10 {
			if err := db.MarkMail(ctx, pending[1].ID, errors.New(long)); err != nil {
				t.Fatal(err)
			}
		}
		if rest, err := db.PendingMails(ctx, 10); err != nil || len(rest) != 0 {
			t.Errorf("pending after delivery and ten failures: %+v (%v)", rest, err)
		}
		all := mails(t, db)
		if len(all) != 2 || all[0].SentAt == nil || all[0].Attempts != 1 || all[0].LastError != "" {
			t.Errorf("delivered mail %+v", all[0])
		}
		if all[1].SentAt != nil || all[1].Attempts != 10 || len(all[1].LastError) != 500 {
			t.Errorf("failed mail: sent %v, %d attempts, error of %d bytes", all[1].SentAt, all[1].Attempts, len(all[1].LastError))
		}
	})
}
