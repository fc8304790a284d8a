// Command lake is a stand-in for Lean's `lake serve` (and `lean --server`)
// backed by the leanrpctest fake server, so that CLI tests can run end to
// end with no Lean installed: put its directory first on PATH (also as
// `lean`, for the fallback).
//
// Subcommands: `serve [-- args]` and `--server [args]` speak LSP on
// stdin/stdout; `build` succeeds; `--version` prints a fake version. The
// server's semantics come from the environment:
//
//	LEANRPCTEST_SCRIPT=file.json   a leanrpctest.Script (theorems, steps, axioms)
//	LEANRPCTEST_TRACES=a.json:b.json  LeanDojo trace files to replay
//	LEANRPCTEST_LATENCY=5ms        elaboration latency per version
//	LEANRPCTEST_PLAIN=1            no quirks (empty first publish, Lake info, done-before-final)
//	LEANRPCTEST_LOG=file           append the protocol exchange to file
//	LEANRPCTEST_HEADER_ERROR=msg   report msg as an import error in every document
//
// A script step with "exit_process": true makes the process exit with
// status 3, as a dying server would.
// With neither script nor traces, every theorem starts at "⊢ True" and only
// `trivial` proves it.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leanprove/leanprove/leanrpc/leanrpctest"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "serve", "--server":
	case "build":
		fmt.Println("Build completed successfully (leanrpctest stand-in).")
		return 0
	case "--version", "-v":
		fmt.Println("Lean (version 4.99.0, leanrpctest stand-in)")
		return 0
	default:
		fmt.Fprintf(os.Stderr, "%s: leanrpctest stand-in supports only `serve`, `--server`, `build` and `--version`, not %q\n",
			filepath.Base(os.Args[0]), strings.Join(args, " "))
		return 2
	}
	opts, err := leanrpctest.OptionsFromEnv()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "leanrpctest: serving %s\n", strings.Join(args, " "))
	leanrpctest.ServeStdio(opts)
	return 0
}
