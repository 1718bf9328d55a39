package web

// privacyRoutes registers the data download and the deletion of an
// account: one's own (Mein Konto) and, on request, any person's by an admin,
// who finds the person by address or name.
func (s *Server) privacyRoutes(mux *routeTable) {
	mux.HandleFunc("GET /konto/daten", s.page(s.handleMyData("html")))
	mux.HandleFunc("GET /konto/daten.json", s.page(s.handleMyData("json")))
	mux.HandleFunc("GET /konto/daten.pdf", s.page(s.handleMyData("pdf")))
	mux.HandleFunc("GET /konto/loeschen", s.page(s.handleDeleteForm))
	mux.HandleFunc("POST /konto/loeschen", s.page(s.handleDeleteAccount))
	mux.HandleFunc("GET /admin/personen", s.page(s.handlePersonSearch))
	mux.HandleFunc("GET /admin/personen/{id}/daten", s.page(s.handlePersonData("html")))
	mux.HandleFunc("GET /admin/personen/{id}/daten.json", s.page(s.handlePersonData("json")))
	mux.HandleFunc("GET /admin/personen/{id}/daten.pdf", s.page(s.handlePersonData("pdf")))
	mux.HandleFunc("POST /admin/personen/{id}/loeschen", s.page(s.handlePersonDelete))

	mux.HandleFunc("GET /api/v1/me/export", s.api(s.apiMyExport))
	mux.HandleFunc("DELETE /api/v1/me", s.api(s.apiDeleteMe))
	mux.HandleFunc("GET /api/v1/persons", s.api(s.apiPersonSearch))
	mux.HandleFunc("GET /api/v1/persons/{id}/export", s.api(s.apiPersonExport))
	mux.HandleFunc("DELETE /api/v1/persons/{id}", s.api(s.apiDeletePerson))
}
