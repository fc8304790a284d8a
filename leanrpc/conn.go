package leanrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/jsonrpc2"
)

// DefaultRequestTimeout bounds a request whose context has no deadline.
const DefaultRequestTimeout = 60 * time.Second

// ConnOptions configures a Conn. The zero value is usable.
type ConnOptions struct {
	// RequestTimeout bounds every request whose context carries no earlier
	// deadline; 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// ProtocolLog, when set, receives every message in both directions.
	ProtocolLog io.Writer
	// IncrementalDiagnostics advertises incrementalDiagnosticSupport
	// (≥ v4.31): publishes with isIncremental append. Off by default, as
	// lean-lsp.md §4.5 recommends.
	IncrementalDiagnostics bool
}

// Conn is one LSP connection to a Lean server. Its handler never blocks the
// read loop: notifications are folded into per-document state under a mutex
// and waiters are signalled; server→client requests are answered with null
// from a separate goroutine. Requests use string IDs so that a call whose
// context ends can be cancelled with $/cancelRequest.
type Conn struct {
	rpc     *jsonrpc2.Conn
	opts    ConnOptions
	nextID  atomic.Uint64
	replies conc.WaitGroup

	mu   sync.Mutex
	docs map[string]*docState
	// versions is the last version sent per URI; it survives didClose so
	// that versions stay monotonic across re-opens (lean-lsp.md §4.2).
	versions map[string]int
	stale    int // notifications dropped because a newer version was sent
	logMu    sync.Mutex
}

// docState is what the notifications told us about one open document.
type docState struct {
	diagVersion int // version of diags; 0 when none arrived yet
	diags       []Diagnostic
	fatal       int // latest version with a fatalError progress; 0 when none
	publishes   int // count, for tests and logs
	// watchers are barriers waiting on a version; a fatalError progress
	// ends them, since Lean holds requests to a crashed file until the
	// next didChange (lean-lsp.md §1.4).
	watchers []crashWatcher
}

type crashWatcher struct {
	version int
	cancel  context.CancelCauseFunc
}

// NewConn speaks LSP over rwc (Content-Length framing). Close the Conn, not
// rwc.
func NewConn(ctx context.Context, rwc io.ReadWriteCloser, opts ConnOptions) *Conn {
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	c := &Conn{opts: opts, docs: map[string]*docState{}, versions: map[string]int{}}
	var connOpts []jsonrpc2.ConnOpt
	if opts.ProtocolLog != nil {
		connOpts = append(connOpts,
			jsonrpc2.OnRecv(func(req *jsonrpc2.Request, resp *jsonrpc2.Response) { c.logMessage("←", req, resp) }),
			jsonrpc2.OnSend(func(req *jsonrpc2.Request, resp *jsonrpc2.Response) { c.logMessage("→", req, resp) }))
	}
	// The library logs protocol errors to stderr by default; keep them in
	// the protocol log instead.
	connOpts = append(connOpts, jsonrpc2.SetLogger(logWriter{c}))
	c.rpc = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(rwc, jsonrpc2.VSCodeObjectCodec{}), handler{c}, connOpts...)
	return c
}

type logWriter struct{ c *Conn }

func (l logWriter) Printf(format string, args ...any) {
	if l.c.opts.ProtocolLog != nil {
		l.c.logMu.Lock()
		fmt.Fprintf(l.c.opts.ProtocolLog, format, args...)
		l.c.logMu.Unlock()
	}
}

func (c *Conn) logMessage(dir string, req *jsonrpc2.Request, resp *jsonrpc2.Response) {
	var data []byte
	if resp != nil {
		data, _ = json.Marshal(resp)
	} else if req != nil {
		data, _ = json.Marshal(req)
	}
	c.logMu.Lock()
	fmt.Fprintf(c.opts.ProtocolLog, "%s %s\n", dir, data)
	c.logMu.Unlock()
}

// handler is the non-blocking jsonrpc2 handler (go-style.md §1.2).
type handler struct{ c *Conn }

