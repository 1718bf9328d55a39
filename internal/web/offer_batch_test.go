package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// importTestFeed is a feed of twelve publishers' courses, three without
// hours, with HTML, keywords, dates and one course without a name.
func importTestFeed(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("../catalog/testdata/feed-12-publishers.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fullChecklist() []string {
	var all []string
	for _, c := range catalog.ReviewChecklist {
		all = append(all, c.Key)
	}
	return all
}

func jsonIDs(ids []int64) string {
	b, _ := json.Marshal(ids)
	return string(b)
}

// auditCount counts the audit entries of an action.
func auditCount(t *testing.T, e *testEnv, action string) int {
	t.Helper()
	_, n, err := e.db.Audit(context.Background(), domain.AuditFilter{Action: action, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

type batchResult struct {
	Done   int                   `json:"done"`
	Offers []domain.BatchOutcome `json:"offers"`
}

// TestImportThenAssignCompetencesThroughTheAPI: the import answers with
// drafts and refused courses by JSON pointer; competences go to several
// drafts at once, only the provider's own; a draft complete afterwards goes
// to the quality review.
func TestImportThenAssignCompetencesThroughTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		vwa := e.apiAs("kurse@vwa-bw.example")
		res, body := vwa.json("POST", "/api/v1/moochub/import", string(importTestFeed(t)))
		expect(t, res, body, 200)
		r := decode[domain.ImportResult](t, body)
		if len(r.Created) != 12 || len(r.Drafts) != 12 || len(r.Refused) != 1 || r.SessionsCreated != 3 ||
			r.Refused[0].Problems[0].Pointer != "/data/7/attributes/name" || r.Refused[0].FeedID != "FEED-KAPUTT" {
			t.Fatalf("import answer: %s", body)
		}
		for _, key := range []string{`"draft_reasons"`, `"refused"`, `"courses"`, `"sessions_created"`, `"/data/2/attributes/duration"`} {
			if !strings.Contains(body, key) {
				t.Errorf("answer lacks %s", key)
			}
		}
		// Publisher and keywords are in the offer's JSON.
		res, body = vwa.json("GET", fmt.Sprintf("/api/v1/offers/%d", r.Created[0]), "")
		expect(t, res, body, 200)
		if o := decode[domain.Offer](t, body); o.Publisher != "Hochschule für öffentliche Verwaltung Kehl" || len(o.Keywords) != 3 {
			t.Fatalf("imported offer: %s", body)
		}

		// Staff of another provider neither see nor change the drafts.
		vs := e.apiAs("kurse@verwaltungsschule-bw.example")
		res, body = vs.json("POST", "/api/v1/provider/offers/competences", `{"ids": `+jsonIDs(r.Created[:2])+`, "competences": [{"code": "EGOV.1", "level": 2}]}`)
		expect(t, res, body, 404)
		// One foreign offer in the batch refuses the whole batch.
		vsPID := e.orgByName("Verwaltungsschule des Gemeindetags Baden-Württemberg").ID
		foreign, _, err := e.db.Offers(t.Context(), store.OfferFilter{ProviderID: vsPID, Status: domain.OfferPublished, Limit: 1})
		if err != nil || len(foreign) == 0 {
			t.Fatalf("an offer of the other provider: %v", err)
		}
		res, body = vwa.json("POST", "/api/v1/provider/offers/competences",
			`{"ids": `+jsonIDs(append(slices.Clone(r.Created[:2]), foreign[0].ID))+`, "competences": [{"code": "EGOV.1", "level": 2}]}`)
		expect(t, res, body, 403)
		if !strings.Contains(body, "Nur Mitarbeitende des Bildungsträgers") {
			t.Fatalf("foreign offer message: %s", body)
		}
		for _, id := range r.Created[:2] {
			if o, _ := e.db.Offer(t.Context(), id); len(o.Competences) != 0 || o.Status != domain.OfferDraft {
				t.Fatalf("refused batch changed offer %d: %+v", id, o.Competences)
			}
		}
		// Bad competences are refused with a German message.
		res, body = vwa.json("POST", "/api/v1/provider/offers/competences", `{"ids": `+jsonIDs(r.Created)+`, "competences": [{"code": "GIBTESNICHT", "level": 2}]}`)
		expect(t, res, body, 422)
		if !strings.Contains(body, "gibt es im Kompetenzrahmen nicht") {
			t.Fatalf("unknown competence: %s", body)
		}
		// All twelve at once: the self-paced course with hours and
		// outcomes is complete and goes to the review; the others lack days
		// or hours and stay drafts, saying what.
		audits := auditCount(t, e, "offer.competences")
		res, body = vwa.json("POST", "/api/v1/provider/offers/competences", `{"ids": `+jsonIDs(r.Created)+`, "competences": [{"code": "EGOV.1", "level": 2}]}`)
		expect(t, res, body, 200)
		br := decode[batchResult](t, body)
		if br.Done != 12 || len(br.Offers) != 12 {
			t.Fatalf("batch: %s", body)
		}
		inReview := 0
		for _, o := range br.Offers {
			switch o.Status {
			case domain.OfferInReview:
				inReview++
				if o.Title != "Barrierefreie Dokumente" {
					t.Errorf("in review: %+v", o)
				}
			case domain.OfferDraft:
				if !strings.HasPrefix(o.Reason, "Noch zu ergänzen: ") {
					t.Errorf("draft without reason: %+v", o)
				}
			}
		}
		if inReview != 1 {
			t.Fatalf("%d offers in review after the batch: %s", inReview, body)
		}
		if n := auditCount(t, e, "offer.competences"); n != audits+12 {
			t.Fatalf("audit entries %d, want %d", n, audits+12)
		}
		o, _ := e.db.Offer(t.Context(), r.Created[0])
		if len(o.Competences) != 1 || o.Competences[0].Level != 2 || o.Status != domain.OfferDraft || !strings.Contains(o.ReviewComment, "Tage") {
			t.Fatalf("after the batch: %+v %s %q", o.Competences, o.Status, o.ReviewComment)
		}
		// A second round leaves offers in review alone and says why.
		res, body = vwa.json("POST", "/api/v1/provider/offers/competences", `{"ids": `+jsonIDs(r.Created)+`, "competences": [{"code": "EGOV.1", "level": 3}]}`)
		expect(t, res, body, 200)
		if br := decode[batchResult](t, body); br.Done != 11 || !strings.Contains(body, "Kein Entwurf (In Qualitätsprüfung)") {
			t.Fatalf("second round: %s", body)
		}
	})
}

// TestBatchPublishThroughTheAPI: the checklist once for the batch; without
// it nothing is published; with it each offer in review is published with
// its own audit entry, the others are listed with why not.
func TestBatchPublishThroughTheAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		vwa := e.apiAs("kurse@vwa-bw.example")
		var ids []int64
		for i, kw := range []string{`["E-Akte", " e-akte ", "Schriftgut,verwaltung"]`, `["Quokkapflege"]`} {
			res, body := vwa.json("POST", "/api/v1/offers", fmt.Sprintf(`{"code": "BATCH-%d", "title": "Sammelprüfung Kurs %d",
				"summary": "Ein Kurs, der mit anderen zusammen geprüft wird.", "description": "%s",
				"outcomes": ["Prüfen"], "competences": [{"code": "EGOV.1", "level": 1}], "level": "basic", "format": "self_paced",
				"language": "de", "hours": 4, "certificate": "participation", "price_cents": 0, "keywords": %s}`,
				i, i, strings.Repeat("Eine ausführliche Beschreibung. ", 3), kw))
			expect(t, res, body, 201)
			o := decode[domain.Offer](t, body)
			ids = append(ids, o.ID)
			if i == 0 && !slices.Equal(o.Keywords, []string{"E-Akte", "Schriftgut verwaltung"}) {
				t.Fatalf("keywords normalised: %q", o.Keywords)
			}
		}
		admin := e.apiAs("admin@lotse.example")
		// Providers do not review.
		res, body := vwa.json("POST", "/api/v1/review/offers/publish", `{"ids": `+jsonIDs(ids)+`, "checklist": []}`)
		expect(t, res, body, 403)
		// Without the whole checklist nothing is published.
		res, body = admin.json("POST", "/api/v1/review/offers/publish", `{"ids": `+jsonIDs(ids)+`, "checklist": ["content", "price"]}`)
		expect(t, res, body, 422)
		if !strings.Contains(body, "Bitte bestätigen Sie alle Punkte der Prüfliste") {
			t.Fatalf("checklist message: %s", body)
		}
		res, body = admin.json("POST", "/api/v1/review/offers/publish", `{"ids": [], "checklist": `+string(mustJSON(t, fullChecklist()))+`}`)
		expect(t, res, body, 422)
		if !strings.Contains(body, "mindestens ein Angebot") {
			t.Fatalf("empty batch: %s", body)
		}
		for _, id := range ids {
			if o, _ := e.db.Offer(t.Context(), id); o.Status != domain.OfferInReview {
				t.Fatalf("offer %d is %s after a refused batch", id, o.Status)
			}
		}
		audits := auditCount(t, e, "offer.publish")
		res, body = admin.json("POST", "/api/v1/review/offers/publish",
			`{"ids": `+jsonIDs(append(slices.Clone(ids), 99999999))+`, "checklist": `+string(mustJSON(t, fullChecklist()))+`}`)
		expect(t, res, body, 200)
		br := decode[batchResult](t, body)
		if br.Done != 2 || len(br.Offers) != 3 || !br.Offers[0].Done || !br.Offers[1].Done || br.Offers[2].Done ||
			br.Offers[2].Reason != "Dieses Angebot gibt es nicht." {
			t.Fatalf("batch publish: %s", body)
		}
		for _, id := range ids {
			if o, _ := e.db.Offer(t.Context(), id); o.Status != domain.OfferPublished {
				t.Fatalf("offer %d is %s", id, o.Status)
			}
		}
		if n := auditCount(t, e, "offer.publish"); n != audits+2 {
			t.Fatalf("audit entries %d, want %d", n, audits+2)
		}
		// A keyword alone finds the published offer.
		res, body = e.client().json("GET", "/api/v1/offers?q=Quokkapflege", "")
		expect(t, res, body, 200)
		if sr := decode[searchResponse](t, body); sr.Total != 1 || sr.Items[0].ID != ids[1] {
			t.Fatalf("search by keyword: %s", body)
		}
		// Published again: each is listed as not in review.
		res, body = admin.json("POST", "/api/v1/review/offers/publish", `{"ids": `+jsonIDs(ids)+`, "checklist": `+string(mustJSON(t, fullChecklist()))+`}`)
		expect(t, res, body, 200)
		if br := decode[batchResult](t, body); br.Done != 0 || !strings.Contains(br.Offers[0].Reason, "nicht in der Qualitätsprüfung") {
			t.Fatalf("second publish: %s", body)
		}
		// The keywords travel in the MOOChub feed.
		found := false
		for page := 1; page < 20 && !found; page++ {
			res, body = e.client().json("GET", fmt.Sprintf("/api/v1/moochub/courses?page=%d", page), "")
			if res.StatusCode != 200 {
				break
			}
			found = strings.Contains(body, `"keywords":["E-Akte","Schriftgut verwaltung"`)
		}
		if !found {
			t.Fatal("keywords missing from the MOOChub feed")
		}
	})
}

