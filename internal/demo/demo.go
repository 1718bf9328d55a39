// Package demo loads the demo data: the story of Lilly and Niklas in the
// fictional city of Futurehausen, the Städtetag, the two training providers
// of the Digitallotsen programme, the ministry and an administrator, so that
// a new user sees a living platform at once.
package demo

import (
	"context"
	"time"

	"github.com/lotse-oss/lotse/internal/competences"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// DefaultPassword is the password of every demo login unless another is given.
const DefaultPassword = "Digitallotse-2026"

// Futurehausen's AGS: district 08999 does not exist in Baden-Württemberg,
// so the demo cannot clash with the real directory.
const FuturehausenAGS = "08999001"

// Login is a demo account.
type Login struct {
	Email, Name, Org string
	Roles            []domain.Role
}

// Logins are the demo accounts, in the order they are printed.
var Logins = []Login{
	{"lilly@futurehausen.example", "Lilly Lotse", "Stadt Futurehausen", []domain.Role{domain.RoleSignatory, domain.RoleParticipant}},
	{"niklas@futurehausen.example", "Niklas Neumann", "Stadt Futurehausen", []domain.Role{domain.RoleParticipant}},
	{"anna@futurehausen.example", "Anna Albrecht", "Stadt Futurehausen", []domain.Role{domain.RoleHR}},
	{"thomas@futurehausen.example", "Thomas Tüchtig", "Stadt Futurehausen", []domain.Role{domain.RoleAccountAdmin}},
	{"pruefung@staedtetag-bw.example", "Petra Prüfer", "Städtetag Baden-Württemberg", []domain.Role{domain.RoleReviewer, domain.RoleEventOrganiser, domain.RoleModerator}},
	{"pilot@kleinbach.example", "Paula Pionier", "Gemeinde Kleinbach", []domain.Role{domain.RoleParticipant}},
	{"kurse@verwaltungsschule-bw.example", "Karl Kursleiter", "Verwaltungsschule des Gemeindetags Baden-Württemberg", []domain.Role{domain.RoleProviderStaff}},
	{"kurse@vwa-bw.example", "Vera Weiterbildung", "Verwaltungs- und Wirtschafts-Akademien Baden-Württemberg", []domain.Role{domain.RoleProviderStaff}},
	{"foerderung@im-bw.example", "Franz Förderer", "Ministerium des Inneren, für Digitalisierung und Kommunen Baden-Württemberg", []domain.Role{domain.RoleFunder}},
	{"haushalt@im-bw.example", "Helga Haushalt", "Ministerium des Inneren, für Digitalisierung und Kommunen Baden-Württemberg", []domain.Role{domain.RoleFunder}},
	{"admin@lotse.example", "Ada Admin", "Lotse Plattformbetrieb", []domain.Role{domain.RoleAdmin, domain.RoleAccountAdmin}},
}

type org struct {
	name    string
	kind    domain.OrgKind
	ags     string
	members []string // association members by AGS
}

var orgs = []org{
	{name: "Stadt Futurehausen", kind: domain.OrgMunicipality, ags: FuturehausenAGS},
	{name: "Gemeinde Kleinbach", kind: domain.OrgMunicipality, ags: "08999002"},
	{name: "Stadt Mittelfeld", kind: domain.OrgMunicipality, ags: "08999003"},
	{name: "Landkreis Zukunftstal", kind: domain.OrgMunicipality, ags: "08999"},
	{name: "Lotse Plattformbetrieb", kind: domain.OrgPlatform},
}

// places are the fictional directory entries of the demo (district 08999).
func places(ref time.Time) []domain.Municipality {
	m := func(ags, name string, code, pop int, area int64, plz string) domain.Municipality {
		return domain.Municipality{AGS: ags, Name: name, Kind: domain.AreaMunicipality, TypeCode: code, DistrictAGS: "08999",
			StateAGS: "08", Population: pop, AreaHa: area, Postcode: plz, RefDate: ref}
	}
	return []domain.Municipality{
		{AGS: "08999", Name: "Zukunftstal", Kind: domain.AreaDistrict, TypeCode: 44, StateAGS: "08", Population: 216400, AreaHa: 98012, RefDate: ref},
		m(FuturehausenAGS, "Futurehausen", 67, 45210, 6120, "79999"),
		m("08999002", "Kleinbach", 64, 4180, 2210, "79998"),
		m("08999003", "Mittelfeld", 63, 18530, 3475, "79997"),
		m("08999004", "Neustadt am Datensee", 67, 118900, 9840, "79996"),
		m("08999005", "Bitzingen", 64, 29580, 4102, "79995"),
	}
}

// placeLocations are where the fictional places lie (latitude, longitude):
// in the Breisgau, north of Freiburg.
var placeLocations = map[string][2]float64{
	"08999":         {48.150, 7.900},
	FuturehausenAGS: {48.121, 7.849},
	"08999002":      {48.205, 7.955},
	"08999003":      {48.081, 7.975},
	"08999004":      {48.248, 7.812},
	"08999005":      {48.052, 8.041},
}

// Load loads the demo data unless it is there already; it reports whether
// it loaded anything.
func Load(ctx context.Context, db *store.DB, password string) (bool, error) {
	if _, err := db.PersonByEmail(ctx, Logins[0].Email); err == nil {
		return false, nil
	} else if domain.ErrorCode(err) != domain.ENotFound {
		return false, err
	}
	ref := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	entries := places(ref)
	if _, err := db.Municipality(ctx, "08"); domain.ErrorCode(err) == domain.ENotFound {
		entries = append(entries, domain.Municipality{AGS: "08", Name: "Baden-Württemberg", Kind: domain.AreaState, StateAGS: "08",
			Population: 11245898, AreaHa: 3574785, RefDate: ref})
	} else if err != nil {
		return false, err
	}
	if _, err := db.ImportMunicipalities(ctx, entries, "demo"); err != nil {
		return false, err
	}
	// The official boundaries do not know the fictional district: it lies
	// north of Freiburg, so that distances to the catalog's real places
	// can be measured.
	for ags, at := range placeLocations {
		if err := db.SetPlaceLocation(ctx, ags, at[0], at[1]); err != nil {
			return false, err
		}
	}
	// The programme's own organisations (ministry, associations,
	// providers) come with the programme.
	ids, err := programmes.Install(ctx, db)
	if err != nil {
		return false, err
	}
	if err := competences.Install(ctx, db); err != nil {
		return false, err
	}
	members := map[string][]string{
		programmes.Staedtetag:   {FuturehausenAGS, "08999003", "08999004"},
		programmes.Gemeindetag:  {"08999002", "08999005"},
		programmes.Landkreistag: {"08999"},
	}
	for name, ags := range members {
		if err := db.SetAssociationMembers(ctx, ids[name], ags); err != nil {
			return false, err
		}
	}
	for _, o := range orgs {
		org := &domain.Organisation{Name: o.name, Kind: o.kind, AGS: o.ags}
		if err := db.CreateOrganisation(ctx, org); err != nil {
			return false, err
		}
		ids[o.name] = org.ID
		if len(o.members) > 0 {
			if err := db.SetAssociationMembers(ctx, org.ID, o.members); err != nil {
				return false, err
			}
		}
	}
	for _, l := range Logins {
		now := db.Now()
		p := &domain.Person{Email: l.Email, Name: l.Name, EmailVerifiedAt: &now}
		if err := db.CreatePerson(ctx, p, password); err != nil {
			return false, err
		}
		if err := db.SetRoles(ctx, ids[l.Org], p.ID, l.Roles); err != nil {
			return false, err
		}
	}
	// The Verwaltungsschule has its invoice data on file, so it can claim
	// its redeemed vouchers straight away.
	if err := db.Transact(ctx, func(tx *store.Tx) error {
		return tx.SaveBillingProfile(ctx, &domain.BillingProfile{OrgID: ids[programmes.Verwaltungsschule],
			LegalName: "Verwaltungsschule des Gemeindetags Baden-Württemberg", Street: "Panoramastraße 31", Postcode: "70174", City: "Stuttgart",
			TaxNumber: "99015/12345", IBAN: "DE02120300000000202051", BIC: "BYLADEM1001", ContactName: "Karl Kursleiter",
			ContactPhone: "0711 000000-0", ContactEmail: "rechnung@verwaltungsschule-bw.example"})
	}); err != nil {
		return false, err
	}
	if err := loadCatalog(ctx, db, db.Now(), password); err != nil {
		return false, err
	}
	return true, loadHessen(ctx, db, password) // programmes: a second state's programme
}
