package catalog

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/competences"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/moochub"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
)

// Service is the catalog's use cases: offers and their sessions, the quality
// review, the competence framework, MOOChub import and export, and the
// search. After each committed change it refreshes its own index, so this
// instance reads its writes at once; other instances follow the catalog
// version within a second.
type Service struct {
	*Searcher
	db      *store.DB
	log     *slog.Logger
	baseURL string
	// Feeds loads providers' feeds from their https addresses. Tests that
	// serve a feed on this host give it their own address classifier.
	Feeds *moochub.Fetcher
}

// New returns the catalog service on db; baseURL is the platform's public
// address for the MOOChub feed.
func New(db *store.DB, baseURL string, log *slog.Logger) *Service {
	return &Service{Searcher: NewSearcher(db, log), db: db, log: log, baseURL: baseURL, Feeds: &moochub.Fetcher{}}
}

// FeedPageSize is the number of courses on a page of the MOOChub feed.
const FeedPageSize = 50

// ReviewChecklist is what an admin confirms before publishing an offer.
var ReviewChecklist = []struct{ Key, Label string }{
	{"content", "Inhalt und Lernergebnisse sind verständlich und stimmen mit der Beschreibung überein"},
	{"competences", "Die Kompetenzen und Zielstufen passen zum Inhalt"},
	{"duration", "Dauer, Aufwand und Termine sind plausibel"},
	{"price", "Preis und Stornoregel sind vollständig und nachvollziehbar"},
	{"certificate", "Art des Abschlusses und ECTS-Angaben sind belegt"},
	{"accessibility", "Barrierefreiheit und Zielgruppen sind beschrieben"},
}

// missingChecks returns the labels of the checklist items not confirmed.
func missingChecks(given []string) []string {
	var missing []string
	for _, c := range ReviewChecklist {
		if !slices.Contains(given, c.Key) {
			missing = append(missing, c.Label)
		}
	}
	return missing
}

// changed refreshes the index after a committed change. A failed refresh
// is logged, not returned: the change is committed, and the next search
// rebuilds the index when it sees the new catalog version.
func (s *Service) changed(ctx context.Context) {
	if err := s.Refresh(ctx); err != nil && s.log != nil {
		s.log.ErrorContext(ctx, "catalog refresh failed", "err", err)
	}
}

// ProviderFor is the provider the actor acts for: the one named, or the
// actor's only provider.
func (s *Service) ProviderFor(ctx context.Context, named int64) (int64, error) {
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return 0, domain.ErrUnauthorized
	}
	var ids []int64
	for _, m := range authz.ManagedProviders(a) {
		ids = append(ids, m.OrgID)
	}
	switch {
	case named != 0 && slices.Contains(ids, named):
		return named, nil
	case named != 0 || len(ids) == 0:
		return 0, domain.ErrOfferProviderOnly
	case len(ids) > 1:
		return 0, domain.ErrOfferProviderChoice
	}
	return ids[0], nil
}

// Offer returns an offer with its details. Unpublished offers exist only
// for their provider's staff and for reviewers.
func (s *Service) Offer(ctx context.Context, id int64) (o *domain.Offer, err error) {
	defer domain.Wrap(&err, "catalog.Offer(%d)", id)
	o, err = s.db.Offer(ctx, id)
	if err != nil {
		return nil, err
	}
	if !authz.OfferVisible(domain.ActorFrom(ctx), o.ProviderID, o.Status) {
		return nil, domain.ErrOfferNotFound
	}
	return o, nil
}

// EditableOffer returns an offer the actor may change.
func (s *Service) EditableOffer(ctx context.Context, id int64) (*domain.Offer, error) {
	o, err := s.Offer(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferManage, authz.Resource{ProviderID: o.ProviderID}); err != nil {
		return nil, err
	}
	return o, nil
}

// Modules returns the offers an offer consists of.
func (s *Service) Modules(ctx context.Context, o *domain.Offer) ([]domain.Offer, error) {
	if len(o.ModuleIDs) == 0 {
		return nil, nil
	}
	mods, _, err := s.db.Offers(ctx, store.OfferFilter{IDs: o.ModuleIDs})
	return mods, err
}

