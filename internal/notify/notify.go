// Package notify writes every e-mail the platform sends. Each mail is a
// text/template in templates/ whose first line is "Betreff: ..." and the
// rest, after one empty line, the body. Services enqueue a mail inside their
// own transaction (Enqueue takes the *store.Tx), so a mail leaves only when
// the change it reports is committed; the jobs deliver the outbox.
//
// Templates never carry secrets they were not given on purpose: a voucher
// code is never put in a mail, and links with tokens appear only in the mails
// that exist to deliver them (invitation, password reset, verification),
// which the outbox pages show without the token (see Redact).
package notify

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"
	_ "time/tzdata" // mails show Europe/Berlin times even without a system zone database

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

//go:embed templates/*.txt
var files embed.FS

// berlin is the zone dates in mails are written in: times are stored in UTC.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // time/tzdata is embedded
	}
	return loc
}()

// Notifier renders and enqueues mails.
type Notifier struct {
	baseURL string
	tmpl    *template.Template
}

// New parses every template; a broken template fails here, at start.
func New(baseURL string) (*Notifier, error) {
	t, err := template.New("").Funcs(template.FuncMap{
		"date":     func(t time.Time) string { return t.In(berlin).Format("02.01.2006") },
		"datetime": func(t time.Time) string { return t.In(berlin).Format("02.01.2006, 15:04 Uhr") },
		"join":     strings.Join,
		"money":    money,
		"plural":   plural,
		"one":      func(n any) (bool, error) { s, err := plural(n, "", ""); return s == "1 ", err },
		// German that reads right: "Der Städtetag Baden-Württemberg hat …",
		// "für die Basisqualifizierung".
		"orgSubject":      func(name string) string { return domain.Capitalize(domain.OrgNominative(name)) },
		"trackAccusative": func(name string) string { return domain.Track{Name: name}.Accusative() },
		"org":             domain.OrgNominative,
		"orgDative":       domain.OrgDative,
		"orgAccusative":   domain.OrgAccusative,
	}).Option("missingkey=error").ParseFS(files, "templates/*.txt")
	if err != nil {
		return nil, fmt.Errorf("notify: parse templates: %w", err)
	}
	return &Notifier{baseURL: strings.TrimRight(baseURL, "/"), tmpl: t}, nil
}

// MustNew is New for wiring with the shipped templates, which a test parses.
func MustNew(baseURL string) *Notifier {
	n, err := New(baseURL)
	if err != nil {
		panic(err)
	}
	return n
}

// BaseURL is the platform's public address, for links.
func (n *Notifier) BaseURL() string { return n.baseURL }

// Render returns the subject and body of the mail name (the template file's
// name without ".txt") for data. Data is available as .D in the template, the
// base URL as .Base.
func (n *Notifier) Render(name string, data any) (subject, body string, err error) {
	var buf bytes.Buffer
	if err := n.tmpl.ExecuteTemplate(&buf, name+".txt", map[string]any{"D": data, "Base": n.baseURL}); err != nil {
		return "", "", fmt.Errorf("notify: render %s: %w", name, err)
	}
	first, rest, ok := strings.Cut(buf.String(), "\n")
	subject, found := strings.CutPrefix(first, "Betreff: ")
	if !ok || !found {
		return "", "", fmt.Errorf("notify: template %s does not start with a Betreff line", name)
	}
	return strings.TrimSpace(subject), strings.TrimLeft(rest, "\n"), nil
}

// Enqueue renders mail name for data and writes it to the outbox inside tx.
func (n *Notifier) Enqueue(ctx context.Context, tx *store.Tx, to, name string, data any) error {
	return n.EnqueueWith(ctx, tx, to, name, data, nil)
}

// EnqueueWith is Enqueue with a text attachment (nil for none), such as a
// booking's calendar file.
func (n *Notifier) EnqueueWith(ctx context.Context, tx *store.Tx, to, name string, data any, att *domain.Attachment) error {
	subject, body, err := n.Render(name, data)
	if err != nil {
		return err
	}
	return tx.EnqueueMailWith(ctx, to, subject, body, att)
}

// plural writes a count with the singular or plural noun: "1 Person",
// "3 Personen". Counts come as Go integers from services and as float64
// from the golden test's JSON.
func plural(n any, one, many string) (string, error) {
	var c int64
	switch v := n.(type) {
	case int:
		c = int64(v)
	case int64:
		c = v
	case float64:
		c = int64(v)
	default:
		return "", fmt.Errorf("plural: %T is not a count", n)
	}
	if c == 1 {
		return "1 " + one, nil
	}
	return fmt.Sprintf("%d %s", c, many), nil
}

// money writes an amount of cents in euros the German way: "1.190,00 €".
func money(n any) (string, error) {
	s, err := plural(n, "", "")
	if err != nil {
		return "", err
	}
	c, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return "", err
	}
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	euros := strconv.FormatInt(c/100, 10)
	for i := len(euros) - 3; i > 0; i -= 3 {
		euros = euros[:i] + "." + euros[i:]
	}
	return fmt.Sprintf("%s%s,%02d €", sign, euros, c%100), nil
}
