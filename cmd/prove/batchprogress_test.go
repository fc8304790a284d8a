package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer that mpb's render goroutine and the test can
// share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestBarProgressRoutesLogsAboveTheBar: while the bar draws, log lines go
// through it (printed above the bar, not lost and not through it); once
// it stops, they go to the log's own writer again, never to the finished
// bar, whose writes would fail.
func TestBarProgressRoutesLogsAboveTheBar(t *testing.T) {
	term := &syncBuffer{}
	logs := &syncBuffer{}
	sink := &lockedWriter{w: logs}
	p := newBatchProgress(&lockedWriter{w: term}, true, sink)
	p.Start(3, 1, 1)
	if _, err := sink.Write([]byte("log while drawing\n")); err != nil {
		t.Fatalf("log line while the bar draws: %v", err)
	}
	p.Finished(theoremResult{Theorem: "two", Proved: true, Elapsed: time.Millisecond})
	p.Finished(theoremResult{Theorem: "three", Stop: "expansions", Elapsed: time.Millisecond})
	p.Stop()
	if _, err := sink.Write([]byte("log after\n")); err != nil {
		t.Fatalf("log line after the bar stopped: %v", err)
	}
	out := term.String()
	for _, want := range []string{"log while drawing", "proved two", "proved 2", "3/3"} {
		if !strings.Contains(out, want) {
			t.Errorf("terminal output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "proved three") || strings.Contains(out, "log after") {
		t.Errorf("terminal output has lines it should not:\n%s", out)
	}
	if got := logs.String(); got != "log after\n" {
		t.Errorf("log writer got %q, want only the line written after the bar stopped", got)
	}
}
