// Package cli implements the lotse command: its subcommands, their flags
// (each also read from a LOTSE_ environment variable) and the wiring of
// store, web server and mail sender. cmd/lotse only calls Main.
package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/lotse-oss/lotse/internal/competences"
	"github.com/lotse-oss/lotse/internal/config"
	"github.com/lotse-oss/lotse/internal/domain"
	"github.com/lotse-oss/lotse/internal/programmes"
	"github.com/lotse-oss/lotse/internal/store"
)

// Env is the process environment the commands run in; tests replace it.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// OSEnv is the real process environment.
func OSEnv() Env {
	return Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
}

type command struct {
	name, args, help string
	run              func(ctx context.Context, env Env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "[--addr HOST:PORT] [--data DIR] [--database URL] [--demo]", "starts the platform", runServe},
		{"import", "municipalities FILE | competences FILE [--data DIR | --database URL]", "imports the municipality directory (GV100AD) or a competence framework (CSV)", runImport},
		{"user", "create --email E --name N [--password-stdin] | grant --email E --org ORG --role ROLE", "creates people and grants roles", runUser},
		{"token", "create --email E [--name N]", "creates an API token and prints it on the last line", runToken},
		{"demo", "[--data DIR | --database URL] [--password P] [--offers N]", "loads the demo data into a database", runDemo},
		{"keys", "rotate [--data DIR | --database URL]", "retires the certificate signing key and makes a new one (old keys stay published)", runKeys},
		{"backup", "--to FILE [--data DIR | --database URL]", "writes a consistent backup of the SQLite database and the documents while the platform runs", runBackup},
		{"restore", "--from FILE [--data DIR] [--force]", "restores a backup into a stopped platform's data folder", runRestore},
	}
}

// Main runs the command line and returns the process exit code.
func Main(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name == args[0] {
			err := c.run(ctx, env, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return 0
			}
			if err != nil {
				fmt.Fprintln(env.Stderr, "lotse "+c.name+": "+errorText(err))
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(env.Stderr, "lotse: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return 2
}

// errorText prefers the German user message of a domain error.
func errorText(err error) string {
	var de *domain.Error
	if errors.As(err, &de) && de.Code != domain.EInternal {
		msg := de.Message
		for f, m := range de.Fields {
			msg += "\n  " + f + ": " + m
		}
		return msg
	}
	return err.Error()
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Lotse: qualification platform for municipal staff.")
	fmt.Fprintln(w, "\nUsage: lotse COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-7s %s\n          %s\n", c.name, c.help, c.args)
	}
	fmt.Fprintln(w, "\nRun 'lotse COMMAND --help' for the flags of a command.")
}

// dbFlags are the flags that name the database: the storage part of the
// configuration.
type dbFlags struct {
	cfg   config.Config
	flags *config.Flags
}

func (d *dbFlags) register(fs *flag.FlagSet, env Env) {
	d.cfg = config.Default()
	d.flags = config.RegisterStorage(fs, &d.cfg, env.Getenv)
}

func (d *dbFlags) dsn() string { return d.cfg.DSN() }

// open opens the database of the configuration.
func (d *dbFlags) open(ctx context.Context) (*store.DB, error) {
	if err := d.flags.Err(); err != nil {
		return nil, err
	}
	return openStore(ctx, &d.cfg)
}

// openStore opens the database, with the configured file store (the data
// folder's "files" or S3) and the programme of a fresh install.
func openStore(ctx context.Context, cfg *config.Config) (*store.DB, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, err
	}
	if abs, err := filepath.Abs(cfg.DataDir); err == nil {
		cfg.DataDir = abs
	}
	db, err := store.Open(ctx, cfg.DSN())
	if err != nil {
		return nil, err
	}
	db.SetPoolSize(cfg.DBMaxConns)
	if db.Files, _, err = cfg.OpenFiles(ctx); err != nil { // open as long as the process
		db.Close()
		return nil, err
	}
	if _, err := programmes.Install(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("install the default programme: %w", err)
	}
	if err := competences.Install(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func envOr(env Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

func newFlagSet(env Env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("lotse "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "Usage: lotse %s %s\n\nFlags:\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterspersed parses flags that may come before or after positional
// arguments, as in "import municipalities FILE --data DIR".
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
