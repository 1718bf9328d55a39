package account

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestConcurrentPasswordHashesStayWithinTheBound: a burst of logins for
// unknown addresses (each from its own client address, so no limit stops
// them) hashed all at once and took 19 MiB each. The service runs at most
// its bound of hashes at a time; the others wait. And parallel wrong
// passwords for one account reach the hash at most as often as the limit.
func TestConcurrentPasswordHashesStayWithinTheBound(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := New(db, notify.MustNew("https://lotse.example"))
		const bound = 2
		s.hashes = make(chan struct{}, bound)
		var peak, total atomic.Int64
		s.onHash = func(running int64) {
			total.Add(1)
			for {
				p := peak.Load()
				if running <= p || peak.CompareAndSwap(p, running) {
					break
				}
			}
		}
		if err := db.CreatePerson(ctx, &domain.Person{Email: "anna@kommune.de", Name: "Anna"}, "richtig-geheim-42"); err != nil {
			t.Fatal(err)
		}

		const n = 12
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Login(ctx, fmt.Sprintf("niemand%d@kommune.de", i), Credential{Password: "falsches-passwort"}, fmt.Sprintf("192.0.2.%d", i+1), "")
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if domain.ErrorCode(err) != domain.EUnauthorized {
				t.Errorf("unknown address: got %v, want the wrong-password answer", err)
			}
		}
		if got := peak.Load(); got > bound {
			t.Errorf("%d hashes ran at once, want at most %d", got, bound)
		}
		if got := total.Load(); got != n {
			t.Errorf("%d hashes for %d unknown addresses, want one each (same time as a real account)", got, n)
		}

		total.Store(0)
		limited := atomic.Int64{}
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.Login(ctx, "anna@kommune.de", Credential{Password: "falsches-passwort"}, fmt.Sprintf("198.51.100.%d", i+1), "")
				if domain.ErrorCode(err) == domain.ERateLimited {
					limited.Add(1)
				}
			}()
		}
		wg.Wait()
		if got := total.Load(); got > maxFailsPerEmail {
			t.Errorf("%d wrong passwords for one account were hashed, want at most %d", got, maxFailsPerEmail)
		}
		if got := limited.Load(); got != n-maxFailsPerEmail {
			t.Errorf("%d attempts refused as too many, want %d", got, n-maxFailsPerEmail)
		}
	})
}

// TestHashWaitGivesUpWhenTheRequestEnds: a login waiting for a free hash slot
// ends with its request.
func TestHashWaitGivesUpWhenTheRequestEnds(t *testing.T) {
	s := &Service{hashes: make(chan struct{}, 1)}
	s.hashes <- struct{}{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.checkPassword(ctx, "", "x"); err == nil {
		t.Fatal("want an error when the context ends before a slot is free")
	}
}
