package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var sampleCodes = []string{
	"08999001-K7QM-4XD2-P9HC",
	"08999001-AB3D-CE4F-GH5J",
	"08999001-MN6P-QR7S-TV8W",
	"08999001-XY9Z-2A3B-4C5D",
	"08999001-E6F7-G8H9-J2K3",
}

func sample() Contract {
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	var vs []ContractVoucher
	for _, c := range sampleCodes {
		vs = append(vs, ContractVoucher{Code: c, ValueCents: 30000})
	}
	return Contract{
		Number:    "WV-2026-000042",
		Programme: "Kommunale Digitallotsen",
		Funder:    "Ministerium des Inneren, für Digitalisierung und Kommunen Baden-Württemberg",
		Association: Party{Name: "Städtetag Baden-Württemberg",
			Address: "Königstraße 2, 70173 Stuttgart"},
		Municipality: Party{Name: "Große Kreisstadt Futurehausen", AGS: "08999001",
			Address: "Rathausstraße 1, 79999 Futurehausen"},
		Provider:    "Verwaltungsschule des Gemeindetags Baden-Württemberg",
		Track:       "Basisqualifizierung",
		People:      5,
		Vouchers:    vs,
		TotalCents:  150000,
		ValidUntil:  time.Date(2027, 11, 23, 22, 59, 0, 0, time.UTC), // 23:59 in Berlin
		ConcludedAt: at,
		ApprovedBy:  "Petra Prüfer",
		SignedBy:    "Jürgen Weiß",
		Conditions: []string{
			"Der Vertrag muss vor Beginn der Schulung abgeschlossen sein („Stichtag“).",
			"Je Person wird höchstens ein Gutschein eingelöst; Aufbauschulungen werden mit bis zu 50 € je Schulungstag gefördert.",
			"Die Kommune weist die Teilnahme gegenüber der weitergebenden Stelle nach.",
		},
	}
}

func sampleList() VoucherList {
	c := sample()
	return VoucherList{Title: "Gutscheincodes zum Weitergabevertrag " + c.Number, Municipality: c.Municipality.Name,
		Provider: c.Provider, Track: c.Track, ValidUntil: c.ValidUntil, Vouchers: c.Vouchers, CreatedAt: c.ConcludedAt}
}

// poppler runs a poppler-utils tool on the PDF b and returns its output.
func poppler(t *testing.T, tool string, b []byte, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		t.Skipf("%s is not installed (Debian package poppler-utils); CI installs it", tool)
	}
	f := filepath.Join(t.TempDir(), "d.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	args = append(args, f)
	if tool == "pdftotext" {
		args = append(args, "-")
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return string(out)
}

func text(t *testing.T, b []byte) string {
	t.Helper()
	return poppler(t, "pdftotext", b, "-layout", "-enc", "UTF-8")
}

// contains checks that s has every string of want. Phrases may wrap, so
// runs of white space count as one space on both sides; a code has none,
// so finding it means it stands on one line.
func contains(t *testing.T, what, s string, want ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(s), " ")
	for _, w := range want {
		if !strings.Contains(flat, strings.Join(strings.Fields(w), " ")) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
	if t.Failed() {
		t.Logf("text:\n%s", s)
	}
}

func TestContractReadsBack(t *testing.T) {
	b, err := ContractPDF(sample())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
	}
	s := text(t, b)
	contains(t, "contract", s, sampleCodes...)
	contains(t, "contract", s,
		"Weitergabevertrag", "Förderprogramm „Kommunale Digitallotsen“", "Vertragsnummer WV-2026-000042 · abgeschlossen am 23.11.2026",
		"Zuwendungsgeber", "Weitergebende Stelle", "Zuwendungsempfängerin (Kommune)", "Bildungsträger",
		"Ministerium des Inneren, für", // the name wraps inside its box, next to another box
		"Städtetag Baden-Württemberg", "Königstraße 2, 70173 Stuttgart",
		"Große Kreisstadt Futurehausen", "Rathausstraße 1, 79999 Futurehausen", "Amtlicher Gemeindeschlüssel: 08999001",
		"Gegenstand", "Basisqualifizierung", "Anzahl der Personen",
		"300,00 €", "1.500,00 €", "gültig bis 23.11.2027",
		"Förderbedingungen", "1. Der Vertrag muss vor Beginn", "(„Stichtag“)", "50 € je Schulungstag", "3. Die Kommune",
		"Abgeschlossen elektronisch über Lotse am 23.11.2026 durch Jürgen Weiß (zeichnungsberechtigt);",
		"geprüft und angenommen durch Petra Prüfer.",
		"Seite 1 von 2", "Seite 2 von 2")
	if n := strings.Count(s, "300,00 €"); n != len(sampleCodes) {
		t.Errorf("%d values of 300,00 €, want %d", n, len(sampleCodes))
	}
}

