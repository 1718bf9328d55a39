package web

import (
	"net/http"
	"net/url"
)

// afterRequirement answers the switch of a second-factor requirement with
// a redirect to target; or, when switching it on made the acting person's
// own session wait for the second factor (they are covered and gave none
// in this session), first to the second step of the login, which sets it
// up or asks for it and then returns to target. The change itself is
// saved either way, so nobody locks themselves out in the middle of it.
func (s *Server) afterRequirement(w http.ResponseWriter, r *http.Request, target string) error {
	if tok := state(r).sessionToken; tok != "" && s.app.Account.SessionPending(r.Context(), tok) {
		return redirect(w, r, mfaLoginPath+"?weiter="+url.QueryEscape(target))
	}
	return redirect(w, r, target)
}
