package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// readyCheck is one check in /readyz's answer.
type readyCheck struct {
	Name   string `json:"name"`
	Status string `json:"status"` // ok or failed
}

// handleReady runs the readiness checks (app.ReadyChecks: database, file
// store, and what other parts added) at once, each within two seconds, and
// answers 200 when all pass, else 503, with a JSON body naming each check.
// The reasons go to the log, not to the public answer.
func (s *Server) handleReady(w http.ResponseWriter, r *http.Request) {
	checks := s.app.ReadyChecks()
	res := make([]readyCheck, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			res[i] = readyCheck{Name: c.Name, Status: "ok"}
			if err := c.Run(ctx); err != nil {
				res[i].Status = "failed"
				s.log.WarnContext(r.Context(), "not ready", "check", c.Name, "err", err)
			}
		})
	}
	wg.Wait()
	status, code := "ok", http.StatusOK
	for _, c := range res {
		if c.Status != "ok" {
			status, code = "unavailable", http.StatusServiceUnavailable
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(struct {
		Status string       `json:"status"`
		Checks []readyCheck `json:"checks"`
	}{status, res})
}
