package credentials

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

var keyDay = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func testCert() Certificate {
	expires := time.Date(2029, 1, 15, 0, 0, 0, 0, time.UTC)
	return Certificate{
		ID:               "7c1e3f2a-5b4d-4e6f-8a9b-0c1d2e3f4a5b",
		Participant:      "Jürgen Weiß-Öztürk",
		ParticipantEmail: "J.Weiss@Gemeinde-Musterhausen.de",
		Offer:            "Basisqualifizierung Kommunale Digitallotsen",
		OfferID:          "42",
		Provider:         "Führungsakademie Baden-Württemberg",
		ProviderURL:      "https://lotse.example.de/organisationen/7",
		Issued:           time.Date(2027, 1, 15, 10, 30, 0, 0, time.UTC),
		Expires:          &expires,
		SessionStart:     time.Date(2027, 1, 12, 8, 0, 0, 0, time.UTC),
		SessionEnd:       time.Date(2027, 1, 14, 15, 0, 0, 0, time.UTC),
		Hours:            24,
		Days:             3,
		Competences:      []string{"Digitale Verwaltung und E-Government", "Informationssicherheit und Datenschutz", "Change-Management"},
		Credits:          2.5,
		VerifyURL:        "https://lotse.example.de/verify/7c1e3f2a-5b4d-4e6f-8a9b-0c1d2e3f4a5b",
		IssuerURL:        "https://lotse.example.de",
	}
}

func newKey(t testing.TB, at time.Time) Key {
	t.Helper()
	k, err := NewKey(at)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func jwks(t testing.TB, keys ...Key) []byte {
	t.Helper()
	b, err := JWKS(keys)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sign(t testing.TB, c Certificate, k Key) string {
	t.Helper()
	tok, err := SignJWT(Credential(c), k)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestNewKey(t *testing.T) {
	k := newKey(t, keyDay)
	if !regexp.MustCompile(`^lotse-2026-11-23-[0-9a-f]{8}$`).MatchString(k.ID) {
		t.Errorf("key ID %q", k.ID)
	}
	if len(k.Private) != ed25519.PrivateKeySize || !k.Created.Equal(keyDay) || k.Retired != nil {
		t.Errorf("key %+v", k)
	}
	if other := newKey(t, keyDay); other.ID == k.ID || other.Private.Equal(k.Private) {
		t.Error("two keys alike")
	}
	if _, err := JWKS([]Key{k, k}); err == nil {
		t.Error("JWKS took the same kid twice")
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	k := newKey(t, keyDay)
	c := testCert()
	cred := Credential(c)
	before, _ := json.Marshal(cred)
	tok, err := SignJWT(cred, k)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := json.Marshal(cred); !bytes.Equal(before, after) {
		t.Error("SignJWT changed the credential it was given")
	}
	if again := sign(t, c, k); again != tok {
		t.Error("equal input signed to different tokens")
	}

	claims, err := Verify(tok, jwks(t, k))
	if err != nil {
		t.Fatal(err)
	}
	// The claims are the credential plus the registered JWT claims.
	want := map[string]any{}
	_ = json.Unmarshal(before, &want)
	got := map[string]any{}
	for name, v := range claims {
		switch name {
		case "iss", "jti", "iat", "nbf", "exp":
		default:
			got[name] = v
		}
	}
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("claims differ from the credential:\n got %s\nwant %s", g, w)
	}
	if claims["iss"] != "https://lotse.example.de" || claims["jti"] != "urn:uuid:"+c.ID {
		t.Errorf("iss %v, jti %v", claims["iss"], claims["jti"])
	}
	for claim, at := range map[string]time.Time{"iat": c.Issued, "nbf": c.Issued, "exp": *c.Expires} {
		if n, _ := claims[claim].(float64); int64(n) != at.Unix() {
			t.Errorf("%s = %v, want %d", claim, claims[claim], at.Unix())
		}
	}
}

type testJWK struct {
	Kty, Crv, X, D, Kid, Use, Alg string
}

// verifyByHand checks a compact JWS against a JWK Set with nothing but the
// standard library, independent of SignJWT, Verify and go-jose.
func verifyByHand(t *testing.T, token string, set []byte) (header, payload map[string]any, ok bool) {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("%d parts in compact JWS", len(parts))
	}
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatalf("base64url %q: %v", s, err)
		}
		return b
	}
	if err := json.Unmarshal(dec(parts[0]), &header); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(dec(parts[1]), &payload); err != nil {
		t.Fatal(err)
	}
	sig := dec(parts[2])

	var keys struct{ Keys []testJWK }
	if err := json.Unmarshal(set, &keys); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(keys.Keys, func(k testJWK) bool { return k.Kid == header["kid"] })
	if i < 0 {
		return header, payload, false
	}
	jwk := keys.Keys[i]
	if jwk.Kty != "OKP" || jwk.Crv != "Ed25519" || jwk.Use != "sig" || jwk.Alg != "EdDSA" {
		t.Errorf("JWK %+v", jwk)
	}
	if jwk.D != "" {
		t.Fatal("the key set publishes a private key")
	}
	pub := dec(jwk.X)
	if len(pub) != ed25519.PublicKeySize {
		t.Fatalf("x has %d bytes", len(pub))
	}
	return header, payload, ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), sig)
}

