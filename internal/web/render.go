package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/branding"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/markdown"
	"github.com/lotse-oss/lotse/internal/reports"
)

//go:embed templates
var templateFS embed.FS

// pageNames lists every page template. Each is parsed with the layout at
// start; a missing or broken one fails the start.
var pageNames = []string{
	"error", "home", "login", "forgot", "reset", "verify", "account", "token_created",
	"org", "org_member", "invitation", "directory", "municipality", "admin_orgs", "admin_outbox", "admin_audit",
	"admin_import", "catalog", "offer", "compare", "provider_offers", "offer_form", "admin_offers", "provider_import", "bookings", "participants", "verify_certificate", "programme", "applications", "application_form", "application", "mailbox", "message", "voucher_lookup",
	// Own account and legal pages.
	"email_change", "legal", "barrier_reports",
	// HR's desk.
	"approvals", "approval_confirm", "team",
	// voucher holders
	"my_vouchers", "org_vouchers", "funding_request", "funding_requests",
	// Settlement pages.
	"claims", "claim_new", "claim", "claim_vouchers", "billing", "budget",
	// reports: the programme report
	"report",
	// Search thesaurus.
	"admin_search_terms",
	// matching: the self-assessment
	"assessment", "shared_assessments",
	// matching: recommendations
	"recommendations",
	// matching: paths
	"paths", "path", "path_form", "path_members", "verify_path_certificate",
	// matching: roles and demand
	"roles", "roles_form", "roles_gaps", "demand",
	// pilots: the directory of digital pilots
	"pilots", "pilot", "pilot_entry", "briefs", "brief", "brief_form",
	// community: the members' space
	"community_spaces", "community_space", "community_channel", "community_thread", "community_report", "community_moderation",
	"community_search", "community_prefs", "community_unsubscribe",
	// programmes: a programme as data
	"programmes", "programme_form", "programme_clone", "programme_import",
	// sso: single sign-on
	"sso_error", "org_login", "sso_logout",
	// mfa: the second factor
	"mfa_login", "mfa_codes", "mfa_account", "mfa_requirement",
}

