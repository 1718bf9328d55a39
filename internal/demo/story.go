package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// Story logins: who plays which part (all in Logins).
const (
	lillyEmail  = "lilly@futurehausen.example"
	niklasEmail = "niklas@futurehausen.example"
	annaEmail   = "anna@futurehausen.example"
	thomasEmail = "thomas@futurehausen.example"
	petraEmail  = "pruefung@staedtetag-bw.example"
	karlEmail   = "kurse@verwaltungsschule-bw.example"
	veraEmail   = "kurse@vwa-bw.example"
)

// StoryLogins are the accounts the story adds: the Landkreistag's two
// reviewers and the district of Zukunftstal, which show the four-eyes
// review the programme requires for districts in the demo.
var StoryLogins = []Login{
	{"pruefung@landkreistag-bw.example", "Lena Landwehr", programmes.Landkreistag, []domain.Role{domain.RoleReviewer}},
	{"pruefung2@landkreistag-bw.example", "Ludwig Lorenz", programmes.Landkreistag, []domain.Role{domain.RoleReviewer}},
	{"foerderung@zukunftstal.example", "Dorothea Distel", "Landkreis Zukunftstal", []domain.Role{domain.RoleSignatory, domain.RoleHR}},
}

// KIOfferTitle is the story's offer on artificial intelligence.
const KIOfferTitle = "Einsatz Künstlicher Intelligenz (KI) in der Verwaltung"

