package pilots

import (
	"context"
	"strconv"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Project briefs ("von Kommunen für Kommunen"): every member who sees the
// directory reads the published briefs; a pilot writes drafts and
// publishes once they have an entry; only the author changes or deletes a
// brief.

// Briefs lists published briefs newest first (by topic and words), or
// with f.Mine the actor's own, drafts included.
func (s *Service) Briefs(ctx context.Context, f domain.BriefFilter) (pg *domain.BriefPage, err error) {
	defer domain.Wrap(&err, "pilots.Briefs")
	if err := check(ctx, authz.PilotsView, authz.Resource{}); err != nil {
		return nil, err
	}
	fw, err := s.Framework(ctx)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = domain.PilotPageSize
	}
	q := store.BriefQuery{Words: domain.SearchWords(f.Q), TopicKey: topicKey(fw, f.Topic), Limit: f.Limit + 1}
	q.PublishedBy = f.Author
	if f.Mine {
		q.AuthorID = domain.ActorFrom(ctx).PersonID()
	}
	if f.Cursor != "" {
		n, err := strconv.ParseInt(f.Cursor, 10, 64)
		if err != nil || n <= 0 {
			return nil, domain.ErrBadCursor
		}
		q.BeforeID = n
	}
	items, err := s.db.ProjectBriefs(ctx, q)
	if err != nil {
		return nil, err
	}
	pg = &domain.BriefPage{Items: []domain.ProjectBrief{}}
	if len(items) > f.Limit {
		items = items[:f.Limit]
		pg.Next = strconv.FormatInt(items[len(items)-1].ID, 10)
	}
	for i := range items {
		items[i].TopicNames = names(fw, items[i].Topics)
	}
	pg.Items = append(pg.Items, items...)
	return pg, nil
}

// Brief returns a brief: a published one to every member who sees the
// directory, a draft only to its author.
func (s *Service) Brief(ctx context.Context, id int64) (b *domain.ProjectBrief, err error) {
	defer domain.Wrap(&err, "pilots.Brief(%d)", id)
	if err := check(ctx, authz.PilotsView, authz.Resource{}); err != nil {
		return nil, err
	}
	b, err = s.db.ProjectBrief(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, domain.ErrBriefNotFound
	}
	if err != nil {
		return nil, err
	}
	if b.AuthorID != domain.ActorFrom(ctx).PersonID() && (b.Status != domain.BriefPublished || b.OrgName == "") {
		return nil, domain.ErrBriefNotFound
	}
	fw, err := s.Framework(ctx)
	if err != nil {
		return nil, err
	}
	b.TopicNames = names(fw, b.Topics)
	return b, nil
}

// CreateBrief writes a new brief of the actor; publishing needs an entry
// in the directory.
func (s *Service) CreateBrief(ctx context.Context, in domain.ProjectBriefInput) (b *domain.ProjectBrief, err error) {
	defer domain.Wrap(&err, "pilots.CreateBrief")
	a := domain.ActorFrom(ctx)
	if err := check(ctx, authz.ProjectBriefEdit, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return nil, err
	}
	b = &domain.ProjectBrief{AuthorID: a.PersonID()}
	return s.saveBrief(ctx, b, in, true)
}

// UpdateBrief changes the given fields of the actor's brief.
func (s *Service) UpdateBrief(ctx context.Context, id int64, in domain.ProjectBriefInput) (b *domain.ProjectBrief, err error) {
	defer domain.Wrap(&err, "pilots.UpdateBrief(%d)", id)
	b, err = s.ownBrief(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.saveBrief(ctx, b, in, false)
}

// ownBrief loads a brief the actor may change: not found for drafts of
// others, forbidden for others' published briefs.
func (s *Service) ownBrief(ctx context.Context, id int64) (*domain.ProjectBrief, error) {
	a := domain.ActorFrom(ctx)
	if err := check(ctx, authz.PilotsView, authz.Resource{}); err != nil {
		return nil, err
	}
	b, err := s.db.ProjectBrief(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && b.AuthorID != a.PersonID() && b.Status != domain.BriefPublished) {
		return nil, domain.ErrBriefNotFound
	}
	if err != nil {
		return nil, err
	}
	if err := check(ctx, authz.ProjectBriefEdit, authz.Resource{PersonID: b.AuthorID}); err != nil {
		return nil, err
	}
	return b, nil
}

func (s *Service) saveBrief(ctx context.Context, b *domain.ProjectBrief, in domain.ProjectBriefInput, fresh bool) (*domain.ProjectBrief, error) {
	fw, err := s.Framework(ctx)
	if err != nil {
		return nil, err
	}
	in.Apply(b)
	if err := b.Validate(fw); err != nil {
		return nil, err
	}
	a := domain.ActorFrom(ctx)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		e, err := tx.PilotEntryByPerson(ctx, a.PersonID())
		if domain.ErrorCode(err) == domain.ENotFound {
			if b.Status == domain.BriefPublished {
				return domain.ErrBriefNeedsEntry
			}
			e, err = &domain.PilotEntry{}, nil
		}
		if err != nil {
			return err
		}
		if err := tx.SaveProjectBrief(ctx, b, domain.PilotTopicKeys(fw, b.Topics, nil)); err != nil {
			return err
		}
		detail := map[string]any{"status": b.Status}
		if fresh {
			err = tx.Audit(ctx, e.OrgID, "project_brief.create", "project_brief", b.ID, detail)
		} else {
			err = tx.Audit(ctx, e.OrgID, "project_brief.update", "project_brief", b.ID, detail)
		}
		if err != nil {
			return err
		}
		b, err = tx.ProjectBrief(ctx, b.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	b.TopicNames = names(fw, b.Topics)
	return b, nil
}

// DeleteBrief removes the actor's brief.
func (s *Service) DeleteBrief(ctx context.Context, id int64) (err error) {
	defer domain.Wrap(&err, "pilots.DeleteBrief(%d)", id)
	b, err := s.ownBrief(ctx, id)
	if err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteProjectBrief(ctx, b.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "project_brief.delete", "project_brief", b.ID, map[string]any{"title": b.Title})
	})
}
