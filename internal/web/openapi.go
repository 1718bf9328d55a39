package web

import (
	_ "embed"
	"net/http"
)

// openapiJSON is the hand-kept OpenAPI 3.1 description of /api/v1. A test
// checks every API route against it and it against the routes.
//
//go:embed openapi.json
var openapiJSON []byte

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(openapiJSON)
}
