package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// The members' space (Austausch): spaces per association, channels,
// threads, posts with their search terms, mentions and attachments,
// reports, suspensions, follows and notification settings. Reads are Tx
// methods, so that a service reads a page in one snapshot (db.Read).

// argList collects query arguments and hands out their placeholders.
type argList []any

func (a *argList) add(v any) string {
	*a = append(*a, v)
	return "$" + strconv.Itoa(len(*a))
}

func (a *argList) ids(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = a.add(id)
	}
	return strings.Join(s, ",")
}

func (a *argList) strs(v []string) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = a.add(x)
	}
	return strings.Join(s, ",")
}

// EnsureSpaces gives every association without a space its space, with
// the default rules. It writes only when one is missing.
func (db *DB) EnsureSpaces(ctx context.Context) error {
	var missing int
	if err := db.queryRow(ctx, `SELECT count(*) FROM organisations WHERE kind = 'association'
		AND id NOT IN (SELECT association_id FROM community_spaces)`).Scan(&missing); err != nil || missing == 0 {
		return err
	}
	return db.transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO community_spaces (association_id, rules, created_at)
			SELECT id, $1, $2 FROM organisations WHERE kind = 'association'
			AND id NOT IN (SELECT association_id FROM community_spaces) ON CONFLICT (association_id) DO NOTHING`, domain.DefaultSpaceRules, tx.now)
		return err
	})
}

const spaceCols = `s.id, s.association_id, o.name, s.rules, s.created_at FROM community_spaces s JOIN organisations o ON o.id = s.association_id `

func scanSpace(r interface{ Scan(...any) error }) (domain.Space, error) {
	var s domain.Space
	err := r.Scan(&s.ID, &s.AssociationID, &s.AssociationName, &s.Rules, &s.CreatedAt)
	s.CreatedAt = s.CreatedAt.UTC()
	return s, err
}

// Spaces lists every space, by association name.
func (tx *Tx) Spaces(ctx context.Context) ([]domain.Space, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+spaceCols+`ORDER BY o.name, s.id`)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.Space, error) { return scanSpace(r) })
}

// Space returns one space.
func (tx *Tx) Space(ctx context.Context, id int64) (*domain.Space, error) {
	s, err := scanSpace(tx.QueryRowContext(ctx, `SELECT `+spaceCols+`WHERE s.id = $1`, id))
	if errNoRows(err) {
		return nil, domain.ErrSpaceNotFound
	} else if err != nil {
		return nil, err
	}
	return &s, nil
}

// SetSpaceRules replaces a space's rules.
func (tx *Tx) SetSpaceRules(ctx context.Context, id int64, rules string) error {
	_, err := tx.ExecContext(ctx, `UPDATE community_spaces SET rules = $1 WHERE id = $2`, rules, id)
	return err
}

// SpaceMemberOrgs returns those of orgIDs that are member municipalities
// of the association (by their AGS).
func (tx *Tx) SpaceMemberOrgs(ctx context.Context, associationID int64, orgIDs []int64) ([]int64, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	a := argList{associationID}
	rows, err := tx.QueryContext(ctx, `SELECT o.id FROM organisations o JOIN association_members am ON am.ags = o.ags
		WHERE am.association_id = $1 AND o.kind = 'municipality' AND o.id IN (`+a.ids(orgIDs)+`) ORDER BY o.id`, a...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (int64, error) { var id int64; err := r.Scan(&id); return id, err })
}

// spaceMemberSQL is a condition on persons p: a membership in the
// association (parameter assoc) or in one of its member municipalities.
func spaceMemberSQL(assoc string) string {
	return `EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id AND (m.org_id = ` + assoc + ` OR m.org_id IN (
		SELECT o.id FROM organisations o JOIN association_members am ON am.ags = o.ags WHERE am.association_id = ` + assoc + ` AND o.kind = 'municipality')))`
}

// SpaceMember reports whether a person belongs to the association's space
// by membership (admins are not members by this).
func (tx *Tx) SpaceMember(ctx context.Context, associationID, personID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM persons p WHERE p.id = $2 AND `+spaceMemberSQL("$1"), associationID, personID).Scan(&n)
	return n > 0, err
}

