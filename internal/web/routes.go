package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/settlement"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/legal"
)

// routeTable registers handlers on the mux and remembers the patterns, so
// that tests can check every route against the policy matrix and the
// OpenAPI document.
type routeTable struct {
	mux      *http.ServeMux
	patterns []string
}

func (t *routeTable) HandleFunc(pattern string, h http.HandlerFunc) {
	t.patterns = append(t.patterns, pattern)
	t.mux.HandleFunc(pattern, withPattern(h))
}

func (t *routeTable) Handle(pattern string, h http.Handler) {
	t.patterns = append(t.patterns, pattern)
	t.mux.Handle(pattern, withPattern(h.ServeHTTP))
}

// routes registers the UI and API route tables. Paths of the UI are German;
// the API lives under /api/v1 and is described in openapi.json.
func (s *Server) routes(mux *routeTable) {
	// Operations.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.handleReady) // ready.go: the named checks
	mux.Handle("GET /metrics", s.metricsHandler())
	mux.Handle("GET /static/", s.assets)
	mux.HandleFunc("GET /.well-known/jwks.json", s.api(s.handleJWKS))

	s.communityRoutes(mux) // community: the members' space
	s.uiRoutes(mux)
	s.brandingRoutes(mux) // branding: the operator's style sheet and logo
	s.apiRoutes(mux)
	s.pilotsRoutes(mux)     // pilots: the directory of digital pilots
	s.eventRoutes(mux)      // events
	s.programmesRoutes(mux) // programmes: a programme as data
	s.privacyRoutes(mux)    // privacy: data download and account deletion
	s.ssoRoutes(mux)        // sso: single sign-on
	s.mfaRoutes(mux)        // mfa: the second factor
}

