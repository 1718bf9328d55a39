package store

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// SQLite's write-ahead log is copied back into the database file by a
// checkpoint. By default the connection whose commit lets the log pass
// 1,000 pages does it, inside its commit: under the write lock, where it
// was two fifths of a booking's commit at full scale (issue 14). Here the
// write connection never checkpoints (wal_autocheckpoint 0); a goroutine
// of the handle does, on a connection of the pool, shortly after writes,
// in PASSIVE mode: it copies what no reader still needs and waits for
// nobody, while the writer goes on.

// checkpointEvery is how often the checkpointer looks for new commits.
const checkpointEvery = 100 * time.Millisecond

// checkpointer runs the checkpoints of one SQLite handle.
type checkpointer struct {
	commits atomic.Int64 // commits since the last checkpoint
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once // Close may be called more than once
}

func (db *DB) startCheckpointer() {
	c := &checkpointer{stop: make(chan struct{}), done: make(chan struct{})}
	db.ckpt = c
	go func() {
		defer close(c.done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
			}
			if c.commits.Load() == 0 {
				continue
			}
			// A failed checkpoint is tried again at the next tick; the
			// log only grows meanwhile.
			db.Checkpoint(context.Background())
		}
	}()
}

// committed counts a commit of the write connection.
func (db *DB) committed() {
	if db.ckpt != nil {
		db.ckpt.commits.Add(1)
	}
}

func (db *DB) stopCheckpointer() {
	if c := db.ckpt; c != nil {
		c.once.Do(func() { close(c.stop) })
		<-c.done
	}
}

// Checkpoint copies the SQLite write-ahead log into the database file as
// far as readers allow and returns the pages in the log and how many of
// them are in the file now. It copies most pages while the writer goes on,
// then the few written meanwhile with the writer held at the gate: a log
// copied completely starts over at the next write, where one copied
// only while writing grows as long as writes follow each other closely.
// On PostgreSQL it does nothing.
func (db *DB) Checkpoint(ctx context.Context) (logPages, copied int, err error) {
	if db.Dialect != SQLite {
		return 0, 0, nil
	}
	if db.ckpt != nil {
		db.ckpt.commits.Store(0)
	}
	if _, _, err := db.checkpoint(ctx); err != nil {
		return 0, 0, err
	}
	if w := db.writer; w != nil {
		select {
		case w <- struct{}{}:
		case <-ctx.Done():
			return 0, 0, ctx.Err()
		}
		defer func() { <-w }()
	}
	return db.checkpoint(ctx)
}

func (db *DB) checkpoint(ctx context.Context) (logPages, copied int, err error) {
	var busy int
	err = db.sql.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logPages, &copied)
	return logPages, copied, err
}
