package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/lotse-oss/lotse/internal/domain"
	"image"
	"image/png"
	"io"
	mpart "mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestCommunityAPIIsolatesSpaces: members of a Städtetag municipality and
// of a Gemeindetag municipality each see their own space only; every
// object of the other answers 404, through the API and the pages.
func TestCommunityAPIIsolatesSpaces(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ids := map[string]int64{}
		communityMatrixFixture(t, e, ids)
		lilly, paula, admin := e.apiAs("lilly@futurehausen.example"), e.apiAs("pilot@kleinbach.example"), e.apiAs("admin@lotse.example")
		spaces := func(c *client) map[string]int64 {
			res, body := c.json("GET", "/api/v1/spaces", "")
			expect(t, res, body, 200)
			var l struct {
				Items []struct {
					ID              int64  `json:"id"`
					AssociationName string `json:"association_name"`
				} `json:"items"`
			}
			if err := json.Unmarshal([]byte(body), &l); err != nil {
				t.Fatal(err)
			}
			out := map[string]int64{}
			for _, s := range l.Items {
				out[s.AssociationName] = s.ID
			}
			return out
		}
		ls, ps := spaces(lilly), spaces(paula)
		if len(ls) != 1 || ls["Städtetag Baden-Württemberg"] != ids["space"] {
			t.Fatalf("Lilly's spaces: %v", ls)
		}
		gt := ps["Gemeindetag Baden-Württemberg"]
		if len(ps) != 1 || gt == 0 {
			t.Fatalf("Paula's spaces: %v", ps)
		}
		if as := spaces(admin); len(as) < 3 {
			t.Errorf("admins see every space: %v", as)
		}
		// The Gemeindetag's space gets a channel (by an admin) and Paula's thread.
		res, body := admin.json("POST", fmt.Sprintf("/api/v1/spaces/%d/channels", gt), `{"name": "Allgemein"}`)
		expect(t, res, body, 201)
		gch := decode[struct{ ID int64 }](t, body).ID
		res, body = paula.json("POST", fmt.Sprintf("/api/v1/channels/%d/threads", gch), `{"title": "Breitband in Kleinbach", "body": "Chatbot oder nicht?"}`)
		expect(t, res, body, 201)
		gth := decode[struct{ ID int64 }](t, body).ID
		res, body = paula.json("GET", fmt.Sprintf("/api/v1/threads/%d", gth), "")
		expect(t, res, body, 200)
		gpost := decode[struct {
			Posts []struct{ ID int64 } `json:"posts"`
		}](t, body).Posts[0].ID

		cross := []struct {
			c            *client
			method, path string
			body         string
		}{
			{paula, "GET", "/api/v1/spaces/{space}", ""},
			{paula, "GET", "/api/v1/spaces/{space}/channels", ""},
			{paula, "GET", "/api/v1/spaces/{space}/search?q=Chatbot", ""},
			{paula, "GET", "/api/v1/spaces/{space}/reports", ""},
			{paula, "GET", "/api/v1/channels/{channel}/threads", ""},
			{paula, "POST", "/api/v1/channels/{channel}/threads", `{"title": "Hallo", "body": "Hallo"}`},
			{paula, "GET", "/api/v1/threads/{thread}", ""},
			{paula, "POST", "/api/v1/threads/{thread}/posts", `{"body": "Hallo"}`},
			{paula, "POST", "/api/v1/posts/{post}/report", `{"reason": "Spam"}`},
			{lilly, "GET", fmt.Sprintf("/api/v1/spaces/%d", gt), ""},
			{lilly, "GET", fmt.Sprintf("/api/v1/channels/%d/threads", gch), ""},
			{lilly, "GET", fmt.Sprintf("/api/v1/threads/%d", gth), ""},
			{lilly, "POST", fmt.Sprintf("/api/v1/threads/%d/posts", gth), `{"body": "Hallo"}`},
			{lilly, "POST", fmt.Sprintf("/api/v1/posts/%d/report", gpost), `{"reason": "Spam"}`},
			{lilly, "GET", fmt.Sprintf("/api/v1/spaces/%d/search?q=Chatbot", gt), ""},
			{lilly, "GET", "/api/v1/spaces/999999", ""},
		}
		for _, c := range cross {
			path := c.path
			for k, v := range ids {
				path = strings.ReplaceAll(path, "{"+k+"}", itoa(v))
			}
			res, body := c.c.json(c.method, path, c.body)
			if res.StatusCode != 404 {
				t.Errorf("%s %s: %d, want 404: %s", c.method, path, res.StatusCode, body)
			}
		}
		// Search stays inside the space: Lilly's search finds her space's
		// chatbot, not Paula's.
		res, body = lilly.json("GET", fmt.Sprintf("/api/v1/spaces/%d/search?q=Chatbot", ids["space"]), "")
		expect(t, res, body, 200)
		hits := decode[struct {
			Hits []struct {
				Thread struct{ ID int64 } `json:"thread"`
			} `json:"hits"`
		}](t, body).Hits
		if len(hits) != 2 {
			t.Errorf("search hits %+v, want the opening post (by its title) and the reply", hits)
		}
		for _, h := range hits {
			if h.Thread.ID != ids["thread"] {
				t.Errorf("search hit in thread %d, want only thread %d", h.Thread.ID, ids["thread"])
			}
		}
		// The pages answer 404 too.
		for _, p := range []string{"/austausch/bereiche/{space}", "/austausch/kanaele/{channel}", "/austausch/themen/{thread}", "/austausch/anhaenge/{catt}"} {
			for k, v := range ids {
				p = strings.ReplaceAll(p, "{"+k+"}", itoa(v))
			}
			if res, _ := e.sessionFor("pilot@kleinbach.example").get(p); res.StatusCode != 404 {
				t.Errorf("Paula GET %s: %d, want 404", p, res.StatusCode)
			}
		}
	})
}

