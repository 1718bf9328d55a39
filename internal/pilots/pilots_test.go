package pilots_test

import (
	"context"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	lilly  = "lilly@futurehausen.example"
	paula  = "pilot@kleinbach.example"
	niklas = "niklas@futurehausen.example"
	thomas = "thomas@futurehausen.example"
	karl   = "kurse@verwaltungsschule-bw.example"
	petra  = "pruefung@staedtetag-bw.example"
)

// story loads the demo with its story: Lilly and Paula are listed with a
// published brief each; Thomas holds a base certificate without an entry;
// Niklas holds none.
func story(t *testing.T, db *store.DB) *app.App {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	if err := demo.Story(ctx, db, "https://lotse.example", demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	return app.New(db, "https://lotse.example", nil)
}

func as(t testing.TB, db *store.DB, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	if email == "" {
		return ctx
	}
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

func orgID(t *testing.T, db *store.DB, ags string) int64 {
	t.Helper()
	o, err := db.OrganisationByAGS(context.Background(), ags)
	if err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func names(pg *domain.PilotPage) string {
	var out []string
	for _, e := range pg.Items {
		out = append(out, e.Name)
	}
	return strings.Join(out, ", ")
}

func valid(org int64) domain.PilotEntryInput {
	return domain.PilotEntryInput{OrgID: org, Topics: []string{"PM.1"}, Help: "Projektplanung", Contact: domain.ContactForm, Consent: true}
}

func TestEntryNeedsConsentAndTheBaseCertificate(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		fh := orgID(t, db, demo.FuturehausenAGS)
		in := valid(fh)
		in.Consent = false
		_, err := a.Pilots.SaveMyEntry(as(t, db, thomas), in)
		if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorFields(err)["consent"], "Einwilligung") {
			t.Fatalf("without consent: %v (fields %v), want a German message at consent", err, domain.ErrorFields(err))
		}
		_, err = a.Pilots.SaveMyEntry(as(t, db, niklas), valid(fh))
		if domain.ErrorCode(err) != domain.EForbidden || !strings.Contains(domain.ErrorMessage(err), "Basisqualifizierung") {
			t.Fatalf("Niklas without base certificate: %v", err)
		}
		st, err := a.Pilots.MyStanding(as(t, db, niklas))
		if err != nil || st.HasBase || st.Entry != nil {
			t.Fatalf("Niklas' standing: %+v, %v", st, err)
		}
		// Another organisation than one's own municipality is refused.
		in = valid(orgID(t, db, "08999002"))
		if _, err := a.Pilots.SaveMyEntry(as(t, db, thomas), in); domain.ErrorFields(err)["organisation"] == "" {
			t.Fatalf("foreign municipality: %v", err)
		}
		e, err := a.Pilots.SaveMyEntry(as(t, db, thomas), valid(fh))
		if err != nil {
			t.Fatal(err)
		}
		if e.OrgName != "Stadt Futurehausen" || e.District != "08999" || e.Name != "Thomas Tüchtig" {
			t.Errorf("entry %+v", e)
		}
		cs, err := db.PilotConsents(context.Background(), e.PersonID)
		if err != nil || len(cs) != 1 || cs[0].Event != "given" || cs[0].At.IsZero() {
			t.Errorf("consent record %+v, %v", cs, err)
		}
		// Demo: Paula's base qualification counts.
		if ok, err := a.Pilots.HasBaseQualification(context.Background(), domain.ActorFrom(as(t, db, paula)).PersonID()); !ok || err != nil {
			t.Errorf("Paula has no base qualification: %v", err)
		}
	})
}

func TestDirectoryIsForMembersOfMunicipalitiesAndAssociations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		if _, err := a.Pilots.Search(as(t, db, ""), domain.PilotFilter{}); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Errorf("anonymous: %v", err)
		}
		if _, err := a.Pilots.Search(as(t, db, karl), domain.PilotFilter{}); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("provider staff: %v", err)
		}
		for _, who := range []string{niklas, petra} {
			pg, err := a.Pilots.Search(as(t, db, who), domain.PilotFilter{})
			if err != nil || names(pg) != "Lilly Lotse, Paula Pionier" {
				t.Errorf("%s sees %q, %v", who, names(pg), err)
			}
		}
		// The contact preference decides what is shown.
		pg, _ := a.Pilots.Search(as(t, db, niklas), domain.PilotFilter{})
		for _, e := range pg.Items {
			if (e.Name == "Paula Pionier") != (e.Email != "") || e.Phone != "" {
				t.Errorf("%s shows e-mail %q, phone %q", e.Name, e.Email, e.Phone)
			}
		}
		if _, err := a.Pilots.Entry(as(t, db, karl), pg.Items[0].ID); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("provider staff opens an entry: %v", err)
		}
	})
}

