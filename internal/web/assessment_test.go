package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// TestAssessmentFormGuidesKeepsInputAndShares: the first step offers the
// topics, the form shows only the chosen ones, a refused form keeps what
// was entered with the message next to the field, a saved one shows the
// gaps, and sharing makes it visible to HR until it is withdrawn.
func TestAssessmentFormGuidesKeepsInputAndShares(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Futurehausen")
		nk := e.sessionFor("niklas@futurehausen.example")
		res, body := nk.get("/selbsteinschaetzung")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Welche Themen sind Ihnen wichtig?") {
			t.Fatalf("first visit: %d, no first step", res.StatusCode)
		}
		_, body = nk.get("/selbsteinschaetzung/bearbeiten?bereich=PM&bereich=KI")
		if !strings.Contains(body, `name="level_PM.1"`) || !strings.Contains(body, `name="target_KI.2"`) || strings.Contains(body, `name="level_SEC.1"`) {
			t.Fatal("the form does not show exactly the chosen topics")
		}
		// A bad distance and a level out of range: refused, input kept.
		res, body = nk.postFormBody("/selbsteinschaetzung/bearbeiten", url.Values{"codes": {"PM.1", "KI.1"},
			"level_PM.1": {"1"}, "target_PM.1": {"2"}, "level_KI.1": {"7"}, "target_KI.1": {"2"},
			"goals": {"OZG-Projekt leiten"}, "region": {"nearby"}, "max_distance_km": {"weit"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad form: %d", res.StatusCode)
		}
		for _, want := range []string{"Bitte geben Sie die Entfernung als ganze Zahl", `value="weit"`, "OZG-Projekt leiten", `id="region-nearby" name="region" value="nearby" checked`} {
			if !strings.Contains(body, want) {
				t.Errorf("refused form lacks %q", want)
			}
		}
		res, body = nk.postFormBody("/selbsteinschaetzung/bearbeiten", url.Values{"codes": {"PM.1", "KI.1"},
			"level_PM.1": {"1"}, "target_PM.1": {"2"}, "level_KI.1": {"7"}, "target_KI.1": {"2"}, "max_distance_km": {"40"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-level_KI.1-error"`) {
			t.Fatalf("level 7: %d, message not next to the field", res.StatusCode)
		}
		res = nk.postForm("/selbsteinschaetzung/bearbeiten", url.Values{"codes": {"PM.1", "KI.1"},
			"level_PM.1": {"1"}, "target_PM.1": {"2"}, "level_KI.1": {"0"}, "target_KI.1": {"2"}, "region": {"nearby"}, "max_distance_km": {"40"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save: %d", res.StatusCode)
		}
		_, body = nk.get("/selbsteinschaetzung")
		if !strings.Contains(body, "Klassisches Projektmanagement: heute Stufe 1 (Grundlagen), Ziel Stufe 2 (Anwendung)") {
			t.Fatal("the overview does not show the gap")
		}
		// Saving one topic keeps the others.
		nk.postForm("/selbsteinschaetzung/bearbeiten", url.Values{"codes": {"SEC.2"}, "level_SEC.2": {"1"}, "target_SEC.2": {"3"}})
		api := e.apiAs("niklas@futurehausen.example")
		res, body = api.json("GET", "/api/v1/me/assessment", "")
		a := decode[domain.Assessment](t, body)
		if res.StatusCode != http.StatusOK || len(a.Items) != 3 || a.Preferences.Region != "" {
			t.Fatalf("after saving one topic: %d %+v", res.StatusCode, a)
		}
		hr := e.apiAs("anna@futurehausen.example")
		list := fmt.Sprintf("/api/v1/organisations/%d/assessments", fh.ID)
		if _, body := hr.json("GET", list, ""); decode[struct{ Total int }](t, body).Total != 0 {
			t.Fatalf("HR sees an unshared assessment: %s", body)
		}
		if res := nk.postForm("/selbsteinschaetzung/teilen", url.Values{"organisation": {fmt.Sprint(fh.ID)}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("share: %d", res.StatusCode)
		}
		hrPage := e.sessionFor("anna@futurehausen.example")
		_, body = hrPage.get(fmt.Sprintf("/organisationen/%d/selbsteinschaetzungen", fh.ID))
		if !strings.Contains(body, "Datenschutz: Stufe 1 → Ziel 3") || !strings.Contains(body, "erst ab 5 geteilten") {
			t.Fatal("HR's page lacks the shared gaps or the group-size note")
		}
		if res, _ := nk.get(fmt.Sprintf("/organisationen/%d/selbsteinschaetzungen", fh.ID)); res.StatusCode != http.StatusForbidden {
			t.Fatalf("a participant opens HR's list: %d", res.StatusCode)
		}
		res, body = api.json("DELETE", "/api/v1/me/assessment/share", fmt.Sprintf(`{"organisation": %d}`, fh.ID))
		if res.StatusCode != http.StatusOK || len(decode[domain.Assessment](t, body).Shares) != 0 {
			t.Fatalf("withdraw: %d %s", res.StatusCode, body)
		}
		if _, body := hr.json("GET", list, ""); decode[struct{ Total int }](t, body).Total != 0 {
			t.Fatalf("HR still sees it after the withdrawal: %s", body)
		}
	})
}

// TestAssessmentAPIValidatesAgainstTheFramework: German field messages
// with 422, 400 for a body that is not the JSON of the call, 401 without
// login, and the share through the API.
func TestAssessmentAPIValidatesAgainstTheFramework(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		api := e.apiAs("niklas@futurehausen.example")
		res, body := api.json("GET", "/api/v1/me/assessment", "")
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "noch keine Selbsteinschätzung") {
			t.Fatalf("before saving: %d %s", res.StatusCode, body)
		}
		res, body = api.json("PUT", "/api/v1/me/assessment", `{"items": [{"code": "PM", "level": 1, "target": 2}, {"code": "KI.1", "level": 1, "target": 5}], "preferences": {"formats": ["zirkus"]}}`)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("invalid: %d %s", res.StatusCode, body)
		}
		f := decode[struct {
			Error struct {
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}](t, body).Error.Fields
		if !strings.Contains(f["items.0.code"], "gibt es im Kompetenzrahmen nicht") || f["items.1.target"] == "" || f["preferences.formats"] == "" {
			t.Fatalf("fields %v", f)
		}
		if res, _ := api.json("PUT", "/api/v1/me/assessment", `{"items": [{"code": "PM.1", "level": "zwei"}]}`); res.StatusCode != http.StatusBadRequest {
			t.Fatalf("a string level: %d", res.StatusCode)
		}
		res, body = api.json("PUT", "/api/v1/me/assessment", `{"items": [{"code": "PM.1", "level": 1, "target": 2}], "goals": "Projekte leiten", "preferences": {"region": "online", "budget_cents": 5000}}`)
		if res.StatusCode != http.StatusOK || decode[domain.Assessment](t, body).Items[0].Name != "Klassisches Projektmanagement" {
			t.Fatalf("save: %d %s", res.StatusCode, body)
		}
		fh := e.orgByName("Futurehausen")
		res, body = api.json("POST", "/api/v1/me/assessment/share", fmt.Sprintf(`{"organisation": %d}`, fh.ID))
		if res.StatusCode != http.StatusOK || len(decode[domain.Assessment](t, body).Shares) != 1 || decode[domain.Assessment](t, body).Shares[0].OrgID != fh.ID {
			t.Fatalf("share: %d %s", res.StatusCode, body)
		}
		kb := e.orgByName("Gemeinde Kleinbach")
		if res, _ := api.json("POST", "/api/v1/me/assessment/share", fmt.Sprintf(`{"organisation": %d}`, kb.ID)); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("share with a foreign municipality: %d", res.StatusCode)
		}
		if res, _ := e.client().json("GET", "/api/v1/me/assessment", ""); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("anonymous: %d", res.StatusCode)
		}
		// The assessment is never in the audit log's details.
		entries, _, err := e.db.Audit(context.Background(), domain.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range entries {
			if strings.HasPrefix(en.Action, "assessment.") && strings.Contains(en.Detail, "Projekte") {
				t.Fatalf("the audit log keeps the goals: %+v", en)
			}
		}
	})
}

