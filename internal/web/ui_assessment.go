package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// The self-assessment pages: the overview with the gaps and the shares,
// the guided form (pick the topics first, then rate only those), and the
// list of shared assessments for a municipality's HR.

// assessmentRow is one competence in the form or the overview.
type assessmentRow struct {
	Code, Name, Description string
	Level, Target           int
	LevelErr, TargetErr     string
}

// Gap is the number of levels between the rating and the target.
func (r assessmentRow) Gap() int { return max(r.Target-r.Level, 0) }

// assessmentArea is an area of the framework with its competences.
type assessmentArea struct {
	Code, Name, Description string
	Rows                    []assessmentRow
	// Chosen: the person picked the area in the first step.
	Chosen bool
}

// shareTarget is an organisation the person may share with.
type shareTarget struct {
	ID     int64
	Name   string
	Shared bool
}

type assessmentPage struct {
	Page
	// Assessment is nil before the first save.
	Assessment *domain.Assessment
	Levels     []domain.CompetenceLevel
	// Areas: in the form the areas shown, in the overview those rated.
	Areas  []assessmentArea
	All    []assessmentArea // every area, for the first step
	Gaps   []domain.AssessmentItem
	Shares []shareTarget
	// The form's other fields, as entered.
	Goals         string
	Formats       []string
	Region        string
	MaxDistance   string
	DaysPerMonth  string
	BudgetEuro    string
	FormatOptions []string
	// ShowAll: the form shows every area.
	ShowAll bool
	// Roles are the role profiles the first step offers to start from;
	// Role is the one the form was prefilled from.
	Roles []roleStart
	Role  *roleStart
}

// roleStart is a role profile to start the assessment from.
type roleStart struct {
	Key         string
	Name        string
	Description string
	Targets     []domain.RoleTarget
}

// startingRoles lists the role profiles the person can start from.
func (s *Server) startingRoles(r *http.Request) ([]roleStart, error) {
	ps, err := s.app.Matching.StartingProfiles(r.Context())
	if err != nil {
		return nil, err
	}
	out := make([]roleStart, 0, len(ps))
	for _, p := range ps {
		key := "v-" + p.Template
		if p.ID != 0 {
			key = "r-" + strconv.FormatInt(p.ID, 10)
		}
		out = append(out, roleStart{Key: key, Name: p.Name, Description: p.Description, Targets: p.Targets})
	}
	return out, nil
}

// RowCount is the number of competences in the form.
func (p *assessmentPage) RowCount() int {
	n := 0
	for _, a := range p.Areas {
		n += len(a.Rows)
	}
	return n
}

// assessmentBase loads the framework and the person's assessment (nil if
// there is none yet) into a page.
func (s *Server) assessmentBase(r *http.Request, title string) (*assessmentPage, []domain.Competence, error) {
	p := &assessmentPage{Page: s.newPage(r, title), Levels: domain.CompetenceLevels, FormatOptions: domain.OfferFormats}
	framework, err := s.app.Matching.Framework(r.Context())
	if err != nil {
		return nil, nil, err
	}
	a, err := s.app.Matching.MyAssessment(r.Context())
	switch {
	case err == nil:
		p.Assessment = a
	case domain.ErrorCode(err) != domain.ENotFound:
		return nil, nil, err
	}
	return p, framework, nil
}

// areas groups the framework into areas; rate gives each competence's row.
func areasOf(framework []domain.Competence, rate func(c domain.Competence) (assessmentRow, bool)) []assessmentArea {
	var out []assessmentArea
	for _, c := range framework {
		if c.Code == c.Area {
			out = append(out, assessmentArea{Code: c.Code, Name: c.Name, Description: c.Description})
			continue
		}
		if len(out) == 0 || out[len(out)-1].Code != c.Area {
			continue
		}
		if row, ok := rate(c); ok {
			out[len(out)-1].Rows = append(out[len(out)-1].Rows, row)
		}
	}
	return out
}

func (s *Server) handleAssessment(w http.ResponseWriter, r *http.Request) error {
	p, framework, err := s.assessmentBase(r, "Meine Selbsteinschätzung")
	if err != nil {
		return err
	}
	p.All = areasOf(framework, func(c domain.Competence) (assessmentRow, bool) {
		return assessmentRow{Code: c.Code, Name: c.Name}, true
	})
	if p.Assessment == nil {
		if p.Roles, err = s.startingRoles(r); err != nil {
			return err
		}
	}
	if a := p.Assessment; a != nil {
		for _, area := range areasOf(framework, func(c domain.Competence) (assessmentRow, bool) {
			it, ok := a.Item(c.Code)
			return assessmentRow{Code: c.Code, Name: c.Name, Level: it.Level, Target: it.Target}, ok
		}) {
			if len(area.Rows) > 0 {
				p.Areas = append(p.Areas, area)
			}
		}
		p.Gaps = a.Gaps()
		for _, m := range p.Actor.Memberships {
			if m.OrgKind == domain.OrgMunicipality {
				p.Shares = append(p.Shares, shareTarget{ID: m.OrgID, Name: m.OrgName, Shared: a.SharedWith(m.OrgID)})
			}
		}
	}
	s.render(w, r, http.StatusOK, "assessment", p)
	return nil
}

