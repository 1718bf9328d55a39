// Package csvx writes CSV files that German spreadsheet programs open
// correctly and safely: UTF-8 with a byte order mark, ";" as separator, and
// every cell that a spreadsheet would read as a formula neutralised.
package csvx

import (
	"encoding/csv"
	"io"
	"strings"
)

// Writer writes rows of cells.
type Writer struct {
	w   *csv.Writer
	bom bool
	out io.Writer
	n   int
}

// NewWriter returns a writer for German spreadsheets (BOM, ";").
func NewWriter(w io.Writer) *Writer {
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	return &Writer{w: cw, bom: true, out: w}
}

// Write writes one row; cells are made safe first.
func (w *Writer) Write(cells ...string) error {
	if w.bom && w.n == 0 {
		if _, err := io.WriteString(w.out, "\ufeff"); err != nil {
			return err
		}
	}
	w.n++
	row := make([]string, len(cells))
	for i, c := range cells {
		row[i] = Safe(c)
	}
	return w.w.Write(row)
}

// Flush writes buffered rows and reports any error.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}

// Safe neutralises a cell that a spreadsheet would evaluate: one that begins
// with =, +, -, @, a tab or a carriage return gets a leading apostrophe,
// which spreadsheets hide and which stops evaluation (OWASP "CSV
// injection"). Plain negative numbers stay as they are.
func Safe(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '@', '\t', '\r':
		return "'" + cell
	case '-':
		if isNumber(cell[1:]) {
			return cell
		}
		return "'" + cell
	}
	return cell
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ',' || r == '.':
		default:
			return false
		}
	}
	return digits > 0 && !strings.HasPrefix(s, ",") && !strings.HasPrefix(s, ".")
}
