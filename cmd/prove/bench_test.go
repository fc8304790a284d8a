package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leanprove/leanprove/corpus"
)

func TestBenchRediscoversFixtureProofs(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	if code, _, errs := runCLI(t, "policy", "train", "--traces", fixture("dojo.json"), "--split", "all", "--out", model); code != 0 {
		t.Fatal(errs)
	}
	for _, mode := range []string{"mcts", "bestfirst"} {
		db := filepath.Join(t.TempDir(), "b.db")
		code, out, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "learned:"+model,
			"--budget", "16", "--mode", mode, "--json", "--verbose", "--db", db)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", mode, code, errs)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 {
			t.Fatalf("%s: want 2 theorem lines and a summary, got %q", mode, out)
		}
		var rep benchReport
		if err := json.Unmarshal([]byte(lines[2]), &rep); err != nil {
			t.Fatal(err)
		}
		// Both fixture theorems are in the model's memory: both are found.
		if rep.Theorems != 2 || rep.Proved != 2 || rep.Rate != 1 || rep.Replayable != 2 || rep.Mode != mode {
			t.Errorf("%s: report %+v", mode, rep)
		}
		var line benchLine
		if err := json.Unmarshal([]byte(lines[1]), &line); err != nil || line.Theorem != "Bar.and_swap" || !line.Proved ||
			strings.Join(line.Proof, "; ") != "constructor; exact hq; exact hp" {
			t.Errorf("%s: theorem line %+v (%v)", mode, line, err)
		}
		st, err := corpus.Open(db, corpus.StoreOptions{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		res, err := st.Results(rep.RunID)
		st.Close()
		if err != nil || len(res) != 2 || !res["Mathlib/Bar.lean:Bar.and_swap"].Proved {
			t.Errorf("%s: stored results %+v %v", mode, res, err)
		}
		// Expert iteration: the found proofs become training data.
		code, out, errs = runCLI(t, "policy", "train", "--from-db", db, "--split", "all", "--out", filepath.Join(t.TempDir(), "m2"), "--json")
		if code != 0 || !strings.Contains(out, `"from_db":5`) {
			t.Errorf("%s: train --from-db exit %d: %s %s", mode, code, out, errs)
		}
		// The split applies to the store as well: Bar.and_swap (3 steps) is
		// a dev theorem at the default 20%, so only Foo.add_zero' (2) is
		// learned, and 'policy eval' on dev never scores trained-on proofs.
		for split, want := range map[string]string{"": `"from_db":2`, "train": `"from_db":2`, "dev": `"from_db":3`} {
			args := []string{"policy", "train", "--from-db", db, "--out", filepath.Join(t.TempDir(), "m3"), "--json"}
			if split != "" {
				args = append(args, "--split", split)
			}
			code, out, errs = runCLI(t, args...)
			if code != 0 || !strings.Contains(out, want) {
				t.Errorf("%s: train --from-db --split %q: exit %d: %s %s; want %s", mode, split, code, out, errs, want)
			}
		}
	}
}

func TestBenchFrequencyNeedsTheRightTactics(t *testing.T) {
	// The frequency policy offers the same tactics everywhere; "intro n"
	// and "simp [Nat.add_zero]" are each used once, so with one candidate
	// per node neither theorem can be rediscovered. Widening asks for 2, 4
	// and 8 where all failed, which reaches every tactic of the traces.
	tests := []struct {
		widenings int
		proved    int
	}{
		{0, 0},
		{3, 2},
	}
	for _, tt := range tests {
		code, out, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "frequency",
			"--candidates", "1", "--widenings", strconv.Itoa(tt.widenings), "--json")
		if code != 0 {
			t.Fatalf("--widenings %d: exit %d: %s", tt.widenings, code, errs)
		}
		var rep benchReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		if rep.Theorems != 2 || rep.Proved != tt.proved || rep.Widenings != tt.widenings {
			t.Errorf("--widenings %d: report %+v, want %d proved", tt.widenings, rep, tt.proved)
		}
	}
}

func TestBenchUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		mention string
	}{
		{[]string{"bench"}, "--traces"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--mode", "dfs"}, "--mode"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--budget", "0"}, "--budget"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--workers", "0"}, "--workers"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--policy", "llm:nourl"}, "llm:MODEL@URL"},
		{[]string{"bench", "--traces", fixture("nope.json")}, "nope.json"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--limit", "-1"}, "--limit"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--candidates", "0"}, "--candidates"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--calls", "-1"}, "--calls"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--wall", "0s"}, "--wall"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "stray"}, `unexpected argument "stray"`},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--policy", "portfolio+"}, `"portfolio+"`},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--widenings", "-1"}, "--widenings"},
		// No theorem to measure is an input error, not a rate of 0.
		{[]string{"bench", "--traces", fixture("dojo.json"), "--split", "dev", "--dev-percent", "0"}, "no theorem with recorded steps in the dev part"},
		{[]string{"bench", "--traces", fixture("dojo.json"), "--traces", fixture("bad.json")}, "bad.json: record 1"},
	}
	for _, tt := range tests {
		code, _, errs := runCLI(t, tt.args...)
		if code != 2 || !strings.Contains(errs, tt.mention) {
			t.Errorf("%v: exit %d stderr %q; want 2 mentioning %q", tt.args, code, errs, tt.mention)
		}
	}
	// Under --split all there is no other part to try.
	noSteps := filepath.Join(t.TempDir(), "nosteps.json")
	if err := os.WriteFile(noSteps, []byte(`[{"full_name": "A.term", "file_path": "A.lean", "traced_tactics": []}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, "bench", "--traces", noSteps, "--split", "all")
	if code != 2 || !strings.Contains(errs, "no theorem in "+noSteps+" has recorded steps") || strings.Contains(errs, "try --split all") {
		t.Errorf("no steps under --split all: exit %d stderr %q; want 2, naming the file and suggesting no other split", code, errs)
	}
}

// trainFixtureModel trains a model on both fixture theorems.
func trainFixtureModel(t *testing.T) string {
	t.Helper()
	model := filepath.Join(t.TempDir(), "m.model")
	if code, _, errs := runCLI(t, "policy", "train", "--traces", fixture("dojo.json"), "--split", "all", "--out", model); code != 0 {
		t.Fatal(errs)
	}
	return model
}

// TestBenchWorkers: prover calls in flight per theorem change the speed,
// not what is found (the search backs results up in order); run under
// -race this also checks the concurrent replay.
func TestBenchWorkers(t *testing.T) {
	model := trainFixtureModel(t)
	for _, mode := range []string{"mcts", "bestfirst"} {
		var reps []benchReport
		for _, workers := range []string{"1", "4"} {
			code, out, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "learned:"+model,
				"--budget", "16", "--mode", mode, "--workers", workers, "--json")
			if code != 0 {
				t.Fatalf("%s --workers %s: exit %d: %s", mode, workers, code, errs)
			}
			var rep benchReport
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("%s --workers %s: %v in %q", mode, workers, err, out)
			}
			reps = append(reps, rep)
		}
		if reps[0].Theorems != 2 || reps[0].Proved != 2 || reps[1].Theorems != 2 || reps[1].Proved != 2 || reps[1].Workers != 4 {
			t.Errorf("%s: --workers 1 %+v, --workers 4 %+v; want both to prove 2 of 2", mode, reps[0], reps[1])
		}
	}
}

// TestBenchVerboseText: without --json, --verbose prints one line per
// theorem, then the summary.
func TestBenchVerboseText(t *testing.T) {
	model := trainFixtureModel(t)
	code, out, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "learned:"+model,
		"--budget", "16", "--verbose")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "proved") || !strings.HasSuffix(lines[1], "Bar.and_swap") ||
		!strings.Contains(lines[2], "rediscovered 2 of 2 theorems") {
		t.Errorf("output %q; want a proved line per theorem and the summary", out)
	}
}

// chatReply answers an OpenAI chat completion with one choice.
func chatReply(w http.ResponseWriter, content string) {
	w.Header().Set("Content-Type", "application/json")
	reply, _ := json.Marshal(map[string]any{"id": "c", "object": "chat.completion", "model": "m", "choices": []map[string]any{
		{"index": 0, "message": map[string]any{"role": "assistant", "content": content}, "finish_reason": "stop"}}})
	w.Write(reply)
}

// TestBenchLLMPolicy: with an LLM policy, an endpoint that refuses is an
// error naming the theorem and the endpoint; one that answers nothing
// usable leaves theorems unproved but measured; a useful one proves.
func TestBenchLLMPolicy(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		wantCode int
		want     string // in stderr (failure) or stdout (report)
	}{
		{"refused", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"error": {"message": "model not loaded", "type": "invalid_request_error"}}`)
		}, 2, "model not loaded"},
		{"babble", func(w http.ResponseWriter, r *http.Request) { chatReply(w, "") }, 0, `"theorems":2,"proved":0`},
		{"useful", func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			tactic := "intro n"
			switch {
			case strings.Contains(string(body), "intro n\\n"):
				tactic = "simp [Nat.add_zero]"
			case strings.Contains(string(body), "p ∧ q"):
				tactic = "sorry" // refused by the sanitizer
			}
			chatReply(w, tactic)
		}, 0, `"theorems":2,"proved":1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts := httptest.NewServer(tt.handler)
			defer ts.Close()
			code, out, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "llm:m@"+ts.URL,
				"--llm-samples", "1", "--llm-retries", "0", "--budget", "8", "--json")
			if code != tt.wantCode || !strings.Contains(out+errs, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errs, tt.wantCode, tt.want)
			}
			if code != 0 && (!strings.Contains(errs, ts.URL) || !strings.Contains(errs, "Foo.add_zero'")) {
				t.Errorf("stderr %q; want the endpoint and the theorem named", errs)
			}
		})
	}
}

// TestBenchInterrupted: cancelling the context (Ctrl-C) while the policy
// is waiting on the LLM ends the bench with the context's error, and the
// request in flight is abandoned, not left running.
func TestBenchInterrupted(t *testing.T) {
	arrived, released := make(chan struct{}, 1), make(chan struct{}, 1)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // the server notices a closed connection only past the body
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-r.Context().Done()
		released <- struct{}{}
	}))
	defer ts.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var out, errb bytes.Buffer
	go func() {
		done <- run(ctx, []string{"bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "llm:m@" + ts.URL,
			"--llm-samples", "1", "--json"}, &out, &errb)
	}()
	select {
	case <-arrived:
	case <-time.After(30 * time.Second):
		t.Fatal("no LLM request arrived")
	}
	cancel()
	select {
	case code := <-done:
		if code == 0 || !strings.Contains(errb.String(), "context canceled") || out.Len() != 0 {
			t.Errorf("exit %d, stdout %q, stderr %q; want a failure naming the cancellation and no report", code, out.String(), errb.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("bench still running after the context was cancelled")
	}
	select {
	case <-released:
	case <-time.After(10 * time.Second):
		t.Error("the LLM request is still held after bench returned")
		ts.CloseClientConnections()
	}
}

// TestBenchCountsPolicyErrors: a policy that fails below the root leaves
// that state dead and the search goes on; the report says how often, or a
// flaky endpoint would pass for a weak policy.
func TestBenchCountsPolicyErrors(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), "Tactics so far") { // below the root
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"error": {"message": "out of memory", "type": "server_error"}}`)
			return
		}
		chatReply(w, "intro n")
	}))
	defer ts.Close()
	code, out, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "llm:m@"+ts.URL,
		"--llm-samples", "1", "--llm-retries", "0", "--budget", "8", "--json", "--verbose")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var rep benchReport
	var line benchLine
	if len(lines) != 3 || json.Unmarshal([]byte(lines[0]), &line) != nil || json.Unmarshal([]byte(lines[2]), &rep) != nil {
		t.Fatalf("output %q", out)
	}
	if rep.PolicyErrors == 0 || line.PolicyErrors == 0 || !strings.Contains(errs, "policy") {
		t.Errorf("report %+v, first line %+v, stderr %q; want policy errors counted and a warning", rep, line, errs)
	}
}

