// Package desk assembles a person's start page: what they have to do and
// what comes next, by role. It decides nothing itself: every section is a
// list another service already scopes for the actor (applications, reviews,
// bookings, sessions, offers in review, mailbox, contingent), so the desk
// never shows more than the pages it links to.
package desk

import (
	"context"
	"slices"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/certify"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/events"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/matching"
	"github.com/lotse-oss/lotse/internal/settlement"
)

// Service reads the desk from the feature services.
type Service struct {
	funding *funding.Service
	booking *booking.Service
	catalog *catalog.Service
	certify *certify.Service
	now     func() time.Time
	// settlement, when set, gives the desk's settlement section.
	settlement *settlement.Service
	// matching, when set, gives the section on the person's development.
	matching *matching.Service
	// events, when set, gives the section on networking events.
	events *events.Service
}

// New returns the desk over the services.
func New(f *funding.Service, b *booking.Service, c *catalog.Service, cs *certify.Service, now func() time.Time) *Service {
	return &Service{funding: f, booking: b, catalog: c, certify: cs, now: now}
}

// Application is an application on the desk. CanEdit: the person may
// go on with a draft or revise a returned one (an account admin sees the
// municipality's applications without preparing them).
type Application struct {
	domain.Application
	CanEdit bool `json:"can_edit"`
}

// Desk is one person's start page. A nil or empty section is not shown.
type Desk struct {
	// Applications are the open applications of the person's
	// municipalities (draft, submitted, returned) and those decided in
	// the last 30 days.
	Applications []Application `json:"applications"`
	// Reviews are the applications waiting for the person's association.
	Reviews []domain.Application `json:"reviews"`
	// OffersInReview wait for an admin's quality review.
	OffersInReview []domain.Offer `json:"offers_in_review"`
	// Approvals are employer-paid bookings waiting for the person (HR).
	Approvals []domain.BookingDetail `json:"approvals"`
	// Requests are open funding requests the person decides (HR,
	// signatory); MyRequests the person's own, open or answered lately.
	Requests   []domain.FundingRequest `json:"funding_requests"`
	MyRequests []domain.FundingRequest `json:"my_funding_requests"`
	// FreeVouchers counts, per municipality the person hands vouchers
	// for, the unused vouchers nobody holds yet.
	FreeVouchers []FreeVouchers `json:"free_vouchers"`
	// Vouchers are the unused vouchers handed to the person.
	Vouchers []domain.HeldVoucher `json:"vouchers"`
	// Bookings are the person's own places still to come.
	Bookings []domain.BookingDetail `json:"bookings"`
	// Certificates of the person, newest first.
	Certificates []domain.Certificate `json:"certificates"`
	// Sessions need the staff of the person's providers.
	Sessions []SessionDue `json:"sessions"`
	// Contingents of the municipalities where the person signs.
	Contingents []OrgContingent `json:"contingents"`
	// Unread messages per organisation mailbox.
	Mailboxes []Mailbox `json:"mailboxes"`

	// Claims is the settlement work (nil: none).
	Claims *ClaimsDue `json:"claims,omitempty"`
	// Development is the person's self-assessment and learning (nil:
	// not for this person).
	Development *Development `json:"development,omitempty"`
	// Events are the person's networking events (nil: none).
	Events *Events `json:"events,omitempty"`
}

// SessionDue is a provider's session with what its staff should do.
type SessionDue struct {
	domain.ProviderSession
	// AttendanceDue: the session has begun and attendance is open.
	AttendanceDue bool `json:"attendance_due"`
}

// OrgContingent is a municipality's contingent in the default programme.
type OrgContingent struct {
	OrgID int64 `json:"organisation_id"`
	domain.Contingent
}

// FreeVouchers counts a municipality's vouchers waiting to be handed.
type FreeVouchers struct {
	OrgID   int64  `json:"organisation_id"`
	OrgName string `json:"organisation_name"`
	Count   int    `json:"count"`
}

// Mailbox counts an organisation's unread messages.
type Mailbox struct {
	OrgID   int64  `json:"organisation_id"`
	OrgName string `json:"organisation_name"`
	Unread  int    `json:"unread"`
}

// Empty reports whether the desk has nothing to show.
func (d *Desk) Empty() bool {
	return len(d.Applications) == 0 && len(d.Reviews) == 0 && len(d.OffersInReview) == 0 && len(d.Bookings) == 0 && len(d.Certificates) == 0 && len(d.Approvals) == 0 &&
		len(d.Requests) == 0 && len(d.MyRequests) == 0 && len(d.FreeVouchers) == 0 && len(d.Vouchers) == 0 &&
		len(d.Sessions) == 0 && len(d.Contingents) == 0 && len(d.Mailboxes) == 0 && d.Claims == nil
}

