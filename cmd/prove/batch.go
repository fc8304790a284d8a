package main

import "context"

// runBatch is filled in by later work; until then it says so.
func runBatch(ctx context.Context, e *env, args []string) error {
	return notImplemented("batch")
}
