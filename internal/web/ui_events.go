package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/events"
	"github.com/lotse-oss/lotse/internal/sheet"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// events: the pages of the networking events: the list (upcoming or
// past), an event with its registration form and the participant list,
// the form for organisers, and the attendee list with export, attendance
// and a message to all.

func init() {
	pageNames = append(pageNames, "events", "event", "event_form", "event_attendees")
	for k, v := range map[string]string{
		"veranstaltung-gespeichert":     "Die Veranstaltung ist gespeichert. Angemeldete Personen sind über Änderungen informiert.",
		"veranstaltung-angelegt":        "Die Veranstaltung ist als Entwurf angelegt. Nur Sie und die anderen Organisierenden sehen sie, bis Sie sie veröffentlichen.",
		"veranstaltung-veroeffentlicht": "Die Veranstaltung ist veröffentlicht.",
		"veranstaltung-abgesagt":        "Die Veranstaltung ist abgesagt. Alle Angemeldeten sind per E-Mail informiert.",
		"angemeldet-bestaetigt":         "Sie sind angemeldet. Die Bestätigung mit der Kalenderdatei kommt per E-Mail.",
		"angemeldet-warteliste":         "Die Veranstaltung ist ausgebucht. Sie stehen auf der Warteliste und rücken automatisch nach, wenn ein Platz frei wird.",
		"anmeldung-storniert":           "Die Anmeldung ist storniert.",
		"anwesenheit-gespeichert":       "Die Anwesenheit ist gespeichert.",
		"nachricht-verschickt":          "Die Nachricht ist an alle Angemeldeten verschickt.",
	} {
		notices[k] = v
	}
}

type eventsPage struct {
	Page
	Events []domain.Event
	Past   bool
	// CanCreate: the actor organises events for an association.
	CanCreate bool
	Mine      []domain.EventEntry
}

func (s *Server) handleEvents(w http.ResponseWriter, r *http.Request) error {
	past := r.URL.Query().Get("zeit") == "vergangen"
	list, err := s.app.Events.List(r.Context(), past)
	if err != nil {
		return err
	}
	p := &eventsPage{Page: s.newPage(r, "Veranstaltungen"), Events: list, Past: past,
		CanCreate: len(s.app.Events.OrganiserOptions(r.Context())) > 0}
	if !p.Actor.Anonymous() && !past {
		if p.Mine, err = s.app.Events.Mine(r.Context()); err != nil {
			return err
		}
	}
	s.render(w, r, http.StatusOK, "events", p)
	return nil
}

type eventPage struct {
	Page
	V *events.View
	// Answers and ShowName keep the registration form's input.
	Answers  []string
	ShowName bool
	Now      time.Time
	// HR: the actor may register staff of a municipality.
	HR          bool
	PersonEmail string
}

func (s *Server) eventPage(r *http.Request, id int64) (*eventPage, error) {
	v, err := s.app.Events.Get(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p := &eventPage{Page: s.newPage(r, v.Event.Title), V: v, Answers: make([]string, len(v.Event.Questions)), Now: s.now()}
	p.HR = p.Actor.HasAnyRole(domain.RoleHR)
	return p, nil
}

func (s *Server) handleEvent(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.eventPage(r, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "event", p)
	return nil
}

func (s *Server) handleEventICS(w http.ResponseWriter, r *http.Request) error {
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

func (s *Server) handleEventRegister(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	p, err := s.eventPage(r, id)
	if err != nil {
		return err
	}
	for i := range p.Answers {
		p.Answers[i] = r.PostForm.Get("answer_" + strconv.Itoa(i+1))
	}
	p.ShowName = r.PostForm.Get("show_name") == "1"
	p.PersonEmail = strings.TrimSpace(r.PostForm.Get("person_email"))
	reg, err := s.app.Events.Register(r.Context(), domain.EventRegistrationInput{EventID: id, PersonEmail: p.PersonEmail,
		Answers: p.Answers, ShowName: p.ShowName})
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid && code != domain.EConflict {
			return err
		}
		p.Errors = domain.ErrorFields(err)
		if len(p.Errors) == 0 {
			p.Message = domain.ErrorMessage(err)
		}
		s.render(w, r, httpx.Status(code), "event", p)
		return nil
	}
	notice := "angemeldet-bestaetigt"
	if reg.Status == domain.RegWaitlisted {
		notice = "angemeldet-warteliste"
	}
	return redirect(w, r, "/veranstaltungen/"+strconv.FormatInt(id, 10)+"?hinweis="+notice)
}

func (s *Server) handleRegistrationCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	reg, err := s.app.Events.CancelRegistration(r.Context(), id)
	if err != nil {
		return err
	}
	back := "/veranstaltungen/" + strconv.FormatInt(reg.EventID, 10)
	if r.PostForm.Get("zurueck") == "teilnehmende" {
		back += "/teilnehmende"
	}
	return redirect(w, r, back+"?hinweis=anmeldung-storniert")
}

// eventFormPage is the form of an event: the values as typed.
type eventFormPage struct {
	Page
	ID         int64 // 0: a new event
	Organisers []domain.Membership
	In         eventFormInput
	Audiences  []domain.EventAudience
	Status     domain.EventStatus
}

