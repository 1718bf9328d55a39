package web

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
)

// TestKeysetPaging walks the long lists of issue 14 page by page on a
// small generated scale: every item comes exactly once, pages link the
// next one, the API hands out "next" until the end.
func TestKeysetPaging(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ctx := context.Background()
		sz, err := demo.GenerateScale(ctx, e.db, 0.002, "", testPassword, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		type page struct {
			Total int               `json:"total"`
			Items []json.RawMessage `json:"items"`
			Next  string            `json:"next"`
		}
		getPage := func(c *client, path string) page {
			t.Helper()
			res, body := c.get(path)
			if res.StatusCode != 200 {
				t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
			}
			var p page
			if err := json.Unmarshal([]byte(body), &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		// walk follows "next" and returns the ids of all items.
		walk := func(c *client, path string, idOf func(json.RawMessage) int64) (ids []int64, pages int) {
			t.Helper()
			sep := "&"
			if !strings.Contains(path, "?") {
				sep = "?"
			}
			next := ""
			for {
				u := path
				if next != "" {
					u += sep + "cursor=" + next
				}
				p := getPage(c, u)
				pages++
				for _, it := range p.Items {
					ids = append(ids, idOf(it))
				}
				if p.Next == "" {
					return ids, pages
				}
				next = p.Next
				if pages > 1000 {
					t.Fatal("endless paging")
				}
			}
		}
		unique := func(what string, ids []int64, want int) {
			t.Helper()
			seen := map[int64]bool{}
			for _, id := range ids {
				if seen[id] {
					t.Errorf("%s: %d comes twice", what, id)
				}
				seen[id] = true
			}
			if len(ids) != want {
				t.Errorf("%s: %d items, want %d", what, len(ids), want)
			}
		}

		// The largest municipality's members: API and page.
		big := e.person(demo.ScaleEmail(1))
		ms, err := e.db.Memberships(ctx, big.ID)
		if err != nil {
			t.Fatal(err)
		}
		org := ms[0].OrgID
		boss := e.sessionFor(demo.ScaleEmail(1))
		memberID := func(m json.RawMessage) int64 {
			var v domain.Member
			json.Unmarshal(m, &v)
			return v.Person.ID
		}
		ids, pages := walk(boss, "/api/v1/organisations/"+itoa(org)+"/members?limit=50", memberID)
		unique("members", ids, int(sz.BigMembers))
		if pages != 4 {
			t.Errorf("members on %d pages of 50, want 4", pages)
		}
		if p := getPage(boss, "/api/v1/organisations/"+itoa(org)+"/members"); p.Total != int(sz.BigMembers) || len(p.Items) != 100 || p.Next == "" {
			t.Errorf("first page of members: total %d, %d items, next %q; want %d, 100, set", p.Total, len(p.Items), p.Next, sz.BigMembers)
		}
		for _, bad := range []string{"?limit=0", "?limit=201", "?cursor=abc", "?cursor=-4"} {
			if res, _ := boss.get("/api/v1/organisations/" + itoa(org) + "/members" + bad); res.StatusCode != 400 {
				t.Errorf("members%s: %d, want 400", bad, res.StatusCode)
			}
		}
		more := regexp.MustCompile(`href="([^"]*mitglieder_nach=[0-9]+[^"]*)" rel="next"`)
		path, seen := "/organisationen/"+itoa(org), 0
		for n := 0; path != ""; n++ {
			res, body := boss.get(path)
			if res.StatusCode != 200 {
				t.Fatalf("GET %s: %d", path, res.StatusCode)
			}
			if !strings.Contains(body, "174 Mitglieder, in der Reihenfolge ihres Beitritts") {
				t.Fatalf("%s does not count the members", path)
			}
			seen += strings.Count(body, `>Rollen ändern oder entfernen<`)
			path = ""
			if m := more.FindStringSubmatch(body); m != nil {
				path = html.UnescapeString(m[1])
				if !strings.Contains(body, "Weitere Mitglieder anzeigen") {
					t.Error("the next page's link does not say what it shows")
				}
			}
			if n > 10 {
				t.Fatal("endless member pages")
			}
		}
		if seen != int(sz.BigMembers) {
			t.Errorf("the organisation pages show %d members, want %d", seen, sz.BigMembers)
		}

		// A person's bookings, next session first, two at a time.
		person := e.sessionFor(demo.ScaleEmail(7))
		bookingID := func(m json.RawMessage) int64 {
			var v domain.BookingDetail
			json.Unmarshal(m, &v)
			return v.ID
		}
		ids, _ = walk(person, "/api/v1/bookings?limit=2", bookingID)
		unique("bookings", ids, int(sz.Bookings/sz.Persons))
		all, err := e.db.BookingDetails(ctx, domain.BookingFilter{PersonID: e.person(demo.ScaleEmail(7)).ID})
		if err != nil {
			t.Fatal(err)
		}
		for i := range all {
			if i < len(ids) && all[i].ID != ids[i] {
				t.Errorf("booking %d on the pages is %d, want %d (next session first)", i, ids[i], all[i].ID)
			}
		}
		if res, body := person.get("/buchungen"); res.StatusCode != 200 || strings.Contains(body, "Weitere Buchungen anzeigen") {
			t.Errorf("/buchungen with %d bookings: %d, shows a link to more", len(all), res.StatusCode)
		}

		// A session's participant list.
		karl := e.sessionFor("kurse@verwaltungsschule-bw.example")
		p := getPage(karl, "/api/v1/bookings?limit=1")
		if len(p.Items) != 1 {
			t.Fatal("the provider sees no bookings")
		}
		var b domain.BookingDetail
		json.Unmarshal(p.Items[0], &b)
		want, err := e.db.CountRows(ctx, "bookings", "session_id = $1", b.SessionID)
		if err != nil {
			t.Fatal(err)
		}
		ids, _ = walk(karl, "/api/v1/sessions/"+itoa(b.SessionID)+"/bookings?limit=7", bookingID)
		unique("participants", ids, int(want))

		// The audit log, newest first, by key.
		admin := e.sessionFor("admin@lotse.example")
		entryID := func(m json.RawMessage) int64 {
			var v domain.AuditEntry
			json.Unmarshal(m, &v)
			return v.ID
		}
		entries, err := e.db.CountRows(ctx, "audit_log", "")
		if err != nil {
			t.Fatal(err)
		}
		first := getPage(admin, "/api/v1/audit?limit=200")
		if first.Total != int(min(entries, 10000)) || len(first.Items) != 200 || first.Next == "" {
			t.Errorf("audit: total %d, %d items, next %q; want %d, 200 and a next page", first.Total, len(first.Items), first.Next, min(entries, 10000))
		}
		ids, _ = walk(admin, "/api/v1/organisations/"+itoa(org)+"/audit?limit=60", entryID)
		unique("organisation's audit entries", ids, int(sz.BigMembers))
		for i := 1; i < len(ids); i++ {
			if ids[i] >= ids[i-1] {
				t.Fatalf("audit entries not newest first: %d after %d", ids[i], ids[i-1])
			}
		}
		res, body := admin.get("/admin/protokoll")
		older := regexp.MustCompile(`href="(/admin/protokoll\?vor=[0-9]+#protokoll)" rel="next">Ältere Einträge anzeigen`).FindStringSubmatch(body)
		if res.StatusCode != 200 || older == nil {
			t.Fatalf("/admin/protokoll: %d, no link to older entries", res.StatusCode)
		}
		if res, body := admin.get(older[1]); res.StatusCode != 200 || !strings.Contains(body, "Zu den neuesten Einträgen") {
			t.Errorf("%s: %d, no link back to the newest entries", older[1], res.StatusCode)
		}
	})
}
