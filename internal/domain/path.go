package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Path statuses: a draft is seen by its editors only.
const (
	PathDraft     = "draft"
	PathPublished = "published"
)

// Step kinds.
const (
	StepOffer  = "offer"  // one given offer
	StepChoice = "choice" // offers of a list, or any offer matching the step's track and competence
	StepEvent  = "event"  // a networking event; an event organiser confirms the participation
)

// Step states for a person.
const (
	StepDone   = "done"   // attended with certificate (an event: participation confirmed)
	StepBooked = "booked" // enough booked places to complete it
	StepNext   = "next"   // its prerequisites are done: the person's next step
	StepOpen   = "open"   // waits for prerequisites
)

// StepStateLabel is the German name of a step state.
func StepStateLabel(s string) string {
	switch s {
	case StepDone:
		return "abgeschlossen"
	case StepBooked:
		return "gebucht"
	case StepNext:
		return "als Nächstes"
	}
	return "offen"
}

// StepKindLabel is the German name of a step kind.
func StepKindLabel(k string) string {
	switch k {
	case StepOffer:
		return "Angebot"
	case StepChoice:
		return "Auswahl"
	case StepEvent:
		return "Vernetzungstreffen"
	}
	return k
}

// Path is a learning path: steps in order, each with the steps that must
// be done first, owned by the platform (OwnerOrgID 0) or an association.
type Path struct {
	ID          int64      `json:"id"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	OwnerOrgID  int64      `json:"owner_org_id,omitempty"`
	OwnerName   string     `json:"owner_name,omitempty"`
	Status      string     `json:"status"`
	Steps       []PathStep `json:"steps"`
	// ShippedKey names a path the platform installs itself ("" otherwise).
	ShippedKey string    `json:"-"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// PathStep is one step of a path. A step is numbered by its position
// (1-based); Requires lists the numbers of the steps to be done first.
//
// Which offers complete a step: for StepOffer the one offer of OfferIDs;
// for StepChoice the offers of OfferIDs and, when Track, Area or Code is
// given, any offer funded by Track ("programme/track") that teaches Code
// (or a competence of Area) at MinLevel or above. MinCount offers must be
// done (at least 1); with DistinctAreas they must teach MinCount different
// competence areas.
type PathStep struct {
	Title         string  `json:"title"`
	Kind          string  `json:"kind"`
	OfferIDs      []int64 `json:"offer_ids,omitempty"`
	Track         string  `json:"track,omitempty"`
	Area          string  `json:"area,omitempty"`
	Code          string  `json:"code,omitempty"`
	MinLevel      int     `json:"min_level,omitempty"`
	MinCount      int     `json:"min_count,omitempty"`
	DistinctAreas bool    `json:"distinct_areas,omitempty"`
	Requires      []int   `json:"requires,omitempty"`
}

// Units is how many offers (or events) the step takes: its weight in the
// progress.
func (st PathStep) Units() int {
	if st.Kind == StepChoice && st.MinCount > 1 {
		return st.MinCount
	}
	return 1
}

// Errors of learning paths.
var (
	ErrPathNotFound  = &Error{Code: ENotFound, Message: "Diesen Lernpfad gibt es nicht."}
	ErrPathForbidden = &Error{Code: EForbidden, Message: "Lernpfade bearbeiten nur die Plattformverwaltung und die Verbände, denen sie gehören."}
	ErrPathNotJoined = &Error{Code: ENotFound, Message: "Sie folgen diesem Lernpfad nicht."}
	ErrPathNotEvent  = &Error{Code: EInvalid, Message: "Dieser Schritt ist kein Vernetzungstreffen."}
	ErrPathNotMember = &Error{Code: ENotFound, Message: "Diese Person folgt dem Lernpfad nicht."}
	ErrPathDraftJoin = &Error{Code: EConflict, Message: "Einem Lernpfad im Entwurf kann man nicht folgen."}
	// ErrPathCertRevokeForbidden answers a revocation by someone else.
	ErrPathCertRevokeForbidden = &Error{Code: EForbidden, Message: "Lernpfad-Zertifikate widerrufen die Plattformverwaltung und der Verband, dem der Lernpfad gehört."}
)

// Validate checks a path and tidies its text; the messages name the field
// ("steps.2.title" for the second step's title).
func (p *Path) Validate() error {
	v := Validation{}
	p.Title = strings.TrimSpace(p.Title)
	p.Description = strings.TrimSpace(p.Description)
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		v.Add("title", "Bitte geben Sie einen Titel an.")
	case n > 200:
		v.Add("title", "Der Titel darf höchstens 200 Zeichen lang sein.")
	}
	if utf8.RuneCountInString(p.Description) > 5000 {
		v.Add("description", "Die Beschreibung darf höchstens 5000 Zeichen lang sein.")
	}
	if p.Status == "" {
		p.Status = PathDraft
	}
	if p.Status != PathDraft && p.Status != PathPublished {
		v.Add("status", "Bitte wählen Sie Entwurf oder veröffentlicht.")
	}
	switch {
	case len(p.Steps) == 0:
		v.Add("steps", "Bitte geben Sie mindestens einen Schritt an.")
	case len(p.Steps) > 30:
		v.Add("steps", "Ein Lernpfad hat höchstens 30 Schritte.")
	}
	for i := range p.Steps {
		p.Steps[i].validate(i+1, v)
	}
	return v.Err()
}