// SpaceMembersNamed returns the members of the association's space whose
// name is one of names (compared as typed and lower-cased).
func (tx *Tx) SpaceMembersNamed(ctx context.Context, associationID int64, names []string) ([]domain.Person, error) {
	if len(names) == 0 {
		return nil, nil
	}
	a := argList{associationID}
	list := a.strs(names)
	rows, err := tx.QueryContext(ctx, `SELECT p.id, p.name, p.email FROM persons p WHERE (p.name IN (`+list+`) OR lower(p.name) IN (`+list+`))
		AND `+spaceMemberSQL("$1")+` ORDER BY p.id`, a...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.Person, error) {
		var p domain.Person
		err := r.Scan(&p.ID, &p.Name, &p.Email)
		return p, err
	})
}

// Channels lists a space's channels with their number of threads.
func (tx *Tx) Channels(ctx context.Context, spaceID int64) ([]domain.Channel, error) {
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.space_id, c.name, c.description, c.created_at, c.thread_count
		FROM community_channels c WHERE c.space_id = $1 ORDER BY c.id`, spaceID)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.Channel, error) {
		var c domain.Channel
		err := r.Scan(&c.ID, &c.SpaceID, &c.Name, &c.Description, &c.CreatedAt, &c.Threads)
		c.CreatedAt = c.CreatedAt.UTC()
		return c, err
	})
}

// Channel returns one channel.
func (tx *Tx) Channel(ctx context.Context, id int64) (*domain.Channel, error) {
	var c domain.Channel
	err := tx.QueryRowContext(ctx, `SELECT id, space_id, name, description, created_at FROM community_channels WHERE id = $1`, id).
		Scan(&c.ID, &c.SpaceID, &c.Name, &c.Description, &c.CreatedAt)
	if errNoRows(err) {
		return nil, domain.ErrSpaceNotFound
	} else if err != nil {
		return nil, err
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return &c, nil
}

// CreateChannel adds a channel; a name the space has already is
// domain.ErrChannelExists.
func (tx *Tx) CreateChannel(ctx context.Context, c *domain.Channel) error {
	c.CreatedAt = tx.now
	err := tx.QueryRowContext(ctx, `INSERT INTO community_channels (space_id, name, description, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, c.SpaceID, c.Name, c.Description, nullID(domain.ActorFrom(ctx).PersonID()), tx.now).Scan(&c.ID)
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrChannelExists
	}
	return err
}

const threadCols = `t.id, t.channel_id, c.name, t.space_id, t.title, t.author_id, pa.name, t.created_at, t.last_post_id, t.last_post_at,
	pl.name, t.post_count, t.locked_at FROM community_threads t JOIN community_channels c ON c.id = t.channel_id
	JOIN persons pa ON pa.id = t.author_id JOIN persons pl ON pl.id = t.last_author_id `

func scanThread(r interface{ Scan(...any) error }) (domain.Thread, error) {
	var t domain.Thread
	var locked sql.NullTime
	err := r.Scan(&t.ID, &t.ChannelID, &t.ChannelName, &t.SpaceID, &t.Title, &t.AuthorID, &t.AuthorName, &t.CreatedAt, &t.LastPostID,
		&t.LastPostAt, &t.LastAuthorName, &t.Posts, &locked)
	t.CreatedAt, t.LastPostAt, t.LockedAt = t.CreatedAt.UTC(), t.LastPostAt.UTC(), nullTime(locked)
	return t, err
}

// ChannelThreads lists a channel's threads, newest activity first:
// limit threads whose last post is older than before (0: from the
// newest).
func (tx *Tx) ChannelThreads(ctx context.Context, channelID, before int64, limit int) ([]domain.Thread, error) {
	a := argList{channelID}
	q := `SELECT ` + threadCols + `WHERE t.channel_id = $1`
	if before > 0 {
		q += ` AND t.last_post_id < ` + a.add(before)
	}
	q += ` ORDER BY t.last_post_id DESC LIMIT ` + a.add(limit)
	rows, err := tx.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.Thread, error) { return scanThread(r) })
}

// Thread returns one thread.
func (tx *Tx) Thread(ctx context.Context, id int64) (*domain.Thread, error) {
	t, err := scanThread(tx.QueryRowContext(ctx, `SELECT `+threadCols+`WHERE t.id = $1`, id))
	if errNoRows(err) {
		return nil, domain.ErrSpaceNotFound
	} else if err != nil {
		return nil, err
	}
	return &t, nil
}

// LockThreadRow reads a thread under a row lock, for a change to it.
func (tx *Tx) LockThreadRow(ctx context.Context, id int64) (*domain.Thread, error) {
	var n int
	if err := tx.QueryRowContext(ctx, tx.forUpdate(`SELECT count(*) FROM (SELECT id FROM community_threads WHERE id = $1`)+`) x`, id).Scan(&n); err != nil {
		return nil, err
	}
	return tx.Thread(ctx, id)
}

