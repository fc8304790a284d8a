package leanrpc

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc"
)

// SessionConfig configures a Session. Zero durations take the defaults
// named on each field.
type SessionConfig struct {
	Theorem Theorem
	// Dir is the folder the virtual documents live in; it should be inside
	// the Lake project so Lean finds the workspace. The files are never
	// written. Default: <project>/.leanprove when used through a Server.
	Dir string
	// Workers is the number of documents (Lean worker processes); default 1.
	Workers int
	// OpenTimeout bounds opening a document (import loading); default 5 min.
	OpenTimeout time.Duration
	// ApplyTimeout bounds one tactic (barrier and goal); default 60 s.
	ApplyTimeout time.Duration
	// RecoverTimeout bounds reviving a document after a timeout; default 10 s.
	RecoverTimeout time.Duration
	// RecycleAfter closes and reopens a document after that many edits to
	// bound Lean's memory; default 500, negative disables.
	RecycleAfter int
	// Sanitize configures the tactic sanitizer.
	Sanitize SanitizeOptions
}

func (c *SessionConfig) defaults() {
	if c.Workers <= 0 {
		c.Workers = 1
	}
	if c.OpenTimeout <= 0 {
		c.OpenTimeout = 5 * time.Minute
	}
	if c.ApplyTimeout <= 0 {
		c.ApplyTimeout = 60 * time.Second
	}
	if c.RecoverTimeout <= 0 {
		c.RecoverTimeout = 10 * time.Second
	}
	if c.RecycleAfter == 0 {
		c.RecycleAfter = 500
	}
}

// SessionStats counts what a Session did, for logs and tests.
type SessionStats struct {
	Applies, Opens, Recycles, Revivals, Replacements, Timeouts int64
}

// A Session proves one theorem with a pool of documents, one per search
// worker (lean-lsp.md §7.3, §10.2). Apply may be called from several
// goroutines; each call holds one document for its duration.
type Session struct {
	conn *Conn
	cfg  SessionConfig
	// tokens counts free slots (a semaphore); free holds them. Apply takes
	// the free document whose text shares the longest prefix with the new
	// one, so Lean reuses the most elaboration (lean-lsp.md §7.3.4).
	tokens chan struct{}
	mu     sync.Mutex
	free   []*slot
	all    []*slot
	seq    int64
	base   string // the document with no tactics
	stats  struct {
		applies, opens, recycles, revivals, replacements, timeouts atomic.Int64
	}
	closeOnce sync.Once
}

// slot is one document.
type slot struct {
	uri    string
	text   string // what the server holds for the document
	open   bool
	edits  int
	hung   bool // the last barrier timed out; recover before reuse
	broken bool // reopen before reuse
}

var sessionSeq atomic.Int64

// NewSession creates the documents lazily: each is opened on first use.
// Use Open to pay the import cost up front and to check the header.
func NewSession(conn *Conn, cfg SessionConfig) *Session {
	cfg.defaults()
	s := &Session{conn: conn, cfg: cfg, tokens: make(chan struct{}, cfg.Workers), seq: sessionSeq.Add(1)}
	s.base, _ = cfg.Theorem.render(nil, false)
	for i := 0; i < cfg.Workers; i++ {
		sl := &slot{uri: s.uri(fmt.Sprintf("W%d_%d", s.seq, i))}
		s.all = append(s.all, sl)
		s.free = append(s.free, sl)
		s.tokens <- struct{}{}
	}
	return s
}

// NewSession starts a session on this server, with documents under
// <project>/.leanprove unless cfg.Dir says otherwise.
func (srv *Server) NewSession(cfg SessionConfig) *Session {
	if cfg.Dir == "" {
		cfg.Dir = filepath.Join(srv.ProjectDir, ".leanprove")
	}
	return NewSession(srv.Conn, cfg)
}

func (s *Session) uri(name string) string {
	dir := s.cfg.Dir
	if dir == "" {
		dir = "/leanprove"
	}
	return "file://" + filepath.ToSlash(filepath.Join(dir, name+".lean"))
}

// Stats returns counters of what the session did.
func (s *Session) Stats() SessionStats {
	return SessionStats{Applies: s.stats.applies.Load(), Opens: s.stats.opens.Load(),
		Recycles: s.stats.recycles.Load(), Revivals: s.stats.revivals.Load(),
		Replacements: s.stats.replacements.Load(), Timeouts: s.stats.timeouts.Load()}
}

