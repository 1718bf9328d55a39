package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// The members' space (Austausch) of an association: channels the
// association creates, threads with a title in a channel, posts (the
// opening post and the replies), reports, suspensions and what people
// follow. Who belongs to a space follows from memberships (authz decides);
// the types here carry the data and its rules.

// Space is an association's members' space.
type Space struct {
	ID              int64     `json:"id"`
	AssociationID   int64     `json:"association_id"`
	AssociationName string    `json:"association_name"`
	Rules           string    `json:"rules"`
	CreatedAt       time.Time `json:"created_at"`
}

// DefaultSpaceRules are the rules a new space starts with.
const DefaultSpaceRules = `Dieser Austausch ist nur für die Digitallotsinnen und Digitallotsen und die Beschäftigten der Mitgliedskommunen und des Verbands sichtbar.

- Bleiben Sie sachlich und freundlich, auch bei anderer Meinung.
- Keine personenbezogenen Daten von Bürgerinnen und Bürgern, keine vertraulichen Unterlagen.
- Keine Werbung für eigene Produkte oder Dienstleistungen.
- Melden Sie Beiträge, die gegen diese Regeln verstoßen. Die Moderation blendet sie aus.`

// Channel is a topic area of a space ("Allgemein", "KI", ...).
type Channel struct {
	ID          int64     `json:"id"`
	SpaceID     int64     `json:"space_id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	CreatedAt   time.Time `json:"created_at"`
	Threads     int       `json:"threads"`
}

// Validate checks a channel's name and description.
func (c *Channel) Validate() error {
	v := Validation{}
	c.Name, c.Description = strings.TrimSpace(c.Name), strings.TrimSpace(c.Description)
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		v.Add("name", "Bitte geben Sie dem Kanal einen Namen.")
	case n > 60:
		v.Add("name", "Der Name darf höchstens 60 Zeichen lang sein.")
	case HasControlChars(c.Name):
		v.Add("name", "Der Name enthält unzulässige Steuerzeichen.")
	}
	if utf8.RuneCountInString(c.Description) > 500 {
		v.Add("description", "Die Beschreibung darf höchstens 500 Zeichen lang sein.")
	}
	return v.Err()
}

// Thread is a conversation with a title in a channel.
type Thread struct {
	ID             int64      `json:"id"`
	ChannelID      int64      `json:"channel_id"`
	ChannelName    string     `json:"channel_name"`
	SpaceID        int64      `json:"space_id"`
	Title          string     `json:"title"`
	AuthorID       int64      `json:"author_id"`
	AuthorName     string     `json:"author_name"`
	CreatedAt      time.Time  `json:"created_at"`
	LastPostID     int64      `json:"last_post_id"`
	LastPostAt     time.Time  `json:"last_post_at"`
	LastAuthorName string     `json:"last_author_name"`
	Posts          int        `json:"posts"`
	LockedAt       *time.Time `json:"locked_at,omitempty"`
}

// Replies is the number of posts after the opening one.
func (t *Thread) Replies() int { return max(t.Posts-1, 0) }

// Locked reports whether the moderation closed the thread for replies.
func (t *Thread) Locked() bool { return t.LockedAt != nil }

// Limits of the texts in a space.
const (
	MaxThreadTitle  = 150
	MaxPostBody     = 20_000
	MaxReportReason = 1_000
)

// ValidateThreadTitle checks the title of a new thread.
func ValidateThreadTitle(title string, v Validation) string {
	title = strings.TrimSpace(title)
	switch n := utf8.RuneCountInString(title); {
	case n == 0:
		v.Add("title", "Bitte geben Sie einen Titel an.")
	case n > MaxThreadTitle:
		v.Add("title", "Der Titel darf höchstens 150 Zeichen lang sein.")
	case HasControlChars(title):
		v.Add("title", "Der Titel enthält unzulässige Steuerzeichen.")
	}
	return title
}

// ValidatePostBody checks the text of a post.
func ValidatePostBody(body string, v Validation) string {
	body = strings.TrimSpace(strings.ReplaceAll(body, "\r\n", "\n"))
	switch n := utf8.RuneCountInString(body); {
	case n == 0:
		v.Add("body", "Bitte schreiben Sie einen Text.")
	case n > MaxPostBody:
		v.Add("body", "Der Text darf höchstens 20.000 Zeichen lang sein.")
	case !utf8.ValidString(body):
		v.Add("body", "Der Text enthält ungültige Zeichen.")
	}
	return body
}

// Post is a post in a thread. For readers who may not see a hidden
// post's text, Body is empty and Hidden true.
type Post struct {
	ID         int64      `json:"id"`
	ThreadID   int64      `json:"thread_id"`
	SpaceID    int64      `json:"space_id"`
	AuthorID   int64      `json:"author_id"`
	AuthorName string     `json:"author_name"`
	Body       string     `json:"body"`
	CreatedAt  time.Time  `json:"created_at"`
	Hidden     bool       `json:"hidden"`
	HiddenAt   *time.Time `json:"hidden_at,omitempty"`
	Mentions   []string   `json:"mentions"`
	Files      []PostFile `json:"attachments"`
	Opening    bool       `json:"opening"`
}

// PostFile is an attachment of a post.
type PostFile struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
}

// HiddenPostNotice is what members read in place of a hidden post.
const HiddenPostNotice = "Dieser Beitrag wurde von der Moderation ausgeblendet."

// PostReport is a member's report of a post to the moderation.
type PostReport struct {
	ID           int64      `json:"id"`
	SpaceID      int64      `json:"space_id"`
	PostID       int64      `json:"post_id"`
	ThreadID     int64      `json:"thread_id"`
	ThreadTitle  string     `json:"thread_title"`
	PostAuthorID int64      `json:"post_author_id"`
	PostAuthor   string     `json:"post_author"`
	PostBody     string     `json:"post_body"`
	PostHidden   bool       `json:"post_hidden"`
	ReporterName string     `json:"reporter_name"`
	Reason       string     `json:"reason"`
	CreatedAt    time.Time  `json:"created_at"`
	ResolvedAt   *time.Time `json:"resolved_at,omitempty"`
	Resolution   string     `json:"resolution,omitempty"`
}

// Report resolutions.
const (
	ReportHidden    = "hidden"    // the post was hidden
	ReportDismissed = "dismissed" // the moderation left the post as it is
)

// ValidateReportReason checks the reason of a report.
func ValidateReportReason(reason string, v Validation) string {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		v.Add("reason", "Bitte geben Sie einen Grund für die Meldung an.")
	case n > MaxReportReason:
		v.Add("reason", "Der Grund darf höchstens 1.000 Zeichen lang sein.")
	}
	return reason
}

// Suspension bars a person from writing in a space until a time; they
// still read it.
type Suspension struct {
	ID         int64     `json:"id"`
	SpaceID    int64     `json:"space_id"`
	PersonID   int64     `json:"person_id"`
	PersonName string    `json:"person_name"`
	Until      time.Time `json:"until"`
	Reason     string    `json:"reason"`
	CreatedAt  time.Time `json:"created_at"`
}

// MaxSuspensionDays is the longest suspension a moderator can impose at once.
const MaxSuspensionDays = 365

// ValidateSuspension checks the days and reason of a suspension.
func ValidateSuspension(days int, reason string, v Validation) string {
	if days < 1 || days > MaxSuspensionDays {
		v.Add("days", "Bitte geben Sie eine Dauer von 1 bis 365 Tagen an.")
	}
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		v.Add("reason", "Bitte geben Sie einen Grund für die Sperre an.")
	case n > MaxReportReason:
		v.Add("reason", "Der Grund darf höchstens 1.000 Zeichen lang sein.")
	}
	return reason
}

// Digest frequencies.
const (
	DigestNone   = "none"
	DigestDaily  = "daily"
	DigestWeekly = "weekly"
)

// DigestLabel is the German name of a digest frequency.
func DigestLabel(d string) string {
	switch d {
	case DigestNone:
		return "keine Zusammenfassung"
	case DigestDaily:
		return "täglich"
	case DigestWeekly:
		return "wöchentlich"
	}
	return d
}

// DigestPeriod is the time between two digests.
func DigestPeriod(d string) time.Duration {
	if d == DigestDaily {
		return 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

// ValidDigest reports whether d is a known digest frequency.
func ValidDigest(d string) bool { return d == DigestNone || d == DigestDaily || d == DigestWeekly }

// CommunityPrefs are a person's notification settings in a space.
type CommunityPrefs struct {
	Digest      string `json:"digest"`
	MentionMail bool   `json:"mention_mail"`
}

// Follow kinds.
const (
	FollowChannel = "channel"
	FollowThread  = "thread"
)

// DigestItem is a thread with news for a digest.
type DigestItem struct {
	ThreadID    int64
	Title       string
	ChannelName string
	LastPostAt  time.Time
	NewPosts    int
}

// Errors of the members' space. A space, channel, thread or post the
// actor may not read does not exist for them: ErrSpaceNotFound.
var (
	ErrSpaceNotFound      = &Error{Code: ENotFound, Message: "Diesen Bereich gibt es nicht, oder er ist nur für die Mitglieder des Verbands sichtbar."}
	ErrSpaceModerate      = &Error{Code: EForbidden, Message: "Das darf nur die Moderation des Austauschs."}
	ErrSpaceChannels      = &Error{Code: EForbidden, Message: "Kanäle legt die Moderation oder die Kontoverwaltung des Verbands an."}
	ErrThreadLocked       = &Error{Code: EConflict, Message: "Dieses Thema ist geschlossen. Antworten sind nicht mehr möglich."}
	ErrChannelExists      = &Error{Code: EConflict, Message: "Einen Kanal mit diesem Namen gibt es in diesem Austausch schon.", Fields: map[string]string{"name": "Einen Kanal mit diesem Namen gibt es schon."}}
	ErrReportDuplicate    = &Error{Code: EConflict, Message: "Sie haben diesen Beitrag schon gemeldet. Die Moderation kümmert sich darum."}
	ErrReportNotOpen      = &Error{Code: EConflict, Message: "Diese Meldung ist schon erledigt."}
	ErrSuspendSelf        = &Error{Code: EInvalid, Message: "Sie können sich nicht selbst sperren.", Fields: map[string]string{"person_id": "Sie können sich nicht selbst sperren."}}
	ErrSuspensionNotFound = &Error{Code: ENotFound, Message: "Diese Sperre gibt es nicht oder sie ist schon vorbei."}
	ErrSuspendNotMember   = &Error{Code: EInvalid, Message: "Diese Person gehört nicht zu diesem Austausch.", Fields: map[string]string{"person_id": "Diese Person gehört nicht zu diesem Austausch."}}
	ErrUnsubscribeToken   = &Error{Code: ENotFound, Message: "Dieser Abmeldelink ist ungültig. Ihre Einstellungen ändern Sie im Austausch unter „Benachrichtigungen“."}
)

// SuspendedError is the message a suspended member reads when writing.
func SuspendedError(until time.Time, loc *time.Location) *Error {
	return Errorf(EForbidden, "Die Moderation hat Sie bis %s vom Schreiben in diesem Austausch ausgeschlossen. Lesen können Sie weiterhin.",
		until.In(loc).Format("02.01.2006, 15:04 Uhr"))
}
