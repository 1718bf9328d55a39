package store

import (
	"archive/tar"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/filestore"
)

// A backup is one tar file: the manifest, a consistent snapshot of the
// SQLite database (taken with VACUUM INTO while the platform runs), and the
// content of every document the snapshot refers to, under files/<sha256>.
// The snapshot is taken first and the documents are read afterwards: a
// document's content is written before its row commits and removed only
// after its last row is gone, so every document in the snapshot is still
// there to copy, except one deleted in the meantime (Backup reports those).

const (
	backupDBName       = "lotse.db"
	backupManifestName = "MANIFEST.json"
	backupFilesDir     = "files/"
)

// errLocked means another process holds the lock file.
var errLocked = errors.New("locked by another process")

// errUsePgDump is the answer to a backup or restore of PostgreSQL.
var errUsePgDump = errors.New("PostgreSQL is backed up with its own tools: " +
	"pg_dump --format=custom --file lotse.dump \"$LOTSE_DATABASE\" and pg_restore --clean --if-exists --dbname \"$LOTSE_DATABASE\" lotse.dump; " +
	"copy the files folder of the data folder with it (see README, Backup)")

// BackupManifest describes a backup.
type BackupManifest struct {
	Format    int       `json:"format"`
	CreatedAt time.Time `json:"created_at"`
	Documents int       `json:"documents"`
	Blobs     int       `json:"blobs"`
	// Missing are contents of documents that were deleted between the
	// snapshot and the copy of the files.
	Missing []string `json:"missing,omitempty"`
	// FilesOnly marks a backup of the file store alone (BackupFiles).
	FilesOnly bool `json:"files_only,omitempty"`
}

// SQLitePath is the file of a SQLite database, or "" for PostgreSQL.
func (db *DB) SQLitePath() string {
	if db.Dialect != SQLite {
		return ""
	}
	return strings.TrimPrefix(db.dsn, "sqlite:")
}

// Backup writes a backup of the running database and its documents to the
// file path, which must not exist. It is written beside path first and
// renamed when complete, so a half-written backup never has the name.
func (db *DB) Backup(ctx context.Context, path string) (*BackupManifest, error) {
	if db.Dialect != SQLite {
		return nil, errUsePgDump
	}
	if db.Files == nil {
		return nil, errors.New("backup: no file store configured")
	}
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("backup: %s exists already", path)
	}
	dir := filepath.Dir(path)
	work, err := os.MkdirTemp(dir, ".lotse-backup-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	// 1. The snapshot: one read transaction, consistent, writers go on.
	snap := filepath.Join(work, backupDBName)
	if _, err := db.execPool(ctx, snapshotSQL, snap); err != nil {
		return nil, fmt.Errorf("backup: snapshot: %w", err)
	}
	keys, docs, err := snapshotBlobs(ctx, snap)
	if err != nil {
		return nil, err
	}
	m := &BackupManifest{Format: 1, CreatedAt: db.Now(), Documents: docs}

	// 2. The archive.
	tmp := filepath.Join(work, "backup.tar")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tw := tar.NewWriter(f)
	if err := tarFile(tw, backupDBName, snap); err != nil {
		return nil, err
	}
	for _, k := range keys {
		rc, size, err := db.Files.Get(ctx, k)
		if errors.Is(err, filestore.ErrNotFound) {
			m.Missing = append(m.Missing, k)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("backup: document %s: %w", k, err)
		}
		err = tarStream(tw, backupFilesDir+k, size, rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		m.Blobs++
	}
	mj, _ := json.MarshalIndent(m, "", "  ")
	if err := tw.WriteHeader(&tar.Header{Name: backupManifestName, Mode: 0o600, Size: int64(len(mj)), ModTime: m.CreatedAt}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(mj); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp, path); err != nil { // fails if path appeared meanwhile
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// snapshotBlobs checks the snapshot file and lists the contents its
// documents refer to.
func snapshotBlobs(ctx context.Context, path string) (keys []string, docs int, err error) {
	sdb, err := openSQLiteFile(path)
	if err != nil {
		return nil, 0, err
	}
	defer sdb.Close()
	if err := integrityCheck(ctx, sdb); err != nil {
		return nil, 0, err
	}
	if err := sdb.QueryRowContext(ctx, `SELECT count(*) FROM documents`).Scan(&docs); err != nil {
		return nil, 0, mapErr(err)
	}
	rows, err := sdb.QueryContext(ctx, `SELECT DISTINCT sha256 FROM documents ORDER BY sha256`)
	if err != nil {
		return nil, 0, mapErr(err)
	}
	keys, err = scanAll(rows, func(rows *sql.Rows) (string, error) {
		var k string
		return k, rows.Scan(&k)
	})
	return keys, docs, err
}

// openSQLiteFile opens a SQLite file that is no running platform's database
// (a snapshot, a restore), without migrating it.
func openSQLiteFile(path string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	sdb, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, err
	}
	sdb.SetMaxOpenConns(1)
	return sdb, nil
}

func integrityCheck(ctx context.Context, sdb *sql.DB) error {
	rows, err := sdb.QueryContext(ctx, integrityCheckSQL)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	res, err := scanAll(rows, func(rows *sql.Rows) (string, error) {
		var s string
		return s, rows.Scan(&s)
	})
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(res) != 1 || res[0] != "ok" {
		return fmt.Errorf("integrity check failed: %s", strings.Join(res, "; "))
	}
	return nil
}

// IntegrityCheck runs SQLite's integrity check on the database file path.
func IntegrityCheck(ctx context.Context, path string) error {
	sdb, err := openSQLiteFile(path)
	if err != nil {
		return err
	}
	defer sdb.Close()
	return integrityCheck(ctx, sdb)
}

func tarFile(tw *tar.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	return tarStream(tw, name, fi.Size(), f)
}

func tarStream(tw *tar.Writer, name string, size int64, r io.Reader) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: time.Now()}); err != nil {
		return err
	}
	n, err := io.Copy(tw, r)
	if err != nil {
		return fmt.Errorf("backup: %s: %w", name, err)
	}
	if n != size {
		return fmt.Errorf("backup: %s: read %d bytes, want %d", name, n, size)
	}
	return nil
}

