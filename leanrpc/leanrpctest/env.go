package leanrpctest

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Environment variables that configure a fake server started as a process
// (the stand-in lake executable, or a test binary re-executed as a helper).
const (
	EnvScript  = "LEANRPCTEST_SCRIPT"  // a Script as JSON
	EnvTraces  = "LEANRPCTEST_TRACES"  // LeanDojo trace files, PATH-list separated
	EnvLatency = "LEANRPCTEST_LATENCY" // a Go duration, e.g. 5ms
	EnvPlain   = "LEANRPCTEST_PLAIN"   // "1": no quirks
	EnvLog     = "LEANRPCTEST_LOG"     // append the protocol exchange to this file
	EnvHeader  = "LEANRPCTEST_HEADER_ERROR"
)

// DefaultScript is the semantics with neither script nor traces: every
// theorem starts at "⊢ True" and only `trivial` proves it.
func DefaultScript() *Script {
	return &Script{
		Theorems: map[string]string{"*": "⊢ True"},
		Steps:    []ScriptStep{{Tactic: "trivial", NewState: "no goals"}},
	}
}

// OptionsFromEnv builds Options from the LEANRPCTEST_* variables. A process
// server exits with status 3 on a tactic whose Result says ExitProcess.
func OptionsFromEnv() (Options, error) {
	opts := Options{Semantics: DefaultScript(), ExitProcess: func() { os.Exit(3) }}
	switch {
	case os.Getenv(EnvScript) != "":
		s, err := LoadScript(os.Getenv(EnvScript))
		if err != nil {
			return opts, fmt.Errorf("%s: %w", EnvScript, err)
		}
		opts.Semantics = s
	case os.Getenv(EnvTraces) != "":
		tr, err := LoadTraces(filepath.SplitList(os.Getenv(EnvTraces))...)
		if err != nil {
			return opts, fmt.Errorf("%s: %w", EnvTraces, err)
		}
		opts.Semantics = tr
	}
	if l := os.Getenv(EnvLatency); l != "" {
		d, err := time.ParseDuration(l)
		if err != nil {
			return opts, fmt.Errorf("%s=%q: %w", EnvLatency, l, err)
		}
		opts.Latency = d
	}
	opts.Plain = os.Getenv(EnvPlain) == "1"
	opts.HeaderError = os.Getenv(EnvHeader)
	if path := os.Getenv(EnvLog); path != "" {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return opts, fmt.Errorf("%s: %w", EnvLog, err)
		}
		opts.Log = f
	}
	return opts, nil
}
