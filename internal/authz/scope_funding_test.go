package authz

import (
	"slices"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func actorWith(ms ...domain.Membership) *domain.Actor {
	return &domain.Actor{Person: &domain.Person{ID: 1}, Memberships: ms}
}

func TestApplicationScope(t *testing.T) {
	for _, c := range []struct {
		name          string
		a             *domain.Actor
		all           bool
		orgs, reviews []int64
	}{
		{"anonymous", &domain.Actor{}, false, []int64{}, []int64{}},
		{"participant sees nothing", actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleParticipant}}), false, []int64{}, []int64{}},
		{"signatory", actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleSignatory}}), false, []int64{7}, []int64{}},
		{"hr and account admin", actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleHR}},
			domain.Membership{OrgID: 8, Roles: []domain.Role{domain.RoleAccountAdmin}}), false, []int64{7, 8}, []int64{}},
		{"reviewer", actorWith(domain.Membership{OrgID: 3, Roles: []domain.Role{domain.RoleReviewer}}), false, []int64{}, []int64{3}},
		{"admin sees all", actorWith(domain.Membership{OrgID: 1, OrgKind: domain.OrgPlatform, Roles: []domain.Role{domain.RoleAdmin}}), true, nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := ApplicationScope(c.a)
			if c.all {
				if f.OrgIDs != nil || f.ReviewBy != nil {
					t.Fatalf("admin scope %+v, want no restriction", f)
				}
				return
			}
			// An empty, non-nil list means "none", which the store honours.
			if f.OrgIDs == nil || f.ReviewBy == nil || !slices.Equal(f.OrgIDs, c.orgs) || !slices.Equal(f.ReviewBy, c.reviews) {
				t.Fatalf("scope %+v, want orgs %v reviews %v", f, c.orgs, c.reviews)
			}
		})
	}
}

func TestMailboxScopeIsMembership(t *testing.T) {
	a := actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleParticipant}}, domain.Membership{OrgID: 9})
	if got := MailboxScope(a); !slices.Equal(got, []int64{7, 9}) {
		t.Fatalf("mailbox scope %v", got)
	}
	if got := MailboxScope(&domain.Actor{}); len(got) != 0 {
		t.Fatalf("anonymous mailbox scope %v", got)
	}
}

func TestReviewersReadDocumentsOfSubmittedApplicationsOnly(t *testing.T) {
	rev := actorWith(domain.Membership{OrgID: 3, Roles: []domain.Role{domain.RoleReviewer}})
	draft := domain.Application{Status: domain.AppDraft, ReviewerID: 3}
	sub := domain.Application{Status: domain.AppSubmitted, ReviewerID: 3}
	other := domain.Application{Status: domain.AppSubmitted, ReviewerID: 4}
	if DocumentReadable(rev, &domain.Document{OrgID: 7}, []domain.Application{draft}) || DocumentReadable(rev, &domain.Document{OrgID: 7}, []domain.Application{other}) {
		t.Fatal("reviewer reads a document of a draft or of another association's application")
	}
	if !DocumentReadable(rev, &domain.Document{OrgID: 7}, []domain.Application{draft, sub}) {
		t.Fatal("reviewer cannot read a submitted application's document")
	}
	if !DocumentReadable(actorWith(domain.Membership{OrgID: 7}), &domain.Document{OrgID: 7}, nil) {
		t.Fatal("member cannot read the organisation's document")
	}
}

func TestCommentVisibilities(t *testing.T) {
	res := Resource{OrgID: 7, ReviewerID: 3}
	for _, c := range []struct {
		name string
		a    *domain.Actor
		want []string
	}{
		{"anonymous", &domain.Actor{}, []string{}},
		{"reviewer reads internal notes", actorWith(domain.Membership{OrgID: 3, Roles: []domain.Role{domain.RoleReviewer}}),
			[]string{domain.CommentInternal, domain.CommentApplicant}},
		{"reviewer of another association", actorWith(domain.Membership{OrgID: 4, Roles: []domain.Role{domain.RoleReviewer}}), []string{}},
		{"admin", actorWith(domain.Membership{OrgID: 1, OrgKind: domain.OrgPlatform, Roles: []domain.Role{domain.RoleAdmin}}),
			[]string{domain.CommentInternal, domain.CommentApplicant}},
		{"signatory never reads internal notes", actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleSignatory}}), []string{domain.CommentApplicant}},
		{"account admin", actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleAccountAdmin}}), []string{domain.CommentApplicant}},
		{"participant", actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleParticipant}}), []string{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := CommentVisibilities(c.a, res); got == nil || !slices.Equal(got, c.want) {
				t.Fatalf("visibilities %v, want %v", got, c.want)
			}
		})
	}
	// Writing: the applicant's people and the reviewers, not admins.
	admin := actorWith(domain.Membership{OrgID: 1, OrgKind: domain.OrgPlatform, Roles: []domain.Role{domain.RoleAdmin}})
	if Allowed(admin, ApplicationDiscuss, res) || !Allowed(actorWith(domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleHR}}), ApplicationDiscuss, res) {
		t.Fatal("discussion rights wrong")
	}
}
