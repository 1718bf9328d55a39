package web

import (
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// handleProviderCompetences assigns the chosen competences to the drafts
// checked on the provider's offers page.
func (s *Server) handleProviderCompetences(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	ids := formIDs(r.PostForm["offer"])
	var cs []domain.OfferCompetence
	levels := map[string]int{}
	for _, code := range r.PostForm["competence"] {
		lvl, _ := strconv.Atoi(r.PostForm.Get("level_" + code))
		if lvl == 0 {
			lvl = 1
		}
		levels[code] = lvl
		cs = append(cs, domain.OfferCompetence{Code: code, Level: lvl})
	}
	out, err := s.app.Catalog.AssignCompetences(r.Context(), ids, cs)
	if err != nil && domain.ErrorCode(err) != domain.EInvalid {
		return err
	}
	p, perr := s.providerOffers(r)
	if perr != nil {
		return perr
	}
	if err != nil {
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		if p.Errors == nil {
			p.Errors = map[string]string{}
		}
		p.Selected, p.Levels = ids, levels
		s.render(w, r, httpx.Status(domain.ErrorCode(err)), "provider_offers", p)
		return nil
	}
	p.Result = out
	s.render(w, r, http.StatusOK, "provider_offers", p)
	return nil
}
