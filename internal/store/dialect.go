package store

// The differences between SQLite and PostgreSQL, named in one place. Queries
// elsewhere are written once, with $n placeholders both understand; where
// the two databases need different text, a helper here produces it.

// forUpdate adds the row lock to a SELECT that reads rows the transaction
// will change. PostgreSQL needs FOR UPDATE; SQLite has no row locks and
// needs none: every transaction takes the write lock at BEGIN (see Open).
func (tx *Tx) forUpdate(q string) string {
	if tx.db.Dialect == Postgres {
		return q + " FOR UPDATE"
	}
	return q
}

// forUpdateOf is forUpdate for a join that locks the rows of one table
// only, named by its alias.
func (tx *Tx) forUpdateOf(q, alias string) string {
	if tx.db.Dialect == Postgres {
		return q + " FOR UPDATE OF " + alias
	}
	return q
}

// forUpdateSkipLocked is forUpdate for work queues: PostgreSQL skips rows
// another transaction has locked, so that several instances take different
// rows instead of waiting for each other.
func (tx *Tx) forUpdateSkipLocked(q string) string {
	if tx.db.Dialect == Postgres {
		return q + " FOR UPDATE SKIP LOCKED"
	}
	return q
}

// Upserts need no helper: both databases understand
// INSERT ... ON CONFLICT (cols) DO UPDATE SET ... / DO NOTHING and RETURNING.
// Booleans are INTEGER 0/1 in SQLite and boolean in PostgreSQL, JSON is TEXT
// and jsonb; the drivers convert both ways (schema_test.go checks that the
// migration trees agree up to exactly these).

// snapshotSQL is the statement that writes a consistent copy of a SQLite
// database to the file named by its one parameter, while writers go on.
// PostgreSQL has no such statement: its backups are made with pg_dump (see
// errUsePgDump).
const snapshotSQL = `VACUUM INTO $1`

// integrityCheckSQL checks a SQLite database file; it answers one row "ok"
// when the file is sound.
const integrityCheckSQL = `PRAGMA integrity_check`

// forShare adds a shared row lock to a SELECT (PostgreSQL): other
// transactions may share it, but none may change or lock the row for
// update until this one ends. SQLite's write lock covers it.
func (tx *Tx) forShare(q string) string {
	if tx.db.Dialect == Postgres {
		return q + " FOR SHARE"
	}
	return q
}
