// Package einvoicetest runs the XRechnung Schematron validation of
// ../shared/xrechnung (validate.sh: EN 16931 and KoSIT rules with Saxon-HE)
// on generated invoices in tests.
package einvoicetest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

const saxonJar = "/usr/share/java/Saxon-HE.jar"

// Script finds validate.sh in the shared folder next to the repository
// (../shared/xrechnung); for a git worktree also next to its main checkout.
// It returns "" when the folder is absent.
func Script() string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..") // repository root
	candidates := []string{filepath.Join(root, "..", "shared")}
	// In a worktree, .git is a file "gitdir: <main>/.git/worktrees/<name>".
	if b, err := os.ReadFile(filepath.Join(root, ".git")); err == nil && bytes.HasPrefix(b, []byte("gitdir:")) {
		gitdir := strings.TrimSpace(strings.TrimPrefix(string(b), "gitdir:"))
		if i := strings.Index(gitdir, string(filepath.Separator)+".git"+string(filepath.Separator)+"worktrees"); i > 0 {
			candidates = append(candidates, filepath.Join(gitdir[:i], "..", "shared"))
		}
	}
	for _, c := range candidates {
		s := filepath.Join(c, "xrechnung", "validate.sh")
		if _, err := os.Stat(s); err == nil {
			return s
		}
	}
	return ""
}

// Run validates doc with validate.sh and returns its output and whether it
// exited 0 (no rule flagged fatal or error failed). It skips the test when
// the shared folder, Java or Saxon-HE is absent.
func Run(t testing.TB, name string, doc []byte) (string, bool) {
	t.Helper()
	script := Script()
	if script == "" {
		t.Skip("../shared/xrechnung is absent")
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("java is not installed (Debian: default-jre-headless)")
	}
	if _, err := os.Stat(saxonJar); err != nil {
		t.Skip(saxonJar + " is absent (Debian: libsaxonhe-java)")
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(script, path)
	cmd.Env = os.Environ()
	if os.Getenv("JAVA_TOOL_OPTIONS") == "" {
		// A short-lived JVM: the client compiler and the serial collector
		// halve the run time of the two Saxon runs.
		cmd.Env = append(cmd.Env, "JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
	}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), true
	case errors.As(err, &exit) && exit.ExitCode() == 1:
		return string(out), false
	}
	t.Fatalf("validate.sh %s: %v\n%s", name, err, out)
	return "", false
}

// RequireValid fails the test unless doc passes validate.sh with exit
// status 0 and no line reporting a fatal or error rule.
func RequireValid(t testing.TB, name string, doc []byte) {
	t.Helper()
	out, ok := Run(t, name, doc)
	if !ok {
		t.Fatalf("%s is not a valid XRechnung:\n%s", name, out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, ": fatal ") || strings.Contains(line, ": error ") || strings.HasPrefix(line, "fatal ") || strings.HasPrefix(line, "error ") {
			t.Fatalf("%s: %s", name, line)
		}
	}
	if !strings.Contains(out, "valid: no fatal or error rule failed") {
		t.Fatalf("%s: validate.sh did not confirm:\n%s", name, out)
	}
}
