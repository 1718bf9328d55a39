package moochub

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
)

var parseNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func parseOne(t *testing.T, attrs string) Entry {
	t.Helper()
	es, err := ParseCourses(strings.NewReader(`{"data": [{"type": "Course", "id": "urn:uuid:c1", "attributes": `+attrs+`}]}`), parseNow)
	if err != nil || len(es) != 1 {
		t.Fatalf("ParseCourses: %v (%d entries)", err, len(es))
	}
	return es[0]
}

// TestParseCoursesRefusesOnlyTheBrokenCourse: a course that is no object,
// has no name or a malformed value carries its error with its pointer; the
// others are read; the feed id names each.
func TestParseCoursesRefusesOnlyTheBrokenCourse(t *testing.T) {
	doc := `{"data": [
		{"type": "Course", "id": "a", "attributes": {"name": "Guter Kurs", "courseCode": "OK-1"}},
		"kein Kurs",
		{"type": "Course", "id": "urn:uuid:b", "attributes": {"courseCode": "NONAME"}},
		{"type": "Course", "id": "c", "attributes": {"name": "Teurer Kurs", "offer": [{"price": -3}]}},
		{"type": "Course", "id": "d", "attributes": {"name": "Kurs mit Datum", "startDate": ["bald"]}},
		{"type": "Course", "id": "e"}
	]}`
	es, err := ParseCourses(strings.NewReader(doc), parseNow)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ id, ptr string }{
		{"OK-1", ""},
		{"", "/data/1"},
		{"NONAME", "/data/2/attributes/name"},
		{"c", "/data/3/attributes/offer/0/price"},
		{"d", "/data/4/attributes/startDate/0"},
		{"e", "/data/5/attributes"},
	}
	if len(es) != len(want) {
		t.Fatalf("%d entries", len(es))
	}
	for i, w := range want {
		e := es[i]
		got := ""
		if e.Err != nil {
			got = e.Err.Pointer
		}
		if e.ID != w.id || got != w.ptr || e.Index != i {
			t.Errorf("entry %d: id %q err %v, want %q at %q", i, e.ID, e.Err, w.id, w.ptr)
		}
	}
	if es[3].Offer.Title != "Teurer Kurs" {
		t.Errorf("a refused course keeps its title: %q", es[3].Offer.Title)
	}
	// The document as a whole: a syntax error stays one error.
	if _, err := ParseCourses(strings.NewReader(`{"data": [`), parseNow); err == nil {
		t.Error("syntax error accepted")
	}
	if got := es[0].FieldPointer("hours"); got != "/data/0/attributes/duration" {
		t.Errorf("hours pointer %q", got)
	}
	if got := es[0].FieldPointer("competences"); got != "/data/0/attributes" {
		t.Errorf("competences pointer %q", got)
	}
}

func TestParseKeywordsAndPublishers(t *testing.T) {
	e := parseOne(t, `{"name": "Kurs", "keywords": ["E-Akte", " e-akte ", "Daten &amp; Schutz", 7, {"de": "Verwaltung"}, "`+strings.Repeat("x", 81)+`"],
		"publisher": {"type": "Organization", "name": {"de": "Hochschule Kehl"}},
		"creator": [{"type": "Person", "name": "Prof. Dr. Muster"}, {"type": "Organization", "name": "Zentrum für E-Government"},
			{"type": "Organization", "name": "hochschule kehl"}]}`)
	if e.Err != nil {
		t.Fatal(e.Err)
	}
	if want := []string{"E-Akte", "Daten & Schutz", "7", "Verwaltung"}; !slices.Equal(e.Offer.Keywords, want) {
		t.Errorf("keywords %q, want %q", e.Offer.Keywords, want)
	}
	if e.Offer.Publisher != "Hochschule Kehl, Zentrum für E-Government" {
		t.Errorf("publisher %q", e.Offer.Publisher)
	}
	if e := parseOne(t, `{"name": "Kurs", "keywords": "Haushalt, Doppik ,NKHR"}`); !slices.Equal(e.Offer.Keywords, []string{"Haushalt", "Doppik", "NKHR"}) {
		t.Errorf("keywords of a text: %q", e.Offer.Keywords)
	}
}

