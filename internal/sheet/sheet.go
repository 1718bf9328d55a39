// Package sheet writes typed tables as spreadsheets: XLSX files with real
// numbers and dates (money in euros with a € number format, dates as dates)
// and CSV files for German Excel (UTF-8 with BOM, ";", decimal comma,
// dd.mm.yyyy, formula-safe cells).
//
// A table's rows are slices of cells in column order. Per column kind a cell
// may be:
//
//	Text      any value (string, fmt.Stringer, numbers ...), shown as text
//	Int       int, int8..int64, uint..uint64
//	Money     int64 (or int) cents
//	Date      time.Time or *time.Time, the German day (Europe/Berlin)
//	DateTime  time.Time or *time.Time, German wall clock to the minute
//	Percent   float64 (or float32) share, 0.25 is 25 %
//
// nil (and a nil pointer or a zero time) is an empty cell in every column.
package sheet

import (
	"bytes"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lotse-oss/lotse/internal/csvx"
	"github.com/xuri/excelize/v2"
)

// Kind is the type of a column's cells.
type Kind int

// Column kinds.
const (
	Text     Kind = iota
	Int           // whole numbers
	Money         // int64 cents, shown as euros with 2 decimals and a € number format
	Date          // time.Time, shown dd.mm.yyyy in Europe/Berlin
	DateTime      // time.Time, shown dd.mm.yyyy hh:mm in Europe/Berlin
	Percent       // float64 0..1
)

// Column is a column's header and type.
type Column struct {
	Title string
	Kind  Kind
	Width float64 // in characters; 0: automatic
}

// Table is one sheet: an optional title row, a header row and the rows.
type Table struct {
	Name    string // sheet name, at most 31 characters (longer names are cut)
	Title   string // optional first row in bold (XLSX only)
	Columns []Column
	Rows    [][]any
}

// berlin is the time zone of dates; the fallback (no zoneinfo on the host)
// is Central European Time without summer time.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// Number formats of the XLSX cells. The format codes are stored
// locale-independent ("," groups, "." decimals); German Excel shows
// 1.234,56 €.
const (
	fmtMoney    = `#,##0.00\ "€";\-#,##0.00\ "€"`
	fmtDate     = `dd\.mm\.yyyy`
	fmtDateTime = `dd\.mm\.yyyy\ hh:mm`
	fmtInt      = 1  // built-in "0"
	fmtPercent  = 10 // built-in "0.00%"
)

// cell is a checked cell value.
type cell struct {
	empty bool
	text  string
	i     int64 // Int, Money
	t     time.Time
	f     float64 // Percent
}

// value checks v against the column's kind.
func value(k Kind, v any) (cell, error) {
	if v == nil {
		return cell{empty: true}, nil
	}
	switch k {
	case Text:
		switch s := v.(type) {
		case string:
			return cell{text: s}, nil
		case *string:
			if s == nil {
				return cell{empty: true}, nil
			}
			return cell{text: *s}, nil
		case fmt.Stringer:
			return cell{text: s.String()}, nil
		}
		return cell{text: fmt.Sprint(v)}, nil
	case Int, Money:
		n, ok := integer(v)
		if !ok {
			return cell{}, fmt.Errorf("want a whole number, got %T", v)
		}
		return cell{i: n}, nil
	case Date, DateTime:
		var t time.Time
		switch x := v.(type) {
		case time.Time:
			t = x
		case *time.Time:
			if x == nil {
				return cell{empty: true}, nil
			}
			t = *x
		default:
			return cell{}, fmt.Errorf("want a time.Time, got %T", v)
		}
		if t.IsZero() {
			return cell{empty: true}, nil
		}
		return cell{t: t.In(berlin)}, nil
	case Percent:
		switch x := v.(type) {
		case float64:
			return cell{f: x}, nil
		case float32:
			return cell{f: float64(x)}, nil
		}
		return cell{}, fmt.Errorf("want a float64 share, got %T", v)
	}
	return cell{}, fmt.Errorf("unknown column kind %d", k)
}

func integer(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), x <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	case *int64:
		if x != nil {
			return *x, true
		}
	}
	return 0, false
}

