package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/jsonrpc2"
)

// Error codes of the service beyond JSON-RPC's own.
const (
	codeBusy      = -32001 // every search slot is taken
	codeCancelled = -32800 // the request was cancelled (LSP's RequestCancelled)
	codeFailed    = -32002 // the search could not run (no Lean, a file that does not parse…)
)

// serviceLimits bound what one client can ask of the service.
type serviceLimits struct {
	maxRequestBytes int
	maxSearches     int
	requestTimeout  time.Duration
	grace           time.Duration // how long shutdown waits for searches before cancelling them
	// maxWorkers bounds the Lean documents one search slot may use (a
	// prove's workers, a batch's parallel), so that --max-searches bounds
	// the Lean work at once; 0: no bound.
	maxWorkers int
}

// proveService answers JSON-RPC 2.0 requests:
//
//	prove   {theorem, project?, file?, policy?, mode?, expansions?, calls?, wall_seconds?, seed?, workers?, write?} → proveResult
//	batch   {paths, db?, parallel?, and prove's settings but theorem, file and workers} → {run_id, db, summary}  (status shows its progress)
//	cancel  {id}  → {cancelled: bool}   (or the notification $/cancelRequest {id})
//	status  {}    → {searches: [...], max_searches}
//	shutdown {}   → {} and the service stops accepting work
//
// Each prove runs in its own goroutine, tracked so that shutdown can wait for
// it or cancel it; none outlives Serve.
type proveService struct {
	prove         proveFunc
	batch         batchFunc    // nil: the service runs no batches
	defaults      proveRequest // what a request leaves out (project, policy, budget)
	batchDefaults batchJob     // a batch's store and parallelism unless the request says
	limits        serviceLimits
	log           zerolog.Logger
	shutdown      context.CancelFunc // ends Serve, as a signal would

	baseCtx    context.Context    // parent of every search; cancelled to abort them
	abort      context.CancelFunc // cancels baseCtx
	work       conc.WaitGroup
	connsClose chan struct{} // closed once searches have drained: connections end

	mu       sync.Mutex
	searches map[string]*activeSearch // by "<conn>/<request id>"
	conns    int
	closing  bool // no new searches once shutdown began
}

type activeSearch struct {
	ID       string            `json:"id"`
	Theorem  string            `json:"theorem"` // or "batch PATH..."
	Started  time.Time         `json:"started"`
	Progress *countingProgress `json:"progress,omitempty"` // batches only
	cancel   context.CancelFunc
}

func newProveService(prove proveFunc, limits serviceLimits, log zerolog.Logger, shutdown context.CancelFunc) *proveService {
	base, abort := context.WithCancel(context.Background())
	return &proveService{
		prove: prove, limits: limits, log: log, shutdown: shutdown,
		baseCtx: base, abort: abort, searches: map[string]*activeSearch{},
		connsClose: make(chan struct{}),
	}
}

// serveConn runs one client connection until the client leaves or the
// service has drained its searches at shutdown. Connections outlive the
// shutdown request so that running searches can still answer.
func (s *proveService) serveConn(rwc io.ReadWriteCloser) {
	s.mu.Lock()
	s.conns++
	connID := s.conns
	s.mu.Unlock()
	h := &serviceHandler{svc: s, connID: connID}
	// The connection has a context of its own: jsonrpc2 closes a connection
	// when its context ends, and aborting searches must not cut their replies.
	conn := jsonrpc2.NewConn(context.Background(), newLineStream(rwc, s.limits.maxRequestBytes), h)
	select {
	case <-conn.DisconnectNotify():
	case <-s.connsClose:
		conn.Close()
	}
	h.cancelAll() // the client is gone: nobody will read these answers
}

// drain refuses new searches, waits for running ones for the grace period,
// then cancels them and waits for them to end.
func (s *proveService) drain() {
	s.mu.Lock()
	s.closing = true
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.work.Wait(); close(done) }()
	select {
	case <-done:
		return
	case <-time.After(s.limits.grace):
		s.log.Warn().Dur("grace", s.limits.grace).Msg("cancelling searches still running at shutdown")
		s.abort()
		<-done
	}
}

// serviceHandler handles the requests of one connection. Handle never
// blocks: searches run on the service's wait group.
type serviceHandler struct {
	svc    *proveService
	connID int
}

func (h *serviceHandler) key(id jsonrpc2.ID) string { return fmt.Sprintf("%d/%s", h.connID, id) }

