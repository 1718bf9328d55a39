package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// TestARoleWithManyPeopleLinksToTheTeamFilteredByIt: a role with more
// people than it names shows the first ones and "und 5 weitere Personen"
// with a link to the team overview filtered by the role, which lists its
// people and keeps the filter; the API says how many there are and
// filters the team by the profile too.
func TestARoleWithManyPeopleLinksToTheTeamFilteredByIt(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Stadt Futurehausen")
		hr := e.sessionFor("anna@futurehausen.example")
		ctx := e.actorCtx("anna@futurehausen.example")
		ids := e.sharingColleagues(fh.ID, "rolle", domain.RoleMembersShown+5, "PM.1")
		p, err := e.srv.app.Matching.CreateRoleProfile(ctx, fh.ID, &domain.RoleProfile{Name: "Bürgerbüro", Targets: []domain.RoleTarget{{Code: "PM.1", Level: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.srv.app.Matching.SetRoleMembers(ctx, fh.ID, p.ID, ids); err != nil {
			t.Fatal(err)
		}
		res, body := hr.get("/team/rollen?organisation=" + itoa(fh.ID))
		link := `/organisationen/` + itoa(fh.ID) + `/team?rolle=` + itoa(p.ID)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "und 5 weitere Personen") || !strings.Contains(body, `href="`+link+`"`) ||
			strings.Contains(body, "Person rolle 24") {
			t.Fatalf("roles page: %d, names and link missing or too many names", res.StatusCode)
		}
		res, body = hr.get(link)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "25 Einträge") || !strings.Contains(body, `name="rolle" value="`+itoa(p.ID)+`"`) ||
			!strings.Contains(body, "Person rolle 24") || strings.Contains(body, "Niklas") {
			t.Fatalf("the team filtered by the role: %d", res.StatusCode)
		}
		res, body = hr.get("/organisationen/" + itoa(fh.ID) + "/team?rolle=x")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Bitte wählen Sie eine Rolle") {
			t.Errorf("a broken role filter: %d", res.StatusCode)
		}
		res, body = hr.json("GET", "/api/v1/organisations/"+itoa(fh.ID)+"/role-profiles", "")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `"member_count":25`) {
			t.Errorf("API profiles: %d %s", res.StatusCode, body)
		}
		res, body = hr.json("GET", "/api/v1/organisations/"+itoa(fh.ID)+"/team?role_profile="+itoa(p.ID), "")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `"total":25`) {
			t.Errorf("API team by role: %d %s", res.StatusCode, body)
		}
	})
}
