package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// build compiles the lotse command once per test run.
func build(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lotse")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/lotse-oss/lotse/cmd/lotse")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func lotse(t *testing.T, bin string, args ...string) string {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("lotse %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// serve starts a server process and returns its base URL.
func serve(t *testing.T, bin, dsn, data string) string {
	t.Helper()
	return startServe(t, bin, "127.0.0.1:0", dsn, data, nil)
}

// startServe starts `lotse serve` on addr with extra environment (env, may
// be nil), stops it when the test ends, and returns the address it prints
// once it listens.
func startServe(t *testing.T, bin, addr, dsn, data string, env []string) string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--database", dsn, "--data", data)
	cmd.Env = append(os.Environ(), env...)
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if _, rest, ok := strings.Cut(lines.Text(), "läuft auf "); ok {
			go io.Copy(io.Discard, stdout)
			return strings.Fields(rest)[0]
		}
	}
	cmd.Wait()
	t.Fatalf("the server printed no address: %s", stderr.String())
	return ""
}

func call(t *testing.T, method, url, token, body string) (int, []byte) {
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return -1, []byte(err.Error())
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestCapacityAcrossTwoServerProcesses runs two lotse server processes on
// one database and sends 500 concurrent bookings for a 20-place session to
// both: exactly 20 are confirmed.
func TestCapacityAcrossTwoServerProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := build(t)
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			data := t.TempDir()
			lotse(t, bin, "demo", "--database", dsn, "--data", data)
			provider := lastLine(lotse(t, bin, "token", "create", "--email", "kurse@vwa-bw.example", "--database", dsn, "--data", data))
			admin := lastLine(lotse(t, bin, "token", "create", "--email", "admin@lotse.example", "--database", dsn, "--data", data))
			a, b := serve(t, bin, dsn, data), serve(t, bin, dsn, data)

			session := publishedSession(t, a, b, provider, admin, "PROC-1", "Zwei Prozesse, zwanzig Plätze", 20)

			const n = 500
			statuses := make([]string, n)
			var wg sync.WaitGroup
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					url := []string{a, b}[i%2] + fmt.Sprintf("/api/v1/sessions/%d/bookings", session)
					st, out := call(t, "POST", url, provider, fmt.Sprintf(`{"participant": {"name": "Person %d", "email": "p%d@futurehausen.example"}, "payment": "private"}`, i, i))
					if st != 201 {
						statuses[i] = fmt.Sprintf("%d %s", st, bytes.TrimSpace(out))
						return
					}
					var bk struct{ Status string }
					json.Unmarshal(out, &bk)
					statuses[i] = bk.Status
				}()
			}
			wg.Wait()
			count := map[string]int{}
			for _, s := range statuses {
				count[s]++
			}
			if count["confirmed"] != 20 || count["waitlisted"] != 480 {
				t.Fatalf("%v; want 20 confirmed and 480 waitlisted", count)
			}
		})
	}
}
