package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/filestore/s3test"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// One application end to end with the documents in S3 (a real server):
// an advanced application with an uploaded certificate, the reviewer opens
// it and approves, and the applicant downloads the contract. Every
// document's content is in the bucket.
func TestApprovalWithTheFilesInS3(t *testing.T) {
	srv := s3test.Start(t)
	e := newTestEnv(t, "sqlite")
	bucket := srv.Store(t)
	e.db.Files = bucket
	fh := e.orgByName("Stadt Futurehausen")
	lilly := e.sessionFor("lilly@futurehausen.example")
	p, _ := e.db.Programme(t.Context(), programmes.BWID)
	res := lilly.postForm("/antraege/neu?organisation="+itoa(fh.ID), url.Values{"track": {"advanced"}, "provider": {itoa(p.ProviderIDs[1])}})
	id := appIDRE.FindStringSubmatch(res.Header.Get("Location"))[1]
	base := "/antraege/" + id

	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("csrf_token", lilly.csrf)
	w.WriteField("people", "1")
	w.WriteField("name_0", "Niklas Neumann")
	fw, _ := w.CreateFormFile("file_0", "zertifikat.pdf")
	fw.Write(minimalPDF)
	w.Close()
	res = lilly.do("POST", base+"/bearbeiten?schritt=2", w.FormDataContentType(), &b)
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	lilly.postForm(base+"/bearbeiten?schritt=3", url.Values{"declarations": {"ja"}})
	if res := lilly.postForm(base+"/einreichen", url.Values{}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("submit: %d", res.StatusCode)
	}
	if _, err := bucket.Stat(t.Context(), filestore.SHA256Hex(minimalPDF)); err != nil {
		t.Fatalf("the certificate is not in the bucket: %v", err)
	}

	rev := e.sessionFor("pruefung@staedtetag-bw.example")
	_, page := rev.get(base)
	doc := regexp.MustCompile(`href="(/dokumente/\d+)"`).FindStringSubmatch(page)
	if doc == nil {
		t.Fatal("the reviewer sees no certificate")
	}
	if res, body := rev.get(doc[1]); res.StatusCode != 200 || body != string(minimalPDF) {
		t.Fatalf("reviewer opens the certificate from S3: %d", res.StatusCode)
	}
	res, body := e.apiAs("pruefung@staedtetag-bw.example").json("POST", "/api/v1/applications/"+id+"/approve", "")
	expect(t, res, body, 200)
	app := decode[domain.Application](t, body)
	if app.Status != "approved" || app.ContractID == 0 {
		t.Fatalf("approved %+v", app)
	}
	api := e.apiAs("lilly@futurehausen.example")
	res, body = api.json("GET", "/api/v1/mailbox", "")
	expect(t, res, body, 200)
	box := decode[mailboxList](t, body)
	if box.Total != 1 {
		t.Fatalf("mailbox %s", body)
	}
	res, body = api.json("GET", fmt.Sprintf("/api/v1/mailbox/%d", box.Items[0].ID), "")
	msg := decode[domain.Message](t, body)
	if len(msg.Attachments) == 0 {
		t.Fatalf("message without attachments: %s", body)
	}
	for _, a := range msg.Attachments {
		res, content := api.get(fmt.Sprintf("/api/v1/mailbox/%d/attachments/%d", msg.ID, a.ID))
		if res.StatusCode != 200 || len(content) == 0 {
			t.Fatalf("attachment %s: %d", a.Name, res.StatusCode)
		}
		if _, err := bucket.Stat(t.Context(), filestore.SHA256Hex([]byte(content))); err != nil {
			t.Fatalf("attachment %s is not in the bucket: %v", a.Name, err)
		}
	}
}

// /readyz names each check; with the S3 server stopped the file store
// check fails and the answer is 503, the database check still ok.
func TestReadyzChecksTheFileStore(t *testing.T) {
	srv := s3test.Start(t)
	e := newTestEnv(t, "sqlite")
	e.db.Files = srv.Store(t)
	c := e.client()
	type answer struct {
		Status string `json:"status"`
		Checks []struct{ Name, Status string }
	}
	get := func() (int, answer) {
		res, body := c.get("/readyz")
		var a answer
		if err := json.Unmarshal([]byte(body), &a); err != nil || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("readyz body %q: %v", body, err)
		}
		return res.StatusCode, a
	}
	code, a := get()
	if code != 200 || a.Status != "ok" || len(a.Checks) < 2 || a.Checks[0].Name != "database" || a.Checks[1].Name != "files" ||
		a.Checks[1].Status != "ok" {
		t.Fatalf("ready: %d %+v", code, a)
	}
	srv.Stop()
	code, a = get()
	if code != 503 || a.Status != "unavailable" || a.Checks[0].Status != "ok" || a.Checks[1].Status != "failed" {
		t.Fatalf("with S3 stopped: %d %+v", code, a)
	}
	if _, _, err := e.db.Files.Get(context.Background(), strings.Repeat("a", 64)); err == nil {
		t.Fatal("the stopped server answered")
	}
}
