package cli

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/config"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/filestore/s3test"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// runEnv runs the command line with the environment env.
func runEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }}
	code := Main(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

func s3Env(b filestore.S3Config, more ...string) map[string]string {
	env := map[string]string{"LOTSE_FILE_STORE": "s3", "LOTSE_S3_ENDPOINT": b.Endpoint, "LOTSE_S3_BUCKET": b.Bucket,
		"LOTSE_S3_REGION": b.Region, "LOTSE_S3_ACCESS_KEY": b.AccessKey, "LOTSE_S3_SECRET_KEY": b.SecretKey, "LOTSE_S3_TLS": "false"}
	for i := 0; i+1 < len(more); i += 2 {
		env[more[i]] = more[i+1]
	}
	return env
}

// storeDocument opens the database with the S3 store of env, as serve
// does, and stores a document.
func storeDocument(t *testing.T, env map[string]string, content string) *domain.Document {
	t.Helper()
	ctx := context.Background()
	cfg := config.Default()
	cfg.DataDir = env["LOTSE_DATA"]
	cfg.Database = env["LOTSE_DATABASE"]
	cfg.Files = config.Files{Store: "s3", S3: filestore.S3Config{Endpoint: env["LOTSE_S3_ENDPOINT"], Bucket: env["LOTSE_S3_BUCKET"],
		Region: env["LOTSE_S3_REGION"], AccessKey: env["LOTSE_S3_ACCESS_KEY"], SecretKey: env["LOTSE_S3_SECRET_KEY"], PathStyle: true, Insecure: true}}
	db, err := openStore(ctx, &cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	org := &domain.Organisation{Kind: domain.OrgProvider, Name: "Anbieter Sicherung"}
	if err := db.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	d, err := db.CreateDocument(ctx, org.ID, "nachweis.pdf", "application/pdf", []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func readBlob(t *testing.T, files filestore.Store, key string) string {
	t.Helper()
	rc, _, err := files.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("blob %s: %v", key, err)
	}
	defer rc.Close()
	b, _ := io.ReadAll(rc)
	return string(b)
}

// SQLite with the documents in S3: the backup copies them out of the
// bucket into the archive, and a restore puts them into the configured
// (here: another, empty) bucket.
func TestBackupAndRestoreWithFilesInS3OnSQLite(t *testing.T) {
	srv := s3test.Start(t)
	dir := t.TempDir()
	from := s3Env(srv.Bucket(t), "LOTSE_DATA", filepath.Join(dir, "data"))
	d := storeDocument(t, from, "%PDF-1.4 gesichert")
	file := filepath.Join(dir, "lotse.tar")
	code, out, errOut := runEnv(t, from, "backup", "--to", file)
	if code != 0 || !strings.Contains(out, "1 document contents (1 documents)") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	toBucket := srv.Bucket(t)
	to := s3Env(toBucket, "LOTSE_DATA", filepath.Join(dir, "fresh"))
	code, out, errOut = runEnv(t, to, "restore", "--from", file)
	if code != 0 || !strings.Contains(out, "integrity check ok") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	files, err := filestore.NewS3(context.Background(), toBucket)
	if err != nil {
		t.Fatal(err)
	}
	if got := readBlob(t, files, d.SHA256); got != "%PDF-1.4 gesichert" {
		t.Fatalf("restored content %q", got)
	}
	rdb, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dir, "fresh", "lotse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if rd, err := rdb.Document(context.Background(), d.ID); err != nil || rd.SHA256 != d.SHA256 {
		t.Fatalf("restored document %+v, %v", rd, err)
	}
}

// PostgreSQL: pg_dump backs up the database; lotse backs up the documents
// with --files-only and restores them into the configured store.
func TestFilesOnlyBackupAndRestoreWithPostgreSQLAndS3(t *testing.T) {
	srv := s3test.Start(t)
	dir := t.TempDir()
	dsn := storetest.DSN(t, store.Postgres)
	from := s3Env(srv.Bucket(t), "LOTSE_DATABASE", dsn, "LOTSE_DATA", filepath.Join(dir, "data"))
	d := storeDocument(t, from, "%PDF-1.4 postgres")
	file := filepath.Join(dir, "files.tar")
	if code, _, errOut := runEnv(t, from, "backup", "--to", file); code != 1 || !strings.Contains(errOut, "--files-only") {
		t.Fatalf("full backup of PostgreSQL: %d %q", code, errOut)
	}
	code, out, errOut := runEnv(t, from, "backup", "--files-only", "--to", file)
	if code != 0 || !strings.Contains(out, "1 document contents") {
		t.Fatalf("files-only backup: %d %q %q", code, out, errOut)
	}
	toBucket := srv.Bucket(t)
	to := s3Env(toBucket, "LOTSE_DATABASE", dsn, "LOTSE_DATA", filepath.Join(dir, "data2"))
	// A files-only archive is no full backup.
	if code, _, errOut := runEnv(t, map[string]string{"LOTSE_DATA": filepath.Join(dir, "sqlite")}, "restore", "--from", file); code != 1 ||
		!strings.Contains(errOut, "--files-only") {
		t.Fatalf("full restore of a files-only backup: %d %q", code, errOut)
	}
	code, out, errOut = runEnv(t, to, "restore", "--files-only", "--from", file)
	if code != 0 || !strings.Contains(out, "restored 1 document contents") {
		t.Fatalf("files-only restore: %d %q %q", code, out, errOut)
	}
	files, err := filestore.NewS3(context.Background(), toBucket)
	if err != nil {
		t.Fatal(err)
	}
	if got := readBlob(t, files, d.SHA256); got != "%PDF-1.4 postgres" {
		t.Fatalf("restored content %q", got)
	}
	// And into a local folder, for a move from S3 back to the disk.
	local := map[string]string{"LOTSE_DATA": filepath.Join(dir, "local")}
	if code, _, errOut := runEnv(t, local, "restore", "--files-only", "--from", file); code != 0 {
		t.Fatalf("files-only restore into a folder: %d %q", code, errOut)
	}
	l, err := filestore.NewLocal(filepath.Join(dir, "local", "files"))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if got := readBlob(t, l, d.SHA256); got != "%PDF-1.4 postgres" {
		t.Fatalf("restored content in the folder %q", got)
	}
}
