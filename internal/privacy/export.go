package privacy

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// sectionTitles are the German headings of the kinds of data (store's
// ExportSections) in the readable summary.
var sectionTitles = map[string]string{
	"profile":             "Profil",
	"memberships":         "Mitgliedschaften",
	"bookings":            "Buchungen",
	"attendance":          "Anwesenheit",
	"ratings":             "Bewertungen",
	"certificates":        "Zertifikate",
	"path_certificates":   "Zertifikate für Lernpfade",
	"assessment":          "Selbsteinschätzung",
	"assessment_items":    "Kompetenzen der Selbsteinschätzung",
	"assessment_shares":   "Freigaben der Selbsteinschätzung",
	"role_profiles":       "Rollenprofile",
	"paths":               "Lernpfade",
	"event_registrations": "Anmeldungen zu Veranstaltungen",
	"event_consents":      "Einwilligungen zu Teilnehmendenlisten",
	"funding_requests":    "Förderanfragen",
	"community_threads":   "Themen im Austausch",
	"community_posts":     "Beiträge im Austausch",
	"community_follows":   "Gefolgte Kanäle und Themen",
	"community_prefs":     "Einstellungen im Austausch",
	"community_reports":   "Meldungen von Beiträgen",
	"pilot_entry":         "Eintrag im Lotsenverzeichnis",
	"pilot_consents":      "Einwilligungen zum Lotsenverzeichnis",
	"project_briefs":      "Projektsteckbriefe",
	"api_tokens":          "API-Schlüssel",
	"sso_identities":      "Verknüpfte Anmeldedienste (Single Sign-on)",
	"sessions":            "Anmeldungen (Sitzungen)",
	"login_attempts":      "Anmeldeversuche",
	"invitations":         "Einladungen",
	"mails":               "E-Mails an Sie",
	"audit":               "Protokolleinträge über Sie",
}

// SummaryRows is how many rows of a section the readable summary shows;
// the JSON download always holds every row.
const SummaryRows = 200

// exportTarget asks the policy and records the download in the audit log
// (by ID) before it starts: the download itself reads in a read-only
// snapshot. me means the acting person's own data.
func (s *Service) exportTarget(ctx context.Context, id int64, format string) (*domain.Person, error) {
	a := domain.ActorFrom(ctx)
	if err := authz.Check(a, authz.PrivacyExport, authz.Resource{PersonID: id}); err != nil {
		return nil, err
	}
	var p *domain.Person
	err := s.db.Transact(ctx, func(tx *store.Tx) error {
		var err error
		var deleted *time.Time
		if p, deleted, err = tx.PersonForPrivacy(ctx, id); err != nil {
			return err
		}
		if deleted != nil {
			return domain.ErrNotFound
		}
		return tx.Audit(ctx, 0, "person.export", "person", id, map[string]any{"format": format, "self": id == a.PersonID()})
	})
	return p, err
}

// Export writes all data of person id as one JSON document to w:
// {"person_id", "generated_at", "sections": {name: [rows]}}. Rows are read
// and written one at a time, so a section of any size takes the memory of
// one row. The person themselves or an admin may.
func (s *Service) Export(ctx context.Context, id int64, w io.Writer) (err error) {
	defer domain.Wrap(&err, "privacy.Export(%d)", id)
	p, err := s.exportTarget(ctx, id, "json")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	head, _ := json.Marshal(s.db.Now().UTC())
	fmt.Fprintf(bw, "{\"person_id\":%d,\"generated_at\":%s,\"sections\":{", p.ID, head)
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		for i, sec := range store.ExportSections {
			if i > 0 {
				bw.WriteByte(',')
			}
			name, _ := json.Marshal(sec.Name)
			bw.Write(name)
			bw.WriteString(":[")
			n := 0
			err := tx.ExportRows(ctx, sec, p.ID, p.Email, func(row store.ExportRow) error {
				if n > 0 {
					bw.WriteByte(',')
				}
				n++
				return enc.Encode(row)
			})
			if err != nil {
				return err
			}
			bw.WriteByte(']')
		}
		return nil
	})
	if err != nil {
		return err
	}
	bw.WriteString("}}\n")
	return bw.Flush()
}

