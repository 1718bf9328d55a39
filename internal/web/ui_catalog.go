package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
)

type facetLink struct {
	Label, URL string
	Count      int
	Active     bool
}

type facetGroup struct {
	Name, Title string
	Values      []facetLink
}

var facetTitles = map[string]string{
	"format": "Format", "level": "Niveau", "competence": "Kompetenzbereich", "provider": "Bildungsträger", "region": "Region",
	"date": "Termin", "price": "Preis", "funding": "Förderung", "certificate": "Abschluss", "language": "Sprache",
}

type catalogPage struct {
	Page
	Query   string
	Sort    string
	Result  *searchResponse
	Facets  []facetGroup
	Pager   pager
	Compare []int64
	Active  []facetLink // filters in use, each with a link that removes it
}

func (s *Server) handleCatalog(w http.ResponseWriter, r *http.Request) error {
	q, err := s.searchQuery(r)
	if err != nil {
		return err
	}
	q.Prefix = true // the search box: the last word may be unfinished
	res, err := s.runSearch(r.Context(), q)
	if err != nil {
		retryWhileBuilding(w, err)
		return err
	}
	p := &catalogPage{Page: s.newPage(r, "Weiterbildungsangebote"), Query: q.Text, Sort: q.Sort, Result: res,
		Pager: newPager(r.URL, q.Page, res.Total, q.PageSize), Compare: compareList(r)}
	for _, f := range facetNames {
		g := facetGroup{Name: f, Title: facetTitles[f]}
		for _, v := range res.Facets[f] {
			on := slices.Contains(q.Filters[f], v.Value)
			g.Values = append(g.Values, facetLink{Label: v.Label, Count: v.Count, Active: on, URL: searchLink(r.URL, f, v.Value, !on)})
			if on {
				p.Active = append(p.Active, facetLink{Label: facetTitles[f] + ": " + v.Label, URL: searchLink(r.URL, f, v.Value, false)})
			}
		}
		if len(g.Values) > 0 {
			p.Facets = append(p.Facets, g)
		}
	}
	s.render(w, r, http.StatusOK, "catalog", p)
	return nil
}

type offerPage struct {
	Page
	O         *domain.Offer
	Modules   []domain.Offer
	JSONLD    template.JS
	CanManage bool
	CanReview bool
	Checklist []struct{ Key, Label string }
	InCompare bool
	Compare   []int64
	Now       time.Time
	// Prefill fills the voucher field of the booking forms (?gutschein=,
	// from Meine Gutscheine); CanRequestFunding shows "Förderung anfragen".
	Prefill           string
	CanRequestFunding bool
	// Booked is what was typed into a session's booking form, kept after
	// an error.
	Booked bookedForm
}

// bookedForm is a booking form as it was sent.
type bookedForm struct {
	Session          int64
	Payment, Voucher string
}

// Payment returns the payment chosen in the booking form of the session.
func (p *offerPage) Payment(session int64) string {
	if p.Booked.Session == session {
		return p.Booked.Payment
	}
	return ""
}

// Voucher returns the code typed into the booking form of the session,
// or the code the page was opened with.
func (p *offerPage) Voucher(session int64) string {
	if p.Booked.Session == session {
		return p.Booked.Voucher
	}
	return p.Prefill
}

func (s *Server) handleOffer(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOffer(r)
	if err != nil {
		return err
	}
	return s.renderOffer(w, r, o, http.StatusOK, nil)
}

func (s *Server) renderOffer(w http.ResponseWriter, r *http.Request, o *domain.Offer, st int, formErr error) error {
	return s.renderOfferBooked(w, r, o, st, formErr, bookedForm{})
}

// renderOfferBooked renders the offer page with the booking form of a
// session filled in as it was sent.
func (s *Server) renderOfferBooked(w http.ResponseWriter, r *http.Request, o *domain.Offer, st int, formErr error, bf bookedForm) error {
	a := actor(r)
	p := &offerPage{Page: s.newPage(r, o.Title), O: o, CanManage: authz.Allowed(a, authz.OfferManage, authz.Resource{ProviderID: o.ProviderID}),
		CanReview: o.Status == domain.OfferInReview && authz.Allowed(a, authz.OfferReview, authz.Resource{}), Checklist: reviewChecklist,
		Compare: compareList(r), Now: s.now(), Booked: bf}
	p.InCompare = slices.Contains(p.Compare, o.ID)
	p.Prefill = strings.TrimSpace(r.URL.Query().Get("gutschein"))
	if len(p.Prefill) > 40 {
		p.Prefill = ""
	}
	p.CanRequestFunding = o.Status == domain.OfferPublished && len(o.FundingTracks) > 0 && len(authz.RequestableOrgs(a)) > 0
	mods, err := s.app.Catalog.Modules(r.Context(), o)
	if err != nil {
		return err
	}
	p.Modules = mods
	ld, err := json.Marshal(courseJSONLD(o, s.cfg.BaseURL))
	if err != nil {
		return err
	}
	// json.Marshal escapes <, > and &, so the data cannot end the script element.
	p.JSONLD = template.JS(ld)
	if formErr != nil {
		p.Errors, p.Message = domain.ErrorFields(formErr), domain.ErrorMessage(formErr)
	}
	s.render(w, r, st, "offer", p)
	return nil
}

