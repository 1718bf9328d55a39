package account

import "context"

// PasswordMatches reports whether pw is the password of the stored hash,
// with the hashing bounded like a login's. The deletion of an account
// (internal/privacy) asks for the password through it.
func (s *Service) PasswordMatches(ctx context.Context, hash, pw string) (bool, error) {
	return s.checkPassword(ctx, hash, pw)
}
