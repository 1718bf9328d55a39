package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// GenStart is the reference time of Generate: its sessions lie in the 12
// months after it.
var GenStart = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)

// GenProgramme is the programme ID of the generated offers' funding
// tracks (generated data names no real programme).
const GenProgramme = "foerderprogramm"

// Generate returns n deterministic, realistic training offers of German
// municipal administration (topics, formats, levels, 25 providers, the 44
// districts of Baden-Württemberg plus "online", sessions over the 12 months
// after GenStart, prices 0 to 2,000 €, funding tracks on about 10 %), for
// tests, benchmarks and demo catalogs. IDs are 1..n.
func Generate(n int, seed int64) []Doc {
	return GenerateAt(n, seed, GenStart)
}

// GenerateAt is Generate with sessions in the 12 months after start.
func GenerateAt(n int, seed int64, start time.Time) []Doc {
	r := rand.New(rand.NewPCG(uint64(seed), 0x4c6f747365))
	docs := make([]Doc, n)
	for i := range docs {
		docs[i] = genDoc(r, int64(i+1), start)
	}
	return docs
}

type genTopic struct {
	title       string
	areas       []string
	competences []string
	summaries   []string
	sentences   []string
	outcomes    []string
}

var genTopics = []genTopic{
	{"Projektmanagement", []string{"PM"},
		[]string{"Projektplanung", "Projektsteuerung", "Stakeholdermanagement"},
		[]string{"Projekte in der Verwaltung strukturiert planen, steuern und abschließen.", "Methoden und Werkzeuge des Projektmanagements für kommunale Vorhaben."},
		[]string{"Sie lernen, Projektaufträge zu formulieren, Meilensteine zu planen und Risiken zu bewerten.", "Anhand eines Digitalisierungsprojekts Ihrer Kommune erstellen Sie einen Projektstrukturplan.", "Klassisches und hybrides Projektmanagement werden gegenübergestellt."},
		[]string{"Projektaufträge klar formulieren", "Projektpläne mit Meilensteinen erstellen", "Projektrisiken erkennen und steuern"}},
	{"Digitale Verwaltung", []string{"DIGI"},
		[]string{"Digitale Verwaltungsleistungen", "Digitalstrategie"},
		[]string{"Grundlagen der digitalen Verwaltung für Beschäftigte in Kommunen.", "Wie Kommunen ihre Verwaltungsleistungen digital anbieten."},
		[]string{"Der Kurs zeigt, wie digitale Antragsverfahren Bürgerinnen und Bürgern Wege ersparen.", "Sie lernen Portale, Servicekonten und digitale Bezahlverfahren kennen.", "Beispiele aus Baden-Württemberg zeigen, was digitale Verwaltung heute leistet."},
		[]string{"Digitale Angebote der eigenen Verwaltung bewerten", "Digitalisierungsvorhaben priorisieren"}},
	{"Onlinezugangsgesetz (OZG)", []string{"DIGI", "RECHT"},
		[]string{"OZG-Umsetzung", "Digitale Verwaltungsleistungen"},
		[]string{"Das Onlinezugangsgesetz und seine Umsetzung in der Kommune.", "OZG 2.0: Pflichten, Fristen und Nachnutzung für Kommunen."},
		[]string{"Sie erfahren, welche Leistungen nach dem OZG online angeboten werden müssen.", "Das Einer-für-Alle-Prinzip und die Nachnutzung von Onlinediensten werden erläutert.", "Die Umsetzung des Onlinezugangsgesetzes wird an Beispielen aus Kommunen gezeigt."},
		[]string{"Pflichten aus dem Onlinezugangsgesetz kennen", "Onlinedienste nachnutzen"}},
	{"Informationssicherheit", []string{"DS"},
		[]string{"Informationssicherheitsmanagement", "IT-Grundschutz"},
		[]string{"Informationssicherheit in der Kommune nach IT-Grundschutz.", "Sicher arbeiten: Phishing, Passwörter und Notfallpläne."},
		[]string{"Sie lernen den IT-Grundschutz des BSI und die Rolle des Informationssicherheitsbeauftragten kennen.", "Typische Angriffe wie Phishing und Ransomware werden an Beispielen erklärt.", "Sie entwickeln einen Notfallplan für den Ausfall zentraler Fachverfahren."},
		[]string{"Sicherheitsvorfälle erkennen und melden", "Schutzbedarf von Informationen feststellen"}},
	{"Datenschutz", []string{"DS", "RECHT"},
		[]string{"Datenschutzrecht", "Datenschutzmanagement"},
		[]string{"Datenschutz nach DSGVO im kommunalen Alltag.", "Datenschutzrecht für Beschäftigte der Kommunalverwaltung."},
		[]string{"Sie lernen die Grundsätze der Datenschutz-Grundverordnung und des Landesdatenschutzgesetzes kennen.", "Das Verzeichnis von Verarbeitungstätigkeiten und die Datenschutz-Folgenabschätzung werden geübt.", "Auskunftsersuchen und Datenpannen werden an Fällen aus der Praxis besprochen."},
		[]string{"Datenschutzrechtliche Anforderungen anwenden", "Datenpannen richtig behandeln"}},
	{"Künstliche Intelligenz in der Verwaltung", []string{"DATEN"},
		[]string{"Künstliche Intelligenz", "Datenkompetenz"},
		[]string{"Chancen und Grenzen künstlicher Intelligenz in der Verwaltung.", "Generative KI sicher und rechtskonform im Verwaltungsalltag nutzen."},
		[]string{"Sie probieren Sprachmodelle an typischen Aufgaben der Verwaltung aus.", "Die KI-Verordnung der EU und ihre Folgen für Kommunen werden erläutert.", "Sie lernen, gute Anweisungen für KI-Assistenten zu formulieren."},
		[]string{"Einsatzfelder künstlicher Intelligenz bewerten", "KI-Werkzeuge verantwortungsvoll einsetzen"}},
	{"Change-Management", []string{"FUE"},
		[]string{"Veränderungsmanagement", "Führungskompetenz"},
		[]string{"Veränderungen in der Verwaltung gestalten und begleiten.", "Change-Management für Führungskräfte in Kommunen."},
		[]string{"Sie lernen Modelle des Veränderungsmanagements und ihre Grenzen kennen.", "Widerstände werden als Hinweise verstanden und konstruktiv genutzt.", "Sie entwickeln einen Kommunikationsplan für ein Veränderungsvorhaben."},
		[]string{"Veränderungsprozesse planen", "Beschäftigte in Veränderungen mitnehmen"}},
	{"Prozessmanagement", []string{"PM"},
		[]string{"Prozessmodellierung", "Prozessoptimierung"},
		[]string{"Verwaltungsprozesse erheben, modellieren und optimieren.", "Prozessmanagement mit BPMN für die Kommunalverwaltung."},
		[]string{"Sie modellieren Prozesse mit BPMN und finden Medienbrüche.", "Die Optimierung von Abläufen wird an einem Antragsverfahren geübt.", "Sie lernen, Prozesse für die Digitalisierung vorzubereiten."},
		[]string{"Prozesse mit BPMN modellieren", "Medienbrüche erkennen und beseitigen"}},
	{"Open Data", []string{"DATEN"},
		[]string{"Datenkompetenz", "Datenmanagement"},
		[]string{"Offene Daten der Kommune veröffentlichen und nutzen.", "Open Data: Daten bereitstellen, beschreiben und pflegen."},
		[]string{"Sie lernen Datenportale, Lizenzen und Metadaten kennen.", "Die Veröffentlichung von Datensätzen wird Schritt für Schritt geübt.", "Beispiele zeigen, wie offene Daten Transparenz schaffen."},
		[]string{"Datensätze veröffentlichen", "Lizenzen für offene Daten auswählen"}},
	{"Smart City", []string{"DIGI"},
		[]string{"Smart-City-Strategie", "Digitalstrategie"},
		[]string{"Smart City: Strategien für die digitale Kommune.", "Vernetzte Stadt: Sensorik, Datenplattformen und Bürgerbeteiligung."},
		[]string{"Sie lernen Smart-City-Projekte aus Baden-Württemberg kennen.", "Urbane Datenplattformen und Sensornetze werden vorgestellt.", "Sie entwickeln Ideen für eine Smart-City-Strategie Ihrer Kommune."},
		[]string{"Smart-City-Vorhaben planen", "Datenplattformen beurteilen"}},
	{"Agiles Arbeiten", []string{"PM", "FUE"},
		[]string{"Agile Methoden", "Teamarbeit"},
		[]string{"Agile Methoden wie Scrum und Kanban in der Verwaltung.", "Agiles Arbeiten im Team: Grundlagen und Praxis."},
		[]string{"Sie erproben Scrum und Kanban an einem Vorhaben Ihrer Verwaltung.", "Retrospektiven und kurze Feedbackschleifen werden geübt.", "Sie lernen, wann agile Methoden passen und wann nicht."},
		[]string{"Agile Methoden auswählen", "Arbeit mit Kanban-Boards organisieren"}},
	{"E-Akte", []string{"DIGI"},
		[]string{"Elektronische Aktenführung", "Dokumentenmanagement"},
		[]string{"Einführung der E-Akte in der Kommunalverwaltung.", "Elektronische Aktenführung rechtssicher gestalten."},
		[]string{"Sie lernen die Grundsätze ordnungsgemäßer elektronischer Aktenführung kennen.", "Das ersetzende Scannen und die Aufbewahrung werden erklärt.", "Die Einführung eines Dokumentenmanagementsystems wird geplant."},
		[]string{"Elektronische Akten führen", "Schriftgut rechtssicher aufbewahren"}},
	{"Barrierefreiheit digitaler Angebote", []string{"DIGI", "RECHT"},
		[]string{"Barrierefreiheit", "Nutzerzentrierung"},
		[]string{"Barrierefreie Webseiten und Dokumente in der Verwaltung.", "Digitale Barrierefreiheit nach BITV umsetzen."},
		[]string{"Sie prüfen Webseiten und PDF-Dokumente auf Barrierefreiheit.", "Die Anforderungen der BITV und der WCAG werden erläutert.", "Leichte Sprache und verständliche Formulare werden geübt."},
		[]string{"Barrieren in Dokumenten erkennen", "Barrierefreie Formulare gestalten"}},
	{"Vergaberecht für IT-Beschaffungen", []string{"RECHT"},
		[]string{"Vergaberecht", "IT-Beschaffung"},
		[]string{"IT-Leistungen rechtssicher ausschreiben und vergeben.", "Vergaberecht für die Beschaffung von Software und Cloud-Diensten."},
		[]string{"Sie lernen Vergabearten, Schwellenwerte und EVB-IT-Verträge kennen.", "Die Leistungsbeschreibung für eine Softwarebeschaffung wird geübt.", "Open-Source-Software in der Vergabe wird besprochen."},
		[]string{"Vergabeverfahren auswählen", "Leistungsbeschreibungen erstellen"}},
	{"Führen in der digitalen Transformation", []string{"FUE"},
		[]string{"Führungskompetenz", "Veränderungsmanagement"},
		[]string{"Führung auf Distanz und in hybriden Teams.", "Digitale Transformation als Führungsaufgabe."},
		[]string{"Sie reflektieren Ihre Rolle als Führungskraft in der Digitalisierung.", "Hybride Zusammenarbeit und Führen auf Distanz werden geübt.", "Sie lernen, Digitalisierungsvorhaben strategisch zu verankern."},
		[]string{"Hybride Teams führen", "Digitale Transformation gestalten"}},
	{"Bürgerkommunikation in sozialen Medien", []string{"KOMM"},
		[]string{"Öffentlichkeitsarbeit", "Social Media"},
		[]string{"Soziale Medien für die Kommunikation der Kommune nutzen.", "Krisenkommunikation und Community-Management für Kommunen."},
		[]string{"Sie planen einen Redaktionsplan für die Kanäle Ihrer Kommune.", "Der Umgang mit Hassrede und Falschinformationen wird geübt.", "Rechtliche Fragen wie Impressum und Bildrechte werden geklärt."},
		[]string{"Redaktionspläne erstellen", "Kritische Kommentare moderieren"}},
	{"Cloud-Dienste und IT-Betrieb", []string{"TECH"},
		[]string{"IT-Betrieb", "Cloud-Computing"},
		[]string{"Cloud-Dienste in der Kommune sicher nutzen.", "Grundlagen des IT-Betriebs für Verwaltungsbeschäftigte."},
		[]string{"Sie lernen Betriebsmodelle von der eigenen Serverlandschaft bis zur Cloud kennen.", "Digitale Souveränität und die Deutsche Verwaltungscloud werden vorgestellt.", "Sie bewerten Angebote von Rechenzentren nach Sicherheit und Kosten."},
		[]string{"Betriebsmodelle vergleichen", "Cloud-Angebote bewerten"}},
	{"Geodaten und GIS", []string{"DATEN", "TECH"},
		[]string{"Geoinformationssysteme", "Datenmanagement"},
		[]string{"Geodaten in der Kommune erfassen, auswerten und darstellen.", "Geoinformationssysteme für Bauamt und Ordnungsamt."},
		[]string{"Sie arbeiten mit QGIS und den Geodiensten des Landes.", "Bebauungspläne und Liegenschaftskataster werden digital ausgewertet.", "Sie erstellen thematische Karten für den Gemeinderat."},
		[]string{"Geodaten auswerten", "Thematische Karten erstellen"}},
}

