package pdf

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sample() Contract {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	codes := []string{"08999001-K7QM-4XD2-P9H1", "08999001-AB12-CD34-EF56", "08999001-GH78-JK90-MN12", "08999001-PQ34-RS56-TV78", "08999001-WX90-YZ12-3456"}
	var vs []ContractVoucher
	for _, c := range codes {
		vs = append(vs, ContractVoucher{Code: c, ValueCents: 30000})
	}
	return Contract{Number: "WV-2026-000042", Programme: "Kommunale Digitallotsen", Funder: "Ministerium des Inneren, für Digitalisierung und Kommunen Baden-Württemberg",
		Association: Party{Name: "Städtetag Baden-Württemberg"}, Municipality: Party{Name: "Große Kreisstadt Futurehausen", AGS: "08999001", Address: "Rathausstraße 1, 79999 Futurehausen"},
		Provider: "Verwaltungsschule des Gemeindetags Baden-Württemberg", Track: "Basisqualifizierung", People: 5, Vouchers: vs, TotalCents: 150000,
		ValidUntil: at.AddDate(1, 0, 0), ConcludedAt: at, ApprovedBy: "Petra Prüfer", SignedBy: "Lilly Lotse",
		Conditions: []string{"Der Vertrag muss vor Beginn der Schulung abgeschlossen sein („Stichtag“).", "Aufbauschulungen mit bis zu 50 € je Schulungstag."}}
}

func text(t *testing.T, b []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	f := filepath.Join(t.TempDir(), "d.pdf")
	os.WriteFile(f, b, 0o600)
	out, err := exec.Command(bin, "-layout", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestContractReadsBackWithUmlautsAndCodes(t *testing.T) {
	c := sample()
	b, err := ContractPDF(c)
	if err != nil {
		t.Fatal(err)
	}
	s := text(t, b)
	want := []string{"Weitergabevertrag", "WV-2026-000042", "Städtetag Baden-Württemberg", "Große Kreisstadt Futurehausen", "Rathausstraße",
		"„Stichtag“", "50 €", "300,00 €", "1.500,00 €", "23.11.2027", "Lilly Lotse", "Petra Prüfer", "Seite 1 von"}
	for _, v := range c.Vouchers {
		want = append(want, v.Code)
	}
	for _, w := range want {
		if !strings.Contains(s, w) {
			t.Errorf("contract text lacks %q", w)
		}
	}
}

func TestVoucherListReadsBack(t *testing.T) {
	c := sample()
	b, err := VoucherListPDF(VoucherList{Title: "Gutscheincodes zum Weitergabevertrag WV-2026-000042", Municipality: "Futurehausen",
		Provider: c.Provider, Track: c.Track, ValidUntil: c.ValidUntil, Vouchers: c.Vouchers, CreatedAt: c.ConcludedAt})
	if err != nil {
		t.Fatal(err)
	}
	s := text(t, b)
	for _, v := range c.Vouchers {
		if !strings.Contains(s, v.Code) {
			t.Errorf("list lacks %s", v.Code)
		}
	}
}

func TestEqualInputGivesEqualBytes(t *testing.T) {
	a, _ := ContractPDF(sample())
	b, _ := ContractPDF(sample())
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same contract differ")
	}
}

func TestMoney(t *testing.T) {
	for cents, want := range map[int64]string{0: "0,00 €", 5: "0,05 €", 30000: "300,00 €", 123456: "1.234,56 €", 100000000: "1.000.000,00 €", -250: "-2,50 €"} {
		if got := Money(cents); got != want {
			t.Errorf("Money(%d) = %q, want %q", cents, got, want)
		}
	}
}

func BenchmarkContractPDF(b *testing.B) {
	c := sample()
	for i := 0; i < b.N; i++ {
		if _, err := ContractPDF(c); err != nil {
			b.Fatal(err)
		}
	}
}
