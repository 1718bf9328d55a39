package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// apiAs returns a client that authenticates with a new API token of the
// person. Tokens expire (at most a year): like an integration, the client
// gets a new token when the platform's clock has passed its expiry (tests
// travel in time).
func (e *testEnv) apiAs(email string) *client {
	e.t.Helper()
	p := e.person(email)
	c := e.client()
	c.renew = func() {
		t, value, err := e.db.CreateToken(domain.WithActor(context.Background(), &domain.Actor{Person: p}), p.ID, "Test")
		if err != nil {
			e.t.Fatal(err)
		}
		c.bearer, c.bearerUntil = value, t.ExpiresAt
	}
	c.renew()
	return c
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %T: %v in %s", v, err, body)
	}
	return v
}

func expect(t *testing.T, res *http.Response, body string, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %s", res.Request.Method, res.Request.URL.Path, res.StatusCode, status, body)
	}
}

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, content []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: cannot read the contract PDF back")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, content, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

var codeRE = regexp.MustCompile(`08999001-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}`)

func TestFundingStoryThroughTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		lilly := e.apiAs("lilly@futurehausen.example")
		anna := e.apiAs("anna@futurehausen.example")
		reviewer := e.apiAs("pruefung@staedtetag-bw.example")

		// Lilly reads her contingent: Futurehausen has 45,210 inhabitants.
		res, body := lilly.json("GET", "/api/v1/municipalities/08999001/contingent?programme=digitallotsen-bw", "")
		expect(t, res, body, 200)
		c := decode[domain.Contingent](t, body)
		if c.Total != 3 || c.Used != 0 || c.Remaining != 3 || c.Population != 45210 || c.ApplicantKind != "municipality" {
			t.Fatalf("contingent %+v", c)
		}
		res, body = lilly.json("GET", "/api/v1/programmes/"+programmes.BWID, "")
		expect(t, res, body, 200)
		prog := decode[programmeView](t, body)
		if len(prog.Providers) != 2 || prog.Providers[0].Name != programmes.Verwaltungsschule || len(prog.Contingent) != 5 {
			t.Fatalf("programme %s", body)
		}
		first, second := prog.Providers[0].ID, prog.Providers[1].ID

		// Anna (HR) prepares a draft, but cannot submit it.
		res, body = anna.json("POST", "/api/v1/applications", fmt.Sprintf(
			`{"programme": "digitallotsen-bw", "ags": "08999001", "track": "basis", "provider": %d, "people": 2, "certificates": []}`, first))
		expect(t, res, body, 201)
		app := decode[domain.Application](t, body)
		if app.Status != "draft" || app.People != 2 {
			t.Fatalf("draft %+v", app)
		}
		path := fmt.Sprintf("/api/v1/applications/%d", app.ID)
		res, body = anna.json("POST", path+"/submit", "")
		expect(t, res, body, 403)
		if !strings.Contains(body, "zeichnungsberechtigte") {
			t.Fatalf("refusal does not say why: %s", body)
		}
		// Incomplete: the declarations are missing.
		res, body = lilly.json("POST", path+"/submit", "")
		expect(t, res, body, 422)
		if !strings.Contains(body, "declarations") {
			t.Fatalf("missing declarations not named: %s", body)
		}
		res, body = lilly.json("PATCH", path, `{"people": 4}`)
		expect(t, res, body, 200)
		res, body = lilly.json("PATCH", path, `{"declarations": true}`)
		expect(t, res, body, 200)
		// Four people are more than the contingent.
		res, body = lilly.json("POST", path+"/submit", "")
		expect(t, res, body, 409)
		if !strings.Contains(body, "Kontingent reicht nicht") {
			t.Fatalf("over contingent: %s", body)
		}
		res, body = lilly.json("PATCH", path, `{"people": 2}`)
		expect(t, res, body, 200)
		res, body = lilly.json("POST", path+"/submit", "")
		expect(t, res, body, 200)
		if app = decode[domain.Application](t, body); app.Status != "submitted" || app.ReviewerName != programmes.Staedtetag {
			t.Fatalf("submitted %+v", app)
		}
		res, body = lilly.json("PATCH", path, `{"people": 1}`)
		expect(t, res, body, 409)
		_, body = lilly.json("GET", "/api/v1/municipalities/08999001/contingent?programme=digitallotsen-bw", "")
		if c = decode[domain.Contingent](t, body); c.Used != 2 || c.Remaining != 1 {
			t.Fatalf("contingent after submit %+v", c)
		}

		// Others do not see it: a participant of Futurehausen, another association's staff.
		if res, _ := e.apiAs("niklas@futurehausen.example").json("GET", path, ""); res.StatusCode != 404 {
			t.Fatalf("participant sees the application: %d", res.StatusCode)
		}
		if res, _ := e.apiAs("kurse@vwa-bw.example").json("POST", path+"/approve", ""); res.StatusCode != 404 {
			t.Fatalf("provider may approve: %d", res.StatusCode)
		}

		// The Städtetag's reviewer finds it in the queue and approves.
		res, body = reviewer.json("GET", "/api/v1/applications?status=submitted", "")
		expect(t, res, body, 200)
		queue := decode[httpx.List[domain.Application]](t, body)
		if queue.Total != 1 || queue.Items[0].ID != app.ID {
			t.Fatalf("review queue %s", body)
		}
		res, body = reviewer.json("POST", path+"/reject", `{"reason": ""}`)
		expect(t, res, body, 422)
		res, body = reviewer.json("POST", path+"/approve", "")
		expect(t, res, body, 200)
		app = decode[domain.Application](t, body)
		if app.Status != "approved" || len(app.Vouchers) != 2 || app.ContractID == 0 || app.Number == "" {
			t.Fatalf("approved %+v", app)
		}
		for _, v := range app.Vouchers {
			if !codeRE.MatchString(v.Code) || v.ValueCents != 30000 || v.State != "issued" || v.ProviderID != first {
				t.Fatalf("voucher %+v", v)
			}
		}
		res, body = reviewer.json("POST", path+"/approve", "")
		expect(t, res, body, 409)

		// Lilly's mailbox: one unread message with contract, voucher list and CSV.
		res, body = lilly.json("GET", "/api/v1/mailbox", "")
		expect(t, res, body, 200)
		box := decode[mailboxList](t, body)
		if box.Total != 1 || box.Unread != 1 {
			t.Fatalf("mailbox %s", body)
		}
		res, body = lilly.json("GET", fmt.Sprintf("/api/v1/mailbox/%d", box.Items[0].ID), "")
		expect(t, res, body, 200)
		msg := decode[domain.Message](t, body)
		if len(msg.Attachments) != 3 {
			t.Fatalf("attachments %+v", msg.Attachments)
		}
		res, contract := lilly.get(fmt.Sprintf("/api/v1/mailbox/%d/attachments/%d", msg.ID, msg.Attachments[0].ID))
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("contract download: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		text := pdfText(t, []byte(contract))
		for _, v := range app.Vouchers {
			if !strings.Contains(text, v.Code) {
				t.Errorf("contract PDF lacks code %s", v.Code)
			}
		}
		for _, want := range []string{"Weitergabevertrag", app.Number, "Futurehausen", programmes.Staedtetag, programmes.Verwaltungsschule} {
			if !strings.Contains(text, want) {
				t.Errorf("contract PDF lacks %q", want)
			}
		}
		_, csv := lilly.get(fmt.Sprintf("/api/v1/mailbox/%d/attachments/%d", msg.ID, msg.Attachments[2].ID))
		if !strings.Contains(csv, app.Vouchers[1].Code) || !strings.Contains(csv, "300,00") {
			t.Fatalf("voucher CSV: %q", csv)
		}
		_, body = lilly.json("GET", "/api/v1/mailbox", "")
		if box = decode[mailboxList](t, body); box.Unread != 0 {
			t.Fatalf("message still unread after opening: %s", body)
		}
		// Anna (HR) reads the same mailbox; the reviewer does not.
		if res, _ := anna.json("GET", fmt.Sprintf("/api/v1/mailbox/%d", msg.ID), ""); res.StatusCode != 200 {
			t.Fatalf("HR cannot read the mailbox: %d", res.StatusCode)
		}
		if res, _ := reviewer.json("GET", fmt.Sprintf("/api/v1/mailbox/%d", msg.ID), ""); res.StatusCode != 404 {
			t.Fatalf("reviewer reads the municipality's mailbox: %d", res.StatusCode)
		}

		// E-mail notices went to Lilly and Anna, without codes.
		for _, to := range []string{"lilly@futurehausen.example", "anna@futurehausen.example"} {
			m := lastMailTo(t, e, to)
			if !strings.Contains(m.Body, "/postfach") || codeRE.MatchString(m.Body) {
				t.Errorf("notice to %s: %q", to, m.Body)
			}
		}

		// The bound provider can look a code up; the other provider cannot.
		code := app.Vouchers[0].Code
		prov := e.apiAs("kurse@verwaltungsschule-bw.example")
		res, body = prov.json("GET", "/api/v1/vouchers/"+strings.ToLower(strings.ReplaceAll(code, "-", " ")), "")
		expect(t, res, body, 200)
		if v := decode[domain.Voucher](t, body); v.State != "issued" || v.AGS != "08999001" || v.ValueCents != 30000 || v.Track != "basis" {
			t.Fatalf("lookup %s", body)
		}
		other := e.apiAs("kurse@vwa-bw.example")
		res, body = other.json("GET", "/api/v1/vouchers/"+code, "")
		expect(t, res, body, 404)
		_ = second
		// A typo is caught by the check character before any lookup.
		typo := []byte(code)
		last := len(typo) - 1
		if typo[last] == 'X' {
			typo[last] = 'Y'
		} else {
			typo[last] = 'X'
		}
		res, body = prov.json("GET", "/api/v1/vouchers/"+string(typo), "")
		expect(t, res, body, 422)
		if !strings.Contains(body, "Prüfziffer") {
			t.Fatalf("typo answer: %s", body)
		}

		// Every step is in the history and the audit log.
		_, body = lilly.json("GET", path, "")
		app = decode[domain.Application](t, body)
		var steps []string
		for _, ev := range app.Events {
			steps = append(steps, ev.Action)
		}
		if got := strings.Join(steps, ","); got != "create,update,update,update,submit,approve" {
			t.Fatalf("history %s", got)
		}
		entries, _, err := e.db.Audit(context.Background(), domain.AuditFilter{Action: "voucher.issued", Limit: 10})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit of issued vouchers: %d, %v", len(entries), err)
		}
	})
}
