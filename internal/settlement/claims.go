package settlement

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// ClaimInput is what a provider's staff gives to start a claim.
type ClaimInput struct {
	Programme string `json:"programme"`
	// Provider is the provider the claim is for; 0: the actor's only provider.
	Provider int64 `json:"provider,omitempty"`
	// Vouchers are the codes to claim; empty: all redeemed vouchers of the
	// provider that are in no claim yet.
	Vouchers []string `json:"vouchers"`
}

// maxClaimVouchers bounds one claim.
const maxClaimVouchers = 5000

// CreateClaim collects redeemed (or late-cancelled) vouchers of the actor's
// provider into a new claim (a draft): the chosen ones, or all that are in
// no claim yet. The vouchers are locked while they are checked, and the
// database keeps a voucher in at most one open or approved claim.
func (s *Service) CreateClaim(ctx context.Context, in ClaimInput) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.CreateClaim(%s)", in.Programme)
	a := domain.ActorFrom(ctx)
	provider, err := actorProvider(a, in.Provider)
	if err != nil {
		return nil, err
	}
	p, err := s.programme(ctx, in.Programme)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, fieldError("programme", "Bitte wählen Sie ein Förderprogramm.")
	} else if err != nil {
		return nil, err
	}
	if !p.FundsProvider(provider) {
		return nil, fieldError("programme", "Dieses Förderprogramm fördert keine Angebote Ihres Bildungsträgers.")
	}
	codes, err := parseCodes(in.Vouchers)
	if err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		items, err := claimable(ctx, tx, p.ID, provider, codes)
		if err != nil {
			return err
		}
		c = &domain.Claim{Kind: domain.ClaimInvoice, ProgrammeID: p.ID, ProviderID: provider, Status: domain.ClaimDraft}
		if err := tx.CreateClaim(ctx, c); err != nil {
			return err
		}
		if err := tx.AddClaimItems(ctx, c, items); err != nil {
			return alreadyClaimed(err)
		}
		return tx.StepClaim(ctx, c, store.ClaimStep{Action: "create", From: domain.ClaimDraft, To: domain.ClaimDraft,
			Comment: domain.Plural(len(items), "Gutschein", "Gutscheine")})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Claim(ctx, c.ID)
}

// claimable locks the vouchers to claim and checks that each chosen code
// can be claimed; without codes it takes all claimable ones.
func claimable(ctx context.Context, tx *store.Tx, programme string, provider int64, codes []string) ([]domain.ClaimItem, error) {
	items, err := tx.LockClaimableVouchers(ctx, programme, provider, codes)
	if err != nil {
		return nil, err
	}
	if len(codes) > 0 {
		have := map[string]bool{}
		for _, it := range items {
			have[canon(it.Code)] = true
		}
		var missing []string
		for _, c := range codes {
			if !have[c] {
				missing = append(missing, voucher.Code(c).String())
			}
		}
		if len(missing) > 0 {
			return nil, fieldError("vouchers", fmt.Sprintf("%s nicht abrechnen: %s. Abrechnen lassen sich nur eingelöste Gutscheine Ihres Bildungsträgers in diesem Förderprogramm, die noch in keiner Abrechnung sind.",
				map[bool]string{true: "Diesen Gutschein können Sie", false: "Diese Gutscheine können Sie"}[len(missing) == 1], strings.Join(missing, ", ")))
		}
	}
	if len(items) == 0 {
		return nil, fieldError("vouchers", "Es gibt keine eingelösten Gutscheine, die noch nicht abgerechnet sind.")
	}
	if len(items) > maxClaimVouchers {
		return nil, fieldError("vouchers", fmt.Sprintf("Eine Abrechnung umfasst höchstens %d Gutscheine.", maxClaimVouchers))
	}
	return items, nil
}