func TestSearchByTopicDistrictAndWordsWithPaging(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		ctx := as(t, db, niklas)
		for _, c := range []struct {
			f    domain.PilotFilter
			want string
		}{
			{domain.PilotFilter{Topic: "EGOV"}, "Lilly Lotse, Paula Pionier"},
			{domain.PilotFilter{Topic: "PROZ.2"}, "Lilly Lotse"},
			{domain.PilotFilter{Topic: "PROZ"}, "Lilly Lotse"},
			{domain.PilotFilter{Topic: "online-terminvergabe"}, "Paula Pionier"},
			{domain.PilotFilter{Topic: "KI"}, ""},
			{domain.PilotFilter{District: "08999"}, "Lilly Lotse, Paula Pionier"},
			{domain.PilotFilter{District: "08111"}, ""},
			{domain.PilotFilter{Q: "Bauakte"}, "Lilly Lotse"},
			{domain.PilotFilter{Q: "kleinbach termine"}, "Paula Pionier"},
			{domain.PilotFilter{Q: "100%_"}, ""},
			{domain.PilotFilter{Q: "Agiles", Topic: "EGOV", District: "08999"}, "Paula Pionier"},
		} {
			pg, err := a.Pilots.Search(ctx, c.f)
			if err != nil || names(pg) != c.want {
				t.Errorf("%+v: got %q, %v; want %q", c.f, names(pg), err, c.want)
			}
		}
		_, err := a.Pilots.Search(ctx, domain.PilotFilter{District: "08"})
		if domain.ErrorFields(err)["district"] == "" {
			t.Errorf("a bad district: %v", err)
		}
		if _, err := a.Pilots.Search(ctx, domain.PilotFilter{Cursor: "!!"}); domain.ErrorCode(err) != domain.EBadRequest {
			t.Errorf("a bad cursor: %v", err)
		}
		first, err := a.Pilots.Search(ctx, domain.PilotFilter{Limit: 1})
		if err != nil || names(first) != "Lilly Lotse" || first.Next == "" {
			t.Fatalf("first page %q next %q, %v", names(first), first.Next, err)
		}
		second, err := a.Pilots.Search(ctx, domain.PilotFilter{Limit: 1, Cursor: first.Next})
		if err != nil || names(second) != "Paula Pionier" || second.Next != "" {
			t.Errorf("second page %q next %q, %v", names(second), second.Next, err)
		}
		_, counts, err := a.Pilots.DistrictCounts(ctx)
		found := false
		for _, d := range counts {
			if d.District == "08999" {
				found = d.Count == 2 && d.Name == "Zukunftstal"
			}
		}
		if err != nil || !found || len(counts) < 44 {
			t.Errorf("district counts: %d districts, Zukunftstal found %v, %v", len(counts), found, err)
		}
	})
}

func TestHideAndDeleteTheEntry(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		lc, nc := as(t, db, lilly), as(t, db, niklas)
		mine, err := a.Pilots.MyEntry(lc)
		if err != nil {
			t.Fatal(err)
		}
		// The kept counts of the map (migration 00034) follow hiding,
		// showing and deleting.
		inDistrict := func() int { t.Helper(); return districtCount(t, a, nc, mine.District) }
		before := inDistrict()
		if before < 1 {
			t.Fatalf("Lilly's district counts %d entries", before)
		}
		in := domain.PilotEntryInput{OrgID: mine.OrgID, Topics: mine.Topics, Tags: mine.Tags, Help: mine.Help, Contact: domain.ContactPhone,
			Phone: "07123 45678-0", Hidden: true, Consent: true}
		if _, err := a.Pilots.SaveMyEntry(lc, in); err != nil {
			t.Fatal(err)
		}
		if n := inDistrict(); n != before-1 {
			t.Errorf("hidden: the district counts %d, want %d", n, before-1)
		}
		if pg, _ := a.Pilots.Search(nc, domain.PilotFilter{}); names(pg) != "Paula Pionier" {
			t.Errorf("hidden entry listed: %q", names(pg))
		}
		if _, err := a.Pilots.Entry(nc, mine.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("others open the hidden entry: %v", err)
		}
		if e, err := a.Pilots.Entry(lc, mine.ID); err != nil || e.Phone != "07123 45678-0" {
			t.Errorf("the owner's hidden entry: %+v, %v", e, err)
		}
		in.Hidden = false
		if _, err := a.Pilots.SaveMyEntry(lc, in); err != nil {
			t.Fatal(err)
		}
		if n := inDistrict(); n != before {
			t.Errorf("shown again: the district counts %d, want %d", n, before)
		}
		briefs, _ := a.Pilots.Briefs(nc, domain.BriefFilter{})
		if len(briefs.Items) != 2 {
			t.Fatalf("briefs before the deletion: %d", len(briefs.Items))
		}
		if err := a.Pilots.DeleteMyEntry(lc); err != nil {
			t.Fatal(err)
		}
		if n := inDistrict(); n != before-1 {
			t.Errorf("deleted: the district counts %d, want %d", n, before-1)
		}
		if pg, _ := a.Pilots.Search(nc, domain.PilotFilter{}); names(pg) != "Paula Pionier" {
			t.Errorf("deleted entry listed: %q", names(pg))
		}
		if _, err := a.Pilots.MyEntry(lc); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("my entry after deletion: %v", err)
		}
		cs, err := db.PilotConsents(context.Background(), mine.PersonID)
		if err != nil || len(cs) != 1 || cs[0].Event != "withdrawn" {
			t.Errorf("consent record after deletion: %+v, %v", cs, err)
		}
		briefs, _ = a.Pilots.Briefs(nc, domain.BriefFilter{})
		if len(briefs.Items) != 1 || briefs.Items[0].AuthorName != "Paula Pionier" {
			t.Errorf("briefs after the deletion: %+v", briefs.Items)
		}
		own, _ := a.Pilots.Briefs(lc, domain.BriefFilter{Mine: true})
		if len(own.Items) != 1 || own.Items[0].Status != domain.BriefDraft {
			t.Errorf("Lilly's brief after the deletion: %+v", own.Items)
		}
		if err := a.Pilots.DeleteMyEntry(lc); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("deleting twice: %v", err)
		}
	})
}

