package leanrpctest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/leanprove/leanprove/leanrpc"
)

// Options configures a fake server.
type Options struct {
	Semantics Semantics
	// Latency delays the end of each version's elaboration.
	Latency time.Duration
	// Plain turns off the quirks the real server shows and a client must
	// survive (on by default): an empty publishDiagnostics before the
	// real one, "processing: []" sent before the final publish, and Lake
	// "Building" information diagnostics on open, cleared afterwards
	// (lean-lsp.md §1.2, §4.4, §10.3).
	Plain bool
	// InjectStale additionally sends, after each final publish, a publish
	// and a fileProgress for an older version carrying a bogus error. The
	// real server never does this; a correct client ignores them.
	InjectStale bool
	// Log, when set, receives the protocol exchange as it happens.
	Log io.Writer
	// DisableLog keeps no protocol log (for benchmarks: the log grows with
	// every message and costs a JSON encoding each).
	DisableLog bool
	// StickyHang keeps a document that hung hanging for every later
	// version, like a worker pinned in a computation that never checks for
	// cancellation; only didClose and didOpen recover it.
	StickyHang bool
	// FileChangedOnce answers the first plainGoal with -32801 "File
	// changed.", as Lean does for a request overtaken by an edit.
	FileChangedOnce bool
	// SkipFinalPublish never publishes a version's final diagnostics
	// (with Plain, a version then gets none at all): a misbehaviour the
	// client must not mistake for "no errors".
	SkipFinalPublish bool
	// ContextError, when set, is reported as an error on the first
	// declaration before the theorem under proof (a broken earlier lemma).
	ContextError string
	// HeaderError, when set, is reported as an error on line 1 of every
	// document, as Lean reports a failed import ("unknown module prefix").
	HeaderError string
	// ExitProcess is called when a tactic's Result says ExitProcess; the
	// stand-in executable exits, in process the connection is dropped.
	ExitProcess func()
}

// Stats counts what the fake saw.
type Stats struct {
	Opens, Changes, Closes, Waits, Goals, Cancels, Crashes, Revivals int
	RegisterAnswered                                                 bool
	Initialized, ShutdownSeen, Exited                                bool
	CancelledIDs                                                     []string
}

// Server is a fake Lean language server (watchdog and workers in one)
// speaking the real wire protocol over one connection.
type Server struct {
	opts Options
	conn *jsonrpc2.Conn

	queue   chan func()
	done    chan struct{}
	wg      sync.WaitGroup
	closing sync.Once

	// Everything below is owned by the event loop, except where noted.
	docs        map[string]*doc
	phase       int // 0 before initialize, 1 after, 2 after initialized, 3 after shutdown
	silent      bool
	incremental bool // the client advertised incrementalDiagnosticSupport
	// fileChangedSent: the one FileChangedOnce answer was given.
	fileChangedSent bool
	heldCrashed     map[string][]heldRequest // requests to crashed files, run on revival

	mu         sync.Mutex // guards stats, violations, log
	stats      Stats
	violations []string
	log        bytes.Buffer
}

type doc struct {
	uri      string
	version  int
	text     string
	crashed  bool
	finished int // last version whose elaboration finished
	waits    []pendingWait
	elab     *elaboration // result for version `finished`
	lakeInfo bool         // Lake info diagnostics shown once, on open
	stuck    bool         // a StickyHang happened
}

type heldRequest struct {
	id  jsonrpc2.ID
	run func()
}

type pendingWait struct {
	id      jsonrpc2.ID
	version int
}

// Serve runs a fake server on rwc until the client exits or the
// connection closes.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) *Server {
	s := &Server{opts: opts, queue: make(chan func(), 4096), done: make(chan struct{}),
		docs: map[string]*doc{}, heldCrashed: map[string][]heldRequest{}}
	logOpts := []jsonrpc2.ConnOpt{jsonrpc2.SetLogger(s)}
	if !opts.DisableLog {
		logOpts = append(logOpts,
			jsonrpc2.OnRecv(func(req *jsonrpc2.Request, resp *jsonrpc2.Response) { s.logMsg("client→", req, resp) }),
			jsonrpc2.OnSend(func(req *jsonrpc2.Request, resp *jsonrpc2.Response) { s.logMsg("server→", req, resp) }))
	}
	s.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(rwc, jsonrpc2.VSCodeObjectCodec{}),
		queueHandler{s}, logOpts...)
	s.wg.Add(1)
	go s.loop()
	return s
}

// Printf receives the jsonrpc2 library's own log lines.
func (s *Server) Printf(format string, args ...any) {
	s.mu.Lock()
	fmt.Fprintf(&s.log, format, args...)
	s.mu.Unlock()
}

func (s *Server) logMsg(dir string, req *jsonrpc2.Request, resp *jsonrpc2.Response) {
	var data []byte
	if resp != nil {
		data, _ = json.Marshal(resp)
	} else {
		data, _ = json.Marshal(req)
	}
	s.mu.Lock()
	fmt.Fprintf(&s.log, "%s %s\n", dir, data)
	if s.opts.Log != nil {
		fmt.Fprintf(s.opts.Log, "%s %s\n", dir, data)
	}
	s.mu.Unlock()
}

// Log returns the protocol exchange so far.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// Violations lists protocol rules the client broke (a request without
// params, an outdated version, a didOpen of an open file, …): each one
// would make the real server misbehave or die.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.violations...)
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.CancelledIDs = append([]string(nil), s.stats.CancelledIDs...)
	return st
}