var genTitleSuffixes = []string{
	"Grundlagen", "Kompaktkurs", "Praxisworkshop", "Vertiefung", "für Führungskräfte",
	"für Einsteigerinnen und Einsteiger", "in der Kommunalverwaltung", "Zertifikatslehrgang",
	"Update 2027", "für Bauämter", "für Bürgerämter", "für Ordnungsämter", "für Kämmereien",
	"für Personalämter", "für kleine Gemeinden", "für Landratsämter", "Aufbaukurs", "Intensivseminar",
	"Onlineseminar", "Lernpfad", "Fallwerkstatt", "Sprechstunde", "für Hauptämter", "Refresher",
}

var genGeneralSentences = []string{
	"Die Teilnehmenden bearbeiten Fallbeispiele aus ihrer eigenen Kommune.",
	"Vorkenntnisse sind nicht erforderlich.",
	"Die Veranstaltung richtet sich an Beschäftigte aller Fachbereiche.",
	"Zwischen den Terminen bearbeiten Sie kleine Praxisaufgaben.",
	"Die Unterlagen stehen nach der Veranstaltung zum Download bereit.",
	"Ein erfahrenes Team aus Verwaltung und Wissenschaft leitet die Schulung.",
	"Der Austausch mit Kolleginnen und Kollegen anderer Kommunen kommt nicht zu kurz.",
	"Die Inhalte orientieren sich am Kompetenzrahmen für die digitale Verwaltung.",
	"Für die Teilnahme benötigen Sie einen Rechner mit Kamera und Mikrofon.",
	"Im Anschluss erhalten Sie eine Übersicht weiterführender Angebote.",
}

