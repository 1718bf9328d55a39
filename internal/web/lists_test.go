package web

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Issue 14: the team overview, the role candidates and the participant
// list page by key, with more rows than one page.

// manyColleagues makes n members of Futurehausen (without a password: no
// hashing) and returns their IDs; every third books the session, billed
// to Futurehausen.
func manyColleagues(t *testing.T, e *testEnv, n int, session int64) []int64 {
	t.Helper()
	ctx := context.Background()
	fh := e.orgByName("Stadt Futurehausen")
	var ids []int64
	for i := range n {
		p := &domain.Person{Email: fmt.Sprintf("kollege%02d@futurehausen.example", i), Name: fmt.Sprintf("Kollege Nummer %02d", i)}
		if err := e.db.CreatePerson(ctx, p, ""); err != nil {
			t.Fatal(err)
		}
		if err := e.db.SetRoles(ctx, fh.ID, p.ID, []domain.Role{domain.RoleParticipant}); err != nil {
			t.Fatal(err)
		}
		if i%3 == 0 {
			if _, err := e.srv.app.Booking.Place(ctx, domain.BookingInput{SessionID: session, PersonID: p.ID, ParticipantName: p.Name,
				ParticipantEmail: p.Email, Payment: domain.PayEmployer, EmployerID: fh.ID}); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, p.ID)
	}
	return ids
}

