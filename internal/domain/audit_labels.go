package domain

import (
	"strconv"
	"strings"
)

// auditLabels names every action the audit log records in German. A test
// (audit_labels_test.go) scans the source for the actions written and fails
// when one has no label here.
var auditLabels = map[string]string{
	// Settlement: budget, billing data and claims.
	"budget.set":     "Budget des Jahres festgelegt",
	"billing.update": "Rechnungsdaten geändert",
	"claim.create":   "Abrechnung angelegt",
	"claim.change":   "Gutscheine der Abrechnung geändert",
	"claim.submit":   "Abrechnung eingereicht",
	"claim.withdraw": "Abrechnung zurückgezogen",
	"claim.check":    "Abrechnung sachlich geprüft",
	"claim.approve":  "Abrechnung freigegeben",
	"claim.return":   "Abrechnung zurückgegeben",
	"claim.note":     "Interne Notiz zur Abrechnung",

	// Matching: self-assessments.
	"assessment.save":    "Selbsteinschätzung gespeichert",
	"assessment.share":   "Selbsteinschätzung mit der Personalstelle geteilt",
	"assessment.unshare": "Teilen der Selbsteinschätzung zurückgezogen",

	// Accounts and people.
	"person.create":               "Konto angelegt",
	"person.login":                "Angemeldet",
	"person.password_reset":       "Passwort über Link zurückgesetzt",
	"person.set_password":         "Passwort gesetzt (Verwaltung)",
	"person.verify_email":         "E-Mail-Adresse bestätigt",
	"person.update_name":          "Name geändert",
	"person.change_password":      "Passwort geändert",
	"person.request_email_change": "Änderung der E-Mail-Adresse angefordert",
	"person.change_email":         "E-Mail-Adresse geändert",
	"token.create":                "API-Schlüssel angelegt",
	"token.revoke":                "API-Schlüssel widerrufen",

	// Organisations, members, invitations.
	"organisation.create":     "Organisation angelegt",
	"association.set_members": "Mitgliedskommunen des Verbands festgelegt",
	"membership.set_roles":    "Rollen geändert",
	"membership.remove":       "Aus der Organisation entfernt",
	"invitation.create":       "Einladung verschickt",
	"invitation.accept":       "Einladung angenommen",
	"invitation.revoke":       "Einladung zurückgezogen",
	"directory.import":        "Gemeindeverzeichnis eingelesen",

	// Funding: programmes, applications, documents, mailbox, vouchers.
	"programme.save":        "Förderprogramm gespeichert",
	"application.create":    "Antrag angelegt",
	"application.update":    "Antrag bearbeitet",
	"application.submit":    "Antrag eingereicht",
	"application.withdraw":  "Antrag zurückgezogen",
	"application.approve":   "Antrag genehmigt",
	"application.reject":    "Antrag abgelehnt",
	"application.return":    "Antrag zur Überarbeitung zurückgegeben",
	"document.upload":       "Dokument hochgeladen",
	"message.deliver":       "Nachricht ins Behördenpostfach gestellt",
	"message.archive":       "Nachricht archiviert",
	"message.unarchive":     "Nachricht aus dem Archiv geholt",
	"voucher.issued":        "Gutschein ausgegeben",
	"voucher.reserved":      "Gutschein für eine Buchung reserviert",
	"voucher.redeemed":      "Gutschein eingelöst",
	"voucher.settled":       "Gutschein abgerechnet",
	"voucher.expired":       "Gutschein abgelaufen",
	"voucher.revoked":       "Gutschein widerrufen",
	"voucher.forfeited":     "Gutschein verfallen",
	"competences.import":    "Kompetenzrahmen eingelesen",
	"signing_key.create":    "Signaturschlüssel angelegt",
	"certificate.issue":     "Zertifikat ausgestellt",
	"certificate.revoke":    "Zertifikat widerrufen",
	"barrier_report.create": "Barriere gemeldet",

	// Four eyes, the conversation, vouchers to people, funding requests.
	"application.prepare_approve": "Genehmigung vorbereitet (vier Augen)",
	"application.prepare_reject":  "Ablehnung vorbereitet (vier Augen)",
	"application.prepare_return":  "Rückgabe vorbereitet (vier Augen)",
	"application.confirm":         "Vorbereitete Entscheidung bestätigt",
	"application.discard":         "Vorbereitete Entscheidung verworfen",
	"application.comment":         "Nachricht im Gespräch zum Antrag",
	"voucher.hand":                "Gutschein einer Person zugeteilt",
	"funding_request.create":      "Förderung angefragt",
	"funding_request.voucher":     "Förderanfrage mit einem Gutschein beantwortet",
	"funding_request.application": "Förderanfrage angenommen: Antrag wird gestellt",
	"funding_request.declined":    "Förderanfrage abgelehnt",

	// Catalog and bookings.
	"offer.create":      "Angebot angelegt",
	"offer.update":      "Angebot geändert",
	"offer.import":      "Angebote eingelesen (MOOChub)",
	"offer.bulk_insert": "Angebote gesammelt angelegt",
	"offer.publish":     "Angebot veröffentlicht",
	"offer.return":      "Angebot zur Überarbeitung zurückgegeben",
	"offer.rate":        "Angebot bewertet",
	// MOOChub import and batch work on offers.
	"offer.import_course": "Kurs aus einem MOOChub-Feed übernommen",
	"offer.competences":   "Kompetenzen mehreren Angeboten zugeordnet",

	"session.create":    "Termin angelegt",
	"booking.create":    "Buchung angelegt",
	"booking.cancel":    "Buchung storniert",
	"booking.move_up":   "Von der Warteliste nachgerückt",
	"booking.approve":   "Buchung von der Personalabteilung freigegeben",
	"booking.decline":   "Buchung von der Personalabteilung abgelehnt",
	"booking.complete":  "Teilnahme abgeschlossen",
	"attendance.record": "Anwesenheit erfasst",

	// Search thesaurus.
	"search.term.add":    "Suchbegriff ergänzt",
	"search.term.delete": "Suchbegriff gelöscht",

	// matching: paths
	"path.create":             "Lernpfad angelegt",
	"path.update":             "Lernpfad geändert",
	"path.join":               "Lernpfad begonnen",
	"path.leave":              "Lernpfad verlassen",
	"path.complete":           "Lernpfad abgeschlossen",
	"path.event_confirm":      "Teilnahme am Vernetzungstreffen bestätigt",
	"path_certificate.issue":  "Lernpfad-Zertifikat ausgestellt",
	"path_certificate.revoke": "Lernpfad-Zertifikat widerrufen",
	// matching: roles and demand
	"role_profile.create":  "Rolle angelegt",
	"role_profile.update":  "Rolle geändert",
	"role_profile.delete":  "Rolle gelöscht",
	"role_profile.members": "Personen der Rolle zugeordnet",
	// pilots: the directory of digital pilots
	"pilot_entry.create":    "Eintrag ins Verzeichnis der Digitallotsen angelegt",
	"pilot_entry.update":    "Eintrag im Verzeichnis der Digitallotsen geändert",
	"pilot_entry.delete":    "Eintrag im Verzeichnis der Digitallotsen gelöscht, Einwilligung widerrufen",
	"pilot.contact":         "Nachricht über das Kontaktformular an eine Digitallotsin oder einen Digitallotsen gesendet",
	"project_brief.create":  "Projektsteckbrief angelegt",
	"project_brief.update":  "Projektsteckbrief geändert",
	"project_brief.delete":  "Projektsteckbrief gelöscht",
	"project_brief.discuss": "Projektsteckbrief im Austausch zur Diskussion gestellt",
	// events
	"event.create":     "Veranstaltung angelegt",
	"event.update":     "Veranstaltung geändert",
	"event.publish":    "Veranstaltung veröffentlicht",
	"event.cancel":     "Veranstaltung abgesagt",
	"event.message":    "Nachricht an alle Angemeldeten geschickt",
	"event.register":   "Zur Veranstaltung angemeldet",
	"event.unregister": "Anmeldung zur Veranstaltung storniert",
	"event.move_up":    "Von der Warteliste nachgerückt",
	"event.attendance": "Teilnahme an der Veranstaltung erfasst",
	// community: the members' space
	"community.channel_create": "Kanal im Austausch angelegt",
	"community.rules_update":   "Regeln des Austauschs geändert",
	"community.report":         "Beitrag im Austausch gemeldet",
	"community.report_dismiss": "Meldung ohne Maßnahme erledigt",
	"community.post_hide":      "Beitrag im Austausch ausgeblendet",
	"community.post_restore":   "Beitrag im Austausch wieder eingeblendet",
	"community.thread_lock":    "Thema im Austausch geschlossen",
	"community.thread_unlock":  "Thema im Austausch wieder geöffnet",
	"community.suspend":        "Person im Austausch gesperrt",
	"community.unsuspend":      "Sperre im Austausch vorzeitig aufgehoben",

	// programmes: a programme as data
	"programme.create": "Förderprogramm angelegt",
	"programme.clone":  "Förderprogramm kopiert",
	"programme.import": "Förderprogramm importiert",
	// privacy: data download, deletion, retention
	"person.export":   "Daten einer Person heruntergeladen",
	"person.delete":   "Konto gelöscht",
	"retention.purge": "Abgelaufene Daten gelöscht",
	// sso: single sign-on
	"person.login_sso":            "Anmeldung über Single Sign-on",
	"sso.link":                    "Konto mit Single Sign-on verknüpft",
	"sso.create":                  "Konto über Single Sign-on angelegt",
	"sso.membership":              "Mitgliedschaft aus Single Sign-on übernommen",
	"organisation.password_login": "Anmeldung mit Passwort umgestellt",
	// mfa: the second factor and its requirement
	"mfa.totp_enrol":     "Authenticator-App als zweiten Faktor eingerichtet",
	"mfa.totp_disable":   "Authenticator-App als zweiten Faktor ausgeschaltet",
	"mfa.recovery_use":   "Mit Wiederherstellungscode angemeldet",
	"mfa.recovery_new":   "Neue Wiederherstellungscodes erzeugt",
	"mfa.passkey_add":    "Passkey eingerichtet",
	"mfa.passkey_remove": "Passkey entfernt",
	"mfa.require_on":     "Zweiten Faktor vorgeschrieben",
	"mfa.require_off":    "Vorgabe des zweiten Faktors aufgehoben",
	"mfa.login":          "Anmeldung mit zweitem Faktor bestätigt",
	// account: a requirement of the second factor reaches running sessions
	"mfa.session_step_up": "Laufende Anmeldung wartet auf den zweiten Faktor",
}

