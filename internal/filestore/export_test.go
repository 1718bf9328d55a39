package filestore

import "time"

// Chtimes sets a blob's modification time, for tests of the grace period.
func Chtimes(l *Local, key string, at time.Time) error {
	return l.root.Chtimes(blobPath(key), at, at)
}
