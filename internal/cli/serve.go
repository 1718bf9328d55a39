package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/lotse-oss/lotse/internal/demo"
	"github.com/lotse-oss/lotse/internal/mail"
	"github.com/lotse-oss/lotse/internal/web"
	"github.com/lotse-oss/lotse/internal/web/httpx"
)

func runServe(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet(env, "serve", "[--addr HOST:PORT] [--data DIR] [--database URL] [--demo]")
	var d dbFlags
	d.register(fs, env)
	addr := fs.String("addr", envOr(env, "LOTSE_ADDR", "localhost:8080"), "address to listen on (env LOTSE_ADDR)")
	baseURL := fs.String("base-url", env.Getenv("LOTSE_BASE_URL"), "public URL for links in e-mails; default http://ADDR (env LOTSE_BASE_URL)")
	withDemo := fs.Bool("demo", envOr(env, "LOTSE_DEMO", "") == "true", "load the demo data on first start (env LOTSE_DEMO=true)")
	demoPW := fs.String("demo-password", envOr(env, "LOTSE_DEMO_PASSWORD", demo.DefaultPassword), "password of the demo logins (env LOTSE_DEMO_PASSWORD)")
	var smtp mail.Config
	fs.StringVar(&smtp.Host, "smtp-host", env.Getenv("LOTSE_SMTP_HOST"), "SMTP server; without one, mails stay in the outbox (env LOTSE_SMTP_HOST)")
	smtpPort := fs.String("smtp-port", envOr(env, "LOTSE_SMTP_PORT", "587"), "SMTP port (env LOTSE_SMTP_PORT)")
	fs.StringVar(&smtp.Username, "smtp-user", env.Getenv("LOTSE_SMTP_USER"), "SMTP user (env LOTSE_SMTP_USER; the password only from LOTSE_SMTP_PASSWORD)")
	fs.StringVar(&smtp.From, "smtp-from", envOr(env, "LOTSE_SMTP_FROM", "lotse@localhost"), "sender address (env LOTSE_SMTP_FROM)")
	fs.StringVar(&smtp.TLS, "smtp-tls", envOr(env, "LOTSE_SMTP_TLS", "starttls"), "starttls, tls or none (env LOTSE_SMTP_TLS)")
	trusted := fs.String("trusted-proxies", env.Getenv("LOTSE_TRUSTED_PROXIES"), "reverse proxies (CIDRs or addresses, comma-separated) whose X-Forwarded-For names the client (env LOTSE_TRUSTED_PROXIES)")
	metricsAllow := fs.String("metrics-allow", envOr(env, "LOTSE_METRICS_ALLOW", "127.0.0.0/8,::1"), "client networks /metrics answers (CIDRs, comma-separated; \"none\" for none) (env LOTSE_METRICS_ALLOW)")
	metricsToken := fs.String("metrics-token", "", "Bearer token that opens /metrics from anywhere; better set LOTSE_METRICS_TOKEN")
	if _, err := parseInterspersed(fs, args); err != nil {
		return err
	}
	if *metricsToken == "" {
		*metricsToken = env.Getenv("LOTSE_METRICS_TOKEN")
	}
	proxies, err := httpx.ParsePrefixes(*trusted)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}
	allow := []netip.Prefix{}
	if *metricsAllow != "none" {
		if allow, err = httpx.ParsePrefixes(*metricsAllow); err != nil {
			return fmt.Errorf("--metrics-allow: %w", err)
		}
	}
	smtp.Password = env.Getenv("LOTSE_SMTP_PASSWORD")
	port, err := strconv.Atoi(*smtpPort)
	if err != nil {
		return fmt.Errorf("--smtp-port: %w", err)
	}
	smtp.Port = port

	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	log := newLogger(env.Stderr)

	db, err := d.open(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if *withDemo {
		loaded, err := demo.Load(ctx, db, *demoPW)
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if loaded {
			log.Info("demo data loaded")
		}
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *baseURL == "" {
		*baseURL = "http://" + displayAddr(ln.Addr().String())
	}
	db.BaseURL = *baseURL
	srv, err := web.New(db, web.Config{BaseURL: *baseURL, SMTPConfigured: smtp.Host != "",
		TrustedProxies: proxies, MetricsAllow: allow, MetricsToken: *metricsToken}, log)
	if err != nil {
		return err
	}
	go func() {
		if err := srv.WarmCatalog(ctx); err != nil {
			log.Error("catalog index", "err", err)
		}
	}()
	if smtp.Host != "" {
		go mail.NewSender(smtp, db, log).Run(ctx, 10*time.Second)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	fmt.Fprintf(env.Stdout, "Lotse läuft auf %s (Datenbank: %s)\n", *baseURL, db.Dialect)
	if *withDemo {
		printLogins(env, *demoPW)
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
