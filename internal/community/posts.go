package community

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/authz"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/lotse-oss/lotse/internal/markdown"
	"github.com/lotse-oss/lotse/internal/search"
	"github.com/lotse-oss/lotse/internal/store"
)

// Upload is a file attached to a new post, as received.
type Upload struct {
	Name    string
	Content []byte
}

// Limits of attachments.
const (
	MaxAttachmentBytes = 10 << 20
	MaxAttachments     = 3
)

// NewThread is the input of a new thread: its title and opening post.
type NewThread struct {
	Title string
	Body  string
	Files []Upload
}

// CreateThread starts a thread in a channel with its opening post. The
// author follows it.
func (s *Service) CreateThread(ctx context.Context, channelID int64, in NewThread) (t *domain.Thread, err error) {
	defer domain.Wrap(&err, "community.CreateThread(%d)", channelID)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	// Attachments go into the file store before the transaction.
	keys, err := s.putFiles(ctx, in.Files)
	if err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		c, err := tx.Channel(ctx, channelID)
		if err != nil {
			return err
		}
		x, err := s.resolve(ctx, tx, a, c.SpaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityWrite); err != nil {
			return err
		}
		v := domain.Validation{}
		title := domain.ValidateThreadTitle(in.Title, v)
		body := domain.ValidatePostBody(in.Body, v)
		files := checkFiles(in.Files, v)
		if err := v.Err(); err != nil {
			return err
		}
		t = &domain.Thread{ChannelID: c.ID, ChannelName: c.Name, SpaceID: c.SpaceID, Title: title, AuthorID: a.PersonID(), AuthorName: a.Person.Name}
		if err := tx.CreateThread(ctx, t); err != nil {
			return err
		}
		p := &domain.Post{ThreadID: t.ID, SpaceID: c.SpaceID, AuthorID: a.PersonID(), Body: body}
		if err = s.addPost(ctx, tx, x, t, p, title+"\n"+body, files); err != nil {
			return err
		}
		t.Posts, t.LastPostID, t.LastAuthorName = 1, p.ID, a.Person.Name
		return nil
	})
	if err != nil {
		s.db.DiscardBlobs(keys)
		return nil, err
	}
	return t, nil
}

// Reply adds a post to a thread. The author follows the thread.
func (s *Service) Reply(ctx context.Context, threadID int64, body string, files []Upload) (p *domain.Post, err error) {
	defer domain.Wrap(&err, "community.Reply(%d)", threadID)
	a := domain.ActorFrom(ctx)
	if a.Anonymous() {
		return nil, domain.ErrUnauthorized
	}
	// Attachments go into the file store before the transaction.
	keys, err := s.putFiles(ctx, files)
	if err != nil {
		return nil, err
	}
	err = s.db.Transact(ctx, func(tx *store.Tx) error {
		t, err := tx.LockThreadRow(ctx, threadID)
		if err != nil {
			return err
		}
		x, err := s.resolve(ctx, tx, a, t.SpaceID)
		if err != nil {
			return err
		}
		if err := x.check(a, authz.CommunityWrite); err != nil {
			return err
		}
		if t.Locked() {
			return domain.ErrThreadLocked
		}
		v := domain.Validation{}
		body := domain.ValidatePostBody(body, v)
		fs := checkFiles(files, v)
		if err := v.Err(); err != nil {
			return err
		}
		p = &domain.Post{ThreadID: t.ID, SpaceID: t.SpaceID, AuthorID: a.PersonID(), Body: body}
		return s.addPost(ctx, tx, x, t, p, body, fs)
	})
	if err != nil {
		s.db.DiscardBlobs(keys)
		return nil, err
	}
	return p, nil
}

