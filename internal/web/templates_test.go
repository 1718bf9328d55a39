package web

import (
	"html"
	"html/template"
	"maps"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/desk"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/legal"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/search"
)

// TestEveryTemplateRenders renders each page with example data, as a
// logged-in admin, and fails on any template error.
func TestEveryTemplateRenders(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	person := &domain.Person{ID: 1, Email: "a@b.example", Name: "Ada", CreatedAt: now, EmailVerifiedAt: &now}
	ms := []domain.Membership{{OrgID: 1, OrgName: "Stadt Futurehausen", OrgKind: domain.OrgMunicipality, Roles: []domain.Role{domain.RoleAccountAdmin}}}
	base := Page{Title: "Beispiel", Actor: &domain.Actor{Person: person, Memberships: ms}, CSRF: "c", Path: "/", Notice: "Gespeichert.",
		Errors: map[string]string{"email": "Fehler"}, Message: "Bitte prüfen", IsAdmin: true}
	org := &domain.Organisation{ID: 1, Kind: domain.OrgMunicipality, Name: "Stadt Futurehausen", AGS: "08999001", CreatedAt: now}
	m := &domain.Municipality{AGS: "08999001", Name: "Futurehausen", Kind: domain.AreaMunicipality, Type: "Stadt", DistrictAGS: "08999",
		DistrictName: "Zukunftstal", StateAGS: "08", StateName: "Baden-Württemberg", Population: 45210, RefDate: now}
	inv := domain.Invitation{ID: 2, OrgID: 1, Email: "x@y.example", Roles: []domain.Role{domain.RoleHR}, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	tok := domain.APIToken{ID: 3, Name: "Buchung", Prefix: "lotse_abcdef", CreatedAt: now, LastUsedAt: &now}
	pg := pager{Page: 2, Pages: 3, Prev: "/?seite=1", Next: "/?seite=3"}
	data := map[string]any{
		"error":         &errorPage{Page: base, Status: 404, Message: "Nicht gefunden"},
		"home":          homeExample(base, now),
		"login":         &loginPage{Page: base, Email: "a@b.example", Next: "/konto", SSO: []ssoButton{{Href: "/anmelden/sso/bw?weiter=%2Fkonto", Label: "Mit service-bw anmelden"}}},
		"forgot":        &forgotPage{Page: base, Email: "a@b.example"},
		"reset":         &resetPage{Page: base, Token: "t"},
		"verify":        &verifyPage{Page: base, OK: true},
		"account":       &accountPage{Page: base, Tokens: []domain.APIToken{tok}, TokenName: "n"},
		"token_created": &tokenCreatedPage{Page: base, Token: &tok, Value: "lotse_secret"},
		"org": &orgPage{Page: base, Org: org, Members: memberRows(org.ID, []domain.Member{{Person: *person, Membership: ms[0]}}), Invitations: []domain.Invitation{inv},
			Roles: domain.RolesFor(org.Kind), CanManage: true, Now: now, InviteEmail: "x@y.example", InviteRoles: roleSet{domain.RoleHR}},
		"org_member": &orgMemberPage{Page: base, Org: org, Member: &domain.Member{Person: *person, Membership: ms[0]},
			Roles: domain.RolesFor(org.Kind), Chosen: roleSet{domain.RoleHR}},
		"invitation":   &invitationPage{Page: base, Token: "t", Invitation: &inv, Org: org, Name: "Maria"},
		"directory":    &directoryPage{Page: base, Query: "futur", Items: []domain.Municipality{*m}, TotalText: "1 Treffer", More: moreLink{Href: "/kommunen?nach=x#treffer", Text: "Weitere Treffer anzeigen", Label: "Weitere Treffer"}, RefDate: "30.11.2025"},
		"municipality": &municipalityPage{Page: base, M: m, Org: org, AreaKm2: "61,20"},
		"admin_orgs":   &adminOrgsPage{Page: base, Orgs: []domain.Organisation{*org}, More: moreLink{Href: "/admin?nach=x#organisationen", Text: "Weitere Organisationen anzeigen", Label: "Weitere Organisationen"}, Kinds: domain.OrgKinds, NewKind: "provider"},
		"admin_outbox": &adminOutboxPage{Page: base, Mails: []domain.Mail{{ID: 1, To: "x@y.example", Subject: "Betreff", Body: "Text", CreatedAt: now}}, More: moreLink{Href: "/admin/postausgang?vor=1#mails", Text: "Ältere E-Mails anzeigen", Label: "Ältere E-Mails", First: "/admin/postausgang#mails", FirstText: "Zu den neuesten E-Mails"}},
		"admin_audit":  &adminAuditPage{Page: base, Rows: auditRows([]domain.AuditEntry{{ID: 1, At: now, ActorName: "Ada", OrgID: 1, Action: "x.y", ObjectType: "o", ObjectID: "1", Detail: "{}"}}), More: moreLink{Href: "/admin/protokoll?vor=1#protokoll", Text: "Ältere Einträge anzeigen", Label: "Ältere Einträge"}},
	}
	prog := programmes.BW(map[string]int64{programmes.Ministry: 1, programmes.Staedtetag: 2, programmes.Verwaltungsschule: 3, programmes.VWA: 4})
	pv := &programmeView{Programme: prog, Funder: orgRef{1, "Ministerium"}, Providers: []orgRef{{3, "Verwaltungsschule"}, {4, "VWA"}},
		ReviewingBodies: []reviewerRef{{orgRef: orgRef{2, "Städtetag"}, TypeCodes: []int{63}}}}
	contingent := &domain.Contingent{Programme: prog.ID, AGS: "08999001", Name: "Futurehausen", Population: 45210, ApplicantKind: "municipality", Total: 3, Used: 1, Remaining: 2}
	box := &contingentBox{Contingent: contingent, Chart: newContingentChart(prog, contingent), ProgrammeName: prog.Name}
	vch := domain.Voucher{Code: "08999001-K7QM-4XD2-P9H1", Municipality: "Futurehausen", AGS: "08999001", Track: "basis", ValueCents: 30000, State: "issued", ExpiresAt: now}
	app := &domain.Application{ID: 7, Number: "WV-2026-000007", ProgrammeID: prog.ID, OrgID: 1, OrgName: "Stadt Futurehausen", AGS: "08999001",
		Track: "advanced", ProviderID: 3, ProviderName: "Verwaltungsschule", ReviewerID: 2, ReviewerName: "Städtetag", People: 1, Status: "returned",
		Reason: "Bitte ändern", CreatedAt: now, UpdatedAt: now, SubmittedAt: &now, ContractID: 9,
		Certificates: []domain.ApplicationCertificate{{Position: 1, PersonName: "Niklas", DocumentID: 5, FileName: "z.pdf", Check: "to_check"}},
		Vouchers:     []domain.Voucher{vch},
		Events:       []domain.ApplicationEvent{{At: now, ActorName: "Lilly", Action: "return", ToStatus: "returned", Comment: "Bitte ändern"}}}
	track, _ := prog.Track("advanced")
	msg := &domain.Message{ID: 3, OrgID: 1, Subject: "Vertrag", Body: "Text", CreatedAt: now, ApplicationID: 7,
		Attachments: []domain.Document{{ID: 9, Name: "vertrag.pdf", MediaType: "application/pdf", Size: 2048}}}
	offer := &domain.Offer{ID: 5, ProviderID: 3, ProviderName: "VWA", Code: "K-1", Title: "Projektmanagement", Summary: "Kurz", Description: "Lang",
		Outcomes: []string{"Planen"}, Competences: []domain.OfferCompetence{{Code: "PM.1", Name: "Projektmanagement", Level: 2}}, Level: "basic",
		Format: "in_person", Language: "de", Hours: 16, Days: 2, Credits: 2.5, Certificate: "ects", PriceCents: 49000, TargetGroups: []string{"Alle"},
		Prerequisites: "Keine", FundingTracks: []string{"digitallotsen-bw/advanced"}, ModuleIDs: []int64{6}, CancellationRule: "Kostenlos bis 14 Tage vorher", RatingCount: 1, RatingAverage: 5,
		Status: "returned", ReviewComment: "Bitte ergänzen", CreatedAt: now, UpdatedAt: now,
		Keywords: []string{"E-Akte", "Projektplanung"}, Publisher: "Hochschule Kehl",
		Sessions: []domain.Session{{ID: 1, OfferID: 5, StartsAt: now, EndsAt: now, Days: 2, Capacity: 20, AGS: "08999001", Place: "Futurehausen", Address: "Markt 1",
			RegistrationDeadline: now, Free: 20}, {ID: 2, OfferID: 5, StartsAt: now, EndsAt: now, Days: 1, Capacity: 10, Online: true, RegistrationDeadline: now, Free: 10}}}
	sr := &searchResponse{Total: 1, Page: 1, Pages: 1, Terms: []string{"projektmanagement"}, Facets: map[string][]facetValue{"format": {{"in_person", "Präsenz", 1}}},
		Items: []offerItem{{ID: 5, Title: "Projektmanagement", Provider: orgRef{3, "VWA"}, Format: "in_person", Level: "basic", PriceCents: 49000,
			Certificate: "ects", FundingTracks: []string{"x/basis"}, NextSession: &listSession{ID: 1, OfferID: 5, StartsAt: now, EndsAt: now, Days: 2, Capacity: 20, AGS: "08999001", Place: "Futurehausen", RegistrationDeadline: now}, URL: "/angebote/5"}}}
	data["catalog"] = &catalogPage{Page: base, Query: "Projekt", Result: sr, Facets: []facetGroup{{Name: "format", Title: "Format",
		Values: []facetLink{{Label: "Präsenz", URL: "/angebote?format=in_person", Count: 1, Active: true}}}}, Pager: pg, Compare: []int64{5},
		Active: []facetLink{{Label: "Format: Präsenz", URL: "/angebote"}}}
	data["offer"] = &offerPage{Page: base, O: offer, Modules: []domain.Offer{*offer}, JSONLD: "{}", CanManage: true, CanReview: true,
		Checklist: reviewChecklist, InCompare: true, Compare: []int64{5}, Now: now}
	data["compare"] = &comparePage{Page: base, Offers: []domain.Offer{*offer}, Rows: []compareRow{{Label: "Preis", Values: []string{"490,00 €"}, Differ: true}}}
	draft := *offer
	draft.ID, draft.Status = 6, domain.OfferDraft
	data["provider_offers"] = &providerOffersPage{Page: base, Providers: ms, Offers: []domain.Offer{*offer, draft}, Drafts: 1,
		Competences: []domain.Competence{{Code: "PM", Area: "PM", Name: "PM"}, {Code: "PM.1", Area: "PM", Name: "Klassisch"}},
		Selected:    []int64{6}, Levels: map[string]int{"PM.1": 2},
		Result: []domain.BatchOutcome{{ID: 6, Title: "Projektmanagement", Done: true, Status: "draft", Reason: "Noch zu ergänzen: Tage."},
			{ID: 7, Title: "Andere", Done: true, Status: "in_review"}, {ID: 5, Title: "Projektmanagement", Reason: "Kein Entwurf."}}}
	data["offer_form"] = &offerFormPage{Page: base, O: offer, Competences: []domain.Competence{{Code: "PM", Area: "PM", Name: "PM"}, {Code: "PM.1", Area: "PM", Name: "Klassisch"}},
		Levels: map[string]int{"PM.1": 2}, Providers: ms, Outcomes: "Planen", Price: "490,00", Hours: "16", Days: "2", Funding: []string{"digitallotsen-bw/advanced"}, SessionForm: true}
	data["admin_offers"] = &reviewQueuePage{Page: base, Offers: []domain.Offer{*offer}, Total: 1, Checklist: reviewChecklist,
		Selected: []int64{5}, Checked: []string{"content"},
		Result: []domain.BatchOutcome{{ID: 5, Title: "Projektmanagement", Done: true, Status: "published"}, {ID: 9, Reason: "Dieses Angebot gibt es nicht."}}}
	imported := domain.ImportCourse{Course: 1, FeedID: "K-1", Title: "Projektmanagement", Pointer: "/data/0/attributes", Offer: 1, Status: "draft",
		Created: true, Sessions: 2, Problems: []domain.ImportProblem{{Pointer: "/data/0/attributes/duration", Field: "hours", Message: "Keine Dauer."}},
		Notes: []domain.ImportProblem{{Pointer: "/data/0/attributes/startDate/0", Message: "Plätze angenommen."}}}
	data["provider_import"] = &importFeedPage{Page: base, URL: "https://x", Result: &domain.ImportResult{Created: []int64{1}, Drafts: []int64{1},
		Courses: []domain.ImportCourse{imported}, DraftReasons: []domain.ImportCourse{imported}, SessionsCreated: 2,
		Refused: []domain.ImportCourse{{Course: 2, Title: "", Pointer: "/data/1/attributes",
			Problems: []domain.ImportProblem{{Pointer: "/data/1/attributes/name", Message: "Der Kurs hat keinen Namen."}}}}}}
	data["bookings"] = &bookingsPage{Page: base, FeedURL: "http://x/kalender/t.ics", Now: now, Bookings: []domain.BookingDetail{{
		Booking:    domain.Booking{ID: 1, SessionID: 1, OfferID: 5, ParticipantName: "Niklas", Status: "confirmed", VoucherCode: "08999001-K7QM-4XD2-P9H1"},
		OfferTitle: "Projektmanagement", Provider: "VWA", Session: offer.Sessions[0]}}}
	data["participants"] = &participantsPage{Page: base, Offer: offer, Session: offer.Sessions[0], Days: []int{1, 2},
		Bookings: []domain.Booking{{ID: 1, ParticipantName: "Niklas", ParticipantEmail: "n@x.example", Status: "confirmed", VoucherCode: "08999001-K7QM-4XD2-P9H1"}},
		Marks:    map[int64]map[int]string{1: {1: "present"}}, After: 1,
		More: moreLink{Label: "Weitere Teilnehmende", Text: "Weitere Teilnehmende anzeigen", Href: "/anbieter/termine/1?nach=51#teilnehmende"}}
	data["verify_certificate"] = &verifyCertPage{Page: base, C: certificateView{ID: "c0ffee00-0000-4000-8000-000000000000", Participant: "Niklas",
		Offer: "Projektmanagement", OfferID: 5, Provider: "VWA", SessionStart: now, SessionEnd: now, Hours: 16, Days: 2, Competences: []string{"PM"},
		Credits: 2, Issued: now, Revoked: true, RevokedAt: &now, RevokeReason: "Irrtum", KeyID: "k1", CredentialURL: "http://x"}}
	data["admin_import"] = &importPage{Page: base, Result: "1 Land"}
	data["programme"] = &programmePage{Page: base, P: pv, CanEdit: true}
	data["applications"] = &applicationsPage{Page: base, Items: []domain.Application{*app}, TotalText: "1 Antrag", More: moreLink{Href: "/antraege?nach=x#antraege", Text: "Weitere Anträge anzeigen", Label: "Weitere Anträge"}, Statuses: appStatuses, Orgs: ms}
	data["application_form"] = &applicationFormPage{Page: base, App: app, Org: org, P: pv, Step: 2, Steps: formSteps, Box: box, Track: track,
		CanSubmit: true, People: "1", PeopleHint: "Hinweis", NewSlots: []int{1}}
	data["application"] = &applicationPage{Page: base, App: app, Org: org, Track: track, CanEdit: true, CanSubmit: true, CanReview: true, Box: box}
	data["mailbox"] = &mailboxPage{Page: base, Messages: []domain.Message{*msg}, Unread: 1, More: moreLink{Href: "/postfach?vor=1#nachrichten", Text: "Ältere Nachrichten anzeigen", Label: "Ältere Nachrichten"}}
	data["message"] = &messagePage{Page: base, M: msg, OrgName: "Stadt Futurehausen", CanViewApplication: true, CanHandVouchers: true}
	data["voucher_lookup"] = &voucherPage{Page: base, Code: vch.Code, Voucher: &vch}
	// Own account and legal pages.
	lp, _ := e.srv.app.Legal.Page(legal.Barrierefreiheit)
	data["email_change"] = &emailChangePage{Page: base, Token: "t"}
	data["legal"] = &legalPage{Page: base, Legal: lp, Report: &domain.BarrierReport{Name: "Maria", Email: "m@x.example", PageURL: "/angebote", Message: "Fokus fehlt"}}
	data["barrier_reports"] = &barrierReportsPage{Page: base, Reports: []domain.BarrierReport{{ID: 1, CreatedAt: now, Name: "Maria", Email: "m@x.example", PageURL: "/", Message: "Fokus fehlt"}}}
	data["admin_audit"] = &adminAuditPage{Page: base, Org: org, Rows: auditRows([]domain.AuditEntry{{ID: 1, At: now, ActorName: "Ada", OrgID: 1, OrgName: "Stadt Futurehausen",
		Action: "application.submit", ObjectType: "application", ObjectID: "7", ObjectName: "WV-2026-000007", Detail: "{}"}})}
	// HR's desk.
	waiting := approvalRow{Employer: "Stadt Futurehausen", BookingDetail: domain.BookingDetail{Booking: domain.Booking{ID: 7, OfferID: 5,
		ParticipantName: "Niklas", ParticipantEmail: "n@x.example", Status: domain.BookingAwaitingApproval, CreatedAt: now},
		OfferTitle: "Projektmanagement", Provider: "VWA", Session: offer.Sessions[0], PriceCents: 45000}}
	data["approvals"] = &approvalsPage{Page: base, Bookings: []approvalRow{waiting}, Declining: 7, Reason: "Budget"}
	data["approval_confirm"] = &approvalConfirmPage{Page: base, Booking: waiting, Note: "Gern"}
	data["team"] = &teamPage{Page: base, Org: org, Rows: []domain.TeamRow{{PersonID: 1, Name: "Niklas", Email: "n@x.example", BookingID: 7, OfferID: 5,
		OfferTitle: "Projektmanagement", SessionStart: &now, Status: domain.BookingCompleted, Voucher: "08999001-K7QM-4XD2-P9H1", CertificateID: "c1"},
		{Name: "Lilly", Email: "l@x.example"}}, Total: 10000, TotalMore: true, More: moreLink{Label: "Weitere Einträge", Text: "Weitere Einträge anzeigen",
		Href: "/organisationen/1/team?nach=4-7#eintraege"}, Status: "completed", Offer: "Projekt",
		Certificate: "ja", Statuses: teamStatuses, Query: template.URL("status=completed")}
	// voucher holders
	held := vch
	held.HolderEmail, held.HolderName, held.HandedAt, held.ProviderName = "niklas@futurehausen.example", "Niklas", &now, "VWA"
	data["my_vouchers"] = &myVouchersPage{Page: base, CanRequest: true, Vouchers: []domain.HeldVoucher{{Voucher: held, Sessions: []domain.VoucherSession{
		{SessionID: 1, OfferID: 5, OfferTitle: "Projektmanagement", StartsAt: now, EndsAt: now, Place: "Futurehausen", RegistrationDeadline: now}}}}}
	data["org_vouchers"] = &orgVouchersPage{Page: base, Org: org, Vouchers: []domain.Voucher{held, vch}, FormCode: vch.Code, FormEmail: "x@y.example"}
	fr := domain.FundingRequest{ID: 1, OrgID: 1, OrgName: "Stadt Futurehausen", PersonName: "Niklas", PersonEmail: "n@x.example", ProgrammeID: prog.ID,
		Track: "basis", OfferID: 5, OfferTitle: "Projektmanagement", Reason: "Bürgerbüro", Status: domain.RequestDeclined, Answer: "Kein Platz", CreatedAt: now}
	open := fr
	open.ID, open.Status, open.Answer = 2, domain.RequestOpen, ""
	data["funding_request"] = &requestFormPage{Page: base, Orgs: ms, Tracks: []trackOption{{"digitallotsen-bw/basis", "Basisqualifizierung"}},
		Offer: offer, Track: "digitallotsen-bw/basis", Requests: []domain.FundingRequest{fr}}
	data["funding_requests"] = &requestsPage{Page: base, Requests: []domain.FundingRequest{open, fr}, Free: map[int64][]domain.Voucher{2: {vch}}, FormID: 2,
		Form: url.Values{"reason": {"x"}}}
	// Settlement pages.
	item := domain.ClaimItem{Code: "08999001K7QM4XD2P9H1", Track: "basis", TrackName: "Basisqualifizierung", AGS: "08999001", Municipality: "Futurehausen",
		Participant: "Niklas", OfferTitle: "Projektmanagement", SessionStart: &now, SessionEnd: &now, RedeemedAt: &now, State: domain.VoucherRedeemed, ValueCents: 30000}
	claim := &domain.Claim{ID: 4, Number: "AB-2026-000004", Kind: domain.ClaimInvoice, ProgrammeID: prog.ID, ProviderID: 3, ProviderName: "Verwaltungsschule",
		Status: domain.ClaimChecked, TotalCents: 30000, VoucherCount: 1, Items: []domain.ClaimItem{item}, CreatedAt: now, UpdatedAt: now, SubmittedAt: &now,
		CheckedAt: &now, CheckedBy: "Franz", CheckedByID: 1, Events: []domain.ClaimEvent{{At: now, Actor: "Karl", Action: "submit", To: domain.ClaimSubmitted},
			{At: now, Actor: "Franz", Action: "note", To: domain.ClaimChecked, Comment: "Listen liegen vor", Internal: true}}}
	credit := *claim
	credit.ID, credit.Kind, credit.Status, credit.CorrectsID, credit.Reason = 5, domain.ClaimCreditNote, domain.ClaimDraft, 4, "Doppelt bezahlt"
	approved := *claim
	approved.Status = domain.ClaimApproved
	data["claims"] = &claimsPage{Page: base, Claims: []domain.Claim{*claim, credit}, ToCheck: []domain.Claim{credit}, ToRelease: []domain.Claim{*claim},
		Statuses: claimStatuses, Reviews: true, Providers: ms}
	data["claim_new"] = &claimNewPage{Page: base, Providers: ms, Provider: 1, Programmes: []domain.Programme{*prog, *prog}, Programme: prog.ID,
		Items: []domain.ClaimItem{item}, Chosen: []string{item.Code}, SumCents: 30000}
	data["claim"] = &claimPage{Page: base, C: claim, ProgrammeName: prog.Name, Tracks: []trackSum{{"Basisqualifizierung", 1, 30000}}, CanPrepare: true,
		CanReview: true, SelfChecked: true, NeedsBilling: true, ReturnComment: "Bitte Liste ergänzen", Form: "zurueckgeben", Input: url.Values{"comment": {"Bitte"}}}
	data["claim_vouchers"] = &claimVouchersPage{Page: base, C: claim, Items: []domain.ClaimItem{item}, Chosen: []string{item.Code}}
	data["billing"] = &billingPage{Page: base, Providers: ms, Provider: 1, New: true, B: domain.BillingProfile{LegalName: "Verwaltungsschule", IBAN: "DE00"}}
	data["budget"] = &budgetPage{Page: base, P: prog, Year: 2026, Years: []int{2026, 2025}, CanEdit: true, Amount: "250.000,00",
		B: &domain.Budget{Planned: true, PlannedCents: 25_000_000, CommittedCents: 60_000, FreeCents: 24_940_000, Year: 2026},
		Entries: []domain.BudgetEntry{{ID: 1, Kind: domain.EntryPay, AmountCents: 30000, VoucherCode: item.Code, ClaimID: 4, Note: "AB-2026-000004", At: now},
			{ID: 2, Kind: domain.EntryPlan, AmountCents: -100, At: now}}, Numbers: map[int64]string{4: "AB-2026-000004"}}
	data["report"] = reportExample(base, now) // reports: the programme report
	// Search thesaurus.
	data["admin_search_terms"] = &searchTermsPage{Page: base, ThesaurusView: &catalog.ThesaurusView{
		Entries: []domain.SearchTerm{{ID: 1, Line: "Bürgeramt, Bürgerbüro", CreatedBy: 1, CreatedByName: "Ada", CreatedAt: now}, {ID: 2, Line: "records management => Schriftgutverwaltung", CreatedAt: now}},
		Shipped: []string{"GemO, Gemeindeordnung"}, Version: "1+2", ShippedVersion: "1"}, Line: "GemO", Probe: "GemO-Kurs",
		Expansions: []search.Expansion{{Phrase: "gemo", To: []string{"Gemeindeordnung"}}}}
	// matching: the self-assessment
	asmt := &domain.Assessment{PersonID: 1, Items: []domain.AssessmentItem{{Code: "PM.1", Name: "Klassisches Projektmanagement", Level: 1, Target: 2}},
		Goals: "OZG-Projekt leiten", UpdatedAt: now, Shares: []domain.AssessmentShare{{OrgID: 1, OrgName: "Futurehausen", SharedAt: now}}}
	data["assessment"] = &assessmentPage{Page: base, Assessment: asmt, Levels: domain.CompetenceLevels, Gaps: asmt.Gaps(),
		Areas:  []assessmentArea{{Code: "PM", Name: "Projektmanagement", Rows: []assessmentRow{{Code: "PM.1", Name: "Klassisches Projektmanagement", Level: 1, Target: 2}}}},
		Shares: []shareTarget{{ID: 1, Name: "Futurehausen", Shared: true}, {ID: 2, Name: "Kleinbach"}}}
	data["shared_assessments"] = &sharedAssessmentsPage{Page: base, OrgID: 1, MinGroup: 5, Total: 7,
		List:    []domain.SharedAssessment{{Assessment: *asmt, PersonName: "Niklas Neumann"}},
		Summary: []domain.CompetenceCount{{Code: "PM.1", Name: "Klassisches Projektmanagement", People: 5}},
		More:    moreLink{Href: "/organisationen/1/selbsteinschaetzungen?nach=x#geteilt", Text: "Weitere Selbsteinschätzungen anzeigen", Label: "Weitere Selbsteinschätzungen"}}
	// matching: recommendations
	km := 12.0
	data["recommendations"] = &recommendationsPage{Page: base, R: &domain.Recommendations{Municipality: "Esslingen am Neckar",
		Gaps: []domain.AssessmentItem{{Code: "PM.1", Name: "Klassisches Projektmanagement", Level: 1, Target: 2}},
		Items: []domain.Recommendation{{Offer: domain.RecommendedOffer{ID: 5, Title: "Projektmanagement kompakt", Provider: "VWA", Level: "basic",
			Format: "in_person", Days: 2, PriceCents: 36000, PriceAfterFundingCents: 6000},
			Session: &domain.RecommendedSession{ID: 9, StartsAt: now, EndsAt: now, Place: "Stuttgart", AGS: "08111000", DistanceKm: &km},
			Reasons: []domain.Reason{{Kind: "gap", Text: "Schließt Ihre Lücke in Klassisches Projektmanagement (Stufe 1 → Ziel 2)"},
				{Kind: "distance", Text: "Nächster Termin in 12 km (Stuttgart)"}}}},
		Notes: []string{"1 passendes Angebot ist derzeit ausgebucht."}}}
	maps.Copy(data, pilotExamples(base, now))   // pilots: the directory
	for k, v := range pathExamples(base, now) { // matching: paths
		data[k] = v
	}
	for k, v := range privacyExamples(base, now) { // privacy
		data[k] = v
	}
	for k, v := range eventExamples(base, now) { // events
		data[k] = v
	}
	// matching: roles and demand
	two, avg := 2, 0.4
	role := domain.RoleProfile{ID: 3, OrgID: 1, Name: "Digitallotse/Digitallotsin", Description: "Pilotrolle", Template: "digitallotse",
		Targets: []domain.RoleTarget{{Code: "PM.1", Name: "Klassisches Projektmanagement", Level: 2}}, Members: []domain.RoleMember{{PersonID: 1, Name: "Ada", Email: "a@b.example"}}}
	data["roles"] = &rolesPage{Page: base, OrgID: 1, OrgName: "Stadt Futurehausen", Profiles: []domain.RoleProfile{role}}
	data["roles_form"] = &roleFormPage{Page: base, OrgID: 1, OrgName: "Stadt Futurehausen", ID: 3, Name: role.Name, Levels: domain.CompetenceLevels,
		Areas:  []roleArea{{Code: "PM", Name: "Projektmanagement", Competences: []roleCompetence{{Code: "PM.1", Name: "Klassisches Projektmanagement", Description: "Projekte planen", Level: 2, Field: "ziel_PM.1"}}}},
		People: []domain.RoleCandidate{{RoleMember: role.Members[0], Assigned: true}}, Search: "Ada", After: 4, Assigned: 1,
		More: moreLink{Label: "Weitere Personen", Text: "Weitere Personen anzeigen", Href: "/team/rollen/3?nach=9#personen", FirstText: "Zurück zu den ersten Personen", First: "/team/rollen/3#personen"}}
	data["roles_gaps"] = &teamGapsPage{Page: base, OrgID: 1, OrgName: "Stadt Futurehausen", MinGroupSize: domain.MinGroupSize, Profiles: []domain.ProfileGaps{{
		ProfileID: 3, Name: role.Name, Assigned: 6, Shared: 5, NotShared: 1,
		People: []domain.GapPerson{{PersonID: 1, Name: "Ada", Gaps: []domain.RoleGap{{Code: "PM.1", Name: "Klassisches Projektmanagement", Target: 2, Level: 0, Gap: 2}}}},
		Competences: []domain.CompetenceGaps{{Code: "PM.1", Name: "Klassisches Projektmanagement", Target: 2, WithGap: &two, AverageGap: &avg,
			Offers: []domain.GapOffer{{OfferID: 5, Title: "Projektmanagement", ProviderName: "VWA", Level: 2, PriceCents: 18000, Track: "digitallotsen-bw/aufbau",
				TrackName: "Aufbauprogramm", FundingCents: 5000, CostCents: 13000, NextSession: &now, Place: "Stuttgart"}}},
			{Code: "KI.1", Name: "KI-Grundlagen", Target: 1, BelowThreshold: true}}}}}
	five := 5
	data["demand"] = &demandPage{Page: base, Providers: ms, Demand: &domain.Demand{ProviderID: 1, ProviderName: "VWA", From: now, To: now, MinGroupSize: 5,
		Districts: []domain.District{{AGS: "08999", Name: "Zukunftstal"}}, Choices: []domain.District{{AGS: "08999", Name: "Zukunftstal"}},
		Areas: []domain.DemandArea{{Code: "PM", Name: "Projektmanagement", Queries: []string{"scrum"}, Signals: []domain.DemandSignal{
			{Kind: domain.DemandAssessmentGaps, Label: "Personen mit Lücke", Basis: "Stand heute", Count: &five},
			{Kind: domain.DemandRoleGaps, Label: "Rollen", Basis: "Stand heute", BelowThreshold: true}}}}}}
	for k, v := range communityExamples(base, now) { // community: the members' space
		data[k] = v
	}
	maps.Copy(data, programmeExamples(base, prog)) // programmes: a programme as data
	maps.Copy(data, ssoExamples(base, org))        // sso: single sign-on
	for k, v := range mfaExamples(base, now) {     // mfa: the second factor
		data[k] = v
	}
	for _, name := range pageNames {
		d, ok := data[name]
		if !ok {
			t.Errorf("no example data for template %q", name)
			continue
		}
		rec := httptest.NewRecorder()
		e.srv.render(rec, httptest.NewRequest("GET", "/", nil), 200, name, d)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "</html>") || !strings.Contains(body, "Beispiel – Lotse") {
			t.Errorf("template %s: status %d, body %.300s", name, rec.Code, body)
		}
		for _, bad := range badWording(body) {
			t.Errorf("template %s shows %q", name, bad)
		}
	}
}

