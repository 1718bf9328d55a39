package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// stmtCache keeps SQLite's prepared statements by their text. The
// pure-Go driver prepares a query again on every call unless it runs as
// a prepared statement: parsing and planning was an eighth of the time of
// a list page (issue 14). database/sql prepares a cached statement once
// on each connection that runs it. PostgreSQL's driver keeps its own
// cache per connection, so the cache is for SQLite only.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	// stmts maps a query to its statement; nil while it is prepared or
	// where it does not prepare.
	stmts  map[string]*sql.Stmt
	closed bool
}

// maxCachedStmts bounds the cache: the store's queries are a fixed set,
// but a few are built from filters; past the bound new ones run as text.
const maxCachedStmts = 2000

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}}
}

// get returns the prepared statement for query, or nil while it is not
// prepared yet: the first call starts preparing it in the background and
// the caller runs the query as text. Preparing takes a connection from
// the pool, so it must never happen while the caller holds one in a
// transaction (eight transactions waiting for SQLite's write lock would
// wait for each other's connections).
func (c *stmtCache) get(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st, seen := c.stmts[query]
	if seen || len(c.stmts) >= maxCachedStmts {
		return st
	}
	c.stmts[query] = nil // being prepared
	go c.prepare(query)
	return nil
}

func (c *stmtCache) prepare(query string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := c.db.PrepareContext(ctx, query)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		if err == nil {
			st.Close()
		}
		return
	}
	if err != nil {
		// It does not prepare (a script, or an error the caller sees
		// when it runs as text): never again.
		return
	}
	c.stmts[query] = st
}

// close closes the cached statements.
func (c *stmtCache) close() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for q, st := range c.stmts {
		if st != nil {
			st.Close()
		}
		delete(c.stmts, q)
	}
}