// UpdateClaim sets the vouchers of a draft or returned claim to codes.
func (s *Service) UpdateClaim(ctx context.Context, id int64, codes []string) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.UpdateClaim(%d)", id)
	if domain.ActorFrom(ctx).Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	want, err := parseCodes(codes)
	if err != nil {
		return nil, err
	}
	if len(want) == 0 {
		return nil, fieldError("vouchers", "Bitte wählen Sie mindestens einen Gutschein. Eine Abrechnung, die Sie nicht mehr brauchen, können Sie zurückziehen.")
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		c, err = s.lockForProvider(ctx, tx, id)
		if err != nil {
			return err
		}
		if !c.Status.Editable() || c.Kind != domain.ClaimInvoice {
			return domain.Errorf(domain.EConflict, "Diese Abrechnung ist %s und lässt sich nicht mehr ändern.", strings.ToLower(c.Status.Label()))
		}
		var have []string
		for _, code := range c.Codes() {
			have = append(have, canon(code))
		}
		var drop, add []string
		for _, code := range have {
			if !slices.Contains(want, code) {
				drop = append(drop, code)
			}
		}
		for _, code := range want {
			if !slices.Contains(have, code) {
				add = append(add, code)
			}
		}
		if len(drop) > 0 {
			if err := tx.ReleaseClaimItems(ctx, c.ID, drop); err != nil {
				return err
			}
		}
		if len(add) > 0 {
			items, err := claimable(ctx, tx, c.ProgrammeID, c.ProviderID, add)
			if err != nil {
				return err
			}
			if err := tx.AddClaimItems(ctx, c, items); err != nil {
				return alreadyClaimed(err)
			}
		}
		return tx.StepClaim(ctx, c, store.ClaimStep{Action: "change", From: c.Status, To: c.Status,
			Comment: fmt.Sprintf("%d hinzugefügt, %d entfernt", len(add), len(drop))})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Claim(ctx, id)
}

// SubmitClaim sends a draft or returned claim to the funder side. The
// provider's billing data and the programme's paying body must be
// complete, since the claim's e-invoice is made from them. The claimed
// money is booked in the ledger.
func (s *Service) SubmitClaim(ctx context.Context, id int64) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.SubmitClaim(%d)", id)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		c, err = s.lockForProvider(ctx, tx, id)
		if err != nil {
			return err
		}
		if !c.Status.CanTransition(domain.ClaimSubmitted) {
			return domain.Errorf(domain.EConflict, "Diese Abrechnung ist %s und kann nicht eingereicht werden.", strings.ToLower(c.Status.Label()))
		}
		if len(c.Items) == 0 {
			return domain.Errorf(domain.EConflict, "Die Abrechnung enthält keinen Gutschein.")
		}
		if _, err := tx.BillingProfile(ctx, c.ProviderID); domain.ErrorCode(err) == domain.ENotFound {
			return domain.Errorf(domain.EConflict, "Bitte hinterlegen Sie zuerst Ihre Rechnungsdaten (Anschrift, Steuernummer, IBAN, Ansprechperson): Aus ihnen entsteht die E-Rechnung.")
		} else if err != nil {
			return err
		}
		p, err := tx.Programme(ctx, c.ProgrammeID)
		if err != nil {
			return err
		}
		if p.Payer == nil || p.Payer.LeitwegID == "" {
			return domain.Errorf(domain.EConflict, "Für dieses Förderprogramm ist noch keine zahlende Stelle mit Leitweg-ID hinterlegt. Bitte wenden Sie sich an den Fördergeber.")
		}
		round := submissions(c) + 1
		for _, it := range c.Items {
			year, err := tx.VoucherYear(ctx, it.Code)
			if err != nil {
				return err
			}
			if _, err := tx.Book(ctx, store.LedgerEntry{Programme: c.ProgrammeID, Year: year, Kind: domain.EntryClaim, Amount: sign(c) * it.ValueCents,
				Voucher: it.Code, Claim: c.ID, Key: fmt.Sprintf("claim:%d:%s:%d", c.ID, it.Code, round)}); err != nil {
				return err
			}
		}
		if err := tx.StepClaim(ctx, c, store.ClaimStep{Action: "submit", From: c.Status, To: domain.ClaimSubmitted}); err != nil {
			return err
		}
		return s.notifyMembers(ctx, tx, p.FunderID, domain.RoleFunder, "claim-submitted", claimMail(c, p))
	})
	if err != nil {
		return nil, err
	}
	return s.db.Claim(ctx, id)
}

// WithdrawClaim gives up a draft or returned claim: its vouchers are free
// to be claimed again.
func (s *Service) WithdrawClaim(ctx context.Context, id int64) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.WithdrawClaim(%d)", id)
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		c, err = s.lockForProvider(ctx, tx, id)
		if err != nil {
			return err
		}
		if !c.Status.CanTransition(domain.ClaimWithdrawn) {
			return domain.Errorf(domain.EConflict, "Diese Abrechnung ist %s und kann nicht zurückgezogen werden.", strings.ToLower(c.Status.Label()))
		}
		if err := tx.ReleaseClaimItems(ctx, c.ID, nil); err != nil {
			return err
		}
		return tx.StepClaim(ctx, c, store.ClaimStep{Action: "withdraw", From: c.Status, To: domain.ClaimWithdrawn})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Claim(ctx, id)
}

