package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // session times are set in Europe/Berlin even without a system zone database

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// The providers the demo catalog adds to the two of the Digitallotsen
// programme: a university institute, a private academy and a college of
// public administration. The names are made up.
const (
	HochschuleKehl      = "Hochschule Kehl – Institut für Digitale Verwaltung"
	DigitalakademieSued = "Digitalakademie Süd GmbH"
	Fuehrungsakademie   = "Führungsakademie Baden-Württemberg – Bereich Digitale Verwaltung"
)

// CatalogLogins are the provider staff accounts of the demo catalog's
// additional providers.
var CatalogLogins = []Login{
	{"kurse@hs-kehl.example", "Hanna Hörsaal", HochschuleKehl, []domain.Role{domain.RoleProviderStaff}},
	{"kurse@digitalakademie-sued.example", "Dirk Digital", DigitalakademieSued, []domain.Role{domain.RoleProviderStaff}},
	{"kurse@fuehrungsakademie-bw.example", "Frieda Führung", Fuehrungsakademie, []domain.Role{domain.RoleProviderStaff}},
}

// catalogStaff is the login that maintains each provider's offers.
var catalogStaff = map[string]string{
	programmes.Verwaltungsschule: "kurse@verwaltungsschule-bw.example",
	programmes.VWA:               "kurse@vwa-bw.example",
	HochschuleKehl:               "kurse@hs-kehl.example",
	DigitalakademieSued:          "kurse@digitalakademie-sued.example",
	Fuehrungsakademie:            "kurse@fuehrungsakademie-bw.example",
}

const adminEmail = "admin@lotse.example"

// place is a real municipality of Baden-Württemberg the demo catalog holds
// sessions in, with its entry of the official directory (GV100AD,
// 30.11.2025) and its district, so that the demo works without importing
// the directory. An imported directory wins: entries are only added.
type place struct {
	key          string // short key used in the offer table below
	ags, name    string
	typeCode     int
	population   int
	areaHa       int64
	postcode     string
	districtName string
	districtCode int // 42 Stadtkreis, 44 Landkreis
	districtPop  int
	districtHa   int64
	venue        string // where sessions take place
}

var catalogPlaces = []place{
	{"S", "08111000", "Stuttgart, Landeshauptstadt", 62, 612663, 20733, "70173", "Stuttgart, Stadtkreis", 42, 612663, 20733,
		"Tagungszentrum am Hauptbahnhof, Seminarraum 2"},
	{"KA", "08212000", "Karlsruhe, Stadt", 62, 309050, 17342, "76133", "Karlsruhe, Stadtkreis", 42, 309050, 17342,
		"Seminargebäude am Schlossgarten, Raum 1.12"},
	{"MA", "08222000", "Mannheim, Universitätsstadt", 62, 318035, 14497, "68159", "Mannheim, Stadtkreis", 42, 318035, 14497,
		"Bildungszentrum in den Quadraten, Raum 4"},
	{"FR", "08311000", "Freiburg im Breisgau, Stadt", 62, 237460, 15304, "79098", "Freiburg im Breisgau, Stadtkreis", 42, 237460, 15304,
		"Tagungshaus an der Dreisam, Saal Schauinsland"},
	{"HD", "08221000", "Heidelberg, Stadt", 62, 155756, 10883, "69117", "Heidelberg, Stadtkreis", 42, 155756, 10883,
		"Wissenschaftszentrum Bergheim, Seminarraum 3"},
	{"UL", "08421000", "Ulm, Universitätsstadt", 62, 129882, 11868, "89073", "Ulm, Stadtkreis", 42, 129882, 11868,
		"Stadthaus-Forum, Seminarraum Donau"},
	{"HN", "08121000", "Heilbronn, Universitätsstadt", 62, 131986, 9989, "74072", "Heilbronn, Stadtkreis", 42, 131986, 9989,
		"Bildungscampus, Gebäude C, Raum 105"},
	{"KEHL", "08317057", "Kehl, Stadt", 67, 39584, 7507, "77694", "Ortenaukreis", 44, 438200, 186100,
		"Campus Kehl, Institut für Digitale Verwaltung, Hörsaal B 1.02"},
	{"LB", "08118048", "Ludwigsburg, Stadt", 67, 92858, 4334, "71638", "Ludwigsburg", 44, 552100, 68700,
		"Forum am Schlosspark, Seminarraum Mörike"},
	{"RT", "08415061", "Reutlingen, Stadt", 67, 118852, 8704, "72764", "Reutlingen", 44, 290600, 109400,
		"Haus der Weiterbildung, Raum 2.03"},
	{"KN", "08335043", "Konstanz, Universitätsstadt", 67, 86919, 5412, "78462", "Konstanz", 44, 291500, 81800,
		"Konzilgebäude am Hafen, Seminarraum Bodensee"},
	{"TU", "08416041", "Tübingen, Universitätsstadt", 67, 92322, 10807, "72070", "Tübingen", 44, 231400, 51900,
		"Tagungsstätte am Neckar, Raum Hölderlin"},
}

// placeByKey adds the demo's own Futurehausen to the real places.
func placeByKey(key string) (place, bool) {
	if key == "FH" {
		return place{key: "FH", ags: FuturehausenAGS, name: "Futurehausen", postcode: "79999",
			venue: "Rathaus Futurehausen, Großer Sitzungssaal"}, true
	}
	for _, p := range catalogPlaces {
		if p.key == key {
			return p, true
		}
	}
	return place{}, false
}

// shortName is a directory name without its addition: "Ulm" for "Ulm, Universitätsstadt".
func shortName(name string) string {
	n, _, _ := strings.Cut(name, ",")
	return n
}

// ensurePlaces adds the catalog's municipalities and their districts to the
// directory where they are missing.
func ensurePlaces(ctx context.Context, db *store.DB) error {
	ref := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	var missing []domain.Municipality
	seen := map[string]bool{}
	add := func(m domain.Municipality) error {
		if seen[m.AGS] {
			return nil
		}
		seen[m.AGS] = true
		if _, err := db.Municipality(ctx, m.AGS); domain.ErrorCode(err) == domain.ENotFound {
			missing = append(missing, m)
		} else if err != nil {
			return err
		}
		return nil
	}
	if err := add(domain.Municipality{AGS: "08", Name: "Baden-Württemberg", Kind: domain.AreaState, StateAGS: "08",
		Population: 11245898, AreaHa: 3574785, RefDate: ref}); err != nil {
		return err
	}
	for _, p := range catalogPlaces {
		district := p.ags[:5]
		if err := add(domain.Municipality{AGS: district, Name: p.districtName, Kind: domain.AreaDistrict, TypeCode: p.districtCode,
			StateAGS: "08", Population: p.districtPop, AreaHa: p.districtHa, RefDate: ref}); err != nil {
			return err
		}
		if err := add(domain.Municipality{AGS: p.ags, Name: p.name, Kind: domain.AreaMunicipality, TypeCode: p.typeCode,
			DistrictAGS: district, StateAGS: "08", Population: p.population, AreaHa: p.areaHa, Postcode: p.postcode, RefDate: ref}); err != nil {
			return err
		}
	}
	// Futurehausen and its district come with the demo; add them for a
	// catalog loaded on its own.
	for _, m := range places(ref) {
		if err := add(m); err != nil {
			return err
		}
	}
	if len(missing) == 0 {
		return nil
	}
	_, err := db.ImportMunicipalities(ctx, missing, "demo-katalog")
	return err
}

// LoadCatalog fills the catalog of the demo: three more providers with a
// staff login each (password DefaultPassword), and some sixty published
// offers of five providers with their sessions. It does nothing when the
// catalog's providers' logins exist already. It needs the demo's admin
// login, who publishes the offers.
func LoadCatalog(ctx context.Context, db *store.DB, now time.Time) error {
	return loadCatalog(ctx, db, now, DefaultPassword)
}

func loadCatalog(ctx context.Context, db *store.DB, now time.Time, password string) error {
	if _, err := db.PersonByEmail(ctx, CatalogLogins[0].Email); err == nil {
		return nil
	} else if domain.ErrorCode(err) != domain.ENotFound {
		return err
	}
	if err := ensurePlaces(ctx, db); err != nil {
		return err
	}
	admin, err := actor(ctx, db, adminEmail)
	if err != nil {
		return fmt.Errorf("demo catalog: the admin login is missing: %w", err)
	}
	ids, err := programmes.Install(ctx, db)
	if err != nil {
		return err
	}
	for _, name := range []string{HochschuleKehl, DigitalakademieSued, Fuehrungsakademie} {
		if ids[name], err = provider(ctx, db, name); err != nil {
			return err
		}
	}
	for _, l := range CatalogLogins {
		verified := db.Now()
		p := &domain.Person{Email: l.Email, Name: l.Name, EmailVerifiedAt: &verified}
		if err := db.CreatePerson(ctx, p, password); err != nil {
			return err
		}
		if err := db.SetRoles(ctx, ids[l.Org], p.ID, l.Roles); err != nil {
			return err
		}
	}
	staff := map[string]context.Context{}
	for org, email := range catalogStaff {
		a, err := actor(ctx, db, email)
		if err != nil {
			return err
		}
		staff[org] = domain.WithActor(ctx, a)
	}
	adminCtx := domain.WithActor(ctx, admin)
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.FixedZone("MEZ", 3600)
	}
	offerIDs := map[string]int64{} // by provider and code
	for i, spec := range catalogOffers {
		o, err := spec.offer(ids, offerIDs)
		if err != nil {
			return fmt.Errorf("demo offer %s: %w", spec.code, err)
		}
		pctx := staff[spec.provider]
		if err := catalog.CreateOffer(pctx, db, o); err != nil {
			return fmt.Errorf("demo offer %s: %w", spec.code, err)
		}
		offerIDs[spec.provider+"|"+spec.code] = o.ID
		if o.Format != domain.FormatSelfPaced {
			for k, key := range spec.places {
				s, err := catalogSession(now, loc, i, k, o, key)
				if err != nil {
					return fmt.Errorf("demo offer %s: %w", spec.code, err)
				}
				if err := catalog.AddSession(pctx, db, s); err != nil {
					return fmt.Errorf("demo offer %s, session %d: %w", spec.code, k+1, err)
				}
			}
		}
		if err := catalog.ReviewOffer(adminCtx, db, o.ID, true, ""); err != nil {
			return fmt.Errorf("demo offer %s: %w", spec.code, err)
		}
	}
	return nil
}

// actor returns the person with the address as an actor with memberships.
func actor(ctx context.Context, db *store.DB, email string) (*domain.Actor, error) {
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		return nil, err
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	return &domain.Actor{Person: p, Memberships: ms}, nil
}

// provider returns the ID of the provider with the name, creating it if missing.
func provider(ctx context.Context, db *store.DB, name string) (int64, error) {
	kind := domain.OrgProvider
	found, _, err := db.Organisations(ctx, domain.OrgFilter{Kind: &kind, Query: &name, Limit: 200})
	if err != nil {
		return 0, err
	}
	for _, f := range found {
		if f.Name == name {
			return f.ID, nil
		}
	}
	org := &domain.Organisation{Name: name, Kind: kind}
	if err := db.CreateOrganisation(ctx, org); err != nil {
		return 0, err
	}
	return org.ID, nil
}

// sessionTimes returns the start and end of a run of days days and hours
// hours that begins off days after now: at 9:00 on a Tuesday (Monday for
// longer courses); courses of more than five days meet once a week, of more
// than eight every other week.
func sessionTimes(now time.Time, loc *time.Location, off, days, hours int) (start, end time.Time) {
	d := now.In(loc)
	start = time.Date(d.Year(), d.Month(), d.Day()+off, 9, 0, 0, 0, loc)
	want := time.Tuesday
	if days > 3 {
		want = time.Monday
	}
	for start.Weekday() != want {
		start = start.AddDate(0, 0, 1)
	}
	last := start.AddDate(0, 0, days-1)
	switch {
	case days > 8:
		last = start.AddDate(0, 0, 14*(days-1))
	case days > 5:
		last = start.AddDate(0, 0, 7*(days-1))
	}
	perDay := (hours + days - 1) / days
	endMin := 9*60 + perDay*45 // teaching units of 45 minutes
	if perDay > 4 {
		endMin += 60 // lunch
	}
	endMin = min(endMin+(15-endMin%15)%15, 18*60)
	end = time.Date(last.Year(), last.Month(), last.Day(), endMin/60, endMin%60, 0, 0, loc)
	return start.UTC(), end.UTC()
}

// catalogSession is session k of catalog offer i at the place with the
// key: 2 to 10 months after now, registration closing a week before.
func catalogSession(now time.Time, loc *time.Location, i, k int, o *domain.Offer, key string) (*domain.Session, error) {
	off := 60 + (i*47+k*83)%234
	start, end := sessionTimes(now, loc, off, o.Days, o.Hours)
	s := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: end, Days: o.Days, Capacity: 12 + (i*7+k*11)%19,
		RegistrationDeadline: start.AddDate(0, 0, -7)}
	if key == "online" {
		s.Online = true
		s.Address = "Videokonferenz; die Zugangsdaten erhalten Sie eine Woche vor Beginn per E-Mail."
		return s, nil
	}
	p, ok := placeByKey(key)
	if !ok {
		return nil, fmt.Errorf("unknown place %q", key)
	}
	s.AGS = p.ags
	s.Address = p.venue + ", " + p.postcode + " " + shortName(p.name)
	return s, nil
}

