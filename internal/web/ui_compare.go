package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/lotse-oss/lotse/internal/domain"
)

const compareCookie = "lotse_vergleich"

// compareList reads the compare list kept in a cookie, at most four offers.
func compareList(r *http.Request) []int64 {
	c, err := r.Cookie(compareCookie)
	if err != nil {
		return nil
	}
	var ids []int64
	for _, p := range strings.Split(c.Value, "-") {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil && id > 0 && !slices.Contains(ids, id) && len(ids) < 4 {
			ids = append(ids, id)
		}
	}
	return ids
}

func (s *Server) setCompareList(w http.ResponseWriter, ids []int64) {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = itoa(id)
	}
	http.SetCookie(w, &http.Cookie{Name: compareCookie, Value: strings.Join(parts, "-"), Path: "/", HttpOnly: true,
		Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 30 * 24 * 3600})
}

type comparePage struct {
	Page
	Offers []domain.Offer
	Rows   []compareRow
}

type compareRow struct {
	Label  string
	Values []string
	Differ bool
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) error {
	ids := compareList(r)
	// An empty list compares nothing (Published without IDs would list
	// every published offer).
	var offers []domain.Offer
	if len(ids) > 0 {
		var err error
		if offers, err = s.app.Catalog.Published(r.Context(), ids); err != nil {
			return err
		}
	}
	p := &comparePage{Page: s.newPage(r, "Angebote vergleichen"), Offers: offers}
	row := func(label string, f func(o *domain.Offer) string) {
		cr := compareRow{Label: label}
		for i := range offers {
			cr.Values = append(cr.Values, f(&offers[i]))
			if i > 0 && cr.Values[i] != cr.Values[0] {
				cr.Differ = true
			}
		}
		p.Rows = append(p.Rows, cr)
	}
	row("Bildungsträger", func(o *domain.Offer) string { return o.ProviderName })
	row("Format", func(o *domain.Offer) string { return domain.OfferLabel(o.Format) })
	row("Niveau", func(o *domain.Offer) string { return domain.OfferLabel(o.Level) })
	row("Sprache", func(o *domain.Offer) string { return domain.OfferLabel(o.Language) })
	row("Dauer", func(o *domain.Offer) string {
		if o.Days == 0 {
			return plural(o.Hours, "Stunde", "Stunden")
		}
		return plural(o.Hours, "Stunde", "Stunden") + " an " + plural(o.Days, "Tag", "Tagen")
	})
	row("Aufwand", func(o *domain.Offer) string { return o.Workload })
	row("Preis", func(o *domain.Offer) string { return money(o.PriceCents) })
	row("Abschluss", func(o *domain.Offer) string { return domain.OfferLabel(o.Certificate) })
	row("ECTS-Punkte", func(o *domain.Offer) string {
		if o.Credits == 0 {
			return "–"
		}
		return strings.Replace(strconv.FormatFloat(o.Credits, 'f', -1, 64), ".", ",", 1)
	})
	row("Kompetenzen", func(o *domain.Offer) string {
		var ns []string
		for _, c := range o.Competences {
			ns = append(ns, fmt.Sprintf("%s (Stufe %d)", c.Name, c.Level))
		}
		return strings.Join(ns, "; ")
	})
	row("Förderung", func(o *domain.Offer) string {
		if len(o.FundingTracks) == 0 {
			return "keine"
		}
		labels := make([]string, len(o.FundingTracks))
		for i, f := range o.FundingTracks {
			labels[i] = s.fundingLabel(f)
		}
		return strings.Join(labels, ", ")
	})
	row("Zielgruppen", func(o *domain.Offer) string { return strings.Join(o.TargetGroups, ", ") })
	row("Voraussetzungen", func(o *domain.Offer) string { return o.Prerequisites })
	row("Nächster Termin", func(o *domain.Offer) string {
		for _, ses := range o.Sessions {
			if ses.RegistrationDeadline.After(s.now()) {
				place := "online"
				if !ses.Online {
					place = ses.Place
				}
				return ses.StartsAt.In(berlin).Format("02.01.2006") + ", " + place
			}
		}
		return "kein Termin"
	})
	// Rows without any value say nothing.
	p.Rows = slices.DeleteFunc(p.Rows, func(cr compareRow) bool {
		return !slices.ContainsFunc(cr.Values, func(v string) bool { return v != "" })
	})
	s.render(w, r, http.StatusOK, "compare", p)
	return nil
}

func (s *Server) handleCompareChange(w http.ResponseWriter, r *http.Request) error {
	if err := form(r); err != nil {
		return err
	}
	ids := compareList(r)
	id, _ := strconv.ParseInt(r.PostForm.Get("angebot"), 10, 64)
	back := safeNext(r.PostForm.Get("zurueck"))
	switch r.PostForm.Get("aktion") {
	case "hinzufuegen":
		if _, err := s.app.Catalog.Offer(r.Context(), id); err != nil {
			return err
		}
		if len(ids) >= 4 && !slices.Contains(ids, id) {
			return domain.Errorf(domain.EConflict, "Sie können höchstens vier Angebote vergleichen. Entfernen Sie zuerst eines.")
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	case "entfernen":
		ids = slices.DeleteFunc(ids, func(x int64) bool { return x == id })
	case "leeren":
		ids = nil
	default:
		return domain.Errorf(domain.EBadRequest, "Unbekannte Aktion.")
	}
	s.setCompareList(w, ids)
	return redirect(w, r, back)
}
