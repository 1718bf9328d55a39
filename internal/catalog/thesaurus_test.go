package catalog_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// publishQuokka publishes an offer about "Quokkaverwaltung" through svc.
func publishQuokka(t *testing.T, db *store.DB, svc *catalog.Service) {
	t.Helper()
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
	var all []string
	for _, c := range catalog.ReviewChecklist {
		all = append(all, c.Key)
	}
	if _, err := svc.Review(as(t, db, "admin@lotse.example"), created.ID, true, "", all); err != nil {
		t.Fatal(err)
	}
}

func findCount(t *testing.T, db *store.DB, svc *catalog.Service, text string) int {
	t.Helper()
	res, err := svc.Find(context.Background(), search.Query{Text: text, Page: 1, PageSize: 20, Now: db.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return res.Full
}

// TestThesaurusEntryIsUsedAtOnceAndByOtherInstances: an admin's entry
// makes a search find an offer by the new word on this instance right
// after adding it, on another instance after its reload (the search-terms
// job), and no longer after deleting it.
func TestThesaurusEntryIsUsedAtOnceAndByOtherInstances(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, "demo-passwort-1234"); err != nil {
			t.Fatal(err)
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		svc := catalog.New(db, storetest.BaseURL, log)
		other := catalog.New(db, storetest.BaseURL, log) // another instance on the same database
		publishQuokka(t, db, svc)
		if err := other.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		const word = "Wombatamt"
		if n := findCount(t, db, svc, word); n != 0 {
			t.Fatalf("%q finds %d offers before the entry", word, n)
		}
		if n := findCount(t, db, other, word); n != 0 {
			t.Fatalf("other instance: %q finds %d offers before the entry", word, n)
		}
		if n := findCount(t, db, svc, "Quokkaverwaltung"); n != 1 {
			t.Fatalf("the offer itself is found %d times", n)
		}

		admin := as(t, db, "admin@lotse.example")
		st, err := svc.AddThesaurusEntry(admin, "  Wombatamt   =>Quokkaverwaltung ")
		if err != nil {
			t.Fatal(err)
		}
		if st.ID == 0 || st.Line != "Wombatamt => Quokkaverwaltung" || st.CreatedByName != "Ada Admin" || st.CreatedAt.IsZero() {
			t.Errorf("added entry: %+v", st)
		}
		if n := findCount(t, db, svc, word); n != 1 {
			t.Errorf("%q finds %d offers right after adding the entry, want 1", word, n)
		}
		// One direction: the offer's own word does not find "Wombatamt"
		// offers (there are none), and it still finds the offer.
		if n := findCount(t, db, svc, "Quokkaverwaltung"); n != 1 {
			t.Errorf("the offer is found %d times after the entry", n)
		}
		// The other instance follows at its next reload.
		if err := other.ReloadThesaurus(ctx); err != nil {
			t.Fatal(err)
		}
		if n := findCount(t, db, other, word); n != 1 {
			t.Errorf("other instance: %q finds %d offers after its reload, want 1", word, n)
		}

		v, err := svc.Thesaurus(admin)
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Entries) != 1 || v.Entries[0].ID != st.ID || v.Entries[0].CreatedByName != "Ada Admin" {
			t.Errorf("entries: %+v", v.Entries)
		}
		if !slices.Contains(v.Shipped, "GemO, Gemeindeordnung") || !strings.Contains(v.Version, "+") {
			t.Errorf("shipped %d lines, version %q", len(v.Shipped), v.Version)
		}
		exp, err := svc.ThesaurusProbe(admin, "Zum WOMBATAMTE") // case and an ending: matched like a search
		if err != nil {
			t.Fatal(err)
		}
		if len(exp) != 1 || exp[0].Phrase != "wombatamte" || !slices.Equal(exp[0].To, []string{"Quokkaverwaltung"}) {
			t.Errorf("probe: %+v", exp)
		}
		entries, _, err := db.Audit(ctx, domain.AuditFilter{Action: "search.term.add", Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].ActorName != "Ada Admin" || !strings.Contains(entries[0].Detail, "Wombatamt") {
			t.Errorf("audit of the addition: %+v %v", entries, err)
		}

		if err := svc.DeleteThesaurusEntry(admin, st.ID); err != nil {
			t.Fatal(err)
		}
		if n := findCount(t, db, svc, word); n != 0 {
			t.Errorf("%q finds %d offers after deleting the entry", word, n)
		}
		if err := other.ReloadThesaurus(ctx); err != nil {
			t.Fatal(err)
		}
		if n := findCount(t, db, other, word); n != 0 {
			t.Errorf("other instance: %q finds %d offers after the deletion and its reload", word, n)
		}
		if err := svc.DeleteThesaurusEntry(admin, st.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("deleting it twice: %v", err)
		}
		entries, _, err = db.Audit(ctx, domain.AuditFilter{Action: "search.term.delete", Limit: 10})
		if err != nil || len(entries) != 1 {
			t.Errorf("audit of the deletion: %+v %v", entries, err)
		}
	})
}

