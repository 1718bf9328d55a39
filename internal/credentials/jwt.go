package credentials

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// The VC-JWT follows "Securing Verifiable Credentials using JOSE and COSE"
// (VC-JOSE-COSE), W3C Recommendation of 15 May 2025, section 3.1.1
// (securing JSON-LD verifiable credentials with JOSE):
//
//   - the unsecured credential is the JWS payload, i.e. the credential
//     itself is the JWT Claims Set (no "vc" claim: it MUST NOT be present);
//   - "typ" SHOULD be "vc+jwt" (media type application/vc+jwt) and "cty",
//     when present, SHOULD be "vc"; we set both;
//   - registered JWT claims MAY be added and SHOULD NOT conflict with the
//     credential: "iss" is the issuer's id, "jti" the credential's id,
//     "nbf" its validFrom, "exp" its validUntil if any, and "iat" its
//     awardedDate (not the clock, so equal input signs to equal bytes:
//     Ed25519 signatures are deterministic).
//
// Open Badges 3.0 section 8.2 still describes the VC 1.1 style JWT with the
// credential inside a "vc" claim; our credentials use the VC 2.0 context
// (OB context 3.0.3), so they are secured the VC 2.0 way above.
const (
	mediaType   = "vc+jwt"
	contentType = "vc"
)

// Errors Verify wraps, for a verification page to tell the cases apart.
var (
	ErrMalformed   = errors.New("credentials: malformed VC-JWT")
	ErrAlgorithm   = errors.New("credentials: signature algorithm is not EdDSA")
	ErrUnknownKey  = errors.New("credentials: signing key not in the key set")
	ErrSignature   = errors.New("credentials: signature invalid")
	ErrRetiredKey  = errors.New("credentials: key is retired and signs nothing new")
	errNotVC       = errors.New("credentials: payload is not a verifiable credential")
	errClaimsClash = errors.New("credentials: JWT claims contradict the credential")
)

// SignJWT secures cred (as built by Credential) as a VC-JWT in compact JWS
// serialization, signed with k (EdDSA over Ed25519, "kid" = k.ID). cred is
// not modified.
func SignJWT(cred map[string]any, k Key) (string, error) {
	if err := k.check(); err != nil {
		return "", err
	}
	if k.Retired != nil {
		return "", fmt.Errorf("%w: %s", ErrRetiredKey, k.ID)
	}
	if _, ok := cred["vc"]; ok {
		return "", fmt.Errorf("%w: a \"vc\" claim must not be present", errNotVC)
	}
	claims := make(map[string]any, len(cred)+5)
	for name, v := range cred {
		claims[name] = v
	}
	if iss := issuerID(cred); iss != "" {
		claims["iss"] = iss
	}
	if id, ok := cred["id"].(string); ok && id != "" {
		claims["jti"] = id
	}
	for claim, prop := range map[string]string{"nbf": "validFrom", "exp": "validUntil", "iat": "awardedDate"} {
		s, ok := cred[prop].(string)
		if !ok {
			continue
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return "", fmt.Errorf("credentials: %s: %w", prop, err)
		}
		claims[claim] = t.Unix()
	}
	if _, ok := claims["iat"]; !ok {
		if nbf, ok := claims["nbf"]; ok {
			claims["iat"] = nbf
		}
	}

	var payload bytes.Buffer
	enc := json.NewEncoder(&payload)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(claims); err != nil {
		return "", fmt.Errorf("credentials: encode credential: %w", err)
	}

	opts := (&jose.SignerOptions{}).
		WithType(mediaType).
		WithContentType(contentType)
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.EdDSA,
		Key:       jose.JSONWebKey{Key: k.Private, KeyID: k.ID, Algorithm: string(jose.EdDSA)},
	}, opts)
	if err != nil {
		return "", fmt.Errorf("credentials: signer: %w", err)
	}
	obj, err := signer.Sign(bytes.TrimRight(payload.Bytes(), "\n"))
	if err != nil {
		return "", fmt.Errorf("credentials: sign: %w", err)
	}
	return obj.CompactSerialize()
}

