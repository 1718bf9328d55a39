package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// The lists that page with a cursor (issue 14): walking all pages from
// the cursor each page ends with gives every row exactly once, in the
// list's order, also where rows tie in the sort key; a cursor past the
// end is an empty page.

// walk reads pages of size n until a short page and returns their rows.
func walk[T any, C any](t *testing.T, n int, page func(after C) ([]T, error), key func(T) C) []T {
	t.Helper()
	var out []T
	var after C
	for i := 0; i < 1000; i++ {
		rows, err := page(after)
		if err != nil {
			t.Fatalf("page %d: %v", i+1, err)
		}
		if len(rows) > n {
			t.Fatalf("page %d has %d rows, more than %d", i+1, len(rows), n)
		}
		out = append(out, rows...)
		if len(rows) < n {
			return out
		}
		after = key(rows[len(rows)-1])
	}
	t.Fatal("no end after 1000 pages")
	return nil
}

// sqlExec runs statements in one transaction.
func sqlExec(t *testing.T, db *store.DB, q string, args ...any) {
	t.Helper()
	if err := db.Transact(context.Background(), func(tx *store.Tx) error {
		_, err := tx.ExecContext(context.Background(), q, args...)
		return err
	}); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func ids[T any](rows []T, id func(T) int64) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

func TestOutboxPagesWalkEveryMailOnceNewestFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for i := range 23 {
			sqlExec(t, db, `INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, 'S', 'B', $2)`,
				fmt.Sprintf("p%d@x.example", i), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
		}
		all, err := db.Outbox(ctx, 0, 100, 0)
		if err != nil || len(all) != 23 {
			t.Fatalf("all: %d, %v", len(all), err)
		}
		want := ids(all, func(m domain.Mail) int64 { return m.ID })
		if !slices.IsSortedFunc(want, func(a, b int64) int { return int(b - a) }) {
			t.Fatalf("not newest first: %v", want)
		}
		got := walk(t, 5, func(before int64) ([]domain.Mail, error) { return db.Outbox(ctx, before, 5, 0) },
			func(m domain.Mail) int64 { return m.ID })
		if g := ids(got, func(m domain.Mail) int64 { return m.ID }); !slices.Equal(g, want) {
			t.Errorf("pages give %v, want %v", g, want)
		}
		if past, err := db.Outbox(ctx, want[len(want)-1], 5, 0); err != nil || len(past) != 0 {
			t.Errorf("past the end: %d mails, %v", len(past), err)
		}
		if n, err := db.OutboxCount(ctx); err != nil || n != 23 {
			t.Errorf("count %d, %v", n, err)
		}
	})
}

func TestOrganisationPagesWalkEveryOrganisationOnceByNameWithTies(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var want []domain.Organisation
		for i := range 23 {
			kind := domain.OrgProvider
			if i%4 == 0 {
				kind = domain.OrgAssociation
			}
			// Seven names, so that most share theirs with others.
			want = append(want, *mustCreateOrg(t, db, kind, fmt.Sprintf("Träger %c", 'G'-rune(i%7)), ""))
		}
		order := func(a, b domain.Organisation) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		}
		slices.SortFunc(want, order)
		key := func(o domain.Organisation) domain.KeyCursor { return domain.KeyCursor{Key: o.Name, ID: o.ID} }
		orgID := func(o domain.Organisation) int64 { return o.ID }
		got := walk(t, 4, func(after domain.KeyCursor) ([]domain.Organisation, error) {
			os, total, err := db.Organisations(ctx, domain.OrgFilter{After: after, Limit: 4})
			if err == nil && total != 23 {
				err = fmt.Errorf("total %d", total)
			}
			return os, err
		}, key)
		if g, w := ids(got, orgID), ids(want, orgID); !slices.Equal(g, w) {
			t.Errorf("pages give %v, want %v", g, w)
		}

		// Of one kind, with a search: the same walk over what they select.
		kind := domain.OrgProvider
		q := "träger"
		var providers []domain.Organisation
		for _, o := range want {
			if o.Kind == kind {
				providers = append(providers, o)
			}
		}
		got = walk(t, 3, func(after domain.KeyCursor) ([]domain.Organisation, error) {
			os, _, err := db.Organisations(ctx, domain.OrgFilter{Kind: &kind, Query: &q, After: after, Limit: 3, NoTotal: true})
			return os, err
		}, key)
		if g, w := ids(got, orgID), ids(providers, orgID); !slices.Equal(g, w) {
			t.Errorf("providers: pages give %v, want %v", g, w)
		}

		past, _, err := db.Organisations(ctx, domain.OrgFilter{After: key(want[len(want)-1]), Limit: 4})
		if err != nil || len(past) != 0 {
			t.Errorf("past the end: %d organisations, %v", len(past), err)
		}
	})
}

