package booking

import (
	"context"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// Request is a request for a place as a person makes it.
type Request struct {
	SessionID int64
	// Participant is nil when the person books for themself.
	Participant *Participant
	Payment     string
	Voucher     string // the code as typed
	// Employer is the municipality to bill; 0 means the booking person's
	// first municipality.
	Employer       int64
	IdempotencyKey string
}

// Participant names the person a place is booked for.
type Participant struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Book books a place. One books for oneself; the staff of the session's
// provider for anyone, HR of a municipality for its own members (authz
// decides). An employer invoice of a member who is not HR waits for HR's
// approval.
func (s *Service) Book(ctx context.Context, req Request) (b *domain.Booking, err error) {
	defer domain.Wrap(&err, "booking.Book(session %d)", req.SessionID)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.BookingCreate, authz.Resource{}); err != nil {
		return nil, err
	}
	in := domain.BookingInput{SessionID: req.SessionID, Payment: req.Payment, Voucher: req.Voucher, IdempotencyKey: req.IdempotencyKey}
	employer := req.Employer
	if employer == 0 {
		employer = firstMunicipality(a.Memberships)
	}
	if req.Participant == nil || domain.NormalizeEmail(req.Participant.Email) == a.Person.Email {
		in.PersonID, in.ParticipantName, in.ParticipantEmail = a.Person.ID, a.Person.Name, a.Person.Email
		in.ParticipantOrgs = orgIDs(a.Memberships)
		if req.Payment == domain.PayEmployer {
			if !authz.CanBillEmployer(a, employer) {
				return nil, domain.ErrEmployerNotMember
			}
			in.EmployerID = employer
			in.NeedsApproval = authz.NeedsApproval(a, employer)
		}
	} else {
		_, provider, _, err := s.db.SessionProvider(ctx, req.SessionID)
		if err != nil {
			return nil, err
		}
		in.ParticipantName, in.ParticipantEmail = req.Participant.Name, req.Participant.Email
		p, err := s.db.PersonByEmail(ctx, req.Participant.Email)
		switch {
		case err == nil:
			ms, err := s.db.Memberships(ctx, p.ID)
			if err != nil {
				return nil, err
			}
			in.PersonID, in.ParticipantOrgs = p.ID, orgIDs(ms)
		case domain.ErrorCode(err) != domain.ENotFound:
			return nil, err
		}
		if !authz.CanBookFor(a, authz.BookingTarget{ProviderID: provider, EmployerID: employer, ParticipantOrgs: in.ParticipantOrgs}) {
			return nil, domain.ErrBookForOthers
		}
		if req.Payment == domain.PayEmployer && !authz.NeedsApproval(a, employer) {
			in.EmployerID = employer
		}
	}
	return s.Place(ctx, in)
}

