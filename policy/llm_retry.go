package policy

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter bounds how long a Retry-After header can hold one proposal:
// a server asking for an hour is better reported than waited for.
const maxRetryAfter = time.Minute

// maxBackoff is where the doubling of the retry delay stops.
const maxBackoff = time.Minute

// nextBackoff doubles a retry delay up to maxBackoff, never below d itself
// (a first delay configured above the bound stays as given) and without
// overflowing.
func nextBackoff(d time.Duration) time.Duration {
	if d >= maxBackoff/2 {
		return max(d, maxBackoff)
	}
	return 2 * d
}

// retryAfterKey carries, in a request's context, where retryAfterTransport
// records the Retry-After of a 429 or 503 answer: go-openai's errors keep
// the status but not the headers.
type retryAfterKey struct{}

// retryAfterTransport records the Retry-After header of 429 and 503
// answers for the attempt that sent the request.
type retryAfterTransport struct{ base http.RoundTripper }

func (t retryAfterTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || (resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable) {
		return resp, err
	}
	if rec, ok := req.Context().Value(retryAfterKey{}).(*time.Duration); ok {
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			*rec = d
		}
	}
	return resp, err
}

// withRetryAfter returns a client whose transport records Retry-After; the
// given client is not modified.
func withRetryAfter(c *http.Client) *http.Client {
	if c == nil {
		c = &http.Client{}
	}
	wrapped := *c
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	wrapped.Transport = retryAfterTransport{base: base}
	return &wrapped
}

// recordRetryAfter returns a context under which a Retry-After answer is
// written to *d (left at -1 when there is none).
func recordRetryAfter(ctx context.Context, d *time.Duration) context.Context {
	*d = -1
	return context.WithValue(ctx, retryAfterKey{}, d)
}

// parseRetryAfter reads a Retry-After value, in seconds or as an HTTP date
// (RFC 9110 §10.2.3), bounded by maxRetryAfter.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(min(secs, int(maxRetryAfter/time.Second))) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = max(at.Sub(now), 0)
	} else {
		return 0, false
	}
	return min(d, maxRetryAfter), true
}