// Compounds for a realistic vocabulary: administrative procedures named in
// descriptions ("Praxisbeispiele: Bauantrag, Gewerbeanmeldung …").
var genCompoundHeads = []string{"Bau", "Gewerbe", "Wohngeld", "Eltern", "Hunde", "Wohnsitz", "Fahrerlaubnis", "Kita", "Friedhofs", "Sondernutzungs", "Park", "Grundsteuer", "Abfall", "Wasser", "Personalausweis", "Reisepass", "Bewohnerpark", "Fundsachen", "Schankerlaubnis", "Baumfäll", "Veranstaltungs", "Straßen", "Einbürgerungs", "Melde", "Kfz", "Jagd", "Fischerei", "Waffen", "Spielplatz", "Schul", "Sport", "Feuerwehr", "Vereins", "Zuschuss", "Förder", "Bestattungs", "Trauungs", "Namens", "Beglaubigungs", "Führungszeugnis", "Gewässer", "Denkmal", "Lärmschutz", "Immissions", "Brandschutz", "Bebauungsplan", "Flächennutzungs", "Bodenrichtwert", "Vergnügungssteuer", "Zweitwohnungssteuer", "Kurtaxe", "Marktplatz", "Sperrmüll", "Biotonnen", "Anwohner", "Schwerbehinderten", "Bildungsgutschein", "Unterhaltsvorschuss", "Kinderzuschlag", "Pflegegeld"}
var genCompoundTails = []string{"antrag", "anmeldung", "abmeldung", "bescheid", "genehmigung", "verfahren", "gebühr", "auskunft", "erlaubnis", "register", "verzeichnis", "akte", "portal", "prüfung", "beratung", "änderung", "verlängerung", "statistik", "satzung", "kontrolle", "widerspruch", "freigabe", "nachweis", "meldung", "ausnahme", "vorlage", "zuständigkeit", "frist", "zahlung", "erstattung"}