func (h *serviceHandler) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	s := h.svc
	switch req.Method {
	case "prove":
		if req.Notif {
			return
		}
		h.startProve(conn, req)
	case "batch":
		if req.Notif {
			return
		}
		h.startBatch(conn, req)
	case "cancel", "$/cancelRequest":
		var p struct {
			ID jsonrpc2.ID `json:"id"`
		}
		err := unmarshalParams(req, &p)
		if req.Notif {
			if err == nil {
				h.cancel(p.ID)
			}
			return
		}
		if err != nil {
			replyErr(ctx, conn, req, jsonrpc2.CodeInvalidParams, err.Error())
			return
		}
		reply(ctx, conn, req, map[string]bool{"cancelled": h.cancel(p.ID)})
	case "status":
		if req.Notif {
			return
		}
		s.mu.Lock()
		list := make([]*activeSearch, 0, len(s.searches))
		for _, a := range s.searches {
			list = append(list, a)
		}
		s.mu.Unlock()
		sort.Slice(list, func(i, j int) bool { return list[i].Started.Before(list[j].Started) })
		reply(ctx, conn, req, map[string]any{"searches": list, "max_searches": s.limits.maxSearches})
	case "shutdown":
		if !req.Notif {
			reply(ctx, conn, req, struct{}{})
		}
		s.shutdown()
	default:
		if !req.Notif {
			replyErr(ctx, conn, req, jsonrpc2.CodeMethodNotFound, fmt.Sprintf("unknown method %q (want prove, batch, cancel, status or shutdown)", req.Method))
		}
	}
}

func (h *serviceHandler) startProve(conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	s := h.svc
	p := s.defaults
	if err := unmarshalParams(req, &p); err != nil {
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeInvalidParams, err.Error())
		return
	}
	if p.Theorem == "" {
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeInvalidParams, `"theorem" is required`)
		return
	}
	if err := s.checkWorkers("workers", p.Workers); err != nil {
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeInvalidParams, err.Error())
		return
	}
	h.start(conn, req, p.Theorem, nil, func(ctx context.Context) (any, error) { return s.prove(ctx, p) })
}

func (h *serviceHandler) startBatch(conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	s := h.svc
	if s.batch == nil {
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeMethodNotFound, "this service runs no batches")
		return
	}
	job := batchJob{proveRequest: s.defaults, DB: s.batchDefaults.DB, Theorems: s.batchDefaults.Theorems}
	if err := unmarshalParams(req, &job); err != nil {
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeInvalidParams, err.Error())
		return
	}
	if len(job.Paths) == 0 {
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeInvalidParams, `"paths" is required: .lean files or folders`)
		return
	}
	// prove's fields that a batch would silently ignore: "workers" in
	// particular is what the CLI's batch --workers means, but a batch
	// searches each theorem with one worker and "parallel" of them at once.
	if job.Theorem != "" || job.File != "" || job.Workers != 0 {
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeInvalidParams,
			`a batch proves every theorem with sorry under "paths", one worker each: "theorem", "file" and "workers" belong to prove; "parallel" sets the theorems searched at once`)
		return
	}
	if err := s.checkWorkers("parallel", job.Theorems); err != nil {
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeInvalidParams, err.Error())
		return
	}
	counts := &countingProgress{}
	h.start(conn, req, "batch "+strings.Join(job.Paths, " "), counts, func(ctx context.Context) (any, error) {
		return s.batch(ctx, job, counts)
	})
}

// start runs fn as one tracked search of the service: it takes a slot
// (refused as busy when none is free), can be cancelled, ends at the
// request timeout, and answers the request with fn's result.
func (h *serviceHandler) start(conn *jsonrpc2.Conn, req *jsonrpc2.Request, what string, progress *countingProgress, fn func(context.Context) (any, error)) {
	s := h.svc
	key := h.key(req.ID)
	ctx, cancel := context.WithTimeout(s.baseCtx, s.limits.requestTimeout)
	s.mu.Lock()
	switch {
	case s.closing:
		s.mu.Unlock()
		cancel()
		replyErr(s.baseCtx, conn, req, codeBusy, "the service is shutting down")
		return
	case s.searches[key] != nil:
		s.mu.Unlock()
		cancel()
		replyErr(s.baseCtx, conn, req, jsonrpc2.CodeInvalidRequest, "a search with id "+req.ID.String()+" is already running")
		return
	case len(s.searches) >= s.limits.maxSearches:
		n := len(s.searches)
		s.mu.Unlock()
		cancel()
		replyErr(s.baseCtx, conn, req, codeBusy, fmt.Sprintf("busy: %d of %d searches running; retry later (the server's --max-searches sets the limit)", n, s.limits.maxSearches))
		return
	}
	s.searches[key] = &activeSearch{ID: req.ID.String(), Theorem: what, Started: time.Now(), Progress: progress, cancel: cancel}
	s.mu.Unlock()

	s.work.Go(func() {
		defer cancel()
		res, err := fn(ctx)
		// Forget the search before answering: a client that has the answer
		// must find it finished (cancel answers false, status omits it).
		s.mu.Lock()
		delete(s.searches, key)
		s.mu.Unlock()
		// Replies use a context of their own: the search's may be over.
		rctx := context.WithoutCancel(ctx)
		// What the work said as it stopped, unless only that it stopped: an
		// interrupted batch tells where its results are and how to resume.
		why := ""
		if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
			why = ": " + err.Error()
		}
		switch {
		case err == nil:
			reply(rctx, conn, req, res)
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			replyErr(rctx, conn, req, codeCancelled, fmt.Sprintf("request took longer than the server's --request-timeout of %v%s", s.limits.requestTimeout, why))
		case ctx.Err() != nil:
			replyErr(rctx, conn, req, codeCancelled, "cancelled"+why)
		case errors.As(err, new(usageError)):
			// A mode, policy, budget or path the request got wrong: the
			// client's to fix, not a failure of the service.
			replyErr(rctx, conn, req, jsonrpc2.CodeInvalidParams, err.Error())
		default:
			replyErr(rctx, conn, req, codeFailed, err.Error())
		}
	})
}

