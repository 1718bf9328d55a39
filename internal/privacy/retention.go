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
	run         func(tx *store.Tx, ctx context.Context, before time.Time, limit int) (n int64, more bool, err error)
}

// purgeBatch is the most rows a purge deletes in one transaction: a few
// milliseconds of SQLite's write lock, so that logins, bookings and the
// other jobs go on while a backlog of a million expired sessions goes
// (in one transaction it held the lock for a minute, and the other jobs
// gave up waiting). A variable for the tests.
var purgeBatch = 1000

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

// Purge purges every kind of data older than its retention period, records
// the counts in the audit log and logs them, when the last run is
// RetentionEvery ago. On several instances only the one that claims the
// run purges; the others get ran false. The claim is a transaction of its
// own, and so is each batch of each kind (purgeBatch): a purge that fails
// halfway keeps what it deleted, and the next night's run goes on from
// there.
func (s *Service) Purge(ctx context.Context) (counts []domain.RetentionCount, ran bool, err error) {
	defer domain.Wrap(&err, "privacy.Purge")
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		ran, err = tx.ClaimJob(ctx, RetentionJob, RetentionEvery)
		return err
	})
	if err != nil || !ran {
		return nil, false, err
	}
	now := s.db.Now()
	detail := map[string]int64{}
	for _, p := range purges {
		d := p.period(s.retention)
		if d <= 0 {
			continue
		}
		var total int64
		for more := true; more; {
			var n int64
			err := s.db.Transact(ctx, func(tx *store.Tx) (err error) {
				n, more, err = p.run(tx, ctx, now.Add(-d), purgeBatch)
				return err
			})
			if err != nil {
				return nil, true, err
			}
			total += n // once the batch is committed (Transact may run it again)
		}
		counts = append(counts, domain.RetentionCount{Kind: p.kind, Label: p.label, Count: total})
		detail[p.kind] = total
	}
	if err := s.db.Transact(ctx, func(tx *store.Tx) error {
		return tx.Audit(ctx, 0, "retention.purge", "retention", RetentionJob, detail)
	}); err != nil {
		return nil, true, err
	}
	args := []any{}
	for _, c := range counts {
		args = append(args, c.Kind, c.Count)
	}
	s.log.InfoContext(ctx, "retention purge", args...)
	return counts, true, nil
}
