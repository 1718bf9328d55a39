package web

import (
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/geo"
	"github.com/lotse-oss/lotse/internal/pilots"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// pilots: the pages of the directory of digital pilots: /lotsen (search,
// filters, map), /lotsen/{id} (an entry with its contact), and
// /lotsen/mein-eintrag (create, change, hide, delete one's own entry).

func init() {
	maps.Copy(notices, map[string]string{
		"eintrag-gespeichert":    "Ihr Eintrag im Verzeichnis der Digitallotsen ist gespeichert.",
		"eintrag-geloescht":      "Ihr Eintrag ist gelöscht. Ihre Einwilligung ist widerrufen; veröffentlichte Projektsteckbriefe sind wieder Entwürfe.",
		"nachricht-gesendet":     "Ihre Nachricht ist unterwegs.",
		"steckbrief-gespeichert": "Der Projektsteckbrief ist gespeichert.",
		"steckbrief-geloescht":   "Der Projektsteckbrief ist gelöscht.",
	})
}

// topicGroup is an area of the framework with its competences, for topic
// choices (select or checkboxes).
type topicGroup struct {
	Code, Name string
	Topics     []topicChoice
}

type topicChoice struct {
	Code, Name string
	Checked    bool
}

// topicGroups groups the framework by area; codes in chosen are ticked.
func topicGroups(fw []domain.Competence, chosen []string) []topicGroup {
	var out []topicGroup
	for _, c := range fw {
		if c.Code == c.Area {
			out = append(out, topicGroup{Code: c.Code, Name: c.Name})
			continue
		}
		if len(out) == 0 || out[len(out)-1].Code != c.Area {
			out = append(out, topicGroup{Code: c.Area, Name: c.Area})
		}
		g := &out[len(out)-1]
		g.Topics = append(g.Topics, topicChoice{Code: c.Code, Name: c.Name, Checked: slices.Contains(chosen, c.Code)})
	}
	return out
}

// pilotMapCategories of the directory: districts by number of listed
// pilots; districts without one stay light, the others have a colour and
// a pattern, so they differ without colour too.
var pilotMapCategories = []geo.Category{
	{Key: "none", Label: "kein Eintrag", Fill: geo.NeutralFill},
	{Key: "few", Label: "1 bis 2 Einträge", Fill: "#0b5394", Pattern: "hatch"},
	{Key: "many", Label: "3 und mehr Einträge", Fill: "#1a6e31", Pattern: "dots"},
}

func pilotCategory(n int) string {
	switch {
	case n == 0:
		return "none"
	case n <= 2:
		return "few"
	}
	return "many"
}

type pilotsPage struct {
	Page
	Filter    domain.PilotFilter
	Groups    []topicGroup
	Districts []domain.DistrictCount
	// Listed are the districts with entries, for the table beside the map.
	Listed       []domain.DistrictCount
	DistrictName string
	Result       *domain.PilotPage
	Map          template.HTML
	// NextURL continues the list; FirstURL starts it again.
	NextURL, FirstURL string
	Searched          bool
}

// pilotsURL is the directory's address with the filter.
func pilotsURL(f domain.PilotFilter, district string) string {
	v := url.Values{}
	if f.Q != "" {
		v.Set("q", f.Q)
	}
	if f.Topic != "" {
		v.Set("thema", f.Topic)
	}
	if district != "" {
		v.Set("kreis", district)
	}
	if len(v) == 0 {
		return "/lotsen"
	}
	return "/lotsen?" + v.Encode()
}

func (s *Server) handlePilots(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := domain.PilotFilter{Q: q.Get("q"), Topic: q.Get("thema"), District: q.Get("kreis"), Cursor: q.Get("weiter")}
	p := &pilotsPage{Page: s.newPage(r, "Digitallotsen"), Filter: f, Searched: f.Q != "" || f.Topic != "" || f.District != ""}
	res, err := s.app.Pilots.Search(r.Context(), f)
	switch {
	case domain.ErrorCode(err) == domain.EInvalid || domain.ErrorCode(err) == domain.EBadRequest:
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		res = &domain.PilotPage{}
	case err != nil:
		return err
	}
	p.Result = res
	fw, err := s.app.Pilots.Framework(r.Context())
	if err != nil {
		return err
	}
	p.Groups = topicGroups(fw, nil)
	state, counts, err := s.app.Pilots.DistrictCounts(r.Context())
	if err != nil {
		return err
	}
	p.Districts = counts
	spec := geo.MapSpec{ID: "lotsenkarte", Title: "Digitallotsen nach Kreisen", Level: geo.LevelDistricts, Categories: pilotMapCategories, Attribution: true,
		Desc: "Karte der Stadt- und Landkreise mit der Zahl der Einträge im Verzeichnis. Jeder Kreis verweist auf die Einträge dort."}
	for _, d := range counts {
		if d.Count > 0 {
			p.Listed = append(p.Listed, d)
		}
		if d.District == f.District {
			p.DistrictName = d.Name
		}
		spec.Areas = append(spec.Areas, geo.Area{AGS: d.District, Category: pilotCategory(d.Count), Href: pilotsURL(f, d.District),
			Label: d.Name + ": " + plural(d.Count, "Eintrag", "Einträge")})
	}
	if atlas, err := geo.Load(state); err == nil {
		p.Map = atlas.Map(spec)
	}
	if res.Next != "" {
		v := r.URL.Query()
		v.Set("weiter", res.Next)
		p.NextURL = "/lotsen?" + v.Encode()
	}
	if f.Cursor != "" {
		p.FirstURL = pilotsURL(f, f.District)
	}
	s.render(w, r, http.StatusOK, "pilots", p)
	return nil
}

type pilotPage struct {
	Page
	E      *domain.PilotEntry
	Own    bool
	Briefs []domain.ProjectBrief
	// Message is what the contact form keeps after an error.
	ContactMessage string
	ShareEmail     bool
}

func (s *Server) pilotPage(r *http.Request, id int64) (*pilotPage, error) {
	e, err := s.app.Pilots.Entry(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p := &pilotPage{Page: s.newPage(r, e.Name), E: e, Own: e.PersonID == actor(r).PersonID()}
	bs, err := s.app.Pilots.Briefs(r.Context(), domain.BriefFilter{Author: e.PersonID})
	if err != nil {
		return nil, err
	}
	p.Briefs = bs.Items
	return p, nil
}

func (s *Server) handlePilot(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.pilotPage(r, id)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "pilot", p)
	return nil
}

func (s *Server) handlePilotContact(w http.ResponseWriter, r *http.Request) error {
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := form(r); err != nil {
		return err
	}
	c := domain.PilotContact{Message: r.PostForm.Get("message"), ShareEmail: r.PostForm.Get("share_email") != ""}
	err = s.app.Pilots.Contact(r.Context(), id, c)
	if err == nil {
		return redirect(w, r, "/lotsen/"+itoa(id)+"?hinweis=nachricht-gesendet")
	}
	code := domain.ErrorCode(err)
	if code != domain.EInvalid && code != domain.ERateLimited && code != domain.EConflict {
		return err
	}
	p, perr := s.pilotPage(r, id)
	if perr != nil {
		return perr
	}
	p.Errors, p.Message, p.ContactMessage, p.ShareEmail = domain.ErrorFields(err), domain.ErrorMessage(err), c.Message, c.ShareEmail
	s.render(w, r, httpx.Status(code), "pilot", p)
	return nil
}

// pilotEntryPage is the own-entry page: why one cannot enter yet, or the
// form with the consent.
type pilotEntryPage struct {
	Page
	St        *pilots.Standing
	Groups    []topicGroup
	In        domain.PilotEntryInput
	Tags      string
	Contacts  []domain.ContactPreference
	MaxTopics int
}

func (s *Server) pilotEntryForm(r *http.Request) (*pilotEntryPage, error) {
	st, err := s.app.Pilots.MyStanding(r.Context())
	if err != nil {
		return nil, err
	}
	fw, err := s.app.Pilots.Framework(r.Context())
	if err != nil {
		return nil, err
	}
	p := &pilotEntryPage{Page: s.newPage(r, "Mein Eintrag im Verzeichnis der Digitallotsen"), St: st, Contacts: domain.ContactPreferences,
		MaxTopics: domain.MaxPilotTopics, In: domain.PilotEntryInput{Contact: domain.ContactForm}}
	if len(st.Municipalities) > 0 {
		p.In.OrgID = st.Municipalities[0].ID
	}
	if e := st.Entry; e != nil {
		p.In = domain.PilotEntryInput{OrgID: e.OrgID, Topics: e.Topics, Tags: e.Tags, Help: e.Help, Contact: e.Contact, Phone: e.Phone, Hidden: e.Hidden, Consent: true}
		p.Tags = strings.Join(e.Tags, ", ")
	}
	p.Groups = topicGroups(fw, p.In.Topics)
	return p, nil
}

func (s *Server) handlePilotEntryForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.pilotEntryForm(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "pilot_entry", p)
	return nil
}

