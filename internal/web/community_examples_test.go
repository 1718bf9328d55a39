package web

import (
	"time"

	"github.com/lotse-oss/lotse/internal/community"
	"github.com/lotse-oss/lotse/internal/domain"
)

// communityExamples are the example data of the members' space's pages,
// for TestEveryTemplateRenders.
func communityExamples(base Page, now time.Time) map[string]any {
	sp := &domain.Space{ID: 1, AssociationID: 2, AssociationName: "Städtetag Baden-Württemberg", Rules: domain.DefaultSpaceRules, CreatedAt: now}
	ch := &domain.Channel{ID: 3, SpaceID: 1, Name: "KI", Description: "Künstliche Intelligenz", Threads: 1, CreatedAt: now}
	th := &domain.Thread{ID: 4, ChannelID: 3, ChannelName: "KI", SpaceID: 1, Title: "Chatbot im Bürgerbüro", AuthorID: 1, AuthorName: "Lilly Lotse",
		CreatedAt: now, LastPostID: 6, LastPostAt: now, LastAuthorName: "Niklas Neumann", Posts: 2, LockedAt: &now}
	until := now.Add(72 * time.Hour)
	rights := community.Rights{Write: true, Moderate: true, Channels: true}
	posts := []domain.Post{
		{ID: 5, ThreadID: 4, SpaceID: 1, AuthorID: 1, AuthorName: "Lilly Lotse", Body: "Wer hat **Erfahrung**?", CreatedAt: now, Opening: true,
			Files: []domain.PostFile{{ID: 9, Name: "plan.pdf", MediaType: "application/pdf", Size: 2048}}, Mentions: []string{}},
		{ID: 6, ThreadID: 4, SpaceID: 1, AuthorID: 2, AuthorName: "Niklas Neumann", Body: "Danke @Lilly Lotse", CreatedAt: now, Hidden: true, HiddenAt: &now,
			Mentions: []string{"Lilly Lotse"}, Files: []domain.PostFile{}},
	}
	rep := domain.PostReport{ID: 7, SpaceID: 1, PostID: 6, ThreadID: 4, ThreadTitle: th.Title, PostAuthorID: 2, PostAuthor: "Niklas Neumann",
		PostBody: "Danke", ReporterName: "Lilly Lotse", Reason: "Werbung", CreatedAt: now}
	return map[string]any{
		"community_spaces": &spacesPage{Page: base, Spaces: []community.SpaceView{{Space: sp, Channels: []domain.Channel{*ch}, Rights: rights}}},
		"community_space":  &spacePage{Page: base, V: &community.SpaceView{Space: sp, Channels: []domain.Channel{*ch}, Rights: rights}, Name: "x", Rules: sp.Rules},
		"community_channel": &channelPage{Page: base, V: &community.ChannelView{Space: sp, Channel: ch, Threads: []domain.Thread{*th}, Next: 6,
			Rights: community.Rights{Suspended: &until}}, FormTitle: "t", FormBody: "b"},
		"community_thread": &threadPage{Page: base, V: &community.ThreadView{Space: sp, Channel: ch, Thread: th, Posts: posts, Next: 6, Following: true,
			Rights: rights}, Body: "b"},
		"community_report": &postReportPage{Page: base, Post: &posts[0], Thread: th, Reason: "r"},
		"community_moderation": &moderationPage{Page: base, V: &community.ModerationView{Space: sp, Reports: []domain.PostReport{rep},
			Suspensions: []domain.Suspension{{ID: 1, SpaceID: 1, PersonID: 2, PersonName: "Niklas Neumann", Until: until, Reason: "Werbung", CreatedAt: now}}},
			People: []personOption{{2, "Niklas Neumann"}}, Person: 2, Days: "7"},
		"community_search": &spaceSearchPage{Page: base, V: &community.SearchView{Space: sp, Query: "Chatbot", Started: true, Rights: rights,
			Hits: []community.SearchHit{{Post: posts[0], Thread: *th}}}},
		"community_prefs":       &communityPrefsPage{Page: base, Space: sp, Prefs: domain.CommunityPrefs{Digest: "weekly", MentionMail: true}, Digests: []string{"daily", "weekly", "none"}},
		"community_unsubscribe": &unsubscribePage{Page: base, Token: "t", Space: "Städtetag Baden-Württemberg"},
	}
}
