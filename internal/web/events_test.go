package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

const (
	evPetra  = "pruefung@staedtetag-bw.example"
	evLilly  = "lilly@futurehausen.example"
	evNiklas = "niklas@futurehausen.example"
	evPaula  = "pilot@kleinbach.example"
)

// eventBody is a valid event for the API, starting in a month.
func eventBody(e *testEnv, audience string, capacity int, extra string) string {
	start := e.db.Now().AddDate(0, 1, 0).UTC()
	return fmt.Sprintf(`{"title": "Vernetzungstreffen Süd", "description": "Austausch.", "agenda": "Begrüßung", "starts_at": %q,
		"ends_at": %q, "online": true, "online_url": "https://meet.example/sued", "capacity": %d, "registration_deadline": %q,
		"audience": %q, "questions": ["Essenswünsche?"]%s}`, start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339), capacity,
		start.Add(-time.Hour).Format(time.RFC3339), audience, extra)
}

type apiEvent struct {
	ID           int64  `json:"id"`
	Status       string `json:"status"`
	OnlineURL    string `json:"online_url"`
	Confirmed    int    `json:"confirmed"`
	Waitlisted   int    `json:"waitlisted"`
	Registration *struct {
		ID       int64  `json:"id"`
		Status   string `json:"status"`
		Position int    `json:"position"`
	} `json:"registration"`
	Participants []struct {
		Name string `json:"name"`
	} `json:"participants"`
}

func evDecode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return v
}

func evWantStatus(t *testing.T, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d: %s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, body)
	}
}

// TestEventAPIFromDraftToWaitingList: validation with field messages, a
// draft that only its organisers see, the members-only audience (a
// Gemeindetag municipality's pilot neither sees nor registers), the
// waiting list that moves up when the confirmed person cancels, and the
// online link only for confirmed registrants.
func TestEventAPIFromDraftToWaitingList(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		petra, lilly, niklas, paula := e.sessionFor(evPetra), e.sessionFor(evLilly), e.sessionFor(evNiklas), e.sessionFor(evPaula)
		res, body := petra.json("POST", "/api/v1/events", `{"title": "", "capacity": 0, "audience": "alle", "online": true}`)
		evWantStatus(t, res, body, http.StatusUnprocessableEntity)
		verr := evDecode[struct {
			Error struct {
				Fields map[string]string `json:"fields"`
			} `json:"error"`
		}](t, body)
		for _, f := range []string{"title", "description", "starts_at", "capacity", "audience", "online_url", "registration_deadline"} {
			if verr.Error.Fields[f] == "" {
				t.Errorf("no German message for %s: %s", f, body)
			}
		}
		res, body = lilly.json("POST", "/api/v1/events", eventBody(e, "members", 1, ""))
		evWantStatus(t, res, body, http.StatusForbidden)

		res, body = petra.json("POST", "/api/v1/events", eventBody(e, "members", 1, ""))
		evWantStatus(t, res, body, http.StatusCreated)
		ev := evDecode[apiEvent](t, body)
		if ev.Status != "draft" {
			t.Fatalf("new event: %s", body)
		}
		path := fmt.Sprintf("/api/v1/events/%d", ev.ID)
		for _, c := range []*client{lilly, paula, e.client()} {
			res, body = c.json("GET", path, "")
			evWantStatus(t, res, body, http.StatusNotFound)
		}
		res, body = lilly.json("GET", "/api/v1/events", "")
		if strings.Contains(body, "Vernetzungstreffen Süd") {
			t.Errorf("a draft is listed to Lilly: %s", body)
		}
		res, body = petra.json("POST", path+"/publish", "")
		evWantStatus(t, res, body, http.StatusOK)

		// Audience isolation: Kleinbach is a member of the Gemeindetag.
		res, body = paula.json("GET", path, "")
		evWantStatus(t, res, body, http.StatusNotFound)
		res, body = paula.json("POST", path+"/registrations", `{}`)
		evWantStatus(t, res, body, http.StatusNotFound)
		if _, body = paula.json("GET", "/api/v1/events", ""); strings.Contains(body, "Vernetzungstreffen Süd") {
			t.Errorf("Paula lists the Städtetag's members-only event: %s", body)
		}
		res, body = lilly.json("GET", path, "")
		evWantStatus(t, res, body, http.StatusOK)
		if v := evDecode[apiEvent](t, body); v.OnlineURL != "" {
			t.Errorf("the link is shown before registration: %s", body)
		}

		res, body = lilly.json("POST", path+"/registrations", `{"answers": ["vegetarisch"]}`)
		evWantStatus(t, res, body, http.StatusCreated)
		lr := evDecode[struct {
			ID     int64  `json:"id"`
			Status string `json:"status"`
		}](t, body)
		if lr.Status != "confirmed" {
			t.Fatalf("Lilly: %s", body)
		}
		res, body = niklas.json("POST", path+"/registrations", `{"show_name": true}`)
		evWantStatus(t, res, body, http.StatusCreated)
		if !strings.Contains(body, `"status":"waitlisted"`) {
			t.Fatalf("Niklas: %s", body)
		}
		res, body = niklas.json("POST", path+"/registrations", `{}`)
		evWantStatus(t, res, body, http.StatusConflict)

		res, body = petra.json("GET", path+"/registrations", "")
		evWantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `"total":2`) || !strings.Contains(body, "vegetarisch") {
			t.Errorf("attendee list: %s", body)
		}
		res, body = lilly.json("GET", path+"/registrations", "")
		evWantStatus(t, res, body, http.StatusNotFound)

		res, body = niklas.json("DELETE", fmt.Sprintf("/api/v1/registrations/%d", lr.ID), "")
		evWantStatus(t, res, body, http.StatusNotFound)
		res, body = lilly.json("DELETE", fmt.Sprintf("/api/v1/registrations/%d", lr.ID), "")
		evWantStatus(t, res, body, http.StatusOK)
		res, body = niklas.json("GET", path, "")
		v := evDecode[apiEvent](t, body)
		if v.Registration == nil || v.Registration.Status != "confirmed" || v.OnlineURL == "" || len(v.Participants) != 1 {
			t.Errorf("Niklas after Lilly cancelled: %s", body)
		}
		res, body = niklas.json("GET", path+"/ics", "")
		evWantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, "BEGIN:VEVENT") || !strings.Contains(body, "meet.example/sued") {
			t.Errorf("calendar file: %s", body)
		}
		res, body = niklas.json("GET", "/api/v1/me/event-registrations", "")
		if !strings.Contains(body, "Vernetzungstreffen Süd") {
			t.Errorf("own registrations: %s", body)
		}

		// A change is told; fewer places than confirmed are refused.
		res, body = petra.json("PATCH", path, `{"capacity": 0}`)
		evWantStatus(t, res, body, http.StatusUnprocessableEntity)
		res, body = petra.json("PATCH", path, `{"agenda": "Neue Tagesordnung"}`)
		evWantStatus(t, res, body, http.StatusOK)
		res, body = petra.json("POST", path+"/message", `{"subject": "Anfahrt", "body": "Bitte pünktlich."}`)
		evWantStatus(t, res, body, http.StatusOK)
		if !strings.Contains(body, `"recipients":1`) {
			t.Errorf("message: %s", body)
		}
		res, body = petra.json("POST", path+"/cancel", `{"reason": "Krankheit"}`)
		evWantStatus(t, res, body, http.StatusOK)
		res, body = lilly.json("POST", path+"/registrations", `{}`)
		evWantStatus(t, res, body, http.StatusConflict)
		if !strings.Contains(body, "abgesagt") {
			t.Errorf("registration for a cancelled event: %s", body)
		}
	})
}

