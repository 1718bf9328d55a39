package browsertest

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	platform "github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
)

// TestRolesGapsAndDemandPages: Anna opens the team's roles (the
// programme's templates), refuses an empty form and sees the message next
// to the field, assigns five colleagues who shared their assessment, and
// reads the team's gaps with offers and their cost after funding and the
// team overview of the role's people; Vera
// reads the demand in Futurehausen's district. Each page at 1280 and
// 320 px, with axe.
func TestRolesGapsAndDemandPages(t *testing.T) {
	chromium(t)
	axeJS, err := os.ReadFile("testdata/axe.min.js")
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t)
	db := srv.db
	bg := context.Background()
	org, err := db.OrganisationByAGS(bg, demo.FuturehausenAGS)
	if err != nil {
		t.Fatal(err)
	}
	services := platform.New(db, srv.url, nil)
	var people []int64
	for i := range 5 {
		email := fmt.Sprintf("team%d@futurehausen.example", i)
		p := &domain.Person{Email: email, Name: fmt.Sprintf("Teammitglied %d", i+1)}
		if err := db.CreatePerson(bg, p, demoPassword); err != nil {
			t.Fatal(err)
		}
		if err := db.SetRoles(bg, org.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		c := actorCtx(t, db, email)
		if _, err := services.Matching.SaveAssessment(c, &domain.Assessment{Items: []domain.AssessmentItem{{Code: "RECHT.1", Level: i % 2, Target: 2}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := services.Matching.ShareAssessment(c, org.ID); err != nil {
			t.Fatal(err)
		}
		people = append(people, p.ID)
	}
	hr := actorCtx(t, db, "anna@futurehausen.example")
	profiles, err := services.Matching.RoleProfiles(hr, org.ID)
	if err != nil {
		t.Fatal(err)
	}
	var lotse int64
	for _, p := range profiles {
		if p.Template == "digitallotse" {
			lotse = p.ID
		}
	}
	if _, err := services.Matching.SetRoleMembers(hr, org.ID, lotse, people); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(lotse, 10)

	for _, width := range []int{1280, reflowWidth} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			check, wantText := pageChecks(t, string(axeJS), width)
			ctx := testContext(t)
			anna := newBrowser(t, ctx)
			if width == reflowWidth {
				narrow(t, anna)
			}
			login(t, anna, srv.url, "anna@futurehausen.example", "Anna Albrecht")
			navigate(t, anna, srv.url+"/organisationen/"+strconv.FormatInt(org.ID, 10)+"/team", 200)
			submit(t, anna, "follow the link to the roles", chromedp.Click(chromedp.CSS(`a[href^="/team/rollen"]`)))
			wantText(anna, "roles", "Rollen im Team", "Digitallotse/Digitallotsin", "Teammitglied 1")
			check(anna, "1-rollen")
			navigate(t, anna, srv.url+"/team/rollen/neu", 200)
			submit(t, anna, "create a role without a name", chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
			if msg := eval[string](t, anna, `(document.getElementById('f-name-error') || {}).innerText || ''`); msg != "Bitte geben Sie der Rolle einen Namen." {
				t.Fatalf("message next to the name: %q\n%s", msg, abbrev(pageText(t, anna)))
			}
			check(anna, "2-rolle-fehler")
			navigate(t, anna, srv.url+"/team/rollen/"+id, 200)
			wantText(anna, "the pilot role's form", "Zielstufe je Kompetenz", "Personen in dieser Rolle")
			check(anna, "3-rolle")
			navigate(t, anna, srv.url+"/team/luecken", 200)
			wantText(anna, "gaps", "Lücken im Team", "5 Personen zugeordnet", "nach Förderung")
			check(anna, "4-luecken")
			navigate(t, anna, srv.url+"/organisationen/"+strconv.FormatInt(org.ID, 10)+"/team?rolle="+id, 200)
			wantText(anna, "the team of the role", "Es werden nur die Personen einer Rolle im Team gezeigt.", "Teammitglied 5", "5 Einträge")
			check(anna, "4b-team-der-rolle")

			vera := newBrowser(t, ctx)
			if width == reflowWidth {
				narrow(t, vera)
			}
			login(t, vera, srv.url, "kurse@vwa-bw.example", "Vera Weiterbildung")
			navigate(t, vera, srv.url+"/anbieter/nachfrage?kreis="+demo.FuturehausenAGS[:5], 200)
			wantText(vera, "demand", "Nachfrage in Ihrer Region", "weniger als 5")
			check(vera, "5-nachfrage")
		})
	}
}
