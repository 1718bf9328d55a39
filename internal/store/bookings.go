package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// lockSession reads a session and its offer and locks the session row, so
// that bookings of one session count and write one after the other (on
// SQLite the transaction holds the write lock already).
func (tx *Tx) lockSession(ctx context.Context, id int64) (*domain.Session, *domain.Offer, error) {
	q := `SELECT s.id, s.offer_id, s.starts_at, s.ends_at, s.days, s.capacity, s.online, s.ags, s.registration_deadline
		FROM offer_sessions s WHERE s.id = $1`
	if tx.db.Dialect == Postgres {
		q += " FOR UPDATE"
	}
	var s domain.Session
	err := tx.QueryRowContext(ctx, q, id).Scan(&s.ID, &s.OfferID, &s.StartsAt, &s.EndsAt, &s.Days, &s.Capacity, &s.Online, &s.AGS,
		&s.RegistrationDeadline)
	if errNoRows(err) {
		return nil, nil, domain.Errorf(domain.ENotFound, "Diesen Termin gibt es nicht.")
	} else if err != nil {
		return nil, nil, err
	}
	o, err := scanOffer(tx.QueryRowContext(ctx, `SELECT `+offerCols+offerFrom+`WHERE o.id = $1`, s.OfferID))
	if err != nil {
		return nil, nil, err
	}
	if err := tx.loadOfferDetails(ctx, []*domain.Offer{o}); err != nil {
		return nil, nil, err
	}
	return &s, o, nil
}

const bookingCols = `b.id, b.session_id, s.offer_id, COALESCE(b.person_id, 0), b.participant_name, b.participant_email, b.payment,
	COALESCE(b.voucher_code, ''), COALESCE(b.employer_id, 0), b.status, b.created_at, b.cancelled_at`

const bookingFrom = ` FROM bookings b JOIN offer_sessions s ON s.id = b.session_id `

func scanBooking(row interface{ Scan(...any) error }) (*domain.Booking, error) {
	var b domain.Booking
	var cancelled sql.NullTime
	if err := row.Scan(&b.ID, &b.SessionID, &b.OfferID, &b.PersonID, &b.ParticipantName, &b.ParticipantEmail, &b.Payment, &b.VoucherCode,
		&b.EmployerID, &b.Status, &b.CreatedAt, &cancelled); err != nil {
		if errNoRows(err) {
			return nil, domain.Errorf(domain.ENotFound, "Diese Buchung gibt es nicht.")
		}
		return nil, err
	}
	if b.VoucherCode != "" {
		b.VoucherCode = voucher.Code(b.VoucherCode).String()
	}
	b.CreatedAt = b.CreatedAt.UTC()
	b.CancelledAt = nullTime(cancelled)
	return &b, nil
}

// LockBooking locks the session of a booking and then reads the booking
// under that lock, so that what a transaction decides on (the booking's
// status, the places taken) cannot change before it commits. Reading the
// booking first and locking afterwards would decide on a status another
// transaction may already have changed.
func (tx *Tx) LockBooking(ctx context.Context, id int64) (*domain.Booking, *domain.Session, *domain.Offer, error) {
	var sessionID int64 // a booking never moves to another session
	err := tx.QueryRowContext(ctx, `SELECT session_id FROM bookings WHERE id = $1`, id).Scan(&sessionID)
	if errNoRows(err) {
		return nil, nil, nil, domain.ErrBookingNotFound
	} else if err != nil {
		return nil, nil, nil, err
	}
	s, o, err := tx.lockSession(ctx, sessionID)
	if err != nil {
		return nil, nil, nil, err
	}
	b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.id = $1`, id))
	if err != nil {
		return nil, nil, nil, err
	}
	return b, s, o, nil
}

// Booking returns a booking.
func (db *DB) Booking(ctx context.Context, id int64) (*domain.Booking, error) {
	return scanBooking(db.sql.QueryRowContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.id = $1`, id))
}

// SessionBookings lists a session's bookings in booking order.
func (db *DB) SessionBookings(ctx context.Context, sessionID int64) ([]domain.Booking, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+bookingCols+bookingFrom+`WHERE b.session_id = $1 ORDER BY b.id`, sessionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []domain.Booking{}
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *b)
	}
	return out, rows.Err()
}

