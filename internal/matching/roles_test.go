package matching_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// colleagues creates n members of the organisation with the participant
// role and returns contexts acting as them.
func colleagues(t *testing.T, db *store.DB, orgID int64, prefix string, n int) []context.Context {
	t.Helper()
	var out []context.Context
	for i := range n {
		email := fmt.Sprintf("%s%d@futurehausen.example", prefix, i)
		p := &domain.Person{Email: email, Name: fmt.Sprintf("Kollegin %s %d", prefix, i)}
		if err := db.CreatePerson(context.Background(), p, demo.DefaultPassword); err != nil {
			t.Fatal(err)
		}
		if err := db.SetRoles(context.Background(), orgID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		out = append(out, as(t, db, email))
	}
	return out
}

// assessShared saves an assessment with the items and shares it with org.
func assessShared(t *testing.T, a *app.App, ctx context.Context, org int64, items ...domain.AssessmentItem) {
	t.Helper()
	if _, err := a.Matching.SaveAssessment(ctx, &domain.Assessment{Items: items}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Matching.ShareAssessment(ctx, org); err != nil {
		t.Fatal(err)
	}
}

func personID(ctx context.Context) int64 { return domain.ActorFrom(ctx).PersonID() }

// assignedProfile creates a role profile of org with the targets, as hr,
// and assigns the people to it.
func assignedProfile(t *testing.T, a *app.App, hr context.Context, org int64, name string, targets []domain.RoleTarget, people []context.Context) *domain.RoleProfile {
	t.Helper()
	p, err := a.Matching.CreateRoleProfile(hr, org, &domain.RoleProfile{Name: name, Targets: targets})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, c := range people {
		ids = append(ids, personID(c))
	}
	if _, err := a.Matching.SetRoleMembers(hr, org, p.ID, ids); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRoleProfilesStartFromTheTemplatesAndAreEditable: HR finds the
// shipped profiles (the pilot role first among them) as the
// municipality's own copies, edits, creates and deletes them, and a
// deleted copy does not come back; bad input gets German field messages.
func TestRoleProfilesStartFromTheTemplatesAndAreEditable(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		hr := as(t, db, anna)
		org := orgOf(t, hr)
		list, err := a.Matching.RoleProfiles(hr, org)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != len(domain.RoleProfileTemplates) {
			t.Fatalf("%d profiles, want the %d templates", len(list), len(domain.RoleProfileTemplates))
		}
		var lotse *domain.RoleProfile
		for i := range list {
			if list[i].Template == "digitallotse" {
				lotse = &list[i]
			}
		}
		if lotse == nil || lotse.Name != "Digitallotse/Digitallotsin" || lotse.OrgID != org || lotse.Target("PM.1") != 2 || lotse.Targets[0].Name == "" {
			t.Fatalf("pilot role %+v", lotse)
		}
		// Editing the copy.
		upd, err := a.Matching.UpdateRoleProfile(hr, org, lotse.ID, &domain.RoleProfile{Name: " Digitallotsin ", Description: "neu",
			Targets: []domain.RoleTarget{{Code: "PM.1", Level: 3}, {Code: "KI.1", Level: 2}}})
		if err != nil || upd.Name != "Digitallotsin" || len(upd.Targets) != 2 || upd.Target("PM.1") != 3 || upd.Template != "digitallotse" {
			t.Fatalf("update: %+v %v", upd, err)
		}
		// Validation.
		_, err = a.Matching.CreateRoleProfile(hr, org, &domain.RoleProfile{Name: "", Targets: []domain.RoleTarget{
			{Code: "XX.1", Level: 1}, {Code: "PM", Level: 2}, {Code: "KI.1", Level: 4}, {Code: "KI.1", Level: 0}}})
		storetest.WantCode(t, err, domain.EInvalid)
		f := domain.ErrorFields(err)
		for _, k := range []string{"name", "targets.0.code", "targets.1.code", "targets.2.level", "targets.3.code", "targets.3.level"} {
			if f[k] == "" {
				t.Errorf("no message for %s in %v", k, f)
			}
		}
		if !strings.Contains(f["targets.0.code"], "Kompetenzrahmen") {
			t.Errorf("message %q", f["targets.0.code"])
		}
		_, err = a.Matching.CreateRoleProfile(hr, org, &domain.RoleProfile{Name: "Führungskraft", Targets: []domain.RoleTarget{{Code: "PM.1", Level: 1}}})
		storetest.WantCode(t, err, domain.EConflict)
		if domain.ErrorFields(err)["name"] == "" {
			t.Errorf("no name message for a taken name: %v", err)
		}
		// Create and delete.
		p, err := a.Matching.CreateRoleProfile(hr, org, &domain.RoleProfile{Name: "IT-Koordination", Targets: []domain.RoleTarget{{Code: "SEC.1", Level: 2}}})
		if err != nil || p.ID == 0 || p.Template != "" {
			t.Fatalf("create: %+v %v", p, err)
		}
		if err := a.Matching.DeleteRoleProfile(hr, org, lotse.ID); err != nil {
			t.Fatal(err)
		}
		list, err = a.Matching.RoleProfiles(hr, org)
		if err != nil || len(list) != len(domain.RoleProfileTemplates) {
			t.Fatalf("after delete and create: %d profiles (%v)", len(list), err)
		}
		for _, q := range list {
			if q.Template == "digitallotse" {
				t.Fatalf("the deleted copy came back")
			}
		}
		if _, err := a.Matching.RoleProfile(hr, org, lotse.ID); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("deleted profile: %v", err)
		}
	})
}

