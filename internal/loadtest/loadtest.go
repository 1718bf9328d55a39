// Package loadtest holds the catalog search's load generator: a mixed
// workload of many different searches (single words, typos, several
// words, prefixes, facet filters, pages and sorts, on the API and the
// page) and a closed-loop measurement from a number of connections. The
// command scripts/loadsearch runs it against a server; benchmarks use the
// workload directly.
package loadtest

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Result is a measurement.
type Result struct {
	RPS      float64
	P50, P99 time.Duration
	Errors   int
	Status   map[int]int
}

// Measure sends the targets round robin from conns connections (each its
// own keep-alive connection, as wrk does) and measures after warm.
func Measure(base string, targets []string, conns int, warm, dur time.Duration) Result {
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
	r := Result{RPS: float64(len(lat)) / elapsed.Seconds(), Errors: errs, Status: status}
	if len(lat) > 0 {
		r.P50, r.P99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	for s, n := range status {
		if s != 200 {
			r.Errors += n
		}
	}
	return r
}

// Memory reads the process' resident memory now and at its peak.
func Memory(pid int) (rss, peak int64) {
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

// Workload returns 4,000 different requests: half API, half page.
func Workload(seed uint64, facets map[string][]string) []string {
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

// Filter keeps the API requests (only "api"), the page requests
// ("page") or all ("mixed").
func Filter(ts []string, only string) []string {
	var out []string
	for _, t := range ts {
		api := strings.HasPrefix(t, "/api/")
		if only == "mixed" || (only == "api") == api {
			out = append(out, t)
		}
	}
	return out
}
