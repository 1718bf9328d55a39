package web

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/community"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/markdown"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// community: the members' space in JSON. Texts come as written ("body",
// Markdown) and as the safe HTML the pages show ("body_html"). Whoever is
// not a member of a space gets 404 for all of it.

type rightsJSON struct {
	Write          bool   `json:"write"`
	Moderate       bool   `json:"moderate"`
	Channels       bool   `json:"channels"`
	SuspendedUntil string `json:"suspended_until,omitempty"`
}

func rightsOf(r community.Rights) rightsJSON {
	out := rightsJSON{Write: r.Write, Moderate: r.Moderate, Channels: r.Channels}
	if r.Suspended != nil {
		out.SuspendedUntil = r.Suspended.Format("2006-01-02T15:04:05Z07:00")
	}
	return out
}

type spaceJSON struct {
	*domain.Space
	RulesHTML template.HTML    `json:"rules_html"`
	Channels  []domain.Channel `json:"channels"`
	Rights    rightsJSON       `json:"rights"`
}

func spaceOut(v *community.SpaceView) spaceJSON {
	return spaceJSON{Space: v.Space, RulesHTML: markdown.Render(v.Space.Rules, nil), Channels: v.Channels, Rights: rightsOf(v.Rights)}
}

type postJSON struct {
	domain.Post
	BodyHTML template.HTML `json:"body_html"`
	Notice   string        `json:"notice,omitempty"`
}

func postOut(p domain.Post) postJSON {
	out := postJSON{Post: p, BodyHTML: markdown.Render(p.Body, p.Mentions)}
	if p.Hidden {
		out.Notice = domain.HiddenPostNotice
	}
	return out
}

func (s *Server) apiSpaces(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.app.Community.MySpaces(r.Context())
	if err != nil {
		return err
	}
	out := make([]spaceJSON, 0, len(vs))
	for i := range vs {
		out = append(out, spaceOut(&vs[i]))
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(out, len(out), 1))
}

func (s *Server) apiSpace(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Community.Space(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, spaceOut(v))
}

func (s *Server) apiChannels(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Community.Space(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, httpx.NewList(v.Channels, len(v.Channels), 1))
}

func (s *Server) apiChannelCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	c, err := s.app.Community.CreateChannel(r.Context(), id, domain.Channel{Name: in.Name, Description: in.Description})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, c)
}

// queryID reads a non-negative ID from the query (0 when absent).
func queryID(r *http.Request, name string) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, domain.Errorf(domain.EBadRequest, "Der Parameter „%s“ muss eine positive Zahl sein.", name)
	}
	return n, nil
}

type threadsJSON struct {
	Channel    *domain.Channel `json:"channel"`
	Items      []domain.Thread `json:"items"`
	NextBefore int64           `json:"next_before,omitempty"`
	Following  bool            `json:"following"`
	Rights     rightsJSON      `json:"rights"`
}

func (s *Server) apiThreads(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	before, err := queryID(r, "before")
	if err != nil {
		return err
	}
	v, err := s.app.Community.Channel(r.Context(), id, before)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, threadsJSON{Channel: v.Channel, Items: v.Threads, NextBefore: v.Next, Following: v.Following, Rights: rightsOf(v.Rights)})
}

func (s *Server) apiThreadCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	files, multipart, err := apiPostForm(r, &in)
	if err != nil {
		return err
	}
	if multipart {
		in.Title, in.Body = r.PostForm.Get("title"), r.PostForm.Get("body")
	}
	t, err := s.app.Community.CreateThread(r.Context(), id, community.NewThread{Title: in.Title, Body: in.Body, Files: files})
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, t)
}

type threadJSON struct {
	Thread    *domain.Thread  `json:"thread"`
	Channel   *domain.Channel `json:"channel"`
	Posts     []postJSON      `json:"posts"`
	NextAfter int64           `json:"next_after,omitempty"`
	Following bool            `json:"following"`
	Rights    rightsJSON      `json:"rights"`
}

