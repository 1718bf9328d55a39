package web

import (
	"net/http"
	"slices"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// HR's desk: the approvals page (Freigaben); the team overview is in
// ui_team.go.

type approvalsPage struct {
	Page
	Bookings []approvalRow
	// Declining is the booking whose decline form failed, with the reason
	// as typed.
	Declining int64
	Reason    string
}

type approvalRow struct {
	domain.BookingDetail
	// Employer is the name of the municipality the booking is billed to.
	Employer string
}

// approvals loads HR's waiting bookings with their employers' names.
func (s *Server) approvals(r *http.Request) (*approvalsPage, error) {
	bs, err := s.app.Booking.Awaiting(r.Context())
	if err != nil {
		return nil, err
	}
	p := &approvalsPage{Page: s.newPage(r, "Freigaben")}
	for _, b := range bs {
		p.Bookings = append(p.Bookings, approvalRow{BookingDetail: b, Employer: orgName(actor(r), b.EmployerID)})
	}
	return p, nil
}

// orgName is the name of one of the actor's organisations.
func orgName(a *domain.Actor, id int64) string {
	for _, m := range a.Memberships {
		if m.OrgID == id {
			return m.OrgName
		}
	}
	return "Ihre Kommune"
}

func (s *Server) handleApprovals(w http.ResponseWriter, r *http.Request) error {
	p, err := s.approvals(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "approvals", p)
	return nil
}

type approvalConfirmPage struct {
	Page
	Booking approvalRow
	Note    string
}

// approval finds one waiting booking on HR's desk.
func (s *Server) approval(r *http.Request) (*approvalRow, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := s.approvals(r)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(p.Bookings, func(b approvalRow) bool { return b.ID == id })
	if i < 0 {
		// Decided meanwhile, or not HR's to decide: the service says which.
		if _, _, err := s.app.Booking.Get(r.Context(), id); err != nil {
			return nil, err
		}
		return nil, domain.ErrNotAwaitingApproval
	}
	return &p.Bookings[i], nil
}

// handleApprovalConfirm asks HR to confirm an approval: it says who is
// billed and how much.
func (s *Server) handleApprovalConfirm(w http.ResponseWriter, r *http.Request) error {
	b, err := s.approval(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "approval_confirm", &approvalConfirmPage{Page: s.newPage(r, "Buchung genehmigen"), Booking: *b})
	return nil
}

func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	note := r.PostForm.Get("note")
	if _, err := s.app.Booking.Approve(r.Context(), id, note); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		b, lerr := s.approval(r)
		if lerr != nil {
			return lerr
		}
		p := &approvalConfirmPage{Page: s.newPage(r, "Buchung genehmigen"), Booking: *b, Note: note}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "approval_confirm", p)
		return nil
	}
	return redirect(w, r, "/freigaben?hinweis=buchung-genehmigt")
}

func (s *Server) handleDecline(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	reason := r.PostForm.Get("reason")
	if _, err := s.app.Booking.Decline(r.Context(), id, reason); err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		p, lerr := s.approvals(r)
		if lerr != nil {
			return lerr
		}
		p.Message = domain.ErrorMessage(err)
		if code == domain.EInvalid {
			p.Errors, p.Declining, p.Reason = domain.ErrorFields(err), id, reason
		}
		s.render(w, r, httpx.Status(code), "approvals", p)
		return nil
	}
	return redirect(w, r, "/freigaben?hinweis=buchung-abgelehnt")
}
