package events

// SetReminderBatch sets the reminders one round sends, for a test; it
// returns the function that restores it.
func SetReminderBatch(n int) (restore func()) {
	old := reminderBatch
	reminderBatch = n
	return func() { reminderBatch = old }
}
