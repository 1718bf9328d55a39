// Package privacy is the home of the data-protection use cases (DSGVO): a
// person's data download (JSON and a readable summary), the deletion of an
// account (what must stay for legal or accounting reasons is anonymised, the
// rest deleted) and the nightly retention purge. Each method takes the actor
// from the context, asks authz and reads or writes through store in one
// transaction with its audit entry, which names people only by ID. It holds
// no SQL and no HTTP: the kinds of data and the steps of a deletion are
// listed in store/privacy.go.
package privacy

import (
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// PasswordCheck reports whether pw is the password of the stored hash.
type PasswordCheck func(ctx context.Context, hash, pw string) (bool, error)

// Service runs the privacy use cases.
type Service struct {
	db        *store.DB
	checkPW   PasswordCheck
	retention domain.Retention
	log       *slog.Logger
	// releases run inside a deletion before its steps (OnErase).
	releases []release
}

// release is a use case of another service that gives up what the person
// holds, inside the deletion's transaction; its count is kept under kind.
type release struct {
	kind string
	run  func(ctx context.Context, tx *store.Tx, personID int64) (int64, error)
}

// OnErase adds fn to run inside the transaction that deletes an account,
// after the checks and before the steps of store.ErasureSteps, with the
// person's row locked: a service whose rows hold scarce places gives them
// up there its own way (events: the waiting list moves up, with its mail
// and audit), which SQL alone cannot. What fn returns counts under kind in
// the deletion's audit entry; an error rolls the deletion back. The app
// wires the events service; privacy imports none of them.
func (s *Service) OnErase(kind string, fn func(ctx context.Context, tx *store.Tx, personID int64) (int64, error)) {
	s.releases = append(s.releases, release{kind: kind, run: fn})
}

// New returns the privacy service with the default retention periods.
// check verifies the password of a person deleting their account.
func New(db *store.DB, check PasswordCheck, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, checkPW: check, retention: domain.DefaultRetention(), log: log}
}

// SetRetention replaces the retention periods (from the configuration).
func (s *Service) SetRetention(r domain.Retention) { s.retention = r }

// Retention returns the retention periods in force.
func (s *Service) Retention() domain.Retention { return s.retention }

// DeleteConfirmWord is what a person without a password types to confirm
// the deletion of their account.
const DeleteConfirmWord = "LÖSCHEN"

// Limits of deletion attempts per person: a wrong password counts, so the
// form cannot be used to guess it.
const (
	deleteWindow   = 15 * time.Minute
	maxDeleteTries = 5
)

// DeleteSelf deletes the acting person's account. A person with a password
// confirms with it; one without (an account that only ever logged in
// through a link or a provider) types DeleteConfirmWord.
func (s *Service) DeleteSelf(ctx context.Context, password, confirm string) (counts map[string]int64, err error) {
	defer domain.Wrap(&err, "privacy.DeleteSelf")
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.PrivacyDelete, authz.Resource{PersonID: a.PersonID()}); err != nil {
		return nil, err
	}
	p, err := s.db.PersonByID(ctx, a.PersonID())
	if err != nil {
		return nil, err
	}
	if err := s.db.Hit(ctx, "account-delete:"+strconv.FormatInt(p.ID, 10), maxDeleteTries, deleteWindow); err != nil {
		return nil, err
	}
	v := domain.Validation{}
	if p.PasswordHash != "" {
		if password == "" {
			v.Add("password", "Bitte geben Sie Ihr Passwort an, um die Löschung zu bestätigen.")
		} else if ok, err := s.checkPW(ctx, p.PasswordHash, password); err != nil {
			return nil, err
		} else if !ok {
			v.Add("password", "Das Passwort stimmt nicht.")
		}
	} else if strings.TrimSpace(confirm) != DeleteConfirmWord {
		v.Add("confirm", "Bitte tippen Sie „"+DeleteConfirmWord+"“ ein, um die Löschung zu bestätigen.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.erase(ctx, p.ID, true)
}

// DeletePerson deletes the account of person id on request, by an admin.
func (s *Service) DeletePerson(ctx context.Context, id int64) (counts map[string]int64, err error) {
	defer domain.Wrap(&err, "privacy.DeletePerson(%d)", id)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.PrivacyDelete, authz.Resource{PersonID: id}); err != nil {
		return nil, err
	}
	return s.erase(ctx, id, id == a.PersonID())
}

