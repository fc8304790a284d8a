package leanrpctest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/leanrpc/leanrpctest"
)

// rawClient talks to the fake with the bare library, so tests can break
// the protocol on purpose and see every message in order.
type rawClient struct {
	conn *jsonrpc2.Conn
	srv  *leanrpctest.Server
	mu   sync.Mutex
	msgs []jsonrpc2.Request // notifications and requests from the server, in order
}

func (c *rawClient) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	c.mu.Lock()
	c.msgs = append(c.msgs, *req)
	c.mu.Unlock()
	if !req.Notif {
		id := req.ID
		go func() { _ = conn.Reply(context.Background(), id, nil) }()
	}
}

func (c *rawClient) received() []jsonrpc2.Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]jsonrpc2.Request(nil), c.msgs...)
}

func newRaw(t *testing.T, opts leanrpctest.Options, initialize bool) *rawClient {
	t.Helper()
	a, b := net.Pipe()
	if opts.Semantics == nil {
		opts.Semantics = &leanrpctest.Script{
			Theorems: map[string]string{"*": "n : Nat\n⊢ n + 0 = n"},
			Steps: []leanrpctest.ScriptStep{
				{Tactic: "simp", NewState: "no goals"},
				{Tactic: "induction n", NewState: "case zero\n⊢ 0 + 0 = 0\n\ncase succ\nn : Nat\n⊢ n + 1 + 0 = n + 1"},
				{Tactic: "hang", Result: leanrpctest.Result{Hang: true}},
				{Tactic: "boom", Result: leanrpctest.Result{Crash: true}},
			},
		}
	}
	c := &rawClient{}
	c.srv = leanrpctest.Serve(context.Background(), b, opts)
	c.conn = jsonrpc2.NewConn(context.Background(), jsonrpc2.NewBufferedStream(a, jsonrpc2.VSCodeObjectCodec{}), c)
	t.Cleanup(func() {
		_ = c.conn.Close()
		_ = c.srv.Close()
		if t.Failed() {
			t.Logf("protocol exchange:\n%s", c.srv.Log())
		}
	})
	if initialize {
		c.call(t, "initialize", map[string]any{"capabilities": map[string]any{"lean": map[string]any{"silentDiagnosticSupport": true}}}, nil)
		c.notify(t, "initialized", map[string]any{})
	}
	return c
}

func (c *rawClient) call(t *testing.T, method string, params, result any) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return c.conn.Call(ctx, method, params, result)
}

func (c *rawClient) notify(t *testing.T, method string, params any) {
	t.Helper()
	if err := c.conn.Notify(context.Background(), method, params); err != nil {
		t.Fatalf("notify %s: %v", method, err)
	}
}

const docText = "import Init\n\ntheorem foo (n : Nat) : n + 0 = n := by\n  induction n\n"

func (c *rawClient) open(t *testing.T, uri, text string, version int) {
	c.notify(t, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": uri, "languageId": "lean4", "version": version, "text": text}, "dependencyBuildMode": "never"})
}

func (c *rawClient) change(t *testing.T, uri string, version int, changes ...map[string]any) {
	c.notify(t, "textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": changes})
}

func rpcCode(err error) int64 {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

func TestHandshakeAndRegisterCapability(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{}, true)
	awaitStats(t, c.srv, func(st leanrpctest.Stats) bool { return st.RegisterAnswered })
	msgs := c.received()
	if len(msgs) == 0 || msgs[0].Method != "client/registerCapability" || msgs[0].ID.Str != "register_lean_watcher" {
		t.Fatalf("first server message = %+v, want the register_lean_watcher request", msgs)
	}
}

func TestHandshakeOrderIsEnforced(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{}, false)
	c.notify(t, "initialized", map[string]any{})
	select {
	case <-c.srv.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("fake server kept running after a message before initialize")
	}
	if v := c.srv.Violations(); len(v) != 1 || !strings.Contains(v[0], "initialize") {
		t.Errorf("violations = %q", v)
	}
}

