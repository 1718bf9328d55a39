package web

import (
	"net/http"
	"strconv"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// pilots: the pages of the project briefs: /lotsen/projekte (published
// briefs by topic and words, one's own with drafts), a brief, and the form
// to write, change and delete one's own.

// parseID reads a positive number; 0 when there is none.
func parseID(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

type briefsPage struct {
	Page
	Filter  domain.BriefFilter
	Groups  []topicGroup
	Result  *domain.BriefPage
	Mine    []domain.ProjectBrief
	NextURL string
}

func (s *Server) handleBriefs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := domain.BriefFilter{Q: q.Get("q"), Topic: q.Get("thema"), Cursor: q.Get("weiter")}
	res, err := s.app.Pilots.Briefs(r.Context(), f)
	if err != nil {
		return err
	}
	mine, err := s.app.Pilots.Briefs(r.Context(), domain.BriefFilter{Mine: true, Limit: 100})
	if err != nil {
		return err
	}
	p := &briefsPage{Page: s.newPage(r, "Projektsteckbriefe"), Filter: f, Result: res, Mine: mine.Items, Groups: topicGroups(mustFramework(s, r), nil)}
	if res.Next != "" {
		v := r.URL.Query()
		v.Set("weiter", res.Next)
		p.NextURL = "/lotsen/projekte?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, "briefs", p)
	return nil
}

type briefPage struct {
	Page
	B   *domain.ProjectBrief
	Own bool
	// Channels are where the author may put the brief up for discussion
	// (their own published brief without a thread yet).
	Channels []channelChoice
	Channel  int64
}

// channelChoice is a channel of a space the actor may write in.
type channelChoice struct {
	ID    int64
	Space string
	Name  string
}

// discussionChannels lists the channels the actor may start a thread in,
// when b is theirs, published and not discussed yet.
func (s *Server) discussionChannels(r *http.Request, b *domain.ProjectBrief) ([]channelChoice, error) {
	if b.AuthorID != actor(r).PersonID() || b.Status != domain.BriefPublished || b.DiscussionURL != "" {
		return nil, nil
	}
	spaces, err := s.app.Community.MySpaces(r.Context())
	if err != nil {
		return nil, err
	}
	var out []channelChoice
	for _, v := range spaces {
		if !v.Rights.Write {
			continue
		}
		for _, c := range v.Channels {
			out = append(out, channelChoice{ID: c.ID, Space: v.Space.AssociationName, Name: c.Name})
		}
	}
	return out, nil
}

func (s *Server) handleBrief(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.briefPage(r, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "brief", p)
	return nil
}

// briefPage is the brief as the actor sees it, with the channels its
// author may put it up for discussion in.
func (s *Server) briefPage(r *http.Request, id int64) (*briefPage, error) {
	b, err := s.app.Pilots.Brief(r.Context(), id)
	if err != nil {
		return nil, err
	}
	chs, err := s.discussionChannels(r, b)
	if err != nil {
		return nil, err
	}
	return &briefPage{Page: s.newPage(r, b.Title), B: b, Own: b.AuthorID == actor(r).PersonID(), Channels: chs}, nil
}

// handleBriefDiscuss puts the author's brief up for discussion in a
// channel of the members' space and leads to the new thread.
func (s *Server) handleBriefDiscuss(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	channel, _ := strconv.ParseInt(r.PostForm.Get("kanal"), 10, 64)
	if channel <= 0 {
		p, err := s.briefPage(r, id)
		if err != nil {
			return err
		}
		p.Errors = map[string]string{"kanal": "Bitte wählen Sie den Kanal, in dem Sie den Steckbrief besprechen möchten."}
		s.render(w, r, http.StatusUnprocessableEntity, "brief", p)
		return nil
	}
	b, err := s.app.Pilots.Discuss(r.Context(), id, channel)
	if err != nil {
		return err
	}
	return redirect(w, r, b.DiscussionURL)
}

// briefFormPage writes a new brief (ID 0) or changes one.
type briefFormPage struct {
	Page
	ID       int64
	B        domain.ProjectBrief
	Groups   []topicGroup
	HasEntry bool
}

func readBriefForm(r *http.Request) domain.ProjectBriefInput {
	f := r.PostForm
	title, what, how, effort, contact := f.Get("title"), f.Get("what"), f.Get("how"), f.Get("effort"), f.Get("contact")
	topics := f["topics"]
	if topics == nil {
		topics = []string{}
	}
	status := domain.BriefDraft
	if f.Get("status") == string(domain.BriefPublished) {
		status = domain.BriefPublished
	}
	return domain.ProjectBriefInput{Title: &title, What: &what, How: &how, Effort: &effort, Contact: &contact, Topics: &topics, Status: &status}
}

func (s *Server) briefForm(r *http.Request, title string, id int64, b domain.ProjectBrief) *briefFormPage {
	p := &briefFormPage{Page: s.newPage(r, title), ID: id, B: b, Groups: topicGroups(mustFramework(s, r), b.Topics)}
	if _, err := s.app.Pilots.MyEntry(r.Context()); err == nil {
		p.HasEntry = true
	}
	return p
}

func (s *Server) handleBriefNew(w http.ResponseWriter, r *http.Request) error {
	if r.Method == http.MethodGet {
		// The list checks that the actor sees the directory.
		if _, err := s.app.Pilots.Briefs(r.Context(), domain.BriefFilter{Mine: true, Limit: 1}); err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "brief_form", s.briefForm(r, "Neuer Projektsteckbrief", 0, domain.ProjectBrief{Status: domain.BriefDraft}))
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	in := readBriefForm(r)
	b, err := s.app.Pilots.CreateBrief(r.Context(), in)
	if err != nil {
		return s.briefFormError(w, r, 0, in, err)
	}
	return redirect(w, r, "/lotsen/projekte/"+itoa(b.ID)+"?hinweis=steckbrief-gespeichert")
}

func (s *Server) briefFormError(w http.ResponseWriter, r *http.Request, id int64, in domain.ProjectBriefInput, err error) error {
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.EConflict {
		return err
	}
	var b domain.ProjectBrief
	in.Apply(&b)
	title := "Neuer Projektsteckbrief"
	if id != 0 {
		title = "Projektsteckbrief bearbeiten"
	}
	p := s.briefForm(r, title, id, b)
	p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
	s.render(w, r, httpx.Status(code), "brief_form", p)
	return nil
}

func (s *Server) handleBriefEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if r.Method == http.MethodGet {
		b, err := s.app.Pilots.Brief(r.Context(), id)
		if err != nil {
			return err
		}
		if b.AuthorID != actor(r).PersonID() {
			return domain.ErrForbidden
		}
		s.render(w, r, http.StatusOK, "brief_form", s.briefForm(r, "Projektsteckbrief bearbeiten", id, *b))
		return nil
	}
	if err := form(r); err != nil {
		return err
	}
	in := readBriefForm(r)
	if _, err := s.app.Pilots.UpdateBrief(r.Context(), id, in); err != nil {
		return s.briefFormError(w, r, id, in, err)
	}
	return redirect(w, r, "/lotsen/projekte/"+itoa(id)+"?hinweis=steckbrief-gespeichert")
}

func (s *Server) handleBriefDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	if err := s.app.Pilots.DeleteBrief(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, "/lotsen/projekte?hinweis=steckbrief-geloescht")
}
