// Package mail delivers the outbox by SMTP. Mails are written to the outbox
// in the transaction that causes them (package store); this package only
// sends what is pending and records the outcome, so a mail is never lost
// when the SMTP server is down and never sent for a rolled-back change.
package mail

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Config names the SMTP server. An empty Host means: keep mails in the outbox.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	// TLS is "starttls" (default), "tls" (implicit) or "none" (local test servers).
	TLS string
}

// Outbox is what the sender needs from the store.
type Outbox interface {
	// ClaimMails claims up to n pending mails for owner until the lease
	// runs out; no other sender gets them meanwhile.
	ClaimMails(ctx context.Context, owner string, n int, lease time.Duration) ([]domain.Mail, error)
	MarkMail(ctx context.Context, id int64, sendErr error) error
}

// Transport hands one mail over for delivery.
type Transport interface {
	Send(ctx context.Context, m domain.Mail) error
}

// Lease is how long a sender holds the mails it claimed. A sender that has
// not sent a claimed mail when less than one send timeout is left of the
// lease leaves it, so that no other sender can take a mail that is still
// being sent.
const (
	Lease       = 5 * time.Minute
	sendTimeout = 30 * time.Second
	batch       = 100
)

// Sender delivers pending mails.
type Sender struct {
	t     Transport
	box   Outbox
	log   *slog.Logger
	owner string
}

// NewSender returns a sender that delivers by SMTP as cfg says.
func NewSender(cfg Config, box Outbox, log *slog.Logger) *Sender {
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.From == "" {
		cfg.From = "lotse@localhost"
	}
	return NewSenderWith(&smtpTransport{cfg: cfg}, box, log)
}

// NewSenderWith returns a sender that delivers through t.
func NewSenderWith(t Transport, box Outbox, log *slog.Logger) *Sender {
	return &Sender{t: t, box: box, log: log, owner: newOwner()}
}

// newOwner names this sender in its claims: host, process and a random part.
func newOwner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
}

// Run delivers pending mails every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.RunOnce(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunOnce delivers what is pending and logs the outcome; it is the body of
// the mail job.
func (s *Sender) RunOnce(ctx context.Context) error {
	n, err := s.DeliverPending(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "mail delivery failed", "err", err)
	} else if n > 0 {
		s.log.InfoContext(ctx, "mails delivered", "count", n)
	}
	return err
}

// DeliverPending claims up to 100 pending mails, sends them and returns how
// many were sent.
func (s *Sender) DeliverPending(ctx context.Context) (int, error) {
	claimed := time.Now()
	pending, err := s.box.ClaimMails(ctx, s.owner, batch, Lease)
	if err != nil || len(pending) == 0 {
		return 0, err
	}
	sent := 0
	for _, m := range pending {
		if time.Since(claimed) > Lease-2*sendTimeout {
			// The claim runs out soon; the rest goes in a later round.
			break
		}
		sctx, cancel := context.WithTimeout(ctx, sendTimeout)
		sendErr := s.t.Send(sctx, m)
		cancel()
		if err := s.box.MarkMail(ctx, m.ID, sendErr); err != nil {
			return sent, err
		}
		if sendErr == nil {
			sent++
		} else {
			s.log.WarnContext(ctx, "mail not delivered", "id", m.ID, "err", sendErr)
		}
	}
	return sent, nil
}

// smtpTransport sends by SMTP.
type smtpTransport struct{ cfg Config }

func (t *smtpTransport) Send(ctx context.Context, m domain.Mail) error {
	client, err := t.client()
	if err != nil {
		return err
	}
	msg := gomail.NewMsg()
	if err := msg.From(t.cfg.From); err != nil {
		return fmt.Errorf("sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return err
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	if a := m.Attachment; a != nil {
		msg.AttachReadSeeker(a.Name, strings.NewReader(a.Content), gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
	}
	msg.SetMessageID()
	msg.SetDate()
	return client.DialAndSendWithContext(ctx, msg)
}

func (t *smtpTransport) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(t.cfg.Port), gomail.WithTimeout(10 * time.Second)}
	switch t.cfg.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if t.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(t.cfg.Username), gomail.WithPassword(t.cfg.Password))
	}
	return gomail.NewClient(t.cfg.Host, opts...)
}
