// Package pilots runs the directory of digital pilots (Digitallotsen) and
// their project briefs: a person with the programme's base qualification
// enters themselves with their consent, under one of their municipalities,
// with topics, what they can help with and how to reach them; members of
// municipalities and associations search the directory by words, topic and
// district and see it on the state's map; pilots publish short project
// briefs. Each method takes the actor from the context, asks authz, applies
// the domain rules and writes through store in one transaction with its
// audit entry (and mail). It holds no SQL and no HTTP.
package pilots

import (
	"context"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/geo"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Contact form limits: messages one person may send per hour.
const (
	ContactLimit  = 5
	ContactWindow = time.Hour
)

// Service runs the directory's use cases.
type Service struct {
	db     *store.DB
	notify *notify.Notifier
	// discuss starts a brief's thread in the members' space (discuss.go).
	discuss Discussions
	counts  countsCache
}

// countsCache keeps the district counts of the directory in memory as long
// as their version in the database stays the same (issue 14: reading and
// joining them was two fifths of /lotsen). The version is read on every
// use, so every instance sees a change at once.
type countsCache struct {
	mu      sync.Mutex
	version int64
	// byState holds the counts per state of the map shown (a viewer's
	// own state); the slices are shared: callers only read them.
	byState map[string][]domain.DistrictCount
}

// New returns the service.
func New(db *store.DB, n *notify.Notifier) *Service { return &Service{db: db, notify: n} }

// check asks the policy for act on res with the actor of ctx.
func check(ctx context.Context, act authz.Action, res authz.Resource) error {
	return authz.Check(domain.ActorFrom(ctx), act, res)
}

// Framework is the competence framework the topics come from.
func (s *Service) Framework(ctx context.Context) ([]domain.Competence, error) {
	return s.db.Competences(ctx)
}

// names maps codes to names.
func names(framework []domain.Competence, codes []string) []string {
	byCode := map[string]string{}
	for _, c := range framework {
		byCode[c.Code] = c.Name
	}
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if n := byCode[c]; n != "" {
			out = append(out, n)
		} else {
			out = append(out, c)
		}
	}
	return out
}

// HasBaseQualification reports whether the person holds the base
// qualification of an open programme (domain.BaseQualified, the rule the
// recommendations use too).
func (s *Service) HasBaseQualification(ctx context.Context, personID int64) (bool, error) {
	progs, err := s.db.Programmes(ctx)
	if err != nil {
		return false, err
	}
	var tracks []string
	for _, p := range progs {
		if b := p.BaseTrack(); p.Open && b != "" {
			tracks = append(tracks, b)
		}
	}
	if len(tracks) == 0 {
		return false, nil
	}
	certs, err := s.db.BaseCertificates(ctx, personID, tracks)
	if err != nil {
		return false, err
	}
	for i := range progs {
		if progs[i].Open && domain.BaseQualified(&progs[i], certs) {
			return true, nil
		}
	}
	return false, nil
}

// Standing is what the own-entry page needs: whether the person may enter,
// their municipalities and their entry (nil if none).
type Standing struct {
	HasBase        bool
	Municipalities []domain.Organisation
	Entry          *domain.PilotEntry
	// ConsentGiven is when the person consented (zero: no consent on record).
	ConsentGiven time.Time
}

// MyStanding returns the actor's standing for the own-entry page.
func (s *Service) MyStanding(ctx context.Context) (st *Standing, err error) {
	defer domain.Wrap(&err, "pilots.MyStanding")
	a := domain.ActorFrom(ctx)
	if err := check(ctx, authz.PilotEntryEdit, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return nil, err
	}
	st = &Standing{}
	if st.HasBase, err = s.HasBaseQualification(ctx, a.PersonID()); err != nil {
		return nil, err
	}
	if st.Municipalities, err = s.db.PilotMunicipalities(ctx, a.PersonID()); err != nil {
		return nil, err
	}
	e, err := s.db.PilotEntryByPerson(ctx, a.PersonID())
	switch {
	case err == nil:
		st.Entry = e
		if fw, err := s.Framework(ctx); err == nil {
			e.TopicNames = names(fw, e.Topics)
		}
	case domain.ErrorCode(err) != domain.ENotFound:
		return nil, err
	}
	cs, err := s.db.PilotConsents(ctx, a.PersonID())
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Event == "given" {
			st.ConsentGiven = c.At
		}
	}
	return st, nil
}