// SetThreadLocked closes a thread for replies or opens it again.
func (tx *Tx) SetThreadLocked(ctx context.Context, id int64, locked bool) error {
	var err error
	if locked {
		_, err = tx.ExecContext(ctx, `UPDATE community_threads SET locked_at = $1, locked_by = $2 WHERE id = $3`, tx.now,
			nullID(domain.ActorFrom(ctx).PersonID()), id)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE community_threads SET locked_at = NULL, locked_by = NULL WHERE id = $1`, id)
	}
	return err
}

// CreateThread adds a thread; its opening post follows with AddPost.
func (tx *Tx) CreateThread(ctx context.Context, t *domain.Thread) error {
	t.CreatedAt, t.LastPostAt = tx.now, tx.now
	if _, err := tx.ExecContext(ctx, `UPDATE community_channels SET thread_count = thread_count + 1 WHERE id = $1`, t.ChannelID); err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, `INSERT INTO community_threads (channel_id, space_id, title, author_id, created_at, last_post_at, last_author_id)
		VALUES ($1, $2, $3, $4, $5, $5, $4) RETURNING id`, t.ChannelID, t.SpaceID, t.Title, t.AuthorID, tx.now).Scan(&t.ID)
}

// AddPost adds a post to its thread, moves the thread's activity on and
// records the post's search terms.
func (tx *Tx) AddPost(ctx context.Context, p *domain.Post, terms []string) error {
	p.CreatedAt = tx.now
	if err := tx.QueryRowContext(ctx, `INSERT INTO community_posts (thread_id, space_id, author_id, body, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, p.ThreadID, p.SpaceID, p.AuthorID, p.Body, tx.now).Scan(&p.ID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE community_threads SET last_post_id = $1, last_post_at = $2, last_author_id = $3,
		post_count = post_count + 1 WHERE id = $4`, p.ID, tx.now, p.AuthorID, p.ThreadID); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, term := range terms {
		if seen[term] || term == "" || len(term) > 64 {
			continue
		}
		seen[term] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO community_terms (space_id, term, post_id) VALUES ($1, $2, $3)`, p.SpaceID, term, p.ID); err != nil {
			return err
		}
	}
	return nil
}

const postCols = `p.id, p.thread_id, p.space_id, p.author_id, pa.name, p.body, p.created_at, p.hidden_at
	FROM community_posts p JOIN persons pa ON pa.id = p.author_id `

func scanPost(r interface{ Scan(...any) error }) (domain.Post, error) {
	var p domain.Post
	var hidden sql.NullTime
	err := r.Scan(&p.ID, &p.ThreadID, &p.SpaceID, &p.AuthorID, &p.AuthorName, &p.Body, &p.CreatedAt, &hidden)
	p.CreatedAt, p.HiddenAt = p.CreatedAt.UTC(), nullTime(hidden)
	p.Hidden = p.HiddenAt != nil
	p.Mentions, p.Files = []string{}, []domain.PostFile{}
	return p, err
}

// Post returns one post.
func (tx *Tx) Post(ctx context.Context, id int64) (*domain.Post, error) {
	p, err := scanPost(tx.QueryRowContext(ctx, `SELECT `+postCols+`WHERE p.id = $1`, id))
	if errNoRows(err) {
		return nil, domain.ErrSpaceNotFound
	} else if err != nil {
		return nil, err
	}
	return &p, nil
}

// ThreadPosts lists up to limit posts of a thread after the post after
// (0: from the first), oldest first, with their mentions and attachments.
func (tx *Tx) ThreadPosts(ctx context.Context, threadID, after int64, limit int) ([]domain.Post, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+postCols+`WHERE p.thread_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3`, threadID, after, limit)
	if err != nil {
		return nil, err
	}
	ps, err := scanAll(rows, func(r *sql.Rows) (domain.Post, error) { return scanPost(r) })
	if err != nil || len(ps) == 0 {
		return ps, err
	}
	return ps, tx.postExtras(ctx, ps)
}

