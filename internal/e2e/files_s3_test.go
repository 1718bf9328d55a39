package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/filestore/s3test"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// lotseEnv runs a lotse command with extra environment.
func lotseEnv(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("lotse %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// serveEnv starts a server process with extra environment and returns its
// base URL.
func serveEnv(t *testing.T, bin, dsn, data string, env []string) string {
	t.Helper()
	return startServe(t, bin, "127.0.0.1:0", dsn, data, env)
}

// TestTwoServerProcessesShareDocumentsThroughS3: two lotse processes on one
// PostgreSQL database, each with its own (empty) data folder and the
// documents in one S3 bucket: a document uploaded through one is
// downloaded through the other, and both are ready.
func TestTwoServerProcessesShareDocumentsThroughS3(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	srv := s3test.Start(t)
	bin := build(t)
	dsn := storetest.DSN(t, store.Postgres)
	b := srv.Bucket(t)
	env := []string{"LOTSE_FILE_STORE=s3", "LOTSE_S3_ENDPOINT=" + b.Endpoint, "LOTSE_S3_BUCKET=" + b.Bucket, "LOTSE_S3_REGION=" + b.Region,
		"LOTSE_S3_ACCESS_KEY=" + b.AccessKey, "LOTSE_S3_SECRET_KEY=" + b.SecretKey, "LOTSE_S3_TLS=false"}
	dataA, dataB := t.TempDir(), t.TempDir()
	lotseEnv(t, bin, env, "demo", "--database", dsn, "--data", dataA)
	lilly := lastLine(lotseEnv(t, bin, env, "token", "create", "--email", "lilly@futurehausen.example", "--database", dsn, "--data", dataA))
	a, bURL := serveEnv(t, bin, dsn, dataA, env), serveEnv(t, bin, dsn, dataB, env)

	for _, base := range []string{a, bURL} {
		res, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), `{"name":"files","status":"ok"}`) {
			t.Fatalf("readyz of %s: %d %s", base, res.StatusCode, body)
		}
	}
	st, body := call(t, "GET", a+"/api/v1/me", lilly, "")
	var me struct {
		Memberships []struct {
			OrgID   int64  `json:"organisation_id"`
			OrgName string `json:"organisation_name"`
		}
	}
	if err := json.Unmarshal(body, &me); st != 200 || err != nil || len(me.Memberships) == 0 {
		t.Fatalf("me: %d %s", st, body)
	}
	content := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	var form bytes.Buffer
	w := multipart.NewWriter(&form)
	fw, _ := w.CreateFormFile("file", "teilnahme.pdf")
	fw.Write(content)
	w.Close()
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/organisations/%d/documents", a, me.Memberships[0].OrgID), &form)
	req.Header.Set("Authorization", "Bearer "+lilly)
	req.Header.Set("Content-Type", w.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	up, _ := io.ReadAll(res.Body)
	res.Body.Close()
	var doc struct {
		ID     int64  `json:"id"`
		SHA256 string `json:"sha256"`
	}
	if err := json.Unmarshal(up, &doc); res.StatusCode != 201 || err != nil || doc.ID == 0 {
		t.Fatalf("upload through A: %d %s", res.StatusCode, up)
	}
	st, got := call(t, "GET", fmt.Sprintf("%s/api/v1/documents/%d", bURL, doc.ID), lilly, "")
	if st != 200 || !bytes.Equal(got, content) {
		t.Fatalf("download through B: %d %q", st, got)
	}
	// The content is in the bucket, and in neither data folder.
	s3, err := filestore.NewS3(t.Context(), b)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s3.Stat(t.Context(), filestore.SHA256Hex(content)); err != nil {
		t.Fatalf("not in the bucket: %v", err)
	}
	for _, d := range []string{dataA, dataB} {
		if _, err := os.Stat(d + "/files"); err == nil {
			t.Fatalf("%s has a files folder", d)
		}
	}
}
