package web

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// HR's desk: the approvals page (Freigaben) and the team overview.

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

type teamPage struct {
	Page
	Org    *domain.Organisation
	Rows   []domain.TeamRow
	Offers []teamOffer
	// The filters as given, kept in the form and the export link.
	Name, Status, Offer, Certificate string
	// Query is the filters' query string (url.Values.Encode), for the
	// export link.
	Query      template.URL
	Statuses   []teamStatus
	VerifyBase string
	// RolesNav: the page links to role profiles and team gaps (matching).
	RolesNav bool
}

type teamOffer struct {
	ID    int64
	Title string
}

type teamStatus struct{ Value, Label string }

// teamStatuses are the choices of the status filter.
var teamStatuses = []teamStatus{
	{"", "alle"},
	{string(domain.BookingAwaitingApproval), domain.BookingAwaitingApproval.Label()},
	{string(domain.BookingConfirmed), domain.BookingConfirmed.Label()},
	{string(domain.BookingWaitlisted), domain.BookingWaitlisted.Label()},
	{string(domain.BookingCompleted), domain.BookingCompleted.Label()},
	{string(domain.BookingCancelled), "storniert oder abgelehnt"},
	{domain.TeamStatusNone, "keine Buchung"},
}

// teamQuery reads the page's filters: name, status, angebot, zertifikat.
func teamQuery(r *http.Request) (int64, domain.TeamFilter, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return 0, domain.TeamFilter{}, err
	}
	f, err := teamFilter(id, r.URL.Query(), "name", "status", "angebot", "zertifikat")
	return id, f, err
}

func (s *Server) handleTeam(w http.ResponseWriter, r *http.Request) error {
	id, f, ferr := teamQuery(r)
	if ferr != nil && domain.ErrorCode(ferr) != domain.EInvalid {
		return ferr
	}
	// All rows first: they give the offers to filter by, and the
	// permission check.
	all, err := s.app.Booking.Team(r.Context(), domain.TeamFilter{OrgID: id})
	if err != nil {
		return err
	}
	org, err := s.app.Account.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	p := &teamPage{Page: s.newPage(r, "Team von "+org.Name), Org: org, Name: q.Get("name"), Status: q.Get("status"),
		Offer: q.Get("angebot"), Certificate: q.Get("zertifikat"), Statuses: teamStatuses, VerifyBase: s.cfg.BaseURL + "/verify/",
		RolesNav: mayEditRoles(actor(r), org)}
	seen := map[int64]bool{}
	for _, row := range all {
		if row.OfferID != 0 && !seen[row.OfferID] {
			seen[row.OfferID] = true
			p.Offers = append(p.Offers, teamOffer{ID: row.OfferID, Title: row.OfferTitle})
		}
	}
	slices.SortFunc(p.Offers, func(a, b teamOffer) int { return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)) })
	status := http.StatusOK
	if ferr != nil {
		p.Errors, p.Message, status = domain.ErrorFields(ferr), domain.ErrorMessage(ferr), http.StatusUnprocessableEntity
	} else if p.Rows, err = s.app.Booking.Team(r.Context(), f); err != nil {
		return err
	}
	p.Query = template.URL(url.Values{"name": {p.Name}, "status": {p.Status}, "angebot": {p.Offer}, "zertifikat": {p.Certificate}}.Encode())
	s.render(w, r, status, "team", p)
	return nil
}

// handleTeamCSV exports exactly the rows the page shows for the same
// filters.
func (s *Server) handleTeamCSV(w http.ResponseWriter, r *http.Request) error {
	id, f, err := teamQuery(r)
	if err != nil {
		return err
	}
	rows, err := s.app.Booking.Team(r.Context(), f)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := booking.TeamCSV(&buf, rows, s.cfg.BaseURL+"/verify/"); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="team-`+itoa(id)+`.csv"`)
	_, err = w.Write(buf.Bytes())
	return err
}

// mayViewTeam reports whether the org page links to the team overview.
func mayViewTeam(a *domain.Actor, org *domain.Organisation) bool {
	return org.Kind == domain.OrgMunicipality && authz.Allowed(a, authz.TeamView, authz.Resource{OrgID: org.ID})
}