// erase runs the steps of a deletion in one transaction, after the rules
// that keep the platform working: no organisation loses its last account
// admin, the platform keeps an admin, and bookings of sessions to come
// (confirmed, waiting or awaiting approval: each may hold a voucher) are
// cancelled first, by the person or the provider, so that the voucher and
// the place go back the usual way. Registrations for events to come are
// given up inside the deletion (OnErase), the waiting list moving up.
func (s *Service) erase(ctx context.Context, id int64, self bool) (counts map[string]int64, err error) {
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		counts = map[string]int64{}
		// The person's row first, held to the commit: nothing that holds
		// a place is added for them meanwhile (see store.PersonActive).
		if err := tx.LockPersonForErasure(ctx, id); err != nil {
			return err
		}
		p, deleted, err := tx.PersonForPrivacy(ctx, id)
		if err != nil {
			return err
		}
		if deleted != nil {
			return domain.ErrNotFound
		}
		who := "Die Person ist"
		if self {
			who = "Sie sind"
		}
		if sole, err := tx.SolePlatformAdmin(ctx, id); err != nil {
			return err
		} else if sole {
			return domain.Errorf(domain.EConflict, "%s die letzte Person, die die Plattform verwaltet. Geben Sie die Rolle „Plattformadministration“ zuerst einer anderen Person.", who)
		}
		if orgs, err := tx.SoleAccountAdminOrgs(ctx, id); err != nil {
			return err
		} else if len(orgs) > 0 {
			return domain.Errorf(domain.EConflict, "%s die einzige Person, die %s verwaltet. Geben Sie die Rolle „Kontoverwaltung“ zuerst einer anderen Person.",
				who, orgList(orgs))
		}
		if n, err := tx.UpcomingBookings(ctx, id, p.Email); err != nil {
			return err
		} else if n > 0 {
			return upcomingBookingsError(n, self)
		}
		for _, r := range s.releases {
			n, err := r.run(ctx, tx, p.ID)
			if err != nil {
				return err
			}
			if n > 0 {
				counts[r.kind] = n
			}
		}
		for _, step := range store.ErasureSteps {
			n, err := step.Run(ctx, tx, p)
			if err != nil {
				return err
			}
			if n > 0 {
				counts[step.Kind] = n
			}
		}
		return tx.Audit(ctx, 0, "person.delete", "person", id, map[string]any{"self": self, "rows": counts})
	})
	if err != nil {
		counts = nil
	}
	return counts, err
}

// upcomingBookingsError refuses a deletion while the person has n bookings
// of sessions to come. Waiting and awaiting approval count as well: each
// may hold a voucher, and whether a cancellation gives it back is the
// booking's rule (its deadline), so the person or the provider cancels
// them the usual way, and a freed place goes to the waiting list.
func upcomingBookingsError(n int, self bool) error {
	b := "noch eine Buchung für einen kommenden Termin (bestätigt, auf der Warteliste oder zur Freigabe)"
	if n > 1 {
		b = "noch " + strconv.Itoa(n) + " Buchungen für kommende Termine (bestätigt, auf der Warteliste oder zur Freigabe)"
	}
	who := "Die Person hat"
	if self {
		who = "Sie haben"
	}
	return domain.Errorf(domain.EConflict, "%s %s. Bitte stornieren Sie sie zuerst, damit Plätze und Bildungsvoucher auf dem üblichen Weg frei werden.", who, b)
}

// orgList names organisations for a sentence: "das Behördenkonto „A“" or
// "die Behördenkonten „A“ und „B“".
func orgList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "„" + n + "“"
	}
	if len(q) == 1 {
		return "das Konto " + q[0]
	}
	return "die Konten " + strings.Join(q[:len(q)-1], ", ") + " und " + q[len(q)-1]
}
