package domain_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/lotse-oss/lotse/internal/domain"
)

func TestNormalizeKeywords(t *testing.T) {
	got := domain.NormalizeKeywords([]string{" E-Akte ", "e-akte", "", "Daten,schutz", "Bürger   beteiligung"})
	if want := []string{"E-Akte", "Daten schutz", "Bürger beteiligung"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	o := validOffer()
	o.Keywords = make([]string, domain.MaxKeywords+1)
	for i := range o.Keywords {
		o.Keywords[i] = "Wort" + strings.Repeat("x", i)
	}
	if f := domain.ErrorFields(o.Validate()); f["keywords"] == "" {
		t.Fatalf("31 keywords accepted: %v", f)
	}
	o.Keywords = []string{strings.Repeat("x", domain.MaxKeywordLen+1)}
	if f := domain.ErrorFields(o.Validate()); f["keywords"] == "" {
		t.Fatalf("a long keyword accepted: %v", f)
	}
}

// TestDraftProblemsNameWhatIsMissing: an imported offer without hours,
// competences and days gets one problem per field, in the form's order,
// each with the pointer the caller gives, and a comment naming them.
func TestDraftProblemsNameWhatIsMissing(t *testing.T) {
	o := validOffer()
	o.Hours, o.Competences, o.Days, o.Format = 0, nil, 0, domain.FormatInPerson
	ps := domain.DraftProblems(&o, func(f string) string { return "/data/0/attributes/" + f })
	var fields []string
	for _, p := range ps {
		fields = append(fields, p.Field)
	}
	if want := []string{"hours", "days", "competences"}; !slices.Equal(fields, want) {
		t.Fatalf("fields %v, want %v", fields, want)
	}
	if ps[0].Pointer != "/data/0/attributes/hours" || !strings.Contains(ps[0].Message, "keine Dauer in Stunden") {
		t.Fatalf("hours problem %+v", ps[0])
	}
	if c := domain.ImportDraftCommentFor(ps); c != "Bitte vervollständigen Sie das Angebot (Dauer in Stunden, Tage, Kompetenzen); danach geht es in die Qualitätsprüfung." {
		t.Fatalf("comment %q", c)
	}
	if ps := domain.DraftProblems(new(domain.Offer), func(string) string { return "" }); len(ps) == 0 {
		t.Fatal("an empty offer has no problems")
	}
	ok := validOffer()
	if ps := domain.DraftProblems(&ok, func(string) string { return "" }); len(ps) != 0 {
		t.Fatalf("a complete offer has problems: %+v", ps)
	}
}

func TestAddCompetences(t *testing.T) {
	o := validOffer()
	o.Competences = []domain.OfferCompetence{{Code: "A.1", Level: 1}}
	if err := o.AddCompetences([]domain.OfferCompetence{{Code: "A.1", Level: 3}, {Code: "B.1", Level: 2}}); err != nil {
		t.Fatal(err)
	}
	if want := []domain.OfferCompetence{{Code: "A.1", Level: 3}, {Code: "B.1", Level: 2}}; !slices.Equal(o.Competences, want) {
		t.Fatalf("got %+v", o.Competences)
	}
	var many []domain.OfferCompetence
	for i := range 9 {
		many = append(many, domain.OfferCompetence{Code: "C." + string(rune('a'+i)), Level: 1})
	}
	if err := o.AddCompetences(many); domain.ErrorCode(err) != domain.EInvalid || !strings.Contains(domain.ErrorMessage(err), "11 Kompetenzen") {
		t.Fatalf("eleven competences: %v", err)
	}
}

func TestBatchIDs(t *testing.T) {
	ids, err := domain.BatchIDs([]int64{3, 0, 3, 5, -1})
	if err != nil || !slices.Equal(ids, []int64{3, 5}) {
		t.Fatalf("got %v %v", ids, err)
	}
	if _, err := domain.BatchIDs(nil); domain.ErrorFields(err)["ids"] == "" {
		t.Fatalf("empty batch: %v", err)
	}
	big := make([]int64, domain.MaxBatch+1)
	for i := range big {
		big[i] = int64(i + 1)
	}
	if _, err := domain.BatchIDs(big); domain.ErrorCode(err) != domain.EInvalid {
		t.Fatalf("batch too large: %v", err)
	}
}

func TestErrImportNothingNamesTheCourses(t *testing.T) {
	var refused []domain.ImportCourse
	for i := range 5 {
		refused = append(refused, domain.ImportCourse{Course: i + 1, FeedID: "K-" + string(rune('1'+i)),
			Problems: []domain.ImportProblem{{Pointer: "/data/0/attributes/name", Message: "Kein Name."}}})
	}
	msg := domain.ErrorMessage(domain.ErrImportNothing(refused))
	if !strings.Contains(msg, "Kurs 1 (K-1): /data/0/attributes/name: Kein Name.") || !strings.Contains(msg, "und 2 Kurse mehr") {
		t.Fatalf("message %q", msg)
	}
}

// validOffer is an offer that passes Validate.
func validOffer() domain.Offer {
	return domain.Offer{ProviderID: 1, Code: "K-1", Title: "Ein gültiger Kurs", Summary: "Eine Kurzbeschreibung mit genug Zeichen.",
		Description: strings.Repeat("Eine Beschreibung mit genug Zeichen. ", 3), Outcomes: []string{"Etwas können"},
		Competences: []domain.OfferCompetence{{Code: "EGOV.1", Level: 1}}, Level: domain.LevelBasic, Format: domain.FormatSelfPaced,
		Language: "de", Hours: 4, Certificate: domain.CertParticipation}
}
