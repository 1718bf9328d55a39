package store

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/lotse-oss/lotse/internal/domain"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// mapErr maps driver errors to domain sentinels: unique violations become
// domain.ErrConflict. Other errors pass unchanged (sql.ErrNoRows too), and
// mapping twice changes nothing. Every statement goes through it: the
// methods of Tx and DB.exec/query/queryRow call it (db.go).
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var de *domain.Error
	if errors.As(err, &de) {
		return err // mapped already
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch pg.Code {
		case "23505": // unique_violation
			return &domain.Error{Code: domain.EConflict, Message: domain.ErrConflict.Message, Err: err}
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return &domain.Error{Code: domain.EConflict, Message: domain.ErrConflict.Message, Err: err}
		}
	}
	return err
}

// retryable reports whether a transaction failed only because of concurrent
// transactions and may succeed when run again.
func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		// serialization_failure, deadlock_detected, lock_not_available
		return pg.Code == "40001" || pg.Code == "40P01" || pg.Code == "55P03"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff
		return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
	}
	return strings.Contains(err.Error(), "database is locked")
}