// AuditActionLabel is the German label of an audit action; an action
// without one shows as it is, so the log never hides an entry.
func AuditActionLabel(action string) string {
	if l, ok := auditLabels[action]; ok {
		return l
	}
	return action
}

// HasAuditLabel reports whether the action has a German label.
func HasAuditLabel(action string) bool {
	_, ok := auditLabels[action]
	return ok
}

// auditObjectTypes names the kinds of objects in the audit log.
var auditObjectTypes = map[string]string{
	"person":               "Person",
	"organisation":         "Organisation",
	"invitation":           "Einladung",
	"api_token":            "API-Schlüssel",
	"application":          "Antrag",
	"document":             "Dokument",
	"message":              "Nachricht",
	"voucher":              "Gutschein",
	"programme":            "Förderprogramm",
	"passkey":              "Passkey",
	"directory":            "Gemeindeverzeichnis",
	"competence_framework": "Kompetenzrahmen",
	"signing_key":          "Signaturschlüssel",
	"certificate":          "Zertifikat",
	"offer":                "Angebot",
	"session":              "Termin",
	"booking":              "Buchung",
	"barrier_report":       "Barrieremeldung",
	"funding_request":      "Förderanfrage",
	// Search thesaurus.
	"search_term": "Suchbegriff",
	// matching: paths
	"path":             "Lernpfad",
	"path_certificate": "Lernpfad-Zertifikat",
	// matching: roles and demand
	"role_profile": "Rolle",
	// pilots: the directory of digital pilots
	"pilot_entry":   "Verzeichniseintrag",
	"project_brief": "Projektsteckbrief",
	// events
	"event":              "Veranstaltung",
	"event_registration": "Anmeldung zur Veranstaltung",
	// community: the members' space
	"community_channel": "Kanal",
	"community_thread":  "Thema",
	"community_post":    "Beitrag",
	"community_report":  "Meldung",
	// privacy
	"retention": "Löschfristen",
}

