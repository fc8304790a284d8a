package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"github.com/sourcegraph/jsonrpc2"
)

// rawClient speaks the service's wire format by hand, so tests can also
// send what a well-behaved client never would.
type rawClient struct {
	t    *testing.T
	conn net.Conn
	in   *bufio.Reader
}

func (c *rawClient) sendLine(line string) {
	c.t.Helper()
	if _, err := fmt.Fprintln(c.conn, line); err != nil {
		c.t.Fatalf("send: %v", err)
	}
}

func (c *rawClient) call(id int, method string, params any) {
	c.t.Helper()
	data, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	c.sendLine(string(data))
}

type wireResponse struct {
	ID     *int            `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int64  `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// recv reads the next response, whatever its id.
func (c *rawClient) recv() wireResponse {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	line, err := c.in.ReadString('\n')
	if err != nil {
		c.t.Fatalf("recv: %v", err)
	}
	var r wireResponse
	if err := json.Unmarshal([]byte(line), &r); err != nil {
		c.t.Fatalf("response %q: %v", line, err)
	}
	return r
}

// startService runs a service over a pipe with the given prover; it stops
// when the test ends and the test fails if it does not.
func startService(t *testing.T, prove proveFunc, lim serviceLimits) (*rawClient, *proveService, <-chan struct{}) {
	t.Helper()
	if lim.maxRequestBytes == 0 {
		lim.maxRequestBytes = 4096
	}
	if lim.maxSearches == 0 {
		lim.maxSearches = 2
	}
	if lim.requestTimeout == 0 {
		lim.requestTimeout = time.Minute
	}
	ctx, cancel := context.WithCancel(context.Background())
	svc := newProveService(prove, lim, zerolog.Nop(), cancel)
	server, client := net.Pipe()
	ln := &oneConnListener{conn: server, done: make(chan struct{})}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		if err := svc.serve(ctx, ln, nil, nil); err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	t.Cleanup(func() {
		cancel()
		client.Close()
		select {
		case <-stopped:
		case <-time.After(10 * time.Second):
			t.Error("service did not stop")
		}
	})
	return &rawClient{t: t, conn: client, in: bufio.NewReader(client)}, svc, stopped
}

// oneConnListener hands out one connection, then blocks until closed.
type oneConnListener struct {
	conn   net.Conn
	handed bool
	done   chan struct{}
}

func (l *oneConnListener) Accept() (net.Conn, error) {
	if !l.handed {
		l.handed = true
		return l.conn, nil
	}
	<-l.done
	return nil, net.ErrClosed
}
func (l *oneConnListener) Close() error {
	select {
	case <-l.done:
	default:
		close(l.done)
	}
	return nil
}
func (l *oneConnListener) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

func provedBy(tactic string) proveFunc {
	return func(ctx context.Context, req proveRequest) (*proveResult, error) {
		return &proveResult{Theorem: req.Theorem, Proved: true, Proof: []string{tactic}, Stop: "proved"}, nil
	}
}

// blockingProver waits until its context ends and says it started.
func blockingProver(started chan<- string) proveFunc {
	return func(ctx context.Context, req proveRequest) (*proveResult, error) {
		started <- req.Theorem
		<-ctx.Done()
		return nil, ctx.Err()
	}
}

func TestServiceProves(t *testing.T) {
	c, _, _ := startService(t, provedBy("omega"), serviceLimits{})
	c.call(1, "prove", map[string]any{"theorem": "Nat.foo"})
	r := c.recv()
	if r.Error != nil {
		t.Fatalf("prove: error %+v", r.Error)
	}
	var res proveResult
	if err := json.Unmarshal(r.Result, &res); err != nil {
		t.Fatal(err)
	}
	if !res.Proved || res.Theorem != "Nat.foo" || strings.Join(res.Proof, ";") != "omega" {
		t.Errorf("result = %+v", res)
	}
}

func TestServiceErrors(t *testing.T) {
	tests := []struct {
		name     string
		line     string
		wantCode int64
		wantMsg  string
	}{
		{"unknown method", `{"jsonrpc":"2.0","id":1,"method":"frob"}`, -32601, `unknown method "frob"`},
		{"missing theorem", `{"jsonrpc":"2.0","id":2,"method":"prove","params":{}}`, -32602, `"theorem" is required`},
		{"no params", `{"jsonrpc":"2.0","id":3,"method":"prove"}`, -32602, "params are required"},
		{"not JSON", `{"jsonrpc": oops`, -32700, "not a JSON-RPC 2.0 object"},
		{"too large", `{"jsonrpc":"2.0","id":4,"method":"prove","params":{"theorem":"` + strings.Repeat("x", 5000) + `"}}`, -32600, "over the limit of 4096 bytes"},
	}
	c, _, _ := startService(t, provedBy("rfl"), serviceLimits{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			c.sendLine(tt.line)
			r := c.recv()
			if r.Error == nil || r.Error.Code != tt.wantCode || !strings.Contains(r.Error.Message, tt.wantMsg) {
				t.Errorf("response = %+v, want code %d with %q", r.Error, tt.wantCode, tt.wantMsg)
			}
		})
	}
	// After every bad message the connection still serves.
	c.t = t
	c.call(9, "prove", map[string]any{"theorem": "after"})
	if r := c.recv(); r.Error != nil || r.ID == nil || *r.ID != 9 {
		t.Errorf("connection unusable after bad input: %+v", r)
	}
}

