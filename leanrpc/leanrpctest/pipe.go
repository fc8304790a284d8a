package leanrpctest

import (
	"context"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leanprove/leanprove/leanrpc"
)

// PipeOptions configures NewPipe.
type PipeOptions struct {
	Options
	// Conn configures the client side.
	Conn leanrpc.ConnOptions
	// AllowViolations keeps protocol violations from failing the test
	// (for tests that break the protocol on purpose).
	AllowViolations bool
}

// NewPipe starts a fake server and a leanrpc client connected over
// net.Pipe, initialized. Cleanup shuts both down, fails the test on any
// protocol violation, and prints the protocol exchange only when the test
// failed.
func NewPipe(t testing.TB, opts PipeOptions) (*leanrpc.Conn, *Server) {
	t.Helper()
	clientSide, serverSide := net.Pipe()
	ctx := context.Background()
	srv := Serve(ctx, serverSide, opts.Options)
	var clientLog lockedBuffer
	if opts.Conn.ProtocolLog == nil && !opts.DisableLog {
		opts.Conn.ProtocolLog = &clientLog
	}
	conn := leanrpc.NewConn(ctx, clientSide, opts.Conn)
	t.Cleanup(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = conn.Shutdown(sctx)
		select {
		case <-srv.Done():
		case <-sctx.Done():
		}
		_ = conn.Close()
		_ = srv.Close()
		if v := srv.Violations(); len(v) > 0 && !opts.AllowViolations {
			t.Errorf("protocol violations seen by the fake Lean server:\n  %s", strings.Join(v, "\n  "))
		}
		if t.Failed() {
			t.Logf("protocol exchange (fake server's view):\n%s", srv.Log())
		}
	})
	ictx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := conn.Initialize(ictx, "file:///fake"); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	return conn, srv
}

// ServeStdio serves one client on stdin/stdout until it exits; this is
// what the stand-in lake executable and helper processes run.
func ServeStdio(opts Options) {
	srv := Serve(context.Background(), stdio{}, opts)
	<-srv.Done()
	_ = srv.Close()
}

type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error                { return os.Stdin.Close() }

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

var _ io.Writer = (*lockedBuffer)(nil)
