package credentials

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// The @context of every credential: VC Data Model 2.0 and Open Badges
// 3.0.3, the OB context written for VC 2.0. Both are pinned (Context).
const (
	ContextCredentialsV2 = "https://www.w3.org/ns/credentials/v2"
	ContextOpenBadges    = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
)

// IssuerName is the issuer Profile's name: the platform issues every
// credential; the provider who ran the training is the achievement's
// creator.
const IssuerName = "Lotse"

// Certificate is what a certificate states, for Credential and PDF.
type Certificate struct {
	ID               string // UUID; "urn:uuid:<ID>" in the credential
	Participant      string // full name, shown on the PDF and in the credential
	ParticipantEmail string // only in the credential, as a salted SHA-256 hash
	Offer            string // title of the offer
	OfferID          string
	Provider         string // the Bildungsträger's name
	ProviderURL      string // the provider's page; its Profile id in the credential (optional)
	Issued           time.Time
	ValidFrom        time.Time  // zero: Issued
	Expires          *time.Time // nil: valid indefinitely
	SessionStart     time.Time
	SessionEnd       time.Time
	Hours            int // duration in hours
	Days             int // training days
	Competences      []string
	Credits          float64 // ECTS credits, 0 if none
	VerifyURL        string  // baseURL + "/verify/" + ID: the public verification page
	IssuerURL        string  // the platform's base URL: the issuer's id
}

// Credential builds the OpenBadgeCredential (Open Badges 3.0.3 on the W3C
// VC Data Model 2.0) for c, as the unsecured JSON-LD document to sign with
// SignJWT. Equal input gives an equal credential: it reads no clock and no
// randomness (the identity salt is derived from the random certificate ID).
//
// The participant is identified, as OB 3.0 intends for people without a
// DID, by IdentityObjects: the e-mail address hashed with a salt (so the
// published credential does not disclose it, yet the holder can prove it)
// and the name in plain text (it is printed on the certificate anyway).
// credentialStatus is omitted: revocation is answered by the verification
// page.
func Credential(c Certificate) map[string]any {
	base := strings.TrimRight(c.IssuerURL, "/")
	validFrom := c.ValidFrom
	if validFrom.IsZero() {
		validFrom = c.Issued
	}

	achievement := map[string]any{
		"id":              base + "/angebote/" + c.OfferID,
		"type":            []any{"Achievement"},
		"achievementType": "Course",
		"name":            c.Offer,
		"description":     achievementDescription(c),
		"criteria":        map[string]any{"narrative": criteriaNarrative(c)},
		"inLanguage":      "de",
	}
	if c.ProviderURL != "" {
		achievement["creator"] = map[string]any{
			"id":   c.ProviderURL,
			"type": []any{"Profile"},
			"name": c.Provider,
			"url":  c.ProviderURL,
		}
	}
	if c.Credits > 0 {
		achievement["creditsAvailable"] = c.Credits
	}
	if len(c.Competences) > 0 {
		// OB 3.0 requires targetUrl on an Alignment. The certificate knows
		// competences only by name, so each points at the offer page,
		// where the offer's competences are listed.
		al := make([]any, 0, len(c.Competences))
		for i, name := range c.Competences {
			al = append(al, map[string]any{
				"type":       []any{"Alignment"},
				"targetName": name,
				"targetUrl":  fmt.Sprintf("%s/angebote/%s#kompetenz-%d", base, c.OfferID, i+1),
			})
		}
		achievement["alignment"] = al
	}

	identifiers := []any{}
	if email := strings.ToLower(strings.TrimSpace(c.ParticipantEmail)); email != "" {
		salt := identitySalt(c.ID)
		identifiers = append(identifiers, map[string]any{
			"type":         "IdentityObject",
			"identityType": "emailAddress",
			"hashed":       true,
			"identityHash": IdentityHash(email, salt),
			"salt":         salt,
		})
	}
	if c.Participant != "" {
		identifiers = append(identifiers, map[string]any{
			"type":         "IdentityObject",
			"identityType": "name",
			"hashed":       false,
			"identityHash": c.Participant,
		})
	}

	subject := map[string]any{
		"type":        []any{"AchievementSubject"},
		"identifier":  identifiers,
		"achievement": achievement,
	}
	if !c.SessionStart.IsZero() {
		subject["activityStartDate"] = stamp(c.SessionStart)
	}
	if !c.SessionEnd.IsZero() {
		subject["activityEndDate"] = stamp(c.SessionEnd)
	}
	if c.Credits > 0 {
		subject["creditsEarned"] = c.Credits
	}

	cred := map[string]any{
		"@context": []any{ContextCredentialsV2, ContextOpenBadges},
		"id":       "urn:uuid:" + c.ID,
		"type":     []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name":     "Teilnahmezertifikat: " + c.Offer,
		"issuer": map[string]any{
			"id":   base,
			"type": []any{"Profile"},
			"name": IssuerName,
			"url":  base,
		},
		"validFrom":         stamp(validFrom),
		"awardedDate":       stamp(c.Issued),
		"credentialSubject": subject,
	}
	if c.Expires != nil {
		cred["validUntil"] = stamp(*c.Expires)
	}
	return cred
}