// TestRoleProfilesBelongToTheirMunicipality: a participant, a provider and
// HR of another municipality are refused; a profile of another
// municipality is not found through one's own; only members can be
// assigned.
func TestRoleProfilesBelongToTheirMunicipality(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		hr, nk := as(t, db, anna), as(t, db, niklas)
		org := orgOf(t, hr)
		list, err := a.Matching.RoleProfiles(hr, org)
		if err != nil {
			t.Fatal(err)
		}
		pid := list[0].ID
		for name, ctx := range map[string]context.Context{"participant": nk, "provider": as(t, db, vera)} {
			if _, err := a.Matching.RoleProfiles(ctx, org); domain.ErrorCode(err) != domain.EForbidden {
				t.Errorf("%s lists profiles: %v", name, err)
			}
			if _, err := a.Matching.TeamGaps(ctx, org); domain.ErrorCode(err) != domain.EForbidden {
				t.Errorf("%s sees team gaps: %v", name, err)
			}
		}
		// HR of another municipality.
		q := "Kleinbach"
		kb, _, err := db.Organisations(context.Background(), domain.OrgFilter{Query: &q})
		if err != nil || len(kb) == 0 {
			t.Fatalf("Kleinbach: %v", err)
		}
		other := &domain.Person{Email: "personal@kleinbach.example", Name: "Kai Kleinbach"}
		if err := db.CreatePerson(context.Background(), other, demo.DefaultPassword); err != nil {
			t.Fatal(err)
		}
		if err := db.SetRoles(context.Background(), kb[0].ID, other.ID, []domain.Role{domain.RoleHR}); err != nil {
			t.Fatal(err)
		}
		khr := as(t, db, "personal@kleinbach.example")
		if _, err := a.Matching.UpdateRoleProfile(khr, org, pid, &domain.RoleProfile{Name: "x", Targets: []domain.RoleTarget{{Code: "PM.1", Level: 1}}}); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("other HR edits: %v", err)
		}
		if _, err := a.Matching.RoleProfile(khr, kb[0].ID, pid); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("other HR reads Futurehausen's profile through Kleinbach: %v", err)
		}
		if err := a.Matching.DeleteRoleProfile(khr, kb[0].ID, pid); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("other HR deletes through Kleinbach: %v", err)
		}
		// Assignment: members only.
		_, err = a.Matching.SetRoleMembers(hr, org, pid, []int64{personID(nk), other.ID})
		storetest.WantCode(t, err, domain.EInvalid)
		if domain.ErrorFields(err)["persons.1"] == "" {
			t.Fatalf("no message for the stranger: %v", err)
		}
		p, err := a.Matching.SetRoleMembers(hr, org, pid, []int64{personID(nk), personID(nk)})
		if err != nil || len(p.Members) != 1 || p.Members[0].PersonID != personID(nk) || p.Members[0].Name == "" {
			t.Fatalf("assign Niklas: %+v %v", p, err)
		}
	})
}

