package domain

import "time"

// privacy: the data download, account deletion, consents and retention.

// DeletedPersonName is the name a deleted account keeps, shown wherever the
// person's name used to be (the audit log, posts, contracts).
const DeletedPersonName = "Gelöschte Person"

// EventListConsentVersion names the text of the consent to appear on an
// event's participant list (the check box of the registration form); the
// record of consents keeps it.
const EventListConsentVersion = "teilnehmendenliste-2026-01"

// Retention says how long the platform keeps each kind of data that expires
// (a zero or negative duration keeps it for ever). The defaults follow the
// programme's rules; docs/privacy.md explains them.
type Retention struct {
	UnconfirmedAccounts time.Duration // accounts never confirmed and holding nothing
	SentMails           time.Duration // mails of the outbox after sending
	LoginAttempts       time.Duration // the login limit's record
	ExpiredSessions     time.Duration // sessions and single-use links after expiry
	RejectedUploads     time.Duration // certificates uploaded to rejected or withdrawn applications
	ExpiredInvitations  time.Duration // invitations never accepted after expiry or revocation
	SearchMisses        time.Duration // the log of searches without results
}

// retentionDay is 24 hours.
const retentionDay = 24 * time.Hour

// DefaultRetention returns the default retention periods.
func DefaultRetention() Retention {
	return Retention{
		UnconfirmedAccounts: 30 * retentionDay,
		SentMails:           90 * retentionDay,
		LoginAttempts:       30 * retentionDay,
		ExpiredSessions:     7 * retentionDay,
		RejectedUploads:     365 * retentionDay,
		ExpiredInvitations:  30 * retentionDay,
		SearchMisses:        90 * retentionDay,
	}
}

// RetentionCount is what one retention run removed of one kind of data.
type RetentionCount struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	Count int64  `json:"count"`
}