// handleAssessmentForm shows the form: the areas picked in the first step
// (?bereich=), or those already rated, or all.
func (s *Server) handleAssessmentForm(w http.ResponseWriter, r *http.Request) error {
	p, framework, err := s.assessmentBase(r, "Selbsteinschätzung bearbeiten")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	chosen := q["bereich"]
	p.ShowAll = q.Get("alle") == "1"
	a := p.Assessment
	if a == nil {
		a = &domain.Assessment{}
	}
	rated := map[string]bool{}
	for _, it := range a.Items {
		rated[strings.SplitN(it.Code, ".", 2)[0]] = true
	}
	// A role profile picked in the first step prefills the targets of the
	// competences not rated yet and shows their areas.
	roleTarget := map[string]int{}
	if key := q.Get("rolle"); key != "" {
		roles, err := s.startingRoles(r)
		if err != nil {
			return err
		}
		for i := range roles {
			if roles[i].Key == key {
				p.Role = &roles[i]
			}
		}
		if p.Role != nil {
			for _, t := range p.Role.Targets {
				roleTarget[t.Code] = t.Level
				if area := strings.SplitN(t.Code, ".", 2)[0]; !slices.Contains(chosen, area) {
					chosen = append(chosen, area)
				}
			}
		}
	}
	for _, area := range areasOf(framework, func(c domain.Competence) (assessmentRow, bool) {
		it, ok := a.Item(c.Code)
		if !ok {
			it.Target = roleTarget[c.Code]
		}
		return assessmentRow{Code: c.Code, Name: c.Name, Description: c.Description, Level: it.Level, Target: it.Target}, true
	}) {
		area.Chosen = slices.Contains(chosen, area.Code)
		if p.ShowAll || area.Chosen || (len(chosen) == 0 && (len(rated) == 0 || rated[area.Code])) {
			p.Areas = append(p.Areas, area)
		}
	}
	p.fillPreferences(a)
	s.render(w, r, http.StatusOK, "assessment", p)
	return nil
}

func (p *assessmentPage) fillPreferences(a *domain.Assessment) {
	p.Goals, p.Formats, p.Region = a.Goals, a.Preferences.Formats, a.Preferences.Region
	if a.Preferences.MaxDistanceKm > 0 {
		p.MaxDistance = strconv.Itoa(a.Preferences.MaxDistanceKm)
	}
	if a.Preferences.DaysPerMonth > 0 {
		p.DaysPerMonth = strconv.Itoa(a.Preferences.DaysPerMonth)
	}
	if a.Preferences.BudgetCents > 0 {
		p.BudgetEuro = strconv.FormatInt(a.Preferences.BudgetCents/100, 10)
	}
}

// formInt reads a whole number field; "" is 0.
func formInt(v domain.Validation, r *http.Request, name, msg string) int {
	s := strings.TrimSpace(r.PostForm.Get(name))
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.Add(name, msg)
	}
	return n
}

