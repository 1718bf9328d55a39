package web

import (
	"errors"
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Recommendations that say why: the page "Für Sie empfohlen".

type recommendationsPage struct {
	Page
	R *domain.Recommendations
	// Missing: the person has no self-assessment yet; the page invites
	// them to make one.
	Missing bool
}

// handleRecommendations shows the offers recommended to the person, each
// with its next fitting session and the reasons.
func (s *Server) handleRecommendations(w http.ResponseWriter, r *http.Request) error {
	opt, err := recommendOptions(r)
	if err != nil {
		return err
	}
	p := &recommendationsPage{Page: s.newPage(r, "Für Sie empfohlen")}
	p.R, err = s.app.Matching.Recommendations(r.Context(), opt)
	if errors.Is(err, domain.ErrAssessmentMissing) {
		p.Missing, err = true, nil
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "recommendations", p)
	return nil
}