// Published returns the published offers among ids, in their order.
func (s *Service) Published(ctx context.Context, ids []int64) ([]domain.Offer, error) {
	offers, _, err := s.db.Offers(ctx, store.OfferFilter{IDs: ids, Status: domain.OfferPublished})
	return offers, err
}

// ProviderOffers lists the offers of every provider the actor works for,
// the latest change first, a page at a time (issue 14): limit offers
// after the cursor after (the zero cursor: from the start), and the cursor
// of the next page when more follow.
func (s *Service) ProviderOffers(ctx context.Context, after domain.KeyCursor, limit int) (ms []domain.Membership, offers []domain.Offer, next domain.KeyCursor, err error) {
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, nil, next, domain.ErrUnauthorized
	}
	ms = authz.ManagedProviders(a)
	if len(ms) == 0 {
		return nil, nil, next, domain.ErrProviderPageOnly
	}
	if limit <= 0 || limit >= domain.MaxPage {
		limit = 50
	}
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.OrgID
	}
	offers, _, err = s.db.Offers(ctx, store.OfferFilter{ProviderIDs: ids, After: after, Limit: limit + 1, NoTotal: true})
	if err != nil {
		return nil, nil, next, err
	}
	if len(offers) > limit {
		offers = offers[:limit]
		last := offers[limit-1]
		next = domain.TimeCursor(last.UpdatedAt, last.ID)
	}
	return ms, offers, next, nil
}

// FormChoices is what the offer form offers to choose from.
type FormChoices struct {
	Competences []domain.Competence
	Providers   []domain.Membership
	// Siblings are the provider's other offers, which can be modules.
	Siblings []domain.Offer
	// Funding are the programme tracks, as "programme/track".
	Funding []string
}

// FormChoices returns the choices of the form of an offer of providerID
// (0 before a provider is chosen); offerID is the offer edited, or 0.
func (s *Service) FormChoices(ctx context.Context, providerID, offerID int64) (*FormChoices, error) {
	cs, err := s.db.Competences(ctx)
	if err != nil {
		return nil, err
	}
	fc := &FormChoices{Competences: cs, Providers: authz.ManagedProviders(domain.ActorFrom(ctx))}
	if providerID != 0 {
		sib, _, err := s.db.Offers(ctx, store.OfferFilter{ProviderID: providerID, Limit: 200})
		if err != nil {
			return nil, err
		}
		for _, x := range sib {
			if x.ID != offerID {
				fc.Siblings = append(fc.Siblings, x)
			}
		}
	}
	progs, err := s.db.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	for _, pr := range progs {
		for _, t := range pr.Tracks {
			fc.Funding = append(fc.Funding, pr.ID+"/"+t.Key)
		}
	}
	return fc, nil
}

// Create creates an offer of o.ProviderID; it goes to the quality review.
func (s *Service) Create(ctx context.Context, o *domain.Offer) (created *domain.Offer, err error) {
	defer domain.Wrap(&err, "catalog.Create(provider %d)", o.ProviderID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferManage, authz.Resource{ProviderID: o.ProviderID}); err != nil {
		return nil, err
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if err := s.db.Transact(ctx, func(tx *store.Tx) error { return createOffer(ctx, tx, o) }); err != nil {
		return nil, err
	}
	return s.db.Offer(ctx, o.ID)
}

// Update replaces an offer's fields. A material change to a published or
// returned offer sends it to the quality review again; until then the offer
// is not shown to participants.
func (s *Service) Update(ctx context.Context, o *domain.Offer) (updated *domain.Offer, err error) {
	defer domain.Wrap(&err, "catalog.Update(%d)", o.ID)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.OfferManage, authz.Resource{ProviderID: o.ProviderID}); err != nil {
		return nil, domain.ErrOfferManageOnly
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	bump := false
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		old, err := tx.LockOffer(ctx, o.ID)
		if err != nil {
			return err
		}
		if old.ProviderID != o.ProviderID {
			return domain.ErrOfferNotFound
		}
		if err := tx.LoadOfferDetails(ctx, []*domain.Offer{old}); err != nil {
			return err
		}
		refs, err := tx.OfferRefs(ctx, o)
		if err != nil {
			return err
		}
		if err := o.CheckRefs(refs); err != nil {
			return err
		}
		status, material, err := domain.UpdatedStatus(old, o)
		if err != nil {
			return err
		}
		o.Status, o.ReviewComment = status, old.ReviewComment
		if err := tx.UpdateOffer(ctx, o); err != nil {
			return err
		}
		if old.Status == domain.OfferPublished || o.Status == domain.OfferPublished {
			bump = true
			if err := tx.CatalogChanged(ctx, o.ID); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, o.ProviderID, "offer.update", "offer", o.ID, map[string]any{"material": material, "from": old.Status, "to": o.Status})
	})
	if err != nil {
		return nil, err
	}
	if bump {
		s.changed(ctx)
	}
	return s.db.Offer(ctx, o.ID)
}