type templates struct {
	pages map[string]*template.Template
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

func parseTemplates(a *assets, fundingLabel func(string) string, brand *branding.Brand) (*templates, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		"brand": func() *branding.Brand { return brand }, // branding: name, logo, colours
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(berlin).Format("02.01.2006")
		},
		"datetime":      formatDateTime,
		"num":           formatInt,
		"plural":        plural,
		"countText":     domain.CountText,
		"orgDative":     domain.OrgDative,
		"orgAccusative": domain.OrgAccusative,
		"pathEscape":    url.PathEscape,
		"add":           func(a, b int) int { return a + b },
		"sub":           func(a, b int) int { return a - b },
		"join":          strings.Join,
		"money":         money,
		"offerLabel":    domain.OfferLabel,
		"offerField":    domain.OfferFieldLabel, // importer: German names of offer fields
		"fundingLabel":  fundingLabel,
		"stateName":     domain.StateName, // programmes
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i + 1
			}
			return out
		},
		"has":   func(list []string, v string) bool { return slices.Contains(list, v) },
		"hasID": func(list []int64, v int64) bool { return slices.Contains(list, v) },
		"choices": func(name, label, value, errMsg string, options ...string) choice {
			return choice{Name: name, Label: label, Value: value, Error: errMsg, Options: options}
		},
		"hasPrefix":   strings.HasPrefix,
		"kb":          func(n int64) string { return formatInt(int((n+1023)/1024)) + " KB" },
		"euro":        func(c int64) string { return strings.TrimSuffix(money(c), " €") },
		"statusLabel": domain.AppStatusLabel,
		"trackName":   domain.TrackLabel,
		// trackFor: "für die Basisqualifizierung", by a track's key.
		"trackFor":     func(key string) string { return "für " + domain.Track{Name: domain.TrackLabel(key)}.Accusative() },
		"voucherState": domain.VoucherStateLabel,
		"bookingState": bookingLabel,
		"attendLabel": func(s string) string {
			return map[string]string{"present": "anwesend", "absent": "abwesend", "excused": "entschuldigt"}[s]
		},
		"mark": func(m map[int64]map[int]string, b int64, d int) string { return m[b][d] },
		"pick": func(cond bool, a, b string) string {
			if cond {
				return a
			}
			return b
		},
		"field": func(name, label, typ, value, errMsg, hint string) field {
			return field{Name: name, Label: label, Type: typ, Value: value, Error: errMsg, Hint: hint}
		},
		// fieldWithID is a field whose element ID is not "f-" + name
		// (two forms on a page with a field of one name).
		"fieldWithID": func(id, name, label, typ, value, errMsg, hint string) field {
			return field{ID: id, Name: name, Label: label, Type: typ, Value: value, Error: errMsg, Hint: hint}
		},
		// sessionField is a field of the session form, which shares a page
		// with the offer form: its ID is "t-" + name.
		"sessionField": func(name, label, typ, value, errMsg, hint string) field {
			return field{Name: name, Label: label, Type: typ, Value: value, Error: errMsg, Hint: hint, ID: "t-" + name}
		},
		// Settlement pages.
		"voucherCode": voucherDisplay,
		"claimAction": claimActionLabel,
		"signedMoney": signedMoney,
		"entryLabel":  func(k domain.BudgetEntryKind) string { return k.Label() },
		"claimLabel":  func(s domain.ClaimStatus) string { return s.Label() },
		"claimTable":  func(caption string, cs []domain.Claim) claimTableView { return claimTableView{caption, cs} },
		"claimItems":  func(items []domain.ClaimItem) claimItemsView { return claimItemsView{Items: items} },
		"claimPick": func(items []domain.ClaimItem, chosen []string, prefix string) claimItemsView {
			return claimItemsView{Items: items, Chosen: chosen, Prefix: prefix, Pick: true}
		},
		// matching: the self-assessment
		"levelName": domain.CompetenceLevelName,
		"levelSelect": func(name, label, code, title string, value int, errMsg string) levelSelect {
			return levelSelect{Name: name, Label: label, Code: code, Title: title, Value: value, Error: errMsg, Levels: domain.CompetenceLevels}
		},
		// reports: the programme report
		"percent":       reports.Percent,
		"decimal":       decimal,
		"month":         monthLabel,
		"coverageLabel": coverageLabel,
		// matching: paths
		"stepState": domain.StepStateLabel,
		"stepKind":  domain.StepKindLabel,
		// pilots: the directory of digital pilots
		"pilotsNav": authz.PilotsMember,
		// community: the members' space
		"postHTML":    func(p domain.Post) template.HTML { return markdown.Render(p.Body, p.Mentions) },
		"rulesHTML":   func(s string) template.HTML { return markdown.Render(s, nil) },
		"digestLabel": domain.DigestLabel,
	}
	t := &templates{pages: map[string]*template.Template{}}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html",
		"templates/contingent.html", "templates/mfa_partials.html")
	if err != nil {
		return nil, fmt.Errorf("layout: %w", err)
	}
	for _, name := range pageNames {
		pt, err := template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		t.pages[name] = pt
	}
	return t, nil
}

// plural says a number with the noun in the right number: plural 1
// "Angebot" "Angebote" is "1 Angebot", with 2 "2 Angebote"; the number has
// German thousands separators. n is an int or int64.
func plural(n any, one, many string) string {
	var i int
	switch v := n.(type) {
	case int:
		i = v
	case int64:
		i = int(v)
	}
	if i == 1 {
		return "1 " + one
	}
	return formatInt(i) + " " + many
}

// formatInt formats n with German thousands separators: 45.000.
func formatInt(n int) string {
	s := strconv.Itoa(n)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	var b []byte
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, '.')
		}
		b = append(b, c)
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// Page is what the layout needs; every view's struct embeds it.
type Page struct {
	Title   string
	Actor   *domain.Actor
	CSRF    string
	Path    string
	Notice  string // a success message after a redirect
	Errors  map[string]string
	Message string // an error message above a form
	IsAdmin bool
	// ClaimsNav: the menu offers the claims (settlement).
	ClaimsNav bool
	// CommunityNav: the menu offers the members' spaces.
	CommunityNav bool
}

// Err returns the message for a form field.
func (p *Page) Err(field string) string { return p.Errors[field] }

// fieldError is one line of the error summary: a message and the link to
// the element it is about.
type fieldError struct{ Href, Text string }

