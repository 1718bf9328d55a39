package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
)

// Demand signals for providers (/anbieter/nachfrage), and the log of
// catalog searches that found nothing, which feeds them.

type demandPage struct {
	Page
	*domain.Demand
	// Providers the actor works for, when more than one (a picker).
	Providers []domain.Membership
}

// demandProvider is the provider the page is about: ?anbieter=, else the
// actor's only provider (or the first one, with a picker).
func demandProvider(r *http.Request) (int64, []domain.Membership, error) {
	a := actor(r)
	if a.Anonymous() {
		return 0, nil, domain.ErrUnauthorized
	}
	mine := authz.ManagedProviders(a)
	if v := r.URL.Query().Get("anbieter"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return 0, nil, errNotFoundPage
		}
		return id, mine, nil
	}
	if len(mine) == 0 {
		return 0, nil, domain.ErrForbidden
	}
	return mine[0].OrgID, mine, nil
}

func (s *Server) handleDemand(w http.ResponseWriter, r *http.Request) error {
	pid, mine, err := demandProvider(r)
	if err != nil {
		return err
	}
	district := strings.TrimSpace(r.URL.Query().Get("kreis"))
	d, err := s.app.Matching.Demand(r.Context(), pid, district)
	status := http.StatusOK
	var ferr error
	if domain.ErrorCode(err) == domain.EInvalid {
		// An unknown district: the region instead, with the message at
		// the picker.
		ferr, status = err, http.StatusUnprocessableEntity
		d, err = s.app.Matching.Demand(r.Context(), pid, "")
	}
	if err != nil {
		return err
	}
	p := &demandPage{Page: s.newPage(r, "Nachfrage in Ihrer Region"), Demand: d}
	if len(mine) > 1 {
		p.Providers = mine
	}
	if ferr != nil {
		p.Errors, p.Message = map[string]string{"kreis": domain.ErrorFields(ferr)["district"]}, domain.ErrorMessage(ferr)
		d.District = district
	}
	s.render(w, r, status, "demand", p)
	return nil
}

// logEmptySearch counts a first-page search with text that found nothing
// (the competence areas filtered by with it). A failure is logged, not
// shown: the search itself succeeded.
func (s *Server) logEmptySearch(ctx context.Context, q search.Query, total int) {
	if total > 0 || q.Page > 1 || strings.TrimSpace(q.Text) == "" {
		return
	}
	if err := s.app.Matching.LogEmptySearch(ctx, q.Text, q.Filters["competence"]); err != nil {
		s.log.WarnContext(ctx, "empty search not logged", "err", err)
	}
}