// Book asks for a place in a session. Inside one transaction that locks the
// session it checks the registration deadline, counts the confirmed places
// from the rows, and either confirms the booking, puts it on the waiting
// list, or (employer invoice with approval) waits for HR. A voucher is
// checked and reserved in the same transaction: only for a session of its
// provider and a track the offer is funded by, before the session starts,
// while valid and unused. A repeated request with the same idempotency key
// returns the first booking.
func (db *DB) Book(ctx context.Context, in domain.BookingInput) (*domain.Booking, error) {
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
	if err := v.Err(); err != nil {
		return nil, err
	}
	actor := domain.ActorFrom(ctx).PersonID()
	var id int64
	err := db.transact(ctx, func(tx *Tx) error {
		if in.IdempotencyKey != "" && actor != 0 {
			err := tx.QueryRowContext(ctx, `SELECT id FROM bookings WHERE created_by = $1 AND idempotency_key = $2`, actor, in.IdempotencyKey).Scan(&id)
			if err == nil {
				return nil
			} else if !errNoRows(err) {
				return err
			}
		}
		s, o, err := tx.lockSession(ctx, in.SessionID)
		if err != nil {
			return err
		}
		if o.Status != domain.OfferPublished {
			return domain.Errorf(domain.ENotFound, "Diesen Termin gibt es nicht.")
		}
		if !tx.now.Before(s.RegistrationDeadline) {
			return domain.Errorf(domain.EConflict, "Die Anmeldung für diesen Termin ist geschlossen (Anmeldeschluss %s).", s.RegistrationDeadline.Format("02.01.2006"))
		}
		if code != "" {
			if err := tx.reserveVoucher(ctx, code, o, s); err != nil {
				return err
			}
		}
		status := domain.BookingAwaitingApproval
		if in.Payment != domain.PayEmployer || !in.NeedsApproval {
			if status, err = tx.placeStatus(ctx, s); err != nil {
				return err
			}
		}
		var person, employer, key, vc any
		if in.PersonID != 0 {
			person = in.PersonID
		}
		if in.EmployerID != 0 {
			employer = in.EmployerID
		}
		if in.IdempotencyKey != "" && actor != 0 {
			key = in.IdempotencyKey
		}
		if code != "" {
			vc = string(code)
		}
		var by any
		if actor != 0 {
			by = actor
		}
		if err := mapErr(tx.QueryRowContext(ctx, `INSERT INTO bookings (session_id, person_id, participant_name, participant_email, payment,
			voucher_code, employer_id, status, created_by, idempotency_key, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id`,
			s.ID, person, in.ParticipantName, in.ParticipantEmail, in.Payment, vc, employer, status, by, key, tx.now).Scan(&id)); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return domain.Errorf(domain.EConflict, "Dieser Gutschein ist bereits für eine Buchung reserviert.")
			}
			return err
		}
		return tx.audit(ctx, o.ProviderID, "booking.create", "booking", id, map[string]any{"session": s.ID, "status": status, "payment": in.Payment})
	})
	if err != nil {
		return nil, err
	}
	return db.Booking(ctx, id)
}

// placeStatus decides, under the session's lock, whether a new booking
// gets a place or joins the waiting list: places are counted from the rows,
// and nobody overtakes the waiting list.
func (tx *Tx) placeStatus(ctx context.Context, s *domain.Session) (string, error) {
	var confirmed, waiting int
	if err := tx.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN status IN ('confirmed', 'completed') THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0)
		FROM bookings WHERE session_id = $1`, s.ID).Scan(&confirmed, &waiting); err != nil {
		return "", err
	}
	if confirmed >= s.Capacity || waiting > 0 {
		return domain.BookingWaitlisted, nil
	}
	return domain.BookingConfirmed, nil
}

// reserveVoucher checks a voucher for a session and marks it reserved.
func (tx *Tx) reserveVoucher(ctx context.Context, code voucher.Code, o *domain.Offer, s *domain.Session) error {
	q := `SELECT state, provider_id, programme_id, track, expires_at FROM vouchers WHERE code = $1`
	if tx.db.Dialect == Postgres {
		q += " FOR UPDATE"
	}
	var st, prog, track string
	var provider int64
	var expires sql.NullTime
	err := tx.QueryRowContext(ctx, q, string(code)).Scan(&st, &provider, &prog, &track, &expires)
	if errNoRows(err) {
		return &domain.Error{Code: domain.EInvalid, Message: "Diesen Gutscheincode gibt es nicht.", Fields: map[string]string{"voucher": "Diesen Gutscheincode gibt es nicht."}}
	} else if err != nil {
		return err
	}
	refuse := func(msg string) error {
		return &domain.Error{Code: domain.EConflict, Message: msg, Fields: map[string]string{"voucher": msg}}
	}
	switch {
	case provider != o.ProviderID:
		return refuse("Dieser Gutschein gilt nur bei einem anderen Bildungsträger.")
	case !slices.Contains(o.FundingTracks, prog+"/"+track):
		return refuse("Dieser Gutschein gilt für eine andere Qualifizierung als dieses Angebot.")
	case expires.Valid && !tx.now.Before(expires.Time):
		return refuse("Dieser Gutschein ist abgelaufen.")
	case !tx.now.Before(s.StartsAt):
		return refuse("Der Termin hat bereits begonnen; ein Gutschein kann nur vorher eingelöst werden.")
	case st != domain.VoucherIssued:
		return refuse("Dieser Gutschein ist bereits verwendet (" + domain.VoucherStateLabel(st) + ").")
	}
	// A per-day voucher (advanced track) is worth the session's days at the
	// programme's rate, up to its maximum.
	value := int64(0)
	if p, err := tx.programme(ctx, prog); err == nil {
		if t, ok := p.Track(track); ok && t.Rule == domain.RulePerDay {
			value = t.VoucherValue(s.Days)
		}
	} else if domain.ErrorCode(err) != domain.ENotFound {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE vouchers SET state = 'reserved',
		value_cents = CASE WHEN $2 > 0 THEN $2 ELSE value_cents END WHERE code = $1 AND state = 'issued'`, string(code), value)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return refuse("Dieser Gutschein ist bereits verwendet.")
	}
	return tx.voucherEvent(ctx, string(code), o.ProviderID, domain.VoucherIssued, domain.VoucherReserved)
}