// ErrorList lists the field errors for the error summary above a form, in a
// stable order (render then puts them in the order of the fields on the
// page, orderErrorSummary), each with the ID of its field: "f-<name>" as the input
// partial names it; the fields of the n-th person of an application and
// the booking form of a session have their own.
func (p *Page) ErrorList() []fieldError {
	keys := slices.Sorted(maps.Keys(p.Errors))
	out := make([]fieldError, 0, len(keys))
	for _, k := range keys {
		out = append(out, fieldError{Href: "#" + errorFieldID(k), Text: p.Errors[k]})
	}
	return out
}

func errorFieldID(key string) string {
	if rest, ok := strings.CutPrefix(key, "certificates."); ok {
		n, sub, _ := strings.Cut(rest, ".")
		if sub == "certificate" {
			return "f-cert_" + n
		}
		return "f-name_" + n
	}
	if n, ok := strings.CutPrefix(key, "termin_"); ok {
		return "t-" + n
	}
	if n, ok := strings.CutPrefix(key, "book_"); ok {
		return "pay-" + n
	}
	return "f-" + key
}

func (s *Server) newPage(r *http.Request, title string) Page {
	st := state(r)
	return Page{Title: title, Actor: st.actor, CSRF: st.csrf, Path: r.URL.Path,
		Notice: notices[r.URL.Query().Get("hinweis")], IsAdmin: authz.Allowed(st.actor, authz.AdminArea, authz.Resource{}),
		ClaimsNav: authz.ClaimsInMenu(st.actor), CommunityNav: authz.CommunityInMenu(st.actor)}
}

