package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// maxQueryLen bounds the search text.
const maxQueryLen = 500

var facetNames = []string{"format", "level", "competence", "provider", "region", "date", "price", "funding", "certificate", "language"}

var (
	reRegion  = regexp.MustCompile(`^(\d{5}|online)$`)
	reFunding = regexp.MustCompile(`^[a-z0-9-]{1,64}/[a-z_]{1,32}$`)
	reArea    = regexp.MustCompile(`^[A-Z]{1,16}$`)
)

// validFacetValue checks one filter value before it reaches the index.
func validFacetValue(facet, v string) bool {
	bucket := func(bs []search.Bucket) bool {
		return slices.ContainsFunc(bs, func(b search.Bucket) bool { return b.Key == v })
	}
	switch facet {
	case "format":
		return slices.Contains(domain.OfferFormats, v)
	case "level":
		return slices.Contains(domain.OfferLevels, v)
	case "certificate":
		return slices.Contains(domain.CertKinds, v)
	case "language":
		return slices.Contains(domain.Languages, v)
	case "competence":
		return reArea.MatchString(v)
	case "provider":
		n, err := strconv.ParseInt(v, 10, 64)
		return err == nil && n > 0
	case "region":
		return reRegion.MatchString(v)
	case "funding":
		return reFunding.MatchString(v)
	case "date":
		return bucket(search.DateBuckets)
	case "price":
		return bucket(search.PriceBuckets)
	}
	return false
}

