package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkRenderPage measures rendering alone (no database): the layout
// with the menu of a person with several roles around a short page, the
// audit log page of 50 entries and an organisation page with 50 members:
// pages whose p99 on PostgreSQL under load the template engine's time
// decided (issue 14).
//
//	go test ./internal/web -run XXX -bench RenderPage
func BenchmarkRenderPage(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	ctx := context.Background()
	if _, err := demo.Load(ctx, db, testPassword); err != nil {
		b.Fatal(err)
	}
	srv, err := New(app.New(db, storetest.BaseURL, nil), Config{BaseURL: "http://lotse.test"}, discardLogger())
	if err != nil {
		b.Fatal(err)
	}
	a := &domain.Actor{Person: &domain.Person{ID: 1, Name: "Anna Admin", Email: "admin@lotse.example"},
		Memberships: []domain.Membership{
			{OrgID: 1, OrgName: "Futurehausen", OrgKind: domain.OrgMunicipality, Roles: []domain.Role{domain.RoleHR, domain.RoleSignatory}},
			{OrgID: 2, OrgName: "Verwaltungsschule", OrgKind: domain.OrgProvider, Roles: []domain.Role{domain.RoleProviderStaff}},
			{OrgID: 3, OrgName: "Plattform", OrgKind: domain.OrgPlatform, Roles: []domain.Role{domain.RoleAdmin}},
		}}
	entries := make([]domain.AuditEntry, 50)
	at := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	for i := range entries {
		entries[i] = domain.AuditEntry{ID: int64(1000 - i), At: at.Add(-time.Duration(i) * time.Minute), ActorID: int64(i), ActorName: fmt.Sprintf("Person %d", i),
			OrgID: 7, OrgName: "Futurehausen", Action: "booking.create", ObjectType: "booking", ObjectID: fmt.Sprint(i),
			Detail: `{"session":155,"status":"confirmed","payment":"private"}`}
	}
	members := make([]domain.Member, 50)
	for i := range members {
		members[i] = domain.Member{Person: domain.Person{ID: int64(100 + i), Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("person%d@futurehausen.example", i)},
			Membership: domain.Membership{OrgID: 7, Roles: []domain.Role{domain.RoleParticipant, domain.RoleHR}}}
	}
	org := &domain.Organisation{ID: 7, Kind: domain.OrgMunicipality, Name: "Stadt Futurehausen", AGS: "08999001"}
	for _, c := range []struct {
		name string
		tmpl string
		data func(Page) any
	}{
		{"layout", "error", func(p Page) any { return &errorPage{Page: p, Status: 404, Message: "Nicht gefunden."} }},
		{"audit-50", "admin_audit", func(p Page) any { return &adminAuditPage{Page: p, Rows: auditRows(entries)} }},
		{"org-members-50", "org", func(p Page) any {
			return &orgPage{Page: p, Org: org, Members: memberRows(org.ID, members), MemberCount: 2000, Roles: domain.RolesFor(org.Kind), CanManage: true}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", "/admin/protokoll", nil)
			r = r.WithContext(context.WithValue(r.Context(), stateKey{}, &reqState{actor: a, csrf: "x"}))
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				srv.render(w, r, 200, c.tmpl, c.data(srv.newPage(r, "Protokoll")))
				if w.Code != 200 || w.Body.Len() < 1000 {
					b.Fatalf("render: %d, %d bytes", w.Code, w.Body.Len())
				}
			}
		})
	}
}
