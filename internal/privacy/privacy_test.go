package privacy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/privacy"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	lilly  = "lilly@futurehausen.example"
	niklas = "niklas@futurehausen.example"
	thomas = "thomas@futurehausen.example"
	paula  = "pilot@kleinbach.example"
	admin  = "admin@lotse.example"
)

// story loads the demo with its story on a fresh database.
func story(t *testing.T, db *store.DB) *app.App {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	if err := demo.Story(ctx, db, storetest.BaseURL, demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	return app.New(db, storetest.BaseURL, nil)
}

func as(t testing.TB, db *store.DB, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		t.Fatalf("%s: %v", email, err)
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(ctx, &domain.Actor{Person: p, Memberships: ms})
}

func person(t testing.TB, db *store.DB, email string) *domain.Person {
	t.Helper()
	p, err := db.PersonByEmail(context.Background(), email)
	if err != nil {
		t.Fatalf("%s: %v", email, err)
	}
	return p
}

// emailPattern finds an e-mail address anywhere in a text.
var emailPattern = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)

// auditDetails reads every detail of the audit log.
func auditDetails(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.QueryContext(context.Background(), `SELECT id, action, detail FROM audit_log ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var action, detail string
			if err := rows.Scan(&id, &action, &detail); err != nil {
				return err
			}
			out[action+"#"+itoa(id)] = detail
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAuditLogKeepsNoEmailAddressesAfterTheDemoStory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		story(t, db)
		details := auditDetails(t, db)
		if len(details) < 20 {
			t.Fatalf("only %d audit entries after the demo story", len(details))
		}
		var names []string
		db.Read(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.QueryContext(context.Background(), `SELECT name FROM persons`)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var n string
				rows.Scan(&n)
				names = append(names, n)
			}
			return rows.Err()
		})
		if len(names) < 10 {
			t.Fatalf("only %d persons", len(names))
		}
		for k, d := range details {
			// The programme's payer is an organisation's invoice
			// mailbox, part of the programme's settings, not a person's.
			if strings.HasPrefix(k, "programme.") {
				d = emailPattern.ReplaceAllStringFunc(d, func(m string) string {
					if strings.HasPrefix(m, "rechnungen@") {
						return ""
					}
					return m
				})
			}
			if m := emailPattern.FindString(d); m != "" {
				t.Errorf("audit entry %s holds the address %q in its details: %s", k, m, d)
			}
			for _, n := range names {
				if strings.Contains(d, n) {
					t.Errorf("audit entry %s holds the name %q in its details: %s", k, n, d)
				}
			}
		}
	})
}

func TestExportHoldsEveryKindOfTheirData(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		ctx := as(t, db, lilly)
		me := person(t, db, lilly)
		var buf bytes.Buffer
		if err := a.Privacy.Export(ctx, me.ID, &buf); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			PersonID int64                       `json:"person_id"`
			Sections map[string][]map[string]any `json:"sections"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatalf("export is no JSON: %v\n%.500s", err, buf.String())
		}
		if doc.PersonID != me.ID {
			t.Errorf("person_id = %d, want %d", doc.PersonID, me.ID)
		}
		for _, s := range store.ExportSections {
			if _, ok := doc.Sections[s.Name]; !ok {
				t.Errorf("section %q missing", s.Name)
			}
		}
		for _, name := range []string{"profile", "memberships", "bookings", "certificates", "audit"} {
			if len(doc.Sections[name]) == 0 {
				t.Errorf("section %q is empty for Lilly", name)
			}
		}
		if got := doc.Sections["profile"][0]["email"]; got != lilly {
			t.Errorf("profile email = %v", got)
		}
		// Another person may not; an admin may, and it is audited.
		if err := a.Privacy.Export(as(t, db, niklas), me.ID, &bytes.Buffer{}); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("Niklas downloading Lilly's data: %v, want forbidden", err)
		}
		sum, err := a.Privacy.Summary(as(t, db, admin), me.ID, "html")
		if err != nil {
			t.Fatal(err)
		}
		if sum.Name != me.Name || len(sum.Sections) != len(store.ExportSections) {
			t.Errorf("summary for %q with %d sections", sum.Name, len(sum.Sections))
		}
		var exports int
		db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = 'person.export' AND object_id = $1`,
				itoa(me.ID)).Scan(&exports)
		})
		if exports != 2 {
			t.Errorf("%d export entries in the audit log, want 2", exports)
		}
	})
}

func TestDeletingAnAccountAnonymisesWhatStaysAndDeletesTheRest(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		ctx := as(t, db, lilly)
		me := person(t, db, lilly)
		certs, err := a.Certify.Mine(ctx)
		if err != nil || len(certs) == 0 {
			t.Fatalf("Lilly's certificates: %d, %v", len(certs), err)
		}
		if _, err := a.Privacy.DeleteSelf(ctx, "falsch", ""); domain.ErrorFields(err)["password"] == "" {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := a.Privacy.DeletePerson(as(t, db, niklas), me.ID); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("Niklas deleting Lilly: %v", err)
		}
		counts, err := a.Privacy.DeleteSelf(ctx, "", "")
		if domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("no password: %v", err)
		}
		counts, err = a.Privacy.DeleteSelf(ctx, demo.DefaultPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		if counts["persons"] != 1 || counts["memberships"] == 0 || counts["certificates"] == 0 {
			t.Errorf("counts %v", counts)
		}
		// The address no longer logs in or names anyone.
		if _, err := db.PersonByEmail(context.Background(), lilly); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("Lilly's address still finds an account: %v", err)
		}
		gone, err := db.PersonByID(context.Background(), me.ID)
		if err != nil || gone.Name != domain.DeletedPersonName || gone.PasswordHash != "" || strings.Contains(gone.Email, "lilly") {
			t.Errorf("after deletion: %+v, %v", gone, err)
		}
		// Her certificate still verifies, without her name.
		c, err := a.Certify.Certificate(context.Background(), certs[0].ID)
		if err != nil || c.Participant != "" || c.RevokedAt != nil || c.JWT != "" {
			t.Errorf("certificate after deletion: %+v, %v", c, err)
		}
		// Nothing about her is left under her name or address.
		var left int
		db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRowContext(context.Background(), `SELECT
				(SELECT count(*) FROM bookings WHERE participant_email = $1 OR participant_name = $2) +
				(SELECT count(*) FROM sessions WHERE person_id = $3) +
				(SELECT count(*) FROM memberships WHERE person_id = $3) +
				(SELECT count(*) FROM outbox WHERE to_addr = $1) +
				(SELECT count(*) FROM pilot_entries WHERE person_id = $3) +
				(SELECT count(*) FROM assessments WHERE person_id = $3)`, lilly, me.Name, me.ID).Scan(&left)
		})
		if left != 0 {
			t.Errorf("%d rows still hold Lilly's name, address or account", left)
		}
		// Deleted once; the audit log has the deletion by ID only.
		if _, err := a.Privacy.DeletePerson(as(t, db, admin), me.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("deleting again: %v", err)
		}
		for k, d := range auditDetails(t, db) {
			if strings.HasPrefix(k, "person.delete#") && (strings.Contains(d, "lilly") || strings.Contains(d, me.Name)) {
				t.Errorf("deletion entry %s: %s", k, d)
			}
		}
	})
}

func TestTheLastAdminsCannotDeleteThemselves(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		_, err := a.Privacy.DeleteSelf(as(t, db, admin), demo.DefaultPassword, "")
		if domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "letzte Person") {
			t.Errorf("the platform's only admin: %v", err)
		}
		_, err = a.Privacy.DeleteSelf(as(t, db, thomas), demo.DefaultPassword, "")
		if domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "Kontoverwaltung") {
			t.Errorf("the municipality's only account admin: %v", err)
		}
		if p := person(t, db, thomas); p.Name == domain.DeletedPersonName {
			t.Error("Thomas was deleted")
		}
	})
}

func TestEverySectionOfTheDownloadHasAGermanHeading(t *testing.T) {
	for _, s := range store.ExportSections {
		if privacy.SectionTitle(s.Name) == "" {
			t.Errorf("section %q has no heading", s.Name)
		}
	}
}

func TestConsentsToParticipantListsAreRecordedAndDownloaded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		ctx := as(t, db, niklas)
		var ids []int64
		db.Read(context.Background(), func(tx *store.Tx) error {
			rows, err := tx.QueryContext(context.Background(), `SELECT id FROM events WHERE status = 'published' AND starts_at > $1 ORDER BY id`, db.Now())
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				rows.Scan(&id)
				ids = append(ids, id)
			}
			return rows.Err()
		})
		var reg *domain.EventRegistration
		for _, id := range ids {
			if r, err := a.Events.Register(ctx, domain.EventRegistrationInput{EventID: id, ShowName: true}); err == nil {
				reg = r
				break
			}
		}
		if reg == nil {
			t.Fatalf("Niklas could register for none of %d events", len(ids))
		}
		if _, err := a.Events.CancelRegistration(ctx, reg.ID); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := a.Privacy.Export(ctx, person(t, db, niklas).ID, &buf); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Sections map[string][]map[string]any `json:"sections"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range doc.Sections["event_consents"] {
			if c["registration_id"] == float64(reg.ID) {
				got = append(got, c["event"].(string)+"/"+c["text_version"].(string))
			}
		}
		want := "given/" + domain.EventListConsentVersion + " withdrawn/" + domain.EventListConsentVersion
		if strings.Join(got, " ") != want {
			t.Errorf("consent record %v, want %s", got, want)
		}
	})
}