func TestPublishOrderAndBarrier(t *testing.T) {
	for _, plain := range []bool{false, true} {
		c := newRaw(t, leanrpctest.Options{Plain: plain}, true)
		uri := "file:///p/W.lean"
		c.open(t, uri, docText, 1)
		if err := c.call(t, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 1}, nil); err != nil {
			t.Fatal(err)
		}
		var kinds []string
		var lastPublish leanrpc.PublishDiagnosticsParams
		for _, m := range c.received() {
			switch m.Method {
			case leanrpc.MethodFileProgress:
				var p leanrpc.FileProgressParams
				_ = json.Unmarshal(*m.Params, &p)
				if len(p.Processing) == 0 {
					kinds = append(kinds, "done")
				} else {
					kinds = append(kinds, "processing")
				}
			case leanrpc.MethodPublishDiagnostics:
				_ = json.Unmarshal(*m.Params, &lastPublish)
				kinds = append(kinds, "publish"+strconvItoa(len(lastPublish.Diagnostics)))
			}
		}
		want := []string{"processing", "publish1", "publish0", "done", "publish1"}
		if plain {
			want = []string{"processing", "publish1", "done"}
		}
		if !reflect.DeepEqual(kinds, want) {
			t.Errorf("plain=%v: notifications before the barrier answered = %q, want %q", plain, kinds, want)
		}
		// The final publish (before the response) holds the real result.
		if len(lastPublish.Diagnostics) != 1 || !lastPublish.Diagnostics[0].IsUnsolvedGoals() || *lastPublish.Version != 1 {
			t.Errorf("plain=%v: final publish = %+v", plain, lastPublish)
		}
	}
}

func strconvItoa(n int) string { return string(rune('0' + n)) }

func TestWaitForFutureVersionIsHeld(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{}, true)
	uri := "file:///p/W.lean"
	c.open(t, uri, docText, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w, err := c.conn.DispatchCall(ctx, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 2})
	if err != nil {
		t.Fatal(err)
	}
	// An empty change creates no version.
	c.change(t, uri, 2)
	if err := c.call(t, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 1}, nil); err != nil {
		t.Fatal(err)
	}
	c.change(t, uri, 2, map[string]any{"text": strings.Replace(docText, "induction n", "simp", 1)})
	if err := w.Wait(ctx, nil); err != nil {
		t.Fatalf("held wait for version 2: %v", err)
	}
	var g *leanrpc.PlainGoal
	if err := c.call(t, "$/lean/plainGoal", map[string]any{"textDocument": map[string]any{"uri": uri},
		"position": map[string]any{"line": 3, "character": 6}}, &g); err != nil || g == nil || g.Rendered != "no goals" {
		t.Errorf("plainGoal after simp = %+v, %v", g, err)
	}
}

func TestPlainGoalPositions(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{}, true)
	uri := "file:///p/W.lean"
	c.open(t, uri, docText, 1)
	if err := c.call(t, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 1}, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		line, char int
		goals      []string // nil: null
	}{
		{3, 2, []string{"n : Nat\n⊢ n + 0 = n"}},                                               // first character: before
		{3, 13, []string{"case zero\n⊢ 0 + 0 = 0", "case succ\nn : Nat\n⊢ n + 1 + 0 = n + 1"}}, // end of line: after
		{0, 3, nil}, // outside any tactic
	}
	for _, tt := range tests {
		var g *leanrpc.PlainGoal
		err := c.call(t, "$/lean/plainGoal", map[string]any{"textDocument": map[string]any{"uri": uri},
			"position": map[string]any{"line": tt.line, "character": tt.char}}, &g)
		if err != nil {
			t.Fatal(err)
		}
		if tt.goals == nil {
			if g != nil {
				t.Errorf("(%d,%d) = %+v, want null", tt.line, tt.char, g)
			}
			continue
		}
		if g == nil || !reflect.DeepEqual(g.Goals, tt.goals) || !strings.Contains(g.Rendered, "\n---\n") == (len(tt.goals) > 1) {
			t.Errorf("(%d,%d) = %+v, want %q", tt.line, tt.char, g, tt.goals)
		}
	}
}

