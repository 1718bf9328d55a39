package web

import (
	"io"
	"net/http"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/moochub"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type importFeedPage struct {
	Page
	Result *domain.ImportResult
	URL    string
}

func (s *Server) handleMoochubImport(w http.ResponseWriter, r *http.Request) error {
	pid, err := s.app.Catalog.ProviderFor(r.Context(), 0)
	if err != nil {
		return err
	}
	p := &importFeedPage{Page: s.newPage(r, "Angebote einspielen")}
	if r.Method == http.MethodGet {
		s.render(w, r, http.StatusOK, "provider_import", p)
		return nil
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		err = classify(&domain.Error{Code: domain.EBadRequest, Message: "Das Formular konnte nicht gelesen werden.", Err: err})
		if domain.ErrorCode(err) != domain.ETooLarge {
			return err
		}
		p.Errors = map[string]string{"file": domain.ErrorMessage(err)}
		s.render(w, r, http.StatusRequestEntityTooLarge, "provider_import", p)
		return nil
	}
	if st := state(r); st.csrf != "" && r.PostForm.Get("csrf_token") != st.csrf {
		return errCSRF
	}
	p.URL = r.PostForm.Get("url")
	if f, _, ferr := r.FormFile("file"); ferr == nil {
		var feed []byte
		feed, err = io.ReadAll(io.LimitReader(f, maxFeedBytes+1))
		f.Close()
		if err == nil && len(feed) > maxFeedBytes {
			err = moochub.ErrFeedTooLarge
		}
		if err == nil {
			p.Result, err = s.app.Catalog.ImportFeed(r.Context(), pid, feed)
		}
	} else if p.URL != "" {
		p.Result, err = s.app.Catalog.ImportFeedURL(r.Context(), pid, p.URL)
	} else {
		err = domain.ErrFeedChoice
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code == domain.EInternal || code == domain.EForbidden {
			return err
		}
		// Errors of the address show at the address field.
		field := "file"
		if _, ok := domain.ErrorFields(err)["url"]; ok {
			field = "url"
		}
		p.Errors = map[string]string{field: domain.ErrorMessage(err)}
		s.render(w, r, httpx.Status(code), "provider_import", p)
		return nil
	}
	s.render(w, r, http.StatusOK, "provider_import", p)
	return nil
}
