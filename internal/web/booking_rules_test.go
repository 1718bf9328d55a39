package web

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// testSession publishes an offer of the VWA with one online session of
// capacity places a month ahead and returns the session.
func testSession(t *testing.T, e *testEnv, code string, capacity int) *domain.Session {
	t.Helper()
	ctx := context.Background()
	vwa := e.orgByName("Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg")
	staff := e.person("kurse@vwa-bw.example")
	ms, _ := e.db.Memberships(ctx, staff.ID)
	sctx := domain.WithActor(ctx, &domain.Actor{Person: staff, Memberships: ms})
	o := &domain.Offer{ProviderID: vwa.ID, Code: code, Title: "Regeltest " + code, Summary: "Ein Termin für die Regeln rund um Buchungen.",
		Description: "Ein Angebot nur für Tests der Buchungsregeln: Stornierung, Freigabe und wer für wen buchen darf.",
		Outcomes:    []string{"Geduld"}, Competences: []domain.OfferCompetence{{Code: "NEWWORK.1", Level: 1}}, Level: domain.LevelBasic,
		Format: domain.FormatLiveOnline, Language: "de", Hours: 2, Days: 1, Certificate: domain.CertParticipation}
	if err := e.db.CreateOffer(sctx, o); err != nil {
		t.Fatal(err)
	}
	if err := e.db.ReviewOffer(ctx, o.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	start := e.db.Now().AddDate(0, 1, 0)
	ses := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(2 * time.Hour), Days: 1, Capacity: capacity, Online: true}
	if err := e.db.AddSession(sctx, ses); err != nil {
		t.Fatal(err)
	}
	return ses
}

// parallel sends the same request as email n times at once, each with its
// own token and connection, and returns the statuses.
func parallel(e *testEnv, email string, n int, method, url, body string) []int {
	clients := make([]*client, n)
	for i := range clients {
		clients[i] = e.apiAs(email)
	}
	warmPool(e.db, 2*n)
	out := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = clients[i].doURL(method, url, body).status
		}()
	}
	close(start)
	wg.Wait()
	return out
}

// warmPool opens n connections and leaves them idle, so that concurrent
// requests start their transactions together instead of one after the
// other while new connections are dialled.
func warmPool(db *store.DB, n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db.Read(context.Background(), func(*store.Tx) error { time.Sleep(100 * time.Millisecond); return nil })
		}()
	}
	wg.Wait()
}

func countStatus(bs []domain.Booking) map[string]int {
	n := map[string]int{}
	for _, b := range bs {
		n[b.Status]++
	}
	return n
}

// TestConcurrentCancelsFreeOnePlace: ten cancellations of one confirmed
// booking at once succeed once and move exactly one person up.
func TestConcurrentCancelsFreeOnePlace(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "CANCEL-10", 2)
		staff := e.apiAs("kurse@vwa-bw.example")
		var ids []int64
		for i := 0; i < 8; i++ {
			res, body := staff.json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID),
				fmt.Sprintf(`{"participant": {"name": "Person %d", "email": "c%d@futurehausen.example"}, "payment": "private"}`, i, i))
			expect(t, res, body, 201)
			ids = append(ids, decode[domain.Booking](t, body).ID)
		}
		statuses := parallel(e, "kurse@vwa-bw.example", 10, "DELETE", e.ts.URL+fmt.Sprintf("/api/v1/bookings/%d", ids[0]), "")
		ok := 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 409:
			default:
				t.Fatalf("statuses %v", statuses)
			}
		}
		if ok != 1 {
			t.Fatalf("%d cancellations answered 200 (%v), want 1", ok, statuses)
		}
		bs, err := e.db.SessionBookings(t.Context(), ses.ID)
		if err != nil {
			t.Fatal(err)
		}
		if n := countStatus(bs); n[domain.BookingConfirmed] != 2 || n[domain.BookingCancelled] != 1 || n[domain.BookingWaitlisted] != 5 {
			t.Fatalf("after ten cancellations of one booking: %v, want 2 confirmed, 1 cancelled, 5 waitlisted", n)
		}
	})
}

// TestConcurrentApprovalsGiveOnePlace: ten HR approvals of one booking at
// once approve it once, and it gets the free place.
func TestConcurrentApprovalsGiveOnePlace(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ses := testSession(t, e, "APPROVE-10", 2)
		res, body := e.apiAs("niklas@futurehausen.example").json("POST", fmt.Sprintf("/api/v1/sessions/%d/bookings", ses.ID), `{"payment": "employer"}`)
		expect(t, res, body, 201)
		b := decode[domain.Booking](t, body)
		if b.Status != domain.BookingAwaitingApproval {
			t.Fatalf("employer booking: %s", b.Status)
		}
		statuses := parallel(e, "anna@futurehausen.example", 10, "POST", e.ts.URL+fmt.Sprintf("/api/v1/bookings/%d/approve", b.ID), "")
		ok := 0
		for _, s := range statuses {
			switch s {
			case 200:
				ok++
			case 409:
			default:
				t.Fatalf("statuses %v", statuses)
			}
		}
		if ok != 1 {
			t.Fatalf("%d approvals answered 200 (%v), want 1", ok, statuses)
		}
		got, err := e.db.Booking(t.Context(), b.ID)
		if err != nil || got.Status != domain.BookingConfirmed {
			t.Fatalf("booking after ten approvals: %+v, %v", got, err)
		}
	})
}