func TestProjectBriefsBelongToTheirAuthor(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		lc, pc, nc, tc := as(t, db, lilly), as(t, db, paula), as(t, db, niklas), as(t, db, thomas)
		s := func(v string) *string { return &v }
		pub, draft := domain.BriefPublished, domain.BriefDraft
		// Niklas has no entry: a draft is fine, publishing is not.
		b, err := a.Pilots.CreateBrief(nc, domain.ProjectBriefInput{Title: s("Ratsinformationssystem"), What: s("Sitzungen digital")})
		if err != nil || b.Status != domain.BriefDraft {
			t.Fatalf("draft: %+v, %v", b, err)
		}
		_, err = a.Pilots.UpdateBrief(nc, b.ID, domain.ProjectBriefInput{How: s("Schritt für Schritt"), Effort: s("Zwei Monate"), Status: &pub})
		if domain.ErrorCode(err) != domain.EConflict || domain.ErrorFields(err)["status"] == "" {
			t.Errorf("publishing without entry: %v", err)
		}
		if _, err := a.Pilots.Brief(lc, b.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("others read a draft: %v", err)
		}
		_, err = a.Pilots.CreateBrief(lc, domain.ProjectBriefInput{Title: s(""), What: s("x"), Status: &pub, Topics: &[]string{"XX"}})
		if f := domain.ErrorFields(err); f["title"] == "" || f["how"] == "" || f["effort"] == "" || f["topics"] == "" {
			t.Errorf("validation: %v %v", err, f)
		}
		// Only the author changes and deletes.
		list, _ := a.Pilots.Briefs(pc, domain.BriefFilter{Topic: "EGOV"})
		var lillys int64
		for _, it := range list.Items {
			if it.AuthorName == "Lilly Lotse" {
				lillys = it.ID
			}
		}
		if lillys == 0 || len(list.Items) != 2 {
			t.Fatalf("briefs by topic: %+v", list.Items)
		}
		if _, err := a.Pilots.UpdateBrief(pc, lillys, domain.ProjectBriefInput{Title: s("Übernommen")}); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("Paula changes Lilly's brief: %v", err)
		}
		if err := a.Pilots.DeleteBrief(tc, lillys); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("Thomas deletes Lilly's brief: %v", err)
		}
		got, err := a.Pilots.UpdateBrief(lc, lillys, domain.ProjectBriefInput{Title: s("Digitale Bauakte in Futurehausen"), Status: &draft})
		if err != nil || got.Title != "Digitale Bauakte in Futurehausen" || got.What == "" || got.DiscussionURL != "" {
			t.Fatalf("Lilly's update: %+v, %v", got, err)
		}
		if list, _ := a.Pilots.Briefs(pc, domain.BriefFilter{Q: "bauakte"}); len(list.Items) != 0 {
			t.Errorf("a draft is listed: %+v", list.Items)
		}
		if err := a.Pilots.DeleteBrief(lc, lillys); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Pilots.Brief(lc, lillys); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("deleted brief: %v", err)
		}
	})
}