// seedApplications adds n applications of two organisations, changed at
// four moments (ties), and returns them in the list's order: the latest
// change first, then the higher ID.
func seedApplications(t *testing.T, db *store.DB, n int) []domain.Application {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	a := mustCreateOrg(t, db, domain.OrgProvider, "Antragsteller A", "")
	b := mustCreateOrg(t, db, domain.OrgProvider, "Antragsteller B", "")
	sqlExec(t, db, `INSERT INTO persons (email, name, created_at) VALUES ('keyset@x.example', 'K', $1)`, at)
	sqlExec(t, db, `INSERT INTO programmes (id, name, config, updated_at) VALUES ('keyset', 'K', '{}', $1)`, at)
	for i := range n {
		org, status := a.ID, "submitted"
		if i%3 == 0 {
			org, status = b.ID, "approved"
		}
		// Microseconds apart: both databases keep them.
		changed := at.Add(time.Duration(i%4) * 1500 * time.Microsecond)
		sqlExec(t, db, `INSERT INTO applications (programme_id, org_id, ags, track, people, status, created_by, created_at, updated_at)
			VALUES ('keyset', $1, '08111000', 'basis', 1, $2, (SELECT id FROM persons WHERE email = 'keyset@x.example'), $3, $3)`,
			org, status, changed)
	}
	all, _, err := db.Applications(ctx, domain.ApplicationFilter{Limit: 200})
	if err != nil || len(all) != n {
		t.Fatalf("all: %d, %v", len(all), err)
	}
	return all
}

func TestApplicationPagesWalkEveryApplicationOnceLatestChangeFirstWithTies(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		want := seedApplications(t, db, 23)
		for i := 1; i < len(want); i++ {
			p, c := want[i-1], want[i]
			if p.UpdatedAt.Before(c.UpdatedAt) || (p.UpdatedAt.Equal(c.UpdatedAt) && p.ID < c.ID) {
				t.Fatalf("not in order at %d: %v/%d before %v/%d", i, p.UpdatedAt, p.ID, c.UpdatedAt, c.ID)
			}
		}
		key := func(a domain.Application) domain.KeyCursor { return domain.TimeCursor(a.UpdatedAt, a.ID) }
		appID := func(a domain.Application) int64 { return a.ID }
		got := walk(t, 4, func(after domain.KeyCursor) ([]domain.Application, error) {
			as, total, err := db.Applications(ctx, domain.ApplicationFilter{After: after, Limit: 4})
			if err == nil && total != 23 {
				err = fmt.Errorf("total %d", total)
			}
			return as, err
		}, key)
		if g, w := ids(got, appID), ids(want, appID); !slices.Equal(g, w) {
			t.Errorf("pages give %v, want %v", g, w)
		}
		var approved []domain.Application
		for _, a := range want {
			if a.Status == domain.AppApproved {
				approved = append(approved, a)
			}
		}
		got = walk(t, 2, func(after domain.KeyCursor) ([]domain.Application, error) {
			as, _, err := db.Applications(ctx, domain.ApplicationFilter{Status: domain.AppApproved, After: after, Limit: 2, NoTotal: true})
			return as, err
		}, key)
		if g, w := ids(got, appID), ids(approved, appID); !slices.Equal(g, w) {
			t.Errorf("approved: pages give %v, want %v", g, w)
		}

		past, _, err := db.Applications(ctx, domain.ApplicationFilter{After: key(want[len(want)-1]), Limit: 4})
		if err != nil || len(past) != 0 {
			t.Errorf("past the end: %d applications, %v", len(past), err)
		}
		_, _, err = db.Applications(ctx, domain.ApplicationFilter{After: domain.KeyCursor{Key: "gestern", ID: 3}, Limit: 4})
		wantCode(t, err, domain.EBadRequest)
	})
}

func TestMailboxPagesWalkEveryMessageOnceNewestFirst(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := mustCreateOrg(t, db, domain.OrgProvider, "Postfach A", "")
		b := mustCreateOrg(t, db, domain.OrgProvider, "Postfach B", "")
		other := mustCreateOrg(t, db, domain.OrgProvider, "Postfach C", "")
		at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		sqlExec(t, db, `INSERT INTO persons (email, name, created_at) VALUES ('leser@x.example', 'L', $1)`, at)
		var reader int64
		if err := db.Read(ctx, func(tx *store.Tx) error {
			return tx.QueryRowContext(ctx, `SELECT id FROM persons WHERE email = 'leser@x.example'`).Scan(&reader)
		}); err != nil {
			t.Fatal(err)
		}
		for i := range 25 {
			org := []int64{a.ID, b.ID, other.ID}[i%3]
			sqlExec(t, db, `INSERT INTO messages (org_id, subject, body, created_at) VALUES ($1, $2, 'B', $3)`, org, fmt.Sprintf("M%d", i), at)
		}
		f := domain.MailboxFilter{OrgIDs: []int64{a.ID, b.ID}, PersonID: reader, Limit: 100}
		all, total, unread, err := db.Messages(ctx, f)
		if err != nil || len(all) != 17 || total != 17 || unread != 17 {
			t.Fatalf("all: %d of %d, %d unread, %v", len(all), total, unread, err)
		}
		sqlExec(t, db, `INSERT INTO message_reads (message_id, person_id, read_at) VALUES ($1, $2, $3)`, all[5].ID, reader, at)
		msgID := func(m domain.Message) int64 { return m.ID }
		want := ids(all, msgID)
		if !slices.IsSortedFunc(want, func(x, y int64) int { return int(y - x) }) {
			t.Fatalf("not newest first: %v", want)
		}
		got := walk(t, 4, func(before int64) ([]domain.Message, error) {
			f.Before, f.Limit = before, 4
			ms, total, unread, err := db.Messages(ctx, f)
			if err == nil && (total != 17 || unread != 16) {
				err = fmt.Errorf("total %d, unread %d", total, unread)
			}
			return ms, err
		}, msgID)
		if g := ids(got, msgID); !slices.Equal(g, want) {
			t.Errorf("pages give %v, want %v", g, want)
		}
		for _, m := range got {
			if m.Read != (m.ID == all[5].ID) {
				t.Errorf("message %d read %v", m.ID, m.Read)
			}
		}
		f.Before = want[len(want)-1]
		if past, _, _, err := db.Messages(ctx, f); err != nil || len(past) != 0 {
			t.Errorf("past the end: %d messages, %v", len(past), err)
		}
	})
}

