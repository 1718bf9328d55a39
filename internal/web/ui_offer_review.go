package web

import (
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type reviewQueuePage struct {
	Page
	Offers []domain.Offer
	Total  int
	// The batch form: the checklist, and what was chosen (kept after an error).
	Checklist []struct{ Key, Label string }
	Selected  []int64
	Checked   []string
	// Result lists each offer of a batch that was sent.
	Result []domain.BatchOutcome
}

func (s *Server) reviewQueue(r *http.Request) (*reviewQueuePage, error) {
	offers, total, err := s.app.Catalog.ReviewQueue(r.Context())
	if err != nil {
		return nil, err
	}
	return &reviewQueuePage{Page: s.newPage(r, "Qualitätsprüfung"), Offers: offers, Total: total, Checklist: reviewChecklist}, nil
}

func (s *Server) handleOfferQueue(w http.ResponseWriter, r *http.Request) error {
	p, err := s.reviewQueue(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_offers", p)
	return nil
}

// handleOfferQueuePublish publishes the offers checked on the queue page;
// the checklist is confirmed once for all of them.
func (s *Server) handleOfferQueuePublish(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	ids := formIDs(r.PostForm["offer"])
	out, err := s.app.Catalog.PublishOffers(r.Context(), ids, r.PostForm["check"])
	p, lerr := s.reviewQueue(r)
	if lerr != nil {
		return lerr
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		p.Selected, p.Checked = ids, r.PostForm["check"]
		s.render(w, r, httpx.Status(domain.ErrorCode(err)), "admin_offers", p)
		return nil
	}
	p.Result = out
	s.render(w, r, http.StatusOK, "admin_offers", p)
	return nil
}

// formIDs reads the offer IDs of checkboxes; other values are left out.
func formIDs(vals []string) []int64 {
	var ids []int64
	for _, v := range vals {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
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
