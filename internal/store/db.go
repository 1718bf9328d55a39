// Package store keeps Lotse's data in SQLite or PostgreSQL through
// database/sql. One code path serves both databases: queries use $n
// placeholders that both understand, and the few dialect differences are
// named in dialect.go. Exported methods own their transaction and write the
// audit log inside it; unexported helpers take the *Tx. Driver errors are
// mapped to domain sentinels in errors.go.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations
var migrations embed.FS

// Dialect names the database in use.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is a handle on the database.
type DB struct {
	sql     *sql.DB
	Dialect Dialect
	// Now returns the current time; tests replace it to travel in time.
	Now func() time.Time
	// Files keeps the content of documents.
	Files filestore.Store
	dsn   string
	// lock is the shared lock on a SQLite database's lock file, held while
	// the handle is open (see Restore).
	lock *os.File
	// stmts keeps SQLite's prepared statements (stmtcache.go); nil on
	// PostgreSQL.
	stmts *stmtCache
	// writer admits one write transaction of this process at a time on
	// SQLite (nil: no gate). SQLite has one writer anyway; without the
	// gate, transactions waiting for its lock each hold one of the eight
	// connections and poll in SQLite's busy handler, sleeping up to 100 ms
	// between tries, while the reads of other requests wait for a
	// connection. Other processes on the same file still meet the busy
	// handler.
	writer chan struct{}
	// wconn is the one connection the gated write transactions use, so
	// that its page cache stays warm: SQLite drops a connection's cache
	// whenever another connection has written since its last
	// transaction, and with writes handed round the pool every write
	// read its pages afresh (issue 14: the reads under the write lock).
	wmu   sync.Mutex
	wconn *sql.Conn
	// ckpt checkpoints the write-ahead log of SQLite's write connection
	// (checkpoint.go); nil on PostgreSQL.
	ckpt *checkpointer
}

// writerCacheKiB is the page cache of the write connection.
const writerCacheKiB = 32 * 1024

// writeConn returns the write connection, opening it on first use.
// Callers hold the writer gate.
func (db *DB) writeConn(ctx context.Context) (*sql.Conn, error) {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	if db.wconn != nil {
		return db.wconn, nil
	}
	c, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	for _, pragma := range []string{"PRAGMA cache_size = -" + strconv.Itoa(writerCacheKiB), "PRAGMA wal_autocheckpoint = 0"} {
		if _, err := c.ExecContext(ctx, pragma); err != nil {
			c.Close()
			return nil, err
		}
	}
	db.wconn = c
	return c, nil
}

// dropWriteConn gives up a write connection that broke; the next write
// opens another.
func (db *DB) dropWriteConn(c *sql.Conn) {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	if db.wconn == c {
		db.wconn = nil
	}
	c.Close()
}

// begin starts a write transaction: on the write connection while the
// gate is on, else on any connection of the pool.
func (db *DB) begin(ctx context.Context) (*sql.Tx, error) {
	if db.writer == nil {
		return db.sql.BeginTx(ctx, nil)
	}
	c, err := db.writeConn(ctx)
	if err != nil {
		return nil, err
	}
	stx, err := c.BeginTx(ctx, nil)
	if errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn) {
		db.dropWriteConn(c)
		if c, err = db.writeConn(ctx); err != nil {
			return nil, err
		}
		return c.BeginTx(ctx, nil)
	}
	return stx, err
}

// SerializeWrites switches the gate of SQLite's write transactions on or
// off (it is on after Open); benchmarks compare the two.
func (db *DB) SerializeWrites(on bool) {
	if db.Dialect != SQLite {
		return
	}
	if on {
		db.writer = make(chan struct{}, 1)
	} else {
		db.writer = nil
	}
}

// DSN is the database URL the handle was opened with, so that a second
// handle (another "process" in tests) can open the same database.
func (db *DB) DSN() string { return db.dsn }

// SQLiteDSN returns the database URL of the SQLite file in the data folder.
func SQLiteDSN(dataDir string) string {
	return "sqlite:" + filepath.Join(dataDir, "lotse.db")
}