// nextLink is the address of the "more" link with the text, or "".
func nextLink(body, text string) string {
	m := regexp.MustCompile(`href="([^"]*)" rel="next">` + regexp.QuoteMeta(text)).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func TestTeamOverviewPagesKeepingItsFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "TEAM-PAGES", 100)
		manyColleagues(t, e, 60, ses.ID)
		fh := e.orgByName("Stadt Futurehausen")
		anna := e.sessionFor("anna@futurehausen.example")
		base := fmt.Sprintf("/organisationen/%d/team", fh.ID)

		// Walk the pages of the page: 50 rows each, every row once.
		rowRe := regexp.MustCompile(`<td data-label="Person" class="kern-table__cell">([^<]*)<br><span class="kern-body kern-body--small">([^<]*)</span>`)
		walk := func(path string) (rows []string, pages int) {
			t.Helper()
			for path != "" {
				res, body := anna.get(path)
				if res.StatusCode != 200 {
					t.Fatalf("GET %s: %d", path, res.StatusCode)
				}
				found := rowRe.FindAllStringSubmatch(body, -1)
				next := nextLink(body, "Weitere Einträge anzeigen")
				if next != "" && len(found) != 50 || len(found) > 50 {
					t.Fatalf("%s: %d rows on a page with more after it", path, len(found))
				}
				if pages > 0 && !strings.Contains(body, "Zurück zum Anfang der Liste") {
					t.Fatalf("%s: no link back to the start", path)
				}
				for _, m := range found {
					rows = append(rows, m[1]+" "+m[2])
				}
				path = next
				if pages++; pages > 10 {
					t.Fatal("endless pages")
				}
			}
			return rows, pages
		}
		api := e.apiAs("anna@futurehausen.example")
		res, body := api.json("GET", "/api/v1/organisations/"+itoa(fh.ID)+"/team?limit=200", "")
		expect(t, res, body, 200)
		all := decode[cursorList[domain.TeamRow]](t, body)
		if len(all.Items) <= 60 || all.Next != "" || all.Total != len(all.Items) {
			t.Fatalf("one API page of 200: %d rows, total %d, next %q", len(all.Items), all.Total, all.Next)
		}
		rows, pages := walk(base)
		if len(rows) != len(all.Items) || pages != (len(all.Items)+49)/50 {
			t.Fatalf("the pages show %d rows on %d pages, want %d", len(rows), pages, len(all.Items))
		}
		seen := map[string]int{}
		for _, r := range rows {
			seen[r]++
		}
		for _, it := range all.Items {
			if seen[it.Name+" "+it.Email] == 0 {
				t.Errorf("%s (%s) is on no page", it.Name, it.Email)
			}
		}
		_, body = anna.get(base)
		if !strings.Contains(body, fmt.Sprintf("%d Einträge, je 50 auf einer Seite", len(all.Items))) {
			t.Errorf("the first page does not count the rows:\n%s", pageText(body))
		}

		// A filter stays in the next page's link and the export's.
		res, body = anna.get(base + "?name=kollege&status=&zertifikat=nein")
		next := nextLink(body, "Weitere Einträge anzeigen")
		if res.StatusCode != 200 || !strings.Contains(next, "name=kollege") || !strings.Contains(next, "zertifikat=nein") ||
			!strings.Contains(next, "nach=") || !strings.HasSuffix(next, "#eintraege") {
			t.Fatalf("the filtered page links %q", next)
		}
		rows, _ = walk(base + "?name=kollege&status=&zertifikat=nein")
		if len(rows) != 60 {
			t.Fatalf("60 colleagues on the filtered pages, got %d", len(rows))
		}
		res, body = anna.get(base + "?angebot=gibt+es+nicht")
		if res.StatusCode != 200 || !strings.Contains(body, "Keine Einträge für diese Filter") || !strings.Contains(body, `value="gibt es nicht"`) {
			t.Fatalf("an offer title nobody booked: %d", res.StatusCode)
		}
		res, body = anna.get(base + "?status=confirmed&angebot=regeltest")
		if res.StatusCode != 200 || !strings.Contains(body, "20 Einträge.") || strings.Contains(body, "Weitere Einträge anzeigen") {
			t.Fatalf("the confirmed bookings of the offer: %d\n%s", res.StatusCode, pageText(body))
		}
		res, body = anna.get(base + "?angebot=" + strings.Repeat("x", 201))
		if res.StatusCode != 422 || !strings.Contains(body, "höchstens 200 Zeichen") {
			t.Fatalf("too long a title: %d", res.StatusCode)
		}
		// A broken cursor starts from the beginning.
		if res, body := anna.get(base + "?nach=abc"); res.StatusCode != 200 || nextLink(body, "Weitere Einträge anzeigen") == "" {
			t.Fatalf("broken cursor: %d", res.StatusCode)
		}

		// The export has every row, read a page at a time.
		res, body = anna.get(base + ".csv")
		if res.StatusCode != 200 || res.Header.Get("Content-Disposition") == "" {
			t.Fatalf("export: %d", res.StatusCode)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil || len(recs) != len(all.Items)+1 {
			t.Fatalf("export: %d records (%v), want %d", len(recs), err, len(all.Items)+1)
		}
		if res, body := e.sessionFor("niklas@futurehausen.example").get(base + ".csv"); res.StatusCode != 404 || strings.Contains(body, "E-Mail-Adresse;") {
			t.Fatalf("export for a participant: %d", res.StatusCode)
		}

		// The API pages by cursor too.
		var ids []string
		cursor := ""
		for n := 0; ; n++ {
			path := "/api/v1/organisations/" + itoa(fh.ID) + "/team?limit=7&name=kollege"
			if cursor != "" {
				path += "&cursor=" + url.QueryEscape(cursor)
			}
			res, body := api.json("GET", path, "")
			expect(t, res, body, 200)
			p := decode[teamList](t, body)
			if p.Total != 60 || p.TotalMore || !strings.Contains(body, `"total_more":false`) {
				t.Fatalf("total %d (more %v), want 60", p.Total, p.TotalMore)
			}
			for _, it := range p.Items {
				ids = append(ids, it.Email+"/"+itoa(it.BookingID))
				if !it.Member {
					t.Fatalf("a colleague is not a member: %+v", it)
				}
			}
			if cursor = p.Next; cursor == "" || n > 20 {
				break
			}
		}
		if len(ids) != 60 {
			t.Fatalf("the API's pages of 7: %d rows, want 60", len(ids))
		}
		for _, bad := range []string{"?cursor=abc", "?cursor=0-0", "?cursor=-1-2", "?limit=0", "?limit=201"} {
			if res, body := api.json("GET", "/api/v1/organisations/"+itoa(fh.ID)+"/team"+bad, ""); res.StatusCode != 400 {
				t.Errorf("team%s: %d %s", bad, res.StatusCode, body)
			}
		}
		if res, body := api.json("GET", "/api/v1/organisations/"+itoa(fh.ID)+"/team?offer_title=regeltest&status=confirmed", ""); res.StatusCode != 200 ||
			decode[cursorList[domain.TeamRow]](t, body).Total != 20 {
			t.Errorf("offer_title: %d %.300s", res.StatusCode, body)
		}
	})
}