var (
	// layoutScript is the layout's one script element (htmx).
	layoutScript = regexp.MustCompile(`<script src="/static/vendor/htmx/htmx\.min\.js\?v=[0-9a-f]+" defer></script>`)
	executable   = []*regexp.Regexp{
		regexp.MustCompile(`(?i)<(script|iframe|svg|img|object|embed|style|math)\b`),
		regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`),
		regexp.MustCompile(`(?i)(href|src|action)\s*=\s*["']?\s*(javascript|data|vbscript):`),
	}
)

// badMarkup returns the executable markup in an HTML text.
func badMarkup(html string) []string {
	html = layoutScript.ReplaceAllString(html, "")
	var out []string
	for _, re := range executable {
		out = append(out, re.FindAllString(html, 3)...)
	}
	return out
}

// TestCommunityCarriesNoExecutableMarkup puts script in every field of
// the space (channel name and description, thread title, post bodies,
// report, hiding and suspension reasons) and checks every page and JSON
// answer that shows them.
func TestCommunityCarriesNoExecutableMarkup(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		if len(badMarkup(`<p onclick="x()">`)) == 0 || len(badMarkup(`<a href="javascript:x">`)) == 0 || len(badMarkup(`<img src=x>`)) == 0 {
			t.Fatal("the checker misses markup")
		}
		// Inline (in a paragraph) and as blocks of their own.
		const evil = `Hallo <script>alert(1)</script><img src=x onerror=alert(2)>"><svg onload=alert(3)> [klick](javascript:alert(4)) ` +
			`![bild](javascript:alert(5)) <a href="javascript:alert(6)">a</a> <iframe src="data:text/html,x"></iframe> {onmouseover=alert(7)} ` +
			`[ok](https://lotse.example) <JAVASCRIPT:alert(12)>` + "\n\n<script>alert(13)</script>\n\n<img src=x onerror=alert(14)>\n\n" +
			`[![x](https://lotse.example/x.png)](javascript:alert(15))`
		ids := map[string]int64{}
		communityMatrixFixture(t, e, ids)
		petra, lilly, niklas := e.apiAs("pruefung@staedtetag-bw.example"), e.apiAs("lilly@futurehausen.example"), e.apiAs("niklas@futurehausen.example")
		js := func(s string) string { b, _ := json.Marshal(s); return string(b) }
		res, body := petra.json("POST", "/api/v1/spaces/"+itoa(ids["space"])+"/channels", `{"name": `+js("Kanal <script>alert(8)</script>")+`, "description": `+js(evil)+`}`)
		expect(t, res, body, 201)
		ch := itoa(decode[struct{ ID int64 }](t, body).ID)
		res, body = lilly.json("POST", "/api/v1/channels/"+ch+"/threads", `{"title": `+js("Titel <img src=x onerror=alert(9)>")+`, "body": `+js(evil)+`}`)
		expect(t, res, body, 201)
		th := itoa(decode[struct{ ID int64 }](t, body).ID)
		res, body = niklas.json("POST", "/api/v1/threads/"+th+"/posts", `{"body": `+js(evil+" @Lilly Lotse")+`}`)
		expect(t, res, body, 201)
		post := itoa(decode[struct{ ID int64 }](t, body).ID)
		res, body = lilly.json("POST", "/api/v1/posts/"+post+"/report", `{"reason": `+js(evil)+`}`)
		expect(t, res, body, 201)
		res, body = petra.json("POST", "/api/v1/spaces/"+itoa(ids["space"])+"/suspensions",
			fmt.Sprintf(`{"person_id": %d, "days": 2, "reason": %s}`, e.person("niklas@futurehausen.example").ID, js(evil)))
		expect(t, res, body, 201)
		// A second reply (by Lilly) stays visible; Niklas's is hidden with a reason.
		res, body = lilly.json("POST", "/api/v1/threads/"+th+"/posts", `{"body": `+js(evil)+`}`)
		expect(t, res, body, 201)
		res, body = petra.json("POST", "/api/v1/posts/"+post+"/hide", `{"reason": `+js("Grund <script>alert(10)</script>")+`}`)
		expect(t, res, body, 200)
		if err := e.srv.app.Community.SetRules(e.actorCtx("pruefung@staedtetag-bw.example"), ids["space"], evil); err != nil {
			t.Fatal(err)
		}

		space := itoa(ids["space"])
		pages := []string{"/austausch", "/austausch/bereiche/" + space, "/austausch/kanaele/" + ch, "/austausch/themen/" + th,
			"/austausch/bereiche/" + space + "/suche?q=alert+klick", "/austausch/bereiche/" + space + "/moderation",
			"/austausch/bereiche/" + space + "/suche?q=" + url.QueryEscape("<script>alert(11)</script>")}
		for _, who := range []string{"pruefung@staedtetag-bw.example", "lilly@futurehausen.example"} {
			c := e.sessionFor(who)
			for _, p := range pages {
				res, body := c.get(p)
				if res.StatusCode != 200 && !(res.StatusCode == 403 && strings.HasSuffix(p, "/moderation")) {
					t.Errorf("%s GET %s: %d", who, p, res.StatusCode)
				}
				if bad := badMarkup(body); len(bad) > 0 {
					t.Errorf("%s GET %s carries executable markup: %q", who, p, bad)
				}
			}
		}
		// The moderator's thread page shows the hidden post's text, safely.
		_, body = e.sessionFor("pruefung@staedtetag-bw.example").get("/austausch/themen/" + th)
		if !strings.Contains(body, "klick") || !strings.Contains(body, `<a href="https://lotse.example" rel="nofollow ugc">ok</a>`) {
			t.Error("the posts' text and their safe links are missing from the thread page")
		}
		for _, p := range []string{"/api/v1/spaces", "/api/v1/spaces/" + space, "/api/v1/channels/" + ch + "/threads", "/api/v1/threads/" + th,
			"/api/v1/spaces/" + space + "/reports", "/api/v1/spaces/" + space + "/search?q=alert"} {
			res, body := petra.json("GET", p, "")
			expect(t, res, body, 200)
			if strings.ContainsAny(body, "<>") {
				t.Errorf("GET %s: JSON with unescaped < or >", p)
			}
			var v any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatal(err)
			}
			walkHTML(v, "", func(key, html string) {
				if bad := badMarkup(html); len(bad) > 0 {
					t.Errorf("GET %s: %s carries executable markup: %q", p, key, bad)
				}
			})
		}
	})
}

