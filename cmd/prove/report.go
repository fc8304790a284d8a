package main

import "context"

// runReport is filled in by later work; until then it says so.
func runReport(ctx context.Context, e *env, args []string) error {
	return notImplemented("report")
}
