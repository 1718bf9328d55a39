package filestore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/filestore/s3test"
)

// TestContract runs the same tests on every Store implementation: the
// local folder, and S3 on a real server (versitygw; skipped without it).
func TestContract(t *testing.T) {
	t.Run("local", func(t *testing.T) {
		contract(t, func(t *testing.T) filestore.Store {
			l, err := filestore.NewLocal(filepath.Join(t.TempDir(), "files"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
			return l
		})
	})
	t.Run("s3", func(t *testing.T) {
		srv := s3test.Start(t)
		contract(t, func(t *testing.T) filestore.Store { return srv.Store(t) })
	})
}

func contract(t *testing.T, open func(t *testing.T) filestore.Store) {
	ctx := context.Background()
	get := func(t *testing.T, s filestore.Store, key string) []byte {
		t.Helper()
		rc, n, err := s.Get(ctx, key)
		if err != nil {
			t.Fatalf("Get(%s): %v", key, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(b)) != n {
			t.Fatalf("Get(%s) said %d bytes, read %d", key, n, len(b))
		}
		return b
	}
	list := func(t *testing.T, s filestore.Store) []filestore.Blob {
		t.Helper()
		var out []filestore.Blob
		if err := s.List(ctx, func(b filestore.Blob) error { out = append(out, b); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}

	t.Run("round trip", func(t *testing.T) {
		s := open(t)
		content := []byte("Antrag auf Förderung\n")
		key, err := s.Put(ctx, content)
		if err != nil || key != filestore.SHA256Hex(content) {
			t.Fatalf("Put = %q, %v", key, err)
		}
		if got := get(t, s, key); !bytes.Equal(got, content) {
			t.Fatalf("Get = %q", got)
		}
		b, err := s.Stat(ctx, key)
		if err != nil || b.Key != key || b.Size != int64(len(content)) || time.Since(b.Modified) > time.Minute {
			t.Fatalf("Stat = %+v, %v", b, err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.Get(ctx, key); !errors.Is(err, filestore.ErrNotFound) {
			t.Fatalf("Get after Delete: %v", err)
		}
		if _, err := s.Stat(ctx, key); !errors.Is(err, filestore.ErrNotFound) {
			t.Fatalf("Stat after Delete: %v", err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatalf("second Delete: %v", err)
		}
	})

	t.Run("empty and idempotent", func(t *testing.T) {
		s := open(t)
		k1, err := s.Put(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := get(t, s, k1); len(got) != 0 {
			t.Fatalf("empty blob reads %q", got)
		}
		for range 2 {
			if _, err := s.Put(ctx, []byte("zweimal")); err != nil {
				t.Fatal(err)
			}
		}
		if n := len(list(t, s)); n != 2 {
			t.Fatalf("%d blobs listed, want 2", n)
		}
	})

	t.Run("list", func(t *testing.T) {
		s := open(t)
		if got := list(t, s); len(got) != 0 {
			t.Fatalf("new store lists %v", got)
		}
		var want []string
		for i := range 7 {
			k, err := s.Put(ctx, fmt.Appendf(nil, "Dokument %d", i))
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, k)
		}
		sort.Strings(want)
		got := list(t, s)
		if len(got) != len(want) {
			t.Fatalf("listed %d blobs, want %d", len(got), len(want))
		}
		for i, b := range got {
			if b.Key != want[i] || b.Size != int64(len("Dokument 0")) || b.Modified.IsZero() {
				t.Fatalf("blob %d = %+v, want key %s", i, b, want[i])
			}
		}
		stop := errors.New("stop")
		n := 0
		if err := s.List(ctx, func(filestore.Blob) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Fatalf("List after fn's error: %v after %d blobs", err, n)
		}
	})

	t.Run("unknown and malformed keys", func(t *testing.T) {
		s := open(t)
		unknown := filestore.SHA256Hex([]byte("nie gespeichert"))
		if _, _, err := s.Get(ctx, unknown); !errors.Is(err, filestore.ErrNotFound) {
			t.Fatalf("Get(unknown): %v", err)
		}
		for _, k := range []string{"", "../../etc/passwd", unknown[:63], unknown + "0", "ABCDEF" + unknown[6:]} {
			if _, _, err := s.Get(ctx, k); !errors.Is(err, filestore.ErrInvalidKey) || !errors.Is(err, filestore.ErrNotFound) {
				t.Errorf("Get(%q): %v", k, err)
			}
			if err := s.Delete(ctx, k); !errors.Is(err, filestore.ErrInvalidKey) {
				t.Errorf("Delete(%q): %v", k, err)
			}
			if _, err := s.Stat(ctx, k); !errors.Is(err, filestore.ErrInvalidKey) {
				t.Errorf("Stat(%q): %v", k, err)
			}
		}
	})

	t.Run("concurrent puts of the same content", func(t *testing.T) {
		s := open(t)
		content := bytes.Repeat([]byte("Vertrag "), 4096)
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for range 8 {
			wg.Go(func() {
				if _, err := s.Put(ctx, content); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if got := get(t, s, filestore.SHA256Hex(content)); !bytes.Equal(got, content) {
			t.Fatal("content differs after concurrent puts")
		}
		if n := len(list(t, s)); n != 1 {
			t.Fatalf("%d blobs, want 1", n)
		}
	})

	t.Run("ping and canceled context", func(t *testing.T) {
		s := open(t)
		if err := s.Ping(ctx); err != nil {
			t.Fatalf("Ping: %v", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Put(cctx, []byte("x")); err == nil {
			t.Error("Put with a canceled context succeeded")
		}
		if n := len(list(t, s)); n != 0 {
			t.Fatalf("a canceled Put left %d blobs", n)
		}
	})
}

// A Put of content that is there renews the blob's modification time, so
// that the orphan collection's grace period starts again (Local always;
// S3 once the object is older than an hour, tested in the store's orphan
// test).
func TestLocalPutRenewsModified(t *testing.T) {
	ctx := context.Background()
	l, err := filestore.NewLocal(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	k, err := l.Put(ctx, []byte("alt"))
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-48 * time.Hour)
	if err := chtimes(l, k, old); err != nil {
		t.Fatal(err)
	}
	if b, _ := l.Stat(ctx, k); !b.Modified.Before(time.Now().Add(-47 * time.Hour)) {
		t.Fatalf("modified %v not set back", b.Modified)
	}
	if _, err := l.Put(ctx, []byte("alt")); err != nil {
		t.Fatal(err)
	}
	if b, _ := l.Stat(ctx, k); time.Since(b.Modified) > time.Minute {
		t.Fatalf("modified %v not renewed by Put", b.Modified)
	}
}

func chtimes(l *filestore.Local, key string, at time.Time) error {
	return filestore.Chtimes(l, key, at)
}

// Temporary files of a Put that a crash cut off are swept once old; fresh
// ones (a Put under way) and blobs stay.
func TestLocalSweepTemp(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	l, err := filestore.NewLocal(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	k, _ := l.Put(ctx, []byte("bleibt"))
	sub := filepath.Join(dir, k[:2], k[2:4])
	old, fresh := filepath.Join(sub, ".tmp-alt"), filepath.Join(sub, ".tmp-neu")
	os.WriteFile(old, []byte("halb"), 0o600)
	os.WriteFile(fresh, []byte("halb"), 0o600)
	past := time.Now().Add(-48 * time.Hour)
	os.Chtimes(old, past, past)
	n, err := l.SweepTemp(ctx, 24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("SweepTemp = %d, %v", n, err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Fatal("the old temporary file is still there")
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Fatal("the fresh temporary file was removed")
	}
	if _, err := l.Stat(ctx, k); err != nil {
		t.Fatalf("the blob was removed: %v", err)
	}
}
