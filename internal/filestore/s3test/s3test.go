// Package s3test starts a real S3 server for tests: the versitygw binary
// named by LOTSE_VERSITYGW, serving a temporary folder on a free port of
// the loopback interface. Tests that need it are skipped, with a message
// saying so, where the variable is unset (scripts/test-tools-s3.sh builds
// the binary and prints the variable).
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/lotse-oss/lotse/internal/filestore"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Env is the variable naming the versitygw binary.
const Env = "LOTSE_VERSITYGW"

// Server is a running versitygw.
type Server struct {
	// Endpoint is host:port; AccessKey and SecretKey its root account.
	Endpoint, AccessKey, SecretKey string
	cmd                            *exec.Cmd
	done                           chan struct{}
}

// Start starts a server for the test and stops it when the test ends. It
// skips the test when LOTSE_VERSITYGW is unset.
func Start(tb testing.TB) *Server {
	tb.Helper()
	bin := os.Getenv(Env)
	if bin == "" {
		tb.Skip("no S3 server: set " + Env + " to a versitygw binary (scripts/test-tools-s3.sh builds one)")
	}
	dir := tb.TempDir()
	root := filepath.Join(dir, "gw")
	if err := os.Mkdir(root, 0o750); err != nil {
		tb.Fatal(err)
	}
	port := freePort(tb)
	s := &Server{Endpoint: "127.0.0.1:" + port, AccessKey: "lotsetest", SecretKey: randHex(16), done: make(chan struct{})}
	log, err := os.Create(filepath.Join(dir, "versitygw.log"))
	if err != nil {
		tb.Fatal(err)
	}
	s.cmd = exec.Command(bin, "--access", s.AccessKey, "--secret", s.SecretKey, "--port", s.Endpoint, "--quiet", "posix", root)
	s.cmd.Stdout, s.cmd.Stderr = log, log
	if err := s.cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	go func() { s.cmd.Wait(); log.Close(); close(s.done) }()
	tb.Cleanup(s.Stop)
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", s.Endpoint, 200*time.Millisecond)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-s.done:
			b, _ := os.ReadFile(log.Name())
			tb.Fatalf("versitygw ended at start: %s", b)
		default:
		}
		if time.Now().After(deadline) {
			tb.Fatalf("versitygw did not listen on %s", s.Endpoint)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// Stop ends the server (also when the test ends).
func (s *Server) Stop() {
	select {
	case <-s.done:
		return
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.done
	}
}

// Bucket creates a new bucket and returns the store configuration for it.
func (s *Server) Bucket(tb testing.TB) filestore.S3Config {
	tb.Helper()
	cfg := filestore.S3Config{Endpoint: s.Endpoint, Bucket: "lotse-" + strings.ToLower(randHex(6)), Region: "us-east-1",
		AccessKey: s.AccessKey, SecretKey: s.SecretKey, PathStyle: true, Insecure: true}
	c, err := minio.New(cfg.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: false, Region: cfg.Region, BucketLookup: minio.BucketLookupPath})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.MakeBucket(ctx, cfg.Bucket, minio.MakeBucketOptions{Region: cfg.Region}); err != nil {
		tb.Fatalf("create bucket: %v", err)
	}
	return cfg
}

// Store starts nothing: it opens a store on a new bucket of s.
func (s *Server) Store(tb testing.TB) *filestore.S3 {
	tb.Helper()
	st, err := filestore.NewS3(context.Background(), s.Bucket(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return st
}

func freePort(tb testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
