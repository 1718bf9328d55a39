package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"time"
)

// Leaser grants leases: a job that must run on one instance at a time
// takes its lease before each run (store.DB implements it on the
// job_leases table).
type Leaser interface {
	TryLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Instance names this process among the instances sharing a database.
var Instance = func() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:]))
}()

// OneAtATime makes j run on one instance at a time: each round first takes
// the lease named after the job for ttl (the longest a round may take);
// an instance that does not get it skips the round. The lease is given up
// when the round ends, and runs out if its holder dies.
func OneAtATime(j Job, l Leaser, holder string, ttl time.Duration) Job {
	run := j.Run
	j.Run = func(ctx context.Context) error {
		ok, err := l.TryLease(ctx, "job:"+j.Name, holder, ttl)
		if err != nil || !ok {
			return err
		}
		defer l.ReleaseLease(context.WithoutCancel(ctx), "job:"+j.Name, holder)
		return run(ctx)
	}
	return j
}
