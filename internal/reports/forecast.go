package reports

import (
	"fmt"
	"math"
	"time"

	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/store"
)

// daysPerMonth is the average length of a month in days.
const daysPerMonth = 30.4375

// forecast looks ahead in the current budget year: when the year's free
// budget is used up at the recent pace of commitments, how many of the
// open vouchers will expire unused at the observed expiry share, and how
// many places booked in sessions ahead will be completed at the observed
// completion rate. Every assumption goes into the report as a sentence.
func forecast(p *domain.Programme, d *store.ReportData, r *domain.Report, now time.Time, f domain.ReportFilter) domain.Forecast {
	fc := domain.Forecast{Year: d.Year, Assumptions: []string{}}
	say := func(format string, args ...any) {
		fc.Assumptions = append(fc.Assumptions, fmt.Sprintf(format, args...))
	}

	// The budget.
	sums := d.YearSums
	fc.PlannedCents = sums[string(domain.EntryPlan)]
	_, fc.Planned = sums[string(domain.EntryPlan)]
	bound := sums[string(domain.EntryCommit)] + sums[string(domain.EntryAdjust)] + sums[string(domain.EntryRelease)]
	fc.FreeCents = fc.PlannedCents - bound
	ledger := len(sums) > 0
	recent := d.RecentNet
	if !ledger {
		recent = d.RecentIssuedCents
	}
	// The ledger gives the complete months of the window; without it, the
	// vouchers issued since the window began (to today) give the pace.
	months := float64(recentMonths)
	if !ledger {
		months = now.Sub(recentSince(now)).Hours() / 24 / daysPerMonth
	}
	fc.MonthlyCents = int64(math.Round(float64(recent) / months))
	endOfYear := time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	switch {
	case !fc.Planned:
		say("Für %d ist kein Budget festgelegt; die Vorhersage des Budgets entfällt.", d.Year)
	case fc.FreeCents <= 0:
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		fc.ExhaustedOn = &day
		say("Das Budget %d ist bereits vollständig gebunden oder ausgezahlt.", d.Year)
	case fc.MonthlyCents <= 0:
		fc.LastsYear = true
		say("In den letzten drei vollen Monaten wurde netto kein Budget gebunden; bleibt es dabei, reicht das freie Budget bis Jahresende.")
	default:
		days := float64(fc.FreeCents) / float64(fc.MonthlyCents) * daysPerMonth
		at := now.Add(time.Duration(days * 24 * float64(time.Hour)))
		at = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
		if at.After(endOfYear) {
			fc.LastsYear = true
		} else {
			fc.ExhaustedOn = &at
		}
		if ledger {
			say("Gutscheine werden weiter so ausgegeben wie in den letzten drei vollen Monaten: Das bindet netto %s im Monat (ausgegebene Werte abzüglich freigegebener).",
				domain.Money(fc.MonthlyCents))
		} else {
			say("Das Haushaltsbuch hat für %d noch keine Buchungen; angenommen wird der Wert der seit Beginn der letzten drei vollen Monate ausgegebenen Gutscheine: %s im Monat.",
				d.Year, domain.Money(fc.MonthlyCents))
		}
		say("Das Budget ist aufgebraucht, wenn gebundene und ausgezahlte Beträge das festgelegte Budget %d von %s erreichen; frei sind heute %s.",
			d.Year, domain.Money(fc.PlannedCents), domain.Money(fc.FreeCents))
	}

	// Vouchers: the observed fate of the decided ones.
	n := map[domain.VoucherState]int{}
	for _, v := range r.Vouchers {
		n[v.State] = v.Total
	}
	fc.OpenVouchers = n[domain.VoucherIssued]
	used := n[domain.VoucherReserved] + n[domain.VoucherRedeemed] + n[domain.VoucherSettled] + n[domain.VoucherForfeited]
	expired := n[domain.VoucherExpired]
	share := ratio(expired, expired+used)
	fc.ExpectedExpiring = int(math.Round(float64(fc.OpenVouchers) * share))
	if expired+used == 0 {
		say("Es gibt noch keine Gutscheine, mit denen gebucht wurde oder die verfallen sind; angenommen wird, dass kein offener Gutschein (heute %s) verfällt.",
			domain.Thousands(fc.OpenVouchers))
	} else {
		say("Von den Gutscheinen, mit denen gebucht wurde oder die verfallen sind, sind bisher %s ungenutzt verfallen (%s von %s); derselbe Anteil wird für die offenen Gutscheine (heute %s) angenommen.",
			Percent(share), domain.Thousands(expired), domain.Thousands(expired+used), domain.Thousands(fc.OpenVouchers))
	}

	// The session calendar.
	scope := map[string]bool{}
	for _, m := range r.Municipalities {
		scope[m.AGS] = true
	}
	for _, b := range d.Bookings {
		if f.District == "" && f.Association == 0 || scope[b.AGS] {
			fc.BookedPlaces += b.Places
			fc.BookedCents += b.Cents
		}
	}
	fc.FreePlaces = d.FreePlaces
	fc.ExpectedRedeemed = int(math.Round(float64(fc.BookedPlaces) * r.Completion.Rate))
	if r.Completion.Booked > 0 {
		say("Die in kommenden Terminen gebuchten Plätze (heute %s) werden wie bisher zu %s abgeschlossen und eingelöst.",
			domain.Thousands(fc.BookedPlaces), Percent(r.Completion.Rate))
	} else {
		say("Es gibt noch keine abgeschlossenen Buchungen: Für die in kommenden Terminen gebuchten Plätze (heute %s) wird keine Einlösung vorhergesagt.",
			domain.Thousands(fc.BookedPlaces))
	}
	say("Freie Plätze in kommenden Terminen geförderter Angebote: %s. Kommen keine Termine hinzu, können höchstens so viele offene Gutscheine eingelöst werden.",
		domain.Thousands(fc.FreePlaces))
	if f.District != "" || f.Association != 0 {
		say("Das Budget gilt für das ganze Förderprogramm: Die Filter nach Kreis und Verband wirken nicht auf die Budgetzahlen, wohl aber auf Gutscheine und Buchungen.")
	}
	return fc
}

// Percent formats a share (0..1) the German way: "12,5 %".
func Percent(v float64) string {
	s := fmt.Sprintf("%.1f", v*100)
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		s = s[:len(s)-2]
	}
	for i := range s {
		if s[i] == '.' {
			s = s[:i] + "," + s[i+1:]
		}
	}
	return s + " %"
}
