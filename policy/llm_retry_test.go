package policy

import (
	"net/http"
	"testing"
	"time"
)

func TestLLMParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"3", 3 * time.Second, true},
		{" 0 ", 0, true},
		{"86400", maxRetryAfter, true},
		{now.Add(10 * time.Second).Format(http.TimeFormat), 10 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{now.Add(24 * time.Hour).Format(http.TimeFormat), maxRetryAfter, true},
		{"", 0, false},
		{"-5", 0, false},
		{"soon", 0, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestLLMBackoffIsBounded: doubling stops at a minute (ten retries from
// 500ms would otherwise wait 256s before the last), but never goes below
// the configured first delay, and never overflows into a negative wait.
func TestLLMBackoffIsBounded(t *testing.T) {
	tests := []struct{ d, want time.Duration }{
		{500 * time.Millisecond, time.Second},
		{40 * time.Second, time.Minute},
		{time.Minute, time.Minute},
		{2 * time.Minute, 2 * time.Minute},
		{1 << 62, 1 << 62},
	}
	for _, tt := range tests {
		if got := nextBackoff(tt.d); got != tt.want {
			t.Errorf("nextBackoff(%v) = %v, want %v", tt.d, got, tt.want)
		}
	}
}
