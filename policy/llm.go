package policy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/search"
)

// LLMConfig configures the LLM policy. Zero fields take the defaults of
// withDefaults, except Temperature, whose zero is greedy decoding; negative
// values are errors, except Retries, where a negative count means none.
type LLMConfig struct {
	// BaseURL of the OpenAI-compatible API, e.g. http://localhost:8000/v1
	// (vLLM) or http://localhost:11434/v1 (Ollama); one naming only the
	// server gets /v1.
	BaseURL string
	Model   string
	// APIKeyEnv names the environment variable that holds the API key; the
	// key itself is never a flag or a config value. Empty means no key.
	APIKeyEnv   string
	Samples     int           // completions per state (n); default 8
	Temperature float32       // sampling temperature; 0 is greedy (then use Samples 1)
	MaxTokens   int           // per completion; default 96
	Timeout     time.Duration // per HTTP attempt; default 60s
	Retries     int           // extra attempts on 429, 5xx and transport errors; default 3, negative for none
	Backoff     time.Duration // first retry delay, doubled each time up to a minute; default 500ms
	Concurrency int           // requests in flight; default 4
	// SystemPrompt replaces DefaultSystemPrompt when set.
	SystemPrompt string
	// HTTPClient replaces the default client (tests, proxies).
	HTTPClient *http.Client
}

// check reports the first negative setting: flags pass user input through,
// and silently replacing -1 with a default would hide the mistake.
func (c LLMConfig) check() error {
	for _, f := range []struct {
		name string
		neg  bool
	}{
		{"Samples", c.Samples < 0}, {"Temperature", c.Temperature < 0 || math.IsNaN(float64(c.Temperature)) || math.IsInf(float64(c.Temperature), 0)}, {"MaxTokens", c.MaxTokens < 0},
		{"Timeout", c.Timeout < 0}, {"Backoff", c.Backoff < 0}, {"Concurrency", c.Concurrency < 0},
	} {
		if f.neg {
			return fmt.Errorf("%w: LLM setting %s must not be negative (the --llm-* flags set it)", ErrBadSpec, f.name)
		}
	}
	return nil
}

func (c LLMConfig) withDefaults() LLMConfig {
	if c.Samples == 0 {
		c.Samples = 8
	}
	if c.MaxTokens == 0 {
		c.MaxTokens = 96
	}
	if c.Timeout == 0 {
		c.Timeout = 60 * time.Second
	}
	if c.Retries < 0 {
		c.Retries = 0
	} else if c.Retries == 0 {
		c.Retries = 3
	}
	if c.Backoff == 0 {
		c.Backoff = 500 * time.Millisecond
	}
	if c.Concurrency == 0 {
		c.Concurrency = 4
	}
	if c.SystemPrompt == "" {
		c.SystemPrompt = DefaultSystemPrompt
	}
	return c
}

// requestTemperature is the temperature to send: go-openai omits a zero
// (omitempty), which the server reads as its default (usually 1), so greedy
// decoding is sent as the smallest positive float32.
func requestTemperature(t float32) float32 {
	if t == 0 {
		return math.SmallestNonzeroFloat32
	}
	return t
}

// LLM is a policy backed by an OpenAI-compatible chat endpoint. Each of n
// samples is parsed into one tactic (parseTactic); duplicates merge. A
// server that answers fewer choices than n is asked again for the rest.
// Priors come from the sequence log-probability when the server returns
// token log-probabilities, otherwise from how many samples agreed. The
// prompt is documented at buildPrompt. Propose may be called from several
// goroutines; at most Concurrency requests are in flight.
type LLM struct {
	cfg    LLMConfig
	client *openai.Client
	slots  chan struct{} // concurrency limit
}

// NewLLM builds the policy; getenv reads the API key variable (os.Getenv in
// production, a map in tests).
func NewLLM(cfg LLMConfig, getenv func(string) string) (*LLM, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if cfg.BaseURL == "" || cfg.Model == "" {
		return nil, fmt.Errorf("%w: the LLM policy needs a model and a base URL (llm:MODEL@URL)", ErrBadSpec)
	}
	key := ""
	if cfg.APIKeyEnv != "" {
		// Trimmed: a key read from a file keeps its newline, which no
		// HTTP header may carry.
		key = strings.TrimSpace(getenv(cfg.APIKeyEnv))
		if key == "" {
			return nil, fmt.Errorf("%w: environment variable %s, named to hold the LLM API key, is unset or empty: export %s=KEY, or drop --llm-key-env if the endpoint needs no key",
				ErrBadSpec, cfg.APIKeyEnv, cfg.APIKeyEnv)
		}
	}
	base, err := chatBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	cfg.BaseURL = base
	oc := openai.DefaultConfig(key)
	oc.BaseURL = base
	oc.HTTPClient = withRetryAfter(cfg.HTTPClient)
	return &LLM{cfg: cfg, client: openai.NewClientWithConfig(oc), slots: make(chan struct{}, cfg.Concurrency)}, nil
}