func (s *Server) uiRoutes(mux *routeTable) {
	mux.HandleFunc("GET /{$}", s.page(s.handleHome))
	mux.HandleFunc("GET /anmelden", s.page(s.handleLoginForm))
	mux.HandleFunc("POST /anmelden", s.page(s.handleLogin))
	mux.HandleFunc("POST /abmelden", s.page(s.handleLogout))
	mux.HandleFunc("GET /passwort-vergessen", s.page(s.handleForgotForm))
	mux.HandleFunc("POST /passwort-vergessen", s.page(s.handleForgot))
	mux.HandleFunc("GET /passwort-zuruecksetzen", s.page(s.handleResetForm))
	mux.HandleFunc("POST /passwort-zuruecksetzen", s.page(s.handleReset))
	mux.HandleFunc("GET /email-bestaetigen", s.page(s.handleVerifyEmail))
	mux.HandleFunc("GET /einladung/{token}", s.page(s.handleInvitationForm))
	mux.HandleFunc("POST /einladung/{token}", s.page(s.handleInvitationAccept))

	mux.HandleFunc("GET /konto", s.page(s.handleAccount))
	mux.HandleFunc("POST /konto/bestaetigung", s.page(s.handleAccountVerify))
	mux.HandleFunc("POST /konto/tokens", s.page(s.handleTokenCreate))
	mux.HandleFunc("POST /konto/tokens/{id}/widerrufen", s.page(s.handleTokenRevoke))

	mux.HandleFunc("GET /organisationen/{id}", s.page(s.handleOrg))
	mux.HandleFunc("POST /organisationen/{id}/einladungen", s.page(s.handleOrgInvite))
	mux.HandleFunc("POST /organisationen/{id}/einladungen/{inv}/zurueckziehen", s.page(s.handleOrgRevokeInvitation))
	mux.HandleFunc("GET /organisationen/{id}/mitglieder/{person}", s.page(s.handleOrgMember))
	mux.HandleFunc("POST /organisationen/{id}/mitglieder/{person}/rollen", s.page(s.handleOrgSetRoles))
	mux.HandleFunc("POST /organisationen/{id}/mitglieder/{person}/entfernen", s.page(s.handleOrgRemoveMember))

	mux.HandleFunc("GET /kommunen", s.page(s.handleDirectory))
	mux.HandleFunc("GET /kommunen/{ags}", s.page(s.handleMunicipality))

	mux.HandleFunc("GET /programme/{id}", s.page(s.handleProgramme))
	mux.HandleFunc("POST /programme/{id}", s.page(s.handleProgrammeUpdate))
	mux.HandleFunc("GET /antraege", s.page(s.handleApplications))
	mux.HandleFunc("GET /antraege/neu", s.page(s.handleApplicationNew))
	mux.HandleFunc("POST /antraege/neu", s.page(s.handleApplicationNew))
	mux.HandleFunc("GET /antraege/{id}", s.page(s.handleApplication))
	mux.HandleFunc("GET /antraege/{id}/bearbeiten", s.page(s.handleApplicationEdit))
	mux.HandleFunc("POST /antraege/{id}/bearbeiten", s.page(s.handleApplicationEdit))
	mux.HandleFunc("POST /antraege/{id}/{action}", s.page(s.handleApplicationAction))
	mux.HandleFunc("GET /dokumente/{id}", s.page(s.handleDocument))
	mux.HandleFunc("GET /postfach", s.page(s.handleMailbox))
	mux.HandleFunc("GET /postfach/{id}", s.page(s.handleMessage))
	mux.HandleFunc("POST /postfach/{id}/archiv", s.page(s.handleMessageArchive))
	mux.HandleFunc("GET /postfach/{id}/anhang/{doc}", s.page(s.handleMessageAttachment))
	mux.HandleFunc("GET /gutscheine", s.page(s.handleVoucherLookup))

	mux.HandleFunc("GET /angebote", s.page(s.handleCatalog))
	mux.HandleFunc("GET /angebote/{id}", s.page(s.handleOffer))
	mux.HandleFunc("GET /angebote/{id}/bearbeiten", s.page(s.handleOfferEdit))
	mux.HandleFunc("POST /angebote/{id}/bearbeiten", s.page(s.handleOfferEdit))
	mux.HandleFunc("POST /angebote/{id}/termine", s.page(s.handleSessionCreate))
	mux.HandleFunc("POST /termine/{id}/buchen", s.page(s.handleBookForm))
	mux.HandleFunc("GET /buchungen", s.page(s.handleMyBookings))
	mux.HandleFunc("POST /buchungen/kalender", s.page(s.handleCalendarLink))
	mux.HandleFunc("GET /buchungen/{id}/kalender.ics", s.page(s.handleBookingICS))
	mux.HandleFunc("POST /buchungen/{id}/stornieren", s.page(s.handleBookingCancel))
	mux.HandleFunc("GET /kalender/{token}", s.page(s.handleCalendarFeed))
	mux.HandleFunc("GET /anbieter/termine/{id}", s.page(s.handleParticipants))
	mux.HandleFunc("GET /anbieter/termine/{id}/anwesenheit.csv", s.page(s.handleAttendanceExport))
	mux.HandleFunc("POST /buchungen/{id}/anwesenheit", s.page(s.handleAttendanceForm))
	mux.HandleFunc("POST /anbieter/termine/{id}/anwesenheit", s.page(s.handleAttendanceUpload))
	mux.HandleFunc("POST /gutscheine/{code}/entscheidung", s.page(s.handleVoucherDecision))
	mux.HandleFunc("POST /buchungen/{id}/bewertung", s.page(s.handleRatingForm))
	mux.HandleFunc("GET /verify/{id}", s.page(s.handleVerifyCertificate))
	mux.HandleFunc("GET /zertifikate/{id}/pdf", s.page(s.handleCertificatePDF))
	mux.HandleFunc("GET /vergleich", s.page(s.handleCompare))
	mux.HandleFunc("POST /vergleich", s.page(s.handleCompareChange))
	mux.HandleFunc("GET /anbieter", s.page(s.handleProviderOffers))
	mux.HandleFunc("GET /anbieter/angebote/neu", s.page(s.handleOfferNew))
	mux.HandleFunc("POST /anbieter/angebote/neu", s.page(s.handleOfferNew))
	mux.HandleFunc("GET /anbieter/import", s.page(s.handleMoochubImport))
	mux.HandleFunc("POST /anbieter/import", s.page(s.handleMoochubImport))
	mux.HandleFunc("GET /admin/angebote", s.page(s.handleOfferQueue))
	mux.HandleFunc("POST /admin/angebote/{id}/pruefen", s.page(s.handleOfferReview))

	mux.HandleFunc("GET /admin", s.page(s.handleAdminOrgs))
	mux.HandleFunc("POST /admin/organisationen", s.page(s.handleAdminCreateOrg))
	mux.HandleFunc("GET /admin/gemeindeverzeichnis", s.page(s.handleDirectoryImportForm))
	mux.HandleFunc("POST /admin/gemeindeverzeichnis", s.page(s.handleDirectoryImport))
	mux.HandleFunc("GET /admin/postausgang", s.page(s.handleAdminOutbox))
	mux.HandleFunc("GET /admin/protokoll", s.page(s.handleAdminAudit))
	// The contract an approval would make, read before approving.
	mux.HandleFunc("GET /antraege/{id}/vertragsentwurf", s.page(s.handleContractPreview))

	// Own account and legal pages.
	mux.HandleFunc("POST /konto/name", s.page(s.handleAccountName))
	mux.HandleFunc("POST /konto/passwort", s.page(s.handleAccountPassword))
	mux.HandleFunc("POST /konto/email", s.page(s.handleAccountEmail))
	mux.HandleFunc("GET /email-aendern", s.page(s.handleEmailChangeForm))
	mux.HandleFunc("POST /email-aendern", s.page(s.handleEmailChange))
	mux.HandleFunc("GET /impressum", s.page(s.handleLegal(legal.Impressum)))
	mux.HandleFunc("GET /datenschutz", s.page(s.handleLegal(legal.Datenschutz)))
	mux.HandleFunc("GET /barrierefreiheit", s.page(s.handleLegal(legal.Barrierefreiheit)))
	mux.HandleFunc("POST /barrierefreiheit", s.page(s.handleBarrierReport))
	mux.HandleFunc("GET /leichte-sprache", s.page(s.handleLegal(legal.LeichteSprache)))
	mux.HandleFunc("GET /admin/barrieremeldungen", s.page(s.handleBarrierReports))
	mux.HandleFunc("GET /organisationen/{id}/protokoll", s.page(s.handleOrgAudit))
	// Review with four eyes and a conversation.
	mux.HandleFunc("POST /antraege/{id}/gespraech", s.page(s.handleApplicationComment))
	// HR's desk: approvals and the team overview.
	mux.HandleFunc("GET /freigaben", s.page(s.handleApprovals))
	mux.HandleFunc("GET /freigaben/{id}/genehmigen", s.page(s.handleApprovalConfirm))
	mux.HandleFunc("POST /freigaben/{id}/genehmigen", s.page(s.handleApprove))
	mux.HandleFunc("POST /freigaben/{id}/ablehnen", s.page(s.handleDecline))
	mux.HandleFunc("GET /organisationen/{id}/team", s.page(s.handleTeam))
	mux.HandleFunc("GET /organisationen/{id}/team.csv", s.page(s.handleTeamCSV))
	// Vouchers to people and funding requests.
	mux.HandleFunc("GET /meine-gutscheine", s.page(s.handleMyVouchers))
	mux.HandleFunc("GET /organisationen/{id}/gutscheine", s.page(s.handleOrgVouchers))
	mux.HandleFunc("POST /organisationen/{id}/gutscheine/{code}/inhaber", s.page(s.handleOrgVoucherHand))
	mux.HandleFunc("GET /foerderung-anfragen", s.page(s.handleFundingRequestForm))
	mux.HandleFunc("POST /foerderung-anfragen", s.page(s.handleFundingRequestCreate))
	mux.HandleFunc("GET /foerderanfragen", s.page(s.handleFundingRequests))
	mux.HandleFunc("POST /foerderanfragen/{id}/{action}", s.page(s.handleFundingRequestAnswer))
	// Settlement pages: claims, billing data, budget.
	mux.HandleFunc("GET /abrechnungen", s.page(s.handleClaims))
	mux.HandleFunc("GET /abrechnungen/neu", s.page(s.handleClaimNew))
	mux.HandleFunc("POST /abrechnungen/neu", s.page(s.handleClaimNew))
	mux.HandleFunc("GET /abrechnungen/{id}", s.page(s.handleClaim))
	mux.HandleFunc("POST /abrechnungen/{id}/{action}", s.page(s.handleClaimAction))
	mux.HandleFunc("GET /abrechnungen/{id}/gutscheine", s.page(s.handleClaimVouchers))
	mux.HandleFunc("POST /abrechnungen/{id}/gutscheine", s.page(s.handleClaimVouchers))
	mux.HandleFunc("GET /rechnungsdaten", s.page(s.handleBilling))
	mux.HandleFunc("POST /rechnungsdaten", s.page(s.handleBilling))
	mux.HandleFunc("GET /programme/{id}/budget", s.page(s.handleBudget))
	mux.HandleFunc("POST /programme/{id}/budget", s.page(s.handleBudgetSet))
	// reports: the programme report
	mux.HandleFunc("GET /programme/{id}/auswertung", s.page(s.handleReport))
	// Search thesaurus: the entries administrators add.
	mux.HandleFunc("GET /admin/suchbegriffe", s.page(s.handleSearchTerms))
	mux.HandleFunc("POST /admin/suchbegriffe", s.page(s.handleSearchTermAdd))
	mux.HandleFunc("POST /admin/suchbegriffe/{id}/loeschen", s.page(s.handleSearchTermDelete))
	// importer: batch review and batch competences.
	mux.HandleFunc("POST /admin/angebote/veroeffentlichen", s.page(s.handleOfferQueuePublish))
	mux.HandleFunc("POST /anbieter/angebote/kompetenzen", s.page(s.handleProviderCompetences))
	// matching: recommendations
	mux.HandleFunc("GET /empfehlungen", s.page(s.handleRecommendations))

	// matching: the self-assessment
	mux.HandleFunc("GET /selbsteinschaetzung", s.page(s.handleAssessment))
	mux.HandleFunc("GET /selbsteinschaetzung/bearbeiten", s.page(s.handleAssessmentForm))
	mux.HandleFunc("POST /selbsteinschaetzung/bearbeiten", s.page(s.handleAssessmentSave))
	mux.HandleFunc("POST /selbsteinschaetzung/{action}", s.page(s.handleAssessmentShare))
	mux.HandleFunc("GET /organisationen/{id}/selbsteinschaetzungen", s.page(s.handleSharedAssessments))
	// matching: paths
	mux.HandleFunc("GET /lernpfade", s.page(s.handlePaths))
	mux.HandleFunc("GET /lernpfade/neu", s.page(s.handlePathNew))
	mux.HandleFunc("POST /lernpfade/neu", s.page(s.handlePathNew))
	mux.HandleFunc("GET /lernpfade/{id}", s.page(s.handlePath))
	mux.HandleFunc("GET /lernpfade/{id}/bearbeiten", s.page(s.handlePathEdit))
	mux.HandleFunc("POST /lernpfade/{id}/bearbeiten", s.page(s.handlePathEdit))
	mux.HandleFunc("POST /lernpfade/{id}/folgen", s.page(s.handlePathJoin))
	mux.HandleFunc("POST /lernpfade/{id}/verlassen", s.page(s.handlePathLeave))
	mux.HandleFunc("GET /lernpfade/{id}/teilnehmende", s.page(s.handlePathMembers))
	mux.HandleFunc("POST /lernpfade/{id}/teilnehmende/{person}/treffen", s.page(s.handlePathEvent))
	mux.HandleFunc("GET /lernpfade/zertifikate/{id}/pdf", s.page(s.handlePathCertificatePDF))
	mux.HandleFunc("GET /verify/lernpfad/{id}", s.page(s.handleVerifyPathCertificate))
	// matching: roles and demand
	mux.HandleFunc("GET /team/rollen", s.page(s.handleRoles))
	mux.HandleFunc("GET /team/rollen/neu", s.page(s.handleRoleNew))
	mux.HandleFunc("POST /team/rollen/neu", s.page(s.handleRoleNew))
	mux.HandleFunc("GET /team/rollen/{id}", s.page(s.handleRole))
	mux.HandleFunc("POST /team/rollen/{id}", s.page(s.handleRole))
	mux.HandleFunc("POST /team/rollen/{id}/personen", s.page(s.handleRolePeople))
	mux.HandleFunc("POST /team/rollen/{id}/loeschen", s.page(s.handleRoleDelete))
	mux.HandleFunc("GET /team/luecken", s.page(s.handleTeamGaps))
	mux.HandleFunc("GET /anbieter/nachfrage", s.page(s.handleDemand))

	// Everything else is a 404 page in the design.
	mux.HandleFunc("/", s.page(func(w http.ResponseWriter, r *http.Request) error {
		return errNotFoundPage
	}))
}

