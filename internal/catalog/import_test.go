package catalog_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/catalog"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
	"github.com/lotse-oss/lotse/internal/store/storetest"
)

// importFixture loads the demo data, freezes the clock and returns the
// service and the provider's staff context.
func importFixture(t *testing.T, db *store.DB) (*catalog.Service, context.Context, int64) {
	t.Helper()
	storetest.Freeze(db)
	if _, err := demo.Load(context.Background(), db, "demo-passwort-1234"); err != nil {
		t.Fatal(err)
	}
	svc := catalog.New(db, "https://lotse.example", slog.New(slog.NewTextHandler(io.Discard, nil)))
	staff := as(t, db, "kurse@vwa-bw.example")
	pid, err := svc.ProviderFor(staff, 0)
	if err != nil {
		t.Fatal(err)
	}
	return svc, staff, pid
}

// TestImportFeedCourseByCourse imports a feed of twelve publishers' courses
// with HTML, keywords, dates, three courses without hours and one without a
// name: the twelve become drafts naming what they lack with JSON pointers,
// the broken one is refused alone, and keywords, publishers, levels and the
// future dates are kept.
func TestImportFeedCourseByCourse(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc, staff, pid := importFixture(t, db)
		feed, err := os.ReadFile("testdata/feed-12-publishers.json")
		if err != nil {
			t.Fatal(err)
		}
		res, err := svc.ImportFeed(staff, pid, feed)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Created) != 12 || len(res.Updated) != 0 || len(res.Courses) != 12 {
			t.Fatalf("created %v updated %v courses %d", res.Created, res.Updated, len(res.Courses))
		}
		// The course without a name is refused with its place and code.
		if len(res.Refused) != 1 {
			t.Fatalf("refused %+v", res.Refused)
		}
		ref := res.Refused[0]
		if ref.Course != 8 || ref.FeedID != "FEED-KAPUTT" || ref.Problems[0].Pointer != "/data/7/attributes/name" ||
			!strings.Contains(ref.Problems[0].Message, "keinen Namen") {
			t.Fatalf("refused course %+v", ref)
		}
		// No competences in a feed: all are drafts; three also lack hours.
		if len(res.Drafts) != 12 || len(res.DraftReasons) != 12 {
			t.Fatalf("drafts %v", res.Drafts)
		}
		var noHours []string
		for _, c := range res.DraftReasons {
			if !slices.ContainsFunc(c.Problems, func(p domain.ImportProblem) bool { return p.Field == "competences" && p.Pointer == c.Pointer }) {
				t.Errorf("%s: no competence problem at the course: %+v", c.Name(), c.Problems)
			}
			for _, p := range c.Problems {
				if p.Field == "hours" {
					if p.Pointer != c.Pointer+"/duration" {
						t.Errorf("%s: hours pointer %q", c.Name(), p.Pointer)
					}
					noHours = append(noHours, p.Pointer)
				}
			}
		}
		want := []string{"/data/2/attributes/duration", "/data/5/attributes/duration", "/data/10/attributes/duration"}
		if !slices.Equal(noHours, want) {
			t.Fatalf("courses without hours at %v, want %v", noHours, want)
		}
		// What the feed carries is stored.
		publishers := map[string]bool{}
		for _, id := range res.Created {
			o, err := db.Offer(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			publishers[o.Publisher] = true
			if len(o.Keywords) != 3 || o.Keywords[1] != "Verwaltung" {
				t.Errorf("%s: keywords %q", o.Code, o.Keywords)
			}
			if strings.ContainsAny(o.Description+o.Summary, "<>") || strings.Contains(o.Description, "&amp;") ||
				!strings.Contains(o.Description, "Beschäftigte in Kommunen & Landkreisen.\nEr verbindet Theorie und Praxis.") {
				t.Errorf("%s: HTML not cleaned: %q", o.Code, o.Description)
			}
			if o.Status != domain.OfferDraft || !strings.Contains(o.ReviewComment, "Kompetenzen") {
				t.Errorf("%s: status %s comment %q", o.Code, o.Status, o.ReviewComment)
			}
			switch o.Code {
			case "FEED-BB-01":
				if o.Level != domain.LevelIntermediate || o.Hours != 8 {
					t.Errorf("DigComp 4: level %s hours %d", o.Level, o.Hours)
				}
			case "FEED-EA-02":
				if o.Level != domain.LevelAdvanced {
					t.Errorf("EQF 6: level %s", o.Level)
				}
			case "FEED-DS-04":
				if len(o.Sessions) != 2 || o.Sessions[0].AGS != demo.FuturehausenAGS || o.Sessions[0].Online || o.Sessions[0].Days != 2 ||
					o.Sessions[0].Address != "Rathaus, Großer Saal, Marktplatz 1" || !o.Sessions[0].RegistrationDeadline.Equal(o.Sessions[0].StartsAt) {
					t.Errorf("in-person runs: %+v", o.Sessions)
				}
			case "FEED-PM-05":
				want := time.Date(2028, 5, 20, 21, 59, 0, 0, time.UTC)
				if len(o.Sessions) != 1 || !o.Sessions[0].Online || o.Sessions[0].Capacity != 40 || !o.Sessions[0].RegistrationDeadline.Equal(want) {
					t.Errorf("online run: %+v", o.Sessions)
				}
			}
		}
		if len(publishers) != 12 || !publishers["Hochschule für öffentliche Verwaltung Kehl"] {
			t.Fatalf("publishers %v", publishers)
		}
		if res.SessionsCreated != 3 {
			t.Fatalf("sessions created %d", res.SessionsCreated)
		}
		// The run in the past is named, not created.
		c := res.Courses[3]
		if c.FeedID != "FEED-DS-04" || c.Sessions != 2 || !slices.ContainsFunc(c.Notes, func(n domain.ImportProblem) bool {
			return strings.Contains(n.Message, "1 Termin in der Vergangenheit wurde nicht übernommen")
		}) {
			t.Fatalf("course with dates %+v", c)
		}

		// The same feed again updates by course code and adds no run twice.
		again, err := svc.ImportFeed(staff, pid, feed)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Created) != 0 || len(again.Updated) != 12 || again.SessionsCreated != 0 || len(again.Refused) != 1 {
			t.Fatalf("re-import: created %v updated %v sessions %d refused %d", again.Created, again.Updated, again.SessionsCreated, len(again.Refused))
		}
	})
}

