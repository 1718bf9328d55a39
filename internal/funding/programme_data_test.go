package funding_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/funding"
	"github.com/lotse-oss/lotse/internal/funding/fundingtest"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

const (
	franz = "foerderung@im-bw.example"
	hanna = "foerderung@digitales-hessen.example"
	ada   = "admin@lotse.example"
)

// hessenRule is a per-capita contingent: one person per 20,000 inhabitants,
// one to four.
var hessenRule = []domain.ContingentRule{
	{ApplicantKind: domain.ApplicantMunicipality, MinPopulation: 1, People: 1, PerInhabitants: 20000, MaxPeople: 4},
	{ApplicantKind: domain.ApplicantDistrict, MinPopulation: 0, People: 2},
}

func TestFunderClonesChangesExportsAndAFreshInstanceImportsTheSameProgramme(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		fundingtest.Fixture(t, db)
		ctx := fundingtest.As(t, db, franz)
		// The original requires a second factor; the copy and the export
		// keep that.
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.SetProgrammeRequireMFA(ctx, demo.BWID, true)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		c, err := fund(db).CloneProgramme(ctx, demo.BWID, "digitallotsen-rp", "Digitallotsen Rheinland-Pfalz")
		if err != nil {
			t.Fatal(err)
		}
		bw, err := fund(db).Programme(ctx, demo.BWID)
		if err != nil {
			t.Fatal(err)
		}
		if c.FunderID != bw.FunderID || len(c.Tracks) != len(bw.Tracks) || c.ContractText != bw.ContractText || c.Name != "Digitallotsen Rheinland-Pfalz" {
			t.Fatalf("the clone copies everything but ID and name: %+v", c)
		}
		// Franz changes the clone's contingent rule to a per-capita formula;
		// the original keeps its bands.
		c.Contingent, c.State = hessenRule, "07"
		if err := fund(db).SaveProgramme(ctx, c.ID, c); err != nil {
			t.Fatal(err)
		}
		if again, _ := fund(db).Programme(ctx, demo.BWID); len(again.Contingent) != 5 || again.Contingent[0].PerInhabitants != 0 {
			t.Fatalf("the original changed with its clone: %+v", again.Contingent)
		}
		x, err := fund(db).ExportProgramme(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !x.Programme.RequireSecondFactor {
			t.Error("the clone's export lost the second-factor requirement")
		}
		if x.Format != domain.ProgrammeFormat || x.Programme.Funder != "im-bw" || len(x.Organisations) != 6 {
			t.Fatalf("export: format %d, funder %q, %d organisations", x.Format, x.Programme.Funder, len(x.Organisations))
		}
		b, err := json.Marshal(x)
		if err != nil {
			t.Fatal(err)
		}

		// Another instance: a fresh database with the shipped programme
		// (same organisations, found by key) and an admin.
		fresh := storetest.Open(t, db.Dialect)
		if _, err := programmes.Install(context.Background(), fresh); err != nil {
			t.Fatal(err)
		}
		adminCtx := freshAdmin(t, fresh)
		parsed, err := domain.ParseProgrammeExport(b)
		if err != nil {
			t.Fatal(err)
		}
		imported, err := fund(fresh).ImportProgramme(adminCtx, parsed, funding.ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		y, err := fund(fresh).ExportProgramme(adminCtx, imported.ID)
		if err != nil {
			t.Fatal(err)
		}
		x.ExportedAt, y.ExportedAt = x.ExportedAt.UTC().Truncate(0), x.ExportedAt.UTC().Truncate(0)
		bx, _ := json.Marshal(x)
		by, _ := json.Marshal(y)
		if string(bx) != string(by) {
			t.Fatalf("the imported programme differs:\n%s\n%s", bx, by)
		}
		if on, err := fresh.ProgrammeRequiresMFA(context.Background(), imported.ID); err != nil || !on {
			t.Errorf("the imported programme requires a second factor: %v %v", on, err)
		}
		// The formula counts on the other instance: a city of 45,210 gets 3.
		got, _ := fund(fresh).Programme(adminCtx, imported.ID)
		if n := got.Entitlement(domain.ApplicantMunicipality, 45210); n != 3 {
			t.Fatalf("entitlement on the new instance: %d, want 3", n)
		}
		// A second import of the same ID is a conflict; nothing changes.
		_, err = fund(fresh).ImportProgramme(adminCtx, parsed, funding.ImportOptions{})
		storetest.WantCode(t, err, domain.EConflict)
	})
}