// AddSession adds a dated run to an offer.
func (s *Service) AddSession(ctx context.Context, ses *domain.Session) (err error) {
	defer domain.Wrap(&err, "catalog.AddSession(offer %d)", ses.OfferID)
	ses.Address = strings.TrimSpace(ses.Address)
	bump := false
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		o, err := tx.LockOffer(ctx, ses.OfferID)
		if err != nil {
			return err
		}
		if err := authz.Check(domain.ActorFrom(ctx), authz.OfferManage, authz.Resource{ProviderID: o.ProviderID}); err != nil {
			return domain.ErrSessionManageOnly
		}
		bump, err = addSession(ctx, tx, o, ses)
		return err
	})
	if err == nil && bump {
		s.changed(ctx)
	}
	return err
}

// ReviewQueue lists the offers waiting for the quality review.
func (s *Service) ReviewQueue(ctx context.Context) ([]domain.Offer, int, error) {
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferReview, authz.Resource{}); err != nil {
		return nil, 0, err
	}
	return s.db.Offers(ctx, store.OfferFilter{Status: domain.OfferInReview, Limit: 200})
}

// Review publishes an offer in review once the admin confirmed every item
// of the checklist, or returns it with a comment the provider sees.
func (s *Service) Review(ctx context.Context, id int64, publish bool, comment string, checklist []string) (o *domain.Offer, err error) {
	defer domain.Wrap(&err, "catalog.Review(%d)", id)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferReview, authz.Resource{}); err != nil {
		return nil, err
	}
	comment = strings.TrimSpace(comment)
	if publish {
		if missing := missingChecks(checklist); len(missing) > 0 {
			return nil, domain.ErrReviewChecklist(missing)
		}
	} else if comment == "" {
		return nil, domain.ErrReviewComment
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		return review(ctx, tx, id, publish, comment)
	})
	if err != nil {
		return nil, err
	}
	if publish {
		s.changed(ctx)
	}
	return s.db.Offer(ctx, id)
}

// Competences lists the competence framework in order.
func (s *Service) Competences(ctx context.Context) ([]domain.Competence, error) {
	return s.db.Competences(ctx)
}

// ImportCompetences replaces or extends the framework from a CSV file.
func (s *Service) ImportCompetences(ctx context.Context, csv io.Reader) (cs []domain.Competence, err error) {
	defer domain.Wrap(&err, "catalog.ImportCompetences")
	if err := authz.Check(domain.ActorFrom(ctx), authz.CompetenceImport, authz.Resource{}); err != nil {
		return nil, err
	}
	parsed, err := competences.Parse(csv)
	if err != nil {
		return nil, err
	}
	if err := s.db.ImportCompetences(ctx, parsed); err != nil {
		return nil, err
	}
	if err := s.RefreshLabels(ctx); err != nil && s.log != nil {
		s.log.ErrorContext(ctx, "catalog labels refresh failed", "err", err)
	}
	return s.db.Competences(ctx)
}

// Feed builds one page of the MOOChub feed of published offers, the
// latest change first, by its number (from 1, for older harvesters: the
// feed's offers are counted and the ones before the page skipped).
func (s *Service) Feed(ctx context.Context, page int) ([]byte, error) {
	offers, total, err := s.db.Offers(ctx, store.OfferFilter{Status: domain.OfferPublished, Limit: FeedPageSize,
		Offset: (page - 1) * FeedPageSize})
	if err != nil {
		return nil, err
	}
	pages := max(1, (total+FeedPageSize-1)/FeedPageSize)
	if page > pages {
		return nil, domain.ErrFeedPage(pages)
	}
	return moochub.Feed(offers, s.baseURL, page, pages)
}

