package demo

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/directory"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// The promised scale (PRODUCT.md) at factor 1: people, municipalities
// (organisations), offers, bookings and entries in the pilots' directory.
const (
	FullPersons        = 2_000_000
	FullMunicipalities = 11_000
	FullBigMembers     = 87_000 // the largest municipality's members
	FullMediumMembers  = 2_000  // members of each of the next five
	FullOffers         = 100_000
	FullBookings       = 10_000_000
	FullPilots         = 20_000
	mediumOrgs         = 5
	// ScaleEmailDomain is the domain of every generated address:
	// person<N>@skala.example for N = 1, 2, ...
	ScaleEmailDomain = "skala.example"
)

// ScaleSizes are the numbers of rows a scale factor stands for.
type ScaleSizes struct {
	Persons, Municipalities, BigMembers, MediumMembers, Offers, Bookings, Pilots int64
}

// SizesFor returns the sizes for factor f (1 is the promised scale; 0.01
// a hundredth of it). Every size is at least what the generator needs:
// seven municipalities (the big one, five medium ones, one more).
func SizesFor(f float64) ScaleSizes {
	n := func(full int64, least int64) int64 { return max(least, int64(math.Round(float64(full)*f))) }
	s := ScaleSizes{Persons: n(FullPersons, 0), Municipalities: n(FullMunicipalities, 7), BigMembers: n(FullBigMembers, 1),
		MediumMembers: n(FullMediumMembers, 1), Offers: n(FullOffers, 5), Bookings: n(FullBookings, 0), Pilots: n(FullPilots, 1)}
	s.Persons = max(s.Persons, s.BigMembers+mediumOrgs*s.MediumMembers+s.Municipalities-1-mediumOrgs)
	return s
}

// ScaleEmail is the address of generated person n (1-based).
func ScaleEmail(n int64) string { return fmt.Sprintf("person%d@%s", n, ScaleEmailDomain) }

var scaleFirst = []string{"Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Katharina", "Lukas", "Mia",
	"Noah", "Olga", "Paul", "Quirin", "Rosa", "Samuel", "Tanja", "Ulrich", "Vera", "Wilhelm", "Yasemin", "Zoe", "Ahmet", "Birgit", "Cem",
	"Dörte", "Emil", "Franziska", "Günther", "Helga", "Ismail", "Jana", "Karl", "Leonie", "Marek", "Nele", "Oskar"}

var scaleLast = []string{"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch",
	"Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun", "Hofmann", "Zimmermann", "Schmitt", "Hartmann", "Krüger",
	"Schmid", "Werner", "Lange", "Schmitz", "Meier", "Krause", "Maier", "Lehmann", "Huber", "Mayer", "Herrmann", "Köhler", "Walter",
	"König", "Schulze", "Fuchs", "Kaiser", "Yılmaz", "Kowalski", "Nowak", "Öztürk", "Łukasiewicz", "Peters", "Lang", "Scholz", "Jung", "Möller"}

// ScaleName is the name of generated person n.
func ScaleName(n int64) string {
	f, l := int64(len(scaleFirst)), int64(len(scaleLast))
	return scaleFirst[n%f] + " " + scaleLast[(n/f)%l]
}

// FindGV100 returns the path of the German municipality directory
// (GV100AD) in the usual places, or "".
func FindGV100() string {
	if p := os.Getenv("LOTSE_GV100"); p != "" {
		return p
	}
	for _, dir := range []string{"../shared/data", "../../shared/data", "../../../shared/data", "/work/shared/data"} {
		m, _ := filepath.Glob(filepath.Join(dir, "GV100AD_*.txt"))
		if len(m) > 0 {
			return m[len(m)-1]
		}
	}
	return ""
}