// CancelBooking cancels a booking. A reserved voucher is freed again if the
// session has not started; the first person on the waiting list moves up
// into a freed place and is told by e-mail.
func (db *DB) CancelBooking(ctx context.Context, id int64) (*domain.Booking, error) {
	err := db.transact(ctx, func(tx *Tx) error {
		b, s, o, err := tx.LockBooking(ctx, id)
		if err != nil {
			return err
		}
		if b.Status == domain.BookingCancelled {
			return domain.Errorf(domain.EConflict, "Diese Buchung ist bereits storniert.")
		}
		if b.Status == domain.BookingCompleted {
			return domain.Errorf(domain.EConflict, "Eine abgeschlossene Teilnahme lässt sich nicht stornieren.")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET status = 'cancelled', cancelled_at = $1, updated_at = $1 WHERE id = $2`, tx.now, id); err != nil {
			return err
		}
		// Before the registration deadline a cancellation frees the voucher.
		// Later, the offer's cancellation rule applies: the voucher stays
		// reserved until the provider releases it (by cancelling it themselves
		// before the start) or the attendance settles it.
		release := tx.now.Before(s.RegistrationDeadline) || (tx.now.Before(s.StartsAt) && domain.ActorFrom(ctx).HasRole(o.ProviderID, domain.RoleProviderStaff))
		if b.VoucherCode != "" && release {
			code := strings.ReplaceAll(b.VoucherCode, "-", "")
			if _, err := tx.ExecContext(ctx, `UPDATE vouchers SET state = 'issued' WHERE code = $1 AND state = 'reserved'`, code); err != nil {
				return err
			}
			if err := tx.voucherEvent(ctx, code, o.ProviderID, domain.VoucherReserved, domain.VoucherIssued); err != nil {
				return err
			}
		}
		if b.Status == domain.BookingConfirmed {
			var next int64
			var email, name string
			err := tx.QueryRowContext(ctx, `SELECT id, participant_email, participant_name FROM bookings WHERE session_id = $1 AND status = 'waitlisted'
				ORDER BY id LIMIT 1`, s.ID).Scan(&next, &email, &name)
			if err == nil {
				if _, err := tx.ExecContext(ctx, `UPDATE bookings SET status = 'confirmed', updated_at = $1 WHERE id = $2`, tx.now, next); err != nil {
					return err
				}
				if err := tx.enqueueMail(ctx, email, "Ihr Platz ist bestätigt: "+o.Title,
					"Guten Tag "+name+",\n\nin „"+o.Title+"“ am "+s.StartsAt.Format("02.01.2006")+" ist ein Platz frei geworden. "+
						"Sie sind von der Warteliste nachgerückt; Ihre Anmeldung ist bestätigt.\n\nIhr Lotse-Team"); err != nil {
					return err
				}
				if err := tx.audit(ctx, o.ProviderID, "booking.move_up", "booking", next, nil); err != nil {
					return err
				}
			} else if !errNoRows(err) {
				return err
			}
		}
		return tx.audit(ctx, o.ProviderID, "booking.cancel", "booking", id, map[string]string{"from": b.Status})
	})
	if err != nil {
		return nil, err
	}
	return db.Booking(ctx, id)
}

// ApproveBooking lets HR approve a booking paid by the employer; it then
// takes a free place or joins the waiting list, counted under the lock.
func (db *DB) ApproveBooking(ctx context.Context, id int64) (*domain.Booking, error) {
	err := db.transact(ctx, func(tx *Tx) error {
		b, s, o, err := tx.LockBooking(ctx, id)
		if err != nil {
			return err
		}
		if b.Status != domain.BookingAwaitingApproval {
			return domain.Errorf(domain.EConflict, "Diese Buchung wartet nicht auf eine Freigabe.")
		}
		status, err := tx.placeStatus(ctx, s)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE bookings SET status = $1, updated_at = $2 WHERE id = $3`, status, tx.now, id); err != nil {
			return err
		}
		return tx.audit(ctx, o.ProviderID, "booking.approve", "booking", id, map[string]string{"status": status})
	})
	if err != nil {
		return nil, err
	}
	return db.Booking(ctx, id)
}

