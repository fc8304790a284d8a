package leanrpc_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/leanrpc/leanrpctest"
)

const (
	goalN       = "n : Nat\n⊢ n + 0 = n"
	goalZ       = "case zero\n⊢ 0 + 0 = 0"
	goalS       = "case succ\nn✝ : Nat\nih : n✝ + 0 = n✝\n⊢ n✝ + 1 + 0 = n✝ + 1"
	demoContext = "import Init\n\nnamespace Demo\n\ntheorem helper (n : Nat) : n = n + 0 := sorry\n\n"
)

// script is the semantics most tests share.
func script() *leanrpctest.Script {
	return &leanrpctest.Script{
		Theorems: map[string]string{"Demo.foo": goalN},
		Steps: []leanrpctest.ScriptStep{
			{State: goalN, Tactic: "simp", NewState: "no goals"},
			{State: goalN, Tactic: "induction n", NewState: goalZ + "\n\n" + goalS},
			{State: goalZ + "\n\n" + goalS, Tactic: "· rfl", NewState: goalS},
			{State: goalS, Tactic: "omega", NewState: "no goals"},
			{State: goalN, Tactic: "exact (helper n).symm", NewState: "no goals"},
			{Tactic: "rfl", Result: leanrpctest.Result{Error: "The rfl tactic failed."}},
			{Tactic: "loop", Result: leanrpctest.Result{Timeout: true}},
			{Tactic: "exact ?", Result: leanrpctest.Result{ParseError: true}},
			{Tactic: "boom", Result: leanrpctest.Result{Crash: true}},
			{Tactic: "flaky", NewState: "no goals", Result: leanrpctest.Result{CrashOnce: true}},
			{Tactic: "flaky", NewState: "no goals"},
			{Tactic: "exit1", Result: leanrpctest.Result{Crash: true, CrashCode: 1}},
			{Tactic: "hang", Result: leanrpctest.Result{Hang: true}},
		},
	}
}

var theorem = leanrpc.Theorem{
	Name:      "foo",
	Context:   demoContext,
	Signature: "theorem foo (n : Nat) : n + 0 = n",
	SorryDeps: []string{"Demo.helper"},
}

func newSession(t *testing.T, opts leanrpctest.PipeOptions, cfg leanrpc.SessionConfig) (*leanrpc.Session, *leanrpctest.Server, *leanrpc.Conn) {
	t.Helper()
	if opts.Semantics == nil {
		opts.Semantics = script()
	}
	conn, srv := leanrpctest.NewPipe(t, opts)
	if cfg.Theorem.Signature == "" {
		cfg.Theorem = theorem
	}
	if cfg.ApplyTimeout == 0 {
		cfg.ApplyTimeout = 10 * time.Second
	}
	s := leanrpc.NewSession(conn, cfg)
	t.Cleanup(func() { _ = s.Close(context.Background()) })
	return s, srv, conn
}

func TestApplyOutcomes(t *testing.T) {
	for _, plain := range []bool{false, true} {
		t.Run(fmt.Sprintf("plain=%v", plain), func(t *testing.T) {
			s, _, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Plain: plain}}, leanrpc.SessionConfig{})
			ctx := context.Background()
			if err := s.Open(ctx); err != nil {
				t.Fatal(err)
			}
			tests := []struct {
				trace   []string
				tactic  string
				kind    leanrpc.OutcomeKind
				goals   []string
				message string
			}{
				{nil, "simp", leanrpc.Proved, nil, ""},
				{nil, "induction n", leanrpc.Goals, []string{goalZ, goalS}, ""},
				{[]string{"induction n"}, "· rfl", leanrpc.Goals, []string{goalS}, ""},
				{[]string{"induction n", "· rfl"}, "omega", leanrpc.Proved, nil, ""},
				{nil, "rfl", leanrpc.Error, nil, "The rfl tactic failed."},
				{[]string{"simp"}, "simp", leanrpc.Error, nil, "no goals to be solved"},
				{nil, "loop", leanrpc.Timeout, nil, "(deterministic) timeout"},
				{nil, "exact ?", leanrpc.Invalid, nil, "unexpected token"},
				{nil, "sorry", leanrpc.Invalid, nil, "sorry"},
				{nil, "simp\ntheorem evil : False := sorry", leanrpc.Invalid, nil, "more than one line"},
				{nil, "exact (helper", leanrpc.Invalid, nil, "unbalanced"},
				{nil, "unknown_tactic", leanrpc.Error, nil, "unknown tactic"},
			}
			for _, tt := range tests {
				out, err := s.Apply(ctx, tt.trace, tt.tactic)
				if err != nil {
					t.Fatalf("Apply(%q, %q): %v", tt.trace, tt.tactic, err)
				}
				if out.Kind != tt.kind || !reflect.DeepEqual(out.Goals, tt.goals) || !strings.Contains(out.Message, tt.message) {
					t.Errorf("Apply(%q, %q) = %+v, want %v %q %q", tt.trace, tt.tactic, out, tt.kind, tt.goals, tt.message)
				}
			}
		})
	}
}