// Open connects to the database named by dsn ("postgres://..." or
// "sqlite:PATH") and runs the migrations.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{Now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }, dsn: dsn}
	var err error
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db.Dialect = Postgres
		db.sql, err = sql.Open("pgx", withLockTimeout(dsn))
		if err != nil {
			return nil, err
		}
		db.SetPoolSize(0)
	case strings.HasPrefix(dsn, "sqlite:"):
		db.Dialect = SQLite
		path := strings.TrimPrefix(dsn, "sqlite:")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("create data folder: %w", err)
			}
		}
		if db.lock, err = lockFile(path+".lock", false); err != nil {
			if errors.Is(err, errLocked) {
				return nil, fmt.Errorf("open %s: a restore of this database is under way", path)
			}
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Add("_pragma", "synchronous(NORMAL)")
		// Every transaction takes the write lock at BEGIN: SQLite has one
		// writer, and taking the lock up front means the checks a
		// transaction makes cannot be invalidated before it writes.
		q.Set("_txlock", "immediate")
		db.sql, err = sql.Open("sqlite", "file:"+path+"?"+q.Encode())
		if err != nil {
			db.lock.Close()
			return nil, err
		}
		db.sql.SetMaxOpenConns(8)
		db.sql.SetMaxIdleConns(8)
		db.sql.SetConnMaxIdleTime(0)
		db.stmts = newStmtCache(db.sql)
		db.writer = make(chan struct{}, 1)
		db.startCheckpointer()
	default:
		return nil, fmt.Errorf("unknown database URL %q: want postgres://... or sqlite:PATH", dsn)
	}
	if err := db.sql.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to %s: %w", db.Dialect, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func (db *DB) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.Dialect))
	if err != nil {
		return err
	}
	gd := goose.DialectSQLite3
	if db.Dialect == Postgres {
		gd = goose.DialectPostgres
	}
	var opts []goose.ProviderOption
	if db.Dialect == Postgres {
		// Instances starting at once migrate one after the other: the
		// others wait for PostgreSQL's advisory lock and find nothing to do.
		l, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300)) // try every second, five minutes long
		if err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(l))
	}
	conn := db.sql
	if db.Dialect == Postgres {
		// Migrations wait for their locks as long as it takes (the pool's
		// connections give up after lockTimeout): their own connection.
		if conn, err = sql.Open("pgx", db.dsn); err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		defer conn.Close()
	}
	p, err := goose.NewProvider(gd, conn, sub, opts...)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if db.Dialect == SQLite {
		if err := db.completeStats(ctx); err != nil {
			return fmt.Errorf("migrate: statistics: %w", err)
		}
	}
	return nil
}

// completeStats gathers SQLite's statistics for the indexes that lack
// them on tables that have them (at every start; the check reads the
// schema), as a migration's new index does on a database that was
// analysed (the scale generator analyses what it
// loads). SQLite's planner guesses a few rows per key for an index
// without statistics: next to its analysed neighbours such an index looks
// better than it is (memberships' name keys of migration 00039, "covering"
// the municipality, were taken for the team overview's walk and sorted
// its 87,000 members). A database never analysed keeps the planner's
// guesses for all. Sampled (analysis_limit), so that it takes
// milliseconds on millions of rows.
func (db *DB) completeStats(ctx context.Context) error {
	var analysed int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&analysed); err != nil || analysed == 0 {
		return err
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `SELECT i.name FROM sqlite_master i WHERE i.type = 'index'
		AND EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = i.tbl_name)
		AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.idx = i.name) ORDER BY i.name`)
	if err != nil {
		return err
	}
	names, err := scanAll(rows, func(r *sql.Rows) (string, error) {
		var n string
		return n, r.Scan(&n)
	})
	if err != nil || len(names) == 0 {
		return err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA analysis_limit = 1000`); err != nil {
		return err
	}
	for _, n := range names {
		if _, err := conn.ExecContext(ctx, `ANALYZE "`+strings.ReplaceAll(n, `"`, `""`)+`"`); err != nil {
			return err
		}
	}
	_, err = conn.ExecContext(ctx, `PRAGMA analysis_limit = 0`)
	return err
}

// lockTimeout is how long a statement of the pool waits for a lock on
// PostgreSQL: lock waits are short, a request that cannot get its lock
// soon fails and is retried rather than piling up.
const lockTimeout = "5s"

