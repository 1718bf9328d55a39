package domain

import (
	"strings"
	"testing"
	"time"
)

func TestVoucherTransitions(t *testing.T) {
	all := []VoucherState{"", VoucherIssued, VoucherReserved, VoucherRedeemed, VoucherSettled, VoucherExpired, VoucherRevoked, VoucherForfeited}
	allowed := map[[2]VoucherState]bool{
		{"", VoucherIssued}:                 true,
		{VoucherIssued, VoucherReserved}:    true,
		{VoucherIssued, VoucherExpired}:     true,
		{VoucherIssued, VoucherRevoked}:     true,
		{VoucherReserved, VoucherIssued}:    true, // cancelled in time, or released
		{VoucherReserved, VoucherRedeemed}:  true,
		{VoucherReserved, VoucherForfeited}: true,
		{VoucherReserved, VoucherRevoked}:   true,
		{VoucherRedeemed, VoucherSettled}:   true,
		{VoucherForfeited, VoucherSettled}:  true,
		{VoucherSettled, VoucherRevoked}:    true, // a credit note
	}
	for _, from := range all {
		for _, to := range all {
			if got := from.CanTransition(to); got != allowed[[2]VoucherState{from, to}] {
				t.Errorf("%q -> %q: %v", from, to, got)
			}
		}
		if from != "" && (!from.Valid() || from.Label() == string(from)) {
			t.Errorf("%s: not valid or no German label", from)
		}
	}
	if VoucherState("lost").Valid() {
		t.Error("unknown state is valid")
	}
}

func TestVoucherUsable(t *testing.T) {
	now := time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)
	o := &Offer{ProviderID: 7, FundingTracks: []string{"bw/basis"}}
	s := &Session{StartsAt: now.Add(30 * 24 * time.Hour)}
	ok := Voucher{ProviderID: 7, ProgrammeID: "bw", Track: "basis", State: VoucherIssued, ExpiresAt: now.Add(90 * 24 * time.Hour)}
	tests := []struct {
		name   string
		change func(v *Voucher, s *Session)
		want   string // part of the message, "" for usable
	}{
		{"usable", func(*Voucher, *Session) {}, ""},
		{"other provider", func(v *Voucher, _ *Session) { v.ProviderID = 8 }, "anderen Bildungsträger"},
		{"other track", func(v *Voucher, _ *Session) { v.Track = "advanced" }, "andere Qualifizierung"},
		{"expired", func(v *Voucher, _ *Session) { v.ExpiresAt = now }, "abgelaufen"},
		{"session begun", func(_ *Voucher, s *Session) { s.StartsAt = now }, "begonnen"},
		{"reserved", func(v *Voucher, _ *Session) { v.State = VoucherReserved }, "Reserviert"},
		{"forfeited", func(v *Voucher, _ *Session) { v.State = VoucherForfeited }, "Verfallen"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, ses := ok, *s
			tt.change(&v, &ses)
			err := VoucherUsable(&v, o, &ses, now)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected refusal: %v", err)
				}
				return
			}
			if ErrorCode(err) != EConflict || !strings.Contains(ErrorFields(err)["voucher"], tt.want) {
				t.Fatalf("got %v, want a conflict about %q", err, tt.want)
			}
		})
	}
}