// Story plays the story of the programme on the demo data, through the
// services, so that every role finds something to do at once: Lilly and
// Thomas completed the base qualification two months ago with the vouchers
// Anna handed them (attendance recorded, certificates issued, the vouchers
// redeemed and ready for the provider's claim); the third voucher of that
// contract waits for Anna to hand it on, and Niklas has asked her for it; a session starting in a few days is full with a waiting
// list; Niklas booked the story's AI seminar on the employer's invoice and
// waits for Anna's approval. The past is played by setting the database's
// clock back while the story runs; it is restored before Story returns.
// Story does nothing when Lilly already holds a certificate.
func Story(ctx context.Context, db *store.DB, baseURL, password string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("demo story: %w", err)
		}
	}()
	lilly, err := actor(ctx, db, lillyEmail)
	if err != nil {
		return err
	}
	if cs, err := db.PersonCertificates(ctx, lilly.Person.ID, lilly.Person.Email); err != nil || len(cs) > 0 {
		return err
	}
	a := app.New(db, baseURL, nil)
	clock := db.Now
	defer func() { db.Now = clock }()
	now := clock()
	at := func(t time.Time) { db.Now = func() time.Time { return t } }
	as := func(email string) (context.Context, error) {
		act, err := actor(ctx, db, email)
		if err != nil {
			return nil, err
		}
		return domain.WithActor(ctx, act), nil
	}
	ids, err := programmes.Install(ctx, db)
	if err != nil {
		return err
	}
	vs := ids[programmes.Verwaltungsschule]
	org, err := db.OrganisationByAGS(ctx, FuturehausenAGS)
	if err != nil {
		return err
	}
	lillyCtx := domain.WithActor(ctx, lilly)
	karlCtx, err := as(karlEmail)
	if err != nil {
		return err
	}
	annaCtx, err := as(annaEmail)
	if err != nil {
		return err
	}

	// Before it all, the ministry sets the programme's budget of the year
	// (and of the next, when the story spans a new year).
	at(now.AddDate(0, 0, -70))
	budgetCtx, err := as("foerderung@im-bw.example")
	if err != nil {
		return err
	}
	for _, y := range []int{domain.BudgetYear(db.Now()), domain.BudgetYear(now)} {
		if _, err := a.Settlement.SetBudget(budgetCtx, BWID, y, 25_000_000, "Haushaltsansatz Kommunale Digitallotsen"); err != nil {
			return err
		}
	}

	// Two months ago: the provider announces a base course in
	// Futurehausen, Lilly applies for three people, the Städtetag approves.
	at(now.AddDate(0, 0, -60))
	base, err := offerByCode(ctx, db, vs, "VS-DL-BASIS")
	if err != nil {
		return err
	}
	start := day(now.AddDate(0, 0, -45), 9)
	course := &domain.Session{OfferID: base, StartsAt: start, EndsAt: start.AddDate(0, 0, 2).Add(7 * time.Hour), Days: 3, Capacity: 14,
		AGS: FuturehausenAGS, Address: "Rathaus Futurehausen, Großer Sitzungssaal, Marktplatz 1", RegistrationDeadline: start.AddDate(0, 0, -7)}
	if err := a.Catalog.AddSession(karlCtx, course); err != nil {
		return err
	}
	prog, track, people, yes := BWID, domain.TrackBasis, 3, true
	ags := FuturehausenAGS
	app1, err := a.Funding.CreateApplication(lillyCtx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, AGS: &ags, Track: &track,
		ProviderID: &vs, People: &people, Declarations: &yes})
	if err != nil {
		return err
	}
	if _, err := a.Funding.SubmitApplication(lillyCtx, app1.ID); err != nil {
		return err
	}
	at(now.AddDate(0, 0, -57))
	petraCtx, err := as(petraEmail)
	if err != nil {
		return err
	}
	app1, err = a.Funding.ApproveApplication(petraCtx, app1.ID)
	if err != nil {
		return err
	}
	if len(app1.Vouchers) != 3 {
		return fmt.Errorf("the approval issued %d vouchers, want 3", len(app1.Vouchers))
	}

	// Anna hands the first voucher to Lilly and the second to Thomas; Lilly
	// books with hers, Anna books Thomas with his. The third stays free.
	at(now.AddDate(0, 0, -56))
	for i, email := range []string{lillyEmail, thomasEmail} {
		if _, err := a.Funding.HandVoucher(annaCtx, app1.Vouchers[i].Code, domain.HandingInput{Email: email}); err != nil {
			return err
		}
	}
	at(now.AddDate(0, 0, -55))
	lb, err := a.Booking.Book(lillyCtx, booking.Request{SessionID: course.ID, Payment: domain.PayVoucher, Voucher: app1.Vouchers[0].Code})
	if err != nil {
		return err
	}
	thomas, err := db.PersonByEmail(ctx, thomasEmail)
	if err != nil {
		return err
	}
	tb, err := a.Booking.Book(annaCtx, booking.Request{SessionID: course.ID, Payment: domain.PayVoucher, Voucher: app1.Vouchers[1].Code,
		Participant: &booking.Participant{Name: thomas.Name, Email: thomas.Email}})
	if err != nil {
		return err
	}

	// After the course: Karl records three days of attendance for both,
	// which completes their bookings and issues their certificates.
	at(course.EndsAt.Add(24 * time.Hour))
	for _, id := range []int64{lb.ID, tb.ID} {
		if _, err := a.Booking.RecordAttendance(karlCtx, id, []int{1, 2, 3}, "present"); err != nil {
			return err
		}
	}
	at(now)

	// The story's AI seminar, with a session in three weeks; Niklas books it
	// on the employer's invoice and waits for Anna.
	ki, err := kiOffer(ctx, a, db, karlCtx, vs)
	if err != nil {
		return err
	}
	kiStart := day(workday(now.AddDate(0, 0, 21)), 9)
	kiSession := &domain.Session{OfferID: ki, StartsAt: kiStart, EndsAt: kiStart.Add(7 * time.Hour), Days: 1, Capacity: 16, Online: true,
		RegistrationDeadline: kiStart.AddDate(0, 0, -3)}
	if err := a.Catalog.AddSession(karlCtx, kiSession); err != nil {
		return err
	}
	niklasCtx, err := as(niklasEmail)
	if err != nil {
		return err
	}
	if _, err := a.Booking.Book(niklasCtx, booking.Request{SessionID: kiSession.ID, Payment: domain.PayEmployer, Employer: org.ID}); err != nil {
		return err
	}

	// Niklas asks Anna for a funded place in the base qualification.
	if _, err := a.Funding.RequestFunding(niklasCtx, funding.FundingRequestInput{OrgID: org.ID, Programme: BWID,
		Track: domain.TrackBasis, OfferID: base,
		Reason: "Ich möchte als zweiter Digitallotse unserer Stadt die Einführung der E-Akte begleiten."}); err != nil {
		return err
	}

	// A session of the VWA in four days: two places, both taken, one
	// person waiting.
	veraCtx, err := as(veraEmail)
	if err != nil {
		return err
	}
	vwaKI, err := offerByCode(ctx, db, ids[programmes.VWA], "VWA-KI-RECHT")
	if err != nil {
		return err
	}
	soon := day(workday(now.AddDate(0, 0, 4)), 9)
	soonSession := &domain.Session{OfferID: vwaKI, StartsAt: soon, EndsAt: soon.Add(6 * time.Hour), Days: 1, Capacity: 2, Online: true,
		RegistrationDeadline: soon.Add(-2 * time.Hour)}
	if err := a.Catalog.AddSession(veraCtx, soonSession); err != nil {
		return err
	}
	for _, p := range []booking.Participant{{Name: "Maria Mittelfeld", Email: "maria.mittelfeld@mittelfeld.example"},
		{Name: "Bernd Bitzinger", Email: "bernd.bitzinger@bitzingen.example"},
		{Name: "Kerstin Kleinbach", Email: "kerstin.kleinbach@kleinbach.example"}} {
		if _, err := a.Booking.Book(veraCtx, booking.Request{SessionID: soonSession.ID, Payment: domain.PayPrivate, Participant: &p}); err != nil {
			return err
		}
	}

	// A two-day workshop that ended yesterday: its participant's attendance
	// is for Karl to record (every day has begun, whatever the hour).
	akte, err := offerByCode(ctx, db, vs, "VS-EAKTE")
	if err != nil {
		return err
	}
	at(now.AddDate(0, 0, -20))
	running := day(now.AddDate(0, 0, -2), 9)
	runningSession := &domain.Session{OfferID: akte, StartsAt: running, EndsAt: running.AddDate(0, 0, 1).Add(7 * time.Hour), Days: 2, Capacity: 20,
		AGS: "08999002", Address: "Bürgerhaus Kleinbach, Schulstraße 3", RegistrationDeadline: running.AddDate(0, 0, -7)}
	if err := a.Catalog.AddSession(karlCtx, runningSession); err != nil {
		return err
	}
	if _, err := a.Booking.Book(karlCtx, booking.Request{SessionID: runningSession.ID, Payment: domain.PayPrivate,
		Participant: &booking.Participant{Name: "Kerstin Kleinbach", Email: "kerstin.kleinbach@kleinbach.example"}}); err != nil {
		return err
	}

	// Last week the city of Mittelfeld applied for two people and asked a
	// question in the application's thread; both wait for Petra.
	at(now.AddDate(0, 0, -6))
	mittelfeld, err := db.OrganisationByAGS(ctx, "08999003")
	if err != nil {
		return err
	}
	martina := &domain.Person{Email: "martina.mittelfeld@mittelfeld.example", Name: "Martina Mittelfeld"}
	if err := db.CreatePerson(ctx, martina, randomPassword()); err != nil {
		return err
	}
	if err := db.SetRoles(ctx, mittelfeld.ID, martina.ID, []domain.Role{domain.RoleSignatory}); err != nil {
		return err
	}
	martinaCtx, err := as(martina.Email)
	if err != nil {
		return err
	}
	two, mags := 2, "08999003"
	app2, err := a.Funding.CreateApplication(martinaCtx, mittelfeld.ID, domain.ApplicationInput{ProgrammeID: &prog, AGS: &mags, Track: &track,
		ProviderID: &vs, People: &two, Declarations: &yes})
	if err != nil {
		return err
	}
	if _, err := a.Funding.SubmitApplication(martinaCtx, app2.ID); err != nil {
		return err
	}
	at(now.AddDate(0, 0, -5))
	if _, err := a.Funding.AddComment(martinaCtx, app2.ID, "Eine unserer beiden Personen kann erst ab März an einer Schulung teilnehmen. "+
		"Gilt der Gutschein so lange, oder sollen wir den Antrag besser später stellen?", false); err != nil {
		return err
	}

	// The ministry requires four eyes for districts' applications. The
	// district of Zukunftstal applied a week ago; Lena prepared the
	// approval, which waits for Ludwig's confirmation.
	at(now.AddDate(0, 0, -30))
	franzCtx, err := as("foerderung@im-bw.example")
	if err != nil {
		return err
	}
	p, err := a.Funding.Programme(franzCtx, BWID)
	if err != nil {
		return err
	}
	p.FourEyes = domain.FourEyesDistricts
	if err := a.Funding.SaveProgramme(franzCtx, BWID, p); err != nil {
		return err
	}
	for _, l := range StoryLogins {
		verified := db.Now()
		person := &domain.Person{Email: l.Email, Name: l.Name, EmailVerifiedAt: &verified}
		if err := db.CreatePerson(ctx, person, password); err != nil {
			return err
		}
		orgID := ids[l.Org]
		if orgID == 0 {
			o, err := db.OrganisationByAGS(ctx, "08999")
			if err != nil {
				return err
			}
			orgID = o.ID
		}
		if err := db.SetRoles(ctx, orgID, person.ID, l.Roles); err != nil {
			return err
		}
	}
	at(now.AddDate(0, 0, -7))
	district, err := db.OrganisationByAGS(ctx, "08999")
	if err != nil {
		return err
	}
	doraCtx, err := as(StoryLogins[2].Email)
	if err != nil {
		return err
	}
	dags := "08999"
	app3, err := a.Funding.CreateApplication(doraCtx, district.ID, domain.ApplicationInput{ProgrammeID: &prog, AGS: &dags, Track: &track,
		ProviderID: &vs, People: &two, Declarations: &yes})
	if err != nil {
		return err
	}
	if _, err := a.Funding.SubmitApplication(doraCtx, app3.ID); err != nil {
		return err
	}
	at(now.AddDate(0, 0, -2))
	lenaCtx, err := as(StoryLogins[0].Email)
	if err != nil {
		return err
	}
	if _, err := a.Funding.ApproveApplication(lenaCtx, app3.ID); err != nil {
		return err
	}

	// Colleagues in the district assessed themselves last week; Anna
	// assigned the pilots among them to the role.
	at(now.AddDate(0, 0, -6))
	if err := teamNeeds(ctx, a, db, as, annaCtx); err != nil {
		return err
	}
	// events: three days ago Petra published the Städtetag's meetings.
	at(now.AddDate(0, 0, -3))
	if err := storyEvents(ctx, a, petraCtx, now); err != nil {
		return err
	}
	// community: the members' spaces fill up over the last days.
	if err := communityStory(a, as, func(d int) { at(now.AddDate(0, 0, d)) }); err != nil {
		return err
	}
	at(now)
	// pilots: Paula's base qualification, the directory and project briefs.
	if err := pilotDirectory(ctx, a, db, as, at, now); err != nil {
		return err
	}
	// programmes: a Hessen city applies in the Hessen programme.
	if err := hessenStory(ctx, db, a, as); err != nil {
		return err
	}
	return nil
}

