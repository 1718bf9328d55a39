package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// batchAnswer is the JSON answer of a batch action on offers.
type batchAnswer struct {
	// Done counts the offers the action was applied to.
	Done   int                   `json:"done"`
	Offers []domain.BatchOutcome `json:"offers"`
}

func newBatchAnswer(out []domain.BatchOutcome) batchAnswer {
	n := 0
	for _, o := range out {
		if o.Done {
			n++
		}
	}
	return batchAnswer{Done: n, Offers: out}
}

// apiReviewPublish publishes several offers in review; the checklist is
// confirmed once for all.
func (s *Server) apiReviewPublish(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		IDs       []int64  `json:"ids"`
		Checklist []string `json:"checklist"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	out, err := s.app.Catalog.PublishOffers(r.Context(), in.IDs, in.Checklist)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, newBatchAnswer(out))
}

// apiProviderCompetences assigns competences to several drafts of the
// caller's providers.
func (s *Server) apiProviderCompetences(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		IDs         []int64                  `json:"ids"`
		Competences []domain.OfferCompetence `json:"competences"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	out, err := s.app.Catalog.AssignCompetences(r.Context(), in.IDs, in.Competences)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, newBatchAnswer(out))
}
