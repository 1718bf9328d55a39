package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
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
	res, err := s.runSearch(r.Context(), q)
	if err != nil {
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
}

func (s *Server) handleOffer(w http.ResponseWriter, r *http.Request) error {
	o, err := s.loadOffer(r)
	if err != nil {
		return err
	}
	return s.renderOffer(w, r, o, http.StatusOK, nil)
}

func (s *Server) renderOffer(w http.ResponseWriter, r *http.Request, o *domain.Offer, st int, formErr error) error {
	a := actor(r)
	p := &offerPage{Page: s.newPage(r, o.Title), O: o, CanManage: authz.Allowed(a, authz.OfferManage, authz.Resource{ProviderID: o.ProviderID}),
		CanReview: o.Status == domain.OfferInReview && authz.Allowed(a, authz.OfferReview, authz.Resource{}), Checklist: reviewChecklist,
		Compare: compareList(r), Now: s.now()}
	p.InCompare = slices.Contains(p.Compare, o.ID)
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

// --- Compare -------------------------------------------------------------------

const compareCookie = "lotse_vergleich"

// compareList reads the compare list kept in a cookie, at most four offers.
func compareList(r *http.Request) []int64 {
	c, err := r.Cookie(compareCookie)
	if err != nil {
		return nil
	}
	var ids []int64
	for _, p := range strings.Split(c.Value, "-") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil && id > 0 && !slices.Contains(ids, id) && len(ids) < 4 {
			ids = append(ids, id)
		}
	}
	return ids
}

func (s *Server) setCompareList(w http.ResponseWriter, ids []int64) {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = itoa(id)
	}
	http.SetCookie(w, &http.Cookie{Name: compareCookie, Value: strings.Join(parts, "-"), Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 30 * 24 * 3600})
}

type comparePage struct {
	Page
	Offers []domain.Offer
	Rows   []compareRow
}

type compareRow struct {
	Label  string
	Values []string
	Differ bool
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) error {
	ids := compareList(r)
	offers, err := s.app.Catalog.Published(r.Context(), ids)
	if err != nil {
		return err
	}
	p := &comparePage{Page: s.newPage(r, "Angebote vergleichen"), Offers: offers}
	row := func(label string, f func(o *domain.Offer) string) {
		cr := compareRow{Label: label}
		for i := range offers {
			cr.Values = append(cr.Values, f(&offers[i]))
			if i > 0 && cr.Values[i] != cr.Values[0] {
				cr.Differ = true
			}
		}
		p.Rows = append(p.Rows, cr)
	}
	row("Bildungsträger", func(o *domain.Offer) string { return o.ProviderName })
	row("Format", func(o *domain.Offer) string { return domain.OfferLabel(o.Format) })
	row("Niveau", func(o *domain.Offer) string { return domain.OfferLabel(o.Level) })
	row("Sprache", func(o *domain.Offer) string { return domain.OfferLabel(o.Language) })
	row("Dauer", func(o *domain.Offer) string {
		switch o.Days {
		case 0:
			return fmt.Sprintf("%d Stunden", o.Hours)
		case 1:
			return fmt.Sprintf("%d Stunden an 1 Tag", o.Hours)
		}
		return fmt.Sprintf("%d Stunden an %d Tagen", o.Hours, o.Days)
	})
	row("Aufwand", func(o *domain.Offer) string { return o.Workload })
	row("Preis", func(o *domain.Offer) string { return money(o.PriceCents) })
	row("Abschluss", func(o *domain.Offer) string { return domain.OfferLabel(o.Certificate) })
	row("ECTS-Punkte", func(o *domain.Offer) string {
		if o.Credits == 0 {
			return "–"
		}
		return strings.Replace(strconv.FormatFloat(o.Credits, 'f', -1, 64), ".", ",", 1)
	})
	row("Kompetenzen", func(o *domain.Offer) string {
		var ns []string
		for _, c := range o.Competences {
			ns = append(ns, fmt.Sprintf("%s (Stufe %d)", c.Name, c.Level))
		}
		return strings.Join(ns, "; ")
	})
	row("Förderung", func(o *domain.Offer) string {
		if len(o.FundingTracks) == 0 {
			return "keine"
		}
		labels := make([]string, len(o.FundingTracks))
		for i, f := range o.FundingTracks {
			labels[i] = fundingLabel(f)
		}
		return strings.Join(labels, ", ")
	})
	row("Zielgruppen", func(o *domain.Offer) string { return strings.Join(o.TargetGroups, ", ") })
	row("Voraussetzungen", func(o *domain.Offer) string { return o.Prerequisites })
	row("Nächster Termin", func(o *domain.Offer) string {
		for _, ses := range o.Sessions {
			if ses.RegistrationDeadline.After(s.now()) {
				place := "online"
				if !ses.Online {
					place = ses.Place
				}
				return ses.StartsAt.In(berlin).Format("02.01.2006") + ", " + place
			}
		}
		return "kein Termin"
	})
	// Rows without any value say nothing.
	p.Rows = slices.DeleteFunc(p.Rows, func(cr compareRow) bool {
		return !slices.ContainsFunc(cr.Values, func(v string) bool { return v != "" })
	})
	s.render(w, r, http.StatusOK, "compare", p)
	return nil
}

