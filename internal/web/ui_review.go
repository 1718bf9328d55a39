package web

import (
	"fmt"
	"net/http"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Review with four eyes and a conversation: the application page's thread
// and the notices after a decision.

// decisionNotice is the notice after a review step: a prepared decision
// waits for a second person; a confirmed one says what was decided.
func decisionNotice(act authz.Action, a *domain.Application, notice string) string {
	if act != authz.ApplicationReview {
		return notice
	}
	switch {
	case a.Status == domain.AppSubmitted && a.Pending != nil:
		return "vorbereitet"
	case a.Status == domain.AppApproved:
		return "genehmigt"
	case a.Status == domain.AppRejected:
		return "abgelehnt"
	case a.Status == domain.AppReturned:
		return "zurueckgegeben"
	}
	return notice
}

// handleApplicationComment writes in the application's thread; on refused
// input the page comes back with the message next to the field and the
// text kept.
func (s *Server) handleApplicationComment(w http.ResponseWriter, r *http.Request) error {
	a, org, err := s.pageApplication(r, authz.ApplicationView)
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	body, internal := r.PostForm.Get("body"), r.PostForm.Get("internal") == "1"
	if _, err := s.app.Funding.AddComment(r.Context(), a.ID, body, internal); err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict && code != domain.EForbidden {
			return err
		}
		if code == domain.EForbidden && !s.app.Funding.Rights(r.Context(), a).Discuss {
			return err
		}
		pg, perr := s.applicationPage(r, a, org)
		if perr != nil {
			return perr
		}
		pg.Message = domain.ErrorMessage(err)
		pg.Errors = map[string]string{"body": domain.ErrorMessage(err)}
		if f := domain.ErrorFields(err); len(f) > 0 {
			pg.Errors = f
		}
		pg.CommentBody, pg.CommentInternal = body, internal
		s.render(w, r, httpx.Status(code), "application", pg)
		return nil
	}
	return redirect(w, r, fmt.Sprintf("/antraege/%d?hinweis=nachricht#gespraech", a.ID))
}