func TestCrashedWorkerIsRevivedAndRetriedOnce(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{}, leanrpc.SessionConfig{})
	ctx := context.Background()
	out, err := s.Apply(ctx, nil, "flaky")
	if err != nil || out.Kind != leanrpc.Proved {
		t.Fatalf("flaky = %+v, %v; want proved after one revival", out, err)
	}
	if st := srv.Stats(); st.Crashes != 1 || st.Revivals != 1 {
		t.Errorf("server saw %d crashes, %d revivals; want 1, 1", st.Crashes, st.Revivals)
	}
	for _, tac := range []string{"boom", "exit1"} {
		out, err = s.Apply(ctx, nil, tac)
		if err != nil || out.Kind != leanrpc.Error || !strings.Contains(out.Message, "crashed twice") {
			t.Errorf("%s = %+v, %v; want an error outcome after two crashes", tac, out, err)
		}
		// The document was reopened: the session goes on.
		if out, err := s.Apply(ctx, nil, "simp"); err != nil || out.Kind != leanrpc.Proved {
			t.Errorf("after %s, simp = %+v, %v", tac, out, err)
		}
	}
	if st := s.Stats(); st.Revivals != 5 {
		t.Errorf("session revivals = %d, want 5", st.Revivals)
	}
}

func TestHungWorkerTimesOutAndIsReplaced(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{}, leanrpc.SessionConfig{ApplyTimeout: 100 * time.Millisecond})
	ctx := context.Background()
	out, err := s.Apply(ctx, nil, "hang")
	if err != nil || out.Kind != leanrpc.Timeout {
		t.Fatalf("hang = %+v, %v; want timeout", out, err)
	}
	awaitStats(t, srv, "the timed-out waitForDiagnostics cancelled with $/cancelRequest",
		func(st leanrpctest.Stats) bool { return st.Cancels > 0 })
	if out, err := s.Apply(ctx, nil, "simp"); err != nil || out.Kind != leanrpc.Proved {
		t.Errorf("after a hang, simp = %+v, %v", out, err)
	}
	if st := s.Stats(); st.Timeouts != 1 {
		t.Errorf("timeouts = %d, want 1", st.Timeouts)
	}
}

func TestCancelledApplySendsCancelRequest(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{}, leanrpc.SessionConfig{})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := s.Apply(ctx, nil, "hang")
		errc <- err
	}()
	awaitStats(t, srv, "the server holding the barrier", func(st leanrpctest.Stats) bool { return st.Waits >= 2 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply after cancel = %v, want context.Canceled", err)
	}
	awaitStats(t, srv, "a $/cancelRequest", func(st leanrpctest.Stats) bool { return st.Cancels > 0 })
	st := srv.Stats()
	if len(st.CancelledIDs) == 0 || !strings.HasPrefix(st.CancelledIDs[0], "c") {
		t.Errorf("server saw cancelled ids %q, want the client's string id", st.CancelledIDs)
	}
	if out, err := s.Apply(context.Background(), nil, "simp"); err != nil || out.Kind != leanrpc.Proved {
		t.Errorf("after cancel, simp = %+v, %v", out, err)
	}
}

func TestStaleNotificationsAreIgnored(t *testing.T) {
	s, _, conn := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{InjectStale: true}}, leanrpc.SessionConfig{})
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		out, err := s.Apply(ctx, []string{"induction n"}, "· rfl")
		if err != nil || out.Kind != leanrpc.Goals {
			t.Fatalf("apply %d = %+v, %v", i, out, err)
		}
		out, err = s.Apply(ctx, nil, "simp")
		if err != nil || out.Kind != leanrpc.Proved {
			t.Fatalf("apply %d = %+v, %v (a stale fatal or error leaked in)", i, out, err)
		}
	}
	if conn.StaleNotifications() == 0 {
		t.Errorf("no stale notification was counted; the test did not exercise the path")
	}
}

