package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// HR's role profiles and team gaps: /team/rollen (list, create, edit,
// assign people, delete) and /team/luecken. The municipality is the one
// named by ?organisation= (or the hidden form field), else the first one
// the actor is HR of.

// hrOrgID is the municipality the page is about.
func hrOrgID(r *http.Request) (int64, error) {
	v := r.URL.Query().Get("organisation")
	if v == "" && r.PostForm != nil {
		v = r.PostForm.Get("organisation")
	}
	if v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return 0, errNotFoundPage
		}
		return id, nil
	}
	a := actor(r)
	if a.Anonymous() {
		return 0, domain.ErrUnauthorized
	}
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgMunicipality && authz.Allowed(a, authz.RoleProfileEdit, authz.Resource{OrgID: m.OrgID}) {
			return m.OrgID, nil
		}
	}
	return 0, domain.ErrForbidden
}

type rolesPage struct {
	Page
	OrgID   int64
	OrgName string
	// Profiles with their assigned people.
	Profiles []domain.RoleProfile
}

func (s *Server) handleRoles(w http.ResponseWriter, r *http.Request) error {
	org, err := hrOrgID(r)
	if err != nil {
		return err
	}
	ps, err := s.app.Matching.RoleProfiles(r.Context(), org)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "roles", &rolesPage{Page: s.newPage(r, "Rollen im Team"), OrgID: org, OrgName: orgName(actor(r), org), Profiles: ps})
	return nil
}

// roleFormPage is the form of one profile (new when ID is 0) with a level
// select per competence, grouped by area, and the people to assign.
type roleFormPage struct {
	Page
	OrgID       int64
	OrgName     string
	ID          int64
	Name        string
	Description string
	Areas       []roleArea
	Levels      []domain.CompetenceLevel
	// People are a page of the municipality's members to tick, found by
	// Search (name or address); Assigned counts the profile's people.
	People   []domain.RoleCandidate
	Search   string
	After    int64
	More     moreLink
	Assigned int
}

type roleArea struct {
	Code, Name  string
	Competences []roleCompetence
}

type roleCompetence struct {
	Code, Name, Description string
	Level                   int
	// Field is the form field's name: ziel_<code>.
	Field string
}

// roleForm builds the form page for p (nil: new).
func (s *Server) roleForm(r *http.Request, org int64, p *domain.RoleProfile) (*roleFormPage, error) {
	framework, err := s.app.Matching.Framework(r.Context())
	if err != nil {
		return nil, err
	}
	title := "Neue Rolle"
	fp := &roleFormPage{OrgID: org, OrgName: orgName(actor(r), org), Levels: domain.CompetenceLevels}
	if p != nil {
		title = "Rolle bearbeiten: " + p.Name
		fp.ID, fp.Name, fp.Description, fp.Assigned = p.ID, p.Name, p.Description, p.MemberCount
	}
	fp.Page = s.newPage(r, title)
	if p != nil {
		if err := s.roleCandidates(r, fp); err != nil {
			return nil, err
		}
	}
	for _, c := range framework {
		if c.Code == c.Area {
			fp.Areas = append(fp.Areas, roleArea{Code: c.Code, Name: c.Name})
			continue
		}
		if len(fp.Areas) == 0 || fp.Areas[len(fp.Areas)-1].Code != c.Area {
			fp.Areas = append(fp.Areas, roleArea{Code: c.Area, Name: c.Area})
		}
		rc := roleCompetence{Code: c.Code, Name: c.Name, Description: c.Description, Field: "ziel_" + c.Code}
		if p != nil {
			rc.Level = p.Target(c.Code)
		}
		a := &fp.Areas[len(fp.Areas)-1]
		a.Competences = append(a.Competences, rc)
	}
	return fp, nil
}