// badWordingRE finds what must not show on a page: a noun in the plural
// after the number 1, a template's leftovers, code names and English.
var badWordingRE = regexp.MustCompile(`(?:^|[^0-9.,])1 (?:Angebote|Anträge|Personen|Plätze|Plätzen|Tage|Tagen|Stunden|Bewertungen|Nachrichten|Gutscheincodes|Gutscheine|Termine|Treffer gefunden)\b` +
	`|<no value>|%!|\{\{|\}\}|API-Token` +
	`|\b(?:awaiting_approval|waitlisted|in_review|provider_staff|account_admin|event_organiser|application\.[a-z_]+|booking\.[a-z_]+|offer\.[a-z_]+|in_person|live_online|self_paced|to_check)\b` +
	`|\b(?:Submit|Cancel|Save|Delete|Loading|Dashboard|Token)\b`)

// pageText is the text of a page as a reader sees it: without tags,
// attributes, scripts and styles.
func pageText(body string) string {
	body = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>`).ReplaceAllString(body, " ")
	body = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(body, " ")
	return strings.Join(strings.Fields(html.UnescapeString(body)), " ")
}

func badWording(body string) []string {
	return badWordingRE.FindAllString(pageText(body), -1)
}

func TestBadWordingIsFound(t *testing.T) {
	for _, bad := range []string{"<p>1 Angebote</p>", "<b>1</b> Anträge", "für 1 Personen", "noch 1 Plätze frei", "an 1 Tagen", "&lt;no value&gt;",
		"%!d(string=x)", "{{.Title}}", "API-Tokens", "Status: awaiting_approval", "Rolle provider_staff", "application.submit"} {
		if badWording(bad) == nil {
			t.Errorf("%q passes the wording check", bad)
		}
	}
	for _, good := range []string{"<p>1 Angebot</p>", "11 Angebote", "21 Personen", "1,5 Tage", "<option value=\"in_person\">Präsenz</option>", "API-Schlüssel"} {
		if bad := badWording(good); bad != nil {
			t.Errorf("%q fails the wording check: %q", good, bad)
		}
	}
}

// homeExample is a desk with one entry in every section.
func homeExample(base Page, now time.Time) *homePage {
	app := domain.Application{ID: 7, OrgID: 1, OrgName: "Stadt Futurehausen", Track: domain.TrackBasis, People: 2, Status: domain.AppReturned, SubmittedAt: &now}
	ses := domain.Session{ID: 3, OfferID: 5, StartsAt: now, EndsAt: now, Days: 1, Capacity: 10, Online: true, Free: 8}
	d := &desk.Desk{
		Applications: []desk.Application{{Application: app, CanEdit: true}},
		Reviews:      []domain.Application{app},
		Approvals: []domain.BookingDetail{{Booking: domain.Booking{ID: 4, OfferID: 5, ParticipantName: "Niklas", Status: domain.BookingAwaitingApproval},
			OfferTitle: "Projektmanagement", Session: ses}},
		OffersInReview: []domain.Offer{{ID: 5, Title: "Projektmanagement"}},
		Bookings: []domain.BookingDetail{{Booking: domain.Booking{ID: 4, OfferID: 5, Status: domain.BookingConfirmed}, OfferTitle: "Projektmanagement",
			Session: ses}},
		Certificates: []domain.Certificate{{ID: "c1", Offer: "Basisqualifizierung", Provider: "VWA", Issued: now}},
		Sessions: []desk.SessionDue{{ProviderSession: domain.ProviderSession{Session: ses, OfferTitle: "Projektmanagement", Confirmed: 2, Waiting: 1,
			Awaiting: 1}}, {ProviderSession: domain.ProviderSession{Session: ses, OfferTitle: "E-Akte", Confirmed: 1}, AttendanceDue: true}},
		Contingents: []desk.OrgContingent{{OrgID: 1, Contingent: domain.Contingent{Name: "Futurehausen", Total: 3, Used: 1, Remaining: 2}}},
		Mailboxes:   []desk.Mailbox{{OrgID: 1, OrgName: "Stadt Futurehausen", Unread: 2}},
		Claims:      &desk.ClaimsDue{Claimable: 2, ClaimableCents: 60000, Returned: 1, ToCheck: 1, ToRelease: 3},                                        // settlement
		Development: &desk.Development{Assessed: true, Gaps: 2, Paths: []desk.PathProgress{{ID: 1, Title: "Kommunale/r Digitallotse/in", Percent: 40}}}, // matching
	}
	return &homePage{Page: base, Desk: d, Now: now, ApplyFor: base.Actor.Memberships}
}
