package web

import (
	"net/http"
	"strconv"
)

// brandingRoutes serves the operator's branding: the style sheet that sets
// KERN's theme variables (a file, since the content security policy allows
// no inline styles) and the logo, both from memory, checked at start.
func (s *Server) brandingRoutes(mux *routeTable) {
	mux.HandleFunc("GET /branding.css", func(w http.ResponseWriter, r *http.Request) {
		b := s.cfg.Brand
		css := b.CSS()
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("Content-Length", strconv.Itoa(len(css)))
		w.Write(css)
	})
	mux.HandleFunc("GET /branding/logo", func(w http.ResponseWriter, r *http.Request) {
		b := s.cfg.Brand
		if b.Logo == nil {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", b.LogoType)
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Content-Length", strconv.Itoa(len(b.Logo)))
		w.Write(b.Logo)
	})
}
