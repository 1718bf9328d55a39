// Package filestore is where uploaded and generated documents are kept. By
// default that is a local folder (Local); the Store interface is small enough
// also has an implementation for S3-compatible object storage (S3), shared
// by several instances.
//
// The package knows nothing of the database: the database keeps each
// document's metadata and its hash, and the hash is the key under which the
// content is stored here.
package filestore

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// Store keeps blobs under keys. Keys are the lowercase hex SHA-256 of the
// content, so storing the same content twice is a no-op.
type Store interface {
	// Put stores content atomically and returns its key (SHA256Hex).
	Put(ctx context.Context, content []byte) (key string, err error)
	// Get returns the content stored under key and its size in bytes.
	// The error wraps ErrNotFound if there is no such blob.
	Get(ctx context.Context, key string) (io.ReadCloser, int64, error)
	// Delete removes the blob under key. A missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// Stat returns a blob's size and modification time; the error wraps
	// ErrNotFound if there is no such blob.
	Stat(ctx context.Context, key string) (Blob, error)
	// List calls fn for every blob; an error from fn ends the walk and is
	// returned. Blobs stored or deleted meanwhile may or may not be seen.
	List(ctx context.Context, fn func(Blob) error) error
	// Ping is a cheap check that the store can be used (the folder is
	// writable, the bucket exists), for the readiness probe.
	Ping(ctx context.Context) error
}

// Blob is a stored blob as List and Stat see it. Put renews Modified when
// it stores content that is there already (Local where the file system
// allows it, S3 when the object is older than an hour), so a blob about to
// be referenced again looks young to the orphan collection, which skips
// young blobs (store.CollectOrphanBlobs; its correctness rests on a lock,
// not on this).
type Blob struct {
	Key      string
	Size     int64
	Modified time.Time
}

// ErrNotFound is returned (possibly wrapped) by Get for a key with no blob.
var ErrNotFound = errors.New("filestore: not found")

// ErrInvalidKey is returned (wrapped) for a key that is not 64 lowercase hex
// characters. From Get the error also matches ErrNotFound, since a malformed
// key can never name a stored blob.
var ErrInvalidKey = errors.New("filestore: invalid key")

