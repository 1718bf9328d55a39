// Package app wires the feature services on one database: the command and
// the end-to-end tests build the platform from here, and the web layer holds
// an *App instead of the store. It holds no rules of its own.
package app

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/lotse-oss/lotse/internal/account"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/certify"
	"github.com/lotse-oss/lotse/internal/community"
	"github.com/lotse-oss/lotse/internal/desk"
	"github.com/lotse-oss/lotse/internal/directory"
	"github.com/lotse-oss/lotse/internal/events"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/legal"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/notify"
	"github.com/lotse-oss/lotse/internal/pilots"
	"github.com/lotse-oss/lotse/internal/privacy"
	"github.com/lotse-oss/lotse/internal/reports"
	"github.com/lotse-oss/lotse/internal/settlement"
	"github.com/lotse-oss/lotse/internal/store"
)

// App is the platform's services on one database.
type App struct {
	db      *store.DB
	Notify  *notify.Notifier
	Account *account.Service
	Funding *funding.Service
	Catalog *catalog.Service
	Booking *booking.Service
	Certify *certify.Service
	// Directory is the municipality directory.
	Directory *directory.Service
	// Desk is each person's start page.
	Desk *desk.Service
	// Legal serves the legal pages and takes barrier reports;
	// New gives it the defaults, SetLegal the operator's settings.
	Legal *legal.Service
	// Reports: the programme report.
	Reports *reports.Service
	// Settlement is the programme's budget and the providers' claims.
	Settlement *settlement.Service
	// Matching: self-assessment, role profiles, recommendations, learning
	// paths and demand signals.
	Matching *matching.Service
	// Pilots: the directory of digital pilots and their project briefs.
	Pilots *pilots.Service
	// Events: the associations' networking events.
	Events *events.Service
	// Community is the associations' members' space (Austausch).
	Community *community.Service
	// Privacy: data download, account deletion, retention.
	Privacy *privacy.Service

	// readyChecks are the checks added to /readyz (ready.go).
	readyChecks []Check
}

// New wires the services on db. baseURL is the public address for links in
// mails.
func New(db *store.DB, baseURL string, log *slog.Logger) *App {
	n := notify.MustNew(baseURL)
	a := &App{db: db, Notify: n}
	a.Account = account.New(db, n)
	a.AddReadyCheck("single sign-on", a.Account.SSOReady) // each provider's discovery
	a.Funding = funding.New(db, n)
	a.Catalog = catalog.New(db, baseURL, log)
	a.Funding.OnCatalogLabels(func(ctx context.Context) { // catalog: programme names in the funding facet
		if err := a.Catalog.Refresh(ctx); err != nil && log != nil {
			log.ErrorContext(ctx, "catalog refresh failed", "err", err)
		}
	})
	a.Certify = certify.New(db, baseURL)
	a.Directory = directory.New(db)
	a.Legal, _ = legal.New(db, n, legal.Settings{}) // the defaults always render (a test renders them)
	a.Booking = booking.New(db, n, a.Certify)
	a.Reports = reports.New(db) // reports: the programme report
	a.Settlement = settlement.New(db, n)
	a.Matching = matching.New(db, a.Catalog, a.Certify, n)
	a.Booking.OnCompleted(a.Matching.BookingCompleted) // matching: paths
	a.Pilots = pilots.New(db, n)                       // pilots: the directory
	a.Events = events.New(db, n)
	a.Events.OnAttended(a.Matching.NetworkingEventAttended)                                                   // the path's networking step
	a.Community = community.New(db, n)                                                                        // community: the members' space
	a.Pilots.WithDiscussions(func(ctx context.Context, channelID int64, title, body string) (string, error) { // project briefs discussed in the members' space
		t, err := a.Community.CreateThread(ctx, channelID, community.NewThread{Title: title, Body: body})
		if err != nil {
			return "", err
		}
		return "/austausch/themen/" + strconv.FormatInt(t.ID, 10), nil
	})
	a.Privacy = privacy.New(db, a.Account.PasswordMatches, log) // privacy: data download, deletion, retention
	// privacy: a deletion frees places of events; the waiting list moves up.
	a.Privacy.OnErase("event_registrations_released", a.Events.ReleaseForErasure)
	a.Desk = desk.New(a.Funding, a.Booking, a.Catalog, a.Certify, func() time.Time { return db.Now() })
	a.Desk.WithSettlement(a.Settlement) // settlement's desk section
	a.Desk.WithMatching(a.Matching)     // the person's development
	a.Desk.WithEvents(a.Events)         // events
	return a
}

// Now is the platform's clock (the database's, so tests can travel in time).
func (a *App) Now() time.Time { return a.db.Now() }

// Ping reports whether the database answers.
func (a *App) Ping(ctx context.Context) error { return a.db.Ping(ctx) }

// SetLegal configures the legal pages with the operator's data and folder;
// a folder that cannot be read or a broken page is an error, at start.
func (a *App) SetLegal(s legal.Settings) error {
	l, err := legal.New(a.db, a.Notify, s)
	if err != nil {
		return err
	}
	a.Legal = l
	return nil
}
