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
	return s.db.Team(ctx, f)
}

// TeamCSV writes team rows as CSV for German spreadsheets (csvx: BOM, ";",
// no cell runs as a formula), with the header row first. verifyBase is the
// address certificates are verified under (".../verify/").
func TeamCSV(w io.Writer, rows []domain.TeamRow, verifyBase string) error {
	cw := csvx.NewWriter(w)
	if err := cw.Write("Name", "E-Mail-Adresse", "Angebot", "Termin", "Status", "Gutschein", "Qualifizierung", "Zertifikat"); err != nil {
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
		if err := cw.Write(r.Name, r.Email, r.OfferTitle, start, r.StatusLabel(), r.Voucher, r.VoucherTrack, cert); err != nil {
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