// walkHTML calls fn with every string of v under a key ending in "_html".
func walkHTML(v any, key string, fn func(key, html string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			walkHTML(e, k, fn)
		}
	case []any:
		for _, e := range x {
			walkHTML(e, key, fn)
		}
	case string:
		if strings.HasSuffix(key, "_html") {
			fn(key, x)
		}
	}
}

func TestCommunityAPIFollowsChannelsAndThreads(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ids := map[string]int64{}
		communityMatrixFixture(t, e, ids)
		niklas, paula := e.apiAs("niklas@futurehausen.example"), e.apiAs("pilot@kleinbach.example")
		following := func(path string) bool {
			res, body := niklas.json("GET", path, "")
			expect(t, res, body, 200)
			return decode[struct {
				Following bool `json:"following"`
			}](t, body).Following
		}
		channel := fmt.Sprintf("/api/v1/channels/%d", ids["channel"])
		if following(channel + "/threads") {
			t.Fatal("Niklas follows the channel before he asked to")
		}
		for range 2 { // idempotent
			res, body := niklas.json("PUT", channel+"/follow", "")
			expect(t, res, body, 204)
		}
		if !following(channel + "/threads") {
			t.Error("after PUT the channel is not followed")
		}
		res, body := niklas.json("DELETE", channel+"/follow", "")
		expect(t, res, body, 204)
		if following(channel + "/threads") {
			t.Error("after DELETE the channel is still followed")
		}
		// Niklas replied in the thread, so he follows it; he stops.
		thread := fmt.Sprintf("/api/v1/threads/%d", ids["thread"])
		if !following(thread) {
			t.Error("the author of a reply does not follow the thread")
		}
		res, body = niklas.json("DELETE", thread+"/follow", "")
		expect(t, res, body, 204)
		if following(thread) {
			t.Error("after DELETE the thread is still followed")
		}
		// To Paula, of a Gemeindetag municipality, neither exists.
		for _, p := range []string{channel + "/follow", thread + "/follow"} {
			res, body := paula.json("PUT", p, "")
			expect(t, res, body, 404)
		}
	})
}

