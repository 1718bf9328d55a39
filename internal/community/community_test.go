package community_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/community"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	lilly  = "lilly@futurehausen.example"
	niklas = "niklas@futurehausen.example"
	petra  = "pruefung@staedtetag-bw.example"
	paula  = "pilot@kleinbach.example"
	vera   = "kurse@vwa-bw.example"
	admin  = "admin@lotse.example"
)

func setup(t *testing.T, db *store.DB) *app.App {
	t.Helper()
	if _, err := demo.Load(context.Background(), db, demo.DefaultPassword); err != nil {
		t.Fatal(err)
	}
	return app.New(db, storetest.BaseURL, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

func as(t *testing.T, db *store.DB, email string) context.Context {
	t.Helper()
	ctx := context.Background()
	p, err := db.PersonByEmail(ctx, email)
	if err != nil {
		t.Fatal(err)
	}
	ms, err := db.Memberships(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return domain.WithActor(ctx, &domain.Actor{Person: p, Memberships: ms})
}

// spaceOf returns the ID of the space of the association named.
func spaceOf(t *testing.T, c *community.Service, ctx context.Context, name string) int64 {
	t.Helper()
	vs, err := c.MySpaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		if v.Space.AssociationName == name {
			return v.Space.ID
		}
	}
	t.Fatalf("no space %q among %d", name, len(vs))
	return 0
}

// TestSpaceIsolationAndStory: Lilly starts a thread in the Städtetag's
// space, Niklas replies and mentions her (she gets a mail), Niklas
// reports a post, the moderator hides it; Paula of a Gemeindetag
// municipality and a provider find nothing of it.
func TestSpaceIsolationAndStory(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		c := a.Community
		lc, nc, pc, qc, vc := as(t, db, lilly), as(t, db, niklas), as(t, db, petra), as(t, db, paula), as(t, db, vera)
		st := spaceOf(t, c, pc, "Städtetag Baden-Württemberg")
		if got := spaceOf(t, c, lc, "Städtetag Baden-Württemberg"); got != st {
			t.Fatalf("Lilly's space %d, Petra's %d", got, st)
		}
		if vs, _ := c.MySpaces(qc); len(vs) != 1 || vs[0].Space.AssociationName != "Gemeindetag Baden-Württemberg" {
			t.Fatalf("Paula's spaces: %+v", vs)
		}
		if vs, _ := c.MySpaces(vc); len(vs) != 0 {
			t.Fatalf("a provider belongs to %d spaces", len(vs))
		}
		if _, err := c.CreateChannel(lc, st, domain.Channel{Name: "KI"}); domain.ErrorCode(err) != domain.EForbidden {
			t.Fatalf("a member creates a channel: %v", err)
		}
		ch, err := c.CreateChannel(pc, st, domain.Channel{Name: "KI", Description: "Künstliche Intelligenz in der Verwaltung"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateChannel(pc, st, domain.Channel{Name: "KI"}); domain.ErrorCode(err) != domain.EConflict {
			t.Fatalf("a second channel of the same name: %v", err)
		}
		th, err := c.CreateThread(lc, ch.ID, community.NewThread{Title: "Chatbot im Bürgerbüro", Body: "Wer hat Erfahrungen mit **Chatbots** für Bürgeranfragen?"})
		if err != nil {
			t.Fatal(err)
		}
		if sv, err := c.Space(lc, st); err != nil || len(sv.Channels) != 1 || sv.Channels[0].Threads != 1 {
			t.Errorf("the space page counts the channel's threads: %+v, %v", sv, err)
		}
		if _, err := c.CreateThread(lc, ch.ID, community.NewThread{Title: " ", Body: ""}); domain.ErrorCode(err) != domain.EInvalid ||
			len(domain.ErrorFields(err)) != 2 {
			t.Fatalf("empty thread: %v", err)
		}
		reply, err := c.Reply(nc, th.ID, "Wir testen gerade einen, @Lilly Lotse. Die Digitalisierung der Anfragen spart viel Zeit.", nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(reply.Mentions) != 1 || reply.Mentions[0] != "Lilly Lotse" {
			t.Errorf("mentions %v", reply.Mentions)
		}
		m := storetest.LastMail(t, db, lilly)
		if !strings.Contains(m.Subject, "Niklas Neumann hat Sie im Austausch erwähnt") || !strings.Contains(m.Body, "/austausch/themen/") {
			t.Errorf("mention mail: %s\n%s", m.Subject, m.Body)
		}
		// Isolation: every way in is "not found" for Paula and Vera.
		for name, ctx := range map[string]context.Context{"Paula": qc, "Vera": vc} {
			for what, err := range map[string]error{
				"space":   second(c.Space(ctx, st)),
				"channel": second(c.Channel(ctx, ch.ID, 0)),
				"thread":  second(c.Thread(ctx, th.ID, 0)),
				"reply":   second(c.Reply(ctx, th.ID, "Hallo", nil)),
				"new":     second(c.CreateThread(ctx, ch.ID, community.NewThread{Title: "x", Body: "y"})),
				"report":  second(c.ReportPost(ctx, reply.ID, "Spam")),
				"search":  second(c.Search(ctx, st, "Chatbot")),
				"hide":    c.HidePost(ctx, reply.ID, ""),
				"follow":  c.Follow(ctx, domain.FollowThread, th.ID, true),
				"suspend": second(c.Suspend(ctx, st, 1, 3, "x")),
			} {
				if domain.ErrorCode(err) != domain.ENotFound {
					t.Errorf("%s %s: %v, want not found", name, what, err)
				}
			}
		}
		if _, err := c.Space(context.Background(), st); domain.ErrorCode(err) != domain.EUnauthorized {
			t.Errorf("anonymous: %v", err)
		}
		// Search: German stemming finds "Digitalisierung" by "digitale".
		sv, err := c.Search(lc, st, "digitale Anfragen")
		if err != nil || len(sv.Hits) != 1 || sv.Hits[0].Post.ID != reply.ID || sv.Hits[0].Thread.Title != "Chatbot im Bürgerbüro" {
			t.Fatalf("search: %+v, %v", sv, err)
		}
		if sv, _ := c.Search(lc, st, "Bürgerbüro"); len(sv.Hits) != 1 {
			t.Errorf("the title is searchable through the opening post: %d hits", len(sv.Hits))
		}
		// Report, moderation, hiding.
		if _, err := c.ReportPost(lc, reply.ID, ""); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("report without reason: %v", err)
		}
		if _, err := c.ReportPost(lc, reply.ID, "Werbung für ein Produkt"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.ReportPost(lc, reply.ID, "noch einmal"); domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("second report: %v", err)
		}
		if _, err := c.Moderation(lc, st); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("a member opens the moderation: %v", err)
		}
		mv, err := c.Moderation(pc, st)
		if err != nil || len(mv.Reports) != 1 || mv.Reports[0].Reason != "Werbung für ein Produkt" {
			t.Fatalf("moderation: %+v, %v", mv, err)
		}
		if err := c.HidePost(lc, reply.ID, ""); domain.ErrorCode(err) != domain.EForbidden {
			t.Errorf("a member hides: %v", err)
		}
		if err := c.HidePost(pc, reply.ID, ""); err != nil {
			t.Fatal(err)
		}
		tv, err := c.Thread(lc, th.ID, 0)
		if err != nil || len(tv.Posts) != 2 || !tv.Posts[1].Hidden || tv.Posts[1].Body != "" || !tv.Posts[0].Opening {
			t.Fatalf("member's view of the hidden post: %+v, %v", tv, err)
		}
		tv, _ = c.Thread(pc, th.ID, 0)
		if !tv.Posts[1].Hidden || tv.Posts[1].Body == "" {
			t.Errorf("the moderator reads the hidden post's text")
		}
		if sv, _ := c.Search(lc, st, "digitale"); len(sv.Hits) != 0 {
			t.Errorf("a member finds the hidden post")
		}
		if sv, _ := c.Search(pc, st, "digitale"); len(sv.Hits) != 1 {
			t.Errorf("the moderator finds the hidden post")
		}
		if mv, _ := c.Moderation(pc, st); len(mv.Reports) != 0 {
			t.Errorf("hiding resolves the report: %d open", len(mv.Reports))
		}
		if err := c.RestorePost(pc, reply.ID); err != nil {
			t.Fatal(err)
		}
		if tv, _ := c.Thread(lc, th.ID, 0); tv.Posts[1].Hidden {
			t.Error("restored post still hidden")
		}
		// Lock and suspension.
		if _, err := c.LockThread(pc, th.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Reply(lc, th.ID, "Noch etwas", nil); err != domain.ErrThreadLocked && domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("reply to a locked thread: %v", err)
		}
		if _, err := c.LockThread(pc, th.ID, false); err != nil {
			t.Fatal(err)
		}
		nid := domain.ActorFrom(nc).PersonID()
		if _, err := c.Suspend(pc, st, nid, 0, ""); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("suspension without days and reason: %v", err)
		}
		if _, err := c.Suspend(pc, st, domain.ActorFrom(vc).PersonID(), 3, "Test"); domain.ErrorCode(err) != domain.EInvalid {
			t.Errorf("suspending a non-member: %v", err)
		}
		if _, err := c.Suspend(pc, st, nid, 3, "Wiederholte Werbung"); err != nil {
			t.Fatal(err)
		}
		_, err = c.Reply(nc, th.ID, "Darf ich noch?", nil)
		if domain.ErrorCode(err) != domain.EForbidden || !strings.Contains(domain.ErrorMessage(err), "vom Schreiben in diesem Austausch ausgeschlossen") {
			t.Errorf("suspended member replies: %v", err)
		}
		if _, err := c.Thread(nc, th.ID, 0); err != nil {
			t.Errorf("a suspended member still reads: %v", err)
		}
		// Every moderation step is in the audit log.
		es, _, err := db.Audit(context.Background(), domain.AuditFilter{OrgID: mv.Space.AssociationID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, e := range es {
			got[e.Action] = true
		}
		for _, want := range []string{"community.channel_create", "community.report", "community.post_hide", "community.post_restore",
			"community.thread_lock", "community.thread_unlock", "community.suspend"} {
			if !got[want] {
				t.Errorf("audit log lacks %s", want)
			}
		}
	})
}

func second[T any](_ T, err error) error { return err }

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAttachmentsAreCheckedAndServedToMembers(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		a := setup(t, db)
		c := a.Community
		lc, pc, qc := as(t, db, lilly), as(t, db, petra), as(t, db, paula)
		st := spaceOf(t, c, pc, "Städtetag Baden-Württemberg")
		ch, err := c.CreateChannel(pc, st, domain.Channel{Name: "Allgemein"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.CreateThread(lc, ch.ID, community.NewThread{Title: "Plan", Body: "Anbei", Files: []community.Upload{{Name: "x.pdf", Content: []byte("<html>")}}})
		if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorFields(err)["files"], "weder ein PDF-Dokument noch ein Bild") {
			t.Fatalf("html as pdf: %v", err)
		}
		th, err := c.CreateThread(lc, ch.ID, community.NewThread{Title: "Plan", Body: "Anbei", Files: []community.Upload{{Name: "../plan", Content: pngBytes(t)}}})
		if err != nil {
			t.Fatal(err)
		}
		tv, err := c.Thread(lc, th.ID, 0)
		if err != nil || len(tv.Posts[0].Files) != 1 || tv.Posts[0].Files[0].Name != "plan.png" || tv.Posts[0].Files[0].MediaType != "image/png" {
			t.Fatalf("attachment: %+v, %v", tv.Posts[0].Files, err)
		}
		id := tv.Posts[0].Files[0].ID
		d, rc, err := c.Attachment(lc, id)
		if err != nil || d.MediaType != "image/png" {
			t.Fatalf("member reads attachment: %v", err)
		}
		rc.Close()
		if _, _, err := c.Attachment(qc, id); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("non-member reads attachment: %v", err)
		}
	})
}

