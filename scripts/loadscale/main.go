// Command loadscale measures the lists of issue 14 ("the promised scale")
// on a running server holding `lotse demo --scale` data: it logs in as
// generated people (person<N>@skala.example) and demo logins, then sends
// each workload from -c connections for -d and prints requests/s, p50
// and p99 per workload.
//
//	go run ./scripts/loadscale -url http://127.0.0.1:8080 -persons 200000 \
//	    -org-big 2000 -org-medium 2001 -session 123
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server")
	persons := flag.Int("persons", 20000, "number of generated people")
	pw := flag.String("password", "Digitallotse-2026", "password of the generated and demo logins")
	conns := flag.Int("c", 16, "connections")
	dur := flag.Duration("d", 5*time.Second, "measuring time per workload")
	big := flag.Int64("org-big", 0, "ID of the municipality with the most members (its first member manages it)")
	medium := flag.Int64("org-medium", 0, "ID of a municipality with about 2,000 members")
	session := flag.Int64("session", 0, "ID of a session of the Verwaltungsschule with bookings (participant list)")
	only := flag.String("only", "", "run only the workload with this name")
	flag.Parse()

	login := func(email string) (*http.Client, error) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		body, _ := json.Marshal(map[string]string{"email": email, "password": *pw})
		resp, err := c.Post(*base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			return nil, fmt.Errorf("login %s: %s", email, resp.Status)
		}
		return c, nil
	}
	must := func(c *http.Client, err error) *http.Client {
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return c
	}
	// One logged-in person per connection for the personal lists.
	var people []*http.Client
	for i := 0; i < *conns; i++ {
		people = append(people, must(login(fmt.Sprintf("person%d@skala.example", 1+rand.IntN(*persons)))))
	}
	admin := must(login("admin@lotse.example"))
	bigAdmin := must(login("person1@skala.example"))
	provider := must(login("kurse@verwaltungsschule-bw.example"))
	type workload struct {
		name string
		req  func(w int) (*http.Client, string)
	}
	per := func(path string) func(int) (*http.Client, string) {
		return func(w int) (*http.Client, string) { return people[w], path }
	}
	as := func(c *http.Client, path string) func(int) (*http.Client, string) {
		return func(int) (*http.Client, string) { return c, path }
	}
	words := []string{"anna", "müller", "weber", "e-akte", "datenschutz", "prozesse", "schmidt", "klein"}
	offerWords := []string{"Verwaltung", "digital", "Projektmanagement", "Datenschutz", "E-Akte"}
	wl := []workload{
		{"api-me", per("/api/v1/me")},
		{"page-bookings", per("/buchungen")},
		{"api-bookings", per("/api/v1/bookings")},
		{"audit-page", as(admin, "/admin/protokoll")},
		{"audit-page-older", as(admin, "/admin/protokoll?vor=1000000")},
		{"pilots-api", func(w int) (*http.Client, string) {
			return people[w], "/api/v1/pilots?q=" + words[rand.IntN(len(words))]
		}},
		{"pilots-page", func(w int) (*http.Client, string) { return people[w], "/lotsen?q=" + words[rand.IntN(len(words))] }},
		{"offers-api", func(w int) (*http.Client, string) {
			return people[w], "/api/v1/offers?q=" + offerWords[rand.IntN(len(offerWords))]
		}},
	}
	if *big > 0 {
		id := strconv.FormatInt(*big, 10)
		wl = append(wl, workload{"org-page-big", as(bigAdmin, "/organisationen/"+id)},
			workload{"members-api-big", as(bigAdmin, "/api/v1/organisations/"+id+"/members")},
			workload{"members-api-big-deep", as(bigAdmin, "/api/v1/organisations/"+id+"/members?cursor=1000000")},
			workload{"org-audit-big", as(bigAdmin, "/organisationen/"+id+"/protokoll")})
	}
	if *medium > 0 {
		id := strconv.FormatInt(*medium, 10)
		wl = append(wl, workload{"members-api-medium", as(admin, "/api/v1/organisations/"+id+"/members")},
			workload{"org-page-medium", as(admin, "/organisationen/"+id)})
	}
	if *session > 0 {
		wl = append(wl, workload{"participants-api", as(provider, "/api/v1/sessions/"+strconv.FormatInt(*session, 10)+"/bookings")})
	}
	fmt.Printf("| workload | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n")
	for _, w := range wl {
		if *only != "" && w.name != *only {
			continue
		}
		r := measure(*base, *conns, *dur, w.req)
		fmt.Printf("| %s | %.0f | %.1f | %.1f | %d %v |\n", w.name, r.rps, ms(r.p50), ms(r.p99), r.errors, r.status)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
	status   map[int]int
}

// measure sends requests from conns workers for dur after a second of
// warm-up.
func measure(base string, conns int, dur time.Duration, req func(w int) (*http.Client, string)) result {
	var stop, measuring atomic.Bool
	var mu sync.Mutex
	var lat []time.Duration
	res := result{status: map[int]int{}}
	var wg sync.WaitGroup
	for w := 0; w < conns; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				c, path := req(w)
				t := time.Now()
				resp, err := c.Get(base + path)
				d := time.Since(t)
				code := 0
				if err == nil {
					var buf [32 << 10]byte
					for {
						if _, e := resp.Body.Read(buf[:]); e != nil {
							break
						}
					}
					resp.Body.Close()
					code = resp.StatusCode
				}
				if measuring.Load() {
					mu.Lock()
					lat = append(lat, d)
					if code != 200 {
						res.errors++
						res.status[code]++
					}
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(time.Second)
	measuring.Store(true)
	start := time.Now()
	time.Sleep(dur)
	measuring.Store(false)
	el := time.Since(start)
	stop.Store(true)
	wg.Wait()
	slices.Sort(lat)
	if len(lat) > 0 {
		res.p50, res.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	}
	res.rps = float64(len(lat)) / el.Seconds()
	return res
}