func (s *Server) handlePilotEntrySave(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	p, err := s.pilotEntryForm(r)
	if err != nil {
		return err
	}
	f := r.PostForm
	in := domain.PilotEntryInput{Topics: f["topics"], Tags: strings.Split(f.Get("tags"), ","), Help: f.Get("help"),
		Contact: domain.ContactPreference(f.Get("contact")), Phone: f.Get("phone"), Hidden: f.Get("hidden") != "", Consent: f.Get("consent") != ""}
	in.OrgID, _ = parseID(f.Get("organisation"))
	if _, err := s.app.Pilots.SaveMyEntry(r.Context(), in); err != nil {
		code := domain.ErrorCode(err)
		if code != domain.EInvalid {
			return err
		}
		p.In, p.Tags = in, f.Get("tags")
		p.Groups = topicGroups(mustFramework(s, r), in.Topics)
		p.Errors, p.Message = domain.ErrorFields(err), domain.ErrorMessage(err)
		s.render(w, r, httpx.Status(code), "pilot_entry", p)
		return nil
	}
	return redirect(w, r, "/lotsen/mein-eintrag?hinweis=eintrag-gespeichert")
}

// mustFramework is the framework, or none when it cannot be read (the
// form then shows no topics rather than failing twice).
func mustFramework(s *Server, r *http.Request) []domain.Competence {
	fw, _ := s.app.Pilots.Framework(r.Context())
	return fw
}

func (s *Server) handlePilotEntryDelete(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	if err := s.app.Pilots.DeleteMyEntry(r.Context()); err != nil {
		return err
	}
	return redirect(w, r, "/lotsen/mein-eintrag?hinweis=eintrag-geloescht")
}
