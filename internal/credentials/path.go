package credentials

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	lotsepdf "github.com/lotse-oss/lotse/internal/pdf"
)

// PathCertificate is what the composite certificate of a learning path
// states, for PathCredential and PathPDF: the path is the achievement, the
// certificates of its steps are the evidence.
type PathCertificate struct {
	ID               string // UUID; "urn:uuid:<ID>" in the credential
	Participant      string
	ParticipantEmail string // only in the credential, as a salted SHA-256 hash
	Path             string // the path's title
	PathID           string
	Description      string
	Owner            string // who defined the path (an association), "" for the platform
	Issued           time.Time
	Steps            []PathStep
	VerifyURL        string // the public verification page
	IssuerURL        string // the platform's base URL
}

// PathStep is a completed step of a path with the credentials it rests on.
type PathStep struct {
	Title       string
	Credentials []StepCredential // the certificates of the step's offers
	EventAt     *time.Time       // a networking event: when the participation was confirmed
}

// StepCredential is a step's single certificate: its ID, the offer, and
// where its signed credential and verification page are.
type StepCredential struct {
	ID            string
	Offer         string
	CredentialURL string
	VerifyURL     string
}

// PathCredential builds the OpenBadgeCredential of a completed path (Open
// Badges 3.0.3 on VC 2.0), unsigned, to sign with SignJWT. The achievement
// is the learning path (achievementType "LearningProgram"); each step's
// certificate is an Evidence entry whose id is the URL of that step's
// signed credential, so a verifier can fetch and check each of them.
func PathCredential(c PathCertificate) map[string]any {
	base := strings.TrimRight(c.IssuerURL, "/")
	var crit strings.Builder
	crit.WriteString("Alle Schritte des Lernpfads abgeschlossen: ")
	evidence := []any{}
	for i, st := range c.Steps {
		if i > 0 {
			crit.WriteString("; ")
		}
		crit.WriteString(st.Title)
		for _, sc := range st.Credentials {
			evidence = append(evidence, map[string]any{
				"id":          sc.CredentialURL,
				"type":        []any{"Evidence"},
				"name":        st.Title + ": " + sc.Offer,
				"description": "Teilnahmezertifikat " + sc.ID + ", prüfbar unter " + sc.VerifyURL,
				"genre":       "Teilnahmezertifikat",
			})
		}
		if st.EventAt != nil {
			evidence = append(evidence, map[string]any{
				"type":      []any{"Evidence"},
				"name":      st.Title,
				"narrative": "Teilnahme bestätigt am " + date(*st.EventAt) + ".",
				"genre":     "Veranstaltung",
			})
		}
	}
	crit.WriteString(".")
	desc := c.Description
	if desc == "" {
		desc = "Lernpfad „" + c.Path + "“"
	}
	achievement := map[string]any{
		"id":              base + "/lernpfade/" + c.PathID,
		"type":            []any{"Achievement"},
		"achievementType": "LearningProgram",
		"name":            c.Path,
		"description":     desc,
		"criteria":        map[string]any{"narrative": crit.String()},
		"inLanguage":      "de",
	}
	if c.Owner != "" {
		achievement["creator"] = map[string]any{"id": base + "/lernpfade/" + c.PathID + "#herausgeber", "type": []any{"Profile"}, "name": c.Owner}
	}
	identifiers := []any{}
	if email := strings.ToLower(strings.TrimSpace(c.ParticipantEmail)); email != "" {
		salt := identitySalt(c.ID)
		identifiers = append(identifiers, map[string]any{"type": "IdentityObject", "identityType": "emailAddress", "hashed": true,
			"identityHash": IdentityHash(email, salt), "salt": salt})
	}
	if c.Participant != "" {
		identifiers = append(identifiers, map[string]any{"type": "IdentityObject", "identityType": "name", "hashed": false,
			"identityHash": c.Participant})
	}
	return map[string]any{
		"@context":    []any{ContextCredentialsV2, ContextOpenBadges},
		"id":          "urn:uuid:" + c.ID,
		"type":        []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name":        "Lernpfad-Zertifikat: " + c.Path,
		"issuer":      map[string]any{"id": base, "type": []any{"Profile"}, "name": IssuerName, "url": base},
		"validFrom":   stamp(c.Issued),
		"awardedDate": stamp(c.Issued),
		"credentialSubject": map[string]any{
			"type":        []any{"AchievementSubject"},
			"identifier":  identifiers,
			"achievement": achievement,
		},
		"evidence": evidence,
	}
}

