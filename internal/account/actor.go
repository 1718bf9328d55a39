package account

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
)

// TokenActor resolves an API token (the Bearer value) into the acting person
// with their memberships. An unknown, revoked or expired token is
// EUnauthorized with a message that says so.
func (s *Service) TokenActor(ctx context.Context, token string) (a *domain.Actor, err error) {
	a, err = s.db.TokenActor(ctx, token)
	if err == domain.ErrTokenExpired {
		return nil, err
	}
	if domain.ErrorCode(err) == domain.EUnauthorized {
		return nil, domain.ErrInvalidToken
	}
	return a, err
}

// SessionActor resolves a session cookie into the acting person and the
// session's CSRF token. An unknown or expired session is EUnauthorized.
func (s *Service) SessionActor(ctx context.Context, session string) (*domain.Actor, string, error) {
	return s.db.SessionActor(ctx, session)
}