func TestRolePeoplePageSearchAndSaveOnePage(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "ROLE-PAGES", 100)
		manyColleagues(t, e, 60, ses.ID)
		fh := e.orgByName("Stadt Futurehausen")
		hr := e.actorCtx("anna@futurehausen.example")
		p, err := e.srv.app.Matching.CreateRoleProfile(hr, fh.ID, &domain.RoleProfile{Name: "Bürgerbüro", Targets: []domain.RoleTarget{{Code: "RECHT.1", Level: 2}}})
		if err != nil {
			t.Fatal(err)
		}
		// Everyone on the first page holds the role.
		first, _, err := e.srv.app.Matching.RoleCandidatesPage(hr, fh.ID, p.ID, "", 0, 0)
		if err != nil || len(first) != 50 {
			t.Fatalf("first page: %d, %v", len(first), err)
		}
		var firstIDs []int64
		for _, c := range first {
			firstIDs = append(firstIDs, c.PersonID)
		}
		if _, err := e.srv.app.Matching.AssignRolePage(hr, fh.ID, p.ID, firstIDs, firstIDs); err != nil {
			t.Fatal(err)
		}

		anna := e.sessionFor("anna@futurehausen.example")
		path := "/team/rollen/" + itoa(p.ID) + "?organisation=" + itoa(fh.ID)
		res, body := anna.get(path)
		boxes := regexp.MustCompile(`name="person" value="(\d+)" checked`)
		if res.StatusCode != 200 || len(boxes.FindAllString(body, -1)) != 50 || !strings.Contains(body, "50 Personen haben diese Rolle.") {
			t.Fatalf("the first page: %d, %d ticked\n%.2000s", res.StatusCode, len(boxes.FindAllString(body, -1)), pageText(body))
		}
		next := nextLink(body, "Weitere Personen anzeigen")
		if !strings.Contains(next, "nach="+itoa(firstIDs[49])) || !strings.Contains(next, "organisation="+itoa(fh.ID)) {
			t.Fatalf("the next page's link: %q", next)
		}
		res, body = anna.get(next)
		shown := regexp.MustCompile(`name="shown" value="(\d+)"`).FindAllStringSubmatch(body, -1)
		if res.StatusCode != 200 || len(shown) == 0 || len(shown) >= 50 || len(boxes.FindAllString(body, -1)) != 0 ||
			!strings.Contains(body, "Zurück zu den ersten Personen") || nextLink(body, "Weitere Personen anzeigen") != "" {
			t.Fatalf("the second page: %d, %d people", res.StatusCode, len(shown))
		}
		// Tick two people of the second page and save: the first page's
		// fifty keep the role; back on the second page.
		form := url.Values{"nach": {itoa(firstIDs[49])}}
		for _, m := range shown {
			form.Add("shown", m[1])
		}
		form.Add("person", shown[0][1])
		form.Add("person", shown[1][1])
		res = anna.postForm("/team/rollen/"+itoa(p.ID)+"/personen?organisation="+itoa(fh.ID), form)
		loc := res.Header.Get("Location")
		if res.StatusCode != 303 || !strings.Contains(loc, "nach="+itoa(firstIDs[49])) || !strings.Contains(loc, "hinweis=rolle-personen") {
			t.Fatalf("save: %d %s", res.StatusCode, loc)
		}
		res, body = anna.get(loc)
		if res.StatusCode != 200 || len(boxes.FindAllString(body, -1)) != 2 || !strings.Contains(body, "52 Personen haben diese Rolle.") ||
			!strings.Contains(body, "Die Zuordnung der Personen ist gespeichert.") {
			t.Fatalf("after saving the second page: %d\n%.2000s", res.StatusCode, pageText(body))
		}
		// Untick one of the first page: the others stay.
		form = url.Values{"shown": {itoa(firstIDs[0]), itoa(firstIDs[1])}, "person": {itoa(firstIDs[1])}}
		if res := anna.postForm("/team/rollen/"+itoa(p.ID)+"/personen?organisation="+itoa(fh.ID), form); res.StatusCode != 303 {
			t.Fatalf("untick: %d", res.StatusCode)
		}
		got, err := e.srv.app.Matching.RoleProfile(hr, fh.ID, p.ID)
		if err != nil || got.MemberCount != 51 {
			t.Fatalf("holders after unticking one: %d, %v", got.MemberCount, err)
		}

		// The search: by name, kept in the form and the save.
		res, body = anna.get(path + "&suche=nummer+07")
		if res.StatusCode != 200 || !strings.Contains(body, "Kollege Nummer 07") || strings.Contains(body, "Kollege Nummer 08") ||
			!strings.Contains(body, `value="nummer 07"`) || !strings.Contains(body, "Alle Mitglieder zeigen") {
			t.Fatalf("search: %d\n%.2000s", res.StatusCode, pageText(body))
		}
		res, body = anna.get(path + "&suche=niemand-heisst-so")
		if res.StatusCode != 200 || !strings.Contains(body, "Niemand in Ihrer Kommune passt zu „niemand-heisst-so“.") {
			t.Fatalf("search without a match: %d", res.StatusCode)
		}
		res, body = anna.get(path + "&suche=" + strings.Repeat("x", 201))
		if res.StatusCode != 422 || !strings.Contains(body, `id="f-suche-error"`) {
			t.Fatalf("too long a search: %d", res.StatusCode)
		}
	})
}

