package community

import (
	"context"
	"io"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
)

// postAccess reads a post and the actor's place in its space; a hidden
// post does not exist for members who may not moderate, except to see
// that it is hidden (Thread shows the notice).
func (s *Service) postAccess(ctx context.Context, tx *store.Tx, a *domain.Actor, postID int64) (*domain.Post, *access, error) {
	if a.Anonymous() {
		return nil, nil, domain.ErrUnauthorized
	}
	p, err := tx.Post(ctx, postID)
	if err != nil {
		return nil, nil, err
	}
	x, err := s.resolve(ctx, tx, a, p.SpaceID)
	if err != nil {
		return nil, nil, err
	}
	if err := x.check(a, authz.CommunityRead); err != nil {
		return nil, nil, err
	}
	return p, x, nil
}

// ReportPost reports a post to the moderation with a reason.
func (s *Service) ReportPost(ctx context.Context, postID int64, reason string) (r *domain.PostReport, err error) {
	defer domain.Wrap(&err, "community.ReportPost(%d)", postID)
	a := domain.ActorFrom(ctx)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		p, x, err := s.postAccess(ctx, tx, a, postID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityWrite); err != nil {
			return err
		}
		v := domain.Validation{}
		reason = domain.ValidateReportReason(reason, v)
		if err := v.Err(); err != nil {
			return err
		}
		r = &domain.PostReport{SpaceID: p.SpaceID, PostID: p.ID, ThreadID: p.ThreadID, Reason: reason, ReporterName: a.Person.Name}
		if err := tx.CreateReport(ctx, r, a.PersonID()); err != nil {
			return err
		}
		return tx.Audit(ctx, x.space.AssociationID, "community.report", "community_post", p.ID, map[string]int64{"report": r.ID})
	})
	return r, err
}

// ModerationView is a space's moderation page: open reports, running
// suspensions, and the person a suspension form is prefilled with.
type ModerationView struct {
	Space       *domain.Space
	Reports     []domain.PostReport
	Suspensions []domain.Suspension
}

// Moderation returns the open reports and running suspensions of a space.
func (s *Service) Moderation(ctx context.Context, spaceID int64) (v *ModerationView, err error) {
	defer domain.Wrap(&err, "community.Moderation(%d)", spaceID)
	err = s.read(ctx, fixed(spaceID), func(tx *store.Tx, x *access) error {
		if err := x.check(domain.ActorFrom(ctx), authz.CommunityModerate); err != nil {
			return err
		}
		rs, err := tx.OpenReports(ctx, spaceID)
		if err != nil {
			return err
		}
		ss, err := tx.Suspensions(ctx, spaceID)
		if err != nil {
			return err
		}
		v = &ModerationView{Space: x.space, Reports: nonNil(rs), Suspensions: nonNil(ss)}
		return nil
	})
	return v, err
}

// moderatePost runs fn on a post for a moderator of its space.
func (s *Service) moderatePost(ctx context.Context, postID int64, fn func(tx *store.Tx, p *domain.Post, x *access) error) error {
	a := domain.ActorFrom(ctx)
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		p, x, err := s.postAccess(ctx, tx, a, postID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityModerate); err != nil {
			return err
		}
		return fn(tx, p, x)
	})
}

// HidePost hides a post from the members; its open reports are resolved.
func (s *Service) HidePost(ctx context.Context, postID int64, reason string) (err error) {
	defer domain.Wrap(&err, "community.HidePost(%d)", postID)
	return s.moderatePost(ctx, postID, func(tx *store.Tx, p *domain.Post, x *access) error {
		v := domain.Validation{}
		if reason != "" {
			reason = domain.ValidateReportReason(reason, v)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if err := tx.SetPostHidden(ctx, postID, true, reason); err != nil {
			return err
		}
		n, err := tx.ResolveReports(ctx, postID, 0, domain.ReportHidden)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, x.space.AssociationID, "community.post_hide", "community_post", postID, map[string]any{"reports": n, "reason": reason})
	})
}

