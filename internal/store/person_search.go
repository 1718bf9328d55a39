package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// privacy: an admin's search for a person, fast among millions: by the
// exact address along its unique index, or by the beginning of the name or
// of the surname (the name after its first word) along the two indexes of
// migration 00033, a page at a time from where the last one ended. Never a
// LIKE '%...%' that reads every row.

// foldSQL folds the case of a name for the search keys: lower() (ASCII on
// SQLite) and the German capital umlauts by hand, so that both databases
// find the same. The indexes of migration 00033 hold exactly these
// expressions; a change here needs a new migration.
// It has no spaces: it is SQL, not prose (archtest).
const foldSQL = `lower(replace(replace(replace(%s,'Ä','ä'),'Ö','ö'),'Ü','ü'))`

// containsSQL is the condition that the text column col contains part,
// whatever the case: part is lower-cased here and col by the database.
// lower() folds only ASCII on SQLite (and under PostgreSQL's C locale), so
// a part with an umlaut compares with col folded as foldSQL folds it: then
// "über" finds "Übung" on both databases. A part without one compares
// with lower(col), which matches the same rows and keeps the planner's
// statistics on lower(col) (offers' titles, migration 00040). arg adds a
// parameter and returns its placeholder.
func containsSQL(col, part string, arg func(any) string) string {
	part = strings.ToLower(part)
	folded := "lower(" + col + ")"
	if strings.ContainsAny(part, "äöü") {
		folded = fmt.Sprintf(foldSQL, col)
	}
	return folded + " LIKE " + arg("%"+escapeLike(part)+"%") + ` ESCAPE '\'`
}

// nameKeys are the search keys of the full name and the surname as the
// indexes hold them. PostgreSQL compares them bytewise (COLLATE "C"), so
// that a beginning is a range of the index whatever the database's locale.
func (db *DB) nameKeys() (full, surname string) {
	if db.Dialect == Postgres {
		return fmt.Sprintf(foldSQL, "name") + ` COLLATE "C"`,
			fmt.Sprintf(foldSQL, "substr(name, strpos(name, ' ') + 1)") + ` COLLATE "C"`
	}
	return fmt.Sprintf(foldSQL, "name"), fmt.Sprintf(foldSQL, "substr(name, instr(name, ' ') + 1)")
}

// prefixEnd is appended to a key's beginning for the end of its range:
// the highest code point sorts after every character that can follow.
const prefixEnd = "\U0010FFFF"

// FoldName folds a text the way the search keys are folded, by the
// database itself (its lower() decides, as in the indexes).
func (db *DB) FoldName(ctx context.Context, s string) (string, error) {
	var out string
	err := db.sql.QueryRowContext(ctx, `SELECT `+fmt.Sprintf(foldSQL, "CAST($1 AS TEXT)"), s).Scan(&out)
	return out, mapErr(err)
}

const personHitCols = `id, name, email, created_at, email_verified_at`

func scanPersonHits(rows *sql.Rows, key bool) ([]domain.PersonHit, error) {
	return scanAll(rows, func(rows *sql.Rows) (domain.PersonHit, error) {
		var h domain.PersonHit
		var verified sql.NullTime
		dest := []any{&h.ID, &h.Name, &h.Email, &h.CreatedAt, &verified}
		if key {
			dest = append(dest, &h.SortKey)
		}
		if err := rows.Scan(dest...); err != nil {
			return h, err
		}
		h.CreatedAt = h.CreatedAt.UTC()
		h.EmailVerifiedAt = nullTime(verified)
		h.Organisations = []string{}
		return h, nil
	})
}

// PersonByEmailHit finds the live account with the address (exact, after
// normalising), as a search hit; none is an empty list.
func (db *DB) PersonByEmailHit(ctx context.Context, email string) ([]domain.PersonHit, error) {
	rows, err := db.query(ctx, `SELECT `+personHitCols+` FROM persons WHERE email = $1 AND deleted_at IS NULL`, domain.NormalizeEmail(email))
	if err != nil {
		return nil, err
	}
	hits, err := scanPersonHits(rows, false)
	if err != nil {
		return nil, mapErr(err)
	}
	return hits, db.addOrganisations(ctx, hits)
}