type eventFormInput struct {
	Organiser                                             int64
	Title, Description, Agenda                            string
	StartsAt, EndsAt, Deadline                            string // datetime-local values, Berlin time
	Online                                                bool
	OnlineURL, AGS, Address, Capacity, Audience, Question string // Question: one question per line
}

const localLayout = "2006-01-02T15:04"

func localValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(berlin).Format(localLayout)
}

func formOf(e *domain.Event) eventFormInput {
	return eventFormInput{Organiser: e.OrganiserID, Title: e.Title, Description: e.Description, Agenda: e.Agenda,
		StartsAt: localValue(e.StartsAt), EndsAt: localValue(e.EndsAt), Deadline: localValue(e.RegistrationDeadline), Online: e.Online,
		OnlineURL: e.OnlineURL, AGS: e.AGS, Address: e.Address, Capacity: strconv.Itoa(e.Capacity), Audience: string(e.Audience),
		Question: strings.Join(e.Questions, "\n")}
}

// readEventForm reads the form into the input as typed and the event;
// times and numbers that do not parse are reported by field.
func readEventForm(f url.Values) (eventFormInput, *domain.Event, domain.Validation) {
	v := domain.Validation{}
	in := eventFormInput{Title: f.Get("title"), Description: f.Get("description"), Agenda: f.Get("agenda"), StartsAt: f.Get("starts_at"),
		EndsAt: f.Get("ends_at"), Deadline: f.Get("registration_deadline"), Online: f.Get("online") == "1", OnlineURL: f.Get("online_url"),
		AGS: f.Get("ags"), Address: f.Get("address"), Capacity: f.Get("capacity"), Audience: f.Get("audience"), Question: f.Get("questions")}
	in.Organiser, _ = strconv.ParseInt(f.Get("organiser_id"), 10, 64)
	e := &domain.Event{OrganiserID: in.Organiser, Title: in.Title, Description: in.Description, Agenda: in.Agenda, Online: in.Online,
		OnlineURL: in.OnlineURL, AGS: in.AGS, Address: in.Address, Audience: domain.EventAudience(in.Audience)}
	at := func(name, value, msg string) time.Time {
		if strings.TrimSpace(value) == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(localLayout, strings.TrimSpace(value), berlin)
		if err != nil {
			v.Add(name, msg)
		}
		return t.UTC()
	}
	e.StartsAt = at("starts_at", in.StartsAt, "Bitte geben Sie den Beginn als Datum und Uhrzeit an, z. B. 2027-03-04T14:00.")
	e.EndsAt = at("ends_at", in.EndsAt, "Bitte geben Sie das Ende als Datum und Uhrzeit an, z. B. 2027-03-04T17:00.")
	e.RegistrationDeadline = at("registration_deadline", in.Deadline, "Bitte geben Sie den Anmeldeschluss als Datum und Uhrzeit an.")
	if c := strings.TrimSpace(in.Capacity); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil {
			v.Add("capacity", "Bitte geben Sie die Zahl der Plätze als ganze Zahl an.")
		}
		e.Capacity = n
	}
	for _, q := range strings.Split(in.Question, "\n") {
		if q = strings.TrimSpace(q); q != "" {
			e.Questions = append(e.Questions, q)
		}
	}
	return in, e, v
}

func (s *Server) handleEventNew(w http.ResponseWriter, r *http.Request) error {
	orgs := s.app.Events.OrganiserOptions(r.Context())
	if p := s.newPage(r, ""); p.Actor.Anonymous() {
		return domain.ErrUnauthorized
	}
	if len(orgs) == 0 {
		return domain.ErrEventNoOrganiser
	}
	p := &eventFormPage{Page: s.newPage(r, "Veranstaltung anlegen"), Organisers: orgs, Audiences: domain.EventAudiences, Status: domain.EventDraft}
	if r.Method == http.MethodGet {
		p.In = eventFormInput{Organiser: orgs[0].OrgID, Capacity: "30", Audience: string(domain.AudienceMembers)}
		s.render(w, r, http.StatusOK, "event_form", p)
		return nil
	}
	return s.saveEvent(w, r, p)
}

func (s *Server) handleEventEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	e, err := s.app.Events.Managed(r.Context(), id)
	if err != nil {
		return err
	}
	p := &eventFormPage{Page: s.newPage(r, "Veranstaltung bearbeiten"), ID: id, Audiences: domain.EventAudiences, Status: e.Status}
	if r.Method == http.MethodGet {
		p.In = formOf(e)
		s.render(w, r, http.StatusOK, "event_form", p)
		return nil
	}
	return s.saveEvent(w, r, p)
}

