package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// sharingColleagues creates n members of org who shared an assessment
// with a gap in code (level 0, target 2) and returns their IDs.
func (e *testEnv) sharingColleagues(org int64, prefix string, n int, code string) []int64 {
	e.t.Helper()
	var ids []int64
	for i := range n {
		email := fmt.Sprintf("%s%d@futurehausen.example", prefix, i)
		p := &domain.Person{Email: email, Name: fmt.Sprintf("Person %s %d", prefix, i)}
		if err := e.db.CreatePerson(context.Background(), p, testPassword); err != nil {
			e.t.Fatal(err)
		}
		if err := e.db.SetRoles(context.Background(), org, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			e.t.Fatal(err)
		}
		ctx := e.actorCtx(email)
		if _, err := e.srv.app.Matching.SaveAssessment(ctx, &domain.Assessment{Items: []domain.AssessmentItem{{Code: code, Level: 0, Target: 2}}}); err != nil {
			e.t.Fatal(err)
		}
		if _, err := e.srv.app.Matching.ShareAssessment(ctx, org); err != nil {
			e.t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	return ids
}

// TestRoleProfilesAPI: HR lists the templates as the municipality's
// profiles, creates one (refused input with field messages), changes it,
// assigns members only and deletes it; another municipality's HR is
// refused and cannot reach the profile through its own organisation.
func TestRoleProfilesAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		base := "/api/v1/organisations/" + itoa(fh.ID) + "/role-profiles"
		hr := e.sessionFor("anna@futurehausen.example")
		res, body := hr.json("GET", base, "")
		expect(t, res, body, http.StatusOK)
		list := decode[struct{ Items []domain.RoleProfile }](t, body)
		if len(list.Items) != 3 || !strings.Contains(body, "Digitallotse/Digitallotsin") {
			t.Fatalf("templates: %s", body)
		}
		res, body = hr.json("POST", base, `{"name": "", "targets": [{"code": "PM.1", "level": 5}, {"code": "NOPE.1", "level": 1}]}`)
		expect(t, res, body, http.StatusUnprocessableEntity)
		fields := decode[apiError](t, body).Error.Fields
		if fields["name"] == "" || !strings.Contains(fields["targets.0.level"], "zwischen 1 und 3") || fields["targets.1.code"] == "" {
			t.Fatalf("fields %v", fields)
		}
		res, body = hr.json("POST", base, `{"name": "Bauamt digital", "description": "Bauanträge online", "targets": [{"code": "PROZ.2", "level": 2}]}`)
		expect(t, res, body, http.StatusCreated)
		p := decode[domain.RoleProfile](t, body)
		one := base + "/" + itoa(p.ID)
		res, body = hr.json("PUT", one, `{"name": "Bauamt digital", "targets": [{"code": "PROZ.2", "level": 3}, {"code": "KI.1", "level": 1}]}`)
		expect(t, res, body, http.StatusOK)
		if p = decode[domain.RoleProfile](t, body); len(p.Targets) != 2 || p.Target("PROZ.2") != 3 {
			t.Fatalf("updated %+v", p)
		}
		niklas, vera := e.person("niklas@futurehausen.example"), e.person("kurse@vwa-bw.example")
		res, body = hr.json("PUT", one+"/members", fmt.Sprintf(`{"persons": [%d, %d]}`, niklas.ID, vera.ID))
		expect(t, res, body, http.StatusUnprocessableEntity)
		if decode[apiError](t, body).Error.Fields["persons.1"] == "" {
			t.Fatalf("stranger assigned: %s", body)
		}
		res, body = hr.json("PUT", one+"/members", fmt.Sprintf(`{"persons": [%d]}`, niklas.ID))
		expect(t, res, body, http.StatusOK)
		if p = decode[domain.RoleProfile](t, body); len(p.Members) != 1 || p.Members[0].PersonID != niklas.ID {
			t.Fatalf("members %+v", p.Members)
		}
		// Another municipality's HR.
		kb := e.orgByName("Gemeinde Kleinbach")
		other := &domain.Person{Email: "personal@kleinbach.example", Name: "Kai Kleinbach"}
		if err := e.db.CreatePerson(context.Background(), other, testPassword); err != nil {
			t.Fatal(err)
		}
		if err := e.db.SetRoles(context.Background(), kb.ID, other.ID, []domain.Role{domain.RoleHR}); err != nil {
			t.Fatal(err)
		}
		khr := e.sessionFor("personal@kleinbach.example")
		res, body = khr.json("GET", one, "")
		expect(t, res, body, http.StatusForbidden)
		res, body = khr.json("GET", "/api/v1/organisations/"+itoa(kb.ID)+"/role-profiles/"+itoa(p.ID), "")
		expect(t, res, body, http.StatusNotFound)
		res, body = khr.json("GET", "/api/v1/organisations/"+itoa(fh.ID)+"/gaps", "")
		expect(t, res, body, http.StatusForbidden)
		res, body = hr.json("DELETE", one, "")
		expect(t, res, body, http.StatusNoContent)
		res, body = hr.json("GET", one, "")
		expect(t, res, body, http.StatusNotFound)
	})
}