// TestImportFeedRefusals: a file that is no JSON imports nothing and names
// line and column; a feed none of whose courses can be taken imports
// nothing and names the course; a course code twice refuses the second.
func TestImportFeedRefusals(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		svc, staff, pid := importFixture(t, db)
		_, err := svc.ImportFeed(staff, pid, []byte("{\"data\": [\n  {\"name\": \"Kurs\",}\n]}"))
		if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), "Zeile 2, Spalte 19") ||
			!strings.Contains(domain.ErrorMessage(err), "nichts wurde übernommen") {
			t.Fatalf("syntax error: %v", err)
		}
		_, err = svc.ImportFeed(staff, pid, []byte(`{"data": [{"type": "Course", "id": "c1", "attributes": {"name": 7, "courseCode": "X-1"}}]}`))
		if domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), "/data/0/attributes/name") ||
			!strings.Contains(domain.ErrorMessage(err), "Kurs 1 (X-1)") {
			t.Fatalf("nothing importable: %v", err)
		}
		course := func(code, price string) string {
			return `{"name": "Ein Kurs zur Verwaltung", "courseCode": "` + code + `", "duration": "PT6H", "offer": [{"price": ` + price + `}],
				"description": "Ein Kurs über die digitale Verwaltung, mit vielen Beispielen aus dem kommunalen Alltag."}`
		}
		res, err := svc.ImportFeed(staff, pid, []byte(`[`+course("D-1", "10")+`, `+course("D-1", "20")+`, `+course("D-2", `"viel"`)+`]`))
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Created) != 1 || len(res.Refused) != 2 || res.Refused[0].Problems[0].Pointer != "/1/courseCode" ||
			res.Refused[1].Problems[0].Pointer != "/2/offer/0/price" {
			t.Fatalf("duplicate and malformed: %+v", res)
		}
		n, _, err := db.Offers(context.Background(), store.OfferFilter{ProviderID: pid, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		codes := 0
		for _, o := range n {
			if strings.HasPrefix(o.Code, "D-") || o.Code == "X-1" {
				codes++
			}
		}
		if codes != 1 {
			t.Fatalf("%d offers with the test codes, want 1", codes)
		}
	})
}