// offerSpec is an offer of the demo catalog.
type offerSpec struct {
	provider, code              string
	title, summary, description string
	outcomes                    []string
	competences                 string // "CODE:level ..."
	level, format, language     string
	hours, days                 int
	workload                    string
	credits                     float64
	certificate                 string
	euros                       int64
	groups                      []string
	prerequisites, cancellation string
	funding                     string   // "programme/track"
	modules                     []string // codes of the provider's offers listed before
	places                      []string // one session per entry: a place key or "online"
}

func (s offerSpec) offer(providers map[string]int64, offerIDs map[string]int64) (*domain.Offer, error) {
	o := &domain.Offer{ProviderID: providers[s.provider], Code: s.code, Title: s.title, Summary: s.summary, Description: s.description,
		Outcomes: append([]string(nil), s.outcomes...), Level: s.level, Format: s.format, Language: s.language, Hours: s.hours,
		Days: s.days, Workload: s.workload, Credits: s.credits, Certificate: s.certificate, PriceCents: s.euros * 100,
		TargetGroups: append([]string(nil), s.groups...), Prerequisites: s.prerequisites, CancellationRule: s.cancellation,
		Competences: []domain.OfferCompetence{}, FundingTracks: []string{}, ModuleIDs: []int64{}}
	if o.ProviderID == 0 {
		return nil, fmt.Errorf("unknown provider %q", s.provider)
	}
	if o.Language == "" {
		o.Language = "de"
	}
	if o.Certificate == "" {
		o.Certificate = domain.CertParticipation
	}
	var err error
	if o.Competences, err = parseCompetences(s.competences); err != nil {
		return nil, err
	}
	if s.funding != "" {
		o.FundingTracks = []string{s.funding}
	}
	for _, m := range s.modules {
		id, ok := offerIDs[s.provider+"|"+m]
		if !ok {
			return nil, fmt.Errorf("module %s must come before the programme", m)
		}
		o.ModuleIDs = append(o.ModuleIDs, id)
	}
	return o, nil
}

// parseCompetences reads "CODE:level CODE:level".
func parseCompetences(s string) ([]domain.OfferCompetence, error) {
	var out []domain.OfferCompetence
	for _, f := range strings.Fields(s) {
		code, lv, ok := strings.Cut(f, ":")
		n, err := strconv.Atoi(lv)
		if !ok || err != nil {
			return nil, fmt.Errorf("competence %q: want CODE:level", f)
		}
		out = append(out, domain.OfferCompetence{Code: code, Level: n})
	}
	return out, nil
}

// Target groups.
const (
	gStaff       = "Beschäftigte in Kommunalverwaltungen"
	gLotsen      = "Kommunale Digitallotsinnen und Digitallotsen"
	gLeaders     = "Führungskräfte"
	gHeads       = "Amts- und Fachbereichsleitungen"
	gMayors      = "Bürgermeisterinnen und Bürgermeister"
	gDigital     = "Digitalisierungsbeauftragte"
	gIT          = "IT-Verantwortliche"
	gProjects    = "Projektleitungen"
	gOrg         = "Organisations- und Prozessverantwortliche"
	gPrivacy     = "Datenschutzbeauftragte"
	gSecurity    = "Informationssicherheitsbeauftragte"
	gHR          = "Personal- und Ausbildungsverantwortliche"
	gCaseworkers = "Sachbearbeiterinnen und Sachbearbeiter"
	gService     = "Beschäftigte im Bürgerservice"
	gSmart       = "Smart-City-Verantwortliche"
	gMainOffice  = "Hauptamtsleitungen"
	gJuniors     = "Nachwuchskräfte"
	gCouncil     = "Beschäftigte im Sitzungsdienst"
)

// Cancellation rules.
const (
	cStandard   = "Eine Stornierung ist bis 14 Tage vor Beginn kostenfrei. Danach berechnen wir 50 % der Teilnahmegebühr, ab drei Tagen vor Beginn die volle Gebühr. Sie können jederzeit eine Ersatzperson benennen."
	cProgramme  = "Bis vier Wochen vor Beginn kostenfrei stornierbar, danach 50 %, ab einer Woche vor Beginn 100 % der Teilnahmegebühr. Bei einer Förderung mit Gutschein gelten zusätzlich die Bedingungen des Förderprogramms."
	cFree       = "Die Teilnahme ist kostenfrei. Bitte sagen Sie ab, wenn Sie verhindert sind, damit Personen auf der Warteliste nachrücken können."
	cUniversity = "Ein Rücktritt ist bis sechs Wochen vor Beginn kostenfrei möglich. Danach wird eine Bearbeitungsgebühr von 150 € fällig, ab Beginn der Lehrveranstaltung die volle Gebühr."
	cSelfPaced  = "Sie können innerhalb von 14 Tagen nach der Buchung widerrufen, solange Sie den Kurs noch nicht begonnen haben."
	cOnline     = "Kostenfreie Stornierung bis sieben Tage vor dem Termin, danach wird die volle Gebühr fällig. Eine Umbuchung auf einen späteren Termin ist einmal kostenfrei möglich."
	cPrivate    = "Bis 30 Tage vor Beginn kostenfrei, bis 14 Tage vor Beginn 30 %, danach 80 % der Gebühr. Eine Ersatzperson können Sie ohne Aufpreis schicken."
)

// Prerequisites.
const (
	pNone      = "Keine besonderen Vorkenntnisse erforderlich."
	pBasis     = "Abgeschlossene Basisqualifizierung Kommunale Digitallotsen; für die Förderung im Aufbauprogramm ist sie Voraussetzung."
	pPractice  = "Erste praktische Erfahrungen mit Digitalisierungsvorhaben in der eigenen Verwaltung."
	pLeader    = "Führungsverantwortung für ein Team, ein Amt oder einen Fachbereich."
	pProjects  = "Grundkenntnisse im Projektmanagement, etwa aus einem Einführungskurs oder eigener Projektarbeit."
	pEnglish   = "Englischkenntnisse mindestens auf Niveau B2, da der Kurs vollständig auf Englisch stattfindet."
	pUniversal = "Abgeschlossene Ausbildung oder abgeschlossenes Studium im öffentlichen Dienst oder mehrjährige Berufserfahrung in der Verwaltung."
)

const (
	vs  = programmes.Verwaltungsschule
	vwa = programmes.VWA
	hsk = HochschuleKehl
	das = DigitalakademieSued
	fak = Fuehrungsakademie

	basis    = BWID + "/" + domain.TrackBasis
	advanced = BWID + "/" + domain.TrackAdvanced

	inPerson = domain.FormatInPerson
	online   = domain.FormatLiveOnline
	selfPace = domain.FormatSelfPaced
	blended  = domain.FormatBlended

	basic = domain.LevelBasic
	inter = domain.LevelIntermediate
	adv   = domain.LevelAdvanced
)

