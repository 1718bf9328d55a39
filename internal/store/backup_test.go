package store_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/certify"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// TestBackupUnderLoadRestoresAcknowledgedBookings: a backup taken while
// bookings and uploads go on restores every booking and document that was
// acknowledged before the backup started, the signing keys, and passes
// SQLite's integrity check. (Copying the database file instead lost
// acknowledged bookings: they were still in the write-ahead log.)
func TestBackupUnderLoadRestoresAcknowledgedBookings(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx, s, _ := bookingFixture(t, db, 1000, 0)
	offer, err := db.Offer(ctx, s.OfferID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := certify.New(db, storetest.BaseURL).RotateKey(ctx); err != nil {
		t.Fatal(err)
	}
	keys, err := db.SigningKeys(ctx)
	if err != nil || len(keys) == 0 {
		t.Fatalf("signing keys: %v %v", keys, err)
	}

	type ackDoc struct {
		doc     *domain.Document
		content []byte
	}
	var (
		mu       sync.Mutex
		bookings []int64
		docs     []ackDoc
		stop     atomic.Bool
		wg       sync.WaitGroup
		failures atomic.Int64
	)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				if i%5 == 4 {
					content := make([]byte, 2000)
					rand.Read(content)
					d, err := db.CreateDocument(ctx, offer.ProviderID, fmt.Sprintf("anlage-%d-%d.pdf", w, i), "application/pdf", content)
					if err != nil {
						failures.Add(1)
						continue
					}
					mu.Lock()
					docs = append(docs, ackDoc{d, content})
					mu.Unlock()
					continue
				}
				b, err := book(ctx, db, domain.BookingInput{SessionID: s.ID, ParticipantName: fmt.Sprintf("Person %d-%d", w, i),
					ParticipantEmail: fmt.Sprintf("p%d-%d@futurehausen.example", w, i), Payment: domain.PayPrivate})
				if err != nil {
					failures.Add(1)
					continue
				}
				mu.Lock()
				bookings = append(bookings, b.ID)
				mu.Unlock()
			}
		}()
	}
	waitFor := func(n int) {
		deadline := time.Now().Add(30 * time.Second)
		for {
			mu.Lock()
			got := len(bookings)
			mu.Unlock()
			if got >= n {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("only %d bookings after 30s", got)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor(40)
	// Everything acknowledged up to here must be in the backup.
	mu.Lock()
	ackedBookings := append([]int64(nil), bookings...)
	ackedDocs := append([]ackDoc(nil), docs...)
	mu.Unlock()
	dir := t.TempDir()
	backupFile := filepath.Join(dir, "lotse-backup.tar")
	m, err := db.Backup(ctx, backupFile)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatalf("backup: %v", err)
	}
	if failures.Load() > 0 {
		t.Fatalf("%d bookings or uploads failed during the backup", failures.Load())
	}
	if len(ackedDocs) == 0 || m.Blobs < len(ackedDocs) {
		t.Fatalf("backup has %d contents, %d documents were acknowledged before", m.Blobs, len(ackedDocs))
	}
	if _, err := db.Backup(ctx, backupFile); err == nil {
		t.Fatal("backup overwrote an existing file")
	}

	// Restore into an empty data folder and open it like the platform.
	data := filepath.Join(dir, "restored")
	dbPath := filepath.Join(data, "lotse.db")
	opts := store.RestoreOptions{DBPath: dbPath, FilesDir: filepath.Join(data, "files")}
	if _, err := store.Restore(ctx, backupFile, opts); err != nil {
		t.Fatalf("restore: %v", err)
	}
	if err := store.IntegrityCheck(ctx, dbPath); err != nil {
		t.Fatal(err)
	}
	rdb, err := store.Open(ctx, "sqlite:"+dbPath)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filestore.NewLocal(opts.FilesDir)
	if err != nil {
		t.Fatal(err)
	}
	rdb.Files = files
	for _, id := range ackedBookings {
		if _, err := rdb.Booking(ctx, id); err != nil {
			t.Fatalf("booking %d, acknowledged before the backup, is not in the restore: %v", id, err)
		}
	}
	rkeys, err := rdb.SigningKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rkeys) != len(keys) {
		t.Fatalf("restored %d signing keys, want %d", len(rkeys), len(keys))
	}
	for i := range keys {
		if rkeys[i].ID != keys[i].ID || !bytes.Equal(rkeys[i].Seed, keys[i].Seed) {
			t.Fatalf("signing key %s differs after the restore", keys[i].ID)
		}
	}
	for _, ad := range ackedDocs {
		d, err := rdb.Document(ctx, ad.doc.ID)
		if err != nil {
			t.Fatalf("document %d: %v", ad.doc.ID, err)
		}
		rc, err := rdb.OpenDocument(ctx, d)
		if err != nil {
			t.Fatalf("document %d content: %v", d.ID, err)
		}
		got, _ := io.ReadAll(rc)
		rc.Close()
		if filestore.SHA256Hex(got) != ad.doc.SHA256 || !bytes.Equal(got, ad.content) {
			t.Fatalf("document %d: restored content does not match its hash", d.ID)
		}
	}

	// A restore never replaces a database that is open, not even with
	// --force, and an existing one only with --force.
	if _, err := store.Restore(ctx, backupFile, store.RestoreOptions{DBPath: dbPath, FilesDir: opts.FilesDir, Force: true}); err == nil ||
		!strings.Contains(err.Error(), "running") {
		t.Fatalf("restore over an open database: %v, want refusal", err)
	}
	rdb.Close()
	if _, err := store.Restore(ctx, backupFile, opts); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over an existing database without force: %v, want refusal", err)
	}
	opts.Force = true
	if _, err := store.Restore(ctx, backupFile, opts); err != nil {
		t.Fatalf("restore with force: %v", err)
	}
}

// TestRestoreRefusesDamagedBackup: a backup whose database fails the
// integrity check, or whose document content does not match its hash, is
// not restored.
func TestRestoreRefusesDamagedBackup(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	ctx := context.Background()
	dir := t.TempDir()
	backupFile := filepath.Join(dir, "b.tar")
	if _, err := db.Backup(ctx, backupFile); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(backupFile)
	if err != nil {
		t.Fatal(err)
	}
	// Damage the database inside the archive: overwrite a page in the middle.
	bad := append([]byte(nil), raw...)
	for i := 512 + 4096*3; i < 512+4096*3+2000 && i < len(bad)-2048; i++ {
		bad[i] = 0xA5
	}
	badFile := filepath.Join(dir, "bad.tar")
	os.WriteFile(badFile, bad, 0o600)
	opts := store.RestoreOptions{DBPath: filepath.Join(dir, "r", "lotse.db"), FilesDir: filepath.Join(dir, "r", "files")}
	if _, err := store.Restore(ctx, badFile, opts); err == nil {
		t.Fatal("damaged backup restored")
	} else {
		t.Logf("damaged backup refused: %v", err)
	}
	if _, err := os.Stat(opts.DBPath); err == nil {
		t.Fatal("a damaged backup left a database behind")
	}
	if _, err := store.Restore(ctx, backupFile, opts); err != nil {
		t.Fatalf("sound backup: %v", err)
	}
}