var genProviders = []string{
	"Akademie für Kommunalverwaltung Stuttgart", "Hochschule für öffentliche Verwaltung Neckartal",
	"Verwaltungsschule Oberrhein", "Digitalakademie Südwest", "Kommunales Bildungswerk Schwaben",
	"Institut für Verwaltungsinformatik Karlsruhe", "Weiterbildungszentrum Bodensee", "Forum Digitale Kommune",
	"Landesakademie Verwaltung und Recht", "Bildungsinstitut Kurpfalz", "Seminarhaus Schwarzwald",
	"Zentrum für Informationssicherheit Ulm", "Datenschutzakademie Rhein-Neckar", "Lernwerkstatt Kommune 4.0",
	"Fachschule für Verwaltungsmanagement", "Kompetenzzentrum Open Government", "Stadtakademie Heilbronn",
	"Institut für Führung im öffentlichen Dienst", "Netzwerk Smart Region", "Volkshochschule Ostalb",
	"Beratungsgesellschaft Prozess & Organisation", "Campus Verwaltung digital", "Akademie Hohenlohe",
	"Studienzentrum E-Government", "Bildungspartner Kommunal-IT",
}

var genDistricts = []struct{ key, seat string }{
	{"08111", "Stuttgart"}, {"08115", "Böblingen"}, {"08116", "Esslingen"}, {"08117", "Göppingen"},
	{"08118", "Ludwigsburg"}, {"08119", "Waiblingen"}, {"08121", "Heilbronn"}, {"08125", "Heilbronn"},
	{"08126", "Künzelsau"}, {"08127", "Schwäbisch Hall"}, {"08128", "Tauberbischofsheim"}, {"08135", "Heidenheim"},
	{"08136", "Aalen"}, {"08211", "Baden-Baden"}, {"08212", "Karlsruhe"}, {"08215", "Karlsruhe"},
	{"08216", "Rastatt"}, {"08221", "Heidelberg"}, {"08222", "Mannheim"}, {"08225", "Mosbach"},
	{"08226", "Heidelberg"}, {"08231", "Pforzheim"}, {"08235", "Calw"}, {"08236", "Pforzheim"},
	{"08237", "Freudenstadt"}, {"08311", "Freiburg"}, {"08315", "Freiburg"}, {"08316", "Emmendingen"},
	{"08317", "Offenburg"}, {"08325", "Rottweil"}, {"08326", "Villingen-Schwenningen"}, {"08327", "Tuttlingen"},
	{"08335", "Konstanz"}, {"08336", "Lörrach"}, {"08337", "Waldshut-Tiengen"}, {"08415", "Reutlingen"},
	{"08416", "Tübingen"}, {"08417", "Balingen"}, {"08421", "Ulm"}, {"08425", "Ulm"},
	{"08426", "Biberach"}, {"08435", "Friedrichshafen"}, {"08436", "Ravensburg"}, {"08437", "Sigmaringen"},
}