// TestBatchPagesKeepInput: the review queue and the provider's offers page
// keep what was chosen on an error and say what is wrong in German; the
// import page lists drafts and refused courses with their places.
func TestBatchPagesKeepInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		// The import page takes the feed as a file.
		c := e.sessionFor("kurse@vwa-bw.example")
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		w.WriteField("csrf_token", c.csrf)
		fw, _ := w.CreateFormFile("file", "feed.json")
		fw.Write(importTestFeed(t))
		w.Close()
		res := c.do("POST", "/anbieter/import", w.FormDataContentType(), &buf)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		page := string(b)
		if res.StatusCode != 200 {
			t.Fatalf("import page: %d", res.StatusCode)
		}
		for _, want := range []string{"12 Angebote neu, 0 aktualisiert, davon 12 Entwürfe zum Ergänzen; 1 Kurs wurde nicht übernommen; 3 Termine angelegt.",
			"Nicht übernommen", "Kurs 8 (FEED-KAPUTT)", "/data/7/attributes/name", "Dauer in Stunden: Der Kurs nennt keine Dauer in Stunden",
			"/data/2/attributes/duration", "1 Termin in der Vergangenheit wurde nicht übernommen."} {
			if !strings.Contains(page, want) {
				t.Errorf("import page lacks %q", want)
			}
		}
		drafts, _, err := e.db.Offers(t.Context(), store.OfferFilter{ProviderID: e.orgByName("Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg").ID,
			Status: domain.OfferDraft, Limit: 50})
		if err != nil || len(drafts) < 2 {
			t.Fatalf("drafts: %d %v", len(drafts), err)
		}
		// The offer page shows publisher and keywords as tags.
		_, body := c.get(fmt.Sprintf("/angebote/%d", drafts[0].ID))
		if !strings.Contains(body, "Herausgeber") || !strings.Contains(body, drafts[0].Publisher) || !strings.Contains(body, `class="keywords"`) {
			t.Fatalf("offer page lacks publisher or keywords")
		}

		// Provider's page: drafts have checkboxes; no competence chosen.
		_, body = c.get("/anbieter")
		if !strings.Contains(body, `action="/anbieter/angebote/kompetenzen"`) || !strings.Contains(body, fmt.Sprintf(`name="offer" value="%d"`, drafts[0].ID)) {
			t.Fatal("provider page has no batch form")
		}
		sel := url.Values{"offer": {itoa(drafts[0].ID), itoa(drafts[1].ID)}}
		res, body = c.postFormBody("/anbieter/angebote/kompetenzen", sel)
		if res.StatusCode != 422 || !strings.Contains(body, "Bitte wählen Sie 1 bis 10 Kompetenzen") ||
			!strings.Contains(body, fmt.Sprintf(`value="%d" checked`, drafts[1].ID)) {
			t.Fatalf("no competence: %d", res.StatusCode)
		}
		// No offer chosen: the competence stays chosen with its level.
		res, body = c.postFormBody("/anbieter/angebote/kompetenzen", url.Values{"competence": {"EGOV.1"}, "level_EGOV.1": {"3"}})
		if res.StatusCode != 422 || !strings.Contains(body, "Bitte wählen Sie mindestens ein Angebot aus.") ||
			!strings.Contains(body, `value="EGOV.1" checked`) || !strings.Contains(body, `<option value="3" selected>`) {
			t.Fatalf("no offer: %d", res.StatusCode)
		}
		sel.Set("competence", "EGOV.1")
		sel.Set("level_EGOV.1", "2")
		res, body = c.postFormBody("/anbieter/angebote/kompetenzen", sel)
		if res.StatusCode != 200 || !strings.Contains(body, "Kompetenzen zugeordnet") || !strings.Contains(body, "bleibt Entwurf") {
			t.Fatalf("assign: %d", res.StatusCode)
		}
		if o, _ := e.db.Offer(t.Context(), drafts[1].ID); len(o.Competences) != 1 || o.Competences[0].Level != 2 {
			t.Fatalf("assigned: %+v", o.Competences)
		}

		// The offer form keeps the keywords after an error.
		res, body = c.postFormBody("/anbieter/angebote/neu", url.Values{"title": {"Kurz"}, "keywords": {"E-Akte, Datenschutz"},
			"publisher": {"Hochschule Kehl"}})
		if res.StatusCode != 422 || !strings.Contains(body, `value="E-Akte, Datenschutz"`) || !strings.Contains(body, `value="Hochschule Kehl"`) {
			t.Fatalf("offer form: %d", res.StatusCode)
		}

		// Review queue: the checklist once; missing points keep the choice.
		vwa := e.apiAs("kurse@vwa-bw.example")
		var ids []int64
		for i := range 2 {
			res, body := vwa.json("POST", "/api/v1/offers", fmt.Sprintf(`{"code": "PAGE-%d", "title": "Seitenprüfung Kurs %d",
				"summary": "Ein Kurs, der auf der Seite geprüft wird.", "description": "%s", "outcomes": ["Prüfen"],
				"competences": [{"code": "EGOV.1", "level": 1}], "level": "basic", "format": "self_paced", "language": "de", "hours": 4,
				"certificate": "participation", "price_cents": 0}`, i, i, strings.Repeat("Eine ausführliche Beschreibung. ", 3)))
			expect(t, res, body, 201)
			ids = append(ids, decode[domain.Offer](t, body).ID)
		}
		admin := e.sessionFor("admin@lotse.example")
		_, body = admin.get("/admin/angebote")
		if !strings.Contains(body, `action="/admin/angebote/veroeffentlichen"`) || !strings.Contains(body, fmt.Sprintf(`name="offer" value="%d"`, ids[0])) {
			t.Fatal("queue has no batch form")
		}
		form := url.Values{"offer": {itoa(ids[0]), itoa(ids[1])}, "check": {"content", "price"}}
		res, body = admin.postFormBody("/admin/angebote/veroeffentlichen", form)
		if res.StatusCode != 422 || !strings.Contains(body, "Bitte bestätigen Sie alle Punkte der Prüfliste") ||
			!strings.Contains(body, fmt.Sprintf(`value="%d" checked`, ids[1])) || !strings.Contains(body, `value="price" checked`) {
			t.Fatalf("missing checklist: %d", res.StatusCode)
		}
		if o, _ := e.db.Offer(t.Context(), ids[0]); o.Status != domain.OfferInReview {
			t.Fatalf("published without the checklist: %s", o.Status)
		}
		form["check"] = fullChecklist()
		res, body = admin.postFormBody("/admin/angebote/veroeffentlichen", form)
		if res.StatusCode != 200 || strings.Count(body, ": veröffentlicht</li>") != 2 || !strings.Contains(body, "Seitenprüfung Kurs 1") {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		for _, id := range ids {
			if o, _ := e.db.Offer(t.Context(), id); o.Status != domain.OfferPublished {
				t.Fatalf("offer %d is %s", id, o.Status)
			}
		}
	})
}