// postExtras fills in the mentioned names and the attachments of posts.
func (tx *Tx) postExtras(ctx context.Context, ps []domain.Post) error {
	byID := map[int64]*domain.Post{}
	ids := make([]int64, len(ps))
	for i := range ps {
		byID[ps[i].ID], ids[i] = &ps[i], ps[i].ID
	}
	a := argList{}
	list := a.ids(ids)
	rows, err := tx.QueryContext(ctx, `SELECT m.post_id, p.name FROM community_mentions m JOIN persons p ON p.id = m.person_id
		WHERE m.post_id IN (`+list+`) ORDER BY m.post_id, p.name`, a...)
	if err != nil {
		return err
	}
	type pair struct {
		id   int64
		name string
	}
	ms, err := scanAll(rows, func(r *sql.Rows) (pair, error) { var x pair; err := r.Scan(&x.id, &x.name); return x, err })
	if err != nil {
		return err
	}
	for _, m := range ms {
		byID[m.id].Mentions = append(byID[m.id].Mentions, m.name)
	}
	rows, err = tx.QueryContext(ctx, `SELECT ca.post_id, d.id, d.name, d.media_type, d.size FROM community_attachments ca
		JOIN documents d ON d.id = ca.document_id WHERE ca.post_id IN (`+list+`) ORDER BY d.id`, a...)
	if err != nil {
		return err
	}
	type file struct {
		post int64
		f    domain.PostFile
	}
	fs, err := scanAll(rows, func(r *sql.Rows) (file, error) {
		var x file
		err := r.Scan(&x.post, &x.f.ID, &x.f.Name, &x.f.MediaType, &x.f.Size)
		return x, err
	})
	for _, f := range fs {
		byID[f.post].Files = append(byID[f.post].Files, f.f)
	}
	return err
}

// FirstPostID is the ID of a thread's opening post.
func (tx *Tx) FirstPostID(ctx context.Context, threadID int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT COALESCE(min(id), 0) FROM community_posts WHERE thread_id = $1`, threadID).Scan(&id)
	return id, err
}

// AddMentions records the people a post mentions.
func (tx *Tx) AddMentions(ctx context.Context, postID int64, personIDs []int64) error {
	for _, id := range personIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO community_mentions (post_id, person_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, postID, id); err != nil {
			return err
		}
	}
	return nil
}

// AddAttachment links a stored document to a post.
func (tx *Tx) AddAttachment(ctx context.Context, postID, documentID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO community_attachments (post_id, document_id) VALUES ($1, $2)`, postID, documentID)
	return err
}

// AttachmentPost returns the post a document is attached to.
func (tx *Tx) AttachmentPost(ctx context.Context, documentID int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT post_id FROM community_attachments WHERE document_id = $1 ORDER BY post_id LIMIT 1`, documentID).Scan(&id)
	if errNoRows(err) {
		return 0, domain.ErrSpaceNotFound
	}
	return id, err
}

// SetPostHidden hides a post from the members or shows it again.
func (tx *Tx) SetPostHidden(ctx context.Context, id int64, hidden bool, reason string) error {
	var err error
	if hidden {
		_, err = tx.ExecContext(ctx, `UPDATE community_posts SET hidden_at = $1, hidden_by = $2, hidden_reason = $3 WHERE id = $4`, tx.now,
			nullID(domain.ActorFrom(ctx).PersonID()), reason, id)
	} else {
		_, err = tx.ExecContext(ctx, `UPDATE community_posts SET hidden_at = NULL, hidden_by = NULL, hidden_reason = '' WHERE id = $1`, id)
	}
	return err
}

// SearchPosts finds the posts of a space that contain every term, newest
// first. The rarest term's postings are walked in post order and the
// others probed, so a query stops after limit hits. Hidden posts only
// when withHidden.
func (tx *Tx) SearchPosts(ctx context.Context, spaceID int64, terms []string, withHidden bool, limit int) ([]domain.Post, []domain.Thread, error) {
	if len(terms) == 0 {
		return nil, nil, nil
	}
	// The rarest term leads (counted up to a bound, so a common term
	// costs little).
	best, bestN := 0, -1
	for i, term := range terms {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM community_terms WHERE space_id = $1 AND term = $2 LIMIT 5000) x`,
			spaceID, term).Scan(&n); err != nil {
			return nil, nil, err
		}
		if n == 0 {
			return nil, nil, nil
		}
		if bestN < 0 || n < bestN {
			best, bestN = i, n
		}
	}
	a := argList{spaceID}
	q := `SELECT ` + postCols + `JOIN community_terms t0 ON t0.post_id = p.id WHERE t0.space_id = $1 AND t0.term = ` + a.add(terms[best])
	for i, term := range terms {
		if i == best {
			continue
		}
		q += ` AND EXISTS (SELECT 1 FROM community_terms tx WHERE tx.space_id = $1 AND tx.term = ` + a.add(term) + ` AND tx.post_id = p.id)`
	}
	if !withHidden {
		q += ` AND p.hidden_at IS NULL`
	}
	q += ` ORDER BY t0.post_id DESC LIMIT ` + a.add(limit)
	rows, err := tx.QueryContext(ctx, q, a...)
	if err != nil {
		return nil, nil, err
	}
	ps, err := scanAll(rows, func(r *sql.Rows) (domain.Post, error) { return scanPost(r) })
	if err != nil || len(ps) == 0 {
		return ps, nil, err
	}
	var ids []int64
	seen := map[int64]bool{}
	for _, p := range ps {
		if !seen[p.ThreadID] {
			seen[p.ThreadID] = true
			ids = append(ids, p.ThreadID)
		}
	}
	b := argList{}
	rows, err = tx.QueryContext(ctx, `SELECT `+threadCols+`WHERE t.id IN (`+b.ids(ids)+`)`, b...)
	if err != nil {
		return nil, nil, err
	}
	ts, err := scanAll(rows, func(r *sql.Rows) (domain.Thread, error) { return scanThread(r) })
	return ps, ts, err
}