// Open opens every document and waits for the header to elaborate. It
// returns an error wrapping ErrHeader when the imports or the context fail.
func (s *Session) Open(ctx context.Context) error {
	// Take every document, then open them in parallel: each is its own
	// Lean worker loading the imports.
	held := make([]*slot, 0, len(s.all))
	defer func() {
		for _, sl := range held {
			s.release(sl)
		}
	}()
	for range s.all {
		sl, err := s.acquire(ctx, "")
		if err != nil {
			return err
		}
		held = append(held, sl)
	}
	errs := make([]error, len(held))
	var wg conc.WaitGroup
	for i, sl := range held {
		wg.Go(func() { errs[i] = s.ensureOpen(ctx, sl) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err // the documents share a header: one error says it
		}
	}
	return nil
}

// Close closes every document. It waits for documents in use.
func (s *Session) Close(ctx context.Context) error {
	var errs []error
	s.closeOnce.Do(func() {
		for range s.all {
			sl, err := s.acquire(ctx, "")
			if err != nil {
				errs = append(errs, err)
				break
			}
			if sl.open {
				if err := s.conn.DidClose(ctx, sl.uri); err != nil && !errors.Is(err, ErrServerExited) {
					errs = append(errs, err)
				}
				sl.open = false
			}
		}
	})
	return errors.Join(errs...)
}

// acquire takes a free document, preferring the one whose text shares the
// longest prefix with text.
func (s *Session) acquire(ctx context.Context, text string) (*slot, error) {
	select {
	case <-s.tokens:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-s.conn.Done():
		return nil, ErrServerExited
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	best, bestLen := 0, -1
	for i, sl := range s.free {
		if n := commonPrefix(sl.text, text); n > bestLen {
			best, bestLen = i, n
		}
	}
	sl := s.free[best]
	s.free = append(s.free[:best], s.free[best+1:]...)
	return sl, nil
}

func (s *Session) release(sl *slot) {
	s.mu.Lock()
	s.free = append(s.free, sl)
	s.mu.Unlock()
	s.tokens <- struct{}{}
}

func commonPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// ensureOpen makes the slot's document usable: opened, recovered after a
// hang, recycled after many edits, reopened after a crash.
func (s *Session) ensureOpen(ctx context.Context, sl *slot) error {
	if sl.open && sl.hung {
		// A new version cancels the stuck elaboration (lean-lsp.md §10.2.5);
		// if the worker still does not answer, replace it.
		sl.hung = false
		rctx, cancel := context.WithTimeout(ctx, s.cfg.RecoverTimeout)
		v, err := s.conn.DidChangeText(rctx, sl.uri, sl.text, s.base)
		sl.text = s.base
		if err == nil {
			err = s.conn.WaitForDiagnostics(rctx, sl.uri, v)
		}
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, ErrServerExited) {
				return err
			}
			sl.broken = true
			s.stats.replacements.Add(1)
		}
	}
	if sl.open && s.cfg.RecycleAfter > 0 && sl.edits >= s.cfg.RecycleAfter {
		sl.broken = true
		s.stats.recycles.Add(1)
	}
	if sl.open && sl.broken {
		if err := s.conn.DidClose(ctx, sl.uri); err != nil {
			return err
		}
		sl.open = false
	}
	if sl.open {
		return nil
	}
	sl.broken, sl.hung, sl.edits = false, false, 0
	octx, cancel := context.WithTimeout(ctx, s.cfg.OpenTimeout)
	defer cancel()
	v, err := s.conn.DidOpen(octx, sl.uri, s.base)
	if err != nil {
		return fmt.Errorf("open %s: %w", sl.uri, err)
	}
	sl.open, sl.text = true, s.base
	s.stats.opens.Add(1)
	if err := s.conn.WaitForDiagnostics(octx, sl.uri, v); err != nil {
		sl.broken = true
		return fmt.Errorf("open %s (imports and context of %s): %w", sl.uri, s.cfg.Theorem.Name, err)
	}
	if s.conn.Fatal(sl.uri, v) {
		sl.broken = true
		return fmt.Errorf("open %s: %w: Lean reported a fatal error while loading the header", sl.uri, ErrHeader)
	}
	diags, _ := s.conn.Diagnostics(sl.uri, v)
	_, lay := s.cfg.Theorem.render(nil, false)
	headerEnd := lay.declLine
	if h := s.cfg.Theorem.HeaderLines; h > 0 {
		headerEnd = min(h, headerEnd)
	}
	var msgs []string
	for _, d := range diags {
		if d.Severity == SeverityError && d.Span().Start.Line < headerEnd {
			msgs = append(msgs, fmt.Sprintf("line %d: %s", d.Range.Start.Line+1, d.Message))
		}
	}
	if len(msgs) > 0 {
		sl.broken = true
		return fmt.Errorf("open %s: %w: %s", sl.uri, ErrHeader, strings.Join(msgs, "; "))
	}
	return nil
}

