package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// Helpers of the lists that page with a cursor instead of page numbers
// (issue 14): the outbox, the organisations, the mailbox, the
// applications, the directory and an event's registrations.

// withoutPage is u without the page number of older links ("seite",
// "page"): a page with a cursor has no page numbers.
func withoutPage(u *url.URL) *url.URL {
	c := *u
	q := c.Query()
	q.Del("seite")
	q.Del("page")
	c.RawQuery = q.Encode()
	return &c
}

// apiKeyCursor reads "cursor" (a domain.KeyCursor) and "limit" of an API
// list; limit defaults to def.
func apiKeyCursor(r *http.Request, def int) (after domain.KeyCursor, limit int, err error) {
	q := r.URL.Query()
	if after, err = domain.ParseKeyCursor(q.Get("cursor")); err != nil {
		return after, 0, err
	}
	limit = def
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > domain.MaxPage {
			return after, 0, domain.Errorf(domain.EBadRequest, "„limit“ muss eine Zahl von 1 bis %d sein.", domain.MaxPage)
		}
	}
	return after, limit, nil
}

// apiWindow is the part of an API list a request asks for: after the
// cursor, up to Limit items; without a cursor, from Offset, the start of
// the page number Page that older clients send.
type apiWindow struct {
	After               domain.KeyCursor
	Limit, Offset, Page int
}

// apiListWindow reads the window of an API list that pages by key and
// still takes page numbers (up to the 10,000th item).
func apiListWindow(r *http.Request, def int) (w apiWindow, err error) {
	if w.Page, err = httpx.PageParam(r); err != nil {
		return w, err
	}
	if w.After, w.Limit, err = apiKeyCursor(r, def); err != nil {
		return w, err
	}
	if w.After.IsZero() {
		w.Offset, err = pageOffset(w.Page, w.Limit)
	}
	return w, err
}

// apiIDWindow is apiWindow for the lists whose cursor is an ID (the
// outbox, the mailbox): after Before, or from Offset for a page number.
type apiIDWindow struct {
	Before              int64
	Limit, Offset, Page int
}

// apiListWindowByID reads the window of an API list that pages by ID and
// still takes page numbers (up to the 10,000th item).
func apiListWindowByID(r *http.Request, def int) (w apiIDWindow, err error) {
	if w.Page, err = httpx.PageParam(r); err != nil {
		return w, err
	}
	if w.Before, w.Limit, err = apiCursor(r, def); err != nil {
		return w, err
	}
	if w.Before == 0 {
		w.Offset, err = pageOffset(w.Page, w.Limit)
	}
	return w, err
}

// pageKeyCursor reads a page's cursor parameter; a broken one starts from
// the beginning and says so (broken is true).
func pageKeyCursor(r *http.Request, name string) (after domain.KeyCursor, broken bool) {
	after, err := domain.ParseKeyCursor(r.URL.Query().Get(name))
	if err != nil {
		return domain.KeyCursor{}, true
	}
	return after, false
}

// keyList is cursorList for a list with a domain.KeyCursor.
func keyList[T any](items []T, total, page int, next domain.KeyCursor) cursorList[T] {
	l := newCursorList(items, total, 0)
	l.Page, l.Next = page, next.String()
	return l
}

// badCursorNotice is said when a page's cursor parameter is broken and the
// list starts from the beginning.
const badCursorNotice = "Die Angabe, wo die Liste weitergeht, war ungültig. Die Liste beginnt wieder von vorn."

// cutPage cuts the one row more than limit that a page asked for, to tell
// whether more follow; next is the key of the page's last row then.
func cutPage[T any](items []T, limit int, key func(T) domain.KeyCursor) ([]T, domain.KeyCursor) {
	if len(items) <= limit {
		return items, domain.KeyCursor{}
	}
	items = items[:limit]
	return items, key(items[limit-1])
}

func orgCursor(o domain.Organisation) domain.KeyCursor {
	return domain.KeyCursor{Key: o.Name, ID: o.ID}
}

func appCursor(a domain.Application) domain.KeyCursor { return domain.TimeCursor(a.UpdatedAt, a.ID) }

func municipalityCursor(m domain.Municipality) domain.KeyCursor { return domain.KeyCursor{Key: m.AGS} }

// pageOffset is the offset of an older client's page number: pages reach
// as far as the capped total counts (domain.ListCountLimit), so that no
// request skips more rows than that; further on, "cursor" goes on.
func pageOffset(page, limit int) (int, error) {
	offset := (page - 1) * limit
	if offset > domain.ListCountLimit {
		return 0, domain.Errorf(domain.EBadRequest, "Seitenzahlen reichen bis zum 10.000. Eintrag; weiter geht es mit „cursor“ (dem Wert „next“ der vorigen Antwort).")
	}
	return offset, nil
}
