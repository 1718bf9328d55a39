package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/community"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// community: the pages of the members' space (Austausch): the spaces I
// belong to, a space with its rules and channels, a channel's threads, a
// thread with its posts and the reply form, search, moderation,
// notification settings and the one-click unsubscribe. Everything works as
// plain forms; htmx only boosts the reply form (no full page reload).

type spacesPage struct {
	Page
	Spaces []community.SpaceView
}

func (s *Server) handleSpaces(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.app.Community.MySpaces(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "community_spaces", &spacesPage{Page: s.newPage(r, "Austausch"), Spaces: vs})
	return nil
}

type spacePage struct {
	Page
	V                        *community.SpaceView
	Name, Description, Rules string
}

func (s *Server) handleSpace(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Community.Space(r.Context(), id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "community_space", &spacePage{Page: s.newPage(r, "Austausch: "+v.Space.AssociationName), V: v, Rules: v.Space.Rules})
	return nil
}

// rerender shows a form page again with the error's messages next to the
// fields; errors that are not about the input go to the error page.
func (s *Server) rerender(w http.ResponseWriter, r *http.Request, err error, pg *Page, name string, data any) error {
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.EConflict && code != domain.ETooLarge {
		return err
	}
	pg.Errors = domain.ErrorFields(err)
	if len(pg.Errors) == 0 {
		pg.Message = domain.ErrorMessage(err)
	}
	s.render(w, r, httpx.Status(code), name, data)
	return nil
}

func (s *Server) handleChannelCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	in := domain.Channel{Name: r.PostForm.Get("name"), Description: r.PostForm.Get("description")}
	c, err := s.app.Community.CreateChannel(r.Context(), id, in)
	if err != nil {
		v, verr := s.app.Community.Space(r.Context(), id)
		if verr != nil {
			return verr
		}
		pg := &spacePage{Page: s.newPage(r, "Austausch: "+v.Space.AssociationName), V: v, Name: in.Name, Description: in.Description, Rules: v.Space.Rules}
		return s.rerender(w, r, err, &pg.Page, "community_space", pg)
	}
	return redirect(w, r, "/austausch/kanaele/"+itoa(c.ID)+"?hinweis=kanal-angelegt")
}

func (s *Server) handleSpaceRules(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	rules := r.PostForm.Get("rules")
	if err := s.app.Community.SetRules(r.Context(), id, rules); err != nil {
		v, verr := s.app.Community.Space(r.Context(), id)
		if verr != nil {
			return verr
		}
		pg := &spacePage{Page: s.newPage(r, "Austausch: "+v.Space.AssociationName), V: v, Rules: rules}
		return s.rerender(w, r, err, &pg.Page, "community_space", pg)
	}
	return redirect(w, r, "/austausch/bereiche/"+itoa(id)+"?hinweis=regeln-gespeichert")
}

type channelPage struct {
	Page
	V                   *community.ChannelView
	FormTitle, FormBody string // the new thread's form as typed
	First               bool   // the first page
}

func (s *Server) channelPage(r *http.Request, id int64) (*channelPage, error) {
	before, _ := strconv.ParseInt(r.URL.Query().Get("vor"), 10, 64)
	v, err := s.app.Community.Channel(r.Context(), id, max(before, 0))
	if err != nil {
		return nil, err
	}
	return &channelPage{Page: s.newPage(r, v.Channel.Name+" – Austausch"), V: v, First: before <= 0}, nil
}

func (s *Server) handleChannel(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := s.channelPage(r, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "community_channel", pg)
	return nil
}