// Apply applies tactic after trace (the tactics already applied from the
// theorem's statement, one step each) and classifies the result. The
// tactic is sanitized; the trace is not (it holds earlier, accepted
// steps): a step of several lines is written as in a block indented by two
// spaces (see Tactic.Normalized). A tactic
// failure is an Outcome, not an error: the error is for infrastructure
// (server gone, header broken, context cancelled).
func (s *Session) Apply(ctx context.Context, trace []string, tactic string) (Outcome, error) {
	tac, err := SanitizeTactic(tactic, s.cfg.Sanitize)
	if err != nil {
		return Outcome{Kind: Invalid, Message: err.Error()}, nil
	}
	tactics := make([]string, 0, len(trace)+1)
	tactics = append(append(tactics, trace...), tac)
	text, lay := s.cfg.Theorem.render(tactics, false)
	s.stats.applies.Add(1)

	sl, err := s.acquire(ctx, text)
	if err != nil {
		return Outcome{}, err
	}
	defer s.release(sl)
	var crashMsg string
	for attempt := 0; attempt < 2; attempt++ {
		if err := s.ensureOpen(ctx, sl); err != nil {
			return Outcome{}, err
		}
		out, crashed, err := s.try(ctx, sl, text, lay)
		if err != nil || crashed == "" {
			return out, err
		}
		// The worker died. The next didChange revives it (lean-lsp.md
		// §1.4); retry the apply once on the revived worker.
		crashMsg = crashed
		s.stats.revivals.Add(1)
	}
	sl.broken = true
	return Outcome{Kind: Error, Message: "Lean's file worker crashed twice on this tactic: " + crashMsg}, nil
}

// try runs one didChange + barrier + classification. crashed is non-empty
// when the worker died during it.
func (s *Session) try(ctx context.Context, sl *slot, text string, lay layout) (out Outcome, crashed string, err error) {
	actx, cancel := context.WithTimeout(ctx, s.cfg.ApplyTimeout)
	defer cancel()
	v, err := s.conn.DidChangeText(actx, sl.uri, sl.text, text)
	if err != nil {
		return Outcome{}, "", err
	}
	sl.text = text
	sl.edits++
	if err := s.conn.WaitForDiagnostics(actx, sl.uri, v); err != nil {
		return s.requestFailed(ctx, sl, err)
	}
	if s.conn.Fatal(sl.uri, v) {
		return Outcome{}, "fatal error reported in $/lean/fileProgress", nil
	}
	diags, published := s.conn.Diagnostics(sl.uri, v)
	c := classify(diags, lay)
	if published && c.outcome.Kind != Goals {
		return c.outcome, "", nil
	}
	goal, err := s.conn.PlainGoal(actx, sl.uri, lay.lastEnd)
	if err != nil {
		return s.requestFailed(ctx, sl, err)
	}
	if !published {
		// Lean answered the barrier without publishing this version (it
		// should not happen, lean-lsp.md §4.3): never claim a proof from
		// silence; trust only an explicit goal answer.
		switch {
		case goal == nil:
			return Outcome{Kind: Error, Message: fmt.Sprintf("Lean published no diagnostics and no goal for version %d", v)}, "", nil
		case len(goal.Goals) == 0:
			return Outcome{Kind: Proved}, "", nil
		}
		return Outcome{Kind: Goals, Goals: goal.Goals}, "", nil
	}
	if goal != nil && len(goal.Goals) > 0 {
		c.outcome.Goals = goal.Goals
	}
	if len(c.outcome.Goals) == 0 {
		// Lean said "unsolved goals" but showed none: report the message.
		c.outcome.Goals = []string{strings.TrimPrefix(c.unsolved.Message, "unsolved goals\n")}
	}
	return c.outcome, "", nil
}

// requestFailed turns a failed barrier or goal request into an outcome,
// a crash to retry, or an infrastructure error.
func (s *Session) requestFailed(ctx context.Context, sl *slot, err error) (Outcome, string, error) {
	var re *RequestError
	switch {
	case ctx.Err() != nil:
		// The caller gave up; the document may still be elaborating.
		sl.hung = true
		return Outcome{}, "", ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		sl.hung = true
		s.stats.timeouts.Add(1)
		return Outcome{Kind: Timeout, Message: fmt.Sprintf("Lean did not finish within %s", s.cfg.ApplyTimeout)}, "", nil
	case errors.As(err, &re) && re.IsCrash():
		return Outcome{}, re.Message, nil
	case errors.As(err, &re) && re.Code == CodeContentModified:
		// The worker was terminated or the file changed under the request:
		// reopen and retry once.
		sl.broken = true
		return Outcome{}, re.Message, nil
	}
	return Outcome{}, "", err
}