// check validates every cell of the table once.
func (t *Table) cells() ([][]cell, error) {
	if len(t.Columns) == 0 {
		return nil, fmt.Errorf("sheet: table %q has no columns", t.Name)
	}
	out := make([][]cell, len(t.Rows))
	for r, row := range t.Rows {
		if len(row) > len(t.Columns) {
			return nil, fmt.Errorf("sheet: table %q row %d has %d cells for %d columns", t.Name, r+1, len(row), len(t.Columns))
		}
		out[r] = make([]cell, len(t.Columns))
		for c := range t.Columns {
			if c >= len(row) {
				out[r][c] = cell{empty: true}
				continue
			}
			v, err := value(t.Columns[c].Kind, row[c])
			if err != nil {
				return nil, fmt.Errorf("sheet: table %q row %d column %q: %w", t.Name, r+1, t.Columns[c].Title, err)
			}
			out[r][c] = v
		}
	}
	return out, nil
}

// display is the cell as German text: the CSV cell, and the measure of the
// automatic column width.
func (c cell) display(k Kind) string {
	if c.empty {
		return ""
	}
	switch k {
	case Int:
		return strconv.FormatInt(c.i, 10)
	case Money:
		return euros(c.i)
	case Date:
		return c.t.Format("02.01.2006")
	case DateTime:
		return c.t.Format("02.01.2006 15:04")
	case Percent:
		s := strconv.FormatFloat(c.f*100, 'f', 2, 64)
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		return strings.Replace(s, ".", ",", 1) + "%"
	}
	return c.text
}

// euros formats cents as German Excel reads a number: "1234,56", "-0,05".
func euros(cents int64) string {
	neg := cents < 0
	u := uint64(cents)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u/100, 10) + "," + fmt.Sprintf("%02d", u%100)
	if neg {
		return "-" + s
	}
	return s
}

// CSV writes the table's header and rows for German Excel: UTF-8 with BOM,
// ";" as separator, money as "1234,56", dates as dd.mm.yyyy, percentages as
// "12,5%", and cells that would be read as formulas neutralised. The title
// is not written: the file stays one plain table.
func CSV(t Table) ([]byte, error) {
	cells, err := t.cells()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	w := csvx.NewWriter(&b)
	head := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		head[i] = c.Title
	}
	if err := w.Write(head...); err != nil {
		return nil, err
	}
	line := make([]string, len(t.Columns))
	for _, row := range cells {
		for i, c := range row {
			line[i] = c.display(t.Columns[i].Kind)
		}
		if err := w.Write(line...); err != nil {
			return nil, err
		}
	}
	if err := w.Flush(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// styles are the XLSX cell styles, created once per file.
type styles struct {
	title, header      int
	kind               map[Kind]int
	headerRight, plain int
}

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{kind: map[Kind]int{}}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	str := func(s string) *string { return &s }
	s.title = mk(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 13}})
	s.header = mk(&excelize.Style{Font: &excelize.Font{Bold: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	s.headerRight = mk(&excelize.Style{Font: &excelize.Font{Bold: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "top", WrapText: true}})
	s.kind[Text] = mk(&excelize.Style{NumFmt: 49}) // "@": typed-over cells stay text
	s.kind[Int] = mk(&excelize.Style{NumFmt: fmtInt})
	s.kind[Money] = mk(&excelize.Style{CustomNumFmt: str(fmtMoney)})
	s.kind[Date] = mk(&excelize.Style{CustomNumFmt: str(fmtDate)})
	s.kind[DateTime] = mk(&excelize.Style{CustomNumFmt: str(fmtDateTime)})
	s.kind[Percent] = mk(&excelize.Style{NumFmt: fmtPercent})
	return s, err
}

// excelSerial is t's wall clock as an Excel serial date (days since
// 1899-12-30, the 1900 date system); with dateOnly the time of day is cut.
func excelSerial(t time.Time, dateOnly bool) float64 {
	y, m, d := t.Date()
	days := float64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)) / (24 * time.Hour))
	if dateOnly {
		return days
	}
	secs := t.Hour()*3600 + t.Minute()*60
	return days + float64(secs)/86400
}

// xmlText drops the control characters XML cannot carry (excelize would
// show them as U+FFFD); tabs and line breaks stay.
func xmlText(s string) string {
	bad := func(r rune) bool { return r < 0x20 && r != '\t' && r != '\n' && r != '\r' }
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return -1
		}
		return r
	}, s)
}

