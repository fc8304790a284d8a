// Package leanrpc drives Lean 4 through its JSON-RPC language server
// (`lake serve`, or `lean --server`), following
// ../shared/reference/lean-lsp.md §10. It knows nothing of the search
// package; cmd/prove adapts Session to search.Prover (OutcomeKind has the
// same order as search.Outcome).
//
// The parts, bottom up:
//
//   - lexer.go, sanitize.go: SanitizeTactic, the gate every candidate tactic
//     passes before it reaches a document (one line, no sorry/admit/stop,
//     no native code unless allowed, nothing that ends the proof block or
//     starts a command, balanced brackets, strings and comments, bounded
//     length). It reads Lean's lexical syntax, so a "sorry" in a string or
//     comment is harmless and one in code is not.
//   - source.go, find.go: ParseFile/ParseSource, a static parser of .lean
//     files (imports, declarations by full name through namespaces and
//     sections, statements, proof bodies with byte offsets, tactic blocks
//     one step each, which bodies use sorry; errors name file and line),
//     and FindTheorem, which locates a declaration in a Lake project and
//     suggests the closest names for an unknown one.
//   - imports.go, envkey.go: ProjectImports, the project files a theorem's
//     file imports (transitively), and EnvironmentKey, a hash of everything
//     Lean's answer to a tactic depends on (toolchain, manifest, lakefile,
//     imported project files, the text before the theorem, its statement,
//     options), under which outcomes may be cached across runs.
//   - lakedeps.go: DependsOnMathlib, whether a Lake project requires
//     Mathlib (its manifest of any version, else lakefile.lean through the
//     lexer or lakefile.toml by table), so that Mathlib's tactics are
//     offered only where they exist.
//   - protocol.go: the wire types and constants of the messages Lean
//     exchanges, and the diagnostic predicates (unsolved goals, timeout,
//     parse error, sorry warning) that tolerate every Lean version's wording.
//   - conn.go: Conn, one LSP connection (sourcegraph/jsonrpc2, Content-Length
//     framing). Its handler never blocks the read loop: notifications are
//     folded into per-document state (stale versions dropped, fatal
//     progress recorded) and server requests are answered with null from a
//     goroutine. Requests carry string IDs, a deadline, and a
//     $/cancelRequest when their context ends; a fatalError progress ends a
//     pending barrier, since Lean holds requests to a crashed file.
//   - process.go: Start runs the server in the project root with
//     -Dserver.reportDelayMs=0 and -DmaxHeartbeats, stderr drained into a
//     ring buffer, in its own process group; Close does shutdown/exit and
//     then kills the whole tree, workers included (Lean starts them with
//     setsid, outside the group).
//   - document.go: Theorem (what a proof document holds), the document
//     layout, and the classification of one version's diagnostics.
//   - session.go: Session, a pool of documents (one per search worker).
//     Apply renders trace+tactic, sends the changed tail as one didChange,
//     waits on textDocument/waitForDiagnostics, classifies, and reads
//     $/lean/plainGoal at the end of the last tactic. Crashed workers are
//     revived and the apply retried once, stuck ones replaced, documents
//     recycled after RecycleAfter edits, and each apply goes to the free
//     document sharing the longest prefix. Verify re-elaborates a proof in
//     a fresh document and audits #print axioms.
//
// The fake server in leanrpctest speaks the same protocol for tests and as
// a stand-in lake executable.
package leanrpc