// Place writes a booking whose booking person the caller has checked
// (Book does). Under the session's lock it checks the registration
// deadline, that the participant holds no other place in the session,
// checks and reserves the voucher, counts the places from the rows and
// confirms the booking, puts it on the waiting list or (employer invoice
// with approval) lets it wait for HR. A repeated request with the same
// idempotency key returns the first booking.
func (s *Service) Place(ctx context.Context, in domain.BookingInput) (b *domain.Booking, err error) {
	defer domain.Wrap(&err, "booking.Place(session %d)", in.SessionID)
	code, err := validate(&in)
	if err != nil {
		return nil, err
	}
	actor := domain.ActorFrom(ctx).PersonID()
	if actor == 0 {
		in.IdempotencyKey = ""
	}
	var id int64
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		b = nil // of an attempt rolled back
		// privacy: the participant's account first (shared), then the
		// session, in the order the deletion of an account takes them; an
		// account deleted meanwhile gets no booking.
		if in.PersonID != 0 {
			if ok, err := tx.PersonActive(ctx, in.PersonID); err != nil {
				return err
			} else if !ok {
				if in.PersonID == actor {
					return domain.ErrUnauthorized
				}
				return domain.Errorf(domain.EConflict, "Das Konto dieser Person gibt es nicht mehr.")
			}
		}
		ses, o, err := tx.LockSession(ctx, in.SessionID)
		if err != nil {
			return err
		}
		// Under the lock, so that a retry racing its first request finds it.
		if in.IdempotencyKey != "" {
			first, err := tx.IdempotentBooking(ctx, actor, in.IdempotencyKey)
			if err != nil || first != 0 {
				id = first
				return err
			}
		}
		if o.Status != domain.OfferPublished {
			return domain.ErrSessionNotFound
		}
		now := tx.Now()
		if !now.Before(ses.RegistrationDeadline) {
			return domain.ErrRegistrationClosed(ses.RegistrationDeadline)
		}
		taken, confirmed, waiting, err := tx.SessionPlaces(ctx, ses.ID, in.PersonID, in.ParticipantEmail)
		if err != nil {
			return err
		}
		if taken {
			return domain.ErrAlreadyBooked
		}
		if code != "" {
			if err := s.reserve(ctx, tx, code, &in, o, ses); err != nil {
				return err
			}
		}
		status, position := domain.BookingAwaitingApproval, 0
		if in.Payment != domain.PayEmployer || !in.NeedsApproval {
			status, position = domain.PlaceStatus(ses.Capacity, confirmed, waiting), waiting+1
		}
		nb := &domain.Booking{SessionID: ses.ID, OfferID: o.ID, PersonID: in.PersonID, ParticipantName: in.ParticipantName,
			ParticipantEmail: in.ParticipantEmail, Payment: in.Payment, VoucherCode: string(code), EmployerID: in.EmployerID, Status: status}
		if err := tx.InsertBooking(ctx, nb, in.IdempotencyKey); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				if code != "" {
					return domain.ErrVoucherTaken
				}
				return domain.ErrAlreadyBooked
			}
			return err
		}
		if code != "" {
			nb.VoucherCode, nb.VoucherState = code.String(), domain.VoucherReserved // as a stored booking reads
		}
		id, b = nb.ID, nb
		if err := s.tellBooked(ctx, tx, detailOf(nb, ses, o), position); err != nil {
			return err
		}
		return tx.Audit(ctx, o.ProviderID, "booking.create", "booking", id, map[string]any{"session": ses.ID, "status": status, "payment": in.Payment})
	})
	if err != nil {
		return nil, err
	}
	if b == nil { // a repeated request: the first booking
		return s.db.Booking(ctx, id)
	}
	return b, nil
}

// detailOf is a new booking with the session and offer its transaction
// locked and read: what its mail and answer need, without reading the
// booking back.
func detailOf(b *domain.Booking, ses *domain.Session, o *domain.Offer) *domain.BookingDetail {
	return &domain.BookingDetail{Booking: *b, OfferTitle: o.Title, Provider: o.ProviderName, ProviderID: o.ProviderID, Session: *ses,
		PriceCents: o.PriceCents}
}

// tellBooked mails the participant of a new booking: the confirmation with
// the calendar file, or their place on the waiting list. A booking waiting
// for HR is told when HR decides; HR is told that it waits.
func (s *Service) tellBooked(ctx context.Context, tx *store.Tx, d *domain.BookingDetail, position int) error {
	switch d.Status {
	case domain.BookingConfirmed:
		data := map[string]any{"Name": d.ParticipantName, "Title": d.OfferTitle, "Start": d.Session.StartsAt, "End": d.Session.EndsAt,
			"Place": place(d), "Provider": d.Provider}
		return s.notify.EnqueueWith(ctx, tx, d.ParticipantEmail, "booking-confirmed", data, calendarAttachment(s.notify.BaseURL(), d))
	case domain.BookingWaitlisted:
		data := map[string]any{"Name": d.ParticipantName, "Title": d.OfferTitle, "Start": d.Session.StartsAt, "Position": position}
		return s.notify.Enqueue(ctx, tx, d.ParticipantEmail, "booking-waitlisted", data)
	case domain.BookingAwaitingApproval:
		// HR of the employer decides; they learn of it at once, not only
		// on their desk.
		to, err := tx.MemberEmails(ctx, d.EmployerID, domain.RoleHR)
		if err != nil {
			return err
		}
		data := map[string]any{"Name": d.ParticipantName, "Title": d.OfferTitle, "Start": d.Session.StartsAt, "Price": d.PriceCents,
			"Provider": d.Provider}
		for _, addr := range to {
			if err := s.notify.Enqueue(ctx, tx, addr, "booking-approval-needed", data); err != nil {
				return err
			}
		}
	}
	return nil
}