// roleCandidates loads the page of people to tick that the query asks
// for: "suche" (a part of the name or address) and "nach" (the person the
// previous page ended with). A search that is too long shows its message
// next to the search field, with nobody listed.
func (s *Server) roleCandidates(r *http.Request, fp *roleFormPage) error {
	q := r.URL.Query()
	fp.Search, fp.After = q.Get("suche"), pageCursor(r, "nach")
	people, next, err := s.app.Matching.RoleCandidatesPage(r.Context(), fp.OrgID, fp.ID, fp.Search, fp.After, 0)
	if domain.ErrorCode(err) == domain.EInvalid {
		fp.Errors = domain.ErrorFields(err)
		return nil
	}
	if err != nil {
		return err
	}
	fp.People = people
	u := *r.URL
	u.Path = "/team/rollen/" + itoa(fp.ID)
	fp.More = newMoreLink(&u, "nach", next, "Weitere Personen", "Weitere Personen anzeigen", "Zurück zu den ersten Personen", "personen")
	return nil
}

// readRoleForm reads name, description and the level selects; a level
// that is not a number becomes -1, which the validation names.
func readRoleForm(r *http.Request, fp *roleFormPage) *domain.RoleProfile {
	in := &domain.RoleProfile{Name: r.PostForm.Get("name"), Description: r.PostForm.Get("description")}
	fp.Name, fp.Description = in.Name, in.Description
	for i := range fp.Areas {
		for j := range fp.Areas[i].Competences {
			c := &fp.Areas[i].Competences[j]
			v := strings.TrimSpace(r.PostForm.Get(c.Field))
			if v == "" || v == "0" {
				c.Level = 0
				continue
			}
			l, err := strconv.Atoi(v)
			if err != nil {
				l = -1
			}
			c.Level = l
			in.Targets = append(in.Targets, domain.RoleTarget{Code: c.Code, Level: l})
		}
	}
	return in
}

// roleErrors maps the service's field names (targets.N.level) to the
// form's (ziel_<code>).
func roleErrors(err error, in *domain.RoleProfile) map[string]string {
	out := map[string]string{}
	for k, msg := range domain.ErrorFields(err) {
		var n int
		var sub string
		if _, serr := fmt.Sscanf(k, "targets.%d.%s", &n, &sub); serr == nil && n >= 0 && n < len(in.Targets) {
			out["ziel_"+in.Targets[n].Code] = msg
			continue
		}
		out[k] = msg
	}
	return out
}

func (s *Server) handleRoleNew(w http.ResponseWriter, r *http.Request) error {
	if r.Method == http.MethodPost {
		if err := form(r); err != nil {
			return err
		}
	}
	org, err := hrOrgID(r)
	if err != nil {
		return err
	}
	// The list checks the permission (and copies the templates) first.
	if _, err := s.app.Matching.RoleProfiles(r.Context(), org); err != nil {
		return err
	}
	fp, err := s.roleForm(r, org, nil)
	if err != nil {
		return err
	}
	if r.Method != http.MethodPost {
		s.render(w, r, http.StatusOK, "roles_form", fp)
		return nil
	}
	in := readRoleForm(r, fp)
	p, err := s.app.Matching.CreateRoleProfile(r.Context(), org, in)
	if err != nil {
		return s.roleFormError(w, r, fp, in, err)
	}
	return redirect(w, r, "/team/rollen/"+itoa(p.ID)+"?organisation="+itoa(org)+"&hinweis=rolle-angelegt")
}

// roleFormError shows the form again with the messages, or returns the
// error when it is not about the input.
func (s *Server) roleFormError(w http.ResponseWriter, r *http.Request, fp *roleFormPage, in *domain.RoleProfile, err error) error {
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.EConflict {
		return err
	}
	fp.Errors, fp.Message = roleErrors(err, in), domain.ErrorMessage(err)
	s.render(w, r, httpx.Status(code), "roles_form", fp)
	return nil
}