// saveEvent creates or changes the event of the form; refused input comes
// back with the messages next to the fields.
func (s *Server) saveEvent(w http.ResponseWriter, r *http.Request, p *eventFormPage) error {
	if err := form(r); err != nil {
		return err
	}
	in, e, v := readEventForm(r.PostForm)
	p.In = in
	err := v.Err()
	if err == nil {
		if p.ID == 0 {
			e, err = s.app.Events.Create(r.Context(), e)
		} else {
			e.ID = p.ID
			e, err = s.app.Events.Update(r.Context(), e)
		}
	}
	if err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid {
			return err
		}
		p.Errors = domain.ErrorFields(err)
		if len(p.Errors) == 0 {
			p.Message = domain.ErrorMessage(err)
		}
		s.render(w, r, httpx.Status(code), "event_form", p)
		return nil
	}
	notice := "veranstaltung-gespeichert"
	if p.ID == 0 {
		notice = "veranstaltung-angelegt"
	}
	return redirect(w, r, "/veranstaltungen/"+strconv.FormatInt(e.ID, 10)+"?hinweis="+notice)
}

func (s *Server) handleEventPublish(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if _, err := s.app.Events.Publish(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/veranstaltungen/"+strconv.FormatInt(id, 10)+"?hinweis=veranstaltung-veroeffentlicht")
}

func (s *Server) handleEventCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if _, err := s.app.Events.Cancel(r.Context(), id, r.PostForm.Get("reason")); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p, perr := s.eventPage(r, id)
		if perr != nil {
			return perr
		}
		p.Errors = domain.ErrorFields(err)
		s.render(w, r, http.StatusUnprocessableEntity, "event", p)
		return nil
	}
	return redirect(w, r, "/veranstaltungen/"+strconv.FormatInt(id, 10)+"?hinweis=veranstaltung-abgesagt")
}

type eventAttendeesPage struct {
	Page
	E     *domain.Event
	Regs  []domain.EventRegistration
	Total int
	// More links the next registrations (keyset paging).
	More moreLink
	// Subject and Body keep the message form's input.
	Subject, Body string
}

func (s *Server) attendeesPage(r *http.Request, id int64) (*eventAttendeesPage, error) {
	e, regs, next, total, err := s.app.Events.Registrations(r.Context(), id, pageCursor(r, "nach"), 1)
	if err != nil {
		return nil, err
	}
	p := &eventAttendeesPage{Page: s.newPage(r, "Teilnehmende: "+e.Title), E: e, Regs: regs, Total: total}
	u := &url.URL{Path: "/veranstaltungen/" + strconv.FormatInt(id, 10) + "/teilnehmende"}
	if r.Method == http.MethodGet {
		u = withoutPage(r.URL)
	}
	p.More = newMoreLink(u, "nach", next, "Weitere Anmeldungen", "Weitere Anmeldungen anzeigen", "Zurück zum Anfang der Liste", "anmeldungen")
	return p, nil
}

func (s *Server) handleEventAttendees(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.attendeesPage(r, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "event_attendees", p)
	return nil
}

// handleEventExport is the attendee list as CSV (German Excel, formula
// cells neutralised) or XLSX.
func (s *Server) handleEventExport(kind string) func(w http.ResponseWriter, r *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		t, err := s.app.Events.Attendees(r.Context(), id)
		if err != nil {
			return err
		}
		name := "teilnehmende-" + strconv.FormatInt(id, 10)
		var b []byte
		if kind == "csv" {
			b, err = sheet.CSV(t)
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			name += ".csv"
		} else {
			b, err = sheet.XLSX(t)
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			name += ".xlsx"
		}
		if err != nil {
			return err
		}
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		w.Header().Set("Cache-Control", "no-store")
		_, err = w.Write(b)
		return err
	}
}

func (s *Server) handleEventAttendance(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	// Each listed registration comes as "shown"; the ticked ones as
	// "present": the unticked shown ones are taken back.
	ticked := map[int64]bool{}
	var present, absent []int64
	for _, v := range r.PostForm["present"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			ticked[n] = true
			present = append(present, n)
		}
	}
	for _, v := range r.PostForm["shown"] {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && !ticked[n] {
			absent = append(absent, n)
		}
	}
	if _, err := s.app.Events.RecordAttendance(r.Context(), id, present, absent); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid && domain.ErrorCode(err) != domain.EConflict {
			return err
		}
		p, perr := s.attendeesPage(r, id)
		if perr != nil {
			return perr
		}
		p.Message = domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(domain.ErrorCode(err)), "event_attendees", p)
		return nil
	}
	return redirect(w, r, "/veranstaltungen/"+strconv.FormatInt(id, 10)+"/teilnehmende?hinweis=anwesenheit-gespeichert")
}

func (s *Server) handleEventMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	subject, body := r.PostForm.Get("subject"), r.PostForm.Get("body")
	if _, err := s.app.Events.Message(r.Context(), id, subject, body); err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		p, perr := s.attendeesPage(r, id)
		if perr != nil {
			return perr
		}
		p.Errors, p.Subject, p.Body = domain.ErrorFields(err), subject, body
		if f := p.Errors["message"]; f != "" {
			p.Errors["body"] = f
			delete(p.Errors, "message")
		}
		s.render(w, r, http.StatusUnprocessableEntity, "event_attendees", p)
		return nil
	}
	return redirect(w, r, "/veranstaltungen/"+strconv.FormatInt(id, 10)+"/teilnehmende?hinweis=nachricht-verschickt")
}
