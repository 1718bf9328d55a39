package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// The lists converted from page numbers to cursors (issue 14): the outbox,
// the organisations, the mailbox, the applications, the directory and an
// event's registrations. Their pages link the next page and back to the
// start; their API answers carry "next" until the last page; a broken
// cursor is a 400 in the API and the first page with a notice on a page.

// seedSQL runs statements in one transaction.
func seedSQL(t *testing.T, db *store.DB, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	if err := db.Transact(ctx, func(tx *store.Tx) error {
		for _, q := range stmts {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%.80s: %w", strings.TrimSpace(q), err)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// walkPages follows a page's "next" links (rel="next" with the parameter
// name) from path and returns the keys the pattern item finds on all
// pages, in order, and the number of pages.
func walkPages(t *testing.T, c *client, path, name string, item *regexp.Regexp, back string) (keys []string, pages int) {
	t.Helper()
	next := regexp.MustCompile(`href="([^"]*[?&]` + name + `=[^"]*)" rel="next"`)
	for path != "" {
		res, body := c.get(path)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		if strings.Contains(body, `aria-label="Seiten"`) && strings.Contains(body, "Seite 1 von") {
			t.Errorf("%s still numbers its pages", path)
		}
		if pages > 0 && !strings.Contains(body, back) {
			t.Errorf("%s does not link back to the start (%q)", path, back)
		}
		pages++
		for _, m := range item.FindAllStringSubmatch(body, -1) {
			keys = append(keys, m[1])
		}
		path = ""
		if m := next.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
		if pages > 100 {
			t.Fatal("endless pages")
		}
	}
	return keys, pages
}

// walkAPI follows "next" from path and returns the items' keys.
func walkAPI(t *testing.T, c *client, path string, key func(json.RawMessage) string) (keys []string, pages, total int) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	next := ""
	for {
		u := path
		if next != "" {
			u += sep + "cursor=" + next
		}
		res, body := c.get(u)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", u, res.StatusCode, body)
		}
		var p struct {
			Total int               `json:"total"`
			Items []json.RawMessage `json:"items"`
			Next  string            `json:"next"`
		}
		if err := json.Unmarshal([]byte(body), &p); err != nil {
			t.Fatal(err)
		}
		if pages == 0 {
			total = p.Total
		}
		pages++
		for _, it := range p.Items {
			keys = append(keys, key(it))
		}
		if p.Next == "" {
			return keys, pages, total
		}
		next = p.Next
		if pages > 200 {
			t.Fatal("endless API pages")
		}
	}
}

func jsonID(m json.RawMessage) string {
	var v struct {
		ID int64 `json:"id"`
	}
	json.Unmarshal(m, &v)
	return fmt.Sprint(v.ID)
}

// once checks that keys has n distinct entries.
func once(t *testing.T, what string, keys []string, n int) {
	t.Helper()
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			t.Errorf("%s: %s comes twice", what, k)
		}
		seen[k] = true
	}
	if len(keys) != n {
		t.Errorf("%s: %d items, want %d", what, len(keys), n)
	}
}

// badCursors are refused by every converted API list with a German 400.
func badCursors(t *testing.T, c *client, path string) {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	for _, bad := range []string{"cursor=abc%21", "cursor=-4", "limit=0", "limit=201"} {
		res, body := c.get(path + sep + bad)
		if res.StatusCode != 400 || !strings.Contains(body, `"code":"bad_request"`) || !strings.Contains(body, "„") {
			t.Errorf("%s%s%s: %d %s, want a German 400", path, sep, bad, res.StatusCode, body)
		}
	}
}