func TestDocumentsAreRecycled(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{}, leanrpc.SessionConfig{RecycleAfter: 3})
	ctx := context.Background()
	for i := 0; i < 7; i++ {
		if out, err := s.Apply(ctx, nil, "simp"); err != nil || out.Kind != leanrpc.Proved {
			t.Fatalf("apply %d = %+v, %v", i, out, err)
		}
	}
	st := srv.Stats()
	if st.Opens != 3 || st.Closes != 2 {
		t.Errorf("server saw %d opens, %d closes; want 3, 2 (recycled every 3 edits)", st.Opens, st.Closes)
	}
}

func TestParallelAppliesUseSeparateDocuments(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Latency: time.Millisecond}},
		leanrpc.SessionConfig{Workers: 4})
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			tac, want := "simp", leanrpc.Proved
			if i%2 == 1 {
				tac, want = "induction n", leanrpc.Goals
			}
			out, err := s.Apply(ctx, nil, tac)
			if err == nil && out.Kind != want {
				err = fmt.Errorf("%s = %+v, want %v", tac, out, want)
			}
			errs <- err
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if st := srv.Stats(); st.Opens != 4 {
		t.Errorf("opens = %d, want 4 documents", st.Opens)
	}
}

func TestVerify(t *testing.T) {
	sem := script()
	sem.AxiomsOf = map[string][]string{}
	s, _, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Semantics: sem}}, leanrpc.SessionConfig{})
	ctx := context.Background()
	tests := []struct {
		proof   []string
		axioms  []string
		status  leanrpc.VerdictStatus
		assumes []string
		reason  string
	}{
		{[]string{"simp"}, nil, leanrpc.Verified, nil, ""},
		{[]string{"simp"}, []string{"propext", "Classical.choice", "Quot.sound"}, leanrpc.Verified, nil, ""},
		{[]string{"induction n", "· rfl", "omega"}, nil, leanrpc.Verified, nil, ""},
		{[]string{"exact (helper n).symm"}, nil, leanrpc.VerifiedAssuming, []string{"Demo.helper"}, "sorryAx"},
		{[]string{"sorry"}, nil, leanrpc.Rejected, nil, "sorry"},
		{[]string{"induction n"}, nil, leanrpc.Rejected, nil, "unsolved goals"},
		{[]string{"rfl"}, nil, leanrpc.Rejected, nil, "rfl tactic failed"},
		{[]string{"simp"}, []string{"propext", "Lean.ofReduceBool"}, leanrpc.Rejected, nil, "Lean.ofReduceBool"},
		{nil, nil, leanrpc.Rejected, nil, "empty"},
	}
	for _, tt := range tests {
		sem.AxiomsOf["Demo.foo"] = tt.axioms
		v, err := s.Verify(ctx, tt.proof)
		if err != nil {
			t.Fatalf("Verify(%q): %v", tt.proof, err)
		}
		if v.Status != tt.status || !reflect.DeepEqual(v.Assumes, tt.assumes) || !strings.Contains(v.Reason, tt.reason) {
			t.Errorf("Verify(%q) = %+v, want %v assuming %q, reason %q", tt.proof, v, tt.status, tt.assumes, tt.reason)
		}
	}
}

func TestHeaderErrorIsInfrastructure(t *testing.T) {
	s, _, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{HeaderError: "unknown module prefix 'Mathlib'"}},
		leanrpc.SessionConfig{})
	_, err := s.Apply(context.Background(), nil, "simp")
	if !errors.Is(err, leanrpc.ErrHeader) || !strings.Contains(err.Error(), "unknown module prefix") {
		t.Fatalf("Apply with a broken header = %v, want ErrHeader naming Lean's message", err)
	}
}

func TestServerDeathIsAnError(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{}, leanrpc.SessionConfig{})
	ctx := context.Background()
	if _, err := s.Apply(ctx, nil, "simp"); err != nil {
		t.Fatal(err)
	}
	srv.Kill()
	_, err := s.Apply(ctx, nil, "simp")
	if !errors.Is(err, leanrpc.ErrServerExited) {
		t.Fatalf("Apply after the server died = %v, want ErrServerExited", err)
	}
}

// awaitStats waits until the fake server's counters satisfy cond: the
// server handles messages asynchronously, so what the client sent may not
// be counted yet when a call returns.
func awaitStats(t *testing.T, srv *leanrpctest.Server, what string, cond func(leanrpctest.Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond(srv.Stats()) {
		if time.Now().After(deadline) {
			t.Fatalf("fake server never saw %s; stats %+v", what, srv.Stats())
		}
		time.Sleep(time.Millisecond)
	}
}

func TestMissingPublishIsNotAProof(t *testing.T) {
	s, _, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Plain: true, SkipFinalPublish: true}},
		leanrpc.SessionConfig{})
	ctx := context.Background()
	tests := []struct {
		tactic string
		kind   leanrpc.OutcomeKind
	}{
		{"simp", leanrpc.Proved},       // plainGoal says "no goals"
		{"induction n", leanrpc.Goals}, // plainGoal shows the goals
		{"rfl", leanrpc.Goals},         // failed: plainGoal shows the state before; never "proved"
	}
	for _, tt := range tests {
		out, err := s.Apply(ctx, nil, tt.tactic)
		if err != nil || out.Kind != tt.kind {
			t.Errorf("%s without a final publish = %+v, %v; want %v", tt.tactic, out, err, tt.kind)
		}
	}
	v, err := s.Verify(ctx, []string{"simp"})
	if err != nil || v.Status != leanrpc.Rejected {
		t.Errorf("Verify without diagnostics = %+v, %v; want rejected", v, err)
	}
}