// PathPDF renders the composite certificate as an A4 PDF in German with
// the steps and their certificate IDs and the same verification block (QR
// code and address) as a single certificate. Equal input gives equal bytes.
func PathPDF(c PathCertificate) ([]byte, error) {
	c.Participant, c.Path, c.Owner = lotsepdf.Text(c.Participant), lotsepdf.Text(c.Path), lotsepdf.Text(c.Owner)
	qrPNG, err := qrCode(c.VerifyURL)
	if err != nil {
		return nil, err
	}
	f := fpdf.New("P", "mm", "A4", "")
	d := &certDoc{f: f, family: lotsepdf.AddFonts(f)}
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(false, 0)
	f.SetCellMargin(1)
	f.SetTitle("Lernpfad-Zertifikat – "+c.Participant, true)
	f.SetSubject(c.Path, true)
	f.SetAuthor(IssuerName, true)
	f.SetCreator(IssuerName, true)
	f.SetLang("de-DE")
	f.SetCreationDate(c.Issued)
	f.SetModificationDate(c.Issued)
	f.SetCatalogSort(true)
	d.page()

	f.SetY(26)
	d.centred(strings.ToUpper(IssuerName)+" · Qualifizierung für Kommunen", "", 9, 5, muted)
	f.Ln(6)
	d.centred("Lernpfad-Zertifikat", "B", 28, 13, accent)
	y := f.GetY() + 3
	d.draw(accent)
	f.SetLineWidth(0.6)
	f.Line(pageW/2-20, y, pageW/2+20, y)
	f.SetY(y + 10)
	d.centred("Hiermit wird bestätigt, dass", "", 12, 6, ink)
	f.Ln(3)
	d.centred(c.Participant, "B", 24, 11, ink)
	f.Ln(3)
	d.centred("alle Schritte des Lernpfads", "", 12, 6, ink)
	f.Ln(2)
	d.centred("„"+c.Path+"“", "B", 17, 8, accent)
	f.Ln(2)
	d.centred("abgeschlossen hat.", "", 12, 6, ink)
	f.Ln(8)

	var rows [][2]string
	for i, st := range c.Steps {
		var parts []string
		for _, sc := range st.Credentials {
			parts = append(parts, lotsepdf.Text(sc.Offer)+" (Zertifikat "+sc.ID+")")
		}
		if st.EventAt != nil {
			parts = append(parts, "Teilnahme bestätigt am "+date(*st.EventAt))
		}
		rows = append(rows, [2]string{fmt.Sprintf("%d. %s", i+1, lotsepdf.Text(st.Title)), strings.Join(parts, "\n")})
	}
	if c.Owner != "" {
		rows = append(rows, [2]string{"Lernpfad von", c.Owner})
	}
	rows = append(rows, [2]string{"Ausgestellt am", date(c.Issued)})
	const labelW = 55.0
	d.draw(rule)
	f.SetLineWidth(0.2)
	f.Line(margin, f.GetY(), pageW-margin, f.GetY())
	f.Ln(2)
	for _, r := range rows {
		d.font("", 9, ink)
		if f.GetY()+max(d.height(r[1], contentW-labelW, 5), d.height(r[0], labelW, 5)) > pageH-28 {
			d.page()
			f.SetY(30)
		}
		top := f.GetY()
		f.SetX(margin)
		d.font("B", 9, muted)
		f.MultiCell(labelW, 5, r[0], "", "L", false)
		bottom := f.GetY()
		d.font("", 9, ink)
		f.SetXY(margin+labelW, top)
		f.MultiCell(contentW-labelW, 5, r[1], "", "L", false)
		f.SetY(max(f.GetY(), bottom, top+5) + 0.5)
	}
	f.Ln(1.5)
	f.Line(margin, f.GetY(), pageW-margin, f.GetY())

	const blockH = qrSize + 12
	blockY := max(f.GetY()+8, pageH-22-blockH)
	if blockY+blockH > pageH-22 {
		d.page()
		blockY = 30
	}
	f.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qrPNG))
	f.ImageOptions("qr", margin, blockY, qrSize, qrSize, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, c.VerifyURL)
	textX := margin + qrSize + 6
	textW := pageW - margin - textX
	f.SetXY(textX, blockY+1)
	d.font("B", 11, accent)
	f.CellFormat(textW, 6, "Echtheit prüfen", "", 1, "L", false, 0, "")
	f.SetX(textX)
	d.font("", 9, ink)
	f.MultiCell(textW, 4.6, "Dieses Zertifikat ist zusätzlich als digital signierter Nachweis "+
		"(Open Badges 3.0, W3C Verifiable Credential) ausgestellt, der auf die Zertifikate der Schritte verweist. "+
		"Scannen Sie den QR-Code oder rufen Sie diese Adresse auf:", "", "L", false)
	f.SetX(textX)
	d.fit(c.VerifyURL, "", 9, textW, 5.5, accent, c.VerifyURL)
	f.Ln(1.5)
	f.SetX(textX)
	d.font("B", 9, muted)
	label := "Zertifikats-ID: "
	lw := f.GetStringWidth(label) + 2*f.GetCellMargin()
	f.CellFormat(lw, 5, label, "", 0, "L", false, 0, "")
	d.fit(c.ID, "", 9, textW-lw, 5, ink, "")

	f.SetXY(margin, pageH-22)
	d.font("", 8, muted)
	issuer := "Ausgestellt über " + IssuerName
	if c.IssuerURL != "" {
		issuer += " – " + c.IssuerURL
	}
	f.CellFormat(contentW, 4, issuer, "", 0, "C", false, 0, "")
	var b bytes.Buffer
	if err := f.Output(&b); err != nil {
		return nil, fmt.Errorf("credentials: pdf: %w", err)
	}
	return b.Bytes(), nil
}
