package web

import (
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/sheet"
)

// reportTableNames are the report's tables as the downloads name them
// (query parameter table), in the order of the workbook's sheets.
var reportTableNames = []string{"municipalities", "districts", "coverage", "vouchers", "budget", "participants", "applications", "forecast"}

// reportTables turns a report into typed tables for CSV and XLSX.
func reportTables(r *domain.Report) []sheet.Table {
	contingentCols := []sheet.Column{{Title: "AGS", Kind: sheet.Text, Width: 10}, {Title: "Name", Kind: sheet.Text, Width: 32},
		{Title: "Kreis", Kind: sheet.Text, Width: 24}, {Title: "Antragsteller", Kind: sheet.Text}, {Title: "Einwohner", Kind: sheet.Int},
		{Title: "Kontingent", Kind: sheet.Int}, {Title: "Belegt", Kind: sheet.Int}, {Title: "Frei", Kind: sheet.Int},
		{Title: "Bewilligte Plätze", Kind: sheet.Int}, {Title: "Qualifizierte Lotsen", Kind: sheet.Int}, {Title: "Stand auf der Karte", Kind: sheet.Text, Width: 24}}
	muni := sheet.Table{Name: "municipalities", Title: "Kontingent je Kommune", Columns: contingentCols}
	for _, m := range r.Municipalities {
		muni.Rows = append(muni.Rows, []any{m.AGS, m.Name, m.District, applicantLabel(m.ApplicantKind), m.Population, m.Total, m.Used, m.Free,
			m.Approved, m.Pilots, coverageLabel(m.Coverage())})
	}
	dist := sheet.Table{Name: "districts", Title: "Kontingent je Kreis und im Land", Columns: []sheet.Column{
		{Title: "AGS", Kind: sheet.Text, Width: 10}, {Title: "Kreis", Kind: sheet.Text, Width: 32}, {Title: "Antragsteller", Kind: sheet.Int},
		{Title: "Einwohner", Kind: sheet.Int}, {Title: "Kontingent", Kind: sheet.Int}, {Title: "Belegt", Kind: sheet.Int}, {Title: "Frei", Kind: sheet.Int},
		{Title: "Bewilligte Plätze", Kind: sheet.Int}, {Title: "Qualifizierte Lotsen", Kind: sheet.Int}}}
	for _, d := range append(append([]domain.ContingentRow{}, r.DistrictRows...), r.StateTotal) {
		dist.Rows = append(dist.Rows, []any{d.AGS, d.Name, d.Applicants, d.Population, d.Total, d.Used, d.Free, d.Approved, d.Pilots})
	}
	cov := sheet.Table{Name: "coverage", Title: "Abdeckung nach Größenklasse", Columns: []sheet.Column{
		{Title: "Größenklasse", Kind: sheet.Text, Width: 28}, {Title: "Gemeinden", Kind: sheet.Int}, {Title: "Mit bewilligtem Platz", Kind: sheet.Int},
		{Title: "Beantragt, noch nicht bewilligt", Kind: sheet.Int}, {Title: "Ohne Antrag", Kind: sheet.Int}, {Title: "Abdeckung", Kind: sheet.Percent}}}
	for _, c := range r.Coverage {
		cov.Rows = append(cov.Rows, []any{c.Label, c.Municipalities, c.Covered, c.AppliedOnly, c.Municipalities - c.Covered - c.AppliedOnly, c.Share})
	}
	vcols := []sheet.Column{{Title: "Status", Kind: sheet.Text, Width: 20}}
	for _, t := range r.Tracks {
		vcols = append(vcols, sheet.Column{Title: t.Name, Kind: sheet.Int})
	}
	vcols = append(vcols, sheet.Column{Title: "Gesamt", Kind: sheet.Int}, sheet.Column{Title: "Wert", Kind: sheet.Money})
	vou := sheet.Table{Name: "vouchers", Title: "Gutscheine nach Status und Qualifizierung", Columns: vcols}
	for _, v := range r.Vouchers {
		row := []any{v.Label}
		for _, n := range v.ByTrack {
			row = append(row, n)
		}
		vou.Rows = append(vou.Rows, append(row, v.Total, v.ValueCents))
	}
	bud := sheet.Table{Name: "budget", Title: "Budget am Monatsende", Columns: []sheet.Column{
		{Title: "Monat", Kind: sheet.Text}, {Title: "Geplant", Kind: sheet.Money}, {Title: "Gebunden", Kind: sheet.Money},
		{Title: "Davon abgerechnet, in Prüfung", Kind: sheet.Money}, {Title: "Ausgezahlt", Kind: sheet.Money}, {Title: "Frei", Kind: sheet.Money}}}
	for _, b := range r.Budget {
		bud.Rows = append(bud.Rows, []any{monthLabel(b.Month), b.PlannedCents, b.CommittedCents, b.ClaimedCents, b.PaidCents, b.FreeCents})
	}
	par := sheet.Table{Name: "participants", Title: "Teilnehmende nach Anbieter und Qualifizierung", Columns: []sheet.Column{
		{Title: "Anbieter", Kind: sheet.Text, Width: 40}, {Title: "Qualifizierung", Kind: sheet.Text, Width: 22}, {Title: "Gebucht", Kind: sheet.Int},
		{Title: "Abgeschlossen", Kind: sheet.Int}, {Title: "Abschlussquote", Kind: sheet.Percent}}}
	for _, p := range r.Participants {
		par.Rows = append(par.Rows, []any{p.Provider, p.TrackName, p.Booked, p.Completed, p.Rate})
	}
	app := sheet.Table{Name: "applications", Title: "Eingereichte Anträge je Monat", Columns: []sheet.Column{
		{Title: "Monat", Kind: sheet.Text}, {Title: "Anträge", Kind: sheet.Int}, {Title: "Personen", Kind: sheet.Int}}}
	for _, m := range r.Applications {
		app.Rows = append(app.Rows, []any{monthLabel(m.Month), m.Applications, m.People})
	}
	fc := r.Forecast
	fore := sheet.Table{Name: "forecast", Title: "Prognose " + itoa(int64(fc.Year)), Columns: []sheet.Column{
		{Title: "Kennzahl", Kind: sheet.Text, Width: 48}, {Title: "Wert", Kind: sheet.Text, Width: 60}}}
	fore.Rows = [][]any{
		{"Ergebnis", fc.Summary()},
		{"Geplantes Budget", domain.Money(fc.PlannedCents)},
		{"Frei", domain.Money(fc.FreeCents)},
		{"Angenommene Bindung je Monat", domain.Money(fc.MonthlyCents)},
		{"Offene Gutscheine", domain.Thousands(fc.OpenVouchers)},
		{"Davon voraussichtlich verfallen", domain.Thousands(fc.ExpectedExpiring)},
		{"Gebuchte Plätze in kommenden Terminen", domain.Thousands(fc.BookedPlaces)},
		{"Davon voraussichtlich eingelöst", domain.Thousands(fc.ExpectedRedeemed)},
		{"Freie Plätze in kommenden Terminen", domain.Thousands(fc.FreePlaces)},
		{"Durchschnittliche Dauer bis zur Entscheidung (Tage)", decimal(r.DecisionDays)},
	}
	for i, a := range fc.Assumptions {
		fore.Rows = append(fore.Rows, []any{"Annahme " + itoa(int64(i+1)), a})
	}
	return []sheet.Table{muni, dist, cov, vou, bud, par, app, fore}
}