func (s *Server) handleCompareChange(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	ids := compareList(r)
	id, _ := strconv.ParseInt(r.PostForm.Get("angebot"), 10, 64)
	back := safeNext(r.PostForm.Get("zurueck"))
	switch r.PostForm.Get("aktion") {
	case "hinzufuegen":
		if _, err := s.app.Catalog.Offer(r.Context(), id); err != nil {
			return err
		}
		if len(ids) >= 4 && !slices.Contains(ids, id) {
			return domain.Errorf(domain.EConflict, "Sie können höchstens vier Angebote vergleichen. Entfernen Sie zuerst eines.")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	case "entfernen":
		ids = slices.DeleteFunc(ids, func(x int64) bool { return x == id })
	case "leeren":
		ids = nil
	default:
		return domain.Errorf(domain.EBadRequest, "Unbekannte Aktion.")
	}
	s.setCompareList(w, ids)
	return redirect(w, r, back)
}

// --- Providers and review ---------------------------------------------------------

type providerOffersPage struct {
	Page
	Providers []domain.Membership
	Offers    []domain.Offer
}

func (s *Server) handleProviderOffers(w http.ResponseWriter, r *http.Request) error {
	ms, offers, err := s.app.Catalog.ProviderOffers(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "provider_offers", &providerOffersPage{Page: s.newPage(r, "Meine Angebote"), Providers: ms, Offers: offers})
	return nil
}

type offerFormPage struct {
	Page
	O           *domain.Offer
	Competences []domain.Competence
	Levels      map[string]int
	Providers   []domain.Membership
	Outcomes    string
	Groups      string
	Price       string
	Credits     string
	Funding     []string // funding tracks the provider may offer
	SessionForm bool
	// Siblings are the provider's other offers, which can be modules.
	Siblings []domain.Offer
}

func (s *Server) offerForm(r *http.Request, o *domain.Offer) (*offerFormPage, error) {
	fc, err := s.app.Catalog.FormChoices(r.Context(), o.ProviderID, o.ID)
	if err != nil {
		return nil, err
	}
	title := "Neues Angebot"
	if o.ID != 0 {
		title = "Angebot bearbeiten"
	}
	p := &offerFormPage{Page: s.newPage(r, title), O: o, Competences: fc.Competences, Levels: map[string]int{}, Providers: fc.Providers,
		Outcomes: strings.Join(o.Outcomes, "\n"), Groups: strings.Join(o.TargetGroups, "\n"), Price: euroText(o.PriceCents),
		Siblings: fc.Siblings, Funding: fc.Funding}
	if o.Credits > 0 {
		p.Credits = strings.Replace(strconv.FormatFloat(o.Credits, 'f', -1, 64), ".", ",", 1)
	}
	for _, c := range o.Competences {
		p.Levels[c.Code] = c.Level
	}
	return p, nil
}

func euroText(c int64) string { return strings.TrimSuffix(money(c), " €") }

// offerFromForm reads the offer form into o.
func offerFromForm(f url.Values, o *domain.Offer) error {
	v := domain.Validation{}
	o.Title, o.Summary, o.Description, o.Code = f.Get("title"), f.Get("summary"), f.Get("description"), f.Get("code")
	o.Outcomes, o.TargetGroups = splitText(f.Get("outcomes")), splitText(f.Get("target_groups"))
	o.Level, o.Format, o.Language, o.Certificate = f.Get("level"), f.Get("format"), f.Get("language"), f.Get("certificate")
	o.Workload, o.Prerequisites, o.CancellationRule = strings.TrimSpace(f.Get("workload")), strings.TrimSpace(f.Get("prerequisites")), strings.TrimSpace(f.Get("cancellation_rule"))
	num := func(field string, dst *int) {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(field)))
		if err != nil {
			v.Add(field, "Bitte geben Sie eine ganze Zahl an.")
		}
		*dst = n
	}
	num("hours", &o.Hours)
	num("days", &o.Days)
	if c, ok := euroCents(f.Get("price")); ok {
		o.PriceCents = c
	} else {
		v.Add("price_cents", "Bitte geben Sie den Preis in Euro an, z. B. 300,00.")
	}
	o.Credits = 0
	if cr := strings.TrimSpace(f.Get("credits")); cr != "" {
		x, err := strconv.ParseFloat(strings.Replace(cr, ",", ".", 1), 64)
		if err != nil {
			v.Add("credits", "Bitte geben Sie die ECTS-Punkte als Zahl an.")
		}
		o.Credits = x
	}
	o.Competences = nil
	for _, code := range f["competence"] {
		lvl, _ := strconv.Atoi(f.Get("level_" + code))
		if lvl == 0 {
			lvl = 1
		}
		o.Competences = append(o.Competences, domain.OfferCompetence{Code: code, Level: lvl})
	}
	o.FundingTracks = f["funding"]
	if o.FundingTracks == nil {
		o.FundingTracks = []string{}
	}
	o.ModuleIDs = []int64{}
	for _, m := range f["module"] {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			o.ModuleIDs = append(o.ModuleIDs, id)
		}
	}
	return v.Err()
}

