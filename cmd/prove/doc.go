// Prove finds proofs of Lean 4 theorems by Monte Carlo tree search over
// tactics, driving Lean through its own language server.
//
// Usage:
//
//	prove --theorem NAME [flags]     prove one theorem (the default mode)
//	prove batch [flags] PATH...      every theorem with sorry under PATH
//	prove report [flags]             automation-rate reports of stored runs (md, json, svg)
//	prove serve [flags]              JSON-RPC 2.0 service
//	prove bench [flags]              offline search against recorded traces
//	prove corpus import|extract|stats
//	prove policy train|eval
//	prove theorems gen|check         regenerate or statically check the theorem library
//
// Run "prove MODE -h" for the flags of a mode.
//
// Exit status: 0 when the theorem was proved or the command finished, 1 when
// the search ended without a proof, 2 on a usage or input error. Logs go to
// standard error; results go to standard output.
package main
