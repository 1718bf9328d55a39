package web

import (
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// programmes: the pages that make a programme data: the list, the full
// form to create or change one, clone, export and import.

type programmeItem struct {
	P      domain.Programme
	Funder string
}

type programmesPage struct {
	Page
	Items     []programmeItem
	MayCreate bool
}

func (s *Server) handleProgrammes(w http.ResponseWriter, r *http.Request) error {
	ps, err := s.app.Funding.Programmes(r.Context())
	if err != nil {
		return err
	}
	pg := &programmesPage{Page: s.newPage(r, "Förderprogramme"), MayCreate: s.app.Funding.MayCreateProgramme(r.Context())}
	for _, p := range ps {
		it := programmeItem{P: p}
		if o, err := s.app.Funding.Organisation(r.Context(), p.FunderID); err == nil {
			it.Funder = o.Name
		}
		pg.Items = append(pg.Items, it)
	}
	s.render(w, r, http.StatusOK, "programmes", pg)
	return nil
}

// trackSlot is one of the two tracks a programme can fund, as form fields.
type trackSlot struct {
	Key, Title                          string
	On                                  bool
	Name, Rule, Amount, Max, Days, MaxD string
	Counts, Requires                    bool
}

// contingentRow is one row of the contingent table as form fields.
type contingentRow struct {
	Kind, Min, Max, People, Per, MaxPeople string
}

// orgChoice is an organisation to tick (providers) or to give type codes
// (reviewing associations).
type orgChoice struct {
	ID    int64
	Name  string
	On    bool
	Codes string
}

// programmeForm holds the form's values as typed, so that a refused form
// shows them again.
type programmeForm struct {
	ID, Name, State, FunderID, Open, StartsOn, EndsOn, Validity, Budget, FourEyes, ContractText, Conditions string

	Tracks    []trackSlot
	Rows      []contingentRow
	Providers []orgChoice
	Reviewers []orgChoice
	payer     *domain.Payer
}

type programmeFormPage struct {
	Page
	New     bool
	F       programmeForm
	Funders []domain.Organisation
	// CanFunder: the form offers the funder (new programmes; admins).
	CanFunder bool
}

// blankRows are the empty contingent rows the form offers for new bands.
const blankRows = 2

func centsText(c int64) string {
	if c == 0 {
		return ""
	}
	return strings.TrimSuffix(money(c), " €")
}

func itoaOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// newProgrammeForm fills the form from p, offering every provider and
// association.
func newProgrammeForm(p *domain.Programme, providers, associations []domain.Organisation) programmeForm {
	f := programmeForm{ID: p.ID, Name: p.Name, State: p.State, Open: strconv.FormatBool(p.Open), StartsOn: p.StartsOn, EndsOn: p.EndsOn,
		Validity: itoaOrEmpty(p.VoucherValidityDays), Budget: centsText(p.BudgetCents), FourEyes: p.FourEyes, ContractText: p.ContractText,
		Conditions: strings.Join(p.Conditions, "\n"), payer: p.Payer}
	if p.FunderID != 0 {
		f.FunderID = strconv.FormatInt(p.FunderID, 10)
	}
	for _, key := range []string{domain.TrackBasis, domain.TrackAdvanced} {
		slot := trackSlot{Key: key, Title: domain.TrackLabel(key), Name: domain.TrackLabel(key), Rule: domain.RulePerPerson}
		if key == domain.TrackAdvanced {
			slot.Rule = domain.RulePerDay
		}
		if t, ok := p.Track(key); ok {
			slot = trackSlot{Key: key, Title: domain.TrackLabel(key), On: true, Name: t.Name, Rule: t.Rule, Amount: centsText(t.AmountCents),
				Max: centsText(t.MaxCents), Days: itoaOrEmpty(t.Days), MaxD: itoaOrEmpty(t.MaxDays), Counts: t.CountsAgainstContingent,
				Requires: t.RequiresBaseCertificate}
		}
		f.Tracks = append(f.Tracks, slot)
	}
	for _, c := range p.Contingent {
		f.Rows = append(f.Rows, contingentRow{Kind: c.ApplicantKind, Min: strconv.Itoa(c.MinPopulation), Max: itoaOrEmpty(c.MaxPopulation),
			People: strconv.Itoa(c.People), Per: itoaOrEmpty(c.PerInhabitants), MaxPeople: itoaOrEmpty(c.MaxPeople)})
	}
	for range blankRows {
		f.Rows = append(f.Rows, contingentRow{})
	}
	for _, o := range providers {
		f.Providers = append(f.Providers, orgChoice{ID: o.ID, Name: o.Name, On: p.FundsProvider(o.ID)})
	}
	for _, o := range associations {
		c := orgChoice{ID: o.ID, Name: o.Name}
		for _, r := range p.Reviewers {
			if r.AssociationID == o.ID {
				codes := make([]string, len(r.TypeCodes))
				for i, n := range r.TypeCodes {
					codes[i] = strconv.Itoa(n)
				}
				c.On, c.Codes = true, strings.Join(codes, ", ")
			}
		}
		f.Reviewers = append(f.Reviewers, c)
	}
	return f
}

// readProgrammeForm reads the posted form into f and a programme; v
// collects what cannot be read. Errors of the programme's own checks
// refer to its lists' positions; rename maps them to the form's fields.
func readProgrammeForm(r *http.Request, f *programmeForm, v domain.Validation) (*domain.Programme, func(error) error) {
	pf := r.PostForm
	get := func(k string) string { return strings.TrimSpace(pf.Get(k)) }
	f.ID, f.Name, f.State, f.FunderID, f.Open = get("id"), get("name"), get("state"), get("funder_id"), get("open")
	f.StartsOn, f.EndsOn, f.Validity, f.Budget, f.FourEyes = get("starts_on"), get("ends_on"), get("voucher_validity_days"), get("budget_cents"), get("four_eyes")
	f.ContractText, f.Conditions = pf.Get("contract_text"), pf.Get("conditions")
	p := &domain.Programme{ID: f.ID, Name: f.Name, State: f.State, Open: f.Open == "true", StartsOn: f.StartsOn, EndsOn: f.EndsOn,
		FourEyes: f.FourEyes, ContractText: f.ContractText, Payer: f.payer}
	if f.FunderID != "" {
		id, err := strconv.ParseInt(f.FunderID, 10, 64)
		if err != nil {
			v.Add("funder_id", "Bitte wählen Sie den Fördergeber.")
		}
		p.FunderID = id
	}
	intField := func(key, val string, dst *int, msg string) {
		if val == "" {
			return
		}
		n, err := strconv.Atoi(strings.ReplaceAll(val, ".", ""))
		if err != nil {
			v.Add(key, msg)
		}
		*dst = n
	}
	euroField := func(key, val string, dst *int64) {
		if val == "" {
			return
		}
		c, ok := euroCents(val)
		if !ok {
			v.Add(key, "Bitte geben Sie einen Betrag in Euro an, z. B. 300,00.")
		}
		*dst = c
	}
	intField("voucher_validity_days", f.Validity, &p.VoucherValidityDays, "Bitte geben Sie die Gültigkeit in ganzen Tagen an.")
	euroField("budget_cents", f.Budget, &p.BudgetCents)
	for _, line := range strings.Split(strings.ReplaceAll(f.Conditions, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Conditions = append(p.Conditions, line)
		}
	}
	// Tracks: the form's slots in order, those switched on.
	trackSlotOf := map[int]int{}
	for i := range f.Tracks {
		t := &f.Tracks[i]
		k := fmt.Sprintf("tracks.%d.", i)
		t.On = pf.Get(k+"on") == "true"
		t.Name, t.Rule, t.Amount, t.Max, t.Days, t.MaxD = get(k+"name"), get(k+"rule"), get(k+"amount_cents"), get(k+"max_cents"), get(k+"days"), get(k+"max_days")
		t.Counts, t.Requires = pf.Get(k+"counts_against_contingent") == "true", pf.Get(k+"requires_base_certificate") == "true"
		if !t.On {
			continue
		}
		tr := domain.Track{Key: t.Key, Name: t.Name, Rule: t.Rule, CountsAgainstContingent: t.Counts, RequiresBaseCertificate: t.Requires}
		euroField(k+"amount_cents", t.Amount, &tr.AmountCents)
		euroField(k+"max_cents", t.Max, &tr.MaxCents)
		intField(k+"days", t.Days, &tr.Days, "Bitte geben Sie eine ganze Zahl an.")
		intField(k+"max_days", t.MaxD, &tr.MaxDays, "Bitte geben Sie eine ganze Zahl an.")
		if tr.Rule == domain.RulePerPerson && tr.MaxCents == 0 {
			tr.MaxCents = tr.AmountCents
		}
		trackSlotOf[len(p.Tracks)] = i
		p.Tracks = append(p.Tracks, tr)
	}
	// Contingent: the rows with an applicant kind; empty rows are dropped.
	n, _ := strconv.Atoi(pf.Get("rows"))
	n = min(max(n, 0), 200)
	f.Rows = f.Rows[:0]
	rowOf := map[int]int{}
	for i := range n {
		k := fmt.Sprintf("contingent.%d.", i)
		row := contingentRow{Kind: get(k + "applicant_kind"), Min: get(k + "min_population"), Max: get(k + "max_population"),
			People: get(k + "people"), Per: get(k + "per_inhabitants"), MaxPeople: get(k + "max_people")}
		f.Rows = append(f.Rows, row)
		if row.Kind == "" {
			continue
		}
		c := domain.ContingentRule{ApplicantKind: row.Kind}
		msg := "Bitte geben Sie eine ganze Zahl an."
		intField(k+"min_population", row.Min, &c.MinPopulation, msg)
		intField(k+"max_population", row.Max, &c.MaxPopulation, msg)
		intField(k+"people", row.People, &c.People, msg)
		intField(k+"per_inhabitants", row.Per, &c.PerInhabitants, msg)
		intField(k+"max_people", row.MaxPeople, &c.MaxPeople, msg)
		rowOf[len(p.Contingent)] = i
		p.Contingent = append(p.Contingent, c)
	}
	if len(f.Rows) == 0 || f.Rows[len(f.Rows)-1] != (contingentRow{}) {
		f.Rows = append(f.Rows, contingentRow{})
	}
	for i := range f.Providers {
		o := &f.Providers[i]
		o.On = pf.Get(fmt.Sprintf("provider_%d", o.ID)) == "true"
		if o.On {
			p.ProviderIDs = append(p.ProviderIDs, o.ID)
		}
	}
	for i := range f.Reviewers {
		o := &f.Reviewers[i]
		key := fmt.Sprintf("reviewer_%d", o.ID)
		o.Codes = get(key)
		o.On = o.Codes != ""
		if !o.On {
			continue
		}
		rr := domain.ReviewerRule{AssociationID: o.ID}
		for _, c := range strings.FieldsFunc(o.Codes, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
			n, err := strconv.Atoi(c)
			if err != nil || n < 1 || n > 99 {
				v.Add(key, "Bitte geben Sie Gebietstypen als Zahlen an, durch Kommas getrennt, z. B. 63, 64.")
				continue
			}
			rr.TypeCodes = append(rr.TypeCodes, n)
		}
		p.Reviewers = append(p.Reviewers, rr)
	}
	rename := func(err error) error {
		var e *domain.Error
		if de, ok := err.(*domain.Error); ok {
			e = de
		}
		if e == nil || len(e.Fields) == 0 {
			return err
		}
		out := map[string]string{}
		for k, msg := range e.Fields {
			switch {
			case strings.HasPrefix(k, "tracks."):
				idx, rest, _ := strings.Cut(strings.TrimPrefix(k, "tracks."), ".")
				n, _ := strconv.Atoi(idx)
				k = fmt.Sprintf("tracks.%d.%s", trackSlotOf[n], rest)
			case strings.HasPrefix(k, "contingent."):
				idx, rest, _ := strings.Cut(strings.TrimPrefix(k, "contingent."), ".")
				n, _ := strconv.Atoi(idx)
				k = fmt.Sprintf("contingent.%d.%s", rowOf[n], rest)
			case k == "provider_ids" && len(f.Providers) > 0:
				k = fmt.Sprintf("provider_%d", f.Providers[0].ID)
			case k == "reviewers" && len(f.Reviewers) > 0:
				k = fmt.Sprintf("reviewer_%d", f.Reviewers[0].ID)
			case k == "payer.name" || k == "payer.postcode" || k == "payer.leitweg_id" || k == "payer.email":
				k = "name" // the payer is changed through the API; the form keeps it
			}
			out[k] = msg
		}
		c := *e
		c.Fields = out
		return &c
	}
	return p, rename
}

// programmeFormPage prepares the form for p.
func (s *Server) newProgrammeFormPage(r *http.Request, title string, isNew bool, p *domain.Programme) (*programmeFormPage, error) {
	providers, err := s.app.Funding.OrgsOfKind(r.Context(), domain.OrgProvider)
	if err != nil {
		return nil, err
	}
	associations, err := s.app.Funding.OrgsOfKind(r.Context(), domain.OrgAssociation)
	if err != nil {
		return nil, err
	}
	pg := &programmeFormPage{Page: s.newPage(r, title), New: isNew, F: newProgrammeForm(p, providers, associations)}
	if pg.Funders, err = s.app.Funding.FunderChoices(r.Context()); err != nil {
		return nil, err
	}
	pg.CanFunder = isNew && len(pg.Funders) > 0
	return pg, nil
}

func (s *Server) handleProgrammeNew(w http.ResponseWriter, r *http.Request) error {
	if !s.app.Funding.MayCreateProgramme(r.Context()) {
		if actor(r).Anonymous() {
			return domain.ErrUnauthorized
		}
		return domain.ErrForbidden
	}
	p := &domain.Programme{VoucherValidityDays: 365, FourEyes: domain.FourEyesOff, Tracks: []domain.Track{
		{Key: domain.TrackBasis, Name: "Basisqualifizierung", Rule: domain.RulePerPerson, CountsAgainstContingent: true}}}
	pg, err := s.newProgrammeFormPage(r, "Neues Förderprogramm", true, p)
	if err != nil {
		return err
	}
	if len(pg.Funders) == 1 {
		pg.F.FunderID = strconv.FormatInt(pg.Funders[0].ID, 10)
	}
	if r.Method == http.MethodGet {
		s.render(w, r, http.StatusOK, "programme_form", pg)
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	v := domain.Validation{}
	np, rename := readProgrammeForm(r, &pg.F, v)
	err = v.Err()
	if err == nil {
		err = s.app.Funding.CreateProgramme(r.Context(), np)
	}
	if err != nil {
		return s.programmeFormError(w, r, pg, rename(err))
	}
	return redirect(w, r, "/programme/"+url.PathEscape(np.ID)+"?hinweis=programm-angelegt")
}

// programmeFormError shows the form again with the error, or passes on
// errors that are not the form's.
func (s *Server) programmeFormError(w http.ResponseWriter, r *http.Request, pg *programmeFormPage, err error) error {
	c := domain.ErrorCode(err)
	if c != domain.EInvalid && c != domain.EConflict {
		return err
	}
	pg.Errors, pg.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
	s.render(w, r, httpx.Status(c), "programme_form", pg)
	return nil
}

func (s *Server) handleProgrammeEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.Funding.Programme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !s.app.Funding.CanEditProgramme(r.Context(), p) {
		if actor(r).Anonymous() {
			return domain.ErrUnauthorized
		}
		return domain.ErrForbidden
	}
	pg, err := s.newProgrammeFormPage(r, p.Name+": Einstellungen", false, p)
	if err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		s.render(w, r, http.StatusOK, "programme_form", pg)
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	v := domain.Validation{}
	pg.F.ID = p.ID
	np, rename := readProgrammeForm(r, &pg.F, v)
	np.ID, np.FunderID = p.ID, p.FunderID
	pg.F.ID = p.ID
	err = v.Err()
	if err == nil {
		err = s.app.Funding.SaveProgramme(r.Context(), p.ID, np)
	}
	if err != nil {
		return s.programmeFormError(w, r, pg, rename(err))
	}
	return redirect(w, r, "/programme/"+url.PathEscape(p.ID)+"?hinweis=gespeichert")
}

type programmeClonePage struct {
	Page
	P        *domain.Programme
	ID, Name string
}

func (s *Server) handleProgrammeClone(w http.ResponseWriter, r *http.Request) error {
	p, err := s.app.Funding.Programme(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if !s.app.Funding.MayCreateProgramme(r.Context()) {
		if actor(r).Anonymous() {
			return domain.ErrUnauthorized
		}
		return domain.ErrForbidden
	}
	pg := &programmeClonePage{Page: s.newPage(r, "Förderprogramm kopieren"), P: p, Name: p.Name + " (Kopie)"}
	if r.Method == http.MethodGet {
		s.render(w, r, http.StatusOK, "programme_clone", pg)
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	pg.ID, pg.Name = strings.TrimSpace(r.PostForm.Get("id")), strings.TrimSpace(r.PostForm.Get("name"))
	c, err := s.app.Funding.CloneProgramme(r.Context(), p.ID, pg.ID, pg.Name)
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		pg.Errors, pg.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(code), "programme_clone", pg)
		return nil
	}
	return redirect(w, r, "/programme/"+url.PathEscape(c.ID)+"/bearbeiten?hinweis=programm-kopiert")
}

type programmeImportPage struct {
	Page
	ID, Name, JSON string
	// MayCreateOrgs: the reader (an admin) may let the import create
	// missing organisations.
	MayCreateOrgs bool
	CreateMissing bool
}

func (s *Server) handleProgrammeImport(w http.ResponseWriter, r *http.Request) error {
	if !s.app.Funding.MayCreateProgramme(r.Context()) {
		if actor(r).Anonymous() {
			return domain.ErrUnauthorized
		}
		return domain.ErrForbidden
	}
	pg := &programmeImportPage{Page: s.newPage(r, "Förderprogramm importieren"), MayCreateOrgs: s.app.Funding.MayCreateOrganisations(r.Context())}
	if r.Method == http.MethodGet {
		s.render(w, r, http.StatusOK, "programme_import", pg)
		return nil
	}
	var doc []byte
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxProgrammeDoc); err != nil {
			return domain.Errorf(domain.EBadRequest, "Das Formular konnte nicht gelesen werden.")
		}
		if file, _, err := r.FormFile("file"); err == nil {
			doc, err = io.ReadAll(io.LimitReader(file, maxProgrammeDoc+1))
			file.Close()
			if err != nil {
				return domain.Errorf(domain.EBadRequest, "Die Datei konnte nicht gelesen werden.")
			}
		}
	} else if err := form(r); err != nil {
		return err
	}
	pg.ID, pg.Name, pg.JSON = strings.TrimSpace(r.FormValue("id")), strings.TrimSpace(r.FormValue("name")), r.FormValue("json")
	pg.CreateMissing = r.FormValue("create_missing") == "true"
	if len(doc) == 0 {
		doc = []byte(strings.TrimSpace(pg.JSON))
	}
	var p *domain.Programme
	var err error
	switch {
	case len(doc) == 0:
		err = &domain.Error{Code: domain.EInvalid, Message: "Bitte wählen Sie eine Datei oder fügen Sie den Export ein.",
			Fields: map[string]string{"file": "Bitte wählen Sie eine Datei oder fügen Sie den Export ein."}}
	case len(doc) > maxProgrammeDoc:
		err = &domain.Error{Code: domain.EInvalid, Message: "Ein Programm-Export ist höchstens 1 MB groß.", Fields: map[string]string{"file": "Die Datei ist größer als 1 MB."}}
	default:
		p, err = s.importProgramme(r, doc, funding.ImportOptions{ID: pg.ID, Name: pg.Name, CreateMissing: pg.CreateMissing})
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		// The page has a file, an ID and a name: messages about the
		// document's contents go next to the file.
		pg.Message = domain.ErrorMessage(err)
		pg.Errors = map[string]string{}
		var other []string
		for _, k := range slices.Sorted(maps.Keys(domain.ErrorFields(err))) {
			if m := domain.ErrorFields(err)[k]; k == "id" {
				pg.Errors["id"] = m
			} else if !slices.Contains(other, m) {
				other = append(other, m)
			}
		}
		if len(other) > 0 {
			pg.Errors["file"] = strings.Join(other, " ")
		} else if len(pg.Errors) == 0 {
			pg.Errors["file"] = pg.Message
		}
		s.render(w, r, httpx.Status(code), "programme_import", pg)
		return nil
	}
	return redirect(w, r, "/programme/"+url.PathEscape(p.ID)+"?hinweis=programm-importiert")
}

// handleProgrammeExport sends the export document as a file.
func (s *Server) handleProgrammeExport(w http.ResponseWriter, r *http.Request) error {
	return s.apiProgrammeExport(w, r)
}
