package web

import (
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/privacy"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// privacy: the pages of the data download (a readable summary, the JSON
// file and a PDF) and of the deletion of one's account.

func init() {
	pageNames = append(pageNames, "privacy_data", "privacy_delete")
	notices["person-geloescht"] = "Das Konto ist gelöscht. Was aus rechtlichen Gründen bleiben muss, ist ohne Namen und E-Mail-Adresse gespeichert."
	notices["konto-geloescht"] = "Ihr Konto ist gelöscht. Was aus rechtlichen Gründen bleiben muss, ist ohne Ihren Namen und Ihre E-Mail-Adresse gespeichert."
}

type privacyDataPage struct {
	Page
	Summary *privacy.Summary
	// Base is the address of the downloads without their ending.
	Base string
	Own  bool
	// ID is the person's, for the admin's deletion form.
	ID int64
}

// Label is the German name of a column.
func (p *privacyDataPage) Label(col string) string { return privacy.ColumnLabel(col) }

func (s *Server) handleMyData(format string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		a := domain.ActorFrom(r.Context())
		if a.Anonymous() {
			return domain.ErrUnauthorized
		}
		return s.writeData(w, r, a.PersonID(), format, "/konto/daten", true)
	}
}

func (s *Server) handlePersonData(format string) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		return s.writeData(w, r, id, format, "/admin/personen/"+itoa(id)+"/daten", false)
	}
}

// writeData answers with person id's data in format: the JSON download,
// the PDF or the summary page.
func (s *Server) writeData(w http.ResponseWriter, r *http.Request, id int64, format, base string, own bool) error {
	name := "lotse-daten-" + strconv.FormatInt(id, 10) + "-" + s.app.Now().Format("2006-01-02")
	switch format {
	case "json":
		return s.streamExport(w, r, id, name)
	case "pdf":
		sum, err := s.app.Privacy.Summary(r.Context(), id, "pdf")
		if err != nil {
			return err
		}
		b, err := sum.PDF()
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
		_, err = w.Write(b)
		return err
	}
	sum, err := s.app.Privacy.Summary(r.Context(), id, "html")
	if err != nil {
		return err
	}
	title := "Meine Daten"
	if !own {
		title = "Daten von " + sum.Name
	}
	s.render(w, r, http.StatusOK, "privacy_data", &privacyDataPage{Page: s.newPage(r, title), Summary: sum, Base: base, Own: own, ID: id})
	return nil
}

// streamExport writes the JSON download as it is read. The policy is asked
// before the first byte, so a refusal is still an error page or a JSON
// error; a failure later cuts the download short (the file is then no valid
// JSON).
func (s *Server) streamExport(w http.ResponseWriter, r *http.Request, id int64, name string) error {
	sw := &startWriter{w: w, start: func() {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.json"`)
		w.Header().Set("Cache-Control", "no-store")
	}}
	err := s.app.Privacy.Export(r.Context(), id, sw)
	if err != nil && sw.started {
		s.log.ErrorContext(r.Context(), "data download cut short", "person", id, "err", err)
		return nil
	}
	return err
}

// startWriter sets the headers of a download at its first byte.
type startWriter struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (sw *startWriter) Write(b []byte) (int, error) {
	if !sw.started {
		sw.started = true
		sw.start()
	}
	return sw.w.Write(b)
}

// handlePersonDelete deletes a person's account on their request, by an
// admin, from the page of their data. Refusals (the last admin, places
// booked) show on that page.
func (s *Server) handlePersonDelete(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.app.Privacy.DeletePerson(r.Context(), id); err != nil {
		if domain.ErrorCode(err) != domain.EConflict {
			return err
		}
		sum, serr := s.app.Privacy.Summary(r.Context(), id, "html")
		if serr != nil {
			return serr
		}
		p := &privacyDataPage{Page: s.newPage(r, "Daten von "+sum.Name), Summary: sum, Base: "/admin/personen/" + itoa(id) + "/daten", ID: id}
		p.Message = domain.ErrorMessage(err)
		s.render(w, r, http.StatusConflict, "privacy_data", p)
		return nil
	}
	if id == domain.ActorFrom(r.Context()).PersonID() {
		s.clearSessionCookie(w)
		return redirect(w, r, "/?hinweis=konto-geloescht")
	}
	return redirect(w, r, "/admin?hinweis=person-geloescht")
}

type privacyDeletePage struct {
	Page
	HasPassword bool
	Word        string
	Confirm     string
}

func (s *Server) deletePage(r *http.Request) (*privacyDeletePage, error) {
	a := domain.ActorFrom(r.Context())
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	return &privacyDeletePage{Page: s.newPage(r, "Konto löschen"), HasPassword: a.Person.PasswordHash != "", Word: privacy.DeleteConfirmWord}, nil
}

func (s *Server) handleDeleteForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.deletePage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "privacy_delete", p)
	return nil
}

func (s *Server) handleDeleteAccount(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	confirm := r.PostForm.Get("confirm")
	_, err := s.app.Privacy.DeleteSelf(r.Context(), r.PostForm.Get("password"), confirm)
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict && code != domain.ERateLimited {
			return err
		}
		p, perr := s.deletePage(r)
		if perr != nil {
			return perr
		}
		p.Errors, p.Message, p.Confirm = domain.ErrorFields(err), domain.ErrorMessage(err), confirm
		s.render(w, r, httpx.Status(code), "privacy_delete", p)
		return nil
	}
	s.clearSessionCookie(w)
	return redirect(w, r, "/?hinweis=konto-geloescht")
}
