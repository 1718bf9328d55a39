package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/filestore/s3test"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// withStores runs fn on both databases with the local file store and, when
// a versitygw is at hand, with S3.
func withStores(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		t.Run("local", func(t *testing.T) { fn(t, db) })
		t.Run("s3", func(t *testing.T) {
			db.Files = s3test.Start(t).Store(t)
			fn(t, db)
		})
	})
}

func blobKeys(t *testing.T, files filestore.Store) map[string]bool {
	t.Helper()
	keys := map[string]bool{}
	if err := files.List(context.Background(), func(b filestore.Blob) error { keys[b.Key] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	return keys
}

// A failed transaction leaves no row naming a missing blob and its blob
// is discarded; a blob a crash left behind is collected once it is older
// than the grace period; referenced blobs stay.
func TestOrphanBlobsAreCollected(t *testing.T) {
	withStores(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := &domain.Organisation{Kind: domain.OrgProvider, Name: fmt.Sprintf("Anbieter %d", time.Now().UnixNano())}
		if err := db.CreateOrganisation(ctx, org); err != nil {
			t.Fatal(err)
		}
		kept, err := db.CreateDocument(ctx, org.ID, "bleibt.pdf", "application/pdf", []byte("%PDF-1.4 bleibt "+org.Name))
		if err != nil {
			t.Fatal(err)
		}
		// A transaction that fails after its blob was stored: no row, no blob.
		failed := []byte("%PDF-1.4 scheitert " + org.Name)
		if _, err := db.CreateDocument(ctx, -1, "scheitert.pdf", "application/pdf", failed); err == nil {
			t.Fatal("a document of a missing organisation was stored")
		}
		if blobKeys(t, db.Files)[filestore.SHA256Hex(failed)] {
			t.Fatal("the failed transaction's blob is still there")
		}
		// A blob a crash left behind between the file store and the commit.
		crashed, err := db.PutBlob(ctx, []byte("abgestürzt "+org.Name))
		if err != nil {
			t.Fatal(err)
		}
		st, err := db.CollectOrphanBlobs(ctx, 24*time.Hour)
		if err != nil || st.Blobs != 2 || st.Old != 0 || st.Deleted != 0 {
			t.Fatalf("within the grace period: %+v, %v", st, err)
		}
		st, err = db.CollectOrphanBlobs(ctx, -time.Minute) // everything is past the grace period
		if err != nil || st.Blobs != 2 || st.Old != 2 || st.Deleted != 1 {
			t.Fatalf("past the grace period: %+v, %v", st, err)
		}
		keys := blobKeys(t, db.Files)
		if keys[crashed] || !keys[kept.SHA256] || len(keys) != 1 {
			t.Fatalf("blobs after the collection: %v", keys)
		}
		rc, err := db.OpenDocument(ctx, kept)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != "%PDF-1.4 bleibt "+org.Name {
			t.Fatalf("kept document reads %q", b)
		}
	})
}

// Documents stored while the collection runs with no grace period at all
// (so every unreferenced blob is a candidate, also one a running
// transaction has just put) all keep their content: the collection and
// the insert are serialised, and the insert puts the blob back.
func TestCollectionNeverRemovesTheBlobOfACommittedDocument(t *testing.T) {
	withStores(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		org := &domain.Organisation{Kind: domain.OrgProvider, Name: fmt.Sprintf("Anbieter %d", time.Now().UnixNano())}
		if err := db.CreateOrganisation(ctx, org); err != nil {
			t.Fatal(err)
		}
		var docs []*domain.Document
		var mu sync.Mutex
		done := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := db.CollectOrphanBlobs(ctx, -time.Minute); err != nil && !errors.Is(err, context.Canceled) {
					t.Error(err)
					return
				}
			}
		})
		for w := range 3 {
			wg.Go(func() {
				for i := range 10 {
					// The same content in two documents too: one blob, two rows.
					d, err := db.CreateDocument(ctx, org.ID, "d.pdf", "application/pdf", fmt.Appendf(nil, "%%PDF-1.4 %d", (w*10+i)%15))
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					docs = append(docs, d)
					mu.Unlock()
				}
			})
		}
		time.Sleep(10 * time.Millisecond)
		for len(docs) < 30 && !t.Failed() {
			time.Sleep(10 * time.Millisecond)
			mu.Lock()
			n := len(docs)
			mu.Unlock()
			if n == 30 {
				break
			}
		}
		close(done)
		wg.Wait()
		for _, d := range docs {
			if _, err := db.Files.Stat(ctx, d.SHA256); err != nil {
				t.Fatalf("document %d names a missing blob: %v", d.ID, err)
			}
		}
		if len(docs) != 30 {
			t.Fatalf("%d documents stored, want 30", len(docs))
		}
	})
}

