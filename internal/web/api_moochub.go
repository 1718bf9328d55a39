package web

import (
	"io"
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/moochub"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// maxFeedBytes bounds an uploaded feed.
const maxFeedBytes = moochub.MaxFeedBytes

// apiMoochubFeed publishes the catalog as a MOOChub v3 feed: with "page",
// by page numbers as before; otherwise from "cursor" (the first page
// without), whose "next" links carry the cursor.
func (s *Server) apiMoochubFeed(w http.ResponseWriter, r *http.Request) error {
	var b []byte
	var err error
	if r.URL.Query().Get("page") != "" {
		page, perr := httpx.PageParam(r)
		if perr != nil {
			return perr
		}
		b, err = s.app.Catalog.Feed(r.Context(), page)
	} else {
		b, err = s.app.Catalog.FeedFrom(r.Context(), r.URL.Query().Get("cursor"))
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", moochub.MediaType)
	_, err = w.Write(b)
	return err
}

// apiMoochubImport takes a feed as the request body, or loads it from ?url=.
func (s *Server) apiMoochubImport(w http.ResponseWriter, r *http.Request) error {
	named, _ := strconv.ParseInt(r.URL.Query().Get("provider"), 10, 64)
	pid, err := s.app.Catalog.ProviderFor(r.Context(), named)
	if err != nil {
		return err
	}
	var res *domain.ImportResult
	if u := r.URL.Query().Get("url"); u != "" {
		res, err = s.app.Catalog.ImportFeedURL(r.Context(), pid, u)
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, maxFeedBytes)
		feed, rerr := io.ReadAll(r.Body)
		if rerr != nil {
			return classify(&domain.Error{Code: domain.EBadRequest, Message: "Der Feed konnte nicht gelesen werden.", Err: rerr})
		}
		res, err = s.app.Catalog.ImportFeed(r.Context(), pid, feed)
	}
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, res)
}