// TestAssessmentStartsFromARoleProfile: the first step offers the
// municipality's role profiles (seeded from the shipped ones, or HR's
// own); picking one shows its competences with the targets prefilled, and
// the API lists the same profiles without their members.
func TestAssessmentStartsFromARoleProfile(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		fh := e.orgByName("Futurehausen")
		nk := e.sessionFor("niklas@futurehausen.example")
		_, body := nk.get("/selbsteinschaetzung")
		if !strings.Contains(body, "Von einer Rolle ausgehen") || !strings.Contains(body, `value="v-digitallotse"`) {
			t.Fatal("the first step offers no shipped role profile before HR opened the roles")
		}
		_, body = nk.get("/selbsteinschaetzung/bearbeiten?rolle=v-digitallotse")
		if !strings.Contains(body, "Ziele aus der Rolle „Digitallotse/Digitallotsin“") {
			t.Fatal("the form does not say which role filled the targets")
		}
		// PM.1's target 2 is preselected; KI.1's target 1.
		for code, level := range map[string]int{"PM.1": 2, "KI.1": 1} {
			sel := regexp.MustCompile(`(?s)name="target_` + regexp.QuoteMeta(code) + `".*?</select>`).FindString(body)
			if !strings.Contains(sel, fmt.Sprintf(`<option value="%d" selected>`, level)) {
				t.Errorf("target of %s not prefilled with %d: %s", code, level, sel)
			}
		}
		if strings.Contains(body, `name="level_NEWWORK.1"`) {
			t.Error("the form shows an area the role does not need")
		}
		// HR opens the roles (copying the templates) and renames one:
		// Niklas now starts from the municipality's own profile.
		hr := e.apiAs("anna@futurehausen.example")
		res, body := hr.json("GET", fmt.Sprintf("/api/v1/organisations/%d/role-profiles", fh.ID), "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("role profiles: %d %s", res.StatusCode, body)
		}
		var lotse domain.RoleProfile
		for _, p := range decode[struct{ Items []domain.RoleProfile }](t, body).Items {
			if p.Template == "digitallotse" {
				lotse = p
			}
		}
		if lotse.ID == 0 {
			t.Fatalf("no copy of the pilot role: %s", body)
		}
		lotse.Name = "Digitallotse Futurehausen"
		in, _ := json.Marshal(lotse)
		if res, body := hr.json("PUT", fmt.Sprintf("/api/v1/organisations/%d/role-profiles/%d", fh.ID, lotse.ID), string(in)); res.StatusCode != http.StatusOK {
			t.Fatalf("rename: %d %s", res.StatusCode, body)
		}
		api := e.apiAs("niklas@futurehausen.example")
		res, body = api.json("GET", "/api/v1/me/assessment/role-profiles", "")
		items := decode[struct{ Items []domain.RoleProfile }](t, body).Items
		if res.StatusCode != http.StatusOK || len(items) == 0 {
			t.Fatalf("starting profiles: %d %s", res.StatusCode, body)
		}
		found := false
		for _, p := range items {
			found = found || (p.ID == lotse.ID && p.Name == "Digitallotse Futurehausen" && len(p.Targets) > 0)
			if len(p.Members) != 0 {
				t.Errorf("a starting profile shows its members: %+v", p)
			}
		}
		if !found {
			t.Fatalf("the municipality's own profile is missing: %s", body)
		}
		_, body = nk.get(fmt.Sprintf("/selbsteinschaetzung/bearbeiten?rolle=r-%d", lotse.ID))
		if !strings.Contains(body, "Ziele aus der Rolle „Digitallotse Futurehausen“") {
			t.Fatal("the form does not start from the municipality's profile")
		}
		// An unknown role is ignored, not an error.
		if res, body := nk.get("/selbsteinschaetzung/bearbeiten?rolle=r-999999"); res.StatusCode != http.StatusOK || strings.Contains(body, "Ziele aus der Rolle") {
			t.Fatalf("unknown role: %d", res.StatusCode)
		}
	})
}