// notices are the success messages a redirect can ask for with ?hinweis=.
// Only these fixed texts can be shown, so a link cannot put words on a page.
var notices = map[string]string{
	"angemeldet":          "Sie sind angemeldet.",
	"abgemeldet":          "Sie sind abgemeldet.",
	"anmeldeart":          "Die Einstellung zur Anmeldung wurde gespeichert.", // sso
	"eingeladen":          "Die Einladung wurde verschickt.",
	"einladung-zurueck":   "Die Einladung wurde zurückgezogen.",
	"rollen":              "Die Rollen wurden gespeichert.",
	"entfernt":            "Die Person wurde aus der Organisation entfernt.",
	"token-widerrufen":    "Der API-Schlüssel wurde widerrufen.",
	"passwort":            "Ihr Passwort wurde geändert. Bitte melden Sie sich an.",
	"bestaetigung":        "Wir haben Ihnen einen Link zur Bestätigung Ihrer E-Mail-Adresse geschickt.",
	"organisation":        "Die Organisation wurde angelegt.",
	"beigetreten":         "Sie sind der Organisation beigetreten.",
	"gespeichert":         "Die Einstellungen wurden gespeichert.",
	"eingereicht":         "Der Weitergabevertrag wurde eingereicht. Die prüfende Stelle ist benachrichtigt.",
	"zurueckgezogen":      "Der Antrag wurde zurückgezogen.",
	"genehmigt":           "Der Antrag ist genehmigt. Vertrag und Gutscheincodes liegen im Behördenpostfach der Kommune.",
	"abgelehnt":           "Der Antrag wurde abgelehnt. Die Kommune ist benachrichtigt.",
	"zurueckgegeben":      "Der Antrag wurde zur Überarbeitung zurückgegeben.",
	"archiviert":          "Die Nachricht wurde archiviert.",
	"angebot-pruefung":    "Das Angebot ist angelegt und wartet auf die Qualitätsprüfung.",
	"angebot-gespeichert": "Die Änderungen sind gespeichert. Wesentliche Änderungen gehen erneut in die Qualitätsprüfung.",
	"termin":              "Der Termin ist angelegt.",
	"geprueft":            "Die Prüfung ist gespeichert.",
	"gebucht":             "Ihre Buchung ist eingegangen.",
	"storniert":           "Die Buchung ist storniert.",
	"gutschein":           "Die Entscheidung über den Gutschein ist im Verlauf des Gutscheins vermerkt.",
	"anwesenheit":         "Die Anwesenheit ist gespeichert.",
	"bewertet":            "Danke für Ihre Bewertung.",
	// Own account and legal pages.
	"name":               "Ihr Name wurde geändert.",
	"passwort-geaendert": "Ihr Passwort wurde geändert. Andere Anmeldungen mit dem alten Passwort sind beendet.",
	"email-link":         "Wir haben einen Bestätigungslink an die neue E-Mail-Adresse geschickt. Die Änderung gilt erst, wenn Sie den Link öffnen.",
	"email-geaendert":    "Ihre neue E-Mail-Adresse ist bestätigt. Sie melden sich ab jetzt mit ihr an.",
	"barriere":           "Vielen Dank! Ihre Meldung ist eingegangen. Wenn Sie eine E-Mail-Adresse angegeben haben, antworten wir Ihnen innerhalb eines Monats.",
	// Review with four eyes and a conversation.
	"vorbereitet": "Die Entscheidung ist vorbereitet. Sie wartet auf Bestätigung durch eine zweite Person.",
	"verworfen":   "Die vorbereitete Entscheidung ist verworfen. Der Antrag wartet weiter auf seine Prüfung.",
	"nachricht":   "Ihre Nachricht steht im Gespräch zum Antrag.",
	// HR's desk.
	"buchung-genehmigt": "Die Buchung ist genehmigt. Die teilnehmende Person ist per E-Mail benachrichtigt.",
	"buchung-abgelehnt": "Die Buchung ist abgelehnt. Die teilnehmende Person ist per E-Mail benachrichtigt.",
	// voucher holders
	"zugeteilt":   "Der Gutschein ist zugeteilt. Die Person ist per E-Mail benachrichtigt.",
	"angefragt":   "Ihre Anfrage ist verschickt. Die Personalabteilung Ihrer Kommune ist benachrichtigt.",
	"beantwortet": "Die Anfrage ist beantwortet. Die anfragende Person ist per E-Mail benachrichtigt.",
	// Settlement pages.
	"abrechnung-angelegt":       "Die Abrechnung ist als Entwurf angelegt. Prüfen Sie sie und reichen Sie sie ein.",
	"abrechnung-geaendert":      "Die Gutscheine der Abrechnung sind geändert.",
	"abrechnung-eingereicht":    "Die Abrechnung ist eingereicht. Der Fördergeber ist benachrichtigt.",
	"abrechnung-zurueckgezogen": "Die Abrechnung ist zurückgezogen. Ihre Gutscheine lassen sich neu abrechnen.",
	"abrechnung-geprueft":       "Die Abrechnung ist sachlich geprüft. Eine zweite Person gibt sie frei.",
	"abrechnung-freigegeben":    "Die Abrechnung ist freigegeben. Der Bildungsträger ist benachrichtigt.",
	"abrechnung-zurueckgegeben": "Die Abrechnung ist an den Bildungsträger zurückgegeben. Er ist benachrichtigt.",
	"notiz":                     "Die interne Notiz ist gespeichert.",
	"gutschrift-angelegt":       "Die Gutschrift ist als Entwurf angelegt. Prüfen Sie sie und reichen Sie sie ein.",
	"rechnungsdaten":            "Die Rechnungsdaten sind gespeichert.",
	"budget":                    "Das Budget ist festgelegt.",
	// Search thesaurus.
	"selbsteinschaetzung":   "Ihre Selbsteinschätzung ist gespeichert.",
	"geteilt":               "Ihre Selbsteinschätzung ist geteilt. Das Personalamt Ihrer Kommune sieht sie jetzt.",
	"nicht-geteilt":         "Sie teilen Ihre Selbsteinschätzung nicht mehr. Das Personalamt sieht sie nicht mehr.",
	"suchbegriff":           "Der Eintrag ist gespeichert. Die Suche verwendet ihn ab sofort.",
	"suchbegriff-geloescht": "Der Eintrag ist gelöscht. Die Suche verwendet ihn nicht mehr.",
	// matching: paths
	"lernpfad-begonnen":    "Sie folgen dem Lernpfad. Buchen Sie die Angebote des nächsten Schritts.",
	"lernpfad-verlassen":   "Sie folgen dem Lernpfad nicht mehr. Ihre Buchungen und Zertifikate bleiben erhalten.",
	"lernpfad-gespeichert": "Der Lernpfad ist gespeichert.",
	"treffen-bestaetigt":   "Die Teilnahme am Vernetzungstreffen ist bestätigt.",
	// matching: roles and demand
	"rolle-angelegt":    "Die Rolle ist angelegt. Ordnen Sie ihr jetzt Personen zu.",
	"rolle-gespeichert": "Die Rolle ist gespeichert.",
	"rolle-personen":    "Die Zuordnung der Personen ist gespeichert.",
	"rolle-geloescht":   "Die Rolle ist gelöscht.",
	// community: the members' space
	"kanal-angelegt":     "Der Kanal ist angelegt.",
	"regeln-gespeichert": "Die Regeln des Austauschs sind gespeichert.",
	"thema-angelegt":     "Ihr Thema ist veröffentlicht. Sie folgen ihm und erfahren von Antworten.",
	"antwort":            "Ihre Antwort ist veröffentlicht.",
	"gefolgt":            "Sie folgen jetzt. Neues erhalten Sie mit Ihrer Zusammenfassung per E-Mail.",
	"entfolgt":           "Sie folgen nicht mehr.",
	"gemeldet":           "Danke für Ihre Meldung. Die Moderation sieht sie sich an.",
	"ausgeblendet":       "Der Beitrag ist ausgeblendet. Die Mitglieder sehen nur einen Hinweis.",
	"eingeblendet":       "Der Beitrag ist wieder für alle sichtbar.",
	"meldung-erledigt":   "Die Meldung ist ohne Maßnahme erledigt.",
	"thema-geschlossen":  "Das Thema ist geschlossen. Antworten sind nicht mehr möglich.",
	"thema-geoeffnet":    "Das Thema ist wieder geöffnet.",
	"gesperrt":           "Die Person ist gesperrt. Sie kann weiterhin lesen, aber nicht schreiben.",
	"sperre-aufgehoben":  "Die Sperre ist aufgehoben; die Person kann wieder schreiben.",
	"benachrichtigungen": "Ihre Benachrichtigungen sind gespeichert.",
	// programmes: a programme as data
	"programm-angelegt":   "Das Förderprogramm wurde angelegt.",
	"programm-kopiert":    "Das Förderprogramm wurde kopiert. Passen Sie jetzt die Einstellungen der Kopie an.",
	"programm-importiert": "Das Förderprogramm wurde importiert.",
	// mfa: the second factor
	"totp-an":          "Die Authenticator-App ist eingerichtet.",
	"totp-aus":         "Die Authenticator-App ist ausgeschaltet; Ihre Wiederherstellungscodes gelten nicht mehr.",
	"passkey":          "Der Passkey ist eingerichtet.",
	"passkey-entfernt": "Der Passkey ist entfernt.",
}

