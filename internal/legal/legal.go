// Package legal serves the pages every German public site needs: the
// imprint (Impressum), the privacy policy (Datenschutzerklärung), the
// accessibility statement (Erklärung zur Barrierefreiheit) with its feedback
// form, and a page in Leichte Sprache. The operator configures the content:
// embedded defaults name what Lotse stores and show clear placeholders for
// the operator's data; files in a folder (LOTSE_LEGAL_DIR) replace them.
// Reports from the feedback form are stored and mailed to the operator.
// It speaks no HTTP.
package legal

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/store"
)

// Operator is who runs the platform. Empty fields show as placeholders on
// the default pages.
type Operator struct {
	Name           string // authority, association or company
	Address        string // postal address; lines separated by ";" or newlines
	Email          string // contact address; barrier reports are mailed here
	Phone          string
	Representative string // who represents the operator (Vertretungsberechtigte)
	PrivacyContact string // the data protection officer, name and address
}

// Settings configure the legal pages.
type Settings struct {
	// Dir holds files that replace the default pages: <slug>.html (an HTML
	// fragment, used as it is) or <slug>.md (simple Markdown). Empty: the
	// defaults only.
	Dir      string
	Operator Operator
}

// Page is one legal page.
type Page struct {
	Slug  string
	Title string
	Body  template.HTML
	// Custom is set when the operator's file replaced the default.
	Custom bool
}

// Slugs of the pages, which are also their paths and file names.
const (
	Impressum        = "impressum"
	Datenschutz      = "datenschutz"
	Barrierefreiheit = "barrierefreiheit"
	LeichteSprache   = "leichte-sprache"
)

// titles of the pages, in the order of the footer.
var titles = []struct{ slug, title string }{
	{Impressum, "Impressum"},
	{Datenschutz, "Datenschutzerklärung"},
	{Barrierefreiheit, "Erklärung zur Barrierefreiheit"},
	{LeichteSprache, "Leichte Sprache"},
}

//go:embed defaults/*.html
var defaults embed.FS

// Limits of the feedback form per client address.
const (
	ReportLimit  = 5
	ReportWindow = time.Hour
)

// Service serves the legal pages and takes barrier reports.
type Service struct {
	db       *store.DB
	notify   *notify.Notifier
	operator Operator
	pages    map[string]Page
}

// New renders the pages once: the defaults with the operator's data, then
// the files of settings.Dir in their place. A folder that cannot be read or
// a broken file fails here, at start.
func New(db *store.DB, n *notify.Notifier, settings Settings) (*Service, error) {
	s := &Service{db: db, notify: n, operator: settings.Operator, pages: map[string]Page{}}
	t, err := template.New("").Funcs(template.FuncMap{
		"lines": func(s string) []string {
			var out []string
			for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
				if l = strings.TrimSpace(l); l != "" {
					out = append(out, l)
				}
			}
			return out
		},
	}).ParseFS(defaults, "defaults/*.html")
	if err != nil {
		return nil, fmt.Errorf("legal: parse defaults: %w", err)
	}
	data := map[string]any{"Op": settings.Operator, "Base": strings.TrimRight(n.BaseURL(), "/")}
	for _, p := range titles {
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, p.slug+".html", data); err != nil {
			return nil, fmt.Errorf("legal: render %s: %w", p.slug, err)
		}
		s.pages[p.slug] = Page{Slug: p.slug, Title: p.title, Body: template.HTML(buf.String())}
	}
	if settings.Dir == "" {
		return s, nil
	}
	if _, err := os.Stat(settings.Dir); err != nil {
		return nil, fmt.Errorf("legal: folder %s: %w", settings.Dir, err)
	}
	for _, p := range titles {
		body, err := readOverride(settings.Dir, p.slug)
		if err != nil {
			return nil, err
		}
		if body != "" {
			s.pages[p.slug] = Page{Slug: p.slug, Title: p.title, Body: template.HTML(body), Custom: true}
		}
	}
	return s, nil
}

// readOverride returns the operator's content of the page slug from dir:
// the HTML fragment, else the Markdown file converted; "" when neither exists.
func readOverride(dir, slug string) (string, error) {
	for _, ext := range []string{".html", ".md"} {
		b, err := os.ReadFile(filepath.Join(dir, slug+ext))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return "", fmt.Errorf("legal: %w", err)
		}
		if !utf8.Valid(b) {
			return "", fmt.Errorf("legal: %s%s is not UTF-8", slug, ext)
		}
		if ext == ".md" {
			return Markdown(string(b)), nil
		}
		return string(b), nil
	}
	return "", nil
}

// Page returns the legal page slug; domain.ErrNotFound for another slug.
func (s *Service) Page(slug string) (Page, error) {
	p, ok := s.pages[slug]
	if !ok {
		return Page{}, domain.ErrNotFound
	}
	return p, nil
}

// Pages lists the legal pages in the footer's order.
func (s *Service) Pages() []Page {
	out := make([]Page, 0, len(titles))
	for _, t := range titles {
		out = append(out, s.pages[t.slug])
	}
	return out
}

// Operator is who runs the platform, as configured.
func (s *Service) Operator() Operator { return s.operator }

// reportMail is the data of the mail to the operator.
type reportMail struct {
	ID                                  int64
	When, Name, Email, PageURL, Message string
	Short                               string
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// ReportBarrier stores a report from the feedback form of the accessibility
// statement and mails it to the operator, when an address is configured.
// Anyone may report, logged in or not; addr is the client address, whose
// reports are limited to ReportLimit per ReportWindow.
func (s *Service) ReportBarrier(ctx context.Context, r *domain.BarrierReport, addr string) (err error) {
	defer domain.Wrap(&err, "legal.ReportBarrier")
	if err := r.Validate(); err != nil {
		return err
	}
	if err := s.db.Hit(ctx, "barrier-report:"+addr, ReportLimit, ReportWindow); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.CreateBarrierReport(ctx, r); err != nil {
			return err
		}
		if s.operator.Email != "" {
			short := r.Message
			if i := strings.IndexAny(short, "\r\n"); i >= 0 {
				short = short[:i]
			}
			if utf8.RuneCountInString(short) > 60 {
				short = string([]rune(short)[:60]) + " …"
			}
			data := reportMail{ID: r.ID, When: r.CreatedAt.In(berlin).Format("02.01.2006, 15:04") + " Uhr", Name: r.Name,
				Email: r.Email, PageURL: r.PageURL, Message: r.Message, Short: short}
			if err := s.notify.Enqueue(ctx, tx, s.operator.Email, "legal-barrier-report", data); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, 0, "barrier_report.create", "barrier_report", r.ID, map[string]string{"page": r.PageURL})
	})
}

// BarrierReports lists the newest reports (up to limit) for the platform's admins.
func (s *Service) BarrierReports(ctx context.Context, limit int) (rs []domain.BarrierReport, err error) {
	defer domain.Wrap(&err, "legal.BarrierReports(%s)", strconv.Itoa(limit))
	if err := authz.Check(domain.ActorFrom(ctx), authz.BarrierReportView, authz.Resource{}); err != nil {
		return nil, err
	}
	return s.db.BarrierReports(ctx, limit)
}