func TestVerificationIndependentOfSigningCode(t *testing.T) {
	k := newKey(t, keyDay)
	c := testCert()
	tok := sign(t, c, k)
	set := jwks(t, newKey(t, keyDay), k) // the key is not the first in the set

	header, payload, ok := verifyByHand(t, tok, set)
	if !ok {
		t.Fatal("signature does not verify with crypto/ed25519")
	}
	if header["alg"] != "EdDSA" || header["kid"] != k.ID || header["typ"] != "vc+jwt" || header["cty"] != "vc" {
		t.Errorf("header %v", header)
	}
	if _, ok := payload["vc"]; ok {
		t.Error(`payload has a "vc" claim; VC-JOSE-COSE forbids it`)
	}
	if payload["id"] != "urn:uuid:"+c.ID || payload["name"] != "Teilnahmezertifikat: "+c.Offer {
		t.Errorf("payload is not the credential: %v", payload)
	}

	// A tampered payload fails the same independent check.
	parts := strings.Split(tok, ".")
	p, _ := base64.RawURLEncoding.DecodeString(parts[1])
	p = bytes.Replace(p, []byte("Weiß-Öztürk"), []byte("Weiß-Ötürk"), 1)
	forged := parts[0] + "." + base64.RawURLEncoding.EncodeToString(p) + "." + parts[2]
	if _, _, ok := verifyByHand(t, forged, set); ok {
		t.Error("tampered payload verified by hand")
	}
}

func TestVerifyRejects(t *testing.T) {
	k := newKey(t, keyDay)
	set := jwks(t, k)
	tok := sign(t, testCert(), k)
	parts := strings.Split(tok, ".")
	b64 := base64.RawURLEncoding.EncodeToString

	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	tampered := bytes.Replace(payload, []byte(`"creditsEarned":2.5`), []byte(`"creditsEarned":25`), 1)
	if bytes.Equal(tampered, payload) {
		t.Fatal("test payload lacks creditsEarned")
	}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sig[0] ^= 1

	header := func(h string) string { return b64([]byte(h)) }
	hmacTok := func(h string) string {
		in := header(h) + "." + parts[1]
		m := hmac.New(sha256.New, []byte(k.ID))
		m.Write([]byte(in))
		return in + "." + b64(m.Sum(nil))
	}
	noTyp := header(`{"alg":"EdDSA","kid":"`+k.ID+`"}`) + "." + parts[1]
	noTyp += "." + b64(ed25519.Sign(k.Private, []byte(noTyp)))

	for _, tc := range []struct {
		name  string
		token string
		set   []byte
		want  error
	}{
		{"tampered payload", parts[0] + "." + b64(tampered) + "." + parts[2], set, ErrSignature},
		{"tampered signature", parts[0] + "." + parts[1] + "." + b64(sig), set, ErrSignature},
		{"unknown kid", tok, jwks(t, newKey(t, keyDay)), ErrUnknownKey},
		{"empty key set", tok, []byte(`{"keys":[]}`), ErrUnknownKey},
		{"HS256 with a kid", hmacTok(`{"alg":"HS256","kid":"` + k.ID + `","typ":"vc+jwt"}`), set, ErrAlgorithm},
		{"alg none", header(`{"alg":"none","kid":"`+k.ID+`","typ":"vc+jwt"}`) + "." + parts[1] + ".", set, nil},
		{"alg swapped to ES256", header(`{"alg":"ES256","kid":"`+k.ID+`","typ":"vc+jwt"}`) + "." + parts[1] + "." + parts[2], set, ErrAlgorithm},
		{"no typ", noTyp, set, ErrMalformed},
		{"not a JWS", "abc", set, ErrMalformed},
		{"JSON serialization", `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`, set, ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			claims, err := Verify(tc.token, tc.set)
			if err == nil {
				t.Fatalf("verified: %v", claims["id"])
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("error %v, want %v", err, tc.want)
			}
		})
	}
}

