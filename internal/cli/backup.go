package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/store"
)

// pgBackupHelp is what backup and restore say for a PostgreSQL database.
const pgBackupHelp = `PostgreSQL is backed up with its own tools, while the platform runs:
  pg_dump --format=custom --file lotse.dump "$LOTSE_DATABASE"
  tar -C DATA -cf lotse-files.tar files
and restored into an empty database, with the platform stopped:
  pg_restore --exit-on-error --no-owner --dbname "$LOTSE_DATABASE" lotse.dump
  tar -C DATA -xf lotse-files.tar
See README.md, "Backup and restore".`

func isPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "backup", "--to FILE [--data DIR | --database URL]")
	var d dbFlags
	d.register(fs, env)
	to := fs.String("to", "", "backup file to write (a tar archive); it must not exist")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if isPostgresURL(d.dsn()) {
		fmt.Fprintln(env.Stderr, pgBackupHelp)
		return fmt.Errorf("no backup written: the database is PostgreSQL")
	}
	if *to == "" {
		fs.Usage()
		return fmt.Errorf("name the backup file with --to")
	}
	if err := d.flags.Err(); err != nil {
		return err
	}
	if _, err := os.Stat(strings.TrimPrefix(d.dsn(), "sqlite:")); err != nil {
		return fmt.Errorf("no database to back up: %w", err)
	}
	db, err := store.Open(ctx, d.dsn())
	if err != nil {
		return err
	}
	defer db.Close()
	files, err := filestore.NewLocal(d.cfg.FilesDir())
	if err != nil {
		return err
	}
	defer files.Close()
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
	fs := newFlagSet(env, "restore", "--from FILE [--data DIR | --database sqlite:PATH] [--force]")
	var d dbFlags
	d.register(fs, env)
	from := fs.String("from", "", "backup file written by lotse backup")
	force := fs.Bool("force", false, "replace an existing database (never one a running platform has open)")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if isPostgresURL(d.dsn()) {
		fmt.Fprintln(env.Stderr, pgBackupHelp)
		return fmt.Errorf("nothing restored: the database is PostgreSQL")
	}
	if *from == "" {
		fs.Usage()
		return fmt.Errorf("name the backup file with --from")
	}
	if err := d.flags.Err(); err != nil {
		return err
	}
	m, err := store.Restore(ctx, *from, store.RestoreOptions{
		DBPath:   strings.TrimPrefix(d.dsn(), "sqlite:"),
		FilesDir: d.cfg.FilesDir(),
		Force:    *force,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored the backup of %s: database (integrity check ok) and %d document contents\n",
		m.CreatedAt.Format("2006-01-02 15:04:05 UTC"), m.Blobs)
	return nil
}
