package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// names lists the hits' names in order.
func names(hits []domain.PersonHit) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.Name
	}
	return out
}

func searchNames(t *testing.T, db *store.DB, q string) []string {
	t.Helper()
	folded, err := db.FoldName(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	hits, more, err := db.PersonsByName(context.Background(), folded, nil, 50)
	if err != nil || more {
		t.Fatalf("search %q: more %v, %v", q, more, err)
	}
	return names(hits)
}

// TestPersonSearchFindsByNameSurnameAndAddress: the beginning of the full
// name or of the surname finds a person once, whatever the case (German
// umlauts too), in the order of the key found by; the address finds
// exactly; deleted accounts are not found.
func TestPersonSearchFindsByNameSurnameAndAddress(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i, n := range []string{"Maria Müller", "Max Mustermann", "Mara Meier", "Anna Mayer", "Özlem Öztürk", "Lilly Lotse",
			"Ümit Ürgüp", "Marta Martens", "Hans Müller-Lüdenscheidt", "Anna-Lena Schmidt"} {
			storetest.MustCreatePerson(t, db, fmt.Sprintf("p%d@suche.example", i), n)
		}
		gone := storetest.MustCreatePerson(t, db, "gone@suche.example", "Martin Mahler")
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE persons SET deleted_at = $1 WHERE id = $2`, db.Now(), gone.ID)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			q    string
			want []string
		}{
			// Full names first by their key, surnames by theirs; Marta
			// Martens is found by her full name only, once.
			{"ma", []string{"Mara Meier", "Maria Müller", "Marta Martens", "Max Mustermann", "Anna Mayer"}},
			{"MÜLLER", []string{"Maria Müller", "Hans Müller-Lüdenscheidt"}},
			{"müller-l", []string{"Hans Müller-Lüdenscheidt"}},
			{"öz", []string{"Özlem Öztürk"}},
			{"ÜRG", []string{"Ümit Ürgüp"}},
			{"Lilly Lo", []string{"Lilly Lotse"}},
			{"anna", []string{"Anna Mayer", "Anna-Lena Schmidt"}},
			{"schm", []string{"Anna-Lena Schmidt"}},
			{"mah", []string{}},
			{"%a", []string{}},
			{"zz", []string{}},
		}
		for _, c := range cases {
			if got := searchNames(t, db, c.q); !slices.Equal(got, c.want) {
				t.Errorf("%q: %q, want %q", c.q, got, c.want)
			}
		}
		hits, err := db.PersonByEmailHit(ctx, " P5@Suche.example ")
		if err != nil || len(hits) != 1 || hits[0].Name != "Lilly Lotse" || hits[0].Email != "p5@suche.example" {
			t.Errorf("by address: %+v, %v", hits, err)
		}
		if hits, err := db.PersonByEmailHit(ctx, "gone@suche.example"); err != nil || len(hits) != 0 {
			t.Errorf("a deleted account is found by its address: %+v, %v", hits, err)
		}
	})
}

// TestPersonSearchPagesByKeyAndNamesOrganisations: a page ends where the
// next goes on, with nobody twice or left out, across both indexes.
func TestPersonSearchPagesByKeyAndNamesOrganisations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := mustCreateOrg(t, db, domain.OrgProvider, "Akademie Seite", "")
		var want []string
		for i := range 7 {
			p := storetest.MustCreatePerson(t, db, fmt.Sprintf("seite%d@suche.example", i), fmt.Sprintf("Paula Seite %d", i%3))
			want = append(want, p.Name)
			if i == 0 {
				if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleProviderStaff}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range 4 {
			p := storetest.MustCreatePerson(t, db, fmt.Sprintf("nach%d@suche.example", i), fmt.Sprintf("Jan Paulsen%d", i))
			want = append(want, p.Name)
		}
		slices.SortStableFunc(want[:7], strings.Compare)
		folded, err := db.FoldName(ctx, "Paul")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		var after *store.NameCursor
		pages := 0
		for {
			hits, more, err := db.PersonsByName(ctx, folded, after, 3)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if len(hits) > 3 || (more && len(hits) != 3) {
				t.Fatalf("page %d: %d hits, more %v", pages, len(hits), more)
			}
			for _, h := range hits {
				got = append(got, h.Name)
				if h.Email == "seite0@suche.example" && !slices.Equal(h.Organisations, []string{"Akademie Seite"}) {
					t.Errorf("organisations of %s: %q", h.Email, h.Organisations)
				}
			}
			if !more {
				break
			}
			last := hits[len(hits)-1]
			after = &store.NameCursor{Key: last.SortKey, ID: last.ID}
		}
		if !slices.Equal(got, want) || pages != 4 {
			t.Errorf("paged in %d: %q, want %q", pages, got, want)
		}
	})
}

// TestPersonSearchReadsIndexes: each query of the search reads its index
// (the plan names it), never the whole table, on both databases.
func TestPersonSearchReadsIndexes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		storetest.MustCreatePerson(t, db, "plan@suche.example", "Petra Plan")
		for _, after := range []*store.NameCursor{nil, {Key: "petra", ID: 1}} {
			plans, err := db.ExplainPersonSearch(ctx, "pe", after, "plan@suche.example", true)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range []string{"persons_name_search", "persons_surname_search", "email"} {
				p := plans[i]
				if !strings.Contains(p, want) || strings.Contains(p, "Seq Scan") || strings.Contains(p, "SCAN persons\n") ||
					strings.Contains(p, "SCAN persons ") || strings.Contains(p, "TEMP B-TREE") || strings.Contains(p, "Sort") {
					t.Errorf("query %d (after %v) does not read %s in order:\n%s", i, after, want, p)
				}
				// After a cursor the index is entered at its key and ID.
				if after != nil && i < 2 && !strings.Contains(p, "id>?") && !strings.Contains(p, "(id > ") {
					t.Errorf("query %d does not seek to the cursor's ID:\n%s", i, p)
				}
			}
		}
	})
}
