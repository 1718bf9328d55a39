package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/lotse-oss/lotse/internal/app"
	"github.com/lotse-oss/lotse/internal/config"
	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/jobs"
	"github.com/lotse-oss/lotse/internal/legal"
	"github.com/lotse-oss/lotse/internal/mail"
	"github.com/lotse-oss/lotse/internal/sso"
	"github.com/lotse-oss/lotse/internal/web"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "serve", "[--addr HOST:PORT] [--data DIR] [--database URL] [--demo]")
	cfg := config.Default()
	cfg.DemoPassword = demo.DefaultPassword
	flags := config.RegisterServe(fs, &cfg, env.Getenv)
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if err := flags.Err(); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := newLogger(env.Stderr)

	brand, err := loadBrand(ctx, &cfg) // branding: checked first
	if err != nil {
		return err
	}
	db, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if cfg.Demo {
		loaded, err := demo.Load(ctx, db, cfg.DemoPassword)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if loaded {
			log.Info("demo data loaded")
		}
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + displayAddr(ln.Addr().String())
	}
	if cfg.Demo {
		if err := demo.Story(ctx, db, cfg.BaseURL, cfg.DemoPassword); err != nil {
			return err
		}
	}
	services := app.New(db, cfg.BaseURL, log)
	services.Account.SetSecretKey(cfg.SecretKey) // mfa: seals TOTP secrets
	op := cfg.Operator
	if err := services.SetLegal(legal.Settings{Dir: cfg.LegalDir, Operator: legal.Operator{Name: op.Name, Address: op.Address,
		Email: op.Email, Phone: op.Phone, Representative: op.Representative, PrivacyContact: op.PrivacyContact}}); err != nil {
		return err
	}
	services.Account.WithSSO(sso.New(cfg.BaseURL, cfg.OIDC)) // sso: single sign-on providers
	srv, err := web.New(services, web.Config{BaseURL: cfg.BaseURL, SMTPConfigured: cfg.SMTP.Host != "", MaxBodyBytes: cfg.MaxBodyBytes,
		TrustedProxies: cfg.TrustedProxies, MetricsAllow: cfg.MetricsAllow, MetricsToken: cfg.MetricsToken, Brand: brand}, log)
	if err != nil {
		return err
	}

	// The background work: the only goroutines besides the HTTP server.
	runner := jobs.New(log)
	// The catalog index is built in the background: until it is, searches
	// answer "Das Suchverzeichnis wird aufgebaut" (503), everything else works.
	services.Catalog.BuildInBackground()
	services.Catalog.UseSnapshot(filepath.Join(cfg.DataDir, "catalog-index.snapshot"))
	runner.Add(jobs.Job{Name: "catalog-index", Every: cfg.CatalogEvery, Run: services.Catalog.Maintain})
	// HR's desk: reminders before sessions, notices of vouchers about to expire.
	runner.Add(jobs.Job{Name: "booking-reminders", Every: jobs.Hourly, Run: services.Booking.RunReminders})
	runner.Add(jobs.Job{Name: "voucher-expiry", Every: jobs.Hourly, Run: services.Funding.RunExpiryNotices})
	runner.Add(jobs.Job{Name: "event-reminders", Every: jobs.Hourly, Run: services.Events.RunReminders}) // events: the day before
	runner.Add(jobs.Job{Name: "voucher-release", Every: jobs.Hourly, Run: services.Settlement.RunExpiry})
	runner.Add(jobs.Job{Name: "community-digest", Every: jobs.Hourly, Run: services.Community.RunDigests}) // community: digests
	// privacy: the nightly retention purge, claimed by one instance a day.
	services.Privacy.SetRetention(cfg.Retention)
	runner.Add(jobs.Job{Name: "retention", Every: jobs.Hourly, Run: services.Privacy.RunRetention})
	// Search thesaurus: other instances' added entries, within seconds.
	runner.Add(jobs.Job{Name: "search-terms", Every: cfg.CatalogEvery, Run: services.Catalog.ReloadThesaurus})
	runner.Add(orphanFilesJob(db, log)) // files: unreferenced blobs, on one instance at a time
	if cfg.SMTP.Host != "" {
		sender := mail.NewSender(mail.Config{Host: cfg.SMTP.Host, Port: cfg.SMTP.Port, Username: cfg.SMTP.Username,
			Password: cfg.SMTP.Password, From: cfg.SMTP.From, TLS: cfg.SMTP.TLS}, db, log)
		runner.Add(jobs.Job{Name: "mail", Every: cfg.MailEvery, Run: sender.RunOnce})
	}
	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer func() { stopJobs(); runner.Wait() }()
	runner.Start(jobsCtx)

	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(env.Stdout, "Lotse läuft auf %s (Datenbank: %s)\n", cfg.BaseURL, db.Dialect)
	if cfg.Demo {
		printLogins(env, cfg.DemoPassword)
	}
	if cfg.PprofAddr != "" {
		// Profiling for operators (docs/operations.md): its own listener,
		// meant for the loopback address, never the public one.
		startProfiler(cfg.PprofAddr, log)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// displayAddr turns a listen address into one a browser can open.
func displayAddr(a string) string {
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return a
	}
	if host == "" || host == "::" || host == "0.0.0.0" || host == "127.0.0.1" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
