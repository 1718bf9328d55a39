package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/lotse-oss/lotse/internal/domain"
)

// reportPage is the programme's report ("Auswertung").
type reportPage struct {
	Page
	ProgrammeID, ProgrammeName string
	R                          *domain.Report
	// The filters as given, kept in the form and the download links.
	From, To, District, Association string
	// Query is the filters as API parameters, for the download links.
	Query template.URL
	// ShowMunicipalities: the table of single municipalities is shown
	// (a district is chosen, or there are few); otherwise it is only in
	// the downloads.
	ShowMunicipalities bool
	Visuals            reportVisuals
	Tables             []reportTableLink
}

// reportTableLink names a table's CSV download.
type reportTableLink struct{ Name, Label string }

// maxMunicipalityRows is how many single municipalities the page lists
// without a district filter.
const maxMunicipalityRows = 250

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	id := r.PathValue("id")
	p := &reportPage{ProgrammeID: id, From: q.Get("von"), To: q.Get("bis"), District: q.Get("kreis"), Association: q.Get("verband")}
	f, ferr := reportFilter(q, "von", "bis", "kreis", "verband")
	status := http.StatusOK
	if ferr != nil {
		// Show the page with the messages and the figures without filter.
		status = http.StatusUnprocessableEntity
		f = domain.ReportFilter{}
	}
	rep, err := s.app.Reports.Report(r.Context(), id, f)
	if err != nil {
		if domain.ErrorCode(err) != domain.EInvalid {
			return err
		}
		ferr, status = renameFields(err, map[string]string{"from": "von", "to": "bis", "district": "kreis", "association": "verband"}), http.StatusUnprocessableEntity
		if rep, err = s.app.Reports.Report(r.Context(), id, domain.ReportFilter{}); err != nil {
			return err
		}
	}
	p.Page = s.newPage(r, "Auswertung: "+rep.ProgrammeName)
	p.ProgrammeName, p.R = rep.ProgrammeName, rep
	if ferr != nil {
		p.Errors, p.Message = domain.ErrorFields(ferr), domain.ErrorMessage(ferr)
	}
	if rep.AssociationFixed {
		p.Association = itoa(rep.Filter.Association)
	}
	api := url.Values{}
	for k, v := range map[string]string{"from": p.From, "to": p.To, "district": p.District, "association": p.Association} {
		if v != "" && ferr == nil {
			api.Set(k, v)
		}
	}
	p.Query = template.URL(api.Encode())
	p.ShowMunicipalities = rep.Filter.District != "" || len(rep.Municipalities) <= maxMunicipalityRows
	p.Visuals = reportCharts(rep)
	p.Tables = []reportTableLink{{"municipalities", "Kontingent je Kommune"}, {"districts", "Kontingent je Kreis"}, {"coverage", "Abdeckung"},
		{"vouchers", "Gutscheine"}, {"budget", "Budget"}, {"participants", "Teilnehmende"}, {"applications", "Anträge je Monat"}, {"forecast", "Prognose"}}
	s.render(w, r, status, "report", p)
	return nil
}
