package csvx

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestSafeNeutralisesFormulas(t *testing.T) {
	cases := []struct{ in, want string }{
		{"=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"},
		{"+49 711 1234", "'+49 711 1234"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"-150,00", "-150,00"},
		{"-", "'-"},
		{"Anna Müller", "Anna Müller"},
		{"", ""},
		{"08111000-ABCD", "08111000-ABCD"},
	}
	for _, c := range cases {
		if got := Safe(c.in); got != c.want {
			t.Errorf("Safe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestWriterWritesBOMSemicolonsAndSafeCells(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Write("Name", "Code"); err != nil {
		t.Fatal(err)
	}
	if err := w.Write("=1+1", "a;b"); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if !strings.HasPrefix(s, "\ufeff") || strings.Count(s, "\ufeff") != 1 {
		t.Fatalf("want one BOM at the start: %q", s)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][0] != "'=1+1" || rows[1][1] != "a;b" {
		t.Fatalf("rows = %q", rows)
	}
}