// freshAdmin makes a platform admin on a fresh database.
func freshAdmin(t *testing.T, db *store.DB) context.Context {
	t.Helper()
	ctx := context.Background()
	org := &domain.Organisation{Name: "Plattformbetrieb", Kind: domain.OrgPlatform}
	if err := db.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	p := storetest.MustCreatePerson(t, db, "admin@neu.example", "Neue Administration")
	if err := db.SetRoles(ctx, org.ID, p.ID, []domain.Role{domain.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	return fundingtest.As(t, db, "admin@neu.example")
}

func TestImportRefusesUnknownVersionsBrokenReferencesAndMissingOrganisations(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		fundingtest.Fixture(t, db)
		x, err := demo.HessenExport()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(x)
		// A newer format is refused by its number.
		newer := strings.Replace(string(b), `"format":1`, `"format":2`, 1)
		if _, err := domain.ParseProgrammeExport([]byte(newer)); err == nil || !strings.Contains(domain.ErrorMessage(err), "Format 2") {
			t.Fatalf("format 2: %v", err)
		}
		if _, err := domain.ParseProgrammeExport([]byte(`{"programme": {}}`)); domain.ErrorCode(err) != domain.EInvalid {
			t.Fatalf("no format: %v", err)
		}
		// A provider key not listed among the organisations.
		broken := *x
		broken.Programme.Providers = []string{"gibt-es-nicht"}
		if err := broken.Check(); err == nil || !strings.Contains(domain.ErrorFields(err)["programme.providers.0"], "gibt-es-nicht") {
			t.Fatalf("broken reference: %v", err)
		}

		fresh := storetest.Open(t, db.Dialect)
		if _, err := programmes.Install(context.Background(), fresh); err != nil {
			t.Fatal(err)
		}
		adminCtx := freshAdmin(t, fresh)
		_, err = fund(fresh).ImportProgramme(adminCtx, x, funding.ImportOptions{})
		storetest.WantCode(t, err, domain.EInvalid)
		for _, name := range []string{"Ministerium für Digitales Hessen", "Kommunalverbund Hessen", "Kreisverbund Hessen", "Kommunale Akademie Hessen"} {
			if !strings.Contains(domain.ErrorMessage(err), name) {
				t.Errorf("the refusal does not name %q: %s", name, domain.ErrorMessage(err))
			}
		}
		if _, err := fund(fresh).Programme(adminCtx, demo.HessenID); domain.ErrorCode(err) != domain.ENotFound {
			t.Fatalf("a refused import left a programme: %v", err)
		}
		// An admin may create the missing organisations with the import.
		p, err := fund(fresh).ImportProgramme(adminCtx, x, funding.ImportOptions{CreateMissing: true})
		if err != nil {
			t.Fatal(err)
		}
		if p.Entitlement(domain.ApplicantMunicipality, 38420) != 3 || p.Entitlement(domain.ApplicantDistrict, 400000) != 6 {
			t.Fatalf("the Hessen rule: %+v", p.Contingent)
		}
	})
}

func TestOnlyFundersAndAdminsCreateAndAFunderOnlyForItself(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		fundingtest.Fixture(t, db)
		bw, err := db.Programme(context.Background(), demo.BWID)
		if err != nil {
			t.Fatal(err)
		}
		p := *bw
		p.ID, p.Name = "neues-programm", "Neues Programm"
		// Lilly (a signatory) may not.
		_, err = fund(db).CloneProgramme(fundingtest.As(t, db, fundingtest.Lilly), demo.BWID, "lillys-programm", "Lillys Programm")
		storetest.WantCode(t, err, domain.EForbidden)
		err = fund(db).CreateProgramme(fundingtest.As(t, db, fundingtest.Lilly), &p)
		storetest.WantCode(t, err, domain.EForbidden)
		// Hanna (Hessen's funder) may not create a programme of the BW
		// ministry, and her clone of BW becomes Hessen's.
		hannaCtx := fundingtest.As(t, db, hanna)
		q := p
		err = fund(db).CreateProgramme(hannaCtx, &q)
		storetest.WantCode(t, err, domain.EForbidden)
		c, err := fund(db).CloneProgramme(hannaCtx, demo.BWID, "bw-kopie-hessen", "Kopie für Hessen")
		if err != nil {
			t.Fatal(err)
		}
		he, _ := db.Programme(context.Background(), demo.HessenID)
		if c.FunderID != he.FunderID {
			t.Fatalf("Hanna's clone is funded by %d, want Hessen's %d", c.FunderID, he.FunderID)
		}
		// An ID that exists, and a bad ID, are refused with a message for the field.
		_, err = fund(db).CloneProgramme(hannaCtx, demo.BWID, demo.HessenID, "Doppelt")
		storetest.WantCode(t, err, domain.EConflict)
		_, err = fund(db).CloneProgramme(hannaCtx, demo.BWID, "Nicht Gut!", "Schlecht")
		if domain.ErrorFields(err)["id"] == "" {
			t.Fatalf("bad ID: %v", err)
		}
		// The admin creates for any funder.
		r := p
		r.ID = "admin-programm"
		if err := fund(db).CreateProgramme(fundingtest.As(t, db, ada), &r); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAHessenCityAppliesInTheHessenProgrammeWithItsOwnContingent(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		fundingtest.Fixture(t, db)
		ctx := fundingtest.As(t, db, "nora@neuwiesen.example")
		p, err := fund(db).ProgrammeFor(ctx, demo.NeuwiesenAGS)
		if err != nil || p.ID != demo.HessenID {
			t.Fatalf("the programme for Neuwiesen: %v %v", p, err)
		}
		// Neuwiesen, 38,420 inhabitants: one per 15,000, rounded up: 3.
		c, err := fund(db).Contingent(ctx, demo.HessenID, demo.NeuwiesenAGS)
		if err != nil || c.Total != 3 {
			t.Fatalf("contingent: %+v %v", c, err)
		}
		org, err := db.OrganisationByAGS(context.Background(), demo.NeuwiesenAGS)
		if err != nil {
			t.Fatal(err)
		}
		prog, track, people, yes, provider := demo.HessenID, domain.TrackBasis, 4, true, p.ProviderIDs[0]
		a, err := fund(db).CreateApplication(ctx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track, ProviderID: &provider,
			People: &people, Declarations: &yes})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fund(db).SubmitApplication(ctx, a.ID); domain.ErrorFields(err)["people"] == "" {
			t.Fatalf("4 people over a contingent of 3: %v", err)
		}
		// The BW programme does not take a Hessen city.
		bwProg := demo.BWID
		bwProvider := int64(0)
		if bw, err := db.Programme(context.Background(), demo.BWID); err == nil {
			bwProvider = bw.ProviderIDs[0]
		}
		_, err = fund(db).CreateApplication(ctx, org.ID, domain.ApplicationInput{ProgrammeID: &bwProg, Track: &track, ProviderID: &bwProvider,
			People: &people, Declarations: &yes})
		storetest.WantCode(t, err, domain.EInvalid)
		// Three people go through, reviewed by Hessen's association.
		three := 3
		a, err = fund(db).UpdateApplication(ctx, a.ID, domain.ApplicationInput{People: &three})
		if err != nil {
			t.Fatal(err)
		}
		if a, err = fund(db).SubmitApplication(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		a, err = fund(db).WithRenderer(fundingtest.NoDocuments).ApproveApplication(fundingtest.As(t, db, "pruefung@kommunalverbund-hessen.example"), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Vouchers) != 3 || a.Vouchers[0].ValueCents != 35000 {
			t.Fatalf("vouchers: %+v", a.Vouchers)
		}
		// Petra (BW's Städtetag) does not review in Hessen.
		if _, err := fund(db).Application(fundingtest.As(t, db, fundingtest.Reviewer), a.ID, "application.view"); err == nil {
			t.Fatal("the BW reviewer sees a Hessen application")
		}
	})
}

