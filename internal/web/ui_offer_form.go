package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

type offerFormPage struct {
	Page
	O           *domain.Offer
	Competences []domain.Competence
	Levels      map[string]int
	Providers   []domain.Membership
	Outcomes    string
	Groups      string
	Keywords    string // comma-separated
	Price       string
	Credits     string
	// Hours and Days as typed: kept as they were after an error.
	Hours, Days string
	Funding     []string // funding tracks the provider may offer
	SessionForm bool
	// Session is what was typed into the session form, kept after an error.
	Session url.Values
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
		Keywords: strings.Join(o.Keywords, ", "),
		Hours:    strconv.Itoa(o.Hours), Days: strconv.Itoa(o.Days),
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
	o.Keywords = domain.NormalizeKeywords(strings.Split(f.Get("keywords"), ","))
	o.Publisher = strings.TrimSpace(f.Get("publisher"))
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
	p.Hours, p.Days = r.PostForm.Get("hours"), r.PostForm.Get("days")
	p.Keywords = r.PostForm.Get("keywords")
	// An offer's edit page has the session form below; it stays.
	p.SessionForm = o.ID != 0
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
	// clock is the time of day of a field, or def when it is empty: a
	// session may begin later today.
	clock := func(field string, def time.Duration) time.Duration {
		raw := strings.TrimSpace(f.Get(field))
		if raw == "" {
			return def
		}
		t, err := time.Parse("15:04", raw)
		if err != nil {
			v.Add(field, "Bitte geben Sie eine Uhrzeit an (SS:MM).")
			return def
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	start, end := day("starts_at"), day("ends_at")
	in := sessionInput{StartsAt: start.Add(clock("starts_time", 9*time.Hour)), EndsAt: end.Add(clock("ends_time", 17*time.Hour)),
		AGS: strings.TrimSpace(f.Get("ags")), Online: f.Get("online") == "ja", Address: f.Get("address")}
	in.Days, _ = strconv.Atoi(f.Get("days"))
	in.Capacity, _ = strconv.Atoi(f.Get("capacity"))
	if dl := day("registration_deadline"); !dl.IsZero() {
		if dl.Equal(start) {
			// Registration on the first day closes when the session begins.
			dl = in.StartsAt
		} else {
			dl = dl.Add(23*time.Hour + 59*time.Minute)
		}
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
		// The session form's fields have their own IDs (t-…) and error keys
		// (termin_…), apart from the offer form's on the same page.
		p.SessionForm, p.Session, p.Errors = true, f, map[string]string{}
		for k, m := range domain.ErrorFields(err) {
			p.Errors["termin_"+k] = m
		}
		p.Message = "Der Termin wurde nicht angelegt: " + domain.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "offer_form", p)
		return nil
	}
	return redirect(w, r, "/angebote/"+itoa(o.ID)+"?hinweis=termin")
}
