package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/store"
)

func TestBackupAndRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if code, out, errOut := run(t, "", "keys", "rotate", "--data", data); code != 0 {
		t.Fatalf("rotate: %d %q %q", code, out, errOut)
	}
	file := filepath.Join(dir, "lotse.tar")
	code, out, errOut := run(t, "", "backup", "--to", file, "--data", data)
	if code != 0 || !strings.Contains(out, "backup written") {
		t.Fatalf("backup: %d %q %q", code, out, errOut)
	}
	// The data folder has its database: restore refuses without --force.
	code, _, errOut = run(t, "", "restore", "--from", file, "--data", data)
	if code != 1 || !strings.Contains(errOut, "--force") {
		t.Fatalf("restore over existing data: %d %q", code, errOut)
	}
	// ... and refuses while the database is open, even with --force.
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(data, "lotse.db"))
	if err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "", "restore", "--from", file, "--data", data, "--force")
	db.Close()
	if code != 1 || !strings.Contains(errOut, "running") {
		t.Fatalf("restore over an open database: %d %q", code, errOut)
	}
	fresh := filepath.Join(dir, "fresh")
	code, out, errOut = run(t, "", "restore", "--from", file, "--data", fresh)
	if code != 0 || !strings.Contains(out, "integrity check ok") {
		t.Fatalf("restore: %d %q %q", code, out, errOut)
	}
	rdb, err := store.Open(context.Background(), "sqlite:"+filepath.Join(fresh, "lotse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if keys, err := rdb.SigningKeys(context.Background()); err != nil || len(keys) != 1 {
		t.Fatalf("restored keys %v %v", keys, err)
	}
}

func TestBackupOfPostgresPointsToPgDump(t *testing.T) {
	for _, cmd := range [][]string{{"backup", "--to", "x.tar"}, {"restore", "--from", "x.tar"}} {
		code, _, errOut := run(t, "", append(cmd, "--database", "postgres://lotse@db.example/lotse")...)
		if code != 1 || !strings.Contains(errOut, "pg_dump") || !strings.Contains(errOut, "pg_restore") {
			t.Fatalf("%s with PostgreSQL: %d %q", cmd[0], code, errOut)
		}
	}
}
