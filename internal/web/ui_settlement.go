package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/settlement"
	"github.com/lotse-oss/lotse/internal/voucher"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Settlement pages: the providers' claims (Abrechnungen) with their
// review, the providers' billing data and a programme's budget.

// claimStatuses are the choices of the claims list's status filter.
var claimStatuses = []teamStatus{
	{"", "alle"},
	{string(domain.ClaimDraft), domain.ClaimDraft.Label()},
	{string(domain.ClaimSubmitted), domain.ClaimSubmitted.Label()},
	{string(domain.ClaimChecked), domain.ClaimChecked.Label()},
	{string(domain.ClaimApproved), domain.ClaimApproved.Label()},
	{string(domain.ClaimReturned), domain.ClaimReturned.Label()},
	{string(domain.ClaimWithdrawn), domain.ClaimWithdrawn.Label()},
}

// claimActionLabels name the steps of a claim's history.
var claimActionLabels = map[string]string{
	"create":   "Angelegt",
	"change":   "Gutscheine geändert",
	"submit":   "Eingereicht",
	"withdraw": "Zurückgezogen",
	"check":    "Sachlich geprüft",
	"approve":  "Freigegeben",
	"return":   "Zurückgegeben",
	"note":     "Interne Notiz",
}

func claimActionLabel(action string) string {
	if l, ok := claimActionLabels[action]; ok {
		return l
	}
	return action
}

// voucherDisplay shows a canonical voucher code in its display form.
func voucherDisplay(code string) string { return voucher.Code(code).String() }

// claimTableView is the data of the "claimrows" table.
type claimTableView struct {
	Caption string
	Claims  []domain.Claim
}

// claimItemsView is the data of the "claimitems" partial: a claim's
// vouchers, with a checkbox each when Pick (ticked if in Chosen; Prefix
// keeps the boxes' IDs apart when two tables share a page).
type claimItemsView struct {
	Items  []domain.ClaimItem
	Chosen []string
	Prefix string
	Pick   bool
}

// --- List ----------------------------------------------------------------

type claimsPage struct {
	Page
	Claims []domain.Claim
	// ToCheck and ToRelease are the funder side's work: submitted and
	// checked claims (shown when no filter is set).
	ToCheck, ToRelease []domain.Claim
	Status             string
	Statuses           []teamStatus
	// Reviews: the actor reviews claims of some programme.
	Reviews bool
	// Providers the actor prepares claims for.
	Providers []domain.Membership
}

// reviewsClaims reports whether the actor is on the funder side of some
// programme.
func (s *Server) reviewsClaims(r *http.Request) (bool, error) {
	ps, err := s.app.Funding.Programmes(r.Context())
	if err != nil {
		return false, err
	}
	for _, p := range ps {
		if authz.Allowed(actor(r), authz.ClaimReview, authz.Resource{OrgID: p.FunderID}) {
			return true, nil
		}
	}
	return false, nil
}

func (s *Server) handleClaims(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	status := r.URL.Query().Get("status")
	p := &claimsPage{Page: s.newPage(r, "Abrechnungen"), Status: status, Statuses: claimStatuses, Providers: authz.ClaimProviders(actor(r))}
	var err error
	if p.Reviews, err = s.reviewsClaims(r); err != nil {
		return err
	}
	cs, err := s.app.Settlement.Claims(r.Context(), domain.ClaimFilter{Status: domain.ClaimStatus(status)})
	if domain.ErrorCode(err) == domain.EInvalid {
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "claims", p)
		return nil
	} else if err != nil {
		return err
	}
	p.Claims = cs
	if p.Reviews && status == "" {
		for _, c := range cs {
			switch c.Status {
			case domain.ClaimSubmitted:
				p.ToCheck = append(p.ToCheck, c)
			case domain.ClaimChecked:
				p.ToRelease = append(p.ToRelease, c)
			}
		}
	}
	s.render(w, r, http.StatusOK, "claims", p)
	return nil
}

// --- New claim -----------------------------------------------------------

type claimNewPage struct {
	Page
	Providers  []domain.Membership
	Provider   int64
	Programmes []domain.Programme
	Programme  string
	Items      []domain.ClaimItem
	// Chosen are the codes ticked: all at first, then as sent.
	Chosen   []string
	SumCents int64
}

// ProviderName is the name of the chosen provider.
func (p *claimNewPage) ProviderName() string {
	for _, m := range p.Providers {
		if m.OrgID == p.Provider {
			return m.OrgName
		}
	}
	return ""
}

