package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/xuri/excelize/v2"
)

// reportReaders may read a programme's report: the funder and admins, and
// the members of the associations that review its applications.
const reportReaders audience = 100

func init() {
	for _, r := range matrixRoles {
		if r.in[funders] || r.in[staedtetagReviewer] {
			r.in[reportReaders] = true
		}
	}
}

func TestReportAPIAndDownloads(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *testEnv) {
		funder := e.sessionFor("foerderung@im-bw.example")
		res, body := funder.get("/api/v1/programmes/digitallotsen-bw/report")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("report: %d %s", res.StatusCode, body)
		}
		var rep domain.Report
		if err := json.Unmarshal([]byte(body), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.ProgrammeID != "digitallotsen-bw" || rep.AssociationFixed || len(rep.Associations) != 3 || len(rep.Vouchers) != 7 ||
			rep.StateTotal.Applicants != len(rep.Municipalities) || len(rep.Forecast.Assumptions) == 0 {
			t.Errorf("report: %+v", rep)
		}

		// The reviewer of the Städtetag sees the Städtetag's share only.
		rev := e.sessionFor("pruefung@staedtetag-bw.example")
		res, body = rev.get("/api/v1/programmes/digitallotsen-bw/report?association=999999")
		var own domain.Report
		if res.StatusCode != http.StatusOK || json.Unmarshal([]byte(body), &own) != nil {
			t.Fatalf("reviewer: %d %s", res.StatusCode, body)
		}
		if !own.AssociationFixed || own.AssociationName == "" || len(own.Municipalities) >= len(rep.Municipalities) {
			t.Errorf("reviewer sees %d of %d applicants, fixed %v", len(own.Municipalities), len(rep.Municipalities), own.AssociationFixed)
		}

		// Bad input is a 400/422 with the field named.
		if res, body := funder.get("/api/v1/programmes/digitallotsen-bw/report?from=gestern"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `"from"`) {
			t.Errorf("bad date: %d %s", res.StatusCode, body)
		}
		if res, body := funder.get("/api/v1/programmes/digitallotsen-bw/report.csv?table=nichts"); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "table") {
			t.Errorf("bad table: %d %s", res.StatusCode, body)
		}
		if res, _ := e.sessionFor("anna@futurehausen.example").get("/api/v1/programmes/digitallotsen-bw/report"); res.StatusCode != http.StatusForbidden {
			t.Errorf("HR: %d, want 403", res.StatusCode)
		}
		if res, _ := funder.get("/api/v1/programmes/gibt-es-nicht/report"); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown programme: %d", res.StatusCode)
		}

		// CSV: German Excel, the state's sum in the last row.
		res, body = funder.get("/api/v1/programmes/digitallotsen-bw/report.csv?table=districts")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(body, "\ufeff") || !strings.Contains(res.Header.Get("Content-Disposition"), "districts.csv") {
			t.Fatalf("CSV: %d %q", res.StatusCode, body[:min(len(body), 200)])
		}
		lines := strings.Split(strings.TrimSpace(body), "\n")
		if !strings.HasPrefix(strings.TrimPrefix(lines[0], "\ufeff"), "AGS;Kreis;") || !strings.HasPrefix(lines[len(lines)-1], "08;Land;") {
			t.Errorf("CSV lines: %q ... %q", lines[0], lines[len(lines)-1])
		}

		// XLSX: one sheet per table, numbers typed.
		res, body = funder.get("/api/v1/programmes/digitallotsen-bw/report.xlsx")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("XLSX: %d", res.StatusCode)
		}
		wb, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer wb.Close()
		if got := wb.GetSheetList(); len(got) != len(reportTableNames) || got[0] != "municipalities" || got[len(got)-1] != "forecast" {
			t.Errorf("sheets %v", got)
		}
		rows, err := wb.GetRows("vouchers")
		if err != nil || len(rows) < 8 {
			t.Fatalf("vouchers sheet: %v %v", rows, err)
		}
		found := false
		for _, row := range rows {
			if len(row) > 0 && row[0] == "Ausgegeben" {
				found = true
			}
		}
		if !found {
			t.Errorf("vouchers sheet lacks the issued row: %v", rows)
		}
	})
}