// SHA256Hex returns the lowercase hex SHA-256 of b.
func SHA256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ValidKey reports whether key has the form of a store key: exactly 64
// lowercase hexadecimal characters.
func ValidKey(key string) bool {
	if len(key) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

const (
	dirPerm  fs.FileMode = 0o750
	filePerm fs.FileMode = 0o640
)

// Local stores blobs in a folder, fanned out as ab/cd/abcdef… (the first two
// byte pairs of the key name two directory levels). All file access goes
// through an os.Root, so no key and no symbolic link can reach outside the
// folder; keys are additionally validated before use.
//
// A Local is safe for concurrent use, also by several processes sharing the
// folder.
type Local struct {
	root *os.Root
}

var _ Store = (*Local)(nil)

// NewLocal opens (creating it with mode 0750 if needed) the folder dir as a
// local store. Call Close when done.
func NewLocal(dir string) (*Local, error) {
	if dir == "" {
		return nil, errors.New("filestore: empty directory name")
	}
	if err := os.MkdirAll(dir, dirPerm); err != nil {
		return nil, fmt.Errorf("filestore: create %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("filestore: open %s: %w", dir, err)
	}
	return &Local{root: root}, nil
}

// Dir returns the folder the store was opened on.
func (l *Local) Dir() string { return l.root.Name() }

// Close releases the handle on the folder.
func (l *Local) Close() error { return l.root.Close() }

// blobPath returns the path of key inside the root: ab/cd/abcd….
func blobPath(key string) string {
	return path.Join(key[0:2], key[2:4], key)
}

// Put writes content under its SHA-256 key. The content is written to a
// temporary file in the target directory, synced and renamed into place, so
// readers never see a partial blob. If the blob already exists Put does
// nothing.
func (l *Local) Put(ctx context.Context, content []byte) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	key := SHA256Hex(content)
	name := blobPath(key)
	if fi, err := l.root.Stat(name); err == nil && fi.Mode().IsRegular() {
		// Renew the modification time: the content is in use again. (Only
		// a hint for the orphan collection, which is correct without it;
		// a folder shared with another user may not allow it.)
		now := time.Now()
		_ = l.root.Chtimes(name, now, now)
		return key, nil
	}
	dir := path.Dir(name)
	if err := l.root.MkdirAll(dir, dirPerm); err != nil {
		return "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	tmp, f, err := l.createTemp(dir)
	if err != nil {
		return "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	_, err = f.Write(content)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = l.root.Rename(tmp, name)
		if err != nil {
			// Where rename cannot replace an existing file (Windows), a
			// concurrent Put of the same content may have won; that is
			// success, since the content is identical.
			if fi, serr := l.root.Stat(name); serr == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(content)) {
				err = nil
			}
		}
	}
	if err != nil {
		_ = l.root.Remove(tmp)
		return "", fmt.Errorf("filestore: put %s: %w", key, err)
	}
	l.syncDir(dir)
	return key, nil
}

// createTemp creates a new, exclusive temporary file in dir (inside the root).
func (l *Local) createTemp(dir string) (string, *os.File, error) {
	for range 10 {
		var rnd [12]byte
		_, _ = rand.Read(rnd[:])
		name := path.Join(dir, ".tmp-"+hex.EncodeToString(rnd[:]))
		f, err := l.root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, f, err
	}
	return "", nil, errors.New("cannot create temporary file")
}

// syncDir makes the rename in dir durable; failures are ignored because
// not every platform supports syncing a directory.
func (l *Local) syncDir(dir string) {
	d, err := l.root.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// Get opens the blob stored under key and returns it with its size. The
// caller must close the reader. A missing blob gives an error wrapping
// ErrNotFound; a malformed key one wrapping both ErrInvalidKey and
// ErrNotFound.
func (l *Local) Get(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	if !ValidKey(key) {
		return nil, 0, fmt.Errorf("%w: %w: %q", ErrInvalidKey, ErrNotFound, truncate(key))
	}
	f, err := l.root.Open(blobPath(key))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, 0, fmt.Errorf("%w: %s", ErrNotFound, key)
		}
		return nil, 0, fmt.Errorf("filestore: get %s: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, 0, fmt.Errorf("filestore: get %s: %w", key, err)
	}
	if !fi.Mode().IsRegular() {
		_ = f.Close()
		return nil, 0, fmt.Errorf("%w: %s (not a regular file)", ErrNotFound, key)
	}
	return f, fi.Size(), nil
}

// Delete removes the blob stored under key. A missing blob is not an error;
// a malformed key gives an error wrapping ErrInvalidKey. Emptied fan-out
// directories are left in place.
func (l *Local) Delete(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if !ValidKey(key) {
		return fmt.Errorf("%w: %q", ErrInvalidKey, truncate(key))
	}
	err := l.root.Remove(blobPath(key))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("filestore: delete %s: %w", key, err)
	}
	return nil
}

// Stat returns the blob's size and modification time.
func (l *Local) Stat(ctx context.Context, key string) (Blob, error) {
	if err := ctx.Err(); err != nil {
		return Blob{}, err
	}
	if !ValidKey(key) {
		return Blob{}, fmt.Errorf("%w: %w: %q", ErrInvalidKey, ErrNotFound, truncate(key))
	}
	fi, err := l.root.Stat(blobPath(key))
	if errors.Is(err, fs.ErrNotExist) || err == nil && !fi.Mode().IsRegular() {
		return Blob{}, fmt.Errorf("%w: %s", ErrNotFound, key)
	}
	if err != nil {
		return Blob{}, fmt.Errorf("filestore: stat %s: %w", key, err)
	}
	return Blob{Key: key, Size: fi.Size(), Modified: fi.ModTime()}, nil
}

// List walks the fan-out folders in key order and calls fn for every blob.
// Temporary files of unfinished Puts and anything else that is no blob are
// skipped.
func (l *Local) List(ctx context.Context, fn func(Blob) error) error {
	return fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // removed meanwhile
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.Count(p, "/") > 1 {
				return fs.SkipDir
			}
			return nil
		}
		key := path.Base(p)
		if !ValidKey(key) || p != blobPath(key) || !d.Type().IsRegular() {
			return nil
		}
		fi, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		return fn(Blob{Key: key, Size: fi.Size(), Modified: fi.ModTime()})
	})
}

