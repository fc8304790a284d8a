package main

import "context"

// runPolicy is filled in by later work; until then it says so.
func runPolicy(ctx context.Context, e *env, args []string) error {
	return notImplemented("policy")
}
