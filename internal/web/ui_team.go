package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/booking"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// The team overview of a municipality (/organisationen/{id}/team, its CSV
// and GET /api/v1/organisations/{id}/team), a page at a time (issue 14).

type teamPage struct {
	Page
	Org  *domain.Organisation
	Rows []domain.TeamRow
	// Total counts the rows for the filters (up to
	// domain.TeamCountLimitFor; TotalMore: more than that).
	Total     int
	TotalMore bool
	More      moreLink
	// The filters as given, kept in the form and the export link.
	Name, Status, Offer, Certificate string
	// Role is the role profile the rows are narrowed to ("" for none).
	Role string
	// Query is the filters' query string (url.Values.Encode), for the
	// export link.
	Query      template.URL
	Statuses   []teamStatus
	VerifyBase string
	// RolesNav: the page links to role profiles and team gaps (matching).
	RolesNav bool
}

type teamStatus struct{ Value, Label string }

// teamStatuses are the choices of the status filter.
var teamStatuses = []teamStatus{
	{"", "alle"},
	{string(domain.BookingAwaitingApproval), domain.BookingAwaitingApproval.Label()},
	{string(domain.BookingConfirmed), domain.BookingConfirmed.Label()},
	{string(domain.BookingWaitlisted), domain.BookingWaitlisted.Label()},
	{string(domain.BookingCompleted), domain.BookingCompleted.Label()},
	{string(domain.BookingCancelled), "storniert oder abgelehnt"},
	{domain.TeamStatusNone, "keine Buchung"},
}

// teamParams are the names of the team filters in a query: the page uses
// German ones, the API English. Offer is the offer's ID (API only),
// OfferTitle a part of its title.
type teamParams struct{ Name, Status, Offer, OfferTitle, Cert, Role string }

var (
	teamPageParams = teamParams{Name: "name", Status: "status", OfferTitle: "angebot", Cert: "zertifikat", Role: "rolle"}
	teamAPIParams  = teamParams{Name: "name", Status: "status", Offer: "offer", OfferTitle: "offer_title", Cert: "certificate", Role: "role_profile"}
)

// teamFilter reads the team filters from a query under the given parameter
// names. The certificate filter takes true/false or ja/nein.
func teamFilter(orgID int64, q url.Values, n teamParams) (domain.TeamFilter, error) {
	f := domain.TeamFilter{OrgID: orgID, Name: q.Get(n.Name), Status: q.Get(n.Status), OfferTitle: q.Get(n.OfferTitle)}
	v := domain.Validation{}
	if n.Offer != "" {
		if o := strings.TrimSpace(q.Get(n.Offer)); o != "" {
			id, err := strconv.ParseInt(o, 10, 64)
			if err != nil || id <= 0 {
				v.Add(n.Offer, "Bitte geben Sie die Nummer eines Angebots an.")
			}
			f.OfferID = id
		}
	}
	if r := strings.TrimSpace(q.Get(n.Role)); r != "" {
		id, err := strconv.ParseInt(r, 10, 64)
		if err != nil || id <= 0 {
			v.Add(n.Role, "Bitte wählen Sie eine Rolle aus der Liste der Rollen im Team.")
		}
		f.RoleProfileID = id
	}
	if utf8.RuneCountInString(strings.TrimSpace(f.Name)) > 200 {
		v.Add(n.Name, "Der Name darf höchstens 200 Zeichen lang sein.")
	}
	if utf8.RuneCountInString(strings.TrimSpace(f.OfferTitle)) > 200 {
		v.Add(n.OfferTitle, "Der Titel darf höchstens 200 Zeichen lang sein.")
	}
	switch q.Get(n.Cert) {
	case "":
	case "true", "ja":
		yes := true
		f.Certificate = &yes
	case "false", "nein":
		no := false
		f.Certificate = &no
	default:
		v.Add(n.Cert, "Bitte wählen Sie „mit Zertifikat“ oder „ohne Zertifikat“.")
	}
	if !domain.ValidTeamStatus(f.Status) {
		v.Add(n.Status, "Bitte wählen Sie einen Status aus der Liste.")
	}
	return f, v.Err()
}

