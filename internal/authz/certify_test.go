package authz

import (
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

// TestAttendanceRatingAndCertificateActions pins who records attendance,
// rates, sees the printable certificate and revokes it.
func TestAttendanceRatingAndCertificateActions(t *testing.T) {
	const provider, other, person = 10, 11, 7
	member := func(org int64, kind domain.OrgKind, r domain.Role) *domain.Actor {
		return &domain.Actor{Person: &domain.Person{ID: 99}, Memberships: []domain.Membership{{OrgID: org, OrgKind: kind, Roles: []domain.Role{r}}}}
	}
	staff := member(provider, domain.OrgProvider, domain.RoleProviderStaff)
	otherStaff := member(other, domain.OrgProvider, domain.RoleProviderStaff)
	admin := member(1, domain.OrgPlatform, domain.RoleAdmin)
	participant := &domain.Actor{Person: &domain.Person{ID: person}}
	anonymous := &domain.Actor{}
	res := Resource{ProviderID: provider, PersonID: person}
	cases := []struct {
		name string
		a    *domain.Actor
		act  Action
		want bool
	}{
		{"staff records attendance", staff, AttendanceRecord, true},
		{"other provider records attendance", otherStaff, AttendanceRecord, false},
		{"admin records attendance", admin, AttendanceRecord, false},
		{"participant records attendance", participant, AttendanceRecord, false},
		{"participant rates", participant, BookingRate, true},
		{"staff rates", staff, BookingRate, false},
		{"admin rates", admin, BookingRate, false},
		{"participant's certificate", participant, CertificateView, true},
		{"staff sees certificate", staff, CertificateView, true},
		{"admin sees certificate", admin, CertificateView, true},
		{"other provider sees certificate", otherStaff, CertificateView, false},
		{"anonymous sees certificate", anonymous, CertificateView, false},
		{"staff revokes", staff, CertificateRevoke, true},
		{"admin revokes", admin, CertificateRevoke, true},
		{"other provider revokes", otherStaff, CertificateRevoke, false},
		{"participant revokes", participant, CertificateRevoke, false},
		{"anonymous revokes", anonymous, CertificateRevoke, false},
	}
	for _, c := range cases {
		if got := Allowed(c.a, c.act, res); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if Allowed(participant, BookingRate, Resource{}) {
		t.Error("a booking without a person can be rated")
	}
}