// handleRole shows a profile's form with its people (GET) or saves the
// profile (POST).
func (s *Server) handleRole(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		if err := form(r); err != nil {
			return err
		}
	}
	org, err := hrOrgID(r)
	if err != nil {
		return err
	}
	p, err := s.app.Matching.RoleProfile(r.Context(), org, id)
	if err != nil {
		return err
	}
	fp, err := s.roleForm(r, org, p)
	if err != nil {
		return err
	}
	if r.Method != http.MethodPost {
		status := http.StatusOK
		if fp.Err("suche") != "" {
			status = http.StatusUnprocessableEntity
		}
		s.render(w, r, status, "roles_form", fp)
		return nil
	}
	in := readRoleForm(r, fp)
	if _, err := s.app.Matching.UpdateRoleProfile(r.Context(), org, id, in); err != nil {
		return s.roleFormError(w, r, fp, in, err)
	}
	return redirect(w, r, "/team/rollen?organisation="+itoa(org)+"&hinweis=rolle-gespeichert")
}

// handleRolePeople saves the ticks of one page of people (fields person:
// ticked, shown: every person the page listed) and returns to that page.
func (s *Server) handleRolePeople(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	org, err := hrOrgID(r)
	if err != nil {
		return err
	}
	ids := func(field string) []int64 {
		var out []int64
		for _, v := range r.PostForm[field] {
			pid, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				pid = -1
			}
			out = append(out, pid)
		}
		return out
	}
	back := url.Values{"organisation": {itoa(org)}}
	if v := r.PostForm.Get("suche"); v != "" {
		back.Set("suche", v)
	}
	if v := r.PostForm.Get("nach"); v != "" {
		back.Set("nach", v)
	}
	if _, err := s.app.Matching.AssignRolePage(r.Context(), org, id, ids("shown"), ids("person")); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p, lerr := s.app.Matching.RoleProfile(r.Context(), org, id)
		if lerr != nil {
			return lerr
		}
		r.URL.RawQuery = back.Encode()
		fp, lerr := s.roleForm(r, org, p)
		if lerr != nil {
			return lerr
		}
		fp.Errors = map[string]string{"persons": "Bitte wählen Sie nur Personen Ihrer Kommune aus."}
		if msg := domain.ErrorFields(err)["persons"]; strings.HasPrefix(msg, "Bitte ordnen") {
			fp.Errors["persons"] = msg
		}
		fp.Message = domain.ErrorMessage(err)
		s.render(w, r, http.StatusUnprocessableEntity, "roles_form", fp)
		return nil
	}
	back.Set("hinweis", "rolle-personen")
	return redirect(w, r, "/team/rollen/"+itoa(id)+"?"+back.Encode())
}

func (s *Server) handleRoleDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	org, err := hrOrgID(r)
	if err != nil {
		return err
	}
	if err := s.app.Matching.DeleteRoleProfile(r.Context(), org, id); err != nil {
		return err
	}
	return redirect(w, r, "/team/rollen?organisation="+itoa(org)+"&hinweis=rolle-geloescht")
}

type teamGapsPage struct {
	Page
	OrgID        int64
	OrgName      string
	Profiles     []domain.ProfileGaps
	MinGroupSize int
}

func (s *Server) handleTeamGaps(w http.ResponseWriter, r *http.Request) error {
	org, err := hrOrgID(r)
	if err != nil {
		return err
	}
	gs, err := s.app.Matching.TeamGaps(r.Context(), org)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "roles_gaps", &teamGapsPage{Page: s.newPage(r, "Lücken im Team"), OrgID: org, OrgName: orgName(actor(r), org),
		Profiles: gs, MinGroupSize: domain.MinGroupSize})
	return nil
}

// mayEditRoles reports whether the team page links to roles and gaps.
func mayEditRoles(a *domain.Actor, org *domain.Organisation) bool {
	return org.Kind == domain.OrgMunicipality && authz.Allowed(a, authz.RoleProfileEdit, authz.Resource{OrgID: org.ID})
}
