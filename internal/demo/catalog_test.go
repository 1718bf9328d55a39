package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/competences"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const testPassword = "ein-demo-passwort"

func TestDemoCatalog(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if loaded, err := demo.Load(ctx, db, testPassword); err != nil || !loaded {
			t.Fatalf("Load = %v, %v; want true, nil", loaded, err)
		}
		now := db.Now()
		ids, err := programmes.Install(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		programmeProviders := map[int64]bool{ids[programmes.Verwaltungsschule]: true, ids[programmes.VWA]: true}

		t.Run("catalog offers are published and varied", func(t *testing.T) {
			offers, total, err := db.Offers(ctx, store.OfferFilter{Status: domain.OfferPublished, Limit: 200})
			if err != nil {
				t.Fatal(err)
			}
			if total < 60 || len(offers) != total {
				t.Fatalf("%d published offers (%d listed), want at least 60", total, len(offers))
			}
			providers, areas, places, formats, certs := map[int64]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
			var online, modular, english, basis, free, maxPrice int
			for _, o := range offers {
				providers[o.ProviderID] = true
				formats[o.Format], certs[o.Certificate] = true, true
				for _, c := range o.Competences {
					area, _, _ := strings.Cut(c.Code, ".")
					areas[area] = true
				}
				if len(o.ModuleIDs) > 0 {
					modular++
					mods, _, err := db.Offers(ctx, store.OfferFilter{IDs: o.ModuleIDs})
					if err != nil || len(mods) != len(o.ModuleIDs) {
						t.Errorf("modules of %q: %d of %d found, %v", o.Title, len(mods), len(o.ModuleIDs), err)
					}
					for _, m := range mods {
						if m.ProviderID != o.ProviderID || m.Status != domain.OfferPublished {
							t.Errorf("module %q of %q: provider %d, status %s", m.Title, o.Title, m.ProviderID, m.Status)
						}
					}
				}
				if o.Language == "en" {
					english++
				}
				if o.PriceCents == 0 {
					free++
				}
				maxPrice = max(maxPrice, int(o.PriceCents))
				if o.Certificate == domain.CertECTS && o.Credits <= 0 {
					t.Errorf("%q: ECTS without credits", o.Title)
				}
				for _, ft := range o.FundingTracks {
					if !programmeProviders[o.ProviderID] {
						t.Errorf("%q of provider %d is funded by %s", o.Title, o.ProviderID, ft)
					}
					if ft == demo.BWID+"/"+domain.TrackBasis {
						basis++
						if o.Days != 3 || o.PriceCents != 30000 {
							t.Errorf("%q: %d days for %d cents, want 3 days for 300 €", o.Title, o.Days, o.PriceCents)
						}
					}
				}
				if o.Format == domain.FormatSelfPaced && len(o.Sessions) > 0 {
					t.Errorf("self-paced %q has sessions", o.Title)
				}
				if o.Format != domain.FormatSelfPaced && (len(o.Sessions) < 1 || len(o.Sessions) > 3) {
					t.Errorf("%q has %d sessions, want 1 to 3", o.Title, len(o.Sessions))
				}
				for _, s := range o.Sessions {
					if s.Online {
						online++
					} else {
						places[s.AGS] = true
						if s.Place == "" {
							t.Errorf("%q: session in %s, which the directory lacks", o.Title, s.AGS)
						}
					}
					if s.StartsAt.Before(now.AddDate(0, 2, -3)) || s.StartsAt.After(now.AddDate(0, 10, 3)) {
						t.Errorf("%q: session starts %s, want 2 to 10 months after %s", o.Title, s.StartsAt, now)
					}
					if !s.RegistrationDeadline.Equal(s.StartsAt.AddDate(0, 0, -7)) || s.Capacity < 12 || s.Capacity > 30 || s.Days != o.Days {
						t.Errorf("%q: session %+v", o.Title, s)
					}
				}
			}
			for _, c := range competences.Default() {
				if c.Code == c.Area && !areas[c.Area] {
					t.Errorf("no offer teaches a competence of area %s", c.Area)
				}
			}
			if len(providers) < 5 {
				t.Errorf("offers of %d providers, want at least 5", len(providers))
			}
			if online < 2 || len(places) < 5 {
				t.Errorf("%d online sessions and sessions in %d municipalities, want at least 2 and 5", online, len(places))
			}
			if modular != 1 || basis != 2 || english < 2 || free < 1 || maxPrice != 180000 || len(formats) != 4 || len(certs) != 3 {
				t.Errorf("%d modular, %d basis qualifications, %d English, %d free, highest price %d cents, %d formats, %d certificates",
					modular, basis, english, free, maxPrice, len(formats), len(certs))
			}
		})

		t.Run("catalog providers' staff can log in", func(t *testing.T) {
			for _, l := range demo.CatalogLogins {
				p, err := db.PersonByEmail(ctx, l.Email)
				if err != nil {
					t.Fatalf("%s: %v", l.Email, err)
				}
				if ok, err := store.CheckPassword(p.PasswordHash, testPassword); !ok || err != nil {
					t.Fatalf("%s: password does not match (%v)", l.Email, err)
				}
				ms, err := db.Memberships(ctx, p.ID)
				if err != nil || len(ms) != 1 || ms[0].OrgName != l.Org || ms[0].OrgKind != domain.OrgProvider || !ms[0].Has(domain.RoleProviderStaff) {
					t.Errorf("%s: memberships %+v, %v", l.Email, ms, err)
				}
			}
		})

		t.Run("bulk insert checks references before writing", func(t *testing.T) {
			before, err := db.CatalogVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			offers, count, err := db.Offers(ctx, store.OfferFilter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			good := offers[0]
			good.ID, good.Code, good.FundingTracks, good.ModuleIDs, good.Sessions = 0, "NEU-1", nil, nil, nil
			for _, c := range []struct {
				name   string
				change func(o *domain.Offer)
				field  string // of the EInvalid error; "" for a conflict
			}{
				{"unknown competence", func(o *domain.Offer) { o.Competences = []domain.OfferCompetence{{Code: "XYZ.9", Level: 1}} }, "competences"},
				{"unknown place", func(o *domain.Offer) {
					o.Sessions = []domain.Session{{StartsAt: now.AddDate(0, 3, 0), EndsAt: now.AddDate(0, 3, 0), Days: 1, Capacity: 10, AGS: "08999999"}}
				}, "ags"},
				{"funding of a provider the programme does not fund", func(o *domain.Offer) {
					o.ProviderID = providerOutside(t, db, programmeProviders)
					o.FundingTracks = []string{demo.BWID + "/" + domain.TrackAdvanced}
				}, "funding_tracks"},
				{"course code used twice in the input", func(o *domain.Offer) { o.Code = good.Code }, "code"},
				{"course code in use", func(o *domain.Offer) { o.Code = offers[0].Code }, ""},
			} {
				bad := good
				bad.Code = "NEU-2"
				bad.Competences = append([]domain.OfferCompetence(nil), good.Competences...)
				c.change(&bad)
				err := db.BulkInsertOffers(ctx, []domain.Offer{good, bad})
				switch {
				case c.field == "" && domain.ErrorCode(err) != domain.EConflict:
					t.Errorf("%s: err = %v, want a conflict", c.name, err)
				case c.field != "" && domain.ErrorFields(err)[c.field] == "":
					t.Errorf("%s: err = %v, want a message for %s", c.name, err, c.field)
				}
			}
			_, total, err := db.Offers(ctx, store.OfferFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if after, _ := db.CatalogVersion(ctx); after != before || total != count {
				t.Errorf("after rejected inserts: %d offers, catalog version %d; before: %d, %d", total, after, count, before)
			}
		})

		t.Run("generated offers", func(t *testing.T) {
			start := time.Now()
			if err := demo.GenerateOffers(ctx, db, 2000, 1, db.Now()); err != nil {
				t.Fatal(err)
			}
			t.Logf("generated 2,000 offers in %s", time.Since(start))
			var n, funded, sessions int
			codes := map[string]bool{}
			err := db.PublishedOffers(ctx, func(o *domain.Offer) error {
				n++
				key := o.ProviderName + "|" + o.Code
				if codes[key] {
					t.Errorf("course code %s of %s twice", o.Code, o.ProviderName)
				}
				codes[key] = true
				if len(o.FundingTracks) > 0 {
					funded++
					if !programmeProviders[o.ProviderID] {
						t.Errorf("%q of %s is funded", o.Title, o.ProviderName)
					}
				}
				sessions += len(o.Sessions)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n < 2060 || funded < 100 || funded > 400 || sessions < 2000 {
				t.Errorf("%d published offers, %d funded, %d sessions; want at least 2,060, about 10 %% funded, some sessions", n, funded, sessions)
			}
			// Offers and sessions created one by one get fresh IDs after the bulk insert.
			offers, _, err := db.Offers(ctx, store.OfferFilter{Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			o := offers[0]
			o.ID, o.Code, o.Sessions = 0, "EINZELN-1", nil
			if err := catalog.CreateOffer(ctx, db, &o); err != nil {
				t.Fatal(err)
			}
			start = db.Now().AddDate(0, 3, 0)
			s := &domain.Session{OfferID: o.ID, StartsAt: start, EndsAt: start.Add(8 * time.Hour), Days: 1, Capacity: 20, Online: true}
			if err := catalog.AddSession(ctx, db, s); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("a second load does nothing", func(t *testing.T) {
			_, before, err := db.Offers(ctx, store.OfferFilter{})
			if err != nil {
				t.Fatal(err)
			}
			version, err := db.CatalogVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if loaded, err := demo.Load(ctx, db, testPassword); err != nil || loaded {
				t.Fatalf("second Load = %v, %v; want false, nil", loaded, err)
			}
			if err := demo.LoadCatalog(ctx, db, db.Now()); err != nil {
				t.Fatal(err)
			}
			_, after, err := db.Offers(ctx, store.OfferFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if v, _ := db.CatalogVersion(ctx); after != before || v != version {
				t.Errorf("offers %d → %d, catalog version %d → %d", before, after, version, v)
			}
		})
	})
}

// providerOutside returns a provider the Digitallotsen programme does not fund.
func providerOutside(t *testing.T, db *store.DB, funded map[int64]bool) int64 {
	t.Helper()
	kind := domain.OrgProvider
	orgs, _, err := db.Organisations(context.Background(), domain.OrgFilter{Kind: &kind, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if !funded[o.ID] {
			return o.ID
		}
	}
	t.Fatal("no provider outside the programme")
	return 0
}