// DefaultPoolSize is the most PostgreSQL connections an instance opens
// unless configured: twice its usable cores and two more, at least 8.
// More connections than the cores can serve only make the operating
// system switch between busy backends: on 2 cores, 20 connections gave
// the list pages under 16 concurrent requests a p99 of 46-60 ms against
// 33-42 ms with 8, at the same booking throughput (issue 14,
// docs/benchmarks.md). Not fewer than 8: the scale generator holds a
// connection of its own while it uses the pool, and a path that reads
// through the pool inside a transaction (LOTSE_TEST_DB_MAX_CONNS=1 finds
// them) needs two connections.
func DefaultPoolSize() int { return max(8, 2*runtime.GOMAXPROCS(0)+2) }

// SetPoolSize bounds the PostgreSQL connections of the pool (0: the
// default); SQLite's pool is fixed.
func (db *DB) SetPoolSize(n int) {
	if db.Dialect != Postgres {
		return
	}
	if n <= 0 {
		n = DefaultPoolSize()
	}
	db.sql.SetMaxOpenConns(n)
	db.sql.SetMaxIdleConns(n)
}

// withLockTimeout sets lockTimeout on every connection of the pool (one
// round trip less per transaction than SET LOCAL), unless the URL sets
// lock_timeout itself.
func withLockTimeout(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // sql.Open reports it
	}
	q := u.Query()
	if q.Get("lock_timeout") == "" {
		q.Set("lock_timeout", lockTimeout)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Close closes the connections.
func (db *DB) Close() error {
	db.stopCheckpointer()
	db.wmu.Lock()
	if db.wconn != nil {
		db.wconn.Close()
		db.wconn = nil
	}
	db.wmu.Unlock()
	db.stmts.close()
	err := db.sql.Close()
	if db.lock != nil {
		db.lock.Close()
	}
	return err
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// Tx is a transaction with the clock and dialect of its DB.
type Tx struct {
	*sql.Tx
	db  *DB
	now time.Time
}

// The statements of a Tx go through mapErr: these methods shadow the ones of
// the embedded *sql.Tx, so that every driver error a store method sees is
// already mapped (unique violations are domain.ErrConflict) and no call site
// needs to remember it.

// ExecContext runs a statement in the transaction.
func (tx *Tx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.db.stmts.get(query); st != nil {
		r, err := tx.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
		return r, mapErr(err)
	}
	r, err := tx.Tx.ExecContext(ctx, query, args...)
	return r, mapErr(err)
}

// QueryContext runs a query in the transaction. Read the rows with scanAll,
// which checks rows.Err and maps its errors too.
func (tx *Tx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.db.stmts.get(query); st != nil {
		rows, err := tx.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
		return rows, mapErr(err)
	}
	rows, err := tx.Tx.QueryContext(ctx, query, args...)
	return rows, mapErr(err)
}

// QueryRowContext runs a query that returns at most one row.
func (tx *Tx) QueryRowContext(ctx context.Context, query string, args ...any) *Row {
	if st := tx.db.stmts.get(query); st != nil {
		return &Row{row: tx.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)}
	}
	return &Row{row: tx.Tx.QueryRowContext(ctx, query, args...)}
}

// Row is a *sql.Row whose Scan maps driver errors. An empty result is still
// sql.ErrNoRows (test it with errNoRows).
type Row struct{ row *sql.Row }

// Scan copies the row's columns into dest.
func (r *Row) Scan(dest ...any) error { return mapErr(r.row.Scan(dest...)) }

// Err reports the error of the query, if any.
func (r *Row) Err() error { return mapErr(r.row.Err()) }

// exec, query and queryRow run single statements outside a transaction,
// with their errors mapped like those of a Tx. On SQLite a statement that
// exec runs writes, so it goes through the writer gate as a transaction of
// its own: on a connection of the pool it would meet the write connection's
// lock and wait in SQLite's busy handler, which sleeps up to 100 ms at a
// time (a login's new session waited so behind other logins).
func (db *DB) exec(ctx context.Context, query string, args ...any) (r sql.Result, err error) {
	if db.writer != nil {
		err = db.transact(ctx, func(tx *Tx) (err error) {
			r, err = tx.ExecContext(ctx, query, args...)
			return err
		})
		return r, err
	}
	return db.execPool(ctx, query, args...)
}

// execPool runs a statement on a connection of the pool, outside the
// writer gate: for what must not run in a transaction (VACUUM INTO).
func (db *DB) execPool(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := db.stmts.get(query); st != nil {
		r, err := st.ExecContext(ctx, args...)
		return r, mapErr(err)
	}
	r, err := db.sql.ExecContext(ctx, query, args...)
	return r, mapErr(err)
}

func (db *DB) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := db.stmts.get(query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		return rows, mapErr(err)
	}
	rows, err := db.sql.QueryContext(ctx, query, args...)
	return rows, mapErr(err)
}

