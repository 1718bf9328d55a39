package web

import (
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/demo"
)

// TestARenamedProgrammeIsNamedInTheFundingFilterAtOnce: the funder renames
// the programme; the catalog's funding filter names its tracks with the
// new name at once, without waiting for the next rebuild of the index.
func TestARenamedProgrammeIsNamedInTheFundingFilterAtOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		visitor := e.client()
		if _, body := visitor.get("/angebote"); !strings.Contains(body, "Basisqualifizierung (Kommunale Digitallotsen)") {
			t.Fatal("the funding filter does not name the programme before")
		}
		ctx := e.actorCtx("foerderung@im-bw.example")
		p, err := e.srv.app.Funding.Programme(ctx, demo.BWID)
		if err != nil {
			t.Fatal(err)
		}
		p.Name = "Digitallotsen Baden-Württemberg"
		if err := e.srv.app.Funding.SaveProgramme(ctx, p.ID, p); err != nil {
			t.Fatal(err)
		}
		_, body := visitor.get("/angebote")
		if !strings.Contains(body, "Basisqualifizierung (Digitallotsen Baden-Württemberg)") || strings.Contains(body, "(Kommunale Digitallotsen)") {
			t.Errorf("the funding filter after the rename: %.3000s", pageText(body))
		}
	})
}