// RestorePost shows a hidden post again.
func (s *Service) RestorePost(ctx context.Context, postID int64) (err error) {
	defer domain.Wrap(&err, "community.RestorePost(%d)", postID)
	return s.moderatePost(ctx, postID, func(tx *store.Tx, p *domain.Post, x *access) error {
		if err := tx.SetPostHidden(ctx, postID, false, ""); err != nil {
			return err
		}
		return tx.Audit(ctx, x.space.AssociationID, "community.post_restore", "community_post", postID, nil)
	})
}

// DismissReport closes a report without touching the post.
func (s *Service) DismissReport(ctx context.Context, reportID int64) (err error) {
	defer domain.Wrap(&err, "community.DismissReport(%d)", reportID)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		r, err := tx.Report(ctx, reportID)
		if err != nil {
			return err
		}
		x, err := s.resolve(ctx, tx, a, r.SpaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityModerate); err != nil {
			return err
		}
		n, err := tx.ResolveReports(ctx, 0, reportID, domain.ReportDismissed)
		if err != nil {
			return err
		}
		if n == 0 {
			return domain.ErrReportNotOpen
		}
		return tx.Audit(ctx, x.space.AssociationID, "community.report_dismiss", "community_report", reportID, map[string]int64{"post": r.PostID})
	})
}

// LockThread closes a thread for replies (locked) or opens it again.
func (s *Service) LockThread(ctx context.Context, threadID int64, locked bool) (t *domain.Thread, err error) {
	defer domain.Wrap(&err, "community.LockThread(%d)", threadID)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		t, err = tx.LockThreadRow(ctx, threadID)
		if err != nil {
			return err
		}
		x, err := s.resolve(ctx, tx, a, t.SpaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityModerate); err != nil {
			return err
		}
		if err := tx.SetThreadLocked(ctx, threadID, locked); err != nil {
			return err
		}
		action := "community.thread_unlock"
		if locked {
			action = "community.thread_lock"
		}
		if err := tx.Audit(ctx, x.space.AssociationID, action, "community_thread", threadID, nil); err != nil {
			return err
		}
		t, err = tx.Thread(ctx, threadID)
		return err
	})
	return t, err
}

// Suspend bars a member from writing in a space for days; they still read.
func (s *Service) Suspend(ctx context.Context, spaceID, personID int64, days int, reason string) (out *domain.Suspension, err error) {
	defer domain.Wrap(&err, "community.Suspend(%d)", spaceID)
	a := domain.ActorFrom(ctx)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		x, err := s.resolve(ctx, tx, a, spaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityModerate); err != nil {
			return err
		}
		v := domain.Validation{}
		reason = domain.ValidateSuspension(days, reason, v)
		if err := v.Err(); err != nil {
			return err
		}
		if personID == a.PersonID() {
			return domain.ErrSuspendSelf
		}
		ok, err := tx.SpaceMember(ctx, x.space.AssociationID, personID)
		if err != nil {
			return err
		}
		if !ok {
			return domain.ErrSuspendNotMember
		}
		out = &domain.Suspension{SpaceID: spaceID, PersonID: personID, Until: tx.Now().Add(time.Duration(days) * 24 * time.Hour), Reason: reason}
		if err := tx.CreateSuspension(ctx, out); err != nil {
			return err
		}
		return tx.Audit(ctx, x.space.AssociationID, "community.suspend", "person", personID, map[string]any{"days": days, "reason": reason,
			"suspension": out.ID})
	})
	return out, err
}

// LiftSuspension ends a suspension before its time: the person writes
// again at once. Lifting one that is over or lifted already changes
// nothing. To others than the space's moderators the suspension does not
// exist.
func (s *Service) LiftSuspension(ctx context.Context, id int64) (err error) {
	defer domain.Wrap(&err, "community.LiftSuspension(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		spaceID, personID, err := tx.SuspensionSpace(ctx, id)
		if domain.ErrorCode(err) == domain.ENotFound {
			return domain.ErrSuspensionNotFound
		}
		if err != nil {
			return err
		}
		x, err := s.resolve(ctx, tx, a, spaceID)
		if err != nil {
			return err
		}
		if !authz.CommunityAllowed(a, authz.CommunityModerate, x.scope) {
			return domain.ErrSuspensionNotFound
		}
		lifted, err := tx.LiftSuspension(ctx, id)
		if err != nil || !lifted {
			return err
		}
		return tx.Audit(ctx, x.space.AssociationID, "community.unsuspend", "person", personID, map[string]any{"suspension": id})
	})
}

