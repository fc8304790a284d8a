package main

import "context"

// runTheorems is filled in by later work; until then it says so.
func runTheorems(ctx context.Context, e *env, args []string) error {
	return notImplemented("theorems")
}
