package cli

import (
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"
)

// startProfiler serves Go's runtime profiles (CPU, heap, goroutines) on
// addr, apart from the platform's handler, so that an operator can see
// where a slow page spends its time: go tool pprof http://addr/debug/pprof/profile
func startProfiler(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		log.Info("profiler listening", "addr", addr)
		if err := srv.ListenAndServe(); err != nil {
			log.Error("profiler stopped", "err", err)
		}
	}()
}