// SweepTemp removes the temporary files of Puts that never finished (a
// crash between create and rename) once they are older than age, and
// returns how many it removed. The orphan collection calls it.
func (l *Local) SweepTemp(ctx context.Context, age time.Duration) (int, error) {
	n := 0
	before := time.Now().Add(-age)
	err := fs.WalkDir(l.root.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() {
			if p != "." && strings.Count(p, "/") > 1 {
				return fs.SkipDir
			}
			return nil
		}
		if !strings.HasPrefix(path.Base(p), ".tmp-") {
			return nil
		}
		if fi, err := d.Info(); err == nil && fi.ModTime().Before(before) {
			if err := l.root.Remove(p); err == nil {
				n++
			}
		}
		return nil
	})
	return n, err
}

// Ping checks that the folder is still there and writable.
func (l *Local) Ping(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	name, f, err := l.createTemp(".")
	if err != nil {
		return fmt.Errorf("filestore: folder %s not writable: %w", l.root.Name(), err)
	}
	_ = f.Close()
	if err := l.root.Remove(name); err != nil {
		return fmt.Errorf("filestore: folder %s: %w", l.root.Name(), err)
	}
	return nil
}

// truncate shortens untrusted keys before they go into error messages.
func truncate(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// UploadError reports an unacceptable upload. Message is German and meant
// to be shown to the user as is.
type UploadError struct {
	Message string
}

func (e *UploadError) Error() string { return e.Message }

// Messages of the UploadErrors returned by CheckPDF (apart from the size
// message, which names the limit).
const (
	MsgEmpty      = "Die Datei ist leer."
	MsgNotPDF     = "Die Datei ist kein PDF-Dokument. Bitte laden Sie eine PDF-Datei hoch."
	MsgTruncated  = "Die PDF-Datei ist unvollständig."
	pdfMagic      = "%PDF-"
	pdfEOF        = "%%EOF"
	pdfTailWindow = 1024
)

// CheckPDF validates an upload, judging by content, never by file name:
// content must be non-empty, at most maxBytes long (maxBytes <= 0 means no
// limit), start with "%PDF-" at offset 0, be detected as application/pdf by
// http.DetectContentType and contain "%%EOF" within its last 1024 bytes.
// Problems are reported as *UploadError with a German message.
func CheckPDF(content []byte, maxBytes int64) error {
	switch {
	case len(content) == 0:
		return &UploadError{Message: MsgEmpty}
	case maxBytes > 0 && int64(len(content)) > maxBytes:
		return &UploadError{Message: "Die Datei ist größer als " + formatMB(maxBytes) + " MB."}
	case !bytes.HasPrefix(content, []byte(pdfMagic)),
		http.DetectContentType(content) != "application/pdf":
		return &UploadError{Message: MsgNotPDF}
	}
	tail := content[max(0, len(content)-pdfTailWindow):]
	if !bytes.Contains(tail, []byte(pdfEOF)) {
		return &UploadError{Message: MsgTruncated}
	}
	return nil
}

// formatMB renders n bytes in MiB the German way: "10", "2,5", "0,01".
func formatMB(n int64) string {
	const mib = 1 << 20
	if n%mib == 0 {
		return strconv.FormatInt(n/mib, 10)
	}
	mb := math.Round(float64(n)/mib*100) / 100
	if mb == 0 {
		mb = 0.01
	}
	return strings.Replace(strconv.FormatFloat(mb, 'f', -1, 64), ".", ",", 1)
}

// ReadLimited reads at most max+1 bytes from r and reports whether r held
// more than max bytes, so callers can refuse oversized uploads without
// reading them whole. When over is true the returned slice holds max+1
// bytes (which CheckPDF in turn rejects as too large). A negative max is
// treated as 0.
func ReadLimited(r io.Reader, max int64) (data []byte, over bool, err error) {
	if max < 0 {
		max = 0
	}
	limit := max
	if limit < math.MaxInt64 {
		limit++
	}
	data, err = io.ReadAll(io.LimitReader(r, limit))
	if err != nil {
		return data, false, err
	}
	return data, int64(len(data)) > max, nil
}
