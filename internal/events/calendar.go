package events

import (
	"fmt"
	"strconv"

	ics "github.com/arran4/golang-ical"

	"github.com/lotse-oss/lotse/internal/domain"
)

// AddToCalendar adds a person's event registrations to a calendar (the
// personal feed shares one with the bookings). A cancelled event stays in
// with STATUS:CANCELLED, so calendar apps take it out; the online link is
// in only for confirmed registrations.
func AddToCalendar(cal *ics.Calendar, baseURL string, entries []domain.EventEntry) {
	for i := range entries {
		addEvent(cal, baseURL, &entries[i].Event, &entries[i].Registration)
	}
}

func addEvent(cal *ics.Calendar, baseURL string, e *domain.Event, r *domain.EventRegistration) {
	ev := cal.AddEvent(fmt.Sprintf("event-%d-%d@lotse", e.ID, r.PersonID))
	ev.SetDtStampTime(e.UpdatedAt)
	ev.SetStartAt(e.StartsAt)
	ev.SetEndAt(e.EndsAt)
	summary := e.Title
	if r.Status == domain.RegWaitlisted {
		summary += " (Warteliste)"
	}
	ev.SetSummary(summary)
	link := baseURL + "/veranstaltungen/" + strconv.FormatInt(e.ID, 10)
	desc := "Vernetzungstreffen: " + e.OrganiserName + "\n" + link
	if e.Online && r.Status == domain.RegConfirmed && e.OnlineURL != "" {
		ev.SetLocation(e.OnlineURL)
		desc += "\nOnline: " + e.OnlineURL
	} else {
		ev.SetLocation(e.Place())
	}
	ev.SetDescription(desc)
	ev.SetURL(link)
	if e.Status == domain.EventCancelled || r.Status == domain.RegCancelled {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
}

// CalendarAdder is AddToCalendar for booking.Calendar's further entries.
func CalendarAdder(baseURL string, entries []domain.EventEntry) func(*ics.Calendar) {
	return func(cal *ics.Calendar) { AddToCalendar(cal, baseURL, entries) }
}

// Calendar is an iCalendar file (CRLF line ends) of one registration.
func Calendar(baseURL string, e *domain.Event, r *domain.EventRegistration) string {
	cal := ics.NewCalendarFor("Lotse")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("Lotse: " + e.Title)
	addEvent(cal, baseURL, e, r)
	return cal.Serialize(ics.WithNewLineWindows)
}

// attachment is a registration's calendar file for its mails.
func (s *Service) attachment(e *domain.Event, r *domain.EventRegistration) *domain.Attachment {
	return &domain.Attachment{Name: fmt.Sprintf("veranstaltung-%d.ics", e.ID), ContentType: "text/calendar; charset=utf-8; method=PUBLISH",
		Content: Calendar(s.notify.BaseURL(), e, r)}
}