// CreditNote starts a credit note that corrects an approved claim: the
// chosen vouchers of it were paid wrongly. It goes through the same review;
// its approval books the money back and revokes the vouchers.
func (s *Service) CreditNote(ctx context.Context, claimID int64, codes []string, reason string) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.CreditNote(%d)", claimID)
	if domain.ActorFrom(ctx).Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	want, err := parseCodes(codes)
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	v := domain.Validation{}
	if len(want) == 0 {
		v.Add("vouchers", "Bitte wählen Sie die Gutscheine, die die Gutschrift korrigiert.")
	}
	if reason == "" {
		v.Add("reason", "Bitte begründen Sie die Gutschrift.")
	} else if utf8.RuneCountInString(reason) > 1000 {
		v.Add("reason", "Die Begründung darf höchstens 1000 Zeichen lang sein.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		orig, err := s.lockForProvider(ctx, tx, claimID)
		if err != nil {
			return err
		}
		if orig.Status != domain.ClaimApproved || orig.Kind != domain.ClaimInvoice {
			return domain.Errorf(domain.EConflict, "Eine Gutschrift korrigiert nur eine freigegebene Abrechnung.")
		}
		var items []domain.ClaimItem
		for _, it := range orig.Items {
			if slices.Contains(want, canon(it.Code)) {
				items = append(items, it)
			}
		}
		if len(items) != len(want) {
			return fieldError("vouchers", "Eine Gutschrift kann nur Gutscheine dieser Abrechnung enthalten.")
		}
		c = &domain.Claim{Kind: domain.ClaimCreditNote, CorrectsID: orig.ID, ProgrammeID: orig.ProgrammeID, ProviderID: orig.ProviderID,
			Status: domain.ClaimDraft, Reason: reason}
		if err := tx.CreateClaim(ctx, c); err != nil {
			return err
		}
		if err := tx.AddClaimItems(ctx, c, items); err != nil {
			if domain.ErrorCode(err) == domain.EConflict {
				return fieldError("vouchers", "Für einen dieser Gutscheine gibt es schon eine Gutschrift.")
			}
			return err
		}
		return tx.StepClaim(ctx, c, store.ClaimStep{Action: "create", From: domain.ClaimDraft, To: domain.ClaimDraft, Comment: reason})
	})
	if err != nil {
		return nil, err
	}
	return s.db.Claim(ctx, c.ID)
}

// Claimable lists the vouchers of the actor's provider in a programme that
// can be claimed now.
func (s *Service) Claimable(ctx context.Context, programme string, provider int64) (items []domain.ClaimItem, err error) {
	defer domain.Wrap(&err, "settlement.Claimable(%s)", programme)
	provider, err = actorProvider(domain.ActorFrom(ctx), provider)
	if err != nil {
		return nil, err
	}
	return s.db.ClaimableVouchers(ctx, programme, provider)
}

// Claim returns a claim with its vouchers and history; the funder side's
// internal notes only to the funder side and admins.
func (s *Service) Claim(ctx context.Context, id int64) (c *domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.Claim(%d)", id)
	if domain.ActorFrom(ctx).Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	c, err = s.db.Claim(ctx, id)
	if err != nil {
		return nil, err
	}
	p, err := s.db.Programme(ctx, c.ProgrammeID)
	if err != nil {
		return nil, err
	}
	a := domain.ActorFrom(ctx)
	res := authz.Resource{OrgID: p.FunderID, ProviderID: c.ProviderID}
	// The funder side sees a claim once it was submitted.
	if c.SubmittedAt == nil {
		res.OrgID = 0
	}
	if !authz.Allowed(a, authz.ClaimView, res) {
		return nil, domain.ErrNotFound
	}
	if !authz.Allowed(a, authz.ClaimInternal, res) {
		c.Events = slices.DeleteFunc(c.Events, func(e domain.ClaimEvent) bool { return e.Internal })
	}
	return c, nil
}

// Claims lists the claims the actor may see, newest first.
func (s *Service) Claims(ctx context.Context, f domain.ClaimFilter) (cs []domain.Claim, err error) {
	defer domain.Wrap(&err, "settlement.Claims")
	if err := authz.Check(domain.ActorFrom(ctx), authz.ClaimList, authz.Resource{}); err != nil {
		return nil, err
	}
	if f.Status != "" && !f.Status.Valid() {
		return nil, fieldError("status", "Diesen Stand einer Abrechnung gibt es nicht.")
	}
	ps, err := s.db.Programmes(ctx)
	if err != nil {
		return nil, err
	}
	funders := map[string]int64{}
	for _, p := range ps {
		funders[p.ID] = p.FunderID
	}
	scope := authz.ClaimScope(domain.ActorFrom(ctx), funders)
	scope.Status, scope.Programme = f.Status, f.Programme
	return s.db.Claims(ctx, scope)
}

