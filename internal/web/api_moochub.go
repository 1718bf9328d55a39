package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/moochub"
	"github.com/lotse-oss/lotse/internal/store"
)

const (
	moochubPageSize = 50
	maxFeedBytes    = moochub.MaxFeedBytes
)

// apiMoochubFeed publishes the catalog as a MOOChub v3 feed.
func (s *Server) apiMoochubFeed(w http.ResponseWriter, r *http.Request) error {
	page, err := pageParam(r)
	if err != nil {
		return err
	}
	offers, total, err := s.db.Offers(r.Context(), store.OfferFilter{Status: domain.OfferPublished, Limit: moochubPageSize,
		Offset: (page - 1) * moochubPageSize})
	if err != nil {
		return err
	}
	pages := max(1, (total+moochubPageSize-1)/moochubPageSize)
	if page > pages {
		return domain.Errorf(domain.ENotFound, "Diese Seite des Feeds gibt es nicht; er hat %d Seiten.", pages)
	}
	b, err := moochub.Feed(offers, s.cfg.BaseURL, page, pages)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", moochub.MediaType)
	_, err = w.Write(b)
	return err
}

// importError turns a MOOChub parse error into the answer a provider sees.
func importError(err error) error {
	var me *moochub.Error
	if errors.As(err, &me) {
		where := me.Pointer
		if me.Line > 0 {
			where = fmt.Sprintf("Zeile %d, Spalte %d", me.Line, me.Column)
		}
		msg := me.Message
		if where != "" {
			msg = where + ": " + msg
		}
		return &domain.Error{Code: domain.EInvalid, Message: "Der Feed ist fehlerhaft, nichts wurde übernommen. " + msg,
			Fields: map[string]string{"file": msg}}
	}
	return err
}

// fetchFeed loads a feed from a provider's public https address; see
// moochub.Fetcher for what is refused.
func fetchFeed(ctx context.Context, raw string) ([]byte, error) {
	return (&moochub.Fetcher{}).Fetch(ctx, raw)
}

// importFeed parses a feed and applies it to the provider's offers.
func (s *Server) importFeed(r *http.Request, providerID int64, feed []byte) (*store.ImportResult, error) {
	if err := authz.Check(actor(r), authz.OfferManage, authz.Resource{ProviderID: providerID}); err != nil {
		return nil, domain.Errorf(domain.EForbidden, "Nur Mitarbeitende des Bildungsträgers können seine Angebote einspielen.")
	}
	offers, err := moochub.Parse(bytes.NewReader(feed))
	if err != nil {
		return nil, importError(err)
	}
	if len(offers) == 0 {
		return nil, domain.Errorf(domain.EInvalid, "Der Feed enthält keine Kurse.")
	}
	res, err := s.db.ImportOffers(r.Context(), providerID, offers)
	if err != nil {
		return nil, err
	}
	s.refreshCatalog(r.Context())
	return res, nil
}

// apiMoochubImport takes a feed as the request body, or loads it from ?url=.
func (s *Server) apiMoochubImport(w http.ResponseWriter, r *http.Request) error {
	named, _ := strconv.ParseInt(r.URL.Query().Get("provider"), 10, 64)
	pid, err := actorProvider(actor(r), named)
	if err != nil {
		return err
	}
	var feed []byte
	if u := r.URL.Query().Get("url"); u != "" {
		if feed, err = fetchFeed(r.Context(), u); err != nil {
			return err
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, maxFeedBytes)
		if feed, err = io.ReadAll(r.Body); err != nil {
			return classify(&domain.Error{Code: domain.EBadRequest, Message: "Der Feed konnte nicht gelesen werden.", Err: err})
		}
	}
	res, err := s.importFeed(r, pid, feed)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

type importFeedPage struct {
	Page
	Result *store.ImportResult
	URL    string
}

func (s *Server) handleMoochubImport(w http.ResponseWriter, r *http.Request) error {
	a := actor(r)
	pid, err := actorProvider(a, 0)
	if err != nil {
		return err
	}
	p := &importFeedPage{Page: s.newPage(r, "Angebote einspielen")}
	if r.Method == http.MethodGet {
		s.render(w, r, http.StatusOK, "provider_import", p)
		return nil
	}
	var feed []byte
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
		feed, err = io.ReadAll(io.LimitReader(f, maxFeedBytes+1))
		f.Close()
		if err == nil && len(feed) > maxFeedBytes {
			err = domain.Errorf(domain.ETooLarge, "Der Feed ist größer als 10 MB.")
		}
	} else if p.URL != "" {
		feed, err = fetchFeed(r.Context(), p.URL)
	} else {
		err = domain.Errorf(domain.EInvalid, "Bitte wählen Sie eine Datei oder geben Sie die Adresse des Feeds an.")
	}
	if err == nil {
		p.Result, err = s.importFeed(r, pid, feed)
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code == domain.EInternal || code == domain.EForbidden {
			return err
		}
		p.Errors = map[string]string{"file": domain.ErrorMessage(err)}
		s.render(w, r, status(code), "provider_import", p)
		return nil
	}
	s.render(w, r, http.StatusOK, "provider_import", p)
	return nil
}
