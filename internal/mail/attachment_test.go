package mail_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/mail"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestSenderSendsTheCalendarAttachment: a mail with a text attachment (a
// booking's calendar file) leaves as a multipart message with the file.
func TestSenderSendsTheCalendarAttachment(t *testing.T) {
	be, port := startSMTP(t)
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	ics := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Basiskurs\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	err := db.Transact(ctx, func(tx *store.Tx) error {
		return tx.EnqueueMailWith(ctx, "niklas@futurehausen.example", "Ihre Anmeldung ist bestätigt", "Im Anhang der Termin.",
			&domain.Attachment{Name: "buchung-7.ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Content: ics})
	})
	if err != nil {
		t.Fatal(err)
	}
	ms := storetest.Mails(t, db)
	if len(ms) != 1 || ms[0].Attachment == nil || ms[0].Attachment.Content != ics {
		t.Fatalf("outbox: %+v", ms)
	}
	s := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, From: "lotse@lotse.test", TLS: "none"}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if n, err := s.DeliverPending(ctx); err != nil || n != 1 {
		t.Fatalf("delivered %d, %v", n, err)
	}
	be.mu.Lock()
	got := strings.Join(be.got, "\n")
	be.mu.Unlock()
	for _, want := range []string{"multipart/mixed", "text/calendar", `filename="buchung-7.ics"`, "Im Anhang der Termin."} {
		if !strings.Contains(got, want) {
			t.Fatalf("sent message lacks %q:\n%s", want, got)
		}
	}
}
