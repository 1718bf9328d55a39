package booking

import (
	"context"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/csvx"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// TeamPage is a page of a municipality's team overview.
type TeamPage struct {
	Rows []domain.TeamRow
	// Next is where the next page starts; zero on the last page.
	Next domain.TeamCursor
	// Total counts the rows for the filters, up to
	// domain.TeamCountLimitFor; More says there are more than that.
	Total int
	More  bool
}

// TeamPageSize is the number of rows a page of the team overview shows.
const TeamPageSize = 50

// Team is a page of a municipality's team overview: one row per booking of
// its members and of the participants it pays for or gave a voucher to,
// and one for each member without a booking, filtered as f says; up to
// limit rows (TeamPageSize when 0, at most domain.MaxPage) after the row
// at after (zero: from the start), in the order of domain.TeamCursor. Its
// HR, signatories and account admins see it, and admins (authz.TeamView);
// for others the municipality's team does not exist.
func (s *Service) Team(ctx context.Context, f domain.TeamFilter, after domain.TeamCursor, limit int) (p *TeamPage, err error) {
	defer domain.Wrap(&err, "booking.Team(%d)", f.OrgID)
	if f, err = s.teamFilter(ctx, f); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > domain.MaxPage {
		limit = TeamPageSize
	}
	plan, err := s.db.PlanTeam(ctx, f)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.TeamPageOf(ctx, plan, after, limit+1)
	if err != nil {
		return nil, err
	}
	p = &TeamPage{Rows: rows}
	if len(rows) > limit {
		p.Rows = rows[:limit]
		p.Next = p.Rows[limit-1].Key()
	}
	// The held vouchers go with a person's first row; a member whose rows
	// began on the previous page had them there.
	given := map[string]bool{}
	if len(p.Rows) > 0 && after.PersonID > 0 && p.Rows[0].Member && p.Rows[0].PersonID == after.PersonID {
		given[domain.NormalizeEmail(p.Rows[0].Email)] = true
	}
	if err := s.attachHeld(ctx, f.OrgID, p.Rows, given); err != nil {
		return nil, err
	}
	// The total: the first page, if it is the only one, counts itself.
	if after.IsZero() && p.Next.IsZero() {
		p.Total = len(p.Rows)
		return p, nil
	}
	limit = domain.TeamCountLimitFor(f)
	n, err := s.db.TeamCountOf(ctx, plan, limit)
	if err != nil {
		return nil, err
	}
	p.Total, p.More = min(n, limit), n > limit
	return p, nil
}

// MayViewTeam tells whether the actor may see the municipality's team
// overview: ErrTeamNotFound if not.
func (s *Service) MayViewTeam(ctx context.Context, orgID int64) (err error) {
	defer domain.Wrap(&err, "booking.MayViewTeam(%d)", orgID)
	_, err = s.teamFilter(ctx, domain.TeamFilter{OrgID: orgID})
	return err
}

// teamFilter checks that the actor may see the team and normalises and
// validates the filter.
func (s *Service) teamFilter(ctx context.Context, f domain.TeamFilter) (domain.TeamFilter, error) {
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.TeamView, authz.Resource{OrgID: f.OrgID}); err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			return f, err
		}
		return f, domain.ErrTeamNotFound
	}
	f.Name, f.OfferTitle = strings.TrimSpace(f.Name), strings.TrimSpace(f.OfferTitle)
	v := domain.Validation{}
	if utf8.RuneCountInString(f.Name) > 200 {
		v.Add("name", "Der Name darf höchstens 200 Zeichen lang sein.")
	}
	if utf8.RuneCountInString(f.OfferTitle) > 200 {
		v.Add("offer_title", "Der Titel darf höchstens 200 Zeichen lang sein.")
	}
	if !domain.ValidTeamStatus(f.Status) {
		v.Add("status", "Bitte wählen Sie einen Status aus der Liste.")
	}
	return f, v.Err()
}

// attachHeld puts the unused vouchers handed to a person on the person's
// first row in rows whose address is not in given, and adds the addresses
// it gave vouchers to to given.
func (s *Service) attachHeld(ctx context.Context, orgID int64, rows []domain.TeamRow, given map[string]bool) error {
	var emails []string
	seen := map[string]bool{}
	for _, r := range rows {
		if e := domain.NormalizeEmail(r.Email); !seen[e] && !given[e] {
			seen[e] = true
			emails = append(emails, e)
		}
	}
	held, err := s.db.HeldVouchers(ctx, orgID, emails)
	if err != nil {
		return err
	}
	for i := range rows {
		if e := domain.NormalizeEmail(rows[i].Email); len(held[e]) > 0 && !given[e] {
			given[e] = true
			rows[i].Held = held[e]
		}
	}
	return nil
}

// ExportTeam writes the team overview filtered as f says as CSV for German
// spreadsheets (csvx: BOM, ";", no cell runs as a formula), with the
// header row first, reading it a page at a time. verifyBase is the
// address certificates are verified under (".../verify/"). The permission
// and the filter are checked before the first byte.
func (s *Service) ExportTeam(ctx context.Context, f domain.TeamFilter, verifyBase string, w io.Writer) (err error) {
	defer domain.Wrap(&err, "booking.ExportTeam(%d)", f.OrgID)
	if f, err = s.teamFilter(ctx, f); err != nil {
		return err
	}
	plan, err := s.db.PlanTeam(ctx, f)
	if err != nil {
		return err
	}
	var cw *csvx.Writer
	given := map[string]bool{} // only the holders of vouchers: a handful
	var after domain.TeamCursor
	for {
		rows, err := s.db.TeamPageOf(ctx, plan, after, store.MaxPage)
		if err != nil {
			return err
		}
		if err := s.attachHeld(ctx, f.OrgID, rows, given); err != nil {
			return err
		}
		if cw == nil {
			cw = csvx.NewWriter(w)
			if err := cw.Write("Name", "E-Mail-Adresse", "Angebot", "Termin", "Status", "Gutschein", "Qualifizierung", "Zertifikat",
				"Zugeteilte Gutscheine"); err != nil {
				return err
			}
		}
		if err := writeTeamRows(cw, rows, verifyBase); err != nil {
			return err
		}
		if err := cw.Flush(); err != nil {
			return err
		}
		if len(rows) < store.MaxPage {
			return nil
		}
		after = rows[len(rows)-1].Key()
	}
}

// writeTeamRows writes team rows to cw.
func writeTeamRows(cw *csvx.Writer, rows []domain.TeamRow, verifyBase string) error {
	for _, r := range rows {
		start, cert := "", ""
		if r.SessionStart != nil {
			start = r.SessionStart.In(berlin).Format("02.01.2006 15:04")
		}
		if r.CertificateID != "" {
			cert = verifyBase + r.CertificateID
		}
		var held []string
		for _, h := range r.Held {
			held = append(held, h.Code+" ("+domain.TrackLabel(h.Track)+")")
		}
		track := ""
		if r.VoucherTrack != "" {
			track = domain.TrackLabel(r.VoucherTrack)
		}
		if err := cw.Write(r.Name, r.Email, r.OfferTitle, start, r.StatusLabel(), r.Voucher, track, cert,
			strings.Join(held, ", ")); err != nil {
			return err
		}
	}
	return nil
}

// berlin is the zone times in exports are written in.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()
