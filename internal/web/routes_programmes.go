package web

// programmesRoutes registers the pages and API of programmes as data
// (create, clone, change, export, import); the programme page and GET/PUT
// of a programme are in routes.go.
func (s *Server) programmesRoutes(mux *routeTable) {
	mux.HandleFunc("GET /programme", s.page(s.handleProgrammes))
	mux.HandleFunc("GET /programme/neu", s.page(s.handleProgrammeNew))
	mux.HandleFunc("POST /programme/neu", s.page(s.handleProgrammeNew))
	mux.HandleFunc("GET /programme/import", s.page(s.handleProgrammeImport))
	mux.HandleFunc("POST /programme/import", s.page(s.handleProgrammeImport))
	mux.HandleFunc("GET /programme/{id}/bearbeiten", s.page(s.handleProgrammeEdit))
	mux.HandleFunc("POST /programme/{id}/bearbeiten", s.page(s.handleProgrammeEdit))
	mux.HandleFunc("GET /programme/{id}/kopieren", s.page(s.handleProgrammeClone))
	mux.HandleFunc("POST /programme/{id}/kopieren", s.page(s.handleProgrammeClone))
	mux.HandleFunc("GET /programme/{id}/export", s.page(s.handleProgrammeExport))

	mux.HandleFunc("POST /api/v1/programmes", s.api(s.apiProgrammeCreate))
	mux.HandleFunc("PATCH /api/v1/programmes/{id}", s.api(s.apiProgrammePatch))
	mux.HandleFunc("POST /api/v1/programmes/{id}/clone", s.api(s.apiProgrammeClone))
	mux.HandleFunc("GET /api/v1/programmes/{id}/export", s.api(s.apiProgrammeExport))
	mux.HandleFunc("POST /api/v1/programmes/import", s.api(s.apiProgrammeImport))
}