// CreateReport records a report; a second open report of the same post
// by the same person is domain.ErrReportDuplicate.
func (tx *Tx) CreateReport(ctx context.Context, r *domain.PostReport, reporterID int64) error {
	r.CreatedAt = tx.now
	err := tx.QueryRowContext(ctx, `INSERT INTO community_reports (space_id, post_id, reporter_id, reason, created_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, r.SpaceID, r.PostID, reporterID, r.Reason, tx.now).Scan(&r.ID)
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrReportDuplicate
	}
	return err
}

const reportCols = `r.id, r.space_id, r.post_id, p.thread_id, t.title, p.author_id, pa.name, p.body, p.hidden_at, pr.name, r.reason, r.created_at,
	r.resolved_at, r.resolution FROM community_reports r JOIN community_posts p ON p.id = r.post_id
	JOIN community_threads t ON t.id = p.thread_id JOIN persons pa ON pa.id = p.author_id JOIN persons pr ON pr.id = r.reporter_id `

func scanReport(r interface{ Scan(...any) error }) (domain.PostReport, error) {
	var x domain.PostReport
	var hidden, resolved sql.NullTime
	err := r.Scan(&x.ID, &x.SpaceID, &x.PostID, &x.ThreadID, &x.ThreadTitle, &x.PostAuthorID, &x.PostAuthor, &x.PostBody, &hidden, &x.ReporterName, &x.Reason,
		&x.CreatedAt, &resolved, &x.Resolution)
	x.PostHidden, x.ResolvedAt, x.CreatedAt = hidden.Valid, nullTime(resolved), x.CreatedAt.UTC()
	return x, err
}

// OpenReports lists a space's open reports, oldest first.
func (tx *Tx) OpenReports(ctx context.Context, spaceID int64) ([]domain.PostReport, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+reportCols+`WHERE r.space_id = $1 AND r.resolved_at IS NULL ORDER BY r.id LIMIT 500`, spaceID)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.PostReport, error) { return scanReport(r) })
}

// Report returns one report.
func (tx *Tx) Report(ctx context.Context, id int64) (*domain.PostReport, error) {
	x, err := scanReport(tx.QueryRowContext(ctx, `SELECT `+reportCols+`WHERE r.id = $1`, id))
	if errNoRows(err) {
		return nil, domain.ErrSpaceNotFound
	} else if err != nil {
		return nil, err
	}
	return &x, nil
}

// ResolveReports closes the open reports of a post (reportID 0) or one
// report, and says how many it closed.
func (tx *Tx) ResolveReports(ctx context.Context, postID, reportID int64, resolution string) (int64, error) {
	a := argList{tx.now, nullID(domain.ActorFrom(ctx).PersonID()), resolution}
	q := `UPDATE community_reports SET resolved_at = $1, resolved_by = $2, resolution = $3 WHERE resolved_at IS NULL`
	if reportID != 0 {
		q += ` AND id = ` + a.add(reportID)
	} else {
		q += ` AND post_id = ` + a.add(postID)
	}
	res, err := tx.ExecContext(ctx, q, a...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CreateSuspension bars a person from writing in a space until s.Until.
func (tx *Tx) CreateSuspension(ctx context.Context, s *domain.Suspension) error {
	s.CreatedAt = tx.now
	return tx.QueryRowContext(ctx, `INSERT INTO community_suspensions (space_id, person_id, until, reason, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, s.SpaceID, s.PersonID, s.Until, s.Reason, nullID(domain.ActorFrom(ctx).PersonID()), tx.now).Scan(&s.ID)
}

// SuspendedUntil returns the end of a person's longest running
// suspension in a space, and whether there is one.
func (tx *Tx) SuspendedUntil(ctx context.Context, spaceID, personID int64) (time.Time, bool, error) {
	var until time.Time
	err := tx.QueryRowContext(ctx, `SELECT until FROM community_suspensions WHERE space_id = $1 AND person_id = $2
		AND lifted_at IS NULL AND until > $3 ORDER BY until DESC LIMIT 1`, spaceID, personID, tx.now).Scan(&until)
	if errNoRows(err) {
		return time.Time{}, false, nil
	} else if err != nil {
		return time.Time{}, false, err
	}
	return until.UTC(), true, nil
}

// Suspensions lists the running suspensions of a space.
func (tx *Tx) Suspensions(ctx context.Context, spaceID int64) ([]domain.Suspension, error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.space_id, s.person_id, p.name, s.until, s.reason, s.created_at FROM community_suspensions s
		JOIN persons p ON p.id = s.person_id WHERE s.space_id = $1 AND s.lifted_at IS NULL AND s.until > $2 ORDER BY s.until`, spaceID, tx.now)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(r *sql.Rows) (domain.Suspension, error) {
		var s domain.Suspension
		err := r.Scan(&s.ID, &s.SpaceID, &s.PersonID, &s.PersonName, &s.Until, &s.Reason, &s.CreatedAt)
		s.Until, s.CreatedAt = s.Until.UTC(), s.CreatedAt.UTC()
		return s, err
	})
}

// Follow makes a person follow a channel or thread of a space.
func (tx *Tx) Follow(ctx context.Context, personID int64, kind string, targetID, spaceID int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO community_follows (person_id, kind, target_id, space_id, created_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (person_id, kind, target_id) DO NOTHING`, personID, kind, targetID, spaceID, tx.now)
	return err
}