// claimProviders are the providers the actor prepares claims for, or the
// German refusal.
func claimProviders(r *http.Request) ([]domain.Membership, error) {
	a := actor(r)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	ps := authz.ClaimProviders(a)
	if len(ps) == 0 {
		return nil, domain.Errorf(domain.EForbidden, "Abrechnungen stellen nur Mitarbeitende eines Bildungsträgers.")
	}
	return ps, nil
}

// chosenProvider reads ?anbieter= (or the form's field): one of ps; 0 when
// the actor works for several and has not chosen.
func chosenProvider(r *http.Request, ps []domain.Membership) int64 {
	if len(ps) == 1 {
		return ps[0].OrgID
	}
	raw := r.FormValue("anbieter")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		return 0
	}
	for _, m := range ps {
		if m.OrgID == id {
			return id
		}
	}
	return 0
}

func (s *Server) handleClaimNew(w http.ResponseWriter, r *http.Request) error {
	ps, err := claimProviders(r)
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		if err := form(r); err != nil {
			return err
		}
	}
	p := &claimNewPage{Page: s.newPage(r, "Neue Abrechnung"), Providers: ps, Provider: chosenProvider(r, ps)}
	if p.Provider == 0 {
		s.render(w, r, http.StatusOK, "claim_new", p)
		return nil
	}
	all, err := s.app.Funding.Programmes(r.Context())
	if err != nil {
		return err
	}
	for _, prog := range all {
		if prog.FundsProvider(p.Provider) {
			p.Programmes = append(p.Programmes, prog)
		}
	}
	p.Programme = r.FormValue("programm")
	if !slices.ContainsFunc(p.Programmes, func(prog domain.Programme) bool { return prog.ID == p.Programme }) {
		p.Programme = ""
		for _, prog := range p.Programmes {
			if p.Programme == "" {
				p.Programme = prog.ID
			}
		}
	}
	if p.Programme == "" {
		p.Message = "Kein Förderprogramm fördert Angebote dieses Bildungsträgers."
		s.render(w, r, http.StatusOK, "claim_new", p)
		return nil
	}
	if p.Items, err = s.app.Settlement.Claimable(r.Context(), p.Programme, p.Provider); err != nil {
		return err
	}
	for _, it := range p.Items {
		p.SumCents += it.ValueCents
	}
	if r.Method != http.MethodPost {
		for _, it := range p.Items {
			p.Chosen = append(p.Chosen, it.Code)
		}
		s.render(w, r, http.StatusOK, "claim_new", p)
		return nil
	}
	p.Chosen = r.PostForm["vouchers"]
	if len(p.Chosen) == 0 {
		// In the form, nothing ticked means nothing chosen (the API's
		// empty list means "all").
		p.Errors = map[string]string{"vouchers": "Bitte wählen Sie mindestens einen Gutschein."}
		s.render(w, r, http.StatusUnprocessableEntity, "claim_new", p)
		return nil
	}
	c, err := s.app.Settlement.CreateClaim(r.Context(), settlement.ClaimInput{Programme: p.Programme, Provider: p.Provider, Vouchers: p.Chosen})
	if err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "claim_new", p)
		return nil
	}
	return redirect(w, r, "/abrechnungen/"+itoa(c.ID)+"?hinweis=abrechnung-angelegt")
}

// --- One claim -----------------------------------------------------------

type claimPage struct {
	Page
	C             *domain.Claim
	ProgrammeName string
	Tracks        []trackSum
	// What the actor may do with it.
	CanPrepare, CanReview bool
	// SelfChecked: the actor checked the claim, so another person releases it.
	SelfChecked bool
	// NeedsBilling: the provider has no billing data yet (submitting fails).
	NeedsBilling bool
	// ReturnComment is what the funder asked to correct, while returned.
	ReturnComment string
	// Form is the action whose form failed, Input what was sent.
	Form  string
	Input url.Values
}

// trackSum counts a claim's vouchers of one track.
type trackSum struct {
	Name  string
	Count int
	Cents int64
}

// Area is a text area of one of the page's forms: its ID and error key
// carry the form's name, so that two forms' comments do not clash.
func (p *claimPage) Area(form, name, label, hint string) field {
	f := field{Name: name, Label: label, Type: "3", Hint: hint, ID: "f-" + form + "_" + name, Error: p.Errors[form+"_"+name]}
	if p.Form == form {
		f.Value = p.Input.Get(name)
	}
	return f
}

