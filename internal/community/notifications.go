package community

import (
	"context"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Follow makes the actor follow (on) or stop following a channel or a
// thread (kind domain.FollowChannel, domain.FollowThread).
func (s *Service) Follow(ctx context.Context, kind string, id int64, on bool) (err error) {
	defer domain.Wrap(&err, "community.Follow(%s, %d)", kind, id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		var spaceID int64
		switch kind {
		case domain.FollowChannel:
			c, err := tx.Channel(ctx, id)
			if err != nil {
				return err
			}
			spaceID = c.SpaceID
		case domain.FollowThread:
			t, err := tx.Thread(ctx, id)
			if err != nil {
				return err
			}
			spaceID = t.SpaceID
		default:
			return domain.ErrSpaceNotFound
		}
		x, err := s.resolve(ctx, tx, a, spaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityRead); err != nil {
			return err
		}
		if !on {
			return tx.Unfollow(ctx, a.PersonID(), kind, id)
		}
		if _, err := tx.EnsurePrefs(ctx, a.PersonID(), spaceID); err != nil {
			return err
		}
		return tx.Follow(ctx, a.PersonID(), kind, id, spaceID)
	})
}

// Prefs returns the actor's notification settings in a space.
func (s *Service) Prefs(ctx context.Context, spaceID int64) (sp *domain.Space, p domain.CommunityPrefs, err error) {
	defer domain.Wrap(&err, "community.Prefs(%d)", spaceID)
	err = s.read(ctx, fixed(spaceID), func(tx *store.Tx, x *access) error {
		sp = x.space
		p, err = tx.Prefs(ctx, domain.ActorFrom(ctx).PersonID(), spaceID)
		return err
	})
	return sp, p, err
}

// SetPrefs stores the actor's notification settings in a space.
func (s *Service) SetPrefs(ctx context.Context, spaceID int64, p domain.CommunityPrefs) (err error) {
	defer domain.Wrap(&err, "community.SetPrefs(%d)", spaceID)
	a := domain.ActorFrom(ctx)
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		x, err := s.resolve(ctx, tx, a, spaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityRead); err != nil {
			return err
		}
		if !domain.ValidDigest(p.Digest) {
			return (domain.Validation{"digest": "Bitte wählen Sie, wie oft Sie eine Zusammenfassung erhalten möchten."}).Err()
		}
		return tx.SetPrefs(ctx, a.PersonID(), spaceID, p)
	})
}

// UnsubscribeSpace names the space an unsubscribe token belongs to, for
// the confirmation page; anyone with the link may see it.
func (s *Service) UnsubscribeSpace(ctx context.Context, token string) (name string, err error) {
	defer domain.Wrap(&err, "community.UnsubscribeSpace")
	if len(token) < 20 || len(token) > 64 {
		return "", domain.ErrUnsubscribeToken
	}
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		_, spaceID, err := tx.PrefsByToken(ctx, token)
		if err != nil {
			return err
		}
		sp, err := tx.Space(ctx, spaceID)
		if err != nil {
			return err
		}
		name = sp.AssociationName
		return nil
	})
	return name, err
}

// Unsubscribe turns off the digest and the mention mails of the person
// and space of an unsubscribe token: the one-click link in every mail of
// the space, which works without logging in.
func (s *Service) Unsubscribe(ctx context.Context, token string) (name string, err error) {
	defer domain.Wrap(&err, "community.Unsubscribe")
	if len(token) < 20 || len(token) > 64 {
		return "", domain.ErrUnsubscribeToken
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		personID, spaceID, err := tx.PrefsByToken(ctx, token)
		if err != nil {
			return err
		}
		sp, err := tx.Space(ctx, spaceID)
		if err != nil {
			return err
		}
		name = sp.AssociationName
		return tx.SetPrefs(ctx, personID, spaceID, domain.CommunityPrefs{Digest: domain.DigestNone, MentionMail: false})
	})
	return name, err
}

// DigestBatch is how many digests one transaction claims and sends.
const DigestBatch = 500

// SendDigests sends the digests that are due, in batches of DigestBatch,
// each batch claimed and mailed in one transaction (so two instances
// never send one twice). It returns how many mails it enqueued.
func (s *Service) SendDigests(ctx context.Context) (sent int, err error) {
	defer domain.Wrap(&err, "community.SendDigests")
	names := map[int64]string{}
	if err := s.db.Read(ctx, func(tx *store.Tx) error {
		sps, err := tx.Spaces(ctx)
		for _, sp := range sps {
			names[sp.ID] = sp.AssociationName
		}
		return err
	}); err != nil {
		return 0, err
	}
	for {
		var n, claimed int
		err := s.db.Transact(ctx, func(tx *store.Tx) error {
			n = 0
			due, err := tx.ClaimDigests(ctx, DigestBatch)
			if err != nil {
				return err
			}
			claimed = len(due)
			for _, d := range due {
				if len(d.Items) == 0 || d.Email == "" {
					continue
				}
				if err := s.notify.Enqueue(ctx, tx, d.Email, "community-digest", digestMail{Name: d.Name, Space: names[d.SpaceID],
					Daily: d.Digest == domain.DigestDaily, Items: d.Items, SpaceID: d.SpaceID, Token: d.Token}); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return sent, err
		}
		sent += n
		if claimed < DigestBatch || ctx.Err() != nil {
			return sent, ctx.Err()
		}
	}
}

// RunDigests is SendDigests for the job runner.
func (s *Service) RunDigests(ctx context.Context) error {
	_, err := s.SendDigests(ctx)
	return err
}

// digestMail is the data of community-digest.txt.
type digestMail struct {
	Name, Space string
	Daily       bool
	Items       []domain.DigestItem
	SpaceID     int64
	Token       string
}
