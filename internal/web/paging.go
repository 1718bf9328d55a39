package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Keyset paging of long lists (issue 14). The API takes "cursor" (the
// "next" of the previous answer, opaque to clients) and "limit" (1 to
// 200); the pages take the cursor in a named parameter and show a link
// to the next page.

// cursorList is an API list with the cursor of its next page; total and
// page stay for older clients.
type cursorList[T any] struct {
	Total int    `json:"total"`
	Page  int    `json:"page"`
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

func newCursorList[T any](items []T, total int, next int64) cursorList[T] {
	if items == nil {
		items = []T{}
	}
	l := cursorList[T]{Total: total, Page: 1, Items: items}
	if next > 0 {
		l.Next = strconv.FormatInt(next, 10)
	}
	return l
}

// apiCursor reads "cursor" and "limit" of an API list; limit defaults to
// def.
func apiCursor(r *http.Request, def int) (after int64, limit int, err error) {
	q := r.URL.Query()
	if v := q.Get("cursor"); v != "" {
		if after, err = strconv.ParseInt(v, 10, 64); err != nil || after <= 0 {
			return 0, 0, domain.Errorf(domain.EBadRequest, "„cursor“ muss der Wert „next“ einer vorigen Antwort sein.")
		}
	}
	limit = def
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > domain.MaxPage {
			return 0, 0, domain.Errorf(domain.EBadRequest, "„limit“ muss eine Zahl von 1 bis %d sein.", domain.MaxPage)
		}
	}
	return after, limit, nil
}

// pageCursor reads a page's cursor parameter (a positive number); a
// broken one starts from the beginning.
func pageCursor(r *http.Request, name string) int64 {
	n, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// moreLink is the link to a list's next page and back to its start.
type moreLink struct {
	Label, Text, Href string
	FirstText, First  string
}

// newMoreLink links the next page (parameter name = next) of the list at
// u, and its start when u is not the start; anchor is the list's id.
func newMoreLink(u *url.URL, name string, next int64, label, text, firstText, anchor string) moreLink {
	m := moreLink{Label: label, Text: text, FirstText: firstText}
	q := u.Query()
	q.Del("hinweis")
	if q.Get(name) != "" {
		q.Del(name)
		m.First = u.Path + "?" + q.Encode() + "#" + anchor
		if len(q) == 0 {
			m.First = u.Path + "#" + anchor
		}
	}
	if next > 0 {
		q.Set(name, strconv.FormatInt(next, 10))
		m.Href = u.Path + "?" + q.Encode() + "#" + anchor
	}
	return m
}
