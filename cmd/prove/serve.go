package main

import "context"

// runServe is filled in by later work; until then it says so.
func runServe(ctx context.Context, e *env, args []string) error {
	return notImplemented("serve")
}
