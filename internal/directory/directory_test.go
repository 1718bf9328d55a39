package directory_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/lotse-oss/lotse/internal/directory"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// realFile is the official directory in ../shared/data, if present.
const realFile = "../../../shared/data/GV100AD_30112025.txt"

func readRealFile(tb testing.TB) []byte {
	tb.Helper()
	b, err := os.ReadFile(realFile)
	if os.IsNotExist(err) {
		tb.Skipf("%s is absent: skipping the tests on the real directory", realFile)
	} else if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestImportOfTheRealDirectory(t *testing.T) {
	file := readRealFile(t)
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st, err := directory.Import(ctx, db, bytes.NewReader(file), "GV100AD_30112025.txt")
		if err != nil {
			t.Fatal(err)
		}
		if st.States != 16 || st.Districts != 400 || st.Municipalities != 10953 || st.Inserted != 16+400+10953 {
			t.Fatalf("import stats %+v", st)
		}
		bw := domain.AreaMunicipality
		_, n, err := db.Municipalities(ctx, domain.MunicipalityFilter{State: "08", Kind: bw})
		if err != nil || n != 1103 {
			t.Fatalf("BW municipalities: %d, %v; want 1103", n, err)
		}
		_, n, _ = db.Municipalities(ctx, domain.MunicipalityFilter{State: "08", Kind: domain.AreaDistrict})
		if n != 44 {
			t.Fatalf("BW districts: %d, want 44", n)
		}
		m, err := db.Municipality(ctx, "08311000")
		if err != nil || m.Name != "Freiburg im Breisgau, Stadt" || m.DistrictName == "" || m.StateName != "Baden-Württemberg" || m.Population < 200000 {
			t.Fatalf("Freiburg: %+v, %v", m, err)
		}
		items, _, err := db.Municipalities(ctx, domain.MunicipalityFilter{Query: "freiburg"})
		if err != nil || len(items) == 0 || items[0].AGS[:5] != "08311" {
			t.Fatalf("search freiburg: %+v, %v", items, err)
		}
		// Importing the same file again is a no-op.
		st, err = directory.Import(ctx, db, bytes.NewReader(file), "again")
		if err != nil || st.Unchanged != st.States+st.Districts+st.Municipalities || st.Inserted+st.Updated != 0 {
			t.Fatalf("re-import %+v, %v", st, err)
		}
	})
}

func TestMalformedFileImportsNothing(t *testing.T) {
	file := readRealFile(t)
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		// The file's first 5,000 lines and then a broken one.
		lines := bytes.SplitAfterN(file, []byte("\n"), 5001)
		broken := append(bytes.Join(lines[:5000], nil), []byte("60kaputt\n")...)
		_, err := directory.Import(context.Background(), db, bytes.NewReader(broken), "broken")
		if domain.ErrorCode(err) != domain.EInvalid || !bytes.Contains([]byte(domain.ErrorMessage(err)), []byte("Zeile 5001")) {
			t.Fatalf("error %v, want EInvalid naming line 5001", err)
		}
		if _, n, _ := db.Municipalities(context.Background(), domain.MunicipalityFilter{}); n != 0 {
			t.Fatalf("%d entries imported from a broken file", n)
		}
	})
}

// BenchmarkImportGV100 imports the whole German directory (16,000 records)
// into an empty database, and again into a full one (every record compared,
// nothing written).
func BenchmarkImportGV100(b *testing.B) {
	file := readRealFile(b)
	for _, d := range storetest.Dialects {
		b.Run(string(d)+"/empty", func(b *testing.B) {
			b.SetBytes(int64(len(file)))
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				db := storetest.Open(b, d)
				b.StartTimer()
				if _, err := directory.Import(context.Background(), db, bytes.NewReader(file), "bench"); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
		})
		b.Run(string(d)+"/unchanged", func(b *testing.B) {
			db := storetest.Open(b, d)
			if _, err := directory.Import(context.Background(), db, bytes.NewReader(file), "bench"); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(file)))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := directory.Import(context.Background(), db, bytes.NewReader(file), "bench"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
