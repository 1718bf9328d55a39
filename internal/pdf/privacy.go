package pdf

import (
	"strconv"
	"time"
)

// DataSummary is the readable summary of a person's data download
// (internal/privacy): every kind of data with its rows as label–value pairs.
type DataSummary struct {
	Name, Email string
	GeneratedAt time.Time
	Sections    []DataSection
}

// DataSection is one kind of data: a heading, its rows (each a list of
// label–value pairs), the total number of rows and a note when the summary
// leaves rows out.
type DataSection struct {
	Title string
	Total int
	Rows  [][][2]string
	Note  string
}

// DataSummaryPDF lays out the summary: a title page block with who and
// when, then each kind of data with its count and rows.
func DataSummaryPDF(s DataSummary) ([]byte, error) {
	s.Name, s.Email = Text(s.Name), Text(s.Email)
	head := "Ihre Daten bei Lotse"
	d := newDoc(head, "Auskunft nach Art. 15 DSGVO für "+s.Name, head+" · "+s.Name, s.GeneratedAt)
	d.title(head, "Auskunft nach Art. 15 DSGVO", "Stand "+date(s.GeneratedAt))
	d.facts([][2]string{{"Name", orDash(s.Name)}, {"E-Mail-Adresse", orDash(s.Email)}})
	d.f.Ln(2)
	d.para("Diese Zusammenfassung zeigt alle Arten von Daten, die Lotse über Sie speichert. Vollständig und maschinenlesbar erhalten Sie sie als JSON-Datei auf der Seite „Mein Konto“.")
	for _, sec := range s.Sections {
		d.section(Text(sec.Title)+" ("+strconv.Itoa(sec.Total)+")", 10)
		if sec.Total == 0 {
			d.para("Keine Einträge.")
			continue
		}
		for i, row := range sec.Rows {
			if i > 0 {
				d.f.Ln(1.5)
			}
			printable := make([][2]string, len(row))
			for j, c := range row {
				printable[j] = [2]string{Text(c[0]), orDash(Text(c[1]))}
			}
			d.facts(printable)
		}
		if sec.Note != "" {
			d.f.Ln(1)
			d.para(Text(sec.Note))
		}
	}
	return d.bytes()
}