// Ticked reports whether a voucher's box in a form is ticked after a
// failed submission.
func (p *claimPage) Ticked(form, code string) bool {
	return p.Form == form && slices.Contains(p.Input["vouchers"], code)
}

// Editable: the provider may still change, submit or withdraw it.
func (p *claimPage) Editable() bool { return p.CanPrepare && p.C.Status.Editable() }

// CanCredit: the provider may correct it with a credit note.
func (p *claimPage) CanCredit() bool {
	return p.CanPrepare && p.C.Status == domain.ClaimApproved && p.C.Kind == domain.ClaimInvoice
}

func (s *Server) claimPageFor(r *http.Request, c *domain.Claim) (*claimPage, error) {
	p := &claimPage{Page: s.newPage(r, c.Kind.Label()+" "+c.Number), C: c, ProgrammeName: c.ProgrammeID}
	prog, err := s.app.Funding.Programme(r.Context(), c.ProgrammeID)
	if err != nil {
		return nil, err
	}
	p.ProgrammeName = prog.Name
	a := actor(r)
	res := authz.Resource{OrgID: prog.FunderID, ProviderID: c.ProviderID}
	p.CanPrepare = authz.Allowed(a, authz.ClaimPrepare, res)
	p.CanReview = c.SubmittedAt != nil && authz.Allowed(a, authz.ClaimReview, res)
	p.SelfChecked = c.CheckedByID != 0 && c.CheckedByID == a.PersonID()
	for _, it := range c.Items {
		i := slices.IndexFunc(p.Tracks, func(t trackSum) bool { return t.Name == it.TrackName })
		if i < 0 {
			p.Tracks = append(p.Tracks, trackSum{Name: it.TrackName})
			i = len(p.Tracks) - 1
		}
		p.Tracks[i].Count++
		p.Tracks[i].Cents += it.ValueCents
	}
	if c.Status == domain.ClaimReturned {
		for _, e := range c.Events {
			if e.Action == "return" {
				p.ReturnComment = e.Comment
			}
		}
	}
	if p.Editable() {
		b, err := s.app.Settlement.Billing(r.Context(), c.ProviderID)
		if err != nil {
			return nil, err
		}
		p.NeedsBilling = b == nil
	}
	return p, nil
}

func (s *Server) handleClaim(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.app.Settlement.Claim(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := s.claimPageFor(r, c)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "claim", p)
	return nil
}

// claimSteps are the page's actions and the notice after each.
var claimSteps = map[string]string{
	"einreichen":    "abrechnung-eingereicht",
	"zurueckziehen": "abrechnung-zurueckgezogen",
	"pruefen":       "abrechnung-geprueft",
	"freigeben":     "abrechnung-freigegeben",
	"zurueckgeben":  "abrechnung-zurueckgegeben",
	"notiz":         "notiz",
	"gutschrift":    "gutschrift-angelegt",
}

func (s *Server) handleClaimAction(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	action := r.PathValue("action")
	notice, ok := claimSteps[action]
	if !ok {
		return errNotFoundPage
	}
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	f := r.PostForm
	rv := settlement.Review{Comment: f.Get("comment"), Note: f.Get("note")}
	ctx, st := r.Context(), s.app.Settlement
	var c *domain.Claim
	switch action {
	case "einreichen":
		c, err = st.SubmitClaim(ctx, id)
	case "zurueckziehen":
		c, err = st.WithdrawClaim(ctx, id)
	case "pruefen":
		c, err = st.CheckClaim(ctx, id, rv)
	case "freigeben":
		c, err = st.ApproveClaim(ctx, id, rv)
	case "zurueckgeben":
		c, err = st.ReturnClaim(ctx, id, rv)
	case "notiz":
		c, err = st.NoteClaim(ctx, id, rv.Note)
	case "gutschrift":
		c, err = st.CreditNote(ctx, id, f["vouchers"], f.Get("reason"))
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		c, lerr := st.Claim(ctx, id)
		if lerr != nil {
			return lerr
		}
		p, lerr := s.claimPageFor(r, c)
		if lerr != nil {
			return lerr
		}
		p.Form, p.Input, p.Message = action, f, domain.ErrorMessage(err)
		if fields := domain.ErrorFields(err); len(fields) > 0 {
			p.Errors = map[string]string{}
			for k, v := range fields {
				p.Errors[action+"_"+k] = v
			}
		}
		s.render(w, r, httpx.Status(code), "claim", p)
		return nil
	}
	return redirect(w, r, "/abrechnungen/"+itoa(c.ID)+"?hinweis="+notice)
}

