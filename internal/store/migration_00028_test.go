package store_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestMigration00028StripsAddressesAndNamesFromTheAuditLog runs migration
// 00028 over audit entries written the old way: the e-mail address of a
// new account and of an invitation, the old and new name and the new
// address of a change go; everything else stays, and the log is
// append-only again afterwards.
func TestMigration00028StripsAddressesAndNamesFromTheAuditLog(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		raw, gd := openRaw(t, db)
		defer raw.Close()
		p, err := goose.NewProvider(gd, raw, os.DirFS("migrations/"+string(db.Dialect)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.DownTo(ctx, 27); err != nil {
			t.Fatalf("down to 27: %v", err)
		}
		for _, e := range []struct{ action, detail string }{
			{"person.create", `{"email":"alt@example.org"}`},
			{"invitation.create", `{"email":"neu@example.org","roles":["hr"]}`},
			{"person.update_name", `{"from":"Alte Name","to":"Neuer Name"}`},
			{"person.request_email_change", `{"to":"neu@example.org"}`},
			{"offer.create", `{"title":"bleibt"}`},
		} {
			if _, err := raw.ExecContext(ctx, `INSERT INTO audit_log (at, action, object_type, object_id, detail) VALUES (CURRENT_TIMESTAMP, $1, 'person', '1', $2)`,
				e.action, e.detail); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := p.Up(ctx); err != nil {
			t.Fatalf("up again: %v", err)
		}
		rows, err := raw.QueryContext(ctx, `SELECT action, detail FROM audit_log ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for rows.Next() {
			var a, d string
			rows.Scan(&a, &d)
			got[a] = strings.ReplaceAll(d, " ", "")
		}
		rows.Close()
		want := map[string]string{"person.create": `{}`, "invitation.create": `{"roles":["hr"]}`, "person.update_name": `{}`,
			"person.request_email_change": `{}`, "offer.create": `{"title":"bleibt"}`}
		for a, w := range want {
			if got[a] != w {
				t.Errorf("%s after the migration: %s, want %s", a, got[a], w)
			}
		}
		if _, err := raw.ExecContext(ctx, `UPDATE audit_log SET detail = '' WHERE action = 'offer.create'`); err == nil {
			t.Error("the audit log can be changed after the migration")
		}
	})
}
