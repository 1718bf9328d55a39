// Package gv100 parses the official German municipality directory
// (Gemeindeverzeichnis) of the Federal Statistical Office (Destatis) in its
// fixed-width record format GV100AD: states, government regions, regions,
// districts, municipal associations and municipalities with their official
// key (AGS), name, type, area, population and postcode.
//
// Columns in the layout are 1-based and count characters, not bytes: the
// official description (valid from 2000) says "Satzlänge in Bytes: 220",
// but the current files are UTF-8, so a line has 220 characters and more
// bytes when a name has umlauts or Sorbian letters.
package gv100

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind is the record type (Satzart) of a GV100AD line.
type Kind int

// The record types of GV100AD; the values are the Satzart numbers in
// columns 1-2.
const (
	KindState        Kind = 10 // Land
	KindRegion       Kind = 20 // Regierungsbezirk
	KindArea         Kind = 30 // Region (only Baden-Württemberg)
	KindDistrict     Kind = 40 // Kreis
	KindAssociation  Kind = 50 // Gemeindeverband
	KindMunicipality Kind = 60 // Gemeinde
)

// String returns the German name of the record type, e.g. "Kreis".
func (k Kind) String() string {
	switch k {
	case KindState:
		return "Land"
	case KindRegion:
		return "Regierungsbezirk"
	case KindArea:
		return "Region"
	case KindDistrict:
		return "Kreis"
	case KindAssociation:
		return "Gemeindeverband"
	case KindMunicipality:
		return "Gemeinde"
	}
	return "Satzart " + strconv.Itoa(int(k))
}

// Record is one line of a GV100AD file. The strings share memory with a
// block of the input of up to 64 KiB; a caller that keeps only a few
// records of a large file may want to strings.Clone the fields it keeps.
type Record struct {
	Kind Kind
	Date time.Time // reference date (Gebietsstand), UTC midnight
	// AGS is the official key trimmed to its meaningful length: state 2
	// digits ("08"), government region 3 ("081"), region 4 ("0811"),
	// district and municipal association 5 ("08111"), municipality 8
	// ("08111000").
	AGS string
	// Association is the 4-digit key of the municipal association
	// (Gemeindeverband) within its district, for KindAssociation and
	// KindMunicipality; empty otherwise.
	Association string
	Name        string
	Seat        string // seat of administration (types 10-50), may be empty
	// TypeCode is the Textkennzeichen: 41-45 for districts, 50-58 for
	// associations, 60-67 for municipalities, 0 for types 10-30. See
	// TypeName.
	TypeCode int
	// The following fields are set for municipalities only.
	AreaHa            int64 // area in hectares
	Population        int   // population, total
	Male              int   // population, male
	Postcode          string
	PostcodeNotUnique bool // the municipality has several postcodes; Postcode is the one of its seat
}

// typeNames holds the Textkennzeichen of the official record description
// (Datensatzbeschreibung GV100, Satzarten 40, 50 and 60), first letter
// capitalised for use as a label. The codes of each record type lie in its
// decade: 41-45 for 40, 50-58 for 50, 60-67 for 60.
var typeNames = [70]string{
	41: "Kreisfreie Stadt",
	42: "Stadtkreis",
	43: "Kreis",
	44: "Landkreis",
	45: "Regionalverband",

	50: "Verbandsfreie Gemeinde",
	51: "Amt",
	52: "Samtgemeinde",
	53: "Verbandsgemeinde",
	54: "Verwaltungsgemeinschaft",
	55: "Kirchspielslandgemeinde",
	56: "Verwaltungsverband",
	57: "VG Trägermodell",
	58: "Erfüllende Gemeinde",

	60: "Markt",
	61: "Kreisfreie Stadt",
	62: "Stadtkreis",
	63: "Stadt",
	64: "Kreisangehörige Gemeinde",
	65: "Gemeindefreies Gebiet, bewohnt",
	66: "Gemeindefreies Gebiet, unbewohnt",
	67: "Große Kreisstadt",
}

// TypeName returns the German name of the type code (Textkennzeichen) of a
// record of the given kind, e.g. "Landkreis" for (KindDistrict, 44) or
// "Große Kreisstadt" for (KindMunicipality, 67). It returns "" for a code
// the layout does not define for that kind.
func TypeName(kind Kind, code int) string {
	if kind < KindDistrict || kind > KindMunicipality || kind%10 != 0 ||
		code < 0 || code >= len(typeNames) || code/10 != int(kind)/10 {
		return ""
	}
	return typeNames[code]
}

// LineError reports a malformed line.
type LineError struct {
	Line int    // 1-based line number
	Msg  string // German description, e.g. "Satzart „99“ ist unbekannt."
}

func (e *LineError) Error() string {
	return "Zeile " + strconv.Itoa(e.Line) + ": " + e.Msg
}

const (
	blockSize = 64 << 10 // initial read block
	maxLine   = 1 << 20  // longest line accepted, 1 MiB (the layout has 220 characters)
)