func TestRotatedKeySetStillVerifiesOldCredentials(t *testing.T) {
	old := newKey(t, keyDay)
	oldTok := sign(t, testCert(), old)

	retired := keyDay.AddDate(1, 0, 0)
	old.Retired = &retired
	cur := newKey(t, retired)
	if _, err := SignJWT(Credential(testCert()), old); !errors.Is(err, ErrRetiredKey) {
		t.Errorf("a retired key signed: %v", err)
	}
	c := testCert()
	c.ID = "0f9e8d7c-6b5a-4c3d-9e1f-2a3b4c5d6e7f"
	newTok := sign(t, c, cur)

	set := jwks(t, old, cur)
	for name, tok := range map[string]string{"old": oldTok, "new": newTok} {
		if _, err := Verify(tok, set); err != nil {
			t.Errorf("%s credential: %v", name, err)
		}
		if _, _, ok := verifyByHand(t, tok, set); !ok {
			t.Errorf("%s credential fails the independent check", name)
		}
	}
	if _, err := Verify(oldTok, jwks(t, cur)); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("old credential against a set without its key: %v", err)
	}
}

func TestCredentialHasOpenBadgesFields(t *testing.T) {
	c := testCert()
	raw, err := json.Marshal(Credential(c))
	if err != nil {
		t.Fatal(err)
	}
	var cred struct {
		Context     []string `json:"@context"`
		ID, Name    string
		Type        []string
		ValidFrom   string
		ValidUntil  string
		AwardedDate string
		Issuer      struct {
			ID, Name, URL string
			Type          []string
		}
		CredentialSubject struct {
			Type              []string
			ActivityStartDate string
			CreditsEarned     float64
			Identifier        []struct {
				Type, IdentityType, IdentityHash, Salt string
				Hashed                                 bool
			}
			Achievement struct {
				ID, Name, Description, AchievementType string
				Type                                   []string
				Criteria                               struct{ Narrative string }
				Creator                                struct {
					ID, Name string
					Type     []string
				}
				Alignment []struct {
					Type       []string
					TargetName string
					TargetURL  string `json:"targetUrl"`
				}
			}
		}
	}
	if err := json.Unmarshal(raw, &cred); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cred.Context, []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}) {
		t.Errorf("@context %v", cred.Context)
	}
	if !slices.Equal(cred.Type, []string{"VerifiableCredential", "OpenBadgeCredential"}) {
		t.Errorf("type %v", cred.Type)
	}
	if cred.ID != "urn:uuid:"+c.ID || cred.Name == "" {
		t.Errorf("id %q, name %q", cred.ID, cred.Name)
	}
	if cred.Issuer.ID != c.IssuerURL || cred.Issuer.Name != IssuerName || !slices.Equal(cred.Issuer.Type, []string{"Profile"}) {
		t.Errorf("issuer %+v", cred.Issuer)
	}
	if cred.ValidFrom != "2027-01-15T10:30:00Z" || cred.ValidUntil != "2029-01-15T00:00:00Z" || cred.AwardedDate != cred.ValidFrom {
		t.Errorf("validFrom %q, validUntil %q, awardedDate %q", cred.ValidFrom, cred.ValidUntil, cred.AwardedDate)
	}
	s := cred.CredentialSubject
	if !slices.Equal(s.Type, []string{"AchievementSubject"}) || s.ActivityStartDate != "2027-01-12T08:00:00Z" || s.CreditsEarned != 2.5 {
		t.Errorf("subject %+v", s)
	}
	a := s.Achievement
	if a.ID != "https://lotse.example.de/angebote/42" || !slices.Equal(a.Type, []string{"Achievement"}) || a.Name != c.Offer ||
		a.Description == "" || !strings.Contains(a.Criteria.Narrative, c.Offer) || !strings.Contains(a.Criteria.Narrative, "vom 12.01.2027 bis 14.01.2027") {
		t.Errorf("achievement %+v", a)
	}
	if a.Creator.ID != c.ProviderURL || a.Creator.Name != c.Provider || !slices.Equal(a.Creator.Type, []string{"Profile"}) {
		t.Errorf("creator %+v", a.Creator)
	}
	if len(a.Alignment) != 3 || a.Alignment[1].TargetName != c.Competences[1] || a.Alignment[1].TargetURL == "" || a.Alignment[1].Type[0] != "Alignment" {
		t.Errorf("alignment %+v", a.Alignment)
	}

	// The e-mail address appears only salted and hashed.
	if bytes.Contains(bytes.ToLower(raw), []byte("gemeinde-musterhausen")) {
		t.Error("credential discloses the e-mail address")
	}
	if len(s.Identifier) != 2 {
		t.Fatalf("identifiers %+v", s.Identifier)
	}
	email, name := s.Identifier[0], s.Identifier[1]
	if email.Type != "IdentityObject" || email.IdentityType != "emailAddress" || !email.Hashed || len(email.Salt) < 16 ||
		email.IdentityHash != IdentityHash(" j.weiss@gemeinde-musterhausen.de", email.Salt) ||
		!regexp.MustCompile(`^sha256\$[0-9a-f]{64}$`).MatchString(email.IdentityHash) {
		t.Errorf("email identity %+v", email)
	}
	sum := sha256.Sum256([]byte("j.weiss@gemeinde-musterhausen.de" + email.Salt))
	if email.IdentityHash != "sha256$"+hex.EncodeToString(sum[:]) {
		t.Error("identity hash is not sha256(address + salt)")
	}
	if name.IdentityType != "name" || name.Hashed || name.IdentityHash != c.Participant {
		t.Errorf("name identity %+v", name)
	}

	// Optional parts go when their input is empty.
	c.Expires, c.Credits, c.Competences, c.ProviderURL = nil, 0, nil, ""
	bare := Credential(c)
	if _, ok := bare["validUntil"]; ok {
		t.Error("validUntil without Expires")
	}
	ach := bare["credentialSubject"].(map[string]any)["achievement"].(map[string]any)
	for _, k := range []string{"alignment", "creator", "creditsAvailable"} {
		if _, ok := ach[k]; ok {
			t.Errorf("%s without input", k)
		}
	}

	// Every @context entry is pinned and available offline.
	for _, url := range cred.Context {
		doc, ok := Context(url)
		if !ok {
			t.Fatalf("context %s not pinned", url)
		}
		var ctx struct {
			Context map[string]any `json:"@context"`
		}
		if err := json.Unmarshal(doc, &ctx); err != nil || len(ctx.Context) == 0 {
			t.Errorf("context %s: %v", url, err)
		}
	}
	if _, ok := Context("https://example.org/other"); ok {
		t.Error("Context answered for an unknown URL")
	}
	ob, _ := Context(ContextOpenBadges)
	for _, term := range []string{"OpenBadgeCredential", "AchievementSubject", "IdentityObject", "identityHash", "awardedDate", "targetName"} {
		if !bytes.Contains(ob, []byte(`"`+term+`"`)) {
			t.Errorf("OB context lacks the term %s", term)
		}
	}
}

