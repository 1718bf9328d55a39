package booking

import (
	"fmt"
	"strconv"
	"strings"

	ics "github.com/arran4/golang-ical"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Calendar builds an iCalendar file (RFC 5545, CRLF line ends) of bookings;
// cancelled ones are left out. baseURL is the platform's public address, for
// the link to each offer. The calendar download, the feed and the
// confirmation mail's attachment use it. more adds further entries (the
// personal feed adds the person's networking events).
func Calendar(baseURL string, bookings []domain.BookingDetail, more ...func(*ics.Calendar)) string {
	cal := ics.NewCalendarFor("Lotse")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("Lotse: meine Weiterbildungen")
	for _, b := range bookings {
		if b.Status == domain.BookingCancelled {
			continue
		}
		ev := cal.AddEvent(fmt.Sprintf("booking-%d@lotse", b.ID))
		ev.SetDtStampTime(b.CreatedAt)
		ev.SetStartAt(b.Session.StartsAt)
		ev.SetEndAt(b.Session.EndsAt)
		summary := b.OfferTitle
		if b.Status == domain.BookingWaitlisted {
			summary += " (Warteliste)"
		}
		ev.SetSummary(summary)
		ev.SetLocation(place(&b))
		link := baseURL + "/angebote/" + strconv.FormatInt(b.OfferID, 10)
		ev.SetDescription("Bildungsträger: " + b.Provider + "\n" + link)
		ev.SetURL(link)
	}
	for _, add := range more {
		add(cal)
	}
	return cal.Serialize(ics.WithNewLineWindows)
}

// place is where a booked session takes place, as a mail or calendar says
// it.
func place(b *domain.BookingDetail) string {
	if b.Session.Online {
		return "online"
	}
	return strings.Trim(strings.TrimSpace(b.Session.Place+", "+b.Session.Address), ", ")
}

// calendarAttachment is a booking's calendar file for its confirmation mail.
func calendarAttachment(baseURL string, d *domain.BookingDetail) *domain.Attachment {
	return &domain.Attachment{Name: fmt.Sprintf("buchung-%d.ics", d.ID), ContentType: "text/calendar; charset=utf-8; method=PUBLISH",
		Content: Calendar(baseURL, []domain.BookingDetail{*d})}
}
