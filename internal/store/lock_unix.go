//go:build unix

package store

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an advisory lock on path (created if missing): shared for
// every open handle on a SQLite database, exclusive for a restore, so that a
// restore never replaces a database a running platform has open. The lock
// goes with the returned file.
func lockFile(path string, exclusive bool) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return f, nil
}