// FeedFrom builds the page of the MOOChub feed after the cursor (a
// domain.KeyCursor; "" for the first page), read along an index from
// there (keyset paging, issue 14): a harvester that follows "next"
// through 100,000 offers pays the same for every page.
func (s *Service) FeedFrom(ctx context.Context, cursor string) ([]byte, error) {
	after, err := domain.ParseKeyCursor(cursor)
	if err != nil {
		return nil, err
	}
	offers, _, err := s.db.Offers(ctx, store.OfferFilter{Status: domain.OfferPublished, After: after, Limit: FeedPageSize + 1, NoTotal: true})
	if err != nil {
		return nil, err
	}
	next := ""
	if len(offers) > FeedPageSize {
		offers = offers[:FeedPageSize]
		last := offers[FeedPageSize-1]
		next = domain.TimeCursor(last.UpdatedAt, last.ID).String()
	}
	// The feed's "last" link (MOOChub requires it) numbers the last page:
	// the published offers are counted from offers_status alone.
	n, err := s.db.CountRows(ctx, "offers", "status = $1", string(domain.OfferPublished))
	if err != nil {
		return nil, err
	}
	return moochub.FeedFrom(offers, s.baseURL, cursor, next, max(1, (int(n)+FeedPageSize-1)/FeedPageSize))
}

// ImportFeedURL loads a provider's feed from its public https address and
// imports it; see moochub.Fetcher for the addresses refused.
func (s *Service) ImportFeedURL(ctx context.Context, providerID int64, url string) (*domain.ImportResult, error) {
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferManage, authz.Resource{ProviderID: providerID}); err != nil {
		return nil, domain.ErrImportManageOnly
	}
	feed, err := s.Feeds.Fetch(ctx, url)
	if err != nil {
		return nil, err
	}
	return s.ImportFeed(ctx, providerID, feed)
}

// ImportFeed parses a MOOChub feed and creates or updates the provider's
// offers by course code, all in one transaction. The feed is taken course
// by course: a course that cannot be read (no name, a malformed value, a
// course code twice) is refused with its JSON pointer while the others are
// imported; only a file that is no JSON or holds no courses is refused
// whole. A feed does not carry our competences, modules, funding, days,
// outcomes or cancellation rule, so an update keeps what the provider set.
// Imported offers go to the quality review; those still lacking what the
// review needs stay drafts, with each missing field named, until the
// provider completes them. The feed's future dated runs become sessions
// (a run already on the offer is not added twice).
func (s *Service) ImportFeed(ctx context.Context, providerID int64, feed []byte) (res *domain.ImportResult, err error) {
	defer domain.Wrap(&err, "catalog.ImportFeed(provider %d)", providerID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.OfferManage, authz.Resource{ProviderID: providerID}); err != nil {
		return nil, domain.ErrImportManageOnly
	}
	entries, err := moochub.ParseCourses(bytes.NewReader(feed), s.db.Now())
	if err != nil {
		return nil, importError(err)
	}
	if len(entries) == 0 {
		return nil, domain.ErrFeedEmpty
	}
	var parseRefused []domain.ImportCourse
	var todo []*moochub.Entry
	seen := map[string]int{}
	for i := range entries {
		e := &entries[i]
		if e.Err != nil {
			ptr := e.Err.Pointer
			if ptr == "" {
				ptr = e.Pointer
			}
			parseRefused = append(parseRefused, refusedCourse(e, domain.ImportProblem{Pointer: ptr, Message: e.Err.Message}))
			continue
		}
		importDefaults(&e.Offer)
		e.Offer.ProviderID = providerID
		if j, dup := seen[e.Offer.Code]; dup {
			parseRefused = append(parseRefused, refusedCourse(e, domain.ImportProblem{Pointer: e.FieldPointer("code"), Field: "code",
				Message: fmt.Sprintf("Die Kursnummer „%s“ hat schon Kurs %d des Feeds; der Kurs wurde nicht übernommen.", e.Offer.Code, j+1)}))
			continue
		}
		seen[e.Offer.Code] = e.Index
		todo = append(todo, e)
	}
	if len(todo) == 0 {
		return nil, domain.ErrImportNothing(parseRefused)
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		// The transaction may run again: build the answer afresh.
		res = domain.NewImportResult()
		var refused []domain.ImportCourse
		for _, e := range todo {
			c, err := importCourse(ctx, tx, e)
			if err != nil {
				return err
			}
			if c.Offer == 0 {
				refused = append(refused, c)
				continue
			}
			if c.Created {
				res.Created = append(res.Created, c.Offer)
			} else {
				res.Updated = append(res.Updated, c.Offer)
			}
			if c.Status == domain.OfferDraft {
				res.Drafts = append(res.Drafts, c.Offer)
				res.DraftReasons = append(res.DraftReasons, c)
			}
			res.SessionsCreated += c.Sessions
			res.Courses = append(res.Courses, c)
		}
		res.Refused = append(append(res.Refused, parseRefused...), refused...)
		slices.SortStableFunc(res.Refused, func(a, b domain.ImportCourse) int { return a.Course - b.Course })
		if len(res.Courses) == 0 {
			return domain.ErrImportNothing(res.Refused)
		}
		if err := tx.CatalogChanged(ctx, append(slices.Clone(res.Created), res.Updated...)...); err != nil {
			return err
		}
		return tx.Audit(ctx, providerID, "offer.import", "offer", "", map[string]int{"created": len(res.Created), "updated": len(res.Updated),
			"drafts": len(res.Drafts), "refused": len(res.Refused), "sessions": res.SessionsCreated})
	})
	if err != nil {
		return nil, err
	}
	s.changed(ctx)
	return res, nil
}

