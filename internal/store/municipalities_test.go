package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/directory"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

var refDate = time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)

// testDirectory is a small synthetic municipality directory. Its last
// entries carry LIKE wildcards in their names, and their look-alikes, to
// show that a query's % and _ are taken literally.
func testDirectory() []domain.Municipality {
	state := func(ags, name string, pop int) domain.Municipality {
		return domain.Municipality{AGS: ags, Name: name, Kind: domain.AreaState, TypeCode: 10, StateAGS: ags, Population: pop, AreaHa: 1_000_000, RefDate: refDate}
	}
	district := func(ags, name string, code, pop int) domain.Municipality {
		return domain.Municipality{AGS: ags, Name: name, Kind: domain.AreaDistrict, TypeCode: code, StateAGS: ags[:2], Population: pop, AreaHa: 50_000, RefDate: refDate}
	}
	municipality := func(ags, name string, code, pop int, postcode string) domain.Municipality {
		return domain.Municipality{AGS: ags, Name: name, Kind: domain.AreaMunicipality, TypeCode: code, StateAGS: ags[:2], DistrictAGS: ags[:5],
			Population: pop, AreaHa: 5_000, Postcode: postcode, RefDate: refDate}
	}
	return []domain.Municipality{
		state("05", "Nordrhein-Westfalen", 18_000_000),
		district("05111", "Düsseldorf", 41, 620_000),
		municipality("05111000", "Düsseldorf", 61, 620_000, "40213"),
		state("08", "Baden-Württemberg", 11_100_000),
		district("08111", "Stuttgart", 42, 610_000),
		municipality("08111000", "Stuttgart", 62, 610_000, "70173"),
		district("08999", "Testkreis", 43, 4_000),
		municipality("08999001", "Prozent%dorf", 64, 1_000, "79999"),
		municipality("08999002", "Prozentdorf", 64, 1_000, "79999"),
		municipality("08999003", "Unter_see", 64, 1_000, "79999"),
		municipality("08999004", "Unterxsee", 64, 1_000, "79999"),
		state("09", "Bayern", 13_300_000),
		district("09162", "München", 41, 1_500_000),
		municipality("09162000", "München", 61, 1_500_000, "80331"),
		district("09177", "Erding", 44, 140_000),
		municipality("09177117", "Dorfen", 63, 14_900, "84405"),
		district("09184", "München", 44, 350_000),
		municipality("09184119", "Unterschleißheim", 63, 29_000, "85716"),
		municipality("09184147", "Oberschleißheim", 64, 12_000, "85764"),
		district("09780", "Oberallgäu", 44, 155_000),
		municipality("09780139", "Oberstdorf", 60, 9_800, "87561"),
	}
}

// seedDirectory imports testDirectory.
func seedDirectory(tb testing.TB, db *store.DB) []domain.Municipality {
	tb.Helper()
	ms := testDirectory()
	if _, err := db.ImportMunicipalities(context.Background(), ms, "test"); err != nil {
		tb.Fatalf("ImportMunicipalities: %v", err)
	}
	return ms
}

// search returns the AGS the query finds, in result order.
func search(tb testing.TB, db *store.DB, f domain.MunicipalityFilter) []string {
	tb.Helper()
	ms, total, err := db.Municipalities(context.Background(), f)
	if err != nil {
		tb.Fatalf("Municipalities(%+v): %v", f, err)
	}
	if total < len(ms) {
		tb.Errorf("Municipalities(%+v): total %d < %d results", f, total, len(ms))
	}
	out := []string{}
	for _, m := range ms {
		out = append(out, m.AGS)
	}
	return out
}

func TestImportMunicipalitiesTwiceChangesNothing(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ms := testDirectory()
		st, err := db.ImportMunicipalities(ctx, ms, "GV100AD_test.txt")
		if err != nil {
			t.Fatal(err)
		}
		want := domain.ImportStats{States: 3, Districts: 7, Municipalities: 11, Inserted: len(ms)}
		if st != want {
			t.Errorf("first import: %+v, want %+v", st, want)
		}
		st, err = db.ImportMunicipalities(ctx, testDirectory(), "GV100AD_test.txt")
		if err != nil {
			t.Fatal(err)
		}
		want = domain.ImportStats{States: 3, Districts: 7, Municipalities: 11, Unchanged: len(ms)}
		if st != want {
			t.Errorf("second import: %+v, want %+v", st, want)
		}
		entries, _, err := db.Audit(ctx, domain.AuditFilter{Action: "directory.import"})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || entries[0].ObjectID != "GV100AD_test.txt" {
			t.Errorf("audit entries %+v, want two imports of GV100AD_test.txt", entries)
		}
	})
}