// NameCursor is where a page of the name search goes on: after the hit
// with this key and ID.
type NameCursor struct {
	Key string
	ID  int64
}

// PersonsByName finds up to limit live accounts whose full name or
// surname begins with folded (a beginning folded by FoldName), ordered by
// the key they were found by and their ID, after the cursor (nil: from
// the start). more says whether another page follows. Each of the two
// indexes is read as a range from the cursor on; a person whose full name
// begins so is found by it alone, not twice.
func (db *DB) PersonsByName(ctx context.Context, folded string, after *NameCursor, limit int) (hits []domain.PersonHit, more bool, err error) {
	if limit <= 0 {
		limit = domain.PersonSearchMax
	}
	for _, s := range db.personsByNameQueries(folded, after, limit) {
		rows, err := db.query(ctx, s.query, s.args...)
		if err != nil {
			return nil, false, err
		}
		part, err := scanPersonHits(rows, true)
		if err != nil {
			return nil, false, mapErr(err)
		}
		hits = append(hits, part...)
	}
	slices.SortFunc(hits, func(a, b domain.PersonHit) int {
		if c := strings.Compare(a.SortKey, b.SortKey); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(hits) > limit {
		hits, more = hits[:limit], true
	}
	return hits, more, db.addOrganisations(ctx, hits)
}

// searchQuery is one query of the name search with its arguments.
type searchQuery struct {
	query string
	args  []any
}

// personsByNameQueries are the two range reads of PersonsByName: by the
// full name, and by the surname of those the full name does not find.
func (db *DB) personsByNameQueries(folded string, after *NameCursor, limit int) []searchQuery {
	full, surname := db.nameKeys()
	cursor := after != nil && after.Key >= folded
	from := folded
	if cursor {
		from = after.Key
	}
	// q reads one index from where the page starts: the beginning of the
	// range; or, after a cursor, the rest of the cursor's key by ID (an
	// index seek, also among the many people of one surname) and then
	// the keys after it. $1 is the beginning or the cursor's key, $2 the
	// range's end, $3 the limit; the cursor's ID follows the extra
	// arguments.
	q := func(key, extra string, args []any) searchQuery {
		sel := `SELECT ` + personHitCols + `, ` + key + ` AS k FROM persons WHERE deleted_at IS NULL AND `
		if !cursor {
			return searchQuery{sel + key + ` >= $1 AND ` + key + ` < $2` + extra + ` ORDER BY ` + key + `, id LIMIT $3`, args}
		}
		args = append(args, after.ID)
		// Up to a page of each; PersonsByName sorts and cuts the union.
		return searchQuery{`SELECT * FROM (` + sel + key + ` = $1 AND id > $` + strconv.Itoa(len(args)) + extra + ` ORDER BY id LIMIT $3) same
			UNION ALL SELECT * FROM (` + sel + key + ` > $1 AND ` + key + ` < $2` + extra + ` ORDER BY ` + key + `, id LIMIT $3) later`, args}
	}
	base := []any{from, folded + prefixEnd, limit + 1}
	// The surname's search leaves out whom the full name finds ($4).
	return []searchQuery{
		q(full, "", base),
		q(surname, ` AND NOT (`+full+` >= $4 AND `+full+` < $2)`, append(slices.Clip(base), folded)),
	}
}

// addOrganisations names the organisations each hit belongs to, in one
// query for the page.
func (db *DB) addOrganisations(ctx context.Context, hits []domain.PersonHit) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	at := map[int64]int{}
	for i, h := range hits {
		ids[i] = strconv.FormatInt(h.ID, 10)
		at[h.ID] = i
	}
	rows, err := db.query(ctx, `SELECT m.person_id, o.name FROM memberships m JOIN organisations o ON o.id = m.org_id
		WHERE m.person_id IN (`+strings.Join(ids, ",")+`) ORDER BY o.name, o.id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return mapErr(err)
		}
		hits[at[id]].Organisations = append(hits[at[id]].Organisations, name)
	}
	return mapErr(rows.Err())
}
