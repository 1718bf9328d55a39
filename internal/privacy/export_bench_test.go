package privacy_test

import (
	"context"
	"io"
	"testing"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// BenchmarkExport streams the download of a person with 20,000 rows (login
// attempts) to nowhere: go test ./internal/privacy -run '^$' -bench Export -benchmem
func BenchmarkExport(b *testing.B) {
	for _, d := range storetest.Dialects {
		b.Run(string(d), func(b *testing.B) {
			db := storetest.Open(b, d)
			a := app.New(db, storetest.BaseURL, nil)
			me := storetest.MustCreatePerson(b, db, "bench@example.org", "Bea Bench")
			ctx := context.Background()
			const n = 20000
			if err := db.Transact(ctx, func(tx *store.Tx) error {
				for i := 0; i < n; i++ {
					if _, err := tx.ExecContext(ctx, `INSERT INTO login_attempts (email, addr, at, success) VALUES ($1, '192.0.2.9', $2, $3)`,
						me.Email, db.Now(), false); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				b.Fatal(err)
			}
			actx := as(b, db, me.Email)
			b.ResetTimer()
			for b.Loop() {
				if err := a.Privacy.Export(actx, me.ID, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
