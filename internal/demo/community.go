package demo

import (
	"context"
	"fmt"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/community"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
)

// communityStory fills the members' spaces: the Städtetag's with the
// channels "Allgemein", "KI" and "OZG-Umsetzung" and a few conversations
// of its members over the last days, the Gemeindetag's with "Allgemein".
// Petra moderates the Städtetag's space; an admin opens the Gemeindetag's.
func communityStory(a *app.App, as func(string) (context.Context, error), day func(int)) error {
	petra, err := as(petraEmail)
	if err != nil {
		return err
	}
	admin, err := as("admin@lotse.example")
	if err != nil {
		return err
	}
	vs, err := a.Community.MySpaces(admin)
	if err != nil {
		return err
	}
	space := map[string]int64{}
	for _, v := range vs {
		space[v.Space.AssociationName] = v.Space.ID
	}
	if space[programmes.Staedtetag] == 0 || space[programmes.Gemeindetag] == 0 {
		return fmt.Errorf("community: the associations' spaces are missing")
	}
	day(-5)
	channels := map[string]int64{}
	for _, c := range []domain.Channel{
		{Name: "Allgemein", Description: "Alles, was die Digitallotsinnen und Digitallotsen im Städtetag bewegt."},
		{Name: "KI", Description: "Künstliche Intelligenz in der Verwaltung: Erfahrungen, Werkzeuge, Fragen."},
		{Name: "OZG-Umsetzung", Description: "Onlinezugangsgesetz: Leistungen online bringen, Portale, Formulare."},
	} {
		ch, err := a.Community.CreateChannel(petra, space[programmes.Staedtetag], c)
		if err != nil {
			return err
		}
		channels[c.Name] = ch.ID
	}
	if _, err := a.Community.CreateChannel(admin, space[programmes.Gemeindetag], domain.Channel{Name: "Allgemein",
		Description: "Austausch der Digitallotsinnen und Digitallotsen der Gemeinden."}); err != nil {
		return err
	}
	type reply struct {
		who, body string
		day       int
	}
	threads := []struct {
		channel, who, title, body string
		day                       int
		replies                   []reply
	}{
		{"Allgemein", petraEmail, "Willkommen im Austausch des Städtetags", "Herzlich willkommen! Hier tauschen sich die Digitallotsinnen und Digitallotsen unserer Mitgliedsstädte aus.\n\n" +
			"Bitte lesen Sie die **Regeln** auf der Startseite des Austauschs. Folgen Sie den Kanälen, die Sie interessieren, dann erhalten Sie eine wöchentliche Zusammenfassung.", -5,
			[]reply{{niklasEmail, "Danke für den neuen Austausch! Ich bin Niklas aus Futurehausen und kümmere mich um die Digitalisierung im Bürgerbüro.", -4}}},
		{"KI", niklasEmail, "Chatbot für Bürgeranfragen – wer hat Erfahrungen?", "Wir überlegen, einen Chatbot für häufige Fragen im Bürgerbüro einzusetzen " +
			"(Öffnungszeiten, Unterlagen für den Personalausweis).\n\n- Welche Anbieter haben Sie angesehen?\n- Wie gehen Sie mit dem Datenschutz um?", -3,
			[]reply{{petraEmail, "Mehrere Städte haben dazu Erfahrungen. Eine gute Übersicht bietet der [Leitfaden des IT-Planungsrats](https://www.it-planungsrat.de).", -3}}},
		{"OZG-Umsetzung", niklasEmail, "Wohngeld online: Erfahrungen mit dem Antrag", "Seit Januar nehmen wir Wohngeldanträge online an. Die Hälfte kommt schon digital. " +
			"Schwierig sind die Nachweise als Foto: oft unleserlich.", -2, nil},
	}
	for _, t := range threads {
		day(t.day)
		ctx, err := as(t.who)
		if err != nil {
			return err
		}
		th, err := a.Community.CreateThread(ctx, channels[t.channel], community.NewThread{Title: t.title, Body: t.body})
		if err != nil {
			return err
		}
		for _, r := range t.replies {
			day(r.day)
			rctx, err := as(r.who)
			if err != nil {
				return err
			}
			if _, err := a.Community.Reply(rctx, th.ID, r.body, nil); err != nil {
				return err
			}
		}
	}
	lilly, err := as(lillyEmail)
	if err != nil {
		return err
	}
	return a.Community.Follow(lilly, domain.FollowChannel, channels["OZG-Umsetzung"], true)
}
