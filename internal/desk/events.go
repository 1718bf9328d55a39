package desk

import (
	"context"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/events"
)

// Events is the desk's section on networking events: the upcoming events
// the person registered for, and for event organisers their association's
// upcoming events with their counts.
type Events struct {
	Registered []domain.EventEntry `json:"registered"`
	Organised  []domain.Event      `json:"organised"`
}

// WithEvents lets the desk show the events; without it the desk has no
// such section.
func (s *Service) WithEvents(e *events.Service) *Service {
	s.events = e
	return s
}

// eventsSection reads the section; nil when there is nothing to show.
func (s *Service) eventsSection(ctx context.Context, a *domain.Actor) (*Events, error) {
	if s.events == nil || a.Anonymous() {
		return nil, nil
	}
	reg, err := s.events.Mine(ctx)
	if err != nil {
		return nil, err
	}
	org, err := s.events.Organised(ctx)
	if err != nil {
		return nil, err
	}
	if len(reg) == 0 && len(org) == 0 {
		return nil, nil
	}
	if len(reg) > 5 {
		reg = reg[:5]
	}
	if len(org) > 10 {
		org = org[:10]
	}
	return &Events{Registered: reg, Organised: org}, nil
}