func (db *DB) queryRow(ctx context.Context, query string, args ...any) *Row {
	if st := db.stmts.get(query); st != nil {
		return &Row{row: st.QueryRowContext(ctx, args...)}
	}
	return &Row{row: db.sql.QueryRowContext(ctx, query, args...)}
}

// transact runs fn in a transaction and commits it, retrying a few times when
// the database reports a serialization failure or a busy lock.
func (db *DB) transact(ctx context.Context, fn func(tx *Tx) error) (err error) {
	for attempt := 0; ; attempt++ {
		err = db.transactOnce(ctx, fn)
		if err == nil || !retryable(err) || attempt >= 4 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 10 * time.Millisecond):
		}
	}
}

func (db *DB) transactOnce(ctx context.Context, fn func(tx *Tx) error) (err error) {
	if w := db.writer; w != nil {
		select {
		case w <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		defer func() { <-w }()
	}
	stx, err := db.begin(ctx)
	if err != nil {
		return mapErr(err)
	}
	tx := &Tx{Tx: stx, db: db, now: db.Now()}
	defer func() {
		if p := recover(); p != nil {
			stx.Rollback()
			panic(p)
		}
		if err != nil {
			stx.Rollback()
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := stx.Commit(); err != nil {
		return mapErr(err)
	}
	if db.writer != nil {
		db.committed()
	}
	return nil
}

// errNoRows reports whether err means an empty result.
func errNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// nullTime converts a nullable column to a pointer.
func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time.UTC()
	return &v
}

// read runs fn in a read-only transaction: a consistent snapshot on
// PostgreSQL; on SQLite a plain deferred transaction that takes no write
// lock.
func (db *DB) read(ctx context.Context, fn func(tx *Tx) error) error {
	stx, err := db.sql.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return mapErr(err)
	}
	defer stx.Rollback()
	return fn(&Tx{Tx: stx, db: db, now: db.Now()})
}

// Transact runs fn in one transaction and commits it, retrying the whole
// function when the database reports a serialization failure or a busy lock.
// Services use it to make a use case one unit: what fn reads under its locks
// stays true until it commits. fn must not keep tx after it returns.
func (db *DB) Transact(ctx context.Context, fn func(tx *Tx) error) error {
	return db.transact(ctx, fn)
}

// Read runs fn in a read-only transaction (a consistent snapshot on
// PostgreSQL).
func (db *DB) Read(ctx context.Context, fn func(tx *Tx) error) error {
	return db.read(ctx, fn)
}

// Now is the transaction's clock reading, taken once at its start.
func (tx *Tx) Now() time.Time { return tx.now }

// Audit appends an entry to the audit log inside tx, with the actor of ctx.
func (tx *Tx) Audit(ctx context.Context, orgID int64, action, objType string, objID any, detail any) error {
	return tx.audit(ctx, orgID, action, objType, objID, detail)
}

// EnqueueMail writes a mail to the outbox inside tx; the jobs deliver it
// after the commit. Services call it through notify, which writes the text.
func (tx *Tx) EnqueueMail(ctx context.Context, to, subject, body string) error {
	return tx.enqueueMail(ctx, to, subject, body, nil)
}

// EnqueueMailWith is EnqueueMail with a text attachment.
func (tx *Tx) EnqueueMailWith(ctx context.Context, to, subject, body string, att *domain.Attachment) error {
	return tx.enqueueMail(ctx, to, subject, body, att)
}
