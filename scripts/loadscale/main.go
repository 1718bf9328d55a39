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
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
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
	list := flag.Bool("list", false, "print the names of the workloads the other flags give, and stop")
	offer := flag.Int64("book-offer", 0, "ID of a published offer of the Verwaltungsschule: measure bookings over HTTP on new sessions of it")
	clients := flag.Int("book-clients", 200, "concurrent booking clients (one person each)")
	sessions := flag.Int("book-sessions", 10, "sessions every client books")
	capacity := flag.Int("book-capacity", 150, "capacity of each session")
	bookURLs := flag.String("book-urls", "", "comma-separated servers on the same database the booking clients are spread over (default: -url)")
	flag.Parse()

	login := func(email string) (*http.Client, error) {
		if *list {
			return nil, nil // names only: no server needed
		}
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
			workload{"org-audit-big", as(bigAdmin, "/organisationen/"+id+"/protokoll")},
			// The team overview filtered by the beginning of a name (a
			// common surname matches ~2 % of the members).
			workload{"team-name-big", func(w int) (*http.Client, string) {
				return bigAdmin, "/organisationen/" + id + "/team?name=" + url.QueryEscape(teamNames[rand.IntN(len(teamNames))])
			}},
			// ... and by a part of an offer's title.
			workload{"team-title-big", func(w int) (*http.Client, string) {
				return bigAdmin, "/organisationen/" + id + "/team?angebot=" + url.QueryEscape(teamTitles[rand.IntN(len(teamTitles))])
			}})
	}
	if *medium > 0 {
		id := strconv.FormatInt(*medium, 10)
		wl = append(wl, workload{"members-api-medium", as(admin, "/api/v1/organisations/"+id+"/members")},
			workload{"org-page-medium", as(admin, "/organisationen/"+id)})
	}
	if *session > 0 {
		wl = append(wl, workload{"participants-api", as(provider, "/api/v1/sessions/"+strconv.FormatInt(*session, 10)+"/bookings")})
	}
	// Logins: a different generated person each time (the limits count
	// failed attempts only), over a connection of its own per worker.
	loginClients := make([]*http.Client, *conns)
	for i := range loginClients {
		loginClients[i] = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
	}
	// login: as the login form's script does, the parameters first (not
	// timed, but sent), then the login with the password's key (timed);
	// login-params times the first step; login-password is a client
	// without the key (the server computes argon2id).
	wl = append(wl, workload{"login", nil}, workload{"login-params", nil}, workload{"login-password", nil})
	keys := &keyCache{keys: map[string]string{}}
	if *list {
		for _, w := range wl {
			fmt.Println(w.name)
		}
		return
	}
	if *offer > 0 {
		servers := []string{*base}
		if *bookURLs != "" {
			servers = strings.Split(*bookURLs, ",")
		}
		bookings(*base, servers, provider, login, *persons, *offer, *clients, *sessions, *capacity)
		if *only == "" {
			return
		}
	}
	fmt.Printf("| workload | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n")
	for _, w := range wl {
		if *only != "" && w.name != *only {
			continue
		}
		req := w.req
		var post func(int) (*http.Client, string, string)
		randomPerson := func() string { return fmt.Sprintf("person%d@skala.example", 1+rand.IntN(*persons)) }
		switch w.name {
		case "login":
			post = func(i int) (*http.Client, string, string) {
				email := randomPerson()
				key, err := keys.key(loginClients[i], *base, email, *pw)
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
				body, _ := json.Marshal(map[string]string{"email": email, "password_key": key})
				return loginClients[i], "/api/v1/auth/login", string(body)
			}
		case "login-params":
			post = func(i int) (*http.Client, string, string) {
				body, _ := json.Marshal(map[string]string{"email": randomPerson()})
				return loginClients[i], "/api/v1/auth/login-params", string(body)
			}
		case "login-password":
			post = func(i int) (*http.Client, string, string) {
				body, _ := json.Marshal(map[string]string{"email": randomPerson(), "password": *pw})
				return loginClients[i], "/api/v1/auth/login", string(body)
			}
		}
		r := measure(*base, *conns, *dur, req, post)
		fmt.Printf("| %s | %.0f | %.1f | %.1f | %d %v |\n", w.name, r.rps, ms(r.p50), ms(r.p99), r.errors, r.status)
	}
}

// teamNames are parts of generated names (demo's scale tables) and one
// that matches nobody.
var teamNames = []string{"müller", "schmidt", "Greta", "ann", "hoffmann", "Zylinder"}

// teamTitles are parts of generated offers' titles, common and rare, and
// one that no title has.
var teamTitles = []string{"Datenschutz", "KI", "Zylinderkunde"}

