// Package archtest holds the architecture test: it reads the import graph
// (go list) and the sources, and fails when an arrow points the wrong way:
// web importing store, store deciding roles or signing, domain doing I/O, a
// role check outside authz, German prose in store.
package archtest