// TestTeamGapsComeOnlyFromSharedAssessments: the team of a profile shows
// the gaps of those who shared, counts the others as not shared, hides the
// aggregates below five people who shared and shows them at five; a
// withdrawn share disappears; a gap lists offers that teach the competence
// at the target level with what they cost after the programme's funding.
func TestTeamGapsComeOnlyFromSharedAssessments(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		hr, nk := as(t, db, anna), as(t, db, niklas)
		org := orgOf(t, hr)
		people := colleagues(t, db, org, "team", 5)
		p, err := a.Matching.CreateRoleProfile(hr, org, &domain.RoleProfile{Name: "Bürgerservice digital",
			Targets: []domain.RoleTarget{{Code: "RECHT.1", Level: 2}, {Code: "SEC.2", Level: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{personID(nk)}
		for _, c := range people {
			ids = append(ids, personID(c))
		}
		if _, err := a.Matching.SetRoleMembers(hr, org, p.ID, ids); err != nil {
			t.Fatal(err)
		}
		// Niklas assesses but does not share; four colleagues share, each
		// one level below in RECHT.1 and without a SEC.2 rating (level 0).
		if _, err := a.Matching.SaveAssessment(nk, &domain.Assessment{Items: []domain.AssessmentItem{{Code: "RECHT.1", Level: 0, Target: 3}}}); err != nil {
			t.Fatal(err)
		}
		for _, c := range people[:4] {
			assessShared(t, a, c, org, domain.AssessmentItem{Code: "RECHT.1", Level: 1, Target: 2})
		}
		team := func() domain.ProfileGaps {
			t.Helper()
			gs, err := a.Matching.TeamGaps(hr, org)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range gs {
				if g.ProfileID == p.ID {
					return g
				}
			}
			t.Fatalf("profile %d missing in %+v", p.ID, gs)
			return domain.ProfileGaps{}
		}
		g := team()
		if g.Assigned != 6 || g.Shared != 4 || g.NotShared != 2 || len(g.People) != 4 {
			t.Fatalf("four shared: %+v", g)
		}
		for _, row := range g.People {
			if row.PersonID == personID(nk) {
				t.Fatalf("Niklas's unshared assessment shows: %+v", row)
			}
			if len(row.Gaps) != 2 || row.Gaps[0].Code != "RECHT.1" || row.Gaps[0].Gap != 1 || row.Gaps[1].Level != 0 || row.Gaps[1].Gap != 1 {
				t.Fatalf("gaps of %s: %+v", row.Name, row.Gaps)
			}
		}
		for _, c := range g.Competences {
			if !c.BelowThreshold || c.WithGap != nil || c.AverageGap != nil {
				t.Fatalf("aggregate shown for four people: %+v", c)
			}
		}
		// The fifth shares: the aggregates appear.
		assessShared(t, a, people[4], org, domain.AssessmentItem{Code: "RECHT.1", Level: 2, Target: 2}, domain.AssessmentItem{Code: "SEC.2", Level: 1, Target: 1})
		g = team()
		if g.Shared != 5 || len(g.People) != 5 {
			t.Fatalf("five shared: %+v", g)
		}
		var recht domain.CompetenceGaps
		for _, c := range g.Competences {
			if c.BelowThreshold || c.WithGap == nil || *c.WithGap != 4 || *c.AverageGap != 0.8 {
				t.Fatalf("aggregate at five: %+v", c)
			}
			if c.Code == "RECHT.1" {
				recht = c
			}
		}
		// Offers for RECHT.1 at level 2: the demo's advanced module on the
		// OZG (180 €, one day of the advanced track: 50 € funded).
		if len(recht.Offers) == 0 || len(recht.Offers) > 3 {
			t.Fatalf("offers for RECHT.1: %+v", recht.Offers)
		}
		prog, err := db.Programme(context.Background(), "digitallotsen-bw")
		if err != nil {
			t.Fatal(err)
		}
		funded := false
		for _, o := range recht.Offers {
			if o.Level < 2 || o.NextSession == nil {
				t.Errorf("offer %+v does not close the gap or has no next session", o)
			}
			want := o.PriceCents
			if o.Track != "" {
				tr, ok := prog.Track(strings.TrimPrefix(o.Track, "digitallotsen-bw/"))
				if !ok {
					t.Fatalf("track %q", o.Track)
				}
				want = max(0, o.PriceCents-tr.VoucherValue(1))
				funded = funded || o.FundingCents > 0
			}
			if o.CostCents != want || o.CostCents != o.PriceCents-o.FundingCents {
				t.Errorf("offer %q: cost %d, want %d (price %d, funding %d)", o.Title, o.CostCents, want, o.PriceCents, o.FundingCents)
			}
		}
		if !funded {
			t.Errorf("no offer funded by the programme: %+v", recht.Offers)
		}
		// A withdrawn share disappears.
		if _, err := a.Matching.WithdrawAssessmentShare(people[0], org); err != nil {
			t.Fatal(err)
		}
		g = team()
		if g.Shared != 4 || g.NotShared != 2 {
			t.Fatalf("after a withdrawal: %+v", g)
		}
		for _, row := range g.People {
			if row.PersonID == personID(people[0]) {
				t.Fatalf("withdrawn assessment still shows")
			}
		}
		if !g.Competences[0].BelowThreshold {
			t.Fatalf("aggregate still shown for four: %+v", g.Competences[0])
		}
	})
}

// TestTeamGapsCountEveryoneAndNameTheFirstFifty: a role profile with more
// people who shared than the page names: the figures count all of them
// (as a count over their ratings gives), the page names the first
// domain.GapPeopleShown by name and counts the others.
func TestTeamGapsCountEveryoneAndNameTheFirstFifty(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		hr := as(t, db, anna)
		org := orgOf(t, hr)
		n := domain.GapPeopleShown + 7
		people := colleagues(t, db, org, "gross", n)
		p := assignedProfile(t, a, hr, org, "Große Rolle", []domain.RoleTarget{{Code: "RECHT.1", Level: 3}, {Code: "SEC.2", Level: 2}}, people)
		// All but two share; levels vary with the person.
		with, sum := map[string]int{}, map[string]int{}
		for i, c := range people[:n-2] {
			recht, sec := i%4, (i/4)%3
			items := []domain.AssessmentItem{{Code: "RECHT.1", Level: recht, Target: 3}}
			if i%5 != 0 { // every fifth has no SEC.2 rating: level 0
				items = append(items, domain.AssessmentItem{Code: "SEC.2", Level: sec, Target: 2})
			} else {
				sec = 0
			}
			assessShared(t, a, c, org, items...)
			for code, gap := range map[string]int{"RECHT.1": 3 - recht, "SEC.2": 2 - sec} {
				if gap > 0 {
					with[code]++
					sum[code] += gap
				}
			}
		}
		gs, err := a.Matching.TeamGaps(hr, org)
		if err != nil {
			t.Fatal(err)
		}
		var g *domain.ProfileGaps
		for i := range gs {
			if gs[i].ProfileID == p.ID {
				g = &gs[i]
			}
		}
		if g == nil || g.Assigned != n || g.Shared != n-2 || g.NotShared != 2 || len(g.People) != domain.GapPeopleShown || g.MorePeople != n-2-domain.GapPeopleShown {
			t.Fatalf("profile: %+v", g)
		}
		for i := 1; i < len(g.People); i++ {
			if g.People[i-1].Name > g.People[i].Name {
				t.Fatalf("people not by name: %q before %q", g.People[i-1].Name, g.People[i].Name)
			}
		}
		for _, c := range g.Competences {
			if c.WithGap == nil || *c.WithGap != with[c.Code] || *c.AverageGap != float64(sum[c.Code])/float64(n-2) {
				t.Fatalf("%s: %v people with a gap, average %v; want %d, %v", c.Code, c.WithGap, c.AverageGap, with[c.Code], float64(sum[c.Code])/float64(n-2))
			}
		}
	})
}