// Summary is the readable form of a data download: every section with its
// number of rows and its first SummaryRows rows.
type Summary struct {
	PersonID    int64
	Name, Email string
	GeneratedAt time.Time
	Sections    []SummarySection
}

// SummarySection is one kind of data in the summary.
type SummarySection struct {
	Name, Title string
	Columns     []string
	Rows        [][]string
	Total       int
}

// More is how many rows the summary leaves out.
func (s SummarySection) More() int { return s.Total - len(s.Rows) }

// Summary reads the readable summary of person id's data: bounded per
// section (SummaryRows rows and a count), complete in the JSON download.
func (s *Service) Summary(ctx context.Context, id int64, format string) (sum *Summary, err error) {
	defer domain.Wrap(&err, "privacy.Summary(%d)", id)
	p, err := s.exportTarget(ctx, id, format)
	if err != nil {
		return nil, err
	}
	sum = &Summary{PersonID: p.ID, Name: p.Name, Email: p.Email, GeneratedAt: s.db.Now().UTC()}
	err = s.db.Read(ctx, func(tx *store.Tx) error {
		for _, sec := range store.ExportSections {
			ss := SummarySection{Name: sec.Name, Title: sectionTitles[sec.Name]}
			err := tx.ExportRows(ctx, sec, p.ID, p.Email, func(row store.ExportRow) error {
				ss.Total++
				if len(ss.Rows) >= SummaryRows {
					return nil
				}
				if ss.Columns == nil {
					ss.Columns = slices.Clone(row.Cols)
				}
				cells := make([]string, len(row.Vals))
				for i, v := range row.Vals {
					cells[i] = display(row.Cols[i], v)
				}
				ss.Rows = append(ss.Rows, cells)
				return nil
			})
			if err != nil {
				return err
			}
			sum.Sections = append(sum.Sections, ss)
		}
		return nil
	})
	return sum, err
}

var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// cell writes a value for people: times in German local time, yes/no in
// words, nothing for NULL.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case time.Time:
		return x.In(berlin).Format("02.01.2006 15:04")
	case bool:
		if x {
			return "ja"
		}
		return "nein"
	case string:
		return x
	default:
		return fmt.Sprint(x)
	}
}

// SectionTitle is the German heading of the kind of data name.
func SectionTitle(name string) string { return sectionTitles[name] }

// booleanColumns hold yes/no (SQLite answers them as 0 and 1).
var booleanColumns = map[string]bool{"show_name": true, "hidden": true, "success": true, "by_you": true, "mention_mail": true}

// valueLabels are German words for the stored codes the summary shows.
var valueLabels = map[string]string{
	"confirmed": "bestätigt", "waitlisted": "Warteliste", "cancelled": "storniert", "completed": "abgeschlossen",
	"awaiting_approval": "wartet auf Freigabe", "present": "anwesend", "absent": "abwesend", "excused": "entschuldigt",
	"voucher": "Gutschein", "employer": "Arbeitgeber", "private": "selbst bezahlt", "given": "erteilt", "withdrawn": "zurückgezogen",
	"published": "veröffentlicht", "draft": "Entwurf", "open": "offen", "declined": "abgelehnt", "application": "Antrag",
	"form": "Kontaktformular", "phone": "Telefon", "weekly": "wöchentlich", "daily": "täglich", "none": "keine",
	"channel": "Kanal", "thread": "Thema",
}

// display writes a value of column col for people: cell, with stored codes
// in German words.
func display(col string, v any) string {
	if booleanColumns[col] {
		switch x := v.(type) {
		case int64:
			return cell(x != 0)
		case bool:
			return cell(x)
		}
	}
	s, ok := v.(string)
	if !ok {
		return cell(v)
	}
	switch col {
	case "role":
		return domain.Role(s).Label()
	case "kind":
		if l := domain.OrgKind(s).Label(); l != "" && l != s {
			return l
		}
	case "action":
		return domain.AuditActionLabel(s)
	case "object_type":
		return domain.AuditEntry{ObjectType: s}.ObjectLabel()
	case "contact":
		if s == "email" {
			return "E-Mail"
		}
	}
	if l, ok := valueLabels[s]; ok && (col == "status" || col == "payment" || col == "event" || col == "contact" || col == "digest" || col == "kind") {
		return l
	}
	return s
}