// Parse reads a GV100AD file and calls fn for each record in file order.
//
// A malformed line stops parsing with a *LineError carrying the 1-based line
// number. An error returned by fn stops parsing and is returned as is.
// Read errors are returned as is. Empty (or blank) lines at the end of the
// input are ignored; an empty line followed by a record is an error. A
// UTF-8 byte order mark and CRLF line ends are accepted. Columns beyond the
// last field of a record type are not inspected, so a line need not be
// exactly 220 characters long, but it must reach the end of the last field
// its type defines (122 for types 10-30, 124 for 40 and 50, 175 for 60).
func Parse(r io.Reader, fn func(Record) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, blockSize), maxLine)
	sc.Split(splitBlock)

	var p parser
	line := 0
	blankLine := 0 // first blank line not yet followed by a record
	for sc.Scan() {
		// One string per block of complete lines: the record fields are
		// substrings of it, so there is no allocation per line.
		block := sc.Bytes()
		str := string(block)
		for len(block) > 0 {
			n := bytes.IndexByte(block, '\n')
			var b []byte
			var s string
			if n < 0 {
				b, s = block, str
				block, str = nil, ""
			} else {
				b, s = block[:n], str[:n]
				block, str = block[n+1:], str[n+1:]
			}
			line++
			if k := len(b); k > 0 && b[k-1] == '\r' {
				b, s = b[:k-1], s[:k-1]
			}
			if line == 1 && bytes.HasPrefix(b, bom) {
				b, s = b[len(bom):], s[len(bom):]
			}
			if isBlank(b) {
				if blankLine == 0 {
					blankLine = line
				}
				continue
			}
			if blankLine != 0 {
				return &LineError{Line: blankLine, Msg: "Leerzeile mitten in der Datei."}
			}
			var rec Record
			if msg := p.parse(b, s, &rec); msg != "" {
				return &LineError{Line: line, Msg: msg}
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return &LineError{Line: line + 1, Msg: "Die Zeile ist länger als 1 MiB."}
		}
		return err
	}
	return nil
}

var bom = []byte("\xef\xbb\xbf")

// splitBlock is a bufio.SplitFunc that returns all complete lines in the
// buffer at once (including their final '\n'), and the rest at EOF.
func splitBlock(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.LastIndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i+1], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// minRunes is the number of characters a line of each type must have: up
// to the end of the last field the type defines and Parse reads.
var minRunes = [7]int{1: 122, 2: 122, 3: 122, 4: 124, 5: 124, 6: 175}

// maxCol is the highest column Parse reads.
const maxCol = 175

// parser holds per-line scratch state and the cached reference date.
type parser struct {
	ascii   bool
	off     [maxCol + 1]int // off[i]: byte offset of the character in column i+1
	date    [8]byte
	hasDate bool
	dateVal time.Time
}

// col returns the byte range of the 1-based, inclusive column range
// from-to of the current line.
func (p *parser) col(from, to int) (int, int) {
	if p.ascii {
		return from - 1, to
	}
	return p.off[from-1], p.off[to]
}

