package store

import (
	"archive/tar"
	"context"
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

// A files-only backup holds every blob of the file store (local folder or
// S3), for a database backed up with its own tools (PostgreSQL: pg_dump).
// Take it right after the database dump: blobs are written before the rows
// that name them commit and are deleted only when no row has named them for
// the orphan collection's grace period, so every blob the dump names is
// still in the store. The manifest comes first and says FilesOnly.

// BackupFiles writes every blob of files to the tar file path, which must
// not exist; like Backup it is written beside path and renamed when done.
func BackupFiles(ctx context.Context, files filestore.Store, path string, now time.Time) (*BackupManifest, error) {
	if _, err := os.Stat(path); err == nil {
		return nil, fmt.Errorf("backup: %s exists already", path)
	}
	var blobs []filestore.Blob
	if err := files.List(ctx, func(b filestore.Blob) error { blobs = append(blobs, b); return nil }); err != nil {
		return nil, fmt.Errorf("backup: list the file store: %w", err)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".lotse-backup-*.tar")
	if err != nil {
		return nil, err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	defer f.Close()
	m := &BackupManifest{Format: 1, CreatedAt: now, FilesOnly: true, Blobs: len(blobs)}
	tw := tar.NewWriter(f)
	mj, _ := json.MarshalIndent(m, "", "  ")
	if err := tw.WriteHeader(&tar.Header{Name: backupManifestName, Mode: 0o600, Size: int64(len(mj)), ModTime: now}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(mj); err != nil {
		return nil, err
	}
	for _, b := range blobs {
		rc, size, err := files.Get(ctx, b.Key)
		if errors.Is(err, filestore.ErrNotFound) { // collected meanwhile: named by no row
			m.Missing = append(m.Missing, b.Key)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("backup: %s: %w", b.Key, err)
		}
		err = tarStream(tw, backupFilesDir+b.Key, size, rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
	}
	m.Blobs -= len(m.Missing) // the manifest in the file counts them all; Missing says which are not there
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp, path); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// RestoreFiles puts the blobs of a backup (files-only or full) into files,
// each checked against its hash, and returns the backup's manifest and
// how many blobs it put. The database is left alone.
func RestoreFiles(ctx context.Context, from string, files filestore.Store) (*BackupManifest, int, error) {
	f, err := os.Open(from)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var m *BackupManifest
	n := 0
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, n, fmt.Errorf("restore: %s is no readable backup: %w", from, err)
		}
		switch {
		case h.Name == backupManifestName:
			m = &BackupManifest{}
			if err := json.NewDecoder(tr).Decode(m); err != nil {
				return nil, n, fmt.Errorf("restore: manifest: %w", err)
			}
		case strings.HasPrefix(h.Name, backupFilesDir):
			if err := restoreBlob(ctx, tr, strings.TrimPrefix(h.Name, backupFilesDir), files); err != nil {
				return nil, n, err
			}
			n++
		case h.Name == backupDBName:
			// A full backup: its database is not restored here.
		default:
			return nil, n, fmt.Errorf("restore: unexpected %q in the backup", h.Name)
		}
	}
	if m == nil {
		return nil, n, fmt.Errorf("restore: %s has no manifest; is it a Lotse backup?", from)
	}
	return m, n, nil
}

// restoreBlob reads one blob from r and puts it into files, if its content
// matches its name.
func restoreBlob(ctx context.Context, r io.Reader, want string, files filestore.Store) error {
	content, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if filestore.SHA256Hex(content) != want {
		return fmt.Errorf("restore: the content of document %s does not match its hash", want)
	}
	_, err = files.Put(ctx, content)
	return err
}