// handleAssessmentSave saves the form. The competences shown are rated
// anew; ratings of areas not shown stay. A refused form comes back with
// the messages next to the fields and everything as entered.
func (s *Server) handleAssessmentSave(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	p, framework, err := s.assessmentBase(r, "Selbsteinschätzung bearbeiten")
	if err != nil {
		return err
	}
	old := p.Assessment
	if old == nil {
		old = &domain.Assessment{}
	}
	v := domain.Validation{}
	shown := map[string]bool{}
	in := &domain.Assessment{Goals: r.PostForm.Get("goals")}
	entered := map[string]assessmentRow{}
	for _, code := range r.PostForm["codes"] {
		if shown[code] {
			continue
		}
		shown[code] = true
		row := assessmentRow{Code: code}
		var err1, err2 error
		row.Level, err1 = strconv.Atoi(r.PostForm.Get("level_" + code))
		row.Target, err2 = strconv.Atoi(r.PostForm.Get("target_" + code))
		if err1 != nil {
			v.Add("level_"+code, "Bitte wählen Sie Ihren heutigen Stand.")
		}
		if err2 != nil {
			v.Add("target_"+code, "Bitte wählen Sie Ihr Ziel.")
		}
		entered[code] = row
		in.Items = append(in.Items, domain.AssessmentItem{Code: code, Level: row.Level, Target: row.Target})
	}
	for _, it := range old.Items {
		if !shown[it.Code] {
			in.Items = append(in.Items, it)
		}
	}
	in.Preferences = domain.Preferences{Formats: r.PostForm["formats"], Region: r.PostForm.Get("region")}
	in.Preferences.MaxDistanceKm = formInt(v, r, "max_distance_km", "Bitte geben Sie die Entfernung als ganze Zahl in Kilometern an.")
	in.Preferences.DaysPerMonth = formInt(v, r, "days_per_month", "Bitte geben Sie die Tage als ganze Zahl an.")
	in.Preferences.BudgetCents = int64(formInt(v, r, "budget_euro", "Bitte geben Sie das Budget in ganzen Euro an.")) * 100
	err = v.Err()
	if err == nil {
		if _, err = s.app.Matching.SaveAssessment(r.Context(), in); err == nil {
			return redirect(w, r, "/selbsteinschaetzung?hinweis=selbsteinschaetzung")
		}
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
	}
	// Back to the form, as entered; the service names item fields by
	// their position in in.Items.
	errs := map[string]string{}
	for k, msg := range domain.ErrorFields(err) {
		var i int
		var part string
		if n, _ := fmt.Sscanf(k, "items.%d.%s", &i, &part); n == 2 && i < len(in.Items) {
			errs[part+"_"+in.Items[i].Code] = msg
			continue
		}
		errs[strings.TrimPrefix(k, "preferences.")] = msg
	}
	if b, ok := errs["budget_cents"]; ok {
		delete(errs, "budget_cents")
		errs["budget_euro"] = b
	}
	p.Errors = errs
	p.Message = "Die Selbsteinschätzung wurde nicht gespeichert. Bitte prüfen Sie die markierten Angaben."
	for _, area := range areasOf(framework, func(c domain.Competence) (assessmentRow, bool) {
		row, ok := entered[c.Code]
		row.Name, row.Description = c.Name, c.Description
		row.LevelErr, row.TargetErr = errs["level_"+c.Code], errs["target_"+c.Code]
		return row, ok
	}) {
		if len(area.Rows) > 0 {
			p.Areas = append(p.Areas, area)
		}
	}
	p.Goals, p.Formats, p.Region = in.Goals, in.Preferences.Formats, in.Preferences.Region
	p.MaxDistance, p.DaysPerMonth, p.BudgetEuro = r.PostForm.Get("max_distance_km"), r.PostForm.Get("days_per_month"), r.PostForm.Get("budget_euro")
	s.render(w, r, http.StatusUnprocessableEntity, "assessment", p)
	return nil
}

// handleAssessmentShare shares the assessment with an organisation
// (action "teilen") or withdraws the share ("zurueckziehen").
func (s *Server) handleAssessmentShare(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	org, err := strconv.ParseInt(r.PostForm.Get("organisation"), 10, 64)
	if err != nil || org <= 0 {
		return domain.Errorf(domain.EBadRequest, "Bitte wählen Sie die Organisation aus der Liste.")
	}
	switch r.PathValue("action") {
	case "teilen":
		if _, err := s.app.Matching.ShareAssessment(r.Context(), org); err != nil {
			return err
		}
		return redirect(w, r, "/selbsteinschaetzung?hinweis=geteilt#teilen")
	case "zurueckziehen":
		if _, err := s.app.Matching.WithdrawAssessmentShare(r.Context(), org); err != nil {
			return err
		}
		return redirect(w, r, "/selbsteinschaetzung?hinweis=nicht-geteilt#teilen")
	}
	return errNotFoundPage
}

// sharedAssessmentsPage lists the assessments shared with a municipality
// and, from five people on, how many have a gap per competence.
type sharedAssessmentsPage struct {
	Page
	OrgID int64
	List  []domain.SharedAssessment
	Total int
	More  moreLink
	// Summary: per competence with gaps, how many people have one; only
	// when at least MinGroupSize people shared.
	Summary  []domain.CompetenceCount
	MinGroup int
}

func (s *Server) handleSharedAssessments(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	after, broken := pageKeyCursor(r, "nach")
	sp, err := s.app.Matching.SharedAssessmentsPage(r.Context(), id, after, pageSize)
	if err != nil {
		return err
	}
	p := &sharedAssessmentsPage{Page: s.newPage(r, "Geteilte Selbsteinschätzungen"), OrgID: id, List: sp.List, Total: sp.Total,
		Summary: sp.Gaps, MinGroup: domain.MinGroupSize,
		More: newKeyMoreLink(withoutPage(r.URL), "nach", sp.Next.String(), "Weitere Selbsteinschätzungen", "Weitere Selbsteinschätzungen anzeigen",
			"Zurück zum Anfang der Liste", "geteilt")}
	if broken {
		p.Notice = badCursorNotice
	}
	s.render(w, r, http.StatusOK, "shared_assessments", p)
	return nil
}