// RestoreOptions say where a backup goes.
type RestoreOptions struct {
	// DBPath is the SQLite file to create; FilesDir the document folder,
	// used when Files is nil (Files is the configured store, e.g. S3).
	DBPath, FilesDir string
	Files            filestore.Store
	// Force replaces an existing database (never one that is open).
	Force bool
}

// Restore puts the backup in file from back: the documents into the file
// folder (each checked against its hash) and the database into place, after
// SQLite's integrity check and a check that every document's content is
// there. It refuses while any process has the database open, and refuses to
// replace an existing database unless opts.Force.
func Restore(ctx context.Context, from string, opts RestoreOptions) (*BackupManifest, error) {
	if strings.HasPrefix(opts.DBPath, "postgres") {
		return nil, errUsePgDump
	}
	if err := os.MkdirAll(filepath.Dir(opts.DBPath), 0o750); err != nil {
		return nil, err
	}
	lock, err := lockFile(opts.DBPath+".lock", true)
	if errors.Is(err, errLocked) {
		return nil, fmt.Errorf("restore: the database %s is open in a running platform; stop it first", opts.DBPath)
	}
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if _, err := os.Stat(opts.DBPath); err == nil && !opts.Force {
		return nil, fmt.Errorf("restore: %s exists; restore with --force to replace it", opts.DBPath)
	}

	f, err := os.Open(from)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	files := opts.Files
	if files == nil {
		l, err := filestore.NewLocal(opts.FilesDir)
		if err != nil {
			return nil, err
		}
		defer l.Close()
		files = l
	}
	work, err := os.MkdirTemp(filepath.Dir(opts.DBPath), ".lotse-restore-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	snap := filepath.Join(work, backupDBName)
	var m *BackupManifest
	have := map[string]bool{}
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("restore: %s is no readable backup: %w", from, err)
		}
		switch {
		case h.Name == backupDBName:
			out, err := os.OpenFile(snap, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
			if err != nil {
				return nil, err
			}
			_, err = io.Copy(out, tr)
			if err == nil {
				err = out.Sync()
			}
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return nil, fmt.Errorf("restore: database: %w", err)
			}
		case h.Name == backupManifestName:
			m = &BackupManifest{}
			if err := json.NewDecoder(tr).Decode(m); err != nil {
				return nil, fmt.Errorf("restore: manifest: %w", err)
			}
			if m.FilesOnly {
				return nil, fmt.Errorf("restore: %s holds the files alone; restore it with --files-only", from)
			}
		case strings.HasPrefix(h.Name, backupFilesDir):
			want := strings.TrimPrefix(h.Name, backupFilesDir)
			if err := restoreBlob(ctx, tr, want, files); err != nil {
				return nil, err
			}
			have[want] = true
		default:
			return nil, fmt.Errorf("restore: unexpected %q in the backup", h.Name)
		}
	}
	if m == nil {
		return nil, fmt.Errorf("restore: %s has no manifest; is it a Lotse backup?", from)
	}
	keys, _, err := snapshotBlobs(ctx, snap) // includes the integrity check
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	missing := map[string]bool{}
	for _, k := range m.Missing {
		missing[k] = true
	}
	for _, k := range keys {
		if !have[k] && !missing[k] {
			if rc, _, err := files.Get(ctx, k); err == nil {
				rc.Close()
				continue
			}
			return nil, fmt.Errorf("restore: the backup lacks the content of document %s", k)
		}
	}
	// Into place: the old write-ahead log must not be applied to the new file.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(opts.DBPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	if err := os.Rename(snap, opts.DBPath); err != nil {
		return nil, err
	}
	return m, nil
}
