package storetest

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Password is the password MustCreatePerson gives accounts.
const Password = "richtig-geheim-42"

// MustCreatePerson creates an account with Password.
func MustCreatePerson(tb testing.TB, db *store.DB, email, name string) *domain.Person {
	tb.Helper()
	p := &domain.Person{Email: email, Name: name}
	if err := db.CreatePerson(context.Background(), p, Password); err != nil {
		tb.Fatalf("CreatePerson(%q): %v", email, err)
	}
	return p
}

// WantCode fails the test unless err carries the domain error code.
func WantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := domain.ErrorCode(err); err == nil || got != code {
		tb.Fatalf("got error %v (code %q), want code %q", err, got, code)
	}
}

// Freeze sets the database clock to a fixed instant and returns a function
// that moves it forward.
func Freeze(db *store.DB) (travel func(time.Duration)) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	return func(d time.Duration) {
		now = now.Add(d)
	}
}

// Mails returns the outbox, oldest first.
func Mails(tb testing.TB, db *store.DB) []domain.Mail {
	tb.Helper()
	ms, err := db.Outbox(context.Background(), 0, 200, 0)
	if err != nil {
		tb.Fatal(err)
	}
	for i, j := 0, len(ms)-1; i < j; i, j = i+1, j-1 {
		ms[i], ms[j] = ms[j], ms[i]
	}
	return ms
}

// LastMail returns the newest mail of the outbox and checks its recipient.
func LastMail(tb testing.TB, db *store.DB, to string) domain.Mail {
	tb.Helper()
	ms := Mails(tb, db)
	if len(ms) == 0 {
		tb.Fatal("outbox is empty")
	}
	m := ms[len(ms)-1]
	if m.To != to {
		tb.Fatalf("newest mail goes to %q, want %q", m.To, to)
	}
	return m
}

// LinkToken extracts the token from the link BaseURL+path in a mail body;
// path ends where the token begins, e.g. "/einladung/".
func LinkToken(tb testing.TB, body, path string) string {
	tb.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(BaseURL+path) + `([A-Za-z0-9_-]+)`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		tb.Fatalf("mail body has no link %s...:\n%s", BaseURL+path, body)
	}
	return m[1]
}
