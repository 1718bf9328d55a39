package legal_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/legal"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

func newService(t *testing.T, db *store.DB, s legal.Settings) *legal.Service {
	t.Helper()
	svc, err := legal.New(db, notify.MustNew(storetest.BaseURL), s)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestDefaultsNameWhatIsMissingAndWhatLotseStores(t *testing.T) {
	svc := newService(t, nil, legal.Settings{})
	for _, p := range svc.Pages() {
		if p.Title == "" || len(p.Body) < 500 || p.Custom {
			t.Errorf("page %s: title %q, %d bytes, custom %v", p.Slug, p.Title, len(p.Body), p.Custom)
		}
	}
	imp, _ := svc.Page(legal.Impressum)
	for _, want := range []string{"[Bitte eintragen: Name des Betreibers", "[Bitte eintragen: Postanschrift", "LOTSE_OPERATOR_NAME"} {
		if !strings.Contains(string(imp.Body), want) {
			t.Errorf("imprint lacks %q", want)
		}
	}
	ds, _ := svc.Page(legal.Datenschutz)
	for _, want := range []string{"Argon2id", "lotse_session", "lotse_vergleich", "CSRF", "Protokoll", "Postausgang", "Buchung", "Zertifikat",
		"Mitgliedschaften", "Barriere", "Datenschutzbeauftragte"} {
		if !strings.Contains(string(ds.Body), want) {
			t.Errorf("privacy policy does not mention %q", want)
		}
	}
	ls, _ := svc.Page(legal.LeichteSprache)
	if strings.Contains(string(ls.Body), "z. B.") || strings.Contains(string(ls.Body), "usw.") {
		t.Error("Leichte Sprache page uses abbreviations")
	}
	if _, err := svc.Page("agb"); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("unknown page: %v", err)
	}
}

func TestOperatorDataFillsThePlaceholders(t *testing.T) {
	svc := newService(t, nil, legal.Settings{Operator: legal.Operator{Name: "Gemeindetag Musterland", Address: "Hauptstraße 1; 70000 Musterstadt",
		Email: "kontakt@gemeindetag.example", Phone: "0711 000", Representative: "Erika Muster, Geschäftsführerin", PrivacyContact: "Max Schutz"}})
	imp, _ := svc.Page(legal.Impressum)
	body := string(imp.Body)
	for _, want := range []string{"Gemeindetag Musterland", "Hauptstraße 1<br>70000 Musterstadt", "mailto:kontakt@gemeindetag.example", "Erika Muster"} {
		if !strings.Contains(body, want) {
			t.Errorf("imprint lacks %q", want)
		}
	}
	if strings.Contains(body, "Bitte eintragen") || strings.Contains(body, "Hinweis für den Betreiber") {
		t.Errorf("imprint still has placeholders:\n%s", body)
	}
}

