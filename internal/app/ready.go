package app

import (
	"context"
	"errors"
)

// Check is one named readiness check of /readyz: a cheap probe of
// something the platform needs to answer requests.
type Check struct {
	Name string
	Run  func(ctx context.Context) error
}

// ReadyChecks are the readiness checks: the database, the file store
// (folder writable, or S3 bucket there) and those added with AddReadyCheck
// (e.g. the identity providers' discovery), in that order.
func (a *App) ReadyChecks() []Check {
	checks := []Check{
		{Name: "database", Run: a.db.Ping},
		{Name: "files", Run: func(ctx context.Context) error {
			if a.db.Files == nil {
				return errors.New("no file store configured")
			}
			return a.db.Files.Ping(ctx)
		}},
	}
	return append(checks, a.readyChecks...)
}

// AddReadyCheck adds a named check to /readyz; call it while wiring,
// before serving.
func (a *App) AddReadyCheck(name string, run func(ctx context.Context) error) {
	a.readyChecks = append(a.readyChecks, Check{Name: name, Run: run})
}