// putFiles puts the attachments that pass the content check into the file
// store (the others are refused in the transaction) and returns their keys,
// for discarding them when the transaction fails.
func (s *Service) putFiles(ctx context.Context, files []Upload) ([]string, error) {
	var keys []string
	for i, f := range files {
		if i == MaxAttachments {
			break
		}
		if _, err := filestore.CheckAttachment(f.Content, MaxAttachmentBytes); err != nil {
			continue
		}
		k, err := s.db.PutBlob(ctx, f.Content)
		if err != nil {
			s.db.DiscardBlobs(keys)
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// checked is an attachment that passed the content check.
type checked struct {
	name, mediaType string
	content         []byte
}

func checkFiles(files []Upload, v domain.Validation) []checked {
	var out []checked
	for _, f := range files {
		if len(f.Content) == 0 && f.Name == "" {
			continue
		}
		if len(out) == MaxAttachments {
			v.Add("files", "Höchstens 3 Dateien je Beitrag.")
			break
		}
		mt, err := filestore.CheckAttachment(f.Content, MaxAttachmentBytes)
		if err != nil {
			msg := "Die Datei ist weder ein PDF-Dokument noch ein Bild im Format PNG oder JPEG."
			if ue, ok := err.(*filestore.UploadError); ok {
				msg = ue.Message
			}
			v.Add("files", "„"+cleanName(f.Name, mt)+"“: "+msg)
			continue
		}
		out = append(out, checked{name: cleanName(f.Name, mt), mediaType: mt, content: f.Content})
	}
	return out
}

// cleanName keeps a file name short and free of paths and control
// characters, with an extension that fits its content.
func cleanName(n, mediaType string) string {
	if i := strings.LastIndexAny(n, `/\`); i >= 0 {
		n = n[i+1:]
	}
	n = strings.Map(func(r rune) rune {
		if r < 32 || r == 127 || r == '"' || r == '<' || r == '>' {
			return -1
		}
		return r
	}, strings.TrimSpace(n))
	if utf8.RuneCountInString(n) > 100 {
		n = string([]rune(n)[:100])
	}
	ext := map[string]string{"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}[mediaType]
	if n == "" {
		n = "anhang" + ext
	}
	if ext != "" && !strings.HasSuffix(strings.ToLower(n), ext) && !(ext == ".jpg" && strings.HasSuffix(strings.ToLower(n), ".jpeg")) {
		n += ext
	}
	return n
}

// addPost stores a post with its search terms, mentions, attachments and
// the author's follow, and enqueues the mention mails. The attachments'
// contents are in the file store already (putFiles).
func (s *Service) addPost(ctx context.Context, tx *store.Tx, x *access, t *domain.Thread, p *domain.Post, text string, files []checked) error {
	a := domain.ActorFrom(ctx)
	if err := tx.AddPost(ctx, p, search.Analyze(text)); err != nil {
		return err
	}
	for _, f := range files {
		d, _, err := tx.StoreDocument(ctx, x.space.AssociationID, f.name, f.mediaType, f.content)
		if err != nil {
			return err
		}
		if err := tx.AddAttachment(ctx, p.ID, d.ID); err != nil {
			return err
		}
		p.Files = append(p.Files, domain.PostFile{ID: d.ID, Name: d.Name, MediaType: d.MediaType, Size: d.Size})
	}
	if err := tx.Follow(ctx, a.PersonID(), domain.FollowThread, t.ID, t.SpaceID); err != nil {
		return err
	}
	if _, err := tx.EnsurePrefs(ctx, a.PersonID(), t.SpaceID); err != nil {
		return err
	}
	people, err := tx.SpaceMembersNamed(ctx, x.space.AssociationID, markdown.Candidates(p.Body))
	if err != nil {
		return err
	}
	byName := map[string]domain.Person{}
	var names []string
	for _, m := range people {
		if _, dup := byName[m.Name]; !dup {
			byName[m.Name] = m
			names = append(names, m.Name)
		}
	}
	p.Mentions = markdown.Mentions(p.Body, names)
	var ids []int64
	for _, n := range p.Mentions {
		ids = append(ids, byName[n].ID)
	}
	if err := tx.AddMentions(ctx, p.ID, ids); err != nil {
		return err
	}
	for _, n := range p.Mentions {
		m := byName[n]
		if m.ID == a.PersonID() {
			continue
		}
		want, token, err := tx.MentionPrefs(ctx, m.ID, t.SpaceID)
		if err != nil {
			return err
		}
		if !want {
			continue
		}
		if err := s.notify.Enqueue(ctx, tx, m.Email, "community-mention", mentionMail{Name: m.Name, Author: a.Person.Name,
			Title: t.Title, Space: x.space.AssociationName, ThreadID: t.ID, Excerpt: excerpt(p.Body), Token: token}); err != nil {
			return err
		}
	}
	if p.Files == nil {
		p.Files = []domain.PostFile{}
	}
	p.AuthorName = a.Person.Name
	return nil
}

// mentionMail is the data of community-mention.txt.
type mentionMail struct {
	Name, Author, Title, Space string
	ThreadID                   int64
	Excerpt                    string
	Token                      string
}

// excerpt is the start of a post for a mail: plain text, one paragraph,
// at most 300 characters.
func excerpt(body string) string {
	s := strings.Join(strings.Fields(body), " ")
	if utf8.RuneCountInString(s) > 300 {
		s = string([]rune(s)[:299]) + "…"
	}
	return s
}