// Label is the entry's action in German: "Antrag eingereicht".
func (e AuditEntry) Label() string { return AuditActionLabel(e.Action) }

// ObjectLabel names the entry's object in words: a person by name ("Lilly
// Lotse"), an offer by its title, others by kind and number ("Buchung 5",
// "Antrag WV-2026-000007"). An object without ID is its kind alone.
func (e AuditEntry) ObjectLabel() string {
	kind, ok := auditObjectTypes[e.ObjectType]
	if !ok {
		kind = e.ObjectType
	}
	switch {
	case e.ObjectName != "" && (e.ObjectType == "person" || e.ObjectType == "organisation"):
		return e.ObjectName
	case e.ObjectName != "" && e.ObjectType == "offer":
		return kind + " „" + e.ObjectName + "“"
	case e.ObjectName != "":
		return kind + " " + e.ObjectName
	case e.ObjectID != "":
		return strings.TrimSpace(kind + " " + e.ObjectID)
	}
	return kind
}

// ActorLabel names who acted: the person, or the platform itself.
func (e AuditEntry) ActorLabel() string {
	switch {
	case e.ActorName != "":
		return e.ActorName
	case e.ActorID != 0:
		return "Person " + strconv.FormatInt(e.ActorID, 10)
	}
	return "Plattform"
}
