package leanrpc_test

import (
	"context"
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/leanrpc/leanrpctest"
)

// BenchmarkApply measures the client's overhead per candidate against the
// in-process fake server with zero latency: sanitizing, rendering the
// document, didChange, the waitForDiagnostics barrier, classification and
// plainGoal, with the fake's own (small) work included.
func BenchmarkApply(b *testing.B) {
	conn, _ := leanrpctest.NewPipe(b, leanrpctest.PipeOptions{Options: leanrpctest.Options{Semantics: script(), DisableLog: true}})
	s := leanrpc.NewSession(conn, leanrpc.SessionConfig{Theorem: theorem})
	ctx := context.Background()
	trace := []string{"induction n"}
	if out, err := s.Apply(ctx, trace, "· rfl"); err != nil || out.Kind != leanrpc.Goals {
		b.Fatalf("warm-up = %+v, %v", out, err)
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		applyAlternating(b, s, i)
	}
	elapsed := time.Since(start)
	b.ReportMetric(float64(elapsed.Microseconds())/float64(b.N), "µs/apply")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "applies/s")
}

// applyAlternating applies one of two candidates, so that each apply
// really edits the document (a search rarely repeats itself).
func applyAlternating(b *testing.B, s *leanrpc.Session, i int) {
	trace, tactic := []string{"induction n"}, "· rfl"
	if i%2 == 1 {
		trace, tactic = nil, "induction n"
	}
	out, err := s.Apply(context.Background(), trace, tactic)
	if err != nil || out.Kind != leanrpc.Goals {
		b.Fatalf("apply %q after %q = %+v, %v", tactic, trace, out, err)
	}
}

// BenchmarkApplyServerProcess runs the fake server as a separate process
// (the test binary re-executed), so the client's own CPU time per apply
// can be read from getrusage, apart from the server's and independent of
// other load on the machine.
func BenchmarkApplyServerProcess(b *testing.B) {
	ctx := context.Background()
	srv, err := leanrpc.Start(ctx, helperConfig(b))
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	s := srv.NewSession(leanrpc.SessionConfig{Theorem: theorem})
	trace := []string{"induction n"}
	if out, err := s.Apply(ctx, trace, "· rfl"); err != nil || out.Kind != leanrpc.Goals {
		b.Fatalf("warm-up = %+v, %v", out, err)
	}
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		applyAlternating(b, s, i)
	}
	elapsed := time.Since(start)
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(elapsed.Microseconds())/float64(b.N), "µs/apply")
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "client-cpu-µs/apply")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "applies/s")
}

// BenchmarkClientMemoryPerDocument measures the heap the client holds per
// open document. The fake server runs as a separate process (the test
// binary re-executed), so the measured heap is the client's alone.
func BenchmarkClientMemoryPerDocument(b *testing.B) {
	const docs = 200
	ctx := context.Background()
	cfg := helperConfig(b)
	srv, err := leanrpc.Start(ctx, cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		sessions := make([]*leanrpc.Session, docs)
		for j := range sessions {
			th := theorem
			sessions[j] = srv.NewSession(leanrpc.SessionConfig{Theorem: th})
			if out, err := sessions[j].Apply(ctx, []string{"induction n"}, "· rfl"); err != nil || out.Kind != leanrpc.Goals {
				b.Fatalf("doc %d: %+v, %v", j, out, err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/docs, "bytes/doc")
		for _, s := range sessions {
			if err := s.Close(ctx); err != nil {
				b.Fatal(fmt.Errorf("close: %w", err))
			}
		}
		runtime.KeepAlive(sessions)
	}
}
