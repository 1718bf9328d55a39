package matching_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestRoleCandidatesPageBySearchAndSaveOnePageAtATime: HR pages through
// the municipality's members (more than a page) in the order they joined,
// finds people by name or address, sees who holds the role on each page,
// and saving the ticks of one page leaves the people of the other pages
// as they were.
func TestRoleCandidatesPageBySearchAndSaveOnePageAtATime(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		hr := as(t, db, anna)
		org := orgOf(t, hr)
		colleagues(t, db, org, "seite", 12)
		p, err := a.Matching.CreateRoleProfile(hr, org, &domain.RoleProfile{Name: "Bürgerbüro", Targets: []domain.RoleTarget{{Code: "RECHT.1", Level: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		members, err := db.Members(hr, org)
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, m := range members {
			want = append(want, m.Person.ID)
		}
		slices.Sort(want)

		// walk reads every page of limit and returns the people in order.
		walk := func(query string, limit int) (ids []int64, pages [][]domain.RoleCandidate) {
			t.Helper()
			var after int64
			for {
				page, next, err := a.Matching.RoleCandidatesPage(hr, org, p.ID, query, after, limit)
				if err != nil {
					t.Fatal(err)
				}
				pages = append(pages, page)
				for _, c := range page {
					ids = append(ids, c.PersonID)
				}
				if next == 0 {
					return ids, pages
				}
				if next != page[len(page)-1].PersonID || len(page) != limit {
					t.Fatalf("next %d after a page of %d ending with %d", next, len(page), page[len(page)-1].PersonID)
				}
				after = next
			}
		}
		ids, pages := walk("", 5)
		if !slices.Equal(ids, want) || len(pages) != (len(want)+4)/5 {
			t.Fatalf("pages of 5: %v on %d pages, want %v", ids, len(pages), want)
		}
		// A search by a part of the name, in any case, or of the address.
		ids, _ = walk("  KOLLEGIN SEITE 1", 2)
		if len(ids) != 3 { // Kollegin seite 1, 10, 11
			t.Fatalf("search by name: %v", ids)
		}
		ids, _ = walk("seite3@", 2)
		if len(ids) != 1 {
			t.Fatalf("search by address: %v", ids)
		}
		// A beginning of the surname; not the middle of a word.
		if ids, _ := walk("seite 1", 2); len(ids) != 3 {
			t.Fatalf("search by surname: %v", ids)
		}
		if ids, _ := walk("ollegin", 2); len(ids) != 0 {
			t.Fatalf("the middle of a word matches %v", ids)
		}
		if ids, _ := walk("%", 2); len(ids) != 0 {
			t.Fatalf("a percent sign matches %v", ids)
		}
		_, _, err = a.Matching.RoleCandidatesPage(hr, org, p.ID, strings.Repeat("x", 201), 0, 0)
		if domain.ErrorFields(err)["suche"] == "" {
			t.Fatalf("too long a search: %v", err)
		}

		// Tick everyone on the first two pages, then untick one person on
		// the second page: the first page keeps its people.
		_, pages = walk("", 5)
		shown := func(page []domain.RoleCandidate) []int64 {
			var out []int64
			for _, c := range page {
				out = append(out, c.PersonID)
			}
			return out
		}
		for _, pg := range pages[:2] {
			if _, err := a.Matching.AssignRolePage(hr, org, p.ID, shown(pg), shown(pg)); err != nil {
				t.Fatal(err)
			}
		}
		second := shown(pages[1])
		got, err := a.Matching.AssignRolePage(hr, org, p.ID, second, second[1:])
		if err != nil {
			t.Fatal(err)
		}
		var holders []int64
		for _, m := range got.Members {
			holders = append(holders, m.PersonID)
		}
		slices.Sort(holders)
		wantHolders := append(shown(pages[0]), second[1:]...)
		if !slices.Equal(holders, wantHolders) {
			t.Fatalf("holders after saving the second page: %v, want %v", holders, wantHolders)
		}
		// The pages say who holds the role.
		_, pages = walk("", 5)
		for i, pg := range pages {
			for j, c := range pg {
				if held := slices.Contains(wantHolders, c.PersonID); c.Assigned != held {
					t.Errorf("page %d, person %d (%d): assigned %v, want %v", i, j, c.PersonID, c.Assigned, held)
				}
			}
		}
		// Saving a page checks that the people are members.
		stranger := storetest.MustCreatePerson(t, db, "fremd@anderswo.example", "Fremde Person")
		_, err = a.Matching.AssignRolePage(hr, org, p.ID, []int64{stranger.ID}, []int64{stranger.ID})
		storetest.WantCode(t, err, domain.EInvalid)
		_, err = a.Matching.AssignRolePage(hr, org, p.ID, []int64{stranger.ID}, nil)
		storetest.WantCode(t, err, domain.EInvalid)
		// Another municipality's HR finds no such profile.
		if _, _, err := a.Matching.RoleCandidatesPage(hr, org, p.ID+1000, "", 0, 0); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("unknown profile: %v", err)
		}
		if _, _, err := a.Matching.RoleCandidatesPage(as(t, db, niklas), org, p.ID, "", 0, 0); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("a participant pages the candidates: %v", err)
		}
	})
}
