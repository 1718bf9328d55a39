// Package community runs the members' space (Austausch) of each
// association: channels, threads and replies with mentions and
// attachments, search, moderation (reports, hiding posts, locking threads,
// suspensions) and notifications (follows, digests, mention mails,
// one-click unsubscribe). Only the people of the association and of its
// member municipalities (and admins) read a space; to everyone else its
// objects do not exist (authz.CommunityCheck answers not found). Each
// method takes the actor from the context, resolves the space's scope,
// asks authz, and writes through store in one transaction with its audit
// entry and mails. It holds no SQL and no HTTP; Markdown is rendered by
// the web layer (internal/markdown).
package community

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Page sizes.
const (
	ThreadsPerPage = 25
	PostsPerPage   = 50
	SearchHits     = 30
)

// Service runs the members' space.
type Service struct {
	db     *store.DB
	notify *notify.Notifier
}

// New returns the service.
func New(db *store.DB, n *notify.Notifier) *Service { return &Service{db: db, notify: n} }

// Rights are what the actor may do in a space, for the pages.
type Rights struct {
	Write     bool `json:"write"`
	Moderate  bool `json:"moderate"`
	Channels  bool `json:"channels"`
	Suspended *time.Time
}

// access is a space as the actor sees it: the space, its scope and the
// end of the actor's suspension, if any.
type access struct {
	space *domain.Space
	scope authz.SpaceScope
	until time.Time
}

func (x *access) rights(a *domain.Actor) Rights {
	r := Rights{Write: authz.CommunityAllowed(a, authz.CommunityWrite, x.scope), Moderate: authz.CommunityAllowed(a, authz.CommunityModerate, x.scope),
		Channels: authz.CommunityAllowed(a, authz.CommunityChannels, x.scope)}
	if x.scope.Suspended {
		u := x.until
		r.Suspended = &u
	}
	return r
}

// check asks the policy for act in the space.
func (x *access) check(a *domain.Actor, act authz.Action) error {
	err := authz.CommunityCheck(a, act, x.scope)
	if err != nil && act == authz.CommunityWrite && x.scope.Suspended && authz.CommunityAllowed(a, authz.CommunityRead, x.scope) {
		return domain.SuspendedError(x.until, berlin)
	}
	return err
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// resolve reads a space and the actor's place in it. Anonymous visitors
// are refused before anything is read.
func (s *Service) resolve(ctx context.Context, tx *store.Tx, a *domain.Actor, spaceID int64) (*access, error) {
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	sp, err := tx.Space(ctx, spaceID)
	if err != nil {
		return nil, err
	}
	return s.scopeOf(ctx, tx, a, sp)
}

func (s *Service) scopeOf(ctx context.Context, tx *store.Tx, a *domain.Actor, sp *domain.Space) (*access, error) {
	var orgs []int64
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgMunicipality {
			orgs = append(orgs, m.OrgID)
		}
	}
	member, err := tx.SpaceMemberOrgs(ctx, sp.AssociationID, orgs)
	if err != nil {
		return nil, err
	}
	x := &access{space: sp, scope: authz.SpaceScope{AssociationID: sp.AssociationID, MemberOrgs: member}}
	until, suspended, err := tx.SuspendedUntil(ctx, sp.ID, a.PersonID())
	if err != nil {
		return nil, err
	}
	x.scope.Suspended, x.until = suspended, until
	return x, nil
}

// read runs fn in a read snapshot after checking that the actor may read
// the space.
func (s *Service) read(ctx context.Context, spaceID func(tx *store.Tx) (int64, error), fn func(tx *store.Tx, x *access) error) error {
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	return s.db.Read(ctx, func(tx *store.Tx) error {
		id, err := spaceID(tx)
		if err != nil {
			return err
		}
		x, err := s.resolve(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityRead); err != nil {
			return err
		}
		return fn(tx, x)
	})
}

func fixed(id int64) func(*store.Tx) (int64, error) {
	return func(*store.Tx) (int64, error) { return id, nil }
}

// SpaceView is a space with its channels and the actor's rights.
type SpaceView struct {
	Space    *domain.Space
	Channels []domain.Channel
	Rights   Rights
}

// MySpaces lists the spaces the actor belongs to (admins: all).
func (s *Service) MySpaces(ctx context.Context) (out []SpaceView, err error) {
	defer domain.Wrap(&err, "community.MySpaces")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	if err := s.db.EnsureSpaces(ctx); err != nil {
		return nil, err
	}
	out = []SpaceView{}
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		spaces, err := tx.Spaces(ctx)
		if err != nil {
			return err
		}
		for i := range spaces {
			x, err := s.scopeOf(ctx, tx, a, &spaces[i])
			if err != nil {
				return err
			}
			if !authz.CommunityAllowed(a, authz.CommunityRead, x.scope) {
				continue
			}
			cs, err := tx.Channels(ctx, spaces[i].ID)
			if err != nil {
				return err
			}
			out = append(out, SpaceView{Space: x.space, Channels: nonNil(cs), Rights: x.rights(a)})
		}
		return nil
	})
	return out, err
}

// Space returns a space with its channels.
func (s *Service) Space(ctx context.Context, id int64) (v *SpaceView, err error) {
	defer domain.Wrap(&err, "community.Space(%d)", id)
	err = s.read(ctx, fixed(id), func(tx *store.Tx, x *access) error {
		cs, err := tx.Channels(ctx, id)
		if err != nil {
			return err
		}
		v = &SpaceView{Space: x.space, Channels: nonNil(cs), Rights: x.rights(domain.ActorFrom(ctx))}
		return nil
	})
	return v, err
}

