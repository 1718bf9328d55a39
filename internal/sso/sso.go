// Package sso speaks OpenID Connect to the configured identity providers:
// discovery, the authorization code flow with PKCE, verifying ID tokens
// (signature, issuer, audience, expiry and the nonce) and the provider's
// logout. It knows nothing about accounts: internal/account decides who a
// verified identity is, keeps the login state in the database and starts
// the session. Errors are the domain's German sign-on errors; the cause
// stays in the wrapped error for the logs.
package sso

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/lotse-oss/lotse/internal/domain"
	"golang.org/x/oauth2"
)

// Provider is one configured identity provider.
type Provider struct {
	// ID names the provider in the callback address and in the linked
	// identities; it must not change once people logged in through it.
	ID           string   `json:"id"`
	Issuer       string   `json:"issuer"`
	ClientID     string   `json:"client_id"`
	ClientSecret string   `json:"client_secret"`
	Scopes       []string `json:"scopes,omitempty"`
	// Label is the login button's text, e.g. "Mit service-bw anmelden".
	Label string `json:"label"`
	// AGSClaim names the claim that carries the AGS of the person's
	// authority (a dotted path reaches into nested claims, e.g.
	// "org.ags"); empty: memberships come from invitations only.
	AGSClaim string `json:"ags_claim,omitempty"`
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// Validate checks a provider's settings.
func (p *Provider) Validate() error {
	var errs []error
	if !idPattern.MatchString(p.ID) {
		errs = append(errs, fmt.Errorf("provider id %q: use 1 to 40 lower-case letters, digits and dashes", p.ID))
	}
	if u, err := url.Parse(p.Issuer); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errs = append(errs, fmt.Errorf("provider %q: issuer must be an http(s) URL", p.ID))
	}
	if p.ClientID == "" {
		errs = append(errs, fmt.Errorf("provider %q: client_id is missing", p.ID))
	}
	if strings.TrimSpace(p.Label) == "" {
		errs = append(errs, fmt.Errorf("provider %q: label is missing", p.ID))
	}
	return errors.Join(errs...)
}

// ParseProviders reads the providers from their JSON setting (a list).
func ParseProviders(s string) ([]Provider, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var ps []Provider
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ps); err != nil {
		return nil, fmt.Errorf("OIDC providers: %w", err)
	}
	seen := map[string]bool{}
	for i := range ps {
		if err := ps[i].Validate(); err != nil {
			return nil, err
		}
		if seen[ps[i].ID] {
			return nil, fmt.Errorf("OIDC providers: id %q given twice", ps[i].ID)
		}
		seen[ps[i].ID] = true
	}
	return ps, nil
}

// Identity is what a provider confirmed about the person who logged in.
type Identity struct {
	Provider, Subject string
	Email             string
	EmailVerified     bool
	Name              string
	// AGS is the value of the provider's AGS claim, if configured and sent.
	AGS string
	// IDToken is the raw ID token, kept for the provider's logout.
	IDToken string
}

// Client talks to the configured providers.
type Client struct {
	providers []Provider
	baseURL   string
	http      *http.Client
	// Now is the clock ID tokens are checked against; tests move it.
	Now func() time.Time

	mu         sync.Mutex
	discovered map[string]*oidc.Provider
}

// New returns a client for the providers; baseURL is the platform's public
// address, from which the callback addresses are made.
func New(baseURL string, providers []Provider) *Client {
	return &Client{providers: slices.Clone(providers), baseURL: strings.TrimRight(baseURL, "/"),
		http: &http.Client{Timeout: 10 * time.Second}, Now: time.Now, discovered: map[string]*oidc.Provider{}}
}

// Providers lists the configured providers in their configured order.
func (c *Client) Providers() []Provider {
	if c == nil {
		return nil
	}
	return slices.Clone(c.providers)
}

// Labels lists the login buttons' labels.
func (c *Client) Labels() []string {
	var out []string
	for _, p := range c.Providers() {
		out = append(out, p.Label)
	}
	return out
}

// Provider returns the provider with id.
func (c *Client) Provider(id string) (Provider, bool) {
	for _, p := range c.Providers() {
		if p.ID == id {
			return p, true
		}
	}
	return Provider{}, false
}

// CallbackURL is where the provider sends the browser back to.
func (c *Client) CallbackURL(id string) string {
	return c.baseURL + "/anmelden/sso/" + url.PathEscape(id) + "/zurueck"
}

func (c *Client) ctx(ctx context.Context) context.Context {
	return context.WithValue(oidc.ClientContext(ctx, c.http), oauth2.HTTPClient, c.http)
}

// discover returns the provider's discovery document, fetched once and
// kept; a failed fetch is tried again next time.
func (c *Client) discover(ctx context.Context, id string) (Provider, *oidc.Provider, error) {
	p, ok := c.Provider(id)
	if !ok {
		return p, nil, domain.ErrSSOUnknownProvider
	}
	c.mu.Lock()
	op := c.discovered[id]
	c.mu.Unlock()
	if op != nil {
		return p, op, nil
	}
	op, err := oidc.NewProvider(c.ctx(ctx), p.Issuer)
	if err != nil {
		return p, nil, &domain.Error{Code: domain.EUnavailable, Message: domain.ErrSSOUnavailable.Message, Err: fmt.Errorf("discovery of %s: %w", id, err)}
	}
	c.mu.Lock()
	c.discovered[id] = op
	c.mu.Unlock()
	return p, op, nil
}

