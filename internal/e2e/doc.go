// Package e2e holds tests that run the real lotse binary as separate
// operating-system processes, as it runs in production.
package e2e