// TestEventRegistrationAfterTheDeadlineIsRefusedInGerman.
func TestEventRegistrationAfterTheDeadlineIsRefusedInGerman(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	petra := e.sessionFor(evPetra)
	res, body := petra.json("POST", "/api/v1/events", eventBody(e, "public", 5, ""))
	evWantStatus(t, res, body, http.StatusCreated)
	ev := evDecode[apiEvent](t, body)
	petra.json("POST", fmt.Sprintf("/api/v1/events/%d/publish", ev.ID), "")
	defer e.travel(31 * 24 * time.Hour)()
	res, body = e.sessionFor(evLilly).json("POST", fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), `{}`)
	evWantStatus(t, res, body, http.StatusConflict)
	if !strings.Contains(body, "Anmeldefrist ist abgelaufen") {
		t.Errorf("message: %s", body)
	}
}

// TestEventPagesRegisterWithoutConsentAndExportSafely: the form's consent
// box is unticked by default, a registration without it keeps the name off
// the list, the exports read back with the answer as text, and the
// personal calendar feed carries the event.
func TestEventPagesRegisterWithoutConsentAndExportSafely(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		petra, lilly := e.sessionFor(evPetra), e.sessionFor(evLilly)
		start := e.db.Now().AddDate(0, 1, 0).In(berlin)
		form := url.Values{"title": {"Treffen vor Ort"}, "description": {"Austausch."}, "starts_at": {start.Format(localLayout)},
			"ends_at": {start.Add(2 * time.Hour).Format(localLayout)}, "ags": {"08999001"}, "address": {"Rathausplatz 1"},
			"capacity": {"nix"}, "registration_deadline": {start.Add(-time.Hour).Format(localLayout)}, "audience": {"members"},
			"questions": {"Welche Themen?"}}
		res, body := petra.postFormBody("/veranstaltungen/neu", form)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "ganze Zahl") || !strings.Contains(body, `value="Treffen vor Ort"`) {
			t.Fatalf("bad capacity: %d %.500s", res.StatusCode, body)
		}
		form.Set("capacity", "2")
		res = petra.postForm("/veranstaltungen/neu", form)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create: %d", res.StatusCode)
		}
		loc := res.Header.Get("Location")
		evPath := strings.SplitN(loc, "?", 2)[0]
		if res = petra.postForm(evPath+"/veroeffentlichen", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.StatusCode)
		}
		_, page := lilly.get(evPath)
		if !strings.Contains(page, "Mein Name darf auf der Teilnehmendenliste erscheinen") || strings.Contains(page, `name="show_name" value="1" checked`) {
			t.Errorf("consent box missing or ticked: %.2000s", page)
		}
		res = lilly.postForm(evPath+"/anmelden", url.Values{"answer_1": {"=HYPERLINK(\"http://evil.example\";\"x\")"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("register: %d", res.StatusCode)
		}
		_, page = lilly.get(evPath)
		if !strings.Contains(page, "Ihr Platz ist bestätigt") || !strings.Contains(page, "nicht auf der Teilnehmendenliste") ||
			strings.Contains(page, "<li class=\"kern-body\">Lilly Lotse") {
			t.Errorf("Lilly's page: %.3000s", page)
		}
		_, page = petra.get(evPath + "/teilnehmende")
		if !strings.Contains(page, "Lilly Lotse") || !strings.Contains(page, "Stadt Futurehausen") {
			t.Errorf("attendee page: %.3000s", page)
		}
		res, csvBody := petra.get(evPath + "/teilnehmende.csv")
		if res.StatusCode != 200 || !strings.HasPrefix(csvBody, "\ufeff") {
			t.Fatalf("csv: %d %q", res.StatusCode, csvBody)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvBody, "\ufeff")))
		r.Comma = ';'
		rows, err := r.ReadAll()
		if err != nil || len(rows) < 2 {
			t.Fatalf("csv rows: %v %v", rows, err)
		}
		last := rows[len(rows)-1]
		if last[0] != "Lilly Lotse" || !strings.HasPrefix(last[len(last)-1], "'=") {
			t.Errorf("csv row not formula-safe: %q", last)
		}
		res, xlsx := petra.get(evPath + "/teilnehmende.xlsx")
		if res.StatusCode != 200 {
			t.Fatalf("xlsx: %d", res.StatusCode)
		}
		wb, err := excelize.OpenReader(bytes.NewReader([]byte(xlsx)))
		if err != nil {
			t.Fatal(err)
		}
		sheet := wb.GetSheetName(0)
		xrows, err := wb.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for i, row := range xrows {
			if len(row) > 0 && row[0] == "Lilly Lotse" {
				found = true
				cell, _ := excelize.CoordinatesToCellName(len(row), i+1)
				if f, _ := wb.GetCellFormula(sheet, cell); f != "" {
					t.Errorf("xlsx answer is a formula: %q", f)
				}
				if !strings.HasPrefix(row[len(row)-1], "=HYPERLINK") {
					t.Errorf("xlsx answer: %q", row[len(row)-1])
				}
			}
		}
		if !found {
			t.Errorf("xlsx rows: %v", xrows)
		}
		// The API gives the same files to the organiser, and to nobody else.
		apiPath := "/api/v1/events/" + strings.TrimPrefix(evPath, "/veranstaltungen/") + "/registrations"
		res, apiCSV := e.apiAs(evPetra).json("GET", apiPath+".csv", "")
		if res.StatusCode != 200 || apiCSV != csvBody || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Errorf("API csv: %d %q", res.StatusCode, apiCSV)
		}
		if res, apiXLSX := e.apiAs(evPetra).json("GET", apiPath+".xlsx", ""); res.StatusCode != 200 || apiXLSX != xlsx {
			t.Errorf("API xlsx: %d, %d bytes", res.StatusCode, len(apiXLSX))
		}
		if res, _ := e.apiAs(evLilly).json("GET", apiPath+".csv", ""); res.StatusCode != http.StatusForbidden && res.StatusCode != http.StatusNotFound {
			t.Errorf("Lilly gets the attendee list: %d", res.StatusCode)
		}
		// The personal calendar feed carries the event too.
		token, err := e.db.CalendarToken(context.Background(), e.person(evLilly).ID)
		if err != nil {
			t.Fatal(err)
		}
		_, feed := e.client().get("/kalender/" + token)
		if !strings.Contains(feed, "SUMMARY:Treffen vor Ort") {
			t.Errorf("feed lacks the event: %s", feed)
		}
		// Attendance through the form.
		_, page = petra.get(evPath + "/teilnehmende")
		m := regexpFind(`name="present" value="(\d+)"`, page)
		if m == "" {
			t.Fatalf("no attendance box: %.2000s", page)
		}
		res = petra.postForm(evPath+"/anwesenheit", url.Values{"present": {m}, "shown": {m}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("attendance: %d", res.StatusCode)
		}
		_, page = petra.get(evPath + "/teilnehmende")
		if !strings.Contains(page, `value="`+m+`" checked`) {
			t.Errorf("attendance not kept: %.3000s", page)
		}
	})
}

// regexpFind returns the first group of pattern in s, or "".
func regexpFind(pattern, s string) string {
	m := regexp.MustCompile(pattern).FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}
