// Command loadsearch measures the catalog search under a mixed load, side by
// side with a bare Go handler in the same run (issue 11, "Speed at scale").
//
// It starts `lotse serve` on a prepared database as a child process, waits
// for the first answered search (and reports the time from process start
// to that first 200), then sends a mixed workload from 16 connections for a
// while: many different queries (single words, typos, multi-word, prefixes),
// facet filters, pages and sorts, half as GET /api/v1/offers and half as
// the /angebote page. It reports requests/s, p50 and p99 and the server's
// process memory (RSS now and peak), then does the same against a bare
// handler (this program started again with -bare) for the reference.
//
//	go build -o /tmp/lotse ./cmd/lotse
//	go run ./scripts/loadsearch -lotse /tmp/lotse -data /tmp/speed-db/sqlite-100k
//	go run ./scripts/loadsearch -lotse /tmp/lotse -data /tmp/speed-db/pg-100k -database postgres://...
//
// Prepare a database once with `lotse demo --data DIR --offers 100000`.
// With -changes N it also changes N published offers per second through
// the database (as another instance would) while the load runs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/lotse-oss/lotse/internal/loadtest"
	"github.com/lotse-oss/lotse/internal/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "loadsearch:", err)
		os.Exit(1)
	}
}

func run() error {
	bare := flag.String("bare", "", "serve the bare handler on this address (used by loadsearch itself)")
	bin := flag.String("lotse", "lotse", "the lotse binary")
	data := flag.String("data", "", "data folder of the prepared database")
	database := flag.String("database", "", "database URL (PostgreSQL); default SQLite in the data folder")
	conns := flag.Int("c", 16, "connections")
	dur := flag.Duration("d", 15*time.Second, "duration of each measurement")
	warm := flag.Duration("warmup", 3*time.Second, "load before measuring")
	only := flag.String("only", "mixed", "workload: mixed, api or page")
	skipBare := flag.Bool("skip-bare", false, "do not measure the bare handler")
	changes := flag.Int("changes", 0, "offer changes per second in the database while measuring")
	visible := flag.Int("visibility", 0, "after the load, change this many offers one after the other and measure when the search finds each")
	label := flag.String("label", "", "label of the run in the table")
	startLimit := flag.Duration("start-timeout", 10*time.Minute, "how long to wait for the first answered search")
	flag.Parse()
	if *bare != "" {
		return serveBare(*bare)
	}
	if *data == "" {
		return errors.New("-data is required")
	}
	dsn := *database
	if dsn == "" {
		dsn = "sqlite:" + filepath.Join(*data, "lotse.db")
	}
	if *label == "" {
		*label = filepath.Base(*data)
	}
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	args := []string{"serve", "--addr", addr, "--data", *data}
	if *database != "" {
		args = append(args, "--database", *database)
	}
	cmd := exec.Command(*bin, args...)
	cmd.Env = append(os.Environ(), "LOTSE_LOG_LEVEL=warn")
	logf, err := os.CreateTemp("", "loadsearch-server-*.log")
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd.Stdout, cmd.Stderr = logf, logf
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() }()
	base := "http://" + addr
	first, firstStatus, err := firstSearch(base, start, *startLimit)
	if err != nil {
		return fmt.Errorf("%w (server log: %s)", err, logf.Name())
	}
	fmt.Printf("%s: first search answered %v after process start (first answer of any kind after %v: status %d)\n",
		*label, first.ok.Round(time.Millisecond), first.any.Round(time.Millisecond), firstStatus)

	facets, err := facetValues(base)
	if err != nil {
		return err
	}
	targets := loadtest.Workload(1, facets)
	fmt.Printf("%s: %d different requests, e.g. %s\n", *label, len(targets), targets[3])

	var stopChanges func() int
	if *changes > 0 {
		stopChanges = changer(dsn, *changes)
	}
	r := loadtest.Measure(base, loadtest.Filter(targets, *only), *conns, *warm, *dur)
	rss, peak := loadtest.Memory(cmd.Process.Pid)
	changed := 0
	if stopChanges != nil {
		changed = stopChanges()
	}
	fmt.Printf("| %s lotse %s | %d | %.0f | %.1f | %.1f | %d | %d | %d |\n", *label, *only, *conns, r.RPS, ms(r.P50), ms(r.P99), rss>>20, peak>>20, r.Errors)
	if changed > 0 {
		fmt.Printf("  (%d offer changes during the measurement)\n", changed)
	}
	for s, n := range r.Status {
		if s != 200 {
			fmt.Printf("  status %d: %d\n", s, n)
		}
	}
	if *visible > 0 {
		lat, err := visibility(base, dsn, *visible)
		if err != nil {
			return err
		}
		slices.Sort(lat)
		fmt.Printf("%s: change visible in search after: median %v, max %v (%d changes)\n", *label, lat[len(lat)/2].Round(time.Millisecond),
			lat[len(lat)-1].Round(time.Millisecond), len(lat))
	}
	if *skipBare {
		return nil
	}
	_ = cmd.Process.Kill()

	baddr, err := freeAddr()
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	bcmd := exec.Command(self, "-bare", baddr)
	if err := bcmd.Start(); err != nil {
		return err
	}
	defer func() { _ = bcmd.Process.Kill(); _, _ = bcmd.Process.Wait() }()
	if _, _, err := firstSearch("http://"+baddr, time.Now(), 10*time.Second); err != nil {
		return err
	}
	br := loadtest.Measure("http://"+baddr, loadtest.Filter(targets, *only), *conns, *warm, *dur)
	brss, bpeak := loadtest.Memory(bcmd.Process.Pid)
	fmt.Printf("| %s bare handler | %d | %.0f | %.1f | %.1f | %d | %d | %d |\n", *label, *conns, br.RPS, ms(br.P50), ms(br.P99), brss>>20, bpeak>>20, br.Errors)
	fmt.Printf("lotse/bare: %.1f %%\n", 100*r.RPS/br.RPS)
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// serveBare is the reference: a Go handler that reads the query and writes a
// small JSON answer, with nothing else in between.
func serveBare(addr string) error {
	return http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"total":0,"q":%q,"items":[]}`, q)
	}))
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

type firstTimes struct{ any, ok time.Duration }

// firstSearch polls a search until it is answered with 200.
func firstSearch(base string, start time.Time, limit time.Duration) (firstTimes, int, error) {
	var ft firstTimes
	firstStatus := 0
	c := &http.Client{Timeout: 30 * time.Second}
	for time.Since(start) < limit {
		resp, err := c.Get(base + "/api/v1/offers?q=Verwaltung")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if ft.any == 0 {
				ft.any, firstStatus = time.Since(start), resp.StatusCode
			}
			if resp.StatusCode == 200 {
				ft.ok = time.Since(start)
				return ft, firstStatus, nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return ft, 0, fmt.Errorf("no search answered within %v", limit)
}

// facetValues reads the values of every facet from the server's answer to
// an empty search, so that filters in the workload are real ones.
func facetValues(base string) (map[string][]string, error) {
	resp, err := http.Get(base + "/api/v1/offers")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var body struct {
		Facets map[string][]struct {
			Value string `json:"value"`
		} `json:"facets"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for f, vs := range body.Facets {
		for _, v := range vs {
			out[f] = append(out[f], v.Value)
		}
		if len(out[f]) == 0 {
			delete(out, f)
		}
	}
	return out, nil
}

