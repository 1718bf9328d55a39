package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/competences"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// generatedProviders are the providers of generated offers, "Bildungswerk
// <town>", with the prefix of their course codes.
var generatedProviders = []struct{ town, prefix string }{
	{"Aalen", "AA"}, {"Baden-Baden", "BAD"}, {"Biberach", "BC"}, {"Böblingen", "BB"}, {"Bruchsal", "BRU"},
	{"Esslingen", "ES"}, {"Friedrichshafen", "FN"}, {"Göppingen", "GP"}, {"Heidenheim", "HDH"}, {"Heilbronn", "HN"},
	{"Karlsruhe", "KA"}, {"Konstanz", "KN"}, {"Lörrach", "LOE"}, {"Ludwigsburg", "LB"}, {"Mannheim", "MA"},
	{"Offenburg", "OG"}, {"Pforzheim", "PF"}, {"Ravensburg", "RV"}, {"Reutlingen", "RT"}, {"Rottweil", "RW"},
	{"Schwäbisch Hall", "SHA"}, {"Sigmaringen", "SIG"}, {"Tübingen", "TUE"}, {"Ulm", "UL"}, {"Villingen-Schwenningen", "VIL"},
}

// A variant sets a generated offer apart from the catalog offer it is
// based on.
type variant struct {
	suffix   string // added to the title
	sentence string // added to the summary
	group    string // added to the target groups
	level    int    // level shift
	days     int    // days added
}

var variants = []variant{
	{}, {}, {},
	{suffix: "Kompaktkurs", sentence: "Das Wichtigste in kompakter Form."},
	{suffix: "Vertiefung", sentence: "Die Vertiefung richtet sich an Teilnehmende mit ersten Erfahrungen im Thema.", level: 1, days: 1},
	{suffix: "Auffrischung", sentence: "Die Auffrischung bringt Ihr Wissen auf den aktuellen Stand.", level: -1},
	{suffix: "Praxiswerkstatt", sentence: "In der Werkstatt arbeiten Sie vor allem an Fällen aus Ihrer eigenen Verwaltung."},
	{suffix: "Schwerpunkt kleine Gemeinden", sentence: "Zugeschnitten auf Gemeinden mit weniger als 10.000 Einwohnerinnen und Einwohnern.",
		group: "Beschäftigte kleiner Gemeinden"},
	{suffix: "Schwerpunkt Landkreise", sentence: "Mit Beispielen und Fragestellungen aus Landratsämtern.", group: "Beschäftigte in Landratsämtern"},
	{suffix: "Schwerpunkt Großstädte", sentence: "Mit Beispielen aus Stadtkreisen und Großen Kreisstädten.", group: "Beschäftigte in Stadtverwaltungen"},
	{suffix: "für Nachwuchskräfte", sentence: "Besonders geeignet für Auszubildende, Anwärterinnen und Anwärter sowie Berufseinsteigende.",
		group: gJuniors, level: -1},
}

var providerSentences = []string{
	"Das %s bietet den Kurs gemeinsam mit Praktikerinnen und Praktikern aus Kommunalverwaltungen an.",
	"Die Referentinnen und Referenten des %s arbeiten selbst in der Verwaltung oder beraten Kommunen.",
	"Das %s stellt Ihnen alle Unterlagen und Vorlagen zum Download bereit.",
	"Im Anschluss lädt das %s zu einem offenen Erfahrungsaustausch ein.",
	"Das %s achtet auf kleine Gruppen, damit genug Zeit für Ihre Fragen bleibt.",
}

var genVenues = []string{"Bürgerhaus, Saal 1", "Rathaus, Großer Sitzungssaal", "Volkshochschule, Raum 12", "Bildungszentrum, Seminarraum 3",
	"Kulturzentrum, Raum Forum", "Technologiezentrum, Konferenzraum 2", "Stadthalle, Seminarbereich", "Landratsamt, Schulungsraum"}

// genProvider is a provider generated offers are assigned to.
type genProvider struct {
	id     int64
	name   string
	prefix string
	next   int // next number of a course code
	funded bool
}