var genFirstNames = []string{"Anna", "Jonas", "Leonie", "Matthias", "Sabine", "Tobias", "Miriam", "Felix", "Katrin", "Stefan", "Julia", "Andreas", "Nadine", "Markus", "Lena", "Thomas", "Carolin", "Daniel", "Ayşe", "Mehmet", "Sophie", "Benedikt", "Franziska", "Lukas", "Ingrid", "Jürgen", "Petra", "Oliver", "Svenja", "Kerstin"}
var genLastNames = []string{"Keller", "Weber", "Schneider", "Hofmann", "Wagner", "Bauer", "Maier", "Schäfer", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Huber", "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Vogel", "Friedrich", "Günther", "Roth", "Beck", "Lorenz"}
var genTrainerTitles = []string{"", "", "", "Dr. ", "Prof. Dr. "}

var genFormats = []string{"in_person", "live_online", "self_paced", "blended"}
var genLevels = []string{"basic", "intermediate", "advanced"}
var genCerts = []string{"participation", "exam", "ects"}

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func genDoc(r *rand.Rand, id int64, start time.Time) Doc {
	t := &genTopics[r.IntN(len(genTopics))]
	d := Doc{ID: id}
	title := t.title
	if r.IntN(8) == 0 {
		other := &genTopics[r.IntN(len(genTopics))]
		if other != t {
			title += " und " + other.title
			for _, a := range other.areas {
				if !contains(d.CompetenceAreas, a) {
					d.CompetenceAreas = append(d.CompetenceAreas, a)
				}
			}
			d.Competences = append(d.Competences, other.competences[0])
		}
	}
	d.Title = title + " – " + pick(r, genTitleSuffixes)
	d.Summary = pick(r, t.summaries)
	var desc []string
	for _, i := range r.Perm(len(t.sentences))[:1+r.IntN(len(t.sentences))] {
		desc = append(desc, t.sentences[i])
	}
	for k := r.IntN(3); k > 0; k-- {
		desc = append(desc, pick(r, genGeneralSentences))
	}
	if r.IntN(2) == 0 {
		var ex []string
		for k := 2 + r.IntN(2); k > 0; k-- {
			ex = append(ex, pick(r, genCompoundHeads)+pick(r, genCompoundTails))
		}
		desc = append(desc, "Praxisbeispiele: "+strings.Join(ex, ", ")+".")
	}
	d.Outcomes = append(d.Outcomes, t.outcomes...)
	d.Competences = append(d.Competences, t.competences...)
	for _, a := range t.areas {
		if !contains(d.CompetenceAreas, a) {
			d.CompetenceAreas = append(d.CompetenceAreas, a)
		}
	}
	p := r.IntN(len(genProviders))
	d.ProviderID = int64(p + 1)
	d.Provider = genProviders[p]

	d.Format = genFormats[weighted(r, 40, 30, 15, 15)]
	d.Level = genLevels[weighted(r, 50, 35, 15)]
	d.Certificate = genCerts[weighted(r, 75, 20, 5)]
	d.Language = "de"
	if r.IntN(20) == 0 {
		d.Language = "en"
	}

	sessions := 1 + r.IntN(4)
	if d.Format == "self_paced" && r.IntN(4) != 0 {
		sessions = 0
	}
	home := genDistricts[r.IntN(len(genDistricts))]
	for k := 0; k < sessions; k++ {
		day := start.AddDate(0, 0, r.IntN(365))
		at := time.Date(day.Year(), day.Month(), day.Day(), 9+r.IntN(6), 0, 0, 0, time.UTC)
		d.Sessions = append(d.Sessions, at)
		region := home.key
		switch d.Format {
		case "live_online", "self_paced":
			region = "online"
		case "blended":
			if k%2 == 1 {
				region = "online"
			}
		default:
			if r.IntN(3) == 0 {
				region = genDistricts[r.IntN(len(genDistricts))].key
			}
		}
		if !contains(d.Regions, region) {
			d.Regions = append(d.Regions, region)
		}
	}
	if d.Format == "in_person" || d.Format == "blended" {
		desc = append(desc, fmt.Sprintf("Veranstaltungsort: %s.", home.seat))
	}
	if r.IntN(3) != 0 {
		desc = append(desc, fmt.Sprintf("Leitung: %s%s %s.", pick(r, genTrainerTitles), pick(r, genFirstNames), pick(r, genLastNames)))
	}
	d.Description = strings.Join(desc, " ")

	switch {
	case r.IntN(8) == 0:
		d.PriceCents = 0
	default:
		d.PriceCents = int64(1+r.IntN(200)) * 1000 // 10 € steps up to 2,000 €
		if r.IntN(3) == 0 {
			d.PriceCents = int64(5+r.IntN(60)) * 5000 // 50 € steps
			d.PriceCents = min(d.PriceCents, 200000)
		}
	}
	if r.IntN(10) == 0 {
		d.FundingTracks = []string{GenProgramme + "/basis"}
		if d.Level != "basic" {
			d.FundingTracks = []string{GenProgramme + "/advanced"}
		}
	}
	return d
}

func weighted(r *rand.Rand, w ...int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.IntN(total)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