// parse parses line b (s is the same line as a string) into rec and
// returns "" or a German error message.
func (p *parser) parse(b []byte, s string, rec *Record) string {
	// Character offsets, computed only for lines with non-ASCII text.
	n := len(b)
	p.ascii = isASCII(b)
	if !p.ascii {
		if !utf8.Valid(b) {
			return "Die Zeile ist kein gültiges UTF-8 (ist die Datei ISO-8859-1-kodiert?)."
		}
		// Offsets up to column maxCol+1; n counts characters but
		// stops beyond maxCol, which is all the length check needs.
		n = 0
		for i := range s { // i steps over character starts
			if n > maxCol {
				break
			}
			p.off[n] = i
			n++
		}
		if n <= maxCol {
			p.off[n] = len(s)
		}
	}

	if n < 2 || b[0] < '1' || b[0] > '6' || b[1] != '0' {
		t := s
		if n >= 2 {
			t = s[:p.end(2)]
		}
		return "Satzart „" + printable(t) + "“ ist unbekannt."
	}
	kind := Kind(b[0]-'0') * 10
	if want := minRunes[b[0]-'0']; n < want {
		return fmt.Sprintf("Die Zeile ist zu kurz: Satzart %d braucht mindestens %d Zeichen, die Zeile hat %d.", kind, want, n)
	}
	rec.Kind = kind

	// From here on columns 1-122 (at least) exist.
	from, to := p.col(3, 10)
	if msg := p.parseDate(b[from:to], s[from:to], rec); msg != "" {
		return msg
	}

	// AGS, columns 11-18, and association, columns 19-22.
	agsLen := 8
	switch kind {
	case KindState:
		agsLen = 2
	case KindRegion:
		agsLen = 3
	case KindArea:
		agsLen = 4
	case KindDistrict, KindAssociation:
		agsLen = 5
	}
	from, to = p.col(11, 18)
	if key := b[from:to]; len(key) != 8 || !isDigits(key[:agsLen]) || !isBlank(key[agsLen:]) {
		return fmt.Sprintf("Regionalschlüssel „%s“ passt nicht zu Satzart %d: erwartet %d Ziffern, danach Leerzeichen.",
			printable(s[from:to]), kind, agsLen)
	}
	rec.AGS = s[from : from+agsLen]
	from, to = p.col(19, 22)
	if assoc := b[from:to]; kind == KindAssociation || kind == KindMunicipality {
		if !isDigits(assoc) {
			return "Gemeindeverband „" + printable(s[from:to]) + "“ muss aus 4 Ziffern bestehen."
		}
		rec.Association = s[from:to]
	} else if !isBlank(assoc) {
		return fmt.Sprintf("Gemeindeverband „%s“ muss bei Satzart %d leer sein.", printable(s[from:to]), kind)
	}

	from, to = p.col(23, 72)
	rec.Name = trim(b[from:to], s[from:to])
	if rec.Name == "" {
		return "Der Name (Spalten 23–72) ist leer."
	}
	if kind != KindMunicipality {
		from, to = p.col(73, 122)
		rec.Seat = trim(b[from:to], s[from:to])
	}
	if kind < KindDistrict {
		return ""
	}

	from, to = p.col(123, 124)
	code, ok := atoi(b[from:to])
	if !ok || TypeName(kind, int(code)) == "" {
		return fmt.Sprintf("Textkennzeichen „%s“ ist für Satzart %d unbekannt.", printable(s[from:to]), kind)
	}
	rec.TypeCode = int(code)
	if kind != KindMunicipality {
		return ""
	}

	from, to = p.col(129, 139)
	area, ok := atoi(b[from:to])
	if !ok {
		return "Fläche „" + printable(s[from:to]) + "“ ist keine Zahl aus 11 Ziffern."
	}
	rec.AreaHa = area
	from, to = p.col(140, 150)
	pop, ok := atoi(b[from:to])
	if !ok || pop > math.MaxInt {
		return "Bevölkerung insgesamt „" + printable(s[from:to]) + "“ ist keine Zahl aus 11 Ziffern."
	}
	rec.Population = int(pop)
	from, to = p.col(151, 161)
	male, ok := atoi(b[from:to])
	if !ok || male > math.MaxInt {
		return "Bevölkerung männlich „" + printable(s[from:to]) + "“ ist keine Zahl aus 11 Ziffern."
	}
	rec.Male = int(male)

	from, to = p.col(166, 170)
	if plz := b[from:to]; !isBlank(plz) {
		if !isDigits(plz) {
			return "Postleitzahl „" + printable(s[from:to]) + "“ muss aus 5 Ziffern bestehen oder leer sein."
		}
		rec.Postcode = s[from:to]
	}
	from, to = p.col(171, 175)
	rec.PostcodeNotUnique = !isBlank(b[from:to])
	return ""
}

// end returns the byte offset after column c of the current line, which
// must exist.
func (p *parser) end(c int) int {
	if p.ascii {
		return c
	}
	return p.off[c]
}

// parseDate parses the reference date YYYYMMDD (columns 3-10; ds is d as a
// string) and caches it, since it is the same on every line.
func (p *parser) parseDate(d []byte, ds string, rec *Record) string {
	if p.hasDate && string(d) == string(p.date[:]) {
		rec.Date = p.dateVal
		return ""
	}
	bad := func() string {
		return "Gebietsstand „" + printable(ds) + "“ ist kein gültiges Datum (JJJJMMTT)."
	}
	if len(d) != 8 || !isDigits(d) {
		return bad()
	}
	y, _ := atoi(d[0:4])
	m, _ := atoi(d[4:6])
	dd, _ := atoi(d[6:8])
	t := time.Date(int(y), time.Month(m), int(dd), 0, 0, 0, 0, time.UTC)
	if y < 1 || t.Year() != int(y) || t.Month() != time.Month(m) || t.Day() != int(dd) {
		return bad()
	}
	copy(p.date[:], d)
	p.hasDate, p.dateVal = true, t
	rec.Date = t
	return ""
}

// trim returns s without leading and trailing blanks; b is s as bytes.
// Fields are padded with many blanks, so it skips 8 at a time from the end.
func trim(b []byte, s string) string {
	const blanks = 0x2020202020202020
	for len(b) >= 8 && binary.LittleEndian.Uint64(b[len(b)-8:]) == blanks {
		b = b[:len(b)-8]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	return s[i:len(b)]
}

// isASCII reports whether b has only ASCII bytes, 8 at a time.
func isASCII(b []byte) bool {
	var acc uint64
	for len(b) >= 8 {
		acc |= binary.LittleEndian.Uint64(b)
		b = b[8:]
	}
	for _, c := range b {
		acc |= uint64(c)
	}
	return acc&0x8080808080808080 == 0
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// atoi parses an unsigned decimal of at most 18 digits (no overflow).
func atoi(b []byte) (int64, bool) {
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// printable makes field content safe to quote in an error message.
func printable(s string) string {
	for _, r := range s {
		if r == utf8.RuneError || !unicode.IsGraphic(r) {
			q := strconv.QuoteToGraphic(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}
