package policy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/policy"
)

// chatServer answers chat completions with the given choice texts and
// optional per-choice log-probabilities; it records the last request.
type chatServer struct {
	calls    atomic.Int32
	failures int32 // answer this many calls with status first
	status   int
	delay    time.Duration
	raw      string // answer this body verbatim when set
	choices  []string
	logprobs [][]float64
	lastReq  atomic.Value // map[string]any
}

func (c *chatServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := c.calls.Add(1)
	var req map[string]any
	json.NewDecoder(r.Body).Decode(&req)
	c.lastReq.Store(req)
	if c.delay > 0 {
		select {
		case <-time.After(c.delay):
		case <-r.Context().Done():
			return
		}
	}
	if n <= c.failures {
		w.WriteHeader(c.status)
		fmt.Fprintf(w, `{"error": {"message": "try later", "type": "server_error"}}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	if c.raw != "" {
		fmt.Fprint(w, c.raw)
		return
	}
	var choices []map[string]any
	for i, text := range c.choices {
		ch := map[string]any{"index": i, "message": map[string]any{"role": "assistant", "content": text}, "finish_reason": "stop"}
		if c.logprobs != nil {
			var content []map[string]any
			for _, lp := range c.logprobs[i] {
				content = append(content, map[string]any{"token": "x", "logprob": lp})
			}
			ch["logprobs"] = map[string]any{"content": content}
		}
		choices = append(choices, ch)
	}
	json.NewEncoder(w).Encode(map[string]any{"id": "c", "object": "chat.completion", "model": "m", "choices": choices})
}

func newLLM(t *testing.T, srv *chatServer, cfg policy.LLMConfig) *policy.LLM {
	t.Helper()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	cfg.BaseURL, cfg.Model = ts.URL+"/v1", "test-model"
	if cfg.Backoff == 0 {
		cfg.Backoff = time.Millisecond
	}
	if cfg.Samples == 0 {
		// The server answers its fixed choices whatever n says; ask for
		// as many, or the policy tops up (TestLLMTopsUpSamples).
		cfg.Samples = max(1, len(srv.choices))
	}
	l, err := policy.NewLLM(cfg, func(string) string { return "secret" })
	if err != nil {
		t.Fatal(err)
	}
	return l
}

var llmState = corpus.ParseState("n : ℕ\n⊢ n + 0 = n")

func TestLLMParsesAndMergesSamples(t *testing.T) {
	srv := &chatServer{choices: []string{"```lean\nsimp\n```", "Tactic: omega", "simp", "  rfl  \nbecause it is definitional", ""}}
	l := newLLM(t, srv, policy.LLMConfig{Samples: 5, Temperature: 0.5, MaxTokens: 50})
	cands, err := l.Propose(context.Background(), llmState, 8)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, c := range cands {
		got[c.Tactic] = c.Prior
	}
	if len(cands) != 3 || cands[0].Tactic != "simp" || got["simp"] != 0.4 || got["omega"] != 0.2 || got["rfl"] != 0.2 {
		t.Errorf("candidates %v; want simp 0.4 first, then omega and rfl at 0.2", cands)
	}
	req := srv.lastReq.Load().(map[string]any)
	if req["n"] != 5.0 || req["max_tokens"] != 50.0 || req["model"] != "test-model" {
		t.Errorf("request %v", req)
	}
	msgs := req["messages"].([]any)
	user := msgs[1].(map[string]any)["content"].(string)
	if !strings.Contains(user, "⊢ n + 0 = n") || !strings.HasSuffix(user, "Next tactic:") {
		t.Errorf("prompt %q", user)
	}
}

func TestLLMPriorsFromLogprobs(t *testing.T) {
	srv := &chatServer{choices: []string{"simp", "ring"}, logprobs: [][]float64{{-0.1, -0.2}, {-2}}}
	l := newLLM(t, srv, policy.LLMConfig{Samples: 2})
	cands, err := l.Propose(context.Background(), llmState, 8)
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 2 || cands[0].Tactic != "simp" || fmt.Sprintf("%.4f", cands[0].Prior) != "0.7408" {
		t.Errorf("candidates %v; want simp with exp(-0.3)", cands)
	}
}

func TestLLMRetriesAndFailures(t *testing.T) {
	tests := []struct {
		name      string
		srv       *chatServer
		cfg       policy.LLMConfig
		wantErr   error
		wantCalls int32
	}{
		{"429 then ok", &chatServer{failures: 2, status: 429, choices: []string{"simp"}}, policy.LLMConfig{Retries: 3}, nil, 3},
		{"503 forever", &chatServer{failures: 100, status: 503}, policy.LLMConfig{Retries: 2}, policy.ErrLLM, 3},
		{"400 is not retried", &chatServer{failures: 100, status: 400}, policy.LLMConfig{Retries: 3}, policy.ErrLLM, 1},
		// A 200 that is not JSON is a wrong URL (a web page), not a
		// passing failure.
		{"garbage body", &chatServer{raw: "<html>not json"}, policy.LLMConfig{Retries: 1}, policy.ErrLLM, 1},
		{"401 is not retried", &chatServer{failures: 100, status: 401}, policy.LLMConfig{Retries: 3}, policy.ErrLLM, 1},
		{"500 then ok", &chatServer{failures: 1, status: 500, choices: []string{"simp"}}, policy.LLMConfig{Retries: 1}, nil, 2},
		{"empty answers", &chatServer{choices: []string{"", "```\n```"}}, policy.LLMConfig{}, policy.ErrNoCandidates, 1},
		{"slow server", &chatServer{delay: 2 * time.Second, choices: []string{"simp"}}, policy.LLMConfig{Timeout: 50 * time.Millisecond, Retries: 1}, policy.ErrLLM, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLLM(t, tt.srv, tt.cfg)
			_, err := l.Propose(context.Background(), llmState, 4)
			if tt.wantErr == nil && err != nil || tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := tt.srv.calls.Load(); got != tt.wantCalls {
				t.Errorf("%d calls, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestLLMCancelAndConfig(t *testing.T) {
	srv := &chatServer{delay: 5 * time.Second, choices: []string{"simp"}}
	l := newLLM(t, srv, policy.LLMConfig{Concurrency: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := l.Propose(ctx, llmState, 4); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want deadline", err)
	}
	if _, err := policy.NewLLM(policy.LLMConfig{Model: "m", BaseURL: "http://x", APIKeyEnv: "NOPE"}, func(string) string { return "" }); !errors.Is(err, policy.ErrBadSpec) || !strings.Contains(err.Error(), "NOPE") {
		t.Errorf("empty key variable: %v", err)
	}
	if _, err := policy.NewLLM(policy.LLMConfig{Model: "m"}, nil); !errors.Is(err, policy.ErrBadSpec) {
		t.Errorf("missing URL: %v", err)
	}
}

func TestLLMConcurrencyLimit(t *testing.T) {
	var inFlight, peak atomic.Int32
	srv := &chatServer{delay: 30 * time.Millisecond, choices: []string{"simp"}}
	counting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		defer inFlight.Add(-1)
		srv.ServeHTTP(w, r)
	})
	ts := httptest.NewServer(counting)
	defer ts.Close()
	l, err := policy.NewLLM(policy.LLMConfig{BaseURL: ts.URL + "/v1", Model: "m", Concurrency: 2, Samples: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 6)
	for range 6 {
		go func() {
			_, err := l.Propose(context.Background(), llmState, 4)
			errs <- err
		}()
	}
	for range 6 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if p := peak.Load(); p > 2 || p < 1 {
		t.Errorf("peak %d requests in flight, limit 2", p)
	}
	if c := srv.calls.Load(); c != 6 {
		t.Errorf("%d calls, want 6", c)
	}
}

// TestLLMBaseURL: the chat endpoint is BASE/chat/completions, and servers
// (vLLM, Ollama, llama.cpp) serve it under /v1. A base URL with no path is
// the server's root and gets /v1; a trailing slash changes nothing.
func TestLLMBaseURL(t *testing.T) {
	srv := &chatServer{choices: []string{"simp"}}
	mux := http.NewServeMux()
	mux.Handle("POST /v1/chat/completions", srv)
	mux.Handle("POST /openai/v1/chat/completions", srv)
	ts := httptest.NewServer(mux)
	defer ts.Close()
	for _, base := range []string{ts.URL, ts.URL + "/", ts.URL + "/v1", ts.URL + "/v1/", ts.URL + "/openai/v1"} {
		l, err := policy.NewLLM(policy.LLMConfig{BaseURL: base, Model: "m", Retries: -1}, nil)
		if err != nil {
			t.Errorf("%s: %v", base, err)
			continue
		}
		if _, err := l.Propose(context.Background(), llmState, 4); err != nil {
			t.Errorf("base URL %s: %v", base, err)
		}
	}
	for _, base := range []string{"localhost:8000/v1", "ftp://x/v1", "http://", "http://[::1", "http://host:99999/v1", "http://:8000/v1"} {
		_, err := policy.NewLLM(policy.LLMConfig{BaseURL: base, Model: "m"}, nil)
		if !errors.Is(err, policy.ErrBadSpec) || !strings.Contains(err.Error(), base) || !strings.Contains(err.Error(), "http://") {
			t.Errorf("base URL %q: err %v; want ErrBadSpec naming it and an example http:// URL", base, err)
		}
	}
}

// TestLLMSamplingSettings: what the request carries. Temperature 0 is
// greedy decoding (prove --llm-temperature 0) and must reach the server:
// a missing temperature means the server's default, usually 1.
func TestLLMSamplingSettings(t *testing.T) {
	tests := []struct {
		name     string
		cfg      policy.LLMConfig
		wantTemp float64
		wantN    float64
	}{
		{"greedy", policy.LLMConfig{Temperature: 0, Samples: 1}, 0, 1},
		{"sampled", policy.LLMConfig{Temperature: 0.5, Samples: 3}, 0.5, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := &chatServer{choices: slices.Repeat([]string{"simp"}, int(tt.wantN))}
			l := newLLM(t, srv, tt.cfg)
			if _, err := l.Propose(context.Background(), llmState, 4); err != nil {
				t.Fatal(err)
			}
			req := srv.lastReq.Load().(map[string]any)
			temp, ok := req["temperature"].(float64)
			if !ok || temp < tt.wantTemp-1e-6 || temp > tt.wantTemp+1e-6 {
				t.Errorf("temperature %v (sent: %v), want %v", req["temperature"], ok, tt.wantTemp)
			}
			if req["n"] != tt.wantN {
				t.Errorf("n = %v, want %v", req["n"], tt.wantN)
			}
		})
	}
}

// TestLLMConfigErrors: a negative setting is a mistake to report, not a
// value to replace silently with the default.
func TestLLMConfigErrors(t *testing.T) {
	base := policy.LLMConfig{BaseURL: "http://localhost:8000/v1", Model: "m"}
	tests := []struct {
		field string
		edit  func(*policy.LLMConfig)
	}{
		{"Samples", func(c *policy.LLMConfig) { c.Samples = -1 }},
		{"Temperature", func(c *policy.LLMConfig) { c.Temperature = -0.5 }},
		{"Temperature", func(c *policy.LLMConfig) { c.Temperature = float32(math.NaN()) }}, // unencodable as JSON
		{"Temperature", func(c *policy.LLMConfig) { c.Temperature = float32(math.Inf(1)) }},
		{"MaxTokens", func(c *policy.LLMConfig) { c.MaxTokens = -3 }},
		{"Timeout", func(c *policy.LLMConfig) { c.Timeout = -time.Second }},
		{"Concurrency", func(c *policy.LLMConfig) { c.Concurrency = -2 }},
		{"Backoff", func(c *policy.LLMConfig) { c.Backoff = -time.Second }},
	}
	for _, tt := range tests {
		cfg := base
		tt.edit(&cfg)
		if _, err := policy.NewLLM(cfg, nil); !errors.Is(err, policy.ErrBadSpec) || !strings.Contains(err.Error(), tt.field) {
			t.Errorf("unusable %s: err %v; want ErrBadSpec naming it", tt.field, err)
		}
	}
	if _, err := policy.NewLLM(base, nil); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// TestLLMParsesChattyAnswers: chat models often say something before the
// code block, or comment the tactic; the tactic is what reaches Lean.
func TestLLMParsesChattyAnswers(t *testing.T) {
	tests := []struct{ answer, want string }{
		{"simp", "simp"},
		{"```lean\nsimp\n```", "simp"},
		{"Here is the next tactic:\n```lean4\nomega\n```\nIt closes the goal.", "omega"},
		{"Apply this:\n\n```\nrw [Nat.add_zero]\nrfl\n```", "rw [Nat.add_zero]"},
		{"`exact h`", "exact h"},
		{"Tactic: intro n", "intro n"},
		{"simp -- the goal is definitional", "simp"},
		{"intro n\nsimp", "intro n"},
		{`simp [show "a--b" = "a--b" from rfl]`, `simp [show "a--b" = "a--b" from rfl]`},
		// Reasoning models served without a reasoning parser (Qwen3,
		// DeepSeek-R1 distills) think aloud in the content first.
		{"<think>\nThe goal is n + 0 = n.\nMaybe simp?\n</think>\n\nomega", "omega"},
		{"<think>\nThe goal is n + 0 = n.\nMaybe simp works", ""},
	}
	for _, tt := range tests {
		srv := &chatServer{choices: []string{tt.answer}}
		l := newLLM(t, srv, policy.LLMConfig{Samples: 1})
		cands, err := l.Propose(context.Background(), llmState, 4)
		if tt.want == "" {
			if !errors.Is(err, policy.ErrNoCandidates) {
				t.Errorf("answer %q: %v %v; want no tactic", tt.answer, cands, err)
			}
			continue
		}
		if err != nil || len(cands) != 1 || cands[0].Tactic != tt.want {
			t.Errorf("answer %q: %v %v; want %q", tt.answer, cands, err, tt.want)
		}
	}
}

// TestLLMLogprobsOfOneTactic: two different answers that parse to the same
// tactic are two ways the model proposes it, so their probabilities add;
// the same answer sampled twice is one sequence, counted once.
func TestLLMLogprobsOfOneTactic(t *testing.T) {
	srv := &chatServer{
		choices:  []string{"simp", "```\nsimp\n```", "simp", "ring"},
		logprobs: [][]float64{{-1}, {-1, -0.5}, {-1}, {-0.6}},
	}
	l := newLLM(t, srv, policy.LLMConfig{Samples: 4})
	cands, err := l.Propose(context.Background(), llmState, 8)
	if err != nil {
		t.Fatal(err)
	}
	want := math.Exp(-1) + math.Exp(-1.5)
	if len(cands) != 2 || cands[0].Tactic != "simp" || math.Abs(cands[0].Prior-want) > 1e-9 ||
		cands[1].Tactic != "ring" || math.Abs(cands[1].Prior-math.Exp(-0.6)) > 1e-9 {
		t.Errorf("candidates %v; want simp %.4f (two answers), then ring %.4f", cands, want, math.Exp(-0.6))
	}
}

// TestLLMLocalErrorsAreNotRetried: go-openai refuses some requests before
// sending them (max_tokens for a model named like OpenAI's reasoning
// models); sending again cannot help, so the error comes at once instead of
// after the backoff.
func TestLLMLocalErrorsAreNotRetried(t *testing.T) {
	srv := &chatServer{choices: []string{"simp"}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	l, err := policy.NewLLM(policy.LLMConfig{BaseURL: ts.URL + "/v1", Model: "o3-mini", Retries: 3, Backoff: time.Hour}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = l.Propose(ctx, llmState, 4)
	if !errors.Is(err, policy.ErrLLM) || errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v; want ErrLLM at once, not a retry that waits out the backoff", err)
	}
}

// TestLLMErrorHints: a 401 names the key variable to set, a 404 the base
// URL to check.
func TestLLMErrorHints(t *testing.T) {
	tests := []struct {
		status int
		keyEnv string
		want   string
	}{
		{401, "", "--llm-key-env"},
		{401, "MY_KEY", "MY_KEY"},
		{404, "", "check the base URL"},
	}
	for _, tt := range tests {
		srv := &chatServer{failures: 100, status: tt.status}
		ts := httptest.NewServer(srv)
		l, err := policy.NewLLM(policy.LLMConfig{BaseURL: ts.URL + "/v1", Model: "m", APIKeyEnv: tt.keyEnv, Retries: -1},
			func(string) string { return "wrong" })
		if err != nil {
			t.Fatal(err)
		}
		_, err = l.Propose(context.Background(), llmState, 4)
		ts.Close()
		if !errors.Is(err, policy.ErrLLM) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("status %d, key variable %q: err %v; want it to mention %q", tt.status, tt.keyEnv, err, tt.want)
		}
	}
}

// TestLLMTimeoutReleasesTheRequest: when the attempt's timeout or the
// caller's context ends, the HTTP request is abandoned (the server sees its
// request context end), not left running behind the caller's back.
func TestLLMTimeoutReleasesTheRequest(t *testing.T) {
	tests := []struct {
		name    string
		cfg     policy.LLMConfig
		ctx     func() (context.Context, context.CancelFunc)
		wantErr error
	}{
		{"attempt timeout", policy.LLMConfig{Timeout: 20 * time.Millisecond, Retries: -1},
			func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) }, policy.ErrLLM},
		{"caller deadline", policy.LLMConfig{Timeout: time.Hour},
			func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 20*time.Millisecond)
			}, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			released := make(chan struct{}, 1)
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				// Read the body first: the server notices a closed
				// connection only once it reads past the request.
				io.Copy(io.Discard, r.Body)
				<-r.Context().Done() // never answers
				released <- struct{}{}
			}))
			defer ts.Close()
			cfg := tt.cfg
			cfg.BaseURL, cfg.Model = ts.URL, "m"
			l, err := policy.NewLLM(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := tt.ctx()
			defer cancel()
			if _, err := l.Propose(ctx, llmState, 4); !errors.Is(err, tt.wantErr) {
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			}
			select {
			case <-released:
			case <-time.After(10 * time.Second):
				t.Error("the server's handler still holds the abandoned request")
				ts.CloseClientConnections() // or Close waits for it forever
			}
		})
	}
}

// TestLLMRetryAfter: a 429 or 503 that says when to come back is retried
// then, not after our own backoff (here an hour).
func TestLLMRetryAfter(t *testing.T) {
	for _, status := range []int{429, 503} {
		srv := &chatServer{choices: []string{"simp"}}
		var calls atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if calls.Add(1) == 1 {
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(status)
				fmt.Fprint(w, `{"error": {"message": "slow down", "type": "rate_limit"}}`)
				return
			}
			srv.ServeHTTP(w, r)
		}))
		l, err := policy.NewLLM(policy.LLMConfig{BaseURL: ts.URL, Model: "m", Samples: 1, Retries: 2, Backoff: time.Hour}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		cands, err := l.Propose(ctx, llmState, 4)
		cancel()
		ts.Close()
		if err != nil || len(cands) != 1 || calls.Load() != 2 {
			t.Errorf("status %d with Retry-After: 0: %v %v after %d calls; want simp on the second call", status, cands, err, calls.Load())
		}
	}
}

// TestLLMTopsUpSamples: Ollama and some llama.cpp builds ignore n and
// answer one choice; the policy asks again until it has its samples, and
// keeps what it has when a later request fails.
func TestLLMTopsUpSamples(t *testing.T) {
	answers := []string{"simp", "omega", "simp", "ring"}
	var calls atomic.Int32
	failAfter := int32(100)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n > atomic.LoadInt32(&failAfter) {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		one := &chatServer{choices: []string{answers[(n-1)%int32(len(answers))]}}
		one.ServeHTTP(w, r)
	}))
	defer ts.Close()
	l, err := policy.NewLLM(policy.LLMConfig{BaseURL: ts.URL, Model: "m", Samples: 4, Temperature: 0.8, Retries: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	cands, err := l.Propose(context.Background(), llmState, 8)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, c := range cands {
		got[c.Tactic] = c.Prior
	}
	if calls.Load() != 4 || len(got) != 3 || got["simp"] != 0.5 || got["omega"] != 0.25 || got["ring"] != 0.25 {
		t.Errorf("%d requests gave %v; want 4 requests, simp 0.5, omega and ring 0.25", calls.Load(), cands)
	}
	// Greedy decoding gives the same answer each time: asking again only
	// costs a generation.
	calls.Store(0)
	greedy, err := policy.NewLLM(policy.LLMConfig{BaseURL: ts.URL, Model: "m", Samples: 4, Temperature: 0, Retries: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cands, err := greedy.Propose(context.Background(), llmState, 8); err != nil || len(cands) != 1 || calls.Load() != 1 {
		t.Errorf("greedy: %v %v after %d requests; want one request", cands, err, calls.Load())
	}
	calls.Store(0)
	atomic.StoreInt32(&failAfter, 2)
	cands, err = l.Propose(context.Background(), llmState, 8)
	if err != nil || len(cands) != 2 || calls.Load() != 3 {
		t.Errorf("a failing top-up: %v %v after %d requests; want the 2 samples so far", cands, err, calls.Load())
	}
}

// TestLLMAPIKey: the key is read from the named variable and sent as a
// bearer token, without the newline `export KEY=$(cat key.txt)` leaves;
// an unset variable is an error that says what to do; no variable, no
// Authorization header.
func TestLLMAPIKey(t *testing.T) {
	var auth atomic.Value
	srv := &chatServer{choices: []string{"simp"}}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		srv.ServeHTTP(w, r)
	}))
	defer ts.Close()
	env := map[string]string{"LLM_KEY": "secret\n"}
	for _, tt := range []struct{ keyEnv, want string }{{"LLM_KEY", "Bearer secret"}, {"", ""}} {
		l, err := policy.NewLLM(policy.LLMConfig{BaseURL: ts.URL, Model: "m", Samples: 1, Retries: -1, APIKeyEnv: tt.keyEnv},
			func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Propose(context.Background(), llmState, 4); err != nil || auth.Load() != tt.want {
			t.Errorf("key variable %q: %v, Authorization %q; want %q", tt.keyEnv, err, auth.Load(), tt.want)
		}
	}
	_, err := policy.NewLLM(policy.LLMConfig{BaseURL: ts.URL, Model: "m", APIKeyEnv: "UNSET_KEY"}, func(k string) string { return env[k] })
	if !errors.Is(err, policy.ErrBadSpec) || !strings.Contains(err.Error(), "UNSET_KEY") || !strings.Contains(err.Error(), "export") {
		t.Errorf("unset key variable: %v; want ErrBadSpec naming it and saying to export it", err)
	}
}

// TestLLMTruncatedAnswer: an answer cut by max_tokens (finish_reason
// "length") whose tactic line was still being written is no tactic; one
// cut after its first line is.
func TestLLMTruncatedAnswer(t *testing.T) {
	choice := func(i int, content, finish string) string {
		b, _ := json.Marshal(map[string]any{"index": i, "message": map[string]any{"role": "assistant", "content": content}, "finish_reason": finish})
		return string(b)
	}
	srv := &chatServer{raw: `{"id":"c","object":"chat.completion","model":"m","choices":[` +
		choice(0, "exact Nat.add_ze", "length") + "," + choice(1, "omega\nbecause the goal is linear ari", "length") + "," +
		choice(2, "rfl", "stop") + `]}`}
	l := newLLM(t, srv, policy.LLMConfig{Samples: 3})
	cands, err := l.Propose(context.Background(), llmState, 8)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cands {
		got = append(got, c.Tactic)
	}
	slices.Sort(got)
	if !slices.Equal(got, []string{"omega", "rfl"}) {
		t.Errorf("tactics %q; want omega and rfl, not the cut exact", got)
	}
}

// TestLLMGarbageThroughSpec: through FromSpec (always a Mixture), sorry,
// admit, an answer longer than any tactic and a second command are
// dropped, and the rest merged.
func TestLLMGarbageThroughSpec(t *testing.T) {
	srv := &chatServer{choices: []string{"sorry", "admit", strings.Repeat("simp [", 5000), "exact h\ntheorem x : True := trivial",
		"constructor <;> simp", "  constructor  <;>   simp ", "decide"}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	env := policy.SpecEnv{LLM: policy.LLMConfig{Samples: len(srv.choices), Retries: -1}}
	pol, err := policy.FromSpec("llm:m@"+ts.URL, env)
	if err != nil {
		t.Fatal(err)
	}
	cands, err := pol.Propose(context.Background(), llmState, 8)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cands {
		got = append(got, c.Tactic)
	}
	if !slices.Equal(got, []string{"constructor <;> simp", "exact h", "decide"}) {
		t.Errorf("tactics %q; want constructor <;> simp (twice), then exact h and decide in the order given", got)
	}
}
