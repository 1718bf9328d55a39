// Package walktest walks a site by its links, for the tests that open every
// page every demo account reaches: the web package's walk over HTTP and the
// browser tests' walk in Chromium.
package walktest

import (
	"net/url"
	"strings"

	"github.com/lotse-oss/lotse/internal/demo"
)

// Logins are every demo account of the story: the demo's, the story's and
// the Hessen programme's.
func Logins() []demo.Login {
	var all []demo.Login
	return append(append(append(all, demo.Logins...), demo.StoryLogins...), demo.HessenLogins...)
}

// Queue is a walk's frontier, first in, first out, from the start page on.
// It hands out each link once and at most Variants links of one path (with
// different queries), and leaves out what is no page (Skip).
type Queue struct {
	// Variants is how many links of one path (with different queries) the
	// walk opens.
	Variants int
	next     []string
	seen     map[string]bool
	variants map[string]int
	from     map[string]string
}

// New starts a walk at start.
func New(start string) *Queue {
	return &Queue{Variants: 2, next: []string{start}, seen: map[string]bool{}, variants: map[string]int{}, from: map[string]string{}}
}

// Add queues href (a link found on the page from) unless it was queued
// before. Links to other sites and fragments are left out.
func (q *Queue) Add(href, from string) {
	if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") {
		return
	}
	u, err := url.Parse(strings.ReplaceAll(href, "&amp;", "&"))
	if err != nil {
		return
	}
	u.Fragment = ""
	h := u.String()
	if q.seen[h] {
		return
	}
	if _, ok := q.from[h]; !ok {
		q.from[h] = from
	}
	q.next = append(q.next, h)
}

// Next returns the next page to open, the page that linked to it and
// whether it is the first link of its path; ok is false when the walk is
// done.
func (q *Queue) Next() (path, from string, first, ok bool) {
	for len(q.next) > 0 {
		p := q.next[0]
		q.next = q.next[1:]
		if q.seen[p] {
			continue
		}
		q.seen[p] = true
		u, err := url.Parse(p)
		if err != nil || Skip(u.Path) {
			continue
		}
		if q.variants[u.Path]++; q.variants[u.Path] > q.Variants {
			continue
		}
		return p, q.from[p], q.variants[u.Path] == 1, true
	}
	return "", "", false, false
}

// Skip reports whether a path is no page to walk: files, downloads, the
// API, logging out.
func Skip(path string) bool {
	for _, s := range []string{"/static/", "/api/", "/abmelden", "/anhang/", "/export", "/download", "/dokumente/"} {
		if strings.Contains(path, s) {
			return true
		}
	}
	for _, s := range []string{"/pdf", ".pdf", ".csv", ".xlsx", ".ics", ".xml", ".json", "/csv", "/xlsx", "/ics"} {
		if strings.HasSuffix(path, s) {
			return true
		}
	}
	return false
}
