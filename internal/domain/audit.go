package domain

import "time"

// AuditEntry is one row of the append-only audit log.
type AuditEntry struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorID    int64     `json:"actor_id,omitempty"`
	ActorName  string    `json:"actor,omitempty"`
	OrgID      int64     `json:"organisation_id,omitempty"`
	OrgName    string    `json:"organisation,omitempty"`
	Action     string    `json:"action"`
	ObjectType string    `json:"object_type"`
	ObjectID   string    `json:"object_id"`
	// ObjectName names the object where the log can: a person's or an
	// organisation's name, an offer's title, an application's number.
	ObjectName string `json:"object_name,omitempty"`
	Detail     string `json:"detail,omitempty"` // JSON describing the change
}

// AuditFilter selects audit entries.
type AuditFilter struct {
	OrgID  int64
	Action string
	Limit  int
	Offset int
	// Before, when set, selects the entries older than the one with this
	// ID (keyset paging: the next page after an entry).
	Before int64
	// NoTotal skips counting the entries (the pages do not show a total;
	// counting up to 10,000 was a quarter of the log page's time).
	NoTotal bool
}

// Mail is an e-mail in the outbox. Every mail the platform sends is written
// to the outbox in the transaction that causes it; a sender delivers it by
// SMTP when one is configured.
type Mail struct {
	ID        int64      `json:"id"`
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	Attempts  int        `json:"attempts"`
	LastError string     `json:"last_error,omitempty"`
	// Attachment is an optional text file sent with the mail (a booking's
	// calendar file).
	Attachment *Attachment `json:"attachment,omitempty"`
}

// Attachment is a text file attached to a mail.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Content     string `json:"-"`
}
