package domain

import "testing"

func TestApplicationTransitions(t *testing.T) {
	allowed := map[[2]AppStatus]bool{
		{AppDraft, AppSubmitted}: true, {AppDraft, AppWithdrawn}: true,
		{AppSubmitted, AppApproved}: true, {AppSubmitted, AppRejected}: true, {AppSubmitted, AppReturned}: true, {AppSubmitted, AppWithdrawn}: true,
		{AppReturned, AppSubmitted}: true, {AppReturned, AppWithdrawn}: true,
	}
	for _, from := range AppStatuses {
		for _, to := range AppStatuses {
			if got := from.CanTransition(to); got != allowed[[2]AppStatus{from, to}] {
				t.Errorf("%s → %s: %v", from, to, got)
			}
		}
	}
	for _, s := range []AppStatus{AppApproved, AppRejected, AppWithdrawn} {
		for _, to := range AppStatuses {
			if s.CanTransition(to) {
				t.Errorf("final status %s moves to %s", s, to)
			}
		}
	}
}

func TestApplicationStatusLabels(t *testing.T) {
	for _, s := range AppStatuses {
		if !s.Valid() || s.Label() == string(s) {
			t.Errorf("status %s has no German label", s)
		}
	}
	if AppStatus("paused").Valid() {
		t.Error("unknown status counts as valid")
	}
}