// communityForm reads a post form (multipart when it carries files) and
// checks its CSRF token; it returns the attached files.
func communityForm(r *http.Request) ([]community.Upload, error) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, form(r)
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return nil, classify(&domain.Error{Code: domain.EBadRequest, Message: "Das Formular konnte nicht gelesen werden.", Err: err})
	}
	if st := state(r); st.csrf != "" && r.PostForm.Get("csrf_token") != st.csrf {
		return nil, errCSRF
	}
	var out []community.Upload
	for _, fh := range r.MultipartForm.File["files"] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			return nil, classify(&domain.Error{Code: domain.EBadRequest, Message: "Die Datei konnte nicht gelesen werden.", Err: err})
		}
		content, over, err := filestore.ReadLimited(f, community.MaxAttachmentBytes)
		f.Close()
		if err != nil {
			return nil, classify(&domain.Error{Code: domain.EBadRequest, Message: "Die Datei konnte nicht gelesen werden.", Err: err})
		}
		if over {
			msg := "Die Datei „" + cleanFileName(fh.Filename) + "“ ist größer als 10 MB."
			return nil, &domain.Error{Code: domain.EInvalid, Message: msg, Fields: map[string]string{"files": msg}}
		}
		out = append(out, community.Upload{Name: fh.Filename, Content: content})
	}
	return out, nil
}

func (s *Server) handleThreadCreate(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	files, err := communityForm(r)
	in := community.NewThread{Title: r.PostForm.Get("title"), Body: r.PostForm.Get("body"), Files: files}
	var t *domain.Thread
	if err == nil {
		t, err = s.app.Community.CreateThread(r.Context(), id, in)
	}
	if err != nil {
		pg, perr := s.channelPage(r, id)
		if perr != nil {
			return perr
		}
		pg.FormTitle, pg.FormBody = in.Title, in.Body
		return s.rerender(w, r, err, &pg.Page, "community_channel", pg)
	}
	return redirect(w, r, "/austausch/themen/"+itoa(t.ID)+"?hinweis=thema-angelegt")
}

func (s *Server) follow(w http.ResponseWriter, r *http.Request, kind, path string) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	on := r.PostForm.Get("folgen") == "1"
	if err := s.app.Community.Follow(r.Context(), kind, id, on); err != nil {
		return err
	}
	notice := "entfolgt"
	if on {
		notice = "gefolgt"
	}
	return redirect(w, r, path+itoa(id)+"?hinweis="+notice)
}

func (s *Server) handleChannelFollow(w http.ResponseWriter, r *http.Request) error {
	return s.follow(w, r, domain.FollowChannel, "/austausch/kanaele/")
}

func (s *Server) handleThreadFollow(w http.ResponseWriter, r *http.Request) error {
	return s.follow(w, r, domain.FollowThread, "/austausch/themen/")
}

type threadPage struct {
	Page
	V     *community.ThreadView
	Body  string
	First bool
}

func (s *Server) threadPage(r *http.Request, id int64) (*threadPage, error) {
	after, _ := strconv.ParseInt(r.URL.Query().Get("nach"), 10, 64)
	v, err := s.app.Community.Thread(r.Context(), id, max(after, 0))
	if err != nil {
		return nil, err
	}
	return &threadPage{Page: s.newPage(r, v.Thread.Title+" – Austausch"), V: v, First: after <= 0}, nil
}

func (s *Server) handleThread(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	pg, err := s.threadPage(r, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "community_thread", pg)
	return nil
}

func (s *Server) handleReply(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	files, err := communityForm(r)
	body := r.PostForm.Get("body")
	var p *domain.Post
	if err == nil {
		p, err = s.app.Community.Reply(r.Context(), id, body, files)
	}
	if err != nil {
		pg, perr := s.threadPage(r, id)
		if perr != nil {
			return perr
		}
		pg.Body = body
		return s.rerender(w, r, err, &pg.Page, "community_thread", pg)
	}
	return redirect(w, r, "/austausch/themen/"+itoa(id)+"?hinweis=antwort#beitrag-"+itoa(p.ID))
}

func (s *Server) handleThreadLock(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	lock := r.PostForm.Get("schliessen") == "1"
	if _, err := s.app.Community.LockThread(r.Context(), id, lock); err != nil {
		return err
	}
	notice := "thema-geoeffnet"
	if lock {
		notice = "thema-geschlossen"
	}
	return redirect(w, r, "/austausch/themen/"+itoa(id)+"?hinweis="+notice)
}