// Unfollow ends following.
func (tx *Tx) Unfollow(ctx context.Context, personID int64, kind string, targetID int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM community_follows WHERE person_id = $1 AND kind = $2 AND target_id = $3`, personID, kind, targetID)
	return err
}

// Following reports whether a person follows a channel or thread.
func (tx *Tx) Following(ctx context.Context, personID int64, kind string, targetID int64) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM community_follows WHERE person_id = $1 AND kind = $2 AND target_id = $3`, personID, kind, targetID).Scan(&n)
	return n > 0, err
}

func newUnsubscribeToken() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// EnsurePrefs gives a person settings in a space (weekly digest, mails
// for mentions) unless they have some, and returns their unsubscribe
// token.
func (tx *Tx) EnsurePrefs(ctx context.Context, personID, spaceID int64) (string, error) {
	var token string
	err := tx.QueryRowContext(ctx, `SELECT unsubscribe_token FROM community_prefs WHERE person_id = $1 AND space_id = $2`, personID, spaceID).Scan(&token)
	if err == nil || !errNoRows(err) {
		return token, err
	}
	token = newUnsubscribeToken()
	_, err = tx.ExecContext(ctx, `INSERT INTO community_prefs (person_id, space_id, digest, mention_mail, unsubscribe_token, digest_after, digest_due_at)
		VALUES ($1, $2, 'weekly', $3, $4, (SELECT COALESCE(max(id), 0) FROM community_posts), $5)`, personID, spaceID, true, token,
		tx.now.Add(domain.DigestPeriod(domain.DigestWeekly)))
	return token, err
}

// Prefs returns a person's settings in a space: the defaults when they
// have none.
func (tx *Tx) Prefs(ctx context.Context, personID, spaceID int64) (domain.CommunityPrefs, error) {
	p := domain.CommunityPrefs{Digest: domain.DigestWeekly, MentionMail: true}
	err := tx.QueryRowContext(ctx, `SELECT digest, mention_mail FROM community_prefs WHERE person_id = $1 AND space_id = $2`, personID, spaceID).
		Scan(&p.Digest, &p.MentionMail)
	if errNoRows(err) {
		err = nil
	}
	return p, err
}

// SetPrefs stores a person's settings in a space; a changed digest
// frequency counts from now.
func (tx *Tx) SetPrefs(ctx context.Context, personID, spaceID int64, p domain.CommunityPrefs) error {
	if _, err := tx.EnsurePrefs(ctx, personID, spaceID); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `UPDATE community_prefs SET mention_mail = $1,
		digest_due_at = CASE WHEN digest = $2 THEN digest_due_at ELSE $3 END, digest = $2 WHERE person_id = $4 AND space_id = $5`,
		p.MentionMail, p.Digest, tx.now.Add(domain.DigestPeriod(p.Digest)), personID, spaceID)
	return err
}

