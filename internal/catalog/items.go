package catalog

import (
	"encoding/binary"
	"math"
	"slices"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Item is a published offer as a result list shows it. The searcher keeps
// one per indexed offer, so that a search reads nothing from the database.
type Item struct {
	ID                                   int64
	Title, Summary                       string
	ProviderID                           int64
	ProviderName                         string
	Format, Level, Language, Certificate string
	Hours, Days                          int
	PriceCents                           int64
	Credits                              float64
	Competences                          []domain.OfferCompetence
	FundingTracks                        []string
	// Sessions are those open for registration when the offer was
	// indexed, ascending by start. Booked seats are not kept: the list
	// does not show them, and they change with every booking.
	Sessions []domain.Session
}

// NextSession returns the first session still open for registration at now.
func (it *Item) NextSession(now time.Time) *domain.Session {
	for i := range it.Sessions {
		if it.Sessions[i].RegistrationDeadline.After(now) {
			return &it.Sessions[i]
		}
	}
	return nil
}

func itemOf(o *domain.Offer) *Item {
	it := &Item{ID: o.ID, Title: o.Title, Summary: o.Summary, ProviderID: o.ProviderID, ProviderName: o.ProviderName, Format: o.Format,
		Level: o.Level, Language: o.Language, Certificate: o.Certificate, Hours: o.Hours, Days: o.Days, PriceCents: o.PriceCents,
		Credits: o.Credits, Competences: o.Competences, FundingTracks: o.FundingTracks, Sessions: o.Sessions}
	if it.Competences == nil {
		it.Competences = []domain.OfferCompetence{}
	}
	if it.FundingTracks == nil {
		it.FundingTracks = []string{}
	}
	for i := range it.Sessions {
		it.Sessions[i].Booked, it.Sessions[i].Free = 0, 0
	}
	return it
}

// itemTable holds the items of a base index compactly: at a million offers
// a struct per offer would take more memory than the index. Each item is a
// record of varints in one byte slice; strings that repeat (providers,
// formats, competences, places, and titles and summaries shared by
// variants of a course) are stored once.
type itemTable struct {
	ids  []int64  // ascending
	offs []uint32 // record of ids[i] is data[offs[i]:offs[i+1]]
	data []byte
	strs []string
}

type itemBuilder struct {
	t      itemTable
	strIdx map[string]uint32
}

func newItemBuilder() *itemBuilder {
	return &itemBuilder{t: itemTable{offs: []uint32{0}}, strIdx: map[string]uint32{}}
}

func (b *itemBuilder) str(s string) {
	i, ok := b.strIdx[s]
	if !ok {
		i = uint32(len(b.t.strs))
		b.t.strs = append(b.t.strs, s)
		b.strIdx[s] = i
	}
	b.uint(uint64(i))
}

func (b *itemBuilder) uint(v uint64) { b.t.data = binary.AppendUvarint(b.t.data, v) }
func (b *itemBuilder) int(v int64)   { b.t.data = binary.AppendVarint(b.t.data, v) }

func (b *itemBuilder) time(t time.Time) { b.int(t.Unix()) }

// add appends an item; items must come in ascending ID order.
func (b *itemBuilder) add(it *Item) {
	b.t.ids = append(b.t.ids, it.ID)
	b.str(it.Title)
	b.str(it.Summary)
	b.int(it.ProviderID)
	b.str(it.ProviderName)
	b.str(it.Format)
	b.str(it.Level)
	b.str(it.Language)
	b.str(it.Certificate)
	b.int(int64(it.Hours))
	b.int(int64(it.Days))
	b.int(it.PriceCents)
	b.uint(math.Float64bits(it.Credits))
	b.uint(uint64(len(it.Competences)))
	for _, c := range it.Competences {
		b.str(c.Code)
		b.str(c.Name)
		b.int(int64(c.Level))
	}
	b.uint(uint64(len(it.FundingTracks)))
	for _, f := range it.FundingTracks {
		b.str(f)
	}
	b.uint(uint64(len(it.Sessions)))
	for _, s := range it.Sessions {
		b.int(s.ID)
		b.time(s.StartsAt)
		b.time(s.EndsAt)
		b.time(s.RegistrationDeadline)
		b.int(int64(s.Days))
		b.int(int64(s.Capacity))
		if s.Online {
			b.uint(1)
		} else {
			b.uint(0)
		}
		b.str(s.AGS)
		b.str(s.Place)
		b.str(s.Address)
	}
	b.t.offs = append(b.t.offs, uint32(len(b.t.data)))
}

func (b *itemBuilder) table() *itemTable {
	t := b.t
	t.data = slices.Clip(t.data)
	return &t
}

// get decodes the item id.
func (t *itemTable) get(id int64) (*Item, bool) {
	if t == nil {
		return nil, false
	}
	i, ok := slices.BinarySearch(t.ids, id)
	if !ok {
		return nil, false
	}
	r := reader{data: t.data[t.offs[i]:t.offs[i+1]], strs: t.strs}
	it := &Item{ID: id}
	it.Title = r.str()
	it.Summary = r.str()
	it.ProviderID = r.int()
	it.ProviderName = r.str()
	it.Format = r.str()
	it.Level = r.str()
	it.Language = r.str()
	it.Certificate = r.str()
	it.Hours = int(r.int())
	it.Days = int(r.int())
	it.PriceCents = r.int()
	it.Credits = math.Float64frombits(r.uint())
	it.Competences = make([]domain.OfferCompetence, r.uint())
	for k := range it.Competences {
		it.Competences[k] = domain.OfferCompetence{Code: r.str(), Name: r.str(), Level: int(r.int())}
	}
	it.FundingTracks = make([]string, r.uint())
	for k := range it.FundingTracks {
		it.FundingTracks[k] = r.str()
	}
	if n := r.uint(); n > 0 {
		it.Sessions = make([]domain.Session, n)
		for k := range it.Sessions {
			s := &it.Sessions[k]
			s.OfferID = id
			s.ID = r.int()
			s.StartsAt = r.time()
			s.EndsAt = r.time()
			s.RegistrationDeadline = r.time()
			s.Days = int(r.int())
			s.Capacity = int(r.int())
			s.Online = r.uint() == 1
			s.AGS = r.str()
			s.Place = r.str()
			s.Address = r.str()
		}
	}
	return it, true
}

func (t *itemTable) len() int {
	if t == nil {
		return 0
	}
	return len(t.ids)
}

type reader struct {
	data []byte
	strs []string
}

func (r *reader) uint() uint64 {
	v, n := binary.Uvarint(r.data)
	r.data = r.data[n:]
	return v
}

func (r *reader) int() int64 {
	v, n := binary.Varint(r.data)
	r.data = r.data[n:]
	return v
}

func (r *reader) str() string     { return r.strs[r.uint()] }
func (r *reader) time() time.Time { return time.Unix(r.int(), 0).UTC() }