func TestContractMetadata(t *testing.T) {
	b, err := ContractPDF(sample())
	if err != nil {
		t.Fatal(err)
	}
	info := poppler(t, "pdfinfo", b, "-isodates")
	contains(t, "pdfinfo", info, "Title: Weitergabevertrag WV-2026-000042", "Creator: Lotse",
		"CreationDate: 2026-11-23T09:30:00Z", "ModDate: 2026-11-23T09:30:00Z", "(A4)")
	// name, type, encoding, embedded, subset, unicode map, object, generation
	fonts := poppler(t, "pdffonts", b)
	n := 0
	for _, l := range strings.Split(fonts, "\n") {
		if f := strings.Fields(l); len(f) > 5 && strings.Contains(strings.ToLower(f[0]), "dejavu") {
			n++
			if f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
				t.Errorf("font not embedded with a Unicode map: %s", l)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d DejaVu faces, want 2:\n%s", n, fonts)
	}
}

func TestVoucherListReadsBack(t *testing.T) {
	b, err := VoucherListPDF(sampleList())
	if err != nil {
		t.Fatal(err)
	}
	s := text(t, b)
	contains(t, "voucher list", s, sampleCodes...)
	contains(t, "voucher list", s, "Gutscheincodes zum Weitergabevertrag WV-2026-000042", "Große Kreisstadt Futurehausen",
		"Verwaltungsschule des Gemeindetags Baden-Württemberg", "Basisqualifizierung", "23.11.2027", "300,00 €", "1.500,00 €",
		"Ausgegeben an", "Seite 1 von 1")
}

// A long contract breaks over pages with the table head repeated, every
// code whole on its line and the page count filled in.
func TestManyVouchersSpanPages(t *testing.T) {
	c := sample()
	c.Vouchers = nil
	for i := range 60 {
		c.Vouchers = append(c.Vouchers, ContractVoucher{Code: fmt.Sprintf("08999001-Q%03d-4XD2-P9HC", i), ValueCents: 30000})
	}
	c.People, c.TotalCents = 60, 60*30000
	b, err := ContractPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	s := text(t, b)
	for _, v := range c.Vouchers {
		contains(t, "long contract", s, v.Code)
	}
	contains(t, "long contract", s, "18.000,00 €")
	pages := regexp.MustCompile(`Seite (\d+) von (\d+)`).FindAllStringSubmatch(s, -1)
	if len(pages) < 3 {
		t.Fatalf("%d page footers, want at least 3", len(pages))
	}
	for i, m := range pages {
		if m[1] != strconv.Itoa(i+1) || m[2] != strconv.Itoa(len(pages)) {
			t.Errorf("footer %q on page %d of %d", m[0], i+1, len(pages))
		}
	}
	if n := strings.Count(s, "Gutscheincode"); n < 2 {
		t.Errorf("table head appears %d times, want it repeated on the next page", n)
	}
}

// Names beyond Windows-1252 render too: the font is DejaVu, not a core font.
func TestNamesBeyondLatin1(t *testing.T) {
	c := sample()
	c.SignedBy = "Łukasz Kowalczyk-Şahin"
	c.ApprovedBy = "Dženana Čolić"
	b, err := ContractPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, "contract", text(t, b), "Łukasz Kowalczyk-Şahin", "Dženana Čolić")
}

