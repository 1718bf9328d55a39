package web

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestConcurrentAttendancePostsAnswer200: ten "all days present" posts for
// one booking at once answer 200 every one, and the booking gets exactly
// one certificate. They used to answer 500 on PostgreSQL: the booking was
// read before the session's lock, so later posts completed it again and hit
// the certificate's unique booking.
func TestConcurrentAttendancePostsAnswer200(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		_, body := e.client().json("GET", "/api/v1/offers?sort=date&format=live_online", "")
		r := decode[searchResponse](t, body)
		niklas := e.apiAs("niklas@futurehausen.example")
		res, body := niklas.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", r.Items[0].NextSession.ID), `{"payment": "private"}`)
		expect(t, res, body, 201)
		id := decode[struct {
			ID int64 `json:"id"`
		}](t, body).ID
		ms, _ := e.db.Members(t.Context(), r.Items[0].Provider.ID)
		prov := e.apiAs(ms[0].Person.Email)
		defer e.travel(400 * 24 * time.Hour)()
		const n = 10
		codes := make([]int, n)
		bodies := make([]string, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				res, body := prov.json("POST", fmt.Sprintf("/api/v1/bookings/%d/attendance", id), `{"status": "present"}`)
				codes[i], bodies[i] = res.StatusCode, body
			}()
		}
		close(start)
		wg.Wait()
		for i := range n {
			if codes[i] != http.StatusOK || !strings.Contains(bodies[i], `"status":"completed"`) {
				t.Errorf("post %d: %d %s", i, codes[i], bodies[i])
			}
		}
		certs, err := e.db.BookingCertificates(t.Context(), id)
		if err != nil || len(certs) != 1 {
			t.Fatalf("%d certificates (%v), want exactly one", len(certs), err)
		}
	})
}

// TestAttendanceExportIsSafeForSpreadsheets: the provider's participant list
// as CSV opens in German spreadsheets (BOM, ";") and shows a name like
// "=cmd|' /C calc'!A0" as text instead of running it.
func TestAttendanceExportIsSafeForSpreadsheets(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	_, body := e.client().json("GET", "/api/v1/offers?sort=date&format=live_online", "")
	r := decode[searchResponse](t, body)
	ses := r.Items[0].NextSession.ID
	evil := "=cmd|' /C calc'!A0"
	niklas := e.apiAs("niklas@futurehausen.example")
	res, body := niklas.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses),
		fmt.Sprintf(`{"payment": "private", "participant": {"name": %q, "email": "eve@futurehausen.example"}}`, evil))
	if res.StatusCode != 201 {
		// Booking for someone else may be refused to a participant; the
		// provider's staff may book for anyone in their own session.
		ms, _ := e.db.Members(t.Context(), r.Items[0].Provider.ID)
		res, body = e.apiAs(ms[0].Person.Email).json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses),
			fmt.Sprintf(`{"payment": "private", "participant": {"name": %q, "email": "eve@futurehausen.example"}}`, evil))
	}
	expect(t, res, body, 201)
	ms, _ := e.db.Members(t.Context(), r.Items[0].Provider.ID)
	prov := e.sessionFor(ms[0].Person.Email)
	resp, csv := prov.get(fmt.Sprintf("/anbieter/termine/%d/anwesenheit.csv", ses))
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	if !strings.HasPrefix(csv, "\ufeffE-Mail;Name;Tag;Status\r\n") {
		t.Fatalf("export starts with %q", csv[:min(len(csv), 40)])
	}
	if !strings.Contains(csv, "eve@futurehausen.example;'"+evil+";1;") {
		t.Fatalf("the name is not neutralised: %q", csv)
	}
	for _, line := range strings.Split(csv, "\r\n") {
		for _, cell := range strings.Split(line, ";") {
			if c := strings.TrimPrefix(cell, `"`); c != "" && strings.ContainsRune("=+@", rune(c[0])) {
				t.Errorf("live formula %q in %q", cell, line)
			}
		}
	}
	if resp, _ := e.sessionFor("niklas@futurehausen.example").get(fmt.Sprintf("/anbieter/termine/%d/anwesenheit.csv", ses)); resp.StatusCode != 403 {
		t.Fatalf("export for a participant: %d", resp.StatusCode)
	}
}
