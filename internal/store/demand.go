package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Demand signals: raw counts per competence area for the districts of a
// region, and the log of catalog searches that found nothing. The
// threshold that hides small counts is the service's.

// strList appends the strings to args and returns the placeholders.
func strList(args *[]any, vs []string) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		*args = append(*args, v)
		s[i] = fmt.Sprintf("$%d", len(*args))
	}
	return strings.Join(s, ",")
}

// ProviderFootprint returns the districts where the provider holds (or
// held) in-person sessions of its published offers, and the competence
// areas those offers teach.
func (db *DB) ProviderFootprint(ctx context.Context, providerID int64) (districts, areas []string, err error) {
	err = db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT SUBSTR(s.ags, 1, 5) FROM offer_sessions s JOIN offers o ON o.id = s.offer_id
			WHERE o.provider_id = $1 AND o.status = 'published' AND NOT s.online AND LENGTH(s.ags) >= 5 ORDER BY 1`, providerID)
		if err != nil {
			return mapErr(err)
		}
		if districts, err = scanStrings(rows); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT DISTINCT c.area FROM offer_competences oc JOIN offers o ON o.id = oc.offer_id
			JOIN competences c ON c.code = oc.code WHERE o.provider_id = $1 AND o.status = 'published' ORDER BY 1`, providerID)
		if err != nil {
			return mapErr(err)
		}
		areas, err = scanStrings(rows)
		return err
	})
	return districts, areas, err
}

func scanStrings(rows *sql.Rows) ([]string, error) {
	return scanAll(rows, func(rows *sql.Rows) (string, error) {
		var s string
		return s, rows.Scan(&s)
	})
}

// Districts lists the districts of the directory in the states given (all
// when none), by name.
func (db *DB) Districts(ctx context.Context, states []string) ([]domain.District, error) {
	q := `SELECT ags, name FROM municipalities WHERE kind = 'district'`
	var args []any
	if len(states) > 0 {
		q += ` AND state_ags IN (` + strList(&args, states) + `)`
	}
	rows, err := db.query(ctx, q+` ORDER BY name, ags`, args...)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(rows *sql.Rows) (domain.District, error) {
		var d domain.District
		return d, rows.Scan(&d.AGS, &d.Name)
	})
}