// --- The vouchers of a claim ----------------------------------------------

type claimVouchersPage struct {
	Page
	C *domain.Claim
	// Items are the claim's vouchers and those that could join it.
	Items  []domain.ClaimItem
	Chosen []string
}

func (s *Server) handleClaimVouchers(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.app.Settlement.Claim(r.Context(), id)
	if err != nil {
		return err
	}
	if !authz.Allowed(actor(r), authz.ClaimPrepare, authz.Resource{ProviderID: c.ProviderID}) {
		return domain.ErrForbidden
	}
	if !c.Status.Editable() || c.Kind != domain.ClaimInvoice {
		return domain.Errorf(domain.EConflict, "Diese Abrechnung ist %s und lässt sich nicht mehr ändern.", strings.ToLower(c.Status.Label()))
	}
	more, err := s.app.Settlement.Claimable(r.Context(), c.ProgrammeID, c.ProviderID)
	if err != nil {
		return err
	}
	p := &claimVouchersPage{Page: s.newPage(r, "Gutscheine der Abrechnung "+c.Number), C: c, Items: append(slices.Clone(c.Items), more...), Chosen: c.Codes()}
	if r.Method != http.MethodPost {
		s.render(w, r, http.StatusOK, "claim_vouchers", p)
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	p.Chosen = r.PostForm["vouchers"]
	if _, err := s.app.Settlement.UpdateClaim(r.Context(), id, p.Chosen); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "claim_vouchers", p)
		return nil
	}
	return redirect(w, r, "/abrechnungen/"+itoa(id)+"?hinweis=abrechnung-geaendert")
}

// --- Billing data --------------------------------------------------------

type billingPage struct {
	Page
	Providers []domain.Membership
	Provider  int64
	B         domain.BillingProfile
	// New: no billing data on file yet.
	New bool
}

// ProviderName is the name of the chosen provider.
func (p *billingPage) ProviderName() string {
	for _, m := range p.Providers {
		if m.OrgID == p.Provider {
			return m.OrgName
		}
	}
	return ""
}

func (s *Server) handleBilling(w http.ResponseWriter, r *http.Request) error {
	ps, err := claimProviders(r)
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		if err := form(r); err != nil {
			return err
		}
	}
	p := &billingPage{Page: s.newPage(r, "Rechnungsdaten"), Providers: ps, Provider: chosenProvider(r, ps)}
	if p.Provider == 0 {
		s.render(w, r, http.StatusOK, "billing", p)
		return nil
	}
	if r.Method != http.MethodPost {
		b, err := s.app.Settlement.Billing(r.Context(), p.Provider)
		if err != nil {
			return err
		}
		if b == nil {
			p.New = true
		} else {
			p.B = *b
		}
		s.render(w, r, http.StatusOK, "billing", p)
		return nil
	}
	f := r.PostForm
	p.B = domain.BillingProfile{OrgID: p.Provider, LegalName: f.Get("legal_name"), Street: f.Get("street"), Postcode: f.Get("postcode"), City: f.Get("city"),
		VATID: f.Get("vat_id"), TaxNumber: f.Get("tax_number"), IBAN: f.Get("iban"), BIC: f.Get("bic"), ContactName: f.Get("contact_name"),
		ContactPhone: f.Get("contact_phone"), ContactEmail: f.Get("contact_email")}
	typed := p.B
	if err := s.app.Settlement.SaveBilling(r.Context(), &p.B); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p.B, p.Errors, p.Message = typed, domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "billing", p)
		return nil
	}
	q := url.Values{"hinweis": {"rechnungsdaten"}}
	if len(ps) > 1 {
		q.Set("anbieter", itoa(p.Provider))
	}
	return redirect(w, r, "/rechnungsdaten?"+q.Encode())
}

// --- Budget --------------------------------------------------------------

type budgetPage struct {
	Page
	P       *domain.Programme
	Year    int
	Years   []int
	B       *domain.Budget
	Entries []domain.BudgetEntry
	// Numbers are the numbers of the claims the ledger names.
	Numbers map[int64]string
	CanEdit bool
	// Amount and Note as typed into the budget form.
	Amount, Note string
}

// budgetYear reads ?jahr= (or the form's field); default this year.
func (s *Server) budgetYear(r *http.Request) int {
	if y, err := strconv.Atoi(strings.TrimSpace(r.FormValue("jahr"))); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	return domain.BudgetYear(s.app.Now())
}

