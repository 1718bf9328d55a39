package pilots

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// Discussions starts a thread with an opening post in a channel of the
// members' space as the actor of ctx (who must be allowed to write
// there) and returns its page's path. The wiring gives it the community
// service; without it briefs cannot be discussed.
type Discussions func(ctx context.Context, channelID int64, title, body string) (path string, err error)

// WithDiscussions connects the briefs to the members' space.
func (s *Service) WithDiscussions(d Discussions) { s.discuss = d }

// Errors of Discuss.
var (
	ErrBriefNotPublished = &domain.Error{Code: domain.EConflict,
		Message: "Zur Diskussion stellen können Sie einen veröffentlichten Projektsteckbrief. Veröffentlichen Sie ihn zuerst."}
	ErrNoDiscussions = &domain.Error{Code: domain.EConflict, Message: "Der Austausch ist auf dieser Plattform nicht eingerichtet."}
)

// maxTitleRunes keeps "Projektsteckbrief: " and the brief's title within a
// thread title's limit.
const maxTitleRunes = domain.MaxThreadTitle - len("Projektsteckbrief: ")

// Discuss puts the actor's published brief up for discussion: a thread in
// the chosen channel opens with a summary and a link to the brief, and
// the brief links to the thread. A brief that is already discussed keeps
// its thread.
func (s *Service) Discuss(ctx context.Context, id, channelID int64) (b *domain.ProjectBrief, err error) {
	defer domain.Wrap(&err, "pilots.Discuss(%d, %d)", id, channelID)
	b, err = s.ownBrief(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.DiscussionURL != "" {
		return b, nil
	}
	if b.Status != domain.BriefPublished {
		return nil, ErrBriefNotPublished
	}
	if s.discuss == nil {
		return nil, ErrNoDiscussions
	}
	title := b.Title
	if utf8.RuneCountInString(title) > maxTitleRunes {
		title = string([]rune(title)[:maxTitleRunes-1]) + "…"
	}
	// The thread is written first, in the members' space's own
	// transaction: if linking the brief fails, the thread still stands
	// and points to the brief.
	path, err := s.discuss(ctx, channelID, "Projektsteckbrief: "+title, discussionBody(b))
	if err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		if err := tx.SetBriefDiscussion(ctx, b.ID, path); err != nil {
			return err
		}
		return tx.Audit(ctx, 0, "project_brief.discuss", "project_brief", b.ID, map[string]any{"channel": channelID})
	})
	if err != nil {
		return nil, err
	}
	b.DiscussionURL = path
	return b, nil
}

// discussionBody is the thread's opening post: what was digitised, in
// short, and the link to the whole brief.
func discussionBody(b *domain.ProjectBrief) string {
	what := strings.TrimSpace(b.What)
	if utf8.RuneCountInString(what) > 600 {
		what = string([]rune(what)[:599]) + "…"
	}
	return fmt.Sprintf("%s\n\nDer ganze Projektsteckbrief mit Vorgehen, Aufwand und Kontakt: [%s](/lotsen/projekte/%d)\n\nFragen und Erfahrungen gern hier im Thema.",
		what, mdEscape(b.Title), b.ID)
}

// mdEscape keeps a title from being read as Markdown in a link's text.
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `\<`).Replace(s)
}