func TestServiceCancel(t *testing.T) {
	started := make(chan string, 1)
	c, _, _ := startService(t, blockingProver(started), serviceLimits{})
	c.call(1, "prove", map[string]any{"theorem": "slow"})
	<-started
	c.call(2, "cancel", map[string]any{"id": 1})
	got := map[int]wireResponse{}
	for len(got) < 2 {
		r := c.recv()
		got[*r.ID] = r
	}
	if string(got[2].Result) != `{"cancelled":true}` {
		t.Errorf("cancel answered %s %+v", got[2].Result, got[2].Error)
	}
	if e := got[1].Error; e == nil || e.Code != codeCancelled {
		t.Errorf("cancelled prove answered %+v, want code %d", e, codeCancelled)
	}
	c.call(3, "cancel", map[string]any{"id": 1})
	if r := c.recv(); string(r.Result) != `{"cancelled":false}` {
		t.Errorf("cancel of a finished search answered %s", r.Result)
	}
}

func TestServiceLimitsSearches(t *testing.T) {
	started := make(chan string, 2)
	c, svc, _ := startService(t, blockingProver(started), serviceLimits{maxSearches: 1})
	c.call(1, "prove", map[string]any{"theorem": "first"})
	<-started
	c.call(2, "prove", map[string]any{"theorem": "second"})
	r := c.recv()
	if r.Error == nil || r.Error.Code != codeBusy || *r.ID != 2 {
		t.Fatalf("second search answered %+v, want busy", r.Error)
	}
	c.call(3, "status", map[string]any{})
	r = c.recv()
	if !strings.Contains(string(r.Result), `"theorem":"first"`) {
		t.Errorf("status = %s, want the running search", r.Result)
	}
	svc.abort()
	if r := c.recv(); r.Error == nil || *r.ID != 1 {
		t.Errorf("aborted search answered %+v", r)
	}
}

func TestServiceRequestTimeout(t *testing.T) {
	started := make(chan string, 1)
	c, _, _ := startService(t, blockingProver(started), serviceLimits{requestTimeout: 20 * time.Millisecond})
	c.call(1, "prove", map[string]any{"theorem": "slow"})
	r := c.recv()
	if r.Error == nil || r.Error.Code != codeCancelled || !strings.Contains(r.Error.Message, "--request-timeout") {
		t.Errorf("timed-out search answered %+v", r.Error)
	}
}