func writePDF(t *testing.T, c Certificate) string {
	t.Helper()
	b, err := PDF(c)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	path := filepath.Join(t.TempDir(), "zertifikat.pdf")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPDFText(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	c := testCert()
	path := writePDF(t, c)
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	// Titles and names may wrap: compare with runs of white space as one.
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{
		"Teilnahmezertifikat", c.Participant, c.Offer, c.Provider, c.ID, c.VerifyURL,
		"12.01.2027 – 14.01.2027", "24 Stunden an 3 Tagen", "Informationssicherheit und Datenschutz",
		"2,5 ECTS-Punkte", "Ausgestellt am", "15.01.2027", "Gültig bis", "15.01.2029",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q", want)
		}
	}
	if n := strings.Count(string(out), "\f"); n != 1 {
		t.Errorf("certificate has %d pages", n)
	}

	c.Credits, c.Expires = 0, nil
	out, _ = exec.Command("pdftotext", writePDF(t, c), "-").Output()
	if strings.Contains(string(out), "ECTS") || strings.Contains(string(out), "Gültig bis") {
		t.Error("credits or expiry shown without input")
	}

	// A list too long for one page flows onto a second, never off the page.
	c.Competences = nil
	for i := range 40 {
		c.Competences = append(c.Competences, fmt.Sprintf("Kompetenz Nummer %d", i+1))
	}
	out, _ = exec.Command("pdftotext", writePDF(t, c), "-").Output()
	text = strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Kompetenz Nummer 1 ", "Kompetenz Nummer 40", c.VerifyURL, c.ID} {
		if !strings.Contains(text, want) {
			t.Errorf("long certificate lacks %q", want)
		}
	}
	if n := strings.Count(string(out), "\f"); n < 2 {
		t.Errorf("long certificate has %d page, want more", n)
	}
}