// refusedCourse describes a course of a feed that is not imported.
func refusedCourse(e *moochub.Entry, p domain.ImportProblem) domain.ImportCourse {
	return domain.ImportCourse{Course: e.Index + 1, FeedID: e.ID, Title: e.Offer.Title, Pointer: e.Pointer, Problems: []domain.ImportProblem{p}}
}

// importCourse creates or updates the offer of one course of a feed with
// its sessions. A course the catalog's rules refuse (an archived offer, a
// reference that no longer exists) comes back with Offer 0 and its
// problem; those checks run before anything is written, so the
// transaction stays usable on both databases.
func importCourse(ctx context.Context, tx *store.Tx, e *moochub.Entry) (domain.ImportCourse, error) {
	o := e.Offer // a copy: the transaction may run again
	o.Sessions = nil
	c := domain.ImportCourse{Course: e.Index + 1, FeedID: e.ID, Title: o.Title, Pointer: e.Pointer}
	refuse := func(field string, err error) (domain.ImportCourse, error) {
		if domain.ErrorCode(err) == domain.EInternal {
			return c, err
		}
		msg := domain.ErrorMessage(err)
		for _, m := range domain.ErrorFields(err) {
			msg = m
			break
		}
		c.Problems = []domain.ImportProblem{{Pointer: e.FieldPointer(field), Field: field, Message: msg}}
		return c, nil
	}
	id, err := tx.OfferIDByCode(ctx, o.ProviderID, o.Code)
	if err != nil {
		return c, err
	}
	var existing *domain.Offer
	if id != 0 {
		if existing, err = tx.LockOffer(ctx, id); err != nil {
			return c, err
		}
		if err := tx.LoadOfferDetails(ctx, []*domain.Offer{existing}); err != nil {
			return c, err
		}
		domain.MergeImported(&o, existing)
	}
	problems := domain.DraftProblems(&o, e.FieldPointer)
	if o.Status, err = domain.ImportedStatus(existing, &o); err != nil {
		return refuse("", err)
	}
	refs, err := tx.OfferRefs(ctx, &o)
	if err != nil {
		return c, err
	}
	if err := o.CheckRefs(refs); err != nil {
		return refuse("", err)
	}
	o.ReviewComment = ""
	if existing != nil {
		o.ReviewComment = existing.ReviewComment
	}
	if o.Status == domain.OfferDraft {
		o.ReviewComment = domain.ImportDraftCommentFor(problems)
		c.Problems = problems
	}
	if existing == nil {
		if err := tx.InsertOffer(ctx, &o); err != nil {
			return c, err
		}
		c.Created = true
	} else {
		o.ID = id
		if err := tx.UpdateOffer(ctx, &o); err != nil {
			return c, err
		}
	}
	c.Offer, c.Status = o.ID, o.Status
	for _, n := range e.Notes {
		c.Notes = append(c.Notes, domain.ImportProblem{Pointer: n.Pointer, Message: n.Message})
	}
	// The feed's future runs, each once.
	for _, run := range e.Sessions {
		ses := run.Session
		ses.OfferID = o.ID
		if existing != nil && slices.ContainsFunc(existing.Sessions, func(x domain.Session) bool { return x.StartsAt.Equal(ses.StartsAt) }) {
			continue
		}
		if !ses.Online {
			ags, err := tx.PlaceAGS(ctx, ses.Place, run.Postcode)
			if err != nil {
				return c, err
			}
			if ags == "" {
				c.Notes = append(c.Notes, domain.ImportProblem{Pointer: run.Pointer, Field: "sessions",
					Message: fmt.Sprintf("Den Ort „%s“ gibt es im Gemeindeverzeichnis nicht; der Termin wurde nicht übernommen.", ses.Place)})
				continue
			}
			ses.AGS = ags
		}
		if err := ses.Validate(tx.Now()); err != nil {
			msg := domain.ErrorMessage(err)
			for _, m := range domain.ErrorFields(err) {
				msg = m
				break
			}
			c.Notes = append(c.Notes, domain.ImportProblem{Pointer: run.Pointer, Field: "sessions", Message: "Der Termin wurde nicht übernommen: " + msg})
			continue
		}
		if err := tx.InsertSession(ctx, &ses); err != nil {
			return c, err
		}
		if run.CapacityGuessed && !ses.Online {
			c.Notes = append(c.Notes, domain.ImportProblem{Pointer: run.Pointer, Field: "sessions",
				Message: fmt.Sprintf("Der Feed nennt keine Zahl der Plätze; angenommen: %d. Bitte prüfen Sie den Termin.", ses.Capacity)})
		}
		c.Sessions++
	}
	return c, tx.Audit(ctx, o.ProviderID, "offer.import_course", "offer", o.ID, map[string]any{"code": o.Code, "status": o.Status,
		"created": c.Created, "sessions": c.Sessions})
}

