package matching

import (
	"context"
	"slices"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
)

// Learning paths: the platform and the associations define paths of
// steps; a person joins one and sees, from their bookings and
// certificates, which steps are done, booked, next or open. When the last
// step is done (a booking completed with attendance, or a networking event
// confirmed), the path is completed and its composite certificate issued,
// in the same transaction, once.

// PathView is a path as a person sees it: with their progress when they
// follow it, the offers recommended for its next steps and the composite
// certificate when it is complete.
type PathView struct {
	Path        *domain.Path
	Joined      bool
	JoinedAt    *time.Time
	CompletedAt *time.Time
	Progress    *domain.PathProgress // the actor's; without joining: as for someone who has done nothing
	// Recommended are offers for the steps in state next, by step number.
	Recommended map[int][]PathOffer
	Certificate *domain.PathCertificate
	CanEdit     bool
	CanConfirm  bool
}

// PathOffer is an offer recommended for a step, with its next session.
type PathOffer struct {
	ID           int64           `json:"id"`
	Title        string          `json:"title"`
	ProviderName string          `json:"provider_name"`
	PriceCents   int64           `json:"price_cents"`
	Days         int             `json:"days"`
	NextSession  *domain.Session `json:"next_session,omitempty"`
}

// maxRecommended is how many offers a step recommends.
const maxRecommended = 3

// Paths lists the published paths, and the drafts the actor may edit,
// with the actor's progress on those they follow.
func (s *Service) Paths(ctx context.Context) (out []PathView, err error) {
	defer domain.Wrap(&err, "matching.Paths")
	a := domain.ActorFrom(ctx)
	ps, err := s.db.Paths(ctx, !a.Anonymous())
	if err != nil {
		return nil, err
	}
	mine := map[int64]PathView{}
	if !a.Anonymous() {
		views, err := s.personViews(ctx, a.PersonID(), false)
		if err != nil {
			return nil, err
		}
		for _, v := range views {
			mine[v.Path.ID] = v
		}
	}
	out = []PathView{}
	for i := range ps {
		p := &ps[i]
		canEdit := authz.Allowed(a, authz.PathEdit, authz.Resource{OrgID: p.OwnerOrgID})
		if p.Status != domain.PathPublished && !canEdit {
			continue
		}
		v, ok := mine[p.ID]
		if !ok {
			v = PathView{Path: p, Progress: p.Progress(nil, nil)}
		}
		v.CanEdit = canEdit
		out = append(out, v)
	}
	return out, nil
}

// Path returns one path as the actor sees it. A draft exists only for its
// editors.
func (s *Service) Path(ctx context.Context, id int64) (v *PathView, err error) {
	defer domain.Wrap(&err, "matching.Path(%d)", id)
	a := domain.ActorFrom(ctx)
	p, err := s.db.Path(ctx, id)
	if err != nil {
		return nil, err
	}
	canEdit := authz.Allowed(a, authz.PathEdit, authz.Resource{OrgID: p.OwnerOrgID})
	if p.Status != domain.PathPublished && !canEdit {
		return nil, domain.ErrPathNotFound
	}
	v = &PathView{Path: p, Progress: p.Progress(nil, nil)}
	if !a.Anonymous() {
		views, err := s.personViews(ctx, a.PersonID(), true)
		if err != nil {
			return nil, err
		}
		for i := range views {
			if views[i].Path.ID == id {
				v = &views[i]
			}
		}
	}
	if !v.Joined {
		v.Recommended = s.recommend(ctx, v.Progress, nil)
	}
	v.CanEdit = canEdit
	v.CanConfirm = authz.Allowed(a, authz.PathEventConfirm, authz.Resource{OrgID: p.OwnerOrgID})
	return v, nil
}

// MyPaths lists the paths the actor follows, with progress, the offers for
// their next steps and the composite certificates of completed ones.
func (s *Service) MyPaths(ctx context.Context) (out []PathView, err error) {
	defer domain.Wrap(&err, "matching.MyPaths")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.PathJoin, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return nil, err
	}
	return s.personViews(ctx, a.PersonID(), true)
}

// MyPathProgress lists the paths the actor follows with their progress
// only (no recommended offers): for the desk.
func (s *Service) MyPathProgress(ctx context.Context) (out []PathView, err error) {
	defer domain.Wrap(&err, "matching.MyPathProgress")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.PathJoin, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return nil, err
	}
	return s.personViews(ctx, a.PersonID(), false)
}