type postReportPage struct {
	Page
	Post   *domain.Post
	Thread *domain.Thread
	Reason string
}

func (s *Server) handlePostReport(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	reason := r.PostForm.Get("reason")
	if _, err := s.app.Community.ReportPost(r.Context(), id, reason); err != nil {
		p, t, perr := s.app.Community.Post(r.Context(), id)
		if perr != nil {
			return perr
		}
		pg := &postReportPage{Page: s.newPage(r, "Beitrag melden"), Post: p, Thread: t, Reason: reason}
		return s.rerender(w, r, err, &pg.Page, "community_report", pg)
	}
	p, _, err := s.app.Community.Post(r.Context(), id)
	if err != nil {
		return err
	}
	return redirect(w, r, "/austausch/themen/"+itoa(p.ThreadID)+"?hinweis=gemeldet#beitrag-"+itoa(id))
}

func (s *Server) handlePostHide(w http.ResponseWriter, r *http.Request) error {
	return s.postModeration(w, r, true)
}

func (s *Server) handlePostRestore(w http.ResponseWriter, r *http.Request) error {
	return s.postModeration(w, r, false)
}

func (s *Server) postModeration(w http.ResponseWriter, r *http.Request, hide bool) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	notice := "eingeblendet"
	if hide {
		notice = "ausgeblendet"
		err = s.app.Community.HidePost(r.Context(), id, r.PostForm.Get("reason"))
	} else {
		err = s.app.Community.RestorePost(r.Context(), id)
	}
	if err != nil {
		return err
	}
	if back := r.PostForm.Get("zurueck"); strings.HasPrefix(back, "/austausch/") && !strings.HasPrefix(back, "//") {
		return redirect(w, r, safeNext(back)+"?hinweis="+notice)
	}
	p, _, err := s.app.Community.Post(r.Context(), id)
	if err != nil {
		return err
	}
	return redirect(w, r, "/austausch/themen/"+itoa(p.ThreadID)+"?hinweis="+notice+"#beitrag-"+itoa(id))
}

func (s *Server) handleReportDismiss(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if err := s.app.Community.DismissReport(r.Context(), id); err != nil {
		return err
	}
	space, _ := strconv.ParseInt(r.PostForm.Get("space"), 10, 64)
	return redirect(w, r, "/austausch/bereiche/"+itoa(space)+"/moderation?hinweis=meldung-erledigt")
}

type moderationPage struct {
	Page
	V *community.ModerationView
	// The suspension form: the people to choose from (authors of open
	// reports and the one asked for) and the values as typed.
	People              []personOption
	Person              int64
	Days, SuspendReason string
}

type personOption struct {
	ID   int64
	Name string
}

func (s *Server) moderationPage(r *http.Request, id, person int64) (*moderationPage, error) {
	v, err := s.app.Community.Moderation(r.Context(), id)
	if err != nil {
		return nil, err
	}
	pg := &moderationPage{Page: s.newPage(r, "Moderation – "+v.Space.AssociationName), V: v, Person: person, Days: "7"}
	seen := map[int64]bool{}
	if person > 0 {
		name, err := s.app.Community.SuspendCandidate(r.Context(), id, person)
		if err != nil {
			return nil, err
		}
		if name != "" {
			pg.People, seen[person] = append(pg.People, personOption{person, name}), true
		}
	}
	for _, rep := range v.Reports {
		if !seen[rep.PostAuthorID] {
			seen[rep.PostAuthorID] = true
			pg.People = append(pg.People, personOption{rep.PostAuthorID, rep.PostAuthor})
		}
	}
	return pg, nil
}

func (s *Server) handleModeration(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	person, _ := strconv.ParseInt(r.URL.Query().Get("person"), 10, 64)
	pg, err := s.moderationPage(r, id, person)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "community_moderation", pg)
	return nil
}

