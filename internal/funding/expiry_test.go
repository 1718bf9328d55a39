package funding_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/booking/bookingtest"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

func TestExpiringVouchersAreNoticedOnceToHRAndSignatories(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, s, vs := bookingtest.Fixture(t, db, 10, 3)
		// One voucher is in use: it is not about to lapse unused.
		if _, err := bookingtest.Book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: "Niklas Neumann",
			ParticipantEmail: "niklas@futurehausen.example", Payment: domain.PayVoucher, Voucher: vs[0].Code}); err != nil {
			t.Fatal(err)
		}
		svc := fundingtest.Service(db)
		if n, err := svc.NoticeExpiringVouchers(context.Background()); err != nil || n != 0 {
			t.Fatalf("long before expiry: %d noticed, %v", n, err)
		}
		// The second voucher is handed to Niklas: he is told as its holder.
		if _, err := svc.HandVoucher(fundingtest.As(t, db, "anna@futurehausen.example"), vs[1].Code,
			domain.HandingInput{Email: "niklas@futurehausen.example"}); err != nil {
			t.Fatal(err)
		}
		realNow := db.Now
		db.Now = func() time.Time { return vs[1].ExpiresAt.Add(-10 * 24 * time.Hour) }
		t.Cleanup(func() { db.Now = realNow })
		dbs := []*store.DB{db}
		if db.Dialect == store.Postgres {
			second, err := store.Open(context.Background(), db.DSN())
			if err != nil {
				t.Fatal(err)
			}
			defer second.Close()
			second.Now = db.Now
			dbs = append(dbs, second)
		}
		var wg sync.WaitGroup
		counts, errs := make([]int, 4), make([]error, 4)
		for i := range counts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				counts[i], errs[i] = fundingtest.Service(dbs[i%len(dbs)]).NoticeExpiringVouchers(context.Background())
			}()
		}
		wg.Wait()
		total := 0
		for i := range counts {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			total += counts[i]
		}
		if total != 2 {
			t.Fatalf("%d vouchers noticed, want the 2 unused ones", total)
		}
		if n, err := svc.NoticeExpiringVouchers(context.Background()); err != nil || n != 0 {
			t.Fatalf("second round: %d, %v", n, err)
		}
		to := map[string]int{}
		for _, m := range storetest.Mails(t, db) {
			if strings.Contains(m.Subject, "Gutscheine laufen") || strings.Contains(m.Subject, "Gutschein läuft") {
				to[m.To]++
				if !strings.Contains(m.Subject, "2 Gutscheine laufen") || !strings.Contains(m.Body, "für die Basisqualifizierung") ||
					strings.Contains(m.Body, vs[1].Code) {
					t.Fatalf("notice:\n%s\n%s", m.Subject, m.Body)
				}
			}
		}
		// Lilly is the signatory, Anna HR; Niklas (participant) and Thomas
		// (account admin) are not told.
		if len(to) != 2 || to[fundingtest.Lilly] != 1 || to["anna@futurehausen.example"] != 1 {
			t.Fatalf("notices per address: %v", to)
		}
		held := 0
		for _, m := range storetest.Mails(t, db) {
			if strings.HasPrefix(m.Subject, "Ihr Gutschein gilt nur noch") {
				if m.To != "niklas@futurehausen.example" || strings.Contains(m.Body, vs[1].Code) || !strings.Contains(m.Body, "/meine-gutscheine") {
					t.Fatalf("holder notice to %s:\n%s", m.To, m.Body)
				}
				held++
			}
		}
		if held != 1 {
			t.Fatalf("%d holder notices, want 1 to Niklas", held)
		}
	})
}

// TestTheExpiryNoticeJobWorksOffABacklogInOneRun: more vouchers expire
// soon than a round looks at; one run of the job notices them all.
func TestTheExpiryNoticeJobWorksOffABacklogInOneRun(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		defer funding.SetExpiryBatch(1)()
		_, _, vs := bookingtest.Fixture(t, db, 10, 3)
		realNow := db.Now
		db.Now = func() time.Time { return vs[0].ExpiresAt.Add(-10 * 24 * time.Hour) }
		t.Cleanup(func() { db.Now = realNow })
		if err := fundingtest.Service(db).RunExpiryNotices(context.Background()); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.Read(context.Background(), func(tx *store.Tx) error {
			return tx.QueryRowContext(context.Background(), `SELECT count(*) FROM vouchers WHERE expiry_noticed_at IS NOT NULL`).Scan(&n)
		}); err != nil {
			t.Fatal(err)
		}
		if n != len(vs) {
			t.Fatalf("one run noticed %d of %d vouchers, in rounds of 1", n, len(vs))
		}
	})
}