// personViews evaluates the paths the person follows. A path found
// complete on reading whose completion was not recorded (two completions
// that raced, a certificate revoked and replaced) is completed here.
func (s *Service) personViews(ctx context.Context, personID int64, recommend bool) (out []PathView, err error) {
	var views []PathView
	var booked []domain.PathBooking // the person's, the same for every path
	var pending bool
	// The offers to recommend come from the catalog after the
	// transaction: its search may read the database (a thesaurus not yet
	// loaded), which inside a transaction would take a second connection.
	defer func() {
		if err == nil && recommend {
			for i := range out {
				out[i].Recommended = s.recommend(ctx, out[i].Progress, booked)
			}
		}
	}()
	read := func(tx *store.Tx) error {
		views, booked, pending = nil, nil, false
		return followedPaths(ctx, tx, personID, func(m domain.PathMember, p *domain.Path, pr *domain.PathProgress, bs []domain.PathBooking) error {
			booked = bs
			joined, completed := m.JoinedAt, m.CompletedAt
			v := PathView{Path: p, Joined: true, JoinedAt: &joined, CompletedAt: completed, Progress: pr}
			if v.Progress.Complete() {
				c, err := tx.PersonPathCertificate(ctx, p.ID, personID)
				switch {
				case err == nil:
					v.Certificate = c
				case domain.ErrorCode(err) != domain.ENotFound:
					return err
				}
				if completed == nil || v.Certificate == nil {
					pending = true
				}
			}
			views = append(views, v)
			return nil
		})
	}
	if err := s.db.Read(ctx, read); err != nil {
		return nil, err
	}
	if !pending {
		return nonNil(views), nil
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := s.evaluate(ctx, tx, personID); err != nil {
			return err
		}
		return read(tx)
	})
	return nonNil(views), err
}

func nonNil(v []PathView) []PathView {
	if v == nil {
		return []PathView{}
	}
	return v
}

// recommend finds offers for each step in state next: those of the step's
// list or matching its track and competence, that have a session open for
// registration and that the person has not booked, soonest first.
func (s *Service) recommend(ctx context.Context, pp *domain.PathProgress, bs []domain.PathBooking) map[int][]PathOffer {
	out := map[int][]PathOffer{}
	if s.catalog == nil {
		return out
	}
	now := s.now()
	booked := map[int64]bool{}
	for _, b := range bs {
		booked[b.OfferID] = true
	}
	for _, sp := range pp.Steps {
		st := sp.Step
		if sp.State != domain.StepNext || st.Kind == domain.StepEvent {
			continue
		}
		var items []*catalog.Item
		if len(st.OfferIDs) > 0 {
			items = append(items, s.catalog.Items(st.OfferIDs)...)
		}
		if st.Track != "" || st.Area != "" || st.Code != "" {
			q := search.Query{Filters: map[string][]string{}, Sort: "date", PageSize: 100, Now: now}
			if st.Track != "" {
				q.Filters["funding"] = []string{st.Track}
			}
			if a := st.Area; a != "" || st.Code != "" {
				if a == "" {
					a = domain.CompetenceArea(st.Code)
				}
				q.Filters["competence"] = []string{a}
			}
			if found, err := s.catalog.Find(ctx, q); err == nil {
				items = append(items, found.Items...)
			}
		}
		var offers []PathOffer
		seen := map[int64]bool{}
		for _, it := range items {
			if seen[it.ID] || booked[it.ID] || !st.Matches(it.ID, it.Competences, it.FundingTracks) {
				continue
			}
			seen[it.ID] = true
			next := it.NextSession(now)
			if next == nil {
				continue
			}
			offers = append(offers, PathOffer{ID: it.ID, Title: it.Title, ProviderName: it.ProviderName, PriceCents: it.PriceCents,
				Days: it.Days, NextSession: next})
		}
		slices.SortStableFunc(offers, func(a, b PathOffer) int { return a.NextSession.StartsAt.Compare(b.NextSession.StartsAt) })
		if len(offers) > maxRecommended {
			offers = offers[:maxRecommended]
		}
		out[sp.Number] = offers
	}
	return out
}

// CreatePath creates a path owned by p.OwnerOrgID (0: the platform, for
// admins), as a draft unless p.Status says published.
func (s *Service) CreatePath(ctx context.Context, p *domain.Path) (out *domain.Path, err error) {
	defer domain.Wrap(&err, "matching.CreatePath")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.PathEdit, authz.Resource{OrgID: p.OwnerOrgID}); err != nil {
		return nil, pathForbidden(err)
	}
	if err := s.checkOwner(ctx, p.OwnerOrgID); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	p.ID, p.ShippedKey = 0, ""
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePath(ctx, p); err != nil {
			return err
		}
		return tx.Audit(ctx, p.OwnerOrgID, "path.create", "path", p.ID, map[string]string{"title": p.Title, "status": p.Status})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Path(ctx, p.ID)
}

