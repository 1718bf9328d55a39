package privacy

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// RetentionJob is the name of the nightly purge among the job claims.
const RetentionJob = "retention"

// RetentionEvery is how often the purge runs on the whole platform,
// whatever the number of instances: the job wakes hourly, and the instance
// that claims it runs it when the last run is this long ago.
const RetentionEvery = 23 * time.Hour

// purge is one kind of data that expires: its period and its purge.
type purge struct {
	kind, label string
	period      func(domain.Retention) time.Duration
	run         func(tx *store.Tx, ctx context.Context, before time.Time) (int64, error)
}

// purges lists the kinds of data that expire, in order. A new kind gets its
// period in domain.Retention and its line here.
var purges = []purge{
	{"unconfirmed_accounts", "Nie bestätigte Konten", func(r domain.Retention) time.Duration { return r.UnconfirmedAccounts }, (*store.Tx).PurgeUnconfirmedAccounts},
	{"sent_mails", "Versandte E-Mails", func(r domain.Retention) time.Duration { return r.SentMails }, (*store.Tx).PurgeSentMails},
	{"login_attempts", "Anmeldeversuche", func(r domain.Retention) time.Duration { return r.LoginAttempts }, (*store.Tx).PurgeLoginAttempts},
	{"expired_sessions", "Abgelaufene Sitzungen und Links", func(r domain.Retention) time.Duration { return r.ExpiredSessions }, (*store.Tx).PurgeSessions},
	{"rejected_uploads", "Nachweise abgelehnter Anträge", func(r domain.Retention) time.Duration { return r.RejectedUploads }, (*store.Tx).PurgeRejectedUploads},
	{"expired_invitations", "Abgelaufene Einladungen", func(r domain.Retention) time.Duration { return r.ExpiredInvitations }, (*store.Tx).PurgeInvitations},
	{"search_misses", "Suchen ohne Treffer", func(r domain.Retention) time.Duration { return r.SearchMisses }, (*store.Tx).PurgeSearchMisses},
}

// Night is when the nightly purge runs, in German local time: from
// NightFrom o'clock to before NightTo.
const (
	NightFrom = 1
	NightTo   = 5
)

// RunRetention is the nightly job: woken hourly, it purges (Purge) when the
// night has come in Germany, so the deletions do not meet the day's load.
func (s *Service) RunRetention(ctx context.Context) error {
	if h := s.db.Now().In(berlin).Hour(); h < NightFrom || h >= NightTo {
		return nil
	}
	_, _, err := s.Purge(ctx)
	return err
}

// Purge purges every kind of data older than its retention period in one
// transaction, records the counts in the audit log and logs them, when the
// last run is RetentionEvery ago. On several instances only the one that
// claims the run purges; the others get ran false.
func (s *Service) Purge(ctx context.Context) (counts []domain.RetentionCount, ran bool, err error) {
	defer domain.Wrap(&err, "privacy.Purge")
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		counts = nil
		if ran, err = tx.ClaimJob(ctx, RetentionJob, RetentionEvery); err != nil || !ran {
			return err
		}
		detail := map[string]int64{}
		for _, p := range purges {
			d := p.period(s.retention)
			if d <= 0 {
				continue
			}
			n, err := p.run(tx, ctx, tx.Now().Add(-d))
			if err != nil {
				return err
			}
			counts = append(counts, domain.RetentionCount{Kind: p.kind, Label: p.label, Count: n})
			detail[p.kind] = n
		}
		return tx.Audit(ctx, 0, "retention.purge", "retention", RetentionJob, detail)
	})
	if err != nil || !ran {
		return nil, false, err
	}
	args := []any{}
	for _, c := range counts {
		args = append(args, c.Kind, c.Count)
	}
	s.log.InfoContext(ctx, "retention purge", args...)
	return counts, true, nil
}