func TestImportMunicipalitiesUpdatesChangedEntriesAndKeepsMissingOnes(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ms := seedDirectory(t, db)
		i := slices.IndexFunc(ms, func(m domain.Municipality) bool { return m.AGS == "09184119" })
		ms[i].Population = 30_123
		// An entry missing from the file stays in the directory.
		ms = slices.DeleteFunc(ms, func(m domain.Municipality) bool { return m.AGS == "09780139" })

		st, err := db.ImportMunicipalities(ctx, ms, "update")
		if err != nil {
			t.Fatal(err)
		}
		if st.Updated != 1 || st.Inserted != 0 || st.Unchanged != len(ms)-1 {
			t.Errorf("stats %+v, want 1 updated, %d unchanged", st, len(ms)-1)
		}
		got, err := db.Municipality(ctx, "09184119")
		if err != nil {
			t.Fatal(err)
		}
		if got.Population != 30_123 {
			t.Errorf("population %d, want 30123", got.Population)
		}
		if _, err := db.Municipality(ctx, "09780139"); err != nil {
			t.Errorf("entry missing from the file was removed: %v", err)
		}
	})
}

func TestImportMunicipalitiesAppliesLargeFilesInBatches(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ms := []domain.Municipality{
			{AGS: "07", Name: "Rheinland-Pfalz", Kind: domain.AreaState, TypeCode: 10, StateAGS: "07", RefDate: refDate},
			{AGS: "07999", Name: "Großkreis", Kind: domain.AreaDistrict, TypeCode: 44, StateAGS: "07", RefDate: refDate},
		}
		for i := range 1000 {
			ms = append(ms, domain.Municipality{AGS: fmt.Sprintf("07999%03d", i), Name: fmt.Sprintf("Ortsgemeinde %d", i),
				Kind: domain.AreaMunicipality, TypeCode: 64, StateAGS: "07", DistrictAGS: "07999", Population: i, RefDate: refDate})
		}
		st, err := db.ImportMunicipalities(ctx, ms, "large")
		if err != nil {
			t.Fatal(err)
		}
		if st.Inserted != len(ms) || st.Municipalities != 1000 {
			t.Errorf("stats %+v", st)
		}
		_, total, err := db.Municipalities(ctx, domain.MunicipalityFilter{Query: "07999", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1001 {
			t.Errorf("%d entries under 07999, want 1001", total)
		}
		got, err := db.Municipality(ctx, "07999999")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Ortsgemeinde 999" || got.DistrictName != "Großkreis" || got.StateName != "Rheinland-Pfalz" {
			t.Errorf("last entry %+v", got)
		}
	})
}

func TestMunicipalityReadsBackWithDistrictAndStateNames(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedDirectory(t, db)
		got, err := db.Municipality(ctx, "09184119")
		if err != nil {
			t.Fatal(err)
		}
		want := domain.Municipality{AGS: "09184119", Name: "Unterschleißheim", Kind: domain.AreaMunicipality, TypeCode: 63, Type: "Stadt",
			DistrictAGS: "09184", DistrictName: "München", StateAGS: "09", StateName: "Bayern", Population: 29_000, AreaHa: 5_000,
			Postcode: "85716", RefDate: refDate}
		if *got != want {
			t.Errorf("got  %+v\nwant %+v", *got, want)
		}
		_, err = db.Municipality(ctx, "09999999")
		wantCode(t, err, domain.ENotFound)
	})
}