func (h handler) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	if !req.Notif {
		// client/registerCapability, workspace/semanticTokens/refresh, …:
		// answer null, off the read loop (a write can block on a pipe).
		id := req.ID
		h.c.replies.Go(func() { _ = conn.Reply(context.WithoutCancel(ctx), id, nil) })
		return
	}
	if req.Params != nil {
		h.c.handleNotification(req.Method, *req.Params)
	}
}

// handleNotification folds one server notification into the documents'
// state. Malformed payloads are ignored: Lean's own messages always parse,
// and a garbled one must not take the client down.
func (c *Conn) handleNotification(method string, params json.RawMessage) {
	switch method {
	case MethodPublishDiagnostics:
		var p PublishDiagnosticsParams
		if json.Unmarshal(params, &p) == nil {
			c.onPublish(&p)
		}
	case MethodFileProgress:
		var p FileProgressParams
		if json.Unmarshal(params, &p) == nil {
			c.onProgress(&p)
		}
	}
}

func (c *Conn) onPublish(p *PublishDiagnosticsParams) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.docs[p.URI]
	if d == nil {
		return // closed or never opened: the empty publish after didClose lands here
	}
	v := c.versions[p.URI]
	if p.Version != nil {
		v = *p.Version
	}
	switch {
	case v < c.versions[p.URI] || v < d.diagVersion:
		c.stale++ // a version we already replaced: ignore
		return
	case p.IsIncremental && v == d.diagVersion:
		d.diags = append(d.diags, p.Diagnostics...)
	default:
		d.diags = append([]Diagnostic(nil), p.Diagnostics...)
	}
	d.diagVersion = v
	d.publishes++
}

func (c *Conn) onProgress(p *FileProgressParams) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.docs[p.TextDocument.URI]
	if d == nil || p.TextDocument.Version < c.versions[p.TextDocument.URI] {
		return
	}
	for _, r := range p.Processing {
		if r.Kind == ProgressFatalError {
			d.fatal = max(d.fatal, p.TextDocument.Version)
		}
	}
	if d.fatal < p.TextDocument.Version {
		return
	}
	kept := d.watchers[:0]
	for _, w := range d.watchers {
		if w.version <= d.fatal {
			w.cancel(&RequestError{Method: MethodWaitForDiagnostics, Code: CodeWorkerCrashed,
				Message: "Lean reported a fatal error (kind 2) in $/lean/fileProgress for " + p.TextDocument.URI})
		} else {
			kept = append(kept, w)
		}
	}
	d.watchers = kept
}

// StaleNotifications counts publishDiagnostics dropped because they were
// for a version older than the newest one sent.
func (c *Conn) StaleNotifications() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stale
}

// A RequestError is an error response from the server.
type RequestError struct {
	Method  string
	Code    int64
	Message string
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("%s: Lean answered error %d: %s", e.Method, e.Code, e.Message)
}

// IsCrash reports whether the error says the file worker died.
func (e *RequestError) IsCrash() bool {
	return e.Code == CodeWorkerExited || e.Code == CodeWorkerCrashed
}

// call sends a request with a string ID, bounded by the context's deadline
// (RequestTimeout when it has none, so no request waits forever), and sends
// $/cancelRequest when the context ends first.
func (c *Conn) call(ctx context.Context, method string, params, result any) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.opts.RequestTimeout)
		defer cancel()
	}
	id := jsonrpc2.ID{Str: "c" + strconv.FormatUint(c.nextID.Add(1), 10), IsString: true}
	w, err := c.rpc.DispatchCall(ctx, method, params, jsonrpc2.PickID(id))
	if err != nil {
		return c.connError(method, err)
	}
	err = w.Wait(ctx, result)
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		// Tell Lean to stop; the notification itself must not be cancelled.
		_ = c.rpc.Notify(context.WithoutCancel(ctx), MethodCancelRequest, map[string]any{"id": id.Str})
		var re *RequestError
		if errors.As(context.Cause(ctx), &re) {
			return re
		}
		return fmt.Errorf("%s: %w", method, ctx.Err())
	}
	var rpcErr *jsonrpc2.Error
	if errors.As(err, &rpcErr) {
		return &RequestError{Method: method, Code: rpcErr.Code, Message: rpcErr.Message}
	}
	return c.connError(method, err)
}

