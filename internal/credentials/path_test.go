package credentials

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func testPathCert() PathCertificate {
	event := time.Date(2027, 6, 3, 9, 0, 0, 0, time.UTC)
	step := func(id, offer string) StepCredential {
		return StepCredential{ID: id, Offer: offer, CredentialURL: "https://lotse.example.de/api/v1/certificates/" + id + "/credential",
			VerifyURL: "https://lotse.example.de/verify/" + id}
	}
	return PathCertificate{
		ID: "9a1e3f2a-5b4d-4e6f-8a9b-0c1d2e3f4a5b", Participant: "Jürgen Weiß-Öztürk", ParticipantEmail: "j.weiss@gemeinde.example",
		Path: "Kommunale/r Digitallotse/in", PathID: "1", Owner: "Städtetag Baden-Württemberg", Issued: time.Date(2027, 6, 4, 10, 0, 0, 0, time.UTC),
		Steps: []PathStep{
			{Title: "Basisqualifizierung", Credentials: []StepCredential{step("11111111-1111-4111-8111-111111111111", "Basis")}},
			{Title: "Zwei Aufbauschulungen", Credentials: []StepCredential{step("22222222-2222-4222-8222-222222222222", "KI"),
				step("33333333-3333-4333-8333-333333333333", "Sicherheit")}},
			{Title: "Vernetzungstreffen", EventAt: &event},
		},
		VerifyURL: "https://lotse.example.de/verify/lernpfad/9a1e3f2a-5b4d-4e6f-8a9b-0c1d2e3f4a5b", IssuerURL: "https://lotse.example.de",
	}
}

// TestPathCredentialSignsAndReferencesSteps: the composite credential is a
// signed OpenBadgeCredential whose achievement is the path and whose
// evidence points at each step's credential.
func TestPathCredentialSignsAndReferencesSteps(t *testing.T) {
	c := testPathCert()
	k := newKey(t, c.Issued)
	token, err := SignJWT(PathCredential(c), k)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Verify(token, jwks(t, k))
	if err != nil {
		t.Fatal(err)
	}
	ach := got["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	if ach["achievementType"] != "LearningProgram" || ach["name"] != c.Path || ach["id"] != "https://lotse.example.de/lernpfade/1" {
		t.Errorf("achievement %v", ach)
	}
	var ids []string
	for _, e := range got["evidence"].([]any) {
		if id, ok := e.(map[string]any)["id"].(string); ok {
			ids = append(ids, id)
		}
	}
	for _, st := range c.Steps {
		for _, sc := range st.Credentials {
			if !strings.Contains(strings.Join(ids, " "), sc.CredentialURL) {
				t.Errorf("evidence lacks %s", sc.CredentialURL)
			}
		}
	}
	if len(got["evidence"].([]any)) != 4 {
		t.Errorf("%d evidence entries, want 3 certificates and the event", len(got["evidence"].([]any)))
	}
}

func TestPathPDFTextAndDeterminism(t *testing.T) {
	c := testPathCert()
	a, err := PathPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := PathPDF(c)
	if !bytes.Equal(a, b) || !bytes.HasPrefix(a, []byte("%PDF-")) {
		t.Fatal("the PDF is not a PDF or differs between runs")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "pfad.pdf")
	if err := os.WriteFile(path, a, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Lernpfad-Zertifikat", c.Participant, c.Path, "33333333-3333-4333-8333-333333333333",
		"Teilnahme bestätigt am 03.06.2027", c.ID, c.VerifyURL, "Städtetag Baden-Württemberg"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
}
