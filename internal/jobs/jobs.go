// Package jobs runs the platform's background work: the only goroutines
// besides the HTTP server. Each job has a name and an interval, runs once at
// start and then every interval, one run at a time, until the context ends.
// Jobs keep no state of their own between runs; what they work on is in the
// database, so several instances may run the same jobs (the outbox sender
// claims its mails, see mail.Sender).
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Hourly is the interval of the jobs that look for due work (reminders,
// expiry notices); each records what it did, so a run finds only new work.
const Hourly = time.Hour

// Job is one piece of recurring background work.
type Job struct {
	Name  string
	Every time.Duration
	// Run does one round of the work. An error is logged; the job runs
	// again at the next interval.
	Run func(ctx context.Context) error
}

// Runner runs jobs.
type Runner struct {
	log  *slog.Logger
	jobs []Job
	wg   sync.WaitGroup
}

// New returns a runner that logs to log.
func New(log *slog.Logger) *Runner { return &Runner{log: log} }

// Add registers a job; call before Start.
func (r *Runner) Add(j Job) {
	if j.Every <= 0 {
		panic(fmt.Sprintf("jobs: job %q needs an interval", j.Name))
	}
	r.jobs = append(r.jobs, j)
}

// Start starts every job in its own goroutine. They stop when ctx ends;
// Wait waits for that.
func (r *Runner) Start(ctx context.Context) {
	for _, j := range r.jobs {
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.loop(ctx, j)
		}()
	}
}

// Wait blocks until every job has stopped.
func (r *Runner) Wait() { r.wg.Wait() }

func (r *Runner) loop(ctx context.Context, j Job) {
	t := time.NewTicker(j.Every)
	defer t.Stop()
	for {
		r.runOnce(ctx, j)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runOnce runs one round; a panic is logged like an error rather than
// ending the process.
func (r *Runner) runOnce(ctx context.Context, j Job) {
	if ctx.Err() != nil {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			r.log.ErrorContext(ctx, "job panicked", "job", j.Name, "panic", fmt.Sprint(p))
		}
	}()
	if err := j.Run(ctx); err != nil && ctx.Err() == nil {
		r.log.ErrorContext(ctx, "job failed", "job", j.Name, "err", err)
	}
}