func TestApplyPrefersTheDocumentWithTheLongestCommonPrefix(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{}, leanrpc.SessionConfig{Workers: 2})
	ctx := context.Background()
	steps := []struct {
		trace  []string
		tactic string
	}{
		{nil, "induction n"},
		{[]string{"induction n"}, "· rfl"},
		{[]string{"induction n", "· rfl"}, "omega"},
	}
	for _, st := range steps {
		if _, err := s.Apply(ctx, st.trace, st.tactic); err != nil {
			t.Fatal(err)
		}
	}
	// Each step extends the previous document, so one document (one Lean
	// worker, lazily opened) served all three.
	if got := srv.Stats().Opens; got != 1 {
		t.Errorf("documents opened = %d, want 1 (the one holding the longest prefix)", got)
	}
}

func TestStuckWorkerIsReplaced(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{StickyHang: true}},
		leanrpc.SessionConfig{ApplyTimeout: 100 * time.Millisecond, RecoverTimeout: 100 * time.Millisecond})
	ctx := context.Background()
	if out, err := s.Apply(ctx, nil, "hang"); err != nil || out.Kind != leanrpc.Timeout {
		t.Fatalf("hang = %+v, %v", out, err)
	}
	// The revival edit hangs too, so the document is closed and reopened.
	if out, err := s.Apply(ctx, nil, "simp"); err != nil || out.Kind != leanrpc.Proved {
		t.Fatalf("after a stuck worker, simp = %+v, %v", out, err)
	}
	if st := s.Stats(); st.Replacements != 1 {
		t.Errorf("replacements = %d, want 1", st.Replacements)
	}
	if st := srv.Stats(); st.Opens != 2 || st.Closes != 1 {
		t.Errorf("server saw %d opens, %d closes; want 2, 1", st.Opens, st.Closes)
	}
}

func TestIncrementalDiagnosticsAreAppended(t *testing.T) {
	// The context's sorry warning and the theorem's diagnostic arrive in two
	// publishes; the second appends to the first.
	s, _, _ := newSession(t, leanrpctest.PipeOptions{Conn: leanrpc.ConnOptions{IncrementalDiagnostics: true}}, leanrpc.SessionConfig{})
	ctx := context.Background()
	for _, tt := range []struct {
		tactic string
		kind   leanrpc.OutcomeKind
	}{{"induction n", leanrpc.Goals}, {"rfl", leanrpc.Error}, {"simp", leanrpc.Proved}} {
		if out, err := s.Apply(ctx, nil, tt.tactic); err != nil || out.Kind != tt.kind {
			t.Errorf("%s = %+v, %v; want %v", tt.tactic, out, err, tt.kind)
		}
	}
}

func TestFileChangedIsRetried(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{FileChangedOnce: true}}, leanrpc.SessionConfig{})
	out, err := s.Apply(context.Background(), nil, "induction n")
	if err != nil || out.Kind != leanrpc.Goals || len(out.Goals) != 2 {
		t.Fatalf("apply after -32801 = %+v, %v; want the goals on retry", out, err)
	}
	if st := srv.Stats(); st.Opens != 2 {
		t.Errorf("opens = %d, want 2 (the document reopened after ContentModified)", st.Opens)
	}
}

func TestOpenLoadsEveryDocument(t *testing.T) {
	s, srv, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Latency: time.Millisecond}},
		leanrpc.SessionConfig{Workers: 3})
	if err := s.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	if st := srv.Stats(); st.Opens != 3 {
		t.Errorf("opens = %d, want 3", st.Opens)
	}
	s2, _, _ := newSession(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{HeaderError: "unknown module prefix 'Mathlib'"}},
		leanrpc.SessionConfig{Workers: 2})
	if err := s2.Open(context.Background()); !errors.Is(err, leanrpc.ErrHeader) {
		t.Errorf("Open with a broken header = %v, want ErrHeader", err)
	}
}
