package funding

import (
	"context"
	"strconv"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// ExpiryNoticeLead is how long before its expiry an unused voucher's
// municipality is told.
const ExpiryNoticeLead = 30 * 24 * time.Hour

// expiryBatch bounds the vouchers one round looks at; a variable for the
// tests.
var expiryBatch = 500

// NoticeExpiringVouchers tells the HR and signatories of each municipality
// which of its vouchers are still unused and expire within
// ExpiryNoticeLead: one mail per municipality, track and expiry day, each
// voucher once. It is the body of the voucher-expiry job and acts for
// nobody. A voucher is claimed by setting its expiry_noticed_at where it is
// still empty, in the transaction that enqueues the mail, so two instances
// running the job at once tell once. It returns the number of vouchers
// noticed.
// A voucher handed to a person is also told to its holder, who can still
// book with it.
func (s *Service) NoticeExpiringVouchers(ctx context.Context) (n int, err error) {
	defer domain.Wrap(&err, "funding.NoticeExpiringVouchers")
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		n = 0
		vs, err := tx.ExpiringVouchers(ctx, tx.Now(), tx.Now().Add(ExpiryNoticeLead), expiryBatch)
		if err != nil {
			return err
		}
		type group struct {
			org     int64
			orgName string
			prog    string
			track   string
			day     string
			expires time.Time
			count   int
		}
		var groups []*group
		byKey := map[[4]string]*group{}
		for _, v := range vs {
			ok, err := tx.ClaimExpiryNotice(ctx, v.Code)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			n++
			if v.HolderEmail != "" {
				data := map[string]any{"Track": trackName(ctx, tx, v.ProgrammeID, v.Track), "ExpiresAt": v.ExpiresAt, "OrgName": v.OrgName}
				if err := s.notify.Enqueue(ctx, tx, v.HolderEmail, "voucher-expiring-holder", data); err != nil {
					return err
				}
			}
			day := v.ExpiresAt.Format("2006-01-02")
			k := [4]string{strconv.FormatInt(v.OrgID, 10), v.ProgrammeID, v.Track, day}
			g := byKey[k]
			if g == nil {
				g = &group{org: v.OrgID, orgName: v.OrgName, prog: v.ProgrammeID, track: v.Track, day: day, expires: v.ExpiresAt}
				byKey[k] = g
				groups = append(groups, g)
			}
			g.count++
		}
		for _, g := range groups {
			data := map[string]any{"Count": g.count, "OrgName": g.orgName, "OrgID": g.org, "Track": trackName(ctx, tx, g.prog, g.track),
				"ExpiresAt": g.expires}
			if err := s.notifyMembers(ctx, tx, g.org, []domain.Role{domain.RoleHR, domain.RoleSignatory}, "voucher-expiring", data); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// trackName is the name of a programme's track, or its key when the
// programme does not know it.
func trackName(ctx context.Context, tx *store.Tx, programme, key string) string {
	if p, err := tx.Programme(ctx, programme); err == nil {
		if t, ok := p.Track(key); ok {
			return t.Name
		}
	}
	return key
}

// RunExpiryNotices is NoticeExpiringVouchers as a job's body, round after
// round until one is not full (a backlog goes out in one run).
func (s *Service) RunExpiryNotices(ctx context.Context) error {
	return domain.Rounds(ctx, expiryBatch, s.NoticeExpiringVouchers)
}
