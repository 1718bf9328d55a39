package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/sheet"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

// reportFilter reads a report's filter from a query: the period as dates
// (YYYY-MM-DD), a district's AGS and an association's ID, under the given
// parameter names (from, to, district, association); errors carry those
// names as fields.
func reportFilter(q url.Values, from, to, district, association string) (domain.ReportFilter, error) {
	var f domain.ReportFilter
	v := domain.Validation{}
	date := func(name string) *time.Time {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			return nil
		}
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			v.Add(name, "Bitte geben Sie ein Datum an, z. B. 2026-01-31.")
			return nil
		}
		return &t
	}
	f.From, f.To = date(from), date(to)
	f.District = strings.TrimSpace(q.Get(district))
	if s := strings.TrimSpace(q.Get(association)); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			v.Add(association, "Bitte wählen Sie einen Verband aus der Liste.")
		}
		f.Association = id
	}
	if err := v.Err(); err != nil {
		return f, err
	}
	if err := f.Validate(); err != nil {
		return f, renameFields(err, map[string]string{"from": from, "to": to, "district": district, "association": association})
	}
	return f, nil
}

// renameFields gives a domain error's fields the names of the form.
func renameFields(err error, names map[string]string) error {
	e, ok := err.(*domain.Error)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	c := *e
	c.Fields = map[string]string{}
	for k, m := range e.Fields {
		if n, ok := names[k]; ok {
			k = n
		}
		c.Fields[k] = m
	}
	return &c
}

// report reads the filter of r's query (API names) and returns the report.
func (s *Server) apiReportData(r *http.Request) (*domain.Report, error) {
	f, err := reportFilter(r.URL.Query(), "from", "to", "district", "association")
	if err != nil {
		return nil, err
	}
	return s.app.Reports.Report(r.Context(), r.PathValue("id"), f)
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.apiReportData(r)
	if err != nil {
		return err
	}
	return httpx.WriteJSON(w, http.StatusOK, rep)
}

// apiReportCSV sends one table of the report (query table) as CSV for
// German spreadsheets.
func (s *Server) apiReportCSV(w http.ResponseWriter, r *http.Request) error {
	name := r.URL.Query().Get("table")
	if !slices.Contains(reportTableNames, name) {
		return &domain.Error{Code: domain.EBadRequest, Message: "Diese Tabelle gibt es nicht: Möglich sind " + strings.Join(reportTableNames, ", ") + ".",
			Fields: map[string]string{"table": "Bitte wählen Sie eine der Tabellen des Berichts."}}
	}
	rep, err := s.apiReportData(r)
	if err != nil {
		return err
	}
	for _, t := range reportTables(rep) {
		if t.Name == name {
			b, err := sheet.CSV(t)
			if err != nil {
				return err
			}
			return sendFile(w, "text/csv; charset=utf-8", "auswertung-"+rep.ProgrammeID+"-"+name+".csv", b)
		}
	}
	return errNotFoundAPI
}

// apiReportXLSX sends all tables of the report as one workbook.
func (s *Server) apiReportXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.apiReportData(r)
	if err != nil {
		return err
	}
	b, err := sheet.XLSX(reportTables(rep)...)
	if err != nil {
		return err
	}
	return sendFile(w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "auswertung-"+rep.ProgrammeID+".xlsx", b)
}

func sendFile(w http.ResponseWriter, mediaType, name string, b []byte) error {
	w.Header().Set("Content-Type", mediaType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := w.Write(b)
	return err
}

// Labels of the report's tables.

func applicantLabel(kind string) string {
	if kind == domain.ApplicantDistrict {
		return "Kreis"
	}
	return "Gemeinde"
}

var coverageLabels = map[string]string{
	domain.CoverageNone:      "kein Platz beantragt",
	domain.CoverageApplied:   "Platz beantragt oder bewilligt",
	domain.CoverageQualified: "Lotsen qualifiziert",
}

func coverageLabel(c string) string { return coverageLabels[c] }

var monthNames = []string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"}

// monthLabel says a month YYYY-MM in German: "März 2026".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return monthNames[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// decimal formats a number with one decimal the German way: "5,3".
func decimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', 1, 64), ".", ",", 1)
}
