package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

// foldName is the form of a name the directory search compares: lower case
// with umlauts and ß folded, so "Muenchen", "münchen" and "Munchen" are close.
func foldName(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("ä", "a", "ö", "o", "ü", "u", "ß", "ss", "ae", "a", "oe", "o", "ue", "u").Replace(s)
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

const importBatch = 400

// ImportMunicipalities inserts or updates directory entries in one
// transaction: either the whole file is applied or nothing. Entries missing
// from the file are kept, since organisations may still refer to them.
func (db *DB) ImportMunicipalities(ctx context.Context, ms []domain.Municipality, source string) (domain.ImportStats, error) {
	var st domain.ImportStats
	err := db.transact(ctx, func(tx *Tx) error {
		st = domain.ImportStats{}
		existing := make(map[string]string, 20000)
		rows, err := tx.QueryContext(ctx, `SELECT ags, name, kind, type_code, district_ags, state_ags, population, area_ha, postcode, ref_date FROM municipalities`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var m domain.Municipality
			if err := rows.Scan(&m.AGS, &m.Name, &m.Kind, &m.TypeCode, &m.DistrictAGS, &m.StateAGS, &m.Population, &m.AreaHa, &m.Postcode, &m.RefDate); err != nil {
				rows.Close()
				return err
			}
			existing[m.AGS] = municipalityKey(m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var changed []domain.Municipality
		for _, m := range ms {
			switch m.Kind {
			case domain.AreaState:
				st.States++
			case domain.AreaDistrict:
				st.Districts++
			default:
				st.Municipalities++
			}
			old, ok := existing[m.AGS]
			switch {
			case !ok:
				st.Inserted++
			case old != municipalityKey(m):
				st.Updated++
			default:
				st.Unchanged++
				continue
			}
			changed = append(changed, m)
		}
		batch := importBatch
		if tx.db.Dialect == SQLite {
			// SQLite looks up $n parameters by name, which makes long
			// multi-row statements quadratic; in-process, one prepared
			// single-row statement is as fast as it gets.
			batch = 1
		}
		if err := tx.upsertMunicipalities(ctx, changed, batch); err != nil {
			return err
		}
		return tx.audit(ctx, 0, "directory.import", "directory", source, st)
	})
	return st, err
}

func municipalityKey(m domain.Municipality) string {
	return fmt.Sprint(m.Name, "|", m.Kind, "|", m.TypeCode, "|", m.DistrictAGS, "|", m.StateAGS, "|", m.Population, "|",
		m.AreaHa, "|", m.Postcode, "|", m.RefDate.UTC().Format("2006-01-02"))
}

// upsertMunicipalities writes entries with statements of batch rows each.
func (tx *Tx) upsertMunicipalities(ctx context.Context, ms []domain.Municipality, batch int) error {
	var stmt *sql.Stmt
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for i := 0; i < len(ms); i += batch {
		chunk := ms[i:min(i+batch, len(ms))]
		args := make([]any, 0, len(chunk)*municipalityCols)
		for _, m := range chunk {
			args = append(args, m.AGS, m.Name, foldName(m.Name), m.Kind, m.TypeCode, m.DistrictAGS, m.StateAGS, m.Population,
				m.AreaHa, m.Postcode, m.RefDate.UTC())
		}
		if len(chunk) == batch && stmt != nil {
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
			continue
		}
		q := upsertMunicipalitiesSQL(len(chunk))
		if len(chunk) == batch {
			var err error
			if stmt, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			if _, err := stmt.ExecContext(ctx, args...); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

const municipalityCols = 11

func upsertMunicipalitiesSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO municipalities (ags, name, search_name, kind, type_code, district_ags, state_ags, population, area_ha, postcode, ref_date) VALUES `)
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := 1; c <= municipalityCols; c++ {
			if c > 1 {
				b.WriteByte(',')
			}
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(i*municipalityCols + c))
		}
		b.WriteByte(')')
	}
	b.WriteString(` ON CONFLICT (ags) DO UPDATE SET name = excluded.name, search_name = excluded.search_name, kind = excluded.kind,
		type_code = excluded.type_code, district_ags = excluded.district_ags, state_ags = excluded.state_ags,
		population = excluded.population, area_ha = excluded.area_ha, postcode = excluded.postcode, ref_date = excluded.ref_date`)
	return b.String()
}

const municipalitySelect = `SELECT m.ags, m.name, m.kind, m.type_code, m.district_ags, COALESCE(d.name, ''), m.state_ags, COALESCE(s.name, ''),
	m.population, m.area_ha, m.postcode, m.ref_date
	FROM municipalities m
	LEFT JOIN municipalities d ON d.ags = m.district_ags AND m.district_ags <> ''
	LEFT JOIN municipalities s ON s.ags = m.state_ags `

func scanMunicipality(row interface{ Scan(...any) error }) (*domain.Municipality, error) {
	var m domain.Municipality
	if err := row.Scan(&m.AGS, &m.Name, &m.Kind, &m.TypeCode, &m.DistrictAGS, &m.DistrictName, &m.StateAGS, &m.StateName,
		&m.Population, &m.AreaHa, &m.Postcode, &m.RefDate); err != nil {
		if errNoRows(err) {
			return nil, domain.ErrMunicipalityNotFound
		}
		return nil, err
	}
	m.RefDate = m.RefDate.UTC()
	m.Type = domain.MunicipalityTypeName(m.Kind, m.TypeCode)
	return &m, nil
}

// Municipality returns the directory entry with the AGS.
func (db *DB) Municipality(ctx context.Context, ags string) (*domain.Municipality, error) {
	return scanMunicipality(db.queryRow(ctx, municipalitySelect+`WHERE m.ags = $1`, ags))
}

// Municipality is db.Municipality inside tx.
func (tx *Tx) Municipality(ctx context.Context, ags string) (*domain.Municipality, error) {
	return scanMunicipality(tx.QueryRowContext(ctx, municipalitySelect+`WHERE m.ags = $1`, ags))
}

// Municipalities searches the directory by name or AGS prefix. Names that
// start with the query come first, then the larger places (by AGS among
// equal populations); an AGS prefix lists by AGS. It returns up to
// f.Limit entries after the entry f.After.Key (an AGS; keyset paging,
// issue 14; f.Offset skips entries for the page numbers of older API
// clients), and their total up to domain.ListCountLimit and one more.
func (db *DB) Municipalities(ctx context.Context, f domain.MunicipalityFilter) ([]domain.Municipality, int, error) {
	where, args, _ := municipalitiesWhere(f)
	var total int
	if err := db.queryRow(ctx, `SELECT count(*) FROM (SELECT 1 FROM municipalities m `+where+` LIMIT $`+strconv.Itoa(len(args)+1)+`) c`,
		append(args, domain.ListCountLimit+1)...).Scan(&total); err != nil {
		return nil, 0, err
	}
	var at *dirPlace
	if f.After.Key != "" {
		// The entry the previous page ended with is read by its key, so
		// that the page starts from its place along the index; an entry
		// that is gone ends the list.
		at = &dirPlace{ags: f.After.Key}
		_, _, prefix := municipalitiesWhere(f)
		if prefix == "" {
			prefix = "%"
		}
		err := db.queryRow(ctx, `SELECT population, CASE WHEN search_name LIKE $2 ESCAPE '\' THEN 0 ELSE 1 END FROM municipalities WHERE ags = $1`,
			f.After.Key, prefix).Scan(&at.population, &at.rank)
		if errNoRows(err) {
			return []domain.Municipality{}, total, nil
		}
		if err != nil {
			return nil, 0, err
		}
	}
	q, args := municipalitiesPage(f, at)
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []domain.Municipality{}
	for rows.Next() {
		m, err := scanMunicipality(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, *m)
	}
	return out, total, rows.Err()
}

// municipalitiesWhere is the condition of f without its cursor, and the
// LIKE pattern of names that start with the query ("" for none).
func municipalitiesWhere(f domain.MunicipalityFilter) (where string, args []any, prefix string) {
	where = "WHERE 1=1"
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	q := strings.TrimSpace(f.Query)
	switch {
	case q == "":
	case isDigits(q):
		where += ` AND m.ags LIKE ` + arg(escapeLike(q)+"%") + ` ESCAPE '\'`
	default:
		fq := escapeLike(foldName(q))
		where += ` AND m.search_name LIKE ` + arg("%"+fq+"%") + ` ESCAPE '\'`
		prefix = fq + "%"
	}
	if f.Kind != "" {
		where += " AND m.kind = " + arg(f.Kind)
	}
	if f.State != "" {
		where += " AND m.state_ags = " + arg(f.State)
	}
	return where, args, prefix
}

// dirPlace is the place of a directory entry in the order of a search:
// its rank (0 when its name starts with the query), population and AGS.
type dirPlace struct {
	ags        string
	population int64
	rank       int
}

// municipalitiesPage is the query of a page of the directory, after the
// entry at (nil: from the start).
func municipalitiesPage(f domain.MunicipalityFilter, at *dirPlace) (string, []any) {
	where, args, prefix := municipalitiesWhere(f)
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	byAGS := isDigits(strings.TrimSpace(f.Query))
	rank := ""
	if prefix != "" {
		rank = `(CASE WHEN m.search_name LIKE ` + arg(prefix) + ` ESCAPE '\' THEN 0 ELSE 1 END)`
	}
	order := "m.population DESC, m.ags"
	if byAGS {
		order = "m.ags"
	} else if rank != "" {
		order = rank + ", " + order
	}
	switch {
	case at == nil:
	case byAGS:
		where += " AND m.ags > " + arg(at.ags)
	case rank != "":
		a, p, r := arg(at.ags), arg(at.population), arg(at.rank)
		where += " AND (" + rank + " > " + r + " OR (" + rank + " = " + r +
			" AND (m.population < " + p + " OR (m.population = " + p + " AND m.ags > " + a + "))))"
	default:
		// population <= p first, so that both databases start the index
		// at the cursor.
		a, p := arg(at.ags), arg(at.population)
		where += " AND m.population <= " + p + " AND (m.population < " + p + " OR m.ags > " + a + ")"
	}
	return municipalitySelect + where + ` ORDER BY ` + order + ` LIMIT ` + arg(pageLimit(f.Limit)) + ` OFFSET ` + arg(max(f.Offset, 0)), args
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