// TestDigestsAreSentOnceAndUnsubscribe: Lilly follows a channel and gets
// a weekly digest of Niklas's new thread once, not again; the link in the
// mail turns her mails off.
func TestDigestsAreSentOnceAndUnsubscribe(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		travel := storetest.Freeze(db)
		a := setup(t, db)
		c := a.Community
		lc, nc, pc := as(t, db, lilly), as(t, db, niklas), as(t, db, petra)
		st := spaceOf(t, c, pc, "Städtetag Baden-Württemberg")
		ch, err := c.CreateChannel(pc, st, domain.Channel{Name: "OZG-Umsetzung"})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Follow(lc, domain.FollowChannel, ch.ID, true); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateThread(nc, ch.ID, community.NewThread{Title: "Wohngeld online", Body: "Wie weit sind Sie?"}); err != nil {
			t.Fatal(err)
		}
		if n, err := c.SendDigests(context.Background()); err != nil || n != 0 {
			t.Fatalf("digest before its time: %d, %v", n, err)
		}
		travel(7*24*time.Hour + time.Minute)
		n, err := c.SendDigests(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("digests: %d, %v", n, err)
		}
		m := storetest.LastMail(t, db, lilly)
		if !strings.Contains(m.Subject, "wöchentliche Zusammenfassung") || !strings.Contains(m.Body, "Wohngeld online") {
			t.Errorf("digest: %s\n%s", m.Subject, m.Body)
		}
		travel(7*24*time.Hour + time.Minute)
		if n, _ := c.SendDigests(context.Background()); n != 0 {
			t.Errorf("nothing new, yet %d digests", n)
		}
		token := storetest.LinkToken(t, m.Body, "/austausch/abmelden/")
		if name, err := c.UnsubscribeSpace(context.Background(), token); err != nil || name != "Städtetag Baden-Württemberg" {
			t.Fatalf("unsubscribe page: %q, %v", name, err)
		}
		if _, err := c.Unsubscribe(context.Background(), token); err != nil {
			t.Fatal(err)
		}
		if _, p, _ := c.Prefs(lc, st); p.Digest != domain.DigestNone || p.MentionMail {
			t.Errorf("after unsubscribing: %+v", p)
		}
		if _, err := c.Unsubscribe(context.Background(), "nicht-vorhanden-aber-lang-genug"); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("unknown token: %v", err)
		}
		before := len(storetest.Mails(t, db))
		if _, err := c.Reply(nc, firstThread(t, c, nc, ch.ID), "Danke @Lilly Lotse", nil); err != nil {
			t.Fatal(err)
		}
		if len(storetest.Mails(t, db)) != before {
			t.Error("a mention mail after unsubscribing")
		}
	})
}

func firstThread(t *testing.T, c *community.Service, ctx context.Context, channel int64) int64 {
	v, err := c.Channel(ctx, channel, 0)
	if err != nil || len(v.Threads) == 0 {
		t.Fatal(err)
	}
	return v.Threads[0].ID
}
