package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// column is a column as both databases can describe it.
type column struct {
	Type    string // normalised: int, text, time, bool, bytes, real, json
	NotNull bool
}

// index is a named index: its table, columns and uniqueness.
type index struct {
	Table   string
	Columns string
	Unique  bool
}

type schema struct {
	Tables  map[string]map[string]column
	Indexes map[string]index
}

// normType maps a declared type to the class both databases share.
func normType(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case t == "integer" || t == "bigint" || t == "int" || t == "smallint":
		return "int"
	case t == "text" || strings.HasPrefix(t, "character varying") || strings.HasPrefix(t, "varchar"):
		return "text"
	case strings.HasPrefix(t, "timestamp") || t == "datetime":
		return "time"
	case t == "date":
		return "date"
	case t == "boolean" || t == "bool":
		return "bool"
	case t == "blob" || t == "bytea":
		return "bytes"
	case t == "real" || t == "double precision" || t == "numeric" || t == "float":
		return "real"
	case t == "jsonb" || t == "json":
		return "json"
	}
	return t
}

func sqliteSchema(t *testing.T, db *store.DB) schema {
	s := schema{Tables: map[string]map[string]column{}, Indexes: map[string]index{}}
	tables := queryStrings(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'goose_db_version'`)
	for _, tbl := range tables {
		cols := map[string]column{}
		eachRow(t, db, `SELECT name, type, "notnull", pk FROM pragma_table_info($1)`, []any{tbl}, func(rows *sql.Rows) error {
			var name, typ string
			var notNull, pk int
			if err := rows.Scan(&name, &typ, &notNull, &pk); err != nil {
				return err
			}
			cols[name] = column{Type: normType(typ), NotNull: notNull == 1 || pk > 0}
			return nil
		})
		s.Tables[tbl] = cols
		type il struct {
			name   string
			unique bool
		}
		var list []il
		eachRow(t, db, `SELECT name, "unique", origin FROM pragma_index_list($1)`, []any{tbl}, func(rows *sql.Rows) error {
			var name, origin string
			var unique int
			if err := rows.Scan(&name, &unique, &origin); err != nil {
				return err
			}
			if origin == "c" { // created by CREATE INDEX, not by a constraint
				list = append(list, il{name, unique == 1})
			}
			return nil
		})
		for _, ix := range list {
			cols := queryStrings(t, db, `SELECT COALESCE(name, '<expr>') FROM pragma_index_info($1) ORDER BY seqno`, ix.name)
			s.Indexes[ix.name] = index{Table: tbl, Columns: strings.Join(cols, ","), Unique: ix.unique}
		}
	}
	return s
}

func postgresSchema(t *testing.T, db *store.DB) schema {
	s := schema{Tables: map[string]map[string]column{}, Indexes: map[string]index{}}
	eachRow(t, db, `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
		FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'goose_db_version'`, nil, func(rows *sql.Rows) error {
		var tbl, name, typ, nullable string
		if err := rows.Scan(&tbl, &name, &typ, &nullable); err != nil {
			return err
		}
		if s.Tables[tbl] == nil {
			s.Tables[tbl] = map[string]column{}
		}
		s.Tables[tbl][name] = column{Type: normType(typ), NotNull: nullable == "NO"}
		return nil
	})
	// Indexes made by CREATE INDEX: not those behind a constraint.
	eachRow(t, db, `SELECT i.relname, t.relname, x.indisunique,
			(SELECT string_agg(COALESCE(a.attname, '<expr>'), ',' ORDER BY k.ord)
			 FROM unnest(x.indkey) WITH ORDINALITY k(attnum, ord)
			 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE n.nspname = 'public' AND t.relname <> 'goose_db_version'
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`, nil, func(rows *sql.Rows) error {
		var name, tbl, cols string
		var unique bool
		if err := rows.Scan(&name, &tbl, &unique, &cols); err != nil {
			return err
		}
		s.Indexes[name] = index{Table: tbl, Columns: cols, Unique: unique}
		return nil
	})
	return s
}

func queryStrings(t *testing.T, db *store.DB, q string, args ...any) []string {
	t.Helper()
	var out []string
	eachRow(t, db, q, args, func(rows *sql.Rows) error {
		var s string
		out = append(out, s)
		return rows.Scan(&out[len(out)-1])
	})
	return out
}

// eachRow runs a query in a read transaction and calls fn for every row.
func eachRow(t *testing.T, db *store.DB, q string, args []any, fn func(*sql.Rows) error) {
	t.Helper()
	err := db.Read(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.QueryContext(context.Background(), q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := fn(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// sameType reports whether a SQLite and a PostgreSQL column type hold the
// same values: SQLite has no boolean and no JSON type, so those columns are
// INTEGER (0/1) and TEXT there, and the drivers convert.
func sameType(lite, pg string) bool {
	return lite == pg || (lite == "int" && pg == "bool") || (lite == "text" && pg == "json")
}

// TestMigrationTreesDescribeTheSameSchema applies both migration trees to
// real databases and compares tables, columns (types normalised, NOT NULL)
// and named indexes.
func TestMigrationTreesDescribeTheSameSchema(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip("needs PostgreSQL: set " + storetest.EnvPostgres)
	}
	lite, err := store.Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "lotse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := store.Open(context.Background(), storetest.DSN(t, store.Postgres))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	a, b := sqliteSchema(t, lite), postgresSchema(t, pg)
	var diffs []string
	for _, tbl := range keys(a.Tables, b.Tables) {
		ca, cb := a.Tables[tbl], b.Tables[tbl]
		if ca == nil || cb == nil {
			diffs = append(diffs, fmt.Sprintf("table %s only in %s", tbl, only(ca != nil)))
			continue
		}
		for _, col := range keys(ca, cb) {
			x, okx := ca[col]
			y, oky := cb[col]
			switch {
			case !okx || !oky:
				diffs = append(diffs, fmt.Sprintf("column %s.%s only in %s", tbl, col, only(okx)))
			case !sameType(x.Type, y.Type):
				diffs = append(diffs, fmt.Sprintf("column %s.%s: sqlite %s, postgres %s", tbl, col, x.Type, y.Type))
			case x.NotNull != y.NotNull:
				diffs = append(diffs, fmt.Sprintf("column %s.%s: NOT NULL sqlite %v, postgres %v", tbl, col, x.NotNull, y.NotNull))
			}
		}
	}
	for _, name := range keys(a.Indexes, b.Indexes) {
		x, okx := a.Indexes[name]
		y, oky := b.Indexes[name]
		switch {
		case !okx || !oky:
			diffs = append(diffs, fmt.Sprintf("index %s only in %s", name, only(okx)))
		case x != y:
			diffs = append(diffs, fmt.Sprintf("index %s: sqlite %+v, postgres %+v", name, x, y))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("the migration trees differ:\n  %s", strings.Join(diffs, "\n  "))
	}
	if len(a.Tables) < 20 || len(a.Indexes) < 10 {
		t.Fatalf("only %d tables and %d indexes found", len(a.Tables), len(a.Indexes))
	}
	t.Logf("compared %d tables and %d indexes", len(a.Tables), len(a.Indexes))
}

func only(inSQLite bool) string {
	if inSQLite {
		return "sqlite"
	}
	return "postgres"
}

func keys[V any](a, b map[string]V) []string {
	var out []string
	for k := range a {
		out = append(out, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}
