package cli

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/store"
)

// pgBackupHelp is what backup and restore say for a PostgreSQL database.
const pgBackupHelp = `PostgreSQL is backed up with its own tools, while the platform runs,
and the documents (local folder or S3) with lotse right afterwards:
  pg_dump --format=custom --file lotse.dump "$LOTSE_DATABASE"
  lotse backup --files-only --to lotse-files.tar
and restored into an empty database, with the platform stopped:
  pg_restore --exit-on-error --no-owner --dbname "$LOTSE_DATABASE" lotse.dump
  lotse restore --files-only --from lotse-files.tar
See docs/operations.md, "Backup and restore".`

func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "backup", "--to FILE [--files-only] [--data DIR | --database URL] [--file-store s3 ...]")
	var d dbFlags
	d.register(fs, env)
	to := fs.String("to", "", "backup file to write (a tar archive); it must not exist")
	filesOnly := fs.Bool("files-only", false, "back up the documents alone (local folder or S3), for a database backed up with pg_dump")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if isPostgresURL(d.dsn()) && !*filesOnly {
		fmt.Fprintln(env.Stderr, pgBackupHelp)
		return fmt.Errorf("no backup written: the database is PostgreSQL (back up the documents with --files-only)")
	}
	if *to == "" {
		fs.Usage()
		return fmt.Errorf("name the backup file with --to")
	}
	if err := d.flags.Err(); err != nil {
		return err
	}
	files, closer, err := d.cfg.OpenFiles(ctx)
	if err != nil {
		return err
	}
	defer closer.Close()
	if *filesOnly {
		m, err := store.BackupFiles(ctx, files, *to, time.Now().UTC())
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "backup written to %s: %d document contents\n", *to, m.Blobs)
		return nil
	}
	if _, err := os.Stat(strings.TrimPrefix(d.dsn(), "sqlite:")); err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	db, err := store.Open(ctx, d.dsn())
	if err != nil {
		return err
	}
	defer db.Close()
	db.Files = files
	m, err := db.Backup(ctx, *to)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backup written to %s: database and %d document contents (%d documents)\n", *to, m.Blobs, m.Documents)
	if len(m.Missing) > 0 {
		fmt.Fprintf(env.Stdout, "%d document contents were deleted while the backup ran and are not in it\n", len(m.Missing))
	}
	return nil
}

func runRestore(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "restore", "--from FILE [--files-only] [--data DIR | --database sqlite:PATH] [--force] [--file-store s3 ...]")
	var d dbFlags
	d.register(fs, env)
	from := fs.String("from", "", "backup file written by lotse backup")
	force := fs.Bool("force", false, "replace an existing database (never one a running platform has open)")
	filesOnly := fs.Bool("files-only", false, "put the backup's documents into the file store (local folder or S3) and leave the database alone")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if isPostgresURL(d.dsn()) && !*filesOnly {
		fmt.Fprintln(env.Stderr, pgBackupHelp)
		return fmt.Errorf("nothing restored: the database is PostgreSQL (restore the documents with --files-only)")
	}
	if *from == "" {
		fs.Usage()
		return fmt.Errorf("name the backup file with --from")
	}
	if err := d.flags.Err(); err != nil {
		return err
	}
	if d.cfg.Files.Store == "local" {
		if err := os.MkdirAll(d.cfg.DataDir, 0o750); err != nil {
			return err
		}
	}
	files, closer, err := d.cfg.OpenFiles(ctx)
	if err != nil {
		return err
	}
	defer closer.Close()
	if *filesOnly {
		m, n, err := store.RestoreFiles(ctx, *from, files)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "restored %d document contents of the backup of %s\n", n, m.CreatedAt.Format("2006-01-02 15:04:05 UTC"))
		return nil
	}
	m, err := store.Restore(ctx, *from, store.RestoreOptions{
		DBPath: strings.TrimPrefix(d.dsn(), "sqlite:"),
		Files:  files,
		Force:  *force,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored the backup of %s: database (integrity check ok) and %d document contents\n",
		m.CreatedAt.Format("2006-01-02 15:04:05 UTC"), m.Blobs)
	return nil
}