// importError turns a MOOChub parse error into the answer a provider sees.
func importError(err error) error {
	var me *moochub.Error
	if errors.As(err, &me) {
		where := me.Pointer
		if me.Line > 0 {
			where = fmt.Sprintf("Zeile %d, Spalte %d", me.Line, me.Column)
		}
		msg := me.Message
		if where != "" {
			msg = where + ": " + msg
		}
		return &domain.Error{Code: domain.EInvalid, Message: "Der Feed ist fehlerhaft, nichts wurde übernommen. " + msg,
			Fields: map[string]string{"file": msg}, Err: err}
	}
	return err
}

// importDefaults fills what other platforms' feeds often leave out, with the
// values most MOOCs have; the provider sees and corrects them in the review.
func importDefaults(o *domain.Offer) {
	if o.Certificate == "" {
		o.Certificate = domain.CertParticipation
	}
	if o.Level == "" {
		o.Level = domain.LevelBasic
	}
	if o.Format == "" {
		o.Format = domain.FormatSelfPaced
	}
	if o.Language == "" {
		o.Language = "de"
	}
	if strings.TrimSpace(o.Code) == "" {
		sum := sha256.Sum256([]byte(o.Title))
		o.Code = "import-" + hex.EncodeToString(sum[:5])
	}
	if o.FundingTracks == nil {
		o.FundingTracks = []string{}
	}
}

// Found is a page of search results with the offers and facet labels.
type Found struct {
	search.Result
	// Items are the page's offers as the list shows them, in the order
	// of the hits.
	Items []*Item
	// Label gives the German label of a facet value.
	Label func(facet, value string) string
}

// Find searches the published offers. It answers from the searcher's
// memory alone: the page's offers and the facet labels are kept beside the
// index, so a search asks the database nothing.
func (s *Service) Find(ctx context.Context, q search.Query) (*Found, error) {
	res, err := s.Search(ctx, q)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return &Found{Result: res, Items: s.Items(ids), Label: s.facetLabel}, nil
}

