package browsertest

import (
	"context"
	"encoding/hex"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/lotse-oss/lotse/internal/store"
)

// TestLoginFormSendsThePasswordsKey: the login form's script computes the
// password's argon2id key in the browser (hash-wasm, under the login
// page's Content Security Policy) and sends it with the form: the key is
// exactly what the account's hash was made with, and the login succeeds.
func TestLoginFormSendsThePasswordsKey(t *testing.T) {
	chromium(t)
	srv := startServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b := newBrowser(t, ctx)
	var mu sync.Mutex
	var posted string
	if err := chromedp.Listen(b, func(ev any) {
		e, ok := ev.(*network.EventRequestWillBeSent)
		if !ok || e.Request.Method != "POST" || !strings.HasSuffix(e.Request.URL, "/anmelden") {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for _, p := range e.Request.PostDataEntries {
			posted += string(p.Bytes)
		}
	}); err != nil {
		t.Fatal(err)
	}
	login(t, b, srv.url, "lilly@futurehausen.example", "Lilly Lotse")

	mu.Lock()
	form, err := url.ParseQuery(posted)
	mu.Unlock()
	if err != nil {
		t.Fatalf("the posted form %q: %v", posted, err)
	}
	hash, err := srv.db.PasswordHashByEmail(context.Background(), "lilly@futurehausen.example")
	if err != nil {
		t.Fatal(err)
	}
	pp, err := store.HashParams(hash)
	if err != nil {
		t.Fatal(err)
	}
	if want := hex.EncodeToString(pp.Key(demoPassword)); form.Get("password_key") != want {
		t.Fatalf("the form sent the key %q, want %q (posted %d bytes)", form.Get("password_key"), want, len(posted))
	}
}
