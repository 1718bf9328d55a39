package domain

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Lists ordered by a value and an ID (organisations by name, applications
// by their last change, the directory by relevance) page with a
// KeyCursor: the sort value and the ID of the row the previous page ended
// with (issue 14). Clients see it as an opaque token.

// KeyCursor is where a page continues: after the row with the sort value
// Key and the ID (0 for lists whose key is unique, like the directory's
// AGS). The zero value is the start.
type KeyCursor struct {
	Key string
	ID  int64
}

// IsZero reports whether c is the start of the list.
func (c KeyCursor) IsZero() bool { return c == KeyCursor{} }

// String is the cursor as the API's "next" and a page's parameter carry
// it; "" for the start.
func (c KeyCursor) String() string {
	if c.IsZero() {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(c.ID, 10) + "\x1f" + c.Key))
}

// errKeyCursor is the answer to a cursor no page gave out.
func errKeyCursor() error {
	return Errorf(EBadRequest, "„cursor“ muss der Wert „next“ einer vorigen Antwort sein.")
}

// ParseKeyCursor reads a cursor written by KeyCursor.String; "" is the
// start.
func ParseKeyCursor(s string) (KeyCursor, error) {
	if s == "" {
		return KeyCursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !utf8.Valid(b) {
		return KeyCursor{}, errKeyCursor()
	}
	id, key, ok := strings.Cut(string(b), "\x1f")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n < 0 || (n == 0 && key == "") || len(key) > 1000 {
		return KeyCursor{}, errKeyCursor()
	}
	return KeyCursor{Key: key, ID: n}, nil
}

// TimeCursor is the cursor after the row changed at t with the ID.
func TimeCursor(t time.Time, id int64) KeyCursor {
	return KeyCursor{Key: t.UTC().Format(time.RFC3339Nano), ID: id}
}

// Time reads a cursor made by TimeCursor.
func (c KeyCursor) Time() (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, c.Key)
	if err != nil {
		return time.Time{}, errKeyCursor()
	}
	return t, nil
}

// ListCountLimit is the most rows a long list counts for its total:
// counting millions would cost more than the page. A total above it
// reads "mehr als 10.000".
const ListCountLimit = 10_000

// CountText is a capped total in words: "1 Organisation",
// "mehr als 10.000 Organisationen".
func CountText(n int, one, many string) string {
	if n > ListCountLimit {
		return "Mehr als 10.000 " + many
	}
	if n == 1 {
		return "1 " + one
	}
	return Thousands(n) + " " + many
}