func TestContactFormMailsThePilotWithinTheLimit(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		nc := as(t, db, niklas)
		lillyEntry, _ := a.Pilots.MyEntry(as(t, db, lilly))
		paulaEntry, _ := a.Pilots.MyEntry(as(t, db, paula))
		if err := a.Pilots.Contact(nc, paulaEntry.ID, domain.PilotContact{Message: "Hallo"}); domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("Paula wants e-mail, not the form: %v", err)
		}
		if err := a.Pilots.Contact(nc, lillyEntry.ID, domain.PilotContact{Message: " "}); domain.ErrorFields(err)["message"] == "" {
			t.Errorf("empty message: %v", err)
		}
		if err := a.Pilots.Contact(nc, lillyEntry.ID, domain.PilotContact{Message: "Wie habt ihr die Bauakte angebunden?"}); err != nil {
			t.Fatal(err)
		}
		if err := a.Pilots.Contact(nc, lillyEntry.ID, domain.PilotContact{Message: "Meine Adresse für die Antwort", ShareEmail: true}); err != nil {
			t.Fatal(err)
		}
		mails, err := db.Outbox(context.Background(), 0, 200, 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []domain.Mail
		for _, m := range mails {
			if strings.Contains(m.Subject, "Verzeichnis der Digitallotsen") {
				got = append(got, m)
			}
		}
		if len(got) != 2 {
			t.Fatalf("%d contact mails", len(got))
		}
		for _, m := range got {
			shared := strings.Contains(m.Body, "Meine Adresse")
			if m.To != lilly || strings.Contains(m.Body, niklas) != shared || !strings.Contains(m.Body, "Niklas Neumann") {
				t.Errorf("mail to %s:\n%s", m.To, m.Body)
			}
		}
		var last error
		for range 4 {
			last = a.Pilots.Contact(nc, lillyEntry.ID, domain.PilotContact{Message: "Noch eine Frage"})
		}
		if domain.ErrorCode(last) != domain.ERateLimited {
			t.Errorf("the sixth message in an hour: %v", last)
		}
	})
}

// TestDistrictCountsSeenByEveryInstance: each instance keeps the district
// counts in memory while their version holds (migration 00037); a change
// made through one instance is seen by another on its next view.
func TestDistrictCountsSeenByEveryInstance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := story(t, db)
		ctx := context.Background()
		db2, err := store.Open(ctx, db.DSN()) // the second instance's own connections
		if err != nil {
			t.Fatal(err)
		}
		defer db2.Close()
		b := app.New(db2, "https://lotse.example", nil)
		lc, nc := as(t, db, lilly), as(t, db, niklas)
		mine, err := a.Pilots.MyEntry(lc)
		if err != nil {
			t.Fatal(err)
		}
		count := func(on *app.App) int { t.Helper(); return districtCount(t, on, nc, mine.District) }
		before := count(b)
		if before < 1 || count(a) != before || count(b) != before {
			t.Fatalf("Lilly's district counts %d entries", before)
		}
		v1, err := db.PilotDistrictCountsVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		in := domain.PilotEntryInput{OrgID: mine.OrgID, Topics: mine.Topics, Tags: mine.Tags, Help: mine.Help, Contact: domain.ContactPhone,
			Phone: "07123 45678-0", Hidden: true, Consent: true}
		if _, err := a.Pilots.SaveMyEntry(lc, in); err != nil {
			t.Fatal(err)
		}
		if v2, err := db2.PilotDistrictCountsVersion(ctx); err != nil || v2 == v1 {
			t.Errorf("version after hiding %d (before %d), %v", v2, v1, err)
		}
		if n := count(b); n != before-1 {
			t.Errorf("the other instance counts %d after hiding, want %d", n, before-1)
		}
		in.Hidden = false
		if _, err := a.Pilots.SaveMyEntry(lc, in); err != nil {
			t.Fatal(err)
		}
		if n := count(b); n != before {
			t.Errorf("the other instance counts %d after showing again, want %d", n, before)
		}
		// A change that leaves the counts as they were keeps the version.
		v3, _ := db.PilotDistrictCountsVersion(ctx)
		in.Phone = "07123 45678-1"
		if _, err := a.Pilots.SaveMyEntry(lc, in); err != nil {
			t.Fatal(err)
		}
		if v4, _ := db.PilotDistrictCountsVersion(ctx); v4 != v3 {
			t.Errorf("a new phone number changed the version %d -> %d", v3, v4)
		}
	})
}

// districtCount is the map's count of visible entries in the district, as
// ctx sees it on the instance a.
func districtCount(t *testing.T, a *app.App, ctx context.Context, district string) int {
	t.Helper()
	_, counts, err := a.Pilots.DistrictCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range counts {
		if d.District == district {
			return d.Count
		}
	}
	return 0
}
