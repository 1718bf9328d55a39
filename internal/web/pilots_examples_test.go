package web

import (
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/pilots"
)

// pilotExamples are the example data of the directory's pages.
func pilotExamples(base Page, now time.Time) map[string]any {
	e := domain.PilotEntry{ID: 4, PersonID: 2, Name: "Lilly Lotse", OrgID: 1, OrgName: "Stadt Futurehausen", AGS: "08999001", District: "08999",
		Topics: []string{"EGOV.1"}, TopicNames: []string{"Digitale Verwaltungsleistungen"}, Tags: []string{"E-Akte"}, Help: "Onlinedienste einführen",
		Contact: domain.ContactForm, ConsentAt: now, UpdatedAt: now}
	groups := []topicGroup{{Code: "EGOV", Name: "E-Government", Topics: []topicChoice{{Code: "EGOV.1", Name: "Digitale Verwaltungsleistungen", Checked: true}}}}
	b := domain.ProjectBrief{ID: 5, AuthorID: 2, AuthorName: "Lilly Lotse", EntryID: 4, OrgName: "Stadt Futurehausen", Title: "Digitale Bauakte",
		What: "Bauakte", How: "Schritt für Schritt", Effort: "3 Monate", Contact: "Bauamt", Topics: []string{"EGOV.1"},
		TopicNames: []string{"Digitale Verwaltungsleistungen"}, Status: domain.BriefPublished, DiscussionURL: "/forum/1", CreatedAt: now, UpdatedAt: now, PublishedAt: &now}
	org := domain.Organisation{ID: 1, Name: "Stadt Futurehausen", AGS: "08999001"}
	counts := []domain.DistrictCount{{District: "08999", Name: "Zukunftstal", Count: 2}}
	return map[string]any{
		"pilots": &pilotsPage{Page: base, Filter: domain.PilotFilter{Q: "akte", Topic: "EGOV", District: "08999"}, Groups: groups, Districts: counts,
			Listed: counts, DistrictName: "Zukunftstal", Result: &domain.PilotPage{Items: []domain.PilotEntry{e}, Next: "x"}, Map: "<svg></svg>",
			NextURL: "/lotsen?weiter=x", FirstURL: "/lotsen", Searched: true},
		"pilot": &pilotPage{Page: base, E: &e, Briefs: []domain.ProjectBrief{b}, ContactMessage: "Hallo"},
		"pilot_entry": &pilotEntryPage{Page: base, St: &pilots.Standing{HasBase: true, Municipalities: []domain.Organisation{org, {ID: 3, Name: "Gemeinde Kleinbach"}},
			Entry: &e, ConsentGiven: now}, Groups: groups, In: domain.PilotEntryInput{OrgID: 1, Topics: e.Topics, Help: e.Help, Contact: e.Contact, Consent: true},
			Tags: "E-Akte", Contacts: domain.ContactPreferences, MaxTopics: domain.MaxPilotTopics},
		"briefs":     &briefsPage{Page: base, Groups: groups, Result: &domain.BriefPage{Items: []domain.ProjectBrief{b}}, Mine: []domain.ProjectBrief{b}, NextURL: "/lotsen/projekte?weiter=5"},
		"brief":      &briefPage{Page: base, B: &b, Own: true},
		"brief_form": &briefFormPage{Page: base, ID: 5, B: b, Groups: groups},
	}
}
