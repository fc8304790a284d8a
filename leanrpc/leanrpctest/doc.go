// Package leanrpctest is a fake Lean 4 language server for tests: it speaks
// the real wire protocol (Content-Length framing, the initialize handshake
// and the watcher registration, strictly versioned documents,
// publishDiagnostics and $/lean/fileProgress in the real order and with its
// quirks, waitForDiagnostics held until a version finishes, plainGoal,
// crash and close semantics, the error codes) as described in
// ../shared/reference/lean-lsp.md §10.3.
//
// Its proof semantics come from a Script (state, tactic → goals, error,
// timeout, crash or hang) or from replayed LeanDojo traces (Traces). It
// runs in process over net.Pipe (NewPipe, which also prints the protocol
// exchange when a test fails and fails it on protocol violations), on
// stdin/stdout (ServeStdio), and as the stand-in executable cmd/lake.
//
// As a process (cmd/lake, or a test binary re-executed as a helper) it is
// configured by environment variables, read by OptionsFromEnv:
//
//	LEANRPCTEST_SCRIPT=file.json        a Script: {"theorems": {"Name": "goal"}, "steps":
//	                                    [{"state": "...", "tactic": "simp", "new_state": "no goals"},
//	                                     {"tactic": "bad", "error": "msg"}, {"tactic": "t", "timeout": true},
//	                                     {"tactic": "c", "crash": true}, {"tactic": "h", "hang": true}, …],
//	                                    "axioms": {"Name": ["propext"]}}
//	LEANRPCTEST_TRACES=a.json:b.json    LeanDojo trace files to replay (PATH-list separated)
//	LEANRPCTEST_LATENCY=5ms             elaboration latency per version
//	LEANRPCTEST_PLAIN=1                 no quirks
//	LEANRPCTEST_HEADER_ERROR=msg        every document's imports fail with msg
//	LEANRPCTEST_LOG=file                append the protocol exchange to file
//
// With neither script nor traces, every theorem starts at "⊢ True" and only
// trivial proves it. skip always changes nothing (it reads a statement's
// goals), unless a script rule says otherwise.
//
// Reporting follows the real server: the theorem under proof is the last
// one in the document; a failing tactic reports an error at its range and
// stops the block; remaining goals give "unsolved goals" at the proof's
// "by"; a finished proof gives a silent "Goals accomplished!" when the
// client asked for silent diagnostics; "#print axioms" lines get an
// information diagnostic.
package leanrpctest
