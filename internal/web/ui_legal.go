package web

import (
	"net/http"
	"net/url"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/legal"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type legalPage struct {
	Page
	Legal legal.Page
	// Report is the feedback form's input on the accessibility statement.
	Report *domain.BarrierReport
}

// handleLegal shows one of the legal pages; the slug is the path.
func (s *Server) handleLegal(slug string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		lp, err := s.app.Legal.Page(slug)
		if err != nil {
			return err
		}
		p := &legalPage{Page: s.newPage(r, lp.Title), Legal: lp}
		if slug == legal.Barrierefreiheit {
			p.Report = &domain.BarrierReport{PageURL: s.referrer(r)}
			if !p.Actor.Anonymous() {
				p.Report.Name, p.Report.Email = p.Actor.Person.Name, p.Actor.Person.Email
			}
		}
		s.render(w, r, http.StatusOK, "legal", p)
		return nil
	}
}

// referrer is the page of this site the visitor came from, to fill in the
// report form's page field; "" for another site or none.
func (s *Server) referrer(r *http.Request) string {
	if v := r.URL.Query().Get("seite"); v != "" {
		return v
	}
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host || u.Path == "/barrierefreiheit" {
		return ""
	}
	return u.String()
}

// handleBarrierReport takes a report from the feedback form of the
// accessibility statement.
func (s *Server) handleBarrierReport(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	rep := &domain.BarrierReport{Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"),
		PageURL: r.PostForm.Get("page_url"), Message: r.PostForm.Get("message")}
	if err := s.app.Legal.ReportBarrier(r.Context(), rep, clientAddr(r)); err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.ERateLimited {
			return err
		}
		lp, lerr := s.app.Legal.Page(legal.Barrierefreiheit)
		if lerr != nil {
			return lerr
		}
		p := &legalPage{Page: s.newPage(r, lp.Title), Legal: lp, Report: rep}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(code), "legal", p)
		return nil
	}
	return redirect(w, r, "/barrierefreiheit?hinweis=barriere#barriere-melden")
}

type barrierReportsPage struct {
	Page
	Reports []domain.BarrierReport
}

func (s *Server) handleBarrierReports(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.app.Legal.BarrierReports(r.Context(), 200)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "barrier_reports", &barrierReportsPage{Page: s.newPage(r, "Barrieremeldungen"), Reports: rs})
	return nil
}