func (c *Client) oauth(p Provider, op *oidc.Provider) *oauth2.Config {
	scopes := p.Scopes
	if len(scopes) == 0 {
		scopes = []string{"profile", "email"}
	}
	if !slices.Contains(scopes, oidc.ScopeOpenID) {
		scopes = append([]string{oidc.ScopeOpenID}, scopes...)
	}
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: op.Endpoint(),
		RedirectURL: c.CallbackURL(p.ID), Scopes: scopes}
}

// AuthURL returns the provider's authorization address for a new login with
// state, nonce and the PKCE verifier (sent as its S256 challenge).
func (c *Client) AuthURL(ctx context.Context, id, state, nonce, verifier string) (string, error) {
	p, op, err := c.discover(ctx, id)
	if err != nil {
		return "", err
	}
	return c.oauth(p, op).AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), nil
}

// Exchange redeems the authorization code with the PKCE verifier, verifies
// the ID token (signature, issuer, audience, expiry against Now) and its
// nonce, and reads the claims of the ID token and the userinfo endpoint.
func (c *Client) Exchange(ctx context.Context, id, code, verifier, nonce string) (*Identity, error) {
	p, op, err := c.discover(ctx, id)
	if err != nil {
		return nil, err
	}
	ctx = c.ctx(ctx)
	tok, err := c.oauth(p, op).Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) {
			return nil, wrap(domain.ErrSSOToken, "token exchange", err)
		}
		return nil, wrap(domain.ErrSSOUnavailable, "token exchange", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return nil, wrap(domain.ErrSSOToken, "token response", errors.New("no id_token"))
	}
	idt, err := op.Verifier(&oidc.Config{ClientID: p.ClientID, Now: c.Now}).Verify(ctx, raw)
	if err != nil {
		var expired *oidc.TokenExpiredError
		if errors.As(err, &expired) {
			return nil, wrap(domain.ErrSSOExpired, "id token", err)
		}
		return nil, wrap(domain.ErrSSOToken, "id token", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return nil, wrap(domain.ErrSSONonce, "id token", errors.New("nonce mismatch"))
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return nil, wrap(domain.ErrSSOToken, "id token claims", err)
	}
	if op.UserInfoEndpoint() != "" {
		ui, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return nil, wrap(domain.ErrSSOUnavailable, "userinfo", err)
		}
		if ui.Subject != idt.Subject {
			return nil, wrap(domain.ErrSSOToken, "userinfo", errors.New("subject differs from the id token's"))
		}
		more := map[string]any{}
		if err := ui.Claims(&more); err != nil {
			return nil, wrap(domain.ErrSSOToken, "userinfo claims", err)
		}
		for k, v := range more {
			if _, ok := claims[k]; !ok {
				claims[k] = v
			}
		}
	}
	return IdentityFrom(p, idt.Subject, raw, claims), nil
}

// IdentityFrom reads an identity from verified claims: the address, whether
// the provider verified it, a name, and the AGS claim if configured.
func IdentityFrom(p Provider, subject, rawIDToken string, claims map[string]any) *Identity {
	id := &Identity{Provider: p.ID, Subject: subject, IDToken: rawIDToken}
	id.Email = domain.NormalizeEmail(ClaimString(claims, "email"))
	switch v := claims["email_verified"].(type) {
	case bool:
		id.EmailVerified = v
	case string:
		id.EmailVerified, _ = strconv.ParseBool(v)
	}
	id.Name = strings.TrimSpace(ClaimString(claims, "name"))
	if id.Name == "" {
		id.Name = strings.TrimSpace(ClaimString(claims, "given_name") + " " + ClaimString(claims, "family_name"))
	}
	if p.AGSClaim != "" {
		id.AGS = strings.TrimSpace(ClaimString(claims, p.AGSClaim))
	}
	return id
}

// ClaimString returns a claim as text: path may name a nested claim with
// dots ("org.ags"); a number is written out, of a list the first entry
// counts. Anything else is "".
func ClaimString(claims map[string]any, path string) string {
	var v any = claims
	for part := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		if v, ok = m[part]; !ok {
			return ""
		}
	}
	if l, ok := v.([]any); ok {
		if len(l) == 0 {
			return ""
		}
		v = l[0]
	}
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	}
	return ""
}

// LogoutURL returns the provider's end-session address for RP-initiated
// logout with the ID token as hint and postLogout as the address to come
// back to, or "" when the provider names no end_session_endpoint (or its
// discovery fails: the local logout stands on its own).
func (c *Client) LogoutURL(ctx context.Context, id, idToken, postLogout string) string {
	p, op, err := c.discover(ctx, id)
	if err != nil {
		return ""
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := op.Claims(&meta); err != nil || meta.EndSession == "" {
		return ""
	}
	u, err := url.Parse(meta.EndSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("id_token_hint", idToken)
	q.Set("client_id", p.ClientID)
	if postLogout != "" {
		q.Set("post_logout_redirect_uri", postLogout)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Ready fetches every provider's discovery document afresh and reports the
// first that fails.
func (c *Client) Ready(ctx context.Context) error {
	for _, p := range c.Providers() {
		if _, err := oidc.NewProvider(c.ctx(ctx), p.Issuer); err != nil {
			return fmt.Errorf("OIDC provider %s: %w", p.ID, err)
		}
	}
	return nil
}

// wrap returns a copy of the sign-on error e with the cause for the logs.
func wrap(e *domain.Error, op string, cause error) error {
	return &domain.Error{Code: e.Code, Message: e.Message, Fields: e.Fields, Err: fmt.Errorf("%s: %w", op, cause)}
}
