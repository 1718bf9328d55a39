package account

import (
	"context"
	"sync"

	"github.com/lotse-oss/lotse/internal/store"
)

// bounded runs fn, one of the password hashes, once a slot of s.hashes is
// free; it gives up when ctx ends first (the client went away).
func (s *Service) bounded(ctx context.Context, fn func() error) error {
	select {
	case s.hashes <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashes }()
	n := s.running.Add(1)
	defer s.running.Add(-1)
	if s.onHash != nil {
		s.onHash(n)
	}
	return fn()
}

// hashPassword returns the stored form of a new password.
func (s *Service) hashPassword(ctx context.Context, pw string) (hash string, err error) {
	err = s.bounded(ctx, func() error {
		hash = store.HashPassword(pw)
		return nil
	})
	return hash, err
}

// checkPassword reports whether pw matches hash. An empty hash (an unknown
// address, an account without a password) is checked against a dummy hash,
// so that the answer takes as long as for a real account, and is false.
func (s *Service) checkPassword(ctx context.Context, hash, pw string) (ok bool, err error) {
	err = s.bounded(ctx, func() error {
		if hash == "" {
			store.CheckPassword(dummyHash(), pw)
			return nil
		}
		ok, err = store.CheckPassword(hash, pw)
		return err
	})
	return ok, err
}

// dummyHash is checked against when an account does not exist.
var dummyHash = sync.OnceValue(func() string { return store.HashPassword("lotse-timing-equaliser") })
