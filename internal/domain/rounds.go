package domain

import "context"

// Rounds runs round, a job's unit of work that handles at most batch
// items in one transaction and returns how many it handled, again and
// again until a round is not full or ctx ends: a backlog is worked off in
// one run of an hourly job, a transaction at a time. A round that handles
// fewer than batch because another instance claimed some ends the run;
// that instance goes on.
func Rounds(ctx context.Context, batch int, round func(context.Context) (int, error)) error {
	for {
		n, err := round(ctx)
		if err != nil || n < batch || ctx.Err() != nil {
			return err
		}
	}
}