// PrefsByToken returns the person and space of an unsubscribe token.
func (tx *Tx) PrefsByToken(ctx context.Context, token string) (personID, spaceID int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT person_id, space_id FROM community_prefs WHERE unsubscribe_token = $1`, token).Scan(&personID, &spaceID)
	if errNoRows(err) {
		return 0, 0, domain.ErrUnsubscribeToken
	}
	return personID, spaceID, err
}

// MentionPrefs returns, for the people mentioned, whether they want a
// mail and their unsubscribe token (creating their settings).
func (tx *Tx) MentionPrefs(ctx context.Context, personID, spaceID int64) (bool, string, error) {
	token, err := tx.EnsurePrefs(ctx, personID, spaceID)
	if err != nil {
		return false, "", err
	}
	p, err := tx.Prefs(ctx, personID, spaceID)
	return p.MentionMail, token, err
}

// maxDigestItems is the most threads one digest lists.
const maxDigestItems = 20

// DigestDue is one person's digest of one space, claimed by the job.
type DigestDue struct {
	PersonID, SpaceID int64
	Name, Email       string
	AssociationName   string
	Digest, Token     string
	After             int64
	Items             []domain.DigestItem
}

// ClaimDigests claims up to limit digests that are due: their due time
// moves on by their period and their watermark to the newest post, in
// this transaction, so another instance does not take them. It returns
// them with the threads that have news since the last digest (those with
// none get no mail). PostgreSQL skips rows another transaction holds.
func (tx *Tx) ClaimDigests(ctx context.Context, limit int) ([]DigestDue, error) {
	// Rows without a digest are claimed too (and get no mail), so that
	// they do not stay due and in the way of every later run. The order
	// is the index's, so a batch costs no sort.
	rows, err := tx.QueryContext(ctx, tx.forUpdateSkipLocked(`SELECT person_id, space_id, digest, unsubscribe_token, digest_after FROM community_prefs
		WHERE digest_due_at <= $1 ORDER BY digest_due_at LIMIT $2`), tx.now, limit)
	if err != nil {
		return nil, err
	}
	due, err := scanAll(rows, func(r *sql.Rows) (DigestDue, error) {
		var d DigestDue
		err := r.Scan(&d.PersonID, &d.SpaceID, &d.Digest, &d.Token, &d.After)
		return d, err
	})
	if err != nil || len(due) == 0 {
		return nil, err
	}
	var top int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(id), 0) FROM community_posts`).Scan(&top); err != nil {
		return nil, err
	}
	byKey := map[[2]int64]*DigestDue{}
	persons := make([]int64, 0, len(due))
	for i := range due {
		d := &due[i]
		byKey[[2]int64{d.PersonID, d.SpaceID}] = d
		persons = append(persons, d.PersonID)
	}
	// Threads with posts after the person's watermark, followed directly
	// or through their channel, not last written by the person themselves,
	// newest first, at most maxDigestItems per digest. Read before the
	// watermarks move on. Channels are read once per batch, their newest
	// threads after the lowest watermark of the batch, and filtered per
	// person here: a digest lists the newest news, so the prefix of the
	// channel's list that is newer than the person's watermark is theirs.
	a := argList{}
	list := a.ids(persons)
	topArg := a.add(top)
	rows, err = tx.QueryContext(ctx, `SELECT f.person_id, t.space_id, t.id, t.title, c.name, t.last_post_at, t.last_post_id, t.last_author_id
		FROM community_follows f JOIN community_threads t ON t.id = f.target_id
		JOIN community_channels c ON c.id = t.channel_id
		JOIN community_prefs pr ON pr.person_id = f.person_id AND pr.space_id = t.space_id
		WHERE f.kind = 'thread' AND f.person_id IN (`+list+`) AND t.last_post_id > pr.digest_after AND t.last_post_id <= `+topArg, a...)
	if err != nil {
		return nil, err
	}
	type item struct {
		person, space int64
		it            domain.DigestItem
		last, author  int64
	}
	scanItem := func(r *sql.Rows) (item, error) {
		var x item
		err := r.Scan(&x.person, &x.space, &x.it.ThreadID, &x.it.Title, &x.it.ChannelName, &x.it.LastPostAt, &x.last, &x.author)
		x.it.LastPostAt = x.it.LastPostAt.UTC()
		return x, err
	}
	threadItems, err := scanAll(rows, scanItem)
	if err != nil {
		return nil, err
	}
	b0 := argList{}
	rows, err = tx.QueryContext(ctx, `SELECT person_id, target_id FROM community_follows WHERE kind = 'channel' AND person_id IN (`+b0.ids(persons)+`)`, b0...)
	if err != nil {
		return nil, err
	}
	type follow struct{ person, channel int64 }
	follows, err := scanAll(rows, func(r *sql.Rows) (follow, error) { var f follow; err := r.Scan(&f.person, &f.channel); return f, err })
	if err != nil {
		return nil, err
	}
	low := due[0].After
	for _, d := range due {
		low = min(low, d.After)
	}
	byChannel := map[int64][]item{}
	for _, f := range follows {
		if _, ok := byChannel[f.channel]; ok {
			continue
		}
		rows, err := tx.QueryContext(ctx, `SELECT 0, t.space_id, t.id, t.title, c.name, t.last_post_at, t.last_post_id, t.last_author_id
			FROM community_threads t JOIN community_channels c ON c.id = t.channel_id
			WHERE t.channel_id = $1 AND t.last_post_id > $2 AND t.last_post_id <= $3 ORDER BY t.last_post_id DESC LIMIT $4`,
			f.channel, low, top, maxDigestItems+1)
		if err != nil {
			return nil, err
		}
		if byChannel[f.channel], err = scanAll(rows, scanItem); err != nil {
			return nil, err
		}
	}
	seen := map[[3]int64]bool{}
	add := func(person int64, x item) {
		d := byKey[[2]int64{person, x.space}]
		k := [3]int64{person, x.space, x.it.ThreadID}
		if d == nil || d.Digest == domain.DigestNone || x.last <= d.After || x.author == person || seen[k] || len(d.Items) >= maxDigestItems {
			return
		}
		seen[k] = true
		d.Items = append(d.Items, x.it)
	}
	for _, x := range threadItems {
		add(x.person, x)
	}
	for _, f := range follows {
		for _, x := range byChannel[f.channel] {
			add(f.person, x)
		}
	}
	for i := range due {
		slices.SortFunc(due[i].Items, func(a, b domain.DigestItem) int { return b.LastPostAt.Compare(a.LastPostAt) })
	}
	// Claim: the watermarks and due times move on, one statement per
	// space and frequency.
	groups := map[[2]any][]int64{}
	for _, d := range due {
		k := [2]any{d.SpaceID, d.Digest}
		groups[k] = append(groups[k], d.PersonID)
	}
	for k, ps := range groups {
		c := argList{top, tx.now.Add(domain.DigestPeriod(k[1].(string))), k[0]}
		if _, err := tx.ExecContext(ctx, `UPDATE community_prefs SET digest_after = $1, digest_due_at = $2 WHERE space_id = $3
			AND person_id IN (`+c.ids(ps)+`)`, c...); err != nil {
			return nil, err
		}
	}
	b := argList{}
	rows, err = tx.QueryContext(ctx, `SELECT p.id, p.name, p.email FROM persons p WHERE p.id IN (`+b.ids(persons)+`)`, b...)
	if err != nil {
		return nil, err
	}
	ps, err := scanAll(rows, func(r *sql.Rows) (domain.Person, error) {
		var p domain.Person
		err := r.Scan(&p.ID, &p.Name, &p.Email)
		return p, err
	})
	if err != nil {
		return nil, err
	}
	names := map[int64]domain.Person{}
	for _, p := range ps {
		names[p.ID] = p
	}
	for i := range due {
		due[i].Name, due[i].Email = names[due[i].PersonID].Name, names[due[i].PersonID].Email
	}
	return due, nil
}

// SuspensionSpace returns the space and person of a suspension, running
// or not; ENotFound when there is none of that ID.
func (tx *Tx) SuspensionSpace(ctx context.Context, id int64) (spaceID, personID int64, err error) {
	err = tx.QueryRowContext(ctx, `SELECT space_id, person_id FROM community_suspensions WHERE id = $1`, id).Scan(&spaceID, &personID)
	if errNoRows(err) {
		return 0, 0, domain.ErrSuspensionNotFound
	}
	return spaceID, personID, mapErr(err)
}

// LiftSuspension ends a running suspension before its time; lifted says
// whether it was still running.
func (tx *Tx) LiftSuspension(ctx context.Context, id int64) (lifted bool, err error) {
	res, err := tx.ExecContext(ctx, `UPDATE community_suspensions SET lifted_at = $2 WHERE id = $1 AND lifted_at IS NULL AND until > $2`, id, tx.now)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