func (c *Conn) connError(method string, err error) error {
	if errors.Is(err, jsonrpc2.ErrClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe) || errors.Is(err, os.ErrClosed) {
		return fmt.Errorf("%s: %w", method, ErrServerExited)
	}
	return fmt.Errorf("%s: %w", method, err)
}

func (c *Conn) notify(ctx context.Context, method string, params any) error {
	if err := c.rpc.Notify(ctx, method, params); err != nil {
		return c.connError(method, err)
	}
	return nil
}

// Initialize runs the handshake: initialize, wait for its answer, then
// initialized (lean-lsp.md §3.3: the order is strict).
func (c *Conn) Initialize(ctx context.Context, rootURI string) (*InitializeResult, error) {
	caps := map[string]any{"lean": map[string]any{"silentDiagnosticSupport": true}}
	if c.opts.IncrementalDiagnostics {
		caps["lean"].(map[string]any)["incrementalDiagnosticSupport"] = true
	}
	capsJSON, _ := json.Marshal(caps)
	params := InitializeParams{
		ProcessID:             os.Getpid(),
		ClientInfo:            &ClientInfo{Name: "leanprove"},
		RootURI:               rootURI,
		InitializationOptions: json.RawMessage(`{"hasWidgets":false}`),
		Capabilities:          capsJSON,
	}
	var res InitializeResult
	if err := c.call(ctx, MethodInitialize, params, &res); err != nil {
		return nil, err
	}
	if err := c.notify(ctx, MethodInitialized, struct{}{}); err != nil {
		return nil, err
	}
	return &res, nil
}

// Shutdown sends shutdown (params null) and then exit (no params).
func (c *Conn) Shutdown(ctx context.Context) error {
	null := json.RawMessage("null")
	if err := c.call(ctx, MethodShutdown, &null, nil); err != nil {
		return err
	}
	return c.notify(ctx, MethodExit, nil)
}

// Close closes the connection and waits for pending replies.
func (c *Conn) Close() error {
	err := c.rpc.Close()
	c.replies.Wait()
	if errors.Is(err, jsonrpc2.ErrClosed) {
		return nil
	}
	return err
}

// Done is closed when the connection ends (the server exited).
func (c *Conn) Done() <-chan struct{} { return c.rpc.DisconnectNotify() }

// nextVersion reserves the next version for uri.
func (c *Conn) nextVersion(uri string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.versions[uri]++
	return c.versions[uri]
}

// DidOpen opens uri at a fresh version and returns it. The URI must not be
// open already (lean-lsp.md §4.1: that would leak a worker).
func (c *Conn) DidOpen(ctx context.Context, uri, text string) (int, error) {
	c.mu.Lock()
	if c.docs[uri] != nil {
		c.mu.Unlock()
		return 0, fmt.Errorf("%s: %s is already open", MethodDidOpen, uri)
	}
	c.docs[uri] = &docState{}
	c.versions[uri]++
	v := c.versions[uri]
	c.mu.Unlock()
	err := c.notify(ctx, MethodDidOpen, DidOpenParams{
		TextDocument:        TextDocumentItem{URI: uri, LanguageID: "lean4", Version: v, Text: text},
		DependencyBuildMode: "never",
	})
	return v, err
}

// DidChange replaces the whole text of uri at a fresh version and returns
// it. Lean reuses the elaboration of the unchanged prefix, so a full-text
// change costs no more than a range edit on its side.
func (c *Conn) DidChange(ctx context.Context, uri, text string) (int, error) {
	v := c.nextVersion(uri)
	err := c.notify(ctx, MethodDidChange, DidChangeParams{
		TextDocument:   VersionedTextDocumentIdentifier{URI: uri, Version: v},
		ContentChanges: []ContentChange{{Text: text}},
	})
	return v, err
}

