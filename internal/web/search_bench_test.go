package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/loadtest"
	"github.com/lotse-oss/lotse/internal/store"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkCatalogSearch measures the search handler (GET /api/v1/offers:
// parsing, index search with facet counts, loading the page's offers and the
// facet labels from the database, JSON) on a catalog of 100,000 generated
// offers, for a common word, a rare word, a typo and three facets. It
// reports the median and p99 of 500 requests per case and the heap in use
// after the index was built.
//
//	LOTSE_TEST_POSTGRES=... go test ./internal/web -run XXX -bench CatalogSearch -benchtime 1x
func BenchmarkCatalogSearch(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			ctx := context.Background()
			if _, err := demo.Load(ctx, db, testPassword); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if err := demo.GenerateOffers(ctx, db, 100000, 1, db.Now()); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: generated 100,000 offers in %v", d, time.Since(start).Round(time.Millisecond))
			srv, err := New(app.New(db, storetest.BaseURL, nil), Config{BaseURL: "http://lotse.test"}, discardLogger())
			if err != nil {
				b.Fatal(err)
			}
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start = time.Now()
			if err := srv.app.Catalog.Refresh(ctx); err != nil {
				b.Fatal(err)
			}
			build := time.Since(start)
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			b.Logf("%s: index of %d offers built in %v, heap %d MB (index %d MB)", d, srv.catalog.Len(), build.Round(time.Millisecond),
				after.HeapAlloc>>20, (int64(after.HeapAlloc)-int64(before.HeapAlloc))>>20)
			cases := map[string]string{
				"common": "/api/v1/offers?q=Verwaltung",
				"rare":   "/api/v1/offers?q=Sensornetze",
				"typo":   "/api/v1/offers?q=Projektmanagment",
				"facets": "/api/v1/offers?q=digital&format=live_online&level=basic&price=lt100",
			}
			for _, name := range []string{"common", "rare", "typo", "facets"} {
				b.Run(name, func(b *testing.B) {
					const n = 500
					lat := make([]time.Duration, 0, n)
					for i := 0; i < n; i++ {
						req := httptest.NewRequest("GET", cases[name]+fmt.Sprintf("&page=%d", 1+i%3), nil)
						rec := httptest.NewRecorder()
						t0 := time.Now()
						srv.ServeHTTP(rec, req)
						lat = append(lat, time.Since(t0))
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: status %d: %s", name, rec.Code, rec.Body.String())
						}
					}
					slices.Sort(lat)
					b.ReportMetric(float64(lat[n/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(lat[n*99/100].Microseconds())/1000, "p99-ms")
					b.ReportMetric(float64(after.HeapAlloc>>20), "heap-MB")
				})
			}
		})
	}
}

// BenchmarkCatalogMixed runs the load generator's mixed workload (API and
// page, many different searches) through the handler, one request per
// iteration, for profiling:
//
//	LOTSE_BENCH_DSN=sqlite:/tmp/speed-db/sqlite-100k/lotse.db go test ./internal/web -run XXX -bench CatalogMixed -cpuprofile cpu.out
//
// Without LOTSE_BENCH_DSN it generates 10,000 offers in SQLite first.
func BenchmarkCatalogMixed(b *testing.B) {
	ctx := context.Background()
	var db *store.DB
	if dsn := os.Getenv("LOTSE_BENCH_DSN"); dsn != "" {
		var err error
		if db, err = store.Open(ctx, dsn); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
	} else {
		db = storetest.Open(b, store.SQLite)
		if _, err := demo.Load(ctx, db, testPassword); err != nil {
			b.Fatal(err)
		}
		if err := demo.GenerateOffers(ctx, db, 10000, 1, db.Now()); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := New(app.New(db, storetest.BaseURL, nil), Config{BaseURL: "http://lotse.test"}, discardLogger())
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.app.Catalog.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/offers", nil))
	var first searchResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &first); err != nil {
		b.Fatal(err)
	}
	facets := map[string][]string{}
	for f, vs := range first.Facets {
		for _, v := range vs {
			facets[f] = append(facets[f], v.Value)
		}
	}
	targets := loadtest.Workload(1, facets)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest("GET", targets[i%len(targets)], nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: status %d", targets[i%len(targets)], rec.Code)
		}
	}
}