// TestTeamGapsPageAndAPI: the gaps page and API show the gaps of those who
// shared, hide the aggregates below five people and show them at five,
// with offers and their cost after funding; the team page links there.
func TestTeamGapsPageAndAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		hr := e.sessionFor("anna@futurehausen.example")
		_, body := hr.get("/organisationen/" + itoa(fh.ID) + "/team")
		if !strings.Contains(body, `href="/team/luecken?organisation=`+itoa(fh.ID)+`"`) || !strings.Contains(body, "Rollen im Team") {
			t.Fatalf("the team page does not link to roles and gaps")
		}
		ids := e.sharingColleagues(fh.ID, "gap", 4, "PM.1")
		ctx := e.actorCtx("anna@futurehausen.example")
		p, err := e.srv.app.Matching.CreateRoleProfile(ctx, fh.ID, &domain.RoleProfile{Name: "Projektteam", Targets: []domain.RoleTarget{{Code: "PM.1", Level: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.srv.app.Matching.SetRoleMembers(ctx, fh.ID, p.ID, ids); err != nil {
			t.Fatal(err)
		}
		res, body := hr.get("/team/luecken")
		expect(t, res, body, http.StatusOK)
		text := pageText(body)
		if !strings.Contains(text, "Projektteam") || !strings.Contains(text, "erst ab 5 Personen") || !strings.Contains(text, "Person gap 0") {
			t.Fatalf("gaps page for four: %.2000s", text)
		}
		if bad := badWording(body); bad != nil {
			t.Fatalf("wording: %q", bad)
		}
		more := e.sharingColleagues(fh.ID, "gapfive", 1, "PM.1")
		if _, err := e.srv.app.Matching.SetRoleMembers(ctx, fh.ID, p.ID, append(ids, more...)); err != nil {
			t.Fatal(err)
		}
		_, body = hr.get("/team/luecken?organisation=" + itoa(fh.ID))
		text = pageText(body)
		if !strings.Contains(text, "5 von 5") || !strings.Contains(text, "2,0 Stufen") || !strings.Contains(text, "nach Förderung") {
			t.Fatalf("gaps page for five: %.3000s", text)
		}
		res, body = hr.json("GET", "/api/v1/organisations/"+itoa(fh.ID)+"/gaps", "")
		expect(t, res, body, http.StatusOK)
		g := decode[struct {
			MinGroupSize int                  `json:"min_group_size"`
			Profiles     []domain.ProfileGaps `json:"profiles"`
		}](t, body)
		found := false
		for _, pg := range g.Profiles {
			if pg.ProfileID != p.ID {
				continue
			}
			found = true
			c := pg.Competences[0]
			if g.MinGroupSize != 5 || pg.Shared != 5 || c.WithGap == nil || *c.WithGap != 5 || len(c.Offers) == 0 {
				t.Fatalf("gaps %+v", pg)
			}
			for _, o := range c.Offers {
				if o.CostCents != max(0, o.PriceCents-o.FundingCents) || o.Level < 2 {
					t.Fatalf("offer %+v", o)
				}
			}
		}
		if !found {
			t.Fatalf("profile missing: %s", body)
		}
	})
}

// TestRoleFormKeepsInputAndAssigns: a refused profile comes back with the
// messages next to the fields and the input kept; a good one is created
// and people are assigned with the checkboxes.
func TestRoleFormKeepsInputAndAssigns(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		hr := e.sessionFor("anna@futurehausen.example")
		res, body := hr.get("/team/rollen")
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(body, "Digitallotse/Digitallotsin") || !strings.Contains(body, "Sachbearbeitung Bürgerbüro") {
			t.Fatalf("templates missing on the list")
		}
		res, body = hr.postFormBody("/team/rollen/neu?organisation="+itoa(fh.ID), url.Values{"name": {"Führungskraft"}, "description": {"Leitung"}, "ziel_PM.1": {"2"}})
		expect(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "Eine Rolle mit diesem Namen gibt es schon") || !strings.Contains(body, `value="Führungskraft"`) {
			t.Fatalf("taken name: %.2000s", pageText(body))
		}
		res, body = hr.postFormBody("/team/rollen/neu", url.Values{"name": {"Datenschutz"}, "description": {"Beauftragte"}})
		expect(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "mindestens eine Kompetenz") || !strings.Contains(body, ">Beauftragte</textarea>") {
			t.Fatalf("no targets: %.2000s", pageText(body))
		}
		res = hr.postForm("/team/rollen/neu", url.Values{"name": {"Datenschutz"}, "ziel_SEC.2": {"3"}, "ziel_SEC.1": {"0"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		loc := res.Header.Get("Location")
		res, body = hr.get(loc)
		expect(t, res, body, http.StatusOK)
		if !strings.Contains(body, `<option value="3" selected>Stufe 3: Expertise</option>`) || !strings.Contains(body, "Die Rolle ist angelegt") {
			t.Fatalf("form after create: %.3000s", pageText(body))
		}
		id := strings.TrimPrefix(strings.Split(loc, "?")[0], "/team/rollen/")
		niklas := e.person("niklas@futurehausen.example")
		res = hr.postForm("/team/rollen/"+id+"/personen", url.Values{"person": {itoa(niklas.ID)}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("assign: %d", res.StatusCode)
		}
		_, body = hr.get("/team/rollen")
		if !strings.Contains(pageText(body), "Personen: Niklas Neumann") {
			t.Fatalf("assignment not shown: %.3000s", pageText(body))
		}
		res, body = hr.postFormBody("/team/rollen/"+id+"/personen", url.Values{"person": {itoa(e.person("kurse@vwa-bw.example").ID)}})
		expect(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "nur Personen Ihrer Kommune") {
			t.Fatalf("stranger: %.2000s", pageText(body))
		}
		res = hr.postForm("/team/rollen/"+id+"/loeschen", url.Values{})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.StatusCode)
		}
		res, _ = hr.get("/team/rollen/" + id)
		if res.StatusCode != http.StatusNotFound {
			t.Fatalf("deleted profile: %d", res.StatusCode)
		}
		// A participant has no role pages.
		res, _ = e.sessionFor("niklas@futurehausen.example").get("/team/rollen")
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("participant: %d", res.StatusCode)
		}
	})
}