// searchQuery reads a catalog search from the URL; the same parameters serve
// the page and the API, so a search can be shared as a link.
func (s *Server) searchQuery(r *http.Request) (search.Query, error) {
	v := r.URL.Query()
	q := search.Query{Text: strings.TrimSpace(v.Get("q")), Filters: map[string][]string{}, Sort: v.Get("sort"), PageSize: 20, Now: s.now()}
	// A client that searches while a person types asks for prefixes; the
	// page's search box does (handleCatalog).
	switch v.Get("prefix") {
	case "", "false", "0":
	case "true", "1":
		q.Prefix = true
	default:
		return q, domain.Errorf(domain.EBadRequest, "Der Parameter „prefix“ ist „true“ oder „false“.")
	}
	if !utf8.ValidString(q.Text) {
		return q, domain.Errorf(domain.EBadRequest, "Der Suchbegriff enthält ungültige Zeichen.")
	}
	if utf8.RuneCountInString(q.Text) > maxQueryLen {
		return q, domain.Errorf(domain.EBadRequest, "Der Suchbegriff darf höchstens %d Zeichen lang sein.", maxQueryLen)
	}
	for _, f := range facetNames {
		for _, val := range v[f] {
			if val == "" {
				continue
			}
			if !validFacetValue(f, val) {
				return q, domain.Errorf(domain.EBadRequest, "Der Filter „%s“ kennt den Wert „%s“ nicht.", f, truncate(val, 40))
			}
			if !slices.Contains(q.Filters[f], val) {
				q.Filters[f] = append(q.Filters[f], val)
			}
		}
	}
	switch q.Sort {
	case "", "relevance", "date", "price":
	default:
		return q, domain.Errorf(domain.EBadRequest, "Sortieren geht nach „relevance“, „date“ oder „price“.")
	}
	page, err := httpx.PageParam(r)
	if err != nil {
		return q, err
	}
	q.Page = page
	if page*q.PageSize > 10000 {
		return q, domain.Errorf(domain.EBadRequest, "Es werden höchstens die ersten 10.000 Treffer angezeigt. Bitte verfeinern Sie die Suche.")
	}
	return q, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// offerItem is an offer in a result list.
type offerItem struct {
	ID            int64                    `json:"id"`
	Title         string                   `json:"title"`
	Summary       string                   `json:"summary"`
	Provider      orgRef                   `json:"provider"`
	Format        string                   `json:"format"`
	Level         string                   `json:"level"`
	Language      string                   `json:"language"`
	Hours         int                      `json:"hours"`
	Days          int                      `json:"days"`
	PriceCents    int64                    `json:"price_cents"`
	Certificate   string                   `json:"certificate"`
	Credits       float64                  `json:"credits,omitempty"`
	Competences   []domain.OfferCompetence `json:"competences"`
	FundingTracks []string                 `json:"funding_tracks"`
	NextSession   *listSession             `json:"next_session,omitempty"`
	URL           string                   `json:"url"`
	// Partial: the offer matches only part of the search words; such
	// offers follow all full matches.
	Partial bool `json:"partial"`
}

type facetValue struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

type searchResponse struct {
	Total int      `json:"total"`
	Page  int      `json:"page"`
	Pages int      `json:"pages"`
	Terms []string `json:"terms,omitempty"`
	// Corrected says that a term was replaced by a spelling found in the catalog.
	Corrected bool `json:"corrected"`
	// Full is the number of offers among Total that match every search
	// word; the others match part of them (items' "partial").
	Full int `json:"full"`
	// Related are words near a search without full matches that do have
	// hits on their own ("Verwandte Begriffe").
	Related []string                `json:"related,omitempty"`
	Facets  map[string][]facetValue `json:"facets"`
	Items   []offerItem             `json:"items"`
}

// runSearch searches and shapes the page's offers and the facets. It
// reads nothing from the database (see catalog.Service.Find).
func (s *Server) runSearch(ctx context.Context, q search.Query) (*searchResponse, error) {
	res, err := s.app.Catalog.Find(ctx, q)
	if err != nil {
		return nil, err
	}
	s.logEmptySearch(ctx, q, res.Total) // matching: roles and demand
	out := &searchResponse{Total: res.Total, Page: q.Page, Pages: max(1, (res.Total+q.PageSize-1)/q.PageSize), Terms: res.Terms, Corrected: res.Corrected,
		Full: res.Full, Related: res.Related, Facets: make(map[string][]facetValue, len(facetNames)), Items: make([]offerItem, 0, len(res.Items))}
	partial := make(map[int64]bool, len(res.Hits))
	for _, h := range res.Hits {
		partial[h.ID] = h.Partial
	}
	now := s.now()
	for _, it := range res.Items {
		o := offerItemOf(it, now)
		o.Partial = partial[it.ID]
		out.Items = append(out.Items, o)
	}
	for _, f := range facetNames {
		vals := make([]facetValue, 0, len(res.Facets[f]))
		for _, fc := range res.Facets[f] {
			vals = append(vals, facetValue{Value: fc.Value, Label: res.Label(f, fc.Value), Count: fc.Count})
		}
		out.Facets[f] = vals
	}
	return out, nil
}

// offerItemOf is a list entry. Its next session carries no seat counts:
// the list does not show them (the offer's page does).
func offerItemOf(it *catalog.Item, now time.Time) offerItem {
	o := offerItem{ID: it.ID, Title: it.Title, Summary: it.Summary, Provider: orgRef{it.ProviderID, it.ProviderName}, Format: it.Format,
		Level: it.Level, Language: it.Language, Hours: it.Hours, Days: it.Days, PriceCents: it.PriceCents, Certificate: it.Certificate,
		Credits: it.Credits, Competences: it.Competences, FundingTracks: it.FundingTracks, URL: "/angebote/" + itoa(it.ID)}
	if ns := it.NextSession(now); ns != nil {
		o.NextSession = &listSession{ID: ns.ID, OfferID: ns.OfferID, StartsAt: ns.StartsAt, EndsAt: ns.EndsAt, Days: ns.Days,
			Capacity: ns.Capacity, Online: ns.Online, AGS: ns.AGS, Place: ns.Place, Address: ns.Address, RegistrationDeadline: ns.RegistrationDeadline}
	}
	return o
}

// listSession is a session as a result list shows it.
type listSession struct {
	ID                   int64     `json:"id"`
	OfferID              int64     `json:"offer_id"`
	StartsAt             time.Time `json:"starts_at"`
	EndsAt               time.Time `json:"ends_at"`
	Days                 int       `json:"days"`
	Capacity             int       `json:"capacity"`
	Online               bool      `json:"online"`
	AGS                  string    `json:"ags,omitempty"`
	Place                string    `json:"place,omitempty"`
	Address              string    `json:"address,omitempty"`
	RegistrationDeadline time.Time `json:"registration_deadline"`
}

// searchBuffers are reused for the search's JSON: the answer is written
// in one piece, without indentation.
var searchBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (s *Server) apiOffers(w http.ResponseWriter, r *http.Request) error {
	q, err := s.searchQuery(r)
	if err != nil {
		return err
	}
	res, err := s.runSearch(r.Context(), q)
	if err != nil {
		retryWhileBuilding(w, err)
		return err
	}
	buf := searchBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() < 1<<20 {
			buf.Reset()
			searchBuffers.Put(buf)
		}
	}()
	if err := json.NewEncoder(buf).Encode(res); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	_, err = w.Write(buf.Bytes())
	return err
}

// retryWhileBuilding tells the client when to ask again while the
// search index is being built.
func retryWhileBuilding(w http.ResponseWriter, err error) {
	if err == catalog.ErrIndexBuilding {
		w.Header().Set("Retry-After", "1")
	}
}

