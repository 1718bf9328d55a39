package jobs

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunnerRunsJobsUntilTheContextEnds(t *testing.T) {
	r := New(slog.New(slog.NewTextHandler(io.Discard, nil)))
	var ok, failing, panicking atomic.Int64
	r.Add(Job{Name: "ok", Every: 5 * time.Millisecond, Run: func(context.Context) error { ok.Add(1); return nil }})
	r.Add(Job{Name: "failing", Every: 5 * time.Millisecond, Run: func(context.Context) error { failing.Add(1); return errors.New("boom") }})
	r.Add(Job{Name: "panicking", Every: 5 * time.Millisecond, Run: func(context.Context) error { panicking.Add(1); panic("boom") }})
	ctx, cancel := context.WithCancel(context.Background())
	r.Start(ctx)
	time.Sleep(60 * time.Millisecond)
	cancel()
	r.Wait()
	if ok.Load() < 2 || failing.Load() < 2 || panicking.Load() < 2 {
		t.Fatalf("runs: ok %d, failing %d, panicking %d; want each at least 2", ok.Load(), failing.Load(), panicking.Load())
	}
	after := ok.Load()
	time.Sleep(20 * time.Millisecond)
	if ok.Load() != after {
		t.Fatal("a job ran after the context ended")
	}
}