// DemandCounts counts, per competence area, in the districts of q: people
// whose assessment shared with a municipality there has a gap; people
// assigned to a role profile there whose shared assessment lies below a
// target (a missing rating is level 0); people waitlisted in the period
// for sessions there (online sessions by the employer's district); people
// who asked their municipality there for funding of an offer in the
// period; and the empty searches of the period.
func (db *DB) DemandCounts(ctx context.Context, q domain.DemandQuery) (*domain.DemandCounts, error) {
	out := &domain.DemandCounts{ByKind: map[string]map[string]int{}}
	if len(q.Districts) == 0 {
		return out, nil
	}
	queries := []struct {
		kind, sql string
		period    bool
	}{
		{domain.DemandAssessmentGaps, `SELECT c.area, COUNT(DISTINCT i.person_id) FROM assessment_items i
			JOIN competences c ON c.code = i.code
			JOIN assessment_shares s ON s.person_id = i.person_id
			JOIN organisations o ON o.id = s.org_id
			WHERE i.target > i.level AND o.kind = 'municipality' AND SUBSTR(o.ags, 1, 5) IN (%s) GROUP BY c.area`, false},
		{domain.DemandRoleGaps, `SELECT c.area, COUNT(DISTINCT rm.person_id) FROM role_profile_members rm
			JOIN role_profiles rp ON rp.id = rm.profile_id
			JOIN organisations o ON o.id = rp.org_id
			JOIN memberships m ON m.org_id = rp.org_id AND m.person_id = rm.person_id
			JOIN assessment_shares s ON s.person_id = rm.person_id AND s.org_id = rp.org_id
			JOIN role_profile_targets t ON t.profile_id = rp.id
			JOIN competences c ON c.code = t.code
			LEFT JOIN assessment_items i ON i.person_id = rm.person_id AND i.code = t.code
			WHERE t.level > COALESCE(i.level, 0) AND SUBSTR(o.ags, 1, 5) IN (%s) GROUP BY c.area`, false},
		{domain.DemandWaitingLists, `SELECT c.area, COUNT(DISTINCT LOWER(b.participant_email)) FROM bookings b
			JOIN offer_sessions s ON s.id = b.session_id
			JOIN offer_competences oc ON oc.offer_id = s.offer_id
			JOIN competences c ON c.code = oc.code
			LEFT JOIN organisations e ON e.id = b.employer_id
			WHERE b.status = 'waitlisted' AND b.created_at >= $1 AND b.created_at < $2
			AND (CASE WHEN s.ags <> '' THEN SUBSTR(s.ags, 1, 5) ELSE SUBSTR(COALESCE(e.ags, ''), 1, 5) END) IN (%s) GROUP BY c.area`, true},
		{domain.DemandFundingRequests, `SELECT c.area, COUNT(DISTINCT f.person_id) FROM funding_requests f
			JOIN organisations o ON o.id = f.org_id
			JOIN offer_competences oc ON oc.offer_id = f.offer_id
			JOIN competences c ON c.code = oc.code
			WHERE f.created_at >= $1 AND f.created_at < $2 AND SUBSTR(o.ags, 1, 5) IN (%s) GROUP BY c.area`, true},
	}
	err := db.read(ctx, func(tx *Tx) error {
		for _, dq := range queries {
			var args []any
			if dq.period {
				args = append(args, q.From, q.To)
			}
			list := strList(&args, q.Districts)
			rows, err := tx.QueryContext(ctx, fmt.Sprintf(dq.sql, list), args...)
			if err != nil {
				return mapErr(err)
			}
			m := map[string]int{}
			for rows.Next() {
				var area string
				var n int
				if err := rows.Scan(&area, &n); err != nil {
					rows.Close()
					return err
				}
				m[area] = n
			}
			if err := rows.Err(); err != nil {
				rows.Close()
				return mapErr(err)
			}
			rows.Close()
			out.ByKind[dq.kind] = m
		}
		args := []any{missDay(q.From), missDay(q.To)}
		list := strList(&args, q.Districts)
		rows, err := tx.QueryContext(ctx, `SELECT query, areas, SUM(count) FROM search_misses
			WHERE day >= $1 AND day <= $2 AND district IN (`+list+`) GROUP BY query, areas ORDER BY 3 DESC, 1`, args...)
		if err != nil {
			return mapErr(err)
		}
		out.SearchMisses, err = scanAll(rows, func(rows *sql.Rows) (domain.SearchMiss, error) {
			var m domain.SearchMiss
			return m, rows.Scan(&m.Query, &m.Areas, &m.Count)
		})
		return err
	})
	return out, err
}

func missDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// LogSearchMiss counts a search that found nothing: on the day of the
// database clock, for the district ("" unknown), the normalised query and
// the competence areas filtered by. Nothing about the searcher is kept.
func (db *DB) LogSearchMiss(ctx context.Context, district, query, areas string) error {
	return db.transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO search_misses (day, district, query, areas, count) VALUES ($1, $2, $3, $4, 1)
			ON CONFLICT (day, district, query, areas) DO UPDATE SET count = search_misses.count + 1`,
			missDay(tx.now), district, query, areas)
		return mapErr(err)
	})
}

// SearchMisses lists the logged misses, for tests and exports: day,
// district, query, areas and count.
func (db *DB) SearchMisses(ctx context.Context) ([][5]string, error) {
	rows, err := db.query(ctx, `SELECT day, district, query, areas, count FROM search_misses ORDER BY day, district, query, areas`)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(rows *sql.Rows) ([5]string, error) {
		var r [5]string
		var n int
		err := rows.Scan(&r[0], &r[1], &r[2], &r[3], &n)
		r[4] = fmt.Sprint(n)
		return r, err
	})
}

// OrganisationAGS returns the organisation's directory key ("" none).
func (db *DB) OrganisationAGS(ctx context.Context, orgID int64) (string, error) {
	var ags sql.NullString
	err := db.queryRow(ctx, `SELECT ags FROM organisations WHERE id = $1`, orgID).Scan(&ags)
	if errNoRows(err) {
		return "", domain.ErrNotFound
	}
	return ags.String, err
}