func TestServiceShutdownCancelsAfterGrace(t *testing.T) {
	started := make(chan string, 1)
	c, _, stopped := startService(t, blockingProver(started), serviceLimits{grace: time.Millisecond})
	c.call(1, "prove", map[string]any{"theorem": "slow"})
	<-started
	c.call(2, "shutdown", map[string]any{})
	got := map[int]wireResponse{}
	for len(got) < 2 {
		r := c.recv()
		got[*r.ID] = r
	}
	if got[2].Error != nil {
		t.Errorf("shutdown answered %+v", got[2].Error)
	}
	if got[1].Error == nil || got[1].Error.Code != codeCancelled {
		t.Errorf("search running at shutdown answered %+v, want cancelled", got[1].Error)
	}
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("service still running after shutdown")
	}
}

func TestServiceProverFailure(t *testing.T) {
	fail := func(ctx context.Context, req proveRequest) (*proveResult, error) {
		return nil, errors.New("lake not found")
	}
	c, _, _ := startService(t, fail, serviceLimits{})
	c.call(1, "prove", map[string]any{"theorem": "x"})
	if r := c.recv(); r.Error == nil || r.Error.Code != codeFailed || r.Error.Message != "lake not found" {
		t.Errorf("failed search answered %+v", r.Error)
	}
}

// TestServiceBadRequestParams: a request the backend refuses as a usage
// error (an unknown mode, say) is invalid params, not a service failure.
func TestServiceBadRequestParams(t *testing.T) {
	b := newLeanBackend(&proveFlags{selection: "puct", candidates: 4}, zerolog.Nop())
	refuse := func(ctx context.Context, req proveRequest) (*proveResult, error) {
		_, err := b.searchParams(req)
		return nil, err
	}
	c, _, _ := startService(t, refuse, serviceLimits{})
	c.call(1, "prove", map[string]any{"theorem": "x", "mode": "dfs"})
	if r := c.recv(); r.Error == nil || r.Error.Code != jsonrpc2.CodeInvalidParams || !strings.Contains(r.Error.Message, "dfs") {
		t.Errorf("request with an unknown mode answered %+v, want invalid params naming it", r.Error)
	}
}

func TestServiceBatchReportsProgressAndResult(t *testing.T) {
	release := make(chan struct{})
	started := make(chan struct{})
	var got batchJob
	c, svc, _ := startService(t, provedBy("rfl"), serviceLimits{})
	svc.defaults = proveRequest{Project: "proj", Policy: "auto", Mode: "mcts", Expansions: 7}
	svc.batchDefaults = batchJob{DB: "default.db", Theorems: 3}
	svc.batch = func(ctx context.Context, job batchJob, progress batchProgress) (*batchOutcome, error) {
		got = job
		progress.Start(3, 1, 1)
		progress.Finished(theoremResult{Theorem: "a", Proved: true})
		close(started)
		<-release
		return &batchOutcome{RunID: "b-1", DB: job.DB, Summary: runSummary{Theorems: 3, Proved: 2}}, nil
	}
	c.call(1, "batch", map[string]any{"paths": []string{"T.lean"}, "expansions": 9, "write": true})
	<-started
	c.call(2, "status", map[string]any{})
	r := c.recv()
	if *r.ID != 2 || !strings.Contains(string(r.Result), `"progress":{"total":3,"done":2,"proved":2}`) {
		t.Errorf("status during a batch = %s", r.Result)
	}
	close(release)
	r = c.recv()
	if r.Error != nil || !strings.Contains(string(r.Result), `"run_id":"b-1"`) {
		t.Fatalf("batch answered %s %+v", r.Result, r.Error)
	}
	if got.Project != "proj" || got.Expansions != 9 || !got.Write || got.DB != "default.db" || got.Theorems != 3 ||
		strings.Join(got.Paths, ",") != "T.lean" {
		t.Errorf("batch job = %+v: want the request's settings over the service's defaults", got)
	}
}