// IdentityHash is the "identityHash" Credential publishes for an e-mail
// address with a salt (OB 3.0 IdentityHash: "sha256$" and the hex SHA-256
// of address and salt): a holder or verifier recomputes it from the
// address (trimmed, lower-cased) and the credential's salt.
func IdentityHash(email, salt string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email)) + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// identitySalt is the salt of a credential's hashed identity. It is
// published in the credential, so it need not be secret, only distinct per
// credential (against precomputed tables): the certificate ID is random.
func identitySalt(id string) string {
	sum := sha256.Sum256([]byte("lotse identity salt\x00" + id))
	return hex.EncodeToString(sum[:16])
}

// stamp is an XML Schema dateTimeStamp in UTC, seconds precision, as VC 2.0
// wants for validFrom and validUntil.
func stamp(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

func achievementDescription(c Certificate) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Teilnahmezertifikat für das Angebot „%s“", c.Offer)
	if c.Provider != "" {
		fmt.Fprintf(&b, " des Bildungsträgers %s", c.Provider)
	}
	if s := scope(c); s != "" {
		b.WriteString(", Umfang " + s)
	}
	b.WriteString(".")
	return b.String()
}

func criteriaNarrative(c Certificate) string {
	var b strings.Builder
	b.WriteString("Vollständige Teilnahme")
	if p := period(c.SessionStart, c.SessionEnd); p != "" {
		b.WriteString(" " + p)
	}
	fmt.Fprintf(&b, " am Angebot „%s“", c.Offer)
	if s := scope(c); s != "" {
		b.WriteString(" (" + s + ")")
	}
	if c.Provider != "" {
		fmt.Fprintf(&b, ", bestätigt durch den Bildungsträger %s", c.Provider)
	}
	b.WriteString(".")
	return b.String()
}

// scope is the duration in German: "24 Stunden an 3 Tagen".
func scope(c Certificate) string {
	var parts []string
	if c.Hours > 0 {
		parts = append(parts, plural(c.Hours, "Stunde", "Stunden"))
	}
	if c.Days > 0 {
		d := plural(c.Days, "Tag", "Tagen")
		if len(parts) > 0 {
			parts = append(parts, "an "+d)
		} else {
			parts = append(parts, plural(c.Days, "Tag", "Tage"))
		}
	}
	return strings.Join(parts, " ")
}

// period is "am 12.01.2027" or "vom 12.01.2027 bis 14.01.2027".
func period(start, end time.Time) string {
	switch {
	case start.IsZero() && end.IsZero():
		return ""
	case end.IsZero() || date(start) == date(end):
		return "am " + date(start)
	case start.IsZero():
		return "am " + date(end)
	}
	return "vom " + date(start) + " bis " + date(end)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
