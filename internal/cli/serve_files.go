package cli

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/lotse-oss/lotse/internal/branding"
	"github.com/lotse-oss/lotse/internal/config"
	"github.com/lotse-oss/lotse/internal/jobs"
	"github.com/lotse-oss/lotse/internal/store"
)

// OrphanGrace is how long an unreferenced blob is kept: a transaction that
// stored it may still be running, and a backup of the database taken
// meanwhile may still name it.
const OrphanGrace = 24 * time.Hour

// orphanFilesJob deletes the documents' contents that no row names any
// more (failed transactions, crashes), on one instance at a time.
func orphanFilesJob(db *store.DB, log *slog.Logger) jobs.Job {
	return jobs.OneAtATime(jobs.Job{Name: "orphan-files", Every: time.Hour, Run: func(ctx context.Context) error {
		st, err := db.CollectOrphanBlobs(ctx, OrphanGrace)
		log.InfoContext(ctx, "orphan files collected", "blobs", st.Blobs, "older_than_grace", st.Old, "deleted", st.Deleted, "temp_files", st.Temp)
		return err
	}}, db, jobs.Instance, time.Hour)
}

// loadBrand checks the operator's branding; what breaks KERN UX's rules
// stops the start with a message naming the setting.
func loadBrand(ctx context.Context, cfg *config.Config) (*branding.Brand, error) {
	b := cfg.Branding
	brand, err := branding.Load(ctx, branding.Settings{Name: b.Name, Tagline: b.Tagline, Logo: b.Logo, Colors: b.Colors,
		Contact: cfg.Operator.Email})
	if err != nil {
		return nil, fmt.Errorf("branding: %w", err)
	}
	return brand, nil
}