func TestServiceBatchNeedsPaths(t *testing.T) {
	c, svc, _ := startService(t, provedBy("rfl"), serviceLimits{})
	svc.batch = func(ctx context.Context, job batchJob, progress batchProgress) (*batchOutcome, error) {
		t.Error("batch ran without paths")
		return nil, nil
	}
	c.call(1, "batch", map[string]any{})
	if r := c.recv(); r.Error == nil || r.Error.Code != -32602 || !strings.Contains(r.Error.Message, `"paths" is required`) {
		t.Errorf("batch without paths answered %+v", r.Error)
	}
}

// TestServiceRefusesWhatARequestCannotUse: prove's fields a batch would
// silently ignore (workers above all, which the CLI's batch --workers
// means), and more Lean documents than one search slot may use, are
// invalid params; neither search runs.
func TestServiceRefusesWhatARequestCannotUse(t *testing.T) {
	ran := make(chan string, 8)
	prove := func(ctx context.Context, req proveRequest) (*proveResult, error) {
		ran <- "prove " + req.Theorem
		return &proveResult{Theorem: req.Theorem, Stop: "budget"}, nil
	}
	c, svc, _ := startService(t, prove, serviceLimits{maxWorkers: 4})
	svc.batch = func(ctx context.Context, job batchJob, progress batchProgress) (*batchOutcome, error) {
		ran <- "batch"
		return &batchOutcome{}, nil
	}
	tests := []struct {
		method string
		params map[string]any
		want   string
	}{
		{"batch", map[string]any{"paths": []string{"T.lean"}, "workers": 4}, `"parallel" sets the theorems`},
		{"batch", map[string]any{"paths": []string{"T.lean"}, "theorem": "x"}, `"theorem", "file" and "workers" belong to prove`},
		{"batch", map[string]any{"paths": []string{"T.lean"}, "parallel": 5}, `"parallel" is 5, more than the 4`},
		{"batch", map[string]any{"paths": []string{"T.lean"}, "parallel": -1}, `"parallel" must not be negative`},
		{"prove", map[string]any{"theorem": "x", "workers": 64}, `"workers" is 64, more than the 4`},
	}
	for i, tt := range tests {
		c.call(i+1, tt.method, tt.params)
		r := c.recv()
		if r.Error == nil || r.Error.Code != jsonrpc2.CodeInvalidParams || !strings.Contains(r.Error.Message, tt.want) {
			t.Errorf("%s %v answered %s %+v, want invalid params saying %s", tt.method, tt.params, r.Result, r.Error, tt.want)
		}
	}
	c.call(99, "prove", map[string]any{"theorem": "ok", "workers": 4})
	if r := c.recv(); r.Error != nil {
		t.Errorf("prove within the bound answered %+v", r.Error)
	}
	if got := <-ran; got != "prove ok" {
		t.Errorf("ran %q first, want only the request within bounds", got)
	}
}

// TestServiceCancelledBatchSaysHowToResume: a cancelled batch's answer
// keeps what the batch said as it stopped (where its results are).
func TestServiceCancelledBatchSaysHowToResume(t *testing.T) {
	started := make(chan struct{})
	c, svc, _ := startService(t, provedBy("rfl"), serviceLimits{})
	svc.batch = func(ctx context.Context, job batchJob, progress batchProgress) (*batchOutcome, error) {
		close(started)
		<-ctx.Done()
		return nil, errors.New("batch b-1 interrupted; run the same batch again to resume")
	}
	c.call(1, "batch", map[string]any{"paths": []string{"T.lean"}})
	<-started
	c.call(2, "cancel", map[string]any{"id": 1})
	for range 2 {
		r := c.recv()
		if *r.ID != 1 {
			continue
		}
		if r.Error == nil || r.Error.Code != codeCancelled || !strings.Contains(r.Error.Message, "run the same batch again") {
			t.Errorf("cancelled batch answered %+v, want code %d saying how to resume", r.Error, codeCancelled)
		}
	}
}