// Propose implements search.Policy.
func (l *LLM) Propose(ctx context.Context, s search.State, k int) ([]search.Candidate, error) {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-l.slots }()

	req := openai.ChatCompletionRequest{
		Model: l.cfg.Model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: l.cfg.SystemPrompt},
			{Role: openai.ChatMessageRoleUser, Content: buildPrompt(s)},
		},
		N:           l.cfg.Samples,
		Temperature: requestTemperature(l.cfg.Temperature),
		MaxTokens:   l.cfg.MaxTokens,
		LogProbs:    true,
	}
	resp, err := l.complete(ctx, req)
	if err != nil {
		return nil, err
	}
	// Ollama and some llama.cpp builds ignore n and answer one choice: ask
	// again for the rest, at most Samples requests in all (not when
	// decoding greedily: every answer would be the same). A failed top-up
	// keeps the samples already in hand.
	last := len(resp.Choices)
	for requests := 1; l.cfg.Temperature > 0 && last > 0 && len(resp.Choices) < l.cfg.Samples && requests < l.cfg.Samples; requests++ {
		req.N = l.cfg.Samples - len(resp.Choices)
		more, err := l.complete(ctx, req)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			break
		}
		last = len(more.Choices)
		resp.Choices = append(resp.Choices, more.Choices...)
	}
	return candidatesFrom(resp, k)
}

// complete sends req, retrying 429 and 5xx answers and transport errors
// with exponential backoff, or after the server's Retry-After when it says.
func (l *LLM) complete(ctx context.Context, req openai.ChatCompletionRequest) (openai.ChatCompletionResponse, error) {
	delay := l.cfg.Backoff
	var lastErr error
	var retryAfter time.Duration
	for attempt := 0; attempt <= l.cfg.Retries; attempt++ {
		if attempt > 0 {
			wait := delay
			if retryAfter >= 0 {
				wait = retryAfter
			}
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return openai.ChatCompletionResponse{}, ctx.Err()
			}
			delay = nextBackoff(delay)
		}
		actx, cancel := context.WithTimeout(recordRetryAfter(ctx, &retryAfter), l.cfg.Timeout)
		resp, err := l.client.CreateChatCompletion(actx, req)
		cancel()
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return openai.ChatCompletionResponse{}, ctx.Err()
		}
		lastErr = err
		if !retryable(err) {
			break
		}
	}
	return openai.ChatCompletionResponse{}, fmt.Errorf("%w: %s at %s: %v%s", ErrLLM, l.cfg.Model, l.cfg.BaseURL, lastErr, l.hint(lastErr))
}

// retryable says whether a failed request may succeed if sent again: rate
// limits, server errors, timeouts and transport failures. Not 4xx
// refusals, nor what go-openai refuses before sending or a 200 whose body
// is not a chat completion (a wrong URL): those fail the same way again.
func retryable(err error) bool {
	if code := httpStatus(err); code != 0 {
		return code == http.StatusTooManyRequests || code >= 500
	}
	var urlErr *url.Error
	return errors.As(err, &urlErr) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded)
}

// httpStatus is the status of a failed HTTP answer, 0 when err is not one.
func httpStatus(err error) int {
	var apiErr *openai.APIError
	if errors.As(err, &apiErr) {
		return apiErr.HTTPStatusCode
	}
	var reqErr *openai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode
	}
	return 0
}

// hint says what to do about a refusal whose cause is the configuration.
func (l *LLM) hint(err error) string {
	switch httpStatus(err) {
	case http.StatusUnauthorized, http.StatusForbidden:
		if l.cfg.APIKeyEnv == "" {
			return " (the endpoint wants an API key: name the environment variable that holds it with --llm-key-env)"
		}
		return fmt.Sprintf(" (check the API key in $%s)", l.cfg.APIKeyEnv)
	case http.StatusNotFound:
		return " (check the base URL: the API is usually under /v1; and the model name)"
	}
	return ""
}

// candidatesFrom parses one tactic per choice and merges duplicates. With
// log-probabilities, a tactic's prior is the summed probability of the
// distinct answers that give it (the same answer sampled twice is one
// sequence); without, it is the share of samples that gave it.
func candidatesFrom(resp openai.ChatCompletionResponse, k int) ([]search.Candidate, error) {
	type agg struct {
		prior   float64
		first   int
		answers map[string]bool // raw answers already counted
	}
	merged := map[string]*agg{}
	haveLogProbs := true
	for _, ch := range resp.Choices {
		if ch.LogProbs == nil || len(ch.LogProbs.Content) == 0 {
			haveLogProbs = false
		}
	}
	n := float64(len(resp.Choices))
	for i, ch := range resp.Choices {
		tac, lineEnded := parseTactic(ch.Message.Content)
		if ch.FinishReason == openai.FinishReasonLength && !lineEnded {
			continue // cut at max_tokens while the tactic was being written
		}
		tac = corpus.NormalizeTactic(tac)
		if tac == "" {
			continue
		}
		a, ok := merged[tac]
		if !ok {
			a = &agg{first: i, answers: map[string]bool{}}
			merged[tac] = a
		}
		if !haveLogProbs {
			a.prior += 1 / n // votes add up
			continue
		}
		if a.answers[ch.Message.Content] {
			continue
		}
		a.answers[ch.Message.Content] = true
		sum := 0.0
		for _, lp := range ch.LogProbs.Content {
			sum += lp.LogProb
		}
		a.prior += math.Exp(sum)
	}
	if len(merged) == 0 {
		return nil, fmt.Errorf("%w (%d choices)", ErrNoCandidates, len(resp.Choices))
	}
	out := make([]search.Candidate, 0, len(merged))
	for t, a := range merged {
		out = append(out, search.Candidate{Tactic: t, Prior: min(1, a.prior)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Prior != out[j].Prior {
			return out[i].Prior > out[j].Prior
		}
		return merged[out[i].Tactic].first < merged[out[j].Tactic].first
	})
	if len(out) > k {
		out = out[:k]
	}
	return out, nil
}

var _ search.Policy = (*LLM)(nil)
