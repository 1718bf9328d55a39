package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/domain"
)

const pageSize = 50

// pager links the pages of a list; it keeps the other query parameters.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

func newPager(u *url.URL, page, total, size int) pager {
	pages := max(1, (total+size-1)/size)
	p := pager{Page: page, Pages: pages}
	link := func(n int) string {
		q := u.Query()
		q.Set("seite", strconv.Itoa(n))
		q.Del("hinweis")
		return u.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

// directoryFilter reads a directory search from the query.
func directoryFilter(r *http.Request) (domain.MunicipalityFilter, error) {
	q := r.URL.Query()
	f := domain.MunicipalityFilter{Query: strings.TrimSpace(q.Get("q")), Limit: pageSize}
	if utf8.RuneCountInString(f.Query) > 100 {
		return f, domain.Errorf(domain.EBadRequest, "Der Suchbegriff darf höchstens 100 Zeichen lang sein.")
	}
	kind := q.Get("ebene")
	if kind == "" {
		kind = q.Get("kind")
	}
	switch domain.AreaKind(kind) {
	case "", domain.AreaState, domain.AreaDistrict, domain.AreaMunicipality:
		f.Kind = domain.AreaKind(kind)
	default:
		return f, domain.Errorf(domain.EBadRequest, "Die Ebene muss „municipality“, „district“ oder „state“ sein.")
	}
	if st := q.Get("state"); st != "" {
		if len(st) != 2 || !isDigits(st) {
			return f, domain.Errorf(domain.EBadRequest, "Das Land wird mit seinem zweistelligen Schlüssel angegeben, z. B. 08.")
		}
		f.State = st
	}
	return f, nil
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

type directoryPage struct {
	Page
	Query string
	Kind  string
	Items []domain.Municipality
	// TotalText is the number of hits in words, counted up to 10,000.
	TotalText string
	// More links the next entries (keyset paging).
	More    moreLink
	RefDate string
}

func (s *Server) handleDirectory(w http.ResponseWriter, r *http.Request) error {
	f, err := directoryFilter(r)
	if err != nil {
		return err
	}
	after, broken := pageKeyCursor(r, "nach")
	f.After, f.Limit = after, pageSize+1
	items, total, err := s.app.Directory.List(r.Context(), f)
	if err != nil {
		return err
	}
	items, next := cutPage(items, pageSize, municipalityCursor)
	p := &directoryPage{Page: s.newPage(r, "Gemeindeverzeichnis"), Query: f.Query, Kind: string(f.Kind), Items: items,
		TotalText: domain.CountText(total, "Treffer", "Treffer"),
		More: newKeyMoreLink(withoutPage(r.URL), "nach", next.String(), "Weitere Treffer", "Weitere Treffer anzeigen",
			"Zurück zum Anfang der Liste", "treffer")}
	if broken {
		p.Notice = badCursorNotice
	}
	if len(items) > 0 {
		p.RefDate = items[0].RefDate.Format("02.01.2006")
	}
	s.render(w, r, http.StatusOK, "directory", p)
	return nil
}

type municipalityPage struct {
	Page
	M       *domain.Municipality
	Org     *domain.Organisation
	AreaKm2 string
	Box     *contingentBox
}

func (s *Server) handleMunicipality(w http.ResponseWriter, r *http.Request) error {
	m, org, err := s.app.Directory.Get(r.Context(), r.PathValue("ags"))
	if err != nil {
		return err
	}
	p := &municipalityPage{Page: s.newPage(r, m.Name), M: m, Org: org,
		AreaKm2: strings.Replace(fmt.Sprintf("%.2f", float64(m.AreaHa)/100), ".", ",", 1)}
	if p.Box, err = s.contingentFor(r, "", m.AGS); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "municipality", p)
	return nil
}