// DidChangeText moves uri from oldText (what the server holds) to newText
// at a fresh version with one range edit that replaces everything from the
// first changed line to the end. Only the changed tail travels, so the
// cost of an edit does not grow with the context above the proof. When
// the texts are equal the whole text is sent, so that the change still
// creates a version (an empty change would not, lean-lsp.md §4.2) — that
// is how a crashed worker is revived with the same text.
func (c *Conn) DidChangeText(ctx context.Context, uri, oldText, newText string) (int, error) {
	if oldText == newText {
		return c.DidChange(ctx, uri, newText)
	}
	i := 0
	for i < len(oldText) && i < len(newText) && oldText[i] == newText[i] {
		i++
	}
	lineStart := strings.LastIndexByte(oldText[:i], '\n') + 1
	start := Position{Line: strings.Count(oldText[:lineStart], "\n")}
	v := c.nextVersion(uri)
	err := c.notify(ctx, MethodDidChange, DidChangeParams{
		TextDocument: VersionedTextDocumentIdentifier{URI: uri, Version: v},
		ContentChanges: []ContentChange{{
			Range: &Range{Start: start, End: EndOfText(oldText)},
			Text:  newText[lineStart:],
		}},
	})
	return v, err
}

// DidClose closes uri and forgets its diagnostics.
func (c *Conn) DidClose(ctx context.Context, uri string) error {
	c.mu.Lock()
	delete(c.docs, uri)
	c.mu.Unlock()
	return c.notify(ctx, MethodDidClose, DidCloseParams{TextDocument: TextDocumentIdentifier{URI: uri}})
}

// WaitForDiagnostics is the barrier: it returns when Lean has published
// the final diagnostics of version (or a later one).
//
// A fatalError progress for that version ends the wait with a
// *RequestError whose IsCrash is true.
func (c *Conn) WaitForDiagnostics(ctx context.Context, uri string, version int) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	c.mu.Lock()
	if d := c.docs[uri]; d != nil {
		if d.fatal >= version {
			c.mu.Unlock()
			return &RequestError{Method: MethodWaitForDiagnostics, Code: CodeWorkerCrashed,
				Message: "Lean reported a fatal error for " + uri}
		}
		d.watchers = append(d.watchers, crashWatcher{version: version, cancel: cancel})
		defer c.unwatch(uri, version)
	}
	c.mu.Unlock()
	var res json.RawMessage
	return c.call(ctx, MethodWaitForDiagnostics, WaitForDiagnosticsParams{URI: uri, Version: version}, &res)
}

func (c *Conn) unwatch(uri string, version int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d := c.docs[uri]; d != nil {
		kept := d.watchers[:0]
		for _, w := range d.watchers {
			if w.version != version {
				kept = append(kept, w)
			}
		}
		d.watchers = kept
	}
}

// PlainGoal asks for the goals at pos; nil when Lean answers null.
func (c *Conn) PlainGoal(ctx context.Context, uri string, pos Position) (*PlainGoal, error) {
	var res *PlainGoal
	err := c.call(ctx, MethodPlainGoal, PlainGoalParams{TextDocument: TextDocumentIdentifier{URI: uri}, Position: pos}, &res)
	return res, err
}

// Diagnostics returns the diagnostics Lean last published for exactly
// version of uri, and whether any publish for that version arrived.
func (c *Conn) Diagnostics(uri string, version int) ([]Diagnostic, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.docs[uri]
	if d == nil || d.diagVersion != version {
		return nil, false
	}
	return append([]Diagnostic(nil), d.diags...), true
}

// Fatal reports whether Lean signalled a fatalError progress (a crashed or
// failed worker) for version of uri or later.
func (c *Conn) Fatal(uri string, version int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.docs[uri]
	return d != nil && d.fatal >= version
}