func TestParseLevels(t *testing.T) {
	tests := map[string]string{
		`[{"educationalFramework": "DigComp", "shortCode": "2"}]`:                             domain.LevelBasic,
		`[{"educationalFramework": "DigComp", "name": [{"name": "Level 4 (Intermediate)"}]}]`: domain.LevelIntermediate,
		`["EQF 6"]`:        domain.LevelAdvanced,
		`["DQR-Niveau 4"]`: domain.LevelIntermediate,
		`[{"educationalFramework": "EQF", "shortCode": "2"}]`: domain.LevelBasic,
		`["Fortgeschrittene"]`:                                domain.LevelIntermediate,
		`["Einsteiger"]`:                                      domain.LevelBasic,
		`["Expertenwissen"]`:                                  domain.LevelAdvanced,
	}
	for in, want := range tests {
		if e := parseOne(t, `{"name": "Kurs", "educationalLevel": `+in+`}`); e.Offer.Level != want {
			t.Errorf("%s: level %q, want %q", in, e.Offer.Level, want)
		}
	}
}

func TestParseRuns(t *testing.T) {
	// v3: lists of dates, a place with postcode, a past run.
	e := parseOne(t, `{"name": "Kurs", "courseMode": ["onsite"],
		"startDate": ["2026-04-13T09:00:00+02:00", "2025-01-01T09:00:00+01:00", "2026-06-01"],
		"endDate": ["2026-04-14T16:00:00+02:00", "2025-01-01T16:00:00+01:00"],
		"contentLocation": {"name": "Rathaus", "address": {"city": "Futurehausen", "postalCode": "79999", "streetAddress": "Markt 1"}}}`)
	if e.Err != nil || len(e.Sessions) != 2 {
		t.Fatalf("runs %+v %v", e.Sessions, e.Err)
	}
	s := e.Sessions[0]
	if s.Online || s.Place != "Futurehausen" || s.Postcode != "79999" || s.Address != "Rathaus, Markt 1" || s.Days != 2 ||
		s.Capacity != InPersonCapacity || !s.CapacityGuessed || !s.RegistrationDeadline.Equal(s.StartsAt) || s.Pointer != "/data/0/attributes/startDate/0" {
		t.Errorf("first run %+v", s)
	}
	if s := e.Sessions[1]; s.Days != 1 || !s.EndsAt.Equal(s.StartsAt) || s.StartsAt.In(feedZone).Hour() != 0 {
		t.Errorf("run without end %+v", s)
	}
	if len(e.Notes) != 1 || !strings.Contains(e.Notes[0].Message, "1 Termin in der Vergangenheit wurde nicht übernommen") {
		t.Errorf("notes %+v", e.Notes)
	}
	// A place without a course mode makes an in-person course.
	if e := parseOne(t, `{"name": "Kurs", "contentLocation": {"name": "Rathaus", "address": {"city": "Mittelfeld"}}}`); e.Offer.Format != domain.FormatInPerson {
		t.Errorf("format of a course with a place: %q", e.Offer.Format)
	}
	// v4: an online instance with deadline and places; one without a place.
	e = parseOne(t, `{"name": "Kurs", "hasCourseInstance": [
		{"courseMode": ["online"], "startDate": "2026-05-04T10:00:00Z", "duration": "P1W", "applicationDeadline": "2026-04-30T00:00:00Z", "maximumAttendeeCapacity": 30},
		{"courseMode": ["onsite"], "startDate": "2026-07-01T10:00:00Z"},
		{"location": {"type": "Place", "address": {"addressLocality": "Kleinbach"}}, "startDate": "2026-08-01T10:00:00Z", "endDate": "2026-08-01T15:00:00Z"}]}`)
	if e.Err != nil || len(e.Sessions) != 2 {
		t.Fatalf("instances %+v %v", e.Sessions, e.Err)
	}
	if s := e.Sessions[0]; !s.Online || s.Capacity != 30 || s.CapacityGuessed || s.Days != 8 ||
		!s.RegistrationDeadline.Equal(time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("online instance %+v", s)
	}
	if s := e.Sessions[1]; s.Online || s.Place != "Kleinbach" || e.Offer.Format != domain.FormatBlended {
		t.Errorf("instance with a place %+v", s)
	}
	if len(e.Notes) != 1 || !strings.Contains(e.Notes[0].Message, "keinen Ort") || e.Notes[0].Pointer != "/data/0/attributes/hasCourseInstance/1/startDate" {
		t.Errorf("notes %+v", e.Notes)
	}
}