// MyEntry returns the actor's entry; domain.ErrPilotNoEntry if none.
func (s *Service) MyEntry(ctx context.Context) (e *domain.PilotEntry, err error) {
	defer domain.Wrap(&err, "pilots.MyEntry")
	a := domain.ActorFrom(ctx)
	if err := check(ctx, authz.PilotEntryEdit, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return nil, err
	}
	e, err = s.db.PilotEntryByPerson(ctx, a.PersonID())
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, domain.ErrPilotNoEntry
	}
	if err != nil {
		return nil, err
	}
	fw, err := s.Framework(ctx)
	if err != nil {
		return nil, err
	}
	e.TopicNames = names(fw, e.Topics)
	return e, nil
}

// searchText is what the directory's words search: name, municipality,
// help text, tags and topic names, in lower case.
func searchText(e *domain.PilotEntry) string {
	parts := []string{e.Name, e.OrgName, e.Help}
	parts = append(parts, e.Tags...)
	parts = append(parts, e.TopicNames...)
	return strings.ToLower(strings.Join(parts, " "))
}

// SaveMyEntry creates or replaces the actor's entry. It needs the base
// qualification, one of the actor's municipalities and the consent; the
// first save records the consent.
func (s *Service) SaveMyEntry(ctx context.Context, in domain.PilotEntryInput) (e *domain.PilotEntry, err error) {
	defer domain.Wrap(&err, "pilots.SaveMyEntry")
	a := domain.ActorFrom(ctx)
	if err := check(ctx, authz.PilotEntryEdit, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return nil, err
	}
	fw, err := s.Framework(ctx)
	if err != nil {
		return nil, err
	}
	munis, err := s.db.PilotMunicipalities(ctx, a.PersonID())
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, m := range munis {
		ids = append(ids, m.ID)
	}
	in.Normalize()
	if err := in.Validate(fw, ids); err != nil {
		return nil, err
	}
	// Input is checked first, so that a client learns about its mistakes
	// even before the person qualifies.
	base, err := s.HasBaseQualification(ctx, a.PersonID())
	if err != nil {
		return nil, err
	}
	if !base {
		return nil, domain.ErrPilotNoBase
	}
	var org domain.Organisation
	for _, m := range munis {
		if m.ID == in.OrgID {
			org = m
		}
	}
	e = &domain.PilotEntry{PersonID: a.PersonID(), Name: a.Person.Name, OrgID: org.ID, OrgName: org.Name, AGS: org.AGS, District: district(org.AGS),
		Topics: in.Topics, TopicNames: names(fw, in.Topics), Tags: in.Tags, Help: in.Help, Contact: in.Contact, Phone: in.Phone, Hidden: in.Hidden}
	if e.Contact != domain.ContactPhone {
		e.Phone = ""
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		_, err := tx.PilotEntryByPerson(ctx, a.PersonID())
		fresh := domain.ErrorCode(err) == domain.ENotFound
		if err != nil && !fresh {
			return err
		}
		if err := tx.SavePilotEntry(ctx, e, domain.PilotTopicKeys(fw, e.Topics, e.Tags), domain.SearchTokens(searchText(e)), searchText(e)); err != nil {
			return err
		}
		detail := map[string]any{"hidden": e.Hidden, "topics": len(e.Topics), "tags": len(e.Tags)}
		if fresh {
			if err := tx.GivePilotConsent(ctx, a.PersonID(), domain.PilotConsentVersion); err != nil {
				return err
			}
			err = tx.Audit(ctx, org.ID, "pilot_entry.create", "pilot_entry", e.ID, detail)
		} else {
			err = tx.Audit(ctx, org.ID, "pilot_entry.update", "pilot_entry", e.ID, detail)
		}
		if err != nil {
			return err
		}
		e, err = tx.PilotEntryByPerson(ctx, a.PersonID())
		return err
	})
	if err != nil {
		return nil, err
	}
	e.TopicNames = names(fw, e.Topics)
	return e, nil
}

// district is the district's AGS (5 digits) of an AGS.
func district(ags string) string {
	if len(ags) >= 5 {
		return ags[:5]
	}
	return ags
}