// workday moves t to the next Monday to Friday outside the days between
// Christmas and Epiphany, when nobody holds a seminar.
func workday(t time.Time) time.Time {
	for {
		m, d := t.Month(), t.Day()
		switch {
		case t.Weekday() == time.Saturday || t.Weekday() == time.Sunday:
		case (m == time.December && d >= 23) || (m == time.January && d <= 6):
		default:
			return t
		}
		t = t.AddDate(0, 0, 1)
	}
}

// randomPassword is the password of a story person who is not a demo login.
func randomPassword() string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// day is 9 o'clock (or hour) in Germany on t's date, in UTC.
func day(t time.Time, hour int) time.Time {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.FixedZone("MEZ", 3600)
	}
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), hour, 0, 0, 0, loc).UTC()
}

// offerByCode finds a provider's offer by its code.
func offerByCode(ctx context.Context, db *store.DB, provider int64, code string) (int64, error) {
	offers, _, err := db.Offers(ctx, store.OfferFilter{ProviderID: provider, Limit: 500})
	if err != nil {
		return 0, err
	}
	for _, o := range offers {
		if o.Code == code {
			return o.ID, nil
		}
	}
	return 0, errors.New("offer " + code + " is missing")
}

// kiOffer creates and publishes the story's AI seminar.
func kiOffer(ctx context.Context, a *app.App, db *store.DB, staff context.Context, provider int64) (int64, error) {
	o := &domain.Offer{ProviderID: provider, Code: "VS-KI-VERWALTUNG", Title: KIOfferTitle,
		Summary: "Ein Seminartag für Beschäftigte und Digitallotsen: wo KI in der Kommunalverwaltung heute hilft, wo ihre Grenzen liegen und was die KI-Verordnung verlangt.",
		Description: "Künstliche Intelligenz schreibt Entwürfe, fasst Akten zusammen, beantwortet Fragen im Bürgerservice und erkennt Muster in Daten. " +
			"Das Seminar zeigt an Beispielen aus Kommunen, welche Aufgaben sich für KI eignen und welche nicht, wie man Ergebnisse prüft und wie " +
			"Datenschutz, Urheberrecht und die europäische KI-Verordnung den Einsatz regeln. Am Nachmittag entwerfen die Teilnehmenden eine " +
			"Dienstanweisung für ihre eigene Verwaltung.",
		Outcomes: []string{"Sie beurteilen, welche Verwaltungsaufgaben sich für KI-Unterstützung eignen.",
			"Sie kennen die Pflichten aus der KI-Verordnung für Behörden.",
			"Sie entwerfen eine Dienstanweisung zum Einsatz von KI in Ihrer Verwaltung."},
		Competences: []domain.OfferCompetence{{Code: "KI.1", Level: 2}, {Code: "KI.2", Level: 1}},
		Level:       domain.LevelIntermediate, Format: domain.FormatLiveOnline, Language: "de", Hours: 7, Days: 1,
		Certificate: domain.CertParticipation, PriceCents: 19000,
		FundingTracks: []string{BWID + "/" + domain.TrackAdvanced}}
	created, err := a.Catalog.Create(staff, o)
	if err != nil {
		return 0, err
	}
	admin, err := actor(ctx, db, adminEmail)
	if err != nil {
		return 0, err
	}
	var checks []string
	for _, c := range catalog.ReviewChecklist {
		checks = append(checks, c.Key)
	}
	if _, err := a.Catalog.Review(domain.WithActor(ctx, admin), created.ID, true, "", checks); err != nil {
		return 0, err
	}
	return created.ID, nil
}
