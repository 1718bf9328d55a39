package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Self-assessments: a person's ratings, goals and preferences, and the
// organisations they are shared with.

// Assessment returns the person's assessment with its shares;
// domain.ErrNotFound if they have none.
func (db *DB) Assessment(ctx context.Context, personID int64) (*domain.Assessment, error) {
	var a *domain.Assessment
	err := db.read(ctx, func(tx *Tx) error {
		var err error
		a, err = tx.Assessment(ctx, personID)
		return err
	})
	return a, err
}

// Assessment returns the person's assessment inside tx.
func (tx *Tx) Assessment(ctx context.Context, personID int64) (*domain.Assessment, error) {
	a := &domain.Assessment{PersonID: personID}
	var prefs string
	err := tx.QueryRowContext(ctx, `SELECT goals, preferences, updated_at FROM assessments WHERE person_id = $1`, personID).
		Scan(&a.Goals, &prefs, &a.UpdatedAt)
	if errNoRows(err) {
		return nil, domain.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	a.UpdatedAt = a.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(prefs), &a.Preferences); err != nil {
		return nil, err
	}
	if a.Preferences.Formats == nil {
		a.Preferences.Formats = []string{}
	}
	byPerson, err := tx.assessmentItems(ctx, []int64{personID})
	if err != nil {
		return nil, err
	}
	a.Items = byPerson[personID]
	if a.Items == nil {
		a.Items = []domain.AssessmentItem{}
	}
	rows, err := tx.QueryContext(ctx, `SELECT s.org_id, o.name, s.shared_at FROM assessment_shares s
		JOIN organisations o ON o.id = s.org_id WHERE s.person_id = $1 ORDER BY o.name`, personID)
	if err != nil {
		return nil, mapErr(err)
	}
	a.Shares, err = scanAll(rows, func(rows *sql.Rows) (domain.AssessmentShare, error) {
		var s domain.AssessmentShare
		err := rows.Scan(&s.OrgID, &s.OrgName, &s.SharedAt)
		s.SharedAt = s.SharedAt.UTC()
		return s, err
	})
	if a.Shares == nil {
		a.Shares = []domain.AssessmentShare{}
	}
	return a, err
}

// assessmentItems loads the ratings of the persons, by person, each sorted
// by code, with the competences' names.
func (tx *Tx) assessmentItems(ctx context.Context, persons []int64) (map[int64][]domain.AssessmentItem, error) {
	out := map[int64][]domain.AssessmentItem{}
	if len(persons) == 0 {
		return out, nil
	}
	var args []any
	list := inList(persons, func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) })
	rows, err := tx.QueryContext(ctx, `SELECT i.person_id, i.code, COALESCE(c.name, i.code), i.level, i.target FROM assessment_items i
		LEFT JOIN competences c ON c.code = i.code WHERE i.person_id IN (`+list+`) ORDER BY i.person_id, i.code`, args...)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid int64
		var it domain.AssessmentItem
		if err := rows.Scan(&pid, &it.Code, &it.Name, &it.Level, &it.Target); err != nil {
			return nil, err
		}
		out[pid] = append(out[pid], it)
	}
	return out, mapErr(rows.Err())
}