// DeleteMyEntry removes the actor's entry: the consent record keeps only
// the withdrawal, and published project briefs go back to drafts.
func (s *Service) DeleteMyEntry(ctx context.Context) (err error) {
	defer domain.Wrap(&err, "pilots.DeleteMyEntry")
	a := domain.ActorFrom(ctx)
	if err := check(ctx, authz.PilotEntryEdit, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		e, err := tx.PilotEntryByPerson(ctx, a.PersonID())
		if domain.ErrorCode(err) == domain.ENotFound {
			return domain.ErrPilotNoEntry
		}
		if err != nil {
			return err
		}
		if err := tx.DeletePilotEntry(ctx, a.PersonID()); err != nil {
			return err
		}
		if err := tx.WithdrawPilotConsent(ctx, a.PersonID()); err != nil {
			return err
		}
		n, err := tx.UnpublishProjectBriefs(ctx, a.PersonID())
		if err != nil {
			return err
		}
		return tx.Audit(ctx, e.OrgID, "pilot_entry.delete", "pilot_entry", e.ID, map[string]any{"briefs_unpublished": n})
	})
}

// shown removes what the entry's contact preference keeps private.
func shown(e *domain.PilotEntry, fw []domain.Competence) {
	e.TopicNames = names(fw, e.Topics)
	if e.Contact != domain.ContactEmail {
		e.Email = ""
	}
	if e.Contact != domain.ContactPhone {
		e.Phone = ""
	}
}

// cursor encodes the (name, id) a page ends with.
func cursor(name string, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(name + "\x00" + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (string, int64, error) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", 0, domain.ErrBadCursor
	}
	name, id, ok := strings.Cut(string(raw), "\x00")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n <= 0 {
		return "", 0, domain.ErrBadCursor
	}
	return name, n, nil
}

// topicKey turns a topic filter into its search key: a framework code as
// it is, anything else as a tag.
func topicKey(fw []domain.Competence, topic string) string {
	if topic == "" {
		return ""
	}
	for _, c := range fw {
		if c.Code == topic {
			return topic
		}
	}
	return domain.PilotTagKey(topic)
}