func (st *PathStep) validate(n int, v Validation) {
	f := func(name string) string { return fmt.Sprintf("steps.%d.%s", n, name) }
	st.Title = strings.TrimSpace(st.Title)
	st.Track, st.Area, st.Code = strings.TrimSpace(st.Track), strings.ToUpper(strings.TrimSpace(st.Area)), strings.ToUpper(strings.TrimSpace(st.Code))
	switch l := utf8.RuneCountInString(st.Title); {
	case l == 0:
		v.Add(f("title"), fmt.Sprintf("Bitte geben Sie dem %d. Schritt einen Titel.", n))
	case l > 200:
		v.Add(f("title"), "Der Titel eines Schritts darf höchstens 200 Zeichen lang sein.")
	}
	switch st.Kind {
	case StepOffer:
		if len(st.OfferIDs) != 1 || st.OfferIDs[0] <= 0 {
			v.Add(f("offer_ids"), "Bitte geben Sie genau ein Angebot an.")
		}
	case StepChoice:
		if len(st.OfferIDs) == 0 && st.Track == "" && st.Area == "" && st.Code == "" {
			v.Add(f("offer_ids"), "Bitte geben Sie Angebote, eine Förderlinie oder eine Kompetenz an.")
		}
		for _, id := range st.OfferIDs {
			if id <= 0 {
				v.Add(f("offer_ids"), "Die Angebotsnummern müssen positive Zahlen sein.")
				break
			}
		}
		if st.MinCount < 0 || st.MinCount > 10 {
			v.Add(f("min_count"), "Die Mindestzahl muss zwischen 1 und 10 liegen.")
		}
		if st.MinCount == 0 {
			st.MinCount = 1
		}
		if st.Track != "" && !strings.Contains(st.Track, "/") {
			v.Add(f("track"), "Bitte geben Sie die Förderlinie als „Programm/Linie“ an.")
		}
	case StepEvent:
		st.OfferIDs, st.Track, st.Area, st.Code, st.MinLevel, st.MinCount, st.DistinctAreas = nil, "", "", "", 0, 0, false
	default:
		v.Add(f("kind"), "Bitte wählen Sie die Art des Schritts: Angebot, Auswahl oder Vernetzungstreffen.")
	}
	if st.MinLevel < 0 || st.MinLevel > CompetenceExpert {
		v.Add(f("min_level"), "Die Mindeststufe muss zwischen 0 und 3 liegen.")
	}
	if st.Area != "" && st.Code != "" && !strings.HasPrefix(st.Code, st.Area) {
		v.Add(f("code"), "Die Kompetenz gehört nicht zum angegebenen Bereich.")
	}
	slices.Sort(st.Requires)
	st.Requires = slices.Compact(st.Requires)
	for _, r := range st.Requires {
		if r < 1 || r >= n {
			v.Add(f("requires"), "Voraussetzungen können nur frühere Schritte sein.")
			break
		}
	}
}