// facetLabel gives the German label of a facet value.
func (s *Service) facetLabel(f, v string) string {
	switch f {
	case "provider", "competence":
		if l := s.Label(f, v); l != "" {
			return l
		}
	case "region":
		if v == "online" {
			return "Online"
		}
		if l := s.Label(f, v); l != "" {
			return l
		}
	case "date":
		for _, b := range search.DateBuckets {
			if b.Key == v {
				return b.Label
			}
		}
	case "price":
		for _, b := range search.PriceBuckets {
			if b.Key == v {
				return b.Label
			}
		}
	case "funding":
		if l := s.Label(f, v); l != "" {
			return l
		}
		switch {
		case strings.HasSuffix(v, "/basis"):
			return "Basisqualifizierung (Förderprogramm)"
		case strings.HasSuffix(v, "/advanced"):
			return "Aufbauprogramm (Förderprogramm)"
		}
	case "format", "level", "certificate", "language":
		return domain.OfferLabel(v)
	}
	return v
}

// createOffer inserts o in review, after checking what it refers to.
func createOffer(ctx context.Context, tx *store.Tx, o *domain.Offer) error {
	refs, err := tx.OfferRefs(ctx, o)
	if err != nil {
		return err
	}
	if err := o.CheckRefs(refs); err != nil {
		return err
	}
	o.Status, o.ReviewComment = domain.OfferInReview, ""
	if err := tx.InsertOffer(ctx, o); err != nil {
		return err
	}
	return tx.Audit(ctx, o.ProviderID, "offer.create", "offer", o.ID, map[string]string{"title": o.Title, "status": o.Status})
}

// addSession adds ses to the locked offer o; bump reports whether the
// published catalog changed.
func addSession(ctx context.Context, tx *store.Tx, o *domain.Offer, ses *domain.Session) (bump bool, err error) {
	if err := ses.Validate(tx.Now()); err != nil {
		return false, err
	}
	if ses.AGS != "" {
		if ok, err := tx.IsMunicipality(ctx, ses.AGS); err != nil {
			return false, err
		} else if !ok {
			return false, domain.ErrSessionPlace
		}
	}
	if err := tx.InsertSession(ctx, ses); err != nil {
		return false, err
	}
	if o.Status == domain.OfferPublished {
		bump = true
		if err := tx.CatalogChanged(ctx, o.ID); err != nil {
			return false, err
		}
	}
	return bump, tx.Audit(ctx, o.ProviderID, "session.create", "session", ses.ID, map[string]any{"offer": o.ID, "starts_at": ses.StartsAt})
}

// review publishes offer id or returns it with comment.
func review(ctx context.Context, tx *store.Tx, id int64, publish bool, comment string) error {
	o, err := tx.LockOffer(ctx, id)
	if err != nil {
		return err
	}
	if !domain.OfferStatus(o.Status).Reviewable() {
		return domain.ErrOfferNotInReview(o.Status)
	}
	to, action := domain.OfferReturned, "offer.return"
	if publish {
		to, action = domain.OfferPublished, "offer.publish"
	}
	if err := tx.SetOfferStatus(ctx, id, to, comment); err != nil {
		return err
	}
	if publish {
		if err := tx.CatalogChanged(ctx, id); err != nil {
			return err
		}
	}
	return tx.Audit(ctx, o.ProviderID, action, "offer", id, map[string]string{"comment": comment})
}

// The operator's way in: the demo data, the command line and tests set up
// offers with these. They run the same transactions as the service's
// methods but ask no policy (like directory.Import), and leave the index to
// the catalog-index job.

// CreateOffer creates an offer in review.
func CreateOffer(ctx context.Context, db *store.DB, o *domain.Offer) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.Transact(ctx, func(tx *store.Tx) error { return createOffer(ctx, tx, o) })
}

// AddSession adds a dated run to an offer.
func AddSession(ctx context.Context, db *store.DB, ses *domain.Session) error {
	return db.Transact(ctx, func(tx *store.Tx) error {
		o, err := tx.LockOffer(ctx, ses.OfferID)
		if err != nil {
			return err
		}
		_, err = addSession(ctx, tx, o, ses)
		return err
	})
}

// ReviewOffer publishes an offer in review, or returns it with a comment.
func ReviewOffer(ctx context.Context, db *store.DB, id int64, publish bool, comment string) error {
	comment = strings.TrimSpace(comment)
	if !publish && comment == "" {
		return domain.ErrReviewComment
	}
	return db.Transact(ctx, func(tx *store.Tx) error { return review(ctx, tx, id, publish, comment) })
}
