package web

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/moochub"
)

func TestMoochubFeedAndImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		c := e.client()
		res := c.do("GET", "/api/v1/moochub/courses", "", nil)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != moochub.MediaType {
			t.Fatalf("feed: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		var feed struct {
			Links map[string]any `json:"links"`
			Data  []struct {
				Type       string         `json:"type"`
				Attributes map[string]any `json:"attributes"`
			} `json:"data"`
		}
		if err := json.Unmarshal(b, &feed); err != nil || len(feed.Data) == 0 || feed.Data[0].Type != "Course" || feed.Links["next"] == nil {
			t.Fatalf("feed document: %v %.300s", err, b)
		}
		if res, _ := c.json("GET", "/api/v1/moochub/courses?page=999", ""); res.StatusCode != 404 {
			t.Fatalf("page past the end: %d", res.StatusCode)
		}

		prov := e.apiAs("kurse@vwa-bw.example")
		// A broken feed names the place of the first error and imports nothing.
		res, body := prov.json("POST", "/api/v1/moochub/import", `{"data": [{"type": "Course", "id": "x", "attributes": {"name": 7}}]}`)
		expect(t, res, body, 422)
		if !strings.Contains(body, "/data/0/attributes/name") {
			t.Fatalf("error location: %s", body)
		}
		// Our own feed re-imported as another provider's courses: big body, fine.
		big := append(b, []byte(strings.Repeat(" ", 2<<20))...)
		res = prov.do("POST", "/api/v1/moochub/import", "application/vnd.api+json", strings.NewReader(string(big)))
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("import of a 2 MB feed: %d %s", res.StatusCode, out)
		}
		r := decode[domain.ImportResult](t, string(out))
		if len(r.Created)+len(r.Updated) != len(feed.Data) || len(r.Created) == 0 || len(r.Drafts) < len(r.Created) {
			t.Fatalf("import result %s", out)
		}
		// Imported offers wait for competences, then for the review; they are not public.
		o, err := e.db.Offer(t.Context(), r.Created[0])
		if err != nil || o.Status != domain.OfferDraft || o.ReviewComment == "" {
			t.Fatalf("imported offer %+v, %v", o, err)
		}
		if res, _ := c.json("GET", fmt.Sprintf("/api/v1/offers/%d", o.ID), ""); res.StatusCode != 404 {
			t.Fatalf("imported draft is public: %d", res.StatusCode)
		}
		res, body = prov.json("PATCH", fmt.Sprintf("/api/v1/offers/%d", o.ID), `{"competences": [{"code": "EGOV.1", "level": 1}], "days": 30}`)
		expect(t, res, body, 200)
		if decode[domain.Offer](t, body).Status != domain.OfferInReview {
			t.Fatalf("draft with competences not in review: %s", body)
		}
		// Importing the same feed again updates by course code and keeps the competences.
		res = prov.do("POST", "/api/v1/moochub/import", "application/json", strings.NewReader(string(b)))
		out, _ = io.ReadAll(res.Body)
		res.Body.Close()
		r = decode[domain.ImportResult](t, string(out))
		if res.StatusCode != 200 || len(r.Created) != 0 || len(r.Updated) != len(feed.Data) {
			t.Fatalf("re-import: %d %s", res.StatusCode, out)
		}
		o, _ = e.db.Offer(t.Context(), o.ID)
		if len(o.Competences) != 1 || o.Status != domain.OfferInReview {
			t.Fatalf("re-imported offer lost its competences: %+v", o)
		}
		// Someone who is not a provider cannot import.
		if res, _ := e.apiAs("lilly@futurehausen.example").json("POST", "/api/v1/moochub/import", string(b)); res.StatusCode != 403 {
			t.Fatalf("municipality imports: %d", res.StatusCode)
		}
	})
}

func TestMoochubImportOfARealRecord(t *testing.T) {
	b, err := os.ReadFile("../../../shared/data/moochub/real-feed-4.json")
	if os.IsNotExist(err) {
		t.Skip("../shared/data/moochub is absent")
	}
	e := newTestEnv(t, "sqlite")
	res, body := e.apiAs("kurse@vwa-bw.example").json("POST", "/api/v1/moochub/import", string(b))
	expect(t, res, body, 200)
	r := decode[domain.ImportResult](t, body)
	if len(r.Created) != 1 {
		t.Fatalf("real record: %s", body)
	}
	o, _ := e.db.Offer(t.Context(), r.Created[0])
	if !strings.Contains(o.Title, "Making") || strings.Contains(o.Description, "&auml;") {
		t.Fatalf("imported %+v", o)
	}
}