// catalogOffers is the demo catalog. Modules come before the programme
// that lists them.
var catalogOffers = []offerSpec{
	// Verwaltungsschule des Gemeindetags Baden-Württemberg
	{
		provider: vs, code: "VS-DL-BASIS", title: "Basisqualifizierung Kommunale Digitallotsen",
		summary: "Drei Seminartage, die Beschäftigte aus Städten, Gemeinden und Landkreisen zu Ansprechpersonen für die Digitalisierung ihrer Verwaltung machen.",
		description: "Die Basisqualifizierung vermittelt das Handwerkszeug der Kommunalen Digitallotsinnen und Digitallotsen. " +
			"Sie lernen die Grundlagen der Verwaltungsdigitalisierung, des Onlinezugangsgesetzes und der Prozessaufnahme kennen und erproben Methoden, mit denen Sie Kolleginnen und Kollegen für Veränderungen gewinnen. " +
			"Zwischen den Seminartagen bearbeiten Sie eine kleine Praxisaufgabe aus Ihrer eigenen Verwaltung. " +
			"Die Qualifizierung wird im Programm „Kommunale Digitallotsen“ des Landes mit einem Gutschein über 300 € gefördert.",
		outcomes: []string{
			"Sie erklären die Ziele der Verwaltungsdigitalisierung und die Rolle der Digitallotsen in der eigenen Verwaltung.",
			"Sie nehmen einen einfachen Verwaltungsprozess auf und erkennen Medienbrüche.",
			"Sie kennen die wichtigsten Onlinedienste und Plattformen für Kommunen in Baden-Württemberg.",
			"Sie planen einen ersten Digitalisierungsschritt gemeinsam mit Ihrer Verwaltungsleitung.",
		},
		competences: "STRAT.1:1 EGOV.1:1 PROZ.1:1 CHANGE.1:1", level: basic, format: inPerson, hours: 24, days: 3,
		workload: "3 Seminartage mit je 8 Unterrichtseinheiten und eine Praxisaufgabe", euros: 300,
		groups: []string{gStaff, gLotsen, gDigital}, prerequisites: pNone, cancellation: cProgramme, funding: basis,
		places: []string{"S", "HN", "FR"},
	},
	{
		provider: vs, code: "VS-DL-A01", title: "Aufbaumodul: OZG-Leistungen kommunal umsetzen",
		summary: "Ein Seminartag dazu, wie Kommunen Onlinedienste nach dem Onlinezugangsgesetz nachnutzen, einführen und bekannt machen.",
		description: "Das Onlinezugangsgesetz verpflichtet auch Kommunen, ihre Leistungen digital anzubieten. " +
			"Das Modul zeigt, welche Onlinedienste nach dem Prinzip „Einer für Alle“ zur Nachnutzung bereitstehen und wie Sie sie in der eigenen Verwaltung einführen. " +
			"Anhand von Beispielen aus baden-württembergischen Gemeinden besprechen wir Zuständigkeiten, Zahlungsabwicklung und die Anbindung an Fachverfahren. " +
			"Zum Abschluss erstellen Sie einen Umsetzungsplan für eine Leistung Ihrer Wahl.",
		outcomes: []string{
			"Sie kennen die Pflichten der Kommunen aus dem OZG und dem OZG-Änderungsgesetz.",
			"Sie finden passende EfA-Onlinedienste und bewerten ihren Nutzen für Ihre Verwaltung.",
			"Sie planen die Einführung eines Onlinedienstes mit allen Beteiligten.",
		},
		competences: "RECHT.1:2 EGOV.1:2", level: inter, format: inPerson, hours: 8, days: 1, euros: 180,
		groups: []string{gLotsen, gDigital, gService}, prerequisites: pBasis, cancellation: cProgramme, funding: advanced,
		places: []string{"S", "online"},
	},
	{
		provider: vs, code: "VS-DL-A02", title: "Aufbaumodul: Prozesse aufnehmen und digital neu denken",
		summary: "Im Praxisworkshop nehmen Sie einen Prozess Ihrer Verwaltung auf und entwerfen eine durchgängig digitale Variante.",
		description: "Digitalisierung beginnt beim Prozess, nicht bei der Software. " +
			"In diesem Aufbaumodul erheben Sie in Kleingruppen reale Abläufe aus den Verwaltungen der Teilnehmenden, etwa die Gewerbeanmeldung oder die Vergabe von Kita-Plätzen. " +
			"Sie stellen die Prozesse übersichtlich dar, finden Medienbrüche und Doppelarbeit und entwickeln einen Soll-Prozess. " +
			"Die Ergebnisse nehmen Sie als Vorlage für Ihre eigene Arbeit mit.",
		outcomes: []string{
			"Sie führen eine Prozessaufnahme mit Beteiligten aus dem Fachbereich durch.",
			"Sie stellen Ist- und Soll-Prozesse verständlich grafisch dar.",
			"Sie begründen Verbesserungsvorschläge mit Aufwand und Nutzen.",
		},
		competences: "PROZ.1:2 PROZ.2:1", level: inter, format: inPerson, hours: 8, days: 1, euros: 180,
		groups: []string{gLotsen, gOrg}, prerequisites: pBasis, cancellation: cProgramme, funding: advanced,
		places: []string{"LB"},
	},
	{
		provider: vs, code: "VS-DL-A03", title: "Aufbaumodul: Beschäftigte für den digitalen Wandel gewinnen",
		summary: "Wie Digitallotsen Vorbehalte ernst nehmen, Beteiligung organisieren und Kolleginnen und Kollegen beim Lernen begleiten.",
		description: "Neue Software allein verändert noch keine Verwaltung. " +
			"Das Modul behandelt typische Reaktionen auf Veränderungen und zeigt, wie Sie Beschäftigte früh beteiligen. " +
			"Sie üben Gesprächssituationen, planen eine interne Informationsveranstaltung und lernen kurze Lernformate für den Arbeitsplatz kennen. " +
			"Erfahrungen aus anderen Kommunen ergänzen die Übungen.",
		outcomes: []string{
			"Sie erkennen Widerstände als Hinweise und gehen konstruktiv mit ihnen um.",
			"Sie planen Kommunikation und Beteiligung für ein Digitalisierungsvorhaben.",
			"Sie setzen kurze Lernformate für Kolleginnen und Kollegen ein.",
		},
		competences: "CHANGE.1:2 CHANGE.2:2", level: inter, format: inPerson, hours: 8, days: 1, euros: 180,
		groups: []string{gLotsen, gDigital, gHR}, prerequisites: pBasis, cancellation: cProgramme, funding: advanced,
		places: []string{"RT", "FH"},
	},
	{
		provider: vs, code: "VS-DL-A04", title: "Aufbaumodul: KI-Assistenten im Verwaltungsalltag",
		summary: "Ein Online-Seminartag über Chancen, Grenzen und den rechtssicheren Einsatz von KI-Assistenten in der Kommunalverwaltung.",
		description: "Textassistenten, Übersetzungswerkzeuge und Chatbots halten Einzug in die Verwaltung. " +
			"Das Modul erklärt verständlich, wie Sprachmodelle arbeiten, und zeigt anhand von Beispielen, wo sie heute schon entlasten. " +
			"Ein Schwerpunkt liegt auf Datenschutz, Urheberrecht und den Pflichten aus der europäischen KI-Verordnung. " +
			"Sie entwickeln eine Nutzungsregel für Ihre Verwaltung im Entwurf.",
		outcomes: []string{
			"Sie erklären die Funktionsweise und die Grenzen von Sprachmodellen.",
			"Sie beurteilen, welche Aufgaben sich für KI-Unterstützung eignen.",
			"Sie entwerfen eine Dienstanweisung zum Einsatz von KI-Assistenten.",
		},
		competences: "KI.1:2 KI.2:1", level: inter, format: online, hours: 7, days: 1, euros: 160,
		groups: []string{gLotsen, gDigital, gIT}, prerequisites: pBasis, cancellation: cProgramme, funding: advanced,
		places: []string{"online", "online"},
	},
	{
		provider: vs, code: "VS-EAKTE", title: "Die E-Akte in kleinen Gemeinden einführen",
		summary: "Zwei Seminartage zu Recht, Organisation und Praxis der elektronischen Aktenführung in kleineren Verwaltungen.",
		description: "Die elektronische Akte verändert Ablage, Zusammenarbeit und Aufbewahrung grundlegend. " +
			"Das Seminar erläutert die Vorgaben des E-Government-Gesetzes Baden-Württemberg und die Anforderungen an eine revisionssichere Aktenführung. " +
			"Sie erarbeiten einen Aktenplan, klären das ersetzende Scannen und planen die Einführung in Etappen. " +
			"Die Referentinnen und Referenten kommen aus Gemeinden, die die E-Akte bereits eingeführt haben.",
		outcomes: []string{
			"Sie kennen die rechtlichen Anforderungen an die elektronische Aktenführung.",
			"Sie erstellen einen Aktenplan und Regeln für das ersetzende Scannen.",
			"Sie planen die stufenweise Einführung der E-Akte in Ihrer Verwaltung.",
		},
		competences: "RECHT.2:2 PROZ.2:2", level: inter, format: inPerson, hours: 14, days: 2, euros: 390,
		groups: []string{gMainOffice, gOrg, gCaseworkers}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"S", "TU"},
	},
	{
		provider: vs, code: "VS-DSGVO", title: "Datenschutz im Rathaus: DSGVO-Grundlagen für Beschäftigte",
		summary: "Ein kompaktes Online-Seminar zu den Regeln der DSGVO, die im Alltag jeder Verwaltungsmitarbeiterin und jedes Verwaltungsmitarbeiters gelten.",
		description: "Ob Bürgeranfrage per E-Mail, Fotos vom Stadtfest oder Auskunft an Dritte: Datenschutzfragen stellen sich täglich. " +
			"Das Seminar erklärt die Grundsätze der Datenschutz-Grundverordnung und des Landesdatenschutzgesetzes an typischen Fällen aus der Kommunalverwaltung. " +
			"Sie lernen, wann eine Verarbeitung zulässig ist, welche Rechte Betroffene haben und was bei einer Datenpanne zu tun ist.",
		outcomes: []string{
			"Sie wenden die Grundsätze der DSGVO auf Fälle aus Ihrem Arbeitsalltag an.",
			"Sie bearbeiten Auskunftsersuchen fristgerecht.",
			"Sie erkennen Datenschutzverletzungen und melden sie richtig.",
		},
		competences: "SEC.2:1", level: basic, format: online, hours: 4, days: 1, euros: 160,
		groups: []string{gStaff, gService, gJuniors}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online", "online", "online"},
	},
	{
		provider: vs, code: "VS-ISB", title: "Informationssicherheitsbeauftragte in Kommunen (mit Prüfung)",
		summary: "Ein Lehrgang, der auf die Aufgaben als Informationssicherheitsbeauftragte oder -beauftragter einer Gemeinde oder eines Landkreises vorbereitet.",
		description: "Kommunen sind zunehmend Ziel von Cyberangriffen, und viele benötigen eine verantwortliche Person für die Informationssicherheit. " +
			"Der Lehrgang vermittelt den IT-Grundschutz des BSI, den Aufbau eines Informationssicherheitsmanagements und die Notfallvorsorge. " +
			"Online-Lerneinheiten zur Vorbereitung wechseln sich mit Präsenztagen ab, an denen Sie an Fallbeispielen arbeiten. " +
			"Der Lehrgang endet mit einer schriftlichen Prüfung und einem Zertifikat.",
		outcomes: []string{
			"Sie bauen ein Informationssicherheitsmanagement nach IT-Grundschutz auf.",
			"Sie führen eine Schutzbedarfsfeststellung und eine Risikoanalyse durch.",
			"Sie erstellen ein Notfallkonzept für die wichtigsten IT-Verfahren.",
			"Sie berichten der Verwaltungsleitung über den Stand der Informationssicherheit.",
		},
		competences: "SEC.1:3 SEC.2:1", level: adv, format: blended, hours: 40, days: 5, certificate: domain.CertExam, euros: 1450,
		workload: "5 Präsenztage, etwa 20 Stunden Selbstlernphase und eine Prüfung",
		groups:   []string{gSecurity, gIT}, prerequisites: pPractice, cancellation: cStandard,
		places: []string{"S"},
	},
	{
		provider: vs, code: "VS-BUERGERSERVICE", title: "Bürgerservice digital: Onlinedienste und Servicekonten",
		summary: "Wie der Bürgerservice Onlineanträge, Servicekonten und Terminbuchung so nutzt, dass Beschäftigte und Bürgerschaft profitieren.",
		description: "Immer mehr Anliegen erreichen das Rathaus als Onlineantrag. " +
			"Das Seminar zeigt, wie Anträge aus dem Landesportal und den Servicekonten im Bürgerservice bearbeitet werden und wie Terminbuchung und Ticketsysteme Wartezeiten verkürzen. " +
			"Sie tauschen sich über Erfahrungen aus und entwickeln Ideen, wie Sie Bürgerinnen und Bürger bei der Nutzung digitaler Angebote unterstützen.",
		outcomes: []string{
			"Sie bearbeiten Onlineanträge sicher und ohne Medienbruch.",
			"Sie beraten Bürgerinnen und Bürger zu Servicekonten und Onlinediensten.",
			"Sie schlagen Verbesserungen für den digitalen Bürgerservice Ihrer Kommune vor.",
		},
		competences: "EGOV.1:1", level: basic, format: inPerson, hours: 7, days: 1, euros: 150,
		groups: []string{gService, gCaseworkers}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"HN", "KN"},
	},
	{
		provider: vs, code: "VS-PM-KOMPAKT", title: "Projektmanagement kompakt für Kommunalverwaltungen",
		summary: "Zwei Tage Projektmanagement-Grundlagen mit Vorlagen, die auch in kleinen Verwaltungen ohne Projektbüro funktionieren.",
		description: "Digitalisierungsvorhaben scheitern selten an der Technik, häufiger an unklaren Zielen und Zuständigkeiten. " +
			"Das Seminar führt in die Phasen eines Projekts ein, vom Projektauftrag über Planung und Steuerung bis zum Abschluss. " +
			"Sie arbeiten mit schlanken Vorlagen für Projektsteckbrief, Zeitplan und Statusbericht und wenden sie auf ein eigenes Vorhaben an.",
		outcomes: []string{
			"Sie formulieren einen Projektauftrag mit klaren Zielen und Rollen.",
			"Sie erstellen einen Zeit- und Ressourcenplan.",
			"Sie steuern ein Projekt mit Statusberichten und Risikoliste.",
		},
		competences: "PM.1:2", level: basic, format: inPerson, hours: 14, days: 2, euros: 360,
		groups: []string{gStaff, gProjects, gDigital}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"UL", "S"},
	},
	{
		provider: vs, code: "VS-GREMIEN", title: "Digitale Gremienarbeit: Sitzungsdienst und Ratsinformationssystem",
		summary: "Sitzungen des Gemeinderats papierlos vorbereiten, durchführen und dokumentieren.",
		description: "Der Sitzungsdienst ist in vielen Gemeinden einer der ersten Bereiche, die vollständig digital arbeiten. " +
			"Das Seminar zeigt den Weg von der Vorlage bis zur Niederschrift im Ratsinformationssystem und die rechtlichen Vorgaben der Gemeindeordnung für hybride Sitzungen. " +
			"Sie lernen, Ratsmitglieder bei der Umstellung zu unterstützen und Informationen für die Öffentlichkeit bereitzustellen.",
		outcomes: []string{
			"Sie organisieren den Sitzungsdienst durchgängig digital.",
			"Sie kennen die Voraussetzungen für Sitzungen mit Videozuschaltung.",
			"Sie veröffentlichen Sitzungsunterlagen barrierearm.",
		},
		competences: "NEWWORK.2:1 EGOV.1:1", level: basic, format: inPerson, hours: 7, days: 1, euros: 170,
		groups: []string{gCouncil, gMainOffice}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"LB"},
	},
	{
		provider: vs, code: "VS-SL-SICHER", title: "Selbstlernkurs: Sicher arbeiten am Verwaltungsarbeitsplatz",
		summary: "Ein E-Learning in kurzen Lektionen zu Passwörtern, Phishing und dem sicheren Umgang mit Daten am Arbeitsplatz.",
		description: "Die meisten Sicherheitsvorfälle beginnen mit einer unscheinbaren E-Mail. " +
			"In zwölf kurzen Lektionen lernen Sie, betrügerische Nachrichten zu erkennen, sichere Passwörter zu verwenden und Daten richtig zu speichern und weiterzugeben. " +
			"Kurze Tests am Ende jeder Lektion zeigen Ihnen, was Sie schon sicher beherrschen. " +
			"Sie können den Kurs jederzeit unterbrechen und fortsetzen.",
		outcomes: []string{
			"Sie erkennen Phishing-Mails und andere Betrugsversuche.",
			"Sie verwenden sichere Passwörter und die Zwei-Faktor-Anmeldung.",
			"Sie wissen, wie Sie einen Sicherheitsvorfall melden.",
		},
		competences: "SEC.1:1", level: basic, format: selfPace, hours: 3, days: 0, euros: 49,
		workload: "etwa 3 Stunden, frei einteilbar",
		groups:   []string{gStaff, gJuniors}, prerequisites: pNone, cancellation: cSelfPaced,
	},
	{
		provider: vs, code: "VS-SMART-LAND", title: "Smarte Gemeinde: Digitalisierung im ländlichen Raum",
		summary: "Ein Seminartag mit Beispielen, wie kleine Gemeinden mit digitalen Angeboten Daseinsvorsorge und Lebensqualität sichern.",
		description: "Smart City ist kein Thema nur für Großstädte. " +
			"Das Seminar stellt Projekte aus ländlichen Gemeinden vor, vom Bürgerbus mit App-Buchung über digitale Dorfplätze bis zur Pegelmessung am Bach. " +
			"Sie lernen Fördermöglichkeiten kennen und entwickeln eine Projektidee, die zu Ihrer Gemeinde passt.",
		outcomes: []string{
			"Sie kennen erprobte Smart-Village-Projekte und ihre Erfolgsbedingungen.",
			"Sie finden passende Förderprogramme für ein eigenes Vorhaben.",
			"Sie skizzieren eine Projektidee mit ersten Schritten.",
		},
		competences: "SMART.1:1 STRAT.2:1", level: basic, format: inPerson, hours: 7, days: 1, euros: 150,
		groups: []string{gMayors, gMainOffice, gDigital}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"FH", "KN"},
	},

	// Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg
	{
		provider: vwa, code: "VWA-DL-BASIS", title: "Basisqualifizierung Kommunale Digitallotsen",
		summary: "Die dreitägige Basisqualifizierung des Landesprogramms, an den Studienorten der VWA in Baden und Württemberg.",
		description: "Die Qualifizierung bereitet Sie darauf vor, die Digitalisierung in Ihrer Verwaltung als Ansprechperson zu begleiten. " +
			"An drei Seminartagen behandeln Sie digitale Verwaltungsleistungen, Prozessdenken, Veränderungsmanagement und die Angebote des Landes für Kommunen. " +
			"In einer Lerngruppe mit Beschäftigten anderer Kommunen entwickeln Sie ein erstes Vorhaben für Ihre Verwaltung. " +
			"Das Land fördert die Teilnahme im Programm „Kommunale Digitallotsen“ mit einem Gutschein über 300 €.",
		outcomes: []string{
			"Sie beschreiben Handlungsfelder der Verwaltungsdigitalisierung und ordnen Ihre Verwaltung ein.",
			"Sie erkennen Verbesserungspotenziale in Verwaltungsprozessen.",
			"Sie sprechen Kolleginnen und Kollegen zu digitalen Veränderungen wirksam an.",
			"Sie stellen ein erstes Digitalisierungsvorhaben Ihrer Verwaltungsleitung vor.",
		},
		competences: "STRAT.1:1 EGOV.1:1 PROZ.1:1 CHANGE.1:1", level: basic, format: inPerson, hours: 24, days: 3,
		workload: "3 Seminartage mit je 8 Unterrichtseinheiten", euros: 300,
		groups: []string{gStaff, gLotsen, gDigital}, prerequisites: pNone, cancellation: cProgramme, funding: basis,
		places: []string{"KA", "MA", "FR"},
	},
	{
		provider: vwa, code: "VWA-DL-A1", title: "Aufbaumodul: Digitalstrategie für die eigene Kommune entwickeln",
		summary: "Von der Bestandsaufnahme zur Roadmap: ein Seminartag zu Zielen, Handlungsfeldern und Prioritäten einer kommunalen Digitalstrategie.",
		description: "Viele Kommunen haben Einzelprojekte, aber keine gemeinsame Richtung. " +
			"Das Modul führt Schritt für Schritt durch die Erarbeitung einer Digitalstrategie: Bestandsaufnahme, Leitbild, Handlungsfelder und Maßnahmenplan. " +
			"Sie lernen, wie Gemeinderat, Verwaltung und Bürgerschaft beteiligt werden und wie die Umsetzung verfolgt wird. " +
			"Als Ergebnis erhalten Sie eine Gliederung und Arbeitsvorlagen für Ihre eigene Strategie.",
		outcomes: []string{
			"Sie führen eine Bestandsaufnahme des digitalen Reifegrads Ihrer Verwaltung durch.",
			"Sie leiten Handlungsfelder und Ziele einer Digitalstrategie ab.",
			"Sie priorisieren Maßnahmen in einer Roadmap.",
		},
		competences: "STRAT.1:2 STRAT.2:2", level: inter, format: inPerson, hours: 8, days: 1, euros: 195,
		groups: []string{gLotsen, gDigital, gMainOffice}, prerequisites: pBasis, cancellation: cProgramme, funding: advanced,
		places: []string{"KA"},
	},
	{
		provider: vwa, code: "VWA-DL-A2", title: "Aufbaumodul: Agile Methoden in Digitalisierungsprojekten",
		summary: "Scrum, Kanban und kurze Iterationen: was davon in der Verwaltung funktioniert und wie Sie anfangen.",
		description: "Agile Methoden versprechen schnellere Ergebnisse und zufriedenere Nutzerinnen und Nutzer. " +
			"Das Modul stellt Scrum und Kanban praxisnah vor und zeigt, wie sie sich mit Haushaltsrecht, Vergabe und Hierarchie verbinden lassen. " +
			"In einer Simulation durchlaufen Sie selbst einen Sprint und reflektieren, was Sie in Ihr eigenes Projekt übernehmen.",
		outcomes: []string{
			"Sie erklären Rollen, Ereignisse und Artefakte von Scrum und Kanban.",
			"Sie beurteilen, wann ein agiles oder ein hybrides Vorgehen passt.",
			"Sie planen den ersten Sprint eines eigenen Vorhabens.",
		},
		competences: "PM.2:2", level: inter, format: inPerson, hours: 8, days: 1, euros: 195,
		groups: []string{gLotsen, gProjects}, prerequisites: pBasis, cancellation: cProgramme, funding: advanced,
		places: []string{"MA", "online"},
	},
	{
		provider: vwa, code: "VWA-DL-A3", title: "Aufbaumodul: Open Data in der Kommune starten",
		summary: "Ein Online-Seminartag dazu, welche Daten eine Kommune veröffentlichen kann und wie ein erstes Open-Data-Angebot entsteht.",
		description: "Offene Daten schaffen Transparenz und ermöglichen neue Anwendungen für Bürgerschaft und Wirtschaft. " +
			"Das Modul erklärt die rechtlichen Grundlagen, geeignete Datensätze und offene Lizenzen. " +
			"Sie lernen Datenportale kennen und bereiten einen ersten Datensatz Ihrer Verwaltung so auf, dass er veröffentlicht werden kann.",
		outcomes: []string{
			"Sie kennen die rechtlichen Grundlagen für offene Verwaltungsdaten.",
			"Sie wählen geeignete Datensätze und Lizenzen aus.",
			"Sie beschreiben einen Datensatz mit Metadaten für ein Datenportal.",
		},
		competences: "EGOV.2:2", level: inter, format: online, hours: 7, days: 1, euros: 175,
		groups: []string{gLotsen, gDigital, gSmart}, prerequisites: pBasis, cancellation: cProgramme, funding: advanced,
		places: []string{"online"},
	},
	{
		provider: vwa, code: "VWA-DL-A4", title: "Aufbaumodul: Informationssicherheit für Digitallotsen",
		summary: "Was Digitallotsen über Informationssicherheit wissen müssen, um Vorhaben sicher zu planen und Risiken zu erkennen.",
		description: "Jedes Digitalisierungsvorhaben berührt die Informationssicherheit. " +
			"Das Modul erklärt die Grundbegriffe des IT-Grundschutzes, typische Angriffswege auf Kommunen und die Zusammenarbeit mit den Informationssicherheitsbeauftragten. " +
			"Anhand eines Planspiels üben Sie, wie eine Verwaltung im Ernstfall reagiert.",
		outcomes: []string{
			"Sie erkennen Sicherheitsanforderungen in Digitalisierungsvorhaben.",
			"Sie kennen typische Angriffswege und Schutzmaßnahmen.",
			"Sie wissen, wer im Sicherheitsvorfall was zu tun hat.",
		},
		competences: "SEC.1:2", level: inter, format: inPerson, hours: 8, days: 1, euros: 195,
		groups: []string{gLotsen, gIT}, prerequisites: pBasis, cancellation: cProgramme, funding: advanced,
		places: []string{"FR"},
	},
	{
		provider: vwa, code: "VWA-DIGIMAN", title: "Zertifikatslehrgang Digitalisierungsmanagerin / Digitalisierungsmanager (VWA)",
		summary: "Ein berufsbegleitender Lehrgang über gut sechs Monate, der Strategie, Projekt-, Prozess- und Veränderungsmanagement verbindet.",
		description: "Der Lehrgang richtet sich an Beschäftigte, die Digitalisierung in ihrer Verwaltung dauerhaft verantworten. " +
			"An fünfzehn Präsenztagen behandeln Sie Digitalstrategie, Projektsteuerung, Prozessmanagement und Veränderungsmanagement im Zusammenhang. " +
			"Zwischen den Präsenztagen bearbeiten Sie ein Praxisprojekt aus Ihrer Verwaltung, das Sie am Ende vor einer Prüfungskommission vorstellen. " +
			"Nach bestandener Prüfung erhalten Sie das Zertifikat der VWA.",
		outcomes: []string{
			"Sie entwickeln und steuern die Digitalisierungsvorhaben einer Verwaltung.",
			"Sie verbinden Prozess-, Projekt- und Veränderungsmanagement in einem Vorhaben.",
			"Sie vertreten Digitalisierungsthemen gegenüber Leitung und Gremien.",
			"Sie schließen ein Praxisprojekt mit Präsentation und Prüfung ab.",
		},
		competences: "STRAT.1:3 PM.1:2 PROZ.1:2 CHANGE.1:2", level: adv, format: blended, hours: 120, days: 15,
		workload: "15 Präsenztage, Praxisprojekt mit etwa 60 Stunden, Abschlussprüfung", certificate: domain.CertExam, euros: 1750,
		groups: []string{gDigital, gOrg, gProjects}, prerequisites: pUniversal, cancellation: cStandard,
		places: []string{"KA", "S"},
	},
	{
		provider: vwa, code: "VWA-BPMN", title: "Prozessmodellierung mit BPMN 2.0 – Praxisworkshop",
		summary: "Zwei Tage, an denen Sie Verwaltungsprozesse normgerecht in BPMN modellieren und für die Digitalisierung vorbereiten.",
		description: "BPMN ist der verbreitete Standard, um Abläufe so zu beschreiben, dass Fachbereich und IT sie gleich verstehen. " +
			"Der Workshop führt in die wichtigsten Symbole ein und übt die Modellierung an Prozessen aus Bürgerservice, Ordnungsamt und Bauverwaltung. " +
			"Sie lernen, Modelle übersichtlich zu halten und Schnittstellen zu Fachverfahren zu kennzeichnen. " +
			"Ein frei verfügbares Modellierungswerkzeug wird vorgestellt.",
		outcomes: []string{
			"Sie modellieren Verwaltungsprozesse korrekt in BPMN 2.0.",
			"Sie gestalten Modelle lesbar für Fachbereich und IT.",
			"Sie kennzeichnen Medienbrüche und Automatisierungspotenziale im Modell.",
		},
		competences: "PROZ.1:2", level: inter, format: inPerson, hours: 14, days: 2, euros: 420,
		groups: []string{gOrg, gDigital, gCaseworkers}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"MA", "HD"},
	},
	{
		provider: vwa, code: "VWA-RECHT-KOMPAKT", title: "OZG und E-Government-Gesetz: der Rechtsrahmen kompakt",
		summary: "Ein Online-Seminartag, der den Rechtsrahmen der Verwaltungsdigitalisierung von Bund und Land übersichtlich erklärt.",
		description: "Onlinezugangsgesetz, E-Government-Gesetze, Registermodernisierung: Der Rechtsrahmen der Digitalisierung ist dicht geworden. " +
			"Das Seminar ordnet die Gesetze und ihre Pflichten für Kommunen, erklärt Fristen und zeigt, wo die Verwaltung Spielräume hat. " +
			"Fragen der Teilnehmenden aus der Praxis werden ausführlich besprochen.",
		outcomes: []string{
			"Sie kennen die Pflichten der Kommunen aus OZG und E-Government-Gesetz.",
			"Sie ordnen neue Vorhaben rechtlich ein.",
			"Sie finden die einschlägigen Vorschriften für Fragen aus Ihrer Praxis.",
		},
		competences: "RECHT.1:1 RECHT.2:1", level: basic, format: online, hours: 6, days: 1, euros: 210,
		groups: []string{gStaff, gMainOffice, gDigital}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online", "online"},
	},
	{
		provider: vwa, code: "VWA-SCRUM", title: "Scrum in der öffentlichen Verwaltung – mit Zertifikatsprüfung",
		summary: "Drei Tage Scrum in Theorie und Praxis mit einer abschließenden Prüfung zur Scrum-Masterin oder zum Scrum-Master.",
		description: "Der Kurs vermittelt das Scrum-Rahmenwerk vollständig und übersetzt es in die Bedingungen der Verwaltung. " +
			"Sie üben die Moderation der Scrum-Ereignisse, den Umgang mit Anforderungen und die Zusammenarbeit mit Dienstleistern. " +
			"Am dritten Tag legen Sie eine schriftliche Prüfung ab. " +
			"Das Zertifikat weist Ihre Kenntnisse gegenüber Auftraggebern und Dienstleistern nach.",
		outcomes: []string{
			"Sie moderieren Sprint-Planung, Daily, Review und Retrospektive.",
			"Sie pflegen ein Product Backlog gemeinsam mit dem Fachbereich.",
			"Sie passen Scrum an Vergabe- und Haushaltsrecht an.",
		},
		competences: "PM.2:3", level: adv, format: inPerson, hours: 24, days: 3, certificate: domain.CertExam, euros: 890,
		groups: []string{gProjects, gIT, gDigital}, prerequisites: pProjects, cancellation: cStandard,
		places: []string{"S", "KA"},
	},
	{
		provider: vwa, code: "VWA-DISTANZ", title: "Führen auf Distanz: hybride Teams in der Verwaltung",
		summary: "Zwei Tage dazu, wie Führungskräfte Teams leiten, die teils im Büro und teils mobil arbeiten.",
		description: "Mobiles Arbeiten ist in vielen Verwaltungen selbstverständlich geworden, die Führung hat sich oft noch nicht angepasst. " +
			"Das Seminar behandelt Vertrauen und Verbindlichkeit, Regeln der Zusammenarbeit und gute Online-Besprechungen. " +
			"Sie reflektieren Ihre eigene Führungspraxis und vereinbaren Teamregeln, die Sie direkt erproben können.",
		outcomes: []string{
			"Sie vereinbaren mit Ihrem Team Regeln für hybride Zusammenarbeit.",
			"Sie führen Mitarbeitergespräche und Besprechungen auch online wirksam.",
			"Sie erkennen Überlastung und Vereinzelung frühzeitig.",
		},
		competences: "NEWWORK.1:2 CHANGE.1:1", level: inter, format: inPerson, hours: 14, days: 2, euros: 450,
		groups: []string{gLeaders, gHeads}, prerequisites: pLeader, cancellation: cStandard,
		places: []string{"HN"},
	},
	{
		provider: vwa, code: "VWA-KI-RECHT", title: "KI-Verordnung und Verwaltung: Was Kommunen jetzt wissen müssen",
		summary: "Ein Online-Seminar zur europäischen KI-Verordnung und ihren Folgen für den Einsatz von KI in Kommunen.",
		description: "Die KI-Verordnung der Europäischen Union stellt Anforderungen an alle, die KI-Systeme einsetzen, auch an Behörden. " +
			"Das Seminar erklärt die Risikoklassen, die Pflichten von Betreibern und die Anforderungen an KI-Kompetenz der Beschäftigten. " +
			"Sie prüfen anhand von Beispielen, welche Anwendungen in Ihrer Verwaltung betroffen sind, und planen die nächsten Schritte.",
		outcomes: []string{
			"Sie ordnen KI-Anwendungen den Risikoklassen der KI-Verordnung zu.",
			"Sie kennen die Pflichten einer Behörde als Betreiberin von KI-Systemen.",
			"Sie planen Maßnahmen zur KI-Kompetenz der Beschäftigten.",
		},
		competences: "KI.2:2 RECHT.2:1", level: inter, format: online, hours: 6, days: 1, euros: 240,
		groups: []string{gDigital, gIT, gPrivacy}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online"},
	},
	{
		provider: vwa, code: "VWA-SMARTCITY", title: "Smart City kompakt: von der Strategie zum ersten Projekt",
		summary: "Ein Seminartag zu Smart-City-Strategien, Beteiligung und Finanzierung mit Beispielen aus baden-württembergischen Städten.",
		description: "Smart-City-Vorhaben verbinden Stadtentwicklung, Daten und Beteiligung. " +
			"Das Seminar zeigt, wie Städte eine Smart-City-Strategie erarbeiten, Projekte auswählen und Sensorik sowie Datenplattformen sinnvoll einsetzen. " +
			"Sie lernen Finanzierungswege kennen und entwickeln einen Steckbrief für ein erstes Projekt.",
		outcomes: []string{
			"Sie kennen Bausteine einer Smart-City-Strategie.",
			"Sie wählen Projekte nach Nutzen und Machbarkeit aus.",
			"Sie beschreiben ein Smart-City-Projekt mit Zielen, Daten und Finanzierung.",
		},
		competences: "SMART.1:2 SMART.2:1", level: inter, format: inPerson, hours: 7, days: 1, euros: 230,
		groups: []string{gSmart, gDigital, gHeads}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"UL", "HD"},
	},
	{
		provider: vwa, code: "VWA-DSB", title: "Datenschutzbeauftragte in der Kommune – Grundkurs mit Prüfung",
		summary: "Ein viertägiger Grundkurs für angehende behördliche Datenschutzbeauftragte mit abschließender Prüfung.",
		description: "Jede Kommune muss eine Datenschutzbeauftragte oder einen Datenschutzbeauftragten benennen. " +
			"Der Kurs vermittelt die Aufgaben und die Stellung des Amts, das Verzeichnis der Verarbeitungstätigkeiten, Datenschutz-Folgenabschätzungen und den Umgang mit Datenpannen. " +
			"Sie üben an Fällen aus Einwohnermeldeamt, Personalverwaltung und Schulen. " +
			"Die Prüfung am letzten Tag weist die erforderliche Fachkunde nach.",
		outcomes: []string{
			"Sie kennen Aufgaben, Rechte und Pflichten einer behördlichen Datenschutzbeauftragten.",
			"Sie führen ein Verzeichnis der Verarbeitungstätigkeiten.",
			"Sie begleiten eine Datenschutz-Folgenabschätzung.",
			"Sie bearbeiten Datenschutzverletzungen und Beschwerden.",
		},
		competences: "SEC.2:3", level: adv, format: inPerson, hours: 32, days: 4, certificate: domain.CertExam, euros: 1190,
		groups: []string{gPrivacy}, prerequisites: pUniversal, cancellation: cStandard,
		places: []string{"S", "MA"},
	},

	// Hochschule Kehl – Institut für Digitale Verwaltung
	{
		provider: hsk, code: "HSK-M1", title: "Modul 1: Verwaltungsdigitalisierung und E-Government",
		summary: "Das erste Modul des Zertifikatsprogramms Digitale Verwaltung behandelt rechtliche und organisatorische Grundlagen des E-Government.",
		description: "Das Modul verbindet Verwaltungsrecht, Verwaltungswissenschaft und Praxis der digitalen Verwaltung. " +
			"Behandelt werden das Onlinezugangsgesetz, die E-Government-Gesetze, die Registermodernisierung und die föderale Zusammenarbeit im IT-Planungsrat. " +
			"Präsenztage am Campus Kehl wechseln sich mit betreuten Online-Lernphasen ab. " +
			"Das Modul schließt mit einer Hausarbeit ab und kann einzeln oder im Zertifikatsprogramm belegt werden.",
		outcomes: []string{
			"Sie ordnen Vorhaben der Verwaltungsdigitalisierung rechtlich und organisatorisch ein.",
			"Sie analysieren die föderale Steuerung der Digitalisierung.",
			"Sie bewerten digitale Verwaltungsleistungen aus Sicht der Nutzerinnen und Nutzer.",
		},
		competences: "EGOV.1:2 RECHT.1:2 RECHT.2:2", level: inter, format: blended, hours: 32, days: 4, credits: 5,
		certificate: domain.CertECTS, euros: 650, workload: "150 Stunden: 4 Präsenztage, Online-Lernphasen und Hausarbeit",
		groups: []string{gDigital, gStaff, gHeads}, prerequisites: pUniversal, cancellation: cUniversity,
		places: []string{"KEHL"},
	},
	{
		provider: hsk, code: "HSK-M2", title: "Modul 2: Prozessmanagement und Ende-zu-Ende-Digitalisierung",
		summary: "Das zweite Modul des Zertifikatsprogramms zeigt, wie Verwaltungsleistungen vom Antrag bis zum Bescheid digital werden.",
		description: "Im Mittelpunkt steht die durchgängige Digitalisierung von Verwaltungsleistungen. " +
			"Sie modellieren Prozesse, analysieren Schnittstellen zu Fachverfahren und Registern und entwerfen medienbruchfreie Abläufe. " +
			"Methoden des Prozessmanagements werden mit Fragen der Organisationsgestaltung verbunden. " +
			"Die Prüfungsleistung ist eine Prozessanalyse aus Ihrer eigenen Verwaltung.",
		outcomes: []string{
			"Sie analysieren Verwaltungsleistungen von Ende zu Ende.",
			"Sie entwerfen medienbruchfreie Soll-Prozesse mit Schnittstellen zu Fachverfahren.",
			"Sie bewerten Digitalisierungsvarianten nach Wirtschaftlichkeit.",
		},
		competences: "PROZ.1:2 PROZ.2:3", level: adv, format: blended, hours: 32, days: 4, credits: 5,
		certificate: domain.CertECTS, euros: 650, workload: "150 Stunden: 4 Präsenztage, Online-Lernphasen und Prozessanalyse",
		groups: []string{gOrg, gDigital}, prerequisites: pUniversal, cancellation: cUniversity,
		places: []string{"KEHL"},
	},
	{
		provider: hsk, code: "HSK-M3", title: "Modul 3: Digitale Transformation führen",
		summary: "Das dritte Modul des Zertifikatsprogramms behandelt Strategie, Führung und Veränderungsmanagement in der digitalen Verwaltung.",
		description: "Digitale Transformation ist vor allem eine Führungs- und Organisationsaufgabe. " +
			"Das Modul behandelt Digitalstrategien, Modelle des Veränderungsmanagements und agile Steuerung in hierarchischen Organisationen. " +
			"Fallstudien aus Kommunen in Deutschland und Europa bilden die Grundlage der Diskussion. " +
			"Die Prüfungsleistung ist ein Transformationskonzept für Ihre eigene Organisation.",
		outcomes: []string{
			"Sie entwickeln eine Transformationsstrategie für eine Verwaltungseinheit.",
			"Sie wählen passende Methoden des Veränderungsmanagements aus.",
			"Sie verbinden agile Steuerung mit den Strukturen der Verwaltung.",
		},
		competences: "CHANGE.1:2 STRAT.1:2 PM.2:1", level: adv, format: blended, hours: 32, days: 4, credits: 5,
		certificate: domain.CertECTS, euros: 650, workload: "150 Stunden: 4 Präsenztage, Online-Lernphasen und Transformationskonzept",
		groups: []string{gLeaders, gDigital, gHeads}, prerequisites: pUniversal, cancellation: cUniversity,
		places: []string{"KEHL"},
	},
	{
		provider: hsk, code: "HSK-ZP-DV", title: "Zertifikatsprogramm Digitale Verwaltung",
		summary: "Ein berufsbegleitendes Hochschulzertifikat aus drei Modulen mit 15 ECTS-Punkten, die auf ein Masterstudium angerechnet werden können.",
		description: "Das Zertifikatsprogramm bündelt die Module Verwaltungsdigitalisierung und E-Government, Prozessmanagement sowie Digitale Transformation führen. " +
			"Es richtet sich an Beschäftigte, die Digitalisierungsvorhaben verantworten und ihr Wissen wissenschaftlich fundieren möchten. " +
			"Die Module finden über etwa fünf Monate verteilt statt und schließen jeweils mit einer Prüfungsleistung ab. " +
			"Wer alle drei Module besteht, erhält das Hochschulzertifikat; die Punkte können auf den Masterstudiengang angerechnet werden.",
		outcomes: []string{
			"Sie gestalten Digitalisierungsvorhaben rechtlich, organisatorisch und strategisch fundiert.",
			"Sie analysieren und digitalisieren Verwaltungsleistungen von Ende zu Ende.",
			"Sie führen Veränderungsprozesse in der eigenen Organisation.",
			"Sie erwerben 15 ECTS-Punkte auf Masterniveau.",
		},
		competences: "EGOV.1:3 PROZ.2:3 CHANGE.1:3 STRAT.1:2", level: adv, format: blended, hours: 96, days: 12, credits: 15,
		certificate: domain.CertECTS, euros: 1800, workload: "etwa 450 Stunden über fünf Monate",
		groups: []string{gDigital, gLeaders, gOrg}, prerequisites: pUniversal, cancellation: cUniversity,
		modules: []string{"HSK-M1", "HSK-M2", "HSK-M3"},
		places:  []string{"KEHL"},
	},
	{
		provider: hsk, code: "HSK-KI", title: "KI in der öffentlichen Verwaltung: Grundlagen, Recht und Ethik",
		summary: "Ein Online-Kurs der Hochschule, der technische Grundlagen, Rechtsrahmen und ethische Fragen des KI-Einsatzes verbindet.",
		description: "Der Kurs erklärt, wie maschinelles Lernen und Sprachmodelle funktionieren und wo ihre Grenzen liegen. " +
			"Er behandelt die europäische KI-Verordnung, den Datenschutz und Fragen der Verantwortung bei automatisierten Entscheidungen. " +
			"An Fallbeispielen aus Sozialverwaltung, Bürgerservice und Bauverwaltung diskutieren Sie Chancen und Risiken. " +
			"Eine Fallstudie schließt den Kurs ab.",
		outcomes: []string{
			"Sie erklären die Funktionsweise gängiger KI-Verfahren.",
			"Sie beurteilen KI-Vorhaben nach Recht und Ethik.",
			"Sie entwickeln Kriterien für einen verantwortlichen KI-Einsatz.",
		},
		competences: "KI.1:2 KI.2:2", level: inter, format: online, hours: 16, days: 2, credits: 3,
		certificate: domain.CertECTS, euros: 490, workload: "90 Stunden: 2 Online-Tage, Selbststudium und Fallstudie",
		groups: []string{gDigital, gIT, gStaff}, prerequisites: pNone, cancellation: cUniversity,
		places: []string{"online", "online"},
	},
	{
		provider: hsk, code: "HSK-DATA", title: "Data Literacy für Verwaltungsbeschäftigte",
		summary: "Zwei Tage dazu, Daten der eigenen Verwaltung zu verstehen, auszuwerten und verständlich darzustellen.",
		description: "Gute Entscheidungen brauchen gute Daten, und viele Daten liegen in der Verwaltung bereits vor. " +
			"Der Kurs vermittelt Grundbegriffe der Statistik, den Umgang mit Tabellen und offenen Datenformaten sowie einfache Visualisierungen. " +
			"Sie arbeiten mit echten offenen Datensätzen aus Baden-Württemberg und lernen, typische Fehldeutungen zu vermeiden.",
		outcomes: []string{
			"Sie lesen und prüfen Datensätze kritisch.",
			"Sie werten Daten mit einfachen Werkzeugen aus.",
			"Sie stellen Ergebnisse verständlich in Grafiken dar.",
		},
		competences: "EGOV.2:2 SMART.2:1", level: basic, format: inPerson, hours: 14, days: 2, euros: 380,
		groups: []string{gStaff, gCaseworkers, gSmart}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"KEHL", "FR"},
	},
	{
		provider: hsk, code: "HSK-OPENGOV", title: "Open Government and Citizen Participation",
		summary: "Ein englischsprachiger Online-Kurs zu offenem Regierungs- und Verwaltungshandeln und digitaler Bürgerbeteiligung im europäischen Vergleich.",
		description: "Der Kurs findet auf Englisch statt und bringt Teilnehmende aus deutschen und französischen Verwaltungen zusammen. " +
			"Er behandelt Transparenz, offene Daten und Beteiligungsverfahren und vergleicht Ansätze aus mehreren europäischen Ländern. " +
			"In gemischten Gruppen entwickeln Sie ein Beteiligungskonzept für ein kommunales Vorhaben.",
		outcomes: []string{
			"Sie vergleichen Open-Government-Ansätze in Europa.",
			"Sie wählen passende digitale Beteiligungsformate aus.",
			"Sie präsentieren ein Beteiligungskonzept auf Englisch.",
		},
		competences: "EGOV.2:2 SMART.1:1", level: inter, format: online, language: "en", hours: 12, days: 2, credits: 2,
		certificate: domain.CertECTS, euros: 350, workload: "60 Stunden: 2 Online-Tage und Gruppenarbeit",
		groups: []string{gDigital, gSmart, gStaff}, prerequisites: pEnglish, cancellation: cUniversity,
		places: []string{"online"},
	},
	{
		provider: hsk, code: "HSK-SUMMER", title: "Summer School: Digital Public Services in Europe",
		summary: "Eine englischsprachige Summer School in Kehl mit Exkursion nach Straßburg zu digitalen Verwaltungsleistungen in Europa.",
		description: "Die Summer School bringt Beschäftigte und Studierende aus mehreren europäischen Ländern zusammen; Unterrichtssprache ist Englisch. " +
			"Themen sind das Once-Only-Prinzip, das Single Digital Gateway und grenzüberschreitende Verwaltungsleistungen am Oberrhein. " +
			"Vorträge, Workshops und eine Exkursion in die Verwaltung der Nachbarstadt wechseln sich ab. " +
			"Eine Projektarbeit in internationalen Teams schließt die Woche ab.",
		outcomes: []string{
			"Sie kennen die europäischen Vorgaben für digitale Verwaltungsleistungen.",
			"Sie vergleichen Lösungen verschiedener Mitgliedstaaten.",
			"Sie entwickeln in einem internationalen Team ein Konzept für eine grenzüberschreitende Leistung.",
		},
		competences: "EGOV.1:3 STRAT.2:2", level: adv, format: inPerson, language: "en", hours: 35, days: 5, credits: 5,
		certificate: domain.CertECTS, euros: 950, workload: "150 Stunden: Präsenzwoche, Vorbereitung und Projektarbeit",
		groups: []string{gDigital, gStaff, gJuniors}, prerequisites: pEnglish, cancellation: cUniversity,
		places: []string{"KEHL"},
	},
	{
		provider: hsk, code: "HSK-REGISTER", title: "Registermodernisierung und Once-Only-Prinzip",
		summary: "Ein Online-Seminar zu den Folgen der Registermodernisierung für die kommunalen Fachverfahren und Abläufe.",
		description: "Mit der Registermodernisierung sollen Bürgerinnen und Bürger ihre Nachweise nur noch einmal vorlegen müssen. " +
			"Das Seminar erklärt Identifikationsnummer, Datenschutzcockpit und Nachweisabruf und zeigt, was sich für Melde-, Standes- und Bauämter ändert. " +
			"Sie schätzen ein, welche Anpassungen in Ihrer Verwaltung nötig werden.",
		outcomes: []string{
			"Sie erklären Ziele und Bausteine der Registermodernisierung.",
			"Sie schätzen die Folgen für kommunale Fachverfahren ab.",
			"Sie planen organisatorische Anpassungen für den Nachweisabruf.",
		},
		competences: "RECHT.1:3 PROZ.2:2", level: adv, format: online, hours: 6, days: 1, euros: 290,
		groups: []string{gIT, gOrg, gDigital}, prerequisites: pPractice, cancellation: cOnline,
		places: []string{"online"},
	},
	{
		provider: hsk, code: "HSK-VERGABE", title: "IT-Beschaffung und Vergabe in Digitalisierungsprojekten",
		summary: "Zwei Tage zu Vergaberecht, Ausschreibung und Vertragsgestaltung bei Software und IT-Dienstleistungen.",
		description: "Viele Digitalisierungsvorhaben beginnen mit einer Beschaffung, und viele Verzögerungen auch. " +
			"Das Seminar erklärt die Vergabeverfahren für IT-Leistungen, die EVB-IT-Verträge und die Nachnutzung von Lösungen anderer Verwaltungen. " +
			"Sie formulieren Anforderungen und Zuschlagskriterien an einem Beispiel und lernen, agile Vorhaben vergaberechtlich abzubilden.",
		outcomes: []string{
			"Sie wählen das passende Vergabeverfahren für IT-Leistungen.",
			"Sie formulieren Leistungsbeschreibung und Zuschlagskriterien.",
			"Sie kennen die EVB-IT-Vertragstypen und ihre Anwendung.",
		},
		competences: "PM.1:2 RECHT.2:2", level: inter, format: inPerson, hours: 14, days: 2, euros: 460,
		groups: []string{gProjects, gIT, gCaseworkers}, prerequisites: pPractice, cancellation: cStandard,
		places: []string{"KEHL", "FR"},
	},
	{
		provider: hsk, code: "HSK-SL-OZG", title: "Selbstlernkurs: Das Onlinezugangsgesetz verstehen",
		summary: "Ein kostenfreier Selbstlernkurs mit Videos und Quizfragen zu Zielen, Umsetzung und Stand des Onlinezugangsgesetzes.",
		description: "Der Kurs gibt in sechs Lerneinheiten einen Überblick über das Onlinezugangsgesetz und seine Umsetzung in Bund, Ländern und Kommunen. " +
			"Kurze Videos, Lesetexte und Quizfragen wechseln sich ab. " +
			"Er eignet sich als Einstieg vor einem Präsenzseminar und zum Auffrischen.",
		outcomes: []string{
			"Sie erklären Ziele und Grundbegriffe des OZG.",
			"Sie kennen das Prinzip „Einer für Alle“.",
			"Sie wissen, welche Aufgaben das OZG den Kommunen stellt.",
		},
		competences: "RECHT.1:1 EGOV.1:1", level: basic, format: selfPace, hours: 6, days: 0, euros: 0,
		workload: "etwa 6 Stunden, frei einteilbar",
		groups:   []string{gStaff, gJuniors, gService}, prerequisites: pNone, cancellation: cFree,
	},
	{
		provider: hsk, code: "HSK-ZWILLING", title: "Urbane Datenplattformen und digitale Zwillinge",
		summary: "Ein Kurs über Aufbau, Betrieb und Nutzen urbaner Datenplattformen und digitaler Zwillinge für Städte und Gemeinden.",
		description: "Sensordaten, Geodaten und Verwaltungsdaten lassen sich auf einer urbanen Datenplattform zusammenführen. " +
			"Der Kurs erklärt Architektur, Standards und Betriebsmodelle solcher Plattformen und zeigt Anwendungen vom Parkraum bis zum Hochwasserschutz. " +
			"Sie bewerten, welche Daten Ihre Kommune bereits hat und welche Schritte zu einem digitalen Zwilling führen. " +
			"Eine Projektskizze ist die Prüfungsleistung.",
		outcomes: []string{
			"Sie beschreiben Architektur und Standards urbaner Datenplattformen.",
			"Sie bewerten Anwendungsfälle digitaler Zwillinge.",
			"Sie skizzieren den Aufbau einer Datenplattform für Ihre Kommune.",
		},
		competences: "SMART.2:3 SMART.1:2", level: adv, format: blended, hours: 24, days: 3, credits: 3,
		certificate: domain.CertECTS, euros: 690, workload: "90 Stunden: 3 Präsenztage, Selbststudium und Projektskizze",
		groups: []string{gSmart, gIT}, prerequisites: pPractice, cancellation: cUniversity,
		places: []string{"KEHL", "MA"},
	},
	{
		provider: hsk, code: "HSK-DESIGN", title: "Nutzerzentrierte Gestaltung von Verwaltungsleistungen",
		summary: "Zwei Tage, an denen Sie mit Methoden des Service Designs Verwaltungsleistungen aus Sicht der Nutzerinnen und Nutzer verbessern.",
		description: "Eine Leistung ist erst dann digital gelungen, wenn Menschen sie ohne Hilfe nutzen können. " +
			"Sie lernen Interviews, Personas und Nutzerreisen kennen und testen Formulare mit Bürgerinnen und Bürgern. " +
			"Am Beispiel einer realen Leistung entwickeln Sie Verbesserungen und einen einfachen Prototyp.",
		outcomes: []string{
			"Sie erheben Bedürfnisse von Nutzerinnen und Nutzern mit Interviews.",
			"Sie stellen Nutzerreisen dar und finden Hürden.",
			"Sie testen Prototypen und verbessern sie schrittweise.",
		},
		competences: "EGOV.1:2 PROZ.2:1", level: inter, format: inPerson, hours: 14, days: 2, euros: 420,
		groups: []string{gService, gDigital, gOrg}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"KEHL"},
	},

	// Digitalakademie Süd GmbH
	{
		provider: das, code: "DAS-PROMPT", title: "Prompting für die Verwaltung: Sprachmodelle sicher nutzen",
		summary: "Ein praxisnaher Online-Workshop, in dem Sie KI-Sprachmodelle für Texte, Zusammenfassungen und Recherche in der Verwaltung einsetzen.",
		description: "Sprachmodelle können Entwürfe schreiben, Texte zusammenfassen und in leichte Sprache übertragen. " +
			"Im Workshop üben Sie, Aufgaben so zu formulieren, dass brauchbare Ergebnisse entstehen, und prüfen diese kritisch. " +
			"Datenschutz und Vertraulichkeit sind in jeder Übung Thema. " +
			"Sie nehmen eine Sammlung erprobter Vorlagen für Ihren Arbeitsalltag mit.",
		outcomes: []string{
			"Sie formulieren wirksame Anweisungen für Sprachmodelle.",
			"Sie prüfen KI-Ergebnisse auf Fehler und Verzerrungen.",
			"Sie schützen personenbezogene und vertrauliche Daten beim KI-Einsatz.",
		},
		competences: "KI.2:2 KI.1:1", level: basic, format: online, hours: 6, days: 1, euros: 390,
		groups: []string{gStaff, gCaseworkers, gDigital}, prerequisites: pNone, cancellation: cPrivate,
		places: []string{"online", "online", "online"},
	},
	{
		provider: das, code: "DAS-KI-EINSTIEG", title: "KI-Grundlagen für Einsteigerinnen und Einsteiger",
		summary: "Ein Selbstlernkurs, der ohne Fachjargon erklärt, was künstliche Intelligenz kann und was nicht.",
		description: "Der Kurs erklärt in kurzen Videos und Übungen, wie KI-Systeme lernen, wo sie im Alltag begegnen und warum sie Fehler machen. " +
			"Beispiele aus der Verwaltung zeigen, welche Aufgaben sich eignen. " +
			"Ein Abschlusstest bestätigt Ihr Grundwissen, etwa als Nachweis der KI-Kompetenz nach der KI-Verordnung.",
		outcomes: []string{
			"Sie erklären Grundbegriffe der künstlichen Intelligenz.",
			"Sie erkennen Chancen und Grenzen von KI-Anwendungen.",
			"Sie weisen grundlegende KI-Kompetenz nach.",
		},
		competences: "KI.1:1", level: basic, format: selfPace, hours: 5, days: 0, euros: 89,
		workload: "etwa 5 Stunden, frei einteilbar",
		groups:   []string{gStaff, gJuniors}, prerequisites: pNone, cancellation: cSelfPaced,
	},
	{
		provider: das, code: "DAS-AI-ACT", title: "EU AI Act Essentials for Public Sector Teams",
		summary: "Ein englischsprachiges Online-Seminar zur europäischen KI-Verordnung für Verwaltungen, die in internationalen Projekten arbeiten.",
		description: "Das Seminar findet auf Englisch statt und richtet sich an Teams, die mit europäischen Partnern KI-Vorhaben planen. " +
			"Es erklärt die Risikoklassen der KI-Verordnung, die Pflichten von Anbietern und Betreibern und die Anforderungen an Dokumentation und Aufsicht. " +
			"Fallbeispiele aus mehreren Mitgliedstaaten zeigen, wie Behörden die Vorgaben umsetzen.",
		outcomes: []string{
			"Sie ordnen KI-Systeme den Risikoklassen der Verordnung zu.",
			"Sie kennen die Pflichten öffentlicher Stellen als Betreiber.",
			"Sie diskutieren Umsetzungsfragen mit europäischen Partnern auf Englisch.",
		},
		competences: "KI.2:2 RECHT.2:1", level: inter, format: online, language: "en", hours: 6, days: 1, euros: 450,
		groups: []string{gDigital, gIT, gPrivacy}, prerequisites: pEnglish, cancellation: cPrivate,
		places: []string{"online"},
	},
	{
		provider: das, code: "DAS-AGILE-LEAD", title: "Agile Leadership in Public Administration",
		summary: "Ein zweitägiges Führungstraining auf Englisch zu agiler Führung, Selbstorganisation und Zusammenarbeit in Netzwerken.",
		description: "Das Training findet auf Englisch statt, mit Teilnehmenden aus Verwaltungen mehrerer Länder. " +
			"Es behandelt agile Werte, Führung ohne Weisung, Entscheidungsverfahren in selbstorganisierten Teams und den Umgang mit Unsicherheit. " +
			"Übungen und kollegiale Beratung helfen, die Ansätze auf die eigene Organisation zu übertragen.",
		outcomes: []string{
			"Sie erklären Prinzipien agiler Führung.",
			"Sie stärken die Selbstorganisation Ihres Teams.",
			"Sie gestalten Entscheidungsverfahren transparent und beteiligend.",
		},
		competences: "PM.2:2 NEWWORK.1:2 CHANGE.1:2", level: adv, format: inPerson, language: "en", hours: 14, days: 2, euros: 980,
		groups: []string{gLeaders, gHeads}, prerequisites: pEnglish, cancellation: cPrivate,
		places: []string{"S"},
	},
	{
		provider: das, code: "DAS-KOLLAB", title: "Digitale Zusammenarbeit mit Kollaborationsplattformen",
		summary: "Ein Online-Seminartag dazu, wie Teams Dokumente gemeinsam bearbeiten, Aufgaben teilen und Wissen ablegen.",
		description: "Kollaborationsplattformen ersetzen E-Mail-Ketten und Dateiablagen mit vielen Versionen. " +
			"Das Seminar zeigt an einer souveränen Open-Source-Plattform, wie Teams gemeinsam an Dokumenten arbeiten, Aufgaben verteilen und Besprechungen vorbereiten. " +
			"Sie vereinbaren Regeln für die Ablage und lernen, Wissen so festzuhalten, dass es auffindbar bleibt.",
		outcomes: []string{
			"Sie bearbeiten Dokumente gemeinsam und ohne Versionschaos.",
			"Sie organisieren Aufgaben und Absprachen im Team digital.",
			"Sie legen Ablage- und Kommunikationsregeln fest.",
		},
		competences: "NEWWORK.2:2", level: basic, format: online, hours: 6, days: 1, euros: 290,
		groups: []string{gStaff, gCaseworkers}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online", "online"},
	},
	{
		provider: das, code: "DAS-KANBAN", title: "Kanban und Teamboards im Verwaltungsalltag",
		summary: "Ein Praxistag, an dem Sie mit Kanban Arbeit sichtbar machen, Engpässe erkennen und Durchlaufzeiten verkürzen.",
		description: "Kanban eignet sich für Teams mit vielen gleichartigen Vorgängen, etwa in der Sachbearbeitung. " +
			"Sie gestalten ein Teamboard, begrenzen laufende Arbeit und führen kurze Abstimmungen ein. " +
			"Ein Spiel zeigt, wie sich Durchlaufzeiten dadurch verändern. " +
			"Sie gehen mit einem fertigen Board-Entwurf für Ihr Team nach Hause.",
		outcomes: []string{
			"Sie machen die Arbeit Ihres Teams mit einem Kanban-Board sichtbar.",
			"Sie begrenzen parallele Arbeit und erkennen Engpässe.",
			"Sie führen kurze, regelmäßige Team-Abstimmungen ein.",
		},
		competences: "PM.2:1 NEWWORK.2:1", level: basic, format: inPerson, hours: 7, days: 1, euros: 320,
		groups: []string{gCaseworkers, gLeaders}, prerequisites: pNone, cancellation: cPrivate,
		places: []string{"MA", "S"},
	},
	{
		provider: das, code: "DAS-KRISE", title: "Cyberangriff auf die Kommune: Notfallübung für Krisenstäbe",
		summary: "Eine intensive Planspielübung, in der Verwaltungsleitung und IT einen Cyberangriff auf die eigene Kommune durchspielen.",
		description: "Wenn nach einem Angriff keine Fachverfahren mehr laufen, zählt jede Stunde. " +
			"In der Übung spielen Sie einen realistischen Angriff mit Verschlüsselung der Server durch, von der ersten Meldung bis zum Notbetrieb. " +
			"Sie treffen Entscheidungen unter Zeitdruck, kommunizieren mit Öffentlichkeit und Behörden und prüfen Ihre Notfallpläne. " +
			"Eine ausführliche Auswertung zeigt Handlungsbedarf für Ihre Verwaltung.",
		outcomes: []string{
			"Sie erproben Ihre Notfall- und Krisenorganisation.",
			"Sie treffen Entscheidungen im Notbetrieb strukturiert.",
			"Sie kommunizieren im Krisenfall nach innen und außen.",
			"Sie leiten Verbesserungen für Ihre Notfallvorsorge ab.",
		},
		competences: "SEC.1:3", level: adv, format: inPerson, hours: 8, days: 1, euros: 1190,
		groups: []string{gLeaders, gIT, gSecurity, gMainOffice}, prerequisites: pPractice, cancellation: cPrivate,
		places: []string{"S", "KA"},
	},
	{
		provider: das, code: "DAS-AWARENESS", title: "Security-Awareness für alle Beschäftigten",
		summary: "Ein kurzes E-Learning zu Informationssicherheit und Datenschutz, das sich für die Unterweisung aller Beschäftigten eignet.",
		description: "Das E-Learning behandelt in acht Einheiten Phishing, sichere Passwörter, mobiles Arbeiten und den Umgang mit personenbezogenen Daten. " +
			"Jede Einheit dauert etwa zehn Minuten und endet mit einer Wissensfrage. " +
			"Nach Abschluss erhalten Sie eine Bescheinigung, die als jährliche Unterweisung genutzt werden kann.",
		outcomes: []string{
			"Sie erkennen häufige Angriffe und reagieren richtig.",
			"Sie arbeiten auch unterwegs und im Homeoffice sicher.",
			"Sie gehen sorgfältig mit personenbezogenen Daten um.",
		},
		competences: "SEC.1:1 SEC.2:1", level: basic, format: selfPace, hours: 2, days: 0, euros: 29,
		workload: "etwa 90 Minuten, frei einteilbar",
		groups:   []string{gStaff, gJuniors}, prerequisites: pNone, cancellation: cSelfPaced,
	},
	{
		provider: das, code: "DAS-DESIGN-THINKING", title: "Design Thinking für Verwaltungsleistungen",
		summary: "Zwei Tage Design Thinking, in denen Sie eine Verwaltungsleistung gemeinsam mit Nutzerinnen und Nutzern neu denken.",
		description: "Design Thinking hilft, Probleme aus Sicht der Menschen zu verstehen, bevor Lösungen gebaut werden. " +
			"Sie durchlaufen alle Phasen der Methode an einer echten Leistung, vom Verstehen über Ideen bis zum Prototyp. " +
			"Dabei lernen Sie, kreative Workshops in der eigenen Verwaltung zu moderieren.",
		outcomes: []string{
			"Sie wenden die Phasen des Design Thinking an.",
			"Sie entwickeln und testen Prototypen mit Nutzerinnen und Nutzern.",
			"Sie moderieren kreative Workshops in Ihrer Verwaltung.",
		},
		competences: "EGOV.1:2 CHANGE.2:1", level: inter, format: inPerson, hours: 14, days: 2, euros: 690,
		groups: []string{gDigital, gOrg, gService}, prerequisites: pNone, cancellation: cPrivate,
		places: []string{"HD", "S"},
	},
	{
		provider: das, code: "DAS-LOWCODE", title: "Automatisierung mit Low-Code und Robotic Process Automation",
		summary: "Ein Blended-Learning-Kurs dazu, wiederkehrende Arbeitsschritte mit Low-Code-Werkzeugen und Software-Robotern zu automatisieren.",
		description: "Viele Arbeitsschritte in der Sachbearbeitung wiederholen sich: Daten übertragen, Dokumente erzeugen, Fristen überwachen. " +
			"Der Kurs zeigt, wie Sie solche Schritte mit Low-Code-Plattformen und Software-Robotern automatisieren, ohne selbst zu programmieren. " +
			"Nach einer Online-Einführung bauen Sie an zwei Präsenztagen eigene Automatisierungen und lernen, Betrieb und Sicherheit zu regeln.",
		outcomes: []string{
			"Sie erkennen Arbeitsschritte, die sich für Automatisierung eignen.",
			"Sie bauen einfache Automatisierungen mit Low-Code-Werkzeugen.",
			"Sie regeln Betrieb, Dokumentation und Sicherheit automatisierter Abläufe.",
		},
		competences: "PROZ.2:2 KI.2:1", level: inter, format: blended, hours: 22, days: 3, euros: 1150,
		groups: []string{gOrg, gIT, gCaseworkers}, prerequisites: pPractice, cancellation: cPrivate,
		places: []string{"KA"},
	},
	{
		provider: das, code: "DAS-DASHBOARD", title: "Dashboards und Datenvisualisierung für Kommunen",
		summary: "Ein zweitägiger Online-Kurs, in dem Sie aus kommunalen Daten verständliche Dashboards für Leitung und Öffentlichkeit bauen.",
		description: "Dashboards machen Kennzahlen auf einen Blick sichtbar, etwa zu Bearbeitungszeiten, Energieverbrauch oder Verkehr. " +
			"Der Kurs behandelt Datenquellen, die Wahl geeigneter Diagramme und den Aufbau eines Dashboards mit einem offenen Werkzeug. " +
			"Sie gestalten ein eigenes Dashboard mit Daten Ihrer Wahl.",
		outcomes: []string{
			"Sie wählen Kennzahlen und passende Darstellungen aus.",
			"Sie bauen ein Dashboard mit einem offenen Werkzeug.",
			"Sie bereiten Daten für Leitung und Öffentlichkeit verständlich auf.",
		},
		competences: "EGOV.2:2 SMART.2:2", level: inter, format: online, hours: 12, days: 2, euros: 540,
		groups: []string{gSmart, gDigital, gCaseworkers}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online"},
	},
	{
		provider: das, code: "DAS-STORY", title: "Veränderung kommunizieren: Storytelling für Digitalprojekte",
		summary: "Ein Online-Seminartag dazu, wie Sie Digitalisierungsvorhaben so erklären, dass Beschäftigte und Bürgerschaft sie verstehen und unterstützen.",
		description: "Gute Projekte scheitern oft daran, dass niemand ihren Nutzen versteht. " +
			"Sie lernen, Ziele und Nutzen eines Vorhabens als Geschichte zu erzählen, Botschaften für unterschiedliche Zielgruppen zu formulieren und Kanäle zu wählen. " +
			"Sie entwickeln einen Kommunikationsplan für Ihr eigenes Projekt.",
		outcomes: []string{
			"Sie formulieren klare Botschaften zu Ihrem Vorhaben.",
			"Sie wählen Kanäle und Formate für verschiedene Zielgruppen.",
			"Sie erstellen einen Kommunikationsplan.",
		},
		competences: "CHANGE.1:2", level: basic, format: online, hours: 6, days: 1, euros: 350,
		groups: []string{gDigital, gProjects, gLotsen}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online"},
	},
	{
		provider: das, code: "DAS-PL-DIGITAL", title: "Zertifikatslehrgang Projektleitung Digitalisierung",
		summary: "Ein Lehrgang über sechs Wochen, der klassische und agile Projektleitung für Digitalisierungsvorhaben mit einer Prüfung abschließt.",
		description: "Der Lehrgang qualifiziert Sie, Digitalisierungsprojekte selbstständig zu leiten. " +
			"Er behandelt Projektauftrag, Planung, Steuerung, Risiko- und Stakeholdermanagement ebenso wie Scrum und hybride Vorgehensmodelle. " +
			"Wöchentliche Präsenz- und Online-Termine wechseln sich ab, dazwischen arbeiten Sie an einem Fallprojekt. " +
			"Eine schriftliche Prüfung und die Präsentation des Fallprojekts schließen den Lehrgang ab.",
		outcomes: []string{
			"Sie planen und steuern Digitalisierungsprojekte klassisch, agil oder hybrid.",
			"Sie führen Risiko- und Stakeholdermanagement durch.",
			"Sie leiten Projektteams mit Beteiligten aus Fachbereich, IT und Dienstleistern.",
			"Sie weisen Ihre Kenntnisse in einer Prüfung nach.",
		},
		competences: "PM.1:3 PM.2:2", level: adv, format: blended, hours: 48, days: 6, certificate: domain.CertExam, euros: 1690,
		workload: "6 Termine im Wochenabstand, Fallprojekt und Prüfung",
		groups:   []string{gProjects, gDigital, gIT}, prerequisites: pProjects, cancellation: cPrivate,
		places: []string{"S", "online"},
	},

	// Führungsakademie Baden-Württemberg – Bereich Digitale Verwaltung
	{
		provider: fak, code: "FAK-DIGI-LEAD", title: "Digital Leadership für Führungskräfte der Kommunalverwaltung",
		summary: "Ein dreitägiges Führungsseminar dazu, wie Führungskräfte die digitale Transformation ihrer Verwaltung prägen.",
		description: "Führungskräfte entscheiden, ob Digitalisierung in einer Verwaltung gelingt. " +
			"Das Seminar verbindet Impulse zu Strategie und Technologie mit Fragen der eigenen Führungsrolle, der Fehlerkultur und der Zusammenarbeit über Ämtergrenzen. " +
			"In kollegialer Beratung bearbeiten Sie Anliegen aus Ihrer Praxis. " +
			"Ein Nachtreffen nach drei Monaten sichert den Transfer.",
		outcomes: []string{
			"Sie reflektieren Ihre Führungsrolle in der digitalen Transformation.",
			"Sie fördern eine Kultur des Lernens und Ausprobierens.",
			"Sie steuern Veränderungen über Ämtergrenzen hinweg.",
		},
		competences: "STRAT.1:2 CHANGE.1:3 NEWWORK.1:2", level: adv, format: inPerson, hours: 24, days: 3, euros: 1350,
		groups: []string{gLeaders, gHeads, gMayors}, prerequisites: pLeader, cancellation: cStandard,
		places: []string{"KA", "S"},
	},
	{
		provider: fak, code: "FAK-STRATEGIE", title: "Strategiewerkstatt: Digitalstrategie für Verwaltungsspitzen",
		summary: "Eine zweitägige Werkstatt, in der Verwaltungsspitzen die Eckpunkte der Digitalstrategie ihrer Kommune erarbeiten.",
		description: "Die Werkstatt richtet sich an Bürgermeisterinnen, Bürgermeister, Dezernentinnen und Dezernenten. " +
			"Sie bestimmen den digitalen Reifegrad Ihrer Verwaltung, setzen Prioritäten und klären Organisation und Finanzierung der Umsetzung. " +
			"Erfahrene Verwaltungsspitzen berichten, was sich bewährt hat. " +
			"Sie verlassen die Werkstatt mit einem abgestimmten Eckpunktepapier.",
		outcomes: []string{
			"Sie bestimmen den digitalen Reifegrad Ihrer Verwaltung.",
			"Sie legen strategische Prioritäten und Ziele fest.",
			"Sie klären Steuerung und Finanzierung der Umsetzung.",
		},
		competences: "STRAT.1:3 STRAT.2:2", level: adv, format: inPerson, hours: 14, days: 2, euros: 980,
		groups: []string{gMayors, gLeaders, gHeads}, prerequisites: pLeader, cancellation: cStandard,
		places: []string{"KA", "UL"},
	},
	{
		provider: fak, code: "FAK-CHEFSACHE", title: "Digitalisierung als Chefsache: Kompaktseminar für Bürgermeisterinnen und Bürgermeister",
		summary: "Ein kostenfreier Seminartag für neu gewählte Bürgermeisterinnen und Bürgermeister zu Pflichten, Chancen und ersten Schritten der Digitalisierung.",
		description: "Wer neu im Amt ist, muss schnell einschätzen, wo die eigene Verwaltung bei der Digitalisierung steht. " +
			"Das Seminar gibt einen Überblick über Rechtspflichten, Unterstützungsangebote des Landes und bewährte Organisationsformen. " +
			"Im Austausch mit erfahrenen Amtskolleginnen und -kollegen entwickeln Sie Ihre ersten hundert Tage.",
		outcomes: []string{
			"Sie kennen die Digitalisierungspflichten Ihrer Kommune.",
			"Sie nutzen Unterstützungsangebote des Landes und der Verbände.",
			"Sie planen erste Schritte für Ihre Verwaltung.",
		},
		competences: "STRAT.2:1 RECHT.1:1", level: basic, format: inPerson, hours: 7, days: 1, euros: 0,
		groups: []string{gMayors}, prerequisites: pNone, cancellation: cFree,
		places: []string{"LB", "FR"},
	},
	{
		provider: fak, code: "FAK-CHANGE", title: "Change-Management in Behörden: Veränderungsprozesse wirksam steuern",
		summary: "Zwei Seminartage zu Modellen, Rollen und Werkzeugen des Veränderungsmanagements in öffentlichen Verwaltungen.",
		description: "Veränderung in Behörden folgt eigenen Regeln: Personalrat, Gremien und lange Entscheidungswege gehören dazu. " +
			"Das Seminar stellt bewährte Modelle des Veränderungsmanagements vor und übersetzt sie in die Verwaltungspraxis. " +
			"Sie analysieren ein eigenes Vorhaben, planen Beteiligung und Kommunikation und üben schwierige Gespräche.",
		outcomes: []string{
			"Sie wählen ein passendes Modell für Ihr Veränderungsvorhaben.",
			"Sie beteiligen Personalvertretung und Beschäftigte frühzeitig.",
			"Sie führen Gespräche mit Skeptikerinnen und Skeptikern konstruktiv.",
		},
		competences: "CHANGE.1:2 CHANGE.2:2", level: inter, format: inPerson, hours: 14, days: 2, euros: 740,
		groups: []string{gLeaders, gHR, gDigital}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"KA"},
	},
	{
		provider: fak, code: "FAK-NEWWORK", title: "New Work in der Verwaltung: Arbeitsorte, Arbeitszeit, Arbeitskultur",
		summary: "Ein Online-Seminar zu flexiblen Arbeitsmodellen, Desk-Sharing und den Folgen für Führung und Zusammenarbeit.",
		description: "Verwaltungen konkurrieren um Fachkräfte, und flexible Arbeitsmodelle sind dabei ein wichtiges Argument. " +
			"Das Seminar behandelt mobiles Arbeiten, Desk-Sharing und Vertrauensarbeitszeit mit ihren rechtlichen und organisatorischen Voraussetzungen. " +
			"Beispiele aus Kommunen zeigen, wie Raumkonzepte und Dienstvereinbarungen aussehen können.",
		outcomes: []string{
			"Sie kennen Modelle flexibler Arbeit und ihre Voraussetzungen.",
			"Sie bewerten Raumkonzepte wie Desk-Sharing für Ihre Verwaltung.",
			"Sie bereiten eine Dienstvereinbarung zu mobilem Arbeiten vor.",
		},
		competences: "NEWWORK.1:2 NEWWORK.2:1", level: inter, format: online, hours: 6, days: 1, euros: 280,
		groups: []string{gLeaders, gHR, gMainOffice}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online"},
	},
	{
		provider: fak, code: "FAK-KI-LEAD", title: "KI verantwortungsvoll einführen: ein Leitfaden für Führungskräfte",
		summary: "Ein Seminartag dazu, wie Führungskräfte den Einsatz von KI in ihrer Verwaltung planen, regeln und begleiten.",
		description: "KI-Werkzeuge werden in Verwaltungen oft zuerst von einzelnen Beschäftigten genutzt, bevor es Regeln gibt. " +
			"Das Seminar zeigt, wie Führungskräfte Einsatzfelder auswählen, Regeln aufstellen, Beschäftigte qualifizieren und Risiken steuern. " +
			"Sie erarbeiten einen Fahrplan für die Einführung in Ihrem Verantwortungsbereich.",
		outcomes: []string{
			"Sie wählen geeignete Einsatzfelder für KI aus.",
			"Sie stellen Regeln für den KI-Einsatz auf.",
			"Sie planen Qualifizierung und Begleitung der Beschäftigten.",
		},
		competences: "KI.2:2 STRAT.1:1", level: inter, format: inPerson, hours: 7, days: 1, euros: 390,
		groups: []string{gLeaders, gHeads, gDigital}, prerequisites: pLeader, cancellation: cStandard,
		places: []string{"S"},
	},
	{
		provider: fak, code: "FAK-COACHING", title: "Führungskräfte-Coaching Digitale Transformation",
		summary: "Ein Blended-Learning-Programm mit Präsenzmodulen, Gruppencoaching und Einzelcoaching für Führungskräfte in Veränderungsprozessen.",
		description: "Das Programm begleitet Führungskräfte über mehrere Monate durch ein konkretes Veränderungsvorhaben. " +
			"Zwei Präsenztage vermitteln Grundlagen, zwei Online-Gruppencoachings und drei Einzelcoachings unterstützen die Umsetzung. " +
			"Sie arbeiten an Ihrer Rolle, an schwierigen Situationen und an Ihrer Wirkung im Team. " +
			"Die Gruppe bleibt über das Programm hinweg zusammen.",
		outcomes: []string{
			"Sie führen ein eigenes Veränderungsvorhaben mit Begleitung durch.",
			"Sie stärken Ihre Führungswirkung in Veränderungssituationen.",
			"Sie nutzen kollegiale Beratung als dauerhaftes Werkzeug.",
		},
		competences: "CHANGE.1:3 NEWWORK.1:1", level: adv, format: blended, hours: 30, days: 4, euros: 1800,
		workload: "2 Präsenztage, 2 Gruppencoachings und 3 Einzelcoachings über vier Monate",
		groups:   []string{gLeaders, gHeads}, prerequisites: pLeader, cancellation: cStandard,
		places: []string{"KA"},
	},
	{
		provider: fak, code: "FAK-PORTFOLIO", title: "Projektportfoliomanagement für Digitalisierungsvorhaben",
		summary: "Zwei Tage dazu, wie Verwaltungen viele Digitalisierungsvorhaben gleichzeitig priorisieren, steuern und verantworten.",
		description: "Wenn Dutzende Vorhaben um dieselben Menschen und Mittel konkurrieren, braucht es ein Portfoliomanagement. " +
			"Das Seminar zeigt, wie Vorhaben bewertet, priorisiert und über ein gemeinsames Berichtswesen gesteuert werden. " +
			"Sie entwerfen ein schlankes Portfolioverfahren, das zur Größe Ihrer Verwaltung passt.",
		outcomes: []string{
			"Sie bewerten und priorisieren Vorhaben nach einheitlichen Kriterien.",
			"Sie steuern ein Portfolio mit einem schlanken Berichtswesen.",
			"Sie verbinden Portfolio, Haushalt und Digitalstrategie.",
		},
		competences: "PM.1:3 STRAT.1:2", level: adv, format: inPerson, hours: 14, days: 2, euros: 860,
		groups: []string{gLeaders, gDigital, gProjects}, prerequisites: pProjects, cancellation: cStandard,
		places: []string{"KA"},
	},
	{
		provider: fak, code: "FAK-SICHERHEIT", title: "Informationssicherheit ist Leitungsaufgabe",
		summary: "Ein Online-Seminar für Verwaltungsspitzen und Führungskräfte zu ihrer Verantwortung für die Informationssicherheit.",
		description: "Für die Informationssicherheit ist die Behördenleitung verantwortlich, auch wenn sie Aufgaben delegiert. " +
			"Das Seminar erklärt Haftungsfragen, den Aufbau einer Sicherheitsorganisation und die Bedeutung von Notfallübungen. " +
			"Sie prüfen mit einer Checkliste, wo Ihre Verwaltung steht.",
		outcomes: []string{
			"Sie kennen Ihre Verantwortung für die Informationssicherheit.",
			"Sie richten eine wirksame Sicherheitsorganisation ein.",
			"Sie bewerten den Stand Ihrer Verwaltung mit einer Checkliste.",
		},
		competences: "SEC.1:2", level: inter, format: online, hours: 4, days: 1, euros: 250,
		groups: []string{gMayors, gLeaders, gMainOffice}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online"},
	},
	{
		provider: fak, code: "FAK-SMART-REGION", title: "Smarte Region: interkommunale Zusammenarbeit bei der Digitalisierung",
		summary: "Zwei Tage dazu, wie Gemeinden, Städte und Landkreise Digitalisierungsvorhaben gemeinsam planen, finanzieren und betreiben.",
		description: "Viele Aufgaben der Digitalisierung sind für eine einzelne Gemeinde zu groß. " +
			"Das Seminar stellt Formen interkommunaler Zusammenarbeit vor, von der Vereinbarung bis zum Zweckverband, und zeigt regionale Smart-City-Projekte. " +
			"Sie klären rechtliche und finanzielle Fragen und entwickeln eine Kooperationsidee für Ihre Region.",
		outcomes: []string{
			"Sie kennen rechtliche Formen interkommunaler Zusammenarbeit.",
			"Sie bewerten regionale Smart-City-Projekte.",
			"Sie entwickeln eine Kooperationsidee mit Nachbarkommunen.",
		},
		competences: "SMART.1:2 STRAT.2:2", level: inter, format: inPerson, hours: 14, days: 2, euros: 520,
		groups: []string{gMayors, gSmart, gMainOffice}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"HN", "TU"},
	},
	{
		provider: fak, code: "FAK-MULTI", title: "Multiplikatorinnen und Multiplikatoren für digitale Kompetenzen ausbilden",
		summary: "Ein Blended-Learning-Kurs für Beschäftigte, die Kolleginnen und Kollegen bei digitalen Themen schulen und begleiten sollen.",
		description: "Digitale Kompetenzen verbreiten sich am besten durch Kolleginnen und Kollegen, die sie weitergeben. " +
			"Der Kurs vermittelt Grundlagen der Erwachsenenbildung, kurze Schulungsformate und den Aufbau eines internen Netzwerks von Ansprechpersonen. " +
			"Sie entwickeln und erproben eine eigene Lerneinheit.",
		outcomes: []string{
			"Sie gestalten kurze, wirksame Schulungen für Kolleginnen und Kollegen.",
			"Sie bauen ein Netzwerk von Ansprechpersonen auf.",
			"Sie messen den Erfolg von Lernangeboten.",
		},
		competences: "CHANGE.2:3", level: inter, format: blended, hours: 21, days: 3, euros: 690,
		groups: []string{gHR, gDigital, gLotsen}, prerequisites: pNone, cancellation: cStandard,
		places: []string{"S"},
	},
	{
		provider: fak, code: "FAK-ONBOARDING", title: "Digitales Onboarding und Wissensmanagement",
		summary: "Ein Online-Seminar dazu, wie Verwaltungen neue Beschäftigte digital einarbeiten und Wissen beim Generationswechsel sichern.",
		description: "In den nächsten Jahren gehen viele erfahrene Beschäftigte in den Ruhestand. " +
			"Das Seminar zeigt, wie Wissen dokumentiert, in Wikis und Lernpfaden bereitgestellt und an neue Kolleginnen und Kollegen weitergegeben wird. " +
			"Sie entwerfen einen digitalen Einarbeitungsplan für eine Stelle Ihrer Wahl.",
		outcomes: []string{
			"Sie sichern Erfahrungswissen strukturiert.",
			"Sie gestalten einen digitalen Einarbeitungsplan.",
			"Sie wählen geeignete Werkzeuge für das Wissensmanagement.",
		},
		competences: "NEWWORK.2:2 CHANGE.2:1", level: basic, format: online, hours: 6, days: 1, euros: 260,
		groups: []string{gHR, gLeaders}, prerequisites: pNone, cancellation: cOnline,
		places: []string{"online"},
	},
	{
		provider: fak, code: "FAK-PROZESS", title: "Prozessverantwortung übernehmen: Prozessmanagement für Führungskräfte",
		summary: "Ein Seminartag dazu, wie Führungskräfte Prozesse ihres Bereichs verantworten, messen und gemeinsam mit dem Team verbessern.",
		description: "Prozesse gehören niemandem, solange keine Führungskraft die Verantwortung übernimmt. " +
			"Das Seminar erklärt Rollen im Prozessmanagement, einfache Kennzahlen und Methoden der kontinuierlichen Verbesserung. " +
			"Sie legen für einen Prozess Ihres Bereichs Ziele und Kennzahlen fest.",
		outcomes: []string{
			"Sie übernehmen die Rolle der Prozessverantwortlichen.",
			"Sie messen Prozesse mit wenigen aussagekräftigen Kennzahlen.",
			"Sie verbessern Prozesse gemeinsam mit Ihrem Team.",
		},
		competences: "PROZ.1:2 PROZ.2:1", level: inter, format: inPerson, hours: 7, days: 1, euros: 420,
		groups: []string{gLeaders, gHeads, gOrg}, prerequisites: pLeader, cancellation: cStandard,
		places: []string{"KA", "RT"},
	},
}