// isoHours is an ISO 8601 duration of whole hours.
func isoHours(h int) string { return fmt.Sprintf("PT%dH", h) }

var courseModes = map[string]string{domain.FormatInPerson: "onsite", domain.FormatLiveOnline: "online", domain.FormatSelfPaced: "online",
	domain.FormatBlended: "blended"}

// courseJSONLD describes an offer as a schema.org Course with its sessions as
// CourseInstances, for search engines and other portals.
func courseJSONLD(o *domain.Offer, baseURL string) map[string]any {
	provider := map[string]any{"@type": "Organization", "name": o.ProviderName}
	var teaches []string
	for _, c := range o.Competences {
		teaches = append(teaches, c.Name)
	}
	ld := map[string]any{
		"@context": "https://schema.org", "@type": "Course", "name": o.Title, "description": o.Summary, "courseCode": o.Code,
		"url": baseURL + "/angebote/" + itoa(o.ID), "provider": provider, "inLanguage": o.Language, "timeRequired": isoHours(o.Hours),
		"educationalLevel": domain.OfferLabel(o.Level), "teaches": teaches, "educationalCredentialAwarded": domain.OfferLabel(o.Certificate),
		"offers": map[string]any{"@type": "Offer", "price": fmt.Sprintf("%.2f", float64(o.PriceCents)/100), "priceCurrency": "EUR",
			"category": map[bool]string{true: "Free", false: "Paid"}[o.PriceCents == 0]},
	}
	if o.Prerequisites != "" {
		ld["coursePrerequisites"] = o.Prerequisites
	}
	if o.Credits > 0 {
		ld["numberOfCredits"] = o.Credits
	}
	if len(o.Keywords) > 0 {
		ld["keywords"] = strings.Join(o.Keywords, ", ")
	}
	if len(o.Outcomes) > 0 {
		ld["competencyRequired"] = nil
		delete(ld, "competencyRequired")
		ld["abstract"] = strings.Join(o.Outcomes, " ")
	}
	var instances []map[string]any
	for _, ses := range o.Sessions {
		in := map[string]any{"@type": "CourseInstance", "courseMode": courseModes[o.Format], "startDate": ses.StartsAt.Format(time.RFC3339),
			"endDate": ses.EndsAt.Format(time.RFC3339), "courseWorkload": isoHours(o.Hours)}
		if ses.Online {
			in["location"] = map[string]any{"@type": "VirtualLocation", "url": baseURL + "/angebote/" + itoa(o.ID)}
		} else {
			in["location"] = map[string]any{"@type": "Place", "name": ses.Place, "address": map[string]any{"@type": "PostalAddress",
				"streetAddress": ses.Address, "addressLocality": ses.Place, "addressCountry": "DE"}}
		}
		instances = append(instances, in)
	}
	if len(instances) > 0 {
		ld["hasCourseInstance"] = instances
	}
	return ld
}

// --- Providers ----------------------------------------------------------------

type providerOffersPage struct {
	Page
	Providers []domain.Membership
	Offers    []domain.Offer
	// The form that assigns competences to several drafts: the framework,
	// what was chosen (kept after an error) and the result per offer.
	Competences []domain.Competence
	Drafts      int
	Selected    []int64
	Levels      map[string]int
	Result      []domain.BatchOutcome
	// After is the page's cursor (kept by the form); More links the next
	// page and the start (keyset paging).
	After string
	More  moreLink
}

// providerOffers is a page of the provider's offers from the cursor
// "nach" (in the query, or in the form that assigns competences, so that
// a refused form shows its page again).
func (s *Server) providerOffers(r *http.Request) (*providerOffersPage, error) {
	after, err := domain.ParseKeyCursor(r.FormValue("nach"))
	broken := err != nil
	if broken {
		after = domain.KeyCursor{}
	}
	ms, offers, next, err := s.app.Catalog.ProviderOffers(r.Context(), after, pageSize)
	if err != nil {
		return nil, err
	}
	p := &providerOffersPage{Page: s.newPage(r, "Meine Angebote"), Providers: ms, Offers: offers, Levels: map[string]int{}, After: after.String()}
	u := &url.URL{Path: "/anbieter"} // also after the form's POST
	if !after.IsZero() {
		u.RawQuery = url.Values{"nach": {after.String()}}.Encode()
	}
	p.More = newKeyMoreLink(u, "nach", next.String(), "Weitere Angebote", "Weitere Angebote anzeigen", "Zurück zum Anfang der Liste", "angebote")
	if broken {
		p.Notice = badCursorNotice
	}
	for _, o := range offers {
		if o.Status == domain.OfferDraft {
			p.Drafts++
		}
	}
	if p.Drafts > 0 {
		if p.Competences, err = s.app.Catalog.Competences(r.Context()); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (s *Server) handleProviderOffers(w http.ResponseWriter, r *http.Request) error {
	p, err := s.providerOffers(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "provider_offers", p)
	return nil
}
