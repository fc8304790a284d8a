package main

import "context"

// runBench is filled in by later work; until then it says so.
func runBench(ctx context.Context, e *env, args []string) error {
	return notImplemented("bench")
}
