package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/filestore"
)

// Files and rows: a document's content is put into the file store before
// the row that references it commits, and put again (a cheap check when it
// is there) right after the row is inserted. Blobs are deleted only by
// DeleteUnreferencedBlobs, which checks for references while it holds the
// documents table against inserts (PostgreSQL: SHARE lock; SQLite: the
// single writer). So an insert either commits before the check (the blob
// is kept) or runs after the deletion and puts the blob back: a committed
// row never names a missing blob. A transaction that fails leaves its
// blobs behind unreferenced; the caller discards them (DiscardBlobs) and
// the orphan collection (CollectOrphanBlobs) removes what a crash left.
//
// documents.sha256 is the only column that holds file store keys; a new
// one must be added to blobRefQuery.

// blobRefQuery selects which of the listed keys are referenced.
const blobRefQuery = `SELECT DISTINCT sha256 FROM documents WHERE sha256 IN (%s)`

// PutBlob stores content in the file store before the transaction that
// will reference it, and returns its key.
func (db *DB) PutBlob(ctx context.Context, content []byte) (string, error) {
	if db.Files == nil {
		return "", errors.New("store: no file store configured")
	}
	return db.Files.Put(ctx, content)
}

// DiscardBlobs removes blobs that a failed transaction stored and no
// document refers to. Errors are left to the orphan collection.
func (db *DB) DiscardBlobs(keys []string) {
	if len(keys) == 0 || db.Files == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, _ = db.DeleteUnreferencedBlobs(ctx, keys, time.Time{})
}

// DeleteUnreferencedBlobs deletes those of keys that no row references
// and, unless before is zero, whose blob was last written before it. It
// returns how many it deleted. The documents table is held against inserts
// only while the references are checked and the blobs deleted.
func (db *DB) DeleteUnreferencedBlobs(ctx context.Context, keys []string, before time.Time) (int, error) {
	if !before.IsZero() {
		// Blobs written again since they were listed are in use: skip them
		// (outside the lock; correctness does not depend on it, see above).
		old := keys[:0:0]
		for _, k := range keys {
			b, err := db.Files.Stat(ctx, k)
			if errors.Is(err, filestore.ErrNotFound) {
				continue
			}
			if err != nil {
				return 0, err
			}
			if b.Modified.Before(before) {
				old = append(old, k)
			}
		}
		keys = old
	}
	if len(keys) == 0 {
		return 0, nil
	}
	deleted := 0
	err := db.transact(ctx, func(tx *Tx) error {
		deleted = 0
		if db.Dialect == Postgres {
			// Inserts of documents wait until the blobs are gone (and then
			// put theirs back); SQLite's transaction is the single writer.
			if _, err := tx.ExecContext(ctx, `LOCK TABLE documents IN SHARE MODE`); err != nil {
				return mapErr(err)
			}
		}
		args := make([]any, len(keys))
		ph := make([]string, len(keys))
		for i, k := range keys {
			args[i], ph[i] = k, fmt.Sprintf("$%d", i+1)
		}
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(blobRefQuery, strings.Join(ph, ",")), args...)
		if err != nil {
			return mapErr(err)
		}
		used := map[string]bool{}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return err
			}
			used[k] = true
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, k := range keys {
			if used[k] {
				continue
			}
			if err := db.Files.Delete(ctx, k); err != nil {
				return err
			}
			deleted++
		}
		return nil
	})
	return deleted, err
}

// OrphanStats are the counts of one orphan collection.
type OrphanStats struct {
	Blobs   int // blobs in the store
	Old     int // of them older than the grace period
	Deleted int // of those deleted: no row referenced them
	Temp    int // unfinished temporary files removed (local folder)
}

// orphanBatch is how many candidate keys are checked at once: small, so
// that uploads wait only briefly for one batch's deletions.
const orphanBatch = 100

// CollectOrphanBlobs deletes the blobs that no row references and that
// were last written more than grace ago (by the file store's clock): what
// failed transactions and crashes left behind. A blob within the grace
// period may belong to a transaction still running. Run it on one instance
// at a time (a lease); it is still correct when two overlap.
func (db *DB) CollectOrphanBlobs(ctx context.Context, grace time.Duration) (OrphanStats, error) {
	var st OrphanStats
	if db.Files == nil {
		return st, errors.New("store: no file store configured")
	}
	before := time.Now().Add(-grace)
	var batch []string
	flush := func() error {
		n, err := db.DeleteUnreferencedBlobs(ctx, batch, before)
		st.Deleted += n
		batch = batch[:0]
		return err
	}
	if sw, ok := db.Files.(interface {
		SweepTemp(context.Context, time.Duration) (int, error)
	}); ok {
		// A local folder: also the temporary files of Puts a crash cut off.
		// (at least an hour old: no Put takes that long)
		n, err := sw.SweepTemp(ctx, max(grace, time.Hour))
		st.Temp = n
		if err != nil {
			return st, err
		}
	}
	err := db.Files.List(ctx, func(b filestore.Blob) error {
		st.Blobs++
		if !b.Modified.Before(before) {
			return nil
		}
		st.Old++
		batch = append(batch, b.Key)
		if len(batch) == orphanBatch {
			return flush()
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	return st, flush()
}

// TryLease takes or renews the lease of the job name for holder until ttl
// from now, and reports whether holder has it: the lease is free, ran
// out, or is holder's already. Leases make a job run on one instance at a
// time; a holder that dies loses its lease when it runs out.
func (db *DB) TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	now := time.Now().UTC()
	res, err := db.exec(ctx, `INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE job_leases.holder = excluded.holder OR job_leases.expires_at < $4`, name, holder, now.Add(ttl), now)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseLease gives up holder's lease of the job name.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := db.exec(ctx, `DELETE FROM job_leases WHERE name = $1 AND holder = $2`, name, holder)
	return mapErr(err)
}
