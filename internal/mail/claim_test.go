package mail_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/mail"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// countingTransport counts deliveries per mail and takes a moment for each,
// so that two senders overlap.
type countingTransport struct {
	mu  sync.Mutex
	got map[int64]int
}

func (c *countingTransport) Send(ctx context.Context, m domain.Mail) error {
	time.Sleep(2 * time.Millisecond)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got[m.ID]++
	return nil
}

// TestTwoSendersSendEachMailOnce: two instances deliver one outbox (each its
// own database handle, as two processes would) and every mail goes out
// exactly once.
func TestTwoSendersSendEachMailOnce(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		const n = 50
		err := db.Transact(ctx, func(tx *store.Tx) error {
			for i := 0; i < n; i++ {
				if err := tx.EnqueueMail(ctx, fmt.Sprintf("p%d@futurehausen.example", i), "Betreff", "Text"); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		second, err := store.Open(ctx, db.DSN())
		if err != nil {
			t.Fatal(err)
		}
		defer second.Close()
		tr := &countingTransport{got: map[int64]int{}}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		var wg sync.WaitGroup
		for _, h := range []*store.DB{db, second} {
			for k := 0; k < 2; k++ { // two rounds racing per instance, too
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := mail.NewSenderWith(tr, h, log)
					for round := 0; round < 20; round++ {
						if _, err := s.DeliverPending(ctx); err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
		}
		wg.Wait()
		if len(tr.got) != n {
			t.Fatalf("%d of %d mails delivered", len(tr.got), n)
		}
		for id, c := range tr.got {
			if c != 1 {
				t.Errorf("mail %d delivered %d times", id, c)
			}
		}
		if pending, err := db.PendingMails(ctx, 100); err != nil || len(pending) != 0 {
			t.Fatalf("%d mails still pending, %v", len(pending), err)
		}
	})
}

// TestExpiredClaimIsTakenOver: a mail whose sender died (its claim ran out)
// is sent by another sender; an unexpired claim is respected.
func TestExpiredClaimIsTakenOver(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Transact(ctx, func(tx *store.Tx) error { return tx.EnqueueMail(ctx, "a@example.org", "S", "B") }); err != nil {
			t.Fatal(err)
		}
		got, err := db.ClaimMails(ctx, "dead-sender", 10, mail.Lease)
		if err != nil || len(got) != 1 {
			t.Fatalf("claim: %v %v", got, err)
		}
		if again, err := db.ClaimMails(ctx, "other", 10, mail.Lease); err != nil || len(again) != 0 {
			t.Fatalf("claimed mail claimed again: %v %v", again, err)
		}
		now := db.Now
		db.Now = func() time.Time { return now().Add(mail.Lease + time.Second) }
		tr := &countingTransport{got: map[int64]int{}}
		if n, err := mail.NewSenderWith(tr, db, slog.New(slog.NewTextHandler(io.Discard, nil))).DeliverPending(ctx); err != nil || n != 1 {
			t.Fatalf("after the lease: delivered %d, %v", n, err)
		}
	})
}