func TestRangeEditsUseUTF16(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{}, true)
	uri := "file:///p/W.lean"
	text := "import Init\n-- 𝔘 is two UTF-16 units\ntheorem foo (n : Nat) : n + 0 = n := by\n  induction n\n"
	c.open(t, uri, text, 1)
	// Replace "induction n" (line 3, characters 2–13) by "simp".
	c.change(t, uri, 2, map[string]any{"text": "simp", "range": map[string]any{
		"start": map[string]any{"line": 3, "character": 2}, "end": map[string]any{"line": 3, "character": 13}}})
	// And a range edit after the non-BMP character on line 1: "𝔘" ends at character 5.
	c.change(t, uri, 3, map[string]any{"text": "U", "range": map[string]any{
		"start": map[string]any{"line": 1, "character": 3}, "end": map[string]any{"line": 1, "character": 5}}})
	if err := c.call(t, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 3}, nil); err != nil {
		t.Fatal(err)
	}
	var g *leanrpc.PlainGoal
	if err := c.call(t, "$/lean/plainGoal", map[string]any{"textDocument": map[string]any{"uri": uri},
		"position": map[string]any{"line": 3, "character": 6}}, &g); err != nil || g == nil || len(g.Goals) != 0 {
		t.Errorf("after range edits, plainGoal = %+v, %v; want no goals (simp)", g, err)
	}
	if v := c.srv.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
}

func TestErrorsAndViolations(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{}, true)
	uri := "file:///p/W.lean"
	if err := c.call(t, "$/lean/plainGoal", map[string]any{"textDocument": map[string]any{"uri": uri},
		"position": map[string]any{"line": 0, "character": 0}}, nil); rpcCode(err) != leanrpc.CodeContentModified ||
		!strings.Contains(err.Error(), "Cannot process request to closed file") {
		t.Errorf("request to a closed file = %v", err)
	}
	if err := c.call(t, "textDocument/hover", map[string]any{}, nil); rpcCode(err) != leanrpc.CodeMethodNotFound {
		t.Errorf("unknown method = %v", err)
	}
	c.open(t, uri, docText, 1)
	c.open(t, uri, docText, 2)
	c.change(t, uri, 2, map[string]any{"text": docText})
	if err := c.call(t, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 2}, nil); err != nil {
		t.Fatal(err)
	}
	v := c.srv.Violations()
	if len(v) != 2 || !strings.Contains(v[0], "already open") || !strings.Contains(v[1], "versions must increase") {
		t.Errorf("violations = %q", v)
	}
	// A pending barrier gets ContentModified on didClose, then an empty publish.
	c.change(t, uri, 3, map[string]any{"text": strings.Replace(docText, "induction n", "hang", 1)})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w, _ := c.conn.DispatchCall(ctx, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 3})
	awaitStats(t, c.srv, func(st leanrpctest.Stats) bool { return st.Waits >= 2 })
	c.notify(t, "textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	if err := w.Wait(ctx, nil); rpcCode(err) != leanrpc.CodeContentModified || !strings.Contains(err.Error(), "has been terminated") {
		t.Errorf("pending wait after didClose = %v", err)
	}
	// Shutdown, then requests fail, exit with params is ignored, exit ends it.
	if err := c.call(t, "shutdown", json.RawMessage("null"), nil); err != nil {
		t.Fatal(err)
	}
	if err := c.call(t, "$/lean/plainGoal", map[string]any{}, nil); rpcCode(err) != leanrpc.CodeInvalidRequest {
		t.Errorf("request after shutdown = %v", err)
	}
	c.notify(t, "exit", map[string]any{})
	c.notify(t, "exit", nil)
	select {
	case <-c.srv.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("exit did not stop the server")
	}
	if v := c.srv.Violations(); len(v) != 3 || !strings.Contains(v[2], "exit sent with params") {
		t.Errorf("violations = %q", v)
	}
}

