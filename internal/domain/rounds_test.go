package domain

import (
	"context"
	"errors"
	"testing"
)

// TestRoundsRunUntilARoundIsNotFull: full rounds are followed by another;
// a short round, an error or an ended context stop.
func TestRoundsRunUntilARoundIsNotFull(t *testing.T) {
	left := 7
	calls := 0
	err := Rounds(context.Background(), 3, func(context.Context) (int, error) {
		calls++
		n := min(left, 3)
		left -= n
		return n, nil
	})
	if err != nil || calls != 3 || left != 0 {
		t.Errorf("7 items in rounds of 3: %d calls, %d left, %v", calls, left, err)
	}

	boom := errors.New("boom")
	calls = 0
	if err := Rounds(context.Background(), 3, func(context.Context) (int, error) { calls++; return 3, boom }); err != boom || calls != 1 {
		t.Errorf("a failing round: %d calls, %v", calls, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	calls = 0
	err = Rounds(ctx, 3, func(context.Context) (int, error) {
		calls++
		if calls == 2 {
			cancel()
		}
		return 3, nil
	})
	if err != nil || calls != 2 {
		t.Errorf("rounds after the context ended: %d calls, %v", calls, err)
	}
}