func count(t *testing.T, db *store.DB, table, where string, args ...any) int {
	t.Helper()
	n, err := db.CountRows(context.Background(), table, where, args...)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func TestCursorListsWalkEveryItemOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		admin := e.sessionFor("admin@lotse.example")
		adminAPI := e.apiAs("admin@lotse.example")
		lilly := e.sessionFor("lilly@futurehausen.example")
		lillyAPI := e.apiAs("lilly@futurehausen.example")
		fh := e.orgByName("Stadt Futurehausen")
		gen := func(n int) string {
			return fmt.Sprintf(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) `, n)
		}
		now := "(SELECT MAX(created_at) FROM persons)"
		seedSQL(t, e.db,
			// Mails, organisations with tied names, messages and
			// applications of Futurehausen, all changed at one moment.
			gen(70)+`INSERT INTO outbox (to_addr, subject, body, created_at) SELECT 'p' || i || '@x.example', 'Betreff ' || i, 'Text', `+now+` FROM s`,
			gen(70)+`INSERT INTO organisations (kind, name, created_at) SELECT 'provider', 'Träger ' || (i % 9), `+now+` FROM s`,
			gen(70)+fmt.Sprintf(`INSERT INTO messages (org_id, subject, body, created_at) SELECT %d, 'Nachricht ' || i, 'Text', `+now+` FROM s`, fh.ID),
			gen(70)+fmt.Sprintf(`INSERT INTO applications (programme_id, org_id, ags, track, people, status, created_by, created_at, updated_at)
				SELECT (SELECT MIN(id) FROM programmes), %d, '%s', 'basis', 1, 'draft', (SELECT MIN(id) FROM persons), `+now+`, `+now+` FROM s`,
				fh.ID, demo.FuturehausenAGS),
		)

		t.Run("outbox", func(t *testing.T) {
			n := count(t, e.db, "outbox", "")
			keys, pages := walkPages(t, admin, "/admin/postausgang", "vor", regexp.MustCompile(`<p class="kern-preline">An ([^ ]+) ·`), "Zu den neuesten E-Mails")
			if len(keys) != n || pages != (n+pageSize-1)/pageSize {
				t.Errorf("the pages show %d of %d mails on %d pages", len(keys), n, pages)
			}
			ids, _, total := walkAPI(t, adminAPI, "/api/v1/outbox?limit=17", jsonID)
			once(t, "outbox API", ids, n)
			if total != n {
				t.Errorf("total %d, want %d", total, n)
			}
			badCursors(t, adminAPI, "/api/v1/outbox")
			if res, body := adminAPI.get("/api/v1/outbox?page=2"); res.StatusCode != 200 || !strings.Contains(body, `"page":2`) {
				t.Errorf("page=2 of older clients: %d", res.StatusCode)
			}
			// Page numbers reach as far as the total counts.
			if res, body := adminAPI.get("/api/v1/outbox?page=202"); res.StatusCode != 400 || !strings.Contains(body, "„cursor“") {
				t.Errorf("page=202: %d %s", res.StatusCode, body)
			}
		})

		t.Run("organisations", func(t *testing.T) {
			n := count(t, e.db, "organisations", "")
			keys, _ := walkPages(t, admin, "/admin", "nach", regexp.MustCompile(`<td data-label="Name" class="kern-table__cell"><a class="kern-link" href="/organisationen/([0-9]+)"`),
				"Zurück zum Anfang der Liste")
			once(t, "organisation pages", keys, n)
			ids, pages, total := walkAPI(t, adminAPI, "/api/v1/organisations?limit=13", jsonID)
			once(t, "organisations API", ids, n)
			if total != n || pages != (n+12)/13 {
				t.Errorf("total %d on %d pages, want %d", total, pages, n)
			}
			ids, _, _ = walkAPI(t, adminAPI, "/api/v1/organisations?kind=provider&q=tr%C3%A4ger&limit=8", jsonID)
			once(t, "providers named Träger", ids, 70)
			badCursors(t, adminAPI, "/api/v1/organisations")
			// Members see their own organisations, a page at a time too.
			ids, _, _ = walkAPI(t, lillyAPI, "/api/v1/organisations?limit=1", jsonID)
			once(t, "Lilly's organisations", ids, 1)
			res, body := admin.get("/admin?nach=kaputt")
			if res.StatusCode != 200 || !strings.Contains(body, "Die Liste beginnt wieder von vorn.") || !strings.Contains(body, "Weitere Organisationen anzeigen") {
				t.Errorf("/admin with a broken cursor: %d", res.StatusCode)
			}
		})

		t.Run("mailbox", func(t *testing.T) {
			n := count(t, e.db, "messages", "org_id = $1 AND archived_at IS NULL", fh.ID)
			keys, pages := walkPages(t, lilly, "/postfach", "vor", regexp.MustCompile(`href="/postfach/([0-9]+)"`), "Zu den neuesten Nachrichten")
			once(t, "mailbox pages", keys, n)
			if pages < 2 {
				t.Errorf("%d messages on %d page", n, pages)
			}
			ids, _, total := walkAPI(t, lillyAPI, "/api/v1/mailbox?limit=30", jsonID)
			once(t, "mailbox API", ids, n)
			if total != n {
				t.Errorf("total %d, want %d", total, n)
			}
			badCursors(t, lillyAPI, "/api/v1/mailbox")
		})

		t.Run("applications", func(t *testing.T) {
			n := count(t, e.db, "applications", "")
			keys, _ := walkPages(t, admin, "/antraege", "nach", regexp.MustCompile(`<td data-label="Nr." class="kern-table__cell"><a class="kern-link" href="/antraege/([0-9]+)"`),
				"Zurück zum Anfang der Liste")
			once(t, "application pages", keys, n)
			ids, _, total := walkAPI(t, adminAPI, "/api/v1/applications?limit=11", jsonID)
			once(t, "applications API", ids, n)
			if total != n {
				t.Errorf("total %d, want %d", total, n)
			}
			mine := count(t, e.db, "applications", "org_id = $1", fh.ID)
			ids, _, _ = walkAPI(t, lillyAPI, "/api/v1/applications?limit=9", jsonID)
			once(t, "Futurehausen's applications", ids, mine)
			ids, _, _ = walkAPI(t, lillyAPI, "/api/v1/applications?status=draft&limit=9", jsonID)
			once(t, "Futurehausen's drafts", ids, count(t, e.db, "applications", "org_id = $1 AND status = 'draft'", fh.ID))
			badCursors(t, adminAPI, "/api/v1/applications")
			res, body := admin.get("/antraege?nach=kaputt")
			if res.StatusCode != 200 || !strings.Contains(body, "Die Liste beginnt wieder von vorn.") {
				t.Errorf("/antraege with a broken cursor: %d", res.StatusCode)
			}
		})

		t.Run("directory", func(t *testing.T) {
			n := count(t, e.db, "municipalities", "kind = 'municipality'")
			keys, _ := walkPages(t, admin, "/kommunen?ebene=municipality", "nach", regexp.MustCompile(`<td data-label="Name" class="kern-table__cell"><a class="kern-link" href="/kommunen/([0-9]+)"`),
				"Zurück zum Anfang der Liste")
			once(t, "directory pages", keys, n)
			agsOf := func(m json.RawMessage) string {
				var v domain.Municipality
				json.Unmarshal(m, &v)
				return v.AGS
			}
			all := count(t, e.db, "municipalities", "")
			keys, _, total := walkAPI(t, lillyAPI, "/api/v1/municipalities?limit=200", agsOf)
			once(t, "directory API", keys, all)
			if total != min(all, domain.ListCountLimit+1) {
				t.Errorf("total %d, want %d", total, all)
			}
			keys, _, _ = walkAPI(t, lillyAPI, "/api/v1/municipalities?q=bach&limit=3", agsOf)
			once(t, "places with bach", keys, count(t, e.db, "municipalities", "search_name LIKE '%bach%'"))
			badCursors(t, lillyAPI, "/api/v1/municipalities")
		})

		t.Run("moochub feed", func(t *testing.T) {
			// A harvester follows "next" from the first page: by cursor,
			// the same courses in the same order as by page number.
			c := e.client()
			follow := func(path string) (ids []string, pages int) {
				for path != "" {
					res, body := c.get(path)
					if res.StatusCode != 200 {
						t.Fatalf("GET %s: %d %s", path, res.StatusCode, body)
					}
					var feed struct {
						Links map[string]string `json:"links"`
						Data  []struct {
							ID string `json:"id"`
						} `json:"data"`
					}
					if err := json.Unmarshal([]byte(body), &feed); err != nil {
						t.Fatal(err)
					}
					for _, d := range feed.Data {
						ids = append(ids, d.ID)
					}
					pages++
					path = strings.TrimPrefix(feed.Links["next"], e.ts.URL)
					if pages > 100 {
						t.Fatal("endless feed")
					}
				}
				return ids, pages
			}
			n := count(t, e.db, "offers", "status = 'published'")
			byCursor, pages := follow("/api/v1/moochub/courses")
			once(t, "feed by cursor", byCursor, n)
			byPage, _ := follow("/api/v1/moochub/courses?page=1")
			if strings.Join(byCursor, ",") != strings.Join(byPage, ",") || pages < 2 {
				t.Errorf("by cursor %d courses on %d pages, by page %d", len(byCursor), pages, len(byPage))
			}
			if res, body := c.get("/api/v1/moochub/courses?cursor=kaputt"); res.StatusCode != 400 || !strings.Contains(body, "„cursor“") {
				t.Errorf("broken cursor: %d %s", res.StatusCode, body)
			}
		})

		t.Run("provider's offers", func(t *testing.T) {
			vwa := e.orgByName("Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg")
			seedSQL(t, e.db, gen(60)+fmt.Sprintf(`INSERT INTO offers (provider_id, code, title, summary, description, outcomes, level, format,
				language, hours, days, certificate, price_cents, status, created_at, updated_at)
				SELECT %d, 'ENTWURF-' || i, 'Entwurf ' || i, 'S', 'D', '', 'basic', 'online', 'de', 1, 1, '', 0, 'draft', `+now+`, `+now+` FROM s`, vwa.ID))
			vera := e.sessionFor("kurse@vwa-bw.example")
			n := count(t, e.db, "offers", "provider_id = $1", vwa.ID)
			keys, pages := walkPages(t, vera, "/anbieter", "nach", regexp.MustCompile(`<td data-label="Titel" class="kern-table__cell"><a class="kern-link" href="/angebote/([0-9]+)"`),
				"Zurück zum Anfang der Liste")
			once(t, "provider's offer pages", keys, n)
			if pages < 2 {
				t.Errorf("%d offers on %d page", n, pages)
			}
			// A refused form on the second page shows the second page again.
			_, body := vera.get("/anbieter")
			m := regexp.MustCompile(`href="/anbieter\?nach=([^"#]+)#angebote" rel="next"`).FindStringSubmatch(body)
			if m == nil {
				t.Fatal("no link to the second page")
			}
			cursor := html.UnescapeString(m[1])
			_, second := vera.get("/anbieter?nach=" + cursor)
			if !strings.Contains(second, `name="nach" value="`) {
				t.Fatal("the form does not keep the page")
			}
			draft := regexp.MustCompile(`name="offer" value="([0-9]+)"`).FindStringSubmatch(second)
			if draft == nil {
				t.Fatal("no draft on the second page")
			}
			res, again := vera.postFormBody("/anbieter/angebote/kompetenzen", url.Values{"offer": {draft[1]}, "nach": {cursor}})
			if res.StatusCode != 422 || !strings.Contains(again, `id="o-`+draft[1]+`"`) || !strings.Contains(again, "Zurück zum Anfang der Liste") {
				t.Errorf("refused form: %d, shows the second page again: %v", res.StatusCode, strings.Contains(again, `id="o-`+draft[1]+`"`))
			}
		})

		t.Run("event registrations", func(t *testing.T) {
			petra := e.actorCtx("pruefung@staedtetag-bw.example")
			start := e.db.Now().AddDate(0, 1, 0)
			ev, err := e.srv.app.Events.Create(petra, &domain.Event{Title: "Vernetzungstreffen Süd", Description: "Austausch.", Agenda: "14 Uhr",
				StartsAt: start, EndsAt: start.Add(3 * time.Hour), AGS: demo.FuturehausenAGS, Address: "Rathausplatz 1", Capacity: 500,
				RegistrationDeadline: start.Add(-24 * time.Hour), Audience: domain.AudiencePilots})
			if err == nil {
				ev, err = e.srv.app.Events.Publish(petra, ev.ID)
			}
			if err != nil {
				t.Fatal(err)
			}
			seedSQL(t, e.db,
				gen(130)+`INSERT INTO persons (email, name, created_at) SELECT 'r' || i || '@reg.example', 'Person ' || i, `+now+` FROM s`,
				fmt.Sprintf(`INSERT INTO event_registrations (event_id, person_id, org_id, status, answers, show_name, created_at, updated_at)
					SELECT %d, id, %d, 'confirmed', '[]', FALSE, created_at, created_at FROM persons WHERE email LIKE '%%@reg.example'`, ev.ID, fh.ID),
				fmt.Sprintf(`UPDATE events SET confirmed_count = 130 WHERE id = %d`, ev.ID))
			path := "/veranstaltungen/" + itoa(ev.ID) + "/teilnehmende"
			keys, pages := walkPages(t, e.sessionFor("pruefung@staedtetag-bw.example"), path, "nach", regexp.MustCompile(`id="present-([0-9]+)"`),
				"Zurück zum Anfang der Liste")
			once(t, "registration pages", keys, 130)
			if pages != 2 {
				t.Errorf("130 registrations on %d pages, want 2", pages)
			}
			ids, pages, total := walkAPI(t, e.apiAs("pruefung@staedtetag-bw.example"), "/api/v1/events/"+itoa(ev.ID)+"/registrations", jsonID)
			once(t, "registrations API", ids, 130)
			if pages != 2 || total != 130 {
				t.Errorf("%d pages, total %d", pages, total)
			}
		})
	})
}