// Billing returns a provider's invoice data (nil while it has none).
func (s *Service) Billing(ctx context.Context, provider int64) (b *domain.BillingProfile, err error) {
	defer domain.Wrap(&err, "settlement.Billing(%d)", provider)
	if err := authz.Check(domain.ActorFrom(ctx), authz.ClaimPrepare, authz.Resource{ProviderID: provider}); err != nil {
		return nil, err
	}
	b, err = s.db.BillingProfile(ctx, provider)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	}
	return b, err
}

// SaveBilling writes a provider's invoice data after checking it (IBAN
// check sum, tax identifier, contact).
func (s *Service) SaveBilling(ctx context.Context, b *domain.BillingProfile) (err error) {
	defer domain.Wrap(&err, "settlement.SaveBilling(%d)", b.OrgID)
	if err := authz.Check(domain.ActorFrom(ctx), authz.ClaimPrepare, authz.Resource{ProviderID: b.OrgID}); err != nil {
		return err
	}
	if err := b.Validate(); err != nil {
		return err
	}
	return s.db.Transact(ctx, func(tx *store.Tx) error { return tx.SaveBillingProfile(ctx, b) })
}

// lockForProvider locks a claim for a change by its provider's staff;
// anyone else learns nothing of it.
func (s *Service) lockForProvider(ctx context.Context, tx *store.Tx, id int64) (*domain.Claim, error) {
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	c, err := tx.LockClaim(ctx, id)
	if err != nil {
		return nil, err
	}
	if !authz.Allowed(a, authz.ClaimPrepare, authz.Resource{ProviderID: c.ProviderID}) {
		return nil, domain.ErrNotFound
	}
	return c, nil
}

// actorProvider is the provider a staff member acts for: the one given, or
// their only one.
func actorProvider(a *domain.Actor, given int64) (int64, error) {
	if a.Anonymous() {
		return 0, domain.ErrUnauthorized
	}
	if given != 0 {
		if err := authz.Check(a, authz.ClaimPrepare, authz.Resource{ProviderID: given}); err != nil {
			return 0, err
		}
		return given, nil
	}
	var ids []int64
	for _, m := range a.Memberships {
		if authz.Allowed(a, authz.ClaimPrepare, authz.Resource{ProviderID: m.OrgID}) {
			ids = append(ids, m.OrgID)
		}
	}
	switch len(ids) {
	case 0:
		return 0, domain.Errorf(domain.EForbidden, "Abrechnungen stellen nur Mitarbeitende eines Bildungsträgers.")
	case 1:
		return ids[0], nil
	}
	return 0, fieldError("provider", "Sie arbeiten für mehrere Bildungsträger: Bitte wählen Sie, für welchen Sie abrechnen.")
}

// parseCodes reads voucher codes in any spelling into canonical codes,
// each once.
func parseCodes(raw []string) ([]string, error) {
	var out []string
	for _, r := range raw {
		if strings.TrimSpace(r) == "" {
			continue
		}
		c, err := voucher.Parse(r)
		if err != nil {
			return nil, fieldError("vouchers", fmt.Sprintf("„%s“ ist kein gültiger Gutscheincode.", strings.TrimSpace(r)))
		}
		if !slices.Contains(out, string(c)) {
			out = append(out, string(c))
		}
	}
	if len(out) > maxClaimVouchers {
		return nil, fieldError("vouchers", fmt.Sprintf("Eine Abrechnung umfasst höchstens %d Gutscheine.", maxClaimVouchers))
	}
	return out, nil
}

func alreadyClaimed(err error) error {
	if domain.ErrorCode(err) == domain.EConflict {
		return fieldError("vouchers", "Ein Gutschein ist gerade in eine andere Abrechnung aufgenommen worden. Bitte laden Sie die Seite neu.")
	}
	return err
}

func fieldError(field, msg string) error {
	return &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{field: msg}}
}

// submissions counts how often a claim was submitted before.
func submissions(c *domain.Claim) int {
	n := 0
	for _, e := range c.Events {
		if e.Action == "submit" {
			n++
		}
	}
	return n
}

// sign is +1 for an invoice and -1 for a credit note.
func sign(c *domain.Claim) int64 {
	if c.Kind == domain.ClaimCreditNote {
		return -1
	}
	return 1
}

func claimMail(c *domain.Claim, p *domain.Programme) map[string]any {
	return map[string]any{"Number": c.Number, "Kind": c.Kind.Label(), "Provider": c.ProviderName, "Programme": p.Name,
		"Vouchers": len(c.Items), "Total": c.TotalCents, "ID": c.ID}
}

// canon is a voucher code without its hyphens, as parseCodes returns it.
func canon(code string) string { return strings.ReplaceAll(code, "-", "") }
