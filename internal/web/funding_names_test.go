package web

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// A signatory whose name holds an emoji still gets an approved contract: the
// PDF draws what its font can and the name stays readable.
func TestApprovalWithAnEmojiInTheSignatorysName(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		org, err := e.db.OrganisationByAGS(ctx, demo.FuturehausenAGS)
		if err != nil {
			t.Fatal(err)
		}
		p := &domain.Person{Email: "lilly.mueller@futurehausen.example", Name: "Lilly 🚀 Müller"}
		if err := e.db.CreatePerson(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleSignatory}); err != nil {
			t.Fatal(err)
		}
		prog, err := e.db.Programme(ctx, programmes.BWID)
		if err != nil {
			t.Fatal(err)
		}
		lilly := e.apiAs(p.Email)
		res, body := lilly.json("POST", "/api/v1/applications", fmt.Sprintf(
			`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "basis", "provider": %d, "people": 1, "declarations": true}`, prog.ProviderIDs[0]))
		expect(t, res, body, 201)
		app := decode[domain.Application](t, body)
		path := fmt.Sprintf("/api/v1/applications/%d", app.ID)
		res, body = lilly.json("POST", path+"/submit", "")
		expect(t, res, body, 200)
		res, body = e.apiAs("pruefung@staedtetag-bw.example").json("POST", path+"/approve", "")
		expect(t, res, body, 200)
		app = decode[domain.Application](t, body)
		res, contract := lilly.get(fmt.Sprintf("/api/v1/documents/%d", app.ContractID))
		if res.StatusCode != 200 {
			t.Fatalf("contract download: %d", res.StatusCode)
		}
		if text := pdfText(t, []byte(contract)); !strings.Contains(text, "Lilly ? Müller") {
			t.Fatalf("contract does not name the signatory:\n%s", text)
		}
	})
}

// Names of the people in an application refuse control characters, with a
// German message next to the field.
func TestApplicationPersonNamesRefuseControlCharacters(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		prog, err := e.db.Programme(ctx, programmes.BWID)
		if err != nil {
			t.Fatal(err)
		}
		lilly := e.apiAs("lilly@futurehausen.example")
		res, body := lilly.json("POST", "/api/v1/applications", fmt.Sprintf(
			`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "advanced", "provider": %d, "people": 1,
			"certificates": [{"person_name": "Niklas\u0007 Neumann", "certificate": "c0ffee00-0000-4000-8000-000000000000"}]}`, prog.ProviderIDs[0]))
		expect(t, res, body, 422)
		if !strings.Contains(body, "certificates.0.person_name") || !strings.Contains(body, "Steuerzeichen") {
			t.Fatalf("control character in a name: %s", body)
		}
	})
}