func splitText(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// mergeErrors combines form reading errors with validation errors.
func mergeErrors(a, b error) error {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	fa, fb := domain.ErrorFields(a), domain.ErrorFields(b)
	for k, v := range fb {
		if _, ok := fa[k]; !ok {
			fa[k] = v
		}
	}
	return a
}

func (s *Server) handleOfferNew(w http.ResponseWriter, r *http.Request) error {
	o := &domain.Offer{Language: "de", Format: domain.FormatInPerson, Level: domain.LevelBasic, Certificate: domain.CertParticipation, FundingTracks: []string{}}
	if r.Method == http.MethodGet {
		if _, err := s.app.Catalog.ProviderFor(r.Context(), 0); err != nil && domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p, err := s.offerForm(r, o)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "offer_form", p)
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	named, _ := strconv.ParseInt(r.PostForm.Get("provider"), 10, 64)
	pid, err := s.app.Catalog.ProviderFor(r.Context(), named)
	if err != nil {
		return err
	}
	o.ProviderID = pid
	ferr := offerFromForm(r.PostForm, o)
	err = ferr
	if err == nil {
		var created *domain.Offer
		if created, err = s.app.Catalog.Create(r.Context(), o); err == nil {
			o = created
		}
	} else {
		err = mergeErrors(ferr, o.Validate())
	}
	if err != nil {
		return s.offerFormError(w, r, o, err)
	}
	return redirect(w, r, "/angebote/"+itoa(o.ID)+"?hinweis=angebot-pruefung")
}

func (s *Server) offerFormError(w http.ResponseWriter, r *http.Request, o *domain.Offer, err error) error {
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.EConflict {
		return err
	}
	p, perr := s.offerForm(r, o)
	if perr != nil {
		return perr
	}
	p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	p.Price, p.Credits = r.PostForm.Get("price"), r.PostForm.Get("credits")
	s.render(w, r, httpx.Status(code), "offer_form", p)
	return nil
}

func (s *Server) handleOfferEdit(w http.ResponseWriter, r *http.Request) error {
	o, err := s.editableOffer(r)
	if err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		p, err := s.offerForm(r, o)
		if err != nil {
			return err
		}
		p.SessionForm = true
		s.render(w, r, http.StatusOK, "offer_form", p)
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	ferr := offerFromForm(r.PostForm, o)
	err = ferr
	if err == nil {
		_, err = s.app.Catalog.Update(r.Context(), o)
	} else {
		err = mergeErrors(ferr, o.Validate())
	}
	if err != nil {
		return s.offerFormError(w, r, o, err)
	}
	return redirect(w, r, "/angebote/"+itoa(o.ID)+"?hinweis=angebot-gespeichert")
}

func (s *Server) handleSessionCreate(w http.ResponseWriter, r *http.Request) error {
	o, err := s.editableOffer(r)
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	f := r.PostForm
	v := domain.Validation{}
	day := func(field string) time.Time {
		t, err := time.ParseInLocation("2006-01-02", f.Get(field), berlin)
		if err != nil && f.Get(field) != "" {
			v.Add(field, "Bitte geben Sie ein Datum an (TT.MM.JJJJ).")
		}
		return t
	}
	in := sessionInput{StartsAt: day("starts_at").Add(9 * time.Hour), EndsAt: day("ends_at").Add(17 * time.Hour), AGS: strings.TrimSpace(f.Get("ags")),
		Online: f.Get("online") == "ja", Address: f.Get("address")}
	in.Days, _ = strconv.Atoi(f.Get("days"))
	in.Capacity, _ = strconv.Atoi(f.Get("capacity"))
	if dl := day("registration_deadline"); !dl.IsZero() {
		dl = dl.Add(23*time.Hour + 59*time.Minute)
		in.RegistrationDeadline = &dl
	}
	err = v.Err()
	if err == nil {
		_, err = s.addSession(r, o, in)
	}
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EInvalid {
			return err
		}
		p, perr := s.offerForm(r, o)
		if perr != nil {
			return perr
		}
		p.SessionForm = true
		p.Errors, p.Message = domain.ErrorFields(err), "Der Termin wurde nicht angelegt: "+domain.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "offer_form", p)
		return nil
	}
	return redirect(w, r, "/angebote/"+itoa(o.ID)+"?hinweis=termin")
}

type reviewQueuePage struct {
	Page
	Offers []domain.Offer
	Total  int
}

func (s *Server) handleOfferQueue(w http.ResponseWriter, r *http.Request) error {
	offers, total, err := s.app.Catalog.ReviewQueue(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "admin_offers", &reviewQueuePage{Page: s.newPage(r, "Qualitätsprüfung"), Offers: offers, Total: total})
	return nil
}

func (s *Server) handleOfferReview(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	publish := r.PostForm.Get("entscheidung") == "veroeffentlichen"
	_, err = s.app.Catalog.Review(r.Context(), id, publish, r.PostForm.Get("comment"), r.PostForm["check"])
	if err != nil {
		if c := domain.ErrorCode(err); c != domain.EInvalid && c != domain.EConflict {
			return err
		}
		o, lerr := s.loadOffer(r)
		if lerr != nil {
			return lerr
		}
		return s.renderOffer(w, r, o, httpx.Status(domain.ErrorCode(err)), err)
	}
	return redirect(w, r, "/admin/angebote?hinweis=geprueft")
}
