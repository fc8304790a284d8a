package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// benchProject writes a project of n theorems that the stand-in lake
// proves with `rfl`, with the given latency per Lean version.
func benchProject(b *testing.B, n int, latency string) string {
	b.Helper()
	var lean strings.Builder
	theorems := map[string]string{}
	steps := []map[string]string{}
	for i := range n {
		name := fmt.Sprintf("t%d", i)
		state := fmt.Sprintf("⊢ %d = %d", i, i)
		fmt.Fprintf(&lean, "theorem %s : %d = %d := by sorry\n\n", name, i, i)
		theorems[name] = state
		steps = append(steps,
			map[string]string{"state": state, "tactic": "skip", "new_state": state},
			map[string]string{"state": state, "tactic": "rfl", "new_state": "no goals"})
	}
	script, _ := json.Marshal(map[string]any{"theorems": theorems, "steps": steps})
	dir := b.TempDir()
	files := map[string]string{
		"Demo.lean":      lean.String(),
		"lakefile.toml":  "name = \"demo\"\n",
		"lean-toolchain": "leanprover/lean4:v4.24.0\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	scriptPath := filepath.Join(b.TempDir(), "script.json")
	if err := os.WriteFile(scriptPath, script, 0o644); err != nil {
		b.Fatal(err)
	}
	lakeDir := fakeLakeDirB(b)
	b.Setenv("PATH", lakeDir+string(os.PathListSeparator)+os.Getenv("PATH"))
	b.Setenv("LEANRPCTEST_SCRIPT", scriptPath)
	b.Setenv("LEANRPCTEST_LATENCY", latency)
	return dir
}

func fakeLakeDirB(b *testing.B) string {
	b.Helper()
	fakeLakeOnce.Do(buildFakeLake)
	if fakeLakeErr != nil {
		b.Fatalf("build the stand-in lake: %v", fakeLakeErr)
	}
	return fakeLake
}

// BenchmarkBatchThroughput: theorems per minute through the whole batch
// path (static discovery, store, Lean server and documents, search,
// verification) with a simulated 50 ms per Lean elaboration.
func BenchmarkBatchThroughput(b *testing.B) {
	const theorems = 8
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			dir := benchProject(b, theorems, "50ms")
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				db := filepath.Join(b.TempDir(), "runs.db")
				var out, errb strings.Builder
				code := run(context.Background(), []string{"batch", "--project", dir, "--db", db,
					"--workers", fmt.Sprint(workers), "--rollout=false", "--expansions", "10", dir}, &out, &errb)
				if code != 0 || !strings.Contains(out.String(), fmt.Sprintf("automation rate: %d/%d", theorems, theorems)) {
					b.Fatalf("batch exit %d\n%s\n%s", code, out.String(), errb.String())
				}
			}
			perMin := float64(theorems*b.N) / time.Since(start).Minutes()
			b.ReportMetric(perMin, "theorems/min")
		})
	}
}

// BenchmarkServiceRequest measures one prove request through the service
// (JSON-RPC over a pipe) against calling the backend directly, with the
// stand-in lake at zero latency: the difference is the service's overhead.
func BenchmarkServiceRequest(b *testing.B) {
	dir := benchProject(b, 1, "0s")
	// The flags' own defaults, as a user gets them.
	pf := &proveFlags{}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	pf.register(fs)
	if err := fs.Parse([]string{"--project", dir, "--policy", "portfolio", "--expansions", "10", "--workers", "1"}); err != nil {
		b.Fatal(err)
	}
	backend := newLeanBackend(pf, zerolog.Nop())
	defer backend.Close()
	req := pf.request("t0")
	if res, err := backend.prove(context.Background(), req); err != nil || !res.Proved {
		b.Fatalf("warm-up prove: %v %+v", err, res)
	}
	b.Run("direct", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := backend.prove(context.Background(), req); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("service", func(b *testing.B) { benchService(b, backend.prove, pf.request("")) })
}

// BenchmarkServiceOnly is the service's own cost per request: JSON-RPC over
// a pipe, the slot bookkeeping and the reply, with a prover that answers at
// once.
func BenchmarkServiceOnly(b *testing.B) { benchService(b, provedBy("rfl"), proveRequest{}) }

// benchService sends b.N prove requests for t0, one after another, through
// a service over a pipe, and checks each answer.
func benchService(b *testing.B, prove proveFunc, defaults proveRequest) {
	ctx, cancel := context.WithCancel(context.Background())
	svc := newProveService(prove, serviceLimits{maxRequestBytes: 1 << 20, maxSearches: 4, requestTimeout: time.Minute},
		zerolog.Nop(), cancel)
	svc.defaults = defaults
	server, client := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = svc.serve(ctx, &oneConnListener{conn: server, done: make(chan struct{})}, nil, nil)
	}()
	in := bufio.NewReader(client)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fmt.Fprintf(client, `{"jsonrpc":"2.0","id":%d,"method":"prove","params":{"theorem":"t0"}}`+"\n", i+1)
		if line, err := in.ReadString('\n'); err != nil || !strings.Contains(line, `"proved":true`) {
			b.Fatalf("response %q: %v", line, err)
		}
	}
	b.StopTimer()
	cancel()
	client.Close()
	<-done
}
