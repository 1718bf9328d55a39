package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// pilots + community: a project brief is discussed in the members' space.

func TestProjectBriefIsDiscussedInTheMembersSpace(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		pilotsStory(t, e)
		lilly := e.sessionFor("lilly@futurehausen.example")
		var briefs struct {
			Items []struct {
				ID            int64  `json:"id"`
				Title         string `json:"title"`
				Status        string `json:"status"`
				DiscussionURL string `json:"discussion_url"`
			} `json:"items"`
		}
		_, raw := lilly.json("GET", "/api/v1/project-briefs?mine=true", "")
		if err := json.Unmarshal([]byte(raw), &briefs); err != nil || len(briefs.Items) == 0 || briefs.Items[0].Status != "published" {
			t.Fatalf("Lilly's briefs: %s", raw)
		}
		brief := briefs.Items[0]
		var spaces struct {
			Items []struct {
				AssociationName string `json:"association_name"`
				Channels        []struct {
					ID   int64  `json:"id"`
					Name string `json:"name"`
				} `json:"channels"`
			} `json:"items"`
		}
		_, raw = lilly.json("GET", "/api/v1/spaces", "")
		if err := json.Unmarshal([]byte(raw), &spaces); err != nil || len(spaces.Items) != 1 || len(spaces.Items[0].Channels) == 0 {
			t.Fatalf("Lilly's spaces: %s", raw)
		}
		channel := spaces.Items[0].Channels[0]

		// The author's page offers the channels; others' pages do not.
		briefPath := fmt.Sprintf("/lotsen/projekte/%d", brief.ID)
		if _, body := lilly.get(briefPath); !strings.Contains(body, "Im Austausch zur Diskussion stellen") ||
			!strings.Contains(body, spaces.Items[0].AssociationName+": "+channel.Name) {
			t.Fatalf("Lilly's brief page has no discussion form:\n%.3000s", body)
		}
		paula := e.sessionFor("pilot@kleinbach.example")
		if _, body := paula.get(briefPath); strings.Contains(body, "Zur Diskussion stellen") {
			t.Error("Paula is offered to put Lilly's brief up for discussion")
		}
		// Without a channel: a message at the field, nothing written.
		res, body := lilly.postFormBody(briefPath+"/austausch", url.Values{"kanal": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="f-kanal-error"`) {
			t.Fatalf("without a channel: %d", res.StatusCode)
		}
		res, raw = lilly.json("POST", fmt.Sprintf("/api/v1/project-briefs/%d/discussion", brief.ID), `{}`)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(raw, `"channel"`) {
			t.Fatalf("API without a channel: %d %s", res.StatusCode, raw)
		}
		// Paula may not put Lilly's brief up, nor into a space she does not belong to.
		if res, _ := paula.json("POST", fmt.Sprintf("/api/v1/project-briefs/%d/discussion", brief.ID), fmt.Sprintf(`{"channel": %d}`, channel.ID)); res.StatusCode != http.StatusForbidden {
			t.Errorf("Paula discusses Lilly's brief: %d", res.StatusCode)
		}

		res = lilly.postForm(briefPath+"/austausch", url.Values{"kanal": {itoa(channel.ID)}})
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/austausch/themen/") {
			t.Fatalf("discuss: %d %q", res.StatusCode, loc)
		}
		_, thread := lilly.get(loc)
		if !strings.Contains(thread, "Projektsteckbrief: "+brief.Title) || !strings.Contains(thread, `href="`+briefPath+`"`) {
			t.Errorf("the thread does not open with the brief and its link:\n%.4000s", thread)
		}
		// The brief links to the thread; a second try keeps the one thread.
		_, raw = lilly.json("POST", fmt.Sprintf("/api/v1/project-briefs/%d/discussion", brief.ID), fmt.Sprintf(`{"channel": %d}`, channel.ID))
		var after struct {
			DiscussionURL string `json:"discussion_url"`
		}
		if err := json.Unmarshal([]byte(raw), &after); err != nil || after.DiscussionURL != loc {
			t.Errorf("brief after discussing: %s", raw)
		}
		if _, body := paula.get(briefPath); !strings.Contains(body, `href="`+loc+`"`) {
			t.Error("the brief page does not link to its thread")
		}
		// Paula, of a Gemeindetag municipality, does not see the Städtetag's thread.
		if res, _ := paula.get(loc); res.StatusCode != http.StatusNotFound {
			t.Errorf("Paula opens the Städtetag's thread: %d", res.StatusCode)
		}
	})
}
