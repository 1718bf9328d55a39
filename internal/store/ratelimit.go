package store

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

// Hit counts one request against bucket in a fixed window and refuses it
// with ERateLimited once more than limit requests fell into the window. The
// counters live in the database, so the limit holds across instances.
func (db *DB) Hit(ctx context.Context, bucket string, limit int, window time.Duration) error {
	now := db.Now()
	start := now.Truncate(window)
	var hits int
	err := db.transact(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
			ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1 RETURNING hits`, bucket, start).Scan(&hits); err != nil {
			return err
		}
		// Old windows are of no use; remove them now and then.
		if hits == 1 {
			_, err := tx.ExecContext(ctx, `DELETE FROM rate_limits WHERE bucket = $1 AND window_start < $2`, bucket, start)
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if hits > limit {
		return domain.ErrTooManyRequests
	}
	return nil
}