// TestBenchLLMFlagErrors: an --llm-* value the LLM policy cannot use is a
// usage error naming the flag, not a default put in its place (0 samples
// became 8) nor an error naming a Go field.
func TestBenchLLMFlagErrors(t *testing.T) {
	for _, tt := range []struct{ flag, value string }{
		{"--llm-samples", "0"}, {"--llm-samples", "-2"}, {"--llm-temperature", "-1"}, {"--llm-max-tokens", "0"},
		{"--llm-timeout", "0s"}, {"--llm-retries", "-1"}, {"--llm-concurrency", "0"},
	} {
		code, _, errs := runCLI(t, "bench", "--traces", fixture("dojo.json"), "--split", "all", "--policy", "llm:m@http://127.0.0.1:1/v1", tt.flag, tt.value)
		if code != 2 || !strings.Contains(errs, tt.flag) {
			t.Errorf("%s %s: exit %d, stderr %q; want 2 naming the flag", tt.flag, tt.value, code, errs)
		}
	}
}

// TestBenchRollout: --rollout tries the closing finishers on every new
// state before the policy, as prove does. A model trained on dojo.json
// never proposes rfl, which closes T.one of pairs.jsonl: only the rollout
// finds it.
func TestBenchRollout(t *testing.T) {
	model := filepath.Join(t.TempDir(), "m.model")
	if code, _, errs := runCLI(t, "policy", "train", "--traces", fixture("dojo.json"), "--split", "all", "--out", model); code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	proved := func(rollout string) []string {
		t.Helper()
		code, out, errs := runCLI(t, "bench", "--traces", fixture("pairs.jsonl"), "--split", "all", "--policy", "learned:"+model,
			"--widenings", "0", "--rollout", rollout, "--json", "--verbose")
		if code != 0 {
			t.Fatalf("--rollout %s: exit %d: %s", rollout, code, errs)
		}
		var names []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var l benchLine
			if json.Unmarshal([]byte(line), &l) == nil && l.Theorem != "" && l.Proved {
				names = append(names, l.Theorem)
			}
		}
		return names
	}
	if got := proved("none"); slices.Contains(got, "T.one") {
		t.Errorf("without a rollout T.one was proved (%v): the model cannot propose rfl", got)
	}
	if got := proved("core"); !slices.Contains(got, "T.one") {
		t.Errorf("with the core rollout the proved theorems are %v, want T.one among them", got)
	}
	if code, _, errs := runCLI(t, "bench", "--traces", fixture("pairs.jsonl"), "--rollout", "all"); code != 2 || !strings.Contains(errs, "--rollout") {
		t.Errorf("--rollout all: exit %d, stderr %q; want a usage error naming the flag", code, errs)
	}
}