func TestCommunityModeratorLiftsASuspensionEarly(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ids := map[string]int64{}
		communityMatrixFixture(t, e, ids)
		petra, niklas, paula := e.apiAs("pruefung@staedtetag-bw.example"), e.apiAs("niklas@futurehausen.example"), e.apiAs("pilot@kleinbach.example")
		res, body := petra.json("POST", fmt.Sprintf("/api/v1/spaces/%d/suspensions", ids["space"]),
			fmt.Sprintf(`{"person_id": %d, "days": 7, "reason": "Ton"}`, e.person("niklas@futurehausen.example").ID))
		expect(t, res, body, 201)
		sus := decode[struct{ ID int64 }](t, body).ID
		reply := fmt.Sprintf("/api/v1/threads/%d/posts", ids["thread"])
		if res, body := niklas.json("POST", reply, `{"body":"Noch eine Frage"}`); res.StatusCode != 403 || !strings.Contains(body, "vom Schreiben in diesem Austausch ausgeschlossen") {
			t.Fatalf("a suspended member replies: %d %s", res.StatusCode, body)
		}
		// Not for members of other spaces, nor for the suspended person.
		for _, c := range []*client{paula, niklas} {
			if res, _ := c.json("DELETE", fmt.Sprintf("/api/v1/suspensions/%d", sus), ""); res.StatusCode != 404 {
				t.Errorf("lift by a non-moderator: %d", res.StatusCode)
			}
		}
		for range 2 { // the second time changes nothing
			res, body = petra.json("DELETE", fmt.Sprintf("/api/v1/suspensions/%d", sus), "")
			expect(t, res, body, 204)
		}
		// A suspension that does not exist is not found, for anybody.
		for _, c := range []*client{petra, paula} {
			res, body := c.json("DELETE", fmt.Sprintf("/api/v1/suspensions/%d", sus+1000), "")
			expect(t, res, body, 404)
		}
		res, body = niklas.json("POST", reply, `{"body": "Noch eine Frage"}`)
		expect(t, res, body, 201)
		// The moderation page no longer lists it; the audit log has it once.
		_, page := e.sessionFor("pruefung@staedtetag-bw.example").get(fmt.Sprintf("/austausch/bereiche/%d/moderation", ids["space"]))
		if strings.Contains(page, "Ton</td>") {
			t.Error("the lifted suspension is still listed")
		}
		entries, n, err := e.db.Audit(context.Background(), domain.AuditFilter{Action: "community.unsuspend", Limit: 10})
		if err != nil || n != 1 || len(entries) != 1 {
			t.Errorf("audit entries of the lift: %d %v", n, err)
		}
	})
}