// PutAssessment replaces the person's ratings, goals and preferences
// (keeping the shares) and sets UpdatedAt.
func (tx *Tx) PutAssessment(ctx context.Context, a *domain.Assessment) error {
	prefs, err := json.Marshal(a.Preferences)
	if err != nil {
		return err
	}
	a.UpdatedAt = tx.now
	if _, err := tx.ExecContext(ctx, `INSERT INTO assessments (person_id, goals, preferences, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (person_id) DO UPDATE SET goals = excluded.goals, preferences = excluded.preferences, updated_at = excluded.updated_at`,
		a.PersonID, a.Goals, string(prefs), a.UpdatedAt); err != nil {
		return mapErr(err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM assessment_items WHERE person_id = $1`, a.PersonID); err != nil {
		return mapErr(err)
	}
	for _, it := range a.Items {
		if _, err := tx.ExecContext(ctx, `INSERT INTO assessment_items (person_id, code, level, target) VALUES ($1, $2, $3, $4)`,
			a.PersonID, it.Code, it.Level, it.Target); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// ShareAssessment shares the person's assessment with org; sharing again
// keeps the first time. It reports whether the share is new.
func (tx *Tx) ShareAssessment(ctx context.Context, personID, orgID int64) (bool, error) {
	r, err := tx.ExecContext(ctx, `INSERT INTO assessment_shares (person_id, org_id, shared_at) VALUES ($1, $2, $3)
		ON CONFLICT (person_id, org_id) DO NOTHING`, personID, orgID, tx.now)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

// UnshareAssessment withdraws the share with org; it reports whether
// there was one.
func (tx *Tx) UnshareAssessment(ctx context.Context, personID, orgID int64) (bool, error) {
	r, err := tx.ExecContext(ctx, `DELETE FROM assessment_shares WHERE person_id = $1 AND org_id = $2`, personID, orgID)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

// SharedAssessmentsAfter lists, by name, up to limit of the assessments
// shared with org after the person at after (keyset paging: Key the
// person's name, ID the person; issue 14).
func (db *DB) SharedAssessmentsAfter(ctx context.Context, orgID int64, after domain.KeyCursor, limit int) ([]domain.SharedAssessment, error) {
	return db.sharedAssessments(ctx, orgID, 0, after, max(limit, 1))
}

// SharedCount counts the assessments shared with org, up to
// domain.ListCountLimit and one more.
func (db *DB) SharedCount(ctx context.Context, orgID int64) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM assessment_shares WHERE org_id = $1 LIMIT $2) c`, orgID,
		domain.ListCountLimit+1).Scan(&n)
	return n, err
}

// SharedGapCounts counts, per competence, the people who shared their
// assessment with org and rate themselves below their own target, with
// the competence's name; most people first, then by code.
func (db *DB) SharedGapCounts(ctx context.Context, orgID int64) ([]domain.CompetenceCount, error) {
	rows, err := db.query(ctx, `SELECT i.code, COALESCE(MIN(c.name), i.code), count(*) FROM assessment_shares s
		JOIN assessment_items i ON i.person_id = s.person_id LEFT JOIN competences c ON c.code = i.code
		WHERE s.org_id = $1 AND i.level < i.target GROUP BY i.code ORDER BY count(*) DESC, i.code`, orgID)
	if err != nil {
		return nil, err
	}
	return scanAll(rows, func(rows *sql.Rows) (domain.CompetenceCount, error) {
		var c domain.CompetenceCount
		return c, rows.Scan(&c.Code, &c.Name, &c.People)
	})
}

// ProfileSharedAssessments lists, by name, up to limit of the
// assessments shared with org by people assigned to its role profile.
func (db *DB) ProfileSharedAssessments(ctx context.Context, orgID, profileID int64, limit int) ([]domain.SharedAssessment, error) {
	return db.sharedAssessments(ctx, orgID, profileID, domain.KeyCursor{}, max(limit, 1))
}

// sharedAssessments lists the assessments shared with org, of the role
// profile's people only (profileID 0: of everybody), after the person at
// after, up to limit (0: all).
func (db *DB) sharedAssessments(ctx context.Context, orgID, profileID int64, after domain.KeyCursor, limit int) ([]domain.SharedAssessment, error) {
	var out []domain.SharedAssessment
	q, args := `SELECT a.person_id, p.name, p.email, a.goals, a.preferences, a.updated_at, s.shared_at
		FROM assessment_shares s JOIN assessments a ON a.person_id = s.person_id JOIN persons p ON p.id = s.person_id `, []any{orgID}
	if profileID != 0 {
		q, args = q+`JOIN role_profile_members rm ON rm.person_id = s.person_id AND rm.profile_id = $2 `, append(args, profileID)
	}
	q += `WHERE s.org_id = $1 `
	if !after.IsZero() {
		n := strconv.Itoa(len(args) + 1)
		q, args = q+`AND (p.name > $`+n+` OR (p.name = $`+n+` AND p.id > $`+strconv.Itoa(len(args)+2)+`)) `, append(args, after.Key, after.ID)
	}
	q += `ORDER BY p.name, p.id`
	if limit > 0 {
		q += ` LIMIT ` + strconv.Itoa(limit)
	}
	err := db.read(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return mapErr(err)
		}
		out, err = scanAll(rows, func(rows *sql.Rows) (domain.SharedAssessment, error) {
			var sa domain.SharedAssessment
			var prefs string
			var sh domain.AssessmentShare
			err := rows.Scan(&sa.PersonID, &sa.PersonName, &sa.PersonEmail, &sa.Goals, &prefs, &sa.UpdatedAt, &sh.SharedAt)
			if err != nil {
				return sa, err
			}
			sa.UpdatedAt, sh.SharedAt, sh.OrgID = sa.UpdatedAt.UTC(), sh.SharedAt.UTC(), orgID
			sa.Shares = []domain.AssessmentShare{sh}
			return sa, json.Unmarshal([]byte(prefs), &sa.Preferences)
		})
		if err != nil {
			return err
		}
		ids := make([]int64, len(out))
		for i := range out {
			ids[i] = out[i].PersonID
		}
		items, err := tx.assessmentItems(ctx, ids)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].Items = items[out[i].PersonID]
			if out[i].Items == nil {
				out[i].Items = []domain.AssessmentItem{}
			}
			if out[i].Preferences.Formats == nil {
				out[i].Preferences.Formats = []string{}
			}
		}
		return nil
	})
	return out, err
}

// GapFigures are a role profile's figures for the team gaps, counted by
// the database over all its people: a profile may have thousands.
type GapFigures struct {
	Assigned int // people assigned to the profile
	Shared   int // of them, those who shared their assessment with the organisation
	// WithGap and GapSum: per target competence, of those who shared, the
	// people below the target level and the sum of their distances to it
	// (no rating counts as level 0).
	WithGap, GapSum map[string]int
}

// ProfileGapFigures counts the team gaps of a role profile of org.
func (db *DB) ProfileGapFigures(ctx context.Context, orgID, profileID int64) (*GapFigures, error) {
	f := &GapFigures{WithGap: map[string]int{}, GapSum: map[string]int{}}
	err := db.read(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*), count(s.person_id) FROM role_profile_members rm
			LEFT JOIN assessment_shares s ON s.person_id = rm.person_id AND s.org_id = $2 WHERE rm.profile_id = $1`, profileID, orgID).
			Scan(&f.Assigned, &f.Shared); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT t.code,
			COALESCE(SUM(CASE WHEN COALESCE(i.level, 0) < t.level THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN COALESCE(i.level, 0) < t.level THEN t.level - COALESCE(i.level, 0) ELSE 0 END), 0)
			FROM role_profile_targets t JOIN role_profile_members rm ON rm.profile_id = t.profile_id
			JOIN assessment_shares s ON s.person_id = rm.person_id AND s.org_id = $2
			LEFT JOIN assessment_items i ON i.person_id = rm.person_id AND i.code = t.code
			WHERE t.profile_id = $1 GROUP BY t.code`, profileID, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var code string
			var with, sum int
			if err := rows.Scan(&code, &with, &sum); err != nil {
				return err
			}
			f.WithGap[code], f.GapSum[code] = with, sum
		}
		return rows.Err()
	})
	return f, err
}
