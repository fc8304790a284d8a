package main

import "context"

// runCorpus is filled in by later work; until then it says so.
func runCorpus(ctx context.Context, e *env, args []string) error {
	return notImplemented("corpus")
}