// loadOffer reads the offer of the path. Unpublished offers are visible only
// to their provider's staff and to admins; for others they do not exist.
func (s *Server) loadOffer(r *http.Request) (*domain.Offer, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.app.Catalog.Offer(r.Context(), id)
}

// editableOffer reads the offer of the path for its provider's staff.
func (s *Server) editableOffer(r *http.Request) (*domain.Offer, error) {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return nil, err
	}
	return s.app.Catalog.EditableOffer(r.Context(), id)
}

func (s *Server) apiOffer(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOffer(r)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, o)
}

func (s *Server) apiOfferCreate(w http.ResponseWriter, r *http.Request) error {
	var o domain.Offer
	if err := httpx.ReadJSON(r, &o); err != nil {
		return err
	}
	pid, err := s.app.Catalog.ProviderFor(r.Context(), o.ProviderID)
	if err != nil {
		return err
	}
	o.ProviderID = pid
	created, err := s.app.Catalog.Create(r.Context(), &o)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/offers/"+itoa(created.ID))
	return httpx.WriteJSON(w, http.StatusCreated, created)
}

// apiOfferUpdate takes the JSON of a change: fields given replace, others stay.
func (s *Server) apiOfferUpdate(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOffer(r)
	if err != nil {
		return err
	}
	provider, id := o.ProviderID, o.ID
	o.Sessions = nil
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(o); err != nil {
		return &domain.Error{Code: domain.EBadRequest, Message: "Der Inhalt der Anfrage ist kein gültiges JSON für ein Angebot.", Err: err}
	}
	if o.ProviderID != provider || o.ID != id {
		return domain.ErrOfferFixedOwner
	}
	updated, err := s.app.Catalog.Update(r.Context(), o)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, updated)
}

// sessionInput is the JSON of a new session.
type sessionInput struct {
	StartsAt             time.Time  `json:"starts_at"`
	EndsAt               time.Time  `json:"ends_at"`
	Days                 int        `json:"days"`
	Capacity             int        `json:"capacity"`
	AGS                  string     `json:"ags"`
	Online               bool       `json:"online"`
	Address              string     `json:"address"`
	RegistrationDeadline *time.Time `json:"registration_deadline"`
}

func (s *Server) addSession(r *http.Request, o *domain.Offer, in sessionInput) (*domain.Session, error) {
	ses := &domain.Session{OfferID: o.ID, StartsAt: in.StartsAt, EndsAt: in.EndsAt, Days: in.Days, Capacity: in.Capacity,
		AGS: in.AGS, Online: in.Online, Address: in.Address}
	if in.RegistrationDeadline != nil {
		ses.RegistrationDeadline = *in.RegistrationDeadline
	}
	if err := s.app.Catalog.AddSession(r.Context(), ses); err != nil {
		return nil, err
	}
	return ses, nil
}

func (s *Server) apiSessionCreate(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOffer(r)
	if err != nil {
		return err
	}
	var in sessionInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	ses, err := s.addSession(r, o, in)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, ses)
}

func (s *Server) apiOfferReview(publish bool) handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		var in struct {
			Comment   string   `json:"comment"`
			Checklist []string `json:"checklist"`
		}
		if r.ContentLength != 0 {
			if err := httpx.ReadJSON(r, &in); err != nil {
				return err
			}
		}
		o, err := s.app.Catalog.Review(r.Context(), id, publish, in.Comment, in.Checklist)
		if err != nil {
			return err
		}
		return httpx.WriteJSON(w, http.StatusOK, o)
	}
}

// reviewChecklist is what an admin confirms before publishing an offer.
var reviewChecklist = catalog.ReviewChecklist

func (s *Server) apiCompetences(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.app.Catalog.Competences(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(cs, len(cs), 1))
}

// searchLink builds the URL of the search page with one filter changed.
func searchLink(u *url.URL, facet, value string, on bool) string {
	q := u.Query()
	q.Del("seite")
	q.Del("page")
	vals := q[facet]
	q.Del(facet)
	for _, v := range vals {
		if v != value {
			q.Add(facet, v)
		}
	}
	if on {
		q.Add(facet, value)
	}
	return "/angebote?" + q.Encode()
}

// apiCompetencesImport replaces or extends the framework from a CSV body.
func (s *Server) apiCompetencesImport(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.app.Catalog.ImportCompetences(r.Context(), r.Body)
	if err != nil {
		return classify(err)
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(cs, len(cs), 1))
}