// Done is closed when the server has stopped (exit or connection closed).
func (s *Server) Done() <-chan struct{} { return s.done }

// Close stops the server and closes its connection.
func (s *Server) Close() error {
	s.stop()
	s.wg.Wait()
	return nil
}

// Kill drops the connection as a dying server process would.
func (s *Server) Kill() { s.stop() }

func (s *Server) stop() {
	s.closing.Do(func() {
		close(s.done)
		_ = s.conn.Close()
	})
}

func (s *Server) violation(format string, args ...any) {
	s.mu.Lock()
	s.violations = append(s.violations, fmt.Sprintf(format, args...))
	s.mu.Unlock()
}

func (s *Server) stat(f func(*Stats)) {
	s.mu.Lock()
	f(&s.stats)
	s.mu.Unlock()
}

// queueHandler runs on the connection's read loop: it only queues the
// message for the event loop, which replies when the semantics say so.
type queueHandler struct{ s *Server }

func (h queueHandler) Handle(_ context.Context, _ *jsonrpc2.Conn, req *jsonrpc2.Request) {
	r := *req
	select {
	case h.s.queue <- func() { h.s.dispatch(r) }:
	case <-h.s.done:
	}
}

func (s *Server) loop() {
	defer s.wg.Done()
	for {
		select {
		case f := <-s.queue:
			f()
		case <-s.done:
			return
		case <-s.conn.DisconnectNotify():
			s.stop()
			return
		}
	}
}

// after queues f on the loop after d (the loop stays free meanwhile).
func (s *Server) after(d time.Duration, f func()) {
	if d <= 0 {
		f()
		return
	}
	time.AfterFunc(d, func() {
		select {
		case s.queue <- f:
		case <-s.done:
		}
	})
}

func (s *Server) notify(method string, params any) {
	_ = s.conn.Notify(context.Background(), method, params)
}

func (s *Server) reply(id jsonrpc2.ID, result any) {
	_ = s.conn.Reply(context.Background(), id, result)
}

func (s *Server) replyErr(id jsonrpc2.ID, code int64, msg string) {
	_ = s.conn.ReplyWithError(context.Background(), id, &jsonrpc2.Error{Code: code, Message: msg})
}

// die mimics the real watchdog's reaction to an invalid message: it exits.
func (s *Server) die(format string, args ...any) {
	s.violation(format, args...)
	s.stop()
}

func (s *Server) dispatch(req jsonrpc2.Request) {
	method := req.Method
	// Handshake order is strict (lean-lsp.md §3.3).
	switch s.phase {
	case 0:
		if method != leanrpc.MethodInitialize || req.Notif {
			s.die("first message must be the initialize request, got %q", method)
			return
		}
	case 1:
		if method != leanrpc.MethodInitialized || !req.Notif {
			s.die("second message must be the initialized notification, got %q", method)
			return
		}
	}
	if s.phase == 3 {
		if method == leanrpc.MethodExit && req.Notif {
			if req.Params != nil && string(*req.Params) != "null" {
				s.violation("exit sent with params %s: the real watchdog ignores it and keeps running", *req.Params)
				return
			}
			s.stat(func(st *Stats) { st.Exited = true })
			s.stop()
			return
		}
		if !req.Notif {
			s.replyErr(req.ID, leanrpc.CodeInvalidRequest, "Request received after 'shutdown' request.")
		}
		return
	}
	// Every message but shutdown and exit must carry params (§2.2).
	if req.Params == nil && method != leanrpc.MethodShutdown && method != leanrpc.MethodExit {
		s.die("%s sent without params: the real watchdog dies with \"Got invalid JSON-RPC message\"", method)
		return
	}
	if req.Notif {
		s.notification(method, req)
		return
	}
	s.request(method, req)
}

var initializeResult = json.RawMessage(`{"capabilities":{"textDocumentSync":{"openClose":true,"change":2,` +
	`"willSave":false,"willSaveWaitUntil":false,"save":{"includeText":true}},"hoverProvider":true,` +
	`"completionProvider":{"triggerCharacters":["."],"resolveProvider":true},"definitionProvider":true},` +
	`"serverInfo":{"name":"Lean 4 Server","version":"0.2.0"}}`)

// applyChanges applies full and range changes in order.
func applyChanges(text string, changes []leanrpc.ContentChange) (string, error) {
	for _, c := range changes {
		if c.Range == nil {
			text = c.Text
			continue
		}
		start, err := offsetOf(text, c.Range.Start)
		if err != nil {
			return "", err
		}
		end, err := offsetOf(text, c.Range.End)
		if err != nil {
			return "", err
		}
		if end < start {
			return "", fmt.Errorf("range end before start")
		}
		text = text[:start] + c.Text + text[end:]
	}
	return strings.ReplaceAll(text, "\r\n", "\n"), nil
}

// offsetOf converts an LSP position (UTF-16 columns) to a byte offset.
func offsetOf(text string, p leanrpc.Position) (int, error) {
	off := 0
	for line := 0; line < p.Line; line++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return 0, fmt.Errorf("line %d beyond the end of the document", p.Line)
		}
		off += i + 1
	}
	col := 0
	for i, r := range text[off:] {
		if col >= p.Character || r == '\n' {
			return off + i, nil
		}
		if r >= 0x10000 {
			col += 2
		} else {
			col++
		}
	}
	return len(text), nil
}
