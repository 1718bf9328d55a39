package matching_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// setup loads the demo on db and returns the platform.
func setup(t *testing.T, db *store.DB) *app.App {
	t.Helper()
	if _, err := demo.Load(context.Background(), db, demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	return app.New(db, "https://lotse.example", slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// as returns a context acting as the person with the e-mail address.
func as(t *testing.T, db *store.DB, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(ctx, &domain.Actor{Person: p, Memberships: ms})
}

const (
	niklas = "niklas@futurehausen.example"
	anna   = "anna@futurehausen.example"
	lilly  = "lilly@futurehausen.example"
	vera   = "kurse@vwa-bw.example"
)

func orgOf(t *testing.T, ctx context.Context) int64 {
	t.Helper()
	ms := domain.ActorFrom(ctx).Memberships
	if len(ms) == 0 {
		t.Fatal("no membership")
	}
	return ms[0].OrgID
}

// TestAssessmentIsPrivateUntilShared: a saved assessment is the person's;
// HR of the municipality sees it only while it is shared, and no longer
// after the share is withdrawn; nobody else may list it.
func TestAssessmentIsPrivateUntilShared(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		nk, hr := as(t, db, niklas), as(t, db, anna)
		org := orgOf(t, nk)
		if _, err := a.Matching.MyAssessment(nk); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("before saving: %v, want not found", err)
		}
		saved, err := a.Matching.SaveAssessment(nk, &domain.Assessment{
			Items: []domain.AssessmentItem{{Code: "PM.1", Level: 1, Target: 2}, {Code: "KI.1", Level: 0, Target: 2}, {Code: "SEC.2", Level: 0, Target: 0}},
			Goals: "  Projekte sicher leiten  ", Preferences: domain.Preferences{Region: domain.RegionNearby, MaxDistanceKm: 40, Formats: []string{"in_person", "in_person"}}})
		if err != nil {
			t.Fatal(err)
		}
		if len(saved.Items) != 2 || saved.Items[0].Code != "KI.1" || saved.Items[1].Name != "Klassisches Projektmanagement" {
			t.Fatalf("saved items %+v: want KI.1 and PM.1 with names, the empty SEC.2 dropped", saved.Items)
		}
		if saved.Goals != "Projekte sicher leiten" || len(saved.Preferences.Formats) != 1 {
			t.Fatalf("goals %q formats %v", saved.Goals, saved.Preferences.Formats)
		}
		list, err := sharedWith(a, hr, org)
		if err != nil || len(list) != 0 {
			t.Fatalf("HR sees %d before the share (%v)", len(list), err)
		}
		if _, err := a.Matching.ShareAssessment(nk, org); err != nil {
			t.Fatal(err)
		}
		list, err = sharedWith(a, hr, org)
		if err != nil || len(list) != 1 || len(list[0].Items) != 2 || list[0].PersonName == "" {
			t.Fatalf("HR sees %+v (%v) after the share", list, err)
		}
		if _, err := sharedWith(a, nk, org); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a participant lists shared assessments: %v", err)
		}
		if _, err := sharedWith(a, as(t, db, vera), org); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a provider lists shared assessments: %v", err)
		}
		// Sharing with an organisation one does not belong to is refused.
		if _, err := a.Matching.ShareAssessment(nk, orgOf(t, as(t, db, vera))); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("share with a foreign organisation: %v", err)
		}
		after, err := a.Matching.WithdrawAssessmentShare(nk, org)
		if err != nil || len(after.Shares) != 0 {
			t.Fatalf("withdraw: %+v %v", after, err)
		}
		if list, _ := sharedWith(a, hr, org); len(list) != 0 {
			t.Fatalf("HR still sees %d after the withdrawal", len(list))
		}
	})
}