// Of returns the logged-in person's desk.
func (s *Service) Of(ctx context.Context) (d *Desk, err error) {
	defer domain.Wrap(&err, "desk.Of")
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	now := s.now()
	d = &Desk{}
	scope := authz.ApplicationScope(a)
	// Admins' scope is everything (nil lists): their desk is the review
	// queue, not every application of the state.
	if len(scope.OrgIDs) > 0 {
		apps, _, err := s.funding.Applications(ctx, domain.ApplicationFilter{Limit: 100})
		if err != nil {
			return nil, err
		}
		for _, app := range apps {
			if !slices.Contains(scope.OrgIDs, app.OrgID) {
				continue
			}
			if app.Status.Open() || (app.DecidedAt != nil && now.Sub(*app.DecidedAt) < 30*24*time.Hour) {
				d.Applications = append(d.Applications, Application{Application: app, CanEdit: s.funding.Rights(ctx, &app).Edit})
			}
		}
	}
	if len(scope.ReviewBy) > 0 {
		apps, _, err := s.funding.Applications(ctx, domain.ApplicationFilter{Status: domain.AppSubmitted, Limit: 100})
		if err != nil {
			return nil, err
		}
		for _, app := range apps {
			if !slices.Contains(scope.ReviewBy, app.ReviewerID) {
				continue
			}
			// The list leaves out a decision prepared under four eyes;
			// the desk says whose turn it is.
			full, err := s.funding.Application(ctx, app.ID, authz.ApplicationView)
			if err != nil {
				return nil, err
			}
			d.Reviews = append(d.Reviews, *full)
		}
	}
	if authz.Allowed(a, authz.OfferReview, authz.Resource{}) {
		offers, _, err := s.catalog.ReviewQueue(ctx)
		if err != nil {
			return nil, err
		}
		d.OffersInReview = offers
	}
	if authz.DecidesApprovals(a) {
		if d.Approvals, err = s.booking.Awaiting(ctx); err != nil {
			return nil, err
		}
	}
	if err := s.vouchers(ctx, a, now, d); err != nil {
		return nil, err
	}
	mine, err := s.booking.Mine(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range mine {
		if b.Status.Active() && b.Session.EndsAt.After(now) {
			d.Bookings = append(d.Bookings, b)
		}
	}
	if d.Certificates, err = s.certify.Mine(ctx); err != nil {
		return nil, err
	}
	if len(authz.ManagedProviders(a)) > 0 {
		ps, err := s.booking.ProviderSessions(ctx, 8)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			d.Sessions = append(d.Sessions, SessionDue{ProviderSession: p, AttendanceDue: p.AttendanceDue(now)})
		}
	}
	for _, m := range a.Memberships {
		if m.OrgKind == domain.OrgMunicipality && authz.Allowed(a, authz.ApplicationSubmit, authz.Resource{OrgID: m.OrgID}) {
			org, err := s.funding.Organisation(ctx, m.OrgID)
			if err != nil {
				return nil, err
			}
			var c *domain.Contingent
			p, err := s.funding.ProgrammeFor(ctx, org.AGS)
			if err == nil {
				c, err = s.funding.Contingent(ctx, p.ID, org.AGS)
			}
			if err == nil {
				d.Contingents = append(d.Contingents, OrgContingent{OrgID: m.OrgID, Contingent: *c})
			} else if code := domain.ErrorCode(err); code != domain.ENotFound && code != domain.EInvalid && code != domain.EBadRequest {
				return nil, err
			}
		}
	}
	for _, orgID := range authz.MailboxScope(a) {
		_, _, _, unread, err := s.funding.Mailbox(ctx, orgID, false, 0, 1, 0)
		if err != nil {
			return nil, err
		}
		if unread > 0 {
			d.Mailboxes = append(d.Mailboxes, Mailbox{OrgID: orgID, OrgName: orgName(a, orgID), Unread: unread})
		}
	}
	if d.Claims, err = s.claims(ctx, a); err != nil {
		return nil, err
	}
	if d.Development, err = s.development(ctx, a); err != nil {
		return nil, err
	}
	if d.Events, err = s.eventsSection(ctx, a); err != nil {
		return nil, err
	}
	return d, nil
}

func orgName(a *domain.Actor, id int64) string {
	for _, m := range a.Memberships {
		if m.OrgID == id {
			return m.OrgName
		}
	}
	return ""
}

// vouchers fills the voucher sections: requests to decide and one's own,
// vouchers waiting to be handed, vouchers held.
func (s *Service) vouchers(ctx context.Context, a *domain.Actor, now time.Time, d *Desk) error {
	rs, err := s.funding.FundingRequests(ctx, "")
	if err != nil {
		return err
	}
	for _, r := range rs {
		switch {
		case r.PersonID == a.PersonID():
			if r.Status == domain.RequestOpen || (r.DecidedAt != nil && now.Sub(*r.DecidedAt) < 30*24*time.Hour) {
				d.MyRequests = append(d.MyRequests, r)
			}
		case r.Status == domain.RequestOpen:
			d.Requests = append(d.Requests, r)
		}
	}
	for _, orgID := range authz.VoucherOrgScope(a) {
		vs, err := s.funding.MunicipalityVouchers(ctx, orgID)
		if err != nil {
			return err
		}
		n := 0
		for _, v := range vs {
			if v.State == domain.VoucherIssued && v.HolderEmail == "" && v.ExpiresAt.After(now) {
				n++
			}
		}
		if n > 0 {
			d.FreeVouchers = append(d.FreeVouchers, FreeVouchers{OrgID: orgID, OrgName: orgName(a, orgID), Count: n})
		}
	}
	held, err := s.funding.MyVouchers(ctx)
	if err != nil {
		return err
	}
	for _, v := range held {
		if v.State == domain.VoucherIssued || v.State == domain.VoucherReserved {
			d.Vouchers = append(d.Vouchers, v)
		}
	}
	return nil
}
