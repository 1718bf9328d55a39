package config

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// privacy: the retention periods, in days, each a flag and a LOTSE_RETENTION_
// variable; 0 keeps that kind of data for ever. The defaults
// (domain.DefaultRetention) and their reasons are in docs/privacy.md.
func (f *Flags) retention(fs *flag.FlagSet, r *domain.Retention, getenv func(string) string) {
	for _, k := range []struct {
		name, env, usage string
		p                *time.Duration
	}{
		{"retention-unconfirmed-accounts", "LOTSE_RETENTION_UNCONFIRMED_ACCOUNTS", "days before accounts never confirmed and holding nothing are deleted", &r.UnconfirmedAccounts},
		{"retention-sent-mails", "LOTSE_RETENTION_SENT_MAILS", "days sent mails stay in the outbox", &r.SentMails},
		{"retention-login-attempts", "LOTSE_RETENTION_LOGIN_ATTEMPTS", "days login attempts are kept", &r.LoginAttempts},
		{"retention-expired-sessions", "LOTSE_RETENTION_EXPIRED_SESSIONS", "days expired sessions and single-use links are kept", &r.ExpiredSessions},
		{"retention-rejected-uploads", "LOTSE_RETENTION_REJECTED_UPLOADS", "days certificates uploaded to rejected or withdrawn applications are kept", &r.RejectedUploads},
		{"retention-expired-invitations", "LOTSE_RETENTION_EXPIRED_INVITATIONS", "days invitations never accepted are kept after expiry", &r.ExpiredInvitations},
		{"retention-search-misses", "LOTSE_RETENTION_SEARCH_MISSES", "days the log of searches without results is kept", &r.SearchMisses},
	} {
		fs.Var((*days)(k.p), k.name, k.usage+" (env "+k.env+")")
		f.fromEnv(fs, k.name, getenv(k.env))
	}
}

// days is a duration given as a whole number of days.
type days time.Duration

func (d *days) String() string {
	if d == nil {
		return "0"
	}
	return strconv.FormatInt(int64(time.Duration(*d)/(24*time.Hour)), 10)
}

func (d *days) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return fmt.Errorf("want a number of days, got %q", s)
	}
	*d = days(time.Duration(n) * 24 * time.Hour)
	return nil
}