// UpdatePath replaces a path's title, description, status and steps (and
// owner, for admins). Editors of the path's owner may; a changed path is
// evaluated anew for everyone on their next visit.
func (s *Service) UpdatePath(ctx context.Context, in *domain.Path) (out *domain.Path, err error) {
	defer domain.Wrap(&err, "matching.UpdatePath(%d)", in.ID)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err := tx.LockPath(ctx, in.ID)
		if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.PathEdit, authz.Resource{OrgID: p.OwnerOrgID}) {
			if p.Status != domain.PathPublished {
				return domain.ErrPathNotFound
			}
			return domain.ErrPathForbidden
		}
		if in.OwnerOrgID != p.OwnerOrgID {
			// Handing a path over is for those who may edit the
			// platform's paths (admins).
			if !authz.Allowed(a, authz.PathEdit, authz.Resource{}) {
				return domain.ErrPathForbidden
			}
			if err := s.checkOwner(ctx, in.OwnerOrgID); err != nil {
				return err
			}
		}
		if err := in.Validate(); err != nil {
			return err
		}
		p.Title, p.Description, p.Status, p.Steps, p.OwnerOrgID = in.Title, in.Description, in.Status, in.Steps, in.OwnerOrgID
		if err := tx.UpdatePath(ctx, p); err != nil {
			return err
		}
		return tx.Audit(ctx, p.OwnerOrgID, "path.update", "path", p.ID, map[string]string{"title": p.Title, "status": p.Status})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Path(ctx, in.ID)
}

// pathForbidden turns authz's generic refusal into the paths' message.
func pathForbidden(err error) error {
	if domain.ErrorCode(err) == domain.EForbidden {
		return domain.ErrPathForbidden
	}
	return err
}

// checkOwner checks that a path's owner is an association (0: the
// platform).
func (s *Service) checkOwner(ctx context.Context, orgID int64) error {
	if orgID == 0 {
		return nil
	}
	o, err := s.db.Organisation(ctx, orgID)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && o.Kind != domain.OrgAssociation) {
		return &domain.Error{Code: domain.EInvalid, Message: "Lernpfade gehören der Plattform oder einem Verband.",
			Fields: map[string]string{"owner_org_id": "Bitte wählen Sie einen kommunalen Landesverband."}}
	}
	return err
}

// JoinPath lets the actor follow a published path; joining twice is
// harmless. A path whose steps are all done already is completed at once.
func (s *Service) JoinPath(ctx context.Context, id int64) (v *PathView, err error) {
	defer domain.Wrap(&err, "matching.JoinPath(%d)", id)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.PathJoin, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err := tx.LockPath(ctx, id)
		if err != nil {
			return err
		}
		if p.Status != domain.PathPublished {
			if authz.Allowed(a, authz.PathEdit, authz.Resource{OrgID: p.OwnerOrgID}) {
				return domain.ErrPathDraftJoin
			}
			return domain.ErrPathNotFound
		}
		ok, err := tx.JoinPath(ctx, id, a.PersonID())
		if err != nil || !ok {
			return err
		}
		if err := tx.Audit(ctx, 0, "path.join", "path", id, nil); err != nil {
			return err
		}
		return s.evaluate(ctx, tx, a.PersonID())
	})
	if err != nil {
		return nil, err
	}
	return s.Path(ctx, id)
}

// LeavePath stops the actor following a path. Their bookings, confirmed
// events and a composite certificate stay; joining again picks them up.
func (s *Service) LeavePath(ctx context.Context, id int64) (err error) {
	defer domain.Wrap(&err, "matching.LeavePath(%d)", id)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.PathJoin, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		ok, err := tx.LeavePath(ctx, id, a.PersonID())
		if err != nil {
			return err
		}
		if !ok {
			return domain.ErrPathNotJoined
		}
		return tx.Audit(ctx, 0, "path.leave", "path", id, nil)
	})
}

// PathMember is a person following a path with their progress, for the
// path's event organisers and editors.
type PathMember struct {
	domain.PathMember
	Progress *domain.PathProgress
}