func (s *Server) apiRoutes(mux *routeTable) {
	mux.HandleFunc("GET /api/v1/openapi.json", s.handleOpenAPI)
	mux.HandleFunc("GET /api/v1/me", s.api(s.apiMe))
	mux.HandleFunc("GET /api/v1/me/tokens", s.api(s.apiTokens))
	mux.HandleFunc("POST /api/v1/me/tokens", s.api(s.apiTokenCreate))
	mux.HandleFunc("DELETE /api/v1/me/tokens/{id}", s.api(s.apiTokenRevoke))
	mux.HandleFunc("POST /api/v1/me/verification", s.api(s.apiRequestVerification))
	// Desk and certificates of the logged-in person.
	mux.HandleFunc("GET /api/v1/me/desk", s.api(s.apiDesk))
	mux.HandleFunc("GET /api/v1/me/certificates", s.api(s.apiMyCertificates))

	mux.HandleFunc("POST /api/v1/auth/login-params", s.api(s.apiLoginParams))
	mux.HandleFunc("POST /api/v1/auth/login", s.api(s.apiLogin))
	mux.HandleFunc("POST /api/v1/auth/logout", s.api(s.apiLogout))
	mux.HandleFunc("POST /api/v1/auth/password-reset", s.api(s.apiPasswordReset))
	mux.HandleFunc("POST /api/v1/auth/password-reset/confirm", s.api(s.apiPasswordResetConfirm))
	mux.HandleFunc("POST /api/v1/auth/verify-email", s.api(s.apiVerifyEmail))

	mux.HandleFunc("GET /api/v1/municipalities", s.api(s.apiMunicipalities))
	mux.HandleFunc("GET /api/v1/municipalities/{ags}", s.api(s.apiMunicipality))
	mux.HandleFunc("POST /api/v1/municipalities/import", s.api(s.apiDirectoryImport))

	mux.HandleFunc("GET /api/v1/organisations", s.api(s.apiOrgs))
	mux.HandleFunc("POST /api/v1/organisations", s.api(s.apiOrgCreate))
	mux.HandleFunc("GET /api/v1/organisations/{id}", s.api(s.apiOrg))
	mux.HandleFunc("GET /api/v1/organisations/{id}/members", s.api(s.apiMembers))
	mux.HandleFunc("PUT /api/v1/organisations/{id}/members/{person}", s.api(s.apiSetRoles))
	mux.HandleFunc("DELETE /api/v1/organisations/{id}/members/{person}", s.api(s.apiRemoveMember))
	mux.HandleFunc("GET /api/v1/organisations/{id}/invitations", s.api(s.apiInvitations))
	mux.HandleFunc("POST /api/v1/organisations/{id}/invitations", s.api(s.apiInvite))
	mux.HandleFunc("DELETE /api/v1/organisations/{id}/invitations/{inv}", s.api(s.apiRevokeInvitation))
	mux.HandleFunc("GET /api/v1/organisations/{id}/audit", s.api(s.apiOrgAudit))
	mux.HandleFunc("POST /api/v1/invitations/{token}/accept", s.api(s.apiAcceptInvitation))

	mux.HandleFunc("GET /api/v1/programmes", s.api(s.apiProgrammes))
	mux.HandleFunc("GET /api/v1/programmes/{id}", s.api(s.apiProgramme))
	mux.HandleFunc("PUT /api/v1/programmes/{id}", s.api(s.apiProgrammeUpdate))
	mux.HandleFunc("GET /api/v1/municipalities/{ags}/contingent", s.api(s.apiContingent))
	mux.HandleFunc("GET /api/v1/applications", s.api(s.apiApplications))
	mux.HandleFunc("POST /api/v1/applications", s.api(s.apiApplicationCreate))
	mux.HandleFunc("GET /api/v1/applications/{id}", s.api(s.apiApplication))
	mux.HandleFunc("PATCH /api/v1/applications/{id}", s.api(s.apiApplicationUpdate))
	mux.HandleFunc("POST /api/v1/applications/{id}/submit", s.api(s.applicationStep(authz.ApplicationSubmit, s.submitApplication)))
	mux.HandleFunc("POST /api/v1/applications/{id}/withdraw", s.api(s.applicationStep(authz.ApplicationSubmit, s.withdrawApplication)))
	mux.HandleFunc("POST /api/v1/applications/{id}/approve", s.api(s.applicationStep(authz.ApplicationReview, s.approveApplication)))
	mux.HandleFunc("POST /api/v1/applications/{id}/reject", s.api(s.applicationStep(authz.ApplicationReview, s.rejectApplication)))
	mux.HandleFunc("POST /api/v1/applications/{id}/return", s.api(s.applicationStep(authz.ApplicationReview, s.returnApplication)))
	mux.HandleFunc("POST /api/v1/organisations/{id}/documents", s.api(s.apiUploadDocument))
	mux.HandleFunc("GET /api/v1/documents/{id}", s.api(s.apiDocument))
	mux.HandleFunc("GET /api/v1/mailbox", s.api(s.apiMailbox))
	mux.HandleFunc("GET /api/v1/mailbox/{id}", s.api(s.apiMessage))
	mux.HandleFunc("POST /api/v1/mailbox/{id}/archive", s.api(s.apiMessageArchive(true)))
	mux.HandleFunc("POST /api/v1/mailbox/{id}/unarchive", s.api(s.apiMessageArchive(false)))
	mux.HandleFunc("GET /api/v1/mailbox/{id}/attachments/{doc}", s.api(s.apiMessageAttachment))
	mux.HandleFunc("GET /api/v1/vouchers/{code}", s.api(s.apiVoucher))
	mux.HandleFunc("POST /api/v1/vouchers/{code}/release", s.api(s.apiVoucherRelease))
	mux.HandleFunc("POST /api/v1/vouchers/{code}/forfeit", s.api(s.apiVoucherForfeit))

	mux.HandleFunc("GET /api/v1/offers", s.api(s.apiOffers))
	mux.HandleFunc("POST /api/v1/offers", s.api(s.apiOfferCreate))
	mux.HandleFunc("GET /api/v1/offers/{id}", s.api(s.apiOffer))
	mux.HandleFunc("PATCH /api/v1/offers/{id}", s.api(s.apiOfferUpdate))
	mux.HandleFunc("POST /api/v1/offers/{id}/sessions", s.api(s.apiSessionCreate))
	mux.HandleFunc("POST /api/v1/offers/{id}/publish", s.api(s.apiOfferReview(true)))
	mux.HandleFunc("POST /api/v1/offers/{id}/return", s.api(s.apiOfferReview(false)))
	mux.HandleFunc("POST /api/v1/sessions/{id}/bookings", s.api(s.apiBook))
	mux.HandleFunc("GET /api/v1/sessions/{id}/bookings", s.api(s.apiSessionBookings))
	mux.HandleFunc("GET /api/v1/bookings", s.api(s.apiBookings))
	mux.HandleFunc("GET /api/v1/bookings/{id}", s.api(s.apiBooking))
	mux.HandleFunc("DELETE /api/v1/bookings/{id}", s.api(s.apiBookingCancel))
	mux.HandleFunc("POST /api/v1/bookings/{id}/approve", s.api(s.apiBookingApprove))
	mux.HandleFunc("POST /api/v1/bookings/{id}/attendance", s.api(s.apiAttendance))
	mux.HandleFunc("POST /api/v1/sessions/{id}/attendance", s.api(s.apiAttendanceCSV))
	mux.HandleFunc("POST /api/v1/bookings/{id}/rating", s.api(s.apiRating))
	mux.HandleFunc("GET /api/v1/certificates/{id}", s.api(s.apiCertificate))
	mux.HandleFunc("GET /api/v1/certificates/{id}/credential", s.api(s.apiCredential))
	mux.HandleFunc("POST /api/v1/certificates/{id}/revoke", s.api(s.apiCertificateRevoke))
	mux.HandleFunc("GET /api/v1/competences", s.api(s.apiCompetences))
	mux.HandleFunc("POST /api/v1/competences/import", s.api(s.apiCompetencesImport))
	mux.HandleFunc("GET /api/v1/moochub/courses", s.api(s.apiMoochubFeed))
	mux.HandleFunc("POST /api/v1/moochub/import", s.api(s.apiMoochubImport))

	mux.HandleFunc("GET /api/v1/audit", s.api(s.apiAudit))
	mux.HandleFunc("GET /api/v1/outbox", s.api(s.apiOutbox))

	// Own account changes.
	mux.HandleFunc("PATCH /api/v1/me", s.api(s.apiUpdateMe))
	mux.HandleFunc("POST /api/v1/me/password", s.api(s.apiChangePassword))
	mux.HandleFunc("POST /api/v1/me/email", s.api(s.apiChangeEmail))
	mux.HandleFunc("POST /api/v1/auth/confirm-email", s.api(s.apiConfirmEmail))
	// Review with four eyes and a conversation.
	mux.HandleFunc("POST /api/v1/applications/{id}/decision/confirm", s.api(s.applicationStep(authz.ApplicationReview, s.confirmDecision)))
	mux.HandleFunc("POST /api/v1/applications/{id}/decision/discard", s.api(s.applicationStep(authz.ApplicationReview, s.discardDecision)))
	mux.HandleFunc("GET /api/v1/applications/{id}/comments", s.api(s.apiComments))
	mux.HandleFunc("POST /api/v1/applications/{id}/comments", s.api(s.apiCommentCreate))
	// HR's desk: declining bookings, the team overview.
	mux.HandleFunc("POST /api/v1/bookings/{id}/decline", s.api(s.apiBookingDecline))
	mux.HandleFunc("GET /api/v1/organisations/{id}/team", s.api(s.apiOrgTeam))
	// Vouchers to people and funding requests.
	mux.HandleFunc("PUT /api/v1/vouchers/{code}/holder", s.api(s.apiVoucherHolder))
	mux.HandleFunc("GET /api/v1/me/vouchers", s.api(s.apiMyVouchers))
	mux.HandleFunc("GET /api/v1/organisations/{id}/vouchers", s.api(s.apiOrgVouchers))
	mux.HandleFunc("POST /api/v1/funding-requests", s.api(s.apiFundingRequestCreate))
	mux.HandleFunc("GET /api/v1/funding-requests", s.api(s.apiFundingRequests))
	mux.HandleFunc("POST /api/v1/funding-requests/{id}/accept", s.api(s.apiFundingRequestAccept))
	mux.HandleFunc("POST /api/v1/funding-requests/{id}/decline", s.api(s.apiFundingRequestDecline))
	// reports: the programme report
	mux.HandleFunc("GET /api/v1/programmes/{id}/report", s.api(s.apiReport))
	mux.HandleFunc("GET /api/v1/programmes/{id}/report.csv", s.api(s.apiReportCSV))
	mux.HandleFunc("GET /api/v1/programmes/{id}/report.xlsx", s.api(s.apiReportXLSX))

	// Settlement: budget, claims, billing data.
	mux.HandleFunc("POST /api/v1/claims", s.api(s.apiClaimCreate))
	mux.HandleFunc("GET /api/v1/claims", s.api(s.apiClaims))
	mux.HandleFunc("GET /api/v1/claims/{id}", s.api(s.apiClaim))
	mux.HandleFunc("PUT /api/v1/claims/{id}/vouchers", s.api(s.apiClaimVouchers))
	mux.HandleFunc("POST /api/v1/claims/{id}/submit", s.api(claimAction(s.claimSubmit)))
	mux.HandleFunc("POST /api/v1/claims/{id}/withdraw", s.api(claimAction(s.claimWithdraw)))
	mux.HandleFunc("POST /api/v1/claims/{id}/check", s.api(claimAction(s.app.Settlement.CheckClaim)))
	mux.HandleFunc("POST /api/v1/claims/{id}/approve", s.api(claimAction(s.app.Settlement.ApproveClaim)))
	mux.HandleFunc("POST /api/v1/claims/{id}/return", s.api(claimAction(s.app.Settlement.ReturnClaim)))
	mux.HandleFunc("POST /api/v1/claims/{id}/notes", s.api(claimAction(s.claimNote)))
	mux.HandleFunc("POST /api/v1/claims/{id}/credit-note", s.api(s.apiClaimCreditNote))
	mux.HandleFunc("GET /api/v1/claims/{id}/xrechnung", s.api(s.claimDocument(settlement.DocXRechnung)))
	mux.HandleFunc("GET /api/v1/claims/{id}/export.csv", s.api(s.claimDocument(settlement.DocCSV)))
	mux.HandleFunc("GET /api/v1/claims/{id}/export.xlsx", s.api(s.claimDocument(settlement.DocXLSX)))
	mux.HandleFunc("GET /api/v1/claims/{id}/export.pdf", s.api(s.claimDocument(settlement.DocPDF)))
	mux.HandleFunc("GET /api/v1/claimable-vouchers", s.api(s.apiClaimable))
	mux.HandleFunc("GET /api/v1/providers/{id}/billing", s.api(s.apiBilling))
	mux.HandleFunc("PUT /api/v1/providers/{id}/billing", s.api(s.apiBillingSave))
	mux.HandleFunc("GET /api/v1/programmes/{id}/budget", s.api(s.apiBudget))
	mux.HandleFunc("PUT /api/v1/programmes/{id}/budget", s.api(s.apiBudgetSet))
	mux.HandleFunc("GET /api/v1/programmes/{id}/ledger", s.api(s.apiLedger))
	// Search thesaurus: the entries administrators add.
	mux.HandleFunc("GET /api/v1/search/thesaurus", s.api(s.apiSearchTerms))
	mux.HandleFunc("POST /api/v1/search/thesaurus", s.api(s.apiSearchTermCreate))
	mux.HandleFunc("DELETE /api/v1/search/thesaurus/{id}", s.api(s.apiSearchTermDelete))
	// importer: batch review and batch competences.
	mux.HandleFunc("POST /api/v1/review/offers/publish", s.api(s.apiReviewPublish))
	mux.HandleFunc("POST /api/v1/provider/offers/competences", s.api(s.apiProviderCompetences))
	// matching: the self-assessment
	mux.HandleFunc("GET /api/v1/me/assessment", s.api(s.apiMyAssessment))
	mux.HandleFunc("PUT /api/v1/me/assessment", s.api(s.apiAssessmentSave))
	mux.HandleFunc("GET /api/v1/me/assessment/role-profiles", s.api(s.apiStartingProfiles))
	mux.HandleFunc("POST /api/v1/me/assessment/share", s.api(s.apiAssessmentShare))
	mux.HandleFunc("DELETE /api/v1/me/assessment/share", s.api(s.apiAssessmentUnshare))
	mux.HandleFunc("GET /api/v1/organisations/{id}/assessments", s.api(s.apiOrgAssessments))
	// matching: recommendations
	mux.HandleFunc("GET /api/v1/me/recommendations", s.api(s.apiMyRecommendations))
	// matching: paths
	mux.HandleFunc("GET /api/v1/paths", s.api(s.apiPaths))
	mux.HandleFunc("POST /api/v1/paths", s.api(s.apiPathCreate))
	mux.HandleFunc("GET /api/v1/paths/{id}", s.api(s.apiPath))
	mux.HandleFunc("PUT /api/v1/paths/{id}", s.api(s.apiPathUpdate))
	mux.HandleFunc("POST /api/v1/paths/{id}/join", s.api(s.apiPathJoin))
	mux.HandleFunc("DELETE /api/v1/paths/{id}/join", s.api(s.apiPathLeave))
	mux.HandleFunc("GET /api/v1/paths/{id}/members", s.api(s.apiPathMembers))
	mux.HandleFunc("POST /api/v1/paths/{id}/members/{person}/event", s.api(s.apiPathEvent))
	mux.HandleFunc("GET /api/v1/me/paths", s.api(s.apiMyPaths))
	mux.HandleFunc("GET /api/v1/path-certificates/{id}", s.api(s.apiPathCertificate))
	mux.HandleFunc("GET /api/v1/path-certificates/{id}/credential", s.api(s.apiPathCredential))
	mux.HandleFunc("POST /api/v1/path-certificates/{id}/revoke", s.api(s.apiPathCertificateRevoke))
	// matching: roles and demand
	mux.HandleFunc("GET /api/v1/organisations/{id}/role-profiles", s.api(s.apiRoleProfiles))
	mux.HandleFunc("POST /api/v1/organisations/{id}/role-profiles", s.api(s.apiRoleProfileCreate))
	mux.HandleFunc("GET /api/v1/organisations/{id}/role-profiles/{pid}", s.api(s.apiRoleProfile))
	mux.HandleFunc("PUT /api/v1/organisations/{id}/role-profiles/{pid}", s.api(s.apiRoleProfileUpdate))
	mux.HandleFunc("DELETE /api/v1/organisations/{id}/role-profiles/{pid}", s.api(s.apiRoleProfileDelete))
	mux.HandleFunc("PUT /api/v1/organisations/{id}/role-profiles/{pid}/members", s.api(s.apiRoleProfileMembers))
	mux.HandleFunc("GET /api/v1/organisations/{id}/gaps", s.api(s.apiTeamGaps))
	mux.HandleFunc("GET /api/v1/providers/{id}/demand", s.api(s.apiDemand))

	mux.HandleFunc("/api/", s.api(func(w http.ResponseWriter, r *http.Request) error {
		return errNotFoundAPI
	}))
}
