package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// run runs the command line with an empty environment and returns its exit
// code and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code := Main(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

// gv100Line builds a municipality record (type 60) of the GV100AD layout.
func gv100Line(ags, name string, typeCode, population int) string {
	b := []rune(strings.Repeat(" ", 220))
	put := func(col int, s string) { copy(b[col-1:], []rune(s)) }
	put(1, "60")
	put(3, "20251130")
	put(11, ags)
	put(19, "0000")
	put(23, name)
	put(123, itoa(typeCode))
	put(129, pad(12345, 11))
	put(140, pad(population, 11))
	put(151, pad(population/2, 11))
	put(166, "79999")
	return string(b)
}

func itoa(n int) string { return fmt.Sprint(n) }

func pad(n, width int) string { return fmt.Sprintf("%0*d", width, n) }

func stateLine() string {
	b := []rune(strings.Repeat(" ", 220))
	copy(b, []rune("1020251130"+"08"))
	copy(b[22:], []rune("Baden-Württemberg"))
	copy(b[72:], []rune("Stuttgart"))
	return string(b)
}

func TestCommandsOnBothDatabases(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			db := []string{"--database", dsn}

			dir := t.TempDir()
			file := filepath.Join(dir, "gv100.txt")
			content := stateLine() + "\n" + gv100Line("08999101", "Testhausen", 63, 12000) + "\n" + gv100Line("08999102", "Prüfdorf", 64, 800) + "\n"
			if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errOut := run(t, "", append([]string{"import", "municipalities", file}, db...)...)
			if code != 0 || !strings.Contains(out, "2 municipalities: 3 new") {
				t.Fatalf("import: %d %q %q", code, out, errOut)
			}
			// Again: nothing changes.
			if _, out, _ = run(t, "", append([]string{"import", "municipalities", file}, db...)...); !strings.Contains(out, "0 new, 0 updated, 3 unchanged") {
				t.Fatalf("re-import: %q", out)
			}
			// A malformed line names its number and leaves the directory as it was.
			bad := filepath.Join(dir, "bad.txt")
			os.WriteFile(bad, []byte(gv100Line("08999101", "Testhausen", 63, 99999)+"\n"+"99kaputt\n"), 0o600)
			code, _, errOut = run(t, "", append([]string{"import", "municipalities", bad}, db...)...)
			if code != 1 || !strings.Contains(errOut, "Zeile 2") {
				t.Fatalf("malformed import: %d %q", code, errOut)
			}

			code, out, errOut = run(t, "ein-sicheres-passwort\n", append([]string{"user", "create", "--email", "Ina@Testhausen.example", "--name", "Ina Test", "--password-stdin"}, db...)...)
			if code != 0 || !strings.Contains(out, "ina@testhausen.example") {
				t.Fatalf("user create: %d %q %q", code, out, errOut)
			}
			code, _, errOut = run(t, "", append([]string{"user", "create", "--email", "kaputt", "--name", "X"}, db...)...)
			if code != 1 || !strings.Contains(errOut, "gültige E-Mail-Adresse") {
				t.Fatalf("invalid user: %d %q", code, errOut)
			}

			sdb, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer sdb.Close()
			m, err := sdb.Municipality(context.Background(), "08999101")
			if err != nil || m.Population != 12000 {
				t.Fatalf("after failed import Testhausen has %+v, %v; want population 12000", m, err)
			}
			org := &domain.Organisation{Name: "Stadt Testhausen", Kind: domain.OrgMunicipality, AGS: "08999101"}
			if err := sdb.CreateOrganisation(context.Background(), org); err != nil {
				t.Fatal(err)
			}
			code, out, errOut = run(t, "", append([]string{"user", "grant", "--email", "ina@testhausen.example", "--org", "08999101", "--role", "signatory", "--role", "hr"}, db...)...)
			if code != 0 {
				t.Fatalf("grant: %d %q %q", code, out, errOut)
			}
			code, _, errOut = run(t, "", append([]string{"user", "grant", "--email", "ina@testhausen.example", "--org", "Stadt Testhausen", "--role", "reviewer"}, db...)...)
			if code != 1 || !strings.Contains(errOut, "reviewer") {
				t.Fatalf("grant of a role the kind lacks: %d %q", code, errOut)
			}

			code, out, errOut = run(t, "", append([]string{"token", "create", "--email", "ina@testhausen.example"}, db...)...)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			token := lines[len(lines)-1]
			if code != 0 || !strings.HasPrefix(token, "lotse_") {
				t.Fatalf("token create: %d %q %q", code, out, errOut)
			}
			a, err := sdb.TokenActor(context.Background(), token)
			if err != nil || a.Person.Email != "ina@testhausen.example" || !a.HasRole(org.ID, domain.RoleSignatory) || !a.HasRole(org.ID, domain.RoleHR) {
				t.Fatalf("token actor %+v, %v", a, err)
			}
		})
	}
}

func TestDemoLoadsOnceAndPrintsLogins(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := run(t, "", "demo", "--data", dir)
	if code != 0 || !strings.Contains(out, "lilly@futurehausen.example") || !strings.Contains(out, "admin@lotse.example") {
		t.Fatalf("demo: %d %q %q", code, out, errOut)
	}
	if _, out, _ = run(t, "", "demo", "--data", dir); !strings.Contains(out, "already loaded") {
		t.Fatalf("second demo: %q", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "lotse.db")); err != nil {
		t.Fatal("no SQLite file in the data folder")
	}
}

func TestHelpAndUnknownCommands(t *testing.T) {
	if code, out, _ := run(t, "", "--help"); code != 0 || !strings.Contains(out, "serve") || !strings.Contains(out, "import") {
		t.Fatalf("help: %d %q", code, out)
	}
	if code, _, errOut := run(t, "", "serve", "--help"); code != 0 || !strings.Contains(errOut, "-addr") || !strings.Contains(errOut, "LOTSE_DATABASE") {
		t.Fatalf("serve --help: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "", "zaubern"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown: %d %q", code, errOut)
	}
}

func TestKeyRotation(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 2; i++ {
		code, out, errOut := run(t, "", "keys", "rotate", "--data", dir)
		if code != 0 || !strings.Contains(out, "new signing key lotse-") {
			t.Fatalf("rotate: %d %q %q", code, out, errOut)
		}
	}
	db, err := store.Open(context.Background(), "sqlite:"+filepath.Join(dir, "lotse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, _ := db.SigningKeys(context.Background())
	retired := 0
	for _, k := range keys {
		if k.Retired != nil {
			retired++
		}
	}
	if len(keys) != 2 || retired != 1 {
		t.Fatalf("%d keys, %d retired; want 2 and 1", len(keys), retired)
	}
}