// SearchView is the result of a search in a space.
type SearchView struct {
	Space   *domain.Space
	Query   string
	Hits    []SearchHit
	Rights  Rights
	Started bool // a query was given
}

// SearchHit is a post found, with its thread.
type SearchHit struct {
	Post   domain.Post   `json:"post"`
	Thread domain.Thread `json:"thread"`
}

// Search finds the posts (and through the opening posts, the thread
// titles) of a space that contain every word of q, newest first. Hidden
// posts are found only by moderators.
func (s *Service) Search(ctx context.Context, spaceID int64, q string) (v *SearchView, err error) {
	defer domain.Wrap(&err, "community.Search(%d)", spaceID)
	if len(q) > 200 {
		q = q[:200]
	}
	err = s.read(ctx, fixed(spaceID), func(tx *store.Tx, x *access) error {
		v = &SearchView{Space: x.space, Query: q, Hits: []SearchHit{}, Rights: x.rights(domain.ActorFrom(ctx))}
		terms := search.Analyze(q)
		if len(terms) > 8 {
			terms = terms[:8]
		}
		v.Started = len(terms) > 0
		ps, ts, err := tx.SearchPosts(ctx, spaceID, terms, v.Rights.Moderate, SearchHits)
		if err != nil {
			return err
		}
		threads := map[int64]domain.Thread{}
		for _, t := range ts {
			threads[t.ID] = t
		}
		for _, p := range ps {
			v.Hits = append(v.Hits, SearchHit{Post: p, Thread: threads[p.ThreadID]})
		}
		return nil
	})
	return v, err
}

// Attachment opens an attachment of a post for a member of its space. The
// attachments of a hidden post are for moderators only.
func (s *Service) Attachment(ctx context.Context, docID int64) (d *domain.Document, rc io.ReadCloser, err error) {
	defer domain.Wrap(&err, "community.Attachment(%d)", docID)
	a := domain.ActorFrom(ctx)
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		if a.Anonymous() {
			return domain.ErrUnauthorized
		}
		postID, err := tx.AttachmentPost(ctx, docID)
		if err != nil {
			return err
		}
		p, x, err := s.postAccess(ctx, tx, a, postID)
		if err != nil {
			return err
		}
		if p.Hidden && !authz.CommunityAllowed(a, authz.CommunityModerate, x.scope) {
			return domain.ErrSpaceNotFound
		}
		d, err = tx.Document(ctx, docID)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	rc, err = s.db.OpenDocument(ctx, d)
	return d, rc, err
}

// SuspendCandidate returns the name of a member of the space, for the
// suspension form.
func (s *Service) SuspendCandidate(ctx context.Context, spaceID, personID int64) (name string, err error) {
	defer domain.Wrap(&err, "community.SuspendCandidate(%d)", spaceID)
	err = s.read(ctx, fixed(spaceID), func(tx *store.Tx, x *access) error {
		if err := x.check(domain.ActorFrom(ctx), authz.CommunityModerate); err != nil {
			return err
		}
		ok, err := tx.SpaceMember(ctx, x.space.AssociationID, personID)
		if err != nil || !ok {
			return err
		}
		p, err := tx.PersonByID(ctx, personID)
		if err != nil {
			return err
		}
		name = p.Name
		return nil
	})
	return name, err
}

// Post returns a post with its thread, for the report form. A hidden
// post's text is for moderators only.
func (s *Service) Post(ctx context.Context, postID int64) (p *domain.Post, t *domain.Thread, err error) {
	defer domain.Wrap(&err, "community.Post(%d)", postID)
	a := domain.ActorFrom(ctx)
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		var x *access
		p, x, err = s.postAccess(ctx, tx, a, postID)
		if err != nil {
			return err
		}
		if p.Hidden && !authz.CommunityAllowed(a, authz.CommunityModerate, x.scope) {
			conceal(p)
		}
		t, err = tx.Thread(ctx, p.ThreadID)
		return err
	})
	return p, t, err
}