// GenerateOffers adds n generated, published offers to the catalog, the
// same ones for the same seed and database: variants of the demo catalog's
// offers by 25 "Bildungswerk" providers (created if missing) and, about one
// in ten with funding of the Digitallotsen programme, by its two
// providers. Sessions take place in the largest municipalities of
// Baden-Württemberg in the directory, or online. It is for trying the
// catalog's search and pages with a realistic amount of data.
func GenerateOffers(ctx context.Context, db *store.DB, n int, seed int64, now time.Time) error {
	if n <= 0 {
		return nil
	}
	if err := competences.Install(ctx, db); err != nil {
		return err
	}
	ids, err := programmes.Install(ctx, db)
	if err != nil {
		return err
	}
	where, err := generatorPlaces(ctx, db)
	if err != nil {
		return err
	}
	var free, funded []*genProvider
	for _, g := range generatedProviders {
		name := "Bildungswerk " + g.town
		id, err := provider(ctx, db, name)
		if err != nil {
			return err
		}
		free = append(free, &genProvider{id: id, name: name, prefix: g.prefix})
	}
	funded = []*genProvider{
		{id: ids[programmes.Verwaltungsschule], name: programmes.Verwaltungsschule, prefix: "VS-A", funded: true},
		{id: ids[programmes.VWA], name: programmes.VWA, prefix: "VWA-A", funded: true},
	}
	for _, p := range append(free, funded...) {
		_, total, err := db.Offers(ctx, store.OfferFilter{ProviderID: p.id, Limit: 1})
		if err != nil {
			return err
		}
		p.next = total + 1
	}
	var topics, short []*offerSpec
	for i := range catalogOffers {
		t := &catalogOffers[i]
		if t.funding != "" || len(t.modules) > 0 {
			continue
		}
		topics = append(topics, t)
		if t.format != domain.FormatSelfPaced && t.days <= 3 && t.language == "" {
			short = append(short, t)
		}
	}
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.FixedZone("MEZ", 3600)
	}
	g := &generator{r: rand.New(rand.NewPCG(uint64(seed), uint64(seed)^0x5eed_1075e)), now: now, loc: loc, year: now.In(loc).Year(),
		places: where}
	const batch = 5000
	offers := make([]domain.Offer, 0, min(n, batch))
	for i := 0; i < n; i++ {
		if g.r.IntN(10) == 0 {
			offers = append(offers, g.offer(short[g.r.IntN(len(short))], funded[g.r.IntN(len(funded))]))
		} else {
			offers = append(offers, g.offer(topics[g.r.IntN(len(topics))], free[g.r.IntN(len(free))]))
		}
		if len(offers) == batch || i == n-1 {
			if err := db.BulkInsertOffers(ctx, offers); err != nil {
				return fmt.Errorf("generate offers: %w", err)
			}
			offers = offers[:0]
		}
	}
	return nil
}

// generatorPlaces returns the largest municipalities of Baden-Württemberg
// in the directory; with fewer than ten there, the demo catalog's places.
func generatorPlaces(ctx context.Context, db *store.DB) ([]domain.Municipality, error) {
	ms, _, err := db.Municipalities(ctx, domain.MunicipalityFilter{State: "08", Kind: domain.AreaMunicipality, Limit: 200})
	if err != nil {
		return nil, err
	}
	bw := ms[:0]
	for _, m := range ms {
		if m.DistrictAGS != "08999" { // not the demo's made-up district
			bw = append(bw, m)
		}
	}
	if len(bw) >= 10 {
		return bw, nil
	}
	if err := ensurePlaces(ctx, db); err != nil {
		return nil, err
	}
	out := make([]domain.Municipality, 0, len(catalogPlaces))
	for _, p := range catalogPlaces {
		out = append(out, domain.Municipality{AGS: p.ags, Name: p.name, Postcode: p.postcode, Population: p.population})
	}
	return out, nil
}

type generator struct {
	r      *rand.Rand
	now    time.Time
	loc    *time.Location
	year   int
	places []domain.Municipality
}

func (g *generator) pick(ss []string) string { return ss[g.r.IntN(len(ss))] }

