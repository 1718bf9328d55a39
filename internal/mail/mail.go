// Package mail delivers the outbox by SMTP. Mails are written to the outbox
// in the transaction that causes them (package store); this package only
// sends what is pending and records the outcome, so a mail is never lost
// when the SMTP server is down and never sent for a rolled-back change.
package mail

import (
	"context"
	"fmt"
	"log/slog"
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
	PendingMails(ctx context.Context, n int) ([]domain.Mail, error)
	MarkMail(ctx context.Context, id int64, sendErr error) error
}

// Sender delivers pending mails.
type Sender struct {
	cfg Config
	box Outbox
	log *slog.Logger
}

// NewSender returns a sender for cfg.
func NewSender(cfg Config, box Outbox, log *slog.Logger) *Sender {
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if cfg.From == "" {
		cfg.From = "lotse@localhost"
	}
	return &Sender{cfg: cfg, box: box, log: log}
}

// Run delivers pending mails every interval until ctx ends.
func (s *Sender) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := s.DeliverPending(ctx); err != nil {
			s.log.ErrorContext(ctx, "mail delivery failed", "err", err)
		} else if n > 0 {
			s.log.InfoContext(ctx, "mails delivered", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// DeliverPending sends up to 100 pending mails over one connection and
// returns how many were sent.
func (s *Sender) DeliverPending(ctx context.Context) (int, error) {
	pending, err := s.box.PendingMails(ctx, 100)
	if err != nil || len(pending) == 0 {
		return 0, err
	}
	client, err := s.client()
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range pending {
		msg := gomail.NewMsg()
		if err := msg.From(s.cfg.From); err != nil {
			return sent, fmt.Errorf("sender address: %w", err)
		}
		if err := msg.To(m.To); err != nil {
			s.box.MarkMail(ctx, m.ID, err)
			continue
		}
		msg.Subject(m.Subject)
		msg.SetBodyString(gomail.TypeTextPlain, m.Body)
		msg.SetMessageID()
		msg.SetDate()
		sendErr := client.DialAndSendWithContext(ctx, msg)
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

func (s *Sender) client() (*gomail.Client, error) {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(10 * time.Second)}
	switch s.cfg.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return gomail.NewClient(s.cfg.Host, opts...)
}