func TestPDFQRCodeScans(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "zbarimg"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (Debian poppler-utils, zbar-tools); TestQRCodeDecodes covers the code itself", tool)
		}
	}
	c := testCert()
	path := writePDF(t, c)
	prefix := filepath.Join(filepath.Dir(path), "page")
	if out, err := exec.Command("pdftoppm", "-png", "-r", "150", "-singlefile", path, prefix).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, err := exec.Command("zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", prefix+".png").Output()
	if err != nil {
		t.Fatalf("zbarimg found no code: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != c.VerifyURL {
		t.Errorf("QR code says %q, want %q", got, c.VerifyURL)
	}
}

func TestQRCodeDecodes(t *testing.T) {
	for _, url := range []string{testCert().VerifyURL, "https://lotse.example.de/verify/x"} {
		b, err := qrCode(url)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(img)
		if err != nil {
			t.Fatal(err)
		}
		res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.GetText() != url {
			t.Errorf("decoded %q, want %q", res.GetText(), url)
		}
	}
	if _, err := PDF(Certificate{}); err == nil {
		t.Error("PDF without VerifyURL")
	}
}

func TestPDFIsDeterministic(t *testing.T) {
	a, err := PDF(testCert())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := PDF(testCert())
	if !bytes.Equal(a, b) {
		t.Error("equal input gave different PDFs")
	}
	if dir := os.Getenv("LOTSE_CERT_PDF_DIR"); dir != "" { // to look at it: pdftoppm -png -r 60
		_ = os.WriteFile(filepath.Join(dir, "zertifikat.pdf"), a, 0o644)
		c := testCert()
		for i := range 40 {
			c.Competences = append(c.Competences, fmt.Sprintf("Kompetenz Nummer %d", i+1))
		}
		long, _ := PDF(c)
		_ = os.WriteFile(filepath.Join(dir, "lang.pdf"), long, 0o644)
	}
}

func BenchmarkSignJWT(b *testing.B) {
	k := newKey(b, keyDay)
	cred := Credential(testCert())
	for b.Loop() {
		if _, err := SignJWT(cred, k); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	k := newKey(b, keyDay)
	tok := sign(b, testCert(), k)
	set := jwks(b, k)
	for b.Loop() {
		if _, err := Verify(tok, set); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPDF(b *testing.B) {
	c := testCert()
	for b.Loop() {
		if _, err := PDF(c); err != nil {
			b.Fatal(err)
		}
	}
}

// TestPDFDrawsNamesWithEmoji: a participant may type any character into
// their name; the certificate still renders, with "?" where the font has no
// glyph and the rest of the name intact.
func TestPDFDrawsNamesWithEmoji(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (Debian poppler-utils)")
	}
	c := testCert()
	c.Participant = "Lilly 🚀 Müller"
	c.Offer = "Digitale Verwaltung 🏛️ kompakt"
	out, err := exec.Command("pdftotext", writePDF(t, c), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"Lilly ? Müller", "Digitale Verwaltung ? kompakt"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}
