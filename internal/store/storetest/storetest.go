// Package storetest opens real databases for tests: a fresh SQLite file in a
// temporary folder, and a fresh PostgreSQL database on the server named by
// LOTSE_TEST_POSTGRES (a postgres:// URL of a user that may create
// databases). Without that variable the PostgreSQL variant is skipped with a
// visible message.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/store"
)

// BaseURL is the public address tests give the platform, for links in
// mails and certificates.
const BaseURL = "https://lotse.example"

// EnvPostgres names the variable with the PostgreSQL server URL.
const EnvPostgres = "LOTSE_TEST_POSTGRES"

// Dialects are the databases every storage test runs on.
var Dialects = []store.Dialect{store.SQLite, store.Postgres}

// Run runs fn once per database as a subtest named after it.
func Run(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(string(d), func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a migrated, empty database of dialect d, removed after the test.
func Open(tb testing.TB, d store.Dialect) *store.DB {
	tb.Helper()
	dsn := DSN(tb, d)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", d, err)
	}
	// LOTSE_TEST_DB_MAX_CONNS=1 finds code that asks the pool for a
	// second connection inside a transaction: it then waits for ever (a
	// test's timeout shows where).
	if n, err := strconv.Atoi(os.Getenv("LOTSE_TEST_DB_MAX_CONNS")); err == nil {
		db.SetPoolSize(n)
	}
	if db.Files, err = filestore.NewLocal(filepath.Join(tb.TempDir(), "files")); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the URL of a fresh, empty database of dialect d, dropped after
// the test. Tests that start their own server processes use it.
func DSN(tb testing.TB, d store.Dialect) string {
	tb.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(tb.TempDir(), "lotse.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		tb.Skipf("PostgreSQL variant skipped: set %s to a postgres:// URL to run it", EnvPostgres)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "lotse_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