// PathBooking is one of a person's bookings as a path sees it: which offer,
// how far (booked or completed), the certificate if completed, and what the
// offer teaches and which tracks fund it.
type PathBooking struct {
	BookingID     int64             `json:"booking_id"`
	OfferID       int64             `json:"offer_id"`
	Offer         string            `json:"offer"`
	Status        BookingStatus     `json:"status"`
	CertificateID string            `json:"certificate_id,omitempty"` // a valid (unrevoked) certificate
	Competences   []OfferCompetence `json:"-"`
	FundingTracks []string          `json:"-"`
	Start         time.Time         `json:"start"`
}

// Done reports whether the booking counts as done: completed with a valid
// certificate.
func (b PathBooking) Done() bool { return b.Status == BookingCompleted && b.CertificateID != "" }

// Matches reports whether an offer (its ID, competences and funding
// tracks) completes the step.
func (st PathStep) Matches(offerID int64, comps []OfferCompetence, tracks []string) bool {
	if slices.Contains(st.OfferIDs, offerID) {
		return true
	}
	if st.Kind != StepChoice || (st.Track == "" && st.Area == "" && st.Code == "") {
		return false
	}
	if st.Track != "" && !slices.Contains(tracks, st.Track) {
		return false
	}
	if st.Area == "" && st.Code == "" {
		return st.MinLevel == 0 || slices.ContainsFunc(comps, func(c OfferCompetence) bool { return c.Level >= st.MinLevel })
	}
	return slices.ContainsFunc(comps, func(c OfferCompetence) bool { return st.teaches(c) })
}

func (st PathStep) teaches(c OfferCompetence) bool {
	if c.Level < st.MinLevel {
		return false
	}
	if st.Code != "" {
		return c.Code == st.Code || strings.HasPrefix(c.Code, st.Code+".")
	}
	return st.Area == "" || CompetenceArea(c.Code) == st.Area
}

// CompetenceArea is the area of a competence code: "DS" of "DS.2".
func CompetenceArea(code string) string {
	if i := strings.IndexByte(code, '.'); i >= 0 {
		return code[:i]
	}
	return code
}