// reserve checks a voucher for a session under its row lock and marks it
// reserved: for its holder (or, while nobody holds it, a member of its
// municipality booked by its HR or signatories: authz decides), a session
// of its provider and a track the offer is funded by, before the session
// starts, while valid and unused.
func (s *Service) reserve(ctx context.Context, tx *store.Tx, code voucher.Code, in *domain.BookingInput, o *domain.Offer, ses *domain.Session) error {
	v, err := tx.LockVoucher(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return domain.ErrVoucherNotFound
	} else if err != nil {
		return err
	}
	if err := domain.VoucherUsable(v, o, ses, tx.Now()); err != nil {
		return err
	}
	if err := authz.CanUseVoucher(domain.ActorFrom(ctx), authz.VoucherUse{VoucherOrg: v.OrgID, Municipality: v.Municipality,
		Holder: v.HolderEmail, ParticipantEmail: in.ParticipantEmail, ParticipantOrgs: in.ParticipantOrgs}, v.ProviderID); err != nil {
		return err
	}
	// A per-day voucher (advanced track) is worth the session's days at the
	// programme's rate, up to its maximum.
	value := int64(0)
	if p, err := tx.VoucherProgramme(ctx, v.ProgrammeID); err == nil {
		if t, ok := p.Track(v.Track); ok && t.Rule == domain.RulePerDay {
			value = t.VoucherValue(ses.Days)
		}
	} else if domain.ErrorCode(err) != domain.ENotFound {
		return err
	}
	err = tx.ChangeVoucher(ctx, store.VoucherChange{Code: code, OrgID: o.ProviderID, From: domain.VoucherIssued, To: domain.VoucherReserved, ValueCents: value})
	if domain.ErrorCode(err) == domain.EConflict {
		return domain.ErrVoucherUsed
	}
	return err
}

// validate normalises a booking input and returns its voucher code.
func validate(in *domain.BookingInput) (voucher.Code, error) {
	in.ParticipantName = strings.TrimSpace(in.ParticipantName)
	in.ParticipantEmail = domain.NormalizeEmail(in.ParticipantEmail)
	v := domain.Validation{}
	if in.ParticipantName == "" {
		v.Add("participant.name", "Bitte geben Sie den Namen der teilnehmenden Person an.")
	}
	if !domain.ValidEmail(in.ParticipantEmail) {
		v.Add("participant.email", "Bitte geben Sie eine gültige E-Mail-Adresse der teilnehmenden Person an.")
	}
	if !slices.Contains([]string{domain.PayVoucher, domain.PayEmployer, domain.PayPrivate}, in.Payment) {
		v.Add("payment", "Bitte wählen Sie, wie bezahlt wird: Gutschein, Rechnung an den Arbeitgeber oder privat.")
	}
	var code voucher.Code
	if in.Payment == domain.PayVoucher {
		c, err := voucher.Parse(in.Voucher)
		if err != nil {
			v.Add("voucher", err.Error())
		}
		code = c
	}
	return code, v.Err()
}

// firstMunicipality is the first municipality among memberships, the
// employer a booking is billed to unless the request names one.
func firstMunicipality(ms []domain.Membership) int64 {
	for _, m := range ms {
		if m.OrgKind == domain.OrgMunicipality {
			return m.OrgID
		}
	}
	return 0
}

func orgIDs(ms []domain.Membership) []int64 {
	out := make([]int64, 0, len(ms))
	for _, m := range ms {
		out = append(out, m.OrgID)
	}
	return out
}