func TestSearchMunicipalities(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		seedDirectory(t, db)
		for _, tc := range []struct {
			name string
			f    domain.MunicipalityFilter
			want []string
		}{
			{"name prefix, larger places first", domain.MunicipalityFilter{Query: "Mün"}, []string{"09162", "09162000", "09184"}},
			{"substring", domain.MunicipalityFilter{Query: "schleiß"}, []string{"09184119", "09184147"}},
			{"prefix before larger substring match", domain.MunicipalityFilter{Query: "dorf"}, []string{"09177117", "05111", "05111000", "09780139", "08999001", "08999002"}},
			{"case", domain.MunicipalityFilter{Query: "STUTTGART"}, []string{"08111", "08111000"}},
			{"surrounding space", domain.MunicipalityFilter{Query: "  Erding "}, []string{"09177"}},
			{"umlaut written ue", domain.MunicipalityFilter{Query: "Muenchen"}, []string{"09162", "09162000", "09184"}},
			{"umlaut without dots", domain.MunicipalityFilter{Query: "Dusseldorf", Kind: domain.AreaMunicipality}, []string{"05111000"}},
			{"upper-case umlaut", domain.MunicipalityFilter{Query: "DÜSSELDORF", Kind: domain.AreaMunicipality}, []string{"05111000"}},
			{"ae in query, ä in name", domain.MunicipalityFilter{Query: "allgaeu"}, []string{"09780"}},
			{"ss in query, ß in name", domain.MunicipalityFilter{Query: "Unterschleissheim"}, []string{"09184119"}},
			{"AGS prefix in key order", domain.MunicipalityFilter{Query: "09184"}, []string{"09184", "09184119", "09184147"}},
			{"AGS of a state", domain.MunicipalityFilter{Query: "05"}, []string{"05", "05111", "05111000"}},
			{"kind", domain.MunicipalityFilter{Query: "München", Kind: domain.AreaDistrict}, []string{"09162", "09184"}},
			{"state", domain.MunicipalityFilter{State: "05"}, []string{"05", "05111", "05111000"}},
			{"percent is literal", domain.MunicipalityFilter{Query: "%"}, []string{"08999001"}},
			{"percent inside a name", domain.MunicipalityFilter{Query: "Prozent%dorf"}, []string{"08999001"}},
			{"underscore is literal", domain.MunicipalityFilter{Query: "_"}, []string{"08999003"}},
			{"underscore inside a name", domain.MunicipalityFilter{Query: "Unter_see"}, []string{"08999003"}},
			{"backslash", domain.MunicipalityFilter{Query: `Unter\`}, []string{}},
			{"no match", domain.MunicipalityFilter{Query: "Atlantis"}, []string{}},
			{"limit and offset", domain.MunicipalityFilter{Query: "Mün", Limit: 1, Offset: 1}, []string{"09162000"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				if got := search(t, db, tc.f); !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
			})
		}
	})
}

func TestSearchMunicipalitiesCountsAllMatches(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ms := seedDirectory(t, db)
		got, total, err := db.Municipalities(context.Background(), domain.MunicipalityFilter{Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || total != len(ms) {
			t.Errorf("%d results of %d, want 2 of %d", len(got), total, len(ms))
		}
		// Without a query the largest come first.
		if got[0].AGS != "05" || got[1].AGS != "09" {
			t.Errorf("first results %s, %s; want 05, 09", got[0].AGS, got[1].AGS)
		}
	})
}

// gv100File is the official directory, when the shared data folder has it.
const gv100File = "../../../shared/data/GV100AD_30112025.txt"

func TestImportRealGV100File(t *testing.T) {
	path, _ := filepath.Abs(gv100File)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s is not there; the import of the real directory is not tested", path)
	}
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		importFile := func() domain.ImportStats {
			t.Helper()
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, err := directory.Import(ctx, db, f, filepath.Base(path))
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		st := importFile()
		total := st.States + st.Districts + st.Municipalities
		if st.States != 16 || st.Districts < 350 || st.Districts > 450 || st.Municipalities < 10_000 || st.Municipalities > 12_000 {
			t.Errorf("stats %+v: want 16 states, about 400 districts and 11,000 municipalities", st)
		}
		if st.Inserted != total {
			t.Errorf("first import inserted %d of %d", st.Inserted, total)
		}
		if again := importFile(); again.Unchanged != total || again.Inserted != 0 || again.Updated != 0 {
			t.Errorf("second import: %+v, want all %d unchanged", again, total)
		}
		m, err := db.Municipality(ctx, "09162000")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(m.Name, "München") || m.StateName != "Bayern" || m.Population < 1_000_000 {
			t.Errorf("München: %+v", m)
		}
		if got := search(t, db, domain.MunicipalityFilter{Query: "Muenchen", Kind: domain.AreaMunicipality, Limit: 1}); !slices.Equal(got, []string{"09162000"}) {
			t.Errorf("search Muenchen: %v, want 09162000 first", got)
		}
		if got := search(t, db, domain.MunicipalityFilter{Query: "11000000"}); !slices.Equal(got, []string{"11000000"}) {
			t.Errorf("search Berlin by AGS: %v", got)
		}
	})
}
