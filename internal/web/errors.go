package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// handler is an HTTP handler that returns its error instead of writing it.
type handler func(w http.ResponseWriter, r *http.Request) error

// classify turns errors of the standard library that carry a meaning for
// the client into domain errors.
func classify(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return domain.Errorf(domain.ETooLarge, "Die Anfrage ist zu groß.")
	}
	return err
}

// page adapts h for the web UI: errors become German pages; a visitor who is
// not logged in is sent to the login page and back.
func (s *Server) page(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := classify(h(w, r))
		if err == nil {
			return
		}
		code := domain.ErrorCode(err)
		if code == domain.EUnauthorized && r.Method == http.MethodGet {
			http.Redirect(w, r, "/anmelden?weiter="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if code == domain.EInternal {
			s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		}
		st := httpx.Status(code)
		s.render(w, r, st, "error", &errorPage{Page: s.newPage(r, errorTitle(st)), Status: st, Message: domain.ErrorMessage(err)})
	}
}

func errorTitle(st int) string {
	switch st {
	case http.StatusNotFound:
		return "Seite nicht gefunden"
	case http.StatusForbidden:
		return "Keine Berechtigung"
	case http.StatusUnauthorized:
		return "Anmeldung erforderlich"
	case http.StatusTooManyRequests:
		return "Zu viele Anfragen"
	case http.StatusInternalServerError:
		return "Interner Fehler"
	case http.StatusServiceUnavailable:
		return "Gleich wieder da"
	}
	return "Fehler"
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// api adapts h for the JSON API: errors become {"error": {...}} with the
// status of their code.
func (s *Server) api(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		err := classify(h(w, r))
		if err == nil {
			return
		}
		s.writeAPIError(w, r, err)
	}
}

func (s *Server) writeAPIError(w http.ResponseWriter, r *http.Request, err error) {
	code := domain.ErrorCode(err)
	if code == domain.EInternal {
		s.log.ErrorContext(r.Context(), "api request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == domain.EUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="lotse"`)
	}
	httpx.WriteJSON(w, httpx.Status(code), apiError{Error: apiErrorBody{Code: code, Message: domain.ErrorMessage(err), Fields: domain.ErrorFields(err)}})
}
