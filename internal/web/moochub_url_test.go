package web

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/moochub"
)

// TestMoochubURLImportRefusesNonPublicAddresses: the import by URL loads
// only from public https addresses, checks every redirect and the address
// actually dialled, and says so in German.
func TestMoochubURLImportRefusesNonPublicAddresses(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	res := e.client().do("GET", "/api/v1/moochub/courses", "", nil)
	feed, _ := io.ReadAll(res.Body)
	res.Body.Close()
	src := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed":
			w.Header().Set("Content-Type", moochub.MediaType)
			w.Write(feed)
		case "/to-http":
			http.Redirect(w, r, "http://127.0.0.1:1/feed", http.StatusFound)
		case "/to-loopback":
			http.Redirect(w, r, strings.Replace(srvURL(r), "127.0.0.1", "127.0.0.2", 1)+"/feed", http.StatusFound)
		case "/to-private":
			http.Redirect(w, r, "https://192.168.0.1/feed", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer src.Close()
	prov := e.apiAs("kurse@vwa-bw.example")
	importURL := func(u string) (*http.Response, string) {
		return prov.json("POST", "/api/v1/moochub/import?url="+url.QueryEscape(u), "")
	}

	// The production classifier refuses the test server on 127.0.0.1 and a
	// name for it.
	for _, u := range []string{src.URL + "/feed", strings.Replace(src.URL, "127.0.0.1", "localhost", 1) + "/feed"} {
		res, body := importURL(u)
		expect(t, res, body, 422)
		if !strings.Contains(body, "nicht öffentliches Netz") {
			t.Fatalf("%s: %s", u, body)
		}
	}

	// With 127.0.0.1 allowed (and nothing else that is not public) the feed
	// loads, but redirects away from https or into other networks do not.
	pool := src.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	e.srv.app.Catalog.Feeds = &moochub.Fetcher{RootCAs: pool, Allow: func(ip netip.Addr) bool {
		return ip.Unmap() == netip.MustParseAddr("127.0.0.1") || moochub.PublicAddr(ip)
	}}
	res, body := importURL(src.URL + "/feed")
	expect(t, res, body, 200)
	if r := decode[domain.ImportResult](t, body); len(r.Created) == 0 {
		t.Fatalf("import by URL: %s", body)
	}
	for path, want := range map[string]string{
		"/to-http":     "unverschlüsselte Adresse (http)",
		"/to-loopback": "nicht öffentliches Netz",
		"/to-private":  "nicht öffentliches Netz",
	} {
		res, body := importURL(src.URL + path)
		expect(t, res, body, 422)
		if !strings.Contains(body, want) {
			t.Errorf("%s: %s", path, body)
		}
	}
	res, body = importURL("http://example.org/feed")
	expect(t, res, body, 422)
	if !strings.Contains(body, "https-Adresse") {
		t.Errorf("http URL: %s", body)
	}

	// The form shows the refusal at the address field.
	staff := e.sessionFor("kurse@vwa-bw.example")
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("csrf_token", staff.csrf)
	w.WriteField("url", src.URL+"/to-private")
	w.Close()
	res = staff.do("POST", "/anbieter/import", w.FormDataContentType(), &b)
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 422 || !strings.Contains(string(page), "nicht öffentliches Netz") {
		t.Fatalf("form import of a private address: %d %s", res.StatusCode, page)
	}
}

func srvURL(r *http.Request) string { return "https://" + r.Host }