func (s *Server) budgetPageFor(r *http.Request, id string, year int) (*budgetPage, error) {
	prog, err := s.app.Funding.Programme(r.Context(), id)
	if err != nil {
		return nil, err
	}
	ctx := r.Context()
	p := &budgetPage{Page: s.newPage(r, "Budget "+strconv.Itoa(year)+": "+prog.Name), P: prog, Year: year,
		CanEdit: authz.Allowed(actor(r), authz.BudgetEdit, authz.Resource{OrgID: prog.FunderID}), Numbers: map[int64]string{}}
	if p.B, err = s.app.Settlement.Budget(ctx, id, year); err != nil {
		return nil, err
	}
	if p.Years, err = s.app.Settlement.BudgetYears(ctx, id); err != nil {
		return nil, err
	}
	if !slices.Contains(p.Years, year) {
		p.Years = append(p.Years, year)
		slices.SortFunc(p.Years, func(a, b int) int { return b - a })
	}
	if p.Entries, err = s.app.Settlement.Ledger(ctx, id, year, 500); err != nil {
		return nil, err
	}
	cs, err := s.app.Settlement.Claims(ctx, domain.ClaimFilter{Programme: id})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		p.Numbers[c.ID] = c.Number
	}
	if p.B.Planned {
		p.Amount = strings.TrimSuffix(money(p.B.PlannedCents), " €")
	}
	return p, nil
}

func (s *Server) handleBudget(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	p, err := s.budgetPageFor(r, r.PathValue("id"), s.budgetYear(r))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "budget", p)
	return nil
}

func (s *Server) handleBudgetSet(w http.ResponseWriter, r *http.Request) error {
	if actor(r).Anonymous() {
		return domain.ErrUnauthorized
	}
	if err := form(r); err != nil {
		return err
	}
	id, year := r.PathValue("id"), s.budgetYear(r)
	amount, note := r.PostForm.Get("amount"), r.PostForm.Get("note")
	cents, ok := parseEuros(amount)
	if !ok {
		cents = -1 // the service refuses it, after asking authz
	}
	_, err := s.app.Settlement.SetBudget(r.Context(), id, year, cents, note)
	if err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p, lerr := s.budgetPageFor(r, id, year)
		if lerr != nil {
			return lerr
		}
		p.Amount, p.Note, p.Message = amount, note, domain.ErrorMessage(err)
		p.Errors = map[string]string{}
		for k, v := range domain.ErrorFields(err) {
			if k == "amount_cents" {
				k = "amount"
			}
			p.Errors[k] = v
		}
		if !ok {
			p.Errors["amount"] = "Bitte geben Sie den Betrag in Euro an, zum Beispiel 250.000,00 oder 250000."
			p.Message = ""
		}
		s.render(w, r, http.StatusUnprocessableEntity, "budget", p)
		return nil
	}
	return redirect(w, r, "/programme/"+url.PathEscape(id)+"/budget?jahr="+strconv.Itoa(year)+"&hinweis=budget")
}

// parseEuros reads an amount in euros as people type it: "250.000,00",
// "250000", "250.000", "1234,5", "1234.50" (a dot before one or two last
// digits is a decimal point, otherwise a thousands separator), with or
// without "€". It works in whole cents, without floating point.
func parseEuros(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "€"))
	s = strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", "")
	if s == "" {
		return 0, false
	}
	whole, frac := s, ""
	if i := strings.LastIndex(s, ","); i >= 0 {
		whole, frac = s[:i], s[i+1:]
	} else if i := strings.LastIndex(s, "."); i >= 0 && len(s)-i-1 <= 2 {
		whole, frac = s[:i], s[i+1:]
	}
	if strings.Contains(whole, ".") {
		// Thousands separators: groups of three digits.
		parts := strings.Split(whole, ".")
		for i, g := range parts {
			if (i > 0 && len(g) != 3) || g == "" {
				return 0, false
			}
		}
		whole = strings.Join(parts, "")
	}
	if whole == "" || len(whole) > 12 || strings.Trim(whole, "0123456789") != "" || len(frac) > 2 || strings.Trim(frac, "0123456789") != "" {
		return 0, false
	}
	euros, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, false
	}
	cents := int64(0)
	if frac != "" {
		if len(frac) == 1 {
			frac += "0"
		}
		cents, _ = strconv.ParseInt(frac, 10, 64)
	}
	return euros*100 + cents, true
}