func TestFilesInTheLegalFolderReplaceTheDefaults(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "impressum.html"), []byte(`<p class="kern-body">Stadt Musterhausen, Rathausplatz 1</p>`), 0o644)
	os.WriteFile(filepath.Join(dir, "datenschutz.md"), []byte("# Datenschutz\n\nWir speichern **wenig**.\n\n- Konto\n- Buchungen\n\n[Kontakt](mailto:ds@example.org) <script>alert(1)</script> [böse](javascript:alert(1))\n"), 0o644)
	svc := newService(t, nil, legal.Settings{Dir: dir})
	imp, _ := svc.Page(legal.Impressum)
	if !imp.Custom || string(imp.Body) != `<p class="kern-body">Stadt Musterhausen, Rathausplatz 1</p>` {
		t.Fatalf("imprint: %+v", imp)
	}
	ds, _ := svc.Page(legal.Datenschutz)
	body := string(ds.Body)
	for _, want := range []string{`<h2 class="kern-heading-medium">Datenschutz</h2>`, "<strong>wenig</strong>", "<li>Konto</li>",
		`<a class="kern-link" href="mailto:ds@example.org">Kontakt</a>`, "&lt;script&gt;"} {
		if !strings.Contains(body, want) {
			t.Errorf("markdown page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, `href="javascript:`) {
		t.Errorf("markdown lets script through:\n%s", body)
	}
	// Pages without a file keep the default.
	if bf, _ := svc.Page(legal.Barrierefreiheit); bf.Custom || !strings.Contains(string(bf.Body), "Durchsetzungsverfahren") {
		t.Errorf("accessibility statement: %+v", bf.Custom)
	}
	if _, err := legal.New(nil, notify.MustNew(storetest.BaseURL), legal.Settings{Dir: filepath.Join(dir, "fehlt")}); err == nil {
		t.Error("a missing folder was accepted")
	}
}

func TestBarrierReportIsStoredMailedAndValidated(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		storetest.Freeze(db) // the limit counts in fixed windows
		svc := newService(t, db, legal.Settings{Operator: legal.Operator{Email: "barrieren@betreiber.example"}})
		bad := &domain.BarrierReport{Email: "kein-at", Message: "  "}
		err := svc.ReportBarrier(ctx, bad, "192.0.2.1")
		storetest.WantCode(t, err, domain.EInvalid)
		if f := domain.ErrorFields(err); f["message"] == "" || f["email"] == "" {
			t.Fatalf("field messages: %v", f)
		}
		r := &domain.BarrierReport{PageURL: "https://lotse.example/angebote", Message: "Der Filter lässt sich nicht mit der Tastatur bedienen.\nBitte prüfen."}
		if err := svc.ReportBarrier(ctx, r, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		m := storetest.LastMail(t, db, "barrieren@betreiber.example")
		if !strings.HasPrefix(m.Subject, "Barriere gemeldet: Der Filter") || strings.Contains(m.Subject, "\n") ||
			!strings.Contains(m.Body, "https://lotse.example/angebote") || !strings.Contains(m.Body, "Name: nicht angegeben") {
			t.Fatalf("mail %q:\n%s", m.Subject, m.Body)
		}
		admin := storetest.MustCreatePerson(t, db, "admin@lotse.example", "Admin")
		if _, err := svc.BarrierReports(domain.WithActor(ctx, &domain.Actor{Person: admin}), 10); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a person without the admin role lists reports: %v", err)
		}
		rs, err := db.BarrierReports(ctx, 10)
		if err != nil || len(rs) != 1 || rs[0].Message != r.Message || rs[0].Email != "" {
			t.Fatalf("stored: %+v, %v", rs, err)
		}
		// Five reports an hour from one address.
		for i := 0; i < legal.ReportLimit-1; i++ {
			if err := svc.ReportBarrier(ctx, &domain.BarrierReport{Message: "noch eine"}, "192.0.2.1"); err != nil {
				t.Fatal(err)
			}
		}
		storetest.WantCode(t, svc.ReportBarrier(ctx, &domain.BarrierReport{Message: "zu viel"}, "192.0.2.1"), domain.ERateLimited)
		if err := svc.ReportBarrier(ctx, &domain.BarrierReport{Message: "andere Adresse"}, "192.0.2.2"); err != nil {
			t.Fatalf("another address is limited too: %v", err)
		}
	})
}

func TestWithoutOperatorAddressReportsAreOnlyStored(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		svc := newService(t, db, legal.Settings{})
		before := len(storetest.Mails(t, db))
		if err := svc.ReportBarrier(ctx, &domain.BarrierReport{Message: "Kontrast zu schwach"}, "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if n := len(storetest.Mails(t, db)); n != before {
			t.Fatalf("a mail went out without an operator address: %d", n-before)
		}
		rs, _ := db.BarrierReports(ctx, 10)
		if len(rs) != 1 {
			t.Fatalf("stored %d reports", len(rs))
		}
	})
}
