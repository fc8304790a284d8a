// Package leanrpc drives Lean 4 through its JSON-RPC language server
// (`lake serve`, or `lean --server`), following
// ../shared/reference/lean-lsp.md §10.
//
// The parts, bottom up:
//
//   - lexer.go, sanitize.go: SanitizeTactic, the gate every candidate tactic
//     passes before it reaches a document (one line, no sorry/admit, no
//     native code unless allowed, nothing that ends the proof block or starts
//     a command, balanced brackets, bounded length).
//   - source.go, find.go: ParseFile/ParseSource, a static parser of .lean
//     files (imports, declarations by full name, statements, tactic blocks
//     one step per line, which bodies use sorry), and FindTheorem, which
//     locates a declaration in a Lake project.
//   - protocol.go: the wire types of the messages Lean exchanges.
//   - conn.go: Conn, one LSP connection (sourcegraph/jsonrpc2 with
//     Content-Length framing): a non-blocking handler that folds
//     notifications into per-document state, server requests answered with
//     null, string request IDs and $/cancelRequest when a call's context
//     ends, a deadline on every request.
//   - process.go: Start, which runs the server process in its own process
//     group with stderr drained, and kills the group on Close.
//   - document.go: Document, one open file with strictly increasing
//     versions, the waitForDiagnostics barrier and the classification of a
//     version's diagnostics.
//   - session.go: Session, a pool of documents (one per search worker) that
//     applies tactics (Apply), revives crashed workers, replaces hung ones and
//     recycles documents; and Verify, the from-scratch check of a proof.
//
// leanrpc knows nothing of the search package; cmd/prove adapts Session to
// search.Prover. The fake server in leanrpctest speaks the same protocol for
// tests and as a stand-in executable.
package leanrpc