func TestRequestWithoutParamsKillsServer(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{}, true)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, _ = c.conn.DispatchCall(ctx, "textDocument/waitForDiagnostics", nil)
	select {
	case <-c.srv.Done():
	case <-ctx.Done():
		t.Fatal("server survived a request without params")
	}
	if v := c.srv.Violations(); len(v) != 1 || !strings.Contains(v[0], "without params") {
		t.Errorf("violations = %q", v)
	}
}

func TestCrashSemantics(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{Latency: 20 * time.Millisecond}, true)
	uri := "file:///p/W.lean"
	c.open(t, uri, strings.Replace(docText, "induction n", "boom", 1), 1)
	err := c.call(t, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 1}, nil)
	if rpcCode(err) != leanrpc.CodeWorkerCrashed || !strings.Contains(err.Error(), "crashed") {
		t.Fatalf("wait on a crashing version = %v, want -32902", err)
	}
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		fatal := false
		for _, m := range c.received() {
			if m.Method == leanrpc.MethodFileProgress && strings.Contains(string(*m.Params), `"kind":2`) {
				fatal = true
			}
		}
		if fatal {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no fatalError progress after the crash")
		}
	}
	// Requests to the crashed file wait for the revival by didChange.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	w, _ := c.conn.DispatchCall(ctx, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 2})
	c.change(t, uri, 2, map[string]any{"text": docText})
	if err := w.Wait(ctx, nil); err != nil {
		t.Fatalf("wait after revival: %v", err)
	}
	if st := c.srv.Stats(); st.Crashes != 1 || st.Revivals != 1 {
		t.Errorf("stats = %+v", st)
	}
}

// TestDiagnosticShapesMatchRecordings compares the fake's diagnostics with
// the recorded real ones (lean-lsp.md §11 E8, E16, E18): same fields.
func TestDiagnosticShapesMatchRecordings(t *testing.T) {
	c := newRaw(t, leanrpctest.Options{Plain: true}, true)
	keysOf := func(raw json.RawMessage) []string {
		var m map[string]json.RawMessage
		_ = json.Unmarshal(raw, &m)
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys
	}
	recorded := func(file string, i int) []string {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "golden", file+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var p struct{ Diagnostics []json.RawMessage }
		if err := json.Unmarshal(data, &p); err != nil {
			t.Fatal(err)
		}
		return keysOf(p.Diagnostics[i])
	}
	tests := []struct {
		tactic, file string
		index        int
	}{
		{"induction n", "E8", 1}, // unsolved goals
		{"sorry", "E16", 0},      // declaration uses 'sorry'
		{"simp", "E18", 0},       // Goals accomplished!
	}
	for i, tt := range tests {
		uri := "file:///p/S" + strconvItoa(i) + ".lean"
		c.open(t, uri, strings.Replace(docText, "induction n", tt.tactic, 1), 1)
		if err := c.call(t, "textDocument/waitForDiagnostics", map[string]any{"uri": uri, "version": 1}, nil); err != nil {
			t.Fatal(err)
		}
		var last json.RawMessage
		for _, m := range c.received() {
			if m.Method == leanrpc.MethodPublishDiagnostics && strings.Contains(string(*m.Params), uri) {
				var p struct{ Diagnostics []json.RawMessage }
				_ = json.Unmarshal(*m.Params, &p)
				if len(p.Diagnostics) > 0 {
					last = p.Diagnostics[len(p.Diagnostics)-1]
				}
			}
		}
		if got, want := keysOf(last), recorded(tt.file, tt.index); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: fake diagnostic fields %q, recorded %q", tt.tactic, got, want)
		}
	}
}

func awaitStats(t *testing.T, srv *leanrpctest.Server, cond func(leanrpctest.Stats) bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(srv.Stats()); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("condition never held; stats %+v", srv.Stats())
		}
	}
}
