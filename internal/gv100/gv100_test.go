package gv100

import (
	"bytes"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

const realFile = "../../../shared/data/GV100AD_30112025.txt"

// field places val at the 1-based, inclusive character columns from-to.
type field struct {
	from, to int
	val      string
}

// fixed builds a fixed-width line of width characters (runes) from fields;
// a value longer than its columns is a bug in the test.
func fixed(width int, fields ...field) string {
	line := []rune(strings.Repeat(" ", width))
	for _, f := range fields {
		v := []rune(f.val)
		if len(v) > f.to-f.from+1 {
			panic("value " + f.val + " too long for its columns")
		}
		copy(line[f.from-1:], v)
	}
	return string(line)
}

// rec describes a synthetic record by its raw column contents.
type rec struct {
	typ, date, ags, assoc, name, seat, code string
	area, pop, male, plz, flag              string
	width                                   int // default 220
}

func (r rec) line() string {
	w := r.width
	if w == 0 {
		w = 220
	}
	l := fixed(220,
		field{1, 2, r.typ}, field{3, 10, r.date}, field{11, 18, r.ags}, field{19, 22, r.assoc},
		field{23, 72, r.name}, field{73, 122, r.seat}, field{123, 124, r.code},
		field{129, 139, r.area}, field{140, 150, r.pop}, field{151, 161, r.male},
		field{166, 170, r.plz}, field{171, 175, r.flag})
	return string([]rune(l)[:w])
}

const date = "20251130"

var (
	state    = rec{typ: "10", date: date, ags: "08", name: "Baden-Württemberg", seat: "Stuttgart"}
	region   = rec{typ: "20", date: date, ags: "081", name: "Reg.-Bez. Stuttgart", seat: "Stuttgart"}
	area     = rec{typ: "30", date: date, ags: "0811", name: "Region Stuttgart", seat: "Stuttgart"}
	district = rec{typ: "40", date: date, ags: "08111", name: "Stuttgart, Landeshauptstadt", seat: "Stuttgart", code: "42"}
	assoc    = rec{typ: "50", date: date, ags: "08111", assoc: "0000", name: "Stuttgart, Landeshauptstadt", code: "50"}
	muni     = rec{typ: "60", date: date, ags: "08111000", assoc: "0000", name: "Stuttgart, Landeshauptstadt", code: "62",
		area: "00000020733", pop: "00000612663", male: "00000304725", plz: "70173", flag: "*****"}
	// Sorbian name: non-Latin-1 characters before the numeric columns.
	sorb = rec{typ: "60", date: date, ags: "14625020", assoc: "5203", name: "Bautzen/Budyšin, Stadt", code: "67",
		area: "00000006658", pop: "00000037869", male: "00000018520", plz: "02625"}
)

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func parseAll(t *testing.T, in string) ([]Record, error) {
	t.Helper()
	var out []Record
	err := Parse(strings.NewReader(in), func(r Record) error {
		out = append(out, r)
		return nil
	})
	return out, err
}

func TestParseValid(t *testing.T) {
	day := time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)
	in := lines(state.line(), region.line(), area.line(), district.line(), assoc.line(), muni.line(), sorb.line())
	got, err := parseAll(t, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []Record{
		{Kind: KindState, Date: day, AGS: "08", Name: "Baden-Württemberg", Seat: "Stuttgart"},
		{Kind: KindRegion, Date: day, AGS: "081", Name: "Reg.-Bez. Stuttgart", Seat: "Stuttgart"},
		{Kind: KindArea, Date: day, AGS: "0811", Name: "Region Stuttgart", Seat: "Stuttgart"},
		{Kind: KindDistrict, Date: day, AGS: "08111", Name: "Stuttgart, Landeshauptstadt", Seat: "Stuttgart", TypeCode: 42},
		{Kind: KindAssociation, Date: day, AGS: "08111", Association: "0000", Name: "Stuttgart, Landeshauptstadt", TypeCode: 50},
		{Kind: KindMunicipality, Date: day, AGS: "08111000", Association: "0000", Name: "Stuttgart, Landeshauptstadt",
			TypeCode: 62, AreaHa: 20733, Population: 612663, Male: 304725, Postcode: "70173", PostcodeNotUnique: true},
		{Kind: KindMunicipality, Date: day, AGS: "14625020", Association: "5203", Name: "Bautzen/Budyšin, Stadt",
			TypeCode: 67, AreaHa: 6658, Population: 37869, Male: 18520, Postcode: "02625"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

func TestParseVariants(t *testing.T) {
	m := muni.line()
	noPLZ := muni
	noPLZ.plz, noPLZ.flag, noPLZ.code = "", "", "66"
	tests := []struct {
		name string
		in   string
		n    int
	}{
		{"empty input", "", 0},
		{"only blank lines", "\n\n  \n", 0},
		{"no final newline", m, 1},
		{"trailing empty lines", m + "\n\n\r\n   \n", 1},
		{"CRLF", m + "\r\n" + m + "\r\n", 2},
		{"byte order mark", "\ufeff" + m + "\n", 1},
		{"line longer than 220", m + "   extra\n", 1},
		{"shortest 60 line", (rec{typ: "60", date: date, ags: "01001000", assoc: "0000", name: "X", code: "61",
			area: "00000000001", pop: "00000000000", male: "00000000000", width: 175}).line() + "\n", 1},
		{"unpopulated without postcode", noPLZ.line(), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseAll(t, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.n {
				t.Fatalf("got %d records, want %d", len(got), tt.n)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	ok := muni.line()
	with := func(f func(r *rec)) string {
		r := muni
		f(&r)
		return r.line()
	}
	tests := []struct {
		name string
		in   string
		line int
		msg  string // substring of the message
	}{
		{"unknown type", lines(ok, ok, with(func(r *rec) { r.typ = "99" })), 3, "Satzart „99“ ist unbekannt."},
		{"type 70", lines(with(func(r *rec) { r.typ = "70" })), 1, "Satzart „70“ ist unbekannt."},
		{"one character", lines(ok, "1"), 2, "Satzart „1“ ist unbekannt."},
		{"garbage", "hello world\n", 1, "Satzart „he“ ist unbekannt."},
		{"too short for 60", lines(with(func(r *rec) { r.width = 170 })), 1, "mindestens 175 Zeichen, die Zeile hat 170"},
		{"too short for 40", lines(ok, district.line()[:100]), 2, "Satzart 40 braucht mindestens 124"},
		{"too short for 10", lines(state.line()[:60]), 1, "Satzart 10 braucht mindestens 122"},
		{"bad date", lines(ok, with(func(r *rec) { r.date = "20251131" })), 2, "Gebietsstand „20251131“ ist kein gültiges Datum"},
		{"non-digit date", lines(with(func(r *rec) { r.date = "2025-11-" })), 1, "Gebietsstand „2025-11-“"},
		{"month 13", lines(with(func(r *rec) { r.date = "20251301" })), 1, "Gebietsstand"},
		{"non-digit AGS", lines(ok, ok, ok, with(func(r *rec) { r.ags = "0811100A" })), 4, "Regionalschlüssel „0811100A“ passt nicht zu Satzart 60"},
		{"short AGS for 60", lines(with(func(r *rec) { r.ags = "08111" })), 1, "erwartet 8 Ziffern"},
		{"long AGS for 40", lines(district.line(), (func() rec { d := district; d.ags = "08111000"; return d })().line()), 2, "erwartet 5 Ziffern"},
		{"umlaut in AGS", lines(with(func(r *rec) { r.ags = "0811100ä" })), 1, "Regionalschlüssel „0811100ä“"},
		{"association missing", lines(with(func(r *rec) { r.assoc = "" })), 1, "Gemeindeverband „    “ muss aus 4 Ziffern bestehen."},
		{"association on district", lines((func() rec { d := district; d.assoc = "0001"; return d })().line()), 1, "muss bei Satzart 40 leer sein"},
		{"empty name", lines(with(func(r *rec) { r.name = "" })), 1, "Der Name (Spalten 23–72) ist leer."},
		{"unknown code", lines(with(func(r *rec) { r.code = "68" })), 1, "Textkennzeichen „68“ ist für Satzart 60 unbekannt."},
		{"district code on 60", lines(with(func(r *rec) { r.code = "44" })), 1, "Textkennzeichen „44“"},
		{"missing district code", lines(ok, (func() rec { d := district; d.code = ""; return d })().line()), 2, "Textkennzeichen „  “ ist für Satzart 40 unbekannt."},
		{"area not numeric", lines(with(func(r *rec) { r.area = "0000002073x" })), 1, "Fläche „0000002073x“ ist keine Zahl"},
		{"area blank", lines(with(func(r *rec) { r.area = "" })), 1, "Fläche"},
		{"population spaces", lines(with(func(r *rec) { r.pop = "     612663" })), 1, "Bevölkerung insgesamt „     612663“"},
		{"male minus", lines(with(func(r *rec) { r.male = "-0000304725" })), 1, "Bevölkerung männlich"},
		{"bad postcode", lines(with(func(r *rec) { r.plz = "7017" })), 1, "Postleitzahl „7017 “"},
		{"blank line in the middle", lines(ok, "", ok), 2, "Leerzeile mitten in der Datei."},
		{"invalid UTF-8", lines(ok, strings.Replace(ok, "Stuttgart", "Stuttg\xe4rt", 1)), 2, "kein gültiges UTF-8"},
		{"control character", lines(with(func(r *rec) { r.typ = "\x00\x01" })), 1, `Satzart „\x00\x01“`},
		{"line too long", lines(ok, strings.Repeat("6", maxLine+10)), 2, "länger als"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseAll(t, tt.in)
			var le *LineError
			if !errors.As(err, &le) {
				t.Fatalf("got error %v, want a *LineError", err)
			}
			if le.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", le.Line, tt.line, err)
			}
			if !strings.Contains(le.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", le.Msg, tt.msg)
			}
			if want := "Zeile " + strconv.Itoa(tt.line) + ": "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", err.Error(), want)
			}
		})
	}
}

func TestLineErrorMessage(t *testing.T) {
	err := Parse(strings.NewReader(lines(strings.Repeat(muni.line()+"\n", 16)+(rec{typ: "99"}).line())), func(Record) error { return nil })
	if got, want := err.Error(), "Zeile 17: Satzart „99“ ist unbekannt."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCallbackError(t *testing.T) {
	stop := errors.New("stop")
	calls := 0
	err := Parse(strings.NewReader(lines(state.line(), region.line(), "garbage")), func(Record) error {
		calls++
		return stop
	})
	if err != stop {
		t.Errorf("got %v, want the callback's error itself", err)
	}
	if calls != 1 {
		t.Errorf("callback called %d times, want 1", calls)
	}
}

type failReader struct{ err error }

func (r failReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadError(t *testing.T) {
	want := errors.New("disk on fire")
	if err := Parse(failReader{want}, func(Record) error { return nil }); err != want {
		t.Errorf("got %v, want %v", err, want)
	}
}

func TestLongInputAcrossBlocks(t *testing.T) {
	// Far more than one 64 KiB block, with non-ASCII names everywhere, so
	// lines straddle block boundaries.
	var sb strings.Builder
	const n = 2000
	for range n {
		sb.WriteString(sorb.line())
		sb.WriteString("\r\n")
	}
	got, err := parseAll(t, sb.String())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("got %d records, want %d", len(got), n)
	}
	for _, r := range got {
		if r.Name != "Bautzen/Budyšin, Stadt" || r.Postcode != "02625" || r.Population != 37869 {
			t.Fatalf("bad record %+v", r)
		}
	}
}

func TestKindAndTypeNames(t *testing.T) {
	kinds := map[Kind]string{KindState: "Land", KindRegion: "Regierungsbezirk", KindArea: "Region",
		KindDistrict: "Kreis", KindAssociation: "Gemeindeverband", KindMunicipality: "Gemeinde", Kind(99): "Satzart 99"}
	for k, want := range kinds {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", int(k), got, want)
		}
	}
	types := []struct {
		kind Kind
		code int
		want string
	}{
		{KindDistrict, 41, "Kreisfreie Stadt"},
		{KindDistrict, 42, "Stadtkreis"},
		{KindDistrict, 44, "Landkreis"},
		{KindAssociation, 51, "Amt"},
		{KindAssociation, 58, "Erfüllende Gemeinde"},
		{KindMunicipality, 62, "Stadtkreis"},
		{KindMunicipality, 63, "Stadt"},
		{KindMunicipality, 67, "Große Kreisstadt"},
		{KindMunicipality, 44, ""},
		{KindDistrict, 62, ""},
		{KindState, 0, ""},
	}
	for _, tt := range types {
		if got := TypeName(tt.kind, tt.code); got != tt.want {
			t.Errorf("TypeName(%v, %d) = %q, want %q", tt.kind, tt.code, got, tt.want)
		}
	}
}

func readReal(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(realFile)
	if errors.Is(err, os.ErrNotExist) {
		tb.Skip("real GV100AD file not available: " + realFile)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestRealFile(t *testing.T) {
	data := readReal(t)
	kinds := map[Kind]int{}
	var bwMunis, bwDistricts, count int
	var stuttgart *Record
	err := Parse(bytes.NewReader(data), func(r Record) error {
		count++
		kinds[r.Kind]++
		if want := map[Kind]int{KindState: 2, KindRegion: 3, KindArea: 4, KindDistrict: 5,
			KindAssociation: 5, KindMunicipality: 8}[r.Kind]; len(r.AGS) != want {
			t.Errorf("line %d: AGS %q has length %d, want %d", count, r.AGS, len(r.AGS), want)
		}
		if r.Kind >= KindDistrict && TypeName(r.Kind, r.TypeCode) == "" {
			t.Errorf("line %d: type code %d without name", count, r.TypeCode)
		}
		if r.Kind == KindMunicipality && r.Male > r.Population {
			t.Errorf("line %d: more men than inhabitants: %+v", count, r)
		}
		if strings.HasPrefix(r.AGS, "08") {
			switch r.Kind {
			case KindMunicipality:
				bwMunis++
			case KindDistrict:
				bwDistricts++
			}
		}
		if r.Kind == KindMunicipality && r.AGS == "08111000" {
			stuttgart = &r
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if count != 16000 {
		t.Errorf("%d records, want 16000", count)
	}
	wantKinds := map[Kind]int{KindState: 16, KindRegion: 29, KindArea: 12, KindDistrict: 400,
		KindAssociation: 4590, KindMunicipality: 10953}
	for k, n := range wantKinds {
		if kinds[k] != n {
			t.Errorf("%d records of kind %v, want %d", kinds[k], k, n)
		}
	}
	if bwMunis != 1103 || bwDistricts != 44 {
		t.Errorf("Baden-Württemberg: %d municipalities and %d districts, want 1103 and 44", bwMunis, bwDistricts)
	}
	if stuttgart == nil {
		t.Fatal("no record for Stuttgart (08111000)")
	}
	s := stuttgart
	if !strings.HasPrefix(s.Name, "Stuttgart") || s.TypeCode != 62 || TypeName(s.Kind, s.TypeCode) != "Stadtkreis" ||
		s.Population <= 500000 || s.Postcode == "" || !s.PostcodeNotUnique ||
		!s.Date.Equal(time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Stuttgart: %+v", *s)
	}
}

// TestRealFileCharacterColumns checks that columns count characters: every
// line of the real file has 220 characters, though not 220 bytes.
func TestRealFileCharacterColumns(t *testing.T) {
	data := readReal(t)
	longer := 0
	for i, l := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		if n := utf8.RuneCountInString(l); n != 220 {
			t.Fatalf("line %d has %d characters", i+1, n)
		}
		if len(l) > 220 {
			longer++
		}
	}
	if longer == 0 {
		t.Error("expected some lines with multi-byte characters")
	}
}

func FuzzParse(f *testing.F) {
	for _, r := range []rec{state, region, area, district, assoc, muni, sorb} {
		f.Add([]byte(r.line() + "\n"))
	}
	f.Add([]byte(lines(state.line(), muni.line(), "", "")))
	f.Add([]byte("\ufeff" + muni.line() + "\r\n\n"))
	f.Add([]byte("60\n"))
	f.Add([]byte(strings.Replace(muni.line(), "Stuttgart", "Stuttg\xe4rt", 1)))
	if data, err := os.ReadFile(realFile); err == nil && len(data) > 20000 {
		f.Add(data[:20000])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		nLines := bytes.Count(data, []byte("\n")) + 1
		seen := 0
		err := Parse(bytes.NewReader(data), func(r Record) error {
			seen++
			if r.Name == "" || len(r.AGS) < 2 || !isDigits([]byte(r.AGS)) {
				t.Fatalf("accepted a bad record: %+v", r)
			}
			if r.Kind == KindMunicipality && (r.AreaHa < 0 || r.Population < 0 || r.Male < 0) {
				t.Fatalf("negative numbers: %+v", r)
			}
			return nil
		})
		var le *LineError
		if err != nil && (!errors.As(err, &le) || le.Line < 1 || le.Line > nLines) {
			t.Fatalf("unexpected error %v for %d lines", err, nLines)
		}
		if seen > nLines {
			t.Fatalf("%d records from %d lines", seen, nLines)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	data := readReal(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n = 0
		if err := Parse(bytes.NewReader(data), func(Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n), "records/op")
}
