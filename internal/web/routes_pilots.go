package web

// pilotsRoutes registers the pages and API of the directory of digital
// pilots and their project briefs.
func (s *Server) pilotsRoutes(mux *routeTable) {
	mux.HandleFunc("GET /lotsen", s.page(s.handlePilots))
	mux.HandleFunc("GET /lotsen/mein-eintrag", s.page(s.handlePilotEntryForm))
	mux.HandleFunc("POST /lotsen/mein-eintrag", s.page(s.handlePilotEntrySave))
	mux.HandleFunc("POST /lotsen/mein-eintrag/loeschen", s.page(s.handlePilotEntryDelete))
	mux.HandleFunc("GET /lotsen/{id}", s.page(s.handlePilot))
	mux.HandleFunc("POST /lotsen/{id}/kontakt", s.page(s.handlePilotContact))
	mux.HandleFunc("GET /lotsen/projekte", s.page(s.handleBriefs))
	mux.HandleFunc("GET /lotsen/projekte/neu", s.page(s.handleBriefNew))
	mux.HandleFunc("POST /lotsen/projekte/neu", s.page(s.handleBriefNew))
	mux.HandleFunc("GET /lotsen/projekte/{id}", s.page(s.handleBrief))
	mux.HandleFunc("GET /lotsen/projekte/{id}/bearbeiten", s.page(s.handleBriefEdit))
	mux.HandleFunc("POST /lotsen/projekte/{id}/bearbeiten", s.page(s.handleBriefEdit))
	mux.HandleFunc("POST /lotsen/projekte/{id}/loeschen", s.page(s.handleBriefDelete))
	mux.HandleFunc("POST /lotsen/projekte/{id}/austausch", s.page(s.handleBriefDiscuss))

	mux.HandleFunc("GET /api/v1/pilots", s.api(s.apiPilots))
	mux.HandleFunc("GET /api/v1/pilots/{id}", s.api(s.apiPilot))
	mux.HandleFunc("POST /api/v1/pilots/{id}/contact", s.api(s.apiPilotContact))
	mux.HandleFunc("GET /api/v1/me/pilot-entry", s.api(s.apiMyPilotEntry))
	mux.HandleFunc("PUT /api/v1/me/pilot-entry", s.api(s.apiMyPilotEntrySave))
	mux.HandleFunc("DELETE /api/v1/me/pilot-entry", s.api(s.apiMyPilotEntryDelete))
	mux.HandleFunc("GET /api/v1/project-briefs", s.api(s.apiBriefs))
	mux.HandleFunc("POST /api/v1/project-briefs", s.api(s.apiBriefCreate))
	mux.HandleFunc("GET /api/v1/project-briefs/{id}", s.api(s.apiBrief))
	mux.HandleFunc("PATCH /api/v1/project-briefs/{id}", s.api(s.apiBriefUpdate))
	mux.HandleFunc("DELETE /api/v1/project-briefs/{id}", s.api(s.apiBriefDelete))
	mux.HandleFunc("POST /api/v1/project-briefs/{id}/discussion", s.api(s.apiBriefDiscuss))
}