// GenerateScale adds generated data at factor f of the promised scale to
// a database holding the demo data: municipalities as organisations (the
// real ones of the GV100AD directory at gv100, largest first, when the
// file is given; numbered ones otherwise), people who are their members
// (one municipality with 87,000, five with 2,000 at factor 1), offers,
// bookings, audit entries and entries in the pilots' directory. Every
// generated person's password is password. It writes progress to out.
func GenerateScale(ctx context.Context, db *store.DB, f float64, gv100, password string, out io.Writer) (ScaleSizes, error) {
	sz := SizesFor(f)
	start := time.Now()
	step := func(format string, args ...any) {
		fmt.Fprintf(out, "%7.1fs  %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
	if n, err := db.CountScalePersons(ctx, "%@"+ScaleEmailDomain); err != nil {
		return sz, err
	} else if n > 0 {
		return sz, fmt.Errorf("the database already holds %d generated people (@%s): generate into a new database", n, ScaleEmailDomain)
	}
	if gv100 != "" {
		file, err := os.Open(gv100)
		if err != nil {
			return sz, err
		}
		st, err := directory.Import(ctx, db, file, filepath.Base(gv100))
		file.Close()
		if err != nil {
			return sz, fmt.Errorf("import %s: %w", gv100, err)
		}
		step("municipality directory %s: %d municipalities", filepath.Base(gv100), st.Municipalities)
	}
	// Offers first: GenerateOffers works through the store's ordinary
	// connections.
	if err := GenerateOffers(ctx, db, int(sz.Offers), 1, db.Now()); err != nil {
		return sz, err
	}
	step("%d offers with their sessions", sz.Offers)

	l, err := db.ScaleLoader(ctx, db.Now())
	if err != nil {
		return sz, err
	}
	defer l.Close()
	progress := func(what string, total int64) func(int64) {
		last := time.Now()
		return func(done int64) {
			if done == total || time.Since(last) > 2*time.Second {
				step("%s %d/%d", what, done, total)
				last = time.Now()
			}
		}
	}
	ob, err := l.MaxID(ctx, "organisations")
	if err != nil {
		return sz, err
	}
	pb, err := l.MaxID(ctx, "persons")
	if err != nil {
		return sz, err
	}
	pg := db.Dialect == store.Postgres

	// Municipalities: the directory's, largest first, then numbered ones.
	if err := l.Exec(ctx, `INSERT INTO organisations (id, kind, name, ags, created_at)
		SELECT $1 + ROW_NUMBER() OVER (ORDER BY m.population DESC, m.ags), 'municipality', m.name, m.ags, $2
		FROM municipalities m WHERE m.kind = 'municipality' AND NOT EXISTS (SELECT 1 FROM organisations o WHERE o.ags = m.ags)
		ORDER BY m.population DESC, m.ags LIMIT $3`, ob, db.Now(), sz.Municipalities); err != nil {
		return sz, fmt.Errorf("municipalities: %w", err)
	}
	have, err := l.QueryInt(ctx, `SELECT COUNT(*) FROM organisations WHERE id > $1`, ob)
	if err != nil {
		return sz, err
	}
	if have < sz.Municipalities {
		ags := `printf('99%06d', s.n)`
		if pg {
			ags = `'99' || lpad(s.n::text, 6, '0')`
		}
		if err := l.Series(ctx, have+1, sz.Municipalities, `INSERT INTO organisations (id, kind, name, ags, created_at)
			SELECT $4 + s.n, 'municipality', 'Gemeinde Skala ' || s.n, `+ags+`, `+l.Time("0")+` FROM {series}`, nil, ob); err != nil {
			return sz, fmt.Errorf("numbered municipalities: %w", err)
		}
	}
	step("%d municipalities (%d from the directory)", sz.Municipalities, have)

	// Names: two small tables the people's rows join.
	if err := l.Exec(ctx, `CREATE TEMPORARY TABLE scale_first (i INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return sz, err
	}
	if err := l.Exec(ctx, `CREATE TEMPORARY TABLE scale_last (i INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return sz, err
	}
	for _, t := range []struct {
		table string
		names []string
	}{{"scale_first", scaleFirst}, {"scale_last", scaleLast}} {
		var vals []string
		var args []any
		for i, n := range t.names {
			args = append(args, i, n)
			vals = append(vals, fmt.Sprintf("($%d, $%d)", 2*i+1, 2*i+2))
		}
		if err := l.Exec(ctx, `INSERT INTO `+t.table+` (i, name) VALUES `+strings.Join(vals, ", "), args...); err != nil {
			return sz, err
		}
	}
	nf, nl := len(scaleFirst), len(scaleLast)
	name := func(n string) string {
		return fmt.Sprintf(`(SELECT name FROM scale_first WHERE i = %[1]s %% %[2]d) || ' ' || (SELECT name FROM scale_last WHERE i = (%[1]s / %[2]d) %% %[3]d)`, n, nf, nl)
	}
	// orgOf is the organisation (index from 0) of person n.
	orgOf := func(n string) string {
		b, m := sz.BigMembers, sz.MediumMembers
		return fmt.Sprintf(`(CASE WHEN %[1]s <= %[2]d THEN 0 WHEN %[1]s <= %[3]d THEN 1 + (%[1]s - %[2]d - 1) / %[4]d
			ELSE %[5]d + (%[1]s - %[3]d - 1) %% %[6]d END)`, n, b, b+mediumOrgs*m, m, 1+mediumOrgs, sz.Municipalities-1-mediumOrgs)
	}
	hash := store.HashPassword(password)
	year := int64(365 * 24 * 3600)
	if err := l.Series(ctx, 1, sz.Persons, `INSERT INTO persons (id, email, name, password_hash, email_verified_at, created_at)
		SELECT $4 + s.n, 'person' || s.n || '@`+ScaleEmailDomain+`', `+name("s.n")+`, $5,
			`+l.Time(fmt.Sprintf("-(s.n * 7 %% %d)", year))+`, `+l.Time(fmt.Sprintf("-(s.n * 7 %% %d) - 3600", year))+` FROM {series}`,
		progress("people", sz.Persons), pb, hash); err != nil {
		return sz, fmt.Errorf("people: %w", err)
	}
	if err := l.Series(ctx, 1, sz.Persons, `INSERT INTO memberships (org_id, person_id, created_at)
		SELECT $4 + 1 + `+orgOf("s.n")+`, $5 + s.n, `+l.Time(fmt.Sprintf("-(s.n * 7 %% %d)", year))+` FROM {series}`,
		progress("memberships", sz.Persons), ob, pb); err != nil {
		return sz, fmt.Errorf("memberships: %w", err)
	}
	if err := l.Series(ctx, 1, sz.Persons, `INSERT INTO membership_roles (org_id, person_id, role)
		SELECT $4 + 1 + `+orgOf("s.n")+`, $5 + s.n, 'participant' FROM {series}`, progress("roles", sz.Persons), ob, pb); err != nil {
		return sz, fmt.Errorf("roles: %w", err)
	}
	// The first member of each municipality manages its accounts.
	if err := l.InTxExec(ctx, `INSERT INTO membership_roles (org_id, person_id, role)
		SELECT m.org_id, MIN(m.person_id), r.role FROM memberships m, (SELECT 'account_admin' AS role UNION ALL SELECT 'hr') r
		WHERE m.org_id > $1 AND m.org_id <= $2 GROUP BY m.org_id, r.role`, ob, ob+sz.Municipalities); err != nil {
		return sz, fmt.Errorf("roles: %w", err)
	}

	// Bookings: person n%P+1 books session (13*person + n/P) mod S of the
	// published ones, so nobody holds two places in one session.
	ts := "TIMESTAMP"
	if pg {
		ts = "TIMESTAMPTZ"
	}
	if err := l.Exec(ctx, `CREATE TEMPORARY TABLE scale_sessions (i INTEGER PRIMARY KEY, id BIGINT NOT NULL, starts_at `+ts+` NOT NULL)`); err != nil {
		return sz, err
	}
	if err := l.Exec(ctx, `INSERT INTO scale_sessions (i, id, starts_at)
		SELECT ROW_NUMBER() OVER (ORDER BY s.id) - 1, s.id, s.starts_at
		FROM offer_sessions s JOIN offers o ON o.id = s.offer_id WHERE o.status = 'published'`); err != nil {
		return sz, err
	}
	sessions, err := l.QueryInt(ctx, `SELECT COUNT(*) FROM scale_sessions`)
	if err != nil {
		return sz, err
	}
	if sz.Bookings > 0 && sessions < sz.Bookings/sz.Persons+1 {
		return sz, fmt.Errorf("%d sessions are too few for %d bookings per person", sessions, sz.Bookings/sz.Persons+1)
	}
	bb, err := l.MaxID(ctx, "bookings")
	if err != nil {
		return sz, err
	}
	if sz.Bookings > 0 {
		person := fmt.Sprintf("(s.n %% %d + 1)", sz.Persons)
		session := fmt.Sprintf("((%s * 13 + s.n / %d) %% %d)", person, sz.Persons, sessions)
		join := "JOIN"
		if !pg {
			join = "CROSS JOIN" // SQLite: the series outside, the sessions looked up by key
		}
		created := l.Time(fmt.Sprintf("-(s.n * 7919 %% %d)", year))
		if err := l.Series(ctx, 0, sz.Bookings-1, `INSERT INTO bookings (id, session_id, person_id, participant_name, participant_email, payment,
				employer_id, status, created_by, created_at, updated_at, cancelled_at)
			SELECT $4 + 1 + s.n, ss.id, $5 + `+person+`, `+name(person)+`, 'person' || `+person+` || '@`+ScaleEmailDomain+`',
				CASE WHEN s.n % 3 = 0 THEN 'private' ELSE 'employer' END,
				CASE WHEN s.n % 3 = 0 THEN NULL ELSE $6 + 1 + `+orgOf(person)+` END,
				CASE WHEN s.n % 10 = 0 THEN 'cancelled' WHEN ss.starts_at < `+l.Time("0")+` THEN 'completed' ELSE 'confirmed' END,
				$5 + `+person+`, `+created+`, `+created+`, CASE WHEN s.n % 10 = 0 THEN `+created+` ELSE NULL END
			FROM {series} `+join+` scale_sessions ss ON ss.i = `+session,
			progress("bookings", sz.Bookings), bb, pb, ob); err != nil {
			return sz, fmt.Errorf("bookings: %w", err)
		}
	}

	// Audit entries: each person's joining of their municipality, and the
	// creation of every fifth booking.
	ab, err := l.MaxID(ctx, "audit_log")
	if err != nil {
		return sz, err
	}
	if err := l.Series(ctx, 1, sz.Persons, `INSERT INTO audit_log (id, at, actor_id, org_id, action, object_type, object_id, detail)
		SELECT $4 + s.n, `+l.Time(fmt.Sprintf("s.n - %d", sz.Persons+sz.Bookings))+`, $5 + s.n, $6 + 1 + `+orgOf("s.n")+`,
			'invitation.accept', 'invitation', CAST(s.n AS TEXT), '{}' FROM {series}`,
		progress("audit entries (memberships)", sz.Persons), ab, pb, ob); err != nil {
		return sz, fmt.Errorf("audit: %w", err)
	}
	if nb := sz.Bookings / 5; nb > 0 {
		if err := l.Series(ctx, 1, nb, `INSERT INTO audit_log (id, at, actor_id, org_id, action, object_type, object_id, detail)
			SELECT $4 + s.n, `+l.Time(fmt.Sprintf("s.n * 5 - %d", sz.Bookings))+`, b.created_by, o.provider_id, 'booking.create', 'booking',
				CAST(b.id AS TEXT), '{"payment":"' || b.payment || '"}'
			FROM {series} JOIN bookings b ON b.id = $5 + s.n * 5 JOIN offer_sessions os ON os.id = b.session_id JOIN offers o ON o.id = os.offer_id`,
			progress("audit entries (bookings)", nb), ab+sz.Persons, bb); err != nil {
			return sz, fmt.Errorf("audit: %w", err)
		}
	}
	if err := scalePilots(ctx, db, sz, pb, ob, orgIndex(sz)); err != nil {
		return sz, fmt.Errorf("pilots' directory: %w", err)
	}
	step("%d entries in the pilots' directory", sz.Pilots)
	// The kept counts: PostgreSQL's bulk load ran without triggers.
	if err := db.RecountKept(ctx); err != nil {
		return sz, fmt.Errorf("kept counts: %w", err)
	}
	// Statistics last, when every table is full: stale ones made SQLite
	// scan the pilots' directory instead of walking its word index.
	if err := l.Finish(ctx, "organisations", "persons", "bookings", "audit_log"); err != nil {
		return sz, err
	}
	step("statistics updated")
	return sz, nil
}

// orgIndex is orgOf in Go.
func orgIndex(sz ScaleSizes) func(n int64) int64 {
	return func(n int64) int64 {
		b, m := sz.BigMembers, sz.MediumMembers
		switch {
		case n <= b:
			return 0
		case n <= b+mediumOrgs*m:
			return 1 + (n-b-1)/m
		}
		return 1 + mediumOrgs + (n-b-mediumOrgs*m-1)%(sz.Municipalities-1-mediumOrgs)
	}
}

var scaleHelp = []string{
	"Ich helfe bei der Einführung digitaler Anträge und beim Onlinezugangsgesetz.",
	"Gern berate ich zu E-Akte, Scannen und Aufbewahrung.",
	"Ich unterstütze bei Datenschutzfragen in Digitalisierungsprojekten.",
	"Ich teile Erfahrungen mit Ratsinformationssystemen und digitalen Sitzungen.",
	"Ich zeige, wie wir Prozesse modelliert und vereinfacht haben.",
}

// scalePilots enters every P/D-th generated person in the pilots'
// directory, in transactions of 500 entries.
func scalePilots(ctx context.Context, db *store.DB, sz ScaleSizes, pb, ob int64, org func(int64) int64) error {
	fw, err := db.Competences(ctx)
	if err != nil {
		return err
	}
	if len(fw) == 0 {
		return fmt.Errorf("no competence framework")
	}
	stride := max(1, sz.Persons/sz.Pilots)
	orgs := map[int64]*domain.Organisation{}
	for j := int64(0); j < sz.Pilots; j += 500 {
		err := db.Transact(ctx, func(tx *store.Tx) error {
			for k := j; k < min(j+500, sz.Pilots); k++ {
				n := 1 + k*stride
				oid := ob + 1 + org(n)
				o := orgs[oid]
				if o == nil {
					var err error
					if o, err = tx.Organisation(ctx, oid); err != nil {
						return err
					}
					orgs[oid] = o
				}
				t1, t2 := fw[int(k)%len(fw)], fw[int(k*7+3)%len(fw)]
				e := &domain.PilotEntry{PersonID: pb + n, Name: ScaleName(n), OrgID: o.ID, OrgName: o.Name, AGS: o.AGS, Help: scaleHelp[k%int64(len(scaleHelp))],
					Topics: []string{t1.Code}, Contact: domain.ContactForm}
				if t2.Code != t1.Code {
					e.Topics = append(e.Topics, t2.Code)
				}
				if len(o.AGS) >= 5 {
					e.District = o.AGS[:5]
				}
				text := strings.ToLower(strings.Join([]string{e.Name, e.OrgName, e.Help, t1.Name, t2.Name}, " "))
				if err := tx.SavePilotEntry(ctx, e, domain.PilotTopicKeys(fw, e.Topics, nil), domain.SearchTokens(text), text); err != nil {
					return err
				}
				if err := tx.GivePilotConsent(ctx, e.PersonID, domain.PilotConsentVersion); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