func TestCommunityAPITakesAttachmentsCheckedByContent(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		ids := map[string]int64{}
		communityMatrixFixture(t, e, ids)
		niklas := e.apiAs("niklas@futurehausen.example")
		multipart := func(path string, fields map[string]string, name string, content []byte) (*http.Response, string) {
			var buf bytes.Buffer
			mw := mpart.NewWriter(&buf)
			for k, v := range fields {
				mw.WriteField(k, v)
			}
			fw, _ := mw.CreateFormFile("files", name)
			fw.Write(content)
			mw.Close()
			res := niklas.do("POST", path, mw.FormDataContentType(), &buf)
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			return res, string(body)
		}
		var img bytes.Buffer
		png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 3, 3)))
		reply := fmt.Sprintf("/api/v1/threads/%d/posts", ids["thread"])
		// Text that calls itself a PNG is refused at the field, nothing written.
		res, body := multipart(reply, map[string]string{"body": "Hier die Skizze"}, "skizze.png", []byte("<script>alert(1)</script>"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"files"`) {
			t.Fatalf("a fake PNG: %d %s", res.StatusCode, body)
		}
		res, body = multipart(reply, map[string]string{"body": "Hier die Skizze"}, "skizze.png", img.Bytes())
		expect(t, res, body, 201)
		res, body = niklas.json("GET", fmt.Sprintf("/api/v1/threads/%d", ids["thread"]), "")
		expect(t, res, body, 200)
		posts := decode[struct {
			Posts []struct {
				Body  string `json:"body"`
				Files []struct {
					Name string `json:"name"`
				} `json:"attachments"`
			} `json:"posts"`
		}](t, body).Posts
		last := posts[len(posts)-1]
		if last.Body != "Hier die Skizze" || len(last.Files) != 1 || posts[len(posts)-2].Body == "Hier die Skizze" {
			t.Errorf("posts after the upload: %+v", posts)
		}
		// A new thread with a PDF.
		res, body = multipart(fmt.Sprintf("/api/v1/channels/%d/threads", ids["channel"]), map[string]string{"title": "Vorlage Dienstvereinbarung", "body": "Anbei"},
			"vorlage.pdf", []byte("%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"))
		expect(t, res, body, 201)
	})
}
