package settlement

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// maxBudgetCents bounds a year's budget (one billion euros).
const maxBudgetCents = 100_000_000_000

// Budget returns a programme's balances for a year, computed from its
// ledger: its funder and admins may see it.
func (s *Service) Budget(ctx context.Context, programme string, year int) (b *domain.Budget, err error) {
	defer domain.Wrap(&err, "settlement.Budget(%s, %d)", programme, year)
	p, err := s.programme(ctx, programme)
	if err != nil {
		return nil, err
	}
	if err := authz.Check(domain.ActorFrom(ctx), authz.BudgetView, authz.Resource{OrgID: p.FunderID}); err != nil {
		return nil, err
	}
	if err := validYear(year); err != nil {
		return nil, err
	}
	return s.db.Budget(ctx, programme, year)
}

// Ledger returns the newest entries of a programme's budget year.
func (s *Service) Ledger(ctx context.Context, programme string, year, limit int) (es []domain.BudgetEntry, err error) {
	defer domain.Wrap(&err, "settlement.Ledger(%s, %d)", programme, year)
	p, err := s.programme(ctx, programme)
	if err != nil {
		return nil, err
	}
	if err := authz.Check(domain.ActorFrom(ctx), authz.BudgetView, authz.Resource{OrgID: p.FunderID}); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.db.BudgetEntries(ctx, programme, year, limit)
}

// BudgetYears lists the years with ledger entries, newest first, and the
// current year when it has none.
func (s *Service) BudgetYears(ctx context.Context, programme string) (ys []int, err error) {
	defer domain.Wrap(&err, "settlement.BudgetYears(%s)", programme)
	p, err := s.programme(ctx, programme)
	if err != nil {
		return nil, err
	}
	if err := authz.Check(domain.ActorFrom(ctx), authz.BudgetView, authz.Resource{OrgID: p.FunderID}); err != nil {
		return nil, err
	}
	ys, err = s.db.BudgetYears(ctx, programme)
	if err != nil {
		return nil, err
	}
	now := domain.BudgetYear(s.db.Now())
	if len(ys) == 0 || ys[0] < now {
		ys = append([]int{now}, ys...)
	}
	return ys, nil
}

// SetBudget sets the budget of a programme's year to cents: the
// programme's funder may. The change is a plan entry of the difference in
// the ledger (and the audit log); the budget cannot drop below what the
// year's vouchers already bind.
func (s *Service) SetBudget(ctx context.Context, programme string, year int, cents int64, note string) (b *domain.Budget, err error) {
	defer domain.Wrap(&err, "settlement.SetBudget(%s, %d)", programme, year)
	p, err := s.programme(ctx, programme)
	if err != nil {
		return nil, err
	}
	if err := authz.Check(domain.ActorFrom(ctx), authz.BudgetEdit, authz.Resource{OrgID: p.FunderID}); err != nil {
		return nil, err
	}
	v := domain.Validation{}
	if err := validYear(year); err != nil {
		v.Add("year", "Bitte geben Sie ein Haushaltsjahr zwischen 2000 und 2100 an.")
	}
	if cents < 0 || cents > maxBudgetCents {
		v.Add("amount_cents", "Das Budget muss zwischen 0 € und 1 Milliarde € liegen.")
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 500 {
		v.Add("note", "Die Bemerkung darf höchstens 500 Zeichen lang sein.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.LockBudget(ctx, programme, year); err != nil {
			return err
		}
		cur, err := tx.Budget(ctx, programme, year)
		if err != nil {
			return err
		}
		bound := cur.PlannedCents - cur.FreeCents // committed + paid
		if cents < bound {
			return &domain.Error{Code: domain.EInvalid, Message: "Das Budget ist zu klein.", Fields: map[string]string{
				"amount_cents": fmt.Sprintf("Das Budget darf nicht unter die bereits gebundenen und ausgezahlten Mittel von %s sinken.", domain.Money(bound))}}
		}
		n, err := tx.CountBudgetEntries(ctx, programme, year, domain.EntryPlan)
		if err != nil {
			return err
		}
		if cur.Planned && cents == cur.PlannedCents {
			b = cur
			return nil
		}
		if _, err := tx.Book(ctx, store.LedgerEntry{Programme: programme, Year: year, Kind: domain.EntryPlan, Amount: cents - cur.PlannedCents,
			Key: fmt.Sprintf("plan:%s:%d:%d", programme, year, n+1), Note: note}); err != nil {
			return err
		}
		if err := tx.Audit(ctx, p.FunderID, "budget.set", "programme", programme, map[string]string{"year": fmt.Sprint(year),
			"from": domain.Money(cur.PlannedCents), "to": domain.Money(cents), "note": note}); err != nil {
			return err
		}
		b, err = tx.Budget(ctx, programme, year)
		return err
	})
	return b, err
}

func validYear(y int) error {
	if y < 2000 || y > 2100 {
		return domain.Errorf(domain.EInvalid, "Bitte geben Sie ein Haushaltsjahr zwischen 2000 und 2100 an.")
	}
	return nil
}
