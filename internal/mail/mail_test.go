package mail_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/mail"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// smtpServer is a real SMTP server in the test process that keeps what it receives.
type smtpServer struct {
	mu   sync.Mutex
	got  []string
	rcpt []string
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }

type session struct{ s *smtpServer }

func (x *session) Mail(string, *smtp.MailOptions) error { return nil }
func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.rcpt = append(x.s.rcpt, to)
	return nil
}
func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	x.s.mu.Lock()
	defer x.s.mu.Unlock()
	x.s.got = append(x.s.got, string(b))
	return err
}
func (x *session) Reset()        {}
func (x *session) Logout() error { return nil }

func startSMTP(t *testing.T) (*smtpServer, int) {
	t.Helper()
	be := &smtpServer{}
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return be, ln.Addr().(*net.TCPAddr).Port
}

func TestSenderDeliversTheOutboxBySMTP(t *testing.T) {
	be, port := startSMTP(t)
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	p := &domain.Person{Email: "anna@futurehausen.example", Name: "Anna Albrecht"}
	if err := db.CreatePerson(ctx, p, "ein-langes-passwort"); err != nil {
		t.Fatal(err)
	}
	if err := account.New(db, notify.MustNew(storetest.BaseURL)).RequestPasswordReset(ctx, p.Email); err != nil {
		t.Fatal(err)
	}
	s := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, From: "lotse@lotse.test", TLS: "none"}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	n, err := s.DeliverPending(ctx)
	if err != nil || n != 1 {
		t.Fatalf("delivered %d, %v", n, err)
	}
	be.mu.Lock()
	got := strings.Join(be.got, "\n")
	rcpt := be.rcpt
	be.mu.Unlock()
	if len(rcpt) != 1 || rcpt[0] != p.Email || !strings.Contains(got, "Subject: =?UTF-8?q?Passwort_zur=C3=BCcksetzen_bei_Lotse?=") {
		t.Fatalf("server received %v: %s", rcpt, got)
	}
	if !strings.Contains(got, "passwort-zuruecksetzen?token=") {
		t.Fatalf("mail body lacks the link: %s", got)
	}
	// Delivered mails are marked and not sent again.
	if n, _ := s.DeliverPending(ctx); n != 0 {
		t.Fatalf("sent %d mails twice", n)
	}
	mails, _ := db.Outbox(ctx, 0, 10, 0)
	if mails[0].SentAt == nil || mails[0].Attempts != 1 {
		t.Fatalf("outbox row %+v", mails[0])
	}
}

func TestSenderKeepsMailsWhenTheServerIsDown(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close() // nothing listens there now
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	p := &domain.Person{Email: "anna@futurehausen.example", Name: "Anna"}
	db.CreatePerson(ctx, p, "ein-langes-passwort")
	account.New(db, notify.MustNew(storetest.BaseURL)).RequestPasswordReset(ctx, p.Email)
	s := mail.NewSender(mail.Config{Host: "127.0.0.1", Port: port, TLS: "none"}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if n, _ := s.DeliverPending(ctx); n != 0 {
		t.Fatalf("delivered %d to a server that is down", n)
	}
	mails, _ := db.Outbox(ctx, 0, 10, 0)
	if mails[0].SentAt != nil || mails[0].Attempts != 1 || mails[0].LastError == "" {
		t.Fatalf("outbox row %+v", mails[0])
	}
	pending, _ := db.PendingMails(ctx, 10)
	if len(pending) != 1 {
		t.Fatalf("mail no longer pending: %d", len(pending))
	}
}