// CreateChannel adds a channel to a space.
func (s *Service) CreateChannel(ctx context.Context, spaceID int64, c domain.Channel) (out *domain.Channel, err error) {
	defer domain.Wrap(&err, "community.CreateChannel(%d)", spaceID)
	a := domain.ActorFrom(ctx)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		x, err := s.resolve(ctx, tx, a, spaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityChannels); err != nil {
			return err
		}
		c.SpaceID = spaceID
		if err := c.Validate(); err != nil {
			return err
		}
		if err := tx.CreateChannel(ctx, &c); err != nil {
			return err
		}
		out = &c
		return tx.Audit(ctx, x.space.AssociationID, "community.channel_create", "community_channel", c.ID, map[string]string{"name": c.Name})
	})
	return out, err
}

// SetRules replaces the rules shown on a space's page.
func (s *Service) SetRules(ctx context.Context, spaceID int64, rules string) (err error) {
	defer domain.Wrap(&err, "community.SetRules(%d)", spaceID)
	a := domain.ActorFrom(ctx)
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		x, err := s.resolve(ctx, tx, a, spaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityChannels); err != nil {
			return err
		}
		v := domain.Validation{}
		rules = domain.ValidatePostBody(rules, v)
		if v["body"] != "" {
			v = domain.Validation{"rules": "Bitte geben Sie Regeln an (höchstens 20.000 Zeichen)."}
			return v.Err()
		}
		if err := tx.SetSpaceRules(ctx, spaceID, rules); err != nil {
			return err
		}
		return tx.Audit(ctx, x.space.AssociationID, "community.rules_update", "organisation", x.space.AssociationID, nil)
	})
}

// ChannelView is a channel's page of threads.
type ChannelView struct {
	Space     *domain.Space
	Channel   *domain.Channel
	Threads   []domain.Thread
	Next      int64 // the "before" of the next page, 0: none
	Following bool
	Rights    Rights
}

// Channel returns a page of a channel's threads, newest activity first,
// before the thread activity before (0: the first page).
func (s *Service) Channel(ctx context.Context, id, before int64) (v *ChannelView, err error) {
	defer domain.Wrap(&err, "community.Channel(%d)", id)
	var c *domain.Channel
	err = s.read(ctx, func(tx *store.Tx) (int64, error) {
		var err error
		c, err = tx.Channel(ctx, id)
		if err != nil {
			return 0, err
		}
		return c.SpaceID, nil
	}, func(tx *store.Tx, x *access) error {
		ts, err := tx.ChannelThreads(ctx, id, before, ThreadsPerPage+1)
		if err != nil {
			return err
		}
		v = &ChannelView{Space: x.space, Channel: c, Rights: x.rights(domain.ActorFrom(ctx))}
		if len(ts) > ThreadsPerPage {
			ts = ts[:ThreadsPerPage]
			v.Next = ts[len(ts)-1].LastPostID
		}
		v.Threads = nonNil(ts)
		v.Following, err = tx.Following(ctx, domain.ActorFrom(ctx).PersonID(), domain.FollowChannel, id)
		return err
	})
	return v, err
}

// ThreadView is a thread's page of posts.
type ThreadView struct {
	Space     *domain.Space
	Channel   *domain.Channel
	Thread    *domain.Thread
	Posts     []domain.Post
	Next      int64 // the "after" of the next page, 0: none
	Following bool
	Rights    Rights
}

// Thread returns a page of a thread's posts after the post after (0: from
// the first). Hidden posts carry their text only for moderators.
func (s *Service) Thread(ctx context.Context, id, after int64) (v *ThreadView, err error) {
	defer domain.Wrap(&err, "community.Thread(%d)", id)
	var t *domain.Thread
	err = s.read(ctx, func(tx *store.Tx) (int64, error) {
		var err error
		t, err = tx.Thread(ctx, id)
		if err != nil {
			return 0, err
		}
		return t.SpaceID, nil
	}, func(tx *store.Tx, x *access) error {
		a := domain.ActorFrom(ctx)
		ps, err := tx.ThreadPosts(ctx, id, after, PostsPerPage+1)
		if err != nil {
			return err
		}
		c, err := tx.Channel(ctx, t.ChannelID)
		if err != nil {
			return err
		}
		v = &ThreadView{Space: x.space, Channel: c, Thread: t, Rights: x.rights(a)}
		if len(ps) > PostsPerPage {
			ps = ps[:PostsPerPage]
			v.Next = ps[len(ps)-1].ID
		}
		first, err := tx.FirstPostID(ctx, id)
		if err != nil {
			return err
		}
		for i := range ps {
			ps[i].Opening = ps[i].ID == first
			if ps[i].Hidden && !v.Rights.Moderate {
				conceal(&ps[i])
			}
		}
		v.Posts = nonNil(ps)
		v.Following, err = tx.Following(ctx, a.PersonID(), domain.FollowThread, id)
		return err
	})
	return v, err
}

// conceal empties a hidden post for readers who are not moderators.
func conceal(p *domain.Post) {
	p.Body, p.Mentions, p.Files = "", []string{}, []domain.PostFile{}
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}
