package domain

import "time"

// Berlin is the platform's local time zone: sessions, deadlines and days
// are German days.
var Berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		return time.FixedZone("MEZ", 3600)
	}
	return loc
}()

// StartOfDay is midnight in Germany at the start of t's German day.
func StartOfDay(t time.Time) time.Time {
	t = t.In(Berlin)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Berlin)
}
