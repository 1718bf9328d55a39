package funding

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/voucher"
)

// LookupLimit look-ups per LookupWindow are allowed per caller (token or person) and per address.
const (
	LookupLimit  = 30
	LookupWindow = time.Minute
)

var errNoVoucher = domain.Errorf(domain.ENotFound, "Diesen Gutscheincode gibt es nicht, oder er gehört nicht zu Ihrem Bildungsträger.")

// CanLookUpVouchers reports whether the actor may open the voucher look-up
// at all (staff of a provider), for the page.
func (s *Service) CanLookUpVouchers(ctx context.Context) error {
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.VoucherSearch, authz.Resource{}); err != nil {
		if a.Anonymous() {
			return err
		}
		return domain.Errorf(domain.EForbidden, "Gutscheincodes können nur Mitarbeitende von Bildungsträgern nachschlagen.")
	}
	return nil
}

// LookUpVoucher parses a code and finds it for a provider's staff, counting
// the look-up against the caller's and the address's limits first. A code
// that exists but is bound to another provider is reported as not found.
func (s *Service) LookUpVoucher(ctx context.Context, raw, addr string) (v *domain.Voucher, err error) {
	defer domain.Wrap(&err, "funding.LookUpVoucher")
	if err := s.CanLookUpVouchers(ctx); err != nil {
		return nil, err
	}
	a := domain.ActorFrom(ctx)
	caller := fmt.Sprintf("person:%d", a.PersonID())
	if a.TokenID != 0 {
		caller = fmt.Sprintf("token:%d", a.TokenID)
	}
	for _, b := range []string{"voucher-lookup:" + caller, "voucher-lookup:addr:" + addr} {
		if err := s.db.Hit(ctx, b, LookupLimit, LookupWindow); err != nil {
			return nil, err
		}
	}
	code, err := voucher.Parse(raw)
	if err != nil {
		msg := "Der Gutscheincode ist ungültig."
		var ve *voucher.Error
		if errors.As(err, &ve) {
			msg = ve.Message
		}
		return nil, &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"code": msg}}
	}
	v, err = s.db.Voucher(ctx, code)
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, errNoVoucher
	} else if err != nil {
		return nil, err
	}
	if !authz.Allowed(a, authz.VoucherLookup, authz.Resource{ProviderID: v.ProviderID}) {
		return nil, errNoVoucher
	}
	return v, nil
}