// Search pages through the visible entries by name.
func (s *Service) Search(ctx context.Context, f domain.PilotFilter) (pg *domain.PilotPage, err error) {
	defer domain.Wrap(&err, "pilots.Search")
	if err := check(ctx, authz.PilotsView, authz.Resource{}); err != nil {
		return nil, err
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	fw, err := s.Framework(ctx)
	if err != nil {
		return nil, err
	}
	q := store.PilotQuery{Words: domain.SearchWords(f.Q), TopicKey: topicKey(fw, f.Topic), District: f.District, Limit: f.Limit + 1}
	if f.Cursor != "" {
		if q.AfterName, q.AfterID, err = decodeCursor(f.Cursor); err != nil {
			return nil, err
		}
	}
	items, err := s.db.SearchPilots(ctx, q)
	if err != nil {
		return nil, err
	}
	pg = &domain.PilotPage{Items: []domain.PilotEntry{}}
	if len(items) > f.Limit {
		items = items[:f.Limit]
		last := items[len(items)-1]
		pg.Next = cursor(last.Name, last.ID)
	}
	for i := range items {
		shown(&items[i], fw)
	}
	pg.Items = append(pg.Items, items...)
	return pg, nil
}

// Entry returns a visible entry; a hidden one only to its owner.
func (s *Service) Entry(ctx context.Context, id int64) (e *domain.PilotEntry, err error) {
	defer domain.Wrap(&err, "pilots.Entry(%d)", id)
	if err := check(ctx, authz.PilotsView, authz.Resource{}); err != nil {
		return nil, err
	}
	e, err = s.db.PilotEntry(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && e.Hidden && e.PersonID != domain.ActorFrom(ctx).PersonID()) {
		return nil, domain.ErrPilotNotFound
	}
	if err != nil {
		return nil, err
	}
	fw, err := s.Framework(ctx)
	if err != nil {
		return nil, err
	}
	shown(e, fw)
	return e, nil
}

// MapState is the state whose map the directory shows: the reader's own
// (their municipality's, or the programmes their association reviews
// for), else the first open programme's ("08" when there is none).
func (s *Service) MapState(ctx context.Context) string {
	var ms []domain.Membership
	if a := domain.ActorFrom(ctx); !a.Anonymous() {
		ms = a.Memberships
	}
	for _, m := range ms {
		switch m.OrgKind {
		case domain.OrgMunicipality:
			if o, err := s.db.Organisation(ctx, m.OrgID); err == nil && len(o.AGS) >= 2 {
				return o.AGS[:2]
			}
		case domain.OrgAssociation:
			if st, err := s.db.AssociationStates(ctx, m.OrgID); err == nil && len(st) > 0 {
				return st[0]
			}
		}
	}
	progs, err := s.db.Programmes(ctx)
	if err == nil {
		for _, p := range progs {
			if p.Open && p.State != "" {
				return p.State
			}
		}
	}
	return "08"
}

// DistrictCounts are the districts of the map's state with the number of
// listed pilots in each (districts without pilots included), by name.
func (s *Service) DistrictCounts(ctx context.Context) (state string, out []domain.DistrictCount, err error) {
	defer domain.Wrap(&err, "pilots.DistrictCounts")
	if err := check(ctx, authz.PilotsView, authz.Resource{}); err != nil {
		return "", nil, err
	}
	v, err := s.db.PilotDistrictCountsVersion(ctx)
	if err != nil {
		return "", nil, err
	}
	state = s.MapState(ctx)
	s.counts.mu.Lock()
	out, ok := s.counts.byState[state]
	if s.counts.version != v {
		ok = false
	}
	s.counts.mu.Unlock()
	if ok {
		return state, out, nil
	}
	// Read after the version: a change in between raises the version
	// again, and the next view reads anew.
	listed, err := s.db.PilotDistrictCounts(ctx)
	if err != nil {
		return "", nil, err
	}
	out = districtCounts(state, listed)
	s.counts.mu.Lock()
	if s.counts.version != v || s.counts.byState == nil {
		s.counts.version, s.counts.byState = v, map[string][]domain.DistrictCount{}
	}
	s.counts.byState[state] = out // at most one per state (16)
	s.counts.mu.Unlock()
	return state, out, nil
}

// districtCounts lists the districts of the state's map with their
// entries, then the other districts with entries, by name.
func districtCounts(state string, listed []store.DistrictEntries) []domain.DistrictCount {
	counts := make(map[string]int, len(listed))
	for _, d := range listed {
		counts[d.District] = d.Entries
	}
	atlas, err := geo.Load(state)
	if err != nil {
		return []domain.DistrictCount{}
	}
	out := make([]domain.DistrictCount, 0, len(atlas.Districts))
	for _, d := range atlas.Districts {
		out = append(out, domain.DistrictCount{District: d.AGS, Name: d.Name, Count: counts[d.AGS]})
	}
	// Districts the map has no shape for (of another state, merged, or
	// the demo's fictional one) are listed by their directory name.
	for _, d := range listed {
		if _, ok := atlas.Lookup(d.District); ok {
			continue
		}
		name := d.Name
		if name == "" {
			name = d.District
		}
		out = append(out, domain.DistrictCount{District: d.District, Name: name, Count: d.Entries})
	}
	slices.SortStableFunc(out, func(a, b domain.DistrictCount) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// senderOrg names the sender's organisation for the pilot: their first
// municipality or association.
func senderOrg(a *domain.Actor) string {
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgMunicipality || m.OrgKind == domain.OrgAssociation {
			return m.OrgName
		}
	}
	return ""
}

// Contact sends the pilot of entry id a message by e-mail, for pilots who
// chose the contact form. The sender's address goes along only when they
// say so; each person may send ContactLimit messages per ContactWindow.
func (s *Service) Contact(ctx context.Context, id int64, c domain.PilotContact) (err error) {
	defer domain.Wrap(&err, "pilots.Contact(%d)", id)
	a := domain.ActorFrom(ctx)
	if err := check(ctx, authz.PilotsView, authz.Resource{}); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return err
	}
	e, err := s.db.PilotEntry(ctx, id)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && e.Hidden) {
		return domain.ErrPilotNotFound
	}
	if err != nil {
		return err
	}
	if e.PersonID == a.PersonID() {
		return domain.ErrPilotSelf
	}
	if e.Contact != domain.ContactForm {
		return domain.ErrPilotNoForm
	}
	if err := s.db.Hit(ctx, "pilot-contact:"+strconv.FormatInt(a.PersonID(), 10), ContactLimit, ContactWindow); err != nil {
		return err
	}
	data := map[string]any{"Name": e.Name, "From": a.Person.Name, "FromOrg": senderOrg(a), "Message": c.Message, "Email": "", "EntryID": e.ID}
	if c.ShareEmail {
		data["Email"] = a.Person.Email
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := s.notify.Enqueue(ctx, tx, e.Email, "pilot-contact", data); err != nil {
			return err
		}
		return tx.Audit(ctx, e.OrgID, "pilot.contact", "pilot_entry", e.ID, map[string]any{"email_shared": c.ShareEmail})
	})
}