func (s *Server) handleTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, ferr := teamFilter(id, q, teamPageParams)
	if ferr != nil && domain.ErrorCode(ferr) != domain.EInvalid {
		return ferr
	}
	// A broken cursor starts from the beginning.
	after, err := domain.ParseTeamCursor(q.Get("nach"))
	if err != nil {
		after = domain.TeamCursor{}
	}
	// The page of rows first: it asks the policy.
	var tp *booking.TeamPage
	if ferr == nil {
		if tp, err = s.app.Booking.Team(r.Context(), f, after, booking.TeamPageSize); err != nil {
			return err
		}
	} else if err := s.app.Booking.MayViewTeam(r.Context(), id); err != nil {
		return err
	}
	org, err := s.app.Account.Organisation(r.Context(), id)
	if err != nil {
		return err
	}
	p := &teamPage{Page: s.newPage(r, "Team von "+org.Name), Org: org, Name: q.Get("name"), Status: q.Get("status"),
		Offer: q.Get("angebot"), Certificate: q.Get("zertifikat"), Statuses: teamStatuses, VerifyBase: s.cfg.BaseURL + "/verify/",
		RolesNav: mayEditRoles(actor(r), org), Role: q.Get("rolle")}
	query := url.Values{"name": {p.Name}, "status": {p.Status}, "angebot": {p.Offer}, "zertifikat": {p.Certificate}}
	if p.Role != "" {
		query.Set("rolle", p.Role)
	}
	p.Query = template.URL(query.Encode())
	if ferr != nil {
		p.Errors, p.Message = domain.ErrorFields(ferr), domain.ErrorMessage(ferr)
		s.render(w, r, http.StatusUnprocessableEntity, "team", p)
		return nil
	}
	p.Rows, p.Total, p.TotalMore = tp.Rows, tp.Total, tp.More
	p.More = newKeyMoreLink(r.URL, "nach", tp.Next.String(), "Weitere Einträge", "Weitere Einträge anzeigen",
		"Zurück zum Anfang der Liste", "eintraege")
	s.render(w, r, http.StatusOK, "team", p)
	return nil
}

// handleTeamCSV exports the rows of the page's filters, all of them,
// streamed as they are read.
func (s *Server) handleTeamCSV(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	f, err := teamFilter(id, r.URL.Query(), teamPageParams)
	if err != nil {
		return err
	}
	dw := &downloadWriter{w: w, typ: "text/csv; charset=utf-8", name: "team-" + itoa(id) + ".csv"}
	err = s.app.Booking.ExportTeam(r.Context(), f, s.cfg.BaseURL+"/verify/", dw)
	if err != nil && dw.started {
		s.log.ErrorContext(r.Context(), "team export cut short", "org", id, "err", err)
		return nil
	}
	return err
}

// apiOrgTeam is a page of a municipality's team overview with the filters
// of the query (name, status, offer, offer_title, certificate,
// role_profile), cursor
// and limit.
func (s *Server) apiOrgTeam(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	q := r.URL.Query()
	after, err := domain.ParseTeamCursor(q.Get("cursor"))
	if err != nil {
		return err
	}
	limit := 100
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > domain.MaxPage {
			return domain.Errorf(domain.EBadRequest, "„limit“ muss eine Zahl von 1 bis %d sein.", domain.MaxPage)
		}
	}
	f, err := teamFilter(id, q, teamAPIParams)
	if err != nil {
		return err
	}
	tp, err := s.app.Booking.Team(r.Context(), f, after, limit)
	if err != nil {
		return err
	}
	l := teamList{cursorList: newCursorList(tp.Rows, tp.Total, 0), TotalMore: tp.More}
	l.Next = tp.Next.String()
	return httpx.WriteJSON(w, http.StatusOK, l)
}

// teamList is a page of the team overview's API: total_more says there
// are more rows than total counts (domain.TeamCountLimitFor).
type teamList struct {
	cursorList[domain.TeamRow]
	TotalMore bool `json:"total_more"`
}

// mayViewTeam reports whether the org page links to the team overview.
func mayViewTeam(a *domain.Actor, org *domain.Organisation) bool {
	return org.Kind == domain.OrgMunicipality && authz.Allowed(a, authz.TeamView, authz.Resource{OrgID: org.ID})
}

// newKeyMoreLink is newMoreLink for a cursor that is not a number: next
// is the next page's key ("" on the last page).
func newKeyMoreLink(u *url.URL, name, next, label, text, firstText, anchor string) moreLink {
	m := newMoreLink(u, name, 0, label, text, firstText, anchor)
	if next != "" {
		q := u.Query()
		q.Del("hinweis")
		q.Set(name, next)
		m.Href = u.Path + "?" + q.Encode() + "#" + anchor
	}
	return m
}

// downloadWriter sets the headers of a download at its first byte, so
// that an error before it is still an error page.
type downloadWriter struct {
	w         http.ResponseWriter
	typ, name string
	started   bool
}

func (d *downloadWriter) Write(b []byte) (int, error) {
	if !d.started {
		d.started = true
		d.w.Header().Set("Content-Type", d.typ)
		d.w.Header().Set("Content-Disposition", `attachment; filename="`+d.name+`"`)
	}
	return d.w.Write(b)
}
