package domain

import "testing"

// TestTeamCountLimitForFilters: the total stops at 1,000 rows when a
// name, a status, an offer, a part of a title or a certificate filters
// the overview; at 10,000 without a filter or with a role profile alone.
func TestTeamCountLimitForFilters(t *testing.T) {
	yes := true
	for _, c := range []struct {
		f    TeamFilter
		want int
	}{
		{TeamFilter{OrgID: 1}, TeamCountLimit},
		{TeamFilter{OrgID: 1, Name: "müller"}, TeamFilteredCountLimit},
		{TeamFilter{OrgID: 1, RoleProfileID: 3}, TeamCountLimit},
		{TeamFilter{OrgID: 1, Status: "confirmed"}, TeamFilteredCountLimit},
		{TeamFilter{OrgID: 1, Status: TeamStatusNone}, TeamFilteredCountLimit},
		{TeamFilter{OrgID: 1, OfferID: 7}, TeamFilteredCountLimit},
		{TeamFilter{OrgID: 1, OfferTitle: "KI"}, TeamFilteredCountLimit},
		{TeamFilter{OrgID: 1, Name: "müller", Certificate: &yes}, TeamFilteredCountLimit},
	} {
		if got := TeamCountLimitFor(c.f); got != c.want {
			t.Errorf("%+v: counts up to %d, want %d", c.f, got, c.want)
		}
	}
}
