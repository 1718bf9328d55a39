package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/events"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// events: networking events in JSON: the list and one event as the caller
// sees it, creating, changing, publishing and cancelling for the
// association's event organisers, registrations, the attendee list,
// attendance, a message to all and the calendar file.

// eventViewJSON is an event with what the caller sees of it.
type eventViewJSON struct {
	domain.Event
	Registration *domain.EventRegistration `json:"registration"`
	CanManage    bool                      `json:"can_manage"`
	MayRegister  bool                      `json:"may_register"`
	// Participants are the confirmed people who agreed to be listed, for
	// confirmed registrants and organisers.
	Participants      []eventParticipantJSON `json:"participants,omitempty"`
	ParticipantsTotal int                    `json:"participants_total,omitempty"`
}

type eventParticipantJSON struct {
	Name         string `json:"name"`
	Municipality string `json:"municipality,omitempty"`
}

func eventView(v *events.View) eventViewJSON {
	out := eventViewJSON{Event: v.Event, Registration: v.Own, CanManage: v.CanManage, MayRegister: v.MayRegister,
		ParticipantsTotal: v.ShownTotal}
	for _, p := range v.Shown {
		out.Participants = append(out.Participants, eventParticipantJSON{Name: p.Name, Municipality: p.OrgName})
	}
	return out
}

func (s *Server) apiEvents(w http.ResponseWriter, r *http.Request) error {
	past := r.URL.Query().Get("when") == "past"
	list, err := s.app.Events.List(r.Context(), past)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(list, len(list), 1))
}

// eventInput is the body of POST /api/v1/events and PATCH
// /api/v1/events/{id}: a missing field is not changed by PATCH.
type eventInput struct {
	OrganiserID          *int64                `json:"organiser_id"`
	Title                *string               `json:"title"`
	Description          *string               `json:"description"`
	Agenda               *string               `json:"agenda"`
	StartsAt             *time.Time            `json:"starts_at"`
	EndsAt               *time.Time            `json:"ends_at"`
	Online               *bool                 `json:"online"`
	OnlineURL            *string               `json:"online_url"`
	AGS                  *string               `json:"ags"`
	Address              *string               `json:"address"`
	Capacity             *int                  `json:"capacity"`
	RegistrationDeadline *time.Time            `json:"registration_deadline"`
	Audience             *domain.EventAudience `json:"audience"`
	Questions            *[]string             `json:"questions"`
}

// apply writes the given fields into e.
func (in eventInput) apply(e *domain.Event) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&e.Title, in.Title)
	set(&e.Description, in.Description)
	set(&e.Agenda, in.Agenda)
	set(&e.OnlineURL, in.OnlineURL)
	set(&e.AGS, in.AGS)
	set(&e.Address, in.Address)
	if in.StartsAt != nil {
		e.StartsAt = in.StartsAt.UTC()
	}
	if in.EndsAt != nil {
		e.EndsAt = in.EndsAt.UTC()
	}
	if in.RegistrationDeadline != nil {
		e.RegistrationDeadline = in.RegistrationDeadline.UTC()
	}
	if in.Online != nil {
		e.Online = *in.Online
	}
	if in.Capacity != nil {
		e.Capacity = *in.Capacity
	}
	if in.Audience != nil {
		e.Audience = *in.Audience
	}
	if in.Questions != nil {
		e.Questions = *in.Questions
	}
}

func (s *Server) apiEventCreate(w http.ResponseWriter, r *http.Request) error {
	var in eventInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	e := &domain.Event{}
	if in.OrganiserID != nil {
		e.OrganiserID = *in.OrganiserID
	}
	in.apply(e)
	e, err := s.app.Events.Create(r.Context(), e)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, e)
}

func (s *Server) apiEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Events.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, eventView(v))
}

func (s *Server) apiEventUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in eventInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	e, err := s.app.Events.Managed(r.Context(), id)
	if err != nil {
		return err
	}
	in.apply(e)
	if e, err = s.app.Events.Update(r.Context(), e); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, e)
}

func (s *Server) apiEventPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.app.Events.Publish(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, e)
}

func (s *Server) apiEventCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 {
		if err := httpx.ReadJSON(r, &in); err != nil {
			return err
		}
	}
	e, err := s.app.Events.Cancel(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, e)
}

// registrationInput is the body of POST /api/v1/events/{id}/registrations.
type registrationInput struct {
	// PersonEmail: HR registers a member of its municipality; empty: oneself.
	PersonEmail string   `json:"person_email"`
	Answers     []string `json:"answers"`
	ShowName    bool     `json:"show_name"`
}

func (s *Server) apiEventRegister(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in registrationInput
	if r.ContentLength != 0 {
		if err := httpx.ReadJSON(r, &in); err != nil {
			return err
		}
	}
	reg, err := s.app.Events.Register(r.Context(), domain.EventRegistrationInput{EventID: id, PersonEmail: in.PersonEmail,
		Answers: in.Answers, ShowName: in.ShowName})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, reg)
}

func (s *Server) apiRegistrationCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	reg, err := s.app.Events.CancelRegistration(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, reg)
}

func (s *Server) apiEventRegistrations(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	page, err := httpx.PageParam(r)
	if err != nil {
		return err
	}
	// The page size stays the service's; "limit" is not taken.
	after, _, err := apiCursor(r, events.PageSize)
	if err != nil {
		return err
	}
	_, regs, next, total, err := s.app.Events.Registrations(r.Context(), id, after, page)
	if err != nil {
		return err
	}
	l := newCursorList(regs, total, next)
	l.Page = page
	return httpx.WriteJSON(w, http.StatusOK, l)
}

func (s *Server) apiEventICS(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Events.Get(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteICS(w, "veranstaltung-"+strconv.FormatInt(id, 10)+".ics", eventICS(s.cfg.BaseURL, v))
}

// eventICS is the calendar file of an event as the caller sees it: with
// their registration, or without (no link).
func eventICS(base string, v *events.View) string {
	reg := v.Own
	if reg == nil {
		reg = &domain.EventRegistration{}
	}
	return events.Calendar(base, &v.Event, reg)
}

func (s *Server) apiEventAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Present []int64 `json:"present"`
		Absent  []int64 `json:"absent"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	n, err := s.app.Events.RecordAttendance(r.Context(), id, in.Present, in.Absent)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]int{"changed": n})
}

func (s *Server) apiEventMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Subject string `json:"subject"`
		Body    string `json:"body"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	n, err := s.app.Events.Message(r.Context(), id, in.Subject, in.Body)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]int{"recipients": n})
}

func (s *Server) apiMyEventRegistrations(w http.ResponseWriter, r *http.Request) error {
	list, err := s.app.Events.Mine(r.Context())
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(list, len(list), 1))
}