// offer generates an offer of p based on the catalog offer t.
func (g *generator) offer(t *offerSpec, p *genProvider) domain.Offer {
	r := g.r
	v := variants[r.IntN(len(variants))]
	if t.language == "en" && v.group != "" {
		v = variant{}
	}
	title := t.title
	for _, prefix := range []string{"Aufbaumodul: ", "Selbstlernkurs: ", "Modul 1: ", "Modul 2: ", "Modul 3: "} {
		title = strings.TrimPrefix(title, prefix)
	}
	o := domain.Offer{ProviderID: p.id, Code: fmt.Sprintf("%s-%02d-%05d", p.prefix, g.year%100, p.next), Summary: t.summary,
		Description: t.description + " " + fmt.Sprintf(providerSentences[r.IntN(len(providerSentences))], p.name),
		Outcomes:    t.outcomes, Level: t.level, Format: t.format, Language: t.language, Hours: t.hours, Days: t.days,
		Workload: t.workload, Credits: t.credits, Certificate: t.certificate, Prerequisites: t.prerequisites,
		CancellationRule: t.cancellation, FundingTracks: []string{}, ModuleIDs: []int64{}}
	p.next++
	if o.Language == "" {
		o.Language = "de"
	}
	if o.Certificate == "" {
		o.Certificate = domain.CertParticipation
	}
	o.Competences, _ = parseCompetences(t.competences)
	o.TargetGroups = append(make([]string, 0, len(t.groups)+1), t.groups...)
	// The variant: title, summary, level, duration.
	if p.funded {
		v.days = 0
	}
	if v.suffix == "" && r.IntN(4) == 0 {
		v.suffix = fmt.Sprintf("Update %d", g.year)
	}
	if v.suffix != "" {
		if strings.Contains(title, " – ") {
			title += " (" + v.suffix + ")"
		} else {
			title += " – " + v.suffix
		}
	}
	o.Title = title
	if v.sentence != "" {
		o.Summary += " " + v.sentence
	}
	if v.group != "" && len(o.TargetGroups) < 10 {
		o.TargetGroups = append(o.TargetGroups, v.group)
	}
	lv := levelIndex(o.Level) + v.level
	o.Level = domain.OfferLevels[max(0, min(lv, len(domain.OfferLevels)-1))]
	if o.Format != domain.FormatSelfPaced && !strings.Contains(t.title+t.summary, "Online") && !strings.Contains(t.title+t.summary, "Präsenz") {
		switch {
		case o.Format == domain.FormatInPerson && r.IntN(10) < 3:
			o.Format = domain.FormatLiveOnline
		case o.Format == domain.FormatLiveOnline && r.IntN(10) < 3:
			o.Format = domain.FormatInPerson
		}
	}
	if o.Format != domain.FormatSelfPaced && v.days > 0 && o.Days < 5 {
		perDay := (o.Hours + o.Days - 1) / o.Days
		o.Days += v.days
		o.Hours += perDay * v.days
		o.Workload = ""
	}
	// Price: around the catalog's, in steps of 10 €; some are free.
	euros := t.euros * int64(70+r.IntN(61)) / 100
	euros = min(euros/10*10, 1800)
	if o.Days > t.days && t.days > 0 {
		euros = min(euros*int64(o.Days)/int64(t.days)/10*10, 1800)
	}
	switch {
	case p.funded:
		euros = min(max(euros, 150), 450)
		o.FundingTracks = []string{BWID + "/" + domain.TrackAdvanced}
		o.Prerequisites, o.CancellationRule = pBasis, cProgramme
		o.Title = "Aufbaumodul: " + o.Title
	case r.IntN(100) < 6:
		euros = 0
		o.CancellationRule = cFree
	}
	o.PriceCents = euros * 100
	switch {
	case o.Certificate == domain.CertECTS && r.IntN(10) < 6:
		o.Certificate, o.Credits = domain.CertParticipation, 0
	case o.Certificate == domain.CertParticipation && r.IntN(10) == 0:
		o.Certificate = domain.CertExam
	}
	if o.Format == domain.FormatSelfPaced {
		return o
	}
	sessions := []int{0, 1, 1, 1, 1, 2, 2, 2, 3, 3}[r.IntN(10)]
	for k := 0; k < sessions; k++ {
		start, end := sessionTimes(g.now, g.loc, 60+r.IntN(234), o.Days, o.Hours)
		s := domain.Session{StartsAt: start, EndsAt: end, Days: o.Days, Capacity: 12 + r.IntN(19), RegistrationDeadline: start.AddDate(0, 0, -7)}
		if o.Format == domain.FormatLiveOnline || (o.Format == domain.FormatBlended && r.IntN(4) == 0) {
			s.Online = true
			s.Address = "Videokonferenz; die Zugangsdaten erhalten Sie eine Woche vor Beginn per E-Mail."
		} else {
			// Larger places are more likely.
			u := r.Float64()
			m := g.places[int(u*u*float64(len(g.places)))]
			s.AGS = m.AGS
			s.Address = g.pick(genVenues) + ", " + strings.TrimSpace(m.Postcode+" "+shortName(m.Name))
		}
		o.Sessions = append(o.Sessions, s)
	}
	return o
}

func levelIndex(level string) int {
	for i, l := range domain.OfferLevels {
		if l == level {
			return i
		}
	}
	return 0
}
