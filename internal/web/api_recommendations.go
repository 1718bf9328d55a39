package web

import (
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Recommendations that say why: the JSON API.

// apiMyRecommendations ranks the catalog's offers for the caller from
// their self-assessment. Without one it answers 404 with the German
// message that invites to the self-assessment.
func (s *Server) apiMyRecommendations(w http.ResponseWriter, r *http.Request) error {
	opt, err := recommendOptions(r)
	if err != nil {
		return err
	}
	rs, err := s.app.Matching.Recommendations(r.Context(), opt)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, rs)
}

// recommendOptions reads ?limit=N.
func recommendOptions(r *http.Request) (matching.RecommendOptions, error) {
	var opt matching.RecommendOptions
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > matching.MaxRecommendations {
			return opt, domain.ErrRecommendationsLimit
		}
		opt.Limit = n
	}
	return opt, nil
}