// TestAssessmentIsValidatedAgainstTheFramework: unknown codes, areas,
// doubled codes and levels out of range get German field messages, and
// nothing is stored.
func TestAssessmentIsValidatedAgainstTheFramework(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		nk := as(t, db, niklas)
		_, err := a.Matching.SaveAssessment(nk, &domain.Assessment{Items: []domain.AssessmentItem{
			{Code: "XX.9", Level: 1, Target: 2}, {Code: "PM", Level: 1, Target: 2}, {Code: "PM.1", Level: 4, Target: 2},
			{Code: "KI.1", Level: 1, Target: -1}},
			Preferences: domain.Preferences{Region: "mond", MaxDistanceKm: -3}})
		storetest.WantCode(t, err, domain.EInvalid)
		f := domain.ErrorFields(err)
		for _, k := range []string{"items.0.code", "items.1.code", "items.2.level", "items.3.target", "preferences.region", "preferences.max_distance_km"} {
			if f[k] == "" {
				t.Errorf("no message for %s in %v", k, f)
			}
		}
		if _, err := a.Matching.MyAssessment(nk); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("a refused assessment was stored: %v", err)
		}
	})
}

// sharedWith is the first page of the assessments shared with org.
func sharedWith(a *app.App, ctx context.Context, org int64) ([]domain.SharedAssessment, error) {
	p, err := a.Matching.SharedAssessmentsPage(ctx, org, domain.KeyCursor{}, 0)
	if err != nil {
		return nil, err
	}
	return p.List, nil
}

// TestSharedAssessmentsPageByNameWithTies: HR reads the shared
// assessments a page at a time by name (keyset paging); people of the
// same name are neither skipped nor repeated, the total and the gaps
// count everybody, and the gaps appear only from domain.MinGroupSize.
func TestSharedAssessmentsPageByNameWithTies(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		hr := as(t, db, anna)
		org := orgOf(t, hr)
		people := colleagues(t, db, org, "seite", 7)
		want := map[string]int{}
		for i, c := range people[:4] {
			items := []domain.AssessmentItem{{Code: "RECHT.1", Level: i % 3, Target: 2}}
			if i%3 < 2 {
				want["RECHT.1"]++
			}
			assessShared(t, a, c, org, items...)
		}
		p, err := a.Matching.SharedAssessmentsPage(hr, org, domain.KeyCursor{}, 0)
		if err != nil || p.Total != 4 || p.Gaps != nil || !p.Next.IsZero() {
			t.Fatalf("four shared: %+v, %v", p, err)
		}
		for _, c := range people[4:] {
			assessShared(t, a, c, org, domain.AssessmentItem{Code: "SEC.2", Level: 0, Target: 1})
			want["SEC.2"]++
		}
		// Three people of one name: the ties are ordered by ID.
		ctx := context.Background()
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE persons SET name = 'Gleich Namig' WHERE id IN ($1, $2, $3)`,
				personID(people[1]), personID(people[4]), personID(people[6]))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var got []domain.SharedAssessment
		after := domain.KeyCursor{}
		for pages := 0; ; pages++ {
			p, err := a.Matching.SharedAssessmentsPage(hr, org, after, 2)
			if err != nil || pages > 7 {
				t.Fatalf("page %d: %v", pages, err)
			}
			if p.Total != 7 {
				t.Fatalf("total %d on page %d, want 7", p.Total, pages)
			}
			got = append(got, p.List...)
			if p.Next.IsZero() {
				counts := map[string]int{}
				for _, g := range p.Gaps {
					counts[g.Code] = g.People
				}
				if len(counts) != len(want) || counts["RECHT.1"] != want["RECHT.1"] || counts["SEC.2"] != want["SEC.2"] {
					t.Fatalf("gaps %+v, want %v", p.Gaps, want)
				}
				break
			}
			after = p.Next
		}
		if len(got) != 7 {
			t.Fatalf("%d assessments over the pages, want 7", len(got))
		}
		seen := map[int64]bool{}
		for i, s := range got {
			if seen[s.PersonID] {
				t.Fatalf("%s (%d) twice", s.PersonName, s.PersonID)
			}
			seen[s.PersonID] = true
			if i > 0 && (got[i-1].PersonName > s.PersonName || got[i-1].PersonName == s.PersonName && got[i-1].PersonID > s.PersonID) {
				t.Fatalf("not by name and ID: %q %d before %q %d", got[i-1].PersonName, got[i-1].PersonID, s.PersonName, s.PersonID)
			}
		}
	})
}
