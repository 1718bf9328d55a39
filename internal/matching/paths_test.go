package matching_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/credentials"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const petra = "pruefung@staedtetag-bw.example"

// pathEnv is the demo with the shipped Digitallotse path, Niklas, and a
// provider (Vera's VWA) whose staff records attendance.
type pathEnv struct {
	db     *store.DB
	app    *app.App
	niklas context.Context
	staff  context.Context
	person *domain.Person
	vwa    int64
	path   *domain.Path
}

func newPathEnv(t *testing.T, db *store.DB) *pathEnv {
	t.Helper()
	e := &pathEnv{db: db, app: setup(t, db)}
	e.niklas, e.staff = as(t, db, niklas), as(t, db, vera)
	e.person = domain.ActorFrom(e.niklas).Person
	e.vwa = orgOf(t, e.staff)
	p, err := db.PathByShippedKey(context.Background(), programmes.DigitallotsePath)
	if err != nil {
		t.Fatal(err)
	}
	e.path = p
	return e
}

// offer publishes an offer of the VWA funded by track, teaching comps,
// with one three-day session a month ahead, and returns the session.
func (e *pathEnv) offer(t *testing.T, title, track string, comps ...string) *domain.Session {
	t.Helper()
	ctx := e.staff
	var cs []domain.OfferCompetence
	for _, c := range comps {
		cs = append(cs, domain.OfferCompetence{Code: c, Level: 2})
	}
	o := &domain.Offer{ProviderID: e.vwa, Code: "PATH-" + strings.ReplaceAll(title, " ", "-"), Title: title,
		Summary: "Eine Schulung für den Lernpfad der Digitallotsen im Test.", Description: strings.Repeat("Inhalte der Schulung im Test. ", 4),
		Outcomes: []string{"Etwas gelernt"}, Competences: cs, Level: domain.LevelBasic, Format: domain.FormatSelfPaced, Language: "de",
		Hours: 24, Days: 3, Certificate: domain.CertParticipation, PriceCents: 30000, FundingTracks: []string{programmes.BWID + "/" + track}}
	if err := catalog.CreateOffer(ctx, e.db, o); err != nil {
		t.Fatal(err)
	}
	if err := catalog.ReviewOffer(ctx, e.db, o.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	start := e.db.Now().AddDate(0, 1, 0)
	s := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(50 * time.Hour), Days: 3, Capacity: 10, Online: true}
	if err := catalog.AddSession(ctx, e.db, s); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Catalog.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// book books a place for Niklas himself, paid privately.
func (e *pathEnv) book(t *testing.T, s *domain.Session) *domain.Booking {
	t.Helper()
	b, err := e.app.Booking.Place(e.niklas, domain.BookingInput{SessionID: s.ID, PersonID: e.person.ID, ParticipantName: e.person.Name,
		ParticipantEmail: e.person.Email, Payment: domain.PayPrivate})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// attend records Niklas present on every day, after the sessions.
func (e *pathEnv) attend(t *testing.T, b *domain.Booking) {
	t.Helper()
	if _, err := e.app.Booking.RecordAttendance(e.staff, b.ID, nil, domain.AttendPresent); err != nil {
		t.Fatal(err)
	}
}

// afterSessions moves the clock past the sessions a month ahead.
func (e *pathEnv) afterSessions(t *testing.T) {
	real := e.db.Now
	later := real().AddDate(0, 1, 5)
	e.db.Now = func() time.Time { return later }
	t.Cleanup(func() { e.db.Now = real })
}

func (e *pathEnv) mine(t *testing.T) matching.PathView {
	t.Helper()
	vs, err := e.app.Matching.MyPaths(e.niklas)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Path.ID == e.path.ID {
			return v
		}
	}
	t.Fatalf("Niklas does not follow the path: %d paths", len(vs))
	return matching.PathView{}
}

func states(v matching.PathView) string {
	var s []string
	for _, st := range v.Progress.Steps {
		s = append(s, st.State)
	}
	return strings.Join(s, ",")
}

func pathCertCount(t *testing.T, db *store.DB, pathID, personID int64) int {
	t.Helper()
	var n int
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		return tx.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM path_certificates WHERE path_id = $1 AND person_id = $2`,
			pathID, personID).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPathProgressFollowsBookingsAndAttendance walks the shipped path:
// joining, a booked basis step, done after attendance (automatically),
// the choice step that needs two different areas, the confirmed event,
// and the composite certificate that references each step's certificate.
func TestPathProgressFollowsBookingsAndAttendance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newPathEnv(t, db)
		basis := e.offer(t, "Basis im Test", domain.TrackBasis, "STRAT.1")
		adv1 := e.offer(t, "Aufbau KI im Test", domain.TrackAdvanced, "KI.1")
		adv2 := e.offer(t, "Aufbau KI zwei im Test", domain.TrackAdvanced, "KI.2")
		adv3 := e.offer(t, "Aufbau Sicherheit im Test", domain.TrackAdvanced, "SEC.1")

		v, err := e.app.Matching.JoinPath(e.niklas, e.path.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Joined || states(*v) != "next,open,open" || v.Progress.Percent != 0 {
			t.Fatalf("after joining: joined %v, states %s, %d %%", v.Joined, states(*v), v.Progress.Percent)
		}
		if recs := v.Recommended[1]; len(recs) == 0 || !containsOffer(recs, basis.OfferID) {
			t.Errorf("the basis offer is not recommended for step 1: %+v", recs)
		}
		if _, err := e.app.Matching.JoinPath(e.niklas, e.path.ID); err != nil {
			t.Fatalf("joining twice: %v", err)
		}

		bb := e.book(t, basis)
		if got := states(e.mine(t)); got != "booked,open,open" {
			t.Fatalf("after booking the basis: %s", got)
		}
		b1, b2 := e.book(t, adv1), e.book(t, adv2)
		if got := states(e.mine(t)); got != "booked,open,open" {
			t.Fatalf("two offers of one area booked: %s", got)
		}
		b3 := e.book(t, adv3)
		if got := states(e.mine(t)); got != "booked,booked,open" {
			t.Fatalf("offers of two areas booked: %s", got)
		}
		e.afterSessions(t)
		e.attend(t, bb)
		v2 := e.mine(t)
		if got := states(v2); got != "done,booked,open" || v2.Progress.Percent != 25 {
			t.Fatalf("after attending the basis: %s, %d %%", got, v2.Progress.Percent)
		}
		// Two Aufbauschulungen of the same area (KI) are one unit.
		e.attend(t, b1)
		e.attend(t, b2)
		v3 := e.mine(t)
		if got := states(v3); got != "done,booked,open" || v3.Progress.Steps[1].Done != 1 || v3.Progress.Percent != 50 {
			t.Fatalf("two offers of one area: %s, step 2 done %d, %d %%", got, v3.Progress.Steps[1].Done, v3.Progress.Percent)
		}
		// A third from another area completes the choice.
		e.attend(t, b3)
		v4 := e.mine(t)
		if got := states(v4); got != "done,done,next" || v4.Progress.Percent != 75 {
			t.Fatalf("after two areas: %s, %d %%", got, v4.Progress.Percent)
		}
		if v4.Certificate != nil || pathCertCount(t, db, e.path.ID, e.person.ID) != 0 {
			t.Fatal("a certificate before the event")
		}

		// Only the owner's event organisers and admins confirm the event.
		err = e.app.Matching.ConfirmPathEvent(e.staff, e.path.ID, e.person.ID, 3)
		storetest.WantCode(t, err, domain.EForbidden)
		if err := e.app.Matching.ConfirmPathEvent(as(t, db, petra), e.path.ID, e.person.ID, 2); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("confirming a course step as an event: %v", err)
		}
		if err := e.app.Matching.ConfirmPathEvent(as(t, db, petra), e.path.ID, e.person.ID, 3); err != nil {
			t.Fatal(err)
		}
		v5 := e.mine(t)
		if !v5.Progress.Complete() || v5.Progress.Percent != 100 || v5.CompletedAt == nil || v5.Certificate == nil {
			t.Fatalf("after the event: complete %v, %d %%, completed %v, certificate %v", v5.Progress.Complete(), v5.Progress.Percent,
				v5.CompletedAt, v5.Certificate)
		}
		if n := pathCertCount(t, db, e.path.ID, e.person.ID); n != 1 {
			t.Fatalf("%d composite certificates", n)
		}
		if m := storetest.LastMail(t, db, e.person.Email); !strings.Contains(m.Subject, "Lernpfad abgeschlossen") {
			t.Errorf("last mail: %q", m.Subject)
		}

		// The credential verifies and references each step's credential.
		c := v5.Certificate
		jwks, err := e.app.Certify.JWKS(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		cred, err := credentials.Verify(c.JWT, jwks)
		if err != nil {
			t.Fatal(err)
		}
		ev, _ := cred["evidence"].([]any)
		var ids []string
		for _, x := range ev {
			if id, _ := x.(map[string]any)["id"].(string); id != "" {
				ids = append(ids, id)
			}
		}
		for _, b := range []*domain.Booking{bb, b1, b3} {
			cs, err := e.app.Certify.BookingCertificates(context.Background(), b.ID)
			if err != nil || len(cs) != 1 {
				t.Fatalf("certificates of booking %d: %v %v", b.ID, cs, err)
			}
			if !containsString(ids, e.app.Certify.CredentialURL(cs[0].ID)) {
				t.Errorf("the evidence %v lacks the credential of booking %d", ids, b.ID)
			}
		}
		ach := cred["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
		if ach["name"] != e.path.Title || ach["achievementType"] != "LearningProgram" {
			t.Errorf("achievement %v", ach)
		}
		if _, pdf, err := e.app.Matching.PathCertificatePDF(e.niklas, c.ID); err != nil || len(pdf) < 1000 {
			t.Fatalf("pdf: %d bytes, %v", len(pdf), err)
		}
		if _, _, err := e.app.Matching.PathCertificatePDF(as(t, db, anna), c.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("Anna gets Niklas's path certificate: %v", err)
		}

		// Leave and rejoin: the certificate stays the one.
		if err := e.app.Matching.LeavePath(e.niklas, e.path.ID); err != nil {
			t.Fatal(err)
		}
		storetest.WantCode(t, e.app.Matching.LeavePath(e.niklas, e.path.ID), domain.ENotFound)
		if vs, err := e.app.Matching.MyPaths(e.niklas); err != nil || len(vs) != 0 {
			t.Fatalf("after leaving: %d paths, %v", len(vs), err)
		}
		if _, err := e.app.Matching.JoinPath(e.niklas, e.path.ID); err != nil {
			t.Fatal(err)
		}
		v6 := e.mine(t)
		if v6.Certificate == nil || v6.Certificate.ID != c.ID || pathCertCount(t, db, e.path.ID, e.person.ID) != 1 {
			t.Fatalf("after rejoining: certificate %v, %d certificates", v6.Certificate, pathCertCount(t, db, e.path.ID, e.person.ID))
		}

		// Revocation: Vera may not, Petra (the owner's reviewer) may.
		if _, err := e.app.Matching.RevokePathCertificate(e.staff, c.ID, "Irrtum"); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("Vera revokes: %v", err)
		}
		if _, err := e.app.Matching.RevokePathCertificate(as(t, db, petra), c.ID, " "); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("revoking without a reason: %v", err)
		}
		rc, err := e.app.Matching.RevokePathCertificate(as(t, db, petra), c.ID, "Irrtum")
		if err != nil || rc.RevokedAt == nil || rc.RevokeReason != "Irrtum" {
			t.Fatalf("revoke: %+v %v", rc, err)
		}
	})
}

// TestPathCompletesOnceUnderConcurrentAttendance: the last two steps done
// at the same time (two attendance posts, each twice) complete the path
// and issue its certificate exactly once.
func TestPathCompletesOnceUnderConcurrentAttendance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newPathEnv(t, db)
		// A path of two offers, owned by the platform.
		a, b := e.offer(t, "Erstes im Test", domain.TrackBasis, "STRAT.1"), e.offer(t, "Zweites im Test", domain.TrackAdvanced, "SEC.1")
		admin := as(t, db, "admin@lotse.example")
		p, err := e.app.Matching.CreatePath(admin, &domain.Path{Title: "Zwei Schritte", Status: domain.PathPublished, Steps: []domain.PathStep{
			{Title: "Eins", Kind: domain.StepOffer, OfferIDs: []int64{a.OfferID}},
			{Title: "Zwei", Kind: domain.StepOffer, OfferIDs: []int64{b.OfferID}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		e.path = p
		if _, err := e.app.Matching.JoinPath(e.niklas, p.ID); err != nil {
			t.Fatal(err)
		}
		ba, bb := e.book(t, a), e.book(t, b)
		e.afterSessions(t)
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for _, bk := range []*domain.Booking{ba, bb, ba, bb} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.app.Booking.RecordAttendance(e.staff, bk.ID, nil, domain.AttendPresent); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("attendance: %v", err)
		}
		// Completed by the attendance itself, before anyone looks.
		if n := pathCertCount(t, db, p.ID, e.person.ID); n != 1 {
			t.Fatalf("%d composite certificates after the attendance", n)
		}
		v := e.mine(t)
		if !v.Progress.Complete() || v.Certificate == nil || v.CompletedAt == nil {
			t.Fatalf("complete %v, certificate %v, completed %v", v.Progress.Complete(), v.Certificate, v.CompletedAt)
		}
		if n := pathCertCount(t, db, p.ID, e.person.ID); n != 1 {
			t.Fatalf("%d composite certificates", n)
		}
		n := 0
		for _, m := range storetest.Mails(t, db) {
			if strings.Contains(m.Subject, "Lernpfad abgeschlossen") {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d completion mails", n)
		}
	})
}

// TestPathEditingIsForAdminsAndAssociations: only admins and the owning
// association's reviewers and event organisers create and edit paths;
// drafts are theirs alone; bad input gets German messages by field.
func TestPathEditingIsForAdminsAndAssociations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		e := newPathEnv(t, db)
		ctx := context.Background()
		in := func() *domain.Path {
			return &domain.Path{Title: "Datenschutz kompakt", OwnerOrgID: e.path.OwnerOrgID, Steps: []domain.PathStep{
				{Title: "Grundlagen", Kind: domain.StepChoice, Area: "SEC", MinLevel: 1},
			}}
		}
		for _, who := range []string{niklas, vera, anna} {
			if _, err := e.app.Matching.CreatePath(as(t, db, who), in()); domain.ErrorCode(err) != domain.EForbidden {
				t.Errorf("%s creates a path: %v", who, err)
			}
		}
		if _, err := e.app.Matching.CreatePath(ctx, in()); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Errorf("nobody creates a path: %v", err)
		}
		// Petra may not create a platform path; an admin may.
		plat := in()
		plat.OwnerOrgID = 0
		if _, err := e.app.Matching.CreatePath(as(t, db, petra), plat); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("Petra creates a platform path: %v", err)
		}
		bad := &domain.Path{OwnerOrgID: e.path.OwnerOrgID, Steps: []domain.PathStep{
			{Title: "", Kind: domain.StepOffer},
			{Title: "Zwei", Kind: "quiz", Requires: []int{2}},
		}}
		_, err := e.app.Matching.CreatePath(as(t, db, petra), bad)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EInvalid {
			t.Fatalf("invalid path: %v", err)
		}
		want := map[string]string{
			"title":             "Bitte geben Sie einen Titel an.",
			"steps.1.title":     "Bitte geben Sie dem 1. Schritt einen Titel.",
			"steps.1.offer_ids": "Bitte geben Sie genau ein Angebot an.",
			"steps.2.kind":      "Bitte wählen Sie die Art des Schritts: Angebot, Auswahl oder Vernetzungstreffen.",
			"steps.2.requires":  "Voraussetzungen können nur frühere Schritte sein.",
		}
		for f, msg := range want {
			if de.Fields[f] != msg {
				t.Errorf("field %s: %q, want %q", f, de.Fields[f], msg)
			}
		}

		p, err := e.app.Matching.CreatePath(as(t, db, petra), in())
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != domain.PathDraft {
			t.Errorf("status %s", p.Status)
		}
		// A draft is invisible to others and cannot be joined.
		if _, err := e.app.Matching.Path(e.niklas, p.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("Niklas sees the draft: %v", err)
		}
		if _, err := e.app.Matching.JoinPath(e.niklas, p.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("Niklas joins the draft: %v", err)
		}
		list, err := e.app.Matching.Paths(e.niklas)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].Path.ID != e.path.ID {
			t.Errorf("Niklas's list: %d paths", len(list))
		}
		// Publishing makes it visible; Vera cannot edit it.
		p.Status = domain.PathPublished
		if _, err := e.app.Matching.UpdatePath(as(t, db, petra), p); err != nil {
			t.Fatal(err)
		}
		if _, err := e.app.Matching.UpdatePath(e.staff, p); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("Vera edits: %v", err)
		}
		if _, err := e.app.Matching.Path(e.niklas, p.ID); err != nil {
			t.Errorf("Niklas does not see the published path: %v", err)
		}
		// Petra's association may not be swapped for another by her.
		p.OwnerOrgID = 0
		if _, err := e.app.Matching.UpdatePath(as(t, db, petra), p); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("Petra hands the path to the platform: %v", err)
		}
	})
}

func containsOffer(os []matching.PathOffer, id int64) bool {
	for _, o := range os {
		if o.ID == id {
			return true
		}
	}
	return false
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