// PathMembers lists the people following a path with their progress. The
// path's editors and event organisers (and admins) may.
func (s *Service) PathMembers(ctx context.Context, id int64) (p *domain.Path, out []PathMember, err error) {
	defer domain.Wrap(&err, "matching.PathMembers(%d)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, nil, domain.ErrUnauthorized
	}
	if p, err = s.db.Path(ctx, id); err != nil {
		return nil, nil, err
	}
	res := authz.Resource{OrgID: p.OwnerOrgID}
	if !authz.Allowed(a, authz.PathEventConfirm, res) && !authz.Allowed(a, authz.PathEdit, res) {
		return nil, nil, domain.ErrPathForbidden
	}
	ms, err := s.db.PathMembers(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	out = []PathMember{}
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		for _, m := range ms {
			bs, err := tx.PathBookings(ctx, m.PersonID, m.Email)
			if err != nil {
				return err
			}
			evs, err := tx.PathEvents(ctx, m.PersonID)
			if err != nil {
				return err
			}
			out = append(out, PathMember{PathMember: m, Progress: p.Progress(bs, evs[id])})
		}
		return nil
	})
	return p, out, err
}

// ConfirmPathEvent records, for an event organiser of the path's owner or
// an admin, that the person took part in the networking event of the
// path's step; it may complete the path. Confirming twice is harmless.
func (s *Service) ConfirmPathEvent(ctx context.Context, pathID, personID int64, step int) (err error) {
	defer domain.Wrap(&err, "matching.ConfirmPathEvent(%d, %d, %d)", pathID, personID, step)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return domain.ErrUnauthorized
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		p, err := tx.Path(ctx, pathID)
		if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.PathEventConfirm, authz.Resource{OrgID: p.OwnerOrgID}) {
			return domain.ErrPathForbidden
		}
		return s.ConfirmEventTx(ctx, tx, p, personID, step, a.PersonID())
	})
}

// ConfirmEventTx records a confirmed networking event inside tx and
// evaluates the person's paths: the events service calls it when a
// participant's attendance at a networking event is recorded (by is the
// confirming person, 0 for the system). The step must be an event step of
// a path the person follows.
func (s *Service) ConfirmEventTx(ctx context.Context, tx *store.Tx, p *domain.Path, personID int64, step int, by int64) error {
	if step < 1 || step > len(p.Steps) || p.Steps[step-1].Kind != domain.StepEvent {
		return domain.ErrPathNotEvent
	}
	if _, err := tx.PathMember(ctx, p.ID, personID); err != nil {
		return err
	}
	ok, err := tx.ConfirmPathEvent(ctx, p.ID, personID, step, by)
	if err != nil || !ok {
		return err
	}
	if err := tx.Audit(ctx, p.OwnerOrgID, "path.event_confirm", "path", p.ID, map[string]int64{"person": personID, "step": int64(step)}); err != nil {
		return err
	}
	return s.evaluate(ctx, tx, personID)
}

// NetworkingEventAttended is for the events service: inside its
// transaction that records a person's attendance at a networking event, it
// confirms the first event step not yet done of every path the person
// follows (by is the confirming person, 0 for the system) and evaluates
// the paths, which may complete them.
func (s *Service) NetworkingEventAttended(ctx context.Context, tx *store.Tx, personID, by int64) error {
	ms, err := tx.LockPersonPaths(ctx, personID)
	if err != nil {
		return err
	}
	evs, err := tx.PathEvents(ctx, personID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		p, err := tx.Path(ctx, m.PathID)
		if err != nil {
			return err
		}
		for i, st := range p.Steps {
			if _, done := evs[p.ID][i+1]; st.Kind == domain.StepEvent && !done {
				if err := s.ConfirmEventTx(ctx, tx, p, personID, i+1, by); err != nil {
					return err
				}
				break
			}
		}
	}
	return nil
}

// BookingCompleted is the booking service's completion hook: inside the
// transaction that completed b with its certificate, it evaluates the
// paths of b's participant (by account, or by address).
func (s *Service) BookingCompleted(ctx context.Context, tx *store.Tx, b *domain.Booking) error {
	person := b.PersonID
	if person == 0 {
		var err error
		if person, err = tx.PersonIDByEmail(ctx, b.ParticipantEmail); err != nil || person == 0 {
			return err
		}
	}
	return s.evaluate(ctx, tx, person)
}