// TestThesaurusEntryRules: only admins change the thesaurus; a bad line
// is refused with a German message for the field; a line that says what
// an entry or a shipped one says is refused.
func TestThesaurusEntryRules(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, db, "demo-passwort-1234"); err != nil {
			t.Fatal(err)
		}
		svc := catalog.New(db, storetest.BaseURL, nil)
		admin := as(t, db, "admin@lotse.example")
		staff := as(t, db, "kurse@vwa-bw.example")

		if _, err := svc.AddThesaurusEntry(staff, "Wombat, Quokka"); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("provider staff adds an entry: %v", err)
		}
		if _, err := svc.AddThesaurusEntry(ctx, "Wombat, Quokka"); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Errorf("anonymous adds an entry: %v", err)
		}
		if _, err := svc.Thesaurus(staff); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("provider staff reads the entries: %v", err)
		}

		for _, tc := range []struct{ line, want string }{
			{"", "Bitte geben Sie Begriffe ein"},
			{"Wombat", "mindestens zwei Begriffe"},
			{"Wombat => ", "Vor und nach „=>“"},
			{"A => B => C", "nur einmal"},
			{"Wombat, und", "Füllwörtern"},
		} {
			_, err := svc.AddThesaurusEntry(admin, tc.line)
			if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorFields(err)["line"], tc.want) {
				t.Errorf("%q: %v (fields %v), want a message with %q", tc.line, err, domain.ErrorFields(err), tc.want)
			}
		}

		st, err := svc.AddThesaurusEntry(admin, "Wombat, Quokka, Beuteltier")
		if err != nil {
			t.Fatal(err)
		}
		for _, dup := range []string{"wombat,quokka,beuteltier", "Beuteltier, Quokka, Wombat", "Beuteltier, QUOKKA, Wombats"} {
			_, err := svc.AddThesaurusEntry(admin, dup)
			if domain.ErrorCode(err) != domain.EConflict || domain.ErrorFields(err)["line"] != "Diesen Eintrag gibt es schon." {
				t.Errorf("duplicate %q: %v", dup, err)
			}
		}
		// The same terms in one direction say something else.
		if _, err := svc.AddThesaurusEntry(admin, "Wombat => Quokka, Beuteltier"); err != nil {
			t.Errorf("a one-way entry over the same terms: %v", err)
		}
		if _, err := svc.AddThesaurusEntry(admin, "gemeindeordnung, GEMO"); domain.ErrorCode(err) != domain.EConflict ||
			!strings.Contains(domain.ErrorMessage(err), "mitgelieferte") {
			t.Errorf("a shipped entry again: %v", err)
		}
		if err := svc.DeleteThesaurusEntry(staff, st.ID); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("provider staff deletes an entry: %v", err)
		}
		if err := svc.DeleteThesaurusEntry(admin, 999999); domain.ErrorCode(err) != domain.ENotFound ||
			domain.ErrorMessage(err) != domain.ErrSearchTermNotFound.Message {
			t.Errorf("deleting an unknown entry: %v", err)
		}
		v, err := svc.Thesaurus(admin)
		if err != nil || len(v.Entries) != 2 {
			t.Fatalf("entries after the refusals: %+v %v", v, err)
		}
	})
}