func TestTheDownloadIsCompleteAndTheSummaryBounded(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := app.New(db, storetest.BaseURL, nil)
		me := storetest.MustCreatePerson(t, db, "viele@example.org", "Vera Viel")
		ctx := context.Background()
		const n = 3000
		err := db.Transact(ctx, func(tx *store.Tx) error {
			for i := 0; i < n; i++ {
				if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (email, addr, at, success) VALUES ($1, '192.0.2.7', $2, $3)`,
					me.Email, db.Now(), i%2 == 0); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		actx := as(t, db, me.Email)
		var buf bytes.Buffer
		if err := a.Privacy.Export(actx, me.ID, &buf); err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Sections map[string][]map[string]any `json:"sections"`
		}
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		if got := len(doc.Sections["login_attempts"]); got != n {
			t.Errorf("the download holds %d of %d login attempts", got, n)
		}
		sum, err := a.Privacy.Summary(actx, me.ID, "html")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sum.Sections {
			if s.Name == "login_attempts" && (s.Total != n || len(s.Rows) != privacy.SummaryRows || s.More() != n-privacy.SummaryRows) {
				t.Errorf("summary of login attempts: %d rows of %d", len(s.Rows), s.Total)
			}
		}
		if b, err := sum.PDF(); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("PDF: %v", err)
		}
	})
}