// checkWorkers refuses a request's Lean documents (field) beyond what one
// search slot may use.
func (s *proveService) checkWorkers(field string, n int) error {
	switch {
	case n < 0:
		return fmt.Errorf("%q must not be negative, got %d", field, n)
	case s.limits.maxWorkers > 0 && n > s.limits.maxWorkers:
		return fmt.Errorf("%q is %d, more than the %d Lean documents one search may use (the server's --workers)", field, n, s.limits.maxWorkers)
	}
	return nil
}

func (h *serviceHandler) cancel(id jsonrpc2.ID) bool {
	s := h.svc
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.searches[h.key(id)]
	if a == nil {
		return false
	}
	a.cancel()
	return true
}

func (h *serviceHandler) cancelAll() {
	s := h.svc
	prefix := fmt.Sprintf("%d/", h.connID)
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, a := range s.searches {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix {
			a.cancel()
		}
	}
}

func unmarshalParams(req *jsonrpc2.Request, v any) error {
	if req.Params == nil {
		return errors.New("params are required")
	}
	if err := json.Unmarshal(*req.Params, v); err != nil {
		return fmt.Errorf("params of %s: %w", req.Method, err)
	}
	return nil
}

func reply(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request, result any) {
	_ = conn.Reply(ctx, req.ID, result) // a closed connection has nobody to tell
}

func replyErr(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request, code int64, msg string) {
	_ = conn.ReplyWithError(ctx, req.ID, &jsonrpc2.Error{Code: code, Message: msg})
}

// stdio joins standard input and output into one connection.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }

// serve runs the service on stdio or on a TCP listener until ctx ends or a
// client asks for shutdown, then drains the searches.
func (s *proveService) serve(ctx context.Context, ln net.Listener, stdin io.Reader, stdout io.Writer) error {
	var conns conc.WaitGroup
	defer func() {
		s.drain()
		close(s.connsClose)
		conns.Wait()
		s.abort()
	}()
	if ln == nil {
		conns.Go(func() { s.serveConn(stdio{stdin, stdout}) })
		connDone := make(chan struct{})
		go func() { conns.Wait(); close(connDone) }()
		select {
		case <-ctx.Done():
		case <-connDone:
		}
		return nil
	}
	go func() { <-ctx.Done(); ln.Close() }()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("accept on %s: %w", ln.Addr(), err)
		}
		conns.Go(func() { s.serveConn(c) })
	}
}

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve")
	useStdio := fs.Bool("stdio", false, "serve one client on standard input and output")
	listen := fs.String("listen", "127.0.0.1:7457", "TCP address to listen on (loopback by default)")
	var lim serviceLimits
	fs.IntVar(&lim.maxRequestBytes, "max-request-bytes", 1<<20, "largest request accepted, in bytes")
	fs.IntVar(&lim.maxSearches, "max-searches", 2, "searches running at once; more are refused as busy")
	fs.DurationVar(&lim.requestTimeout, "request-timeout", 10*time.Minute, "longest time one request may run")
	fs.DurationVar(&lim.grace, "grace", 10*time.Second, "at shutdown, how long running searches may finish before they are cancelled")
	pf := proveFlags{}
	pf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usagef("unexpected argument %q", fs.Arg(0))
	case lim.maxRequestBytes < 256:
		return usagef("--max-request-bytes must be at least 256, got %d", lim.maxRequestBytes)
	case lim.maxSearches <= 0:
		return usagef("--max-searches must be positive, got %d", lim.maxSearches)
	case lim.requestTimeout <= 0:
		return usagef("--request-timeout must be positive, got %v", lim.requestTimeout)
	case lim.grace < 0:
		return usagef("--grace must not be negative, got %v", lim.grace)
	}
	if err := pf.validate(); err != nil {
		return err
	}
	lim.maxWorkers = pf.budget.workers
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	backend := newLeanBackend(&pf, e.log)
	defer func() {
		if err := backend.Close(); err != nil {
			e.log.Warn().Err(err).Msg("closing Lean")
		}
	}()
	svc := newProveService(backend.prove, lim, e.log, stop)
	svc.defaults = pf.request("")
	svc.batchDefaults = batchJob{DB: defaultDB, Theorems: pf.budget.workers}
	svc.batch = func(ctx context.Context, job batchJob, progress batchProgress) (*batchOutcome, error) {
		return executeBatch(ctx, e.log, backend, job, progress)
	}
	if *useStdio {
		e.log.Info().Msg("serving JSON-RPC 2.0 on stdio, one JSON object per line")
		return svc.serve(ctx, nil, e.stdin, e.stdout)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (choose another address with --listen)", *listen, err)
	}
	e.log.Info().Str("addr", ln.Addr().String()).Msg("serving JSON-RPC 2.0, one JSON object per line")
	return svc.serve(ctx, ln, nil, nil)
}