// areas are the competence areas an offer counts for in the step.
func (st PathStep) areas(comps []OfferCompetence) []string {
	var out []string
	for _, c := range comps {
		if (st.Area != "" || st.Code != "" || st.MinLevel > 0) && !st.teaches(c) {
			continue
		}
		if a := CompetenceArea(c.Code); !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// StepProgress is a step with a person's state in it.
type StepProgress struct {
	Number int      `json:"number"`
	Step   PathStep `json:"step"`
	State  string   `json:"state"`
	// Need is the step's units; Done and Booked how many of them are done,
	// and done or booked.
	Need   int `json:"need"`
	Done   int `json:"done"`
	Booked int `json:"booked"`
	// Bookings are the bookings that count for the step.
	Bookings         []PathBooking `json:"bookings"`
	EventConfirmedAt *time.Time    `json:"event_confirmed_at,omitempty"`
}

// PathProgress is a person's progress on a path.
type PathProgress struct {
	Path      *Path          `json:"-"`
	Steps     []StepProgress `json:"steps"`
	Units     int            `json:"units"`
	DoneUnits int            `json:"done_units"`
	// Percent is DoneUnits of Units, rounded down: a choice of two offers
	// counts as two units, one done offer of it as one.
	Percent int `json:"percent"`
}

// Complete reports whether every step is done.
func (pp *PathProgress) Complete() bool {
	for _, s := range pp.Steps {
		if s.State != StepDone {
			return false
		}
	}
	return len(pp.Steps) > 0
}

// NextSteps are the steps in state next.
func (pp *PathProgress) NextSteps() []StepProgress {
	var out []StepProgress
	for _, s := range pp.Steps {
		if s.State == StepNext {
			out = append(out, s)
		}
	}
	return out
}

// Progress evaluates a path for a person from their bookings (any order;
// cancelled ones are ignored) and the confirmed events (step number →
// time). Steps are evaluated in order and a booking counts for the first
// step it matches only, so one course does not complete two steps.
func (p *Path) Progress(bookings []PathBooking, events map[int]time.Time) *PathProgress {
	pp := &PathProgress{Path: p, Steps: make([]StepProgress, len(p.Steps))}
	used := map[int64]bool{}
	sorted := slices.Clone(bookings)
	// Done bookings first, then the earliest: a step takes what is done.
	slices.SortStableFunc(sorted, func(a, b PathBooking) int {
		if a.Done() != b.Done() {
			if a.Done() {
				return -1
			}
			return 1
		}
		return a.Start.Compare(b.Start)
	})
	for i, st := range p.Steps {
		sp := StepProgress{Number: i + 1, Step: st, Need: st.Units(), Bookings: []PathBooking{}}
		if st.Kind == StepEvent {
			if at, ok := events[i+1]; ok {
				sp.Done, sp.Booked, sp.EventConfirmedAt = 1, 1, &at
			}
		} else {
			var done, booked []PathBooking
			for _, b := range sorted {
				if used[b.BookingID] || b.Status == BookingCancelled || !st.Matches(b.OfferID, b.Competences, b.FundingTracks) {
					continue
				}
				booked = append(booked, b)
				if b.Done() {
					done = append(done, b)
				}
			}
			sp.Done = min(st.count(done), sp.Need)
			sp.Booked = min(st.count(booked), sp.Need)
			// Count the bookings that make up the step as used.
			for _, b := range booked {
				if len(sp.Bookings) >= sp.Need && !st.DistinctAreas {
					break
				}
				sp.Bookings = append(sp.Bookings, b)
				used[b.BookingID] = true
			}
		}
		pp.Steps[i] = sp
	}
	for i := range pp.Steps {
		sp := &pp.Steps[i]
		ready := true
		for _, r := range sp.Step.Requires {
			if r >= 1 && r <= len(pp.Steps) && pp.Steps[r-1].Done < pp.Steps[r-1].Need {
				ready = false
			}
		}
		switch {
		case sp.Done >= sp.Need:
			sp.State = StepDone
		case sp.Booked >= sp.Need:
			sp.State = StepBooked
		case ready:
			sp.State = StepNext
		default:
			sp.State = StepOpen
		}
		pp.Units += sp.Need
		pp.DoneUnits += sp.Done
	}
	if pp.Units > 0 {
		pp.Percent = pp.DoneUnits * 100 / pp.Units
	}
	return pp
}

// count is how many units the bookings make for the step: their number,
// or with DistinctAreas the largest number of them that teach pairwise
// different areas (a matching of bookings to areas).
func (st PathStep) count(bs []PathBooking) int {
	if !st.DistinctAreas {
		return len(bs)
	}
	owner := map[string]int{} // area → index of the booking it is matched to
	var try func(i int, seen map[string]bool) bool
	try = func(i int, seen map[string]bool) bool {
		for _, a := range st.areas(bs[i].Competences) {
			if seen[a] {
				continue
			}
			seen[a] = true
			if j, ok := owner[a]; !ok || try(j, seen) {
				owner[a] = i
				return true
			}
		}
		return false
	}
	n := 0
	for i := range bs {
		if try(i, map[string]bool{}) {
			n++
		}
	}
	return n
}

// PathMember is a person following a path.
type PathMember struct {
	PathID      int64      `json:"path_id"`
	PersonID    int64      `json:"person_id"`
	Name        string     `json:"name"`
	Email       string     `json:"email,omitempty"`
	JoinedAt    time.Time  `json:"joined_at"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
}

// PathCertificate is the composite certificate of a completed path: the
// path is the achievement, the certificates of its steps the evidence.
type PathCertificate struct {
	ID               string                `json:"id"`
	PathID           int64                 `json:"path_id"`
	PersonID         int64                 `json:"person_id"`
	Participant      string                `json:"participant"`
	ParticipantEmail string                `json:"-"`
	Path             string                `json:"path"`
	Owner            string                `json:"owner,omitempty"`
	Steps            []PathCertificateStep `json:"steps"`
	Issued           time.Time             `json:"issued"`
	RevokedAt        *time.Time            `json:"revoked_at,omitempty"`
	RevokeReason     string                `json:"revoke_reason,omitempty"`
	KeyID            string                `json:"kid"`
	JWT              string                `json:"-"`
	OwnerOrgID       int64                 `json:"-"`
}

// PathCertificateStep is a step of a completed path with what it rests on:
// the certificates of its offers, or the confirmed event.
type PathCertificateStep struct {
	Title          string     `json:"title"`
	CertificateIDs []string   `json:"certificate_ids,omitempty"`
	Offers         []string   `json:"offers,omitempty"`
	EventAt        *time.Time `json:"event_at,omitempty"`
}