// changer changes perSecond published offers per second in the database
// (a new title word, as another instance's writes would), and returns a
// function that stops it and tells how many changes were made.
func changer(dsn string, perSecond int) func() int {
	ctx, cancel := context.WithCancel(context.Background())
	db, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadsearch: changes:", err)
		cancel()
		return func() int { return 0 }
	}
	var n atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(time.Second / time.Duration(perSecond))
		defer t.Stop()
		r := rand.New(rand.NewPCG(7, 7))
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if _, err := touch(ctx, db, r, fmt.Sprintf("lastprobe%d", n.Load())); err != nil {
				if ctx.Err() == nil {
					fmt.Fprintln(os.Stderr, "loadsearch: change:", err)
				}
				continue
			}
			n.Add(1)
		}
	}()
	return func() int {
		cancel()
		<-done
		db.Close()
		return int(n.Load())
	}
}

// touch gives a random published offer a new title ending in word, in
// one transaction with its change-log row, and returns the offer's ID.
func touch(ctx context.Context, db *store.DB, r *rand.Rand, word string) (int64, error) {
	var id int64
	err := db.Transact(ctx, func(tx *store.Tx) error {
		// MIN and MAX of the primary key: two index look-ups.
		var lo, hi int64
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT MIN(id) FROM offers), (SELECT MAX(id) FROM offers)`).Scan(&lo, &hi); err != nil {
			return err
		}
		pick := lo + r.Int64N(hi-lo+1)
		if err := tx.QueryRowContext(ctx, `SELECT id FROM offers WHERE status = 'published' AND id >= $1 ORDER BY id LIMIT 1`, pick).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE offers SET title = $1 WHERE id = $2`, "Lastprobe "+word, id); err != nil {
			return err
		}
		return tx.CatalogChanged(ctx, id)
	})
	return id, err
}

// visibility changes an offer n times and measures how long each change
// takes to be found by the server's search.
func visibility(base, dsn string, n int) ([]time.Duration, error) {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 3))
	c := &http.Client{Timeout: 10 * time.Second}
	var out []time.Duration
	for i := range n {
		word := fmt.Sprintf("sichtbar%dx%d", time.Now().UnixNano()%1000000, i)
		t0 := time.Now()
		if _, err := touch(ctx, db, r, word); err != nil {
			return nil, err
		}
		for {
			resp, err := c.Get(base + "/api/v1/offers?q=" + word + "+")
			if err != nil {
				return nil, err
			}
			var body struct {
				Total int `json:"total"`
			}
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if err != nil {
				return nil, err
			}
			if body.Total > 0 {
				out = append(out, time.Since(t0))
				break
			}
			if time.Since(t0) > 30*time.Second {
				return out, fmt.Errorf("change %q not visible after 30 s", word)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return out, nil
}
