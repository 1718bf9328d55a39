package matcheval

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var outFile = flag.String("matcheval.out", "", "write the evaluation figures (Markdown) to this file")

// now is the evaluation's clock; sessions lie days after it.
var now = time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)

// Floors: a bit below what the recommendations reach today, so that a
// regression fails. Raise them when the ranking gets better.
const (
	floorNDCG    = 0.93 // overall nDCG@5 0.951 when the set was made
	floorTopTrue = 1.0  // every top item's reasons must be true
)

func loadSet(t testing.TB) *Set {
	t.Helper()
	s, err := Load(filepath.Join("testdata", "offers.txt"), filepath.Join("testdata", "profiles.txt"), now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSet checks the evaluation set itself.
func TestSet(t *testing.T) {
	s := loadSet(t)
	for _, p := range s.Check() {
		t.Error(p)
	}
	if len(s.Offers) < 80 || len(s.Profiles) < 40 {
		t.Errorf("%d offers and %d profiles, want at least 80 and 40", len(s.Offers), len(s.Profiles))
	}
	kinds := map[string]int{}
	for _, p := range s.Profiles {
		kinds[p.Kind]++
	}
	for _, k := range Kinds {
		if kinds[k] < 2 {
			t.Errorf("kind %s has %d profiles", k, kinds[k])
		}
	}
}

// TestRecommendationQuality ranks the set's offers for every profile and
// prints nDCG@5 per kind and overall and the share of top items whose
// reasons are all true (go test ./internal/matcheval/ -run Quality -v, or
// -args -matcheval.out=FILE).
func TestRecommendationQuality(t *testing.T) {
	s := loadSet(t)
	rep, err := Evaluate(s)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	rep.Table(&b)
	t.Log("\n" + b.String())
	var d bytes.Buffer
	rep.Details(&d)
	if testing.Verbose() {
		t.Log("\n" + d.String())
	}
	if *outFile != "" {
		b.WriteString("\n## Per profile\n\n")
		b.Write(d.Bytes())
		if err := os.WriteFile(*outFile, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range rep.Runs {
		if len(r.Recs) == 0 {
			t.Errorf("%s: no recommendation", r.Profile.ID)
		}
		for _, p := range r.Problems {
			t.Errorf("%s top item %s: %s", r.Profile.ID, r.Ranked[0], p)
		}
	}
	o := rep.Overall
	if o.NDCG < floorNDCG {
		t.Errorf("overall nDCG@%d %.3f below the floor %.2f", NDCGAt, o.NDCG, floorNDCG)
	}
	if share := float64(o.TopTrue) / float64(o.Profiles); share < floorTopTrue {
		t.Errorf("top items with all reasons true %.2f, floor %.2f", share, floorTopTrue)
	}
}

// TestEveryReasonIsTrue checks every reason of every recommended item,
// not only the top one's.
func TestEveryReasonIsTrue(t *testing.T) {
	s := loadSet(t)
	rep, err := Evaluate(s)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rep.Runs {
		for i, rec := range r.Recs {
			n += len(rec.Reasons)
			for _, p := range s.CheckReasons(r.Profile.Profile, rec) {
				t.Errorf("%s item %d (%s): %s", r.Profile.ID, i+1, r.Ranked[i], p)
			}
		}
	}
	if n < 200 {
		t.Errorf("only %d reasons checked", n)
	}
}