func TestDirectoryPagesWalkEveryEntryOnceInRankingOrderWithTies(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ms := []domain.Municipality{
			{AGS: "08", Name: "Baden-Württemberg", Kind: domain.AreaState, TypeCode: 10, StateAGS: "08", Population: 11_000_000, AreaHa: 1, RefDate: refDate},
			{AGS: "08111", Name: "Stuttgart", Kind: domain.AreaDistrict, TypeCode: 41, StateAGS: "08", Population: 600_000, AreaHa: 1, RefDate: refDate},
		}
		for i := range 26 {
			name := []string{"Berg", "Oberberg", "Tal"}[i%3] + fmt.Sprintf(" %d", i)
			ms = append(ms, domain.Municipality{AGS: fmt.Sprintf("08111%03d", 100+i), Name: name, Kind: domain.AreaMunicipality, TypeCode: 64,
				StateAGS: "08", DistrictAGS: "08111", Population: 1000 * (i % 4), AreaHa: 1, RefDate: refDate})
		}
		if _, err := db.ImportMunicipalities(ctx, ms, "test"); err != nil {
			t.Fatal(err)
		}
		ags := func(m domain.Municipality) string { return m.AGS }
		key := func(m domain.Municipality) domain.KeyCursor { return domain.KeyCursor{Key: m.AGS} }
		for _, c := range []struct {
			name  string
			f     domain.MunicipalityFilter
			order func(a, b domain.Municipality) int
		}{
			{"by population", domain.MunicipalityFilter{Kind: domain.AreaMunicipality}, nil},
			{"names that start with the query first", domain.MunicipalityFilter{Query: "berg"}, nil},
			{"by AGS", domain.MunicipalityFilter{Query: "0811"}, func(a, b domain.Municipality) int { return strings.Compare(a.AGS, b.AGS) }},
		} {
			t.Run(c.name, func(t *testing.T) {
				var want []domain.Municipality
				for _, m := range ms {
					switch {
					case c.f.Kind != "" && m.Kind != c.f.Kind:
					case c.f.Query == "berg" && !strings.Contains(strings.ToLower(m.Name), "berg"):
					case c.f.Query == "0811" && !strings.HasPrefix(m.AGS, "0811"):
					default:
						want = append(want, m)
					}
				}
				order := c.order
				if order == nil {
					order = func(a, b domain.Municipality) int {
						ra, rb := !strings.HasPrefix(strings.ToLower(a.Name), c.f.Query), !strings.HasPrefix(strings.ToLower(b.Name), c.f.Query)
						switch {
						case ra != rb && !ra:
							return -1
						case ra != rb:
							return 1
						case a.Population != b.Population:
							return b.Population - a.Population
						}
						return strings.Compare(a.AGS, b.AGS)
					}
				}
				slices.SortFunc(want, order)
				got := walk(t, 4, func(after domain.KeyCursor) ([]domain.Municipality, error) {
					f := c.f
					f.After, f.Limit = after, 4
					ms, total, err := db.Municipalities(ctx, f)
					if err == nil && total != len(want) {
						err = fmt.Errorf("total %d, want %d", total, len(want))
					}
					return ms, err
				}, key)
				if g, w := agsOf(got, ags), agsOf(want, ags); !slices.Equal(g, w) {
					t.Errorf("pages give %v, want %v", g, w)
				}
				f := c.f
				f.After, f.Limit = key(want[len(want)-1]), 4
				if past, _, err := db.Municipalities(ctx, f); err != nil || len(past) != 0 {
					t.Errorf("past the end: %d entries, %v", len(past), err)
				}
				f.After = domain.KeyCursor{Key: "09999999"}
				if gone, _, err := db.Municipalities(ctx, f); err != nil || len(gone) != 0 {
					t.Errorf("after an entry not in the directory: %d entries, %v", len(gone), err)
				}
			})
		}
	})
}

func agsOf(ms []domain.Municipality, ags func(domain.Municipality) string) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = ags(m)
	}
	return out
}