// A name with characters the font has no glyph for (an emoji) still gives
// a contract: the character becomes "?" and the rest stays readable.
func TestNamesWithEmojiRender(t *testing.T) {
	c := sample()
	c.SignedBy = "Lilly 🚀 Müller"
	c.ApprovedBy = "Petra „Pé“ Prüfer 👩‍💻"
	c.Municipality.Name = "Stadt Fußheim 🏰"
	b, err := ContractPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, "contract", text(t, b), "Lilly ? Müller", "Petra „Pé“ Prüfer ?", "Stadt Fußheim ?")
	l := sampleList()
	l.Municipality, l.Title = "Stadt Fußheim 🏰", "Gutscheine 🚀"
	b, err = VoucherListPDF(l)
	if err != nil {
		t.Fatal(err)
	}
	contains(t, "voucher list", text(t, b), "Stadt Fußheim ?", "Gutscheine ?")
}

func TestTextKeepsWhatTheFontDraws(t *testing.T) {
	for in, want := range map[string]string{
		"Jürgen Weiß-Öztürk":    "Jürgen Weiß-Öztürk",
		"„Zitat“ – ‚halb‘ €":    "„Zitat“ – ‚halb‘ €",
		"Łukasz Čolić Şahin":    "Łukasz Čolić Şahin",
		"Lilly 🚀 Müller":        "Lilly ? Müller",
		"👩\u200d💻 Ada":          "? Ada",
		"Tab\there\x00\x1b[31m": "Tab here[31m",
		"zwei\nZeilen":          "zwei\nZeilen",
		"\U0010ffff\ufffe":      "?",
	} {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q, want %q", in, got, want)
		}
	}
}

// Empty optional fields still give a document.
func TestSparseContract(t *testing.T) {
	b, err := ContractPDF(Contract{Number: "WV-2026-000001", Municipality: Party{Name: "Musterhausen"}})
	if err != nil {
		t.Fatal(err)
	}
	contains(t, "sparse contract", text(t, b), "Weitergabevertrag", "Musterhausen", "0,00 €")
}

func TestEqualInputGivesEqualBytes(t *testing.T) {
	a, err := ContractPDF(sample())
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		b, _ := ContractPDF(sample())
		if !bytes.Equal(a, b) {
			t.Fatal("two renders of the same contract differ")
		}
	}
	l1, _ := VoucherListPDF(sampleList())
	l2, _ := VoucherListPDF(sampleList())
	if !bytes.Equal(l1, l2) {
		t.Fatal("two renders of the same voucher list differ")
	}
	c := sample()
	c.Number = "WV-2026-000043"
	if b, _ := ContractPDF(c); bytes.Equal(a, b) {
		t.Fatal("different contracts give equal bytes")
	}
}

func TestMoney(t *testing.T) {
	for _, tc := range []struct {
		cents int64
		want  string
	}{
		{0, "0,00 €"}, {5, "0,05 €"}, {99, "0,99 €"}, {100, "1,00 €"}, {30000, "300,00 €"}, {99999, "999,99 €"},
		{100000, "1.000,00 €"}, {123456, "1.234,56 €"}, {100000000, "1.000.000,00 €"},
		{-250, "-2,50 €"}, {-123456, "-1.234,56 €"}, {-9223372036854775808, "-92.233.720.368.547.758,08 €"},
	} {
		if got := Money(tc.cents); got != tc.want {
			t.Errorf("Money(%d) = %q, want %q", tc.cents, got, tc.want)
		}
	}
}

// TestExample writes the sample documents and a PNG of each first page
// to the directory in LOTSE_PDF_OUT (e.g. os.TempDir()), to look at them.
func TestExample(t *testing.T) {
	dir := os.Getenv("LOTSE_PDF_OUT")
	if dir == "" {
		t.Skip("set LOTSE_PDF_OUT to a directory to write example PDFs")
	}
	c, err := ContractPDF(sample())
	if err != nil {
		t.Fatal(err)
	}
	l, err := VoucherListPDF(sampleList())
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"weitergabevertrag": c, "gutscheincodes": l} {
		f := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", f, filepath.Join(dir, name)).CombinedOutput(); err != nil {
			t.Logf("pdftoppm: %v %s", err, out)
		}
		t.Logf("wrote %s (%d bytes)", f, len(b))
	}
}

func BenchmarkContractPDF(b *testing.B) {
	c := sample()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ContractPDF(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVoucherListPDF(b *testing.B) {
	v := sampleList()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VoucherListPDF(v); err != nil {
			b.Fatal(err)
		}
	}
}