// evaluate completes, inside tx, the paths of the person whose steps are
// all done and issues their composite certificates. The person's
// memberships are locked first, so two completions of the same person run
// one after the other and the second sees the first's certificate; the
// unique key of the composite certificates makes a second issue a no-op.
func (s *Service) evaluate(ctx context.Context, tx *store.Tx, personID int64) error {
	ms, err := tx.LockPersonPaths(ctx, personID)
	if err != nil || len(ms) == 0 {
		return err
	}
	bs, err := tx.PathBookings(ctx, personID, ms[0].Email)
	if err != nil {
		return err
	}
	evs, err := tx.PathEvents(ctx, personID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		p, err := tx.Path(ctx, m.PathID)
		if err != nil {
			return err
		}
		pp := p.Progress(bs, evs[p.ID])
		if !pp.Complete() {
			continue
		}
		c := &domain.PathCertificate{PathID: p.ID, PersonID: personID, Participant: m.Name, ParticipantEmail: m.Email, Path: p.Title,
			Owner: p.OwnerName, OwnerOrgID: p.OwnerOrgID}
		for _, sp := range pp.Steps {
			cs := domain.PathCertificateStep{Title: sp.Step.Title, EventAt: sp.EventConfirmedAt}
			for _, b := range sp.Bookings {
				if b.Done() {
					cs.CertificateIDs = append(cs.CertificateIDs, b.CertificateID)
					cs.Offers = append(cs.Offers, b.Offer)
				}
			}
			c.Steps = append(c.Steps, cs)
		}
		cert, issued, err := s.certify.IssuePath(ctx, tx, c, p.Description)
		if err != nil {
			return err
		}
		if m.CompletedAt == nil {
			if err := tx.SetPathCompleted(ctx, p.ID, personID); err != nil {
				return err
			}
			if err := tx.Audit(ctx, p.OwnerOrgID, "path.complete", "path", p.ID, map[string]any{"person": personID, "certificate": cert.ID}); err != nil {
				return err
			}
		}
		if issued {
			data := map[string]any{"Name": m.Name, "Title": p.Title, "ID": cert.ID, "PathID": p.ID}
			if err := s.notify.Enqueue(ctx, tx, m.Email, "path-completed", data); err != nil {
				return err
			}
		}
	}
	return nil
}

// PathCertificate returns a composite certificate; anyone may verify it.
func (s *Service) PathCertificate(ctx context.Context, id string) (c *domain.PathCertificate, err error) {
	defer domain.Wrap(&err, "matching.PathCertificate(%q)", id)
	return s.certify.PathCertificate(ctx, id)
}

// PathCertificatePDF renders the printable composite certificate for its
// holder, the path's editors and admins; for everyone else it does not
// exist.
func (s *Service) PathCertificatePDF(ctx context.Context, id string) (c *domain.PathCertificate, pdf []byte, err error) {
	defer domain.Wrap(&err, "matching.PathCertificatePDF(%q)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, nil, domain.ErrUnauthorized
	}
	if c, err = s.certify.PathCertificate(ctx, id); err != nil {
		return nil, nil, err
	}
	if c.PersonID != a.PersonID() && !authz.Allowed(a, authz.PathEdit, authz.Resource{OrgID: c.OwnerOrgID}) {
		return nil, nil, domain.ErrCertificateNotFound
	}
	pdf, err = s.certify.PathPDF(c)
	return c, pdf, err
}

// RevokePathCertificate revokes a composite certificate: admins and the
// editors of the path's owner may. The verification page says so from
// then on.
func (s *Service) RevokePathCertificate(ctx context.Context, id, reason string) (c *domain.PathCertificate, err error) {
	defer domain.Wrap(&err, "matching.RevokePathCertificate(%q)", id)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		c, err := tx.PathCertificate(ctx, id)
		if err != nil {
			return err
		}
		if !authz.Allowed(a, authz.PathEdit, authz.Resource{OrgID: c.OwnerOrgID}) {
			return domain.ErrPathCertRevokeForbidden
		}
		return s.certify.RevokePath(ctx, tx, c, reason)
	})
	if err != nil {
		return nil, err
	}
	return s.certify.PathCertificate(ctx, id)
}

// PathOwners are the associations the actor may define paths for (and
// the platform, 0, for admins): the choices of the path form.
func (s *Service) PathOwners(ctx context.Context) (out []domain.Organisation, platform bool, err error) {
	defer domain.Wrap(&err, "matching.PathOwners")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, false, domain.ErrUnauthorized
	}
	kind := domain.OrgAssociation
	orgs, _, err := s.db.Organisations(ctx, domain.OrgFilter{Kind: &kind, Limit: 200})
	if err != nil {
		return nil, false, err
	}
	for _, o := range orgs {
		if authz.Allowed(a, authz.PathEdit, authz.Resource{OrgID: o.ID}) {
			out = append(out, o)
		}
	}
	return out, authz.Allowed(a, authz.PathEdit, authz.Resource{}), nil
}
