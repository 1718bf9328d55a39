package store_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkBookingThroughput books places concurrently (8 clients) across
// 50 sessions of 1,000 places and reports bookings per second.
//
//	LOTSE_TEST_POSTGRES=... go test ./internal/store -run XXX -bench BookingThroughput -benchtime 2000x
func BenchmarkBookingThroughput(b *testing.B) { benchBookings(b, 8) }

// BenchmarkBookingThroughput200 is the same with 200 concurrent clients
// (issue 14: bookings over HTTP at 200 clients).
func BenchmarkBookingThroughput200(b *testing.B) { benchBookings(b, 200) }

func benchBookings(b *testing.B, clients int) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) { benchBookingsOn(b, d, clients, true) })
		if d == store.SQLite {
			// The baseline: SQLite's write transactions without the
			// process's gate, waiting in SQLite's busy handler.
			b.Run(string(d)+"-ungated", func(b *testing.B) { benchBookingsOn(b, d, clients, false) })
		}
	}
}

func benchBookingsOn(b *testing.B, d store.Dialect, clients int, gate bool) {
	{
		{
			db := storetest.Open(b, d)
			db.SerializeWrites(gate)
			ctx, first, _ := bookingFixture(b, db, 1000, 0)
			sessions := []int64{first.ID}
			for i := 1; i < 50; i++ {
				s := &domain.Session{OfferID: first.OfferID, StartsAt: first.StartsAt, EndsAt: first.EndsAt, Days: first.Days, Capacity: 1000, Online: true}
				if err := catalog.AddSession(ctx, db, s); err != nil {
					b.Fatal(err)
				}
				sessions = append(sessions, s.ID)
			}
			svc := bookingtest.Service(db) // one service, as in the server
			var n atomic.Int64
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for w := 0; w < clients; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := n.Add(1)
						if i > int64(b.N) {
							return
						}
						if _, err := svc.Place(ctx, domain.BookingInput{SessionID: sessions[i%int64(len(sessions))], ParticipantName: "Person",
							ParticipantEmail: fmt.Sprintf("p%d@futurehausen.example", i), Payment: domain.PayPrivate}); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "bookings/s")
		}
	}
}