// BookingDetail is a booking with its offer and session, for lists.
type BookingDetail struct {
	domain.Booking
	OfferTitle string         `json:"offer_title"`
	Provider   string         `json:"provider"`
	ProviderID int64          `json:"provider_id"`
	Session    domain.Session `json:"session"`
	// CertificateID is set once the booking is completed.
	CertificateID string `json:"certificate_id,omitempty"`
}

// PersonBookings lists the bookings of a person (by account or address),
// next session first.
func (db *DB) PersonBookings(ctx context.Context, personID int64, email string) ([]BookingDetail, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+bookingCols+`, o.title, p.name, o.provider_id, s.starts_at, s.ends_at, s.days, s.online,
		s.ags, COALESCE(m.name, ''), s.address, COALESCE((SELECT c.id FROM certificates c WHERE c.booking_id = b.id), '')
		FROM bookings b JOIN offer_sessions s ON s.id = b.session_id JOIN offers o ON o.id = s.offer_id
		JOIN organisations p ON p.id = o.provider_id LEFT JOIN municipalities m ON m.ags = s.ags
		WHERE b.person_id = $1 OR b.participant_email = $2 ORDER BY s.starts_at, b.id`, personID, domain.NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []BookingDetail{}
	for rows.Next() {
		var d BookingDetail
		var cancelled sql.NullTime
		b := &d.Booking
		if err := rows.Scan(&b.ID, &b.SessionID, &b.OfferID, &b.PersonID, &b.ParticipantName, &b.ParticipantEmail, &b.Payment, &b.VoucherCode,
			&b.EmployerID, &b.Status, &b.CreatedAt, &cancelled, &d.OfferTitle, &d.Provider, &d.ProviderID, &d.Session.StartsAt, &d.Session.EndsAt,
			&d.Session.Days, &d.Session.Online, &d.Session.AGS, &d.Session.Place, &d.Session.Address, &d.CertificateID); err != nil {
			return nil, err
		}
		if b.VoucherCode != "" {
			b.VoucherCode = voucher.Code(b.VoucherCode).String()
		}
		b.CancelledAt = nullTime(cancelled)
		d.Session.ID, d.Session.OfferID = b.SessionID, b.OfferID
		d.Session.StartsAt, d.Session.EndsAt = d.Session.StartsAt.UTC(), d.Session.EndsAt.UTC()
		out = append(out, d)
	}
	return out, rows.Err()
}

// CalendarToken returns a new secret for the person's calendar feed,
// replacing any earlier one.
func (db *DB) CalendarToken(ctx context.Context, personID int64) (string, error) {
	token, hash := newSecret("")
	_, err := db.sql.ExecContext(ctx, `INSERT INTO calendar_tokens (person_id, token_hash, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (person_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at`, personID, hash, db.Now())
	return token, err
}

// CalendarPerson returns the person of a calendar feed secret.
func (db *DB) CalendarPerson(ctx context.Context, token string) (*domain.Person, error) {
	var id int64
	err := db.sql.QueryRowContext(ctx, `SELECT person_id FROM calendar_tokens WHERE token_hash = $1`, hashSecret(token)).Scan(&id)
	if errNoRows(err) {
		return nil, domain.Errorf(domain.ENotFound, "Diesen Kalender gibt es nicht.")
	} else if err != nil {
		return nil, err
	}
	return db.PersonByID(ctx, id)
}
