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
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
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
	changes := flag.Int("changes", 0, "offer changes per second while measuring (through `lotse loadsearch-change`, see -change-cmd)")
	label := flag.String("label", "", "label of the run in the table")
	flag.Parse()
	if *bare != "" {
		return serveBare(*bare)
	}
	if *data == "" {
		return errors.New("-data is required")
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
	first, firstStatus, err := firstSearch(base, start, 120*time.Second)
	if err != nil {
		return fmt.Errorf("%w (server log: %s)", err, logf.Name())
	}
	fmt.Printf("%s: first search answered %v after process start (first answer of any kind after %v: status %d)\n",
		*label, first.ok.Round(time.Millisecond), first.any.Round(time.Millisecond), firstStatus)

	facets, err := facetValues(base)
	if err != nil {
		return err
	}
	targets := workload(1, facets)
	fmt.Printf("%s: %d different requests, e.g. %s\n", *label, len(targets), targets[3])

	var stopChanges func() int
	if *changes > 0 {
		stopChanges = changer(*bin, *data, *database, *changes)
	}
	r := measure(base, filter(targets, *only), *conns, *warm, *dur)
	rss, peak := memory(cmd.Process.Pid)
	changed := 0
	if stopChanges != nil {
		changed = stopChanges()
	}
	fmt.Printf("| %s lotse %s | %d | %.0f | %.1f | %.1f | %d | %d | %d |\n", *label, *only, *conns, r.rps, ms(r.p50), ms(r.p99), rss>>20, peak>>20, r.errors)
	if changed > 0 {
		fmt.Printf("  (%d offer changes during the measurement)\n", changed)
	}
	for s, n := range r.status {
		if s != 200 {
			fmt.Printf("  status %d: %d\n", s, n)
		}
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
	br := measure("http://"+baddr, filter(targets, *only), *conns, *warm, *dur)
	brss, bpeak := memory(bcmd.Process.Pid)
	fmt.Printf("| %s bare handler | %d | %.0f | %.1f | %.1f | %d | %d | %d |\n", *label, *conns, br.rps, ms(br.p50), ms(br.p99), brss>>20, bpeak>>20, br.errors)
	fmt.Printf("lotse/bare: %.1f %%\n", 100*r.rps/br.rps)
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

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
	status   map[int]int
}

// measure sends the targets round robin from conns connections (each its
// own keep-alive connection, as wrk does) and measures after warm.
func measure(base string, targets []string, conns int, warm, dur time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	c := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	defer tr.CloseIdleConnections()
	var measuring atomic.Bool
	var stop atomic.Bool
	var mu sync.Mutex
	var lat []time.Duration
	status := map[int]int{}
	errs := 0
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			myStatus := map[int]int{}
			myErrs := 0
			k := i * 7919
			for !stop.Load() {
				t := targets[k%len(targets)]
				k++
				t0 := time.Now()
				resp, err := c.Get(base + t)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				if !measuring.Load() {
					continue
				}
				if err != nil {
					myErrs++
					continue
				}
				myStatus[resp.StatusCode]++
				mine = append(mine, d)
			}
			mu.Lock()
			lat = append(lat, mine...)
			for s, n := range myStatus {
				status[s] += n
			}
			errs += myErrs
			mu.Unlock()
		}()
	}
	time.Sleep(warm)
	measuring.Store(true)
	t0 := time.Now()
	time.Sleep(dur)
	measuring.Store(false)
	elapsed := time.Since(t0)
	stop.Store(true)
	wg.Wait()
	slices.Sort(lat)
	r := result{rps: float64(len(lat)) / elapsed.Seconds(), errors: errs, status: status}
	if len(lat) > 0 {
		r.p50, r.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	for s, n := range status {
		if s != 200 {
			r.errors += n
		}
	}
	return r
}

// memory reads the process' resident memory now and at its peak.
func memory(pid int) (rss, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			rss = n << 10
		case "VmHWM:":
			peak = n << 10
		}
	}
	return rss, peak
}