func TestReportPage(t *testing.T) {
	e := newTestEnv(t, "sqlite")
	funder := e.sessionFor("foerderung@im-bw.example")
	res, body := funder.get("/programme/digitallotsen-bw/auswertung")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("page: %d %s", res.StatusCode, body)
	}
	for _, want := range []string{"<h1 class=\"kern-heading-large\">Auswertung</h1>", "Prognose", "Budget im Zeitverlauf", "<caption class=\"kern-title\">Gutscheine nach Status",
		`data-label="Gesamt"`, `scope="row"`, "report.xlsx", "report.csv?table=municipalities", `name="verband"`, "Annahmen", "Abschlussquote",
		"<svg", "Gutscheine nach Status</title>", `id="karte`, "Gemeinden auf der Karte nach Stand", "GeoBasis-DE"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The programme page links to the report for the funder, not for anonymous visitors.
	if _, b := funder.get("/programme/digitallotsen-bw"); !strings.Contains(b, "/programme/digitallotsen-bw/auswertung") {
		t.Error("programme page has no link to the report")
	}
	if _, b := e.client().get("/programme/digitallotsen-bw"); strings.Contains(b, "/auswertung") {
		t.Error("anonymous visitors see the link to the report")
	}
	// So does the funder's start page; HR's does not.
	if _, b := funder.get("/"); !strings.Contains(b, `href="/programme/digitallotsen-bw/auswertung"`) {
		t.Error("the funder's desk has no link to the report")
	}
	if _, b := e.sessionFor("anna@futurehausen.example").get("/"); strings.Contains(b, "/auswertung") {
		t.Error("HR's desk links to the report")
	}
	// A reviewer has no association choice; a bad date keeps the input and says why.
	rev := e.sessionFor("pruefung@staedtetag-bw.example")
	res, body = rev.get("/programme/digitallotsen-bw/auswertung?von=31.12.&kreis=")
	if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, `name="verband"`) || !strings.Contains(body, "Bitte geben Sie ein Datum an") ||
		!strings.Contains(body, `value="31.12."`) || !strings.Contains(body, "Städtetag") {
		t.Errorf("reviewer with a bad date: %d", res.StatusCode)
	}
	if res, _ := e.sessionFor("anna@futurehausen.example").get("/programme/digitallotsen-bw/auswertung"); res.StatusCode != http.StatusForbidden {
		t.Errorf("HR: %d, want 403", res.StatusCode)
	}
}

// reportExample is the report page's example data for the template test:
// every section filled, one chart drawn.
func reportExample(base Page, now time.Time) *reportPage {
	row := domain.ContingentRow{AGS: "08999001", Name: "Futurehausen", DistrictAGS: "08999", District: "Zukunftstal", ApplicantKind: "municipality",
		Population: 45210, Total: 3, Used: 1, Free: 2, Approved: 1, Applied: true, Pilots: 1, Applicants: 1}
	r := &domain.Report{ProgrammeID: "digitallotsen-bw", ProgrammeName: "Kommunale Digitallotsen", State: "08", GeneratedAt: now,
		AssociationFixed: true, AssociationName: "Städtetag Baden-Württemberg",
		Districts: []domain.ReportOption{{Key: "08999", Name: "Zukunftstal"}}, Associations: []domain.ReportOption{{Key: "2", Name: "Städtetag"}},
		Tracks:         []domain.ReportTrack{{Key: "basis", Name: "Basisqualifizierung"}, {Key: "advanced", Name: "Aufbauprogramm"}},
		Municipalities: []domain.ContingentRow{row}, DistrictRows: []domain.ContingentRow{row}, StateTotal: row,
		Coverage:     []domain.CoverageRow{{Label: "bis 9.999 Einwohner", MinPopulation: 1, MaxPopulation: 9999, Municipalities: 4, Covered: 1, AppliedOnly: 1, Share: 0.25}},
		Vouchers:     []domain.VoucherStateRow{{State: "issued", Label: "Ausgegeben", ByTrack: []int{2, 1}, Total: 3, ValueCents: 75000}},
		Budget:       []domain.BudgetMonth{{Month: "2026-03", PlannedCents: 200000, CommittedCents: 75000, ClaimedCents: 30000, PaidCents: 15000, FreeCents: 110000}},
		Participants: []domain.ParticipantRow{{ProviderID: 3, Provider: "VWA", Track: "basis", TrackName: "Basisqualifizierung", Booked: 3, Completed: 2, Rate: 2.0 / 3}},
		Completion:   domain.Completion{Booked: 3, Completed: 2, Rate: 2.0 / 3}, DecisionDays: 5.3, Decided: 4,
		Applications: []domain.MonthCount{{Month: "2026-03", Applications: 2, People: 3}},
		Forecast:     domain.Forecast{Year: 2026, Planned: true, PlannedCents: 200000, FreeCents: 110000, OpenVouchers: 1, Assumptions: []string{"Eine Annahme."}}}
	return &reportPage{Page: base, ProgrammeID: r.ProgrammeID, ProgrammeName: r.ProgrammeName, R: r, District: "08999", From: "2026-01-01",
		Query: "district=08999", ShowMunicipalities: true, Visuals: reportVisuals{Budget: "<svg role=\"img\"></svg>"},
		Tables: []reportTableLink{{"budget", "Budget"}}}
}
