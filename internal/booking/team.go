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

// Team is a municipality's team overview: one row per booking of its
// members and of the participants it pays for or gave a voucher to, and
// one for each member without a booking, filtered as f says. Its HR,
// signatories and account admins see it, and admins (authz.TeamView); for
// others the municipality's team does not exist.
func (s *Service) Team(ctx context.Context, f domain.TeamFilter) (rows []domain.TeamRow, err error) {
	defer domain.Wrap(&err, "booking.Team(%d)", f.OrgID)
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.TeamView, authz.Resource{OrgID: f.OrgID}); err != nil {
		if domain.ErrorCode(err) == domain.EUnauthorized {
			return nil, err
		}
		return nil, domain.ErrTeamNotFound
	}
	f.Name = strings.TrimSpace(f.Name)
	v := domain.Validation{}
	if utf8.RuneCountInString(f.Name) > 200 {
		v.Add("name", "Der Name darf höchstens 200 Zeichen lang sein.")
	}
	if !domain.ValidTeamStatus(f.Status) {
		v.Add("status", "Bitte wählen Sie einen Status aus der Liste.")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	rows, err = s.db.Team(ctx, f)
	if err != nil {
		return nil, err
	}
	// Who holds which voucher: the unused vouchers handed to a person go
	// with the person's first row.
	held, err := s.db.Vouchers(ctx, store.VoucherFilter{OrgIDs: []int64{f.OrgID}})
	if err != nil {
		return nil, err
	}
	byHolder := map[string][]domain.HeldCode{}
	for _, h := range held {
		if h.HolderEmail != "" && h.State == domain.VoucherIssued {
			byHolder[h.HolderEmail] = append(byHolder[h.HolderEmail], domain.HeldCode{Code: h.Code, Track: h.Track, ExpiresAt: h.ExpiresAt})
		}
	}
	seen := map[string]bool{}
	for i := range rows {
		if e := domain.NormalizeEmail(rows[i].Email); !seen[e] {
			seen[e] = true
			rows[i].Held = byHolder[e]
		}
	}
	return rows, nil
}

// TeamCSV writes team rows as CSV for German spreadsheets (csvx: BOM, ";",
// no cell runs as a formula), with the header row first. verifyBase is the
// address certificates are verified under (".../verify/").
func TeamCSV(w io.Writer, rows []domain.TeamRow, verifyBase string) error {
	cw := csvx.NewWriter(w)
	if err := cw.Write("Name", "E-Mail-Adresse", "Angebot", "Termin", "Status", "Gutschein", "Qualifizierung", "Zertifikat",
		"Zugeteilte Gutscheine"); err != nil {
		return err
	}
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
	return cw.Flush()
}

// berlin is the zone times in exports are written in.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()