// Verify checks a VC-JWT against a JSON Web Key Set (as JWKS makes it) and
// returns the credential's claims. It fails if the token is not a compact
// JWS of type vc+jwt, its algorithm is not EdDSA, its kid is not in the
// set, the signature does not verify, or the payload is not a credential.
// It checks no dates: whether the credential is valid now (validFrom,
// validUntil) is for the caller to judge and show.
func Verify(token string, jwks []byte) (map[string]any, error) {
	obj, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		if _, err2 := jose.ParseSignedCompact(token, allAlgorithms); err2 == nil {
			return nil, ErrAlgorithm
		}
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(obj.Signatures) != 1 {
		return nil, fmt.Errorf("%w: %d signatures", ErrMalformed, len(obj.Signatures))
	}
	h := obj.Signatures[0].Protected
	if h.Algorithm != string(jose.EdDSA) {
		return nil, ErrAlgorithm
	}
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); typ != mediaType && typ != "application/"+mediaType {
		return nil, fmt.Errorf("%w: typ %q, want %q", ErrMalformed, typ, mediaType)
	}
	if h.KeyID == "" {
		return nil, fmt.Errorf("%w: no kid", ErrUnknownKey)
	}

	var set jose.JSONWebKeySet
	if err := json.Unmarshal(jwks, &set); err != nil {
		return nil, fmt.Errorf("credentials: key set: %w", err)
	}
	var pub ed25519.PublicKey
	for _, jwk := range set.Key(h.KeyID) {
		if p, ok := jwk.Key.(ed25519.PublicKey); ok && (jwk.Algorithm == "" || jwk.Algorithm == string(jose.EdDSA)) && jwk.Use != "enc" {
			pub = p
			break
		}
	}
	if pub == nil {
		return nil, fmt.Errorf("%w: kid %q", ErrUnknownKey, h.KeyID)
	}
	payload, err := obj.Verify(pub)
	if err != nil {
		return nil, ErrSignature
	}

	var claims map[string]any
	dec := json.NewDecoder(bytes.NewReader(payload))
	if err := dec.Decode(&claims); err != nil || claims == nil {
		return nil, fmt.Errorf("%w: payload is not a JSON object", errNotVC)
	}
	if err := checkCredential(claims); err != nil {
		return nil, err
	}
	return claims, nil
}

// allAlgorithms lets Verify tell a token signed with another algorithm
// (ErrAlgorithm) from one that does not parse at all.
var allAlgorithms = []jose.SignatureAlgorithm{
	jose.EdDSA, jose.HS256, jose.HS384, jose.HS512, jose.RS256, jose.RS384, jose.RS512,
	jose.ES256, jose.ES384, jose.ES512, jose.PS256, jose.PS384, jose.PS512,
}

// checkCredential makes sure verified claims are a VC 2.0 credential whose
// JWT claims agree with it.
func checkCredential(claims map[string]any) error {
	ctx, _ := claims["@context"].([]any)
	if len(ctx) == 0 || ctx[0] != ContextCredentialsV2 {
		return fmt.Errorf("%w: @context must begin with %s", errNotVC, ContextCredentialsV2)
	}
	types, _ := claims["type"].([]any)
	if !slices.Contains(types, any("VerifiableCredential")) {
		return fmt.Errorf("%w: type lacks VerifiableCredential", errNotVC)
	}
	if _, ok := claims["vc"]; ok {
		return fmt.Errorf("%w: \"vc\" claim present", errNotVC)
	}
	if iss, ok := claims["iss"]; ok && iss != issuerID(claims) {
		return fmt.Errorf("%w: iss %v", errClaimsClash, iss)
	}
	if jti, ok := claims["jti"]; ok && jti != claims["id"] {
		return fmt.Errorf("%w: jti %v", errClaimsClash, jti)
	}
	return nil
}

// issuerID is the credential's issuer: a URL string or a Profile's id.
func issuerID(cred map[string]any) string {
	switch is := cred["issuer"].(type) {
	case string:
		return is
	case map[string]any:
		id, _ := is["id"].(string)
		return id
	}
	return ""
}