// bookings creates sessions of capacity places on the offer, lets
// clients people book every session at once (in their own random
// order), and checks that each session confirmed exactly capacity
// bookings and put the rest on its waiting list.
func bookings(base string, servers []string, provider *http.Client, login func(string) (*http.Client, error), persons int, offer int64, clients, sessions, capacity int) {
	var ids []int64
	start := time.Now().AddDate(0, 2, rand.IntN(300))
	for i := 0; i < sessions; i++ {
		st := start.Add(time.Duration(i) * 24 * time.Hour).Truncate(time.Hour)
		body, _ := json.Marshal(map[string]any{"starts_at": st, "ends_at": st.Add(7 * time.Hour), "days": 1, "capacity": capacity, "online": true})
		resp, err := provider.Post(base+"/api/v1/offers/"+strconv.FormatInt(offer, 10)+"/sessions", "application/json", bytes.NewReader(body))
		if err != nil || resp.StatusCode != http.StatusCreated {
			fmt.Fprintln(os.Stderr, "create session:", err, resp.Status)
			os.Exit(1)
		}
		var ses struct {
			ID int64 `json:"id"`
		}
		json.NewDecoder(resp.Body).Decode(&ses)
		resp.Body.Close()
		ids = append(ids, ses.ID)
	}
	// Different people each run (person numbers from a random start).
	first := rand.IntN(max(1, persons-clients))
	cs := make([]*http.Client, clients)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := login(fmt.Sprintf("person%d@skala.example", 1+first+i))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			c.Transport = &http.Transport{MaxIdleConnsPerHost: 1}
			cs[i] = c
		}()
	}
	wg.Wait()
	var mu sync.Mutex
	var lat []time.Duration
	status := map[int]int{}
	t0 := time.Now()
	for i, c := range cs {
		// Client i books on server i mod n: the session cookie of the
		// login holds on every instance (sessions live in the database).
		server := servers[i%len(servers)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, k := range rand.Perm(len(ids)) {
				t := time.Now()
				resp, err := c.Post(server+"/api/v1/sessions/"+strconv.FormatInt(ids[k], 10)+"/bookings", "application/json",
					strings.NewReader(`{"payment":"private"}`))
				d := time.Since(t)
				code := 0
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					code = resp.StatusCode
				}
				mu.Lock()
				lat = append(lat, d)
				status[code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	el := time.Since(t0)
	slices.Sort(lat)
	fmt.Printf("bookings on %d instance(s): %d clients x %d sessions of %d places: %.0f bookings/s, p50 %.1f ms, p99 %.1f ms, answers %v\n",
		len(servers), clients, sessions, capacity, float64(len(lat))/el.Seconds(), ms(lat[len(lat)/2]), ms(lat[len(lat)*99/100]), status)
	exact := true
	for _, id := range ids {
		counts := map[string]int{}
		cursor := ""
		for {
			u := base + "/api/v1/sessions/" + strconv.FormatInt(id, 10) + "/bookings?limit=200"
			if cursor != "" {
				u += "&cursor=" + cursor
			}
			resp, err := provider.Get(u)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			var page struct {
				Items []struct {
					Status string `json:"status"`
				} `json:"items"`
				Next string `json:"next"`
			}
			json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			for _, b := range page.Items {
				counts[b.Status]++
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		want := min(capacity, clients)
		if counts["confirmed"] != want || counts["waitlisted"] != clients-want {
			exact = false
			fmt.Printf("session %d: %v, want %d confirmed and %d waiting\n", id, counts, want, clients-want)
		}
	}
	if exact {
		fmt.Printf("capacity exact: every session confirmed %d and put %d on its waiting list\n", min(capacity, clients), clients-min(capacity, clients))
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
// A workload with post sends POST requests with a JSON body; a 204 counts
// as success.
func measure(base string, conns int, dur time.Duration, req func(w int) (*http.Client, string), post func(w int) (*http.Client, string, string)) result {
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
				var resp *http.Response
				var err error
				var t time.Time
				if post != nil {
					c, path, body := post(w)
					t = time.Now()
					resp, err = c.Post(base+path, "application/json", strings.NewReader(body))
				} else {
					c, path := req(w)
					t = time.Now()
					resp, err = c.Get(base + path)
				}
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
					if code != 200 && !(post != nil && code == http.StatusNoContent) {
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

// keyCache computes the password's key as the login form's script does,
// once per salt (the generated people share one hash, so one argon2id in
// all: the client's work stays off the measured server's cores).
type keyCache struct {
	mu   sync.Mutex
	keys map[string]string
}

// key asks the server for the address's parameters and returns the key.
func (k *keyCache) key(c *http.Client, base, email, pw string) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": email})
	resp, err := c.Post(base+"/api/v1/auth/login-params", "application/json", bytes.NewReader(body))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var p struct {
		Salt        []byte `json:"salt"`
		MemoryKiB   uint32 `json:"memory_kib"`
		Iterations  uint32 `json:"iterations"`
		Parallelism uint8  `json:"parallelism"`
		KeyLength   uint32 `json:"key_length"`
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("login-params %s: %s", email, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		return "", err
	}
	id := fmt.Sprintf("%x/%d/%d/%d/%d", p.Salt, p.MemoryKiB, p.Iterations, p.Parallelism, p.KeyLength)
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.keys[id]; ok {
		return key, nil
	}
	key := hex.EncodeToString(argon2.IDKey([]byte(pw), p.Salt, p.Iterations, p.MemoryKiB, p.Parallelism, p.KeyLength))
	k.keys[id] = key
	return key, nil
}
