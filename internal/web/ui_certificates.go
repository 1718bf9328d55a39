package web

import "net/http"

type verifyCertPage struct {
	Page
	C certificateView
}

func (s *Server) handleVerifyCertificate(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.Certify.Certificate(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "verify_certificate", &verifyCertPage{Page: s.newPage(r, "Zertifikat prüfen"), C: s.certificateView(c)})
	return nil
}

// handleCertificatePDF is the printable certificate, for the participant,
// the provider and admins.
func (s *Server) handleCertificatePDF(w http.ResponseWriter, r *http.Request) error {
	c, b, err := s.app.Certify.PDF(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="zertifikat-`+c.ID+`.pdf"`)
	_, err = w.Write(b)
	return err
}