// sheetName makes name a valid, unique worksheet name: at most 31
// characters, none of []:*?/\, not empty.
func sheetName(name string, used map[string]bool, n int) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, strings.TrimSpace(name))
	name = strings.Trim(name, "'")
	if name == "" {
		name = fmt.Sprintf("Tabelle%d", n)
	}
	cut := func(s string, max int) string {
		if utf8.RuneCountInString(s) <= max {
			return s
		}
		return string([]rune(s)[:max])
	}
	base := cut(name, 31)
	name = base
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := fmt.Sprintf(" (%d)", i)
		name = cut(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

// XLSX writes one worksheet per table: an optional bold title row, a bold
// header row frozen at the top with an autofilter, and typed cells: numbers
// are numbers, money is euros with a € format, dates are dates. Text is
// always stored as a string, so a cell such as "=1+1" stays text and is
// never a formula.
func XLSX(tables ...Table) ([]byte, error) {
	if len(tables) == 0 {
		return nil, fmt.Errorf("sheet: no table")
	}
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, fmt.Errorf("sheet: styles: %w", err)
	}
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Name, used, i+1)
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err != nil {
			return nil, fmt.Errorf("sheet: %q: %w", name, err)
		}
		if err := writeSheet(f, st, name, t); err != nil {
			return nil, fmt.Errorf("sheet: %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("sheet: write: %w", err)
	}
	return buf.Bytes(), nil
}

func writeSheet(f *excelize.File, st *styles, name string, t Table) error {
	cells, err := t.cells()
	if err != nil {
		return err
	}
	ncol := len(t.Columns)
	row := 1
	if t.Title != "" {
		if err := f.SetCellStr(name, "A1", t.Title); err != nil {
			return err
		}
		if err := f.SetCellStyle(name, "A1", "A1", st.title); err != nil {
			return err
		}
		row = 2
	}
	headRow := row
	widths := make([]int, ncol)
	for c, col := range t.Columns {
		ref, _ := excelize.CoordinatesToCellName(c+1, headRow)
		if err := f.SetCellStr(name, ref, col.Title); err != nil {
			return err
		}
		style := st.header
		if k := col.Kind; k == Int || k == Money || k == Percent {
			style = st.headerRight
		}
		if err := f.SetCellStyle(name, ref, ref, style); err != nil {
			return err
		}
		widths[c] = utf8.RuneCountInString(col.Title)
	}
	for r, line := range cells {
		for c, v := range line {
			k := t.Columns[c].Kind
			ref, _ := excelize.CoordinatesToCellName(c+1, headRow+1+r)
			if w := utf8.RuneCountInString(v.display(k)); w > widths[c] {
				widths[c] = w
			}
			if v.empty {
				continue
			}
			switch k {
			case Text:
				err = f.SetCellStr(name, ref, xmlText(v.text))
			case Int:
				err = f.SetCellInt(name, ref, v.i)
			case Money:
				err = f.SetCellFloat(name, ref, float64(v.i)/100, -1, 64)
			case Date:
				err = f.SetCellFloat(name, ref, excelSerial(v.t, true), -1, 64)
			case DateTime:
				err = f.SetCellFloat(name, ref, excelSerial(v.t, false), -1, 64)
			case Percent:
				err = f.SetCellFloat(name, ref, v.f, -1, 64)
			}
			if err != nil {
				return err
			}
		}
	}
	last := headRow + len(cells)
	for c, col := range t.Columns {
		colName, _ := excelize.ColumnNumberToName(c + 1)
		if len(cells) > 0 {
			if err := f.SetCellStyle(name, colName+strconv.Itoa(headRow+1), colName+strconv.Itoa(last), st.kind[col.Kind]); err != nil {
				return err
			}
		}
		w := col.Width
		if w <= 0 {
			w = float64(min(max(widths[c], 6), 60)) + 2
		}
		if err := f.SetColWidth(name, colName, colName, w); err != nil {
			return err
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(ncol)
	if err := f.AutoFilter(name, fmt.Sprintf("A%d:%s%d", headRow, lastCol, max(last, headRow+1)), nil); err != nil {
		return err
	}
	return f.SetPanes(name, &excelize.Panes{
		Freeze: true, YSplit: headRow, TopLeftCell: fmt.Sprintf("A%d", headRow+1), ActivePane: "bottomLeft",
	})
}