// Words of the generated catalog (demo.GenerateOffers), of the
// administration's vocabulary in general, and a few that occur nowhere.
var words = []string{
	"Verwaltung", "Digitalisierung", "Datenschutz", "Projektmanagement", "Führung", "Haushalt", "E-Akte", "Vergaberecht",
	"Bürgerservice", "Informationssicherheit", "Prozessmanagement", "Scrum", "agil", "OZG", "KI", "Künstliche Intelligenz",
	"Open Data", "Smart City", "BPMN", "Prozessmodellierung", "Digitallotsen", "Gremienarbeit", "Sitzungsdienst",
	"Onlinedienste", "Servicekonten", "DSGVO", "Datenschutzbeauftragte", "Kommune", "Gemeinde", "Landkreis",
	"Digitalstrategie", "Transformation", "E-Government", "Rechtsrahmen", "hybride Teams", "Distanz", "Zertifikat",
	"Prüfung", "Grundlagen", "Aufbaumodul", "Basisqualifizierung", "Selbstlernkurs", "Workshop", "Kommunikation",
	"Veränderung", "Wissensmanagement", "Personalentwicklung", "Bürgerbeteiligung", "Beteiligung", "Rechnungswesen",
	"Doppik", "Excel", "Teams", "Moderation", "Konflikte", "Verwaltungsrecht", "Barrierefreiheit", "Sicherheit",
	"Cloud", "Daten", "Dashboard", "Statistik", "Geodaten", "Sensornetze", "Rathaus", "Ratsinformationssystem",
	"Kommunalverwaltung", "ländlicher Raum", "Praxis", "kompakt", "Einführung", "Strategie", "Methoden",
	"Zeitmanagement", "Resilienz", "Vergabe", "Beschaffung", "Einkauf", "Fördermittel", "Klimaschutz",
}

// typo changes one letter of a word (swap, drop or double).
func typo(r *rand.Rand, w string) string {
	rs := []rune(w)
	if len(rs) < 6 {
		return w
	}
	i := 1 + r.IntN(len(rs)-3)
	switch r.IntN(3) {
	case 0:
		rs[i], rs[i+1] = rs[i+1], rs[i]
	case 1:
		rs = append(rs[:i], rs[i+1:]...)
	default:
		rs = append(rs[:i+1], rs[i:]...)
	}
	return string(rs)
}

// workload returns 4,000 different requests: half API, half page.
func workload(seed uint64, facets map[string][]string) []string {
	r := rand.New(rand.NewPCG(seed, 2))
	names := make([]string, 0, len(facets))
	for f := range facets {
		names = append(names, f)
	}
	slices.Sort(names)
	sorts := []string{"", "", "", "date", "price"}
	var out []string
	for len(out) < 4000 {
		v := url.Values{}
		var q string
		switch k := r.IntN(10); {
		case k == 0: // no text: browsing
		case k <= 3:
			q = words[r.IntN(len(words))]
		case k <= 5:
			q = typo(r, words[r.IntN(len(words))])
		case k <= 8:
			q = words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
		default: // typing: a prefix
			w := []rune(words[r.IntN(len(words))])
			q = string(w[:min(len(w), 3+r.IntN(4))])
		}
		if q != "" {
			v.Set("q", q)
		}
		for n := r.IntN(3); n > 0; n-- {
			f := names[r.IntN(len(names))]
			vals := facets[f]
			// The first values are the frequent ones; take them more often.
			v.Add(f, vals[min(r.IntN(len(vals)), r.IntN(len(vals)))])
		}
		if s := sorts[r.IntN(len(sorts))]; s != "" {
			v.Set("sort", s)
		}
		if p := r.IntN(10); p >= 6 {
			v.Set("page", strconv.Itoa(p-4))
		}
		path := "/api/v1/offers"
		if len(out)%2 == 1 {
			path = "/angebote"
		}
		out = append(out, path+"?"+v.Encode())
	}
	return out
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

func filter(ts []string, only string) []string {
	var out []string
	for _, t := range ts {
		api := strings.HasPrefix(t, "/api/")
		if only == "mixed" || (only == "api") == api {
			out = append(out, t)
		}
	}
	return out
}

// changer changes perSecond published offers per second through the
// command `lotse catalog-touch`, as another instance's writes would, and
// returns a function that stops it and tells how many changes were made.
func changer(bin, data, database string, perSecond int) func() int {
	ctx, cancel := context.WithCancel(context.Background())
	args := []string{"catalog-touch", "--data", data, "--per-second", strconv.Itoa(perSecond)}
	if database != "" {
		args = append(args, "--database", database)
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	var out strings.Builder
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "loadsearch: changes:", err)
		cancel()
		return func() int { return 0 }
	}
	return func() int {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cancel()
			<-done
		}
		cancel()
		n := 0
		for _, line := range strings.Split(out.String(), "\n") {
			if v, ok := strings.CutPrefix(line, "changed "); ok {
				n, _ = strconv.Atoi(strings.Fields(v)[0])
			}
		}
		return n
	}
}
