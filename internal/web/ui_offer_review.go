package web

import (
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type reviewQueuePage struct {
	Page
	Offers []domain.Offer
	Total  int
}

func (s *Server) handleOfferQueue(w http.ResponseWriter, r *http.Request) error {
	offers, total, err := s.app.Catalog.ReviewQueue(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_offers", &reviewQueuePage{Page: s.newPage(r, "Qualitätsprüfung"), Offers: offers, Total: total})
	return nil
}

func (s *Server) handleOfferReview(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	publish := r.PostForm.Get("entscheidung") == "veroeffentlichen"
	_, err = s.app.Catalog.Review(r.Context(), id, publish, r.PostForm.Get("comment"), r.PostForm["check"])
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EInvalid && c != domain.EConflict {
			return err
		}
		o, lerr := s.loadOffer(r)
		if lerr != nil {
			return lerr
		}
		return s.renderOffer(w, r, o, httpx.Status(domain.ErrorCode(err)), err)
	}
	return redirect(w, r, "/admin/angebote?hinweis=geprueft")
}