func (s *Server) apiThread(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	after, err := queryID(r, "after")
	if err != nil {
		return err
	}
	v, err := s.app.Community.Thread(r.Context(), id, after)
	if err != nil {
		return err
	}
	out := threadJSON{Thread: v.Thread, Channel: v.Channel, Posts: make([]postJSON, 0, len(v.Posts)), NextAfter: v.Next, Following: v.Following,
		Rights: rightsOf(v.Rights)}
	for _, p := range v.Posts {
		out.Posts = append(out.Posts, postOut(p))
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) apiReply(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Body string `json:"body"`
	}
	files, multipart, err := apiPostForm(r, &in)
	if err != nil {
		return err
	}
	if multipart {
		in.Body = r.PostForm.Get("body")
	}
	p, err := s.app.Community.Reply(r.Context(), id, in.Body, files)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, postOut(*p))
}

func (s *Server) apiThreadLock(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	lock := r.Pattern == "POST /api/v1/threads/{id}/lock"
	t, err := s.app.Community.LockThread(r.Context(), id, lock)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, t)
}

type reasonInput struct {
	Reason string `json:"reason"`
}

func (s *Server) apiPostReport(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in reasonInput
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	rep, err := s.app.Community.ReportPost(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, map[string]any{"id": rep.ID, "post_id": rep.PostID, "reason": rep.Reason, "created_at": rep.CreatedAt})
}

func (s *Server) apiPostHide(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in reasonInput
	if r.ContentLength != 0 {
		if err := httpx.ReadJSON(r, &in); err != nil {
			return err
		}
	}
	if err := s.app.Community.HidePost(r.Context(), id, in.Reason); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "hidden": true})
}

func (s *Server) apiPostRestore(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Community.RestorePost(r.Context(), id); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "hidden": false})
}

func (s *Server) apiReportDismiss(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Community.DismissReport(r.Context(), id); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, map[string]any{"id": id, "resolution": domain.ReportDismissed})
}

type reportsJSON struct {
	Reports     []domain.PostReport `json:"reports"`
	Suspensions []domain.Suspension `json:"suspensions"`
}

func (s *Server) apiReports(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Community.Moderation(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, reportsJSON{Reports: v.Reports, Suspensions: v.Suspensions})
}

func (s *Server) apiSuspend(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		PersonID int64  `json:"person_id"`
		Days     int    `json:"days"`
		Reason   string `json:"reason"`
	}
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	sus, err := s.app.Community.Suspend(r.Context(), id, in.PersonID, in.Days, in.Reason)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusCreated, sus)
}

type searchJSON struct {
	Query string          `json:"query"`
	Hits  []searchHitJSON `json:"hits"`
}

type searchHitJSON struct {
	Post   postJSON      `json:"post"`
	Thread domain.Thread `json:"thread"`
}

func (s *Server) apiSpaceSearch(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Community.Search(r.Context(), id, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	out := searchJSON{Query: v.Query, Hits: make([]searchHitJSON, 0, len(v.Hits))}
	for _, h := range v.Hits {
		out.Hits = append(out.Hits, searchHitJSON{Post: postOut(h.Post), Thread: h.Thread})
	}
	return httpx.WriteJSON(w, http.StatusOK, out)
}

func (s *Server) apiCommunityPrefs(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	_, p, err := s.app.Community.Prefs(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, p)
}

func (s *Server) apiCommunityPrefsSave(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	var in domain.CommunityPrefs
	if err := httpx.ReadJSON(r, &in); err != nil {
		return err
	}
	if err := s.app.Community.SetPrefs(r.Context(), id, in); err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, in)
}

// apiFollow follows (on) or stops following a channel or thread: the
// digest then carries (or no longer carries) its new posts. Answers 204.
func (s *Server) apiFollow(kind string, on bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := httpx.PathID(r, "id")
		if err != nil {
			return err
		}
		if err := s.app.Community.Follow(r.Context(), kind, id, on); err != nil {
			return err
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
}

// apiLiftSuspension ends a suspension before its time. Answers 204.
func (s *Server) apiLiftSuspension(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.app.Community.LiftSuspension(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// apiPostForm reads a new thread or reply: JSON into in, or
// multipart/form-data with the text fields and attachments in "files"
// (PDF, PNG or JPEG, checked by content like the page's uploads).
func apiPostForm(r *http.Request, in any) (files []community.Upload, multipart bool, err error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, false, httpx.ReadJSON(r, in)
	}
	files, err = communityForm(r)
	return files, true, err
}