func TestApplicationsOutsideTheProgrammesDatesAreRefused(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx, org, provider := fundingtest.Fixture(t, db)
		franzCtx := fundingtest.As(t, db, franz)
		bw, err := fund(db).Programme(franzCtx, demo.BWID)
		if err != nil {
			t.Fatal(err)
		}
		bw.StartsOn, bw.EndsOn = "2020-01-01", "2020-12-31"
		if err := fund(db).SaveProgramme(franzCtx, bw.ID, bw); err != nil {
			t.Fatal(err)
		}
		prog, track, yes, people := demo.BWID, domain.TrackBasis, true, 1
		_, err = fund(db).CreateApplication(ctx, org.ID, domain.ApplicationInput{ProgrammeID: &prog, Track: &track, ProviderID: &provider,
			People: &people, Declarations: &yes})
		if domain.ErrorCode(err) != domain.EConflict || !strings.Contains(domain.ErrorMessage(err), "vom 01.01.2020 bis zum 31.12.2020") {
			t.Fatalf("outside the dates: %v", err)
		}
	})
}

func TestInstallingOnAnOlderPlatformGivesItsOrganisationsTheSeedKeys(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if _, err := programmes.Install(ctx, db); err != nil {
			t.Fatal(err)
		}
		// A platform from before the keys: the programme and its
		// organisations, no keys; one organisation renamed since.
		if err := db.Transact(ctx, func(tx *store.Tx) error {
			if _, err := tx.ExecContext(ctx, `DELETE FROM org_keys`); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE organisations SET name = 'VWA Baden-Württemberg' WHERE name = $1`, programmes.VWA)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		_, before, err := db.Organisations(ctx, domain.OrgFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		ids, err := programmes.Install(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		_, after, _ := db.Organisations(ctx, domain.OrgFilter{Limit: 100})
		if after != before {
			t.Fatalf("the install created organisations: %d, then %d", before, after)
		}
		if ids[programmes.Staedtetag] == 0 || ids[programmes.VWA] != 0 {
			t.Fatalf("resolved: %v", ids)
		}
		// The export names the Städtetag by the seed's key, the renamed one by a key from its new name.
		x, err := fund(db).ExportProgramme(freshAdmin(t, db), demo.BWID)
		if err != nil {
			t.Fatal(err)
		}
		keys := map[string]bool{}
		for _, o := range x.Organisations {
			keys[o.Key] = true
		}
		if !keys["staedtetag-bw"] || !keys["vwa-baden-wuerttemberg"] {
			t.Fatalf("keys: %v", keys)
		}
	})
}
