package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
)

// runCLI runs the command in process and returns its exit status and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string // substring of stderr
	}{
		{"unknown mode", []string{"frobnicate"}, 2, `unknown mode "frobnicate"`},
		{"flag without its value", []string{"--theorem"}, 2, "flag needs an argument: -theorem"},
		{"missing theorem", []string{"--expansions", "10"}, 2, "--theorem NAME is required"},
		{"zero expansions", []string{"--theorem", "t", "--expansions", "0"}, 2, "--expansions must be positive"},
		{"negative calls", []string{"--theorem", "t", "--calls", "-3"}, 2, "--calls must be positive"},
		{"zero wall time", []string{"--theorem", "t", "--wall", "0s"}, 2, "--wall must be positive"},
		{"unknown search mode", []string{"--theorem", "t", "--mode", "dfs"}, 2, `--mode must be mcts or bestfirst, got "dfs"`},
		{"stray argument", []string{"--theorem", "t", "extra"}, 2, `unexpected argument "extra"`},
		{"negative widenings", []string{"--theorem", "t", "--widenings", "-1"}, 2, "--widenings must not be negative"},
		{"no LLM samples", []string{"--theorem", "t", "--llm-samples", "0"}, 2, "--llm-samples must be positive"},
		{"batch: negative LLM temperature", []string{"batch", "x.lean", "--llm-temperature", "-1"}, 2, "--llm-temperature must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit status = %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr, tt.wantErr) {
				t.Errorf("stderr does not mention %q:\n%s", tt.wantErr, stderr)
			}
		})
	}
}

func TestHelpListsEveryMode(t *testing.T) {
	code, stdout, _ := runCLI(t, "help")
	if code != 0 {
		t.Fatalf("prove help: exit status %d", code)
	}
	for _, m := range modes() {
		if !strings.Contains(stdout, m.name) {
			t.Errorf("help does not list mode %q:\n%s", m.name, stdout)
		}
	}
}

func TestFlagHelpIsNotAnError(t *testing.T) {
	code, _, stderr := runCLI(t, "-h")
	if code != 0 {
		t.Errorf("prove -h: exit status %d, want 0", code)
	}
	if !strings.Contains(stderr, "-theorem") {
		t.Errorf("prove -h does not describe --theorem:\n%s", stderr)
	}
}

// TestParseFlagsAnywhere: flags are read before, between and after the
// names, and everything after "--" is a name.
func TestParseFlagsAnywhere(t *testing.T) {
	tests := []struct {
		args  []string
		db    string
		json  bool
		names []string
	}{
		{[]string{"--db", "x.db", "a", "b"}, "x.db", false, []string{"a", "b"}},
		{[]string{"a", "--db", "x.db", "b", "--json"}, "x.db", true, []string{"a", "b"}},
		{[]string{"a", "b", "--json"}, "", true, []string{"a", "b"}},
		{[]string{"a", "--", "--json", "-b"}, "", false, []string{"a", "--json", "-b"}},
		{[]string{"--json"}, "", true, nil},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		fs := newFlagSet(&env{stderr: &stderr}, "test")
		db := fs.String("db", "", "")
		asJSON := fs.Bool("json", false, "")
		if err := parseFlags(fs, tt.args); err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if *db != tt.db || *asJSON != tt.json || !slices.Equal(fs.Args(), tt.names) {
			t.Errorf("%q: db %q json %v names %q; want %q %v %q", tt.args, *db, *asJSON, fs.Args(), tt.db, tt.json, tt.names)
		}
	}
	fs := newFlagSet(&env{stderr: io.Discard}, "test")
	if err := parseFlags(fs, []string{"a", "--nope"}); !errors.As(err, new(usageError)) {
		t.Errorf("an unknown flag after a name: %v, want a usage error", err)
	}
}