func TestLeases(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		try := func(holder string, ttl time.Duration) bool {
			t.Helper()
			ok, err := db.TryLease(ctx, "job:test", holder, ttl)
			if err != nil {
				t.Fatal(err)
			}
			return ok
		}
		if !try("a", time.Minute) || try("b", time.Minute) || !try("a", time.Minute) {
			t.Fatal("a takes and renews the lease, b does not get it")
		}
		if err := db.ReleaseLease(ctx, "job:test", "b"); err != nil || try("b", time.Minute) {
			t.Fatalf("b released a's lease: %v", err)
		}
		if err := db.ReleaseLease(ctx, "job:test", "a"); err != nil || !try("b", -time.Second) {
			t.Fatalf("b does not get the released lease: %v", err)
		}
		if !try("a", time.Minute) {
			t.Fatal("a does not get the lease b let run out")
		}
	})
}

// racingStore runs the orphan collection (with no grace period) right after
// the nth Put, as if another instance's collection ran between a
// transaction's Put and its insert.
type racingStore struct {
	filestore.Store
	db    *store.DB
	n     int
	puts  int
	stats store.OrphanStats
	err   error
}

func (r *racingStore) Put(ctx context.Context, content []byte) (string, error) {
	k, err := r.Store.Put(ctx, content)
	r.puts++
	if r.puts == r.n {
		r.stats, r.err = r.db.CollectOrphanBlobs(ctx, -time.Minute)
	}
	return k, err
}

// The collection deletes a blob after the transaction put it but before its
// insert: the insert puts it back, so the committed row's blob is there.
// (PostgreSQL only: on SQLite the transaction is the single writer from its
// start and the collection waits for it.)
func TestCollectionBetweenPutAndInsert(t *testing.T) {
	for _, files := range []string{"local", "s3"} {
		t.Run(files, func(t *testing.T) {
			db := storetest.Open(t, store.Postgres)
			if files == "s3" {
				db.Files = s3test.Start(t).Store(t)
			}
			ctx := context.Background()
			org := &domain.Organisation{Kind: domain.OrgProvider, Name: "Anbieter"}
			if err := db.CreateOrganisation(ctx, org); err != nil {
				t.Fatal(err)
			}
			r := &racingStore{Store: db.Files, db: db, n: 2} // 1: before the transaction, 2: in it, before the insert
			db.Files = r
			d, err := db.CreateDocument(ctx, org.ID, "d.pdf", "application/pdf", []byte("%PDF-1.4 Wettlauf"))
			if err != nil {
				t.Fatal(err)
			}
			if r.err != nil || r.stats.Deleted != 1 {
				t.Fatalf("the collection in between: %+v, %v", r.stats, r.err)
			}
			if _, err := db.Files.Stat(ctx, d.SHA256); err != nil {
				t.Fatalf("the committed document names a missing blob: %v", err)
			}
		})
	}
}

// Instances that start at once on a new PostgreSQL database migrate it one
// after the other and all start.
func TestInstancesStartingAtOnceMigrateOnce(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				errs <- err
				return
			}
			db.Close()
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
