package web

import (
	"net/http"
	"time"

	"github.com/lotse-oss/lotse/internal/desk"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// homePage is the start page: a welcome for visitors, the desk for people
// who are logged in.
type homePage struct {
	Page
	Desk *desk.Desk
	Now  time.Time
	// ApplyFor are the municipalities the person prepares applications for.
	ApplyFor []domain.Membership
	// Reports are the programmes whose report the person reads (reports).
	Reports []domain.ReportOption
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	p := &homePage{Page: s.newPage(r, "Start"), Now: s.app.Now()}
	if !p.Actor.Anonymous() {
		d, err := s.app.Desk.Of(r.Context())
		if err != nil {
			return err
		}
		p.Desk, p.Title = d, "Ihr Schreibtisch"
		p.ApplyFor = s.app.Funding.ApplicantMemberships(r.Context())
		if p.Reports, err = s.app.Reports.Readable(r.Context()); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "home", p)
	return nil
}

// apiDesk returns the logged-in person's desk: what to do and what is next.
func (s *Server) apiDesk(w http.ResponseWriter, r *http.Request) error {
	d, err := s.app.Desk.Of(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, d)
}
