package web

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"net/url"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/community"
	"github.com/lotse-oss/lotse/internal/domain"
)

// community: who may use the members' space. The Städtetag's space: its
// people and the staff of its member Futurehausen read and write, its
// moderator (the reviewer Petra) and admins moderate; Kleinbach's account
// admin (a Gemeindetag municipality), providers and the funder get 404.
const (
	spaceMembers    audience = iota + 1400 // Futurehausen's staff, the Städtetag's people, admins
	spaceModerators                        // the Städtetag's moderator, admins
)

func init() {
	for _, r := range matrixRoles {
		r.in[spaceMembers] = r.in[fhMembers] || r.in[staedtetagReviewer]
		r.in[spaceModerators] = r.in[adminsOnly] || r.in[staedtetagReviewer]
	}
	long := strings.Repeat("x", 1001)
	matrixCases = append(matrixCases,
		matrixCase{pattern: "GET /austausch", path: "/austausch", who: loggedIn},
		matrixCase{pattern: "GET /austausch/bereiche/{id}", path: "/austausch/bereiche/{space}", who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /austausch/bereiche/{id}/kanaele", path: "/austausch/bereiche/{space}/kanaele", form: url.Values{"name": {""}},
			who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /austausch/bereiche/{id}/regeln", path: "/austausch/bereiche/{space}/regeln", form: url.Values{"rules": {""}},
			who: spaceModerators, hidden: true},
		matrixCase{pattern: "GET /austausch/bereiche/{id}/suche", path: "/austausch/bereiche/{space}/suche?q=Chatbot", who: spaceMembers, hidden: true},
		matrixCase{pattern: "GET /austausch/bereiche/{id}/moderation", path: "/austausch/bereiche/{space}/moderation", who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /austausch/bereiche/{id}/sperren", path: "/austausch/bereiche/{space}/sperren", form: url.Values{"days": {"0"}},
			who: spaceModerators, hidden: true},
		matrixCase{pattern: "GET /austausch/bereiche/{id}/benachrichtigungen", path: "/austausch/bereiche/{space}/benachrichtigungen", who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /austausch/bereiche/{id}/benachrichtigungen", path: "/austausch/bereiche/{space}/benachrichtigungen",
			form: url.Values{"digest": {"stündlich"}}, who: spaceMembers, hidden: true},
		matrixCase{pattern: "GET /austausch/kanaele/{id}", path: "/austausch/kanaele/{channel}", who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /austausch/kanaele/{id}/themen", path: "/austausch/kanaele/{channel}/themen", form: url.Values{"title": {""}},
			who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /austausch/kanaele/{id}/folgen", path: "/austausch/kanaele/{channel}/folgen", form: url.Values{"folgen": {"0"}},
			who: spaceMembers, hidden: true},
		matrixCase{pattern: "GET /austausch/themen/{id}", path: "/austausch/themen/{thread}", who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /austausch/themen/{id}/antworten", path: "/austausch/themen/{thread}/antworten", form: url.Values{"body": {""}},
			who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /austausch/themen/{id}/folgen", path: "/austausch/themen/{thread}/folgen", form: url.Values{"folgen": {"0"}},
			who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /austausch/themen/{id}/schliessen", path: "/austausch/themen/{thread}/schliessen", form: url.Values{"schliessen": {"0"}},
			who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /austausch/beitraege/{id}/melden", path: "/austausch/beitraege/{post}/melden", form: url.Values{"reason": {""}},
			who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /austausch/beitraege/{id}/ausblenden", path: "/austausch/beitraege/{post}/ausblenden", form: url.Values{"reason": {long}},
			who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /austausch/beitraege/{id}/einblenden", path: "/austausch/beitraege/{post}/einblenden", form: url.Values{},
			who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /austausch/meldungen/{id}/erledigt", path: "/austausch/meldungen/{report}/erledigt", form: url.Values{"space": {"0"}},
			who: spaceModerators, hidden: true},
		matrixCase{pattern: "GET /austausch/anhaenge/{id}", path: "/austausch/anhaenge/{catt}", who: spaceMembers, hidden: true},
		matrixCase{pattern: "GET /austausch/abmelden/{token}", path: "/austausch/abmelden/unbekannt-aber-lang-genug-1234", who: everyone},
		matrixCase{pattern: "POST /austausch/abmelden/{token}", path: "/austausch/abmelden/unbekannt-aber-lang-genug-1234", form: url.Values{}, who: everyone},

		matrixCase{pattern: "GET /api/v1/spaces", path: "/api/v1/spaces", who: loggedIn},
		matrixCase{pattern: "GET /api/v1/spaces/{id}", path: "/api/v1/spaces/{space}", who: spaceMembers, hidden: true},
		matrixCase{pattern: "GET /api/v1/spaces/{id}/channels", path: "/api/v1/spaces/{space}/channels", who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /api/v1/spaces/{id}/channels", path: "/api/v1/spaces/{space}/channels", json: `{"name": ""}`, who: spaceModerators, hidden: true},
		matrixCase{pattern: "GET /api/v1/spaces/{id}/search", path: "/api/v1/spaces/{space}/search?q=Chatbot", who: spaceMembers, hidden: true},
		matrixCase{pattern: "GET /api/v1/spaces/{id}/reports", path: "/api/v1/spaces/{space}/reports", who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /api/v1/spaces/{id}/suspensions", path: "/api/v1/spaces/{space}/suspensions", json: `{"person_id": 0, "days": 0}`,
			who: spaceModerators, hidden: true},
		matrixCase{pattern: "GET /api/v1/spaces/{id}/notifications", path: "/api/v1/spaces/{space}/notifications", who: spaceMembers, hidden: true},
		matrixCase{pattern: "PUT /api/v1/spaces/{id}/notifications", path: "/api/v1/spaces/{space}/notifications", json: `{"digest": "x"}`,
			who: spaceMembers, hidden: true},
		matrixCase{pattern: "GET /api/v1/channels/{id}/threads", path: "/api/v1/channels/{channel}/threads", who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /api/v1/channels/{id}/threads", path: "/api/v1/channels/{channel}/threads", json: `{"title": ""}`, who: spaceMembers, hidden: true},
		matrixCase{pattern: "GET /api/v1/threads/{id}", path: "/api/v1/threads/{thread}", who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /api/v1/threads/{id}/posts", path: "/api/v1/threads/{thread}/posts", json: `{"body": ""}`, who: spaceMembers, hidden: true},
		matrixCase{pattern: "PUT /api/v1/channels/{id}/follow", path: "/api/v1/channels/{channel}/follow", json: `{}`, who: spaceMembers, hidden: true},
		matrixCase{pattern: "DELETE /api/v1/channels/{id}/follow", path: "/api/v1/channels/{channel}/follow", who: spaceMembers, hidden: true},
		matrixCase{pattern: "PUT /api/v1/threads/{id}/follow", path: "/api/v1/threads/{thread}/follow", json: `{}`, who: spaceMembers, hidden: true},
		matrixCase{pattern: "DELETE /api/v1/threads/{id}/follow", path: "/api/v1/threads/{thread}/follow", who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /api/v1/threads/{id}/lock", path: "/api/v1/threads/{thread}/lock", json: `{}`, who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /api/v1/threads/{id}/unlock", path: "/api/v1/threads/{thread}/unlock", json: `{}`, who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /api/v1/posts/{id}/report", path: "/api/v1/posts/{post}/report", json: `{"reason": ""}`, who: spaceMembers, hidden: true},
		matrixCase{pattern: "POST /api/v1/posts/{id}/hide", path: "/api/v1/posts/{post}/hide", json: `{"reason": "` + long + `"}`, who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /api/v1/posts/{id}/restore", path: "/api/v1/posts/{post}/restore", json: `{}`, who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /api/v1/reports/{id}/dismiss", path: "/api/v1/reports/{report}/dismiss", json: `{}`, who: spaceModerators, hidden: true},
		matrixCase{pattern: "DELETE /api/v1/suspensions/{id}", path: "/api/v1/suspensions/{suspension}", who: spaceModerators, hidden: true},
		matrixCase{pattern: "POST /austausch/sperren/{id}/aufheben", path: "/austausch/sperren/{suspension}/aufheben", form: url.Values{"space": {"0"}},
			who: spaceModerators, hidden: true},
	)
}

// communityMatrixFixture makes the Städtetag's space with a channel, a
// thread with an attachment, a reply and an open report of it.
func communityMatrixFixture(t *testing.T, e *testEnv, ids map[string]int64) {
	t.Helper()
	c := e.srv.app.Community
	petra, lilly, niklas := e.actorCtx("pruefung@staedtetag-bw.example"), e.actorCtx("lilly@futurehausen.example"), e.actorCtx("niklas@futurehausen.example")
	vs, err := c.MySpaces(petra)
	if err != nil || len(vs) != 1 {
		t.Fatalf("Petra's spaces: %d, %v", len(vs), err)
	}
	ch, err := c.CreateChannel(petra, vs[0].Space.ID, domain.Channel{Name: "KI"})
	if err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	png.Encode(&img, image.NewRGBA(image.Rect(0, 0, 2, 2)))
	th, err := c.CreateThread(lilly, ch.ID, community.NewThread{Title: "Chatbot im Bürgerbüro", Body: "Wer hat Erfahrungen?",
		Files: []community.Upload{{Name: "skizze.png", Content: img.Bytes()}}})
	if err != nil {
		t.Fatal(err)
	}
	reply, err := c.Reply(niklas, th.ID, "Wir testen einen Chatbot.", nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := c.ReportPost(lilly, reply.ID, "Bitte prüfen")
	if err != nil {
		t.Fatal(err)
	}
	tv, err := c.Thread(lilly, th.ID, 0)
	if err != nil || len(tv.Posts[0].Files) != 1 {
		t.Fatalf("attachment: %v", err)
	}
	ids["space"], ids["channel"], ids["thread"], ids["post"], ids["report"], ids["catt"] = vs[0].Space.ID, ch.ID, th.ID, reply.ID, rep.ID, tv.Posts[0].Files[0].ID
	// A colleague outside the matrix's roles is suspended, so lifting it is
	// a real request (and idempotent for the next role).
	colleague := &domain.Person{Email: "kollegin@futurehausen.example", Name: "Karla Kollegin"}
	if err := e.db.CreatePerson(context.Background(), colleague, testPassword); err != nil {
		t.Fatal(err)
	}
	if err := e.db.SetRoles(context.Background(), e.orgByName("Stadt Futurehausen").ID, colleague.ID, []domain.Role{domain.RoleParticipant}); err != nil {
		t.Fatal(err)
	}
	sus, err := c.Suspend(petra, vs[0].Space.ID, colleague.ID, 3, "Werbung")
	if err != nil {
		t.Fatal(err)
	}
	ids["suspension"] = sus.ID
}
