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
// Reporting follows the real server: the theorem under proof is the last
// one in the document; a failing tactic reports an error at its range and
// stops the block; remaining goals give "unsolved goals" at the proof's
// "by"; a finished proof gives a silent "Goals accomplished!" when the
// client asked for silent diagnostics; "#print axioms" lines get an
// information diagnostic.
package leanrpctest