func TestParticipantListPagesAndExportsEveryone(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "TEILNEHMENDE", 70)
		ctx := context.Background()
		for i := range 60 {
			if _, err := e.srv.app.Booking.Place(ctx, domain.BookingInput{SessionID: ses.ID, ParticipantName: fmt.Sprintf("Teilnehmerin %02d", i),
				ParticipantEmail: fmt.Sprintf("t%02d@example.org", i), Payment: domain.PayPrivate}); err != nil {
				t.Fatal(err)
			}
		}
		vera := e.sessionFor("kurse@vwa-bw.example")
		path := "/anbieter/termine/" + itoa(ses.ID)
		res, body := vera.get(path)
		names := regexp.MustCompile(`>Teilnehmerin (\d\d)<br>`)
		if res.StatusCode != 200 || len(names.FindAllString(body, -1)) != 50 || !strings.Contains(body, "je 50 auf einer Seite") {
			t.Fatalf("first page: %d, %d participants", res.StatusCode, len(names.FindAllString(body, -1)))
		}
		next := nextLink(body, "Weitere Teilnehmende anzeigen")
		if next == "" {
			t.Fatal("no link to the next page")
		}
		res, body = vera.get(next)
		second := names.FindAllStringSubmatch(body, -1)
		if res.StatusCode != 200 || len(second) != 10 || second[0][1] != "50" || nextLink(body, "Weitere Teilnehmende anzeigen") != "" ||
			!strings.Contains(body, "Zurück zum Anfang der Liste") {
			t.Fatalf("second page: %d, %d participants", res.StatusCode, len(second))
		}
		// Attendance recorded on the second page returns to it.
		after := regexp.MustCompile(`name="nach" value="(\d+)"`).FindStringSubmatch(body)
		booking := regexp.MustCompile(`action="/buchungen/(\d+)/anwesenheit"`).FindStringSubmatch(body)
		if after == nil || booking == nil {
			t.Fatal("the second page's attendance forms do not say which page they are on")
		}
		defer e.travel(ses.StartsAt.Sub(e.db.Now()) + time.Hour)()
		vera = e.sessionFor("kurse@vwa-bw.example")
		res = vera.postForm("/buchungen/"+booking[1]+"/anwesenheit", url.Values{"day": {"1"}, "status": {"present"}, "nach": {after[1]}})
		if loc := res.Header.Get("Location"); res.StatusCode != 303 || !strings.HasSuffix(loc, "?hinweis=anwesenheit&nach="+after[1]) {
			t.Fatalf("attendance: %d %s", res.StatusCode, loc)
		}
		// The export lists all sixty, read a page at a time.
		res, body = vera.get(path + "/anwesenheit.csv")
		if res.StatusCode != 200 || strings.Count(body, "@example.org;") != 60 || !strings.Contains(body, "t59@example.org") {
			t.Fatalf("export: %d, %d lines", res.StatusCode, strings.Count(body, "@example.org;"))
		}
		if res, _ := e.sessionFor("niklas@futurehausen.example").get(path + "/anwesenheit.csv"); res.StatusCode != 403 {
			t.Fatalf("export for a participant: %d", res.StatusCode)
		}
	})
}