func (s *Server) handleSuspend(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	person, _ := strconv.ParseInt(r.PostForm.Get("person_id"), 10, 64)
	daysText, reason := strings.TrimSpace(r.PostForm.Get("days")), r.PostForm.Get("reason")
	days, convErr := strconv.Atoi(daysText)
	if convErr != nil {
		days = 0
	}
	_, err = s.app.Community.Suspend(r.Context(), id, person, days, reason)
	if err == nil && person == 0 {
		err = domain.ErrSuspendNotMember
	}
	if err != nil {
		pg, perr := s.moderationPage(r, id, person)
		if perr != nil {
			return perr
		}
		pg.Days, pg.SuspendReason = daysText, reason
		return s.rerender(w, r, err, &pg.Page, "community_moderation", pg)
	}
	return redirect(w, r, "/austausch/bereiche/"+itoa(id)+"/moderation?hinweis=gesperrt")
}

// handleLiftSuspension ends a suspension early and returns to the
// space's moderation page.
func (s *Server) handleLiftSuspension(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	space, _ := strconv.ParseInt(r.PostForm.Get("space"), 10, 64)
	if err := s.app.Community.LiftSuspension(r.Context(), id); err != nil {
		return err
	}
	if space <= 0 {
		return redirect(w, r, "/austausch?hinweis=sperre-aufgehoben")
	}
	return redirect(w, r, "/austausch/bereiche/"+itoa(space)+"/moderation?hinweis=sperre-aufgehoben")
}

type spaceSearchPage struct {
	Page
	V *community.SearchView
}

func (s *Server) handleSpaceSearch(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.app.Community.Search(r.Context(), id, r.URL.Query().Get("q"))
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "community_search", &spaceSearchPage{Page: s.newPage(r, "Suche – "+v.Space.AssociationName), V: v})
	return nil
}

type communityPrefsPage struct {
	Page
	Space   *domain.Space
	Prefs   domain.CommunityPrefs
	Digests []string
}

func (s *Server) handleCommunityPrefs(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	sp, prefs, err := s.app.Community.Prefs(r.Context(), id)
	if err != nil {
		return err
	}
	pg := &communityPrefsPage{Page: s.newPage(r, "Benachrichtigungen – "+sp.AssociationName), Space: sp, Prefs: prefs,
		Digests: []string{domain.DigestDaily, domain.DigestWeekly, domain.DigestNone}}
	if r.Method == http.MethodGet {
		s.render(w, r, http.StatusOK, "community_prefs", pg)
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	pg.Prefs = domain.CommunityPrefs{Digest: r.PostForm.Get("digest"), MentionMail: r.PostForm.Get("mention_mail") == "1"}
	if err := s.app.Community.SetPrefs(r.Context(), id, pg.Prefs); err != nil {
		return s.rerender(w, r, err, &pg.Page, "community_prefs", pg)
	}
	return redirect(w, r, "/austausch/bereiche/"+itoa(id)+"/benachrichtigungen?hinweis=benachrichtigungen")
}

func (s *Server) handleCommunityAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	d, rc, err := s.app.Community.Attachment(r.Context(), id)
	if err != nil {
		return err
	}
	return httpx.SendDocument(w, d, rc)
}

type unsubscribePage struct {
	Page
	Token, Space string
	Done         bool
}

// handleUnsubscribe is the one-click link of the mails: the GET shows what
// it will do (so that a mail scanner following links changes nothing),
// the POST does it. No login needed: the token is the permission.
func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	pg := &unsubscribePage{Page: s.newPage(r, "Keine E-Mails mehr aus dem Austausch"), Token: token}
	var err error
	if r.Method == http.MethodGet {
		pg.Space, err = s.app.Community.UnsubscribeSpace(r.Context(), token)
	} else {
		if err := form(r); err != nil {
			return err
		}
		pg.Space, err = s.app.Community.Unsubscribe(r.Context(), token)
		pg.Done = true
	}
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "community_unsubscribe", pg)
	return nil
}
