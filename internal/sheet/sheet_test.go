package sheet

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func sample() Table {
	day := time.Date(2026, 3, 31, 23, 30, 0, 0, time.UTC) // already 1 April in Berlin
	var none *time.Time
	return Table{
		Name:  "Gutscheine: März/April",
		Title: "Abrechnung A-2026-0001",
		Columns: []Column{
			{Title: "Code", Kind: Text},
			{Title: "Anzahl", Kind: Int},
			{Title: "Betrag", Kind: Money},
			{Title: "Eingelöst am", Kind: Date},
			{Title: "Zeitpunkt", Kind: DateTime},
			{Title: "Anteil", Kind: Percent},
			{Title: "Notiz", Kind: Text, Width: 40},
		},
		Rows: [][]any{
			{"=HYPERLINK(\"http://evil.example\")", 3, int64(123456), day, day, 0.125, "Grüße, Straße"},
			{"+49 711", int64(-1), int64(-5), &day, none, float64(1), nil},
			{"-2+3", 0, int64(0), nil, nil, nil, "Steuer\x00zeichen\x1b"},
		},
	}
}

func open(t *testing.T, b []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestXLSXTypedCells(t *testing.T) {
	b, err := XLSX(sample(), Table{Name: "Summen", Columns: []Column{{Title: "Summe", Kind: Money}}, Rows: [][]any{{int64(99)}}})
	if err != nil {
		t.Fatal(err)
	}
	f := open(t, b)
	sheets := f.GetSheetList()
	if len(sheets) != 2 || sheets[0] != "Gutscheine- März-April" || sheets[1] != "Summen" {
		t.Fatalf("sheets = %q", sheets)
	}
	s := sheets[0]
	get := func(ref string) string {
		t.Helper()
		v, err := f.GetCellValue(s, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	typ := func(ref string) excelize.CellType {
		t.Helper()
		ct, err := f.GetCellType(s, ref)
		if err != nil {
			t.Fatal(err)
		}
		return ct
	}
	numFmt := func(ref string) (int, string) {
		t.Helper()
		id, err := f.GetCellStyle(s, ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.CustomNumFmt != nil {
			return st.NumFmt, *st.CustomNumFmt
		}
		return st.NumFmt, ""
	}

	if get("A1") != "Abrechnung A-2026-0001" || get("A2") != "Code" || get("D2") != "Eingelöst am" {
		t.Fatalf("title/header: %q %q %q", get("A1"), get("A2"), get("D2"))
	}
	// A formula-looking text stays text: no formula, a string cell.
	for _, ref := range []string{"A3", "A4", "A5"} {
		if fo, _ := f.GetCellFormula(s, ref); fo != "" {
			t.Errorf("%s has formula %q", ref, fo)
		}
		if ct := typ(ref); ct != excelize.CellTypeSharedString && ct != excelize.CellTypeInlineString {
			t.Errorf("%s type = %v, want a string", ref, ct)
		}
	}
	if get("A3") != `=HYPERLINK("http://evil.example")` || get("A4") != "+49 711" {
		t.Errorf("text changed: %q %q", get("A3"), get("A4"))
	}
	// Numbers are numbers.
	if !isNumber(typ("B3")) || get("B3") != "3" || get("B4") != "-1" {
		t.Errorf("int: %v %q %q", typ("B3"), get("B3"), get("B4"))
	}
	if !isNumber(typ("C3")) || get("C3") != "1234.56" || get("C4") != "-0.05" || get("C5") != "0" {
		t.Errorf("money: %v %q %q %q", typ("C3"), get("C3"), get("C4"), get("C5"))
	}
	if _, nf := numFmt("C3"); !strings.Contains(nf, "€") || !strings.Contains(nf, "0.00") {
		t.Errorf("money format = %q", nf)
	}
	// Dates are serial numbers with a date format, on the German day.
	if !isNumber(typ("D3")) || get("D3") != "46113" { // 2026-04-01
		t.Errorf("date: %v %q", typ("D3"), get("D3"))
	}
	if _, nf := numFmt("D3"); nf != fmtDate {
		t.Errorf("date format = %q", nf)
	}
	if formatted, _ := f.GetCellValue(s, "D3"); formatted != "01.04.2026" {
		t.Errorf("date shown as %q", formatted)
	}
	if v := get("E3"); !strings.HasPrefix(v, "46113.0625") { // 01:30
		t.Errorf("datetime = %q", v)
	}
	if formatted, _ := f.GetCellValue(s, "E3"); formatted != "01.04.2026 01:30" {
		t.Errorf("datetime shown as %q", formatted)
	}
	if get("D4") != "46113" || get("E4") != "" || get("D5") != "" {
		t.Errorf("pointer/nil dates: %q %q %q", get("D4"), get("E4"), get("D5"))
	}
	if id, _ := numFmt("F3"); id != fmtPercent || get("F3") != "0.125" {
		t.Errorf("percent: fmt %d value %q", id, get("F3"))
	}
	if get("G3") != "Grüße, Straße" || get("G4") != "" || get("G5") != "Steuerzeichen" {
		t.Errorf("text: %q %q", get("G3"), get("G4"))
	}
	// Header frozen, autofilter over the table, widths.
	panes, err := f.GetPanes(s)
	if err != nil || !panes.Freeze || panes.YSplit != 2 || panes.TopLeftCell != "A3" {
		t.Errorf("panes = %+v, %v", panes, err)
	}
	if w, _ := f.GetColWidth(s, "G"); w != 40 {
		t.Errorf("fixed width = %v", w)
	}
	if w, _ := f.GetColWidth(s, "A"); w < 30 {
		t.Errorf("automatic width of the long code column = %v", w)
	}
	if x := unzip(t, b, "xl/worksheets/sheet1.xml"); !bytes.Contains(x, []byte(`<autoFilter ref="$A$2:$G$5"`)) {
		t.Errorf("no autofilter A2:G5 in %s", x)
	}
	// Header bold.
	id, _ := f.GetCellStyle(s, "A2")
	st, _ := f.GetStyle(id)
	if st.Font == nil || !st.Font.Bold {
		t.Error("header not bold")
	}
	if v, _ := f.GetCellValue("Summen", "A2", excelize.Options{RawCellValue: true}); v != "0.99" {
		t.Errorf("second sheet A2 = %q", v)
	}
}

func TestXLSXRejectsWrongTypes(t *testing.T) {
	_, err := XLSX(Table{Name: "x", Columns: []Column{{Title: "Betrag", Kind: Money}}, Rows: [][]any{{"12,00"}}})
	if err == nil || !strings.Contains(err.Error(), `column "Betrag"`) {
		t.Fatalf("err = %v", err)
	}
	if _, err := CSV(Table{Name: "x", Columns: []Column{{Title: "Tag", Kind: Date}}, Rows: [][]any{{"2026-01-01"}}}); err == nil {
		t.Fatal("string accepted as date")
	}
	if _, err := XLSX(Table{Name: "x", Columns: []Column{{Title: "a"}}, Rows: [][]any{{"1", "2"}}}); err == nil {
		t.Fatal("too many cells accepted")
	}
	if _, err := XLSX(); err == nil {
		t.Fatal("no table accepted")
	}
}

func TestSheetNamesValidAndUnique(t *testing.T) {
	used := map[string]bool{}
	long := strings.Repeat("Ä", 40)
	a := sheetName(long, used, 1)
	b := sheetName(long, used, 2)
	c := sheetName("", used, 3)
	if len([]rune(a)) != 31 || len([]rune(b)) != 31 || a == b || !strings.HasSuffix(b, " (2)") || c != "Tabelle3" {
		t.Fatalf("names %q %q %q", a, b, c)
	}
	if _, err := XLSX(Table{Name: "A", Columns: []Column{{Title: "x"}}}, Table{Name: "a", Columns: []Column{{Title: "x"}}}); err != nil {
		t.Fatalf("same names differing in case: %v", err)
	}
}

func TestCSVGermanExcel(t *testing.T) {
	b, err := CSV(sample())
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasPrefix(s, "\ufeff") {
		t.Fatal("no BOM")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Code", "Anzahl", "Betrag", "Eingelöst am", "Zeitpunkt", "Anteil", "Notiz"},
		{`'=HYPERLINK("http://evil.example")`, "3", "1234,56", "01.04.2026", "01.04.2026 01:30", "12,5%", "Grüße, Straße"},
		{"'+49 711", "-1", "-0,05", "01.04.2026", "", "100%", ""},
		{"'-2+3", "0", "0,00", "", "", "", "Steuer\x00zeichen\x1b"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q", rows)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	if strings.Contains(s, "Abrechnung A-2026") {
		t.Error("title written into the CSV")
	}
}

func TestEuros(t *testing.T) {
	for cents, want := range map[int64]string{0: "0,00", 5: "0,05", -5: "-0,05", 100: "1,00", 123456789: "1234567,89", -100000: "-1000,00"} {
		if got := euros(cents); got != want {
			t.Errorf("euros(%d) = %q, want %q", cents, got, want)
		}
	}
}

// isNumber: a number cell has t="n" or no type at all.
func isNumber(ct excelize.CellType) bool {
	return ct == excelize.CellTypeNumber || ct == excelize.CellTypeUnset
}

func unzip(t *testing.T, b []byte, name string) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := z.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	out, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
