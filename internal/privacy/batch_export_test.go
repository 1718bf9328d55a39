package privacy

// SetPurgeBatch sets the rows a purge deletes per transaction, for a test;
// it returns the function that restores the batch.
func SetPurgeBatch(n int) (restore func()) {
	old := purgeBatch
	purgeBatch = n
	return func() { purgeBatch = old }
}
