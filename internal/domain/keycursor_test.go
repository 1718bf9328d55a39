package domain

import (
	"testing"
	"time"
)

func TestKeyCursorRoundTripsAndRefusesWhatNoPageGaveOut(t *testing.T) {
	for _, c := range []KeyCursor{{Key: "Träger G", ID: 7}, {Key: "08111000"}, {Key: "", ID: 3}, {Key: "a\x1fb", ID: 1},
		TimeCursor(time.Date(2026, 3, 2, 9, 0, 0, 1500, time.UTC), 42)} {
		got, err := ParseKeyCursor(c.String())
		if err != nil || got != c {
			t.Errorf("%+v: parsed %+v, %v", c, got, err)
		}
	}
	if c, err := ParseKeyCursor(""); err != nil || !c.IsZero() {
		t.Errorf(`"": %+v, %v`, c, err)
	}
	if at, err := TimeCursor(time.Date(2026, 3, 2, 9, 0, 0, 1500, time.UTC), 1).Time(); err != nil || !at.Equal(time.Date(2026, 3, 2, 9, 0, 0, 1500, time.UTC)) {
		t.Errorf("time: %v, %v", at, err)
	}
	for _, s := range []string{"x", "!!", "MTIz", "LTEfYQ", "MB8", (KeyCursor{Key: "a", ID: 1}).String() + "="} {
		_, err := ParseKeyCursor(s)
		if ErrorCode(err) != EBadRequest || ErrorMessage(err) != "„cursor“ muss der Wert „next“ einer vorigen Antwort sein." {
			t.Errorf("%q: %v", s, err)
		}
	}
	if _, err := (KeyCursor{Key: "gestern", ID: 1}).Time(); ErrorCode(err) != EBadRequest {
		t.Errorf("a key that is no time: %v", err)
	}
}

func TestCountTextSaysMoreThanTheLimit(t *testing.T) {
	for n, want := range map[int]string{0: "0 Anträge", 1: "1 Antrag", 10_000: "10.000 Anträge", 10_001: "Mehr als 10.000 Anträge"} {
		if got := CountText(n, "Antrag", "Anträge"); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}
