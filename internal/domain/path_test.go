package domain_test

import (
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

func pathOf(steps ...domain.PathStep) *domain.Path { return &domain.Path{Title: "P", Steps: steps} }

func booking(id int64, status domain.BookingStatus, cert string, track string, codes ...string) domain.PathBooking {
	b := domain.PathBooking{BookingID: id, OfferID: id, Status: status, CertificateID: cert, FundingTracks: []string{track}}
	for _, c := range codes {
		b.Competences = append(b.Competences, domain.OfferCompetence{Code: c, Level: 2})
	}
	return b
}

// TestPathProgress pins the step states and the percentage.
func TestPathProgress(t *testing.T) {
	basis := domain.PathStep{Title: "Basis", Kind: domain.StepChoice, Track: "p/basis", MinCount: 1}
	two := domain.PathStep{Title: "Zwei", Kind: domain.StepChoice, Track: "p/adv", MinCount: 2, DistinctAreas: true, Requires: []int{1}}
	event := domain.PathStep{Title: "Treffen", Kind: domain.StepEvent, Requires: []int{2}}
	p := pathOf(basis, two, event)
	done, conf := domain.BookingCompleted, domain.BookingConfirmed
	for _, c := range []struct {
		name    string
		bs      []domain.PathBooking
		events  map[int]time.Time
		states  string
		percent int
	}{
		{"nothing", nil, nil, "next open open", 0},
		{"basis booked", []domain.PathBooking{booking(1, conf, "", "p/basis", "STRAT.1")}, nil, "booked open open", 0},
		{"a cancelled booking counts for nothing", []domain.PathBooking{booking(1, domain.BookingCancelled, "", "p/basis")}, nil, "next open open", 0},
		{"completed without a valid certificate is booked", []domain.PathBooking{booking(1, done, "", "p/basis")}, nil, "booked open open", 0},
		{"basis done", []domain.PathBooking{booking(1, done, "c1", "p/basis")}, nil, "done next open", 25},
		{"one area twice is one unit", []domain.PathBooking{booking(1, done, "c1", "p/basis"), booking(2, done, "c2", "p/adv", "KI.1"),
			booking(3, done, "c3", "p/adv", "KI.2")}, nil, "done next open", 50},
		// Greedy would give B's only area KI to A; the matching gives A SEC.
		{"areas are matched, not taken greedily", []domain.PathBooking{booking(1, done, "c1", "p/basis"), booking(2, done, "c2", "p/adv", "KI.1", "SEC.1"),
			booking(3, done, "c3", "p/adv", "KI.2")}, nil, "done done next", 75},
		{"an offer of the wrong track does not count", []domain.PathBooking{booking(1, done, "c1", "p/basis"), booking(2, done, "c2", "p/basis", "SEC.1"),
			booking(3, done, "c3", "p/adv", "KI.2")}, nil, "done next open", 50},
		{"the event done before its prerequisites", nil, map[int]time.Time{3: time.Now()}, "next open done", 25},
	} {
		t.Run(c.name, func(t *testing.T) {
			pp := p.Progress(c.bs, c.events)
			got := ""
			for i, s := range pp.Steps {
				if i > 0 {
					got += " "
				}
				got += s.State
			}
			if got != c.states || pp.Percent != c.percent {
				t.Errorf("states %q, %d %%; want %q, %d %%", got, pp.Percent, c.states, c.percent)
			}
		})
	}
}

// TestPathValidate: the messages name the field of the step.
func TestPathValidate(t *testing.T) {
	p := pathOf(domain.PathStep{Title: "A", Kind: domain.StepChoice, Area: "KI", Code: "SEC.1", MinLevel: 5},
		domain.PathStep{Title: "B", Kind: domain.StepChoice, Track: "basis", Requires: []int{2}})
	err := p.Validate()
	want := map[string]string{
		"steps.1.code":      "Die Kompetenz gehört nicht zum angegebenen Bereich.",
		"steps.1.min_level": "Die Mindeststufe muss zwischen 0 und 3 liegen.",
		"steps.2.track":     "Bitte geben Sie die Förderlinie als „Programm/Linie“ an.",
		"steps.2.requires":  "Voraussetzungen können nur frühere Schritte sein.",
	}
	fields := domain.ErrorFields(err)
	for f, m := range want {
		if fields[f] != m {
			t.Errorf("%s: %q, want %q", f, fields[f], m)
		}
	}
	if len(fields) != len(want) {
		t.Errorf("fields %v", fields)
	}
	ok := pathOf(domain.PathStep{Title: " Treffen ", Kind: domain.StepEvent, OfferIDs: []int64{3}})
	if err := ok.Validate(); err != nil || ok.Status != domain.PathDraft || ok.Steps[0].Title != "Treffen" || ok.Steps[0].OfferIDs != nil {
		t.Errorf("valid path: %v %+v", err, ok)
	}
}