// render executes a page template into a buffer first, so that a template
// error never leaves half a page behind.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	t, ok := s.tmpl.pages[name]
	if !ok {
		s.log.ErrorContext(r.Context(), "unknown template", "name", name)
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		s.log.ErrorContext(r.Context(), "render failed", "name", name, "err", err)
		http.Error(w, "Interner Fehler", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(orderErrorSummary(buf.Bytes()))
}

// levelSelect is the data of the "levelselect" partial: a competence's
// level or target.
type levelSelect struct {
	Name, Label, Code string
	// Title is the competence's name, for screen readers.
	Title  string
	Value  int
	Error  string
	Levels []domain.CompetenceLevel
}

type errorPage struct {
	Page
	Status  int
	Message string
}

// field is the data of the "input" partial: a labelled input with hint and
// error message.
type field struct {
	Name, Label, Type, Value, Error, Hint string
	// ID is the element's ID when it is not "f-" + Name.
	ID string
}

// FieldID is the ID of the field's element.
func (f field) FieldID() string {
	if f.ID != "" {
		return f.ID
	}
	return "f-" + f.Name
}

// money formats cents the German way: 1.234,50 €.
func money(cents int64) string { return domain.Money(cents) }

// choice is the data of the "select" partial.
type choice struct {
	Name, Label, Value, Error string
	Options                   []string
}

func bookingLabel(s domain.BookingStatus) string { return s.Label() }

// signedMoney formats cents with a sign: "+1.234,50 €", "−300,00 €".
func signedMoney(cents int64) string {
	switch {
	case cents > 0:
		return "+" + money(cents)
	case cents < 0:
		return "−" + money(-cents)
	}
	return money(0)
}

// formatDateTime writes a time the German way in Berlin's zone: "04.12.2026,
// 10:00 Uhr"; the zero time is empty.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(berlin).Format("02.01.2006, 15:04") + " Uhr"
}