// TestDemandPageAndAPI: the provider's staff see the demand in a district
// with counts below five hidden and five shown; another provider gets
// 403; empty catalog searches count, without the person.
func TestDemandPageAndAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		vwa := e.orgByName("Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg")
		district := fh.AGS[:5]
		vera := e.sessionFor("kurse@vwa-bw.example")
		api := "/api/v1/providers/" + itoa(vwa.ID) + "/demand?district=" + district
		res, body := vera.json("GET", api, "")
		expect(t, res, body, http.StatusOK)
		d := decode[domain.Demand](t, body)
		if d.District != district || len(d.Areas) == 0 || !strings.Contains(body, `"count":null`) && !strings.Contains(body, `"count":null`) {
			t.Fatalf("demand: %.1500s", body)
		}
		area := d.Areas[0].Code
		e.sharingColleagues(fh.ID, "demand", 5, area+".1")
		// Empty searches through the catalog page, by a member of
		// Futurehausen: five, the same words.
		nk := e.sessionFor("niklas@futurehausen.example")
		for range 5 {
			res, _ := nk.get("/angebote?q=Quastenflosser&competence=" + area)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("search: %d", res.StatusCode)
			}
		}
		e.client().get("/angebote?q=Quastenflosser")
		e.client().get("/angebote?q=Verwaltung")
		misses, err := e.db.SearchMisses(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(misses) != 2 || misses[0][1] != "" || misses[0][2] != "quastenflosser" || misses[1][1] != district || misses[1][4] != "5" || misses[1][3] != area {
			t.Fatalf("misses %v", misses)
		}
		res, body = vera.json("GET", api, "")
		expect(t, res, body, http.StatusOK)
		d = decode[domain.Demand](t, body)
		for _, a := range d.Areas {
			if a.Code != area {
				continue
			}
			for _, s := range a.Signals {
				want := 5
				if s.Kind == domain.DemandRoleGaps || s.Kind == domain.DemandWaitingLists || s.Kind == domain.DemandFundingRequests {
					if !s.BelowThreshold || s.Count != nil {
						t.Fatalf("%s shown: %+v", s.Kind, s)
					}
					continue
				}
				if s.BelowThreshold || s.Count == nil || *s.Count != want {
					t.Fatalf("%s: %+v", s.Kind, s)
				}
			}
		}
		res, body = vera.get("/anbieter/nachfrage?kreis=" + district)
		expect(t, res, body, http.StatusOK)
		text := pageText(body)
		if !strings.Contains(text, "weniger als 5") || !strings.Contains(text, "„quastenflosser“") {
			t.Fatalf("page: %.3000s", text)
		}
		if bad := badWording(body); bad != nil {
			t.Fatalf("wording: %q", bad)
		}
		res, body = vera.get("/anbieter/nachfrage?kreis=99999")
		expect(t, res, body, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "Bitte wählen Sie einen Kreis aus der Liste.") {
			t.Fatalf("bad district: %.2000s", pageText(body))
		}
		karl := e.sessionFor("kurse@verwaltungsschule-bw.example")
		res, body = karl.json("GET", api, "")
		expect(t, res, body, http.StatusForbidden)
		res, _ = karl.get("/anbieter/nachfrage?anbieter=" + itoa(vwa.ID))
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("other provider's page: %d", res.StatusCode)
		}
	})
}
