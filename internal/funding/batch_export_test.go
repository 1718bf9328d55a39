package funding

// SetExpiryBatch sets the vouchers one round of expiry notices looks at,
// for a test; it returns the function that restores it.
func SetExpiryBatch(n int) (restore func()) {
	old := expiryBatch
	expiryBatch = n
	return func() { expiryBatch = old }
}
